#!/usr/bin/env python3
"""Random but realistic request lines (JSON Lines) for the seed policies.

    python3 generate.py --policy dianjiang-2024 --count 2000 --seed 7 > requests.jsonl

Exactly COUNT physical lines are written.  About 5% (--bad-share) are bad
lines of every kind (malformed JSON, unknown keys, duplicate keys, wrong
types, bad amounts, bad dates, inconsistent amounts, missing person.id with a
claim, null for a required field, ...) or blank lines.  The rest are valid
requests that exercise the branches of the policy: persons of all ages
(newborns, minors, people turning 18 or 60 around the claim, Feb-29
birthdays, people born after the year), all categories, tiers, eligibility
flags, payment dates on every window edge, claims of every kind, level,
remote case, cause, with amounts near deductibles, bracket bounds, caps and
thresholds, and several claims per person so that yearly caps, deductibles
and running thresholds are crossed.  Standard library only; deterministic
for a given seed.
"""

import argparse
import datetime
import json
import random
import sys

D = datetime.date

MAX_CENTS = 10 ** 14 - 1   # 999999999999.99

POLICY_YEAR = {"liaoyuan-2023": 2023, "dianjiang-2024": 2024, "national-2024": 2024,
               "national-2023": 2023, "sanya-2024": 2024, "hunan-2024": 2024,
               "changsha-2024": 2024}

CATEGORIES = ["tekun", "orphan", "dibao", "dibao_edge", "monitored",
              "severe_disability", "poverty_relapse", "poverty_lifted",
              "illness_poverty", "veteran_special", "veteran_rural60"]
KINDS = ["outpatient", "special_outpatient", "inpatient", "prenatal",
         "delivery_vaginal", "delivery_cesarean"]
REMOTES = ["none", "longterm", "referred", "self"]
CAUSES = ["illness", "work_injury", "third_party", "public_health", "abroad",
          "cosmetic", "crime"]
FLAGS = ["residence_permit", "employee_insured", "insured_elsewhere", "student",
         "employed", "foreign", "hmt", "inmate", "retiree_uncovered",
         "migrant_child", "parent_qualifies", "talent_family"]


def days(d, n):
    return d + datetime.timedelta(days=n)


def add_months(d, n):
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    last = 31 if m == 12 else (D(y, m + 1, 1) - datetime.timedelta(days=1)).day
    return D(y, m, min(d.day, last))


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return D(d.year + n, 2, 28)


def rand_day(rng, a, b):
    return days(a, rng.randint(0, (b - a).days))


class Gen:
    def __init__(self, policy, seed):
        self.policy = policy
        self.Y = POLICY_YEAR[policy]
        self.rng = random.Random(seed)
        self.persons = []
        self.req_no = 0

    # ------------------------------------------------------------------ dates
    def paid_edges(self):
        Y = self.Y
        e = [D(Y - 1, 9, 1), D(Y - 1, 8, 31), D(Y - 1, 9, 30), D(Y - 1, 10, 1), D(Y - 1, 10, 10),
             D(Y - 1, 10, 11), D(Y - 1, 11, 2), D(Y - 1, 12, 31), D(Y, 1, 1), D(Y, 1, 31),
             D(Y, 2, 1), D(Y, 2, 28), D(Y, 3, 1), D(Y, 3, 31), D(Y, 5, 31), D(Y, 6, 30),
             D(Y, 7, 1), D(Y, 8, 31), D(Y, 9, 30), D(Y, 10, 1), D(Y, 10, 2), D(Y, 11, 30),
             D(Y, 12, 1), D(Y, 12, 31), D(Y + 1, 1, 1), D(Y + 1, 2, 28), D(Y - 2, 12, 31)]
        if Y % 4 == 0:
            e.append(D(Y, 2, 29))
        if (Y + 1) % 4 == 0:
            e.append(D(Y + 1, 2, 29))
        if (Y - 1) % 4 == 0:
            e.append(D(Y - 1, 2, 29))
        return e

    def birth(self):
        rng, Y = self.rng, self.Y
        k = rng.random()
        if k < 0.30:
            return rand_day(rng, D(1935, 1, 1), D(Y - 19, 12, 31)), "adult"
        if k < 0.45:
            b = rand_day(rng, D(Y, 1, 1), D(Y, 12, 31))
            if rng.random() < 0.25:
                b = rng.choice([D(Y, 1, 1), D(Y, 12, 31), D(Y, 10, 2), D(Y, 3, 1), D(Y, 7, 3)]
                               + ([D(Y, 2, 29)] if Y % 4 == 0 else [D(Y, 2, 28)]))
            return b, "newborn"
        if k < 0.50:
            return rand_day(rng, D(Y - 1, 10, 1), D(Y - 1, 12, 31)), "late_prev"
        if k < 0.62:
            return rand_day(rng, D(Y - 17, 1, 1), D(Y - 1, 12, 31)), "minor"
        if k < 0.74:
            return rand_day(rng, D(Y - 18, 1, 1), D(Y - 18, 12, 31)), "turn18"
        if k < 0.82:
            return rand_day(rng, D(Y - 60, 1, 1), D(Y - 60, 12, 31)), "turn60"
        if k < 0.90:
            b = rng.choice([D(2004, 2, 29), D(2008, 2, 29), D(2020, 2, 29), D(1964, 2, 29),
                            D(1960, 2, 29), D(2000, 2, 29), D(2024, 2, 29)])
            return b, "feb29"
        if k < 0.96:
            return rng.choice([D(2004, 12, 31), D(2005, 1, 1), D(2004, 12, 30), D(2005, 1, 2)]), "boundary"
        return rand_day(rng, D(Y + 1, 1, 1), D(Y + 1, 6, 30)), "after_year"

    def new_person(self):
        rng, Y = self.rng, self.Y
        b, kind = self.birth()
        p = {"id": "p-%d" % (len(self.persons) + 1), "birth": b, "kind": kind}
        r = rng.random()
        if r < 0.45:
            p["categories"] = []
        else:
            n = rng.choice([1, 1, 1, 2, 2, 3])
            p["categories"] = rng.sample(CATEGORIES, n)
        p["tier"] = rng.choice([None, 1, 1, 2, 2])
        p["hukou"] = rng.choice([None, "local", "local", "local", "other", "other"])
        flags = {}
        for f in FLAGS:
            prob = {"employee_insured": 0.08, "insured_elsewhere": 0.06, "student": 0.12,
                    "residence_permit": 0.3, "employed": 0.3}.get(f, 0.07)
            if self.policy == "sanya-2024" and f != "insured_elsewhere":
                prob = max(prob, 0.15)
            if rng.random() < prob:
                flags[f] = True
            elif rng.random() < 0.1:
                flags[f] = False
        p["flags"] = flags
        # enrollment
        e = {}
        r = rng.random()
        if r < 0.40:
            paid = None
        elif r < 0.75:
            paid = rng.choice(self.paid_edges())
        elif r < 0.88:
            paid = rand_day(rng, D(Y - 1, 9, 1), D(Y + 1, 1, 31))
        else:
            paid = days(b, rng.choice([0, 1, 30, 89, 90, 91, 92, 120, -3]))
        e["paid_on"] = paid
        e["continuing"] = rng.choice([None, None, True, False])
        e["form"] = rng.choice(["object", "object", "object", "object", "absent", "null"])
        p["enrollment"] = e
        p["n_claims"] = 0
        self.persons.append(p)
        return p

    def pick_person(self, total):
        rng = self.rng
        target = max(3, total // 6)
        if len(self.persons) < target and (not self.persons or rng.random() < 0.35):
            return self.new_person()
        # favour persons that already have claims, to cross yearly amounts
        return rng.choice(self.persons)

    def coverage_guess(self, p):
        """Interesting claim dates near the start of cover (not an oracle)."""
        Y = self.Y
        paid = p["enrollment"]["paid_on"]
        out = [D(Y, 1, 1), D(Y, 12, 31), D(Y - 1, 12, 31), D(Y + 1, 1, 1)]
        b = p["birth"]
        out += [days(b, -1), b, days(b, 1)]
        out += [days(add_years(b, 18), k) for k in (-1, 0, 1)]
        out += [days(add_years(b, 60), k) for k in (-1, 0, 1)]
        if paid:
            for k in (88, 89, 90, 91, 92):
                out.append(days(paid, k))
            m = add_months(D(paid.year, paid.month, 1), 1)
            out += [days(m, -1), m]
            m3 = add_months(paid, 3)
            out += [days(m3, -1), m3, paid, days(paid, -1)]
        return out

    def claim_date(self, p):
        rng, Y = self.rng, self.Y
        r = rng.random()
        if r < 0.65:
            return rand_day(rng, D(Y, 1, 1), D(Y, 12, 31))
        if r < 0.90:
            return rng.choice(self.coverage_guess(p))
        if r < 0.95:
            return rand_day(rng, D(Y - 1, 6, 1), D(Y - 1, 12, 31))
        return rand_day(rng, D(Y + 1, 1, 1), D(Y + 1, 6, 30))

    # ---------------------------------------------------------------- amounts
    def interesting(self, kind):
        pol = self.policy
        pts = [0, 0.01, 0.5, 1, 99.99, 100, 100.01, 199.99, 200, 200.01, 300, 300.01,
               299.99, 500, 599.99, 600, 600.01, 800, 800.01, 1000, 1000.01]
        if pol == "liaoyuan-2023":
            for ded in (300, 600, 1000):
                for b in (0, 30000, 60000):
                    pts += [ded + b - 0.01, ded + b, ded + b + 0.01]
            pts += [2000, 6000, 12000, 16000, 102000, 106000, 250000, 300000, 400000]
        if pol == "dianjiang-2024":
            pts += [17833, 17832.99, 17833.01, 8916.5, 8916.49, 8916.51, 24400, 48000,
                    160100, 160300, 160800, 240300, 80000, 120000, 1100, 1300, 750, 500.01]
        return int(round(self.rng.choice(pts) * 100))

    def amount(self, kind):
        """An amount in cents."""
        rng = self.rng
        r = rng.random()
        if r < 0.30:
            return self.interesting(kind)
        if r < 0.40:
            return rng.randint(0, 100)
        if r < 0.80:
            return int(10 ** rng.uniform(2, 6.5))
        if r < 0.97:
            return int(10 ** rng.uniform(6.5, 8.2))
        if r < 0.995:
            return int(10 ** rng.uniform(8.2, 13.9))
        return rng.choice([MAX_CENTS, MAX_CENTS - 1, 10 ** 13])

    # ----------------------------------------------------------------- values
    def money(self, cents):
        """A valid money value (given in cents) in one of its written forms."""
        rng = self.rng
        whole, frac = divmod(cents, 100)
        forms = ["%d.%02d" % (whole, frac)]
        if frac % 10 == 0:
            forms.append("%d.%d" % (whole, frac // 10))
        if frac == 0:
            forms.append("%d" % whole)
        text = rng.choice(forms)
        if rng.random() < 0.2:
            return ("str", text)
        return ("num", text)

    def claim(self, p):
        rng, pol = self.rng, self.policy
        if pol == "liaoyuan-2023":
            kind = rng.choice(["inpatient"] * 8 + KINDS)
        elif pol == "dianjiang-2024":
            kind = rng.choice(["inpatient"] * 4 + ["outpatient"] * 4 + ["special_outpatient"] * 2
                              + ["prenatal", "prenatal", "delivery_vaginal", "delivery_cesarean",
                                 "delivery_cesarean"])
        else:
            kind = rng.choice(KINDS + ["inpatient", "outpatient"])
        c = {"kind": kind, "date": self.claim_date(p), "hospital_level": rng.choice([1, 2, 3])}
        minorish = p["kind"] in ("minor", "turn18", "newborn", "feb29")
        if rng.random() < 0.18:
            c["tcm_hospital"] = True
        elif rng.random() < 0.1:
            c["tcm_hospital"] = False
        if rng.random() < (0.4 if minorish else 0.08):
            c["childrens_hospital"] = True
        elif rng.random() < 0.1:
            c["childrens_hospital"] = False
        r = rng.random()
        if r < 0.72:
            if rng.random() < 0.3:
                c["remote"] = "none"
        else:
            c["remote"] = rng.choice(["longterm", "referred", "self"])
        if rng.random() < 0.2:
            c["direct_settled"] = False
        elif rng.random() < 0.15:
            c["direct_settled"] = True
        if rng.random() < 0.15:
            c["cause"] = rng.choice(CAUSES)
        elif rng.random() < 0.1:
            c["cause"] = "illness"
        comp = self.amount(kind)
        r = rng.random()
        if r < 0.45:
            total = comp
        else:
            total = comp + rng.choice([1, 100, rng.randint(0, comp + 100), rng.randint(0, 500000)])
        total = min(total, MAX_CENTS)
        c["total"] = total
        if total == comp and rng.random() < 0.5:
            pass  # compliant absent (= total)
        else:
            c["compliant"] = comp
        # parts of compliant
        left = comp
        for k, prob in (("class_b", 0.45), ("special_drug", 0.2), ("tcm_drug", 0.3)):
            if rng.random() < prob and left > 0:
                r = rng.random()
                if r < 0.15:
                    v = left
                else:
                    v = rng.randint(0, left)
                c[k] = v
                left -= v
            elif rng.random() < 0.05:
                c[k] = 0
        return c

    # -------------------------------------------------------------- requests
    def request(self, total):
        rng = self.rng
        p = self.pick_person(total)
        self.req_no += 1
        req = O([("id", "r-%d" % self.req_no)])
        person = O()
        has_claim = rng.random() < 0.85
        if has_claim or rng.random() < 0.6:
            person.append(("id", p["id"]))
        person.append(("birth_date", p["birth"].isoformat()))
        if p["categories"] or rng.random() < 0.3:
            person.append(("categories", list(p["categories"])))
        if p["tier"] is not None:
            person.append(("tier", p["tier"]))
        if p["hukou"] is not None:
            person.append(("hukou", p["hukou"]))
        for f, v in p["flags"].items():
            person.append((f, v))
        if rng.random() < 0.1:                     # null for an optional field = absent
            for k in ("tier", "hukou", "categories"):
                if k not in dict(person):
                    person.append((k, None))
                    break
        if rng.random() < 0.3:
            rng.shuffle(person)
        req.append(("person", person))
        e = p["enrollment"]
        if e["form"] == "object":
            eo = O()
            if e["paid_on"] is not None:
                eo.append(("paid_on", e["paid_on"].isoformat()))
            elif rng.random() < 0.1:
                eo.append(("paid_on", None))
            if e["continuing"] is not None:
                eo.append(("continuing", e["continuing"]))
            req.append(("enrollment", eo))
        elif e["form"] == "null":
            req.append(("enrollment", None))
        if has_claim:
            p["n_claims"] += 1
            c = self.claim(p)
            co = O()
            for k, v in c.items():
                if k in ("total", "compliant", "class_b", "special_drug", "tcm_drug"):
                    co.append((k, self.money(v)))
                elif isinstance(v, D):
                    co.append((k, v.isoformat()))
                else:
                    co.append((k, v))
            if rng.random() < 0.2:
                rng.shuffle(co)
            req.append(("claim", co))
        elif rng.random() < 0.05:
            req.append(("claim", None))
        return req

    # ------------------------------------------------------------- bad lines
    def bad_line(self, total):
        rng = self.rng
        req = self.request(total)
        k = rng.randrange(22)
        claim = dict(req).get("claim")
        person = dict(req)["person"]
        if k == 0:
            s = render(req)
            return s[:rng.randint(1, len(s) - 1)]                       # truncated JSON
        if k == 1:
            return render(req).replace('"', "'", 2)                    # single quotes
        if k == 2:
            return render(req)[:-1] + ",}"                              # trailing comma
        if k == 3:                                                       # unknown key (typo)
            typo = rng.choice([("person", "birthdate"), ("person", "catgories"), ("person", "teir"),
                               ("claim", "compliat"), ("claim", "class-b"), ("claim", "hospital_lvl"),
                               ("enrollment", "paidon"), ("top", "claims"), ("top", "policy")])
            if typo[0] == "top":
                req.append((typo[1], 1))
            elif typo[0] == "person":
                person.append((typo[1], "2000-01-01"))
            elif typo[0] == "claim" and claim:
                claim.append((typo[1], ("num", "1")))
            else:
                req.append(("enrollment", O([("paidon", "2024-01-01")])))
                req = dedup_last(req)
            return render(req)
        if k == 4:                                                       # duplicate key
            if claim and rng.random() < 0.5:
                claim.append(("total", ("num", "10")))
            elif rng.random() < 0.5:
                req.append(("id", "again"))
            else:
                person.append(("birth_date", "1990-01-01"))
            return render(req)
        if k == 5:                                                       # wrong types
            choice = rng.randrange(7)
            if choice == 0:
                set_key(person, "tier", rng.choice(["2", ("num", "2.0"), ("num", "2e0"), True, ("num", "3"), ("num", "0"), ("num", "-1")]))
            elif choice == 1:
                set_key(person, "hukou", rng.choice([("num", "1"), "LOCAL", True]))
            elif choice == 2:
                set_key(person, "student", rng.choice(["yes", ("num", "1"), "true"]))
            elif choice == 3:
                set_key(person, "categories", rng.choice(["dibao", ["poor"], [("num", "1")], [None]]))
            elif choice == 4:
                set_key(req, "id", rng.choice([("num", "17"), True, ["r"]]))
            elif choice == 5:
                set_key(req, "person", rng.choice(["p-1", [], ("num", "3")]))
            else:
                set_key(req, "claim", rng.choice(["inpatient", [], True]))
            return render(req)
        if k == 6:                                                       # bad money
            bad = rng.choice([("num", "1.005"), "007.50", ("num", "1e2"), ("num", "-3"), "12,000",
                              ("num", "-0"), ("num", "1.500"), "1.5e2", ("num", "1000000000000"),
                              "1000000000000.00", "-1.00", " 12", "12.", ".5", "", True, ("num", "0.001"),
                              "1.005", ("num", "1E2"), ("num", "-0.00")])
            if claim is None:
                claim = O([("kind", "inpatient"), ("date", "%d-05-05" % self.Y), ("hospital_level", 1)])
                req.append(("claim", claim))
                if not dict(person).get("id"):
                    person.append(("id", "p-x"))
            set_key(claim, rng.choice(["total", "compliant", "class_b", "special_drug", "tcm_drug"]), bad)
            return render(req)
        if k == 7:                                                       # bad level
            if claim is None:
                return render(req).replace('"birth_date"', '"birth_date": "x", "birth_date"', 1)
            set_key(claim, "hospital_level", rng.choice([("num", "2.0"), ("num", "2e0"), "2", ("num", "7"), ("num", "0"), None, True]))
            return render(req)
        if k == 8:                                                       # bad date
            bad = rng.choice(["2023-02-29", "2024-13-01", "2024-1-5", "2024/01/05", "2024-04-31",
                              "20240105", "2024-00-10", "2024-01-00", " 2024-01-05", ("num", "20240105"),
                              "0000-01-01", "2100-02-29", "２０２４-01-05"])
            where = rng.randrange(3)
            if where == 0:
                set_key(person, "birth_date", bad)
            elif where == 1 and claim:
                set_key(claim, "date", bad)
            else:
                req = O([(a, b) for a, b in req if a != "enrollment"] + [("enrollment", O([("paid_on", bad)]))])
            return render(req)
        if k == 9:                                                       # inconsistent amounts
            if claim is None:
                claim = O([("kind", "outpatient"), ("date", "%d-05-05" % self.Y), ("hospital_level", 1)])
                req.append(("claim", claim))
                if not dict(person).get("id"):
                    person.append(("id", "p-x"))
            kind = rng.randrange(3)
            if kind == 0:
                set_key(claim, "total", ("num", "100.00"))
                set_key(claim, "compliant", ("num", "100.01"))
            elif kind == 1:
                set_key(claim, "total", ("num", "100"))
                set_key(claim, "compliant", ("num", "50"))
                set_key(claim, "class_b", ("num", "30"))
                set_key(claim, "tcm_drug", "20.01")
            else:
                set_key(claim, "total", ("num", "100"))
                drop_key(claim, "compliant")
                set_key(claim, "special_drug", ("num", "100.01"))
            return render(req)
        if k == 10:                                                      # missing person.id with claim
            if claim is None:
                req.append(("claim", O([("kind", "inpatient"), ("date", "%d-03-05" % self.Y),
                                        ("hospital_level", 2), ("total", ("num", "1000"))])))
            if rng.random() < 0.5:
                drop_key(person, "id")
            else:
                set_key(person, "id", None)
            return render(req)
        if k == 11:                                                      # null / missing required
            opts = [(req, "id"), (person, "birth_date"), (req, "person")]
            if claim:
                opts += [(claim, "kind"), (claim, "date"), (claim, "hospital_level"), (claim, "total")]
            obj, key = rng.choice(opts)
            if rng.random() < 0.5:
                set_key(obj, key, None)
            else:
                drop_key(obj, key)
            return render(req)
        if k == 12:                                                      # not an object
            return rng.choice(["[]", '"r-1"', "5", "null", "true", '[{"id": "r"}]'])
        if k == 13:                                                      # bad enum
            if claim and rng.random() < 0.7:
                key, val = rng.choice([("kind", "surgery"), ("remote", "abroad"), ("cause", "accident"),
                                       ("kind", "Inpatient"), ("remote", "far")])
                set_key(claim, key, val)
            else:
                set_key(person, "categories", ["dibao", "poor"])
            return render(req)
        if k == 14:
            return "\ufeff" + render(req)                                # BOM not at the start
        if k == 15:
            if claim:
                set_key(claim, "total", ("num", "NaN"))
                return render(req)
            return render(req) + " {}"
        if k == 16:
            return render(req).replace("{", "{\x01", 1)                  # control char
        if k == 17:                                                      # wrong bool types
            if claim:
                set_key(claim, rng.choice(["tcm_hospital", "childrens_hospital", "direct_settled"]),
                        rng.choice([("num", "1"), "true", "no"]))
            else:
                set_key(person, "employee_insured", ("num", "0"))
            return render(req)
        if k == 18:                                                      # enrollment wrong
            req = O([(a, b) for a, b in req if a != "enrollment"])
            req.append(("enrollment", rng.choice([O([("continuing", "yes")]), "2024-01-01", O([("paid_on", ("num", "20240101"))]), []])))
            return render(req)
        if k == 19:                                                      # nested duplicate in enrollment
            req = O([(a, b) for a, b in req if a != "enrollment"])
            req.append(("enrollment", O([("paid_on", "%d-01-05" % self.Y), ("paid_on", "%d-01-06" % self.Y)])))
            return render(req)
        # blank lines (skipped, no result)
        return rng.choice(["", " ", "\t", "  \t ", "\r"])

    def lines(self, count, bad_share):
        out = []
        for _ in range(count):
            if self.rng.random() < bad_share:
                out.append(self.bad_line(count))
            else:
                out.append(render(self.request(count), self.rng))
        return out


class O(list):
    """A JSON object as a list of (key, value) pairs (keys may repeat)."""


def dedup_last(pairs):
    seen = {}
    for i, (k, v) in enumerate(pairs):
        seen[k] = i
    return O([(k, v) for i, (k, v) in enumerate(pairs) if seen[k] == i])


def set_key(pairs, key, val):
    for i, (k, v) in enumerate(pairs):
        if k == key:
            pairs[i] = (k, val)
            return
    pairs.append((key, val))


def drop_key(pairs, key):
    pairs[:] = O([(k, v) for k, v in pairs if k != key])


def render(v, rng=None):
    """Render pairs-lists as objects; ('num', text) / ('str', text) as raw numbers / strings."""
    if isinstance(v, O):
        sep = ", " if rng is None or rng.random() < 0.8 else ","
        kv = ": " if rng is None or rng.random() < 0.8 else ":"
        return "{" + sep.join(json.dumps(k, ensure_ascii=False) + kv + render(x, rng) for k, x in v) + "}"
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "num":
        return v[1]
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "str":
        return json.dumps(v[1])
    if isinstance(v, list):
        return "[" + ", ".join(render(x, rng) for x in v) + "]"
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, int):
        return str(v)
    raise TypeError(repr(v))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--policy", required=True, choices=sorted(POLICY_YEAR))
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bad-share", type=float, default=0.05)
    ap.add_argument("--crlf-share", type=float, default=0.02,
                    help="share of lines ended with CRLF instead of LF")
    ap.add_argument("--bom", action="store_true", help="start the output with a UTF-8 BOM")
    args = ap.parse_args(argv)
    g = Gen(args.policy, args.seed)
    lines = g.lines(args.count, args.bad_share)
    out = sys.stdout.buffer
    if args.bom:
        out.write(b"\xef\xbb\xbf")
    for line in lines:
        end = "\r\n" if g.rng.random() < args.crlf_share else "\n"
        out.write((line + end).encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
