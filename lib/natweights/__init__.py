"""natweights: a checked walk-through of the hardness of learning depth-2 networks with natural weights.

Modules follow the proof (see PROOF_MAP in the notebooks' overview):

- :mod:`natweights.ksat` — random and planted K-SAT formulas, rerandomisation, SAT solving;
- :mod:`natweights.reduction` — DSS16 Lemmas 13 and 15: blocks and labelled samples;
- :mod:`natweights.dnf` — DSS16 Lemma 16: the map g and the DNF realisation;
- :mod:`natweights.learners` — exact and practical learners, the DLSS14 distinguisher;
- :mod:`natweights.networks` — depth-2 ReLU networks computing T_{K,M};
- :mod:`natweights.weights` — natural weight laws;
- :mod:`natweights.embedding` — the natural-weight embedding (reconstruction);
- :mod:`natweights.bounds` — closed-form bounds, symbolic and numeric;
- :mod:`natweights.stats` — intervals, interval-vs-bound checks, two-sample tests;
- :mod:`natweights.plotting` — the figure style of the book;
- :mod:`natweights.validation` — the argument checks every public function uses (each error names
  its parameter and the expected domain; memory requests beyond the machine are refused up front).
"""

__version__ = "0.1.0"
