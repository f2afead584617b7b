#!/usr/bin/env bash
# Builds the library and its unit tests for 64-bit ARM (NEON) and for a scalar-only x86-64
# build, and runs the tests (the ARM ones under qemu-user). The SSE2 paths are one
# implementation among three; this proves the other two give the same answers.
set -euo pipefail
cd "$(dirname "$0")/.."
ci/deps.sh cross

common=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHTTPFSM_WERROR=ON
        -DHTTPFSM_BUILD_SERVER=OFF -DHTTPFSM_BUILD_FUZZERS=OFF -DHTTPFSM_BUILD_BENCH=OFF)
tests=(httpfsm_unit_tests httpfsm_allocation_test httpfsm_websocket_tests)

# The property tests' RapidCheck has no arm64 package on the x86-64 host; configuring needs the
# host's CMake file only, since the three binaries built below do not link it.
cmake -S . -B build/arm64 "${common[@]}" \
  -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake \
  -Drapidcheck_DIR=/usr/lib/x86_64-linux-gnu/cmake/rapidcheck >/dev/null
cmake --build build/arm64 -j2 --target "${tests[@]}"
# One qemu process per binary (ctest would start one per test case).
for t in "${tests[@]}"; do
  echo "aarch64 (NEON): $t"
  qemu-aarch64 -L /usr/aarch64-linux-gnu "build/arm64/src/$t" --gtest_brief=1 | tail -n 2
  # And with the scalar loops forced at run time (src/simd_dispatch.hpp).
  HTTPFSM_SIMD=scalar qemu-aarch64 -L /usr/aarch64-linux-gnu "build/arm64/src/$t" --gtest_brief=1 |
    tail -n 2
done

cmake -S . -B build/scalar "${common[@]}" -DCMAKE_CXX_FLAGS=-DHTTPFSM_SCALAR_ONLY >/dev/null
cmake --build build/scalar -j2 --target "${tests[@]}"
for t in "${tests[@]}"; do
  echo "x86-64 scalar only: $t"
  "build/scalar/src/$t" --gtest_brief=1 | tail -n 2
done
