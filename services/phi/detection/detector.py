"""The PHI detector: runs every recogniser over the text and resolves overlaps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence, runtime_checkable

from . import categories as C
from . import address_chain, catch_all, clinical, date_forms, name_context, context, international as intl, normalize, patterns as P, validators as V
from ._regex import kw_first
from .names import NameFinder, HARD_STOP
from .resolve import Candidate, merge, resolve
from .secret_patterns import (CRED, ENV_SECRET, NOT_A_SECRET, SECRET_HINTS, SECRET_NEEDS, SECRET_PATTERNS, URL_CRED,
                              cred_prefix_ok, env_secret_matches, url_cred_matches)


@dataclass(frozen=True, slots=True)
class Detection:
    category: str      # one of CATEGORIES
    start: int         # char offsets into the input str, end exclusive
    end: int
    confidence: float  # 0..1


@runtime_checkable
class SpanDetector(Protocol):
    """Optional extra recogniser (e.g. a model-based NER) that can be plugged into a Detector.

    ``find`` returns (start, end, category, confidence) candidates; they go through the same overlap resolution.
    Implementations must be thread-safe. None is registered by default (no model on the hot path).
    """

    def find(self, text: str) -> Iterable[Candidate]: ...


_YEAR = re.compile(r"(?:1[89]|20)\d{2}")
_ZIP_VAL = re.compile(r"\d{5}(?:-\d{4})?")
_CARD_CUES = frozenset({"card", "card number", "credit card", "credit card number", "debit card",
                        "debit card number", "visa", "mastercard", "amex", "american express", "discover card", "cc"})
# Cue words before a value. Each is ``(?i)\b(?:word|...)\b`` written to start with a character class (see _regex).
_CARD_CUE_BEFORE = re.compile(kw_first(("card", "visa", "mastercard", r"master\s+card", "amex", r"american\s+express",
                                        "discover", "credit", "debit", "cc", "charged?", "payment", "paid", "pay"))
                              + r"\b")
_DEVICE_CUE_BEFORE = re.compile(kw_first(("imei", "meid", "esn", "serial", "device", "udi")) + r"\b")
_SSN_CUE_BEFORE = re.compile(kw_first(("ssn", "ss#", r"social\s+security", r"soc\.?\s+sec", "ssa")) + r"\b")
# (?i)\b(?:(?:license|licence|registration|vehicle)\s+)?(?:plate|tag)... written to start with a character class
_PLATE = re.compile(
    kw_first((r"license\s+(?:plate|tag)", r"licence\s+(?:plate|tag)", r"registration\s+(?:plate|tag)",
              r"vehicle\s+(?:plate|tag)", "plate", "tag"))
    + r"(?i:(?:\s*(?:number|no\.?|\#))?(?:\s*(?:is|was|:|\#|reads))*\s*)"
    r"(?P<val>(?-i:(?=[A-Z0-9 •·-]*\d)[A-Z0-9]{1,4}(?:[ •·-][A-Z0-9]{1,7}|[A-Z0-9]{0,5})(?:[ •·-][A-Z0-9]{1,4})?))(?![\w])"
)
_TITLES = frozenset({"Dr", "Mr", "Mrs", "Ms", "Prof", "Rev", "Sr", "Jr", "Mx", "Miss"})
# "(E350548157)", "(72044647)", "(WWL-0823298)", "(490-23-10)"
_PAREN_ID = re.compile(r"\((?P<v>[A-Z]{1,4}-?\d{6,12}|\d{7,12}|\d{3}-\d{2}-\d{2,4})\)")
# a capitalised word (a name) right before the parenthesis, on the same line; combining marks count as part of the
# word (Indic vowel signs are not \w), and letters of caseless scripts count as capitalised
_NAME_BEFORE_PAREN = re.compile(r"(?<![\w'’-])[^\W\d_][\w\u0300-\u036f\u0900-\u0dff'’-]+[ \t]*$")
_CITY_LEAD = frozenset({"in", "at", "from", "the", "of", "near", "to", "and", "or", "for", "on", "via"})
_DATE_LIKE = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}")
_NOT_DIAGNOSIS = frozenset({"diagnosis", "prognosis", "diagnoses", "hypnosis", "coma", "aroma", "diploma",
                            "stoma", "soma", "idioma"})


_CITY_CUE_HINT = re.compile(
    r"(?:hometown|transfer|Hometown|Transfer|travel|Travel|resid|reloc|nativ|locat|based|visit|Resid|Reloc|Nativ|Locat|Based|Visit|born|city|town|from|Born|City|Town|From|liv|mov|Liv|Mov|staying|Staying|I'm|I’m|I am|currently|Currently)"
    r"[a-z]*(?:\s+(?:alone|here|there|back|nearby|with\s+\w+))?(?:\s+(?:in|of|to|at|from|is|near|:))?\s*:?\s+"
    + P.CAP_LETTER)
# [A-Z][A-Z9]\d|[A-Z]{2}\d\d|\d[A-Z] (the second branch is implied by the first), starting with a character class
_UPPER_ID_HINT = re.compile(r"[A-Z\d](?:(?<=[A-Z])[A-Z9]\d|(?<=\d)[A-Z])")


HAS_DIGIT = P.HAS_DIGIT.search
# number kinds the international rules may read differently ("Keizersgracht 123", "1015 CJ", "0612 34 56 78")
_INTL_KINDS = frozenset({"zip5", "age", "md", "wt", "compact", "bare", "zip4", "card", "ssn"})
_LOWER_RUN = re.compile(r"[a-z]{3}")
_IDAHO_BEFORE = re.compile(r",[ \t]*ID\.?[ \t]+$")


def _valid_date_text(val: str) -> bool:
    """"12/04/2021", "2021-04-12": a calendar date (so "162-40-41" after "MRN:" is an id, not a date)."""
    parts = re.split(r"[/.-]", val)
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    a, b, c = (int(p) for p in parts)
    if len(parts[0]) == 4:  # year first
        return len(parts[1]) <= 2 and len(parts[2]) <= 2 and V.date_valid(a, b, c)
    if len(parts[0]) > 2 or len(parts[1]) > 2 or len(parts[2]) not in (2, 4):
        return False
    return V.date_valid(None, a, b) or V.date_valid(None, b, a)


def has_upper_id(text: str) -> bool:
    return _UPPER_ID_HINT.search(text) is not None


# ---- handlers for the single-pass numeric scanner (text, start, end, add) ---------------------------------------
def _h_ipv4(text: str, s: int, e: int, add) -> None:
    if V.ipv4_valid(text[s:e].split("/")[0]) and not context.version_before(text, s):
        add((s, e, C.IP_ADDRESS, 0.9))


def _date_kind(text: str, s: int) -> str:
    return C.DOB if context.dob_cue(text, s) else C.DATE


def _h_iso(text: str, s: int, e: int, add) -> None:
    g = text[s:e]
    y, mo, d = int(g[:4]), int(g[5:7].rstrip("-/.")), 0
    parts = re.split(r"[-/.T ]", g)
    try:
        y, mo, d = int(parts[0]), int(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        return
    if V.date_valid(y, mo, d) and not context.version_before(text, s):
        add((s, e, _date_kind(text, s), 0.9))


def _h_dmy(text: str, s: int, e: int, add) -> None:
    g = text[s:e]
    sep = "/" if "/" in g else ("-" if "-" in g else ".")
    try:
        a, b, c = g.split(sep)
        ai, bi = int(a), int(b)
    except ValueError:
        return
    y = int(c) if len(c) == 4 else None
    if y is not None and not 1850 <= y <= 2150:
        return
    if context.version_before(text, s) or context.non_phi_label_before(text, s):
        return
    if sep == "." and y is None and not context.dob_cue(text, s) and not (len(a) == len(b) == len(c) == 2):
        return  # "26.02.21" (two digits each) is a date; "3.4.21" only after a date of birth cue
    if V.date_valid(y, ai, bi) or V.date_valid(y, bi, ai):
        add((s, e, _date_kind(text, s), 0.9))


def _h_my(text: str, s: int, e: int, add) -> None:
    mo, y = text[s:e].split("/")
    if V.date_valid(int(y), int(mo), None) and not context.non_phi_label_before(text, s):
        add((s, e, _date_kind(text, s), 0.85))


def _h_compact(text: str, s: int, e: int, add) -> None:
    g = text[s:e]
    if context.dob_cue(text, s) and V.date_valid(int(g[:4]), int(g[4:6]), int(g[6:8])):
        add((s, e, C.DOB, 0.85))


def _wb_year(m: re.Match[str]) -> int | None:
    y = m.group("y2") or m.group("y2d")
    return int(y) if y else None


def _h_dayof(text: str, s: int, e: int, add) -> None:
    m = P.DATE_WRITTEN.match(text, s)
    if m is not None and m.group("wb"):
        mon = m.group("m2")
        y = _wb_year(m)
        if not P.lower_month_ok(mon, text[m.end("d2"):m.end("d2") + 1].isalpha(), y is not None):
            return
        if V.date_valid(y, P.MONTHS[mon.lower()], int(m.group("d2"))):
            add((s, m.end("wb"), _date_kind(text, s), 0.9))


def _h_md(text: str, s: int, e: int, add) -> None:
    """Month/day without a year ("last seen 7/25", "12/30 through ..."): a date only next to a date cue, never a
    fraction, score or ratio ("pain 6/10", "BP 120/80", "1/2 tab")."""
    a, b = text[s:e].split("/")
    if not V.date_valid(None, int(a), int(b)):
        return
    if context.md_date_cue(text, s, e):
        add((s, e, _date_kind(text, s), 0.8))


def _h_ssn(text: str, s: int, e: int, add) -> None:
    if context.non_phi_label_before(text, s):
        return
    g = text[s:e]
    if V.ssn_valid(g):
        add((s, e, C.SSN, 0.95 if "-" in g else 0.85))
    elif _SSN_CUE_BEFORE.search(text, max(0, s - 30), s):
        add((s, e, C.SSN, 0.8))


def _h_phone(text: str, s: int, e: int, add) -> None:
    if context.non_phi_label_before(text, s):
        return
    cue = context.phone_cue(text, s)
    add((s, e, cue or C.PHONE, 0.9 if cue else 0.8))


def _h_bare(text: str, s: int, e: int, add) -> None:
    if context.non_phi_label_before(text, s):
        return
    cue = context.phone_cue(text, s, 40)
    if cue is not None:
        add((s, e, cue, 0.8))
    elif P.NANP.fullmatch(V.digits_of(text[s:e])[-10:]):
        add((s, e, C.PHONE, 0.6))
    if _DEVICE_CUE_BEFORE.search(text, max(0, s - 40), s):
        add((s, e, C.DEVICE, 0.92))


def _h_card(text: str, s: int, e: int, add) -> None:
    g = text[s:e]
    if context.non_phi_label_before(text, s):
        return
    if V.card_valid(g):
        add((s, e, C.ACCOUNT, 0.9))
    elif V.card_valid(g, require_known_prefix=False) and _CARD_CUE_BEFORE.search(text, max(0, s - 40), s):
        add((s, e, C.ACCOUNT, 0.85))
    else:
        # the digit run may have swallowed a short number before the card ("2 4111 1111 1111 1111"): try the run
        # from each later group
        for i, ch in enumerate(g):
            if ch in " -" and g[i + 1:i + 2].isdigit():
                if V.card_valid(g[i + 1:]):
                    add((s + i + 1, e, C.ACCOUNT, 0.9))
                    break
    if _DEVICE_CUE_BEFORE.search(text, max(0, s - 40), s):
        add((s, e, C.DEVICE, 0.92))


def _h_zip4(text: str, s: int, e: int, add) -> None:
    add((s, e, C.ZIP, 0.7))


def _h_zip5(text: str, s: int, e: int, add) -> None:
    if P.STATE_BEFORE.search(text, max(0, s - 24), s):
        add((s, e, C.ZIP, 0.9))


_NOT_AGE_AFTER = re.compile(r"(?i)\s*(?:%|/|°|mg\b|mcg\b|kg\b|lbs?\b|bpm\b|mmhg\b|degrees?\b|percent\b)")


def _h_age(text: str, s: int, e: int, add) -> None:
    if P.AGE_AFTER.match(text, e):
        add((s, e, C.AGE, 0.9))
    elif text[s - 1:s] == "(" and text[e:e + 1] == ")" and _NAME_BEFORE_PAREN.search(text, max(0, s - 41), s - 1):
        add((s, e, C.AGE, 0.85))  # "Re: Anna Berg (94), DOB ..."
    elif e < len(text) and text[e] in "yY":
        return  # "93yrs" etc. are handled above; "93y" alone is not an age
    elif (P.AGE_BEFORE.search(text, max(0, s - 20), s) or P.AGE_PERSON_IS.search(text, max(0, s - 30), s)) \
            and not _NOT_AGE_AFTER.match(text, e):
        add((s, e, C.AGE, 0.9))


# "..., Springfield, IL 62704", "... \nGreen Bay, WI 54301": a city/state/ZIP line right after the street
_ADDR_TAIL = re.compile(r"[^\n]{0,40}?\n?[^\n]{0,40}?\b(?:" + "|".join(P.STATE_ABBR) + r")\.?,?[ \t]+\d{5}\b")


def _h_addr(text: str, s: int, e: int, add) -> None:
    u = P.UNIT_BEFORE.search(text, max(0, s - 24), s)
    if u is not None:
        s = u.start()
    # a street with a unit or followed by its city/state/ZIP is beyond doubt: it outranks a title-cued name inside
    # it ("8442 Highland Dr Rm 5")
    strong = u is not None or P.UNIT_IN.search(text, s, e) is not None or _ADDR_TAIL.match(text, e) is not None
    add((s, e, C.ADDRESS, 0.93 if strong else 0.88))


def _h_mbi(text: str, s: int, e: int, add) -> None:
    add((s, e, C.INSURANCE_ID, 0.9))


def _h_vin(text: str, s: int, e: int, add) -> None:
    if V.vin_valid(text[s:e]):
        add((s, e, C.VEHICLE, 0.95))


_WS = re.compile(r"\s")


def _email_matches(text: str):
    """``P.EMAIL.finditer(text)``, searched only around each "@".

    A match holds exactly one "@", at most 64 characters after its start, and ends before the next whitespace or
    "@" (a character that also satisfies its final look-ahead), so each "@" is searched in that window.
    """
    n = len(text)
    last_end = 0
    ws_end = -1
    search = P.EMAIL.search
    a = text.find("@")
    while a >= 0:
        nxt = text.find("@", a + 1)
        if a >= last_end:
            if ws_end <= a:
                w = _WS.search(text, a)
                ws_end = w.start() if w is not None else n
            end = ws_end if nxt < 0 or ws_end < nxt else nxt
            m = search(text, max(last_end, a - 64), end)
            if m is not None:
                yield m
                last_end = m.end()
        a = nxt


def _scheme_url_matches(text: str):
    """``P.URL_SCHEME.finditer(text)``: every match has "://" 2 to 5 characters after its start."""
    last_end = 0
    match = P.URL_SCHEME.match
    c = text.find("://")
    while c >= 0:
        for s in range(max(c - 5, last_end, 0), c - 1):
            m = match(text, s)
            if m is not None:
                yield m
                last_end = m.end()
                break
        c = text.find("://", max(c + 1, last_end))


def _bare_url_matches(text: str):
    """``P.URL_BARE.finditer(text)``.

    Every match ends its host with a TLD that ``P.TLD_HINT`` also finds, and starts exactly where the run of host
    characters [A-Za-z0-9.-] before that dot starts; so only those run starts are tried.
    """
    host = P.URL_HOST_CHARS
    match = P.URL_BARE.match
    last_end = 0
    prev_p, prev_r, tried = -1, 0, -1
    for h in P.TLD_HINT.finditer(text):
        p = h.start()
        lo = prev_p + 1 if prev_p >= 0 else 0
        q = p
        while q > lo and text[q - 1] in host:
            q -= 1
        r = prev_r if q == lo and prev_p >= 0 else q  # the run reaches the previous dot: same start
        prev_p, prev_r = p, r
        if r < last_end or r == tried:
            continue
        tried = r
        m = match(text, r)
        if m is not None:
            yield m
            last_end = m.end()


def _date_matches(text: str, lower_months: list[int]):
    """``P.DATE_WRITTEN.finditer(text)``, tried only at the candidate starts before each month word (capitalised or
    upper case; lower case only those in ``lower_months``, the ones followed by a number)."""
    qs = [m.start() for m in P.MONTH_WORD.finditer(text)] if any(w in text for w in P.MONTH_WORDS) else []
    if lower_months:
        qs = sorted(set(qs).union(lower_months))
    if not qs:
        return
    rev = text[::-1]
    n = len(text)
    match = P.DATE_WRITTEN.match
    before = P.TOKENS_BEFORE.match
    starts = P.DATE_START.finditer
    last_end = scanned = 0
    for q in qs:
        if q < last_end:
            continue
        lo = q - (before(rev, n - q).end() - (n - q))
        for c in starts(text, max(lo, scanned, last_end), q + 1):
            s = c.start()
            if s < last_end:
                continue
            m = match(text, s)
            if m is not None:
                yield m
                last_end = m.end()
        scanned = q + 1


def _with_overlapped_dates(text: str, matches):
    """The matches, plus the date that starts at the month of a yearless "day month" match ("2 March 3, 2021": the
    scan consumes "2 March", so "March 3, 2021" is matched from the month as well; the overlap is merged later)."""
    for m in matches:
        yield m
        if m.group("wb") and not (m.group("y2") or m.group("y2d")):
            m2 = P.DATE_WRITTEN.match(text, m.start("m2"))
            if m2 is not None and not m2.group("wb"):
                yield m2


def _cred_matches(text: str):
    """CRED matches as the plain (prefix) form would find them with ``finditer``."""
    pos = last_end = 0
    search = CRED.search
    while True:
        m = search(text, pos)
        if m is None:
            return
        k = m.start()
        if k > 0 and text[k - 1] == "_" and not cred_prefix_ok(text, k, last_end):
            pos = k + 1
            continue
        yield m
        pos = last_end = m.end()


def _hint_automaton(lower: bool):
    """Every secret pattern's hint words (case-sensitive ones, or the "~" lower-case ones) in one Aho-Corasick
    automaton: one pass says which patterns are worth running. The lower-case one also holds the name cues of
    ``name_context``: each value is (secret pattern indices, name cue or None)."""
    import ahocorasick

    by_word: dict[str, list[int]] = {}
    for index, hints in enumerate(SECRET_HINTS):
        for h in hints:
            if (h[0] == "~") == lower:
                by_word.setdefault(h[1:] if lower else h, []).append(index)
    cues = name_context.cue_keys() if lower else {}
    # and the words an address field or a post-office box must hold (``_addresses`` looks only where they are)
    places = frozenset(P.ADDRESS_LABEL_KEYS + P.PO_BOX_KEYS) if lower else frozenset()
    a = ahocorasick.Automaton()
    for word in by_word.keys() | cues.keys() | places:
        a.add_word(word, (tuple(by_word.get(word, ())), cues.get(word), word if word in places else None))
    a.make_automaton()
    return a


_PO_BOX_KEY_SET = frozenset(P.PO_BOX_KEYS)
_LABEL_KEY_SET = frozenset(P.ADDRESS_LABEL_KEYS)


def _occurrences(low: str, key: str):
    i = low.find(key)
    while i >= 0:
        yield i
        i = low.find(key, i + len(key))


_SECRET_HINTS_CASED = _hint_automaton(False)
_SECRET_HINTS_LOWER = _hint_automaton(True)

_NUMERIC_HANDLERS = {
    "ipv4": _h_ipv4, "iso": _h_iso, "dmy": _h_dmy, "ssn": _h_ssn, "phone": _h_phone, "card": _h_card,
    "zip4": _h_zip4, "bare": _h_bare, "my": _h_my, "addr": _h_addr, "slash_addr": _h_addr, "mbi": _h_mbi, "vin": _h_vin,
    "zip5": _h_zip5, "age": _h_age, "compact": _h_compact, "dayof": _h_dayof, "md": _h_md,
}


class Detector:
    """Detects PHI spans. Compiles/loads everything once; instances are immutable and thread-safe."""

    __slots__ = ("_names", "_extra")

    def __init__(self, *, extra_detectors: Sequence[SpanDetector] = ()) -> None:
        self._names = NameFinder()
        self._extra: tuple[SpanDetector, ...] = tuple(extra_detectors)

    def ordinary_word(self, word: str) -> bool:
        """True when ``word`` (any case) is an ordinary dictionary word or a word that is never a name."""
        low = word.lower()
        return low in self._names._lex.english or low in HARD_STOP

    # ------------------------------------------------------------------------------------------------------------
    def detect(self, text: str, categories: frozenset[str] | None = None) -> list[Detection]:
        """Non-overlapping detections sorted by start, as offsets into ``text``. categories=None means
        DEFAULT_ENABLED. Detection runs on the normalised view of the text (see ``normalize``)."""
        enabled = C.DEFAULT_ENABLED if categories is None else categories
        if not text or not enabled:
            return []
        v = normalize.view(text)
        if v is None:
            return self._detect(text, enabled)
        out: list[Detection] = []
        for d in self._detect(v.text, enabled):
            s, e = v.span(d.start, d.end)
            if out and s < out[-1].end:  # two spans that split one original character
                prev = out.pop()
                s, e, d = prev.start, max(e, prev.end), prev if prev.end - prev.start >= e - s else d
            out.append(Detection(d.category, s, e, d.confidence))
        return out

    def _detect(self, text: str, enabled: frozenset[str]) -> list[Detection]:
        if not text:
            return []
        cands: list[Candidate] = []
        add = cands.append
        has_digit = P.HAS_DIGIT.search(text) is not None
        low = text.lower()
        # ``_numbers`` needs a lower-cased text with the same offsets whose ASCII letters are lower-cased and whose
        # other characters stay non-ASCII with the same ``isalnum()``: str.lower() is that unless the text holds
        # "İ" (lower-cases to two characters) or the Kelvin sign (lower-cases to "k").
        id_low = low if text.isascii() or ("\u0130" not in text and "\u212a" not in text) else \
            text.translate(context.ASCII_LOWER)

        name_cues, places = self._secrets(text, add, low)
        if "@" in text:
            for m in _email_matches(text):
                add((m.start(), m.end(), C.EMAIL, 0.99))
        if "." in text:
            self._urls(text, add)
        tokens: list[tuple[int, int]] = []  # every digit-initial token (start, end), for the international rules
        starts: list[int] = []  # where each number starts
        if has_digit:
            lower_months: list[int] = []
            self._numbers(text, add, id_low, lower_months, tokens, starts)
            self._dates(text, add, lower_months)
            date_forms.find(text, starts, add, context.dob_cue)
            self._addresses(text, id_low, add, places)
        intl.scan(text, id_low, add, tokens, context.dob_cue, has_digit)
        if has_digit and "\n" in text:
            intl.postal_blocks(text, add, cands)
        elif "serial" in id_low or "s/n" in id_low or "sn:" in id_low or "device id" in id_low:
            self._cued_ids(text, add, id_low)  # a letters-only serial number ("Device serial HKLMNP")
        self._cities(text, add, has_digit, cands)
        if C.NAME in enabled:
            spans: list[tuple[int, int, float]] = []
            self._names.find(text, spans)
            for s, e, conf in spans:
                add((s, e, C.NAME, conf))
        if C.DIAGNOSIS in enabled or C.TREATMENT in enabled:
            self._clinical(text, add, enabled)
        for extra in self._extra:
            for s, e, cat, conf in extra.find(text):
                if cat in C.SPECIFICITY and 0 <= s < e <= len(text):
                    add((int(s), int(e), cat, float(conf)))

        chosen = resolve(cands)
        around = address_chain.find(text, chosen, self.ordinary_word)
        if C.NAME in enabled:
            around += name_context.find(text, id_low, chosen, self._names._lex,  # noqa: SLF001
                                       self.ordinary_word, name_cues)
        if has_digit:
            around += catch_all.find(text, chosen, starts)
        if around:
            chosen = merge(chosen, around)
        return [Detection(cat, s, e, round(conf, 3)) for s, e, cat, conf in chosen if cat in enabled]

    # ------------------------------------------------------------------------------------------------------------
    @staticmethod
    def _secrets(text: str, add, low: str | None) -> tuple[list | None, list | None]:
        """``low`` is ``text.lower()`` when already computed (or None). Returns the name cues found in ``low`` (see
        ``name_context``) and the (start, word) of each address-field or post-office-box word (``_addresses``); both
        None when ``low`` could not be searched with the same offsets."""
        name_cues: list | None = []
        if low is None:
            low = text.lower()
        hits = {i for _, (ids, _, _) in _SECRET_HINTS_CASED.iter(text) for i in ids} if text else set()
        places: list | None = []
        if len(low) == len(text):
            for end, (ids, cue, place) in _SECRET_HINTS_LOWER.iter(low):
                hits.update(ids)
                if cue is not None:
                    name_cues.append((end, cue))
                if place is not None:
                    places.append((end + 1 - len(place), place))
        else:  # (a lower-casing that changed the length: the few lower-case hints one by one)
            name_cues = places = None
            hits.update(i for i, hints in enumerate(SECRET_HINTS) for h in hints if h[0] == "~" and h[1:] in low)
        cred_hit = False
        for index, ((rx, conf, group), needs) in enumerate(zip(SECRET_PATTERNS, SECRET_NEEDS)):
            if rx is ENV_SECRET:
                hit = cred_hit  # its hints are (implied by) the credential pattern's: not searched again
            else:
                hit = index in hits
                if rx is CRED:
                    cred_hit = hit
            if not hit:
                continue
            if needs and not all(n in text for n in needs):
                continue
            if group is None:
                for m in rx.finditer(text):
                    add((m.start(), m.end(), C.SECRET, conf))
                continue
            for m in (_cred_matches(text) if rx is CRED else url_cred_matches(text) if rx is URL_CRED
                      else env_secret_matches(text, low if low is not None else text.lower()) if rx is ENV_SECRET
                      else rx.finditer(text)):
                s, e = m.span(group)
                val = m.group(group)
                if len(val) >= 2 and val[0] in "\"'" and val[-1] == val[0]:
                    s, e, val = s + 1, e - 1, val[1:-1]
                if not val or val.lower() in NOT_A_SECRET or val.startswith(("[PHI_", "${", "{{", "<", "%(")):
                    continue
                add((s, e, C.SECRET, conf))
        return name_cues, places

    @staticmethod
    def _urls(text: str, add) -> None:
        ms: list[re.Match[str]] = []
        if "://" in text:
            ms.extend(_scheme_url_matches(text))
        if "www." in text or "WWW." in text:
            ms.extend(P.URL_WWW.finditer(text))
        if P.TLD_HINT.search(text) is not None:
            ms.extend(_bare_url_matches(text))
        for m in ms:
            s, e = m.span()
            while e > s and text[e - 1] in P.URL_TRAIL:
                if text[e - 1] == ")" and text.count("(", s, e) >= text.count(")", s, e):
                    break
                e -= 1
            if e - s < 4:
                continue
            lead = text[s:s + 8].lower()
            bare = not (lead.startswith(("http", "ftp", "sftp", "ws", "www.")))
            if bare and P.HAS_DIGIT.fullmatch(text[s]) and "/" not in text[s:e]:
                continue  # "3.com"-like fragments
            add((s, e, C.URL, 0.8 if bare else 0.95))

    # ------------------------------------------------------------------------------------------------------------
    def _word_before_number(self, text: str, s: int, add, month_starts: list[int]) -> None:
        """The word before a number (after one space) that makes it part of a date or an address: a lower-case month
        ("march 9 1963": its start goes to ``month_starts``), a UK flat ("Flat 24, 6 Amber Islands") or a German
        street ("Hauptstraße 5", "Bendergasse 7/4")."""
        lo = max(0, s - 48)
        k = max(text.rfind(" ", lo, s - 1), text.rfind("\n", lo, s - 1), text.rfind("\t", lo, s - 1)) + 1
        if k == 0 and lo > 0:
            return
        w = text[k:s - 1]
        if w in P.LOWER_MONTHS:
            month_starts.append(k)
        elif w in P.UNIT_STREET_WORDS:
            m = P.UNIT_STREET.match(text, k)
            if m is not None:
                add((k, m.end(), C.ADDRESS, 0.9))
        elif w[:1].isupper() and w.lower().endswith(P.DE_STREET_TYPES):
            m = P.DE_STREET.match(text, k)
            if m is not None and m.group("word").lower() not in self._names._lex.english:
                add((k, m.end(), C.ADDRESS, 0.85))  # (not "During 3 days", "Bring 2 bags")

    def _cued_ids(self, text: str, add, low: str) -> None:
        """Labelled identifiers ("MRN: 123456", "member ID W12345678", "NPI 1234567893", "S/N: QWERTZ")."""
        for cue, s, e in context.find_cued_ids(text, low):
            cat = context.ID_CUES[cue]
            if cat == context.GENERIC:
                if cue == "id" and _ZIP_VAL.fullmatch(text, s, e) and _IDAHO_BEFORE.search(text, max(0, s - 8), s):
                    continue  # "Boise, ID 83702": Idaho and its ZIP code
                cat = context.generic_id_category(text, s)
            val = text[s:e]
            while val and val[-1] in "-./":
                val = val[:-1]
                e -= 1
            if cat == context.GROUP:
                if not context.group_is_insurance(text, low.rfind(cue, 0, s), s):
                    continue
                cat = C.INSURANCE_ID
            if " " in val and cue not in context.INTL_CUE_SET:
                groups = val.split()
                if len(V.digits_of(val)) < 7 or all(_YEAR.fullmatch(g) for g in groups):
                    val = groups[0]
                    e = s + len(val)
            if len(val) < 4 or _YEAR.fullmatch(val) or _DATE_LIKE.fullmatch(val) and _valid_date_text(val):
                if not (cat in (C.ACCOUNT, C.SSN) and len(val) == 4 and val.isdigit()):
                    continue
            if val.isdigit() and len(val) <= 6 and text[e:e + 1] != "\n" and P.STREET_AFTER_NUMBER.match(text, e):
                continue  # "address on license 2853 Foxglove Ave": a house number, not the licence
            if not HAS_DIGIT(val) and val.lower() in self._names._lex.english:
                continue  # "Device ID: UNKNOWN"
            if cue == "serial" and _LOWER_RUN.search(val):
                continue  # "serial 12-lead ECGs": a bare "serial" is also the clinical adjective
            ds = V.digits_of(val)
            conf = 0.96
            if cat == C.ZIP:
                if not _ZIP_VAL.fullmatch(val):
                    continue
                conf = 0.95
            elif cat == C.SSN:
                conf = 0.98 if len(ds) == 9 and V.ssn_valid(ds) else 0.8
            elif cat == C.LICENSE and cue == "npi":
                conf = 0.98 if V.npi_valid(ds) else 0.8
            elif cat == C.LICENSE and cue.startswith("dea"):
                conf = 0.98 if V.dea_valid(val) else 0.8
            elif cat == C.ACCOUNT and cue in ("routing", "routing number", "aba"):
                conf = 0.97 if V.aba_valid(ds) else 0.8
            elif cat == C.ACCOUNT and cue in _CARD_CUES and len(ds) >= 12:
                conf = 0.97 if V.luhn_valid(ds) else 0.8
            elif cat == C.VEHICLE and cue.startswith("vin") or cue == "vehicle identification number":
                conf = 0.98 if V.vin_valid(val) else 0.9
            add((s, e, cat, conf))

    def _numbers(self, text: str, add, low: str, month_starts: list[int], tokens: list[tuple[int, int]],
                 starts: list[int]) -> None:
        """``low``: ``text`` lower-cased, same offsets (see ``detect``); only its ASCII letters matter here.
        ``month_starts`` receives the starts of lower-case month words followed by a number (for ``_dates``),
        ``tokens`` the digit-initial tokens (start, end) no rule here took, ``starts`` where every number starts
        (digits glued to a letter included)."""
        self._cued_ids(text, add, low)
        if "(" in text:
            # a record number in parentheses right after a name ("-- Erica Bennett (E350548157)")
            for m in _PAREN_ID.finditer(text):
                s = m.start("v")
                v = m.group("v")
                w = _NAME_BEFORE_PAREN.search(text, max(0, m.start() - 40), m.start())
                first = text[w.start()] if w else ""
                if (w is None or not (first.isupper() or first.isalpha() and first.lower() == first.upper())
                        or context.non_phi_label_before(text, m.start())
                        or v.isdigit() and len(v) == 10 and P.NANP.fullmatch(v)):
                    continue
                add((s, m.end("v"), C.MEDICAL_RECORD, 0.75))
        for m in (_PLATE.finditer(text) if ("plate" in low or " tag" in low) else ()):
            s, e = m.span("val")
            if e - s >= 2:
                add((s, e, C.VEHICLE, 0.9))

        # one pass over every digit-initial token
        for m in P.NUMERIC.finditer(text):
            kind = m.lastgroup
            s = m.start()
            starts.append(s)
            if kind == "glued":
                continue
            if kind == "other" or kind is None:
                tokens.append((s, m.end()))  # a number no rule here took: the international rules try it
                continue
            if kind in _INTL_KINDS:
                tokens.append((s, m.end()))
            if kind == "wt" or text[s - 3:s] in P.WORD_TAILS:
                self._word_before_number(text, s, add, month_starts)
            handler = _NUMERIC_HANDLERS.get(kind)
            if handler is not None:
                handler(text, s, m.end(kind), add)
        if has_upper_id(text):
            for m in P.ALNUM_ID.finditer(text):
                kind = m.lastgroup
                s, e = m.start(), m.end(kind) if kind else m.end()
                g = text[s:e]
                if kind == "iban" and V.iban_valid(g):
                    add((s, e, C.ACCOUNT, 0.97))
                elif kind == "dea" and V.dea_valid(g) and not context.non_phi_label_before(text, s):
                    add((s, e, C.LICENSE, 0.85))
                elif kind == "vin" and V.vin_valid(g):
                    add((s, e, C.VEHICLE, 0.95))
                elif kind == "mbi" and P.MBI.fullmatch(g):
                    add((s, e, C.INSURANCE_ID, 0.9))
        if "0s" in text:
            for m in P.AGE_DECADE.finditer(text):
                add((m.start("n"), m.end("n"), C.AGE, 0.9))
        if "+" in text:
            for m in P.PHONE_INTL.finditer(text):
                n = len(V.digits_of(m.group()))
                if 8 <= n <= 15:
                    s = m.start()
                    add((s, m.end(), context.phone_cue(text, s) or C.PHONE, 0.8))
        if "(01)" in text:
            for m in P.UDI.finditer(text):
                if m.end() - m.start() >= 10:
                    add((m.start(), m.end(), C.DEVICE, 0.9))
        if text.count(":") >= 5 or text.count("-") >= 5:
            g = P.MAC_GATE.search(text)
            for m in (P.MAC.finditer(text, max(0, g.start() - 2)) if g is not None else ()):
                add((m.start(), m.end(), C.DEVICE, 0.85))
        if "::" in text or text.count(":") >= 5:
            g = P.IPV6_GATE.search(text)
            for m in (P.IPV6.finditer(text, max(0, g.start() - 4)) if g is not None else ()):
                g = m.group().split("%")[0]
                if g.count(":") >= 2 and len(g) >= 6 and V.ipv6_valid(g):
                    add((m.start(), m.end(), C.IP_ADDRESS, 0.9))

    @staticmethod
    def _dates(text: str, add, lower_months: list[int]) -> None:
        for m in _with_overlapped_dates(text, _date_matches(text, lower_months)):
            if m.group("wa"):
                mon, day, year, span = m.group("m1"), m.group("d1"), m.group("y1"), m.span("wa")
                dend = m.end("d1")
            elif m.group("wb"):
                mon, day, year, span = m.group("m2"), m.group("d2"), m.group("y2") or m.group("y2d"), m.span("wb")
                dend = m.end("d2")
            else:
                mon, day, year, span = m.group("m3"), None, m.group("y3"), m.span("wc")
                dend = -1
            if not P.lower_month_ok(mon, dend >= 0 and text[dend:dend + 1].isalpha(), bool(year)):
                continue
            month = P.MONTHS[mon.lower()]
            d = int(day) if day else None
            y = int(year) if year else None
            if not V.date_valid(y, month, d):
                continue
            if day is None and mon.lower() == "may" and not year:
                continue
            conf = 0.9 if day else 0.8
            add((span[0], span[1], C.DOB if context.dob_cue(text, span[0]) else C.DATE, conf))

    @staticmethod
    def _addresses(text: str, low: str, add, places: list | None) -> None:
        """``places``: where the words of an address field or a post-office box are in ``low`` (None: not known)."""
        if "box" in text or "Box" in text or "BOX" in text:
            for m in P.PO_BOX.finditer(text):
                add((m.start(), m.end(), C.ADDRESS, 0.9))
            for m in P.MILITARY.finditer(text):
                add((m.start(), m.end(), C.ADDRESS, 0.85))
        elif "US" in text:
            for m in P.MILITARY.finditer(text):
                add((m.start(), m.end(), C.ADDRESS, 0.85))
        if "Unit" in text or "Flat" in text or "Apt" in text:
            for m in P.UNIT_NUMBER_STREET.finditer(text):
                add((m.start(), m.end(), C.ADDRESS, 0.85))
        if places is None:
            places = [(i, k) for k in P.ADDRESS_LABEL_KEYS + P.PO_BOX_KEYS for i in _occurrences(low, k)]
        if not places:
            return
        if any(k in _PO_BOX_KEY_SET for _, k in places):
            for m in P.PO_BOX_INTL.finditer(text):
                add((m.start(), m.end(), C.ADDRESS, 0.85))
        for start, end in P.address_fields(text, [(i, k) for i, k in places if k in _LABEL_KEY_SET]):
            add((start, end, C.ADDRESS, 0.9))

    def _cities(self, text: str, add, has_digit: bool, cands: list[Candidate]) -> None:
        if "," in text:
            # "52 Thomas Plain Provo, UT", "19381 Mill Creek Ct Joannabury, CA": no comma between street and city,
            # so the city starts where the street found before it ends
            streets = None
            for m in P.COMMA_STATE.finditer(text):
                st = m.group("st")
                z = m.group("zip")
                if z is None and (st in P.AMBIGUOUS_STATES or len(st) == 2 and not has_digit):
                    continue
                cm = P.CITY_BEFORE.search(text, max(0, m.start() - 48), m.start())
                if cm is not None:
                    s = cm.start()
                    if streets is None:
                        streets = [(c[0], c[1]) for c in cands if c[2] == C.ADDRESS] if has_digit else []
                    for a, b in streets:
                        if a <= s < b < cm.end():
                            s = b
                            while s < cm.end() and text[s] in " \t,":
                                s += 1
                    s = self._trim_city(text, s, cm.end())
                    if s is not None:
                        add((s, cm.end(), C.CITY, 0.85 if z else 0.7))
                if z:
                    add((m.start("zip"), m.end("zip"), C.ZIP, 0.95))
        if _CITY_CUE_HINT.search(text) is not None:
            for m in P.CITY_CUE.finditer(text):
                s, e = m.span("city")
                words = text[s:e].split()
                if not words or words[0].lower() in HARD_STOP:
                    continue
                if words[0].rstrip(".") in _TITLES:
                    continue  # "from Dr. Peixoto's office"
                # a form field ("City: Fort Wayne") is a city whatever the word, and outranks a name guess
                if text[m.start():m.start() + 4].lower() == "city" and ":" in text[m.start():s]:
                    add((s, e, C.CITY, 0.9))
                    continue
                lex = self._names._lex  # noqa: SLF001 - same package
                if all(w.lower() in lex.english for w in words) and len(words) == 1:
                    continue
                add((s, e, C.CITY, 0.7))

    @staticmethod
    def _trim_city(text: str, s: int, e: int) -> int | None:
        words = text[s:e].split()
        while words and words[0].lower() in _CITY_LEAD | HARD_STOP:
            s = text.index(words[0], s) + len(words[0])
            while s < e and text[s].isspace():
                s += 1
            words.pop(0)
        return s if words and s < e else None

    @staticmethod
    def _clinical(text: str, add, enabled: frozenset[str]) -> None:
        if C.DIAGNOSIS in enabled:
            for m in clinical.ICD10_CUED.finditer(text):
                add((m.start("c"), m.end("c"), C.DIAGNOSIS, 0.9))
            for m in clinical.ICD10.finditer(text):
                add((m.start(), m.end(), C.DIAGNOSIS, 0.75))
            for m in clinical.DIAGNOSIS.finditer(text):
                if m.group().lower() not in _NOT_DIAGNOSIS:
                    add((m.start(), m.end(), C.DIAGNOSIS, 0.7))
        if C.TREATMENT in enabled:
            for m in clinical.TREATMENT.finditer(text):
                add((m.start(), m.end(), C.TREATMENT, 0.7))
