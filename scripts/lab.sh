#!/usr/bin/env bash
# Open the notebooks in JupyterLab: sets up .venv like the other scripts, then serves
# notebooks/ on 127.0.0.1 with the .venv kernel ("Python 3 (ipykernel)") and opens the
# overview. The URL, with its access token, is printed below. Extra arguments go to
# `jupyter lab` (for example --no-browser or --port=8890). Stop it with Ctrl+C.
# NATWEIGHTS_NOTEBOOKS=DIR serves another folder of the notebooks (a scratch copy) instead.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
# An interactive session: progress bars show as widgets. The scripts that write or compare
# stored outputs keep them off (NATWEIGHTS_PROGRESS=0 in env.sh).
export NATWEIGHTS_PROGRESS=1
# The .venv kernel before any other kernel named python3 (for example one in ~/.local).
export JUPYTER_PATH="$ROOT/.venv/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
notebooks="$(cd "${NATWEIGHTS_NOTEBOOKS:-$ROOT/notebooks}" && pwd)"
args=(--ServerApp.ip=127.0.0.1 --ServerApp.root_dir="$notebooks")
# Jupyter refuses to run as root unless told to (containers, CI machines).
if [ "$(id -u)" -eq 0 ]; then
    args+=(--allow-root)
fi
echo "JupyterLab: open the URL printed below (it holds the access token); start with 00_overview.ipynb," >&2
echo "kernel 'Python 3 (ipykernel)' (this .venv). Ctrl+C stops the server." >&2
exec jupyter lab "${args[@]}" "$@" "$notebooks/00_overview.ipynb"
