"""Independent held-out evaluation set for the PHI detector.

Written without reference to the detector's implementation or to ``generator.py``: the documents below
are hand-designed styles (hand-off notes, portal messages, letters, forms, SMS, support tickets, ...)
filled with Faker values.  Every inserted PHI value is annotated with (category, start, end); everything
else is treated as non-PHI text (drug doses, vitals, labs, rooms, order numbers, bare years, ICD codes,
times, ages under 90, ...).

``python -m tests.phi_eval.holdout`` prints the markdown report; ``evaluate(seed=...)`` returns numbers.
"""

from __future__ import annotations

import bisect
import random
import re
import string
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from services.phi.detection import CATEGORIES, DEFAULT_ENABLED, Detector

SEED = 7321
N_DOCS = 300
_WORD = re.compile(r"\w+")

# --------------------------------------------------------------------------------------------------
# document builder
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    category: str
    start: int
    end: int
    text: str
    tag: str = ""  # e.g. name locale


@dataclass
class Document:
    style: str
    text: str
    entities: list[Entity]


class _Doc:
    def __init__(self, style: str) -> None:
        self.style = style
        self._parts: list[str] = []
        self._len = 0
        self._ents: list[Entity] = []

    def add(self, *items) -> "_Doc":
        """Append items: plain strings, or (category, value[, tag]) tuples that are annotated as PHI."""
        for it in items:
            if isinstance(it, tuple):
                cat, val = it[0], it[1]
                tag = it[2] if len(it) > 2 else ""
                assert cat in CATEGORIES, cat
                assert val and val == val.strip(), (cat, val)
                self._ents.append(Entity(cat, self._len, self._len + len(val), val, tag))
                self._parts.append(val)
                self._len += len(val)
            elif it:
                self._parts.append(it)
                self._len += len(it)
        return self

    def build(self) -> Document:
        text = "".join(self._parts)
        for e in self._ents:
            assert text[e.start:e.end] == e.text
        return Document(self.style, text, list(self._ents))


# --------------------------------------------------------------------------------------------------
# value helpers
# --------------------------------------------------------------------------------------------------

# weighted: mostly Latin-script names; hi_IN (Devanagari script) kept rare but present
NAME_LOCALES = (["en_US"] * 8 + ["en_GB"] * 2 + ["es_MX"] * 3 + ["de_DE", "fr_FR", "it_IT", "vi_VN", "vi_VN", "en_IN",
                 "en_IN", "pt_BR", "pl_PL", "tr_TR", "nl_NL", "ga_IE"] * 2 + ["hi_IN"])

REAL_CITIES = [("Springfield", "IL"), ("Dayton", "OH"), ("Tucson", "AZ"), ("Fresno", "CA"), ("Macon", "GA"),
               ("Boise", "ID"), ("Spokane", "WA"), ("Albany", "NY"), ("Lansing", "MI"), ("Erie", "PA"),
               ("Provo", "UT"), ("Tacoma", "WA"), ("El Paso", "TX"), ("Baton Rouge", "LA"), ("Fort Wayne", "IN"),
               ("Green Bay", "WI"), ("Santa Fe", "NM"), ("Bangor", "ME"), ("Worcester", "MA"), ("Durham", "NC"),
               ("Chattanooga", "TN"), ("Lincoln", "NE"), ("Reno", "NV"), ("Savannah", "GA"), ("Duluth", "MN"),
               ("St. Louis", "MO"), ("New Haven", "CT"), ("Cedar Rapids", "IA"), ("Billings", "MT"),
               ("San Antonio", "TX"), ("Columbia", "SC"), ("Joliet", "IL"), ("Hialeah", "FL"), ("Yonkers", "NY")]
STREETS = ["Maple", "Oak Ridge", "Cedar", "Pinecrest", "Lincoln", "Washington", "Elm", "Sycamore", "Mill Creek",
           "Old Farm", "Lakeview", "Hawthorne", "Chestnut", "Willow Bend", "Prospect", "River", "Highland",
           "Juniper", "Magnolia", "Cherry Hill", "Briarwood", "Main", "Park", "Kingsley", "Foxglove", "Valley View"]
SUFFIXES = ["St", "St.", "Street", "Ave", "Avenue", "Rd", "Road", "Dr", "Drive", "Ln", "Lane", "Blvd", "Ct",
            "Court", "Way", "Pl", "Terrace", "Cir"]
UNITS = ["Apt 4B", "Apt. 12", "Apt #302", "Unit 7", "Suite 210", "Ste 400", "#3", "Apt 2F", "Bldg C, Apt 118",
         "Unit 14-B", "Lot 22", "Rm 5"]
STATES = ["IL", "OH", "AZ", "CA", "GA", "NY", "TX", "WA", "MI", "PA", "FL", "NC", "MA", "MN", "MO"]
FACILITIES = ["Lakeside Regional Medical Center", "Northgate Family Practice", "Riverbend Cardiology Associates",
              "St. Brigid Hospital", "Valley Oncology Group", "Summit Orthopedics", "Harbor View Imaging",
              "Eastside Community Health Center", "Pinecrest Behavioral Health", "Mercy West Dialysis Unit"]
INSURERS = ["Blue Cross Blue Shield", "Aetna", "UnitedHealthcare", "Cigna", "Humana", "Medicare", "Medicaid",
            "Kaiser Permanente", "Anthem", "Molina Healthcare", "Tricare"]
MEDS = ["metoprolol 25 mg bid", "lisinopril 10 mg daily", "atorvastatin 40 mg qhs", "metformin 1000 mg bid",
        "apixaban 5 mg bid", "furosemide 40 mg PO daily", "insulin glargine 22 units qhs", "levothyroxine 88 mcg daily",
        "amlodipine 5 mg daily", "sertraline 50 mg daily", "gabapentin 300 mg tid", "pantoprazole 40 mg daily",
        "tamsulosin 0.4 mg qhs", "prednisone 20 mg x5 days", "amoxicillin 875 mg bid x 10 days",
        "oxycodone 5 mg q6h prn pain", "acetaminophen 650 mg q6h prn", "warfarin 3 mg (INR goal 2-3)",
        "albuterol 2 puffs q4h prn", "ondansetron 4 mg IV q8h prn nausea", "heparin 5000 units SC q8h",
        "vancomycin 1.25 g IV q12h", "ceftriaxone 1 g IV daily", "carvedilol 12.5 mg bid", "spironolactone 25 mg daily"]
VITALS = ["BP 132/84", "HR 88", "RR 18", "SpO2 96% on RA", "T 37.2 C", "Temp 99.1F", "BP 148/92, HR 102",
          "O2 sat 91% on 2L NC", "Wt 82.4 kg", "BMI 31.2", "pain 6/10", "GCS 15", "BP 98/60 (MAP 73)",
          "HR 54 SB", "BG 212 mg/dL", "I/O +850 mL"]
LABS = ["HbA1c 7.2%", "Na 134", "K 5.1", "Cr 1.42 (baseline 1.1)", "eGFR 48", "WBC 13.4", "Hgb 9.8", "Plt 142",
        "INR 2.6", "troponin <0.01", "BNP 1240", "TSH 4.8", "LDL 132", "lactate 2.1", "procalcitonin 0.4",
        "ALT 54, AST 61", "Mg 1.7", "CRP 38 mg/L", "ferritin 12", "PSA 6.4", "vitamin D 18 ng/mL"]
DX = [("type 2 diabetes", "E11.9"), ("CHF exacerbation", "I50.23"), ("COPD with acute exacerbation", "J44.1"),
      ("community-acquired pneumonia", "J18.9"), ("atrial fibrillation", "I48.91"), ("acute kidney injury", "N17.9"),
      ("UTI", "N39.0"), ("cellulitis of left lower limb", "L03.116"), ("major depressive disorder", "F33.1"),
      ("hypertension", "I10"), ("osteoarthritis of knee", "M17.11"), ("low back pain", "M54.50"),
      ("hip fracture", "S72.001A"), ("abdominal pain", "R10.9"), ("syncope", "R55"), ("sepsis", "A41.9")]
ORDERS = ["Order #{n}", "order no. {n}", "Accession {a}-{n}", "Req# {n}", "Rx #{n}", "Ticket #{n}"]
EXAMS = ["CT abdomen/pelvis w/ contrast", "MRI L-spine w/o contrast", "CXR PA/lateral", "US RUQ",
         "CTA chest PE protocol", "echo TTE", "DEXA scan", "bilateral LE venous duplex", "MRI brain w/ and w/o"]


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


_VIN_MAP = {**{str(i): i for i in range(10)},
            **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
            **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_W = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2]
_VIN_CH = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@dataclass
class Person:
    first: str
    last: str
    locale: str


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fk: dict[str, Faker] = {}
        for i, loc in enumerate(sorted(set(NAME_LOCALES) | {"en_US", "en_GB", "de_DE", "fr_FR", "it_IT", "es_ES",
                                                            "nl_NL"})):
            f = Faker(loc)
            f.seed_instance(seed * 31 + i)
            self.fk[loc] = f
        self.us = self.fk["en_US"]

    # -- small utils ------------------------------------------------------------------------------
    def ch(self, seq):
        return self.rng.choice(seq)

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def digits(self, n: int, first_nonzero: bool = False) -> str:
        s = "".join(self.ch(string.digits) for _ in range(n))
        if first_nonzero and s[0] == "0":
            s = self.ch("123456789") + s[1:]
        return s

    def alnum(self, n: int, alphabet: str = string.ascii_uppercase + string.digits) -> str:
        return "".join(self.ch(alphabet) for _ in range(n))

    # -- people ----------------------------------------------------------------------------------
    def person(self, locale: str | None = None) -> Person:
        loc = locale or self.ch(NAME_LOCALES)
        f = self.fk[loc]
        first, last = f.first_name(), f.last_name()
        return Person(first, last, loc)

    def full(self, p: Person, style: str | None = None) -> str:
        style = style or self.ch(["fl", "fl", "fl", "lf", "fml", "il"])
        if style == "fl":
            return f"{p.first} {p.last}"
        if style == "lf":
            return f"{p.last}, {p.first}"
        if style == "LF":
            return f"{p.last.upper()}, {p.first.upper()}"
        if style == "fml":
            return f"{p.first} {self.ch(string.ascii_uppercase)}. {p.last}"
        if style == "il":
            return f"{p.first[0]}. {p.last}"
        if style == "low":
            return _strip_accents(f"{p.first} {p.last}").lower()
        raise ValueError(style)

    def name(self, p: Person, style: str | None = None):
        return ("NAME", self.full(p, style), p.locale)

    def first(self, p: Person, lower: bool = False):
        v = _strip_accents(p.first).lower() if lower else p.first
        return ("NAME", v, p.locale)

    def last(self, p: Person):
        return ("NAME", p.last, p.locale)

    # -- dates -----------------------------------------------------------------------------------
    def rand_date(self, y0: int, y1: int) -> date:
        a, b = date(y0, 1, 1), date(y1, 12, 31)
        return a + timedelta(days=self.rng.randrange((b - a).days))

    @staticmethod
    def _ord(n: int) -> str:
        return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"

    def fmt_date(self, d: date, kind: str | None = None, year: bool = True) -> str:
        kinds = ["mdy", "mdy0", "iso", "long", "abbr", "dmy_long", "ordinal_of", "month_ord", "dmonabbr",
                 "dots", "mdyy"] if year else ["md", "long_noy", "ordinal_of_noy", "month_ord_noy", "abbr_noy"]
        kind = kind or self.ch(kinds)
        M, Mon = d.strftime("%B"), d.strftime("%b")
        return {
            "mdy": f"{d.month}/{d.day}/{d.year}",
            "mdy0": d.strftime("%m/%d/%Y"),
            "mdyy": f"{d.month}/{d.day}/{d.strftime('%y')}",
            "iso": d.isoformat(),
            "long": f"{M} {d.day}, {d.year}",
            "abbr": f"{Mon} {d.day} {d.year}",
            "dmy_long": f"{d.day} {M} {d.year}",
            "ordinal_of": f"{self._ord(d.day)} of {M} {d.year}",
            "month_ord": f"{M} {self._ord(d.day)}, {d.year}",
            "dmonabbr": f"{d.day:02d}-{Mon}-{d.year}",
            "dots": f"{d.day:02d}.{d.month:02d}.{d.year}",
            "md": f"{d.month}/{d.day}",
            "long_noy": f"{M} {d.day}",
            "ordinal_of_noy": f"{self._ord(d.day)} of {M}",
            "month_ord_noy": f"{M} {self._ord(d.day)}",
            "abbr_noy": f"{Mon} {d.day}",
            "low": f"{M.lower()} {d.day} {d.year}",
            "low_noy": f"{Mon.lower()} {self._ord(d.day)}",
        }[kind]

    def dob(self, kind: str | None = None):
        return ("DOB", self.fmt_date(self.rand_date(1926, 2019), kind))

    def date(self, kind: str | None = None, year: bool | None = None):
        year = self.p(0.75) if year is None else year
        return ("DATE", self.fmt_date(self.rand_date(2021, 2025), kind, year))

    def time(self) -> str:
        h, m = self.rng.randrange(24), self.ch([0, 5, 10, 15, 20, 30, 40, 45, 50])
        return self.ch([f"{h:02d}:{m:02d}", f"{h:02d}{m:02d}", f"{(h % 12) or 12}:{m:02d} {'AM' if h < 12 else 'PM'}",
                        f"{(h % 12) or 12}{'am' if h < 12 else 'pm'}"])

    def age_old(self):
        a = self.rng.randint(90, 104)
        return a, ("AGE", str(a))

    def age_young(self) -> int:
        return self.rng.randint(19, 88)

    # -- contact ---------------------------------------------------------------------------------
    def phone(self, kind: str | None = None):
        a = self.ch("23456789") + self.digits(2)
        e = self.ch("23456789") + self.digits(2)
        n = self.digits(4)
        kind = kind or self.ch(["paren", "dash", "dots", "plus1", "plus1d", "ext", "x", "one", "plain", "uk", "mx"])
        v = {
            "paren": f"({a}) {e}-{n}",
            "dash": f"{a}-{e}-{n}",
            "dots": f"{a}.{e}.{n}",
            "plus1": f"+1 {a} {e} {n}",
            "plus1d": f"+1-{a}-{e}-{n}",
            "ext": f"({a}) {e}-{n} ext. {self.digits(3)}",
            "x": f"{a}-{e}-{n} x{self.digits(2)}",
            "one": f"1-{a}-{e}-{n}",
            "plain": f"{a}{e}{n}",
            "uk": f"+44 7{self.digits(3)} {self.digits(6)}",
            "mx": f"+52 55 {self.digits(4)} {self.digits(4)}",
        }[kind]
        return ("PHONE", v)

    def fax(self):
        return ("FAX", self.phone(self.ch(["paren", "dash", "dots", "plus1", "one"]))[1])

    def email(self, p: Person | None = None):
        if p is not None and self.p(0.7):
            first = re.sub(r"[^a-z]", "", _strip_accents(p.first).lower()) or "pt"
            last = re.sub(r"[^a-z]", "", _strip_accents(p.last).lower()) or "x"
            local = self.ch([f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{self.digits(2)}",
                             f"{last}_{first}", f"{first}{self.rng.randint(1950, 2005)}"])
            dom = self.ch(["gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "aol.com",
                           "lakesidehealth.org", "comcast.net", "proton.me"])
            return ("EMAIL", f"{local}@{dom}")
        return ("EMAIL", self.us.email())

    def address(self, unit: bool | None = None, kind: str | None = None):
        kind = kind or self.ch(["us"] * 6 + ["faker"] * 2 + ["pobox"] * 2 + ["uk", "de"])
        if kind == "us":
            v = f"{self.rng.randint(1, 19999)} {self.ch(STREETS)} {self.ch(SUFFIXES)}"
            if self.p(0.2):
                v = f"{self.rng.randint(100, 9999)} {self.ch(['N', 'S', 'E', 'W', 'NE', 'SW'])} {self.ch(STREETS)} {self.ch(SUFFIXES)}"
            if unit if unit is not None else self.p(0.45):
                v += self.ch([", ", " "]) + self.ch(UNITS)
            return ("ADDRESS", v)
        if kind == "faker":
            return ("ADDRESS", self.us.street_address().replace("\n", ", "))
        if kind == "pobox":
            return ("ADDRESS", self.ch(["PO Box", "P.O. Box", "P.O. BOX", "po box"]) + f" {self.rng.randint(10, 99999)}")
        if kind == "uk":
            v = self.fk["en_GB"].street_address().replace("\n", ", ")
            return ("ADDRESS", v if v.startswith(("Flat", "Studio")) or self.p(0.5) else f"Flat {self.rng.randint(1, 40)}, {v}")
        return ("ADDRESS", self.fk["de_DE"].street_address().replace("\n", ", "))

    def city_state_zip(self):
        """Returns items: CITY, ', ST ', ZIP (US)."""
        if self.p(0.7):
            city, st = self.ch(REAL_CITIES)
        else:
            city, st = self.us.city(), self.ch(STATES)
        z = self.us.zipcode() if self.p(0.8) else self.us.zipcode_plus4()
        return [("CITY", city), f", {st} ", ("ZIP", z)]

    # -- identifiers -----------------------------------------------------------------------------
    def ssn(self):
        while True:
            area = self.rng.randint(1, 899)
            if area != 666:
                break
        g, s = self.rng.randint(1, 99), self.rng.randint(1, 9999)
        return ("SSN", self.ch([f"{area:03d}-{g:02d}-{s:04d}", f"{area:03d}-{g:02d}-{s:04d}",
                                f"{area:03d} {g:02d} {s:04d}", f"{area:03d}{g:02d}{s:04d}"]))

    def mrn(self):
        return ("MEDICAL_RECORD", self.ch([self.digits(8), self.digits(7, True), "00" + self.digits(6),
                                           f"{self.ch('AEHMKR')}{self.digits(7)}", f"{self.alnum(3, string.ascii_uppercase)}-{self.digits(7)}",
                                           f"{self.digits(3)}-{self.digits(2)}-{self.digits(2)}", f"E{self.digits(9)}"]))

    def mbi(self) -> str:
        L = "ACDEFGHJKMNPQRTUVWXY"
        AN = L + string.digits
        s = (self.ch("123456789") + self.ch(L) + self.ch(AN) + self.ch(string.digits) + self.ch(L) + self.ch(AN)
             + self.ch(string.digits) + self.ch(L) + self.ch(L) + self.ch(string.digits) + self.ch(string.digits))
        return f"{s[:4]}-{s[4:7]}-{s[7:]}" if self.p(0.5) else s

    def member_id(self):
        return ("INSURANCE_ID", self.ch([f"{self.alnum(3, string.ascii_uppercase)}{self.digits(9)}",
                                         f"W{self.digits(9)}", f"{self.digits(9)}-0{self.rng.randint(1, 4)}",
                                         f"{self.alnum(2, string.ascii_uppercase)}{self.digits(7)}",
                                         f"ZGP{self.digits(8)}", self.mbi(), f"{self.digits(8)}{self.ch('ABCD')}",
                                         f"U{self.digits(8)}01"]))

    def group_no(self):
        return ("INSURANCE_ID", self.ch([self.digits(6), f"{self.digits(5)}-{self.digits(3)}", f"GRP{self.digits(5)}",
                                         f"{self.alnum(2, string.ascii_uppercase)}{self.digits(4)}", self.digits(7)]))

    def policy_no(self):
        return ("INSURANCE_ID", self.ch([f"{self.alnum(2, string.ascii_uppercase)}-{self.digits(8)}",
                                         f"{self.digits(4)}-{self.digits(4)}-{self.digits(2)}",
                                         f"POL{self.digits(9)}", self.digits(11)]))

    def card(self):
        t = self.ch(["visa16", "mastercard", "amex", "discover", "visa16"])
        n = self.us.credit_card_number(t)
        if self.p(0.5):
            n = " ".join(n[i:i + 4] for i in range(0, len(n), 4)) if len(n) == 16 else f"{n[:4]} {n[4:10]} {n[10:]}"
        elif self.p(0.3) and len(n) == 16:
            n = "-".join(n[i:i + 4] for i in range(0, len(n), 4))
        return ("ACCOUNT", n)

    def iban(self):
        loc = self.ch(["de_DE", "en_GB", "fr_FR", "it_IT", "es_ES", "nl_NL"])
        v = self.fk[loc].iban()
        if self.p(0.5):
            v = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
        return ("ACCOUNT", v)

    def bank_acct(self):
        return ("ACCOUNT", self.ch([self.digits(10, True), self.digits(12, True), f"{self.digits(4)}-{self.digits(6)}",
                                    self.digits(9, True)]))

    def npi(self):
        base = self.ch("12") + self.digits(8)
        return ("LICENSE", base + _luhn_digit("80840" + base))

    def dea(self, last: str = ""):
        d = [self.rng.randrange(10) for _ in range(6)]
        chk = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        second = (_strip_accents(last)[:1].upper() if last and last[0].isalpha() else "") or self.ch(string.ascii_uppercase)
        if not second.isascii():
            second = "X"
        return ("LICENSE", self.ch("ABFGM") + second + "".join(map(str, d)) + str(chk))

    def drivers_license(self):
        return ("LICENSE", self.ch([f"{self.ch(string.ascii_uppercase)}{self.digits(7)}", self.digits(8),
                                    f"{self.digits(3)} {self.digits(3)} {self.digits(3)}",
                                    f"{self.ch(string.ascii_uppercase)}{self.digits(3)}-{self.digits(3)}-{self.digits(2)}-{self.digits(3)}-0",
                                    f"{self.ch(string.ascii_uppercase)}{self.digits(12)}"]))

    def med_license(self):
        return ("LICENSE", self.ch([f"G{self.digits(5)}", f"A{self.digits(6)}", f"MD{self.digits(6)}",
                                    f"{self.digits(2)}-{self.digits(6)}", f"025.{self.digits(6)}", f"RN{self.digits(7)}"]))

    def vin(self):
        wmi = self.ch(["1HG", "1FT", "JTD", "WBA", "5YJ", "3VW", "2T1", "KMH", "1G1", "4T1", "JN1"])
        vds = self.alnum(5, _VIN_CH)
        year = self.ch("ABCDEFGHJKLMNPRSTVWXY123456789")
        plant = self.alnum(1, _VIN_CH)
        serial = self.digits(6)
        v = wmi + vds + "0" + year + plant + serial
        s = sum(_VIN_MAP[c] * w for c, w in zip(v, _VIN_W)) % 11
        return ("VEHICLE", v[:8] + ("X" if s == 10 else str(s)) + v[9:])

    def plate(self):
        L = "ABCDEFGHJKLMNPRSTUVWXYZ"
        return ("VEHICLE", self.ch([f"{self.rng.randint(1, 9)}{self.alnum(3, L)}{self.digits(3)}",
                                    f"{self.alnum(3, L)}-{self.digits(4)}", f"{self.alnum(3, L)} {self.digits(4)}",
                                    f"{self.alnum(2, L)}{self.digits(2)} {self.alnum(3, L)}",
                                    f"{self.digits(3)}-{self.alnum(3, L)}"]))

    def device_id(self):
        imei14 = "35" + self.digits(12)
        return ("DEVICE", self.ch([
            f"{self.alnum(3, string.ascii_uppercase)}{self.digits(6)}{self.ch('SHRN')}",
            f"{self.alnum(2)}{self.digits(2)}-{self.digits(5)}-{self.alnum(1, string.ascii_uppercase)}",
            f"(01)0{self.digits(13)}(17){self.rand_date(2026, 2030).strftime('%y%m%d')}(10){self.alnum(5)}",
            f"(01)0{self.digits(13)}(21){self.alnum(8)}",
            self.digits(8, True), f"{self.alnum(6, string.ascii_uppercase + string.digits)}",
            imei14 + _luhn_digit(imei14), f"SN{self.digits(10)}", f"{self.alnum(4)}-{self.alnum(4)}-{self.alnum(4)}",
        ]))

    def video_url(self):
        return ("URL", self.ch([f"https://zoom.us/j/{self.digits(11)}?pwd={self.alnum(16, string.ascii_letters + string.digits)}",
                                f"https://telehealth.northgatefp.com/room/{self.alnum(8, string.ascii_lowercase + string.digits)}",
                                f"https://doxy.me/dr{self.alnum(6, string.ascii_lowercase)}",
                                f"https://meet.lakesidehealth.org/v/{self.digits(9)}"]))

    def url(self, p: Person | None = None):
        slug = re.sub(r"[^a-z]+", "-", _strip_accents(f"{p.first} {p.last}").lower()).strip("-") if p else "patient"
        return ("URL", self.ch([
            f"https://www.gofundme.com/f/help-{slug}-recover",
            f"https://portal.lakesidehealth.org/mychart/patient/{self.digits(7)}",
            f"https://zoom.us/j/{self.digits(11)}?pwd={self.alnum(16, string.ascii_letters + string.digits)}",
            f"http://www.facebook.com/{slug.replace('-', '.')}.{self.digits(2)}",
            f"https://drive.google.com/file/d/{self.alnum(28, string.ascii_letters + string.digits + '_-')}/view",
            f"https://telehealth.northgatefp.com/room/{self.alnum(8, string.ascii_lowercase + string.digits)}",
            f"www.{slug.replace('-', '')}photos.net",
            self.us.url() + f"profile/{self.digits(5)}",
        ]))

    def ip(self):
        return ("IP_ADDRESS", self.ch([self.us.ipv4_public(), self.us.ipv4_private(), self.us.ipv4(), self.us.ipv6(),
                                       f"2001:db8:{self.rng.randrange(16**4):x}::{self.rng.randrange(16**4):x}",
                                       f"fe80::{self.rng.randrange(16**4):x}:{self.rng.randrange(16**4):x}"]))

    def secret(self, kind: str | None = None):
        b62 = string.ascii_letters + string.digits
        kind = kind or self.ch(["stripe", "aws", "awssec", "gh", "slack", "jwt", "pw", "hex", "openai", "gcp"])
        v = {
            "stripe": "sk_live_" + self.alnum(24, b62),
            "aws": "AKIA" + self.alnum(16, string.ascii_uppercase + "234567"),
            "awssec": self.alnum(40, b62 + "/+"),
            "gh": "ghp_" + self.alnum(36, b62),
            "slack": f"xoxb-{self.digits(11)}-{self.digits(12)}-{self.alnum(24, b62)}",
            "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + self.alnum(46, b62 + "-_") + "." + self.alnum(43, b62 + "-_"),
            "pw": self.ch(["Tr0ub4dor&3", "Summer2024!", "hunter2", "P@ssw0rd123", "Radiant#Prod88", "ch4ngeme!",
                           "Qx7!vLp2#rT9", "letmein2023", "Winter#2025"]),
            "hex": self.alnum(32, "0123456789abcdef"),
            "openai": "sk-proj-" + self.alnum(40, b62),
            "gcp": "AIza" + self.alnum(35, b62 + "-_"),
        }[kind]
        return ("SECRET", v)

    # -- non-PHI filler --------------------------------------------------------------------------
    def order(self) -> str:
        return self.ch(ORDERS).format(n=self.digits(self.rng.randint(5, 8), True), a=self.ch(["LB", "CH", "HM", "MB"]))

    def room(self) -> str:
        return self.ch([f"Rm {self.rng.randint(100, 899)}", f"room {self.rng.randint(2, 9)}{self.rng.randint(10, 45)}",
                        f"Bed {self.rng.randint(1, 30)}{self.ch('AB')}", f"{self.rng.randint(3, 9)}W-{self.rng.randint(1, 40)}",
                        f"bay {self.rng.randint(1, 24)}", f"ICU bed {self.rng.randint(1, 16)}"])

    def year(self) -> str:
        return str(self.rng.randint(1985, 2024))

    def meds(self, k: int) -> list[str]:
        return self.rng.sample(MEDS, k)

    def vitals(self, k: int) -> str:
        return ", ".join(self.rng.sample(VITALS, k))

    def labs(self, k: int) -> str:
        return ", ".join(self.rng.sample(LABS, k))

    def dx(self):
        return self.ch(DX)


# --------------------------------------------------------------------------------------------------
# document styles
# --------------------------------------------------------------------------------------------------


def s_nurse_handoff(g: Gen, d: _Doc) -> None:
    pt, fam, md = g.person(), g.person(), g.person()
    dx, icd = g.dx()
    d.add(g.ch(["SBAR handoff", "Shift report", "RN hand-off", "Nursing handover"]), f" {g.time()} -- {g.room()}\n")
    d.add("S: ", g.name(pt, g.ch(["fl", "lf", "LF"])), ", ")
    if g.p(0.35):
        a, ent = g.age_old()
        d.add(ent, g.ch(["yo ", " y/o ", "-year-old "]), g.ch(["F", "M", "female", "male"]))
    else:
        d.add(f"{g.age_young()}{g.ch(['yo', ' y/o', 'F', 'M'])}")
    d.add(", MRN ", g.mrn(), ", admitted ", g.date(year=g.p(0.5)), f" w/ {dx} ({icd}).\n")
    d.add(f"B: hx {g.dx()[0]} since {g.year()}, {g.dx()[0]}. Home meds: {'; '.join(g.meds(3))}.\n")
    d.add(f"A: {g.vitals(3)}. AM labs {g.labs(3)}. Pain controlled with {g.ch(MEDS)}. ")
    d.add(g.ch(["A&Ox4. ", "Confused overnight, reoriented x2. ", "Ambulating w/ walker. ", "NPO after midnight. "]))
    d.add("\nR: ")
    if g.p(0.6):
        d.add(g.ch(["Daughter ", "Son ", "Wife ", "Husband ", "Niece "]), g.name(fam, "fl"), " is HCP, best # ", g.phone(),
              ". ")
    d.add("Dr. ", g.last(md), f" to round by {g.time()}; f/u {g.order()}. ")
    if g.p(0.4):
        d.add("Pt states she was born ", g.dob(g.ch(["long", "month_ord", "abbr"])), ". ")
    d.add(g.ch(["Fall risk, bed alarm on.", "Tele box on, rhythm NSR.", "Foley d/c'd at 0600, due to void by 1200.",
                "Wound vac intact, change due Friday."]), "\n")


def s_portal_patient(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    lower = g.p(0.6)
    greet = g.ch(["hi", "hello", "hey", "Hi", "Good morning"])
    d.add(f"{greet} dr ", ("NAME", _strip_accents(md.last).lower() if lower else md.last, md.locale), ",\n\n")
    d.add(g.ch(["its ", "this is ", "my name is ", "Hi its "]), g.name(pt, "low" if lower else "fl"), " ")
    choice = g.rng.randrange(3)
    if choice == 0:
        d.add("dob ", g.dob(g.ch(["mdy", "mdyy", "mdy0"])), ". ")
    elif choice == 1:
        d.add("my birthday is ", ("DOB", g.fmt_date(g.rand_date(1930, 2005), "low")), ". ")
    else:
        d.add("born ", g.dob(), ". ")
    d.add(g.ch(["i been having", "ive had", "still having", "having alot of"]),
          g.ch([" dizzy spells", " bad headaches", " swelling in my legs", " trouble sleeping", " chest tightness"]),
          g.ch([" since last tuesday", " for like 2 weeks", " ever since the new pill", " since 2022"]), ". ")
    d.add(f"the {g.ch(MEDS).split(' ')[0]} {g.ch(['makes me tired', 'isnt working', 'gives me a rash', 'upsets my stomach'])}. ")
    d.add(f"my bp this morning was {g.rng.randint(120, 175)}/{g.rng.randint(70, 100)} and sugar {g.rng.randint(90, 260)}. ")
    if g.p(0.6):
        d.add("can u call me back at ", g.phone(g.ch(["dash", "plain", "dots", "paren"])),
              g.ch([" after 3", " anytime", " pls", ""]), ". ")
    if g.p(0.45):
        d.add("also i moved, new address is ", g.address(), " ", *g.city_state_zip(), ". ")
    if g.p(0.35):
        d.add("or email ", g.email(pt), ". ")
    if g.p(0.3):
        d.add("my appt is on ", ("DATE", g.fmt_date(g.rand_date(2023, 2025), g.ch(["low_noy", "md", "long_noy"]))),
              f" at {g.time()} but i might need to reschedule. ")
    if g.p(0.25):
        kid = g.person(pt.locale)
        d.add("my daughter ", g.first(kid, lower), " can drive me. ")
    d.add("\n\n", g.ch(["thanks", "thank u", "Thank you so much", "thx"]), "\n", g.first(pt, lower), "\n")


def s_referral(g: Gen, d: _Doc) -> None:
    md, pt, to = g.person("en_US"), g.person(), g.person()
    dx, icd = g.dx()
    fac = g.ch(FACILITIES)
    d.add(f"{fac}\n", g.address(unit=True, kind="us"), "\n", *g.city_state_zip(), "\n")
    d.add("Tel ", g.phone(g.ch(["paren", "dash"])), "  |  Fax ", g.fax(), "\n\n")
    d.add(g.date(g.ch(["long", "mdy", "dmy_long"]), year=True), "\n\n")
    d.add("Dr. ", g.name(to, "fl"), "\n", g.ch(FACILITIES), "\n\n")
    sep = g.ch(["   DOB: ", ", DOB ", " (DOB "])
    d.add("RE: ", g.name(pt, g.ch(["fl", "LF", "lf"])), sep, g.dob(), ")" if "(" in sep else "", "   MRN: ", g.mrn(), "\n\n")
    d.add("Dear Dr. ", g.last(to), ",\n\n")
    if g.p(0.5):
        d.add("Thank you for seeing ", g.name(pt, "fl"))
    else:
        d.add("Thank you for seeing ", g.ch(["Mr. ", "Ms. ", "Mrs. "]), g.last(pt))
    d.add(f", whom I am referring for evaluation of {dx} ({icd}). ")
    d.add(f"Symptoms began in {g.year()} and have progressed over the last {g.rng.randint(2, 11)} months. ")
    d.add(f"Current medications include {', '.join(g.meds(3))}. Most recent labs: {g.labs(3)}; {g.vitals(2)} in clinic. ")
    if g.p(0.5):
        d.add("An ", g.ch(EXAMS), " on ", g.date(), " showed no acute findings. ")
    d.add("Insurance: ", g.ch(INSURERS), ", member ID ", g.member_id(), ". ")
    d.add("The patient can be reached at ", g.phone(), ".\n\n")
    d.add("Sincerely,\n\n", g.name(md, g.ch(["fl", "fml"])), ", MD\nNPI ", g.npi(), "\n")


def s_appeal(g: Gen, d: _Doc) -> None:
    pt, holder, md = g.person(), g.person(), g.person()
    dx, icd = g.dx()
    ins = g.ch(INSURERS)
    d.add(g.name(pt, "fl"), "\n", g.address(), "\n", *g.city_state_zip(), "\n\n", g.date("long", year=True), "\n\n")
    d.add(f"{ins}\nAttn: Appeals Department\n", g.address(kind="pobox"), "\n", *g.city_state_zip(), "\n\n")
    d.add("Re: Request for reconsideration\nMember: ", g.name(pt, "fl"), "\nMember ID: ", g.member_id(),
          "\nGroup No.: ", g.group_no(), "\n")
    if g.p(0.5):
        d.add("Policy holder: ", g.name(holder, "fl"), " (spouse), policy # ", g.policy_no(), "\n")
    d.add("Date of birth: ", g.dob(), "\nDate(s) of service: ", g.date(), g.ch([" - ", " through "]), g.date(year=True), "\n\n")
    d.add("To whom it may concern,\n\n")
    d.add(f"I am writing to appeal the denial of coverage for {g.ch(EXAMS)} (CPT {g.ch(['74177', '72148', '71046', '93306', '77080'])}) "
          f"ordered for {dx}, ICD-10 {icd}. ")
    d.add("My physician, Dr. ", g.name(md, "fl"), ", documented failure of conservative therapy including "
          f"{g.ch(MEDS)} and {g.rng.randint(6, 12)} weeks of physical therapy. ")
    d.add(f"I have had this condition since {g.year()}. The denial letter dated ", g.date(), " cites lack of medical necessity. ")
    if g.p(0.4):
        d.add("My Social Security number is ", g.ssn(), " if needed to locate my file. ")
    d.add("Please contact me at ", g.phone(), " or ", g.email(pt), ".\n\nRespectfully,\n", g.name(pt, "fl"), "\n")


def s_pharmacy(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    med = g.ch(MEDS)
    kind = g.rng.randrange(3)
    if kind == 0:
        d.add("CVS Pharmacy #", g.digits(4), " -> prescriber\nFAX TO: ", g.fax(), "\n")
        d.add(f"Refill request {g.order()}\nPatient: ", g.name(pt, g.ch(["LF", "lf"])), "  DOB ", g.dob("mdy0"), "\n")
        d.add(f"Drug: {med}, #90, refills 3\nLast filled ", g.date("mdy0", True), "\nPrescriber: Dr. ", g.name(md, "fl"),
              " DEA ", g.dea(md.last), " NPI ", g.npi(), "\n")
        ph = g.phone("paren")[1]
        d.add("Pharmacy phone ", ("PHONE", ph + g.ch([" ext 3", ""])), "\n")
    elif kind == 1:
        d.add("Hi ", g.first(pt), ", your prescription for ", med.split(" ")[0],
              f" is ready for pickup at Walgreens ({g.ch(['Main St', 'Route 9', 'Elm Ave'])} store). ")
        d.add("Pickup by ", g.date(year=False), " or it will be returned to stock. Questions? ", g.phone(), "\n")
    else:
        d.add("Clinical pharmacist note -- ", g.name(pt, "fl"), f", {g.room()}\n")
        d.add(f"Renal dosing review: {g.labs(2)}. Recommend change {g.ch(MEDS)} -> {g.ch(MEDS)}. ")
        d.add(f"Vanco trough due {g.time()}. Discussed with Dr. ", g.last(md), " who agreed. ")
        d.add(f"Allergies: PCN (hives, {g.year()}), sulfa.\n")


def s_lab_header(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    coll = g.rand_date(2022, 2025)
    d.add(f"{g.ch(['QUEST DIAGNOSTICS', 'LabCorp', 'LAKESIDE CORE LAB', 'Mayo Clinic Laboratories'])}\n")
    d.add("Patient Name: ", g.name(pt, "LF"), "        Sex: ", g.ch(["F", "M"]), "\n")
    d.add("DOB: ", g.dob(g.ch(["mdy0", "iso", "dmonabbr"])), "   Age: ")
    if g.p(0.3):
        d.add(g.age_old()[1])
    else:
        d.add(str(g.age_young()))
    d.add("   MRN: ", g.mrn(), "\n")
    d.add("Collected: ", ("DATE", g.fmt_date(coll, "mdy0")), f" {g.time()}   Received: ",
          ("DATE", g.fmt_date(coll + timedelta(days=g.rng.randint(0, 1)), "mdy0")), f" {g.time()}\n")
    d.add(f"Accession: {g.ch(['LB', 'CH'])}{g.digits(8)}   {g.order()}\n")
    d.add("Ordering: ", g.name(md, g.ch(["LF", "lf", "il"])), ", MD   NPI: ", g.npi(), "\n")
    if g.p(0.5):
        d.add("Phone: ", g.phone("paren"), "  Fax: ", g.fax(), "\n")
    d.add("-" * 48 + "\nTEST              RESULT    FLAG   REF RANGE\n")
    for lab in g.rng.sample(["Glucose 142 H 70-99 mg/dL", "Sodium 134 L 136-145 mmol/L", "Potassium 4.2 3.5-5.1 mmol/L",
                             "Creatinine 1.42 H 0.57-1.00 mg/dL", "Hemoglobin A1c 7.2 H <5.7 %", "WBC 11.8 H 3.4-10.8 x10E3/uL",
                             "Hemoglobin 10.1 L 11.1-15.9 g/dL", "TSH 2.31 0.45-4.5 uIU/mL", "LDL 142 H 0-99 mg/dL",
                             "Platelets 212 150-450 x10E3/uL"], 4):
        d.add(lab + "\n")
    d.add(f"Comment: specimen slightly hemolyzed. Reviewed {g.time()}.\n")


def s_social_work(g: Gen, d: _Doc) -> None:
    pt, kin, ll = g.person(), g.person(), g.person()
    d.add("Social Work Progress Note\n")
    d.add(g.ch(["SW met with pt ", "Met with patient "]), g.name(pt, "fl"), f" at bedside ({g.room()}) ")
    if g.p(0.5):
        a, ent = g.age_old()
        d.add("-- ", ent, " years old, ")
    d.add("to discuss discharge planning. Pt lives alone at ", g.address(), ", ", *g.city_state_zip(), ", ")
    d.add(f"a {g.ch(['second-floor walk-up', 'mobile home', 'senior apartment', 'rented room'])} since {g.year()}. ")
    d.add("Landlord ", g.name(ll, "fl"), " reports rent is 2 months behind. ")
    d.add("Pt receives SSI (~$943/mo) and SNAP. ")
    if g.p(0.7):
        d.add("Assisted with Medicaid renewal; Medicaid ID ", g.member_id(), ", SSN ", g.ssn(), " verified with pt. ")
    d.add(g.ch(["Niece ", "Son ", "Neighbor ", "Friend "]), g.name(kin, g.ch(["fl", "fl", "low"])), " (", g.phone(),
          ") is willing to check in daily. ")
    d.add(f"PHQ-9 score 14. Referred to {g.ch(FACILITIES)}; intake scheduled ", g.date(), f" at {g.time()}. ")
    d.add("APS report not indicated at this time. Time spent: 45 min.\n")


def s_radiology(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    dx, icd = g.dx()
    d.add("RADIOLOGY REQUISITION\n")
    d.add("Patient: ", g.name(pt, g.ch(["LF", "fl"])), "\nDOB: ", g.dob(), "    MRN: ", g.mrn(), "\n")
    d.add("Home phone: ", g.phone(), "\n")
    d.add("Insurance: ", g.ch(INSURERS), "   ID# ", g.member_id(), "   Grp ", g.group_no(), "\n")
    d.add(f"Exam requested: {g.ch(EXAMS)}\nPriority: {g.ch(['STAT', 'Routine', 'Urgent'])}   {g.order()}\n")
    d.add(f"Clinical indication: {dx} ({icd}); Cr {round(g.rng.uniform(0.6, 2.2), 2)}, eGFR {g.rng.randint(25, 95)}\n")
    if g.p(0.6):
        d.add("Implants: ", g.ch(["pacemaker", "ICD", "cochlear implant", "spinal cord stimulator", "insulin pump"]),
              ", serial no. ", g.device_id(), "\n")
    d.add("Contrast allergy: ", g.ch(["none", "iodinated contrast - hives", "unknown"]), "\n")
    d.add("Preferred date: ", g.date(year=g.p(0.5)), "\nOrdering provider: ", g.name(md, "fl"), ", NPI ", g.npi(),
          "\nCallback: ", g.phone(g.ch(["ext", "x", "paren"])), "   Fax results to ", g.fax(), "\n")


def s_clinician_email(g: Gen, d: _Doc) -> None:
    a, b, pt = g.person("en_US"), g.person(), g.person()
    d.add("From: ", g.name(a, "fl"), " <", g.email(a), ">\nTo: ", g.email(b), "\n")
    d.add("Date: ", ("DATE", g.ch(["Mon", "Tue", "Wed", "Thu", "Fri"]) + ", " + g.date("dmy_long", True)[1]),
          f" {g.time()}\n")
    d.add(f"Subject: {g.ch(['curbside', 'pt question', 'FW: consult', 'Re: your patient'])}\n\n")
    d.add("Hi ", g.first(b), ",\n\n")
    d.add("Quick question about ", g.name(pt, g.ch(["fl", "il", "fl"])), " (MRN ", g.mrn(), "), ")
    if g.p(0.4):
        age, ent = g.age_old()
        d.add("the ", ent, "-year-old you saw ")
    else:
        d.add(f"the {g.age_young()}-year-old you saw ")
    d.add("on ", g.date(year=False), f". Her {g.labs(2)} are trending up and she is on {g.ch(MEDS)}. ")
    d.add(f"Would you hold the {g.ch(MEDS).split(' ')[0]} before the {g.ch(EXAMS)}? ")
    d.add(f"I put in {g.order()} but can cancel.\n\n")
    d.add("Thanks,\n", g.first(a), "\n--\n", g.name(a, "fl"), ", MD | ", g.ch(FACILITIES), "\n")
    d.add("p ", g.phone(g.ch(["dots", "paren", "ext"])), " | f ", g.fax(), "\n")


def s_sms(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    k = g.rng.randrange(4)
    if k == 0:
        d.add("Reminder: ", g.first(pt), " has an appt w/ Dr. ", g.last(md), " on ", g.date(year=False),
              f" at {g.time()}. Reply C to confirm, R to reschedule. ", g.phone("dash"), "\n")
    elif k == 1:
        d.add(f"{g.ch(FACILITIES)}: Your COVID booster is scheduled ", g.date(g.ch(["abbr_noy", "md"]), False),
              f" {g.time()}. Bring photo ID & insurance card. Txt STOP to opt out\n")
    elif k == 2:
        d.add("hey its ", g.first(pt, True), " from ", g.ch(["dr", "Dr."]), " ", g.last(md),
              "s office, ur labs came back fine, call ", g.phone(g.ch(["dots", "plain"])), " w/ questions\n")
    else:
        d.add("Appt confirmed for ", g.name(pt, "fl"), ", ", g.date(g.ch(["mdy", "long"]), True),
              f" {g.time()}, {g.ch(['Suite 200', 'Bldg B', '3rd floor'])}. Telehealth link: ", g.video_url(), "\n")


def s_support_ticket(g: Gen, d: _Doc) -> None:
    eng, pt = g.person("en_US"), g.person()
    d.add(f"Ticket #{g.digits(5, True)} -- {g.ch(['HL7 feed failing', 'FHIR sync 401', 'portal login loop', 'fax gateway down'])}\n")
    d.add("Reporter: ", g.name(eng, "fl"), " <", g.email(eng), ">\n\n")
    d.add(f"Since the upgrade to v{g.rng.randint(2, 5)}.{g.rng.randint(0, 12)} in {g.year()} the interface keeps failing. Pasting our config:\n\n")
    d.add("```\n")
    d.add("FHIR_BASE=", ("URL", "https://fhir.example-ehr.com/r4"), "\nDB_HOST=", g.ip(), "\nDB_PORT=5432\nDB_USER=svc_ehr\n")
    d.add("DB_PASSWORD=", g.secret("pw"), "\n")
    d.add(g.ch(["API_KEY=", "STRIPE_SECRET_KEY=", "OPENAI_API_KEY=", "api_token: "]),
          g.secret(g.ch(["stripe", "openai", "hex", "gh", "gcp"])), "\n")
    if g.p(0.5):
        d.add("AWS_ACCESS_KEY_ID=", g.secret("aws"), "\nAWS_SECRET_ACCESS_KEY=", g.secret("awssec"), "\n")
    d.add("TIMEOUT_MS=30000\nRETRIES=3\n```\n\n")
    d.add("Log excerpt:\n")
    for _ in range(g.rng.randint(2, 3)):
        dt = g.rand_date(2023, 2025)
        ts = f"{dt.isoformat()}T{g.rng.randint(0, 23):02d}:{g.rng.randint(0, 59):02d}:{g.rng.randint(0, 59):02d}Z"
        d.add(("DATE", ts), " ERROR ",
              g.ch(["401 Unauthorized from ", "connection reset by ", "TLS handshake failed with "]), g.ip(), "\n")
    if g.p(0.6):
        d.add("Request header was: Authorization: Bearer ", g.secret("jwt"), "\n")
    d.add("\nAffected record: patient ", g.name(pt, "fl"), ", MRN ", g.mrn(), ", email ", g.email(pt), "\n")
    d.add("Slack webhook for alerts uses ", g.secret("slack"), " -- please rotate if this ticket is public.\n")


def s_discharge(g: Gen, d: _Doc) -> None:
    pt, md, pcp = g.person(), g.person(), g.person()
    dx, icd = g.dx()
    adm = g.rand_date(2022, 2025)
    d.add("DISCHARGE SUMMARY\nPatient: ", g.name(pt, "LF"), "   MRN: ", g.mrn(), "\n")
    d.add("Admission: ", ("DATE", g.fmt_date(adm, "mdy0")), "   Discharge: ",
          ("DATE", g.fmt_date(adm + timedelta(days=g.rng.randint(2, 12)), "mdy0")), "\n")
    d.add("Attending: ", g.name(md, "fl"), ", MD\n\n")
    d.add("HPI: ")
    if g.p(0.5):
        age, ent = g.age_old()
        d.add(ent, g.ch([" yo ", "-year-old ", " year old "]))
    else:
        d.add(f"{g.age_young()} yo ")
    d.add(f"with {g.dx()[0]} and {g.dx()[0]} presented with {dx} ({icd}). {g.vitals(3)} on arrival. {g.labs(3)}.\n")
    d.add(f"Hospital course: treated with {g.ch(MEDS)} and {g.ch(MEDS)}. {g.ch(EXAMS)} {g.ch(['unremarkable', 'showed small effusion', 'negative for PE'])}.\n")
    d.add("Discharge meds:\n" + "".join(f"  - {m}\n" for m in g.meds(4)))
    d.add("Follow-up: PCP ", g.name(pcp, g.ch(["fl", "il"])), " within 7 days, ", g.phone(), "; cardiology on ",
          g.date(g.ch(["long", "ordinal_of", "month_ord"]), g.p(0.5)), ".\n")
    d.add(f"Code status: {g.ch(['Full code', 'DNR/DNI', 'DNR, OK to intubate'])}. Disposition: {g.ch(['home', 'SNF', 'home w/ VNA', 'acute rehab'])}.\n")


def s_billing(g: Gen, d: _Doc) -> None:
    pt = g.person()
    d.add("Patient Financial Services -- call note ", g.date("mdy", True), f" {g.time()}\n")
    d.add("Caller ", g.name(pt, "fl"), " verified w/ DOB ", g.dob(), " and last 4 of SSN. ")
    d.add("Billing acct no. ", g.bank_acct(), f"; balance $1,{g.rng.randint(100, 999)}.{g.digits(2)} for DOS in {g.year()}. ")
    k = g.rng.randrange(3)
    if k == 0:
        d.add("Paid $250 by card ", g.card(), ", exp ", f"{g.rng.randint(1, 12):02d}/{g.rng.randint(26, 30)}", ". ")
    elif k == 1:
        d.add("Pt lives abroad; refund of overpayment to IBAN ", g.iban(), ". ")
    else:
        d.add("Set up autopay from checking acct ", g.bank_acct(), ", card on file ", g.card(), ". ")
    d.add("Updated mailing address to ", g.address(), ", ", *g.city_state_zip(), ". ")
    d.add(f"Payment plan 12 x ${g.rng.randint(40, 150)}. Confirmation {g.order()}.\n")


def s_device(g: Gen, d: _Doc) -> None:
    pt = g.person()
    dev = g.ch(["CPAP (ResMed AirSense 11)", "Dexcom G7 CGM", "Tandem t:slim X2 insulin pump", "Medtronic Azure pacemaker",
                "Oxygen concentrator", "Hearing aid (L)", "Zio patch monitor"])
    d.add(f"DME / device note -- {dev}\n")
    d.add("Pt: ", g.name(pt, g.ch(["fl", "lf"])), ", DOB ", g.dob(), "\n")
    d.add(g.ch(["Serial #: ", "SN ", "Device serial ", "S/N: "]), g.device_id(), "\n")
    if g.p(0.5):
        d.add("UDI: ", ("DEVICE", f"(01)0{g.digits(13)}(17){g.rand_date(2026, 2030).strftime('%y%m%d')}(10){g.alnum(6)}(21){g.digits(7)}"), "\n")
    d.add(f"Settings: {g.ch(['APAP 6-14 cmH2O, EPR 2', 'basal 0.8 u/h, ICR 1:10, ISF 45', 'DDD 60-130 bpm', '2 L/min continuous'])}\n")
    d.add(f"Compliance {g.rng.randint(55, 98)}% of nights >4h over last 30 days. Next download due in {g.rng.randint(2, 12)} weeks.\n")
    if g.p(0.5):
        d.add("Paired phone IMEI ", ("DEVICE", (lambda s: s + _luhn_digit(s))("35" + g.digits(12))), "; app login ",
              g.email(pt), "\n")


def s_ed_mvc(g: Gen, d: _Doc) -> None:
    pt, officer = g.person(), g.person("en_US")
    d.add(f"ED triage {g.time()} -- {g.room()}\n")
    d.add(f"{g.age_young()}M " if g.p(0.5) else "", "BIBA after MVC, restrained driver. ")
    d.add(f"{g.vitals(3)}. GCS 15. c/o neck pain 7/10.\n")
    d.add("ID from driver's license: ", g.name(pt, "LF"), ", DL# ", g.drivers_license(), ", DOB ", g.dob("mdy0"), ", ")
    d.add("address on license ", g.address(), ", ", *g.city_state_zip(), ".\n")
    d.add("Officer ", g.name(officer, g.ch(["fl", "il"])), " (badge ", g.digits(4), ") requested BAL; vehicle ")
    d.add(g.ch(["plate ", "tag ", "lic plate "]), g.plate())
    if g.p(0.6):
        d.add(", VIN ", g.vin())
    d.add(", towed to impound. ")
    d.add(f"CT C-spine ordered ({g.order()}). Tdap given. Pt's {g.ch(['wife', 'brother', 'mother'])} ", g.name(g.person(pt.locale), "fl"),
          " en route, cell ", g.phone(), ".\n")


def s_telehealth(g: Gen, d: _Doc) -> None:
    pt, md = g.person(), g.person()
    d.add("Telehealth visit -- ", g.date(g.ch(["long", "iso", "mdy"]), True), f" {g.time()}\n")
    d.add("Provider: ", g.name(md, "fl"), ", NP (lic. ", g.med_license(), ")\nPatient: ", g.name(pt, "fl"), ", DOB ", g.dob(), "\n")
    d.add("Consent obtained verbally. Patient located at home: ", g.address(), ", ", *g.city_state_zip(), ".\n")
    d.add("Session link ", g.video_url(), "; connected from IP ", g.ip(), f" ({g.ch(['Chrome', 'Safari iOS', 'Android app'])}).\n")
    d.add(f"Visit for {g.dx()[0]} follow-up. Home readings {g.vitals(2)}. Continue {g.ch(MEDS)}; "
          f"start {g.ch(MEDS)}. RTC {g.rng.randint(2, 12)} weeks. Total time 25 min, 99214.\n")
    if g.p(0.5):
        d.add("Pt emailed photos of rash to ", g.email(), " and shared ", g.url(pt), "\n")


def s_phone_log(g: Gen, d: _Doc) -> None:
    pt, caller = g.person(), g.person()
    d.add("Telephone encounter ", g.date("mdy", True), f" {g.time()}\n")
    d.add("Caller: ", g.name(caller, g.ch(["fl", "low"])), g.ch([" (daughter)", " (son)", " (caregiver)", " (POA)"]),
          " re: ", g.name(pt, g.ch(["fl", "lf"])), ", dob ", g.dob(g.ch(["mdy", "mdyy", "low"])), "\n")
    if g.p(0.5):
        age, ent = g.age_old()
        d.add("Caller states mom is ", ent, " and ")
    else:
        d.add("Caller states pt ")
    d.add(f"{g.ch(['fell last night', 'has not eaten in 2 days', 'is more confused', 'ran out of meds'])}. ")
    d.add(f"Denies CP/SOB. Advised ED if worse. Refilled {g.ch(MEDS)}. Callback ", g.phone(), ".\n")
    if g.p(0.3):
        d.add("Caller's email: ", g.email(caller), "\n")


def s_medrec(g: Gen, d: _Doc) -> None:
    pt = g.person()
    d.add("Medication Reconciliation -- ", g.name(pt, g.ch(["fl", "LF"])), " (", g.mrn(), ")\n")
    d.add(f"Source: pt + pharmacy fill hx. Allergies: {g.ch(['NKDA', 'PCN (rash)', 'sulfa, codeine'])}\n")
    for m in g.meds(g.rng.randint(4, 7)):
        d.add(f"  [{g.ch(['x', ' ', 'x'])}] {m} -- {g.ch(['continue', 'hold', 'changed', 'new'])}\n")
    d.add(f"Last A1c {round(g.rng.uniform(5.5, 10.5), 1)}% ({g.year()}). {g.labs(2)}.\n")
    d.add(f"Reviewed by PharmD at {g.time()}.\n")


def s_credentialing(g: Gen, d: _Doc) -> None:
    md = g.person()
    d.add("Subject: credentialing packet -- ", g.name(md, "fl"), ", MD\n\n")
    d.add("Please find the provider data for onboarding:\n")
    d.add("  NPI: ", g.npi(), "\n  DEA: ", g.dea(md.last), "\n  State medical license: ", g.med_license(), "\n")
    d.add("  Driver's license: ", g.drivers_license(), "\n  DOB: ", g.dob(), "\n  SSN: ", g.ssn(), "\n")
    d.add("  Home address: ", g.address(), ", ", *g.city_state_zip(), "\n  Cell: ", g.phone(), "\n  Personal email: ",
          g.email(md), "\n")
    d.add(f"Board certified in internal medicine since {g.year()}. Privileges requested: {g.ch(['hospitalist', 'ICU', 'outpatient clinic'])}.\n")
    if g.p(0.4):
        d.add("Direct deposit: IBAN ", g.iban(), "\n")


def s_progress_unlabeled(g: Gen, d: _Doc) -> None:
    """Free-text progress note: identifiers mostly without labels."""
    pt, md, fam = g.person(), g.person(), g.person()
    dx, icd = g.dx()
    d.add(g.name(pt, "fl"), " returns today with ", g.ch(["her ", "his "]), g.ch(["husband ", "sister ", "son "]),
          g.first(fam), ". ")
    d.add(f"Doing better on {g.ch(MEDS)}. {g.vitals(3)}. {g.labs(2)}. ")
    d.add("Last seen ", g.date(g.ch(["ordinal_of_noy", "month_ord_noy", "long_noy", "md"]), False), " by Dr. ", g.last(md), ". ")
    d.add(f"Assessment: {dx} ({icd}), improving. ")
    if g.p(0.4):
        d.add(g.ch(["Turns ", "Will be "]), g.age_old()[1], " next month; ")
    d.add(f"walks 2 blocks, no falls since {g.year()}. Plan: continue meds, repeat BMP in 1 wk, RTC 3 mo. ")
    d.add("Pt prefers texts to ", g.phone(), ".\n")


def s_intake_form(g: Gen, d: _Doc) -> None:
    pt, ec = g.person(), g.person()
    d.add("NEW PATIENT REGISTRATION\n")
    d.add("Last name: ", g.last(pt), "   First name: ", g.first(pt), "\n")
    d.add("Date of Birth: ", g.dob(g.ch(["mdy0", "mdy", "iso"])), "   Sex: ", g.ch(["F", "M", "X"]), "\n")
    d.add("SSN: ", g.ssn(), "\nStreet: ", g.address(), "\nCity: ", ("CITY", g.ch(REAL_CITIES)[0]), "   State: ",
          g.ch(STATES), "   ZIP: ", ("ZIP", g.us.zipcode()), "\n")
    d.add("Phone (home): ", g.phone(), "   (cell): ", g.phone(), "\nEmail: ", g.email(pt), "\n")
    d.add("Primary insurance: ", g.ch(INSURERS), "   Member ID: ", g.member_id(), "   Group: ", g.group_no(), "\n")
    d.add("Emergency contact: ", g.name(ec, "fl"), " (", g.ch(["spouse", "parent", "friend"]), ") ", g.phone(), "\n")
    d.add(f"Preferred pharmacy: Walgreens on {g.ch(['Main St', 'Route 9'])}\nReason for visit: {g.dx()[0]}\n")


STYLES = [s_nurse_handoff, s_portal_patient, s_referral, s_appeal, s_pharmacy, s_lab_header, s_social_work,
          s_radiology, s_clinician_email, s_sms, s_support_ticket, s_discharge, s_billing, s_device, s_ed_mvc,
          s_telehealth, s_phone_log, s_medrec, s_credentialing, s_progress_unlabeled, s_intake_form]


def build_docs(n_docs: int = N_DOCS, seed: int = SEED) -> list[Document]:
    g = Gen(seed)
    docs = []
    for i in range(n_docs):
        style = STYLES[i % len(STYLES)] if i < len(STYLES) else g.ch(STYLES)
        d = _Doc(style.__name__[2:])
        style(g, d)
        docs.append(d.build())
    return docs


# --------------------------------------------------------------------------------------------------
# evaluation
# --------------------------------------------------------------------------------------------------


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """True if [s, e) is fully covered by the union of sorted, non-overlapping ``spans``."""
    i = max(bisect.bisect_right(spans, (s, 10**12)) - 1, 0)
    pos = s
    while pos < e and i < len(spans):
        a, b = spans[i]
        if a > pos:
            return False
        pos = max(pos, b)
        i += 1
    return pos >= e


def _ctx(text: str, s: int, e: int, w: int = 40) -> str:
    return (text[max(0, s - w):s] + "«" + text[s:e] + "»" + text[e:e + w]).replace("\n", " ⏎ ")


def evaluate(seed: int = SEED, n_docs: int = N_DOCS, detector: Detector | None = None) -> dict:
    det = detector or Detector()
    docs = build_docs(n_docs, seed)
    cats_all = frozenset(CATEGORIES)
    n: dict[str, int] = {}
    found: dict[str, int] = {}
    typed: dict[str, int] = {}
    missed: dict[str, list[str]] = {}
    loc_n: dict[str, int] = {}
    loc_found: dict[str, int] = {}
    words = kept = kept_default = 0
    false_words: list[str] = []
    false_by_cat: dict[str, int] = {}
    for doc in docs:
        dets = det.detect(doc.text, cats_all)
        spans = [(x.start, x.end) for x in dets]
        by_cat: dict[str, list[tuple[int, int]]] = {}
        for x in dets:
            by_cat.setdefault(x.category, []).append((x.start, x.end))
        for ent in doc.entities:
            c = ent.category
            n[c] = n.get(c, 0) + 1
            ok = _covered(spans, ent.start, ent.end)
            if ok:
                found[c] = found.get(c, 0) + 1
            else:
                missed.setdefault(c, []).append(_ctx(doc.text, ent.start, ent.end))
            if _covered(by_cat.get(c, []), ent.start, ent.end):
                typed[c] = typed.get(c, 0) + 1
            if c == "NAME":
                loc_n[ent.tag] = loc_n.get(ent.tag, 0) + 1
                loc_found[ent.tag] = loc_found.get(ent.tag, 0) + ok
        phi = [(e.start, e.end) for e in doc.entities]
        for w in _WORD.finditer(doc.text):
            s, e = w.span()
            if any(a < e and s < b for a, b in phi):
                continue
            words += 1
            hits = [x for x in dets if x.start < e and s < x.end]
            if hits:
                false_words.append(f"{w.group()!r} as {hits[0].category}: {_ctx(doc.text, s, e, 30)}")
                false_by_cat[hits[0].category] = false_by_cat.get(hits[0].category, 0) + 1
            else:
                kept += 1
            if not any(x.category in DEFAULT_ENABLED for x in hits):
                kept_default += 1
    cats = {c: {"n": n[c], "recall": found.get(c, 0) / n[c], "typed_recall": typed.get(c, 0) / n[c]}
            for c in CATEGORIES if c in n}
    total = sum(n.values())
    return {
        "seed": seed,
        "n_docs": len(docs),
        "n_entities": total,
        "micro_recall": sum(found.values()) / total if total else float("nan"),
        "categories": cats,
        "non_phi_words": words,
        "non_phi_kept": kept / words if words else 1.0,
        "non_phi_kept_default_categories": kept_default / words if words else 1.0,
        "false_removed_by_category": false_by_cat,
        "name_recall_by_locale": {k: (loc_found[k] / loc_n[k], loc_n[k]) for k in sorted(loc_n)},
        "missed": missed,
        "false_removed": false_words,
    }


def markdown(res: dict) -> str:
    out = [f"Held-out PHI eval: {res['n_docs']} docs, seed {res['seed']}, all categories enabled\n",
           "| category | n | recall | recall (same category) |", "|---|---:|---:|---:|"]
    for c, v in res["categories"].items():
        out.append(f"| {c} | {v['n']} | {v['recall']:.4f} | {v['typed_recall']:.4f} |")
    out.append(f"| **all entities (micro)** | {res['n_entities']} | {res['micro_recall']:.4f} | |")
    out.append(f"| **non-PHI words kept** | {res['non_phi_words']} | {res['non_phi_kept']:.4f} | |")
    out.append(f"| *non-PHI words kept, ignoring DIAGNOSIS/TREATMENT hits* | {res['non_phi_words']} | "
               f"{res['non_phi_kept_default_categories']:.4f} | |")
    out.append("\nNAME recall by Faker locale: " + ", ".join(
        f"{k} {r:.2f} (n={m})" for k, (r, m) in res["name_recall_by_locale"].items()))
    out.append("\nNon-PHI words removed, by detection category: " + ", ".join(
        f"{k} {v}" for k, v in sorted(res["false_removed_by_category"].items(), key=lambda kv: -kv[1])))
    out.append("\n### Missed examples (up to 5 per category)")
    for c in CATEGORIES:
        ms = res["missed"].get(c)
        if ms:
            out.append(f"\n**{c}** ({len(ms)} missed)")
            out.extend(f"- `{m}`" for m in ms[:5])
    fr = res["false_removed"]
    out.append(f"\n### Non-PHI words wrongly removed ({len(fr)} total; 15 distinct examples, "
               "non-DIAGNOSIS/TREATMENT hits listed first)")
    seen, picked = set(), []
    for m in sorted(fr, key=lambda m: (" as DIAGNOSIS:" in m or " as TREATMENT:" in m)):
        key = m.split(":")[0]
        if key not in seen:
            seen.add(key)
            picked.append(m)
        if len(picked) == 15:
            break
    out.extend(f"- {m}" for m in picked)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    seed = int(argv[0]) if argv else SEED
    print(markdown(evaluate(seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
