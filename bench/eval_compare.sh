#!/usr/bin/env bash
# bench/eval_compare.sh: two (or more) builds of `yibao eval` on the same
# million requests, run in alternation, so that both see the same spells of
# this VM's speed (it drifts by a third over minutes, which makes "best of
# N" runs taken minutes apart unable to separate builds; see
# docs/performance.md). A benchmark, not a test: it asserts nothing.
#
#   bench/eval_compare.sh [options] BINARY BINARY... [-- POLICY_ID...]
#
# For each round, each policy, each binary and each engine: one run of
# `yibao eval --engine ENGINE POLICY INPUT -o /dev/null`, its user CPU time
# noted. Then per (policy, binary, engine): min and median user seconds,
# and requests/s per core from each. Options:
#   --rounds R      rounds (default 8)
#   --engines LIST  comma-separated (default interpreter,jit)
#   --lines N       requests per input (default 1000000)
#   --data DIR      where eval_throughput.sh keeps its inputs (default:
#                   $BENCH_DATA, else /tmp/yibao-bench); they are made by
#                   running bench/eval_throughput.sh once
# POLICY_ID defaults to dianjiang-2024 liaoyuan-2023.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
rounds=8
engines=interpreter,jit
lines=1000000
data=${BENCH_DATA:-/tmp/yibao-bench}
binaries=()
policies=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --engines) engines=$2; shift 2 ;;
    --lines) lines=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; policies=("$@"); break ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) binaries+=("$1"); shift ;;
  esac
done
[ ${#binaries[@]} -ge 1 ] || { echo "usage: bench/eval_compare.sh [options] BINARY BINARY... [-- POLICY_ID...]" >&2; exit 2; }
[ ${#policies[@]} -gt 0 ] || policies=(dianjiang-2024 liaoyuan-2023)
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
for b in "${binaries[@]}"; do [ -x "$b" ] || { echo "no yibao binary at $b" >&2; exit 2; }; done
for id in "${policies[@]}"; do
  [ -s "$data/$id-$lines.jsonl" ] ||
    { echo "no input $data/$id-$lines.jsonl: run bench/eval_throughput.sh --lines $lines $id once" >&2; exit 2; }
done

times=$(mktemp)
trap 'rm -f "$times"' EXIT
IFS=, read -r -a engine_list <<< "$engines"
for ((r = 0; r < rounds; r++)); do
  for id in "${policies[@]}"; do
    policy=$root/policies/${id%-*}/${id##*-}.yb
    for b in "${binaries[@]}"; do
      for e in "${engine_list[@]}"; do
        stats=$(mktemp)
        /usr/bin/time -f '%U' -o "$stats" "$b" eval --engine "$e" "$policy" "$data/$id-$lines.jsonl" -o /dev/null
        echo "$id $b $e $(tail -1 "$stats")" >> "$times"
        rm -f "$stats"
      done
    done
  done
done

printf '%-16s %-12s %-36s %8s %8s %12s %12s\n' policy engine binary "min s" "median s" "req/s (min)" "req/s (med)"
sort -k1,1 -k3,3 -k2,2 "$times" | awk -v lines="$lines" '
  function report() {
    if (n == 0) return
    # insertion sort of the n times
    for (i = 2; i <= n; i++) { v = t[i]; j = i - 1; while (j > 0 && t[j] > v) { t[j + 1] = t[j]; j-- } t[j + 1] = v }
    median = (n % 2) ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    printf "%-16s %-12s %-36s %8.2f %8.2f %12.0f %12.0f\n", p, e, b, t[1], median, lines / t[1], lines / median
  }
  { key = $1 " " $2 " " $3
    if (key != last) { report(); n = 0; last = key; p = $1; b = $2; e = $3 }
    t[++n] = $4 }
  END { report() }'
