"""Check-digit and plausibility validators for identifiers that have one.

All functions take the raw matched text (separators allowed) and return bool; they never raise.
"""

from __future__ import annotations

import re

_NON_DIGIT = re.compile(r"\D")
_NON_ALNUM = re.compile(r"[^0-9A-Za-z]")


def digits_of(s: str) -> str:
    return _NON_DIGIT.sub("", s)


def luhn_valid(number: str) -> bool:
    """Luhn (mod 10) check over the digits of ``number``; needs at least 2 digits."""
    ds = digits_of(number)
    if len(ds) < 2 or not ds.isascii():
        return False
    total = 0
    for i, ch in enumerate(reversed(ds)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# Issuer prefixes (IIN) of the major card networks; used when a card number appears without a cue.
_CARD_PREFIX = re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6011|64[4-9]|65|62|35|5[06-9]|6[0-9])")


def card_valid(number: str, *, require_known_prefix: bool = True) -> bool:
    """Payment card: 12-19 digits, Luhn, and (unless relaxed) a known network prefix; 12 digits need no prefix check off."""
    ds = digits_of(number)
    if not 12 <= len(ds) <= 19 or not luhn_valid(ds):
        return False
    if len(set(ds)) == 1:
        return False
    if require_known_prefix:
        return len(ds) >= 13 and bool(_CARD_PREFIX.match(ds))
    return True


def npi_valid(number: str) -> bool:
    """National Provider Identifier: 10 digits starting 1 or 2, Luhn over '80840' + first 9 digits."""
    ds = digits_of(number)
    if len(ds) != 10 or ds[0] not in "12":
        return False
    return luhn_valid("80840" + ds)


def ssn_valid(number: str) -> bool:
    """SSA rules: area not 000, 666 or 900-999; group not 00; serial not 0000."""
    ds = digits_of(number)
    if len(ds) != 9 or not ds.isascii():
        return False
    area, group, serial = ds[:3], ds[3:5], ds[5:]
    if area == "000" or area == "666" or area[0] == "9":
        return False
    if group == "00" or serial == "0000":
        return False
    # well-known invalid / advertising numbers
    if ds in {"123456789", "078051120", "219099999"}:
        return False
    return True


_VIN_TRANSLIT = {**{str(d): d for d in range(10)},
                 **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))), "P": 7, "R": 9,
                 **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_valid(vin: str) -> bool:
    """North-American VIN: 17 chars without I, O, Q; position 9 is the mod-11 check digit ('X' for 10)."""
    v = vin.upper()
    if len(v) != 17:
        return False
    total = 0
    for ch, w in zip(v, _VIN_WEIGHTS):
        val = _VIN_TRANSLIT.get(ch)
        if val is None:
            return False
        total += val * w
    check = total % 11
    return v[8] == ("X" if check == 10 else str(check))


# IBAN total length per country (ISO 13616 registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


def iban_valid(iban: str) -> bool:
    """IBAN: known country, registry length, and mod-97 == 1."""
    s = _NON_ALNUM.sub("", iban).upper()
    if len(s) < 15 or not s.isascii():
        return False
    if IBAN_LENGTHS.get(s[:2]) != len(s) or not s[2:4].isdigit():
        return False
    rearranged = s[4:] + s[:4]
    try:
        num = int("".join(str(int(ch, 36)) for ch in rearranged))
    except ValueError:
        return False
    return num % 97 == 1


def aba_valid(number: str) -> bool:
    """ABA routing number: 9 digits, weights 3-7-1, sum mod 10 == 0, first two digits a valid Fed range."""
    ds = digits_of(number)
    if len(ds) != 9:
        return False
    prefix = int(ds[:2])
    if not (prefix <= 12 or 21 <= prefix <= 32 or 61 <= prefix <= 72 or prefix == 80):
        return False
    w = (3, 7, 1) * 3
    return sum(int(d) * k for d, k in zip(ds, w)) % 10 == 0 and ds != "000000000"


def dea_valid(number: str) -> bool:
    """DEA registration: 2 letters + 7 digits; (d1+d3+d5) + 2*(d2+d4+d6) mod 10 == d7."""
    s = number.strip().upper()
    if len(s) != 9 or not s[0].isalpha() or not (s[1].isalpha() or s[1] == "9") or not s[:2].isascii():
        return False
    ds = s[2:]
    if not (ds.isdigit() and ds.isascii()):
        return False
    d = [int(c) for c in ds]
    return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def date_valid(year: int | None, month: int, day: int | None) -> bool:
    """Calendar validity: month 1-12, day within the month (Feb 29 only in leap years when the year is known)."""
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    if not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
        return False
    if month == 2 and day == 29 and year is not None:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def ipv4_valid(s: str) -> bool:
    parts = s.split(".")
    if len(parts) != 4:
        return False
    for p in parts:
        if not p.isdigit() or not p.isascii() or len(p) > 3 or int(p) > 255 or (len(p) > 1 and p[0] == "0"):
            return False
    return True


def ipv6_valid(s: str) -> bool:
    import ipaddress

    try:
        ipaddress.IPv6Address(s)
    except ValueError:
        return False
    return True
