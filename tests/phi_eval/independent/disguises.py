"""The disguise and split subset (issue 11, items 3 and 5): identifiers of every structured category written with
zero-width characters inside, full-width forms, en dash / non-breaking hyphen separators, NBSP / thin-space separators;
a full-width name; emails with a Cyrillic homoglyph; and values split across two or three adjacent texts of one
request. Carrier sentences are written here; values come from the locale profiles and `identifiers`."""
from __future__ import annotations

import datetime as dt
import re
from random import Random
from typing import Callable

from . import identifiers as ids
from .fill import digits, fill
from .locales import PROFILES, Profile
from .model import Builder, Document

ZERO_WIDTH = {"zwsp": "\u200b", "zwj": "\u200d", "wj": "\u2060", "bom": "\ufeff", "rlm": "\u200f"}
DASHES = {"en-dash": "\u2013", "nb-hyphen": "\u2011"}
SPACES = {"nbsp": "\u00a0", "thin-space": "\u2009", "narrow-nbsp": "\u202f"}
CYRILLIC = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і"}
_SEP = re.compile(r"(?<=[0-9A-Za-z])[-./ ](?=[0-9A-Za-z])")


def zero_width(rnd: Random, value: str, ch: str) -> str:
    gaps = [i for i in range(1, len(value)) if value[i - 1].isalnum() and value[i].isalnum()]
    if not gaps:
        gaps = list(range(1, len(value)))
    mode = rnd.random()
    chosen = set(gaps) if mode < 0.3 else set(rnd.sample(gaps, min(len(gaps), rnd.randint(1, 3))))
    return "".join((ch if i in chosen else "") + c for i, c in enumerate(value))


def fullwidth(value: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else ("\u3000" if c == " " else c) for c in value)


def separators(value: str, sep: str) -> str:
    return _SEP.sub(sep, value)


def homoglyph(rnd: Random, value: str) -> str:
    local, _, domain = value.partition("@")
    where = [i for i, c in enumerate(value) if c in CYRILLIC]
    if not where:
        return value
    picks = rnd.sample(where, min(len(where), rnd.randint(1, 2)))
    return "".join(CYRILLIC[c] if i in picks else c for i, c in enumerate(value))


def _us_ssn(rnd: Random) -> str:
    while True:
        area = rnd.randint(1, 899)
        if area != 666:
            break
    return f"{area:03d}-{rnd.randint(1, 99):02d}-{rnd.randint(1, 9999):04d}"


def _date(rnd: Random) -> str:
    d = dt.date(1930, 1, 1) + dt.timedelta(days=rnd.randint(0, 30000))
    return rnd.choice([f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}", d.isoformat(),
                       f"{d.day:02d}-{d.month:02d}-{d.year}"])


def _spaced(n: str, groups: tuple[int, ...]) -> str:
    out, i = [], 0
    for g in groups:
        out.append(n[i:i + g])
        i += g
    if i < len(n):
        out.append(n[i:])
    return " ".join(out)


# category -> (value maker, carrier sentences with {v})
Maker = Callable[[Random, Profile], str]
SOURCES: dict[str, tuple[Maker, tuple[str, ...]]] = {
    "SSN": (lambda r, p: _us_ssn(r) if r.random() < 0.5 else p.national_id(r, p.faker(), dt.date(1960, 5, 17), False),
            ("My SSN is {v}, please update the file.", "National ID {v} (copied from the form).",
             "Identity number: {v}", "can you check if {v} is a valid personal number?")),
    "PHONE": (lambda r, p: fill(r, r.choice(p.mobiles + p.landlines)),
              ("Call me back on {v} after 5.", "Mobile {v}", "The daughter's number is {v}.", "Tel. {v}")),
    "FAX": (lambda r, p: fill(r, r.choice(p.landlines)), ("Please fax the results to {v}.", "Fax: {v}")),
    "EMAIL": (lambda r, p: ids.email(r, p.country, p.faker().first_name(), p.faker().last_name()),
              ("Send the letter to {v} please.", "E-mail: {v}", "her address is {v} if you need it")),
    "MEDICAL_RECORD": (lambda r, p: r.choice([_spaced(ids.mrn(r).replace(" ", ""), (3, 3)), "MRN-" + digits(r, 7),
                                              f"20{r.randint(15, 25)}-{digits(r, 6)}"]),
                       ("Hospital number {v}.", "MRN {v}, bed 4.", "Patient record {v} needs merging.")),
    "INSURANCE_ID": (lambda r, p: r.choice([_spaced(digits(r, 10, True), (4, 5)), fill(r, "@@@-%##-###-###"),
                                            fill(r, "%###-####-####")]),
                     ("Member ID {v}", "Insurance number {v}, group 12.", "policy {v}")),
    "ACCOUNT": (lambda r, p: ids.card(r) if r.random() < 0.5 else (p.iban or (lambda r2, f: ids.bank_account(r2)))(r, p.faker()),
                ("Refund to account {v} please.", "card number {v}", "IBAN: {v}")),
    "LICENSE": (lambda r, p: r.choice([ids.npi(r), ids.dea(r, p.faker().last_name()), fill(r, "@%##-###-##-###-#")]),
                ("Prescriber NPI {v}.", "DEA {v}", "driver's licence {v}")),
    "VEHICLE": (lambda r, p: ids.vin(r) if r.random() < 0.5 else (p.plate(r, p.faker()) if p.plate else fill(r, "@@-###-@@")),
                ("Car reg {v} is in bay 3.", "VIN {v}", "plate {v}")),
    "DEVICE": (lambda r, p: ids.imei(r) if r.random() < 0.5 else ids.device(r)[1],
               ("Pump serial {v}.", "IMEI {v}", "device SN {v}")),
    "IP_ADDRESS": (lambda r, p: ids.ipv4(r, p.faker()), ("logged in from {v}", "client IP {v}")),
    "ZIP": (lambda r, p: p.postcode(r, p.faker()), ("postcode {v}", "ZIP {v}", "PLZ {v}", "Postnummer {v}")),
    "DOB": (lambda r, p: _date(r), ("DOB {v}", "born {v}", "date of birth {v}")),
    "DATE": (lambda r, p: _date(r), ("seen on {v}", "admitted {v}", "surgery {v}")),
    "URL": (lambda r, p: ids.url(r, r.choice(p.cities), p.faker().first_name(), p.faker().last_name(), digits(r, 7)),
            ("portal link: {v}", "see {v}")),
    "OTHER_ID": (lambda r, p: ids.study_code(r), ("study participant {v}", "case {v}")),
    "BIOMETRIC": (lambda r, p: ids.biometric(r), ("fingerprint template {v}", "biometric id {v}")),
    "SECRET": (lambda r, p: ids.secret(r)[1], ("api key {v}", "password: {v}")),
}
NO_SEPARATOR_DISGUISE = {"EMAIL", "IP_ADDRESS", "URL", "SECRET", "BIOMETRIC"}


def _disguises(category: str) -> list[tuple[str, Callable[[Random, str], str]]]:
    out: list[tuple[str, Callable[[Random, str], str]]] = []
    for name, ch in ZERO_WIDTH.items():
        out.append((name, lambda r, v, ch=ch: zero_width(r, v, ch)))
    out.append(("fullwidth", lambda r, v: fullwidth(v)))
    if category not in NO_SEPARATOR_DISGUISE:
        for name, ch in {**DASHES, **SPACES}.items():
            out.append((name, lambda r, v, ch=ch: separators(v, ch)))
    return out


def disguise_documents(seed: int, repeats: int = 2) -> list[Document]:
    docs: list[Document] = []
    locales = list(PROFILES)
    n = 0
    for category, (make, carriers) in SOURCES.items():
        for name, transform in _disguises(category):
            for k in range(repeats):
                doc_id = f"disg-{category.lower()}-{name}-{k}"
                rnd = Random(f"{seed}|{doc_id}")
                prof = PROFILES[rnd.choice(locales)]
                prof.faker().seed_instance(rnd.randrange(2**32))
                for _ in range(20):  # a value the disguise changes (separators need a value that has them)
                    value = make(rnd, prof)
                    disguised = transform(rnd, value)
                    if disguised != value:
                        break
                else:
                    continue
                before, after = rnd.choice(carriers).split("{v}")
                b = Builder().lit(before).phi(category, disguised).lit(after)
                docs.append(b.build(doc_id, prof.code, "chat message", "disguise"))
                n += 1
    for k in range(24):
        doc_id = f"disg-name-fullwidth-{k}"
        rnd = Random(f"{seed}|{doc_id}")
        prof = PROFILES[rnd.choice(locales)]
        fk = prof.faker()
        fk.seed_instance(rnd.randrange(2**32))
        name = fullwidth(f"{fk.first_name()} {fk.last_name()}")
        before, after = rnd.choice(["Patient: |, follow-up in two weeks.", "Please write to |.", "Name: | (see form)"]).split("|")
        docs.append(Builder().lit(before).phi("NAME", name).lit(after).build(doc_id, prof.code, "chat message", "disguise"))
    for k in range(24):
        doc_id = f"disg-email-cyrillic-{k}"
        rnd = Random(f"{seed}|{doc_id}")
        prof = PROFILES[rnd.choice(locales)]
        fk = prof.faker()
        fk.seed_instance(rnd.randrange(2**32))
        for _ in range(20):
            value = homoglyph(rnd, ids.email(rnd, prof.country, fk.first_name(), fk.last_name()))
            if any(c in value for c in CYRILLIC.values()):
                break
        before, after = rnd.choice(["Reply to | with the results.", "email: |", "Her new address is |."]).split("|")
        docs.append(Builder().lit(before).phi("EMAIL", value).lit(after).build(doc_id, prof.code, "chat message", "disguise"))
    return docs


# --- splits ----------------------------------------------------------------------------------------------------------

def _split_at(rnd: Random, value: str) -> int:
    """A cut inside the value, never next to a blank (the blank goes to the next text as ordinary text)."""
    cuts = [i for i in range(2, len(value) - 1) if not value[i - 1].isspace() and not value[i].isspace()]
    cuts += [i for i in range(2, len(value) - 1) if value[i].isspace()]
    return rnd.choice(cuts)


SPLIT_CARRIERS = (
    ("My {cue} is ", ", please update my file."), ("{cue}: ", " (from the referral)"),
    ("Can you check {cue} ", " for me?"), ("the {cue} on the form reads ", " - is that right?"),
)
SPLIT_CUES = {"SSN": "SSN", "PHONE": "number", "ACCOUNT": "account", "EMAIL": "email", "MEDICAL_RECORD": "MRN",
              "INSURANCE_ID": "member ID", "DOB": "date of birth", "LICENSE": "NPI", "DEVICE": "serial", "ZIP": "postcode",
              "IP_ADDRESS": "IP", "VEHICLE": "VIN", "OTHER_ID": "study code"}


def _split_value(b: Builder, rnd: Random, category: str, value: str, parts: int) -> None:
    group = b.new_group()
    cuts = [_split_at(rnd, value)]
    if parts == 3 and len(value) >= 9:
        second = [c for c in range(2, len(value) - 1) if abs(c - cuts[0]) >= 3 and not value[c - 1].isspace()]
        if second:
            cuts.append(rnd.choice(second))
    cuts.sort()
    pieces, prev = [], 0
    for c in cuts + [len(value)]:
        pieces.append(value[prev:c])
        prev = c
    for i, piece in enumerate(pieces):
        if i:
            b.next_text()
        lead = len(piece) - len(piece.lstrip())
        if lead:
            b.raw(piece[:lead])
        stripped = piece.strip()
        b.phi(category, stripped, group=group)
        trail = len(piece) - len(piece.rstrip())
        if trail:
            b.raw(piece[len(piece) - trail:])


def split_documents(seed: int, per_category: int = 10) -> list[Document]:
    docs: list[Document] = []
    locales = list(PROFILES)
    for category, cue in SPLIT_CUES.items():
        make = SOURCES[category][0]
        for k in range(per_category):
            doc_id = f"split-{category.lower()}-{k}"
            rnd = Random(f"{seed}|{doc_id}")
            value = ""
            while len(value) < 5:  # some locales' values are too short to split (Icelandic postcodes)
                prof = PROFILES[rnd.choice(locales)]
                prof.faker().seed_instance(rnd.randrange(2**32))
                value = make(rnd, prof)
            before, after = rnd.choice(SPLIT_CARRIERS)
            b = Builder().lit(before.format(cue=cue))
            _split_value(b, rnd, category, value, 3 if rnd.random() < 0.2 else 2)
            b.lit(after)
            docs.append(b.build(doc_id, prof.code, "content parts", "split"))
    for k in range(40):  # first name in one message, surname in the next
        doc_id = f"split-name-{k}"
        rnd = Random(f"{seed}|{doc_id}")
        prof = PROFILES[rnd.choice(locales)]
        fk = prof.faker()
        fk.seed_instance(rnd.randrange(2**32))
        first, last = fk.first_name(), fk.last_name()
        b = Builder()
        group = b.new_group()
        shape = k % 4
        if shape == 0:
            b.lit("My first name is ").phi("NAME", first, group=group).lit(".").next_text()
            b.lit("And the surname is ").phi("NAME", last, group=group).lit(". Can you book me in for the ECG?")
        elif shape == 1:
            b.lit("Patient: ").phi("NAME", first, group=group).next_text()
            b.raw(" ").phi("NAME", last, group=group).lit(", 67, COPD, on salbutamol 100 mcg.")
        elif shape == 2:
            b.lit("first name: ").phi("NAME", first, group=group).next_text()
            b.lit("last name: ").phi("NAME", last, group=group).next_text()
            b.lit("reason: knee pain for 3 weeks")
        else:
            b.lit("Summarise the chat with ").phi("NAME", first, group=group).lit(" please").next_text()
            b.lit("sorry, full name is ").phi("NAME", first, group=group).lit(" ").phi("NAME", last, group=group)
        docs.append(b.build(doc_id, prof.code, "chat message", "split"))
    for k in range(30):  # street line and city split across content parts
        doc_id = f"split-address-{k}"
        rnd = Random(f"{seed}|{doc_id}")
        prof = PROFILES[rnd.choice(locales)]
        fk = prof.faker()
        fk.seed_instance(rnd.randrange(2**32))
        line = prof.street(rnd, fk)
        b = Builder().lit("She lives at ")
        _split_value(b, rnd, "ADDRESS", line.value, 2)
        b.lit(", ").phi("ZIP", prof.postcode(rnd, fk)).lit(" ").phi("CITY", rnd.choice(prof.cities)).lit(".")
        docs.append(b.build(doc_id, prof.code, "content parts", "split"))
    return docs
