"""The library's layering: modules in proof-chain order, none importing one that sits later.

``LAYERS`` is the order of the chain of the proof, with the foundations every step uses
first.  The check parses each module's imports (also those inside functions) with ``ast``,
so a lazy import cannot hide a dependency.  The package docstring lists the modules in the
same order, and README points to that list.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import natweights

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "lib" / "natweights"

LAYERS = [
    # foundations every step uses
    "validation",
    "printing",
    "progress",
    "stats",
    "plotting",
    "bounds",
    # Part I: random K-SAT and the reduction to labelled samples (DSS16)
    "ksat",
    "detectors",
    "transition",
    "growth",
    "reduction",
    "chain",
    "erm_kernel",
    "learners",
    "theorem12",
    "dnf",
    "block_baselines",
    # Part II: random networks with natural weights
    "networks",
    "weights",
    "sign_invariance",
    "embedding",
    "emulation",
    "routing",
    "conditioning",
    "refuter",
    # Part III: evidence and limits
    "polynomial",
    "fitting",
    "input_laws",
    "sweep",
    "sweep_checks",
]


def library_imports(source: str) -> set[str]:
    """Names of the natweights modules that ``source`` imports, relative or absolute, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                found.update([node.module.split(".")[0]] if node.module else [a.name for a in node.names])
            elif node.level == 0 and node.module and node.module.split(".")[0] == "natweights":
                parts = node.module.split(".")
                found.update(parts[1:2] if len(parts) > 1 else [a.name for a in node.names])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("natweights."))
    return found


def module_names() -> set[str]:
    return {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}


def test_layers_list_every_module_once():
    assert len(LAYERS) == len(set(LAYERS))
    assert set(LAYERS) == module_names()


def test_no_module_imports_a_later_one():
    position = {name: k for k, name in enumerate(LAYERS)}
    offences = []
    for name in LAYERS:
        for dep in sorted(library_imports((PACKAGE / f"{name}.py").read_text())):
            if dep not in position:
                offences.append(f"{name} imports unknown module {dep}")
            elif position[dep] >= position[name]:
                offences.append(f"{name} imports {dep}, which sits at or after it in the chain")
    assert not offences, "\n".join(offences)


def test_the_import_parser_sees_every_form():
    source = (
        "from .ksat import Formula\nfrom . import stats\nimport natweights.weights\n"
        "from natweights.embedding import NaturalEmbedding\nfrom natweights import bounds\n"
        "def f():\n    from .refuter import Refuter\n"
    )
    assert library_imports(source) == {"ksat", "stats", "weights", "embedding", "bounds", "refuter"}
    # a module that imports a later one is an offence: the check can fail
    position = {name: k for k, name in enumerate(LAYERS)}
    assert any(position[d] > position["ksat"] for d in library_imports(source))


def test_package_docstring_lists_the_modules_in_layer_order():
    listed = re.findall(r":mod:`natweights\.(\w+)`", natweights.__doc__)
    assert listed == LAYERS


def test_readme_module_references_exist_and_point_to_the_list():
    readme = (ROOT / "README.md").read_text()
    assert "lib/natweights/__init__.py" in readme, "README should point to the package's module list"
    mentioned = set(re.findall(r"natweights\.(\w+)", readme)) - {"__init__"}
    assert mentioned <= module_names(), f"README names modules that do not exist: {mentioned - module_names()}"
