#!/usr/bin/env python3
"""Independent reference implementation (test oracle) of the seven seed policies.

Built from /work/shared/spec/interchange.md and /work/shared/spec/seed-policies.md
only.  Python 3 standard library only.  Exact arithmetic with fractions.Fraction.

    python3 reference.py POLICY_ID < requests.jsonl > results.jsonl
    python3 reference.py POLICY_ID --ledger-in L0.json --ledger-out L1.json < ... > ...

Choices made where the spec is open (the fields that matter for comparison are
codes, reasons, amounts and dates; the choices below that affect them are
marked [*]):

 1. `name` of an `unspecified` error: "coverage.start" (start of cover for a
    payment whose case is not published), "aid" (national aid for a person with
    categories), "remote.ratio" (dianjiang remote care), "<kind>.ratio" for a
    claim kind whose benefit is not published (e.g. "inpatient.ratio",
    "outpatient.ratio").  Messages are free text.
 2. bad_input messages are "line N: <path>: <what>"; only the first problem
    found is reported (objects: duplicate keys, then unknown keys, then the
    fields in schema order; then the amount consistency checks).
 3. The `id` of a bad_input result is the top-level "id" when the line parses
    as a JSON object whose "id" is a string given once; otherwise null.
 4. `enrollment` (the object) is optional: absent or null means {} (both of
    its fields are optional).  `person` is required (it holds the required
    birth_date); `person: null` is refused.  `claim: null` = no claim.
 5. `person.categories` may repeat a member (it is read as a set).
 6. Strings holding lone UTF-16 surrogates (via \\ud800 escapes) are refused
    as bad_input; NaN/Infinity are refused (not JSON).
 7. Dates must be `[0-9]{4}-[0-9]{2}-[0-9]{2}` naming a real day of years
    0001..9999 (year 0000 refused).
 8. Age: years = ref.year - birth.year - ((ref.month, ref.day) <
    (birth.month, birth.day)); a Feb-29 birthday is reached on Mar 1 in a
    common year.  (Only dianjiang-2024 uses age, on 2024 claim dates, and 2024
    is a leap year, so the Feb-29 convention never affects a result.)
 9. [*] national-2023: standard is 380 whatever the payment date (the late
    "total 1020" rule would need a window the spec does not give); coverage
    is `unspecified` ("coverage.start") for an eligible person who paid by
    2023-12-31 (or without paid_on); a payment after 2023-12-31 is still
    `not_enrolled` (general rule); national-2023 has no newborn rule.
10. [*] Where the start-of-cover case is unspecified, the coverage section is
    the `unspecified` error even for a person born after the benefit year
    (the birth-date floor is applied to a computed start only).  A claim of
    such a person is `before_coverage` anyway (claim before birth).
11. [*] The newborn rule with `paid_on` absent applies (absent = paid in the
    window, which is before the birth, so <= birth + 90 days); the result is
    the same as without it (start floored to birth_date).
12. [*] The oracle never reports `overflow`: all arithmetic is exact.  An
    engine answering `overflow` for very large amounts must be checked by hand.
13. Ledger file format (--ledger-in/--ledger-out) is this oracle's own JSON:
    {"format": "yibao-oracle-ledger-1", "ledgers": [{"person": ID, "year": Y,
    "values": {NAME: "decimal or p/q"}}]}.
14. Output strings are written with ensure_ascii=False (UTF-8).
15. [*] dianjiang-2024 cesarean: the inpatient settlement (deductible, rate,
    TCM bonus, capped by the inpatient cap left, rounded) is raised to
    min(600, compliant) when lower; the raised value is added to the shared
    inpatient/special-outpatient cap ledger (which may thus exceed the cap)
    and critical illness self-pay is compliant - that basic.
16. [*] dianjiang-2024 outpatient at level 3 settled as level 2 (minor at a
    children's hospital) shares the level-2 yearly deductible.
17. [*] Ledger values for critical illness: the running self-pay
    accumulation is compliant - basic(rounded) per assessed claim of a kind
    that has critical illness; other kinds do not touch it.
18. [*] Tier and categories are read from each request: each claim uses its
    own request's values against the accumulated ledger.
19. The unknown-key suggestion is difflib's closest known key of the object.
See README.md for the full discussion.
"""

import argparse
import datetime
import difflib
import json
import re
import sys
from fractions import Fraction as F

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
MONEY_LIMIT = F(10) ** 12

# ---------------------------------------------------------------------------
# JSON reading with raw number tokens and duplicate-key detection


class Num:
    """A JSON number kept as its token text."""
    __slots__ = ("text", "is_int")

    def __init__(self, text, is_int):
        self.text = text
        self.is_int = is_int

    def __repr__(self):
        return "Num(%s)" % self.text


class Obj(dict):
    """A JSON object; `dups` lists keys that were given more than once."""
    dups = ()


def _pairs_hook(pairs):
    o = Obj()
    dups = []
    for k, v in pairs:
        if k in o:
            dups.append(k)
        o[k] = v
    if dups:
        o.dups = dups
    return o


def _bad_constant(name):
    raise ValueError("not JSON: %s" % name)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs_hook,
    parse_int=lambda s: Num(s, True),
    parse_float=lambda s: Num(s, False),
    parse_constant=_bad_constant,
)


class BadInput(Exception):
    pass


class Unspecified(Exception):
    def __init__(self, name, message):
        Exception.__init__(self, message)
        self.name = name
        self.message = message


def _has_surrogate(s):
    return any("\ud800" <= ch <= "\udfff" for ch in s)


def _check_strings(v, path):
    if isinstance(v, str):
        if _has_surrogate(v):
            raise BadInput("%s: string holds a lone UTF-16 surrogate" % path)
    elif isinstance(v, Obj):
        for k, x in v.items():
            if _has_surrogate(k):
                raise BadInput("%s: key holds a lone UTF-16 surrogate" % path)
            _check_strings(x, path + "." + k if path else k)
    elif isinstance(v, list):
        for i, x in enumerate(v):
            _check_strings(x, "%s[%d]" % (path, i))


# ---------------------------------------------------------------------------
# Schema

CATEGORIES = ["tekun", "orphan", "dibao", "dibao_edge", "monitored",
              "severe_disability", "poverty_relapse", "poverty_lifted",
              "illness_poverty", "veteran_special", "veteran_rural60"]
KINDS = ["outpatient", "special_outpatient", "inpatient", "prenatal",
         "delivery_vaginal", "delivery_cesarean"]
REMOTES = ["none", "longterm", "referred", "self"]
CAUSES = ["illness", "work_injury", "third_party", "public_health", "abroad",
          "cosmetic", "crime"]
PERSON_BOOLS = ["residence_permit", "employee_insured", "insured_elsewhere",
                "student", "employed", "foreign", "hmt", "inmate",
                "retiree_uncovered", "migrant_child", "parent_qualifies",
                "talent_family"]

TOP_KEYS = ["id", "person", "enrollment", "claim"]
PERSON_KEYS = ["id", "birth_date", "categories", "tier", "hukou"] + PERSON_BOOLS
ENROLLMENT_KEYS = ["paid_on", "continuing"]
CLAIM_KEYS = ["kind", "date", "hospital_level", "tcm_hospital",
              "childrens_hospital", "remote", "direct_settled", "total",
              "compliant", "class_b", "special_drug", "tcm_drug", "cause"]

_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONEY_RE = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]{1,2})?")


def _describe(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Num):
        return v.text
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "an array"
    if isinstance(v, dict):
        return "an object"
    return repr(v)


def _check_object(o, path, known):
    if o.dups:
        raise BadInput("%s: key %s given twice" % (path or "request", json.dumps(o.dups[0], ensure_ascii=False)))
    for k in o:
        if k not in known:
            near = difflib.get_close_matches(k, known, n=1, cutoff=0.0)
            hint = " (did you mean %s?)" % json.dumps(near[0]) if near else ""
            where = (path + "." if path else "") + k
            raise BadInput("%s: unknown key%s" % (where, hint))


def _req_string(v, path):
    if not isinstance(v, str):
        raise BadInput("%s: expected a string, got %s" % (path, _describe(v)))
    return v


def _bool(v, path):
    if not isinstance(v, bool):
        raise BadInput("%s: expected true or false, got %s" % (path, _describe(v)))
    return v


def _date(v, path):
    if not isinstance(v, str) or not _DATE_RE.fullmatch(v):
        raise BadInput("%s: expected a date YYYY-MM-DD, got %s" % (path, _describe(v)))
    try:
        return D(int(v[0:4]), int(v[5:7]), int(v[8:10]))
    except ValueError:
        raise BadInput("%s: %s is not a real day" % (path, v))


def _whole(v, path, allowed):
    if not isinstance(v, Num) or not v.is_int:
        raise BadInput("%s: expected %s, got %s" % (path, _alts(allowed), _describe(v)))
    if len(v.text) > 20:
        raise BadInput("%s: expected %s, got a %d-digit number" % (path, _alts(allowed), len(v.text)))
    n = int(v.text)
    if n not in allowed or v.text.startswith("-"):
        raise BadInput("%s: expected %s, got %s" % (path, _alts(allowed), v.text))
    return n


def _alts(allowed):
    a = [str(x) for x in allowed]
    return ", ".join(a[:-1]) + " or " + a[-1]


def _enum(v, path, members):
    if not isinstance(v, str) or v not in members:
        raise BadInput("%s: expected one of %s, got %s" % (path, ", ".join(members), _describe(v)))
    return v


def _money(v, path):
    if isinstance(v, Num):
        text = v.text
    elif isinstance(v, str) and not isinstance(v, bool):
        text = v
    else:
        raise BadInput("%s: expected an amount, got %s" % (path, _describe(v)))
    if len(text) > 40:
        raise BadInput("%s: amount too long (%d characters)" % (path, len(text)))
    if not _MONEY_RE.fullmatch(text):
        raise BadInput("%s: %s is not an amount (digits, at most two decimals, no sign, exponent or leading zero)" % (path, _describe(v)))
    x = F(text)
    if x >= MONEY_LIMIT:
        raise BadInput("%s: %s is not below 10^12" % (path, text))
    return x


def validate(doc):
    """Returns a normalized request dict or raises BadInput."""
    if not isinstance(doc, Obj):
        raise BadInput("a request is a JSON object, got %s" % _describe(doc))
    _check_strings(doc, "")
    _check_object(doc, "", TOP_KEYS)
    if doc.get("id") is None:
        raise BadInput("id: required")
    rid = _req_string(doc["id"], "id")

    claim_raw = doc.get("claim")
    has_claim = claim_raw is not None

    # person
    pr = doc.get("person")
    if pr is None:
        raise BadInput("person: required")
    if not isinstance(pr, Obj):
        raise BadInput("person: expected an object, got %s" % _describe(pr))
    _check_object(pr, "person", PERSON_KEYS)
    p = {}
    if pr.get("id") is None:
        if has_claim:
            raise BadInput("person.id: required with a claim")
        p["id"] = None
    else:
        p["id"] = _req_string(pr["id"], "person.id")
    if pr.get("birth_date") is None:
        raise BadInput("person.birth_date: required")
    p["birth_date"] = _date(pr["birth_date"], "person.birth_date")
    cats = pr.get("categories")
    if cats is None:
        p["categories"] = set()
    else:
        if not isinstance(cats, list):
            raise BadInput("person.categories: expected an array, got %s" % _describe(cats))
        s = set()
        for i, c in enumerate(cats):
            s.add(_enum(c, "person.categories[%d]" % i, CATEGORIES))
        p["categories"] = s
    p["tier"] = 1 if pr.get("tier") is None else _whole(pr["tier"], "person.tier", [1, 2])
    p["hukou"] = "local" if pr.get("hukou") is None else _enum(pr["hukou"], "person.hukou", ["local", "other"])
    for b in PERSON_BOOLS:
        p[b] = False if pr.get(b) is None else _bool(pr[b], "person." + b)

    # enrollment
    er = doc.get("enrollment")
    e = {"paid_on": None, "continuing": True}
    if er is not None:
        if not isinstance(er, Obj):
            raise BadInput("enrollment: expected an object, got %s" % _describe(er))
        _check_object(er, "enrollment", ENROLLMENT_KEYS)
        if er.get("paid_on") is not None:
            e["paid_on"] = _date(er["paid_on"], "enrollment.paid_on")
        if er.get("continuing") is not None:
            e["continuing"] = _bool(er["continuing"], "enrollment.continuing")

    # claim
    c = None
    if has_claim:
        cr = claim_raw
        if not isinstance(cr, Obj):
            raise BadInput("claim: expected an object, got %s" % _describe(cr))
        _check_object(cr, "claim", CLAIM_KEYS)
        c = {}
        if cr.get("kind") is None:
            raise BadInput("claim.kind: required")
        c["kind"] = _enum(cr["kind"], "claim.kind", KINDS)
        if cr.get("date") is None:
            raise BadInput("claim.date: required")
        c["date"] = _date(cr["date"], "claim.date")
        if cr.get("hospital_level") is None:
            raise BadInput("claim.hospital_level: required")
        c["hospital_level"] = _whole(cr["hospital_level"], "claim.hospital_level", [1, 2, 3])
        c["tcm_hospital"] = False if cr.get("tcm_hospital") is None else _bool(cr["tcm_hospital"], "claim.tcm_hospital")
        c["childrens_hospital"] = False if cr.get("childrens_hospital") is None else _bool(cr["childrens_hospital"], "claim.childrens_hospital")
        c["remote"] = "none" if cr.get("remote") is None else _enum(cr["remote"], "claim.remote", REMOTES)
        c["direct_settled"] = True if cr.get("direct_settled") is None else _bool(cr["direct_settled"], "claim.direct_settled")
        if cr.get("total") is None:
            raise BadInput("claim.total: required")
        c["total"] = _money(cr["total"], "claim.total")
        c["compliant"] = c["total"] if cr.get("compliant") is None else _money(cr["compliant"], "claim.compliant")
        for k in ("class_b", "special_drug", "tcm_drug"):
            c[k] = F(0) if cr.get(k) is None else _money(cr[k], "claim." + k)
        c["cause"] = "illness" if cr.get("cause") is None else _enum(cr["cause"], "claim.cause", CAUSES)
        if c["class_b"] + c["special_drug"] + c["tcm_drug"] > c["compliant"]:
            raise BadInput("claim: class_b + special_drug + tcm_drug exceeds compliant")
        if c["compliant"] > c["total"]:
            raise BadInput("claim: compliant exceeds total")
    return {"id": rid, "person": p, "enrollment": e, "claim": c}


# ---------------------------------------------------------------------------
# Helpers

def add_days(d, n):
    return d + datetime.timedelta(days=n)


def add_months(d, n):
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    last = _month_last_day(y, m)
    return D(y, m, min(d.day, last))


def _month_last_day(y, m):
    if m == 12:
        return 31
    return (D(y, m + 1, 1) - ONE_DAY).day


def first_of_next_month(d):
    return add_months(D(d.year, d.month, 1), 1)


def age_on(birth, ref):
    return ref.year - birth.year - ((ref.month, ref.day) < (birth.month, birth.day))


def pct(points):
    return F(points, 100)


def round_half_up(x):
    """Round a non-negative Fraction half-up to 0.01."""
    if x < 0:
        raise AssertionError("negative payout %s" % x)
    cents = (x * 100 * 2 + 1) // 2   # floor(x*100 + 1/2)
    return F(cents, 100)


def progressive(amount, segments):
    """segments: list of (lower, upper_or_None, rate Fraction)."""
    if amount <= 0:
        return F(0)
    s = F(0)
    for lo, hi, rate in segments:
        top = amount if hi is None else min(amount, F(hi))
        if top > lo:
            s += rate * (top - lo)
    return s


def fmt_money(x):
    x = F(x)
    if x.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100):
        x = round_half_up(x)
    cents = x * 100
    assert cents.denominator == 1, x
    cents = int(cents)
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return "%s%d.%02d" % (sign, cents // 100, cents % 100)


# ---------------------------------------------------------------------------
# Policies


class NoBenefit(Exception):
    pass


class Policy:
    pid = None
    year = None
    newborn_rule = False
    excluded_causes = frozenset()

    @property
    def y0(self):
        return D(self.year, 1, 1)

    @property
    def y1(self):
        return D(self.year, 12, 31)

    @property
    def enroll_last(self):
        return self.y1

    def eligible(self, p):
        if p["employee_insured"]:
            return False, "already insured in employee basic medical insurance"
        return True, None

    def standard(self, p, e, newborn):
        raise NotImplementedError

    def aid(self, p, standard):
        return F(0)

    def start(self, p, e):
        raise NotImplementedError

    def benefit(self, p, e, c, ledger):
        """Returns (basic, critical, ledger_updates) or raises NoBenefit/Unspecified."""
        raise Unspecified("%s.ratio" % c["kind"],
                          "%s does not publish %s ratios" % (self.pid, c["kind"]))


def _nat_aid(pol, p):
    if p["categories"]:
        raise Unspecified("aid", "%s does not publish aid amounts for hardship categories (分类资助)" % pol.pid)
    return F(0)


class Liaoyuan2023(Policy):
    pid = "liaoyuan-2023"
    year = 2023
    newborn_rule = True
    CAP = F(200000)
    CI_CAP = F(300000)
    DED = {1: 300, 2: 600, 3: 1000}
    RATES = {1: (80, 85, 90), 2: (70, 75, 80), 3: (55, 60, 65)}
    CI_SPECIAL = {"tekun", "dibao", "poverty_relapse", "poverty_lifted"}

    def standard(self, p, e, newborn):
        if p["student"] or p["birth_date"] > D(2004, 12, 31):
            return F(310)
        return F(360)

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is None or paid <= D(2022, 12, 31):
            return D(2023, 1, 1)
        return add_days(paid, 91)

    def benefit(self, p, e, c, ledger):
        if c["kind"] != "inpatient":
            return Policy.benefit(self, p, e, c, ledger)
        lvl = c["hospital_level"]
        base = c["compliant"] - pct(10) * c["class_b"] - pct(35) * c["special_drug"]
        payable = max(F(0), base - self.DED[lvl])
        rates = list(self.RATES[lvl])
        if c["remote"] == "self":
            rates = [20, 20, 20]
        else:
            adj = 0
            if c["remote"] == "longterm":
                adj -= 10
            if c["remote"] != "none" and not c["direct_settled"]:
                adj -= 10
            rates = [r + adj for r in rates]
        segs = [(0, 30000, pct(rates[0])), (30000, 60000, pct(rates[1])),
                (60000, None, pct(rates[2]))]
        exact = progressive(payable, segs)
        left = max(F(0), self.CAP - ledger.get("basic_paid", F(0)))
        basic = round_half_up(min(exact, left))
        # critical illness
        selfpay = c["compliant"] - basic
        before = ledger.get("ci_selfpay", F(0))
        after = before + selfpay
        T = F(6000) if (p["categories"] & self.CI_SPECIAL) else F(2000)
        ci_segs = [(0, 10000, pct(60)), (10000, 100000, pct(70)), (100000, None, pct(80))]
        inc = progressive(after - T, ci_segs) - progressive(before - T, ci_segs)
        ci_left = max(F(0), self.CI_CAP - ledger.get("ci_paid", F(0)))
        critical = round_half_up(min(inc, ci_left))
        upd = {"basic_paid": basic, "ci_selfpay": selfpay, "ci_paid": critical}
        return basic, critical, upd


class Dianjiang2024(Policy):
    pid = "dianjiang-2024"
    year = 2024
    newborn_rule = True
    AID = {}
    for _c in ("veteran_special",):
        AID[_c] = (0, 755)
    for _c in ("tekun", "orphan", "veteran_rural60"):
        AID[_c] = (380, 380)
    AID["dibao"] = (342, 380)
    for _c in ("dibao_edge", "illness_poverty", "severe_disability", "poverty_relapse", "monitored"):
        AID[_c] = (266, 380)
    del _c
    OP_CAP = {1: F(300), 2: F(500)}
    INP_CAP = {1: F(80000), 2: F(120000)}
    INP_DED = {1: 100, 2: 300, 3: 800}
    INP_RATE = {1: (80, 85), 2: (70, 75), 3: (50, 55)}
    CI_SPECIAL = {"tekun", "dibao", "poverty_relapse"}

    @property
    def enroll_last(self):
        return D(2024, 9, 30)

    def eligible(self, p):
        newborn = p["birth_date"].year == self.year
        if (p["hukou"] == "local" or p["residence_permit"]) and not p["employee_insured"]:
            return True, None
        if p["student"]:
            return True, None
        if newborn and p["hukou"] == "local":
            return True, None
        if p["hmt"] and p["residence_permit"]:
            return True, None
        return False, "neither local hukou nor residence permit without employee insurance, student, local newborn, nor HMT resident with residence permit"

    def standard(self, p, e, newborn):
        tier_amt = {1: F(380), 2: F(755)}[p["tier"]]
        paid = e["paid_on"]
        if newborn or paid is None or paid <= D(2024, 6, 30):
            return tier_amt
        return tier_amt + 670   # paid 2024-07-01..2024-09-30

    def aid(self, p, standard):
        best = 0
        for cat in p["categories"]:
            if cat in self.AID:
                best = max(best, self.AID[cat][p["tier"] - 1])
        return F(best)

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is None or paid <= D(2023, 12, 31):
            return D(2024, 1, 1)
        if paid <= D(2024, 2, 29):
            return first_of_next_month(paid)
        return add_days(paid, 90)   # 2024-03-01..2024-09-30

    def benefit(self, p, e, c, ledger):
        if c["remote"] != "none":
            raise Unspecified("remote.ratio", "%s does not publish remote care ratios" % self.pid)
        kind = c["kind"]
        minor = age_on(p["birth_date"], c["date"]) < 18
        tier = p["tier"]
        if kind == "outpatient":
            lvl = c["hospital_level"]
            if lvl == 3:
                if minor and c["childrens_hospital"]:
                    lvl = 2
                else:
                    raise NoBenefit()
            comp = c["compliant"]
            upd = {}
            if lvl == 2:
                used = ledger.get("op_ded2_used", F(0))
                ded = min(comp, max(F(0), F(200) - used))
                upd["op_ded2_used"] = ded
                rate = pct(40)
            else:
                ded = F(0)
                rate = pct(60)
            exact = rate * (comp - ded)
            left = max(F(0), self.OP_CAP[tier] - ledger.get("op_paid", F(0)))
            basic = round_half_up(min(exact, left))
            upd["op_paid"] = basic
            return basic, F(0), upd
        if kind == "prenatal":
            left = max(F(0), F(300) - ledger.get("prenatal_paid", F(0)))
            basic = round_half_up(min(c["compliant"], left))
            return basic, F(0), {"prenatal_paid": basic}
        if kind == "delivery_vaginal":
            return round_half_up(min(F(600), c["compliant"])), F(0), {}
        # inpatient, special_outpatient, delivery_cesarean
        lvl = c["hospital_level"]
        if c["tcm_hospital"] and lvl >= 2:
            ded = self.INP_DED[lvl - 1]
        else:
            ded = self.INP_DED[lvl]
        payable = max(F(0), c["compliant"] - ded)
        rate_pts = self.INP_RATE[lvl][tier - 1] + (5 if minor else 0)
        rate_pts = min(rate_pts, 100)
        exact = pct(rate_pts) * payable
        if c["tcm_hospital"]:
            bonus_pts = min(rate_pts + 10, 100) - rate_pts
            exact += pct(bonus_pts) * min(c["tcm_drug"], payable)
        left = max(F(0), self.INP_CAP[tier] - ledger.get("inp_paid", F(0)))
        basic = round_half_up(min(exact, left))
        if kind == "delivery_cesarean":
            floor = min(F(600), c["compliant"])
            if basic < floor:
                basic = floor
        # critical illness
        selfpay = c["compliant"] - basic
        before = ledger.get("ci_selfpay", F(0))
        after = before + selfpay
        special = bool(p["categories"] & self.CI_SPECIAL)
        T = F(178330, 20) if special else F(17833)   # 8916.5 / 17833
        rate = pct(65) if special else pct(60)
        inc = max(F(0), after - T) - max(F(0), before - T)
        ci = rate * inc
        if not special:
            ci = min(ci, max(F(0), F(200000) - ledger.get("ci_paid", F(0))))
        critical = round_half_up(ci)
        upd = {"inp_paid": basic, "ci_selfpay": selfpay, "ci_paid": critical}
        return basic, critical, upd


class National2024(Policy):
    pid = "national-2024"
    year = 2024
    newborn_rule = True

    def standard(self, p, e, newborn):
        paid = e["paid_on"]
        if newborn or paid is None or paid <= D(2024, 2, 29):
            return F(400)
        return F(1070)

    def aid(self, p, standard):
        return _nat_aid(self, p)

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is None or paid <= D(2023, 12, 31):
            return D(2024, 1, 1)
        if paid <= D(2024, 2, 29):
            return paid
        return add_months(paid, 3)


class National2023(Policy):
    pid = "national-2023"
    year = 2023

    def standard(self, p, e, newborn):
        return F(380)

    def aid(self, p, standard):
        return _nat_aid(self, p)

    def start(self, p, e):
        raise Unspecified("coverage.start", "%s does not publish when cover starts" % self.pid)


class Sanya2024(Policy):
    pid = "sanya-2024"
    year = 2024

    def eligible(self, p):
        if p["insured_elsewhere"]:
            return False, "insured and receiving benefits elsewhere"
        local = p["hukou"] == "local"
        ok = ((local and not p["employee_insured"])
              or (p["retiree_uncovered"] and local)
              or p["student"]
              or (p["residence_permit"] and not local and p["employed"] and not p["employee_insured"])
              or (p["residence_permit"] and p["foreign"] and not p["employee_insured"])
              or p["inmate"]
              or (p["migrant_child"] and p["parent_qualifies"])
              or p["talent_family"])
        if ok:
            return True, None
        return False, "not in any of the insured groups of sanya-2024"

    def standard(self, p, e, newborn):
        return F(380)

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is None or paid <= D(2023, 12, 31):
            return D(2024, 1, 1)
        raise Unspecified("coverage.start", "%s does not publish when cover starts for a payment in 2024 (late enrollment)" % self.pid)


class Hunan2024(Policy):
    pid = "hunan-2024"
    year = 2024
    excluded_causes = frozenset(["work_injury", "third_party", "public_health",
                                 "abroad", "cosmetic", "crime"])
    AID = {"tekun": 380, "severe_disability": 380, "orphan": 380,
           "dibao": 190, "monitored": 190, "dibao_edge": 190}

    def standard(self, p, e, newborn):
        return F(380)

    def aid(self, p, standard):
        return F(max([self.AID.get(c, 0) for c in p["categories"]] + [0]))

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is None or paid <= D(2023, 12, 31):
            return D(2024, 1, 1)
        raise Unspecified("coverage.start", "%s does not publish when cover starts for a payment in 2024" % self.pid)


class Changsha2024(Hunan2024):
    pid = "changsha-2024"

    def start(self, p, e):
        paid = e["paid_on"]
        if paid is not None and e["continuing"] and D(2024, 1, 1) <= paid <= D(2024, 2, 29):
            return paid
        return Hunan2024.start(self, p, e)


POLICIES = {c.pid: c for c in (Liaoyuan2023, Dianjiang2024, National2024,
                               National2023, Sanya2024, Hunan2024, Changsha2024)}


# ---------------------------------------------------------------------------
# Evaluation


def evaluate(pol, req, ledgers):
    """Returns the result as a list of (key, json_text)."""
    p, e, c = req["person"], req["enrollment"], req["claim"]
    birth = p["birth_date"]
    paid = e["paid_on"]
    elig, why = pol.eligible(p)
    newborn = False
    if not elig:
        status = "not_eligible"
    else:
        newborn = (pol.newborn_rule and birth.year == pol.year
                   and (paid is None or paid <= add_days(birth, 90)))
        if newborn:
            status = "newborn"
        elif paid is not None and paid > pol.enroll_last:
            status = "not_enrolled"
        else:
            status = "enrolled"

    out = [("id", js(req["id"])), ("policy", js(pol.pid))]
    if elig:
        out.append(("eligibility", obj([("eligible", "true")])))
    else:
        out.append(("eligibility", obj([("eligible", "false"), ("reason", js(why))])))

    # contribution
    if status in ("not_eligible", "not_enrolled"):
        out.append(("contribution", obj([("reason", js(status))])))
    else:
        std = pol.standard(p, e, newborn)
        try:
            aid = pol.aid(p, std)
            out.append(("contribution", obj([("standard", fmt_money(std)),
                                             ("aid", fmt_money(aid)),
                                             ("personal", fmt_money(std - aid))])))
        except Unspecified as u:
            out.append(("contribution", err("unspecified", u.message, u.name)))

    # coverage
    cov = None          # ("period", from, to) | ("reason", code) | ("error", Unspecified)
    if status in ("not_eligible", "not_enrolled"):
        cov = ("reason", status)
    else:
        try:
            start = birth if newborn else pol.start(p, e)
            start = max(start, birth)
            if start > pol.y1:
                cov = ("reason", "no_coverage")
            else:
                cov = ("period", start, pol.y1)
        except Unspecified as u:
            cov = ("error", u)
    if cov[0] == "period":
        out.append(("coverage", obj([("from", js(cov[1].isoformat())), ("to", js(cov[2].isoformat()))])))
    elif cov[0] == "reason":
        out.append(("coverage", obj([("reason", js(cov[1]))])))
    else:
        out.append(("coverage", err("unspecified", cov[1].message, cov[1].name)))

    if c is None:
        return out

    # settlement
    def reason(code):
        return obj([("reason", js(code)), ("basic", "0.00"), ("critical", "0.00"),
                    ("out_of_pocket", fmt_money(c["total"]))])

    d = c["date"]
    if status in ("not_eligible", "not_enrolled"):
        out.append(("settlement", reason(status)))
    elif d < pol.y0 or d < birth:
        out.append(("settlement", reason("before_coverage")))
    elif d > pol.y1:
        out.append(("settlement", reason("after_coverage")))
    elif cov[0] == "error":
        out.append(("settlement", err("unspecified", cov[1].message, cov[1].name)))
    elif cov[0] == "reason":      # no_coverage
        out.append(("settlement", reason("before_coverage")))
    elif d < cov[1]:
        out.append(("settlement", reason("before_coverage")))
    elif d > cov[2]:
        out.append(("settlement", reason("after_coverage")))
    elif c["cause"] in pol.excluded_causes:
        out.append(("settlement", reason("excluded_cause")))
    else:
        key = (p["id"], pol.year)
        ledger = ledgers.setdefault(key, {})
        try:
            basic, critical, upd = pol.benefit(p, e, c, ledger)
        except NoBenefit:
            out.append(("settlement", reason("no_benefit")))
        except Unspecified as u:
            out.append(("settlement", err("unspecified", u.message, u.name)))
        else:
            for k, v in upd.items():
                ledger[k] = ledger.get(k, F(0)) + v
            oop = c["total"] - basic - critical
            out.append(("settlement", obj([("reason", "null"), ("basic", fmt_money(basic)),
                                           ("critical", fmt_money(critical)),
                                           ("out_of_pocket", fmt_money(oop))])))
    return out


def js(s):
    return json.dumps(s, ensure_ascii=False)


def obj(pairs):
    return "{" + ", ".join("%s: %s" % (js(k), v) for k, v in pairs) + "}"


def err(code, message, name=None):
    inner = [("code", js(code)), ("message", js(message))]
    if name is not None:
        inner.append(("name", js(name)))
    return obj([("error", obj(inner))])


def bad_line(rid, lineno, msg):
    return obj([("id", "null" if rid is None else js(rid)),
                ("error", obj([("code", js("bad_input")), ("message", js("line %d: %s" % (lineno, msg)))]))])


def process_line(pol, raw, lineno, ledgers):
    """raw: bytes of one physical line without '\\n'.  Returns a result line or None."""
    if all(b in b" \t\r" for b in raw):
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as ex:
        return bad_line(None, lineno, "not UTF-8 (byte %d)" % ex.start)
    try:
        doc = _DECODER.decode(text)
    except (ValueError, RecursionError) as ex:
        return bad_line(None, lineno, "not JSON: %s" % ex)
    rid = None
    if isinstance(doc, Obj) and "id" in doc and "id" not in doc.dups \
            and isinstance(doc["id"], str) and not _has_surrogate(doc["id"]):
        rid = doc["id"]
    try:
        req = validate(doc)
    except BadInput as ex:
        return bad_line(rid, lineno, str(ex))
    except RecursionError:
        return bad_line(rid, lineno, "nested too deeply")
    return obj(evaluate(pol, req, ledgers))


def run(pol, data, ledgers):
    """data: bytes of the whole input.  Returns a list of result lines."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    out = []
    for i, raw in enumerate(lines, 1):
        r = process_line(pol, raw, i, ledgers)
        if r is not None:
            out.append(r)
    return out


# ---------------------------------------------------------------------------
# Ledger files


def _frac_text(x):
    if (x * 100).denominator == 1:
        return fmt_money(x)
    return str(x)


def load_ledgers(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    led = {}
    for ent in doc.get("ledgers", []):
        led[(ent["person"], int(ent["year"]))] = {k: F(v) for k, v in ent["values"].items()}
    return led


def save_ledgers(path, ledgers):
    ents = []
    for (pid, year), vals in sorted(ledgers.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        ents.append({"person": pid, "year": year,
                     "values": {k: _frac_text(v) for k, v in sorted(vals.items())}})
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": "yibao-oracle-ledger-1", "ledgers": ents}, f, ensure_ascii=False, indent=1)
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("policy", choices=sorted(POLICIES))
    ap.add_argument("--ledger-in")
    ap.add_argument("--ledger-out")
    args = ap.parse_args(argv)
    pol = POLICIES[args.policy]()
    ledgers = load_ledgers(args.ledger_in) if args.ledger_in else {}
    data = sys.stdin.buffer.read()
    out = run(pol, data, ledgers)
    sys.stdout.buffer.write("".join(line + "\n" for line in out).encode("utf-8"))
    if args.ledger_out:
        save_ledgers(args.ledger_out, ledgers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
