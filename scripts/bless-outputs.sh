#!/usr/bin/env bash
# Maintainers: refresh the stored outputs. Re-executes the named notebooks (default: all) in
# place under the same settings as the test command (scripts/env.sh: one BLAS thread, no progress
# bars), then runs the portability check over every notebook. Review `git diff notebooks/`
# before committing (see CONTRIBUTING.md).
#   bash scripts/bless-outputs.sh                       # all notebooks
#   bash scripts/bless-outputs.sh 03_disjoint_blocks    # one notebook, then the full check
#   NATWEIGHTS_SKIP_PORTABILITY=1 bash scripts/bless-outputs.sh 03_disjoint_blocks
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python scripts/build_book.py --in-place "$@"
if [ "${NATWEIGHTS_SKIP_PORTABILITY:-0}" != "1" ]; then
    bash scripts/check-portability.sh
fi
