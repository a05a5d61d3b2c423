"""Safe Harbor's catch-all (identifier 18, "any other unique identifying number, characteristic, or code"), by shape:
whatever no named rule took but is written like a code.

* Codes: a token with at least 7 digits ("chartMRN00412345", "ph6175203344", "(20314993)", "683-140-690"), or 4 with
  an upper-case letter, "_" or ":" ("R56510", "VOX-1632U", "2024-CV-5464", "fp_6ec6d988ee4e"), or a hexadecimal run
  of 8 ("FP-TPL-a9f76dae"); doses and measurements ("1000mg", "250mL") are not codes, nor are numbers labelled as
  a business record ("invoice INV-113264", "Order #123-45-6789", ``context.business_label_before``).
* Digit groups with 7 digits or more ("Ref 4690 9339"), except thousands ("1 000 000").
* Password-shaped strings: upper and lower case, a digit and a symbol, 8 characters or more ("Aj9hcB0nmX#53").
* Image file names ("karl.barnes.passfoto.jpg"): photographs are identifiers of their own (identifier 17)."""
from __future__ import annotations

import re

from . import categories as C
from .context import business_label_before
from .resolve import Candidate

_TOKEN = re.compile(r"[\w:/.+-]*\d[\w:/.+-]*")
_GROUPS = re.compile(r"(?<![\w.,/-])\d{1,5}(?:[ \u00a0]\d{2,5})+(?![\w/-]|[.,]\d)")
_MEASURE = re.compile(r"\d+(?:[.,]\d+)?(?:[a-zA-Zµ%]{1,6}|[a-zA-Zµ]{1,4}/[a-zA-Zµ]{1,4})")
_HEX = re.compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_YEARS = re.compile(r"(?:1[89]|20)\d\d[-/](?:1[89]|20)\d\d")
_PASSWORD = re.compile(r"(?<!\S)(?=[^\s]*[A-Z])(?=[^\s]*[a-z])(?=[^\s]*\d)(?=[^\s]*[!#$%&*?^~])"
                       r"[A-Za-z0-9!#$%&*?^~_-]{8,40}(?=[\s\"',;)]|$)")
_IMAGE = re.compile(r"(?<![\w.-])[\w][\w.-]*\.(?i:jpe?g|png|heic|heif|webp|tiff?|bmp|gif)(?![\w])")
_STRIP = ".:/-+"
# shapes whose own rules decide (an invalid SSN "000-12-3456" or date "02/30/2021" is not PHI)
# and ICD-10 codes ("S72.001A") are diagnoses, not identifiers
_OWNED = re.compile(r"\d{3}-\d{2}-\d{4}|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}|[A-Z]\d\d(?:\.\d{1,4}[A-Z]{0,2})?")
# standard numbers ("ISO-9001", "EN 60601"), not identifiers of a person
_STANDARDS = frozenset("ISO IEC EN DIN ASTM IEEE RFC ANSI BS NEN SS CSA UL AS NZS ICD CPT NDC HL FHIR".split())


def _code(tok: str) -> bool:
    digits = sum(c.isdigit() for c in tok)
    if digits >= 7 and not _OWNED.fullmatch(tok):
        return not ("." in tok and not any(c.isalpha() for c in tok))
    if digits < 4 and _HEX.search(tok) is None:
        return False
    if _MEASURE.fullmatch(tok) or _YEARS.fullmatch(tok) or _OWNED.fullmatch(tok):
        return False
    if re.split(r"[\W\d_]", tok, maxsplit=1)[0] in _STANDARDS:
        return False
    if not any(c.isalpha() for c in tok):
        return False
    return any(c.isupper() for c in tok) or "_" in tok or ":" in tok or _HEX.search(tok) is not None


def find(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    for m in _TOKEN.finditer(text):
        s, e = m.span()
        while s < e and text[s] in _STRIP:
            s += 1
        while e > s and text[e - 1] in _STRIP:
            e -= 1
        tok = text[s:e]
        if len(tok) < 5 or "://" in tok or _YEARS.fullmatch(tok):
            continue
        if _code(tok) and not business_label_before(text, s):
            out.append((s, e, C.MEDICAL_RECORD, 0.5))
    if " " in text or "\u00a0" in text:
        for m in _GROUPS.finditer(text):
            g = m.group().replace("\u00a0", " ").split(" ")
            if sum(map(len, g)) < 7 or len(g[0]) <= 3 and all(len(x) == 3 for x in g[1:]) or _YEAR.fullmatch(g[0]):
                continue  # thousands ("1 000 000"), a year and a time ("2025 0700")
            if not business_label_before(text, m.start()):
                out.append((m.start(), m.end(), C.MEDICAL_RECORD, 0.5))
    for m in _PASSWORD.finditer(text):
        out.append((m.start(), m.end(), C.SECRET, 0.5))
    if "." in text:
        for m in _IMAGE.finditer(text):
            out.append((m.start(), m.end(), C.URL, 0.5))
    return out
