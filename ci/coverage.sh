#!/usr/bin/env bash
# Source-based coverage (clang -fprofile-instr-generate -fcoverage-mapping) of the library in
# src/ from replaying the fuzz corpora and regressions through the replay mains: what the
# committed corpora exercise, without any fuzzing. Prints llvm-cov's summary for src/ (tests
# and test support excluded). The HTML report (build/coverage/html/index.html) also shows
# Ragel's generated machine, whose goto code has a block per state and byte range (every
# IPv6address state among them), so its own percentage says little.
# (llvm-profdata warns of "mismatched data": each target defines LLVMFuzzerTestOneInput.)
#   ci/coverage.sh [--fuzzed]
#     --fuzzed   also replay what local fuzzing found (build/fuzz/fuzz-corpus/<target>/, left by
#                ci/fuzz.sh): the coverage the fuzzers reached, beyond the committed seeds
set -euo pipefail
cd "$(dirname "$0")/.."

fuzzed=0
case "${1:-}" in
  --fuzzed) fuzzed=1 ;;
  '') ;;
  *) echo "usage: ci/coverage.sh [--fuzzed]" >&2; exit 2 ;;
esac

ci/deps.sh test
build=build/coverage
flags="-fprofile-instr-generate -fcoverage-mapping"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHTTPFSM_WERROR=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DHTTPFSM_LIBFUZZER=OFF \
  -DHTTPFSM_BUILD_TESTS=OFF -DHTTPFSM_BUILD_SERVER=ON -DHTTPFSM_BUILD_BENCH=OFF >/dev/null

targets=()
for f in fuzz/*_fuzzer.cc; do targets+=("$(basename "$f" .cc)"); done
cmake --build "$build" --target "${targets[@]}"

profiles=$build/profiles
rm -rf "$profiles"
mkdir -p "$profiles"
objects=()
for t in "${targets[@]}"; do
  [[ -x "$build/fuzz/$t" ]] || continue
  inputs=("fuzz/corpus/$t")
  [[ -d "fuzz/regressions/$t" ]] && inputs+=("fuzz/regressions/$t")
  [[ $fuzzed -eq 1 && -d "build/fuzz/fuzz-corpus/$t" ]] && inputs+=("build/fuzz/fuzz-corpus/$t")
  LLVM_PROFILE_FILE="$profiles/$t.profraw" "$build/fuzz/$t" "${inputs[@]}" >/dev/null
  objects+=(-object "$build/fuzz/$t")
done
llvm-profdata merge -sparse "$profiles"/*.profraw -o "$build/corpora.profdata"

# Coverage records absolute paths: select and exclude by them.
root=$(pwd)
ignore="(_test\.cc$|/test_support\.|^$root/fuzz/|^$root/build/|^/usr/)"
profile=(-instr-profile="$build/corpora.profdata")
echo "== src/ (the library), from the corpora of: ${targets[*]}"
llvm-cov report "${objects[@]:1}" "${profile[@]}" -ignore-filename-regex="$ignore" "$root/src/"
llvm-cov show "${objects[@]:1}" "${profile[@]}" -ignore-filename-regex="(^/usr/|^$root/fuzz/)" \
  -format=html -output-dir="$build/html" "$root/src/" "$root/grammar/" "$root/$build/src/generated/"
echo "HTML report: $build/html/index.html"
