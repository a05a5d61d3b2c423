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
5. "Last, First" where both are in the lexicon, or after a strong cue, or in a header-like position (line start,
   "RE:", "Patient:", " -- ") followed by record-like text (DOB, MRN, Sex, an age, a credential, a bracket);
6. an initial followed by a surname or an unknown capitalised word ("J. Perkins", "J. R. Tolkien");
7. a surname or unknown word next to another surname or unknown word ("Canan Sezer", "Kiaran Ó Londáin").

Separate passes (see ``find``): lower-case names typed after explicit cues ("my name is john mai", "dr freeman",
"son john nguyen") and on the line after a sign-off ("thanks\njohn"); short runs of a non-Latin script (Devanagari,
Cyrillic, Arabic, CJK, ...) after a name cue or label.
"""

from __future__ import annotations

import re
import unicodedata

from . import context
from .lexicon import Lexicon, get_lexicon

_U = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
# The word body is (?:[^\W\d_]|['’](?=[^\W\d_])|-(?=[U]))* written as runs of letters, which ``re`` matches in one
# fast loop (same matches: same strings in the same greedy order).
_BODY = r"[^\W\d_]*(?:(?:['’](?=[^\W\d_])|-(?=[" + _U + r"]))[^\W\d_]*)*"
_WORD = r"[" + _U + r"]" + _BODY
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Mx|Prof|Rev|DR|MR|MRS|MS)\.?(?=\s)"
_INITIAL = r"[" + _U + r"]\.(?=\s)"
_PARTICLE = r"(?:de|del|della|de\s+la|da|di|do|dos|das|du|van|von|der|den|het|le|la|bin|ibn|al|el|ter|ten|y|st\.)"
# Irish surnames after Ó/Ní/Uí may start with a lower-case eclipsis or h- prefix: "Ó hEarchaidh", "Ní nDonnchú".
_IRISH = r"(?:(?<=Ó )|(?<=Ní )|(?<=Uí ))[hnt][AEIOUÁÉÍÓÚ]" + _BODY
_TOKEN = r"(?:" + _TITLE + r"|" + _INITIAL + r"|" + _WORD + r"|" + _IRISH + r")"
# Starts with the upper-case class (so ``re`` can skip ahead quickly); the look-behind follows the first char.
RUN = re.compile(
    r"[" + _U + r"](?<![\w'’@./#-].)(?:(?<=[DMPR])(?:r|rs|s|x|rof|ev|R|RS|S)\.?(?=\s)|\.(?=\s)"
    r"|" + _BODY + r")"
    r"(?:[ \t]+(?:" + _PARTICLE + r"[ \t]+){0,2}" + _TOKEN + r")*(?![@\w])"
)
TOKEN = re.compile(_TOKEN)
# "Last, First [M.]": found from each comma (literal first char = fast scan), the surname is matched backwards.
COMMA_FIRST = re.compile(
    r",[ \t]+(?P<first>" + _WORD + r")(?:[ \t]+(?:(?P<mi>[" + _U + r"]\.|[" + _U + r"](?![\w]))|(?P<first2>"
    + _WORD + r")))?(?![\w'’@-])"
)
LAST_BEFORE = re.compile(r"(?<![\w'’@./-])" + _WORD + r"$")

TITLES = frozenset({"dr", "mr", "mrs", "ms", "mx", "prof", "rev"})
PARTICLES = frozenset({"de", "del", "della", "da", "di", "do", "dos", "das", "du", "van", "von", "der", "den", "het",
                       "le", "la", "bin", "ibn", "al", "el", "ter", "ten", "y", "st."})
# Irish name particles, particles whatever their case ("Kiaran Ó Londáin", "Aoife Ní Bhriain", "MAC DONNELL").
IRISH_PARTICLES = frozenset({"ó", "ní", "nic", "uí", "ui", "mac", "mc"})
# Particles that may precede a surname in any case ("VAN DE WETERINK", "DA CRUZ", "o tuathaigh").
ANY_PARTICLES = PARTICLES | IRISH_PARTICLES | frozenset({"o", "ni", "dello", "degli", "zu", "af", "av"})
# Capitalised words that introduce a name in the same run ("Patient John Smith", "Son Michael").
CUE_TOKENS = frozenset({"patient", "pt", "client", "name", "son", "daughter", "wife", "husband", "mother",
                        "father", "brother", "sister", "spouse", "partner", "dear", "attn", "signed", "nurse",
                        "doctor", "professor", "resident", "physician", "surgeon", "attending", "guardian",
                        "caregiver", "grandmother", "grandfather", "aunt", "uncle", "cousin", "niece", "nephew",
                        "grandson", "granddaughter", "mom", "dad", "friend", "neighbor", "provider",
                        "subscriber", "guarantor", "insured", "contact", "hi", "hello", "sincerely", "regards",
                        "thanks", "cc", "from", "to", "grandma", "grandpa", "member", "caller", "landlord",
                        "landlady", "officer", "pcp", "ordering", "prescriber", "referring", "roommate",
                        "boyfriend", "girlfriend", "fiance", "fiancee", "stepson", "stepdaughter", "stepmother",
                        "stepfather", "neighbour"})

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
imaging diagnostics dialysis orthopedics orthopaedics oncology cardiology radiology pediatrics dermatology
neurology urology gastroenterology pulmonology surgery surgical surgeons rehabilitation rehab therapy
therapeutics urgent care medicine wellness practice physicians specialists consultants hospice nursing
behavioral services systems network lab laboratory dental dentistry vision eye hearing home homes
pediatric heart cancer kidney spine sports family internal primary clinical pathology labcorp infusion
""".split())


# Given names that are also common place names: not a name when standing alone.
PLACES = frozenset("austin charlotte madison lincoln aurora jackson florence georgia virginia carolina dakota "
                   "savannah phoenix paris london sydney houston dallas denver orlando tyler chelsea victoria "
                   "jordan israel china india asia africa kenya". split())


# Two-letter US state / territory codes: "Springfield, IL" is a place, not "Last, First".
STATE_CODES = frozenset("""
al ak az ar ca co ct de dc fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh nj nm ny nc nd oh ok
or pa ri sc sd tn tx ut vt va wa wv wi wy pr gu vi as mp
""".split())
# Words after which a single capital letter labels a unit or a variant, not a person's initial.
_UNIT_WORDS = frozenset("""
bldg building suite ste apt unit room rm wing tower floor fl bed bay pod section sec part type grade stage class
group plan vitamin vit hepatitis hep zone level lot gate door exit option appendix figure fig table tab schedule
form lane phase track hall ward block area side team tier step item note
""".split())
# Months that are also given names or surnames ("Sarah May, MD"): allowed inside a name before a credential.
_NAME_MONTHS = frozenset({"may", "june", "april", "august"})
# Labels (before a colon) that introduce a person's name: "Caller: ...", "Ordering: ...", SBAR "S: ...".
LABEL_CUES = frozenset("""
caller ordering prescriber pcp referring landlord landlady officer s re subject attending provider physician
patient pt name contact surgeon resident nurse rn np pa md doctor client member subscriber insured guarantor
guardian caregiver requester requestor recipient sender author authored author's witness interpreter
""".split())
# Relationship words: a lower-case name may follow them ("son john nguyen", "my daughter guusje").
RELATIONS = ("son", "daughter", "wife", "husband", "mom", "dad", "mother", "father", "brother", "sister", "niece",
             "nephew", "friend", "neighbor", "neighbour", "aunt", "uncle", "cousin", "grandson", "granddaughter",
             "grandma", "grandpa", "grandmother", "grandfather", "boyfriend", "girlfriend", "fiance", "fiancee",
             "partner", "spouse", "roommate", "landlord", "landlady", "caregiver", "stepson", "stepdaughter")
# Explicit cues before a lower-case name. "A": a single unknown word is enough; "B": it must be a known given name,
# or two name-like words ("its kajetan sarota").
_LOWER_CUES = {"my name is": "A", "name is": "A", "dr": "A", "doctor": "A", "mrs": "A", "caller": "B",
               "name": "B", "patient": "B", "pt": "B", "this is": "B", "it's": "B", "it’s": "B", "its": "B",
               "i'm": "B", "i’m": "B", "im": "B", "i am": "B", "mr": "B", "ms": "B", "miss": "B"}
_LOWER_CUES.update({r: "R" for r in RELATIONS})
# Sign-off words: a short line of names right after them is a signature ("thank you so much\\njohn").
_SIGNOFFS = ("thanks", "thank you", "thank u", "thankyou", "thx", "regards", "sincerely", "cheers", "best",
             "take care", "love", "xoxo", "respectfully", "warmly", "yours", "best wishes")
_POSSESSIVES = ("my", "her", "his", "our", "their", "your")
_MED_SUFFIXES = ("itis", "osis", "emia", "oma", "pril", "olol", "statin", "sartan", "mab", "nib", "azole",
                 "cillin", "mycin", "floxacin", "ectomy", "otomy", "ostomy", "plasty", "scopy", "gram", "pine",
                 "done", "pam", "lam", "zine", "tide", "flozin", "gliptin", "parin", "xaban", "dipine", "profen",
                 "cycline", "vir", "uria", "algia", "pathy", "plegia", "ectasia", "ism")


# Lower-case cue (or sign-off line) scanner, run over " " + text.lower(): a lower-case trie after a boundary
# character is much faster in ``re`` than a case-insensitive pattern.


def _build_lower_automaton():
    """Aho-Corasick automaton over lower-cased text: cue or sign-off word + the character after it."""
    import ahocorasick

    a = ahocorasick.Automaton()
    for cue in _SIGNOFFS:
        for tail in (" ", "\t", ",", ".", "!", "\n", "\r"):
            a.add_word(cue + tail, cue)
    for cue in _LOWER_CUES:
        for tail in (" ", "\t", ":", ",", "."):
            a.add_word(cue + tail, cue)
    a.make_automaton()
    return a


LOWER_CUES = _build_lower_automaton()
_SIGNOFF_SET = frozenset(_SIGNOFFS)
_SIGNOFF_NEXT = frozenset({"so", "ve", "ag", "a ", "in", "tr", "al"})  # "so much", "very much", "again", ...
_SIGNOFF_END = re.compile(
    r"(?:[ \t]+(?:so|very)[ \t]+much|[ \t]+(?:again|a[ \t]+lot|in[ \t]+advance|truly|all))?[ \t]*[,.!]*[ \t]*\r?\n",
    re.IGNORECASE)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# One lower-case-cue name token (any case: "john", "Mai", "o", "o'brien").
_LTOK = re.compile(r"[ \t]*([^\W\d_]+(?:['’-][^\W\d_]+)*)(?![\w@])")
_LSEP = re.compile(r"[ \t]*[:,.]?[ \t]+")
_SIGNOFF_REST = re.compile(
    r"(?:[ \t]*\r?\n)?[ \t]*(?:-+[ \t]*)?"
    r"(?P<n>[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){0,2})[ \t]*(?:\r?\n|$)", re.IGNORECASE)
# A run of a non-Latin script (Devanagari and other Indic, Greek, Cyrillic, Hebrew, Arabic, Thai, kana, CJK,
# Hangul): a short run next to a name cue or label is a name ("Dr. रघु ताम्बे", "Patient Name: कदम, रश्मी").
_NL = "\u0370-\u03ff\u0400-\u04ff\u0590-\u05ff\u0600-\u06ff\u0900-\u0dff\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff" \
      "\uac00-\ud7af\u200c\u200d"
NON_LATIN = re.compile(r"[" + _NL + r"]+(?:[ \t]*,?[ \t]+[" + _NL + r"]+)*")
# Record-like text after a "Last, First": strong (DOB, MRN, Sex, an age, a credential, an id in brackets) or
# weak (a bracket, the end of the line, a gap of spaces as in a form).
_TRAILER = re.compile(
    r"[ \t]*,?[ \t]*(?:(?P<s>\(?(?:DOB|D\.O\.B|[Dd]ob\b|MRN|[Mm]rn\b|Sex\b|SSN|DL\b|DL#|[Aa]ge\b|NPI|Rm\b|[Rr]oom\b"
    r"|[Bb]ed\b)|\d|(?:MD|M\.D\.|DO|RN|NP|PA|PA-C|PhD|DDS|DNP|FNP|APRN|LCSW|LPN|CNM|MBBS)\b|\([^)\n]{0,24}\d)"
    r"|(?P<w>\(|\r?\n|$|[ \t]{2,}))")
_CREDENTIAL = re.compile(r",?[ \t]*(?:MD|M\.D\.|DO|RN|NP|PA|PA-C|PhD|DDS|DNP|FNP|APRN|LCSW|LPN|CNM|MBBS)\b")
_NAME_WORDS = frozenset({"name", "Name", "NAME"})
# Every word that can end a name cue of ``context`` (lets ``find`` skip most cue look-ups); None: always look up.
_cue_set = getattr(context, "_CUE_SET", None)
_CUE_LAST_WORDS = None if _cue_set is None else frozenset(
    w for c in _cue_set for w in (c.split()[-1].strip(".:"), c.split()[-1]))
_CUE_PUNCT = ":-—–"
_CRED_LEAD = frozenset("MDRNPLAC")
# an eponymous condition or sign right after a name: "Baker's cyst", "Bell's palsy", "Parkinson's disease"
_EPONYM = re.compile(r"['’]s\s+(?:cysts?|disease|syndrome|palsy|sign|test|phenomenon|ulcer|tumou?r|sarcoma|lymphoma|"
                     r"reflex|law|criteria|triad|operation|procedure|fracture|node|knot|score|scale|maneuver|manoeuvre|"
                     r"contracture|neuroma|nodes|membrane|diverticulum|thyroiditis|encephalopathy|anomaly|space|pouch)\b")
# verbs of a person right after a name ("Summer Price called", "Grace Baker said")
_PERSON_VERB = re.compile(r"[ \t]+(?:called|calls|said|says|was|is|has|had|arrived|came|presented|reported|reports|"
                          r"phoned|visited|asked|asks|told|wrote|writes|denies|denied|agreed|declined|refused|"
                          r"complained|returned|left|died|lives|lived|works|worked|prefers)\b")
_NICKNAME = re.compile(r"(?i:\bcalled|\bcall\s+(?:him|her|them|me)|\bknown\s+as|\bgoes\s+by|\bnicknamed"
                       r"|\bnickname(?:\s+is)?)[ \t]*[:,]?[ \t]*[\"'“‘«](?P<n>[^\"'”’»\n]{1,30}?)[\"'”’»]")


class TokenInfo:
    """What the lexicons say about one token. ``is_name``: in a name lexicon; ``unknown``: in no lexicon and not an
    ordinary word (e.g. a rare surname); ``known``: in a name lexicon and not an ordinary or stop word."""

    __slots__ = ("first", "last", "common", "stop", "hard_stop", "caps", "initial", "title", "particle", "cue",
                 "is_name", "unknown", "known")

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
        # derived flags, stored (not properties): they are read in the hot loop
        self.is_name = first >= 0 or last >= 0
        self.unknown = first < 0 and last < 0 and not common and not stop
        self.known = self.is_name and not common and not stop


def _strip_possessive(tok: str) -> str:
    if len(tok) > 2 and tok[-2] in "'’" and tok[-1] in "sS":
        return tok[:-2]
    return tok


def _fold(w: str) -> str:
    """``w`` without combining accents ("josé" -> "jose"); letters without a decomposition are kept."""
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)).replace("đ", "d")


def _has_vowel(w: str) -> bool:
    return any(c in "aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēĕėęěīįıōőœūůűų" for c in w)


class NameFinder:
    """Finds person names; immutable after construction."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self._lex = lexicon or get_lexicon()
        self._cache: dict[str, TokenInfo] = {}  # token -> TokenInfo (pure function of the token)
        self._kinds: dict[str, str | None] = {}  # token -> lower-case-name kind (see ``_lower_kind``)

    def _info(self, tok: str) -> TokenInfo:
        ti = self._cache.get(tok)
        if ti is None:
            if len(self._cache) >= 65536:
                self._cache.clear()
            ti = self._cache[tok] = self._classify(tok)
        return ti

    def _classify(self, tok: str) -> TokenInfo:
        lex = self._lex
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
        if first < 0 and last < 0 and not low.isascii():
            folded = _fold(low)  # "José" -> "jose", "Nguyễn" -> "nguyen"
            if folded != low:
                first = lex.first_rank.get(folded, -1)
                last = lex.last_rank.get(folded, -1)
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
        particle = (low in PARTICLES and tok.islower()) or (low in IRISH_PARTICLES and not caps)
        cue = low in CUE_TOKENS
        return TokenInfo(first, last, common, stop, hard, caps, False, False, particle, cue)

    # ------------------------------------------------------------------------------------------------------------
    def find(self, text: str, out: list[tuple[int, int, float]]) -> None:
        """Append (start, end, confidence) name spans found in ``text`` to ``out``."""
        cached = self._cache.get
        miss = self._info
        for run in RUN.finditer(text):
            rs = run.start()
            re_ = run.end()
            rtxt = run.group()
            if " " not in rtxt and "\t" not in rtxt:
                ti = cached(rtxt) or miss(rtxt)
                if ti.hard_stop or not (ti.is_name or ti.unknown):
                    continue  # a lone ordinary/stop word: cannot be a name whatever precedes it
                toks = [(rs, re_, rtxt)]
                infos = [ti]
            else:
                toks = [(m.start() + rs, m.end() + rs, m.group()) for m in TOKEN.finditer(rtxt)]
                if not toks:
                    continue
                infos = [cached(t[2]) or miss(t[2]) for t in toks]
                if not any(t.is_name or t.unknown or t.title or t.cue for t in infos):
                    continue
            all_toks = toks
            last = infos[-1]
            if last.common or last.stop or last.cue:
                nxt = text[re_:re_ + 5]
                if nxt[:1] == ":" or (nxt[1:] in _NAME_WORDS and nxt[:1] == " "):
                    # "First name:", "State: FL": a trailing form label is not part of a name
                    if len(toks) == 1:
                        continue
                    toks = toks[:-1]
                    infos = infos[:-1]
            # lower-case particles before the run belong to the surname ("da Mata", "van der Berg")
            ps = rs
            if rs > 2 and text[rs - 1] == " " and text[rs - 2].islower():
                # the word before the run: a name particle ("da Mata") or, rarely, the end of a name cue
                k = text.rfind(" ", max(0, rs - 24), rs - 1)
                w = text[k + 1:rs - 1].lower()
                if w in ANY_PARTICLES:
                    ps = self._particles_before(text, rs)
                    cue = context.name_cue_before(text, ps)
                elif k >= 0 and w.isalpha() and _CUE_LAST_WORDS is not None and w not in _CUE_LAST_WORDS:
                    cue = None  # fast path: ``context.name_cue_before`` would return None
                else:
                    cue = context.name_cue_before(text, rs)
            else:
                cue = context.name_cue_before(text, rs)
            if cue is not None and cue.rstrip(".") in TITLES and "," in text[max(0, ps - 3):ps]:
                cue = None  # "Cherry Hill Dr, Springfield": a street suffix, not a title
            if cue is None:
                if text[ps - 1:ps] in _CUE_PUNCT or text[ps - 2:ps - 1] in _CUE_PUNCT:
                    cue = self._local_cue(text, ps)
                if cue is None and text[re_:re_ + 1] == "," and text[re_ + 2:re_ + 3] in _CRED_LEAD \
                        and _CREDENTIAL.match(text, re_):
                    cue = "--"  # "Jacobo Serna, MD"
            found: list[tuple[int, int, float]] = []
            if len(toks) > 1:
                self._word_first_names(toks, infos, text, re_, found)
            self._scan(toks, infos, cue, found, text)
            if found:
                found = [f for f in found if _EPONYM.match(text, f[1]) is None]  # "Baker's cyst"
            if found:
                if ps != rs:
                    found = [(ps, e, c) if s == rs else (s, e, c) for s, e, c in found]
                self._drop_institutions(all_toks, found, out)
        if "," in text:
            for m in COMMA_FIRST.finditer(text):
                lm = LAST_BEFORE.search(text, max(0, m.start() - 40), m.start())
                if lm is not None:
                    self._last_first(text, lm, m, out)
        self._lower_case(text, out)
        if "call" in text or "known" in text or "goes by" in text or "nickname" in text or "Call" in text:
            self._nicknames(text, out)
        if not text.isascii():
            for m in NON_LATIN.finditer(text):
                self._non_latin(text, m, out)

    def _word_first_names(self, toks: list[tuple[int, int, str]], infos: list[TokenInfo], text: str, run_end: int,
                          out: list[tuple[int, int, float]]) -> None:
        """Given names that are also months or words, before a surname: "May Carter", "June Alvarez" (an unambiguous
        surname), "Summer Price called" (an ordinary-word surname, when a verb of a person follows the pair)."""
        for i in range(len(toks) - 1):
            a, b = infos[i], infos[i + 1]
            word = toks[i][2]
            if a.title or a.cue or a.caps or b.caps or b.stop or b.cue or b.title or b.last < 0 \
                    or not (a.first >= 0 or word.lower() in _NAME_MONTHS) or not word[1:].islower():
                continue
            if a.first < 0 and not b.known:
                continue
            if b.known or (i + 2 == len(toks) and _PERSON_VERB.match(text, run_end) is not None):
                out.append((toks[i][0], toks[i + 1][1], 0.7))

    # ------------------------------------------------------------------------------------------------------------
    def _nicknames(self, text: str, out: list[tuple[int, int, float]]) -> None:
        """A nickname in quotes after "called", "known as", "goes by" ("prefers to be called 'Buddy'")."""
        for m in _NICKNAME.finditer(text):
            nick = m.group("n")
            if any(c.isalpha() for c in nick) and len(nick.split()) <= 3 \
                    and nick.lower() not in self._lex.not_names:
                out.append((m.start("n"), m.end("n"), 0.85))

    @staticmethod
    def _particles_before(text: str, s: int) -> int:
        """Start of up to three name particles written right before ``s`` ("van der ", "DA ", "Ó ")."""
        for _ in range(3):
            if s < 2 or text[s - 1] not in " \t":
                break
            k = s - 2
            while k >= 0 and text[k].isalpha():
                k -= 1
            word = text[k + 1:s - 1]
            if not word or word.lower() not in ANY_PARTICLES or (k >= 0 and text[k] in "'’-"):
                break
            s = k + 1
        return s

    @staticmethod
    def _local_cue(text: str, s: int) -> str | None:
        """A cue that ``context`` does not know: " -- " before the name ("--"), or a person label before a colon
        ("Caller:", "Ordering:", SBAR "S:")."""
        k = s - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        if k < 0:
            return None
        ch = text[k]
        if ch == "—" or ch == "–" or (ch == "-" and k > 0 and text[k - 1] == "-"):
            return "--"
        if ch == ":":
            j = k - 1
            while j >= 0 and text[j].isalpha():
                j -= 1
            label = text[j + 1:k].lower()
            if label in LABEL_CUES:
                return label
        return None

    @staticmethod
    def _word_span_before(text: str, s: int) -> tuple[int, int]:
        """(start, last index) of the letters before ``s``, skipping blanks; start > last when there are none."""
        k = s - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        j = k
        while j >= 0 and text[j].isalpha():
            j -= 1
        return j + 1, k

    @classmethod
    def _word_before(cls, text: str, s: int) -> str:
        start, last = cls._word_span_before(text, s)
        return text[start:last + 1].lower()

    @staticmethod
    def _line_head(text: str, s: int) -> int:
        """2: the name opens a person field (person label, " -- ", a cue); 1: it opens a line or another field;
        0: it is inside running text."""
        k = s - 1
        while k >= 0 and text[k] in " \t":
            k -= 1
        if k < 0 or text[k] == "\n":
            return 1
        ch = text[k]
        if ch == "—" or ch == "–" or (ch == "-" and k > 0 and text[k - 1] == "-"):
            return 2
        if ch == ":":
            j = k - 1
            while j >= 0 and text[j].isalpha():
                j -= 1
            if text[j + 1:k].lower() in LABEL_CUES:
                return 2
            line_start = text.rfind("\n", 0, k) + 1
            return 1 if k - line_start <= 40 else 0
        if ch == "(":
            return 1
        return 0

    # ------------------------------------------------------------------------------------------------------------
    def _scan(self, toks: list[tuple[int, int, str]], infos: list[TokenInfo], cue: str | None,
              out: list[tuple[int, int, float]], text: str = "") -> None:
        n = len(toks)
        strong = cue is not None and cue not in context.WEAK_NAME_CUES
        weak = cue is not None and not strong
        pair_cue = cue == "--"
        i = 0
        while i < n:
            ti = infos[i]
            if ti.title or (ti.cue and i + 1 < n and (not ti.is_name or ti.common or ti.stop
                                                        or not self._looks_like_surname(infos[i + 1]))):
                # "Dr. Smith", "Mrs Garcia", "Patient John Smith"
                j = i + 1
                while j < n and j - i <= 4 and self._after_cue_ok(infos[j], toks[j][2]):
                    j += 1
                j = self._trim_tail(toks, infos, i + 1, j)
                if j > i + 1 and self._common_last(toks, infos, j, text):
                    j += 1
                if j > i + 1:
                    conf = 0.92 if ti.title else 0.85
                    self._emit(toks, i + 1, j, conf, out)
                    i = j
                    strong = weak = False
                    continue
                if ti.title and i + 2 == n:
                    nx = infos[i + 1]
                    if nx.common and not (nx.stop or nx.cue or nx.caps or nx.title or nx.initial) \
                            and self._namelike(toks[i + 1][2]):
                        self._emit(toks, i + 1, i + 2, 0.8, out)  # "Ms. Sire, whom ..."
                        i += 2
                        continue
                i += 1
                strong = ti.cue
                pair_cue = False
                continue
            if strong:
                j = i
                while j < n and j - i < 4 and ((self._after_cue_ok(infos[j], toks[j][2])
                                                and not (pair_cue and infos[j].common
                                                         and not (j > i and j == n - 1
                                                                  and self._punct_after(text, toks[j][1]))))
                                               or (pair_cue and j > i and j == n - 1 and infos[j].common
                                                   and not (infos[j].stop or infos[j].cue)
                                                   and self._namelike(toks[j][2])
                                                   and self._punct_after(text, toks[j][1]))
                                               or (pair_cue and j > i and self._month_name(toks[j][2]))):
                    j += 1
                j = self._trim_tail(toks, infos, i, j)
                if j > i and not pair_cue and self._common_last(toks, infos, j, text):
                    j += 1  # "Provider: Ikbal Amble, NP"
                if j > i and not (j == i + 1 and infos[i].particle) \
                        and not (pair_cue and ((j == i + 1 and not infos[i].known) or j < n)):
                    self._emit(toks, i, j, 0.85, out)
                    i = j
                    strong = weak = False
                    continue
                if j == i and i + 1 < n and ti.common and not (ti.stop or ti.cue or ti.caps or ti.particle) \
                        and self._namelike(toks[i][2]) and (infos[i + 1].known and infos[i + 1].last >= 0
                                                            or infos[i + 1].unknown
                                                            and self._namelike(toks[i + 1][2])):
                    self._emit(toks, i, i + 2, 0.75, out)  # "pt Mare Oosterhout"
                    i += 2
                    strong = weak = False
                    continue
            strong = False
            if ti.initial:
                # "J. Perkins", "J. R. Tolkien", "J. Ó Maolallaidh"
                j = i + 1
                while j < n and infos[j].initial and j - i < 3:
                    j += 1
                k = j
                while k < n and infos[k].particle and k - j < 2:
                    k += 1
                if k < n and self._initial_surname_ok(infos[k], toks[k][2], text, toks[i][0]) \
                        and not self._unit_before(text, toks[i][0]):
                    self._emit(toks, i, k + 1, 0.75, out)
                    i = k + 1
                    weak = False
                    continue
                weak = False
                i += 1
                continue
            first_ok = ti.first >= 0 and not ti.stop
            if not first_ok and ti.first >= 0 and not ti.hard_stop and i + 1 < n and infos[i + 1].known \
                    and infos[i + 1].last >= 0 and not (i > 0 and toks[i - 1][2].lower().rstrip(".") in ("st", "saint")) \
                    and text[max(0, toks[i][0] - 4):toks[i][0]].lower() not in ("st. ", "int ") \
                    and not text[max(0, toks[i][0] - 6):toks[i][0]].lower().endswith(("saint ", "st. ", "st ")):
                first_ok = True  # "Louis Evans" (a stop word only as "St. Louis")
            if first_ok and not ti.initial and (not ti.caps or weak):
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
                    and not ti.particle and i + 1 < n:
                nx = infos[i + 1]
                if nx.last >= 0 and not (nx.stop or nx.caps or nx.cue or nx.particle) and (not nx.common or weak) \
                        and not (ti.common and nx.common):
                    j = i + 2
                    while j < n and j - i < 4 and infos[j].known and infos[j].last >= 0 and not infos[j].caps:
                        j += 1  # "José Miguel Farias"
                    self._emit(toks, i, j, 0.7, out)
                    i = j
                    weak = False
                    continue
                if nx.initial and i + 2 < n and self._tail_ok(infos[i + 2], False) and self._namelike(toks[i][2]):
                    self._emit(toks, i, i + 3, 0.75, out)
                    i += 3
                    weak = False
                    continue
                if (ti.unknown and self._namelike(toks[i][2])) or (ti.known and not ti.cue):
                    k = self._pair_end(toks, infos, i + 1, allow_known=ti.unknown or ti.last >= 0)
                    if k:
                        self._emit(toks, i, k, 0.65, out)
                        i = k
                        weak = False
                        continue
            elif ti.known and not ti.caps and not ti.cue and i + 1 < n \
                    and toks[i][2].rstrip(".").lower() not in PLACES:
                # "Canan Sezer", "Santino Boito": a surname-lexicon word next to an unknown word or another surname
                k = self._pair_end(toks, infos, i + 1, allow_known=ti.last >= 0)
                if k:
                    self._emit(toks, i, k, 0.65, out)
                    i = k
                    weak = False
                    continue
            weak = False
            i += 1

    def _pair_end(self, toks: list[tuple[int, int, str]], infos: list[TokenInfo], k: int, allow_known: bool) -> int:
        """End of "<particles> <unknown word | surname>" starting at ``k`` (0 if there is none)."""
        n = len(toks)
        p = k
        while p < n and infos[p].particle and p - k < 2:
            p += 1
        if p >= n:
            return 0
        nx = infos[p]
        if nx.caps or nx.stop or nx.initial or nx.particle or nx.cue or nx.title:
            return 0
        if nx.unknown and self._namelike(toks[p][2]):
            return p + 1
        if allow_known and nx.known and nx.last >= 0:
            return p + 1
        return 0

    def _initial_surname_ok(self, ti: TokenInfo, tok: str, text: str, start: int) -> bool:
        if ti.caps or ti.title or ti.stop or ti.hard_stop or ti.cue or ti.initial or ti.particle:
            return False
        if ti.known or (ti.unknown and self._namelike(tok) and len(tok) >= 4):
            return True
        if ti.common and 0 <= ti.last < 3000:
            # an ordinary word that is also a frequent surname ("R. Perry" is fine, "vitamin D. Will" is not)
            k = start - 1
            while k >= 0 and text[k] in " \t":
                k -= 1
            return k < 0 or not text[k].islower()
        return False

    def _common_last(self, toks: list[tuple[int, int, str]], infos: list[TokenInfo], j: int, text: str) -> bool:
        """True when token ``j`` closes the run as an ordinary word used as a surname: capitalised, right before
        punctuation or the line end, after accepted name tokens ("Dr. Bishakha Mane, ...")."""
        if j != len(toks) - 1:
            return False
        ti = infos[j]
        return ti.common and not (ti.stop or ti.cue or ti.caps or ti.title or ti.hard_stop or ti.initial) \
            and self._namelike(toks[j][2]) and self._punct_after(text, toks[j][1])

    @classmethod
    def _unit_before(cls, text: str, s: int) -> bool:
        """True when the letter at ``s`` labels a unit or variant ("Bldg B.", "vitamin D.", "Plan A.")."""
        start, last = cls._word_span_before(text, s)
        if last >= 0 and text[last].isdigit():
            return True  # "37.2 C. Hgb 9.8": a unit
        return text[start:last + 1].lower().rstrip(".") in _UNIT_WORDS

    @staticmethod
    def _month_name(tok: str) -> bool:
        return tok.lower() in _NAME_MONTHS and tok[0].isupper() and tok[1:].islower()

    @staticmethod
    def _trim_tail(toks: list[tuple[int, int, str]], infos: list[TokenInfo], i: int, j: int) -> int:
        """Drop trailing particles and bare one-letter words ("Patient A") from a cue-accepted span."""
        while j > i and (infos[j - 1].particle or len(toks[j - 1][2]) == 1):
            j -= 1
        return j

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
        if len(tok) == 1 and tok.isupper():
            return True  # a bare initial: "Dr A Smith" (trailing ones are trimmed)
        if ti.title or ti.hard_stop:
            return False
        if ti.initial or ti.particle:
            return True
        if ti.cue and ti.common:
            return False  # "Son", "Friend", "Neighbor" before the name
        if ti.is_name:
            if ti.common and ti.first < 0 and ti.last >= 20000:
                return False  # an ordinary word that is only a rare surname: "Niece", "State", "View"
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
        if ti.title or ti.hard_stop or (ti.stop and ti.last < 0) or ti.cue and ti.common:
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

    # ------------------------------------------------------------------------------------------------------------
    def _last_first(self, text: str, lm: re.Match[str], m: re.Match[str],
                    out: list[tuple[int, int, float]]) -> None:
        li = self._info(lm.group())
        fi = self._info(m.group("first"))
        if li.title or fi.title or li.hard_stop or fi.hard_stop or fi.stop or fi.cue or li.cue:
            return
        if li.caps != fi.caps and len(lm.group()) > 1:
            return  # "Springfield, IL", "Boston, Mass"
        first = m.group("first")
        if len(first) == 2 and first.isupper() and first.lower() in STATE_CODES and fi.first < 0:
            return
        both_common = li.common and fi.common
        lex_ok = (li.last >= 0 and fi.first >= 0 and li.caps == fi.caps and not li.stop
                  and (not both_common or (li.last < 5000 and fi.first < 1000)))
        if not lex_ok and (both_common or (li.stop and not (fi.first >= 0 and not fi.common))):
            return
        s = self._particles_before(text, lm.start())
        cue = context.name_cue_before(text, s)
        strong = cue is not None and cue not in context.WEAK_NAME_CUES
        end = m.end("mi") if m.group("mi") else m.end("first")
        f2 = m.group("first2")
        if f2:
            f2i = self._info(f2)
            if f2i.caps == fi.caps and not (f2i.stop or f2i.common or f2i.cue or f2i.title) \
                    and (f2i.known or f2i.unknown):
                end = m.end("first2")
        if lex_ok or (strong and not both_common and not li.stop):
            out.append((s, end, 0.8 if lex_ok else 0.75))
            return
        head = 2 if cue is not None else self._line_head(text, s)
        if head == 0:
            head = 2 if self._local_cue(text, s) else 0
        if head == 0:
            return
        # all-caps abbreviations ("BP, HR 80"): short words must be in the name lexicon
        if li.caps and head < 2 and ((len(lm.group()) <= 3 and not li.known) or (len(first) <= 3 and fi.first < 0)):
            return
        tm = _TRAILER.match(text, end)
        trail = 0 if tm is None else (2 if tm.group("s") is not None else 1)
        known = li.known or fi.known or (fi.first >= 0 and not fi.common)
        if (head == 2 and (trail >= 1 or known)) or (head == 1 and trail == 2):
            out.append((s, end, 0.75))

    # ------------------------------------------------------------------------------------------------------------
    def _lower_case(self, text: str, out: list[tuple[int, int, float]]) -> None:
        """Names typed in lower case after explicit cues, and signature lines after a sign-off."""
        low = text.lower()
        if len(low) != len(text):
            low = text.translate(_ASCII_LOWER)
        n = len(text)
        for end, cue in LOWER_CUES.iter(low):
            if cue in _SIGNOFF_SET:
                if cue not in _LOWER_CUES and text[end] == " " and end + 1 < n and text[end + 1] != " " \
                        and low[end + 1:end + 3] not in _SIGNOFF_NEXT:
                    continue  # "thank you for ...": not a sign-off line
            else:
                # fast reject: the word after the cue must start with a lower-case letter
                c = text[end + 1:end + 2]
                if c == " " or c == "\t":
                    c = text[end + 2:end + 3]
                if not c.islower():
                    continue
            e = end  # the character after the cue word
            s = end - len(cue)
            if s > 0 and (low[s - 1].isalnum() or low[s - 1] in "'’"):
                continue
            if cue in _SIGNOFF_SET:
                em = _SIGNOFF_END.match(text, e)
                if em is not None:
                    self._signoff(text, em.end(), out)
                if cue not in _LOWER_CUES:
                    continue
            sm = _LSEP.match(text, e)
            if sm is None:
                continue
            pos = sm.end()
            if pos >= len(text) or not text[pos].islower():
                continue  # capitalised names are found by the RUN pass
            level = _LOWER_CUES.get(cue)
            if level is None:
                continue
            sep = sm.group()
            if level == "R":
                level = "A" if text[max(0, s - 7):s].lower().rstrip().endswith(_POSSESSIVES) else "B"
            elif cue in ("caller", "patient", "pt", "name") and ":" in sep:
                level = "A"
            elif cue == "name":
                continue
            self._lower_seq(text, pos, level, out)

    def _lower_kind(self, tok: str) -> str | None:
        """F: a given name, S: a surname, U: an unknown name-like word, P: a particle, C: an ordinary word that is
        also a frequent surname, c: an ordinary word that is also a given name; None: not part of a name."""
        try:
            return self._kinds[tok]
        except KeyError:
            pass
        if len(self._kinds) >= 16384:
            self._kinds.clear()
        kind = self._kinds[tok] = self._lower_kind_uncached(tok)
        return kind

    def _lower_kind_uncached(self, tok: str) -> str | None:
        low = tok.lower()
        if low in ANY_PARTICLES:
            return "P"
        ti = self._info(low)
        if ti.hard_stop or ti.stop or ti.title or ti.cue or low in self._lex.not_names:
            return None
        if ti.is_name and not ti.common:
            return "F" if ti.first >= 0 else "S"
        if ti.common:
            if 0 <= ti.first < 2000:
                return "c"
            return "C" if 0 <= ti.last < 20000 else None
        core = _strip_possessive(low)
        if len(core) < 3 or not core.replace("-", "").replace("'", "").replace("’", "").isalpha() \
                or not _has_vowel(core) or core.endswith(_MED_SUFFIXES):
            return None
        for a in range(len(core) - 2):
            if core[a] == core[a + 1] == core[a + 2]:
                return None  # "sooo"
        return "U"

    def _lower_seq(self, text: str, pos: int, level: str, out: list[tuple[int, int, float]]) -> None:
        m = _LTOK.match(text, pos)
        if m is None or self._lower_kind(m.group(1)) is None:
            return  # fast path: "patient was", "i am tired"
        spans: list[tuple[int, int, str]] = []
        n = len(text)
        while len(spans) < 5:
            m = _LTOK.match(text, pos)
            if m is None:
                break
            tok = m.group(1)
            if spans and not (tok[0].islower() or spans[-1][2] == "P"):
                break
            kind = self._lower_kind(tok)
            if kind is None or (kind == "U" and not spans and len(tok) < 4):
                break
            if kind == "c":
                kind = "C" if spans else "c"
            if kind == "C":
                if not spans or spans[-1][2] == "P" or not self._punct_after(text, m.end()):
                    break
                spans.append((m.start(1), m.end(1), kind))
                break
            spans.append((m.start(1), m.end(1), kind))
            pos = m.end()
            if pos < n and text[pos] not in " \t":
                break
        if spans and spans[-1][2] == "P" and self._punct_after(text, spans[-1][1]) \
                and (level == "A" or len(spans) > 1):
            spans[-1] = (spans[-1][0], spans[-1][1], "S")  # "dr le,", "john le (caregiver)": a particle as surname
        while spans and spans[-1][2] == "P":
            spans.pop()
        kinds = [k for _, _, k in spans if k != "P"]
        if kinds and kinds[0] == "c":
            if len(kinds) < 2 or kinds[1] == "C":
                return  # "son will drive": an ordinary word first needs a real name after it
            kinds[0] = "F"
        if not kinds or kinds[0] == "C":
            return
        if level == "B" and kinds[0] != "F" and len(kinds) < 2:
            return
        end = spans[-1][1]
        last = text[spans[-1][0]:end]
        end -= len(last) - len(_strip_possessive(last))
        out.append((spans[0][0], end, 0.8 if level == "A" else 0.7))

    @staticmethod
    def _punct_after(text: str, e: int) -> bool:
        """True when only spaces and then punctuation or a line end follow ``e``."""
        while e < len(text) and text[e] in " \t":
            e += 1
        return e >= len(text) or text[e] in ",.;:!?()[]\r\n-|/"

    def _signoff(self, text: str, pos: int, out: list[tuple[int, int, float]]) -> None:
        m = _SIGNOFF_REST.match(text, pos)
        if m is None:
            return
        words = m.group("n").split()
        s = m.start("n")
        toks: list[tuple[int, int]] = []
        k = s
        for w in words:
            ws = text.index(w, k)
            k = ws + len(w)
            toks.append((ws, k))
        ok: list[tuple[int, int]] = []
        for (ws, we), w in zip(toks, words):
            ti = self._info(w if w[0].isupper() else w.lower())
            if ti.title and not ok:
                continue
            core = w.rstrip(".")
            if ti.initial or (len(core) == 1 and core.isalpha() and ok):
                ok.append((ws, we))
                continue
            if ti.hard_stop or ti.stop or ti.cue or ti.title or core.lower() in self._lex.not_names:
                return
            name_like = ti.unknown and len(core) >= 3 and core.replace("-", "").replace("'", "").isalpha() \
                and _has_vowel(core.lower())
            if not (ti.known or (ti.first >= 0 and not ti.common) or name_like):
                return
            ok.append((ws, we))
        if ok:
            end = ok[-1][1]
            if text[end - 1] == ".":
                end -= 1
            out.append((ok[0][0], end, 0.75))

    # ------------------------------------------------------------------------------------------------------------
    def _non_latin(self, text: str, m: re.Match[str], out: list[tuple[int, int, float]]) -> None:
        s, e = m.span()
        chunk = m.group()
        nwords = len(chunk.replace(",", " ").split())
        if nwords > 4 or e - s < 2:
            return
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "-_@"):
            return
        if e < len(text) and (text[e].isalnum() or text[e] in "-_@"):
            return
        ok = context.name_cue_before(text, s) is not None or self._local_cue(text, s) is not None \
            or self._line_head(text, s) >= 1 or self._word_before(text, s) in CUE_TOKENS
        if not ok:
            tm = _TRAILER.match(text, e)
            ok = tm is not None and tm.group("s") is not None
        if ok:
            out.append((s, e, 0.8))
