"""Cue words: the words before a candidate that decide or lift its category and confidence."""

from __future__ import annotations

import re
import string

from . import categories as C
from ._regex import ci_chars, kw_first

# --- identifiers introduced by a label ("MRN: 1234567", "member ID is W123456789") -------------------------
# cue text (lower case, single spaces) -> category. Longer cues are tried first.
ID_CUES: dict[str, str] = {}


def _add(cat: str, *cues: str) -> None:
    for c in cues:
        ID_CUES[c] = cat


_add(C.MEDICAL_RECORD, "mrn", "medical record", "medical record number", "med rec", "med rec number", "chart",
     "chart number", "patient id", "patient number", "patient account", "hospital number", "record number",
     "encounter", "encounter number", "encounter id", "visit number", "visit id", "case number", "emr id",
     "ehr id", "unit number", "health record", "health record number", "hrn", "mr#", "mr no")
_add(C.INSURANCE_ID, "member id", "member number", "member #", "insurance id", "insurance number",
     "insurance", "policy", "policy number", "policy id", "group number", "group id", "group #", "group no",
     "subscriber id", "subscriber number", "subscriber", "health plan id", "health plan number",
     "health plan", "plan id", "plan number", "beneficiary id", "beneficiary number", "medicare",
     "medicare id", "medicare number", "medicaid", "medicaid id", "medicaid number", "mbi", "hicn",
     "ins id", "insurance member id", "coverage id", "certificate number", "id card", "cin")
_add(C.ACCOUNT, "account", "account number", "acct", "acct number", "a/c", "bank account",
     "bank account number", "checking account", "savings account", "checking", "savings", "routing",
     "routing number", "aba", "card", "card number", "credit card", "credit card number", "debit card",
     "debit card number", "visa", "mastercard", "amex", "american express", "discover card", "billing account",
     "billing account number", "guarantor account", "iban", "account no", "acct no", "cc")
_add(C.LICENSE, "npi", "dea", "dea number", "dea registration", "license", "licence", "license number",
     "licence number", "lic", "driver's license", "drivers license", "driver license", "driver's licence",
     "driving licence", "dl", "state license", "medical license", "nursing license", "professional license",
     "certificate", "cert", "board certification", "passport", "passport number", "state id", "tin", "ein",
     "upin", "provider id", "taxonomy")
_add(C.VEHICLE, "vin", "vehicle identification number", "license plate", "licence plate", "plate",
     "plate number", "tag number", "vehicle registration", "registration plate")
_add(C.DEVICE, "serial", "serial number", "serial no", "s/n", "sn", "device id", "device identifier",
     "device serial", "udi", "imei", "meid", "implant id", "pacemaker serial", "model serial", "esn",
     "mac address", "device number", "asset tag")
_add(C.SSN, "ssn", "social security", "social security number", "social security no", "ss#", "soc sec",
     "ssn#", "taxpayer id", "itin")
_add(C.ZIP, "zip", "zip code", "zipcode", "postal code", "postcode")
# A bare "Group"/"Grp": an insurance group number only when labelled or next to insurance words (see
# ``group_is_insurance``).
GROUP = "GROUP"
_add(GROUP, "group", "grp")
_add(C.INSURANCE_ID, "member no")
# Labels in the languages of the patients we see: national identity numbers, health and insurance numbers, licences
# and professional registrations, plates, serials, biometric templates, study / case / claim codes. Their value is
# read with ``INTL_VALUE`` (form leaders "Licence no. ..... 1234", JSON '"plate": "HL-737 M"', "n°", spaced groups).
INTL_CUES: dict[str, str] = {}


def _intl(cat: str, *cues: str) -> None:
    for c in cues:
        INTL_CUES[c] = cat
        ID_CUES.setdefault(c, cat)


_intl(C.SSN, "personnummer", "personnr", "cpr", "cpr-nr", "cpr nr", "kennitala", "henkilötunnus", "hetu",
      "isikukood", "asmens kodas", "personas kods", "rodné číslo", "rč", "pesel", "cpf", "dni", "codice fiscale", "c.f", "nir", "sécurité sociale", "n° de sécurité sociale", "numéro de sécurité sociale",
      "insee", "bsn", "burgerservicenummer", "ahv", "avs", "ahv-nr", "sv-nr", "svnr", "sozialversicherungsnummer",
      "steuer-id", "steueridentifikationsnummer", "tc kimlik", "t.c. kimlik", "kimlik no", "tckn", "social insurance number", "nino", "national insurance", "national insurance number", "ni number", "ird",
      "ird number", "tfn", "tax file number", "national id", "national identity", "national identity number",
      "identity number", "personal code", "personal number", "cmnd", "cccd", "căn cước", "oib", "jmbg",
      "fødselsnummer", "personkode", "id-kood", "nss", "número de la seguridad social", "codigo fiscal")
_intl(C.MEDICAL_RECORD, "nhs", "nhs number", "nhs no", "hospital no", "hospital number", "ur number", "ur no", "patient record", "ipp", "historia clínica", "n.º de historia clínica", "nhc", "cartella clinica",
      "n. nosologico", "nosologico", "fallnummer", "fall-nr", "patientennummer", "pat.-nr", "patienten-id",
      "dossier", "n° de dossier", "dossiernummer", "patiëntnummer", "patientnummer", "journalnummer", "journalnr",
      "potilasnumero", "episode", "episode no", "case no", "case number", "prontuário", "prontuario", "registro",
      "hospital id", "record no", "pac. č", "číslo pojištěnce", "protokol", "hasta no", "ligos istorijos nr",
      # study, enrolment, randomisation, claim and court-case codes; biometric templates
      "participant", "participant code", "participant id", "subject id", "study id", "studien-id", "study code",
      "randomisation", "randomization", "randomisation no", "enrolment id", "enrollment id", "claim no",
      "claim number", "court case", "case ref", "template", "template id", "fingerprint template",
      "voiceprint", "voice template", "iris template", "face template", "biometric template", "biometric id",
      "biometric enrolment", "vein template", "fingerprint-login template id", "faceprint",
      # a reference on a message to the patient ("… is ready. Collect before 01/09. Ref 4690 9339.")
      "ref", "our ref", "your ref", "patient ref")
_intl(C.INSURANCE_ID, "health number", "health no", "health card", "health card number", "ohip", "medicare no",
      "kvnr", "versichertennummer", "versicherungsnummer", "versicherten-nr", "krankenkasse", "mutuelle",
      "mutuelle n°", "carte vitale", "carteirinha", "cartão sus", "cns", "tessera sanitaria", "tarjeta sanitaria",
      "polisnummer", "zorgverzekeraar", "policy no", "ehic", "sairausvakuutus", "kela", "sigortası",
      "sigorta no", "poistenec", "číslo pojištění", "pojišťovna", "bhyt", "thẻ bhyt")
_intl(C.LICENSE, "licence no", "license no", "driver_licence", "driver_license", "driver licence",
      "driving licence", "führerschein", "führerscheinnummer", "permis", "permis de conduire", "patente",
      "carnet de conducir", "rijbewijs", "körkort", "kørekort", "ajokortti", "prawo jazdy", "řidičský průkaz",
      "ehliyet", "cnh", "gmc", "gmc no", "lanr", "rpps", "big-nummer", "crm", "ahpra", "ahpra reg",
      "förskrivarkod", "iscr. ordine n", "ordine n", "colegiado", "nº colegiado", "n.º colegiado", "cmq", "cpso",
      "mcnz", "ahpra registration", "registration no", "ärztenummer", "læknanúmer", "tescil no",
      "diploma tescil no", "npwz", "člk", "člk č", "registrikood", "cchn", "gln", "rpps n°")
_intl(C.VEHICLE, "plate", "registration", "car reg", "kfz-kennzeichen", "kennzeichen", "immatriculation",
      "plaque", "targa", "matrícula", "matricula", "kenteken", "registreringsnummer", "reg.nr", "regnr",
      "rekisteritunnus", "rekisterinumero", "nr rejestracyjny", "spz", "plaka", "biển số", "placa",
      "valst. nr", "numura zīme", "registreerimisnumber", "bílnúmer", "vin", "placa do veículo",
      "placa do carro")
_intl(C.DEVICE, "imei", "seriennummer", "numéro de série", "número de serie", "serienummer", "sarjanumero",
      "numer seryjny", "výrobní číslo", "seri no", "serial no", "serial", "s/n", "udi", "device serial",
      "implant serial", "pump serial", "sensor serial")
INTL_CUE_SET = frozenset(INTL_CUES)

# A bare "ID"/"identifier": the category comes from the words before it (see ``generic_id_category``).
GENERIC = "GENERIC"
_add(GENERIC, "id", "id#", "identifier", "id number", "id no", "ident")

# Payer names: an "ID#" or "Grp" right after one is an insurance identifier.
INSURER_WORDS = ("aetna", "cigna", "humana", "tricare", "anthem", "kaiser", "unitedhealthcare", "unitedhealth",
                 r"united\s+healthcare", r"blue\s+cross", r"blue\s+shield", "bcbs", "molina", "centene", "wellcare",
                 "ambetter", "highmark", "carefirst", "uhc", "champva", "caresource", "amerigroup", "optum")
_INSURANCE_NEAR = re.compile(kw_first(("member", "insurance", "insurer", "insured", "policy", "payer", "payor",
                                       "subscriber", "medicare", "medicaid", "coverage", "beneficiary", "carrier",
                                       r"health\s+plan", "plan") + INSURER_WORDS) + r"\b")
# "age group 65-74", "support group 2024": not insurance
_NOT_INSURANCE_GROUP = re.compile(kw_first(("age", "blood", "support", "study", "risk", "focus", "control", "treatment",
                                            "dose", "muscle", "working", "peer", "therapy", "patient", "test",
                                            "research", "ethnic", "income", "product", "user")) + r"\s*$")


def group_is_insurance(text: str, cue_start: int, val_start: int) -> bool:
    """A value after a bare "Group"/"Grp" is an insurance group number when labelled as a number ("Group: 123",
    "Grp #123", "GRP12345") or next to insurance words ("Aetna ID# W123 Grp 4567"), unless it is an age, blood,
    support or study group."""
    if _NOT_INSURANCE_GROUP.search(text, max(0, cue_start - 16), cue_start):
        return False
    if text[val_start:val_start + 3].upper() == "GRP" or any(c in text[cue_start:val_start] for c in ":#"):
        return True
    return _INSURANCE_NEAR.search(text, max(0, cue_start - 160), cue_start) is not None


_GENERIC_CONTEXT = (
    (re.compile(kw_first(("member", "insurance", "insured", "policy", "plan", "payer", "payor", "subscriber", "claim",
                          "medicare", "medicaid", "coverage", "beneficiary", "carrier") + INSURER_WORDS) + r"\b"),
     C.INSURANCE_ID),
    (re.compile(kw_first(("device", "pump", "pacemaker", "implant", "monitor", "meter", "sensor", "serial")) + r"\b"),
     C.DEVICE),
    (re.compile(kw_first(("license", "licence", "driver", "npi", "dea", "prescriber")) + r"\b"), C.LICENSE),
    (re.compile(kw_first(("account", "bank", "billing", "card")) + r"\b"), C.ACCOUNT),
    (re.compile(kw_first(("vehicle", "car", "truck")) + r"\b"), C.VEHICLE),
)


def generic_id_category(text: str, start: int) -> str:
    """Category of a value labelled only "ID": decided by the nearest topic word before it; default MRN."""
    lo = max(0, start - 80)
    best, best_pos = C.MEDICAL_RECORD, -1
    for rx, cat in _GENERIC_CONTEXT:
        for m in rx.finditer(text, lo, start):
            if m.start() > best_pos:
                best, best_pos = cat, m.start()
    return best

# Labels that make the following number NOT an identifier of a person (order numbers, references, ...).
NON_PHI_ID_CUES = ("order", "invoice", "reference", "ref", "confirmation", "tracking", "ticket", "po",
                   "purchase order", "transaction", "item", "part", "sku", "lot", "batch", "catalog", "model",
                   "version", "build", "room", "bed", "extension", "ext", "page", "step", "table", "figure",
                   "protocol", "study", "trial", "ndc", "cpt", "icd", "code", "claim")


# After a cue (and an optional period: "acct no.", "lic."): "[number|no|#|id] [is|:|#|=] <value>"; the value must
# contain a digit; groups of 3-4 digits separated by single spaces ("DL 912 334 870") are one value.
CUE_VALUE = re.compile(
    r"\.?(?:\s*(?:(?:number|num|nbr|identifier|id)\b|no\b\.?|\#))?"
    r"(?:\s*(?:(?:is|was|on\s+file|ending\s+in)\b|:|\#|=|-(?!\d)))*\s*"
    r"(?:(?P<sp>\d{3,4}(?:[ ]\d{3,4}){1,3})(?![\w/.-]|[ ]\d)"
    r"|(?P<val>(?=[A-Za-z-]*\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/.](?=[A-Za-z0-9])){2,34}))",
    re.IGNORECASE,
)
# Labels that may be written glued to their value ("MRN00412345", "ptID#4471882").
_GLUABLE = frozenset({"mrn", "ssn", "npi", "mbi", "acct", "mr#", "id#", "hrn", "dea", "vin", "dob"})  # upper case
# The value after an international label: separators of forms and JSON ("Licence no. ..... 66697429",
# '"plate": "HL-737 M"', "Mutuelle n° : W17846892", "N.º de historia clínica: 9379 5722"), then an id that holds a
# digit, possibly in groups separated by single spaces ("1 07 02 42 218 696 96", "JU-15 891", "6329 WFT").
INTL_VALUE = re.compile(
    r"(?i:\.?(?:\s*(?:number|num|nbr|nr|nro|no|n[°º]|nº|numer|nummer|numéro|número|numero|code|kod|kood|id|reg)"
    r"\b\.?)?(?:\s*(?:is|was|est|ist|es|è|är|er|on\s+file)\b|\s*[:#=]|\s*\.{2,}|\s*n[°º]|\s*[\"']\s*:\s*[\"']?)*)"
    r"[ \t]*[\"']?"
    r"(?P<val>(?=[A-Za-z0-9./:-]*\d|[A-Za-z0-9./:-]*[ ]\d)[A-Za-z0-9](?:[A-Za-z0-9]|[-/.:](?=[A-Za-z0-9])"
    r"|[ ](?=[A-Z0-9]{1,4}(?![A-Za-z0-9])|\d)){2,40})")
# An explicitly cued serial number may be letters only ("S/N: VCXEYY"): upper case, 5-20 characters.
CAPS_VALUE = re.compile(
    r"\.?(?:\s*(?:number|num|nbr|no\b\.?|\#))?(?:\s*(?::|\#|=))*\s*"
    r"(?P<val>[A-Z0-9](?:[A-Z0-9]|-(?=[A-Z0-9])){4,19})(?![\w-])")
_CAPS_CUES = frozenset({"serial number", "serial no", "s/n", "sn", "device serial", "pacemaker serial", "model serial",
                        "implant id", "device id", "serial"})
# ASCII-only lower-casing keeps offsets identical to the input (str.lower() can change the length).
ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def _build_cue_automaton():
    import ahocorasick

    a = ahocorasick.Automaton()
    for cue in ID_CUES:
        a.add_word(cue, cue)
    a.make_automaton()
    return a


_CUE_AUTOMATON = _build_cue_automaton()


def find_cued_ids(text: str, low: str):
    """Yield (cue, value_start, value_end) for "<cue> ... <value>" labelled identifiers.

    Cues are found with Aho-Corasick over the ASCII-lower-cased text (one C pass), kept only on word boundaries,
    longest cue per start position; the value is then matched right after the cue.
    """
    best: dict[int, tuple[int, str]] = {}
    glued: dict[int, int] = {}  # cue start -> start of the word it is glued to ("chartMRN00412345")
    n = len(low)
    for end, cue in _CUE_AUTOMATON.iter(low):
        start = end - len(cue) + 1
        nxt = end + 1
        if cue in _GLUABLE and nxt < n and (low[nxt].isdigit() or low[nxt] in "#:_-" and low[nxt + 1:nxt + 2].isdigit()) \
                and (text[start:nxt].isupper() or cue.endswith("#")):
            # a label glued to its value, and perhaps to a word before it: "MRN00412345", "chartMRN00412345"
            k = start
            while k > 0 and k > start - 12 and low[k - 1].isalpha():
                k -= 1
            if k > 0 and (low[k - 1].isalnum() or low[k - 1] in "_/"):
                continue
            glued[start] = k
        else:
            if start > 0 and (low[start - 1].isalnum() or low[start - 1] in "_/"):
                continue
            if nxt < n and (low[nxt].isalnum() or low[nxt] in "_/") and not cue.endswith("#"):
                continue
        prev = best.get(start)
        if prev is None or prev[0] < end:
            best[start] = (end, cue)
    last_end = -1
    for start in sorted(best):
        end, cue = best[start]
        if start <= last_end:
            continue
        m = (INTL_VALUE if cue in INTL_CUE_SET else CUE_VALUE).match(text, end + 1)
        if m is not None and m.group("val") is not None and cue in INTL_CUE_SET and (m.start("val") - end > 40):
            m = None
        if m is None:
            if cue in _CAPS_CUES:
                m = CAPS_VALUE.match(text, end + 1)
                if m is not None and (cue != "serial" or m.start("val") > end + 1 and
                                      any(c in text[end + 1:m.start("val")] for c in ":#.")):
                    last_end = m.end()
                    yield cue, m.start("val"), m.end("val")
            continue
        last_end = m.end()
        if "sp" in m.re.groupindex and m.group("sp") is not None:
            yield cue, m.start("sp"), m.end("sp")
        else:
            yield cue, glued.get(start, m.start("val")), m.end("val")


# License plates: value may be letters and digits with a space or dash ("321 OFV", "7ABC-123").
PLATE_VALUE = re.compile(r"[A-Z0-9]{1,4}[ -]?[A-Z0-9]{1,5}(?:[ -][A-Z0-9]{1,4})?(?![A-Za-z0-9])")

# (a leading ``\b`` before each cue, written as a character class first so ``re`` skips ahead quickly)
_NON_PHI_BEFORE = re.compile(
    kw_first([re.escape(c).replace(r"\ ", r"\s+") for c in NON_PHI_ID_CUES]) + r"\b\.?"
    r"(?i:\s*(?:number|num|no\.?|nbr|id|\#)?\s*[:#=]?\s*\#?\s*)$"
)


# the cues above that label a business or pharmacy record, not a study, trial or case (those codes are Safe Harbor's
# catch-all)
_BUSINESS_BEFORE = re.compile(
    kw_first([re.escape(c).replace(r"\ ", r"\s+") for c in NON_PHI_ID_CUES
              if c not in ("study", "trial", "protocol", "code", "claim")] + ["rx", "accession", "req", "requisition"]) + r"\b\.?"
    r"(?i:\s*(?:number|num|no\.?|nbr|id|\#)?\s*[:#=]?\s*\#?\s*)$"
)


def business_label_before(text: str, start: int) -> bool:
    """True when the code at ``start`` is labelled as an order/invoice/reference/room/... number."""
    return _BUSINESS_BEFORE.search(text, max(0, start - 32), start) is not None


def non_phi_label_before(text: str, start: int) -> bool:
    """True when the number at ``start`` is labelled as an order/invoice/reference/room/... number."""
    return _NON_PHI_BEFORE.search(text, max(0, start - 32), start) is not None


# --- phone vs fax --------------------------------------------------------------------------------------------
_PHONE_CUE = re.compile(
    r"[" + ci_chars("fptcmbhworlnd") + r"](?<!\w.)(?i:(?<=f)(?P<fax>ax|acsimile|x)|(?<=p)(?:hone|h|ager)"
    r"|(?<=t)(?:elephone|el|ext)|(?<=c)(?:ell|all|alls|ontact|allback)|(?<=m)obile|(?<=b)eeper|(?<=h)(?:ome|otline)"
    r"|(?<=w)ork|(?<=o)ffice|(?<=r)each|(?<=l)andline|(?<=n)umber|(?<=d)ial)\b"
)


# a lone "f" / "F:" / "f." right before the number (signature blocks)
_FAX_LETTER = re.compile(r"[fF](?<![\w].)(?:\.|[ \t]*:)?[ \t]*\(?$")

_WEAK_PHONE_CUES = frozenset({"number", "contact", "home", "work", "office", "reach", "text"})


def phone_cue(text: str, start: int, window: int = 40) -> str | None:
    """'FAX' if the nearest fax/phone cue before ``start`` is a fax cue, 'PHONE' for a phone cue, else None.

    Weak cues ("number", "home", "office") only count when there is no fax/phone word nearer.
    """
    if _FAX_LETTER.search(text, max(0, start - 6), start) is not None:
        return C.FAX  # signature line "p 555-123-4567 | f 555-123-4568"
    strong = None
    weak = None
    for m in _PHONE_CUE.finditer(text, max(0, start - window), start):
        if m.group("fax") or m.group().lower() not in _WEAK_PHONE_CUES:
            strong = m
        else:
            weak = m
    if strong is not None:
        return C.FAX if strong.group("fax") else C.PHONE
    return C.PHONE if weak is not None else None


# --- dates of birth -------------------------------------------------------------------------------------------
_DOB_CUE = re.compile(
    kw_first(("dob", r"d\.o\.b\.?", r"date\s+of\s+birth", r"birth\s*date", "birthdate", "born", "birthday", "b-day",
              "bday", "birth")) + r"\b[^\d\n]{0,24}$"
)


def dob_cue(text: str, start: int) -> bool:
    return _DOB_CUE.search(text, max(0, start - 40), start) is not None


# --- month/day without a year ("last seen 7/25", "12/30 through 1/4") ------------------------------------------
# the word right before the month/day (after dropping "on", "is", "of", ... and a trailing ":" or "-")
_MD_CUES = frozenset((
    "seen", "saw", "scheduled", "sched", "since", "until", "till", "thru", "through", "dos", "dated", "date", "dates",
    "date(s)", "appt", "appointment", "visit", "admitted", "admit", "discharged", "d/c", "returned", "f/u",
    "follow-up", "followup", "started", "starting", "stopped", "effective", "expires", "expired", "due", "on", "by",
    "before", "after", "service", "surgery", "procedure", "delivered", "born", "dob", "birthday", "injured", "onset",
    "called", "reported", "last", "next", "pickup", "refill", "refilled", "filled", "collected", "drawn", "received",
    "ordered", "performed", "done", "completed", "of", "as"))
_MD_LINKS = frozenset(("on", "of", "in", "by", "at", "is", "was", "for", "the", "as"))
# words that make "n/m" a score, fraction or ratio ("pain 6/10", "strength 5/5", "GCS 14/15")
_MD_SCORES = frozenset(("pain", "score", "scale", "rated", "rating", "strength", "power", "ratio", "bp", "vision",
                        "acuity", "gcs", "apgar", "murmur", "grade", "dose", "motor", "reflexes", "parity", "dilated",
                        "dilation", "ns", "sbp", "dbp", "x"))
_MD_STRIP = " \t\n:;,.-–()"
_MD_CUE_AFTER = re.compile(r"(?i)\s*(?:-|–|to|through|thru|until|till)\s*(?:\d{1,2}/\d{1,2}(?![\w/])|(?:\d{1,2}"
                           r"(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
                           r"(?![a-z])(?:\s+\d)?)")
# fraction/score context: "pain 6/10 on ...", "from 1/2 to 1 tab", "5/5 strength", "rated 7/10"
_MD_NOT_AFTER = re.compile(r"(?i)\s*(?:tabs?\b|tablets?\b|pills?\b|caps?\b|capsules?\b|doses?\b|cups?\b|of\b|"
                           r"strength\b|inch|mile|blocks?\b|flights?\b|liters?\b|mg\b|ml\b|units?\b|ns\b|"
                           r"pain\b|scale\b|score\b|ratio\b|times\b|x\b|%|/)")


def md_date_cue(text: str, start: int, end: int) -> bool:
    """True when the month/day at ``text[start:end]`` reads as a date: a date cue right before it ("seen", "on",
    "scheduled", "DOS:") or a range after it ("12/30 through 1/4"), and no score/fraction context."""
    if _MD_NOT_AFTER.match(text, end):
        return False
    words = text[max(0, start - 32):start].lower().split()
    if start >= 32 and words:
        words.pop(0)  # may be cut
    words = [w.strip(_MD_STRIP) for w in words]
    if any(w in _MD_SCORES for w in words[-4:]):
        return False
    after = _MD_CUE_AFTER.match(text, end)
    if after is not None:
        return not (text[start:end].endswith("/10") and after.group().endswith("/10"))  # "7/10 to 3/10": scores
    while words and (not words[-1] or words[-1] in _MD_LINKS and len(words) > 1 and words[-2] in _MD_CUES | _MD_LINKS):
        words.pop()
    return bool(words) and words[-1] in _MD_CUES


# --- ages --------------------------------------------------------------------------------------------------------
# --- version-number context (an "IP" or "date" right after "version"/"v" is a version) -------------------------
_VERSION_BEFORE = re.compile(
    kw_first(("version", r"ver\.?", "v", "release", "build", "firmware", "software")) + r"\s*$")


def version_before(text: str, start: int) -> bool:
    return _VERSION_BEFORE.search(text, max(0, start - 12), start) is not None


# --- names -----------------------------------------------------------------------------------------------------
# Words after which a capitalised word is a person's name even if not in the name lexicon.
STRONG_NAME_CUES = (
    "patient", "pt", "pt.", "client", "name", "named", "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof",
    "professor", "son", "daughter", "wife", "husband", "mother", "father", "brother", "sister", "spouse",
    "partner", "friend", "guardian", "caregiver", "nephew", "niece", "grandson", "granddaughter", "uncle",
    "aunt", "cousin", "fiance", "fiancee", "fiancé", "fiancée", "child", "parent", "dear", "attn", "attention",
    "cc", "signed", "sincerely", "regards", "physician", "provider", "nurse", "np", "surgeon", "attending",
    "seen by", "referred by", "spoke with", "met with", "emergency contact", "next of kin", "poa", "proxy",
    "witness", "interpreter", "caseworker", "therapist", "counselor", "counsellor", "pharmacist",
    "subscriber", "insured", "beneficiary", "guarantor", "mom", "dad", "grandmother", "grandfather",
    "neighbor", "neighbour", "roommate", "boyfriend", "girlfriend", "resident", "fellow", "intern",
    "practitioner", "clinician", "member", "grandma", "grandpa", "granny", "nana", "papa", "dictated by", "transcribed by", "electronically signed by", "authored by",
    "reviewed by", "approved by", "ordered by", "prescribed by", "admitted by", "discharged by",
    "accompanied by", "cared for by", "evaluated by", "examined by", "treated by", "visited by", "mr.",
    "mrs.", "ms.", "dr.", "prof.", "ref", "re", "from", "patient name", "full name", "legal name",
    "preferred name", "maiden name", "named", "called", "contact", "thanks", "thank you", "best", "cheers",
    "hi", "hello", "hey", "respectfully", "yours", "warmly", "love", "by", "per", "via", "with", "to", "for",
    # name fields and questions ("Your last name? Lindqvist", "Surname: Þórðarson")
    "surname", "last name", "first name", "family name", "given name", "forename", "middle name", "nickname",
    "goes by", "known as", "aka", "a.k.a", "nicknamed", "née", "nee",
    # name fields, titles and greetings in the patients' languages
    "nom", "prénom", "prenom", "nom de famille", "nom de naissance", "nachname", "vorname", "familienname",
    "achternaam", "voornaam", "apellido", "apellidos", "nombre", "cognome", "nome", "sobrenome", "efternamn",
    "förnamn", "efternavn", "fornavn", "etternavn", "sukunimi", "etunimi", "nazwisko", "imię", "imie",
    "příjmení", "jméno", "soyadı", "soyadi", "adı", "adi", "ad soyad", "pavardė", "vardas", "uzvārds", "vārds",
    "perekonnanimi", "eesnimi", "eftirnafn", "fornafn", "nafn", "họ tên", "họ và tên", "paciente", "paziente",
    "patiënt", "patientin", "potilas", "pacjent", "pacjentka", "pacient", "pacientka", "hasta", "pacientas",
    "pacients", "patsient", "sjúklingur", "bệnh nhân", "mudr", "mudr.", "dott", "dott.", "dott.ssa", "dra",
    "dra.", "sr", "sra", "sr.", "sra.", "herr", "frau", "hr", "hr.", "fr", "fr.", "mme", "mlle", "m.", "sig",
    "sig.", "sig.ra", "pan", "pani", "bay", "bayan", "ông", "bà", "dhr", "dhr.", "mevr", "mevr.", "fru", "frk",
    "hej", "hola", "ciao", "bonjour", "hallo", "hei", "moi", "cześć", "ahoj", "merhaba", "labas", "sveiki", "tere",
    "halló", "chào", "kære", "kaere", "lieber", "liebe", "sehr geehrte", "sehr geehrter", "cher", "chère",
    "estimado", "estimada", "caro", "cara", "beste", "geachte", "bästa", "hyvä", "szanowny", "szanowna",
    "vážený", "vážená", "sayın", "gerbiamas", "gerbiama", "cienījamais", "cienījamā", "lugupeetud", "kæri",
    "kæra", "kính gửi", "given as", "name given as", "real name", "known to us as", "signed", "unterschrift",
    "ärztin", "arzt", "médecin", "médico", "medico", "dokter", "läkare", "lege", "lääkäri", "lekarz", "lékař",
    "doktor", "gydytojas", "ārsts", "arst", "læknir", "bác sĩ", "kontaktperson", "angehörige", "osoba blízká",
    "người thân", "figlia", "figlio", "hija", "hijo", "fille", "fils", "tochter", "sohn", "dochter", "zoon",
    "dotter", "son", "datter", "tytär", "poika", "córka", "syn", "dcera", "kızı", "oğlu", "dukra", "sūnus",
    "meita", "dēls", "tütar", "poeg", "dóttir", "sonur", "con gái", "con trai",
    # reporting verbs ("..., says Þórðarson", "according to Kazlauskienė")
    "says", "said", "according to", "asks", "asked", "tells", "told", "writes", "wrote", "explains", "explained",
    "adds", "added", "recalls", "recalled", "replied", "replies", "answered", "insists", "insisted", "warns",
    "warned", "confirms", "confirmed", "notes", "noted", "reports", "reported",
)
_STRONG_ALT = "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in sorted(set(STRONG_NAME_CUES), key=len,
                                                                          reverse=True))
# Cue must end right before the name: "Patient: ", "wife, ", "seen by ", "Dear ", "(son) ".
NAME_CUE_BEFORE = re.compile(r"(?i)\b(?:" + _STRONG_ALT + r")\b\.?[\s,:;'\"()\-]*$")
# The weakest cues only lift words already in the name lexicon.
WEAK_NAME_CUES = frozenset({"from", "by", "per", "via", "with", "to", "for", "called", "contact", "best",
                            "hi", "hello", "hey", "love", "thanks", "thank you", "cheers", "ref", "re", "named"})


_CUE_SET = frozenset(STRONG_NAME_CUES)
_CUE_STRIP = " \t\r\n,:;'\"()-.?"


# Last word of every multi-word cue: a cue of two or three words must end with one of them.
_CUE_MULTI_LAST = frozenset(c.split()[-1] for c in _CUE_SET if " " in c)


def name_cue_before(text: str, start: int) -> str | None:
    """The cue word(s) (lower case) that end right before ``start`` ("seen by", "wife", "Dr."), or None."""
    window = text[max(0, start - 40):start].rstrip(_CUE_STRIP)
    if not window or window[-1].isdigit():
        return None
    tail = window.rsplit(None, 1)
    if not tail:
        return None
    last = tail[-1].lower().rstrip(_CUE_STRIP)
    if last and last not in _CUE_MULTI_LAST and last.lstrip(_CUE_STRIP) not in _CUE_SET:
        return None  # fast path: no cue can end with this word
    words = window.lower().split()
    for k in (3, 2, 1):
        if len(words) >= k:
            cand = " ".join(words[-k:]).strip(_CUE_STRIP)
            if cand in _CUE_SET:
                return cand
    return None
