"""The claims page and the notebooks' claim tags agree, and every claim has a check that can fail.

A code cell that checks claim Cn carries the tag ``claim:Cn`` (scripts/ledger.py).
"""

import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import ledger  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PAGE = ledger.page_claims()


def tagged_cells():
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for index, cell in enumerate(nb.cells):
            claims = ledger.cell_claims(cell)
            if claims:
                yield path.stem, index, cell, claims


TAGGED = list(tagged_cells())


def test_page_lists_every_claim():
    assert sorted(PAGE, key=ledger.claim_order) == [f"C{i}" for i in range(1, 20)]


def test_tags_name_known_claims_on_code_cells():
    for name, index, cell, claims in TAGGED:
        assert cell.cell_type == "code", f"{name} cell {index}: claim tags belong on code cells"
        unknown = set(claims) - set(PAGE)
        assert not unknown, f"{name} cell {index}: unknown claims {sorted(unknown)}"


@pytest.mark.parametrize("claim", sorted(PAGE, key=ledger.claim_order))
def test_claim_has_tagged_cell_with_assert(claim):
    cells = [
        (name, index) for name, index, cell, claims in TAGGED if claim in claims and ledger.has_assert(cell.source)
    ]
    assert cells, f"{claim}: no code cell tagged claim:{claim} contains an assert"


@pytest.mark.parametrize("claim", sorted(PAGE, key=ledger.claim_order))
def test_page_links_the_notebooks_that_check_it(claim):
    tagged = {name for name, _, _, claims in TAGGED if claim in claims}
    assert PAGE[claim] == tagged, (
        f"{claim}: the claims page links {sorted(PAGE[claim])}, the tags are in {sorted(tagged)}"
    )


def test_malformed_tag_is_refused():
    with pytest.raises(ValueError, match="malformed claim tag"):
        ledger.cell_claims({"metadata": {"tags": ["claim:5"]}})


def test_interval_lines_are_read_from_outputs():
    from natweights.stats import check_probability_bound

    line = str(check_probability_bound(3, 1000, 0.01, label="P(fail)"))
    cell = {"outputs": [{"output_type": "stream", "name": "stdout", "text": line + "\n"}]}
    (found,) = ledger.interval_checks(cell)
    assert found["relation"] == "<=" and found["bound"] == 0.01 and found["verdict"] == "consistent"
    assert found["lo"] <= 0.003 <= found["hi"]


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    for source, tags, output in cells:
        cell = nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        if output:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=output)]
        nb.cells.append(cell)
    return nb


def test_failing_tagged_cell_fails_its_claim():
    nb = _notebook(
        ("x = 1", [], ""), ("assert x == 2", ["claim:C5"], ""), ("assert x == 1", ["claim:C5", "claim:C6"], "")
    )
    checks = ledger.notebook_checks(nb, "03_test.ipynb", {0: ("passed", 0.1), 1: ("failed", 0.2), 2: ("passed", 0.3)})
    result = ledger.ledger(checks)
    assert result["C5"]["status"] == "failed" and result["C6"]["status"] == "passed"
    assert [(c["cell"], c["status"]) for c in result["C5"]["checks"]] == [(1, "failed"), (2, "passed")]
    assert result["C5"]["seconds"] == 0.5
    assert result["C1"]["status"] == "no check"
    assert "| failed |" in ledger.ledger_markdown(result).split("C5 <claim-C5>")[1].splitlines()[0]


def test_cells_after_a_failure_and_unrun_notebooks_are_not_run(tmp_path):
    nb = _notebook(("assert False", ["claim:C7"], ""), ("assert True", ["claim:C8"], ""))
    checks = ledger.notebook_checks(nb, "05_test.ipynb", {0: ("failed", 0.1)})
    assert [c.status for c in checks] == ["failed", "not run"]
    path = tmp_path / "06_other.ipynb"
    nbformat.write(_notebook(("assert True", ["claim:C9"], "")), path)
    (unrun,) = ledger.run_checks([path], {})
    assert unrun.status == "not run" and ledger.ledger([unrun])["C9"]["status"] == "incomplete"
    (stored,) = ledger.run_checks([path], None)
    assert stored.status == "stored" and ledger.ledger([stored])["C9"]["status"] == "stored outputs"


def test_acceptance_lines_are_read_from_outputs():
    from natweights.refuter import check_acceptance

    text = "\n".join(
        str(check_acceptance(k, 40, b, side, raise_on_violation=False))
        for k, b, side in ((40, 0.37, "planted"), (0, 1e-6, "random"), (12, 0.01, "random"))
    )
    found = ledger.interval_checks({"outputs": [{"output_type": "stream", "text": text + "\n"}]})
    assert [(f["relation"], f["verdict"]) for f in found] == [
        (">=", "demonstrated"),
        ("<=", "consistent"),
        ("<=", "VIOLATED"),
    ]
    assert found[1]["bound"] == 1e-6 and found[0]["lo"] > 0.37


def test_interval_label_may_contain_colons():
    from natweights.stats import check_probability_bound

    line = str(check_probability_bound(3, 20, 0.75, ">=", label="Thm 12, ERM: P(accept)", raise_on_violation=False))
    (found,) = ledger.interval_checks({"outputs": [{"output_type": "stream", "text": "    " + line + "\n"}]})
    assert found["label"] == "Thm 12, ERM: P(accept)" and found["verdict"] == "VIOLATED"


def test_main_job_records_a_failing_tagged_cell(tmp_path):
    """The executor of scripts/build_book.py reports a failing tagged cell as failed (a real kernel)."""
    import build_book
    from nbclient.exceptions import CellExecutionError

    path = tmp_path / "05_fails.ipynb"
    nbformat.write(
        _notebook(
            ("x = 1", [], ""), ("assert x == 2, 'claim false'", ["claim:C7"], ""), ("print(x)", ["claim:C8"], "")
        ),
        path,
    )
    outcomes = {}
    with pytest.raises(CellExecutionError):
        build_book.execute(path, timeout=60, outcomes=outcomes)
    assert outcomes[0][0] == "passed" and outcomes[1][0] == "failed" and 2 not in outcomes
    result = ledger.ledger(ledger.run_checks([path], {path.name: outcomes}))
    assert result["C7"]["status"] == "failed" and result["C8"]["status"] == "incomplete"
