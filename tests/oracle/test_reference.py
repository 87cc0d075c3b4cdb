#!/usr/bin/env python3
"""Self-check of reference.py with hand-computed cases.  Run: python3 test_reference.py

Every expected amount below was computed by hand from seed-policies.md (the
arithmetic is written next to the case), not by running the oracle.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference  # noqa: E402

PASSED = 0
FAILED = []


def check(name, cond, detail=""):
    global PASSED
    if cond:
        PASSED += 1
    else:
        FAILED.append("%s %s" % (name, detail))


def run(policy, lines, ledgers=None):
    """Runs lines (str or dict) through the oracle; returns parsed results (money as text)."""
    text = "".join((l if isinstance(l, str) else json.dumps(l)) + "\n" for l in lines)
    out = reference.run(reference.POLICIES[policy](), text.encode("utf-8"),
                        {} if ledgers is None else ledgers)
    return [json.loads(o, parse_float=lambda s: s, parse_int=lambda s: s) for o in out]


def person(birth, pid="p", **kw):
    p = {"id": pid, "birth_date": birth}
    p.update(kw)
    return p


def claim(kind, date, level, total, **kw):
    c = {"kind": kind, "date": date, "hospital_level": level, "total": total}
    c.update(kw)
    return c


def rq(rid, p, paid=None, c=None, **enr):
    r = {"id": rid, "person": p}
    e = dict(enr)
    if paid is not None:
        e["paid_on"] = paid
    if e:
        r["enrollment"] = e
    if c is not None:
        r["claim"] = c
    return r


def S(reason, basic, critical, oop):
    return {"reason": reason, "basic": basic, "critical": critical, "out_of_pocket": oop}


def C(std, aid, pers):
    return {"standard": std, "aid": aid, "personal": pers}


def COV(a, b):
    return {"from": a, "to": b}


def R(code):
    return {"reason": code}


def expect(name, res, **fields):
    for k, v in fields.items():
        got = res.get(k)
        if k == "error_code":
            got = res.get("error", {}).get("code")
        check("%s.%s" % (name, k), got == v, "expected %r got %r" % (v, got))


def err_name(sec):
    return sec.get("error", {}).get("code"), sec.get("error", {}).get("name")


# ---------------------------------------------------------------------------
# The spec's own example (interchange.md), checked byte for byte.

EXAMPLE_REQ = ('{"id": "r-17",'
               ' "person": {"id": "p-3", "birth_date": "1961-04-30", "categories": ["dibao"],'
               ' "tier": 1, "hukou": "local", "employee_insured": false},'
               ' "enrollment": {"paid_on": "2023-11-02", "continuing": true},'
               ' "claim": {"kind": "inpatient", "date": "2024-03-05", "hospital_level": 3,'
               ' "tcm_hospital": false, "childrens_hospital": false,'
               ' "remote": "none", "direct_settled": true,'
               ' "total": 52000.00, "compliant": 48000.00, "class_b": 6000.00,'
               ' "special_drug": 0, "tcm_drug": 0, "cause": "illness"}}')
EXAMPLE_RES = ('{"id": "r-17", "policy": "dianjiang-2024", "eligibility": {"eligible": true}, '
               '"contribution": {"standard": 380.00, "aid": 342.00, "personal": 38.00}, '
               '"coverage": {"from": "2024-01-01", "to": "2024-12-31"}, '
               '"settlement": {"reason": null, "basic": 23600.00, "critical": 10064.28, "out_of_pocket": 18335.72}}')


def test_example():
    out = reference.run(reference.Dianjiang2024(), (EXAMPLE_REQ + "\n").encode(), {})
    check("example.exact_text", out == [EXAMPLE_RES], repr(out))
    # via the command line too, with a BOM, CRLF and blank lines
    data = b"\xef\xbb\xbf" + EXAMPLE_REQ.encode() + b"\r\n \t\r\n\n"
    p = subprocess.run([sys.executable, os.path.join(HERE, "reference.py"), "dianjiang-2024"],
                       input=data, capture_output=True)
    check("example.cli", p.returncode == 0 and p.stdout.decode() == EXAMPLE_RES + "\n", repr(p.stdout))


# ---------------------------------------------------------------------------
# Request validation (bad_input)

def test_validation():
    base = rq("v", person("1980-01-01"), c=claim("inpatient", "2024-03-05", 1, "1000"))
    good = json.dumps(base)

    def variant(mut):
        d = json.loads(good)
        mut(d)
        return json.dumps(d)

    bad = {
        "malformed": '{"id": "v", "person": ',
        "not_object": "[1, 2]",
        "string_top": '"v"',
        "nan": good.replace('"1000"', "NaN"),
        "dup_top": good.replace('{"id": "v"', '{"id": "v", "id": "w"', 1),
        "dup_claim": good.replace('"total": "1000"', '"total": "1000", "total": "1000"'),
        "unknown_top": variant(lambda d: d.update(policy="x")),
        "unknown_person": variant(lambda d: d["person"].update(birthdate="1980-01-01")),
        "unknown_claim": variant(lambda d: d["claim"].update(compliat="1")),
        "money_1.005": good.replace('"1000"', "1.005"),
        "money_1.500": good.replace('"1000"', "1.500"),
        "money_str_1.005": good.replace('"1000"', '"1.005"'),
        "money_1e2": good.replace('"1000"', "1e2"),
        "money_str_1e2": good.replace('"1000"', '"1e2"'),
        "money_neg": good.replace('"1000"', "-3"),
        "money_-0": good.replace('"1000"', "-0"),
        "money_str_-0": good.replace('"1000"', '"-0"'),
        "money_comma": good.replace('"1000"', '"12,000"'),
        "money_leading0": good.replace('"1000"', '"007.50"'),
        "money_00": good.replace('"1000"', '"00"'),
        "money_dot5": good.replace('"1000"', '".5"'),
        "money_5dot": good.replace('"1000"', '"5."'),
        "money_space": good.replace('"1000"', '" 5"'),
        "money_big": good.replace('"1000"', "1000000000000"),
        "money_big_str": good.replace('"1000"', '"1000000000000.00"'),
        "money_bool": good.replace('"1000"', "true"),
        "money_null_required": good.replace('"1000"', "null"),
        "level_2.0": good.replace('"hospital_level": 1', '"hospital_level": 2.0'),
        "level_2e0": good.replace('"hospital_level": 1', '"hospital_level": 2e0'),
        "level_str": good.replace('"hospital_level": 1', '"hospital_level": "2"'),
        "level_7": good.replace('"hospital_level": 1', '"hospital_level": 7'),
        "level_true": good.replace('"hospital_level": 1', '"hospital_level": true'),
        "tier_true": variant(lambda d: d["person"].update(tier=True)),
        "tier_3": variant(lambda d: d["person"].update(tier=3)),
        "date_feb29": variant(lambda d: d["person"].update(birth_date="2023-02-29")),
        "date_short": variant(lambda d: d["person"].update(birth_date="1980-1-01")),
        "date_slash": variant(lambda d: d["claim"].update(date="2024/03/05")),
        "date_apr31": variant(lambda d: d["claim"].update(date="2024-04-31")),
        "paid_bad": variant(lambda d: d.update(enrollment={"paid_on": "2024-13-01"})),
        "compliant_gt_total": variant(lambda d: d["claim"].update(compliant="1000.01")),
        "parts_gt_compliant": variant(lambda d: d["claim"].update(compliant="500", class_b="200", special_drug="200", tcm_drug="100.01")),
        "parts_gt_total_default": variant(lambda d: d["claim"].update(class_b="1000.01")),
        "no_person_id": variant(lambda d: d["person"].pop("id")),
        "null_person_id": variant(lambda d: d["person"].update(id=None)),
        "null_birth": variant(lambda d: d["person"].update(birth_date=None)),
        "no_birth": variant(lambda d: d["person"].pop("birth_date")),
        "null_kind": variant(lambda d: d["claim"].update(kind=None)),
        "no_total": variant(lambda d: d["claim"].pop("total")),
        "no_level": variant(lambda d: d["claim"].pop("hospital_level")),
        "no_date": variant(lambda d: d["claim"].pop("date")),
        "null_id": variant(lambda d: d.update(id=None)),
        "num_id": variant(lambda d: d.update(id=17)),
        "null_person": variant(lambda d: d.update(person=None)),
        "no_person": variant(lambda d: d.pop("person")),
        "bad_kind": variant(lambda d: d["claim"].update(kind="surgery")),
        "bad_remote": variant(lambda d: d["claim"].update(remote="far")),
        "bad_cause": variant(lambda d: d["claim"].update(cause="accident")),
        "bad_category": variant(lambda d: d["person"].update(categories=["dibao", "poor"])),
        "categories_str": variant(lambda d: d["person"].update(categories="dibao")),
        "category_null": variant(lambda d: d["person"].update(categories=[None])),
        "bool_str": variant(lambda d: d["person"].update(student="yes")),
        "bool_int": variant(lambda d: d["claim"].update(direct_settled=1)),
        "hukou_bad": variant(lambda d: d["person"].update(hukou="LOCAL")),
        "enrollment_str": variant(lambda d: d.update(enrollment="2024-01-01")),
        "claim_array": variant(lambda d: d.update(claim=[])),
        "continuing_str": variant(lambda d: d.update(enrollment={"continuing": "yes"})),
        "bom_mid": "\ufeff" + good,
        "ctrl_char": good.replace('"v"', '"v\x01"', 1),
        "trailing": good + " {}",
    }
    names = list(bad)
    lines = [bad[n] for n in names]
    res = run("dianjiang-2024", lines)
    check("validation.count", len(res) == len(lines), "%d vs %d" % (len(res), len(lines)))
    for i, (n, r) in enumerate(zip(names, res), 1):
        ok = (set(r) == {"id", "error"} and r["error"]["code"] == "bad_input"
              and r["error"]["message"].startswith("line %d: " % i))
        check("validation.bad." + n, ok, repr(r))
    # id echoed when readable, null otherwise
    ids = dict(zip(names, [r.get("id") for r in res]))
    check("validation.id.malformed", ids["malformed"] is None)
    check("validation.id.not_object", ids["not_object"] is None)
    check("validation.id.dup_top", ids["dup_top"] is None)
    check("validation.id.num_id", ids["num_id"] is None)
    check("validation.id.unknown_claim", ids["unknown_claim"] == "v")
    check("validation.id.money", ids["money_1.005"] == "v")
    check("validation.suggestion", "compliant" in res[names.index("unknown_claim")]["error"]["message"])

    okv = {
        "money_1.5_str": good.replace('"1000"', '"1.5"'),
        "money_1.50": good.replace('"1000"', "1.50"),
        "money_0": good.replace('"1000"', "0"),
        "money_0.00_str": good.replace('"1000"', '"0.00"'),
        "money_max": good.replace('"1000"', "999999999999.99"),
        "parts_eq": variant(lambda d: d["claim"].update(compliant="500", class_b="200", special_drug="200", tcm_drug="100")),
        "compliant_null": variant(lambda d: d["claim"].update(compliant=None)),
        "optional_nulls": variant(lambda d: (d["person"].update(tier=None, hukou=None, categories=None, student=None),
                                             d["claim"].update(remote=None, cause=None, direct_settled=None, class_b=None),
                                             d.update(enrollment=None))),
        "claim_null_no_pid": json.dumps({"id": "v", "person": {"birth_date": "1980-01-01"}, "claim": None}),
        "no_claim_no_pid": json.dumps({"id": "v", "person": {"birth_date": "1980-01-01"}}),
        "date_feb29_leap": variant(lambda d: d["person"].update(birth_date="2000-02-29")),
        "dup_categories": variant(lambda d: d["person"].update(categories=["dibao", "dibao"])),
        "empty_enrollment": variant(lambda d: d.update(enrollment={})),
        "unicode_id": variant(lambda d: d.update(id="请求-1")),
    }
    res = run("dianjiang-2024", list(okv.values()))
    for n, r in zip(okv, res):
        check("validation.ok." + n, "error" not in r and r.get("policy") == "dianjiang-2024", repr(r))
    r = dict(zip(okv, res))
    check("validation.money_max.oop", r["money_max"]["settlement"]["out_of_pocket"] == "999999999999.99"
          or r["money_max"]["settlement"]["reason"] is None, repr(r["money_max"]))
    check("validation.no_claim.keys", list(r["no_claim_no_pid"]) == ["id", "policy", "eligibility", "contribution", "coverage"])
    check("validation.claim_null.keys", "settlement" not in r["claim_null_no_pid"])

    # blank lines: skipped, counted for line numbers
    text = "\n  \n\t\r\n" + '{"id": "x"' + "\n\r\n"
    res = run("dianjiang-2024", [text.rstrip("\n")])
    check("blank.count", len(res) == 1, repr(res))
    check("blank.lineno", res and res[0]["error"]["message"].startswith("line 4: "), repr(res))


# ---------------------------------------------------------------------------
# liaoyuan-2023

def test_liaoyuan():
    P = "liaoyuan-2023"
    lines = [
        # 1. level 2: base = 50000 - 1000 - 700 = 48300; payable 47700;
        #    30000*.70 + 17700*.75 = 21000 + 13275 = 34275.
        #    CI: selfpay 15725, above 2000: 13725 -> 10000*.6 + 3725*.7 = 6000 + 2607.5
        rq("l1", person("1970-05-05", "A"), c=claim("inpatient", "2023-05-01", 2, "60000", compliant="50000",
                                                      class_b="10000", special_drug="2000")),
        # 2. level 3 longterm not direct: rates 35/40/45; payable 199000:
        #    10500 + 12000 + 139000*.45 (62550) = 85050; cap left 165725.
        #    CI acc 15725 -> 130675: G(128675) - G(13725) = 91940 - 8607.5 = 83332.5
        rq("l2", person("1970-05-05", "A"), c=claim("inpatient", "2023-06-01", 3, "200000",
                                                      remote="longterm", direct_settled=False)),
        # 3. self: 20% flat; payable 299700*.2 = 59940 (cap left 80675).
        #    CI acc -> 370735: G(368735) = 6000+63000+.8*268735 = 283988; inc 192048
        rq("l3", person("1970-05-05", "A"), c=claim("inpatient", "2023-07-01", 1, "300000", remote="self",
                                                      direct_settled=False)),
        # 4. level 1: 24000 + 25500 + 39700*.9 (35730) = 85230 -> cap left 20735.
        #    selfpay 79265 *.8 = 63412 -> CI cap left 300000-8607.5-83332.5-192048 = 16012
        rq("l4", person("1970-05-05", "A"), c=claim("inpatient", "2023-08-01", 1, "100000")),
        # 5. cap used up: basic 0, CI cap used up: 0
        rq("l5", person("1970-05-05", "A"), c=claim("inpatient", "2023-08-02", 1, "5000")),
        # 6. rounding: payable 400.05*.7 = 280.035 -> 280.04; selfpay 720.01 < 2000
        rq("l6", person("1990-01-01", "B"), c=claim("inpatient", "2023-03-03", 2, "1000.05")),
        # 7. dibao threshold 6000: payable 9700*.8 = 7760; selfpay 2240 -> 0
        rq("l7", person("1990-01-01", "C", categories=["dibao"]), c=claim("inpatient", "2023-03-03", 1, "10000")),
        # 8. same without category: 240*.6 = 144
        rq("l8", person("1990-01-01", "D"), c=claim("inpatient", "2023-03-03", 1, "10000")),
        # 9. referred, not direct: -10 -> level 1 70%: payable 700*.7 = 490; selfpay 510
        rq("l9", person("1990-01-01", "E"), c=claim("inpatient", "2023-03-03", 1, "1000", remote="referred",
                                                      direct_settled=False)),
        # 10. referred direct: no change 80%: 560
        rq("l10", person("1990-01-01", "F"), c=claim("inpatient", "2023-03-03", 1, "1000", remote="referred")),
        # 11. longterm direct: -10: 70% -> 490
        rq("l11", person("1990-01-01", "G"), c=claim("inpatient", "2023-03-03", 1, "1000", remote="longterm")),
        # 12. below deductible: 0 assessed
        rq("l12", person("1990-01-01", "H"), c=claim("inpatient", "2023-03-03", 3, "999.99")),
        # 13. outpatient in coverage: unspecified
        rq("l13", person("1990-01-01", "I"), c=claim("outpatient", "2023-03-03", 1, "100")),
        # 14. outpatient after the year: after_coverage even though unspecified
        rq("l14", person("1990-01-01", "I"), c=claim("outpatient", "2024-01-01", 1, "100")),
        # 15. before the year
        rq("l15", person("1990-01-01", "I"), c=claim("inpatient", "2022-12-31", 1, "100")),
        # 16. employee insured
        rq("l16", person("1990-01-01", "J", employee_insured=True), c=claim("inpatient", "2023-03-03", 1, "100")),
        # 17. paid 2023-10-01 -> 2023-12-31 (+91); claim 2023-12-30 before coverage
        rq("l17", person("1990-01-01", "K"), paid="2023-10-01", c=claim("inpatient", "2023-12-30", 1, "100")),
        # 18. paid 2023-10-02 -> 2024-01-01 -> no_coverage; claim in 2023 before_coverage
        rq("l18", person("1990-01-01", "K"), paid="2023-10-02", c=claim("inpatient", "2023-12-31", 1, "100")),
        # 19. paid 2024-01-01: not enrolled
        rq("l19", person("1990-01-01", "K"), paid="2024-01-01", c=claim("inpatient", "2023-12-31", 1, "100")),
        # 20. newborn 2023-12-20 paid 2024-01-10 -> from birth; payable 1700*.8 = 1360
        rq("l20", person("2023-12-20", "N"), paid="2024-01-10", c=claim("inpatient", "2023-12-25", 1, "2000")),
        # 21. newborn claim before birth
        rq("l21", person("2023-12-20", "N"), paid="2024-01-10", c=claim("inpatient", "2023-12-19", 1, "2000")),
        # 22. newborn paid birth+90 (2023-03-01 + 90 = 2023-05-30) -> from birth
        rq("l22", person("2023-03-01", "O"), paid="2023-05-30"),
        # 23. newborn paid birth+91 -> 2023-05-31 + 91 = 2023-08-30
        rq("l23", person("2023-03-01", "O"), paid="2023-05-31"),
        # 24. paid 2022-12-31 -> from 2023-01-01; paid 2023-01-01 -> 2023-04-02
        rq("l24", person("1990-01-01", "Q"), paid="2022-12-31"),
        rq("l25", person("1990-01-01", "Q"), paid="2023-01-01"),
        # 26. standards: born 2004-12-31 -> 360; 2005-01-01 -> 310; student -> 310
        rq("l26", person("2004-12-31")),
        rq("l27", person("2005-01-01")),
        rq("l28", person("1960-01-01", student=True)),
        # 29. born after the year -> no_coverage
        rq("l29", person("2024-02-01")),
        # 30. newborn born 2023-06-01 paid 2024-02-01 (not within 90) -> not_enrolled
        rq("l30", person("2023-06-01"), paid="2024-02-01"),
        # 31. special_drug: base = 10000 - 35%*4000 = 8600; -300 -> 8300*.8 = 6640;
        #     selfpay 3360 -> 1360*.6 = 816
        rq("l31", person("1990-01-01", "R"), c=claim("inpatient", "2023-03-03", 1, "10000", special_drug="4000")),
    ]
    res = run(P, lines)
    r = {x["id"]: x for x in res}
    FULL = COV("2023-01-01", "2023-12-31")
    expect("l1", r["l1"], contribution=C("360.00", "0.00", "360.00"), coverage=FULL,
           eligibility={"eligible": True},
           settlement=S(None, "34275.00", "8607.50", "17117.50"))
    expect("l2", r["l2"], settlement=S(None, "85050.00", "83332.50", "31617.50"))
    expect("l3", r["l3"], settlement=S(None, "59940.00", "192048.00", "48012.00"))
    expect("l4", r["l4"], settlement=S(None, "20735.00", "16012.00", "63253.00"))
    expect("l5", r["l5"], settlement=S(None, "0.00", "0.00", "5000.00"))
    expect("l6", r["l6"], settlement=S(None, "280.04", "0.00", "720.01"))
    expect("l7", r["l7"], settlement=S(None, "7760.00", "0.00", "2240.00"))
    expect("l8", r["l8"], settlement=S(None, "7760.00", "144.00", "2096.00"))
    expect("l9", r["l9"], settlement=S(None, "490.00", "0.00", "510.00"))
    expect("l10", r["l10"], settlement=S(None, "560.00", "0.00", "440.00"))
    expect("l11", r["l11"], settlement=S(None, "490.00", "0.00", "510.00"))
    expect("l12", r["l12"], settlement=S(None, "0.00", "0.00", "999.99"))
    check("l13", err_name(r["l13"]["settlement"]) == ("unspecified", "outpatient.ratio"), repr(r["l13"]))
    expect("l14", r["l14"], settlement=S("after_coverage", "0.00", "0.00", "100.00"))
    expect("l15", r["l15"], settlement=S("before_coverage", "0.00", "0.00", "100.00"))
    check("l16.elig", r["l16"]["eligibility"]["eligible"] is False and r["l16"]["eligibility"]["reason"])
    expect("l16", r["l16"], contribution=R("not_eligible"), coverage=R("not_eligible"),
           settlement=S("not_eligible", "0.00", "0.00", "100.00"))
    expect("l17", r["l17"], coverage=COV("2023-12-31", "2023-12-31"),
           settlement=S("before_coverage", "0.00", "0.00", "100.00"))
    expect("l18", r["l18"], coverage=R("no_coverage"), contribution=C("360.00", "0.00", "360.00"),
           settlement=S("before_coverage", "0.00", "0.00", "100.00"))
    expect("l19", r["l19"], coverage=R("not_enrolled"), contribution=R("not_enrolled"),
           settlement=S("not_enrolled", "0.00", "0.00", "100.00"))
    expect("l20", r["l20"], coverage=COV("2023-12-20", "2023-12-31"), contribution=C("310.00", "0.00", "310.00"),
           settlement=S(None, "1360.00", "0.00", "640.00"))
    expect("l21", r["l21"], settlement=S("before_coverage", "0.00", "0.00", "2000.00"))
    expect("l22", r["l22"], coverage=COV("2023-03-01", "2023-12-31"))
    expect("l23", r["l23"], coverage=COV("2023-08-30", "2023-12-31"))
    expect("l24", r["l24"], coverage=FULL)
    expect("l25", r["l25"], coverage=COV("2023-04-02", "2023-12-31"))
    expect("l26", r["l26"], contribution=C("360.00", "0.00", "360.00"))
    expect("l27", r["l27"], contribution=C("310.00", "0.00", "310.00"))
    expect("l28", r["l28"], contribution=C("310.00", "0.00", "310.00"))
    expect("l29", r["l29"], coverage=R("no_coverage"))
    expect("l30", r["l30"], coverage=R("not_enrolled"), contribution=R("not_enrolled"))
    expect("l31", r["l31"], settlement=S(None, "6640.00", "816.00", "2544.00"))
    check("liaoyuan.keyorder", list(r["l1"]) == ["id", "policy", "eligibility", "contribution", "coverage", "settlement"])


# ---------------------------------------------------------------------------
# dianjiang-2024

def test_dianjiang():
    P = "dianjiang-2024"
    FULL = COV("2024-01-01", "2024-12-31")
    lines = [
        # contribution by payment date and tier
        rq("c1", person("1980-01-01", tier=2), paid="2024-07-01"),                 # 755+670
        rq("c2", person("1980-01-01"), paid="2024-09-30"),                         # 380+670
        rq("c3", person("1980-01-01"), paid="2024-10-01"),                         # not_enrolled
        rq("c4", person("1980-01-01"), paid="2024-06-30"),                         # 380; +90 = 2024-09-28
        rq("c5", person("1980-01-01", tier=2, categories=["veteran_special"])),    # 755 aid 755
        rq("c6", person("1980-01-01", tier=1, categories=["veteran_special"])),    # 380 aid 0
        rq("c7", person("1980-01-01", categories=["dibao", "tekun"])),             # aid 380
        rq("c8", person("1980-01-01", categories=["monitored"])),                  # aid 266
        rq("c9", person("1980-01-01", tier=2, categories=["monitored"]), paid="2024-08-01"),  # 1425, aid 380
        rq("c10", person("1980-01-01", categories=["poverty_lifted"])),            # aid 0
        # coverage
        rq("v1", person("1980-01-01"), paid="2024-01-15"),                         # 2024-02-01
        rq("v2", person("1980-01-01"), paid="2024-02-29"),                         # 2024-03-01
        rq("v3", person("1980-01-01"), paid="2024-03-01"),                         # 2024-05-30
        rq("v4", person("1980-01-01"), paid="2024-09-30"),                         # 2024-12-29
        rq("v5", person("1980-01-01"), paid="2023-10-01"),                         # 2024-01-01
        rq("v6", person("2024-08-01"), paid="2024-10-15"),                         # newborn: from birth, 380
        rq("v7", person("2024-08-01", hukou="other"), paid="2024-08-02"),          # not eligible
        rq("v8", person("2024-01-05"), paid="2024-06-01"),                         # not within 90: 2024-08-30
        rq("v9", person("2025-01-03")),                                            # no_coverage
        rq("v10", person("2024-05-20")),                                           # absent: from birth
        rq("v11", person("2024-01-20"), paid="2024-01-25"),                        # newborn -> birth
        # eligibility
        rq("e1", person("1980-01-01", hukou="other", residence_permit=True)),
        rq("e2", person("1980-01-01", hukou="other", student=True)),
        rq("e3", person("1980-01-01", employee_insured=True)),
        rq("e4", person("1980-01-01", employee_insured=True, student=True)),
        rq("e5", person("1980-01-01", hukou="other", hmt=True, residence_permit=True, employee_insured=True)),
        rq("e6", person("1980-01-01", hukou="other", hmt=True)),
        rq("e7", person("2024-03-01", employee_insured=True)),                     # local newborn
    ]
    res = run(P, lines)
    r = {x["id"]: x for x in res}
    expect("c1", r["c1"], contribution=C("1425.00", "0.00", "1425.00"), coverage=COV("2024-09-29", "2024-12-31"))
    expect("c2", r["c2"], contribution=C("1050.00", "0.00", "1050.00"), coverage=COV("2024-12-29", "2024-12-31"))
    expect("c3", r["c3"], contribution=R("not_enrolled"), coverage=R("not_enrolled"))
    expect("c4", r["c4"], contribution=C("380.00", "0.00", "380.00"), coverage=COV("2024-09-28", "2024-12-31"))
    expect("c5", r["c5"], contribution=C("755.00", "755.00", "0.00"))
    expect("c6", r["c6"], contribution=C("380.00", "0.00", "380.00"))
    expect("c7", r["c7"], contribution=C("380.00", "380.00", "0.00"))
    expect("c8", r["c8"], contribution=C("380.00", "266.00", "114.00"))
    expect("c9", r["c9"], contribution=C("1425.00", "380.00", "1045.00"))
    expect("c10", r["c10"], contribution=C("380.00", "0.00", "380.00"))
    expect("v1", r["v1"], coverage=COV("2024-02-01", "2024-12-31"))
    expect("v2", r["v2"], coverage=COV("2024-03-01", "2024-12-31"))
    expect("v3", r["v3"], coverage=COV("2024-05-30", "2024-12-31"))
    expect("v4", r["v4"], coverage=COV("2024-12-29", "2024-12-31"))
    expect("v5", r["v5"], coverage=FULL)
    expect("v6", r["v6"], coverage=COV("2024-08-01", "2024-12-31"), contribution=C("380.00", "0.00", "380.00"))
    expect("v7", r["v7"], eligibility=r["v7"]["eligibility"], coverage=R("not_eligible"), contribution=R("not_eligible"))
    check("v7.elig", r["v7"]["eligibility"]["eligible"] is False)
    expect("v8", r["v8"], coverage=COV("2024-08-30", "2024-12-31"), contribution=C("380.00", "0.00", "380.00"))
    expect("v9", r["v9"], coverage=R("no_coverage"))
    expect("v10", r["v10"], coverage=COV("2024-05-20", "2024-12-31"))
    expect("v11", r["v11"], coverage=COV("2024-01-20", "2024-12-31"))
    for e, ok in (("e1", True), ("e2", True), ("e3", False), ("e4", True), ("e5", True), ("e6", False), ("e7", True)):
        check("dianjiang." + e, r[e]["eligibility"]["eligible"] is ok, repr(r[e]))

    # claims with ledgers
    A = lambda **kw: person("1980-01-01", "A", **kw)          # adult tier 1
    K = lambda **kw: person("2010-06-15", "K", **kw)          # minor (13)
    lines = [
        # outpatient level 2: 150 fills the 200 deductible -> 0
        rq("o1", A(), c=claim("outpatient", "2024-02-01", 2, "150")),
        # 250: deductible 50 left, (250-50)*.4 = 80
        rq("o2", A(), c=claim("outpatient", "2024-02-02", 2, "250")),
        # level 1: 400*.6 = 240 -> cap 300-80 = 220
        rq("o3", A(), c=claim("outpatient", "2024-02-03", 1, "400")),
        # cap used up
        rq("o4", A(), c=claim("outpatient", "2024-02-04", 1, "100")),
        # level 3 adult: no_benefit
        rq("o5", A(), c=claim("outpatient", "2024-02-05", 3, "100", childrens_hospital=True)),
        # remote: unspecified before no_benefit
        rq("o6", A(), c=claim("outpatient", "2024-02-05", 3, "100", remote="referred")),
        # minor at a children's hospital level 3 -> level 2: 100 into deductible -> 0, then 300: 100 left, 200*.4 = 80
        rq("o7", K(), c=claim("outpatient", "2024-02-05", 3, "100", childrens_hospital=True)),
        rq("o8", K(), c=claim("outpatient", "2024-02-06", 2, "300")),
        # minor at level 3 not children's: no_benefit
        rq("o9", K(), c=claim("outpatient", "2024-02-07", 3, "300")),
        # tier 2 outpatient cap 500: level 1 1000*.6 = 600 -> 500
        rq("o10", person("1980-01-01", "T2", tier=2), c=claim("outpatient", "2024-03-01", 1, "1200", compliant="1000")),
        # inpatient minor tier 2 level 1: payable 10000 * (85+5)% = 9000; selfpay 1100
        rq("i1", person("2010-06-15", "M", tier=2), c=claim("inpatient", "2024-04-01", 1, "10100")),
        # TCM level 3 tier 1 adult: ded 300 (level 2's); payable 10000*.5 = 5000 + 4000*.1 = 400 -> 5400
        rq("i2", person("1980-01-01", "TC"), c=claim("inpatient", "2024-04-01", 3, "10300", tcm_hospital=True, tcm_drug="4000")),
        # TCM level 2: ded 100; payable 900 *.7 = 630 + min(2000, 900)*.1 = 90 -> 720; selfpay 280
        rq("i3", person("1980-01-01", "TD"), c=claim("special_outpatient", "2024-04-01", 2, "1000", tcm_hospital=True, tcm_drug="1000")),
        # TCM 100% ceiling: tier 2 minor level 1: 90% + 10 -> 100%: payable 1000 -> 1000
        rq("i4", person("2010-06-15", "TE", tier=2), c=claim("inpatient", "2024-04-01", 1, "1100", tcm_hospital=True, tcm_drug="1100")),
        # cap: tier 1 level 3 payable 200000*.5 = 100000 -> 80000; selfpay 120800: (120800-17833)*.6 = 61780.20
        rq("i5", person("1980-01-01", "CP"), c=claim("inpatient", "2024-05-01", 3, "210000", compliant="200800")),
        # cesarean after the cap: inpatient 0 -> raised to min(600, 1000) = 600; selfpay 400*.6 = 240
        rq("i6", person("1980-01-01", "CP"), c=claim("delivery_cesarean", "2024-05-02", 1, "1000")),
        # special outpatient after cap: 0; selfpay 5000 *.6 = 3000
        rq("i7", person("1980-01-01", "CP"), c=claim("special_outpatient", "2024-05-03", 1, "5000")),
        # cesarean paying more as inpatient: level 1 5100 -> 5000*.8 = 4000; selfpay 1100
        rq("i8", person("1980-01-01", "CS"), c=claim("delivery_cesarean", "2024-05-02", 1, "5100")),
        # cesarean below deductible: level 3 700 -> 0 -> raised to 600; selfpay 100
        rq("i9", person("1980-01-01", "CS"), c=claim("delivery_cesarean", "2024-05-03", 3, "700")),
        # prenatal: 200, then 100 (yearly 300), then 0
        rq("p1", person("1990-01-01", "PR"), c=claim("prenatal", "2024-02-01", 3, "200")),
        rq("p2", person("1990-01-01", "PR"), c=claim("prenatal", "2024-03-01", 3, "200")),
        rq("p3", person("1990-01-01", "PR"), c=claim("prenatal", "2024-04-01", 3, "50")),
        # vaginal: min(600, compliant)
        rq("d1", person("1990-01-01", "PR"), c=claim("delivery_vaginal", "2024-05-01", 2, "800")),
        rq("d2", person("1990-01-01", "PR"), c=claim("delivery_vaginal", "2024-05-02", 2, "500", compliant="450.55")),
        # running threshold over two claims: level 1 adult
        #   claim 1: compliant 50100: payable 50000*.8 = 40000; selfpay 10100 -> 0
        #   claim 2: same: acc 20200 -> (20200-17833)*.6 = 1420.20
        rq("t1", person("1980-01-01", "RT"), c=claim("inpatient", "2024-06-01", 1, "50100")),
        rq("t2", person("1980-01-01", "RT"), c=claim("inpatient", "2024-06-02", 1, "50100")),
        # tekun: 8916.5 threshold, 65%, no cap.  level 3 payable 199200 -> 99600 > 80000 cap -> 80000;
        #   selfpay 120000: (120000-8916.5)*.65 = 72204.275 -> 72204.28
        rq("t3", person("1980-01-01", "TK", categories=["tekun"]), c=claim("inpatient", "2024-06-01", 3, "200000")),
        # tekun, no CI cap: level 3 compliant 400000: basic 0 (cap used); selfpay 400000*.65 = 260000
        rq("t4", person("1980-01-01", "TK", categories=["tekun"]), c=claim("inpatient", "2024-06-02", 3, "400000")),
        # normal person, CI cap 200000: level 3 compliant 400800 tier1: payable 400000*.5 = 200000 -> 80000
        #   selfpay 320800 -> (320800-17833)*.6 = 181780.20; second claim 100000: basic 0, selfpay 100000*.6 = 60000 -> capped 18219.80
        rq("t5", person("1980-01-01", "NC"), c=claim("inpatient", "2024-06-01", 3, "400800")),
        rq("t6", person("1980-01-01", "NC"), c=claim("inpatient", "2024-06-02", 3, "100000")),
        # remote for inpatient: unspecified, ledger untouched
        rq("r1", person("1980-01-01", "RM"), c=claim("inpatient", "2024-06-02", 3, "100000", remote="longterm")),
        # claim dates vs coverage: paid 2024-03-01 -> from 2024-05-30
        rq("b1", person("1980-01-01", "BC"), paid="2024-03-01", c=claim("inpatient", "2024-05-29", 1, "1000")),
        rq("b2", person("1980-01-01", "BC"), paid="2024-03-01", c=claim("inpatient", "2024-05-30", 1, "1000")),
        rq("b3", person("1980-01-01", "BC"), paid="2024-10-01", c=claim("inpatient", "2024-05-30", 1, "1000")),
        rq("b4", person("1980-01-01", "BC", hukou="other"), c=claim("inpatient", "2025-01-01", 1, "1000")),
        rq("b5", person("1980-01-01", "BC"), c=claim("inpatient", "2025-01-01", 1, "1000", remote="self")),
        # minor: turns 18 on 2024-03-05 (born 2006-03-05); 2024-03-04 is minor.
        #   level 3 tier 1: payable 1000 * 55% = 550 the day before, 500 on the day
        rq("m1", person("2006-03-05", "M1"), c=claim("inpatient", "2024-03-04", 3, "1800")),
        rq("m2", person("2006-03-05", "M2"), c=claim("inpatient", "2024-03-05", 3, "1800")),
        # Feb 29: born 2004-02-29 is 20 in 2024; newborn 2024-02-29 is a minor
        rq("m3", person("2024-02-29", "M3"), c=claim("inpatient", "2024-03-01", 1, "1100")),   # 1000*.85 = 850
        # the cause is not restricted
        rq("x1", person("1980-01-01", "X"), c=claim("inpatient", "2024-03-01", 1, "1100", cause="crime")),  # 800
        # rounding: level 2 tier 1 payable 0.05*.7 = 0.035 -> 0.04
        rq("x2", person("1980-01-01", "Y"), c=claim("inpatient", "2024-03-01", 2, "300.05")),
    ]
    res = run(P, lines)
    r = {x["id"]: x for x in res}
    expect("o1", r["o1"], settlement=S(None, "0.00", "0.00", "150.00"))
    expect("o2", r["o2"], settlement=S(None, "80.00", "0.00", "170.00"))
    expect("o3", r["o3"], settlement=S(None, "220.00", "0.00", "180.00"))
    expect("o4", r["o4"], settlement=S(None, "0.00", "0.00", "100.00"))
    expect("o5", r["o5"], settlement=S("no_benefit", "0.00", "0.00", "100.00"))
    check("o6", err_name(r["o6"]["settlement"]) == ("unspecified", "remote.ratio"), repr(r["o6"]))
    expect("o7", r["o7"], settlement=S(None, "0.00", "0.00", "100.00"))
    expect("o8", r["o8"], settlement=S(None, "80.00", "0.00", "220.00"))
    expect("o9", r["o9"], settlement=S("no_benefit", "0.00", "0.00", "300.00"))
    expect("o10", r["o10"], settlement=S(None, "500.00", "0.00", "700.00"))
    expect("i1", r["i1"], settlement=S(None, "9000.00", "0.00", "1100.00"))
    expect("i2", r["i2"], settlement=S(None, "5400.00", "0.00", "4900.00"))
    expect("i3", r["i3"], settlement=S(None, "720.00", "0.00", "280.00"))
    expect("i4", r["i4"], settlement=S(None, "1000.00", "0.00", "100.00"))
    expect("i5", r["i5"], settlement=S(None, "80000.00", "61780.20", "68219.80"))
    expect("i6", r["i6"], settlement=S(None, "600.00", "240.00", "160.00"))
    expect("i7", r["i7"], settlement=S(None, "0.00", "3000.00", "2000.00"))
    expect("i8", r["i8"], settlement=S(None, "4000.00", "0.00", "1100.00"))
    expect("i9", r["i9"], settlement=S(None, "600.00", "0.00", "100.00"))
    expect("p1", r["p1"], settlement=S(None, "200.00", "0.00", "0.00"))
    expect("p2", r["p2"], settlement=S(None, "100.00", "0.00", "100.00"))
    expect("p3", r["p3"], settlement=S(None, "0.00", "0.00", "50.00"))
    expect("d1", r["d1"], settlement=S(None, "600.00", "0.00", "200.00"))
    expect("d2", r["d2"], settlement=S(None, "450.55", "0.00", "49.45"))
    expect("t1", r["t1"], settlement=S(None, "40000.00", "0.00", "10100.00"))
    expect("t2", r["t2"], settlement=S(None, "40000.00", "1420.20", "8679.80"))
    expect("t3", r["t3"], settlement=S(None, "80000.00", "72204.28", "47795.72"))
    expect("t4", r["t4"], settlement=S(None, "0.00", "260000.00", "140000.00"))
    expect("t5", r["t5"], settlement=S(None, "80000.00", "181780.20", "139019.80"))
    expect("t6", r["t6"], settlement=S(None, "0.00", "18219.80", "81780.20"))
    check("r1", err_name(r["r1"]["settlement"]) == ("unspecified", "remote.ratio"), repr(r["r1"]))
    expect("b1", r["b1"], settlement=S("before_coverage", "0.00", "0.00", "1000.00"))
    expect("b2", r["b2"], settlement=S(None, "720.00", "0.00", "280.00"))
    expect("b3", r["b3"], settlement=S("not_enrolled", "0.00", "0.00", "1000.00"))
    expect("b4", r["b4"], settlement=S("not_eligible", "0.00", "0.00", "1000.00"))
    expect("b5", r["b5"], settlement=S("after_coverage", "0.00", "0.00", "1000.00"))
    expect("m1", r["m1"], settlement=S(None, "550.00", "0.00", "1250.00"))
    expect("m2", r["m2"], settlement=S(None, "500.00", "0.00", "1300.00"))
    expect("m3", r["m3"], settlement=S(None, "850.00", "0.00", "250.00"))
    expect("x1", r["x1"], settlement=S(None, "800.00", "0.00", "300.00"))
    expect("x2", r["x2"], settlement=S(None, "0.04", "0.00", "300.01"))

    # ledgers: the same year in two batches (with a ledger file) = in one batch
    batch = [rq("s%d" % i, person("1980-01-01", "L"), c=claim("inpatient", "2024-0%d-01" % (i + 1), 3, "%d0000.37" % (i + 3)))
             for i in range(6)]
    one = run(P, batch)
    with tempfile.TemporaryDirectory() as tmp:
        f1, f2 = os.path.join(tmp, "a.json"), os.path.join(tmp, "b.json")
        for part, lo, hi, lin, lout in ((1, 0, 3, None, f1), (2, 3, 6, f1, f2)):
            data = "".join(json.dumps(x) + "\n" for x in batch[lo:hi]).encode()
            cmd = [sys.executable, os.path.join(HERE, "reference.py"), P, "--ledger-out", lout]
            if lin:
                cmd += ["--ledger-in", lin]
            p = subprocess.run(cmd, input=data, capture_output=True)
            check("ledger.batch%d.rc" % part, p.returncode == 0, p.stderr.decode())
            got = [json.loads(l, parse_float=lambda s: s, parse_int=lambda s: s) for l in p.stdout.decode().splitlines()]
            check("ledger.batch%d" % part, got == one[lo:hi], "%r\n%r" % (got, one[lo:hi]))
    # and errors/reasons do not touch the ledger: a not_enrolled claim between two claims
    seq = run(P, [rq("q1", person("1980-01-01", "Z"), c=claim("outpatient", "2024-02-01", 1, "400")),
                  rq("q2", person("1980-01-01", "Z"), paid="2024-12-01", c=claim("outpatient", "2024-02-01", 1, "400")),
                  rq("q3", person("1980-01-01", "Z"), c=claim("outpatient", "2024-02-01", 1, "400", remote="self")),
                  rq("q4", person("1980-01-01", "Z"), c=claim("outpatient", "2024-02-01", 1, "400"))])
    # 240, then cap 300: 60
    check("ledger.untouched", [x["settlement"].get("basic") for x in seq] == ["240.00", "0.00", None, "60.00"], repr(seq))


# ---------------------------------------------------------------------------
# national-2024 and national-2023

def test_national():
    P = "national-2024"
    lines = [
        rq("n1", person("1980-01-01")),                                            # 400, 2024-01-01
        rq("n2", person("1980-01-01"), paid="2024-02-29"),                         # 400, from paid_on
        rq("n3", person("1980-01-01"), paid="2024-03-01"),                         # 1070, 2024-06-01
        rq("n4", person("1980-01-01"), paid="2024-09-30"),                         # 1070, 2024-12-30
        rq("n5", person("1980-01-01"), paid="2024-10-01"),                         # 1070, no_coverage
        rq("n6", person("1980-01-01"), paid="2024-11-30"),                         # 2025-02-28: no_coverage
        rq("n7", person("1980-01-01"), paid="2025-01-01"),                         # not_enrolled
        rq("n8", person("2024-11-15"), paid="2025-01-20"),                         # newborn: birth, 400
        rq("n9", person("2024-01-10"), paid="2024-05-01"),                         # not within 90: 1070, 2024-08-01
        rq("n10", person("1980-01-01", categories=["dibao"])),                     # aid unspecified
        rq("n11", person("1980-01-01"), paid="2024-03-31"),                        # 2024-06-30 (clamped)
        rq("n12", person("1980-01-01"), paid="2024-05-31"),                        # 2024-08-31
        rq("n13", person("1980-01-01", employee_insured=True)),
        rq("n14", person("1980-01-01"), paid="2024-01-01"),                        # from 2024-01-01
        rq("n15", person("2023-12-20"), paid="2024-01-10"),                        # not a newborn of 2024: from paid_on
        # claims
        rq("k1", person("1980-01-01", "A"), c=claim("inpatient", "2024-03-05", 1, "1000")),
        rq("k2", person("1980-01-01", "A"), paid="2024-03-01", c=claim("inpatient", "2024-05-31", 1, "1000")),
        rq("k3", person("1980-01-01", "A"), c=claim("outpatient", "2023-12-31", 1, "1000")),
        rq("k4", person("1980-01-01", "A"), c=claim("outpatient", "2025-01-01", 1, "1000")),
        rq("k5", person("1980-01-01", "A"), paid="2024-10-01", c=claim("inpatient", "2024-12-31", 1, "1000")),
        rq("k6", person("1980-01-01", "A"), paid="2025-01-01", c=claim("inpatient", "2024-12-31", 1, "1000")),
        rq("k7", person("1980-01-01", "A"), c=claim("inpatient", "2024-03-05", 1, "1000", cause="crime")),
    ]
    r = {x["id"]: x for x in run(P, lines)}
    expect("n1", r["n1"], contribution=C("400.00", "0.00", "400.00"), coverage=COV("2024-01-01", "2024-12-31"))
    expect("n2", r["n2"], contribution=C("400.00", "0.00", "400.00"), coverage=COV("2024-02-29", "2024-12-31"))
    expect("n3", r["n3"], contribution=C("1070.00", "0.00", "1070.00"), coverage=COV("2024-06-01", "2024-12-31"))
    expect("n4", r["n4"], contribution=C("1070.00", "0.00", "1070.00"), coverage=COV("2024-12-30", "2024-12-31"))
    expect("n5", r["n5"], contribution=C("1070.00", "0.00", "1070.00"), coverage=R("no_coverage"))
    expect("n6", r["n6"], coverage=R("no_coverage"))
    expect("n7", r["n7"], contribution=R("not_enrolled"), coverage=R("not_enrolled"))
    expect("n8", r["n8"], contribution=C("400.00", "0.00", "400.00"), coverage=COV("2024-11-15", "2024-12-31"))
    expect("n9", r["n9"], contribution=C("1070.00", "0.00", "1070.00"), coverage=COV("2024-08-01", "2024-12-31"))
    check("n10.contribution", err_name(r["n10"]["contribution"]) == ("unspecified", "aid"), repr(r["n10"]))
    expect("n10", r["n10"], coverage=COV("2024-01-01", "2024-12-31"))
    expect("n11", r["n11"], coverage=COV("2024-06-30", "2024-12-31"))
    expect("n12", r["n12"], coverage=COV("2024-08-31", "2024-12-31"))
    expect("n13", r["n13"], contribution=R("not_eligible"), coverage=R("not_eligible"))
    expect("n14", r["n14"], coverage=COV("2024-01-01", "2024-12-31"), contribution=C("400.00", "0.00", "400.00"))
    expect("n15", r["n15"], coverage=COV("2024-01-10", "2024-12-31"))
    check("k1", err_name(r["k1"]["settlement"]) == ("unspecified", "inpatient.ratio"), repr(r["k1"]))
    expect("k2", r["k2"], settlement=S("before_coverage", "0.00", "0.00", "1000.00"))
    expect("k3", r["k3"], settlement=S("before_coverage", "0.00", "0.00", "1000.00"))
    expect("k4", r["k4"], settlement=S("after_coverage", "0.00", "0.00", "1000.00"))
    expect("k5", r["k5"], settlement=S("before_coverage", "0.00", "0.00", "1000.00"))
    expect("k6", r["k6"], settlement=S("not_enrolled", "0.00", "0.00", "1000.00"))
    check("k7", err_name(r["k7"]["settlement"]) == ("unspecified", "inpatient.ratio"), repr(r["k7"]))

    P = "national-2023"
    lines = [
        rq("a1", person("1980-01-01")),
        rq("a2", person("1980-01-01"), paid="2023-08-01"),
        rq("a3", person("1980-01-01"), paid="2024-01-01"),
        rq("a4", person("1980-01-01", categories=["tekun"])),
        rq("a5", person("1980-01-01", employee_insured=True)),
        rq("a6", person("1980-01-01", "A"), c=claim("inpatient", "2022-12-31", 1, "10")),
        rq("a7", person("1980-01-01", "A"), c=claim("inpatient", "2024-01-01", 1, "10")),
        rq("a8", person("1980-01-01", "A"), c=claim("inpatient", "2023-06-01", 1, "10")),
        rq("a9", person("1980-01-01", "A"), paid="2024-03-01", c=claim("inpatient", "2023-06-01", 1, "10")),
        rq("a10", person("2023-07-01", "A"), c=claim("inpatient", "2023-06-30", 1, "10")),
    ]
    r = {x["id"]: x for x in run(P, lines)}
    expect("a1", r["a1"], contribution=C("380.00", "0.00", "380.00"), policy="national-2023")
    check("a1.coverage", err_name(r["a1"]["coverage"]) == ("unspecified", "coverage.start"), repr(r["a1"]))
    expect("a2", r["a2"], contribution=C("380.00", "0.00", "380.00"))
    expect("a3", r["a3"], contribution=R("not_enrolled"), coverage=R("not_enrolled"))
    check("a4", err_name(r["a4"]["contribution"]) == ("unspecified", "aid"), repr(r["a4"]))
    expect("a5", r["a5"], contribution=R("not_eligible"), coverage=R("not_eligible"))
    expect("a6", r["a6"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))
    expect("a7", r["a7"], settlement=S("after_coverage", "0.00", "0.00", "10.00"))
    check("a8", err_name(r["a8"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["a8"]))
    expect("a9", r["a9"], settlement=S("not_enrolled", "0.00", "0.00", "10.00"))
    expect("a10", r["a10"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))


# ---------------------------------------------------------------------------
# sanya-2024

def test_sanya():
    P = "sanya-2024"
    elig = [
        ("s1", dict(), True),
        ("s2", dict(insured_elsewhere=True), False),
        ("s3", dict(employee_insured=True), False),
        ("s4", dict(employee_insured=True, retiree_uncovered=True), True),
        ("s5", dict(hukou="other", retiree_uncovered=True), False),
        ("s6", dict(hukou="other", residence_permit=True, employed=True), True),
        ("s7", dict(hukou="other", residence_permit=True, employed=True, employee_insured=True), False),
        ("s8", dict(hukou="other", residence_permit=True), False),
        ("s9", dict(hukou="other", residence_permit=True, foreign=True), True),
        ("s10", dict(hukou="other", foreign=True), False),
        ("s11", dict(hukou="other", inmate=True, employee_insured=True), True),
        ("s12", dict(hukou="other", migrant_child=True), False),
        ("s13", dict(hukou="other", migrant_child=True, parent_qualifies=True), True),
        ("s14", dict(hukou="other", talent_family=True), True),
        ("s15", dict(hukou="other", student=True, employee_insured=True), True),
        ("s16", dict(student=True, insured_elsewhere=True), False),
        ("s17", dict(hukou="other"), False),
        ("s18", dict(hukou="other", residence_permit=True, foreign=True, employee_insured=True), False),
    ]
    lines = [rq(n, person("1980-01-01", **kw)) for n, kw, _ in elig]
    lines += [
        rq("x1", person("1980-01-01"), paid="2024-03-01"),
        rq("x2", person("1980-01-01"), paid="2025-01-01"),
        rq("x3", person("2024-05-05")),
        rq("x4", person("1980-01-01", "A"), paid="2024-03-01", c=claim("inpatient", "2024-06-01", 1, "10")),
        rq("x5", person("1980-01-01", "A"), paid="2024-03-01", c=claim("inpatient", "2023-06-01", 1, "10")),
        rq("x6", person("1980-01-01", "A"), c=claim("outpatient", "2024-06-01", 1, "10")),
        rq("x7", person("2024-05-05", "B"), c=claim("inpatient", "2024-05-04", 1, "10")),
        rq("x8", person("1980-01-01", "A"), paid="2023-09-01", c=claim("inpatient", "2024-06-01", 1, "10", cause="crime")),
        rq("x9", person("1980-01-01", "A", insured_elsewhere=True), c=claim("inpatient", "2024-06-01", 1, "10")),
    ]
    r = {x["id"]: x for x in run(P, lines)}
    for n, kw, ok in elig:
        check("sanya." + n, r[n]["eligibility"]["eligible"] is ok, repr(r[n]))
        if ok:
            expect(n, r[n], contribution=C("380.00", "0.00", "380.00"), coverage=COV("2024-01-01", "2024-12-31"))
        else:
            expect(n, r[n], contribution=R("not_eligible"), coverage=R("not_eligible"))
    expect("x1", r["x1"], contribution=C("380.00", "0.00", "380.00"))
    check("x1.coverage", err_name(r["x1"]["coverage"]) == ("unspecified", "coverage.start"), repr(r["x1"]))
    expect("x2", r["x2"], contribution=R("not_enrolled"), coverage=R("not_enrolled"))
    expect("x3", r["x3"], coverage=COV("2024-05-05", "2024-12-31"))
    check("x4", err_name(r["x4"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["x4"]))
    expect("x5", r["x5"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))
    check("x6", err_name(r["x6"]["settlement"]) == ("unspecified", "outpatient.ratio"), repr(r["x6"]))
    expect("x7", r["x7"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))
    check("x8", err_name(r["x8"]["settlement"]) == ("unspecified", "inpatient.ratio"), repr(r["x8"]))
    expect("x9", r["x9"], settlement=S("not_eligible", "0.00", "0.00", "10.00"))


# ---------------------------------------------------------------------------
# hunan-2024 and changsha-2024

def test_hunan_changsha():
    for P in ("hunan-2024", "changsha-2024"):
        lines = [
            rq("h1", person("1980-01-01", categories=["tekun"])),
            rq("h2", person("1980-01-01", categories=["dibao"])),
            rq("h3", person("1980-01-01", categories=["dibao", "severe_disability"])),
            rq("h4", person("1980-01-01", categories=["poverty_lifted", "veteran_special"])),
            rq("h5", person("1980-01-01", categories=["monitored", "dibao_edge"])),
            rq("h6", person("1980-01-01", categories=["orphan"], tier=2)),
            rq("h7", person("1980-01-01", employee_insured=True)),
            rq("h8", person("1980-01-01"), paid="2024-12-31"),
            rq("h9", person("1980-01-01"), paid="2025-01-01"),
            rq("h10", person("1980-01-01"), paid="2023-09-01"),
        ]
        lines += [rq("c_" + cause, person("1980-01-01", "A"), c=claim("inpatient", "2024-06-01", 2, "100", cause=cause))
                  for cause in ("work_injury", "third_party", "public_health", "abroad", "cosmetic", "crime", "illness")]
        lines += [
            rq("u1", person("1980-01-01", "A"), paid="2024-01-15", c=claim("inpatient", "2024-06-01", 1, "10", cause="crime")),
            rq("u2", person("1980-01-01", "A"), paid="2024-01-15", continuing=True, c=claim("inpatient", "2024-01-14", 1, "10")),
            rq("u3", person("1980-01-01", "A"), paid="2024-01-15", continuing=False, c=claim("inpatient", "2024-01-15", 1, "10")),
            rq("u4", person("1980-01-01", "A"), paid="2024-02-29", c=claim("outpatient", "2024-02-29", 1, "10", cause="abroad")),
            rq("u5", person("1980-01-01", "A"), paid="2024-03-01", continuing=True),
            rq("u6", person("2024-02-01", "A"), paid="2024-01-15"),
            rq("u7", person("1980-01-01", "A"), c=claim("inpatient", "2023-12-31", 1, "10", cause="crime")),
        ]
        r = {x["id"]: x for x in run(P, lines)}
        expect(P + ".h1", r["h1"], contribution=C("380.00", "380.00", "0.00"), coverage=COV("2024-01-01", "2024-12-31"))
        expect(P + ".h2", r["h2"], contribution=C("380.00", "190.00", "190.00"))
        expect(P + ".h3", r["h3"], contribution=C("380.00", "380.00", "0.00"))
        expect(P + ".h4", r["h4"], contribution=C("380.00", "0.00", "380.00"))
        expect(P + ".h5", r["h5"], contribution=C("380.00", "190.00", "190.00"))
        expect(P + ".h6", r["h6"], contribution=C("380.00", "380.00", "0.00"))
        expect(P + ".h7", r["h7"], contribution=R("not_eligible"), coverage=R("not_eligible"))
        expect(P + ".h8", r["h8"], contribution=C("380.00", "0.00", "380.00"))
        check(P + ".h8.coverage", err_name(r["h8"]["coverage"]) == ("unspecified", "coverage.start"), repr(r["h8"]))
        expect(P + ".h9", r["h9"], contribution=R("not_enrolled"), coverage=R("not_enrolled"))
        expect(P + ".h10", r["h10"], coverage=COV("2024-01-01", "2024-12-31"))
        for cause in ("work_injury", "third_party", "public_health", "abroad", "cosmetic", "crime"):
            expect(P + ".c_" + cause, r["c_" + cause], settlement=S("excluded_cause", "0.00", "0.00", "100.00"))
        check(P + ".c_illness", err_name(r["c_illness"]["settlement"]) == ("unspecified", "inpatient.ratio"), repr(r["c_illness"]))
        expect(P + ".u7", r["u7"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))
        if P == "hunan-2024":
            # coverage unspecified for payments in 2024 comes before cause exclusions
            check(P + ".u1", err_name(r["u1"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["u1"]))
            check(P + ".u2", err_name(r["u2"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["u2"]))
            check(P + ".u4", err_name(r["u4"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["u4"]))
        else:
            expect(P + ".u1", r["u1"], coverage=COV("2024-01-15", "2024-12-31"),
                   settlement=S("excluded_cause", "0.00", "0.00", "10.00"))
            expect(P + ".u2", r["u2"], settlement=S("before_coverage", "0.00", "0.00", "10.00"))
            expect(P + ".u4", r["u4"], coverage=COV("2024-02-29", "2024-12-31"),
                   settlement=S("excluded_cause", "0.00", "0.00", "10.00"))
            expect(P + ".u6", r["u6"], coverage=COV("2024-02-01", "2024-12-31"))
        check(P + ".u3", err_name(r["u3"]["settlement"]) == ("unspecified", "coverage.start"), repr(r["u3"]))
        check(P + ".u5", err_name(r["u5"]["coverage"]) == ("unspecified", "coverage.start"), repr(r["u5"]))


# ---------------------------------------------------------------------------
# generator sanity: valid lines are valid, bad lines are bad

def test_generator():
    gen = os.path.join(HERE, "generate.py")
    for P in sorted(reference.POLICIES):
        p = subprocess.run([sys.executable, gen, "--policy", P, "--count", "400", "--seed", "5", "--bad-share", "0"],
                           capture_output=True)
        res = reference.run(reference.POLICIES[P](), p.stdout, {})
        check("gen.good." + P, len(res) == 400 and not any('"bad_input"' in x for x in res))
        p = subprocess.run([sys.executable, gen, "--policy", P, "--count", "400", "--seed", "6", "--bad-share", "1"],
                           capture_output=True)
        res = reference.run(reference.POLICIES[P](), p.stdout, {})
        check("gen.bad." + P, 300 < len(res) < 400 and all('"bad_input"' in x for x in res), str(len(res)))
        p2 = subprocess.run([sys.executable, gen, "--policy", P, "--count", "400", "--seed", "6", "--bad-share", "1"],
                            capture_output=True)
        check("gen.deterministic." + P, p.stdout == p2.stdout)


def main():
    for t in (test_example, test_validation, test_liaoyuan, test_dianjiang, test_national,
              test_sanya, test_hunan_changsha, test_generator):
        t()
    for f in FAILED:
        print("FAIL", f)
    print("%d passed, %d failed" % (PASSED, len(FAILED)))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
