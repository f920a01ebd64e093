"""The ruff gate: lint and format check over lib/, tests/, scripts/, benchmarks/ and the
notebooks' code cells (configuration in pyproject.toml, [tool.ruff])."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args):
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize(
    "args", [("check", "--no-cache", "."), ("format", "--check", "--no-cache", ".")], ids=["lint", "format"]
)
def test_ruff_gate(args):
    result = ruff(*args)
    assert result.returncode == 0, f"ruff {' '.join(args)} found problems:\n{result.stdout}{result.stderr}"


def test_gate_covers_notebooks_and_scripts():
    listed = ruff("check", "--no-cache", "--show-files", ".").stdout
    for part in (
        "lib/natweights/ksat.py",
        "scripts/build_book.py",
        "benchmarks/",
        "tests/test_style.py",
        "notebooks/01_random_ksat.ipynb",
    ):
        assert part in listed, f"ruff does not check {part}"


def test_gate_rejects_a_finding(tmp_path):
    (tmp_path / "bad.py").write_text("import os\nx = 1\n")
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    lint = subprocess.run(
        [exe, "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), "bad.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert lint.returncode != 0 and "F401" in lint.stdout
