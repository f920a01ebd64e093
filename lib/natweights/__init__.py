"""natweights: a checked walk-through of the hardness of learning depth-2 networks with natural weights.

Modules follow the chain of the proof (the claims C1–C19 are listed on the book's claims page).
They are listed here in layering order: a module imports only modules listed above it
(tests/test_layering.py checks this list against the imports and against the package).

Foundations used by every step
- :mod:`natweights.validation` — the argument checks every public function uses (each error names
  its parameter and the expected domain; memory requests beyond the machine are refused up front);
- :mod:`natweights.printing` — floats printed only to digits that reproduce on every CPU;
- :mod:`natweights.progress` — progress bars that stay out of stored outputs;
- :mod:`natweights.stats` — intervals, interval-vs-bound checks, two-sample tests;
- :mod:`natweights.plotting` — the figure style of the book;
- :mod:`natweights.bounds` — closed-form bounds of the chain (C3, C5, C6, C12, C13), symbolic and numeric.

Random K-SAT and the reduction to labelled samples (DSS16)
- :mod:`natweights.ksat` — random and planted K-SAT formulas, rerandomisation, DIMACS, SAT solving;
- :mod:`natweights.detectors` — polynomial-time tests that tell planted formulas from random ones (C19);
- :mod:`natweights.transition` — the satisfiability threshold crossing with an interval;
- :mod:`natweights.growth` — exponential, power-law and combined growth models compared (C2, C18);
- :mod:`natweights.reduction` — DSS16 Lemmas 13 and 15: blocks, labelled, realizable and scattered samples;
- :mod:`natweights.chain` — sampling and exact laws along the chain (greedy count, label noise);
- :mod:`natweights.erm_kernel` — the fused parallel kernel of exact empirical risk minimisation;
- :mod:`natweights.learners` — exact and practical learners, the distinguisher of Theorem 12;
- :mod:`natweights.theorem12` — learners that probe the two forms of the Theorem 12 distinguisher;
- :mod:`natweights.dnf` — DSS16 Lemma 16: the map g and the DNF realisation;
- :mod:`natweights.block_baselines` — learners on blocks that use the detectors against quiet and XOR planting.

Random networks with natural weights (a reconstruction of DV20's step)
- :mod:`natweights.networks` — depth-2 ReLU networks computing T_{K,M} (C8);
- :mod:`natweights.weights` — natural weight laws;
- :mod:`natweights.sign_invariance` — the secret sign vector and the two-sample test (C9);
- :mod:`natweights.embedding` — the natural-weight embedding (C10–C12);
- :mod:`natweights.emulation` — exact emulation of the block predicate (C10);
- :mod:`natweights.routing` — routing failures of the embedding (C11);
- :mod:`natweights.conditioning` — conditioning of the public blocks (C12);
- :mod:`natweights.refuter` — the refuter of the main theorem (C13).

Evidence and limits
- :mod:`natweights.polynomial` — the linear-output network as a degree-K polynomial (C15);
- :mod:`natweights.fitting` — fitting and scoring learners on network labels (C15–C17);
- :mod:`natweights.input_laws` — input distributions for one network (C16, C17);
- :mod:`natweights.sweep` — parameter sweeps on dask.distributed;
- :mod:`natweights.sweep_checks` — the claims (C2, C5, C11, C12) checked on the extended sweeps' tables.
"""

__version__ = "0.1.0"
