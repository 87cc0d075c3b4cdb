#!/usr/bin/env bash
# Differential test: the engine against the independent reference
# implementation (reference.py), over generated requests for every seed
# policy; then the same requests settled in two ledger-resumed batches must
# give the same bytes as one run.
# Usage: tests/oracle/differential.sh YIBAO [COUNT] [SEED]
set -euo pipefail
yibao=$1
count=${2:-3000}
seed=${3:-1}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for id in liaoyuan-2023 dianjiang-2024 national-2024 national-2023 sanya-2024 hunan-2024 changsha-2024; do
  policy="$root/policies/${id%-*}/${id##*-}.yb"
  python3 "$here/generate.py" --policy "$id" --count "$count" --seed "$seed" > "$work/req"
  python3 "$here/reference.py" "$id" < "$work/req" > "$work/ref"
  "$yibao" eval "$policy" "$work/req" > "$work/out"
  if ! python3 "$here/compare.py" "$work/req" "$work/ref" "$work/out" --show 5 > "$work/cmp"; then
    echo "== $id: the engine and the reference differ"; cat "$work/cmp"; status=1
  else
    echo "$id: $(tail -1 "$work/cmp")"
  fi
  # Two batches with the ledgers carried over must equal one run.
  half=$((count / 2))
  head -n "$half" "$work/req" > "$work/a"
  tail -n +"$((half + 1))" "$work/req" > "$work/b"
  "$yibao" eval "$policy" "$work/a" --ledger-out "$work/ledger" > "$work/out2"
  "$yibao" eval "$policy" "$work/b" --ledger-in "$work/ledger" >> "$work/out2"
  # Line numbers in bad_input messages restart in the second batch; compare without them.
  if ! diff <(sed -E 's/"line [0-9]+: /"line N: /' "$work/out") <(sed -E 's/"line [0-9]+: /"line N: /' "$work/out2") > /dev/null; then
    echo "== $id: two ledger-resumed batches differ from one run"; status=1
  fi
done
exit $status
