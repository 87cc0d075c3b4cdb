#!/usr/bin/env python3
"""Renders every policy's `yibao doc` page in a real headless browser.

For each policies/<region>/<year>.yb: writes the page, then has Chromium
(Debian's `chromium`) load it twice, as HTML and as XHTML (the page is
polyglot markup, and an XML parser rejects any unclosed or misnested tag,
bad character reference or stray `<`), dumping the DOM each time. A page
passes when Chromium exits cleanly, logs no console message (the page has no
scripts, so any console message is an error: a blocked resource, a parse
problem) and requests nothing outside the file, the XHTML load shows no
<parsererror>, and the rendered DOM holds the title, the sections, the
tables and the SVG pictures expected of that policy. One page is also
screenshotted and the PNG checked.

Exit status: 0 all passed, 1 a page failed, 77 (ctest: skipped) when no
Chromium is installed.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def chromium_run(chromium, profile, args, url):
    command = [chromium, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run",
               "--disable-extensions", "--disable-background-networking", "--enable-logging=stderr",
               "--v=0", f"--user-data-dir={profile}"] + args + [url]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def console_messages(stderr):
    # Chromium logs page console output as `...:INFO:CONSOLE:1] "message", source: ...`
    # (older versions `CONSOLE(1)`).
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def fetches_outside(stderr):
    return [line for line in stderr.splitlines()
            if ("net::ERR_" in line or "Failed to load resource" in line) and "file://" not in line]


def check_dom(dom, expect):
    problems = []
    for needle in expect:
        if needle not in dom:
            problems.append(f"rendered DOM lacks {needle!r}")
    if "parsererror" in dom:
        problems.append("the XML parser reported an error (parsererror in the DOM)")
    if "<script" in dom:
        problems.append("the DOM holds a script")
    # Nothing external: the only addresses are the XHTML and SVG namespaces.
    namespaces = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg")
    rest = dom
    for ns in namespaces:
        rest = rest.replace(ns, "")
    for scheme in ("http://", "https://", "//fonts", "url("):
        if scheme in rest:
            problems.append(f"the page refers to something outside it ({scheme})")
    return problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--yibao", required=True)
    parser.add_argument("--chromium", default="")
    parser.add_argument("--root", required=True, help="the repository (policies/ under it)")
    parser.add_argument("--out", required=True, help="folder for the pages and the screenshot")
    args = parser.parse_args()

    chromium = args.chromium or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium or not os.path.exists(chromium):
        print("skipped: no chromium installed (scripts/install-deps --doc installs it)")
        return 77

    os.makedirs(args.out, exist_ok=True)
    policies = sorted(p for p in glob.glob(os.path.join(args.root, "policies", "*", "*.yb"))
                      if os.path.basename(p)[:4].isdigit() and not p.endswith(".test.yb"))
    passed = failed = 0
    with tempfile.TemporaryDirectory(prefix="yibao-doc-browser-") as profile:
        for policy in policies:
            region = os.path.basename(os.path.dirname(policy))
            name = f"{region}-{os.path.basename(policy)[:-3]}"
            html = os.path.join(args.out, name + ".html")
            problems = []
            made = subprocess.run([args.yibao, "doc", policy, "-o", html], capture_output=True, text=True)
            if made.returncode != 0:
                problems.append(f"yibao doc failed: {made.stderr.strip()}")
            else:
                xhtml = os.path.join(args.out, name + ".xhtml")
                shutil.copyfile(html, xhtml)
                # What every page shows, and what the policies with published
                # benefits add: their tables and the engine's curves.
                expect = ["<h1>", 'id="eligibility"', 'id="coverage"', "<svg"]
                if name in ("liaoyuan-2023", "dianjiang-2024"):
                    expect += ['id="basic"', 'id="critical"', 'id="chart"', "<polyline", "<caption>"]
                for path in (html, xhtml):
                    run = chromium_run(chromium, profile, ["--dump-dom"], "file://" + os.path.abspath(path))
                    kind = os.path.splitext(path)[1]
                    if run.returncode != 0:
                        problems.append(f"{kind}: chromium exited {run.returncode}: {run.stderr[-400:]}")
                        continue
                    problems += [f"{kind}: console: {m}" for m in console_messages(run.stderr)]
                    problems += [f"{kind}: fetched: {m}" for m in fetches_outside(run.stderr)]
                    problems += [f"{kind}: {p}" for p in check_dom(run.stdout, expect)]
                if name == "liaoyuan-2023":
                    png = os.path.join(args.out, name + ".png")
                    if os.path.exists(png):
                        os.remove(png)
                    run = chromium_run(chromium, profile, ["--hide-scrollbars", "--window-size=1000,4000",
                                                           f"--screenshot={png}"], "file://" + os.path.abspath(html))
                    with open(png, "rb") if os.path.exists(png) else open(os.devnull, "rb") as f:
                        head = f.read(8)
                    if head != b"\x89PNG\r\n\x1a\n" or os.path.getsize(png) < 20_000:
                        problems.append(f"screenshot missing or empty: {run.stderr[-400:]}")
            if problems:
                failed += 1
                print(f"FAIL {name}")
                for p in problems:
                    print(f"  {p}")
            else:
                passed += 1
                print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
