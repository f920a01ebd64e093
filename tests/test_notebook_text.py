"""Numbers quoted in a notebook's Markdown must agree with the stored output they describe.

The rule (honest rather than exhaustive):

* A *quantity* is an integer written with digits, followed by a word: ``48 tuples``,
  ``46,080 tuples``, ``$128$ assignments``. In Markdown one space or line break
  separates them; in printed output one space on the same line (a column of a
  table, where the word follows after several spaces, is not a quantity).
  Thousands separators ``,`` and LaTeX's ``{,}`` are allowed. A number that is part
  of a decimal, an exponent, a name such as ``x4``, a LaTeX group such as
  ``2^{12}``, a sum such as ``n+1`` or the right side of ``c = 2`` is not a
  quantity. A count per item ("10 formulas at each n", "300 formulas per
  density") is not compared with a total, and a number followed by a function
  word ("13 and 15") counts nothing.
* Each Markdown cell is compared with the stored text output (streams and
  ``text/plain``) of the **next code cell**. A quantity in the Markdown is checked
  only when its word (case-insensitive, with or without a final "s") also occurs as
  a quantity in that output: then the output says what that number is.
* A checked quantity must equal one of the output's numbers for that word; inside
  a phrase opened by "up to" or "at most" (until the next ")", ";" or end of
  sentence) it must equal the **largest** of them.

So "(96 tuples, ...)" above an output "48 tuples" fails, and "up to 46,080 tuples and
64 assignments" above outputs with 32, 128 and 64 assignments fails (the largest is
128). Quantities whose word the next output does not mention are not checked, nor
is prose far from its output; the rule errs on the side of no false alarms.
In notebooks 02–05 this rule compares exactly two quantities (``46080 tuples`` and
``128 assignments`` in 05); it does not see decimals, "k/n" counts, ``n = ...`` values
or summary cells far from their output.

For those, :data:`CLAIM_PAIRS` lists explicit claim ↔ output pairs for notebooks
02–04 (the numbers of their "What we verified" summaries and of the text that
quotes a printed count or decimal): the Markdown phrase must occur in some
Markdown cell (whitespace-normalised) and the regular expression must match the
notebook's stored stream output. Changing either side (a referee's edit of the
text, or a re-run that prints another number) fails
:func:`test_claim_pairs_hold`; :func:`test_claim_pairs_catch_edited_text`
shows that edits of the text are caught.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))

_NUMBER = r"(?<![\w.^{}\\/+*=<>-])(?<![=<>] )\$?(\d{1,3}(?:(?:,|\{,\})\d{3})+|\d+)\$?(?![\w.^/])"
_QUANTITY = re.compile(_NUMBER + r"\s([A-Za-z][A-Za-z-]{2,})")
_QUANTITY_ONE_LINE = re.compile(_NUMBER + r" ([A-Za-z][A-Za-z-]{2,})")
_PER = re.compile(r"\s+(?:per|each|at each|for each|in each|on each|a|an)\b", re.IGNORECASE)
# function words are not what a number counts ("Lemmas 13 and 15", "K = 3, 4 and ...")
_NOT_NOUNS = {
    "and",
    "or",
    "nor",
    "the",
    "of",
    "to",
    "in",
    "at",
    "on",
    "for",
    "with",
    "from",
    "by",
    "are",
    "is",
    "was",
    "were",
    "but",
    "than",
    "then",
    "so",
    "as",
    "if",
    "into",
    "out",
    "over",
    "under",
    "via",
}
_SCOPE = re.compile(r"\b(?:up to|at most)\b([^.;)]*)", re.IGNORECASE)


def _value(text: str) -> int:
    return int(text.replace("{,}", "").replace(",", ""))


def _noun(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def quantities(text: str, one_line: bool = False) -> list[tuple[int, str, int]]:
    """(value, noun, position) of every quantity in ``text``.

    Markdown wraps lines, so there the word may follow a line break; in printed
    output (``one_line=True``) it must follow on the same line after one space.
    """
    pattern = _QUANTITY_ONE_LINE if one_line else _QUANTITY
    return [
        (_value(m.group(1)), _noun(m.group(2)), m.start())
        for m in pattern.finditer(text)
        if not _PER.match(text, m.end()) and m.group(2).lower() not in _NOT_NOUNS
    ]


def _cell_text(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _output_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            text = out.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
        elif "data" in out and "text/plain" in out["data"]:
            text = out["data"]["text/plain"]
            parts.append("".join(text) if isinstance(text, list) else text)
    return "\n".join(parts)


def text_mismatches(notebook: dict) -> list[str]:
    """Every Markdown quantity that contradicts the stored output of the next code cell."""
    cells = notebook["cells"]
    problems = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        nxt = next((c for c in cells[i + 1 :] if c["cell_type"] == "code"), None)
        if nxt is None:
            continue
        seen: dict[str, set[int]] = {}
        for value, noun, _ in quantities(_output_text(nxt), one_line=True):
            seen.setdefault(noun, set()).add(value)
        if not seen:
            continue
        text = _cell_text(cell)
        scoped = [(m.start(1), m.end(1)) for m in _SCOPE.finditer(text)]
        for value, noun, pos in quantities(text):
            if noun not in seen:
                continue
            if any(a <= pos < b for a, b in scoped):
                if value != max(seen[noun]):
                    problems.append(
                        f"cell {i}: 'up to {value} {noun}(s)' but the largest in the output is {max(seen[noun])}"
                    )
            elif value not in seen[noun]:
                problems.append(f"cell {i}: '{value} {noun}(s)' but the output has {sorted(seen[noun])}")
    return problems


def _markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def _code(output):
    return {
        "cell_type": "code",
        "metadata": {},
        "source": "",
        "execution_count": 1,
        "outputs": [{"output_type": "stream", "name": "stdout", "text": output}],
    }


def test_checker_catches_the_two_known_contradictions():
    synthetic = {
        "cells": [
            _markdown(
                "We check all three parts exhaustively for $n = 4$, $K = 2$ (96 tuples, 16 values of "
                "$\\rho$, 16 assignments)."
            ),
            _code("C1 checked on all 48 tuples, 16 values of rho and 256 (rho, psi) pairs\n"),
            _markdown("for three small cases (up to 46,080 tuples and 64\nassignments). We also check"),
            _code(
                "n = 5, K = 2, M = 2: 1920 tuples x 32 assignments, DNF\n"
                "n = 7, K = 1, M = 4: 13440 tuples x 128 assignments, DNF\n"
                "n = 6, K = 3, M = 2: 46080 tuples x 64 assignments, DNF\n"
            ),
        ]
    }
    problems = text_mismatches(synthetic)
    assert len(problems) == 2, problems
    assert "96 tuple" in problems[0] and "48" in problems[0]
    assert "64 assignment" in problems[1] and "128" in problems[1]


def test_checker_accepts_the_corrected_text():
    synthetic = {
        "cells": [
            _markdown("exhaustively (48 tuples, 16 values of $\\rho$, 16 assignments)."),
            _code("C1 checked on all 48 tuples, 16 values of rho and 256 (rho, psi) pairs\n"),
            _markdown("three cases (up to 46{,}080 tuples and 128 assignments)."),
            _code("1920 tuples x 32 assignments\n13440 tuples x 128 assignments\n46080 tuples x 64 assignments\n"),
        ]
    }
    assert text_mismatches(synthetic) == []


def test_quantities_skip_decimals_exponents_and_names():
    assert (
        quantities(
            "0.207 constraints, 2^{12} hypotheses, x4 variables, 1e-9 tolerance, $n+1$ groups, "
            "$c = 2$ repaired, 3  repaired, $10$ formulas at each $n$, 300 formulas per density, "
            "Lemmas 13 and 15"
        )
        == []
    )
    assert [(v, w) for v, w, _ in quantities("46,080 tuples and $300$ formulas")] == [
        (46080, "tuple"),
        (300, "formula"),
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_text_agrees_with_stored_outputs(path):
    problems = text_mismatches(json.loads(path.read_text()))
    assert not problems, f"{path.name}: " + "; ".join(problems)


# (notebook stem, phrase in a Markdown cell, regex on the stored stream output)
CLAIM_PAIRS = [
    (
        "02_scattered_samples",
        "realizable sample (20/20;",
        r"Thm 12, exact ERM\s+accepts realizable 20/20 .*\nThm 12, memoriser\s+accepts realizable 20/20 ",
    ),
    ("02_scattered_samples", "scattered one (0/20)", r"(?m)^Thm 12, exact ERM .*scattered  0/20 "),
    ("02_scattered_samples", "$[0.7673, 1]$", r"P\(accept realizable\): 1\.0000  99% CI \[0\.7673, 1\.0000\]"),
    (
        "02_scattered_samples",
        "all 4000 of their test examples",
        r"held-out, memoriser\s+accepts realizable\s+0/20 \(errors 4000/4000\)",
    ),
    ("02_scattered_samples", "reject 20/20 realizable samples", r"held-out, memoriser\s+accepts realizable\s+0/20"),
    ("03_disjoint_blocks", "(300 planted formulas)", r"300/300 planted formulas"),
    ("03_disjoint_blocks", "1920 cells at $n=5$", r"; 1920 cells, counts"),
    ("03_disjoint_blocks", "still 0.02 at $n = 3000$", r"(?m)^ 3000 .* 0\.02\d\d   0\.000"),
    ("03_disjoint_blocks", "fewer than $21$ disjoint", r"(?m)^  100 +16 +21 "),
    ("03_disjoint_blocks", "0.405 [0.365, 0.446] at $n = 100$", r"(?m)^  100 .*0\.405 \[0\.365, 0\.446\]"),
    ("03_disjoint_blocks", "$(1 - 7^{-1/2})/3 = 0.2073$", r"kappa_3 = \(1 - 7\^\(-1/2\)\)/3 = 0\.2073"),
    ("04_labelled_samples", "(0.29, 0.26, 0.22, 0.17", r"claim == 0\.29\d\d"),
    (
        "04_labelled_samples",
        "from $n = 686$, $1{,}799$, $3{,}104$, $4{,}539$ with the repaired",
        r"(?m)^3  repaired M >= 2\^\(K\+1\) ln m +686 \[ +686\] +1,799 \[ *1,799\] +3,104 \[ *3,113\] +4,539 ",
    ),
]


def claim_pair_mismatches(notebook: dict, pairs) -> list[str]:
    """The pairs whose Markdown phrase is missing or whose output regex does not match."""
    markdown = [" ".join(_cell_text(c).split()) for c in notebook["cells"] if c["cell_type"] == "markdown"]
    output = "".join(
        "".join(o.get("text", ""))
        for c in notebook["cells"]
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    bad = []
    for phrase, pattern in pairs:
        if not any(phrase in m for m in markdown):
            bad.append(f"text no longer says {phrase!r}")
        elif not re.search(pattern, output):
            bad.append(f"{phrase!r}: no output matches {pattern!r}")
    return bad


def _load(stem):
    return json.loads((Path(NOTEBOOKS[0]).parent / f"{stem}.ipynb").read_text())


@pytest.mark.parametrize("stem", sorted({p[0] for p in CLAIM_PAIRS}))
def test_claim_pairs_hold(stem):
    pairs = [(a, b) for s, a, b in CLAIM_PAIRS if s == stem]
    assert claim_pair_mismatches(_load(stem), pairs) == []


# edits of the Markdown a referee made; each must break a claim pair
_EDITS = [
    ("03_disjoint_blocks", "300 planted formulas", "200 planted formulas"),
    ("03_disjoint_blocks", "still 0.02", "still 0.2"),
    ("03_disjoint_blocks", "fewer than $21$", "fewer than $12$"),
    ("03_disjoint_blocks", "1920 cells at", "1902 cells at"),
    ("02_scattered_samples", "all 4000 of their", "all 3000 of their"),
    ("02_scattered_samples", "(20/20;", "(19/20;"),
    ("04_labelled_samples", "(0.29, 0.26", "(0.39, 0.26"),
    ("04_labelled_samples", "from $n = 686$, $1{,}799$", "from $n = 1{,}799$, $3{,}104$"),
]


@pytest.mark.parametrize("stem, old, new", _EDITS)
def test_claim_pairs_catch_edited_text(stem, old, new):
    nb = _load(stem)
    pairs = [(a, b) for s, a, b in CLAIM_PAIRS if s == stem]
    hits = 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = _cell_text(cell)
            flat = " ".join(text.split())
            if old in flat:
                hits += 1
                cell["source"] = flat.replace(old, new)
    assert hits, f"edit target {old!r} not found"
    assert claim_pair_mismatches(nb, pairs)
