#!/usr/bin/env bash
# Set up .venv, execute every notebook in place (outputs stored, timing
# metadata off) and build the HTML book into _build/html.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
python -m natweights.book "$@"
