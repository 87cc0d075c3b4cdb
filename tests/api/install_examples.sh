#!/usr/bin/env bash
# Installs the build into a temporary prefix, builds examples/cpp and
# examples/c against the installed package (find_package(yibao)), and runs
# them with several threads on the seed requests, compiled with
# `yibao compile`: their output must be `yibao eval`'s (the interpreter's),
# byte for byte. With YIBAO_EXPECT_JIT=1 (a build with the JIT) the package
# must have yibao::jit, and the examples settle with the JIT too, for the
# same bytes; without it, asking them for the JIT must fail with a message.
# Usage: tests/api/install_examples.sh BUILD_DIR SOURCE_DIR YIBAO CMAKE CXX [CC]
set -euo pipefail
build=$1 source=$2 yibao=$3 cmake=$4 cxx=$5 cc=${6:-}
expect_jit=${YIBAO_EXPECT_JIT:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$cmake" --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -f "$work/prefix/lib/cmake/yibao/yibaoConfig.cmake" || test -f "$work/prefix/lib64/cmake/yibao/yibaoConfig.cmake"
test -f "$work/prefix/include/yibao/yibao.hpp"
test -f "$work/prefix/include/yibao/yibao.h"
engines=interpreter
if [ "$expect_jit" = 1 ]; then
  test -f "$work/prefix/include/yibao/jit.h"
  test -f "$work/prefix/include/yibao/yibao_jit.h"
  engines="interpreter jit"
fi
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
  for engine in $engines; do
    for threads in 1 3; do
      for example in cpp/settle_cpp c/settle_c; do
        "$work/$example" "$work/$id.ybc" "$requests" "$threads" "$engine" > "$work/got"
        if cmp -s "$work/expected" "$work/got"; then
          echo "$id: $example, $engine, $threads threads: same bytes as yibao eval ($(wc -l < "$work/got") lines)"
        else
          echo "== $id: $example, $engine, $threads threads differs from yibao eval"; diff "$work/expected" "$work/got" | head -5
          status=1
        fi
      done
    done
  done
done
if [ "$expect_jit" != 1 ]; then
  for example in cpp/settle_cpp c/settle_c; do
    if "$work/$example" "$work/dianjiang-2024.ybc" /dev/null 1 jit > /dev/null 2> "$work/err"; then
      echo "== $example settled with the JIT in a build without it"; status=1
    elif grep -q "JIT engine is not installed" "$work/err"; then
      echo "$example: the JIT refused in a build without it: $(cat "$work/err")"
    else
      echo "== $example: no clear refusal of the JIT: $(cat "$work/err")"; status=1
    fi
  done
fi
exit $status
