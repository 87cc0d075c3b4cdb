#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds examples/cpp and
# examples/c against the installed package (find_package(yibao)), and runs
# them with several threads on the seed requests, compiled with
# `yibao compile`: their output must be `yibao eval`'s, byte for byte.
# Usage: tests/api/install_examples.sh BUILD_DIR SOURCE_DIR YIBAO CMAKE CXX [CC]
set -euo pipefail
build=$1 source=$2 yibao=$3 cmake=$4 cxx=$5 cc=${6:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/yibao/yibaoConfig.cmake" || test -f "$work/prefix/lib64/cmake/yibao/yibaoConfig.cmake"
test -f "$work/prefix/include/yibao/yibao.hpp"
test -f "$work/prefix/include/yibao/yibao.h"
for lang in cpp c; do
  compilers=(-DCMAKE_CXX_COMPILER="$cxx")
  if [ "$lang" = c ] && [ -n "$cc" ]; then compilers+=(-DCMAKE_C_COMPILER="$cc"); fi
  "$cmake" -S "$source/examples/$lang" -B "$work/$lang" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_PREFIX_PATH="$work/prefix" "${compilers[@]}" > "$work/$lang.log" || { cat "$work/$lang.log"; exit 1; }
  "$cmake" --build "$work/$lang" >> "$work/$lang.log" 2>&1 || { cat "$work/$lang.log"; exit 1; }
done
status=0
for id in dianjiang-2024 liaoyuan-2023; do
  policy="$source/policies/${id%-*}/${id##*-}.yb"
  requests="$source/policies/${id%-*}/${id##*-}.requests.jsonl"
  "$yibao" compile "$policy" -o "$work/$id.ybc"
  "$yibao" eval "$policy" "$requests" > "$work/expected"
  for threads in 1 3; do
    for example in cpp/settle_cpp c/settle_c; do
      "$work/$example" "$work/$id.ybc" "$requests" "$threads" > "$work/got"
      if cmp -s "$work/expected" "$work/got"; then
        echo "$id: $example with $threads threads: same bytes as yibao eval ($(wc -l < "$work/got") lines)"
      else
        echo "== $id: $example with $threads threads differs from yibao eval"; diff "$work/expected" "$work/got" | head -5
        status=1
      fi
    done
  done
done
exit $status
