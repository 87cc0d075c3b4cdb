#!/usr/bin/env bash
# bench/eval_throughput.sh: `yibao eval` end to end (JSON Lines in, JSON Lines
# out), in requests per second on one core, with peak memory; optionally the
# instructions per request under callgrind. A benchmark, not a test: it
# asserts nothing. The figures and how to read them are in
# docs/performance.md.
#
#   bench/eval_throughput.sh [options] [POLICY_ID...]
#
# POLICY_ID is one of tests/oracle/generate.py's policies (region-year, e.g.
# dianjiang-2024); default: dianjiang-2024 liaoyuan-2023. Options:
#   --lines N       requests per input (default 1000000)
#   --runs R        timed runs per policy; the best is reported (default 5)
#   --repeat K      feed the input K times over (K x N lines, one stream), to
#                   show that memory stays bounded whatever the input size
#   --callgrind     also count instructions per request (valgrind, on the
#                   first 20000 lines, less the cost of a one-line run;
#                   interpreter only: the JIT's background compile would
#                   be counted with the requests)
#   --engine NAME   interpreter (default) or jit, passed to `yibao eval`
#   --yibao PATH    the binary (default: $YIBAO, else build/yibao)
#   --data DIR      where generated inputs are kept (default: $BENCH_DATA,
#                   else /tmp/yibao-bench)
# Inputs are made once by tests/oracle/generate.py (--seed 1 --bad-share 0.0:
# every line a valid request, keys in shuffled order, about six claims per
# person) and reused.
#
# "user" is the process's user CPU time: on a machine shared with other work
# the wall time is only an upper bound, and the user time is the figure to
# compare. requests/s = lines / best user time (policy compilation, about
# 3 ms, included).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
lines=1000000
runs=5
repeat=1
callgrind=0
engine=interpreter
yibao=${YIBAO:-$root/build/yibao}
data=${BENCH_DATA:-/tmp/yibao-bench}
policies=()
while [ $# -gt 0 ]; do
  case "$1" in
    --lines) lines=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    --callgrind) callgrind=1; shift ;;
    --engine) engine=$2; shift 2 ;;
    --yibao) yibao=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) policies+=("$1"); shift ;;
  esac
done
[ ${#policies[@]} -gt 0 ] || policies=(dianjiang-2024 liaoyuan-2023)
[ -x "$yibao" ] || { echo "no yibao binary at $yibao (build it, or pass --yibao)" >&2; exit 2; }
command -v /usr/bin/time > /dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
mkdir -p "$data"

printf '%-16s %10s %8s %10s %8s %12s %10s\n' policy lines runs "user s" "wall s" requests/s "peak RSS"
for id in "${policies[@]}"; do
  region=${id%-*}
  year=${id##*-}
  policy=$root/policies/$region/$year.yb
  [ -f "$policy" ] || { echo "no policy file $policy" >&2; exit 2; }
  input=$data/$id-$lines.jsonl
  if [ ! -s "$input" ]; then
    echo "generating $input ..." >&2
    python3 "$root/tests/oracle/generate.py" --policy "$id" --count "$lines" --seed 1 --bad-share 0.0 > "$input.tmp"
    mv "$input.tmp" "$input"
  fi
  total=$((lines * repeat))
  best_user=""
  best_wall=""
  peak=0
  for ((r = 0; r < runs; r++)); do
    stats=$(mktemp)
    if [ "$repeat" -eq 1 ]; then
      /usr/bin/time -f '%U %e %M' -o "$stats" "$yibao" eval --engine "$engine" "$policy" "$input" -o /dev/null
    else
      # One stream of K copies, through a pipe (the input is never whole in memory).
      for ((k = 0; k < repeat; k++)); do cat "$input"; done |
        /usr/bin/time -f '%U %e %M' -o "$stats" "$yibao" eval --engine "$engine" "$policy" -o /dev/null
    fi
    read -r user wall rss < <(tail -1 "$stats")
    rm -f "$stats"
    if [ -z "$best_user" ] || awk "BEGIN { exit !($user < $best_user) }"; then best_user=$user; fi
    if [ -z "$best_wall" ] || awk "BEGIN { exit !($wall < $best_wall) }"; then best_wall=$wall; fi
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  rate=$(awk "BEGIN { printf \"%.0f\", $total / ($best_user > 0 ? $best_user : 0.001) }")
  printf '%-16s %10d %8d %10s %8s %12s %8d KB\n' "$id" "$total" "$runs" "$best_user" "$best_wall" "$rate" "$peak"
  if [ "$callgrind" -eq 1 ] && [ "$engine" != interpreter ]; then
    echo "  (--callgrind counts the interpreter only)"
  elif [ "$callgrind" -eq 1 ]; then
    command -v valgrind > /dev/null || { echo "needs valgrind for --callgrind" >&2; exit 2; }
    sample=$data/$id-sample.jsonl
    head -n 20000 "$input" > "$sample"
    head -n 1 "$input" > "$sample.one"
    count() {
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$yibao" eval "$policy" "$1" -o /dev/null 2>&1 |
        awk '/refs:/ { gsub(",", "", $NF); print $NF }'
    }
    all=$(count "$sample")
    one=$(count "$sample.one")
    n=$(grep -c . "$sample")
    echo "  instructions/request: $(( (all - one) / (n - 1) )) (callgrind, $n lines: $all; one line: $one)"
    rm -f "$sample" "$sample.one"
  fi
done
