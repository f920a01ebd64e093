# Sourced by the other scripts: create (or reuse) the virtual environment in
# .venv and install natweights with its pinned dependencies into it.
# Re-installs only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), "natweights needs Python >= 3.11"'
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=".venv/.natweights-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".[test,book]"
    .venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
    echo "$want" > "$stamp"
fi
export PATH="$ROOT/.venv/bin:$PATH"
# Headless plotting everywhere; notebooks still select the inline backend.
export MPLBACKEND=Agg
# No progress bars in headless runs: they would end up in stored notebook outputs.
export NATWEIGHTS_PROGRESS=0
# One BLAS thread per process: stored outputs are produced and compared under the same
# setting (the summation order, hence the last bits, depends on the thread count), and
# two parallel notebook kernels do not oversubscribe the cores.
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
