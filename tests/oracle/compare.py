#!/usr/bin/env python3
"""Compares two result files line by line, as the contract does: codes,
reasons, amounts and dates must agree; free text (error messages, the
`name` of an unspecified value, the eligibility reason text) is ignored.

Usage: compare.py REQUESTS EXPECTED ACTUAL [--show N]
Exits 1 when any line differs, printing the first N differences with their
request lines."""
import json
import sys


def normalize(value):
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("message", "name"):
                continue
            out[k] = normalize(v)
        if "eligible" in out and out.get("eligible") is False:
            out.pop("reason", None)  # text for people
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    return value


def main():
    args = sys.argv[1:]
    show = 10
    if "--show" in args:
        i = args.index("--show")
        show = int(args[i + 1])
        del args[i:i + 2]
    req_path, exp_path, act_path = args
    requests = [l for l in open(req_path, encoding="utf-8", errors="replace").read().split("\n")
                if l.strip(" \t\r") != ""]
    expected = open(exp_path, encoding="utf-8").read().splitlines()
    actual = open(act_path, encoding="utf-8").read().splitlines()
    if len(expected) != len(actual):
        print(f"line counts differ: {len(expected)} expected, {len(actual)} actual")
    diffs = 0
    for i, (e, a) in enumerate(zip(expected, actual)):
        ne, na = normalize(json.loads(e)), normalize(json.loads(a))
        if ne != na:
            diffs += 1
            if diffs <= show:
                print(f"--- result {i + 1}")
                print("request :", requests[i] if i < len(requests) else "?")
                print("expected:", json.dumps(ne, ensure_ascii=False))
                print("actual  :", json.dumps(na, ensure_ascii=False))
    print(f"{diffs} of {min(len(expected), len(actual))} results differ")
    return 1 if diffs or len(expected) != len(actual) else 0


if __name__ == "__main__":
    sys.exit(main())
