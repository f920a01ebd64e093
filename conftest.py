"""Settings for every pytest run, including the kernels nbval starts (they inherit this environment)."""

import os

# Progress bars would add outputs that the stored notebooks do not have.
os.environ["NATWEIGHTS_PROGRESS"] = "0"
# Headless plotting; notebooks still select the inline backend in their first cell.
os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread per kernel, as when the stored outputs were produced (see scripts/env.sh).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


# The claims ledger from the test run: nbval's verdict and time for every code cell, written to
# _build/ledger-test.json in the same form as the main job's _build/ledger.json (scripts/ledger.py).
_cell_outcomes: dict[str, dict[int, tuple[str, float]]] = {}


def pytest_runtest_logreport(report):
    path, sep, cell = report.nodeid.partition("::Cell ")
    if not sep or not path.endswith(".ipynb"):
        return
    outcome = "passed" if report.passed else ("failed" if report.failed else "not run")
    previous = _cell_outcomes.setdefault(path, {}).get(int(cell), ("passed", 0.0))
    if report.when == "call" or outcome == "failed":
        status = "failed" if "failed" in (outcome, previous[0]) else outcome
        _cell_outcomes[path][int(cell)] = (status, previous[1] + report.duration)


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput") or not _cell_outcomes:
        return
    import sys
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parent
    sys.path.insert(0, str(root / "scripts"))
    import ledger

    # every notebook is listed: those this run did not collect have their checks "not run"
    paths = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    outcomes = {}
    for rel, by_code_cell in sorted(_cell_outcomes.items()):
        path = root / rel
        nb = nbformat.read(path, as_version=4)
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        outcomes[path.name] = {code_cells[k]: v for k, v in by_code_cell.items() if k < len(code_cells)}
        if path.name not in {p.name for p in paths}:
            paths.append(path)
    ledger.write_ledger(ledger.ledger(ledger.run_checks(paths, outcomes)), root / "_build" / "ledger-test.json")
