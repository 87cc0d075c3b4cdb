#!/usr/bin/env python3
"""The VS Code extension in docs/editors/vscode is valid and matches the language.

Checks that package.json, language-configuration.json and the TextMate
grammar are valid JSON and wired to each other; that every regular
expression of the grammar compiles; that every repository rule is used; and
that the words the grammar highlights as keywords (its `keywords-*`,
`constants`, `units` and `declarations` rules) are exactly the keywords of
the parser, lang/grammar.h: every TAO_PEGTL_KEYWORD and every reserved word.
A keyword added to the parser without the grammar (or the other way round)
fails here.

Usage: editor_grammar_test.py REPOSITORY_ROOT
"""
import json
import os
import re
import sys


def parser_keywords(grammar_h):
    text = open(grammar_h, encoding="utf-8").read()
    words = set(re.findall(r'TAO_PEGTL_KEYWORD\("([a-z_]+)"\)', text))
    reserved = re.search(r"kReservedWords\[\]\s*=\s*\{(.*?)\};", text, re.S)
    if not reserved:
        raise SystemExit("kReservedWords not found in lang/grammar.h")
    words |= set(re.findall(r'"([a-z_]+)"', reserved.group(1)))
    return words


def regexes(rule):
    """Every (match/begin/end) regex under a grammar rule, with its rule."""
    for key in ("match", "begin", "end"):
        if key in rule:
            yield rule[key]
    for sub in rule.get("patterns", []):
        yield from regexes(sub)


def words_of(regex):
    # Drop character classes and escapes (\b, \s, \d, \.), keep the literal words.
    regex = re.sub(r"\[[^\]]*\]", " ", regex)
    regex = re.sub(r"\\.", " ", regex)
    regex = regex.replace("?:", " ").replace("?<=", " ").replace("?=", " ")
    return set(w for w in re.findall(r"[a-z_]+", regex))


def main():
    root = sys.argv[1]
    folder = os.path.join(root, "docs", "editors", "vscode")
    failures = []
    checks = 0

    def check(ok, message):
        nonlocal checks
        checks += 1
        if not ok:
            failures.append(message)

    files = {}
    for name in ("package.json", "language-configuration.json", os.path.join("syntaxes", "yibao.tmLanguage.json")):
        try:
            files[name] = json.load(open(os.path.join(folder, name), encoding="utf-8"))
            check(True, "")
        except (OSError, ValueError) as e:
            check(False, f"{name}: {e}")
    if failures:
        return report(failures, checks)
    package, config, grammar = (files["package.json"], files["language-configuration.json"],
                                files[os.path.join("syntaxes", "yibao.tmLanguage.json")])

    # Wiring: the extension names the grammar and configuration files, for .yb.
    language = package["contributes"]["languages"][0]
    check(".yb" in language["extensions"], "package.json: .yb is not a registered extension")
    check(os.path.exists(os.path.join(folder, language["configuration"])), "package.json: configuration file missing")
    g = package["contributes"]["grammars"][0]
    check(os.path.exists(os.path.join(folder, g["path"])), "package.json: grammar path missing")
    check(g["scopeName"] == grammar["scopeName"], "package.json: scopeName differs from the grammar's")
    check(config["comments"]["lineComment"] == "#", "language-configuration: comments start with #")

    # Every regex compiles; every repository rule is reachable from the top.
    repository = grammar["repository"]
    for key, rule in repository.items():
        for regex in regexes(rule):
            try:
                re.compile(regex)
                check(True, "")
            except re.error as e:
                check(False, f"rule {key}: regex {regex!r} does not compile: {e}")
    used = {p["include"][1:] for p in grammar["patterns"] if p.get("include", "").startswith("#")}
    check(used == set(repository), f"repository rules not included at the top: {sorted(set(repository) - used)}")

    # The keywords.
    expected = parser_keywords(os.path.join(root, "lang", "grammar.h"))
    highlighted = set()
    for key, rule in repository.items():
        if key.startswith("keywords") or key in ("constants", "units", "declarations"):
            for regex in regexes(rule):
                highlighted |= words_of(regex)
    check(not (expected - highlighted), f"parser keywords the grammar misses: {sorted(expected - highlighted)}")
    check(not (highlighted - expected), f"grammar keywords the parser does not have: {sorted(highlighted - expected)}")

    # The keyword rules match their words and not longer names.
    control = re.compile(repository["keywords-control"]["match"])
    check(control.search("if x then y else z") is not None, "keywords-control does not match `if`")
    check(control.search("iffy_name") is None, "keywords-control matches inside a name")
    unit = re.compile(repository["units"]["patterns"][1]["match"])
    m = unit.search("-10 points when")
    check(m is not None and m.group(2) == "points", "units: `10 points` not matched")
    date = re.compile(repository["dates"]["match"])
    check(date.search("param window_end: date = 2023-12-31") is not None, "dates: 2023-12-31 not matched")
    return report(failures, checks)


def report(failures, checks):
    for f in failures:
        print(f"FAIL {f}")
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
