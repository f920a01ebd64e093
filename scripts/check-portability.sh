#!/usr/bin/env bash
# Portability check of the stored outputs: nbval over every notebook under several OpenBLAS
# kernels and BLAS thread counts. Stored outputs must not depend on the CPU they were made on.
#   bash scripts/check-portability.sh          # the full matrix (maintainers; ~3 min per run)
#   bash scripts/check-portability.sh --ci     # one run under a kernel other than the default
# A kernel this CPU cannot execute (e.g. SkylakeX without AVX-512) is reported and skipped.
# Override the matrix with PORTABILITY_RUNS="default Sandybridge threads=2 ...".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

default_kernel="$(python -c 'import numpy, threadpoolctl; print(next(i["architecture"] for i in threadpoolctl.threadpool_info() if i["internal_api"] == "openblas"))')"

runs_kernel() {  # does this CPU run OpenBLAS kernel $1? (forcing an unsupported one dies with SIGILL)
    OPENBLAS_CORETYPE="$1" python -c 'import numpy as np; a = np.ones((64, 64)); assert (a @ a).sum() == 64 ** 3' \
        >/dev/null 2>&1
}

if [ "${1:-}" = "--ci" ]; then
    runs=""
    for k in Sandybridge Nehalem Haswell; do
        if [ "$k" != "$default_kernel" ] && runs_kernel "$k"; then runs="$k"; break; fi
    done
    [ -n "$runs" ] || { echo "no second OpenBLAS kernel runs on this CPU" >&2; exit 1; }
else
    runs="${PORTABILITY_RUNS:-default Haswell SkylakeX Sandybridge Nehalem threads=2}"
fi

echo "machine's default OpenBLAS kernel: $default_kernel"
summary=()
status=0
for run in $runs; do
    envs=()
    case "$run" in
        default) ;;
        threads=*) envs=("OPENBLAS_NUM_THREADS=${run#threads=}" "OMP_NUM_THREADS=${run#threads=}") ;;
        *)
            if ! runs_kernel "$run"; then summary+=("$run: skipped (this CPU cannot run it)"); continue; fi
            envs=("OPENBLAS_CORETYPE=$run") ;;
    esac
    echo "== nbval under $run"
    start=$SECONDS
    if env "${envs[@]}" python -m pytest -n 2 --dist loadfile -q -p no:cacheprovider notebooks/; then
        summary+=("$run: passed in $((SECONDS - start)) s")
    else
        summary+=("$run: FAILED in $((SECONDS - start)) s")
        status=1
    fi
done
echo "== portability summary (default kernel $default_kernel)"
printf '%s\n' "${summary[@]}"
exit $status
