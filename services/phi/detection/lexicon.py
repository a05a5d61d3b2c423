"""Word lists shipped in ``data/`` (loaded once, cached per process).

* ``census_first_names.txt.gz`` / ``census_surnames.txt.gz``: US Census Bureau 1990 name frequency lists (public
  domain), in frequency-rank order, as redistributed by the MIT-licensed ``names`` 0.3.0 package.
* ``extra_first_names.txt``: hand-written supplement (given names common after 1990 and in other languages).
* ``extra_surnames.txt``: hand-written supplement (frequent surnames in other languages).
* ``faker_first_names.txt.gz`` / ``faker_surnames.txt.gz``: given names and surnames of Faker's locales (Latin, Greek
  and Cyrillic scripts), extracted at build time by ``scripts/build_name_lexicons.py`` (Faker is not a runtime
  dependency); they rank after the census and the supplement (rare: ordinary words among them stay ambiguous).
* ``not_names.txt``: lower-case chat slang and clinical abbreviations that are never taken as a lower-case name.
* ``english_words.txt.gz``: the lower-case entries of SCOWL's American English word list (Debian ``wamerican``);
  a capitalised token whose lower-case form is an ordinary word is treated as ambiguous, not as a name.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from importlib import resources

_DATA = "services.phi.detection.data"


def _read(name: str) -> list[str]:
    ref = resources.files(_DATA).joinpath(name)
    raw = ref.read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    out: list[str] = []
    for line in raw.decode("utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        out.extend(w.lower() for w in line.split())
    return out


class Lexicon:
    """Immutable name and word sets; ``first_rank``/``last_rank`` map a lower-case name to its frequency rank."""

    __slots__ = ("first_rank", "last_rank", "english", "not_names")

    def __init__(self) -> None:
        first = _read("census_first_names.txt.gz")
        rank: dict[str, int] = {}
        for i, n in enumerate(first):
            rank.setdefault(n, i)
        for n in _read("extra_first_names.txt"):
            rank.setdefault(n, 1500)
        for n in _read("faker_first_names.txt.gz"):
            rank.setdefault(n, 2500)
        self.first_rank: dict[str, int] = rank
        last: dict[str, int] = {}
        for i, n in enumerate(_read("census_surnames.txt.gz")):
            last.setdefault(n, i)
        for n in _read("extra_surnames.txt"):
            last.setdefault(n, 10000)
        for n in _read("faker_surnames.txt.gz"):
            last.setdefault(n, 25000)
        self.last_rank: dict[str, int] = last
        self.english: frozenset[str] = frozenset(_read("english_words.txt.gz"))
        self.not_names: frozenset[str] = frozenset(_read("not_names.txt"))


@lru_cache(maxsize=1)
def get_lexicon() -> Lexicon:
    return Lexicon()
