#!/usr/bin/env bash
# Browser check: runs a notebook through the classic Jupyter Notebook 6 UI in headless Chromium and keeps a
# screenshot in which its heatmaps are visible. Builds tsgb, installs its kernelspec into a temporary prefix,
# serves a temporary copy of the notebook (outputs cleared) on 127.0.0.1 with a random port and token, drives the
# page with Selenium (tests/browser/run_in_browser.py): kernel idle, run all cells, wait until none is running, no
# error or stderr output, at least one rendered image/png (and one in every cell tagged expect-image).
# Writes artifacts/browser/NAME.png (and NAME.server.log). Ends with one line "browser-check: N passed, M failed";
# exits non-zero when M > 0. Stops by itself: every wait is bounded, under 10 minutes in all with the defaults
# (build excluded); SERVER_START_TIMEOUT, KERNEL_READY_TIMEOUT and RUN_TIMEOUT (seconds) override them.
#
#   build/browser-check.sh [--no-build] [NOTEBOOK.ipynb]      (default notebooks/01-quickstart.ipynb)
#
# Needs Debian's jupyter-notebook (Notebook 6), chromium, chromium-driver, python3-selenium, fonts-dejavu-core
# for /usr/bin/python3 (build/install-deps.sh installs them).
set -uo pipefail
cd "$(dirname "$0")/.."

PYTHON=${TSGB_PYTHON:-/usr/bin/python3}
CONFIGURATION=${CONFIGURATION:-Release}
KERNEL_NAME=tsgb-csharp
SERVER_START_TIMEOUT=${SERVER_START_TIMEOUT:-60}   # s until the server answers
KERNEL_READY_TIMEOUT=${KERNEL_READY_TIMEOUT:-120}  # s until the page shows the kernel idle
RUN_TIMEOUT=${RUN_TIMEOUT:-300}                    # s for all cells
BROWSER_TIMEOUT=$((KERNEL_READY_TIMEOUT + RUN_TIMEOUT + 60))  # the whole browser session, hard limit
ARTIFACTS=artifacts/browser
passed=0
failed=0
build=1
notebook=notebooks/01-quickstart.ipynb
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) notebook=$arg ;;
  esac
done
name=$(basename "$notebook" .ipynb)

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
finish() {
  echo "browser-check: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

[ -f "$notebook" ] || { fail "notebook $notebook: no such file"; finish; }
for tool in "$PYTHON" /usr/bin/chromium /usr/bin/chromedriver; do
  [ -x "$tool" ] || { fail "$tool is missing (bash build/install-deps.sh)"; finish; }
done
if ! "$PYTHON" -c 'import notebook, selenium' 2>/dev/null; then
  fail "$PYTHON lacks the notebook or selenium module (bash build/install-deps.sh)"; finish
fi

if [ "$build" -eq 1 ]; then
  BUILD_LOG=$(mktemp -t tsgb-browser-build-XXXXXX.log)
  if dotnet build src/Tsgb.Interactive -c "$CONFIGURATION" -nologo -v quiet >"$BUILD_LOG" 2>&1; then
    rm -f "$BUILD_LOG"; pass "build src/Tsgb.Interactive"
  else
    grep -E ' error ' "$BUILD_LOG" | head -20; rm -f "$BUILD_LOG"; fail "build src/Tsgb.Interactive"; finish
  fi
fi

WORK=$(mktemp -d -t tsgb-browser-XXXXXX)
server_pid=""
browser_pid=""
port=""
token=""
cleanup() {
  # Kernels first (they run in sessions of their own), then the server's and the browser's process groups.
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    timeout 20 "$PYTHON" - "$port" "$token" <<'EOF' 2>/dev/null
import json, sys, urllib.request
base, token = f"http://127.0.0.1:{sys.argv[1]}", sys.argv[2]
headers = {"Authorization": f"token {token}"}
with urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels", headers=headers), timeout=5) as r:
    kernels = json.load(r)
for k in kernels:
    urllib.request.urlopen(urllib.request.Request(f"{base}/api/kernels/{k['id']}", method="DELETE",
                                                  headers=headers), timeout=10).close()
EOF
  fi
  for pid in $browser_pid $server_pid; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
  for pid in $browser_pid $server_pid; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$pid" 2>/dev/null
  done
  [ -f "$WORK/server.log" ] && mkdir -p "$ARTIFACTS" && cp "$WORK/server.log" "$ARTIFACTS/$name.server.log"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'fail "interrupted"; echo "browser-check: $passed passed, $failed failed"; exit 130' INT TERM

# The kernelspec, in a temporary prefix that comes first in Jupyter's search path.
TSGB_DLL=src/Tsgb.Interactive/bin/$CONFIGURATION/net10.0/tsgb.dll
if dotnet "$TSGB_DLL" kernel install --prefix "$WORK/prefix" --name "$KERNEL_NAME" --allow-temporary >"$WORK/install.log" 2>&1 \
   && [ -f "$WORK/prefix/share/jupyter/kernels/$KERNEL_NAME/kernel.json" ]; then
  pass "kernel install"
else
  cat "$WORK/install.log"; fail "kernel install into a temporary prefix"; finish
fi
export JUPYTER_PATH="$WORK/prefix/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# No user configuration, extensions or runtime files from this machine's Jupyter.
export JUPYTER_CONFIG_DIR="$WORK/config" JUPYTER_DATA_DIR="$WORK/data" JUPYTER_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$WORK/notebooks" "$JUPYTER_CONFIG_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR"

# A copy without outputs: the images seen at the end must come from this run, not from the committed file.
if ! "$PYTHON" - "$notebook" "$WORK/notebooks/$name.ipynb" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    nb = json.load(f)
for cell in nb["cells"]:
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(nb, f, indent=1, ensure_ascii=False)
EOF
then
  fail "$notebook is not a readable notebook"; finish
fi

read -r port token < <("$PYTHON" -c '
import secrets, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1], secrets.token_hex(24)); s.close()')

# The server, in a process group of its own (timeout(1) makes one; the browser's likewise), bounded in time like everything else.
JUPYTER_TOKEN=$token timeout -k 10 $((SERVER_START_TIMEOUT + BROWSER_TIMEOUT + 60)) \
  "$PYTHON" -m notebook --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 --allow-root \
  --notebook-dir="$WORK/notebooks" --NotebookApp.password='' --MappingKernelManager.kernel_info_timeout=120 \
  >"$WORK/server.log" 2>&1 &
server_pid=$!

if "$PYTHON" - "$port" "$token" "$SERVER_START_TIMEOUT" "$server_pid" "$KERNEL_NAME" <<'EOF'
import json, os, sys, time, urllib.request
port, token, limit, pid, kernel = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
deadline = time.monotonic() + limit
while True:
    try:
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/kernelspecs",
                                     headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            specs = json.load(r)["kernelspecs"]
        break
    except OSError:
        try:
            os.kill(pid, 0)
        except OSError:
            sys.exit("the notebook server exited")
        if time.monotonic() > deadline:
            sys.exit(f"the notebook server did not answer within {limit:.0f} s")
        time.sleep(0.5)
if kernel not in specs:
    sys.exit(f"the server does not offer kernel {kernel} (it offers {', '.join(sorted(specs))})")
EOF
then
  pass "notebook server on 127.0.0.1:$port offers $KERNEL_NAME"
else
  tail -20 "$WORK/server.log"; fail "notebook server"; finish
fi

mkdir -p "$ARTIFACTS"
shot="$ARTIFACTS/$name.png"
rm -f "$shot"
echo "running $notebook in headless Chromium"
started=$(date +%s)
timeout -k 10 "$BROWSER_TIMEOUT" "$PYTHON" tests/browser/run_in_browser.py \
  "http://127.0.0.1:$port/notebooks/$name.ipynb?token=$token" "$shot" --kernel "$KERNEL_NAME" \
  --ready-timeout "$KERNEL_READY_TIMEOUT" --run-timeout "$RUN_TIMEOUT" >"$WORK/browser.log" 2>&1 &
browser_pid=$!
wait "$browser_pid"
status=$?
browser_pid=""
cat "$WORK/browser.log"
p=$(grep -c '^PASS ' "$WORK/browser.log"); f=$(grep -c '^FAIL ' "$WORK/browser.log")
passed=$((passed + p)); failed=$((failed + f))
if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
  [ "$status" -eq 124 ] && fail "browser session over ${BROWSER_TIMEOUT} s" || fail "browser session (exit $status)"
fi
echo "browser session: $(( $(date +%s) - started )) s; screenshot: $shot"
if [ "$failed" -gt 0 ]; then
  echo "server log (last lines):"; grep -v '^\[tsgb-jupyter ' "$WORK/server.log" | tail -15
fi
finish
