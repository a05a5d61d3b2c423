"""Names that the dictionary cannot vouch for but their place in the text can, found after overlap resolution:

* the value of a name field ("Name: Payer", "given names: Holly", "Achternaam: die Witte"): any capitalised words;
* a capitalised word after a title or form of address in the patients' languages ("læge Mikkelsen", "Dott. Tron",
  "dr. Cis", "Bà Chi"), common nouns included ("Dr Baker");
* initials with a surname ("Humphries, J.", "K. Short");
* a surname next to a name already found: written in capitals before it ("GASKIN William"), or a known given name or
  surname right before or after it ("Đặng Thanh Dũng", "R. Monteiro Campos");
* a name after a greeting or an introduction ("Hej Ib.", "this is Summer Price") when the lexicon knows it or it is
  no ordinary word;
* an age over 89 right after a name ("Mr Lind, 102, hypertension").
"""
from __future__ import annotations

import re
from typing import Callable

import ahocorasick

from . import categories as C
from .lexicon import Lexicon
from .resolve import Candidate

_U = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽÆ"
_WORD = r"[" + _U + r"][^\W\d_]*(?:['’-][" + _U + r"]?[^\W\d_]+)*"
_PARTICLE = r"(?:van|von|de|der|den|die|da|das|do|dos|di|del|della|le|la|du|ter|ten|af|av|zu|bin|al|el|ibn)"
_NAME = r"(?:" + _PARTICLE + r"[ \t]+)?" + _WORD + r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+)*" + _WORD + r"){0,3}"

_LABELS = ("name", "full name", "patient name", "patient", "surname", "last name", "family name", "first name",
           "first names", "given name", "given names", "forename", "forenames", "middle name", "nickname", "vorname",
           "nachname", "familienname", "nom", "prénom", "prenom", "nom de famille", "achternaam", "voornaam",
           "voornamen", "roepnaam", "efternamn", "förnamn", "fornavn", "efternavn", "etternavn", "sukunimi",
           "etunimi", "etunimet", "nazwisko", "imię", "imie", "imiona", "jméno", "příjmení", "ad", "soyad", "soyadı",
           "adı", "họ tên", "họ và tên", "tên", "nome", "sobrenome", "apellido", "apellidos", "nombre", "cognome",
           "vardas", "pavardė", "vārds", "uzvārds", "eesnimi", "perekonnanimi", "nimi", "nafn", "fullt nafn")
# labels and titles are found with one Aho-Corasick pass over the lower-cased text; the value is matched after them
_LABEL_TAIL = re.compile(r"[\"']?[ \t]*[:|=][ \t]*[\"']?(?P<v>" + _NAME + r")(?=[ \t]*(?:$|[\n,;|\"']|\s{2}))")
_LABEL_OPENS = "\n\t|\"{("
_TITLES = ("dr", "dr.", "doctor", "læge", "lægen", "dott.", "dott.ssa", "dott", "dra.", "dra", "mudr.", "mudr",
           "bác sĩ", "bs.", "bà", "ông", "sayın", "herr", "frau", "fru", "hr.", "fr.", "mevr.", "dhr.", "sr.", "sra.",
           "sig.", "sig.ra", "pan", "pani", "ponas", "ponia", "kungs", "kundze", "härra", "proua", "mr", "mr.", "mrs",
           "mrs.", "ms", "ms.", "prof.", "prof")
_TITLE_WORDS = frozenset(t.rstrip(".") for t in _TITLES)
# greetings and introductions: the word after them is a name when it is one the lexicon knows or no ordinary word
_GREETINGS = ("hi", "hello", "hey", "hej", "hei", "hallo", "hola", "ciao", "olá", "ola", "bonjour", "salut", "moi",
              "sæl", "sæll", "cześć", "ahoj", "merhaba", "xin chào", "dear", "liebe", "lieber", "kære", "beste",
              "querido", "querida", "caro", "cara", "cher", "chère", "drogi", "droga", "milý", "milá", "this is",
              "it's", "it’s", "it is", "det är", "det er", "ich bin", "jeg er", "jag heter", "me llamo", "mi chiamo",
              "nazywam się", "je m'appelle")
_TITLE_TAIL = re.compile(r"[ \t]+(?P<v>" + _WORD + r"(?:[ \t]+" + _WORD + r")?)")


def cue_keys() -> dict[str, tuple[int, int, bool | None]]:
    """The strings that announce a name, as Aho-Corasick keys (lower case): key -> (key length, cue length, True
    for a label, False for a title, None for a greeting). Keys end with what must follow the cue (a label's colon or bar, a title's blank), so few places match;
    the detector adds them to the automaton it runs over the lower-cased text anyway."""
    keys: dict[str, tuple[int, int, bool | None]] = {}
    for w in _LABELS:
        for tail in (":", " :", "\":", "'':", "|", " |", "\t|", "="):
            keys[w + tail] = (len(w) + len(tail), len(w), True)
    for w in _TITLES:
        for tail in (" ", "\t"):
            keys[w + tail] = (len(w) + len(tail), len(w), False)
    for w in _GREETINGS:
        keys[w + " "] = (len(w) + 1, len(w), None)
    return keys


def _automaton() -> "ahocorasick.Automaton":
    a = ahocorasick.Automaton()
    for key, value in cue_keys().items():
        a.add_word(key, value)
    a.make_automaton()
    return a


_CUES = _automaton()
CueHits = list[tuple[int, tuple[int, int, bool | None]]]  # (end index, value) of each cue key found


_SURNAME_INITIAL = re.compile(r",[ \t]+[" + _U + r"]\.(?=[ \t,\"']|$)")
_INITIAL_SURNAME = re.compile(r"\.[ \t]+(?P<v>" + _WORD + r")")  # from the dot; the initial is checked before it
_WORD_BEFORE = re.compile(r"(?<![\w'’-])(?P<w>" + _WORD + r")[ \t]+$")
_WORD_AFTER = re.compile(r"[ \t]+(?P<w>" + _WORD + r")(?![\w'’-])")
_AGE_AFTER = re.compile(r",[ \t]+(?P<a>\d{2,3})(?=,|[ \t]+(?:y|yo|yrs|years?)\b)")
_NOT_AFTER_TITLE = frozenset("and or the of to in on at for with".split())

Ordinary = Callable[[str], bool]


def _known(lex: Lexicon, word: str) -> bool:
    low = word.lower()
    return low in lex.last_rank or low in lex.first_rank


def find(text: str, low: str, spans: list[Candidate], lex: Lexicon, ordinary: Ordinary,
         hits: CueHits | None = None) -> list[Candidate]:
    """``low``: ``text`` lower-cased with the same offsets; ``hits``: the cue keys found in it (None: look here)."""
    out: list[Candidate] = []
    for end, (key, size, label) in (_CUES.iter(low) if hits is None else hits):
        s = end + 1 - key
        e = s + size
        if s and (low[s - 1].isalnum() or low[s - 1] in "'’-"):
            continue
        if label:
            m = _LABEL_TAIL.match(text, e)
            if m is None or s and text[s - 1] not in _LABEL_OPENS and text[max(0, s - 2):s] != "  ":
                continue  # a label opens a line or a field
            if low.startswith("patient", s) and all(ordinary(w) for w in m.group("v").split()):
                continue  # "Patient: Stable"
            out.append((m.start("v"), m.end("v"), C.NAME, 0.8))
            continue
        m = _TITLE_TAIL.match(text, e)
        if m is None:
            continue
        words = m.group("v").split()
        if words[0].lower() in _NOT_AFTER_TITLE:
            continue
        if label is None:
            if words[0].lower() in _TITLE_WORDS or not (words[0].lower() in lex.first_rank or not ordinary(words[0])):
                continue  # "Hi Team", "Dear Dr Smith" (the title's)
            keep_second = words[-1].lower() in lex.last_rank  # "this is Summer Price"
        else:
            keep_second = False
        ve = m.end("v")
        if len(words) == 2 and ordinary(words[1]) and not keep_second:
            ve = m.start("v") + len(words[0])  # "Dr. Garcia Her daughter ...": the next sentence
        out.append((m.start("v"), ve, C.NAME, 0.75))
    if ", " in text:
        for m in _SURNAME_INITIAL.finditer(text):
            w = re.search(r"(" + _WORD + r"(?:[ \t]+" + _WORD + r")?)$", text[max(0, m.start() - 40):m.start()])
            if w is None:
                continue
            words = w.group(1).split()
            if all(ordinary(x) for x in words) and not all(_known(lex, x) for x in words):
                continue
            out.append((m.start() - len(w.group(1)), m.end(), C.NAME, 0.75))
    if ". " in text:
        for m in _INITIAL_SURNAME.finditer(text):
            i = m.start() - 1  # the initial
            if i < 0 or not text[i].isupper() or i and not (text[i - 1].isspace() or text[i - 1] in "(\"'"):
                continue  # "mg/L. Last seen"
            if m.group("v").lower() in lex.last_rank:
                out.append((i, m.end(), C.NAME, 0.7))
    if not text.isascii():
        for m in _VI_NAME.finditer(text):
            words = m.group("rest").split()
            keep = 0
            for w in words:
                if ordinary(w) and w.lower() not in _VI_GIVEN or w.lower() in _VI_NOT_NAME:
                    break
                keep += 1
            if keep:
                last = list(_TOKEN.finditer(text, m.start("rest"), m.end("rest")))[keep - 1]
                out.append((m.start("sur"), last.end(), C.NAME, 0.75))
    for s, e, cat, _ in spans:
        if cat != C.NAME:
            continue
        g = _AGE_AFTER.match(text, e)
        if g is not None and 90 <= int(g.group("a")) <= 125:
            out.append((g.start("a"), g.end("a"), C.AGE, 0.8))  # "Mr Lind, 102, hypertension"
        b = _WORD_BEFORE.search(text, max(0, s - 30), s)
        if b is not None and _neighbour(b.group("w"), lex, ordinary):
            out.append((b.start("w"), e, C.NAME, 0.7))
        a = _WORD_AFTER.match(text, e)
        if a is not None and not a.group("w").isupper() and _neighbour(a.group("w"), lex, ordinary):
            out.append((s, a.end("w"), C.NAME, 0.7))
    return out


# A Vietnamese family name (the most common ones, which carry their diacritics) and the words after it: the middle and
# given names ("Đặng Thu Thành", "VŨ Nhiên"), which the lexicon may not know ("Thu"); up to an ordinary word or the
# words of an address ("Phường", "đường")
_VI_NAME = re.compile(r"(?<![\w])(?P<sur>(?i:nguyễn|trần|phạm|hoàng|huỳnh|võ|vũ|đặng|bùi|đỗ|ngô|dương|đinh|đoàn|trịnh|"
                      r"lương|lê|lý|hồ))(?P<rest>(?:[ \t]+" + _WORD + r"){1,3})")
_TOKEN = re.compile(r"\S+")
_VI_NOT_NAME = frozenset("phường quận đường phố huyện tỉnh tp".split())
# Vietnamese middle and given names that are also English words
_VI_GIVEN = frozenset("thu kim hoa mai lan long nam an hai son tam tan thi van bao chi linh hung dung thanh".split())


def _neighbour(word: str, lex: Lexicon, ordinary: Ordinary) -> bool:
    """A word next to a name that belongs to it: a surname or given name (in capitals too: "GASKIN") that is not an
    ordinary word (nor an acronym: "PCP M. Okwuosa")."""
    if len(word) < 2 or ordinary(word):
        return False
    return _known(lex, word)
