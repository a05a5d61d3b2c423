"""Dates in the written forms of other countries and of speech, beside the numeric and month-name rules:

* day and month with a dot and a blank, or a slash and a blank before the year: "15. 7. 1975" (Czech, Slovak),
  "27/9 2024" (Danish, Swedish);
* a one-digit day before a month word of any covered language: "7 Aralık 1943", "4 Mayıs 2023";
* Vietnamese "ngày 24 tháng 6 năm 2022";
* a six-digit YYMMDD date after a date word ("utskriven 230424", "born 381225");
* ordinals that name a day: "Tuesday the 12th", "Wed 7th", "on the 14th"."""
from __future__ import annotations

import re

from . import categories as C
from .international import MONTH_NAMES
from .normalize import CONFUSABLES
from .validators import date_valid

_NUMERIC = re.compile(r"[0-9]{1,2}(?:\.[ \t][0-9]{1,2}\.[ \t]|/[0-9]{1,2}[ \t])(?:19|20)[0-9]{2}(?![\w/-]|[.,]\d)"
                      r"|[0-9](?:\.|(?=[ \t]))[ \t]+[^\W\d_]{3,12}\.?[ \t]+(?:19|20)[0-9]{2}(?!\w)")
# the detector reads the normalised view, where "Aralık" is "Aralik"
_MONTHS = MONTH_NAMES | frozenset(w.translate(str.maketrans(CONFUSABLES)) for w in MONTH_NAMES)
_VI = re.compile(r"(?i:ngày)[ \t]+(?P<d>\d{1,2})[ \t]+tháng[ \t]+(?P<m>\d{1,2})(?:[ \t]+năm[ \t]+(?P<y>\d{4}))?")
_YYMMDD = re.compile(r"(?<![\w/.-])[0-9]{6}(?![\w/-]|[.,]\d)")
_DATE_WORDS = frozenset("""born född født fødd syntynyt geboren inskriven utskriven återbesök den dob date datum dato
 admitted discharged seen on""".split())
_ORDINAL = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)\b")
_DAY_BEFORE = re.compile(r"(?i:\b(?:(?P<day>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?[ \t]+"
                         r"(?:the[ \t]+)?)|(?:on|since|by)[ \t]+the[ \t]+))$")


def find(text: str, add, dob_cue) -> None:
    """Adds (start, end, DATE or DOB, confidence) candidates; ``dob_cue(text, start)`` says which."""
    def put(s: int, e: int, conf: float) -> None:
        add((s, e, C.DOB if dob_cue(text, s) else C.DATE, conf))

    for m in _NUMERIC.finditer(text):
        s = m.start()
        if s and (text[s - 1].isalnum() or text[s - 1] in "./-"):
            continue
        g = m.group()
        if not any(ch.isalpha() for ch in g):
            parts = re.split(r"[./][ \t]|/|[ \t]", g)
            d, mo, y = int(parts[0]), int(parts[1]), int(g[-4:])
            if date_valid(y, mo, d):
                put(s, m.end(), 0.85)
        elif g.split()[1].lower().rstrip(".") in _MONTHS:
            put(s, m.end(), 0.85)
    if "tháng" in text:
        for m in _VI.finditer(text):
            y = int(m.group("y")) if m.group("y") else None
            if date_valid(y, int(m.group("m")), int(m.group("d"))):
                put(m.start(), m.end(), 0.85)
    for m in _YYMMDD.finditer(text):
        g = m.group()
        before = text[max(0, m.start() - 16):m.start()].split()
        if before and before[-1].lower().rstrip(":") in _DATE_WORDS \
                and date_valid(None, int(g[2:4]), int(g[4:6])):
            put(m.start(), m.end(), 0.8)
    if "th" in text or "st" in text or "nd" in text or "rd" in text:
        for m in _ORDINAL.finditer(text):
            b = _DAY_BEFORE.search(text, max(0, m.start() - 24), m.start())
            if b is not None and 1 <= int(m.group()[:-2]) <= 31:
                put(b.start() if b.group("day") else m.start(), m.end(), 0.8)
