"""The claims ledger: which code cells check which claim, and how the checks came out.

A code cell that checks claim ``Cn`` carries the cell tag ``claim:Cn`` (several tags allowed).
The claims themselves are the labelled statements ``claim-Cn`` of ``book/claims.md``.

Used by ``scripts/build_book.py`` (the main job records each tagged cell's outcome and time while
it executes the notebooks) and by ``tests/test_claims.py`` (tags and claims page agree; every
claim has a tagged cell containing an assert). Interval checks are read from the cell's printed
output in the formats of ``natweights.stats.IntervalCheck`` and ``natweights.refuter.AcceptanceCheck``::

    label: 0.0123  99% CI [0.0100, 0.0150]  claim <= 0.0500  consistent
    planted: 40/40 runs accepted, rate 1.000, 99% CI [0.876, 1.000]; claim rate >= 0.37: demonstrated

A check whose interval the cell does not print (for example one computed inside a loop and only
asserted) is listed with its outcome and time but without an interval.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLAIMS_PAGE = ROOT / "book" / "claims.md"
TAG = re.compile(r"^claim:(C\d+)$")
LABEL = re.compile(r"^:label: claim-(C\d+)\s*$", re.MULTILINE)
INTERVAL = re.compile(
    r"^\s*(?P<label>[^\n]+?): (?P<estimate>-?[\d.]+)\s+(?P<confidence>\d+)% CI "
    r"\[(?P<lo>-?[\d.]+), (?P<hi>-?[\d.]+)\]\s+claim (?P<relation><=|>=|==) (?P<bound>-?[\d.e+-]+)\s+"
    r"(?P<verdict>consistent|VIOLATED)",
    re.MULTILINE,
)

ACCEPTANCE = re.compile(
    r"^\s*(?P<label>planted|random)\s*: (?P<k>\d+)/(?P<runs>\d+) runs accepted, rate (?P<estimate>[\d.]+), "
    r"(?P<confidence>\d+)% CI \[(?P<lo>[\d.]+), (?P<hi>[\d.]+)\]; claim rate (?P<relation><=|>=) "
    r"(?P<bound>[\d.e+-]+): (?P<verdict>demonstrated|NOT demonstrated|consistent|VIOLATED)",
    re.MULTILINE,
)


def claim_order(claim: str) -> int:
    return int(claim[1:])


def page_claims(page: Path = CLAIMS_PAGE) -> dict[str, set[str]]:
    """Claims labelled on the claims page, each with the notebooks its block links to."""
    text = page.read_text()
    out: dict[str, set[str]] = {}
    blocks = re.split(r"^```\{prf:", text, flags=re.MULTILINE)[1:]
    for block in blocks:
        body = block.split("\n```", 1)[0]
        match = LABEL.search(body)
        if match is None or not match.group(1).startswith("C"):
            continue
        out[match.group(1)] = set(re.findall(r"\(\.\./notebooks/(\d\d_[\w]+)\.ipynb\)", body))
    return out


def cell_claims(cell) -> list[str]:
    """Claim ids named by a cell's ``claim:Cn`` tags (an unknown form raises ValueError)."""
    claims = []
    for tag in cell.get("metadata", {}).get("tags", []):
        if tag.startswith("claim:"):
            match = TAG.match(tag)
            if match is None:
                raise ValueError(f"malformed claim tag {tag!r}: expected 'claim:C<number>'")
            claims.append(match.group(1))
    return claims


def output_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out and "text/plain" in out["data"]:
            parts.append(out["data"]["text/plain"])
    return "".join(parts if all(isinstance(p, str) for p in parts) else ["".join(p) for p in parts])


def interval_checks(cell) -> list[dict]:
    """The interval checks printed by a cell (natweights.stats.IntervalCheck format)."""
    text = output_text(cell)
    found = []
    for m in INTERVAL.finditer(text):
        found.append(
            {
                "label": m["label"].strip(),
                "estimate": float(m["estimate"]),
                "lo": float(m["lo"]),
                "hi": float(m["hi"]),
                "relation": m["relation"],
                "bound": float(m["bound"]),
                "confidence": int(m["confidence"]) / 100,
                "verdict": m["verdict"],
            }
        )
    for m in ACCEPTANCE.finditer(text):
        found.append(
            {
                "label": f"{m['label']}: per-run acceptance {m['k']}/{m['runs']}",
                "estimate": float(m["estimate"]),
                "lo": float(m["lo"]),
                "hi": float(m["hi"]),
                "relation": m["relation"],
                "bound": float(m["bound"]),
                "confidence": int(m["confidence"]) / 100,
                "verdict": m["verdict"],
            }
        )
    return found


def has_assert(source: str) -> bool:
    return re.search(r"^\s*assert\b", source, flags=re.MULTILINE) is not None


@dataclass
class Check:
    notebook: str
    cell: int  # index among all cells of the notebook
    claims: list[str]
    status: str  # "passed", "failed", "not run", "stored" (outputs as stored, not executed)
    seconds: float | None = None
    intervals: list[dict] = field(default_factory=list)


def notebook_checks(nb, name: str, outcomes: dict[int, tuple[str, float]] | None = None) -> list[Check]:
    """One Check per tagged code cell; ``outcomes`` maps cell index -> (status, seconds)."""
    checks = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        claims = cell_claims(cell)
        if not claims:
            continue
        status, seconds = (outcomes or {}).get(index, ("stored" if outcomes is None else "not run", None))
        checks.append(Check(name, index, claims, status, seconds, interval_checks(cell)))
    return checks


def run_checks(paths, outcomes: dict[str, dict[int, tuple[str, float]]] | None, read=None) -> list[Check]:
    """Checks of every notebook in ``paths`` (a list of Paths). ``outcomes`` maps a notebook's file name to
    its cell outcomes (cell index -> (status, seconds)); a notebook missing from it was not run, so its
    checks are "not run". Without ``outcomes`` every check is "stored". ``read(path)`` returns the notebook
    (default: ``nbformat.read`` of the path)."""
    import nbformat

    checks = []
    for path in paths:
        nb = read(path) if read is not None else nbformat.read(path, as_version=4)
        cells = None if outcomes is None else outcomes.get(path.name, {})
        checks += notebook_checks(nb, path.name, cells)
    return checks


def ledger(checks: list[Check]) -> dict:
    """Per claim: its checks, overall status (passed only if every check passed), total time."""
    claims = sorted(page_claims(), key=claim_order)
    out = {}
    for claim in claims:
        mine = [c for c in checks if claim in c.claims]
        statuses = {c.status for c in mine}
        if not mine:
            overall = "no check"
        elif statuses == {"passed"}:
            overall = "passed"
        elif "failed" in statuses:
            overall = "failed"
        elif statuses == {"stored"}:
            overall = "stored outputs"
        else:
            overall = "incomplete"
        seconds = [c.seconds for c in mine if c.seconds is not None]
        out[claim] = {
            "status": overall,
            "seconds": round(sum(seconds), 1) if seconds else None,
            "checks": [asdict(c) for c in mine],
        }
    return out


def write_ledger(result: dict, json_path: Path) -> None:
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(result, indent=1) + "\n")


def ledger_markdown(result: dict) -> str:
    lines = [
        "## Claims ledger",
        "",
        (
            "Each claim of [the claims page](claims.md), the code cells tagged as checking it, and how they "
            "came out in this build. Interval checks are shown with their bound where the cell prints them "
            "(checks asserted inside a loop without printing show none)."
        ),
        "",
        "| claim | status | checks (notebook: cell) | time (s) | interval checks |",
        "|---|---|---|---|---|",
    ]
    for claim, entry in result.items():
        cells = ", ".join(f"{c['notebook'][:2]}: {c['cell']}" for c in entry["checks"]) or "—"
        intervals = (
            "; ".join(
                f"{i['label']} [{i['lo']:.4f}, {i['hi']:.4f}] {i['relation']} {i['bound']:.4g} ({i['verdict']})"
                for c in entry["checks"]
                for i in c["intervals"]
            )
            or "—"
        )
        seconds = "—" if entry["seconds"] is None else f"{entry['seconds']:.1f}"
        lines.append(
            f"| {{prf:ref}}`{claim} <claim-{claim}>` | {entry['status']} | {cells} | {seconds} | {intervals} |"
        )
    return "\n".join(lines) + "\n"
