#!/usr/bin/env bash
# Soak of the property tests: every property with N cases (default 10000) and a random seed,
# each test binary bounded in time, at low priority. ctest runs the same properties with a
# fixed seed and 1000 cases; this looks further.
#   ci/props.sh [N] [seconds per binary, default 1800]
#   RC_SEED=1234 ci/props.sh 10000     replays a soak with its printed seed
#   PRESET=asan ci/props.sh 2000       under ASan + UBSan
# A failure prints the RC_PARAMS="reproduce=..." that replays just the failing case.
set -euo pipefail
cd "$(dirname "$0")/.."

cases=${1:-10000}
seconds=${2:-1800}
preset=${PRESET:-dev}
seed=${RC_SEED:-$(((RANDOM << 15) | RANDOM))}
[[ "$cases" =~ ^[0-9]+$ && "$seconds" =~ ^[0-9]+$ ]] || {
  echo "usage: ci/props.sh [cases] [seconds per binary]" >&2
  exit 2
}

targets=(httpfsm_property_tests)
[[ -f server/connection_prop_test.cc ]] && targets+=(httpfsm_server_property_tests)
cmake --preset "$preset" >/dev/null
nice -n 10 cmake --build --preset "$preset" -j2 --target "${targets[@]}"

echo "ci/props.sh: RC_PARAMS=\"seed=$seed max_success=$cases\" (replay: RC_SEED=$seed ci/props.sh $cases)"
status=0
for target in "${targets[@]}"; do
  binary=$(find "build/$preset" -type f -name "$target" -perm -u+x | head -n 1)
  echo "== $binary"
  RC_PARAMS="seed=$seed max_success=$cases" UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    timeout --signal=TERM "$seconds" nice -n 10 "$binary" || status=$?
done
echo "ci/props.sh: seed=$seed cases=$cases exit=$status"
exit "$status"
