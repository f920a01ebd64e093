"""Write the test instances of this folder in SATLIB's distributed uf/uuf format.

Uniform random 3-SAT as in SATLIB (each clause: 3 distinct variables, uniform
signs), seeded, kept when the solver's verdict matches the family (uf:
satisfiable, uuf: unsatisfiable).  Run from the repository root:
``python tests/data/make_satlib_format.py``; it rewrites the .cnf files and
``manifest.csv`` deterministically.
"""

from pathlib import Path

import numpy as np

from natweights.ksat import random_formula, solve

HERE = Path(__file__).parent
FAMILIES = [("uf20-91", 20, 91, "sat", 3), ("uf50-218", 50, 218, "sat", 2), ("uuf50-218", 50, 218, "unsat", 2)]


def satlib_text(formula, family: str, seed: int) -> str:
    lines = [
        f"c natweights test instance in SATLIB's {family.split('-')[0]} format (not a SATLIB file)",
        f"c uniform random 3-SAT, numpy default_rng({seed}), natweights.ksat.random_formula",
        "c",
        "c    horn? no ",
        "c    forced? no ",
        "c    mixed sat? no ",
        "c    clause length = 3 ",
        "c",
        f"p cnf {formula.n}  {formula.m} ",
    ]
    lines += [" ".join(map(str, c)) + " 0" for c in formula.clauses()]
    lines += ["%", "0", ""]
    return "\n".join(lines) + "\n"


def main():
    rows = ["file,n,m,K,verdict,seed"]
    for family, n, m, verdict, count in FAMILIES:
        seed, made = 0, 0
        while made < count:
            seed += 1
            formula = random_formula(n, m, 3, np.random.default_rng(1000 * n + seed))
            if solve(formula).status != verdict:
                continue
            made += 1
            name = f"{family}-{made:02d}.cnf"
            (HERE / name).write_text(satlib_text(formula, family, 1000 * n + seed))
            rows.append(f"{name},{n},{m},3,{verdict},{1000 * n + seed}")
    (HERE / "manifest.csv").write_text("\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
