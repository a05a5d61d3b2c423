"""Check-digit arithmetic, so generated identifiers are valid the way real ones are (a detector that validates check
digits must not be penalised for it). Each function completes a payload of random digits."""
from __future__ import annotations

import string


def luhn_digit(payload: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def iban(country: str, bban: str) -> str:
    digits = "".join(str(int(c, 36)) for c in (bban + country + "00").upper())
    return f"{country}{98 - int(digits) % 97:02d}{bban}"


def npi(base9: str) -> str:
    """US National Provider Identifier: Luhn over the prefix 80840 and the nine digits."""
    return base9 + luhn_digit("80840" + base9)


def dea(letters: str, six: str) -> str:
    d = [int(c) for c in six]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{letters}{six}{check}"


_VIN_VALUES = {**{str(i): i for i in range(10)}, **dict(zip("ABCDEFGH", range(1, 9))), **dict(zip("JKLMN", range(1, 6))),
               "P": 7, "R": 9, **dict(zip("STUVWXYZ", range(2, 10)))}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin(seventeen: str) -> str:
    """Sets the North-American check digit (position 9) of a 17-character VIN."""
    total = sum(_VIN_VALUES[c] * w for c, w in zip(seventeen, _VIN_WEIGHTS))
    check = "X" if total % 11 == 10 else str(total % 11)
    return seventeen[:8] + check + seventeen[9:]


def weighted_mod11(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11


def nhs_number(nine: str) -> str | None:
    check = 11 - weighted_mod11(nine, (10, 9, 8, 7, 6, 5, 4, 3, 2))
    if check == 10:
        return None
    return nine + ("0" if check == 11 else str(check))


def au_tfn(eight: str) -> str | None:
    s = weighted_mod11(eight, (1, 4, 3, 7, 5, 8, 6, 9))
    # weight 10 on the last digit: (s + 10 d) % 11 == 0  <=>  d == s (mod 11)
    return None if s == 10 else eight + str(s)


def au_medicare(eight: str, issue: str) -> str:
    check = sum(int(d) * w for d, w in zip(eight, (1, 3, 7, 9, 1, 3, 7, 9))) % 10
    return f"{eight}{check}{issue}"


def nz_ird(eight: str) -> str | None:
    """New Zealand IRD number (8 digits: 7 + check), primary weights, secondary on a remainder of 10."""
    base = eight[:7].rjust(8, "0")
    for weights in ((3, 2, 7, 6, 5, 4, 3, 2), (7, 4, 3, 2, 5, 2, 7, 6)):
        r = weighted_mod11(base, weights)
        check = 0 if r == 0 else 11 - r
        if check != 10:
            return eight[:7] + str(check)
    return None


def de_steuer_id(ten: str) -> str:
    """German tax id (Steuerliche Identifikationsnummer): ISO 7064 MOD 11,10 check digit."""
    product = 10
    for ch in ten:
        s = (int(ch) + product) % 10 or 10
        product = (2 * s) % 11
    return ten + str((11 - product) % 10)


def kennitala(ddmmyy: str, two: str, century: str) -> str | None:
    """Icelandic kennitala: DDMMYY, two digits, a check digit, the century digit (9 = 1900s, 0 = 2000s)."""
    r = weighted_mod11(ddmmyy + two, (3, 2, 7, 6, 5, 4, 3, 2))
    check = 0 if r == 0 else 11 - r
    return None if check == 10 else f"{ddmmyy}{two}{check}{century}"


def cz_birth_number(yymmdd: str, three: str) -> str:
    """Czech / Slovak rodné číslo (10 digits, divisible by 11)."""
    check = int(yymmdd + three) % 11 % 10
    return f"{yymmdd}/{three}{check}"


def lt_personal_code(eleven_minus_one: str) -> str:
    """Lithuanian asmens kodas / Estonian isikukood: two-pass weighted mod 11."""
    for weights in ((1, 2, 3, 4, 5, 6, 7, 8, 9, 1), (3, 4, 5, 6, 7, 8, 9, 1, 2, 3)):
        r = weighted_mod11(eleven_minus_one, weights)
        if r != 10:
            return eleven_minus_one + str(r)
    return eleven_minus_one + "0"


def es_dni(eight: str) -> str:
    return eight + "TRWAGMYFPDXBNJZSQVHLCKE"[int(eight) % 23]


def de_kvnr(letter: str, eight: str) -> str:
    """German health-insurance number (Krankenversichertennummer): letter + 8 digits + check digit."""
    digits = f"{string.ascii_uppercase.index(letter) + 1:02d}" + eight
    total = 0
    for i, ch in enumerate(digits):
        p = int(ch) * (1 if i % 2 == 0 else 2)
        total += p // 10 + p % 10
    return f"{letter}{eight}{total % 10}"


def imei(fourteen: str) -> str:
    return fourteen + luhn_digit(fourteen)


def ca_sin(eight: str) -> str:
    return eight + luhn_digit(eight)


def ch_ahv(nine_after_756: str) -> str:
    body = "756" + nine_after_756
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    check = (10 - total % 10) % 10
    n = body + str(check)
    return f"{n[:3]}.{n[3:7]}.{n[7:11]}.{n[11:]}"
