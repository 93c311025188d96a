#!/usr/bin/env bash
# Tests the REAL kernel as Jupyter runs it: builds tsgb, installs its kernelspec into a temporary prefix, runs the
# jupyter_kernel_test conformance suite, executes every notebooks/*.ipynb with nbclient, writes the executed
# copies to artifacts/notebooks/ and checks what each notebook's text claims about its results against them
# (tests/kernel/notebook_claims.py: every claim counts as a test). Ends with one line
# "kernel-tests: N passed, M failed"; exits non-zero when M > 0. NOTEBOOK_TIMEOUT (default 20m) bounds a notebook,
# CELL_TIMEOUT (seconds, default 600) a cell.
#
#   build/kernel-tests.sh [--no-build] [--tsgb COMMAND] [--notebook FILE]...
#
# --tsgb COMMAND tests the kernel that COMMAND installs (the `tsgb` of a tool install, say) instead of this build's
# (no build then); --notebook FILE runs only the notebooks given instead of every notebooks/*.ipynb.
#
# Needs Debian's Jupyter stack for /usr/bin/python3 (jupyter_client, nbclient, nbformat, jupyter_kernel_test).
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=${TSGB_PYTHON:-/usr/bin/python3}
CONFIGURATION=${CONFIGURATION:-Release}
NOTEBOOK_TIMEOUT=${NOTEBOOK_TIMEOUT:-20m}
CELL_TIMEOUT=${CELL_TIMEOUT:-600}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-15m}
KERNEL_NAME=tsgb-csharp
passed=0
failed=0

finish() {
  echo "kernel-tests: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

build=1
tsgb=()
notebooks=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    --tsgb) tsgb=("$2"); build=0; shift 2 ;;
    --notebook) notebooks+=("$2"); shift 2 ;;
    *) echo "usage: build/kernel-tests.sh [--no-build] [--tsgb COMMAND] [--notebook FILE]..." >&2; exit 2 ;;
  esac
done

if [ "$build" -eq 1 ]; then
  if ! dotnet build src/Tsgb.Interactive -c "$CONFIGURATION" -nologo -v quiet; then
    echo "build of src/Tsgb.Interactive failed"
    failed=$((failed + 1)); finish
  fi
fi

PREFIX=$(mktemp -d -t tsgb-kernel-prefix-XXXXXX)
trap 'rm -rf "$PREFIX"' EXIT
[ ${#tsgb[@]} -eq 0 ] && tsgb=(dotnet "src/Tsgb.Interactive/bin/$CONFIGURATION/net10.0/tsgb.dll")
# --allow-temporary: this kernelspec lives only as long as the run, whatever folder the clone or the tool is in.
if "${tsgb[@]}" kernel install --prefix "$PREFIX" --name "$KERNEL_NAME" --allow-temporary \
   && [ -f "$PREFIX/share/jupyter/kernels/$KERNEL_NAME/kernel.json" ]; then
  passed=$((passed + 1))
else
  echo "kernel install into $PREFIX failed"
  failed=$((failed + 1)); finish
fi
# The temporary prefix comes first in Jupyter's search path, before any kernel of that name the user installed.
export JUPYTER_PATH="$PREFIX/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
export TSGB_KERNEL_NAME=$KERNEL_NAME

# Conformance, and the tests of the notebook claim checks (no kernel): count from unittest's summary
# ("Ran N tests", "FAILED (failures=F, errors=E, skipped=S)").
LOG=$(mktemp -t tsgb-kernel-conformance-XXXXXX.log)
timeout "$SUITE_TIMEOUT" "$PYTHON" -m unittest -v tests/kernel/test_tsgb_kernel.py tests/kernel/test_lazy_torch.py tests/kernel/test_notebook_claims.py 2>&1 \
  | grep -v '^\[tsgb-jupyter ' | tee "$LOG"
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\} in .*/\1/p' "$LOG" | tail -1)
count() { grep -E '^(OK|FAILED) \(' "$LOG" | tail -1 | grep -o "$1=[0-9]*" | cut -d= -f2; }
f=$(count failures); e=$(count errors); s=$(count skipped)
if [ -z "$ran" ]; then
  echo "the conformance suite did not finish (timeout $SUITE_TIMEOUT or crash)"
  failed=$((failed + 1))
else
  bad=$(( ${f:-0} + ${e:-0} ))
  good=$(( ran - bad - ${s:-0} )); [ "$good" -lt 0 ] && good=0
  passed=$((passed + good)); failed=$((failed + bad))
  [ "${s:-0}" -gt 0 ] && echo "conformance: ${s} skipped (tests of features the kernel does not offer)"
fi
rm -f "$LOG"

# Notebooks: each run is a test, and so is each claim about its results (run_notebook.py prints
# "NAME: claims: H held, F failed" and exits 3 when the run was clean but a claim failed).
mkdir -p artifacts/notebooks
shopt -s nullglob
LOG=$(mktemp -t tsgb-notebook-XXXXXX.log)
[ ${#notebooks[@]} -eq 0 ] && notebooks=(notebooks/*.ipynb)
for notebook in "${notebooks[@]}"; do
  echo "executing $notebook"
  timeout "$NOTEBOOK_TIMEOUT" "$PYTHON" tests/kernel/run_notebook.py "$notebook" artifacts/notebooks \
    --kernel "$KERNEL_NAME" --cell-timeout "$CELL_TIMEOUT" 2>&1 | grep -v '^\[tsgb-jupyter ' | tee "$LOG"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ] || [ "$status" -eq 3 ]; then
    passed=$((passed + 1))
  else
    [ "$status" -eq 124 ] && echo "$notebook: FAILED (over $NOTEBOOK_TIMEOUT)"
    failed=$((failed + 1))
  fi
  held=$(sed -n 's/^.*: claims: \([0-9]*\) held, [0-9]* failed$/\1/p' "$LOG" | tail -1)
  wrong=$(sed -n 's/^.*: claims: [0-9]* held, \([0-9]*\) failed$/\1/p' "$LOG" | tail -1)
  passed=$((passed + ${held:-0})); failed=$((failed + ${wrong:-0}))
done
rm -f "$LOG"
finish
