"""Compiled regular expressions for the structured identifiers (compiled once at import)."""

from __future__ import annotations

import re

from ._regex import kw_first

# ---- prefilters -----------------------------------------------------------------------------------------------
HAS_DIGIT = re.compile(r"\d")

# ---- e-mail, URL, IP, MAC ------------------------------------------------------------------------------------------
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.)+[A-Za-z]{2,24}(?![\w-])")

_TLDS = ("com|org|net|edu|gov|mil|io|info|biz|us|uk|ca|de|fr|health|care|co|me|app|ai|dev|site|online|ly|tv|"
         "clinic|hospital|md|nyc|la|xyz|cloud|tech|ru|cn|jp|in|au|br|es|it|nl|eu|ch|se|no|dk|fi|pl|pt|ie|nz")
URL_TRAIL = ".,;:!?)]}'\""

IPV6 = re.compile(r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?:[0-9A-Fa-f]{0,4}:){1,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%\w+)?(?![\w:])")
# Every IPv6 match contains ":", up to 4 hex digits and ":" (and starts at most 4 characters before it); every MAC
# match contains five separators with two hex digits between them (and starts 2 characters before them).
IPV6_GATE = re.compile(r":[0-9A-Fa-f]{0,4}:")
MAC_GATE = re.compile(r"[:-](?:[0-9A-Fa-f]{2}[:-]){4}")
MAC = re.compile(r"(?<![\w:-])[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:-])")

# ---- phone numbers ----------------------------------------------------------------------------------------------
PHONE_INTL = re.compile(r"\+(?<![\w+]\+)(?:[2-9]\d{0,2})(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w-]|\.\d)")

NANP = re.compile(r"[2-9](?!11)\d\d[2-9]\d{6}")

# ---- SSN --------------------------------------------------------------------------------------------------------

# ---- cards / IBAN / DEA / VIN / UDI / MBI ----------------------------------------------------------------------------
UDI = re.compile(r"(?:\(01\)\d{14}(?:\(\d{2,4}\)[0-9A-Za-z\-./]{1,20})*|\+[A-Z]\d{3}[0-9A-Z]{1,18}/?[0-9A-Z$+%]*)")
# Medicare Beneficiary Identifier: C A AN N A AN N A A N N (no S L O I B Z), optionally dashed 4-3-4.
_MBI_A = "[AC-HJKMNP-RT-Y]"
MBI = re.compile(r"(?<![\w-])[1-9]" + _MBI_A + r"[0-9AC-HJKMNP-RT-Y]\d-?" + _MBI_A + r"[0-9AC-HJKMNP-RT-Y]\d-?"
                 + _MBI_A + _MBI_A + r"\d\d(?![\w-])")

# ---- dates ------------------------------------------------------------------------------------------------------------
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
# Title-case, upper-case and lower-case month words; lower-case ones ("march 9 1963", "apr 8th") are only kept with
# a day or year that makes them a date (see ``lower_month_ok``).
_MONC = r"(?:" + _MON + r"|" + _MON.upper() + r"|" + _MON.lower() + r")"
_WD = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
_ORD = r"(?:st|nd|rd|th)?"
_DATE_BODY = (
    r"(?:"
    r"(?P<wa>" + _WD + r"(?P<m1>" + _MONC + r")\.?\s+(?:the\s+)?(?P<d1>\d{1,2})" + _ORD + r"(?:,?\s+(?P<y1>(?:1[89]|20)\d{2}))?)(?![\w]|:\d)"
    # "3 March 2021", "3rd of March", "15-Jun-2004", "15-JUN-04" (a 2-digit year only in the dashed form)
    r"|(?:the\s+)?(?P<wb>" + _WD + r"(?P<d2>\d{1,2})(?:" + _ORD + r"(?:\s+of)?\s+|-(?=[A-Za-z]))(?P<m2>" + _MONC
    + r")\.?(?:,?\s+(?P<y2>(?:1[89]|20)\d{2})|-(?P<y2d>(?:1[89]|20)?\d{2}))?)(?![\w])"
    r"|(?P<wc>(?P<m3>" + _MONC + r")\.?,?\s+(?:of\s+)?(?P<y3>(?:1[89]|20)\d{2}))(?![\w])"
    r")"
)
DATE_WRITTEN = re.compile(r"(?<![\w])" + _DATE_BODY)
# Every DATE_WRITTEN match holds a month word (m1/m2/m3) with a non-word character (or the text edge) on both sides,
# and starts at most four whitespace-separated tokens before it ("the Monday, 3rd of March"), at a non-word/word
# boundary on one of DATE_START's characters. ``detector._date_matches`` tries DATE_WRITTEN only there (a dashed
# "15-Jun-2004" starts inside the month's token: ``NUMERIC``'s "dayof" branch finds it from the day).
_MON_LIST = _MON[3:-1].split("|")
MONTH_WORD = re.compile(kw_first(_MON_LIST + [m.upper() for m in _MON_LIST], ci=False) + r"(?![\w])")
MONTH_WORDS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
               "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
# Lower-case month words count only before a number ("march 9 1963", "apr 8th"); the detector finds them from the
# number (the word before it), so no pass over the text looks for them.
LOWER_MONTHS = frozenset(m.lower() for m in _MON_LIST)
DATE_START = re.compile(r"[JFMASONDTWjfmasondt\d](?<![\w].)")
_MON_ABBR_LOWER = frozenset(("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"))


def lower_month_ok(mon: str, ordinal: bool, year: bool) -> bool:
    """A lower-case month word is a date only with a year, or (full names other than "may") with a day; an
    abbreviation needs a year or an ordinal day ("apr 8th")."""
    if not mon.islower():
        return True
    if year:
        return True
    if mon == "may":
        return False
    if mon in _MON_ABBR_LOWER:
        return ordinal
    return True
TOKENS_BEFORE = re.compile(r"(?:\s+\S+){0,4}")  # matched on the reversed text

# ---- ages over 89 -----------------------------------------------------------------------------------------------------
_AGE = r"(?:9\d|1[0-2]\d)"
# (?i)\b(?:in\s+(?:his|her|their)\s+)(?P<n>(?:9|1[01])0s)\b
AGE_DECADE = re.compile(kw_first((r"in\s+(?:his|her|their)\s+",)) + r"(?i:(?P<n>(?:9|1[01])0s))\b")

# Australian states and territories (their postcodes follow them: "Geelong  VIC  3220")
AU_STATES = ("NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT")

# ---- addresses ----------------------------------------------------------------------------------------------------------
STREET_SUFFIXES = (
    "Alley Aly Annex Anx Arcade Arc Avenue Ave Av Bayou Byu Beach Bch Bend Bnd Bluff Blf Bluffs Bottom Btm "
    "Boulevard Blvd Branch Br Bridge Brg Brook Brk Brooks Burg Burgs Bypass Byp Camp Cp Canyon Cyn Cape Cpe "
    "Causeway Cswy Center Ctr Centre Centers Circle Cir Circles Cliff Clf Cliffs Club Common Commons Corner Cor "
    "Corners Course Crse Court Ct Courts Cts Cove Cv Coves Creek Crk Crescent Cres Crest Crossing Xing Crossroad "
    "Crossroads Curve Dale Dam Divide Dv Drive Dr Drives Estate Est Estates Expressway Expy Extension Ext "
    "Extensions Fall Falls Fls Ferry Fry Field Fld Fields Flds Flat Flt Flats Ford Frd Fords Forest Frst Forge "
    "Frg Forges Fork Frk Forks Fort Ft Freeway Fwy Garden Gdn Gardens Gdns Gateway Gtwy Glen Gln Glens Green Grn "
    "Greens Grove Grv Groves Harbor Hbr Harbors Haven Hvn Heights Hts Highway Hwy Hill Hl Hills Hls Hollow Holw "
    "Inlet Island Is Islands Isle Junction Jct Junctions Key Ky Keys Knoll Knl Knolls Lake Lk Lakes Lks Land "
    "Landing Lndg Lane Ln Light Lgt Lights Loaf Lock Lck Locks Lodge Ldg Loop Mall Manor Mnr Manors Meadow Mdw "
    "Meadows Mdws Mews Mill Ml Mills Mission Msn Motorway Mount Mt Mountain Mtn Mountains Neck Orchard Orch Oval "
    "Overpass Park Pk Parks Parkway Pkwy Parkways Pass Passage Path Pike Pine Pines Place Pl Plain Pln Plains "
    "Plaza Plz Point Pt Points Port Prt Ports Prairie Pr Radial Ramp Ranch Rnch Rapid Rapids Rest Ridge Rdg "
    "Ridges Rdgs River Riv Road Rd Roads Rds Route Rte Row Rue Run Shoal Shoals Shore Shr Shores Skyway Spring "
    "Spg Springs Spur Spurs Square Sq Squares Station Sta Stravenue Stra Stream Strm Street St Streets Summit "
    "Smt Terrace Ter Throughway Trwy Trace Trce Track Trak Trafficway Trail Trl Trailer Tunnel Tunl Turnpike "
    "Tpke Underpass Union Un Unions Valley Vly Valleys Via Viaduct Via View Vw Views Village Vlg Villages Ville "
    "Vista Vis Walk Walks Wall Way Ways Well Wells Wy "
    # UK
    "Close Flats Rise Parade Wharf Mead Line Gully Quay Esplanade Promenade Grove Gate Gardens Rd "
    # Australia / New Zealand (the road types of AS/NZS 4819)
    "Boardwalk Boulevarde Brace Brae Brow Chase Circuit Circus Concourse Copse Crossway Dell "
    "Driveway Fairway Firetrail Frontage Glade Grange Highroad Lookout Nook Pathway Ramble Retreat "
    "Ridgeway Roadside Roadway Serviceway Slope Vale Walkway Wynd"
).split()
_SUFFIX_ALT = "|".join(sorted(set(STREET_SUFFIXES), key=len, reverse=True))
# Street types that may follow a name ending in a suffix word ("Cherry Hill St", "Mill Creek Rd", "Oak Ridge Blvd").
_TYPE_SUFFIXES = ("Street St Road Rd Drive Dr Avenue Ave Av Lane Ln Court Ct Boulevard Blvd Way Place Pl Terrace Ter "
                  "Circle Cir Parkway Pkwy Highway Hwy Trail Trl Loop Row Square Sq Plaza Plz Crescent Cres Close "
                  "Path Pike Run Cove Cv Ridge").split()
# ("Dr." before a capitalised word is a title: "12 Main St Dr. Jones will call")
_TYPE_ALT = "|".join(sorted(_TYPE_SUFFIXES, key=len, reverse=True))
_TYPE_ALT = _TYPE_ALT + "|" + _TYPE_ALT.upper()
_TYPE_ALT = _TYPE_ALT.replace("|Dr|", r"|Dr(?!\.[ \t]+[A-Z])|")
_UNIT_WORD = (r"(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|Building|Lot|Space|Spc|Dept|Flat|"
              r"APT|SUITE|STE|UNIT|BLDG|FLAT)")
_SECONDARY = (r"(?:,?\s*" + _UNIT_WORD + r"\.?\s*#?\s*[A-Za-z0-9][A-Za-z0-9-]{0,6}(?![\w])"
              r"|,?\s*#\s*[A-Za-z0-9]{1,6}(?![\w]))")
# a unit written before the street ("Flat 24, 6 Amber Islands", "Apt 3B, 12 Main St"), matched right before it
UNIT_BEFORE = re.compile(r"(?<![\w])" + _UNIT_WORD + r"\.?[ \t]*#?[ \t]*[A-Za-z0-9][A-Za-z0-9-]{0,6},?[ \t]+$")
# a unit, then a house number and the street's words up to a comma, whatever the words ("Unit 12, 70 Davenport
# Colonnade,"): the unit vouches for the street
UNIT_NUMBER_STREET = re.compile(kw_first(("Unit", "Flat", "Apt", "Apartment"), ci=False) + r"\.?[ \t]*\d{1,4}[A-Za-z]?,[ \t]*"
                                r"\d{1,5}[A-Za-z]?[ \t]+(?:[A-Z][a-z'’-]+[ \t]+){0,3}[A-Z][a-z'’-]+(?=[ \t]*(?:,|$|\n))")
UNIT_IN = re.compile(r"[,\s]" + _UNIT_WORD + r"\b|#")
_STREET_WORD = r"(?:[A-Z][A-Za-z'’.-]*|\d{1,3}(?:st|nd|rd|th|ST|ND|RD|TH))"
# (?i)\b(?:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box|Postal\s+Box)\s*#?\s*\d{1,7}\b
PO_BOX = re.compile(kw_first((r"P\.?\s?O\.?\s*Box", r"Post\s+Office\s+Box", r"Postal\s+Box")) + r"(?i:\s*#?\s*\d{1,7})\b")
# the value of an address field ("Address ......... 137/3 Điện Biên Phủ, …", "Địa chỉ: 141/32 Alexandre de Rhodes"):
# its first comma-separated part, when it holds a house number and a word. Found from the field marks (":", "|",
# "=", a tab, leader dots), which are few, by the label that ends right before one.
ADDRESS_LABEL_WORDS = tuple(sorted((
    "address line 1", "address line 2", "address 1", "address 2", "address", "home address", "postal address",
    "street address", "street", "street name", "addr", "adresse", "adres", "adresa", "adress", "osoite",
    "heimilisfang", "indirizzo", "dirección", "direccion", "domicilio", "endereço", "endereco", "adresas", "adrese",
    "aadress", "địa chỉ", "anschrift", "wohnadresse", "bostadsadress", "lakcím", "ikametgah"), key=len, reverse=True))
# a label's key (lower case; the detector finds them), then the rest of the label up to its field mark (":", "|", "=", a tab, leader dots)
ADDRESS_LABEL_KEYS = ("addr", "adres", "adress", "street", "osoite", "heimilisfang", "indirizzo", "direcci", "domicilio",
               "endere", "anschrift", "lakcím", "ikametgah", "địa chỉ")
_MARK_AFTER = re.compile(r"[^\W\d_]*(?:[ \t]+(?:line|name|address|[12]))*[ \t]*(?P<mark>[:=|\t]|\.{2,})")
_FIELD_VALUE = re.compile(r"[ \t.:]*(?P<v>[\w][^\n,;|()]{2,60})")
_WORD3 = re.compile(r"[^\W\d_]{3,}")
_NOT_POSTAL = ("ip", "e-mail", "email", "mac", "web", "wallet", "server", "memory", "return", "bitcoin", "mail")


def address_fields(text: str, keys: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """(start, end) of the street part of each address field's value (not an IP, e-mail or web address; with a
    house number). ``keys``: (position, key) of the ADDRESS_LABEL_KEYS found in the text; the fields are looked for
    only there, not by scanning for labels (they start with common letters)."""
    marks = {}
    for i, k in keys:
        if (m := _MARK_AFTER.match(text, i + len(k))) is not None:
            marks[m.start("mark")] = m.end()
    out = []
    for p, mark_end in sorted(marks.items()):
        head = text[max(0, p - 40):p].rstrip(" \t").lower()
        if not head.endswith(ADDRESS_LABEL_WORDS):
            continue
        label = next(w for w in ADDRESS_LABEL_WORDS if head.endswith(w))
        before = head[:len(head) - len(label)]
        if before[-1:].isalnum() or before.rstrip(" \t").endswith(_NOT_POSTAL):
            continue
        v = _FIELD_VALUE.match(text, mark_end)
        if v is None:
            continue
        value = v.group("v").rstrip(" \t.")
        if not any(c.isdigit() for c in value) or _WORD3.search(value) is None or "@" in value \
                or "://" in value:
            continue
        out.append((v.start("v"), v.start("v") + len(value)))
    return out


# what PO_BOX_INTL must contain (lower case; the detector finds them before it is run)
PO_BOX_KEYS = ("postbo", "postbus", "postfach", "apartado", "caixa", "casella", "boîte", "case postale", "pósthólf",
               "skrytka", "hộp", "postiloker", "pastkaste", "pašto", "posta kutusu", "poštovní", "phường", "quận")
# post-office boxes in the languages of the patients we see, and Vietnamese wards / districts by number
# ("Postboks 123", "Caixa Postal 12", "Hộp thư 626", "Phường 12", "Quận 3")
PO_BOX_INTL = re.compile(kw_first(("postboks", "postbox", "postbus", "postfach", r"apartado\s+de\s+correos", "apartado",
                                   r"caixa\s+postal", r"casella\s+postale", r"boîte\s+postale", r"case\s+postale",
                                   "pósthólf", r"skrytka\s+pocztowa", r"hộp\s+thư", "postilokero", "pastkaste",
                                   r"pašto\s+dėžutė", r"posta\s+kutusu", r"poštovní\s+přihrádka", "phường", "quận"))
                         + r"(?i:\s*(?:nr\.?|no\.?|n[º°])?\s*\d{1,6})(?![\w/-])")
# \b(?:(?:PSC|CMR|Unit)\s+\d{3,5},?\s+Box\s+\d{1,5}|(?:USNS|USNV|USS|USCGC)\s+[A-Z][a-z]+)\b
_MIL_BOX = r"\s+\d{3,5},?\s+Box\s+\d{1,5}"
MILITARY = re.compile(kw_first(("PSC" + _MIL_BOX, "CMR" + _MIL_BOX, "Unit" + _MIL_BOX) + tuple(
    v + r"\s+[A-Z][a-z]+" for v in ("USNS", "USNV", "USS", "USCGC")), ci=False) + r"\b")

STATE_ABBR = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
              "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR GU VI AS MP AA AE AP").split()
STATE_NAMES = ("Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|District of Columbia|"
               "Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
               "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|"
               "New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
               "Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
               "West Virginia|Wisconsin|Wyoming|Puerto Rico")
# Abbreviations that are also credentials after a name ("Smith, MD", "Jones, PA"): need a ZIP to count as a state.
AMBIGUOUS_STATES = frozenset({"MD", "PA", "MA", "ME", "IN", "OR", "OK", "HI", "DE", "CO", "LA", "ID", "DC", "NP",
                              "AS", "AA", "AE", "AP"})
# (words on one line: a city never continues from the street line above it)
_CITY = r"(?:(?:St|Ft|Mt)\.?[ \t]+)?[A-Z][a-z'’]+(?:(?:[ \t]+|-)(?:[A-Z][a-z'’]+|de|la|del|of|upon|on)){0,3}"
# an upper-case letter of the Latin scripts ("Ísafjörður", "Łódź", "Šiauliai")
CAP_LETTER = "[A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽ]"
CITY_CUE = re.compile(
    kw_first(("lives", "living", "lived", "resides", "residing", "resident", "moved", "relocated", "born", "native",
              "located", "based", "hometown", "city", "town", "from", "visiting", "traveled", "travelled",
              "transferred", "relocating", "moving", "staying", "i'm", "i’m", r"i\s+am", "currently"))
    + r"\b(?i:(?:\s+(?:alone|here|there|back|nearby|with\s+\w+))?(?:\s+(?:in|of|to|at|from|is|near|:))?\s*:?\s+)"
    r"(?P<city>(?:(?:St|Ft|Mt)\.?[ ])?" + CAP_LETTER + r"(?:[^\W\d_A-Z]|['’])+(?![:\w])(?:(?:[ ]|-)" + CAP_LETTER
    + r"(?:[^\W\d_A-Z]|['’])+(?![:\w])){0,2})"
)

# UK style, the flat before the street and no house number: "Flat 36B, Tina Flats", "Studio 4, Colin Curve"
UNIT_STREET_WORDS = ("Flat", "Studio")
UNIT_STREET = re.compile(
    r"(?:" + "|".join(UNIT_STREET_WORDS) + r")\.?[ \t]*\d{1,4}[A-Za-z]?,[ \t]*(?:\d{1,5}[A-Za-z]?[ \t]+)?"
    r"(?:" + _STREET_WORD + r"[ \t]+){1,3}?(?:" + _SUFFIX_ALT + r")\b\.?")
STREET_AFTER_NUMBER = re.compile(r"\s+(?:(?:N|S|E|W|NE|NW|SE|SW)\.?\s+)?(?:" + _STREET_WORD + r"\s+){1,4}?(?:"
                                 + _SUFFIX_ALT + r"|" + _SUFFIX_ALT.upper() + r")\b")
# A street written as one word ending in a street type, then the house number: German / Austrian / Swiss
# ("Hauptstraße 5", "Bendergasse 7/4", "Brunhild-Schwital-Allee 2-1"), Dutch ("Lindseysingel 6"), Swedish
# ("Industritorget 76"), Danish ("Vangsåvej 46"), Norwegian ("Lundeplassen 31C"), Finnish ("Mannerheimintie 5");
# the detector tries it at the word before a number.
DE_STREET_TYPES = ("straße", "strasse", "str.", "weg", "gasse", "allee", "platz", "ring", "damm", "ufer", "chaussee",
                   # nl
                   "straat", "laan", "gracht", "plein", "singel", "kade", "dijk", "steeg", "hof", "markt",
                   # sv / da / no
                   "gatan", "gata", "vägen", "väg", "torget", "gränd", "stigen", "backen", "allén", "vej", "gade",
                   "allé", "stræde", "plads", "vænget", "veien", "vegen", "gate", "plassen", "stien", "bakken",
                   # fi
                   "katu", "tie", "kuja", "polku", "raitti", "kaari", "rinne", "väylä",
                   # is
                   "vegur", "stræti", "braut", "stígur", "tún", "gata", "gerði", "holt")
_DE_TYPE_ALT = "|".join(sorted((re.escape(t[0].upper() + t[1:]) + "|" + re.escape(t) for t in DE_STREET_TYPES),
                               key=len, reverse=True))
DE_STREET = re.compile(
    r"(?<![\w-])(?P<word>[A-ZÄÖÜÅÆØÉÞÐ][\wÄÖÜäöüßåæøéèáíóúýþðæ'’-]*?(?:" + _DE_TYPE_ALT + r"))[ \t]*\d{1,4}[ \t]?[a-zA-Z]?"
    r"(?:[ \t]?[-/][ \t]?\d{1,4}[a-zA-Z]?){0,3}(?![\w.,]\d|[\w/-])")

# The last two letters of the words above (lower-case months, "Flat"/"Studio", German street types) and a space: the
# detector looks at the word before a number only when the three characters before it are one of these.
WORD_TAILS = frozenset(w[-2:] + " " for w in (*LOWER_MONTHS, *UNIT_STREET_WORDS, *DE_STREET_TYPES))
_TAIL_ALT = "(?:" + "|".join(re.escape(t) for t in sorted(WORD_TAILS)) + ")"

# ---- single-pass scanners --------------------------------------------------------------------------------------
# Python's ``re`` skips quickly to candidate positions only when a pattern starts with a character class, so the
# digit-initial identifiers are scanned with ONE alternation that starts with [\d(+] (look-behinds come after the
# first character). Branches are ordered most specific first; a final branch consumes any other digit run.
_NB = r"(?<![\w+/.-].)"  # "not preceded by a word char or separator" for the char just consumed
# a street after its house number: direction, street words, suffix, type, direction, unit
_ADDR_TAIL = (r"[ \t]+(?:(?:N|S|E|W|NE|NW|SE|SW)\.?[ \t]+)?"
              r"(?:" + _STREET_WORD + r"[ \t]+){1,4}?(?:" + _SUFFIX_ALT + r"|" + _SUFFIX_ALT.upper() + r")\b\.?"
              r"(?:[ \t]+(?:" + _TYPE_ALT + r")\b\.?)?"
              r"(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b\.?)?(?:" + _SECONDARY + r"){0,2}")
NUMERIC = re.compile(
    r"[\d(+](?:" + _NB + r"(?:"
    # IPv4 (optionally /cidr)
    r"(?<=\d)(?P<ipv4>(?<=\d)\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?)(?![\w]|\.\d)"
    # ISO date / datetime
    r"|(?<=[12])(?P<iso>(?<=[12])\d{3}(?P<iso_s>[-/.])\d{1,2}(?P=iso_s)\d{1,2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)(?![\w/-]|:\d|\.\d)"
    # d/m/y, m-d-y, d.m.y
    r"|(?<=\d)(?P<dmy>\d?(?P<dmy_s>[/.-])\d{1,2}(?P=dmy_s)(?:\d{4}|\d{2}))(?![\w/-]|:\d|\.\d)"
    # SSN 3-2-4
    r"|(?<=\d)(?P<ssn>\d\d(?P<ssn_s>[- ])\d{2}(?P=ssn_s)\d{4})(?![\w-]|\.\d)"
    # NANP phone, formatted
    r"|(?P<phone>(?:(?<=\+)1[-.\s]?|(?<=0)01[-.\s]?|(?<=1)[-.\s]?)?(?:(?<=\()\d{3}\)[ ]?|(?<=\d)\d\d[-.\s]|(?<=[-.\s(])\d{3}[-.\s]|(?<=\))[ ]?)"
    r"\d{3}[-.\s]\d{4}(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,6})?)(?![\w/-]|\.\d)"
    # payment card (12-19 digits with optional single separators)
    r"|(?<=\d)(?P<card>(?:[ -]?\d){11,18})(?![\w-]|\.\d)"
    # ZIP+4
    r"|(?<=\d)(?P<zip4>\d{4}-\d{4})(?![\w-])"
    # bare 10/11-digit phone
    r"|(?P<bare>(?:(?<=\+)1[-. ]?\d{10}|(?<=\d)\d{9,10})(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?)(?![\w/-]|\.\d)"
    # a street whose house number holds a slash ("22/70 Colombo Street"), before mm/yyyy and month/day claim it
    r"|(?<=\d)(?P<slash_addr>\d{0,4}[A-Za-z]?/\d{1,4}[A-Za-z]?" + _ADDR_TAIL + r")"
    # mm/yyyy
    r"|(?<=\d)(?P<my>\d?/(?:1[89]|20)\d{2})(?![\w/:-]|\.\d)"
    # month/day without a year ("seen 7/25"): a date only next to a date cue (see ``detector._h_md``)
    r"|(?<=\d)(?P<md>\d?/\d{1,2})(?![\w/]|\.\d|:\d)"
    # street address
    r"|(?<=\d)(?P<addr>\d{0,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?" + _ADDR_TAIL + r")"
    # MBI (digit-initial Medicare id)
    r"|(?<=[1-9])(?P<mbi>" + _MBI_A + r"[0-9AC-HJKMNP-RT-Y]\d-?" + _MBI_A + r"[0-9AC-HJKMNP-RT-Y]\d-?" + _MBI_A + _MBI_A + r"\d\d)(?![\w-])"
    # digit-initial VIN
    r"|(?<=\d)(?P<vin>(?=[A-HJ-NPR-Z0-9]*[A-HJ-NPR-Z])[A-HJ-NPR-Z0-9]{16})(?![\w])"
    # 5-digit number (ZIP when a state precedes), ages 90-129, 8-digit compact date, "3rd of March"
    r"|(?<=\d)(?P<zip5>\d{4})(?![\w-])"
    r"|(?<=[19])(?P<age>(?<=9)\d|(?<=1)[0-2]\d)(?:(?![\w]|\.\d)|(?=[yY]))"
    r"|(?<=[12])(?P<compact>\d{7})(?![\w])"
    r"|(?<=\d)(?P<dayof>\d?(?:(?:st|nd|rd|th)?(?:\s+of)?\s+|-)" + _MONC + r"\.?(?:,?\s+\d{4}|-\d{2}(?:\d{2})?)?)(?![\w])"
    # any other number after a word that may make it a date or an address ("march 9", "Flat 24,", "Hauptstraße 5")
    r"|(?<=" + _TAIL_ALT + r"\d)(?P<wt>[\d,.]*)"
    r"|(?<=\d)(?P<other>[\d,.]*)"
    r")"
    # digits glued to a letter, or to a separator after one ("PV52930307", "ph6175203344", "SUBJ-EC-6378"): no rule
    # here, but the catch-all codes start from them
    r"|(?:(?<=[A-Za-z_:][0-9])|(?<=[A-Za-z][-/.+][0-9]))(?P<glued>\d*))"
)
# Upper-case initial identifiers with digits: IBAN, DEA, VIN.
ALNUM_ID = re.compile(
    r"[A-Z](?<![\w-][A-Z])(?:"
    r"(?P<iban>[A-Z]\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?)(?![\w])"
    r"|(?P<dea>[A-Z9]\d{7})(?![\w])"
    r"|(?<=[A-HJ-NPR-Z])(?P<vin>(?=[A-HJ-NPR-Z0-9]*\d)[A-HJ-NPR-Z0-9]{16})(?![\w])"
    r"|(?P<mbi>[A-Z0-9]{1,2}\d[A-Z0-9-]*)(?![\w-])"
    r")"
)
STATE_BEFORE = re.compile(kw_first(STATE_ABBR + STATE_NAMES.split("|"), ci=False) + r"\.?,?\s+$")
AGE_AFTER = re.compile(r"(?i)[\s-]*(?:years?|yrs?|y)[\s-]*(?:old|o\b|/o)|\s*(?:yo|y\.o\.?|y/o|yof|yom)(?![a-z])"
                       r"|[\s-]*(?:years?|yrs?)\s+of\s+age\b|[\s-]*(?:year|yr)-old"
                       # "93 Jahre", "90 ans", "92 años", "94 anni", "90 anos", "96-jarige", "94 års", "91 lat",
                       # "95 let", "92 yaşında", "93 metų", "94 gadi", "90 aastat", "91-vuotias", "93 ára", "95 tuổi"
                       r"|[\s-]*(?:jahre?n?|jährige?[rnms]?|ans|años|anni|anos|jaar|jarige|år|års|åring|årig|lat|let"
                       r"|roků|roku|letý|letá|yaşında|yaş|metų|metai|gadi|gadu|gadus|gadiem|aastat|aastane|vuotias"
                       r"|vuotiaana|vuotiaalla|ára|tuổi)(?![^\W\d_])")
AGE_BEFORE = re.compile(kw_first(("age", "aged", "ages", r"age\s+of", r"age\s+is", "turned", "turns", "turning",
                                   r"will\s+be", r"is\s+now", r"age\s+at\s+\w+", "lat", "alder", "alter",
                                   "edad", "età", "eta", "idade", "leeftijd", "wiek", "věk", "vek", "yaş", "yas",
                                   "amžius", "vecums", "vanus", "aldur", "tuổi", "at"))
                        + r"(?i:\s*[:=]?\s*)$")
# "mom is 94", "she's 91", "grandfather was 96": a person word, then is/was/turned right before the number
AGE_PERSON_IS = re.compile(
    kw_first(("mom", "mother", "dad", "father", "grandma", "grandpa", "grandmother", "grandfather", "she", "he",
              "patient", "pt", "husband", "wife", "spouse", "aunt", "uncle", "sister", "brother", "who", "resident"))
    + r"(?i:(?:\s+(?:is|was|turned|turns)|'s|’s)(?:\s+now)?\s+)$")
COMMA_STATE = re.compile(r",\s*(?P<st>" + "|".join(STATE_ABBR) + r"|" + STATE_NAMES
                         + r")(?:\.?,?\s+(?P<zip>\d{5}(?:-\d{4})?))?(?![\w])")
CITY_BEFORE = re.compile(r"(?<![\w])" + _CITY + r"$")
TLD_HINT = re.compile(r"\.(?:" + _TLDS + r")(?![a-z0-9-])")
URL_SCHEME = re.compile(r"(?i)(?:https?|ftp|sftp|wss?)://[^\s<>\"'`{}|\\^]+")
URL_WWW = re.compile(r"[wW](?i:ww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][^\s<>\"'`{}|\\^]*)?)")
URL_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
URL_BARE = re.compile(
    r"[a-zA-Z0-9](?<![@\w.-].)(?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
    r"\.(?:" + _TLDS + r")(?![\w@-]|\.\w)(?:/[^\s<>\"'`{}|\\^]*)?"
)
