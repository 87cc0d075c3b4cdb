#!/usr/bin/env bash
# Differential test of the JIT: for every seed policy, generated requests
# (tests/oracle/generate.py: bad inputs, unspecified paths, running ledgers)
# settled by `yibao eval --engine jit` must give the interpreter's bytes,
# in one run and in two ledger-resumed batches (with the ledger files equal
# too); and so must two runs with an object cache (--jit-cache), the first
# storing the compiled code and the second, another process, loading it.
# Usage: tests/jit/differential.sh YIBAO [COUNT] [SEED]
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
  python3 "$root/tests/oracle/generate.py" --policy "$id" --count "$count" --seed "$seed" > "$work/req"
  "$yibao" eval "$policy" "$work/req" --ledger-out "$work/ledger.i" > "$work/interpreter"
  "$yibao" eval --engine jit "$policy" "$work/req" --ledger-out "$work/ledger.j" > "$work/jit"
  if ! cmp -s "$work/interpreter" "$work/jit"; then
    echo "== $id: the JIT and the interpreter differ"
    diff "$work/interpreter" "$work/jit" | head -10
    status=1
    continue
  fi
  if ! cmp -s "$work/ledger.i" "$work/ledger.j"; then
    echo "== $id: the JIT's ledgers differ from the interpreter's"; status=1
  fi
  # Two batches, the JIT carrying the ledgers over, against the interpreter in two batches.
  half=$((count / 2))
  head -n "$half" "$work/req" > "$work/a"
  tail -n +"$((half + 1))" "$work/req" > "$work/b"
  for engine in interpreter jit; do
    "$yibao" eval --engine "$engine" "$policy" "$work/a" --ledger-out "$work/l.$engine" > "$work/batches.$engine"
    "$yibao" eval --engine "$engine" "$policy" "$work/b" --ledger-in "$work/l.$engine" --ledger-out "$work/l2.$engine" >> "$work/batches.$engine"
  done
  if ! cmp -s "$work/batches.interpreter" "$work/batches.jit" || ! cmp -s "$work/l2.interpreter" "$work/l2.jit"; then
    echo "== $id: ledger-resumed batches differ between the JIT and the interpreter"; status=1
    continue
  fi
  # The object cache: stored by one process, loaded by the next (whose
  # helpers may sit at other addresses: the code calls them by name).
  for run in store load; do
    "$yibao" eval --engine jit --jit-cache "$work/cache" "$policy" "$work/req" > "$work/cached.$run"
    if ! cmp -s "$work/interpreter" "$work/cached.$run"; then
      echo "== $id: the JIT with its object cache ($run) differs from the interpreter"; status=1
    fi
  done
  echo "$id: $(wc -l < "$work/req") requests, $(grep -c '"error"' "$work/jit" || true) with errors, identical"
done
[ -n "$(ls "$work/cache")" ] || { echo "== the object cache stayed empty"; status=1; }
exit $status
