"""The parts of a postal address around the parts already found.

An address is written as a chain of parts (street line, unit, district, city, state, postcode, country) joined by
commas, slashes, dashes or line breaks, in an order that changes from country to country. Once one part is found
(a postcode, a street, a city) its neighbours in the chain are address parts too, whatever their words:

* the comma-separated parts right before a postcode: cities or districts ("Palmerston North, 6120"), then the street
  line with its house number ("Okrová 178b", "22/70 Colombo Street", "Atatürk Caddesi No. 103 Daire 55") and a unit
  part before it ("Flat 24, 42b Kingsway");
* the parts right after a street, city or postcode: a unit ("m. 30"), a city with or without its postcode before or
  after it ("Cairns 8177", "1692 Vejle", "[city]/Samsun"), up to the country, state or the end of the field.

Runs on the result of overlap resolution, so it costs nothing on text without an address; what it finds is merged
with the detections it overlaps (``resolve.merge``: the replacement covers both)."""
from __future__ import annotations

import re
from typing import Callable

from . import categories as C
from .patterns import AU_STATES, STATE_NAMES
from .resolve import Candidate

Ordinary = Callable[[str], bool]  # True for an ordinary (dictionary) word

_PARTS = frozenset((C.ADDRESS, C.CITY, C.ZIP))
_AU_STATES = frozenset(AU_STATES)
_U = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽÆ"
_CAPW = r"[" + _U + r"][^\W\d_]*(?:['’.-][^\W\d_]*)*"
_LINK = r"(?:de|da|do|dos|das|del|la|le|les|des|am|an|der|im|upon|on|sur|en|di|van|von|ter|ten|og|i)"
_CITY = _CAPW + r"(?:[ \t]+(?:" + _LINK + r"[ \t]+)?" + _CAPW + r"){0,2}"
_NUM = r"\d{1,5}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?){0,2}"
_CODE = r"(?:\d{2}-\d{3}|\d{3}[ ]\d{2}|[1-9]\d{3}[ ]?[A-Z]{2}(?![\w])|\d{5}-\d{3}|\d{3,5})"
_UNIT = (r"(?:(?i:flat|unit|apt\.?|apto\.?|apartment|suite|ste\.?|lgh|dz\.|m\.|kv\.|byt[ \t]+č\.|lầu|tầng|căn[ \t]+hộ|"
         r"phòng|daire|d:|top|stiege|wohnung|whg\.|bajo|piso|casa|bloco|int\.|lejlighed|lejl\.|leilighet|"
         r"appartement|app\.?|scala|interno|mieszkanie|lokal|íbúð|korter|dzīvoklis|butas|level|lvl)[ \t]*[\w/.-]{0,6}|\d{1,2}\.[ \t]*(?:tv|th|mf|sal|OG|Stock|étage)"
         r"\.?|(?:st|th|tv|mf)\.(?:[ \t]*(?:th|tv|mf)\.)?|\d{1,2}º[ \t-]*[A-Z]?)")
_SEP = r"[ \t]*(?:,|/|[-–][ \t]|\n)[ \t]*|[ \t]+"
_END = r"(?=[ \t]*(?:$|[\n,;/()?!]|\.(?:\s|$)|[ \t][-–][ \t]))"

_FORWARD = re.compile(r"(?:" + _SEP + r")(?:(?P<unit>" + _UNIT + r")" + _END
                      + r"|(?P<code1>" + _CODE + r")[ \t]+(?P<city1>" + _CITY + r")"
                      + r"|(?P<city2>" + _CITY + r")(?:[ \t]+(?P<st>[A-Z]{2,3}))?[ \t]+(?P<code2>" + _CODE + r")(?![\w])"
                      + r"|(?P<city3>" + _CITY + r")" + _END
                      + r"|(?P<code3>" + _CODE + r")" + _END
                      + r"|(?P<st4>[A-Z]{2,3})[ \t]+(?P<code4>\d{4})" + _END
                      + r"|(?P<code5>\d{4})(?=[ \t]+[a-z]))")
# a comma-separated part before a postcode: a street line holding a house number, a unit, or a city / district
_STREET_PART = re.compile(r"(?<![\w.-])(?:" + _NUM + r",?[ \t]+(?:\w[\w'’.-]*[ \t]*){1,4}|(?:" + _CAPW + r"[ \t]+)(?:[\w'’.-]+[ \t]+)"
                          r"{0,4}?(?:(?i:no|nº|n\.)[.:]?[ \t]*)?" + _NUM + r"(?:[ \t]+[\w:.]{1,6}(?:[ \t]+\d{1,4})?)?)")
_UNIT_PART = re.compile(_UNIT)
_WORD_START = re.compile(r"(?<![\w.-])\w")
_CODE_LINE = re.compile(r"[ \t]*\n[ \t]*" + _CODE + r"[ \t]*(?:\n|$)")
# a house number right after a detection (a street taken into a name: "Anesdóttir, Laugavegur 40, 104 Akranes")
_HOUSE_NO = re.compile(r"[ \t]+\d{1,5}[A-Za-z]?(?:[/-]\d{1,4}[A-Za-z]?)?(?=[ \t]*,)")
# a slash house number right before a name the name rules took from a street ("46/32 Nguyễn Trãi")
_SLASH_NO_BEFORE = re.compile(r"(?:^|(?<=[\s,(]))\d{1,4}[a-zA-Z]?/\d{1,4}[a-zA-Z]?[ \t]+$")
_INSIDE_STREET = frozenset((C.NAME, C.DATE))
_JOINT = re.compile(r"[ \t]*,?[ \t]*")
_CODE_LABELS = frozenset(("CEP", "CP", "PLZ", "ZIP", "POSTCODE", "POSTAL CODE", "CAP", "PSČ", "TK"))
# with its state: "Recife/PE", "Melbourne  VIC"
_CITY_PART = re.compile(r"(?P<c>" + _CITY + r")(?:[ \t]*[/–-][ \t]*[A-Z]{2}|[ \t]+(?:" + "|".join(AU_STATES) + r"))?")

# not cities: countries, and the words that open the next field of a form or letter
_NOT_CITY = frozenset(w.strip() for w in """
australia, new zealand, aotearoa, canada, uk, united kingdom, england, scotland, wales, ireland, usa, deutschland,
germany, österreich, austria, schweiz, suisse, svizzera, switzerland, france, nederland, netherlands, holland, sverige,
sweden, danmark, denmark, ísland, iceland, suomi, finland, polska, poland, česko, česká republika, czechia, türkiye,
turkey, việt nam, vietnam, brasil, brazil, españa, spain, italia, italy, lietuva, lithuania, latvija, latvia, eesti,
estonia, norge, norway, belgique, belgië, tel, tel., fax, phone, telephone, telefon, telefoon, mobile, email, e-mail,
dear, re, room, ward, bed, bay, floor, level, tomorrow
""".split(",")) | frozenset(s.lower() for s in STATE_NAMES.split("|"))


def _city_ok(words: str, ordinary: Ordinary | None) -> bool:
    """Not a country, state or field word, nor (given ``ordinary``) only ordinary words ("Accession", "STAT")."""
    low = words.lower().rstrip(".")
    if low in _NOT_CITY or low.split()[0] in _NOT_CITY or words.isupper() and len(words) <= 3:
        return False
    return ordinary is None or not all(ordinary(w) for w in re.split(r"[ \t-]+", words) if w)


def _forward(text: str, pos: int, stop: int, out: list[Candidate], ordinary: Ordinary, after_zip: bool,
             before_part: bool, after_city: bool = False) -> None:
    """Parts after an address part that ends at ``pos``, up to the next detection (``stop``; ``before_part``: it is
    an address part too). A postcode next to a city vouches for it; a city alone must not be an ordinary word, unless
    it sits between two address parts. Right after a city (``after_city``) a postcode needs no comma ("Hobart 2454",
    "Adelaide  TAS  2686")."""
    for _ in range(4):
        m = _FORWARD.match(text, pos)
        if m is None or m.start(m.lastgroup or 0) >= stop:
            return
        sep = text[pos:m.start(m.lastgroup)]
        if sep.count("\n") > 1:
            return  # a blank line ends the block
        g = m.groupdict()
        if g["unit"]:
            out.append((m.start("unit"), m.end("unit"), C.ADDRESS, 0.8))
        elif g["code1"]:
            if not _city_ok(g["city1"], None):
                return
            out.append((m.start("code1"), m.end("code1"), C.ZIP, 0.8))
            out.append((m.start("city1"), m.end("city1"), C.CITY, 0.8))
        elif g["code2"]:
            if not _city_ok(g["city2"], None):
                return
            out.append((m.start("city2"), m.end("city2"), C.CITY, 0.8))
            out.append((m.start("code2"), m.end("code2"), C.ZIP, 0.8))
        elif g["city3"]:
            if not sep.strip(" \t") and not after_zip:
                return  # after a street or city, a bare city needs a separator: "Berlin Hospital" is one name
            between = before_part and not text[m.end():stop].strip(" \t,/-–")
            # (a city line over a line that holds only the postcode may be any word: "Wellington\n6237")
            if not _city_ok(g["city3"], None if between or _CODE_LINE.match(text, m.end()) else ordinary):
                return
            out.append((m.start("city3"), m.end("city3"), C.CITY, 0.75))
        elif g["code5"]:
            # "…, Hamilton, 8913 tomorrow": a 4-digit postcode after a city and a comma, then the sentence goes on
            # (not a year: "Auckland, 2019 was …")
            if not (after_city and "," in sep) or g["code5"][:2] in ("19", "20"):
                return
            out.append((m.start("code5"), m.end("code5"), C.ZIP, 0.75))
        elif g["code4"]:
            if g["st4"] not in _AU_STATES:
                return
            out.append((m.start("code4"), m.end("code4"), C.ZIP, 0.8))
        else:
            if not sep.strip(" \t") and not (after_city and len(g["code3"]) >= 4):
                return
            out.append((m.start("code3"), m.end("code3"), C.ZIP, 0.75))
        pos = m.end()
        after_zip = bool(g["code1"] or g["code2"] or g["code3"] or g["code4"] or g["code5"])
        after_city = bool(g["city3"])


def _backward(text: str, start: int, floor: int, out: list[Candidate], ordinary: Ordinary, after_street: bool) -> None:
    """The comma-separated parts before a postcode at ``start``, back to ``floor`` (the end of the previous
    detection on the line; ``after_street``: that is a street): cities or districts, then the street line (with a
    unit before it). A city right after a street may be any word ("Tērbatas iela 9, Ogre, LV-3059")."""
    line = max(text.rfind("\n", 0, start) + 1, floor)
    end = start
    while end > line and text[end - 1] in " \t,-–":
        end -= 1
    if end == line == text.rfind("\n", 0, start) + 1 > 0:
        # the postcode opens its line: the line above may be the street ("Herrengasse 15/2/44")
        above = text.rfind("\n", 0, line - 1) + 1
        a, b = above, line - 1
        while a < b and text[a] in " \t":
            a += 1
        street = _STREET_PART.fullmatch(text, a, b) if a >= floor or floor == line else None
        if street is not None and _street_name(street.group(), ordinary):
            out.append((a, b, C.ADDRESS, 0.8))
        return
    cities = 0
    while end > line:
        k = max(text.rfind(",", line, end), text.rfind(":", line, end), text.rfind("|", line, end),
                text.rfind("(", line, end), text.rfind(";", line, end))
        s = k + 1 if k >= 0 else line
        while s < end and text[s] in " \t\"'":
            s += 1
        part = text[s:end]
        if not part:
            return
        street = _STREET_PART.search(part)
        if street is not None and street.end() == len(part) and _street_name(street.group(), ordinary):
            a = s + street.start()
            ps, pe = _prev_part(text, line, a)
            u = _UNIT_PART.fullmatch(text, ps, pe) if a > line else None
            out.append((u.start() if u is not None else a, end, C.ADDRESS, 0.85))
            return
        if _UNIT_PART.fullmatch(part):
            out.append((s, end, C.ADDRESS, 0.8))
        elif part.upper().replace(".", "") in _CODE_LABELS:
            pass  # "Campinas, CEP 11390-522"
        elif cities < 2 and (c := _CITY_PART.fullmatch(part)) is not None \
                and _city_ok(c.group("c"), None if s <= floor + 2 and after_street else ordinary):
            out.append((s, s + c.end("c"), C.CITY, 0.75))  # (not its state: "Recife/PE")
            cities += 1
        else:
            return
        if k < 0 or text[k] != ",":
            return
        end = k
        while end > line and text[end - 1] in " \t":
            end -= 1


def _street_name(street: str, ordinary: Ordinary) -> bool:
    """The words of a street line make a street name: four letters or more, not only ordinary words (so not a lab
    value: "Plt 142", "Glucose 142")."""
    words = [w for w in re.findall(r"[^\W\d_]+", street) if len(w) > 1]
    return sum(map(len, words)) >= 4 and not all(ordinary(w) for w in words)


def _prev_part(text: str, line: int, a: int) -> tuple[int, int]:
    """(start, end) of the comma-separated part before position ``a`` (or an empty range)."""
    e = a
    while e > line and text[e - 1] in " \t":
        e -= 1
    if e <= line or text[e - 1] != ",":
        return a, a
    e -= 1
    s = max(text.rfind(",", line, e) + 1, text.rfind(":", line, e) + 1, line)
    while s < e and text[s] in " \t":
        s += 1
    return s, e


def _line_around(text: str, start: int, end: int, out: list[Candidate]) -> None:
    """A unit line right above or below an address line ("Lejlighed 37" / "m. 12" over the street): part of the same
    postal block."""
    ls = text.rfind("\n", 0, start) + 1
    if ls and not text[ls:start].strip(" \t"):
        a = text.rfind("\n", 0, ls - 1) + 1
        line = text[a:ls - 1]
        body = line.strip(" \t,")
        if body and _UNIT_PART.fullmatch(body):
            b = a + line.index(body)
            out.append((b, b + len(body), C.ADDRESS, 0.8))
    le = text.find("\n", end)
    if le >= 0 and not text[end:le].strip(" \t,"):
        nxt = text.find("\n", le + 1)
        line = text[le + 1:len(text) if nxt < 0 else nxt]
        body = line.strip(" \t,")
        if body and _UNIT_PART.fullmatch(body):
            b = le + 1 + line.index(body)
            out.append((b, b + len(body), C.ADDRESS, 0.8))


def _street_before(text: str, start: int, ordinary: Ordinary, out: list[Candidate]) -> None:
    """The comma-separated part right before an address part (a district: "89a Pasteur, Phường 12"), when it is a
    street line with its house number."""
    ps, pe = _prev_part(text, text.rfind("\n", 0, start) + 1, start)
    if pe <= ps:
        return
    for w in _WORD_START.finditer(text, ps, pe):  # the longest street line ending the part
        street = _STREET_PART.fullmatch(text, w.start(), pe)
        if street is not None:
            if _street_name(street.group(), ordinary):
                out.append((street.start(), pe, C.ADDRESS, 0.8))
            return


def find(text: str, spans: list[Candidate], ordinary: Ordinary) -> list[Candidate]:
    """The address parts next to the ones ``spans`` (sorted, non-overlapping) holds; they may overlap ``spans``."""
    found: list[Candidate] = []
    if not any(c[2] in _PARTS or c[2] == C.NAME for c in spans):
        return found
    n = len(spans)
    # a name found right after an address part, after a comma, is a district of the chain ("…Street, Te Aro, …")
    part = [c[2] in _PARTS for c in spans]
    for i in range(1, n):
        if spans[i][2] == C.NAME and part[i - 1] and _JOINT.fullmatch(text, spans[i - 1][1], spans[i][0]):
            part[i] = True
    for i, (s, e, cat, _) in enumerate(spans):
        nxt = spans[i + 1] if i + 1 < n else None
        if not part[i]:
            if cat == C.NAME and not text[s:e].isascii() \
                    and (b := _SLASH_NO_BEFORE.search(text, max(0, s - 12), s)) is not None:
                found.append((b.start(), e, C.ADDRESS, 0.8))
            if cat == C.NAME and (m := _HOUSE_NO.match(text, e)) is not None:
                tail: list[Candidate] = []
                _forward(text, m.end(), nxt[0] if nxt else len(text), tail, ordinary, False, False)
                if any(c[2] == C.ZIP for c in tail):
                    found.append((m.end() - len(m.group().lstrip()), m.end(), C.ADDRESS, 0.8))
                    found.extend(tail)
            continue
        if cat == C.ADDRESS:
            _line_around(text, s, e, found)
            if i == 0 or spans[i - 1][2] not in _PARTS:
                _street_before(text, s, ordinary, found)
        k = len(found)
        _forward(text, e, nxt[0] if nxt else len(text), found, ordinary, cat == C.ZIP, nxt is not None and part[i + 1],
                 cat in (C.CITY, C.NAME))
        j = i + 1
        while len(found) > k and j < n and spans[j][2] == C.NAME and found[-1][0] < spans[j][1] <= found[-1][1]:
            # the chain took in the next detection, a name that is a district or city ("Grey Lynn" over "Lynn"):
            # it goes on after it
            k, j = len(found), j + 1
            last = found[-1]
            _forward(text, last[1], spans[j][0] if j < n else len(text), found, ordinary, last[2] == C.ZIP,
                     j < n and part[j], last[2] == C.CITY)
        if cat == C.ZIP:
            # back over the cities right before the postcode ("26/4 Anzac Parade, Hobart 2440"), then the street
            k = i
            while k and spans[k - 1][2] == C.CITY and _JOINT.fullmatch(text, spans[k - 1][1], spans[k][0]):
                k -= 1
            # names and dates found inside the street line do not end it ("Atatürk Caddesi No. 103 Daire 55, 07359 …",
            # "Herrengasse 15/2/44")
            j = k
            while j and spans[j - 1][2] in _INSIDE_STREET:
                j -= 1
            _backward(text, spans[k][0], spans[j - 1][1] if j else 0, found, ordinary,
                      bool(k) and spans[k - 1][2] == C.ADDRESS)
    return found
