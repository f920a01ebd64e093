#!/usr/bin/env bash
# Set up .venv and run every test: unit tests in tests/ and nbval over every
# notebook (the options live in pyproject.toml). Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python -m pytest -n 2 --dist loadfile "$@"
