#!/usr/bin/env bash
# bench/limit.sh: the hand-written settlement (the practical limit) against
# the JIT and the interpreter, for liaoyuan-2023 and dianjiang-2024, on the
# same generated requests (tests/oracle/generate.py --bad-share 0: every line
# a valid request, several claims per person). A benchmark, not a test: the
# figures go to docs/performance.md ("JIT and the hand-written limit").
#
#   bench/limit.sh [--build DIR] [--count N] [--runs R]
#
# DIR is a build with the JIT (default: build); the limit_bench target is
# built there if needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build
count=20000
runs=5
while (($#)); do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    *) echo "usage: bench/limit.sh [--build DIR] [--count N] [--runs R]" >&2; exit 2 ;;
  esac
done
cmake --build "$build" --target limit_bench >/dev/null
data=${BENCH_DATA:-/tmp/yibao-bench}
mkdir -p "$data"
args=()
for id in liaoyuan-2023 dianjiang-2024; do
  file=$data/limit-$id-$count.jsonl
  [[ -s $file ]] || python3 "$root/tests/oracle/generate.py" --policy "$id" --count "$count" --seed 1 --bad-share 0.0 > "$file"
  args+=("$id=$file")
done
"$build/bench/limit/limit_bench" --runs "$runs" "${args[@]}"
