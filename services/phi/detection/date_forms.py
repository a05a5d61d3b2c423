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

_NUMERIC = re.compile(r"[0-9]{1,2}(?:\.[ \t][0-9]{1,2}\.[ \t]|/[0-9]{1,2}[ \t]|(?<![0-9][0-9])\.?[ \t]+"
                      r"(?P<m>[^\W\d_]{3,12})\.?[ \t]+)(?:19|20)[0-9]{2}(?![\w/-]|[.,]\d)")
# the detector reads the normalised view, where "Aralık" is "Aralik"
_MONTHS = MONTH_NAMES | frozenset(w.translate(str.maketrans(CONFUSABLES)) for w in MONTH_NAMES)
_VI = re.compile(r"(?i:ngày)[ \t]+(?P<d>\d{1,2})[ \t]+tháng[ \t]+(?P<m>\d{1,2})(?:[ \t]+năm[ \t]+(?P<y>\d{4}))?")
_DATE_WORDS = frozenset("""born född født fødd syntynyt geboren inskriven utskriven återbesök den dob date datum dato
 admitted discharged seen on""".split())
_ORDINAL = re.compile(r"[0-9]{1,2}(?:st|nd|rd|th)\b")
_DAY_BEFORE = re.compile(r"(?i:\b(?:(?P<day>(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?[ \t]+"
                         r"(?:the[ \t]+)?)|(?:on|since|by)[ \t]+the[ \t]+))$")


def find(text: str, starts: list[int], add, dob_cue) -> None:
    """Adds (start, end, DATE or DOB, confidence) candidates, tried at ``starts`` (where each number starts);
    ``dob_cue(text, start)`` says which category."""
    def put(s: int, e: int, conf: float) -> None:
        add((s, e, C.DOB if dob_cue(text, s) else C.DATE, conf))

    n = len(text)
    for s in starts:
        if s and (text[s - 1].isalnum() or text[s - 1] in "./-"):
            continue
        m = _NUMERIC.match(text, s)
        if m is not None:
            if m.group("m") is None:
                g = m.group()
                parts = re.split(r"[./][ \t]|/|[ \t]", g)
                if date_valid(int(g[-4:]), int(parts[1]), int(parts[0])):
                    put(s, m.end(), 0.85)
            elif m.group("m").lower() in _MONTHS:
                put(s, m.end(), 0.85)
            continue
        if s + 6 <= n and text[s:s + 6].isdigit() and (s + 6 == n or not text[s + 6].isalnum()):
            before = text[max(0, s - 16):s].split()
            if before and before[-1].lower().rstrip(":") in _DATE_WORDS \
                    and date_valid(None, int(text[s + 2:s + 4]), int(text[s + 4:s + 6])):
                put(s, s + 6, 0.8)
            continue
        m = _ORDINAL.match(text, s)
        if m is not None:
            b = _DAY_BEFORE.search(text, max(0, s - 24), s)
            if b is not None and 1 <= int(m.group()[:-2]) <= 31:
                put(b.start() if b.group("day") else s, m.end(), 0.8)
    if "tháng" in text:
        for m in _VI.finditer(text):
            y = int(m.group("y")) if m.group("y") else None
            if date_valid(y, int(m.group("m")), int(m.group("d"))):
                put(m.start(), m.end(), 0.85)
