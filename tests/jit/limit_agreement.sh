#!/usr/bin/env bash
# The hand-written settlements of bench/limit agree with the interpreter (and
# the JIT with both) on generated requests: limit_bench --check.
# Usage: tests/jit/limit_agreement.sh LIMIT_BENCH [COUNT]
set -euo pipefail
bench=$1
count=${2:-3000}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for id in liaoyuan-2023 dianjiang-2024; do
  python3 "$root/tests/oracle/generate.py" --policy "$id" --count "$count" --seed 3 > "$work/$id.jsonl"
done
"$bench" --check "liaoyuan-2023=$work/liaoyuan-2023.jsonl" "dianjiang-2024=$work/dianjiang-2024.jsonl"
