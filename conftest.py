"""Settings for every pytest run, including the kernels nbval starts (they inherit this environment)."""

import os

# Progress bars would add outputs that the stored notebooks do not have.
os.environ["NATWEIGHTS_PROGRESS"] = "0"
# Headless plotting; notebooks still select the inline backend in their first cell.
os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread per kernel, as when the stored outputs were produced (see scripts/env.sh).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
