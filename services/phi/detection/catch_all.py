"""Safe Harbor's catch-all (identifier 18, "any other unique identifying number, characteristic, or code"), by shape:
whatever no named rule took but is written like a code.

* Codes: a token with at least 7 digits ("chartMRN00412345", "ph6175203344", "(20314993)", "683-140-690"), or 4 with
  an upper-case letter, "_" or ":" ("R56510", "VOX-1632U", "2024-CV-5464", "fp_6ec6d988ee4e"), or a hexadecimal run
  of 8 ("FP-TPL-a9f76dae"); doses and measurements ("1000mg", "250mL") are not codes, nor are numbers labelled as
  a business record ("invoice INV-113264", "Order #123-45-6789", ``context.business_label_before``).
* Digit groups with 7 digits or more ("Ref 4690 9339"), except thousands ("1 000 000"); 6 are enough between
  capital letters ("QQ 12 34 56 C", a National Insurance number written out).
* Password-shaped strings: upper and lower case, a digit and a symbol, 8 characters or more ("Aj9hcB0nmX#53").
* Image file names ("karl.barnes.passfoto.jpg"): photographs are identifiers of their own (identifier 17)."""
from __future__ import annotations

import re
from bisect import bisect_right

from . import categories as C
from .context import business_label_before
from .resolve import Candidate

# The token around each number is read outwards.
_IMAGE = re.compile(r"\.(?:jpe?g|png|heic|heif|webp|tiff?|bmp|gif|JPE?G|PNG|HEIC|HEIF|WEBP|TIFF?|BMP|GIF)(?![\w])")
_SYMBOLS = frozenset("!#$%&*?^~")
_LEAD = re.compile(r"(?<![\w-])[A-Z]{1,3} $")
_TAIL = re.compile(r" [A-Z](?![\w-])")
_TOKEN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_:/.+-")
_PASSWORD_END = frozenset(" \t\n\r\"',;)")
_MEASURE = re.compile(r"\d+(?:[.,]\d+)?(?:[a-zA-Zµ%]{1,6}|[a-zA-Zµ]{1,4}/[a-zA-Zµ]{1,4})")
_HEX = re.compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
_YEARS = re.compile(r"(?:1[89]|20)\d\d[-/](?:1[89]|20)\d\d")
_PASSWORD = re.compile(r"(?<!\S)(?=[^\s]*[A-Z])(?=[^\s]*[a-z])(?=[^\s]*\d)(?=[^\s]*[!#$%&*?^~])"
                       r"[A-Za-z0-9!#$%&*?^~_-]{8,40}(?=[\s\"',;)]|$)")
_STEM = re.compile(r"[\w.-]+$")
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


def _token(text: str, s: int, e: int) -> tuple[int, int]:
    """The run of token characters (letters, digits, ``_:/.+-``; any letter counts) around ``text[s:e]``."""
    while s > 0 and (text[s - 1] in _TOKEN_CHARS or text[s - 1].isalnum()):
        s -= 1
    n = len(text)
    while e < n and (text[e] in _TOKEN_CHARS or text[e].isalnum()):
        e += 1
    return s, e


def _covered(spans: list[Candidate], starts: list[int], s: int, e: int) -> bool:
    k = bisect_right(starts, s) - 1
    return k >= 0 and spans[k][1] >= e


def _groups(text: str, s: int) -> int:
    """End of the run of digit groups joined by single spaces that starts at ``s`` ("4690 9339"), or -1."""
    n, e, groups = len(text), s, 0
    while True:
        while e < n and text[e].isdigit():
            e += 1
        groups += 1
        if e + 2 < n and text[e] in " \u00a0" and text[e + 1].isdigit() and text[e + 2].isdigit():
            e += 1
            continue
        return e if groups > 1 else -1


def find(text: str, spans: list[Candidate], numbers: list[int]) -> list[Candidate]:
    """Catch-all spans of ``text`` not inside one of the resolved ``spans`` (sorted), tried at ``numbers`` (where
    the detector's number scan saw a number start, digits glued to a letter included: every code and every
    password-shaped string holds a digit) and at image file extensions."""
    out: list[Candidate] = []
    starts = [c[0] for c in spans]
    last = -1
    n = len(text)
    for k in numbers:
        if not text[k].isdigit():
            k += 1  # past a "(" or "+"
        if k < last or k >= n or not text[k].isdigit():
            continue
        e = k + 1
        while e < n and text[e].isdigit():
            e += 1
        if _covered(spans, starts, k, e) and not (e < n and text[e] in _SYMBOLS):
            continue  # a number inside a detection: its token was read there
        last = _code_at(text, k, e, spans, starts, out)
        if k and text[k - 1] in _SYMBOLS or last < n and text[last] in _SYMBOLS:
            last = max(last, _password_at(text, k, spans, starts, out))
    if "." in text:
        for m in _IMAGE.finditer(text):
            stem = _STEM.search(text, max(0, m.start() - 80), m.start())
            if stem is not None and not _covered(spans, starts, stem.start(), m.end()):
                out.append((stem.start(), m.end(), C.URL, 0.5))
    return out


def _code_at(text: str, s: int, e: int, spans: list[Candidate], starts: list[int], out: list[Candidate]) -> int:
    """A code around the digit run text[s:e]; returns where the scan may go on."""
    s, e = _token(text, s, e)
    last = e
    while s < e and text[s] in _STRIP:
        s += 1
    while e > s and text[e - 1] in _STRIP:
        e -= 1
    if _covered(spans, starts, s, e):
        return last
    tok = text[s:e]
    if tok.isdigit() and (ge := _groups(text, s)) > 0:
        g = text[s:ge].replace("\u00a0", " ").split(" ")
        lead, tail = _LEAD.search(text, max(0, s - 4), s), _TAIL.match(text, ge)
        if lead is not None and tail is not None and sum(map(len, g)) >= 6:
            out.append((lead.start(), tail.end(), C.SSN, 0.5))  # letters around spaced digits: "QQ 12 34 56 C"
            return tail.end()
        if sum(map(len, g)) < 7 or len(g[0]) <= 3 and all(len(x) == 3 for x in g[1:]) or _YEAR.fullmatch(g[0]):
            return ge  # thousands ("1 000 000"), a year and a time ("2025 0700")
        if ge < len(text) and (text[ge].isalpha() or text[ge] in "/-") or _covered(spans, starts, s, ge):
            return ge
        if not business_label_before(text, s):
            out.append((s, ge, C.MEDICAL_RECORD, 0.5))
        return ge
    if len(tok) >= 5 and "://" not in tok and not _YEARS.fullmatch(tok) and _code(tok) \
            and not business_label_before(text, s):
        out.append((s, e, C.MEDICAL_RECORD, 0.5))
    return last


def _password_at(text: str, k: int, spans: list[Candidate], starts: list[int], out: list[Candidate]) -> int:
    """A password-shaped word around position ``k``; returns the word's end."""
    s = k
    while s > 0 and not text[s - 1].isspace():
        s -= 1
    e = k + 1
    n = len(text)
    while e < n and not text[e].isspace():
        e += 1
    last = e
    while e > s and text[e - 1] in _PASSWORD_END:
        e -= 1
    if _PASSWORD.fullmatch(text, s, e) is not None and not _covered(spans, starts, s, e):
        out.append((s, e, C.SECRET, 0.5))
    return last
