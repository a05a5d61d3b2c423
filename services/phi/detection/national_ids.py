"""National identity numbers recognised by their check digits (python-stdnum), without a cue: a number of the right
shape that validates as a Swedish personnummer, Danish CPR, Icelandic kennitala, Norwegian fødselsnummer, Finnish
henkilötunnus, Estonian isikukood, Lithuanian asmens kodas, Polish PESEL, Czech rodné číslo, Brazilian CPF, Turkish
T.C. kimlik, German Steuer-ID, Dutch BSN, Canadian SIN, French NIR, Swiss AHV, Spanish DNI / NIE, Italian codice
fiscale, or a British NHS number, is an identifier; the shapes keep the validators off ordinary numbers."""
from __future__ import annotations

import re
from functools import lru_cache

from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.ch import ssn as ch_ssn
from stdnum.cz import rc
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.ee import ik
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.is_ import kennitala
from stdnum.it import codicefiscale
from stdnum.lt import asmens
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.pl import pesel
from stdnum.se import personnummer
from stdnum.tr import tckimlik

from . import categories as C

# a number written with its usual separators, read from its first digit
ID_SHAPE = re.compile(r"\d[\d]*(?:[-/.+ ][\dA-Z]{1,6}){0,6}(?:[A-Z](?![\w]))?")
_BY_DIGITS: dict[int, tuple] = {
    9: (bsn, sin, rc),
    10: (personnummer, cpr, kennitala, nhs, rc),
    11: (fodselsnummer, ik, asmens, pesel, cpf, tckimlik, idnr),
    12: (personnummer,),
    13: (ch_ssn,),
    15: (nir,),
}
_NHS = frozenset({nhs})
_US_SSN = re.compile(r"\d{3}[- ]\d{2}[- ]\d{4}")
# "12345678Z" (DNI), "131052-308T" (henkilötunnus): a letter closes them (read from their first digit)
UPPER_ID = re.compile(r"\d{8}[-\s]?[A-Z](?![\w])|\d{6}[-+A]\d{3}[0-9A-Y](?![\w])")


@lru_cache(maxsize=4096)
def category(value: str) -> str | None:
    """SSN (or MEDICAL_RECORD for an NHS number) when ``value`` validates as one of the national numbers."""
    digits = "".join(c for c in value if c.isdigit())
    for module in _BY_DIGITS.get(len(digits), ()):
        try:
            if module.is_valid(value) or module.is_valid(digits):
                return C.MEDICAL_RECORD if module in _NHS else C.SSN
        except Exception:  # noqa: BLE001 - a validator that cannot read the value has not validated it
            continue
    for module in (dni, nie, hetu, codicefiscale):
        try:
            if module.is_valid(value):
                return C.SSN
        except Exception:  # noqa: BLE001
            continue
    return None


def find(text: str, add, tokens: list[tuple[int, int]]) -> None:
    for s, e in tokens:
        m = ID_SHAPE.match(text, s)
        if m is None:
            continue
        value = m.group().rstrip(" -/.")
        if _US_SSN.fullmatch(value):
            continue  # the US rule decides on the 3-2-4 shape (it knows the invalid areas)
        n = sum(c.isdigit() for c in value)
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-/."):
            continue
        if 9 <= n <= 15 and "+" not in text[max(0, s - 6):s]:  # (after "+44 ": an international phone number)
            pass
        elif n in (6, 8):
            m = UPPER_ID.match(text, s)
            if m is not None and category(m.group()) is not None:
                add((s, m.end(), C.SSN, 0.88))
            continue
        else:
            continue
        cat = category(value)
        if cat is None and " " in value:
            value = value.split(" ", 1)[0]
            cat = category(value) if sum(c.isdigit() for c in value) >= 9 else None
        if cat is not None:
            add((s, s + len(value), cat, 0.88))

