#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ for a bounded time each.
#   ci/fuzz.sh [TARGET|all] [SECONDS] [--seed N] [--merge]
#     TARGET    one of fuzz/*_fuzzer.cc (default: all)
#     SECONDS   wall-clock seconds per target (default: 60)
#     --seed N  libFuzzer's random seed (default: a new one each run, for open-ended fuzzing;
#               CI passes a fixed one, so the same commit mutates the same inputs every run)
#     --merge   afterwards, merge inputs that add coverage into fuzz/corpus/<target>/
# Builds the `fuzz` preset (clang, ASan + UBSan, libFuzzer). Each target starts from its seed
# corpus and regressions, writes new inputs to build/fuzz/fuzz-corpus/<target>/ and any crash,
# leak or timeout to build/fuzz/artifacts/<target>/. Exits non-zero if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."

target=all
seconds=60
merge=0
seed=0
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  arg=${args[i]}
  case "$arg" in
    --merge) merge=1 ;;
    --seed)
      i=$((i + 1))
      seed=${args[i]:-}
      [[ "$seed" =~ ^[0-9]+$ ]] || { echo "ci/fuzz.sh: --seed needs a number" >&2; exit 2; } ;;
    all | *_fuzzer) target=$arg ;;
    '' | *[!0-9]*) echo "usage: ci/fuzz.sh [TARGET|all] [SECONDS] [--seed N] [--merge]" >&2; exit 2 ;;
    *) seconds=$arg ;;
  esac
done

if [[ "$target" == all ]]; then
  targets=()
  for f in fuzz/*_fuzzer.cc; do targets+=("$(basename "$f" .cc)"); done
else
  [[ -f "fuzz/$target.cc" ]] || { echo "ci/fuzz.sh: no such target: $target" >&2; exit 2; }
  targets=("$target")
fi

ci/deps.sh test
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"

build=build/fuzz
# Limits per input: requests are small, so 4 KiB holds several pipelined messages; no single
# input may take 10 s or 2 GiB.
flags=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1)
# libFuzzer takes -seed=0 as "pick one".
flags+=(-seed="$seed")
failed=()
for t in "${targets[@]}"; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  inputs=("fuzz/corpus/$t")
  [[ -d "fuzz/regressions/$t" ]] && inputs+=("fuzz/regressions/$t")
  # A target's own dictionary (fuzz/<target>.dict) where the format is not HTTP's.
  dict=fuzz/http.dict
  [[ -f "fuzz/$t.dict" ]] && dict=fuzz/$t.dict
  echo "== $t: ${seconds}s"
  log=$build/fuzz-$t.log
  # Nice: fuzzing is background work on a shared machine.
  if nice -n 10 "$build/fuzz/$t" "${flags[@]}" -dict="$dict" -max_total_time="$seconds" \
      -artifact_prefix="$artifacts/" "$corpus" "${inputs[@]}" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log" |
      tr '\n' ' '
    echo
  else
    tail -n 60 "$log"
    echo "ci/fuzz.sh: $t FAILED; inputs in $artifacts/, log in $log" >&2
    failed+=("$t")
  fi
  if [[ $merge -eq 1 ]]; then
    # Keeps the committed corpus minimal: only inputs that add coverage are copied in.
    nice -n 10 "$build/fuzz/$t" -merge=1 -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      "fuzz/corpus/$t" "$corpus" >"$build/merge-$t.log" 2>&1
    echo "   merged: $(git ls-files --others --exclude-standard "fuzz/corpus/$t" | wc -l) new files in fuzz/corpus/$t"
  fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "ci/fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "ci/fuzz.sh: ${#targets[@]} targets ran ${seconds}s each without a crash, leak or timeout"
