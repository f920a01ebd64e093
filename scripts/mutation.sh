#!/usr/bin/env bash
# Mutation testing of the core library modules (ksat, reduction, bounds, networks, embedding,
# learners) against their unit tests, with mutmut (the `mutation` extra of pyproject.toml).
# Not part of the test command: it runs each module's unit tests once per mutant, several
# minutes in all on two cores.
#
#   bash scripts/mutation.sh                 # all six modules
#   bash scripts/mutation.sh bounds ksat     # some modules (updates them in the last report)
#   bash scripts/mutation.sh --show          # also print the diff of every unexplained survivor
#   bash scripts/mutation.sh --record        # also write book/mutation-scores.json (status page)
#   bash scripts/mutation.sh --strict        # exit 1 if a survivor is neither killed nor listed
#
# Per module it stages a copy of the library under _build/mutation/<module>/ (mutmut imports
# mutated code from src/), runs `mutmut run` there with the module's unit-test files (no notebooks),
# prints a score table (killed / survived / timeout / total, score) and writes it to
# _build/mutation.json and _build/mutation.md. Survivors that cannot change behaviour are listed,
# with the reason, in tests/mutation_equivalent.md; every other survivor is a missing test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python -c "import mutmut" 2>/dev/null || python -m pip install --quiet -e ".[mutation]"
python scripts/mutation.py "$@"
