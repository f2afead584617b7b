#!/usr/bin/env bash
# The README's test command. On a fresh Debian 12 machine: installs what is missing, checks
# formatting, builds with warnings as errors and runs every suite, first under ASan + UBSan,
# then in the dev build, so the run ends with ctest's summary line. In between, the shared
# library is installed and used by out-of-tree consumers.
set -euo pipefail
cd "$(dirname "$0")/.."

ci/deps.sh test
ci/format.sh

cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan -LE 'conformance'

# The optional shared library: install a release build of the library with
# HTTPFSM_BUILD_SHARED=ON (and the static server library on it) into a temporary prefix, then
# build and run the CMake and pkg-config consumers, parser and server, against it. (The ctests
# install.* do the same with the static library in every preset.)
cmake -S . -B build/shared -G Ninja -DCMAKE_BUILD_TYPE=Release -DHTTPFSM_WERROR=ON \
  -DHTTPFSM_BUILD_SHARED=ON -DHTTPFSM_BUILD_TESTS=OFF -DHTTPFSM_BUILD_SERVER=ON \
  -DHTTPFSM_BUILD_FUZZERS=OFF -DHTTPFSM_BUILD_BENCH=OFF >/dev/null
cmake --build build/shared
tests/consumers/consumers.sh all build/shared build/shared/consumers

cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev
