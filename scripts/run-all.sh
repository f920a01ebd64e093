#!/usr/bin/env bash
# The main job: set up .venv, execute copies of every notebook under _build/src and build the
# HTML book into _build/html. Tracked files are not modified. Extra arguments go to
# scripts/build_book.py (e.g. --reuse, --no-execute).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python scripts/build_book.py "$@"
