"""Person-name finder: name lexicon + capitalisation + sequence + titles and cue words.

A capitalised token is classified by lookups in the shipped lexicons (see ``lexicon.py``):

* *first*: a given name (US Census first names + supplement), *last*: a surname (US Census surnames),
* *common*: its lower-case form is an ordinary English word ("Will", "Grace", "Brown" are names *and* words),
* *stop*: never part of a name in running text without a title (months, weekdays, institutions, clinical words).

Rules (first that applies wins, scanning each run of capitalised tokens left to right):

1. a title ("Dr.", "Mrs") or a strong cue word before the run ("patient", "wife,", "seen by", "Dear") makes the
   following capitalised tokens a name unless they are plainly ordinary words;
2. a given name followed by surname-like tokens (surname, unknown capitalised word, initial, particle) is a name;
   if the given name is also an ordinary word the last token must be an unambiguous surname (or both frequent);
3. an unknown capitalised word followed by an unambiguous surname is a name;
4. a given name standing alone that is not an ordinary word is a name (lower confidence);
5. "Last, First" where both are in the lexicon, or after a strong cue.
"""

from __future__ import annotations

import re

from . import context
from .lexicon import Lexicon, get_lexicon

_U = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
# The word body is (?:[^\W\d_]|['’](?=[^\W\d_])|-(?=[U]))* written as runs of letters, which ``re`` matches in one
# fast loop (same matches: same strings in the same greedy order).
_BODY = r"[^\W\d_]*(?:(?:['’](?=[^\W\d_])|-(?=[" + _U + r"]))[^\W\d_]*)*"
_WORD = r"[" + _U + r"]" + _BODY
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|DR|MR|MRS|MS)\.?(?=\s)"
_INITIAL = r"[" + _U + r"]\.(?=\s)"
_PARTICLE = r"(?:de|del|della|de\s+la|da|di|do|dos|das|du|van|von|der|den|le|la|bin|ibn|al|el|ter|ten|y|st\.)"
_TOKEN = r"(?:" + _TITLE + r"|" + _INITIAL + r"|" + _WORD + r")"
# Starts with the upper-case class (so ``re`` can skip ahead quickly); the look-behind follows the first char.
RUN = re.compile(
    r"[" + _U + r"](?<![\w'’@./#-].)(?:(?<=[DMPR])(?:r|rs|s|x|rof|ev|R|RS|S)\.?(?=\s)|\.(?=\s)"
    r"|" + _BODY + r")"
    r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+)?" + _TOKEN + r")*(?![@\w])"
)
TOKEN = re.compile(_TOKEN)
# "Last, First [M.]": found from each comma (literal first char = fast scan), the surname is matched backwards.
COMMA_FIRST = re.compile(
    r",[ \t]+(?P<first>" + _WORD + r")(?:[ \t]+(?P<mi>[" + _U + r"]\.|[" + _U + r"](?![\w])))?(?![\w'’@-])"
)
LAST_BEFORE = re.compile(r"(?<![\w'’@./-])" + _WORD + r"$")

TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "rev"})
PARTICLES = frozenset({"de", "del", "della", "da", "di", "do", "dos", "das", "du", "van", "von", "der", "den",
                       "le", "la", "bin", "ibn", "al", "el", "ter", "ten", "y", "st."})
# Capitalised words that introduce a name in the same run ("Patient John Smith", "Son Michael").
CUE_TOKENS = frozenset({"patient", "pt", "client", "name", "son", "daughter", "wife", "husband", "mother",
                        "father", "brother", "sister", "spouse", "partner", "dear", "attn", "signed", "nurse",
                        "doctor", "professor", "resident", "physician", "surgeon", "attending", "guardian",
                        "caregiver", "grandmother", "grandfather", "aunt", "uncle", "cousin", "niece", "nephew",
                        "grandson", "granddaughter", "mom", "dad", "friend", "neighbor", "provider",
                        "subscriber", "guarantor", "insured", "contact", "hi", "hello", "sincerely", "regards",
                        "thanks", "cc", "from", "to", "grandma", "grandpa", "member"})

_MONTHS_DAYS = ("january february march april may june july august september october november december jan feb "
                "mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday "
                "mon tue tues wed thu thur thurs fri sat sun")
# Never a name, even after a title/cue.
HARD_STOP = frozenset((_MONTHS_DAYS + " patient patients hospital clinic center centre medical health department "
                       "unit floor room street avenue road the a an and or of in on at for with from to by this "
                       "that these those he she they it we you i his her their our my your its no not yes "
                       "none unknown n/a na tbd").split())
# Not a name without a title or cue (in addition to HARD_STOP).
STOP = HARD_STOP | frozenset("""
md do rn np pa phd dds dmd pharmd lpn cna crna dnp mph msn bsn facp facs mba jd esq cpa ii iii iv jr sr
hospital clinic clinics center centers medical medicine health healthcare care services service department dept
unit ward icu er ed or pacu nicu picu ccu emergency urgent surgery surgical radiology cardiology oncology
neurology pediatrics pediatric psychiatry psychiatric pharmacy laboratory lab labs imaging rehab rehabilitation
therapy physical occupational speech primary family internal general memorial regional community county
university college school institute foundation association society group partners associates practice
network system systems plan plans insurance medicare medicaid tricare aetna cigna humana anthem kaiser
permanente unitedhealthcare united blue cross shield bcbs optum molina centene wellcare ambetter oscar
saint st mount mt sacred heart mercy providence presbyterian baptist methodist lutheran adventist catholic
jewish children's childrens women's womens veterans va god lord christ allah bible church
alzheimer alzheimer's parkinson parkinson's crohn crohn's hodgkin hodgkin's graves graves' addison addison's
cushing cushing's hashimoto hashimoto's huntington huntington's tourette tourette's asperger asperger's lyme
bell bell's down down's raynaud raynaud's kawasaki guillain barre barré sjogren sjögren's wilson wilson's
apgar glasgow gleason braden morse tanner whipple heimlich foley swan ganz hickman port-a-cath epley babinski
covid covid-19 sars hiv aids copd chf cad ckd dm htn gerd mri ct cta ekg ecg eeg emg cbc bmp cmp pt inr ptt
tylenol advil motrin aleve aspirin lipitor zocor crestor norvasc lasix coumadin eliquis xarelto plavix
synthroid glucophage metformin lisinopril atorvastatin amlodipine metoprolol losartan gabapentin omeprazole
prednisone insulin lantus humalog novolog ozempic wegovy jardiance farxiga trulicity zoloft prozac lexapro
xanax ativan ambien seroquel abilify adderall ritalin vicodin percocet oxycontin dilaudid narcan keytruda
humira enbrel remicade zyrtec claritin benadryl flonase albuterol ventolin advair symbicort spiriva
america american americans english spanish french german chinese hispanic latino latina asian african
caucasian white black christmas thanksgiving easter halloween new year years day today tomorrow yesterday
north south east west northeast northwest southeast southwest central upper lower
alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho
illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia
washington wisconsin wyoming carolina dakota jersey york hampshire mexico rhode island puerto rico
boston chicago houston phoenix philadelphia dallas jacksonville denver seattle nashville detroit
portland memphis louisville baltimore milwaukee albuquerque tucson fresno sacramento atlanta omaha miami
oakland minneapolis tulsa cleveland wichita arlington tampa orlando pittsburgh cincinnati st. louis
raleigh durham columbus indianapolis anaheim honolulu angeles vegas orleans worth paso beach springs city
mrn ssn dob npi dea id dx rx hx fx sx tx px cc hpi ros pmh psh fh sh meds allergies vitals assessment
summary discharge admission history physical exam impression diagnosis diagnoses procedure procedures
medications medication instructions follow followup follow-up note notes report results result review
chief complaint present illness plan signature signed dictated attending resident consult consultation
progress nursing social work case management billing statement invoice account balance payment due
subject re fw fwd dear hi hello thanks thank regards sincerely best cheers
monday tuesday wednesday thursday friday saturday sunday
""".split())


# Lexicon names whose lower-case form is in the word list only through a rare sense ("john", "smith"): when
# capitalised they are names, so they do not count as ordinary words.
NOT_COMMON = frozenset("""
john maria peter roger victor bobby jimmy tony mike troy tom warren derrick hector randy bonnie harry carol
terry martin lee sherry jay billy rick earl chad sally gene dean frank mark
smith miller walker hall rogers cox sanders griffin hicks lynch wade bates hale beck hardy curry barker
chandler reeves garner manning newton moody stokes parsons huff bowers singleton hogan collier davenport
sawyer morrow combs dyer grimes garrison shields fuller bowman welch sims peters wheeler foster tucker turner
cooper butler porter fisher freeman mason carpenter weaver knight wright baker ward reed cook bell
""".split())
# A capitalised word after a name-like token that makes the whole run an institution or place, not a person.
INSTITUTION = frozenset("""
hospital hospitals clinic clinics center centre medical health healthcare university college school institute
foundation street st avenue ave road rd boulevard blvd lane ln drive dr court ct way place pl county park
memorial pharmacy laboratories labs group associates partners church library building hall tower plaza
corporation corp inc llc company co insurance bank airport station
""".split())


# Given names that are also common place names: not a name when standing alone.
PLACES = frozenset("austin charlotte madison lincoln aurora jackson florence georgia virginia carolina dakota "
                   "savannah phoenix paris london sydney houston dallas denver orlando tyler chelsea victoria "
                   "jordan israel china india asia africa kenya". split())


class TokenInfo:
    __slots__ = ("first", "last", "common", "stop", "hard_stop", "caps", "initial", "title", "particle", "cue")

    def __init__(self, first: int, last: int, common: bool, stop: bool, hard_stop: bool, caps: bool,
                 initial: bool, title: bool, particle: bool, cue: bool) -> None:
        self.first = first          # rank, or -1
        self.last = last            # rank, or -1
        self.common = common
        self.stop = stop
        self.hard_stop = hard_stop
        self.caps = caps
        self.initial = initial
        self.title = title
        self.particle = particle
        self.cue = cue

    @property
    def is_name(self) -> bool:
        return self.first >= 0 or self.last >= 0

    @property
    def unknown(self) -> bool:
        """Capitalised, in no lexicon and not an ordinary word: e.g. a rare surname."""
        return self.first < 0 and self.last < 0 and not self.common and not self.stop


def _strip_possessive(tok: str) -> str:
    if len(tok) > 2 and tok[-2] in "'’" and tok[-1] in "sS":
        return tok[:-2]
    return tok


class NameFinder:
    """Finds person names; immutable after construction."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lex = lexicon or get_lexicon()
        self._cache: dict[str, TokenInfo] = {}  # token -> TokenInfo (pure function of the token)

    def _info(self, tok: str) -> TokenInfo:
        ti = self._cache.get(tok)
        if ti is None:
            if len(self._cache) >= 65536:
                self._cache.clear()
            ti = self._cache[tok] = self._classify(tok)
        return ti

    def _classify(self, tok: str) -> TokenInfo:
        lex = self._lex
        raw = tok
        if tok.endswith("."):
            core = tok[:-1]
            low = core.lower()
            if len(core) == 1:
                return TokenInfo(-1, -1, False, False, False, core.isupper(), True, False, False, False)
            if low in TITLES:
                return TokenInfo(-1, -1, False, False, False, False, False, True, False, False)
            tok = core
        low = _strip_possessive(tok).lower()
        if low in TITLES:
            return TokenInfo(-1, -1, False, False, False, False, False, True, False, False)
        first = lex.first_rank.get(low, -1)
        last = lex.last_rank.get(low, -1)
        common = low in lex.english and low not in NOT_COMMON
        if "-" in low and first < 0 and last < 0:
            parts = [p for p in low.split("-") if p]
            if parts and parts[0] in lex.first_rank and all(p in lex.first_rank for p in parts):
                first = max(lex.first_rank[p] for p in parts)
            elif parts and any(p in lex.first_rank or p in lex.last_rank for p in parts):
                last = min((lex.last_rank.get(p, 10**6) for p in parts), default=10**6)
                last = last if last < 10**6 else 50000
                common = all(p in lex.english for p in parts)
        stop = low in STOP
        hard = low in HARD_STOP
        caps = len(tok) > 1 and tok.isupper()
        particle = low in PARTICLES and tok.islower()
        cue = low in CUE_TOKENS
        del raw
        return TokenInfo(first, last, common, stop, hard, caps, False, False, particle, cue)

    # ------------------------------------------------------------------------------------------------------------
    def find(self, text: str, out: list[tuple[int, int, float]]) -> None:
        """Append (start, end, confidence) name spans found in ``text`` to ``out``."""
        cached = self._cache.get
        miss = self._info
        for run in RUN.finditer(text):
            rs = run.start()
            rtxt = run.group()
            if " " not in rtxt and "\t" not in rtxt:
                ti = cached(rtxt) or miss(rtxt)
                if ti.hard_stop or not (ti.is_name or ti.unknown):
                    continue  # a lone ordinary/stop word: cannot be a name whatever precedes it
                toks = [(rs, run.end(), rtxt)]
                infos = [ti]
            else:
                toks = [(m.start() + rs, m.end() + rs, m.group()) for m in TOKEN.finditer(rtxt)]
                if not toks:
                    continue
                infos = [cached(t[2]) or miss(t[2]) for t in toks]
                if not any(t.is_name or t.unknown or t.title or t.cue for t in infos):
                    continue
            cue = context.name_cue_before(text, rs)
            found: list[tuple[int, int, float]] = []
            self._scan(toks, infos, cue, found)
            if found:
                self._drop_institutions(toks, found, out)
        if "," in text:
            for m in COMMA_FIRST.finditer(text):
                lm = LAST_BEFORE.search(text, max(0, m.start() - 40), m.start())
                if lm is not None:
                    self._last_first(text, lm, m, out)

    def _scan(self, toks: list[tuple[int, int, str]], infos: list[TokenInfo], cue: str | None,
              out: list[tuple[int, int, float]]) -> None:
        n = len(toks)
        strong = cue is not None and cue not in context.WEAK_NAME_CUES
        weak = cue is not None and not strong
        i = 0
        while i < n:
            ti = infos[i]
            if ti.title or (ti.cue and i + 1 < n and (not ti.is_name or ti.common or ti.stop
                                                        or not self._looks_like_surname(infos[i + 1]))):
                # "Dr. Smith", "Mrs Garcia", "Patient John Smith"
                j = i + 1
                while j < n and j - i <= 4 and self._after_cue_ok(infos[j], toks[j][2]):
                    j += 1
                if j > i + 1:
                    conf = 0.92 if ti.title else 0.85
                    self._emit(toks, i + 1, j, conf, out)
                    i = j
                    strong = weak = False
                    continue
                i += 1
                strong = ti.cue
                continue
            if strong:
                j = i
                while j < n and j - i < 4 and self._after_cue_ok(infos[j], toks[j][2]):
                    j += 1
                if j > i and not (j == i + 1 and infos[i].particle):
                    self._emit(toks, i, j, 0.85, out)
                    i = j
                    strong = weak = False
                    continue
            strong = False
            if ti.first >= 0 and not ti.stop and not ti.initial and (not ti.caps or weak):
                j = i + 1
                while j < n and j - i <= 3 and self._tail_ok(infos[j], ti.caps):
                    j += 1
                # drop trailing particles / middle initials without a surname after them is fine ("John M.")
                while j > i + 1 and infos[j - 1].particle:
                    j -= 1
                if j > i + 1:
                    lastinfo = infos[j - 1]
                    ok = True
                    if ti.common:
                        ok = (weak or (lastinfo.last >= 0 and not lastinfo.common)
                              or lastinfo.unknown or lastinfo.initial
                              or (ti.first < 1000 and 0 <= lastinfo.last < 5000))
                    if ti.caps:
                        ok = ok and lastinfo.last >= 0
                    if ok:
                        conf = 0.85 if lastinfo.last >= 0 else 0.75
                        b = i
                        while b > 0 and infos[b - 1].unknown and not infos[b - 1].caps \
                                and self._namelike(toks[b - 1][2]) and i - b < 2:
                            b -= 1
                        self._emit(toks, b, j, conf, out)
                        i = j
                        weak = False
                        continue
                elif not ti.common and not ti.caps and toks[i][2].rstrip(".").lower() not in PLACES:
                    self._emit(toks, i, i + 1, 0.7 if weak else 0.6, out)
                    i += 1
                    weak = False
                    continue
                elif weak and not ti.caps:
                    self._emit(toks, i, i + 1, 0.6, out)
                    i += 1
                    weak = False
                    continue
            elif (ti.unknown or (weak and ti.is_name and not ti.stop)) and not ti.caps and not ti.initial \
                    and i + 1 < n:
                nx = infos[i + 1]
                if nx.last >= 0 and not nx.stop and not nx.caps and (not nx.common or weak):
                    j = i + 2
                    self._emit(toks, i, j, 0.7, out)
                    i = j
                    weak = False
                    continue
                if nx.initial and i + 2 < n and self._tail_ok(infos[i + 2], False) and self._namelike(toks[i][2]):
                    self._emit(toks, i, i + 3, 0.75, out)
                    i += 3
                    weak = False
                    continue
                if ti.unknown and nx.unknown and not nx.caps and not nx.initial and not nx.particle \
                        and self._namelike(toks[i][2]) and self._namelike(toks[i + 1][2]):
                    self._emit(toks, i, i + 2, 0.6, out)
                    i += 2
                    weak = False
                    continue
            weak = False
            i += 1

    @staticmethod
    def _drop_institutions(toks: list[tuple[int, int, str]], found: list[tuple[int, int, float]],
                           out: list[tuple[int, int, float]]) -> None:
        for span in found:
            if span[2] >= 0.9:
                out.append(span)
                continue
            nxt = next((t for t in toks if t[0] > span[1]), None)
            if nxt is not None and _strip_possessive(nxt[2]).rstrip(".").lower() in INSTITUTION:
                continue
            out.append(span)

    @staticmethod
    def _after_cue_ok(ti: TokenInfo, tok: str) -> bool:
        if ti.title or ti.hard_stop:
            return False
        if ti.initial or ti.particle:
            return True
        if ti.is_name:
            return not ti.stop or ti.first >= 0 or ti.last >= 0 and ti.last < 20000
        if ti.stop:
            return False
        return not ti.common

    @staticmethod
    def _looks_like_surname(ti: TokenInfo) -> bool:
        return ti.last >= 0 and not ti.common

    @staticmethod
    def _namelike(tok: str) -> bool:
        core = _strip_possessive(tok)
        return len(core) >= 3 and core[1:].islower() and core.replace("-", "").isalpha()

    @staticmethod
    def _tail_ok(ti: TokenInfo, caps_mode: bool) -> bool:
        if ti.title or ti.hard_stop or (ti.stop and ti.last < 0):
            return False
        if ti.initial or ti.particle:
            return True
        if caps_mode != ti.caps:
            return False
        if ti.last >= 0 or ti.first >= 0:
            return True
        return not ti.common

    @staticmethod
    def _emit(toks: list[tuple[int, int, str]], i: int, j: int, conf: float,
              out: list[tuple[int, int, float]]) -> None:
        start = toks[i][0]
        end = toks[j - 1][1]
        last = toks[j - 1][2]
        core = _strip_possessive(last)
        end -= len(last) - len(core)
        if last.endswith(".") and len(last) > 2:
            end -= 1
        out.append((start, end, conf))

    def _last_first(self, text: str, lm: re.Match[str], m: re.Match[str],
                    out: list[tuple[int, int, float]]) -> None:
        li = self._info(lm.group())
        fi = self._info(m.group("first"))
        if li.stop or fi.stop or li.title or fi.title:
            return
        cue = context.name_cue_before(text, lm.start())
        strong = cue is not None and cue not in context.WEAK_NAME_CUES
        lex_ok = (li.last >= 0 and fi.first >= 0 and li.caps == fi.caps
                  and (not (li.common and fi.common) or (li.last < 5000 and fi.first < 1000)))
        if not (lex_ok or (strong and not (li.common and fi.common))):
            return
        end = m.end("mi") if m.group("mi") else m.end("first")
        out.append((lm.start(), end, 0.8 if lex_ok else 0.75))
