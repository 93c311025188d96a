#!/usr/bin/env bash
# The test command of the README: builds the solution and runs every test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test Interactive.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee artifacts/test.log
