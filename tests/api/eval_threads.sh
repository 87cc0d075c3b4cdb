#!/usr/bin/env bash
# `yibao eval --threads N` gives the same bytes for N = 1, 2, 4 and 7: the
# results (bad lines included) and the ledgers saved after, both from an
# empty start and resumed from ledgers saved by an earlier batch.
# Usage: tests/api/eval_threads.sh YIBAO [COUNT]
set -euo pipefail
yibao=$1
count=${2:-4000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for id in dianjiang-2024 liaoyuan-2023 hunan-2024; do
  policy="$root/policies/${id%-*}/${id##*-}.yb"
  python3 "$root/tests/oracle/generate.py" --policy "$id" --count "$count" --seed 11 --bad-share 0.1 > "$work/req"
  half=$((count / 2))
  head -n "$half" "$work/req" > "$work/a"
  tail -n +"$((half + 1))" "$work/req" > "$work/b"
  "$yibao" eval "$policy" "$work/req" --ledger-out "$work/l1" > "$work/r1"
  "$yibao" eval "$policy" "$work/a" --ledger-out "$work/la1" > /dev/null
  "$yibao" eval "$policy" "$work/b" --ledger-in "$work/la1" --ledger-out "$work/lb1" > "$work/rb1"
  grep -q '"bad_input"' "$work/r1" || { echo "== $id: no bad lines were generated"; status=1; }
  for n in 2 4 7; do
    "$yibao" eval "$policy" "$work/req" --threads "$n" --ledger-out "$work/l$n" > "$work/r$n"
    "$yibao" eval "$policy" "$work/b" --threads "$n" --ledger-in "$work/la1" --ledger-out "$work/lb$n" > "$work/rb$n"
    for f in r l rb lb; do
      if ! cmp -s "$work/${f}1" "$work/$f$n"; then
        echo "== $id: --threads $n differs from --threads 1 ($f)"; status=1
      fi
    done
  done
  echo "$id: $(wc -l < "$work/r1") results, $(wc -l < "$work/l1") ledgers, same for 1, 2, 4, 7 threads"
done
exit $status
