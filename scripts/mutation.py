"""Mutation testing of the core library modules against their unit tests (mutmut), per module.

Run through ``scripts/mutation.sh`` (see there for usage). For each module the library is laid out
in a staging copy ``_build/mutation/<module>/`` as ``src/natweights`` (mutmut imports mutated code
from ``src/``, not from ``lib/``), next to a copy of ``tests/`` and a small ``pyproject.toml`` that
points mutmut at that one module and at the module's unit-test files (no notebooks, no nbval).

Every mutant is a small change of one function (an operator, a constant, an argument). It is
*killed* when some selected test fails, *survived* when all pass. Survivors are either killed by a
new test or listed, with the reason they cannot change behaviour, in ``tests/mutation_equivalent.md``;
the score table counts those listed survivors separately.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = ROOT / "_build" / "mutation"
REPORT_JSON = ROOT / "_build" / "mutation.json"
REPORT_MD = ROOT / "_build" / "mutation.md"
RECORD = ROOT / "book" / "mutation-scores.json"
EQUIVALENT = ROOT / "tests" / "mutation_equivalent.md"

# The unit-test files that exercise each module (tests/test_validation.py checks every public
# function's argument errors). mutmut runs, per mutant, only the selected tests that call the
# mutated function.
MODULE_TESTS = {
    "bounds": ["test_bounds_stats.py", "test_bounds_exact.py", "test_validation.py"],
    "ksat": [
        "test_ksat.py",
        "test_properties.py",
        "test_validation.py",
        "test_validation_dimacs.py",
        "test_validation_unknown.py",
    ],
    "reduction": ["test_reduction.py", "test_properties.py", "test_validation.py"],
    "networks": ["test_networks.py", "test_validation.py"],
    "embedding": ["test_embedding.py", "test_properties.py", "test_validation.py"],
    "learners": ["test_learners.py", "test_properties.py", "test_validation.py"],
}

PYTEST_ARGS = [
    "-p",
    "no:nbval",
    "-p",
    "no:cacheprovider",
    "-o",
    "addopts=",
    "-q",
    # hypothesis draws the same examples for every mutant
    "--hypothesis-seed=0",
]

# mutmut's exit-code convention (mutmut.stats.status_by_exit_code), folded into the columns we report
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
}
MUTANT = re.compile(r"`(natweights\.[A-Za-z_0-9.ǁ]+__mutmut_\d+)`")


def stage(module: str) -> Path:
    """Lay out _build/mutation/<module> for mutmut: src/natweights, tests/, pyproject.toml."""
    where = STAGE / module
    shutil.rmtree(where, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    shutil.copytree(ROOT / "lib" / "natweights", where / "src" / "natweights", ignore=ignore)
    shutil.copytree(ROOT / "tests", where / "tests", ignore=ignore)
    tests = [f"tests/{name}" for name in MODULE_TESTS[module]]
    toml = "\n".join(
        [
            "[tool.mutmut]",
            'source_paths = ["src/"]',
            f'only_mutate = ["src/natweights/{module}.py"]',
            f"pytest_add_cli_args = {json.dumps(PYTEST_ARGS)}",
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}",
            "use_git_change_detection = false",
            "",
            "[tool.pytest.ini_options]",
            'markers = ["slow: long-running checks", "browser: headless Chromium"]',
            "",
        ]
    )
    (where / "pyproject.toml").write_text(toml)
    return where


def run_mutmut(where: Path, module: str) -> float:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the staged src/ must be the only natweights on the path
    # mutmut forks every mutant's test run from a process that has run the parallel ERM kernel; under GNU
    # OpenMP numba kills such a child (SIGTERM), its own work-queue layer is fork-safe
    env["NUMBA_THREADING_LAYER"] = "workqueue"
    mutmut = Path(sys.executable).with_name("mutmut")
    start = time.perf_counter()
    with open(where / "mutmut.log", "w") as log:
        proc = subprocess.run(
            [str(mutmut), "run", "--max-children", "1"],
            check=False,
            cwd=where,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (where / "mutmut.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"mutmut failed on {module} (exit {proc.returncode}); end of {where / 'mutmut.log'}:\n{tail}")
    return seconds


def equivalent_mutants() -> dict[str, set[str]]:
    """Mutant names listed in tests/mutation_equivalent.md, by module."""
    found: dict[str, set[str]] = {}
    if EQUIVALENT.exists():
        for name in MUTANT.findall(EQUIVALENT.read_text()):
            found.setdefault(name.split(".")[1], set()).add(name)
    return found


def collect(where: Path, module: str, seconds: float, equivalent: set[str]) -> dict:
    meta = json.loads((where / "mutants" / "src" / "natweights" / f"{module}.py.meta").read_text())
    status = {name: STATUS.get(code, "other") for name, code in meta["exit_code_by_key"].items()}
    counts = {
        key: sum(1 for s in status.values() if s == key)
        for key in ("killed", "survived", "timeout", "no tests", "skipped", "other")
    }
    survivors = sorted((name for name, s in status.items() if s == "survived"), key=_natural)
    listed = [name for name in survivors if name in equivalent]
    tested = len(status) - counts["skipped"]
    caught = counts["killed"] + counts["timeout"]
    return {
        **{key.replace(" ", "_"): value for key, value in counts.items()},
        "total": len(status),
        "equivalent": len(listed),
        "score": round(100 * caught / tested, 1) if tested else 0.0,
        "score_without_equivalent": round(100 * caught / (tested - len(listed)), 1) if tested > len(listed) else 100.0,
        "runtime_s": round(seconds, 1),
        "unexplained_survivors": [name for name in survivors if name not in equivalent],
        "listed_but_not_surviving": sorted(equivalent - set(survivors), key=_natural),
    }


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def markdown(report: dict) -> str:
    lines = [
        "| module | killed | survived | timeout | total | score | equivalent | score without equivalent | run (s) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for module, r in report["modules"].items():
        lines.append(
            f"| `{module}` | {r['killed']} | {r['survived']} | {r['timeout']} | {r['total']} | "
            f"{r['score']:.1f} % | {r['equivalent']} | {r['score_without_equivalent']:.1f} % | "
            f"{r['runtime_s']:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "modules",
        nargs="*",
        metavar="MODULE",
        help=f"modules to mutate (default: all of {', '.join(MODULE_TESTS)})",
    )
    parser.add_argument(
        "--record",
        action="store_true",
        help=f"also write the scores (no mutant lists) of the modules run to {RECORD.relative_to(ROOT)} for the "
        "status page, keeping the other modules' recorded entries",
    )
    parser.add_argument(
        "--show",
        action="store_true",
        help="print the diff of every unexplained survivor",
    )
    parser.add_argument(
        "--recount",
        action="store_true",
        help="do not run mutmut: count the last run's results in _build/mutation/<module> again against the "
        "current tests/mutation_equivalent.md (after adding entries to it)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 if a survivor is not listed in tests/mutation_equivalent.md",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.modules) - set(MODULE_TESTS))
    if unknown:
        parser.error(f"unknown module(s) {', '.join(unknown)}; choose from {', '.join(MODULE_TESTS)}")
    modules = args.modules or list(MODULE_TESTS)

    equivalent = equivalent_mutants()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "lib", "tests"],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    commit = commit.strip() + ("+changes" if dirty.stdout.strip() else "")
    report = {
        "tool": f"mutmut {version('mutmut')}",
        "date": date.today().isoformat(),
        "commit": commit,
        "modules": {},
    }
    if REPORT_JSON.exists() and (args.recount or set(modules) != set(MODULE_TESTS)):
        # a partial run updates its modules in the last full report
        report["modules"] = json.loads(REPORT_JSON.read_text()).get("modules", {})
    for module in modules:
        print(
            f"{module}: mutating against {', '.join(MODULE_TESTS[module])} ...",
            flush=True,
        )
        if args.recount:
            where = STAGE / module
            if not (where / "mutants" / "src" / "natweights" / f"{module}.py.meta").exists():
                parser.error(f"--recount: no finished run of {module} under {where.relative_to(ROOT)}")
            seconds = report["modules"].get(module, {}).get("runtime_s", 0.0)
        else:
            where = stage(module)
            seconds = run_mutmut(where, module)
        r = collect(where, module, seconds, equivalent.get(module, set()))
        report["modules"][module] = r
        print(
            f"{module}: {r['killed']} killed, {r['survived']} survived ({r['equivalent']} listed as equivalent), "
            f"{r['timeout']} timeout of {r['total']} in {seconds:.0f} s",
            flush=True,
        )
        for name in r["unexplained_survivors"]:
            print(f"  survived: {name}")
            if args.show:
                diff = subprocess.run(
                    [str(Path(sys.executable).with_name("mutmut")), "show", name],
                    check=False,
                    cwd=where,
                    capture_output=True,
                    text=True,
                ).stdout
                print("    " + "\n    ".join(diff.splitlines()[5:]))
        for name in r["listed_but_not_surviving"]:
            print(f"  listed as equivalent but not surviving (update the list): {name}")
    report["modules"] = {m: report["modules"][m] for m in MODULE_TESTS if m in report["modules"]}

    REPORT_JSON.parent.mkdir(exist_ok=True)
    REPORT_JSON.write_text(json.dumps(report, indent=1) + "\n")
    REPORT_MD.write_text(markdown(report))
    print()
    print(markdown(report), end="")
    print(f"written: {REPORT_JSON.relative_to(ROOT)}, {REPORT_MD.relative_to(ROOT)}")
    if args.record:
        keep = (
            "killed",
            "survived",
            "timeout",
            "total",
            "equivalent",
            "score",
            "score_without_equivalent",
            "runtime_s",
        )
        # a partial run replaces its modules' entries and keeps the others' last recorded ones; each entry
        # names the commit and date it was measured at
        previous = json.loads(RECORD.read_text()).get("modules", {}) if RECORD.exists() else {}
        fresh = {
            m: {**{k: r[k] for k in keep}, "commit": report["commit"], "date": report["date"]}
            for m, r in report["modules"].items()
            if m in modules
        }
        merged = {**previous, **fresh}
        recorded = {
            **{k: report[k] for k in ("tool", "date", "commit")},
            "modules": {m: merged[m] for m in MODULE_TESTS if m in merged},
        }
        RECORD.write_text(json.dumps(recorded, indent=1) + "\n")
        print(f"recorded: {RECORD.relative_to(ROOT)}")
    unexplained = sum(len(r.get("unexplained_survivors", [])) for r in report["modules"].values())
    return 1 if args.strict and unexplained else 0


if __name__ == "__main__":
    raise SystemExit(main())
