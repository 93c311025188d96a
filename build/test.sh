#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every suite:
#   1. the xunit suites (engine, I/O, scenes, metrics, Jupyter protocol, C# interpreter, kernel);
#   2. `tsgb explain` against PyTorch on torchvision VGG16 and ResNet50 (random weights);
#   3. the Jupyter kernel conformance suite (jupyter_kernel_test) against the installed kernel;
#   4. every notebook executed with nbclient against the kernel;
#   5. the browser check;
#   6. the packages as a user consumes them: tool install, kernel from the tool, dotnet add package, #r "nuget: …".
# Ends with one line "tests: N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
mkdir -p artifacts
bash build/install-deps.sh || exit 1
dotnet build Interactive.sln -c Release -v quiet -nologo 2>&1 | grep -E "error|Warn|Build succeeded" | grep -v "warning" ; [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }

passed=0; failed=0; failures=()
record() { # name, exit code
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); failures+=("$1"); echo "FAIL $1"; fi
}

# 1. xunit: count the individual tests
for project in $(ls tests/*/*.csproj); do
  name=$(basename "$project" .csproj)
  log="artifacts/$name.log"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=normal" > "$log" 2>&1
  code=$?
  # the console logger ends with "Total tests: N", "Passed: N" and, when some failed, "Failed: N"
  p=$(sed -n 's/^ *Passed: *\([0-9][0-9]*\) *$/\1/p' "$log" | tail -1); f=$(sed -n 's/^ *Failed: *\([0-9][0-9]*\) *$/\1/p' "$log" | tail -1)
  if [ -n "$p$f" ]; then echo "$name: ${p:-0} passed, ${f:-0} failed"; else echo "$name: no test summary (exit $code)"; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ $code -ne 0 ]; then
    [ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
    failures+=("$name"); grep -E "^\s+Failed |Error Message" -A3 "$log" | head -40
  fi
done

# 2. explain parity with PyTorch on the big torchvision architectures
if [ -x tests/python/explain_parity.sh ] || [ -f tests/python/explain_parity.sh ]; then
  rm -rf artifacts/parity
  bash tests/python/explain_parity.sh artifacts/parity > artifacts/explain_parity.log 2>&1
  record "tsgb explain matches PyTorch (vgg16, resnet50)" $?
  tail -12 artifacts/explain_parity.log
fi

# 3 and 4. the kernel: conformance suite and notebooks
if [ -f build/kernel-tests.sh ]; then
  bash build/kernel-tests.sh > artifacts/kernel-tests.log 2>&1
  code=$?
  tail -30 artifacts/kernel-tests.log
  p=$(sed -n 's/^kernel-tests: \([0-9]*\) passed.*/\1/p' artifacts/kernel-tests.log | tail -1)
  f=$(sed -n 's/^kernel-tests: [0-9]* passed, \([0-9]*\) failed.*/\1/p' artifacts/kernel-tests.log | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ $code -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
  [ $code -ne 0 ] && failures+=("kernel-tests")
fi

# 5. the browser check: the quickstart in Jupyter Notebook 6 under headless Chromium, screenshot kept
if [ -f build/browser-check.sh ]; then
  bash build/browser-check.sh --no-build > artifacts/browser-check.log 2>&1
  record "browser check (Notebook 6 in headless Chromium, artifacts/browser/)" $?
  tail -5 artifacts/browser-check.log
fi

# 6. the packages, installed from a local folder as a user installs them (build/package-tests.sh)
if [ -f build/package-tests.sh ]; then
  bash build/package-tests.sh > artifacts/package-tests.log 2>&1
  code=$?
  grep -E "^(PASS|FAIL) |MB  |pack took|kernel tests through|^package-tests:" artifacts/package-tests.log
  p=$(sed -n 's/^package-tests: \([0-9]*\) passed.*/\1/p' artifacts/package-tests.log | tail -1)
  f=$(sed -n 's/^package-tests: [0-9]* passed, \([0-9]*\) failed.*/\1/p' artifacts/package-tests.log | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  if [ $code -ne 0 ] && [ "${f:-0}" -eq 0 ]; then failed=$((failed + 1)); fi
  [ $code -ne 0 ] && failures+=("package-tests")
fi

[ ${#failures[@]} -gt 0 ] && echo "failing: ${failures[*]}"
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
