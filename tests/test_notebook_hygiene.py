"""Notebook files hold only what the bless script produces: no stray editor metadata, streams
coalesced, and `nbval-ignore-output` only on cells whose output is a figure or a timing."""

import itertools
import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NOTEBOOK_KEYS = {"kernelspec", "language_info"}
CELL_KEYS = {"tags"}
KNOWN_TAGS = re.compile(r"^(nbval-ignore-output|claim:C\d+)$")
TIMING = re.compile(r"\d+\.\d+ s\b")


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_notebook_metadata(nb):
    assert set(nb.metadata) <= NOTEBOOK_KEYS, f"unexpected notebook metadata {set(nb.metadata) - NOTEBOOK_KEYS}"
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_cell_metadata_and_tags(nb):
    for index, cell in enumerate(nb.cells):
        extra = set(cell.metadata) - CELL_KEYS
        assert not extra, f"cell {index}: unexpected metadata {sorted(extra)}"
        for tag in cell.metadata.get("tags", []):
            assert KNOWN_TAGS.match(tag), f"cell {index}: unknown tag {tag!r}"
        for out in cell.get("outputs", []):
            assert not out.get("metadata", {}).get("execution"), f"cell {index}: timing metadata in an output"


def test_outputs_as_blessed(nb):
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs or "nbval-ignore-output" not in cell.metadata.get("tags", []), (
            f"cell {index}: nbval-ignore-output on a cell without output"
        )
        kinds = [(o.output_type, o.get("name")) for o in cell.outputs]
        for a, b in itertools.pairwise(kinds):
            assert not (a == b and a[0] == "stream"), f"cell {index}: consecutive {a[1]} streams (not coalesced)"
        assert all(o.output_type != "error" for o in cell.outputs), f"cell {index}: stored error output"


def test_ignore_output_only_on_figures_and_timings(nb):
    for index, cell in enumerate(nb.cells):
        if "nbval-ignore-output" not in cell.metadata.get("tags", []):
            continue
        figure = any("image/png" in o.get("data", {}) for o in cell.outputs)
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert figure or TIMING.search(text), (
            f"cell {index}: nbval-ignore-output hides an output that is neither a figure nor a timing"
        )
