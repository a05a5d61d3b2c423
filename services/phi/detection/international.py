"""Identifiers in the shapes of other countries, and Safe Harbor's catch-alls.

* Postal codes: UK ("SW1A 2AA"), Canada ("K1A 0B1"), Netherlands ("1012 AB"), Brazil ("01310-100"), Poland
  ("13-500"), Portugal ("1000-001"), Sweden / Czechia / Slovakia / Greece ("114 55"), Japan ("〒100-0001"), and the
  4- and 5-digit codes of many countries where a cue ("postcode", "PLZ", "CAP", "CEP", ...) or an address shape says
  so: next to the city ("10115 Berlin", "Tarragona, 30188", "Aratipu 8490"), after an Australian state ("NSW 2000").
* Street addresses: the street type before the name ("Calle Mayor 12", "Viale Parisi, 171", "plac Zbawiciela 5",
  "8, avenue Manon Gillet") or after it as a word of its own ("Westermarckin kuja 63", "Mátraszéki utca 125."),
  "c/o" lines, and multi-line postal blocks (the lines above a postcode-and-city line: "Okrová 77", "Flat 7").
* Phone numbers in national formats ("020 7946 0958", "0612 34 56 78", "(02) 9374-4000", "9123 4567"): a phone shape
  next to a phone cue in any of the covered languages, or without a cue when libphonenumber (``phonenumbers``) says
  the number is valid in a country that dials a trunk "0".
* Catch-alls: upper-case study / case codes ("LOTUS-0193"), file names of photographs ("jdoe_frontal_2023.png"),
  dates written in words ("the fourth of March", "March the 4th"); labels glued to identifiers ("chartMRN00412345")
  are the cue finder's (``context.find_cued_ids``).
"""
from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from . import categories as C, national_ids
from ._regex import kw_first
from .context import non_phi_label_before
from .patterns import AU_STATES, STATE_ABBR, STATE_NAMES, STREET_SUFFIXES

_U = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŹŻŽΑ-ΩА-ЯÆ"
_CAP = r"(?:[" + _U + r"'’][\w'’-]*)"  # a capitalised word (any Latin, Greek or Cyrillic script)
_CITY = r"(?:(?:St|Ste|Sankt|San|Santa|São|Saint|Mt|Ft)\.?[ \t]+)?" + _CAP + r"(?:[ \t-]+(?:" + _CAP + r"|de|la|le|am|an|der|im|sur|en|del|do|da|di|upon|on))*"

# ---- postal codes ----------------------------------------------------------------------------------------------
_UK = r"(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)[ ]?\d[ABD-HJLNP-UW-Z]{2}"
_CA = r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ ]?\d[ABCEGHJ-NPRSTV-Z]\d"
_NL = r"[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2}"
# distinctive on their own
POSTCODE_STRONG = re.compile(r"(?:" + _UK + "|" + _CA + r")(?![\w-])")
_BR = re.compile(r"\d{5}-\d{3}(?![\w-])")
_NL_RX = re.compile(r"[1-9]\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2}(?![\w-])")
# two-letter words after a number that are units or abbreviations, not a Dutch postcode's letters
_NOT_NL = frozenset("IU MG ML KG MM CM AM PM BC AD HR GB MB KB TB MS NS US UK EU OK ID IV IM PO PR SC BP HB QD BD TD "
                    "CC GP ER OR ED PT MD DR RN XL ST ND RD TH HZ DB BPM LB OZ".split())
# any code a cue may introduce
_ANY_CODE = (r"(?:" + _UK + "|" + _CA + "|" + _NL + r"|[A-Z]{1,2}-\d{4,5}|\d{5}-\d{3}|\d{4}-\d{3}|\d{3}-\d{4}"
             r"|\d{2}-\d{3}|\d{3}[ ]\d{2}|\d{3,6})")
_POSTCODE_CUE = re.compile(
    kw_first(("postcode", r"post\s+code", r"postal\s+code", "zip", r"zip\s+code", "zipcode", "plz", "postleitzahl",
              "cap", "cp", r"c\.p", r"code\s+postal", r"c[óo]digo\s+postal", "cep", "postnummer", "postnr", "postinumero",
              r"pin\s+code", "pincode", "eircode", "psč", "tk", r"kod\s+pocztowy", "irányítószám",
              r"posta\s+kodu", "indeks"))
    + r"\b\.?[\"']?(?i:\s*(?:is|was|:|#|-|=))*\s*[\"']?(?P<code>" + _ANY_CODE + r")(?![\w-])")
_POSTCODE_CUE_WORD = re.compile(r"(?i)post|zip|plz|\bcap\b|\bcp\b|cep|pin\b|code|postnr")
# A code right before a city, or right after one, at the end of a field: found from the code's first digit.
_FIELD_CODE = re.compile(
    r"\d(?:(?<=[1-9])\d{3}[ ]?(?!SA|SD|SS)[A-Z]{2}(?![\w-])|\d{4}-\d{3}(?![\w-])|\d{3}-\d{3}(?![\w-])"
    r"|\d-\d{3}(?![\w-])|\d{2}[ ]\d{2}(?![\w/:-]|[.,]\d)|\d{2,4}(?![\w/:-]|[.,]\d))")
_CITY_AFTER = re.compile(r"[ \t]*,?[ \t]+(?P<city>" + _CITY + r")(?=[ \t]*(?:$|\n|,|\(|\)|;|/|\.(?:\s|$)))")
_CITY_BEFORE = re.compile(r"(?P<city>" + _CITY + r")(?:[ \t]*,[ \t]*|[ \t]+)(?:(?P<st>" + "|".join(AU_STATES) + r")"
                          r"[ \t]*,?[ \t]*)?$")
# an Australian state or territory and its 4-digit postcode ("Hobart TAS 7000")
_AU_STATE_BEFORE = re.compile(r"(?<![\w])(?:" + "|".join(AU_STATES) + r")\.?,?[ \t]+$")
_NOT_BEFORE_STATE = frozenset("the in of for at to from and by our this a an".split())
_PREFIXED_CODE = re.compile(r"[A-Z](?<![\w-][A-Z])[A-Z]?[-\u2011](?:\d{2}-\d{3}|\d{5}|\d{4}|\d{3}[ ]\d{2}|\d{3})(?![\w-])")
_CITY_LABELS = frozenset(("city", "town", "ville", "ort", "wohnort", "stadt", "città", "citta", "comune", "ciudad",
                          "localidad", "municipio", "cidade", "município", "plaats", "woonplaats", "stad", "by",
                          "kaupunki", "kotikunta", "miasto", "miejscowość", "obec", "město", "mesto", "şehir", "sehir",
                          "il", "miestas", "pilsēta", "pilseta", "linn", "vald", "staður", "sveitarfélag", "suburb",
                          "locality", "district", "kommune", "gemeente", "gemeinde", "localité", "postort",
                          "poststed", "postitoimipaikka", "bydliště", "domicilio", "residenza", "tinh"))
_CITY_VALUE = re.compile(r"[ \t]*[\"']?[ \t]*(?P<city>" + _CITY + r")(?=[ \t]*(?:$|\n|,|[\"'|;(]|\s{2}))")
# month names (and their genitive / locative forms) of the patients' languages
MONTH_NAMES = frozenset("""
janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
janeiro fevereiro março marco maio junho julho setembro outubro dezembro
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
januar jänner jaenner februar märz maerz juni juli oktober dezember
januari februari maart mei augustus augusti maj okt
marts desember
tammikuuta helmikuuta maaliskuuta huhtikuuta toukokuuta kesäkuuta heinäkuuta elokuuta syyskuuta lokakuuta
marraskuuta joulukuuta tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu
marraskuu joulukuu
stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia styczeń luty
marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień
ledna února března dubna května června července srpna září října listopadu prosince leden únor březen duben
květen červen červenec srpen říjen prosinec
ocak şubat mart nisan mayıs haziran temmuz ağustos eylül ekim kasım aralık
sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio gruodžio
janvāris janvārī februāris februārī marts martā aprīlis aprīlī maijs maijā jūnijs jūnijā jūlijs jūlijā augusts
augustā septembris septembrī oktobris oktobrī novembris novembrī decembris decembrī
jaanuar jaanuaril veebruar veebruaril märts märtsil aprill aprillil mail juuni juunil juuli juulil augustil
septembril oktoober oktoobril novembril detsember detsembril
janúar febrúar apríl maí júní júlí ágúst október nóvember
january february march april may june july august september october november december
""".split())
_DATE_WORDS = re.compile(
    r"\d{1,4}\.?[ \t]+(?:m\.[ \t]+|gada[ \t]+)?(?:de[ \t]+)?(?P<m>[^\W\d_]{3,12}\.?)(?:[ \t]+(?:de[ \t]+)?"
    r"(?:\d{1,2}\.?[ \t]*d\.|\d{4}|\d{1,2}\.))?")
# "Toronto (AB), K1A 0B1", "Edmonton, AB  T5J 0N3"
_CITY_PROVINCE_BEFORE = re.compile(r"(?P<city>" + _CITY + r")[ \t]*(?:\([A-Z]{2}\)|,[ \t]*[A-Z]{2})[ \t]*,?[ \t]*$")
# a letter's dateline: "Marseille, le 3 mars 2024", "Wien, am 3. März", "Torino, 3 marzo 2024"
_DATELINE = re.compile(r"(?P<city>" + _CITY + r"),[ \t]+(?:(?:le|den|am|il|el|dne|d\.|the|em|op|dia)[ \t]+)?(?=\d)")
# unit lines of other countries: "lgh 1204", "as. 52", "dz. 44", "3. Stock", "Wohnung 5", "apto 3", "int. 20"
_UNIT_LINE = re.compile(r"(?P<u>(?i:lgh|as\.|dz\.|kv\.|wohnung|top|stiege|apto\.?|apt\.?|piso|int\.|"
                        r"scala|app\.?|appartement|bus|boîte)[ \t]*\d{1,4}[a-zA-Z]?|\d{1,2}\.[ \t]*(?:Stock|OG|étage|"
                        r"piso|krs\.?|kerros|sal|hæð|aukšt\w*|stāvs|korrus))(?=[ \t]*(?:$|\n|,))")
_FIELD_END = re.compile(r"[ \t]*(?:$|\n|,|\.(?:\s|$)|;)")
_SUFFIXES = frozenset(STREET_SUFFIXES)
_NUMBER_SIGNS = frozenset(("nº", "n°", "n.º", "no", "nr", "núm", "num", "número", "numero"))
_US_STATES = frozenset(STATE_ABBR) | frozenset(STATE_NAMES.split("|"))

# ---- street addresses --------------------------------------------------------------------------------------------
# Street types written as a word of their own; each is found with one Aho-Corasick pass, then the street is matched
# from there (before the name: "Calle Mayor 12"; after it: "Westermarckin kuja 63").
_TYPES_FIRST = ("calle", "c/", "avenida", "avda", "av.", "plaza", "paseo", "camino", "carrer", "carretera", "cuesta",
                "ronda", "travesía", "travesia", "glorieta", "rambla", "rua", "travessa", "praça", "praca",
                "alameda", "rodovia", "estrada", "largo", "beco", "recanto", "viale", "via", "piazza", "piazzale",
                "corso", "vicolo", "strada", "contrada", "stretto", "borgo", "vicoletto", "lungomare", "traversa",
                "salita", "rotonda", "incrocio",
                # Brazil's street types (the Correios list)
                "ladeira", "vila", "conjunto", "quadra", "setor", "chácara", "fazenda", "viela", "vereda", "trevo",
                "esplanada", "passarela", "núcleo", "loteamento", "residencial", "condomínio", "feira", "jardim",
                "parque", "sítio", "rue", "allée", "impasse", "chemin", "quai",
                "boulevard", "bd.", "route", "place", "ulica", "ul.", "al.", "aleja", "plac", "osiedle", "sokak", "cadde",
                "đường", "phố", "ngõ", "hẻm",
                "caddesi", "bulvarı", "ulitsa", "улица", "проспект", "οδός", "odos")
_TYPES_AFTER = ("g.", "pr.", "mnt", "mnt.", "tn", "tn.", "pst", "pst.", "prospektas", "bulvarı no", "kuja", "katu", "tie", "polku", "utca", "út", "tér", "körút", "sokak", "sokağı", "caddesi", "cad.",
                "mahallesi", "bulvarı", "straße", "strasse", "weg", "gasse", "allee", "platz", "vej", "gade",
                "gata", "gatan", "vägen", "straat", "laan", "ulice", "náměstí", "třída", "iela", "gatvė", "tänav")
_PARTICLES = r"(?:de|del|della|dello|dei|degli|delle|di|da|do|dos|das|du|des|la|le|les|lo|van|der|den|d['’])"
_NUM = r"(?:n[º°o]\.?[ \t]*)?\d{1,5}[ \t]?[A-Za-z]?(?:[ \t]?[-/][ \t]?(?:\d{1,5}[A-Za-z]?|[A-Za-z]))?(?![\w])"
_NAME_WORDS = (r"[ \t]+(?:" + _PARTICLES + r"[ \t]*)*(?:(?:" + _CAP + r"|" + _PARTICLES
               + r"|\d{1,2}(?:st|nd|rd|th|º|°)?)[ \t]+){0,5}?" + _CAP)
_AFTER_FIRST_TYPE = re.compile(r"\.?" + _NAME_WORDS + r",?[ \t]*" + _NUM)      # matched right after the type word
_NUM_BEFORE_TYPE = re.compile(r"(?:^|(?<=[\s(]))\d{1,5}[A-Za-z]?(?:[ \t]?(?:bis|ter|quater))?,?[ \t]+$")
_REST_AFTER_NUM_TYPE = re.compile(r"\.?" + _NAME_WORDS + r"(?:[ \t]+(?:" + _CAP + r"|" + _PARTICLES + r"))*")
_NUM_AFTER_TYPE = re.compile(r"\.?[ \t]+" + _NUM + r"\.?")
_WORDS_BEFORE_TYPE = re.compile(r"(?:" + _CAP + r"[ \t]+){1,4}$")
_SLASH_NUMBER = re.compile(r"/\d{1,4}[a-zA-Z]?(?:/\d{1,4})?(?![\w/])")
_CARE_OF = re.compile(r"[cC](?<![\w][cC])(?:/o|are\s+of)[ \t]+(?P<n>" + _CAP + r"(?:[ \t]+" + _CAP + r"){0,3})")



# ---- phone numbers ---------------------------------------------------------------------------------------------
# digit groups with single separators: "020 7946 0958", "0612 34 56 78", "(02) 9374-4000", "070-7066-9074"
PHONE_SHAPE = re.compile(
    r"(?:\(0?\d{1,5}\)[ .-]?|0\d{0,4}(?:[ .-]|[ ]?/[ ]?)?|\d{1,5}[ .-])"
    r"(?:\d{1,5}[ .-]){0,4}\d{2,8}(?:[ ]?(?:x|ext\.?)[ ]?\d{1,6})?(?![\w/-]|[.,]\d)")
_PHONE_CUE = re.compile(
    kw_first(("phone", "tel", "telephone", "telefon", "telefoon", "telefone", "telefono", "teléfono", "téléphone",
              "telefonnummer", "mobile", "mob", "mobil", "mobiel", "móvil", "movil", "portable", "cellulare", "cell",
              "celular", "handy", "call", "ring", "reach", "contact", "fax", "number", "nummer", "numéro", "número",
              "numero", "puhelin", "sími", "sima", "gsm", "whatsapp", "sms", "text", "dial", "tlf", "puh", "tfn",
              "hotline", "pager", "landline", "tél", "sđt", "contato", "contacto", "kontakt", "kontaktní", "tālr",
              "tālrunis", "telefonas", "mobilais", "matkapuhelin", "síma", "síminn", "simi", "numer", "telefonu",
              "komórka", "cep", "cel", "celular", "móvel", "movel", "portatile", "cellulare", "mobilnummer",
              "telefono", "tfno", "tlf", "mobiltelefon", "handynummer", "rückruf", "callback", "rufnummer",
              "odwołanie", "afboðun", "annuler", "annulla", "cancel", "omluvy", "storno", "queries", "enquiries"))
    + r"(?i:[^\n\d]{0,30})$")
_FAX_CUE = re.compile(kw_first(("fax", "telefax", "facsimile", "faks")) + r"(?i:[^\n\d]{0,30})$")
_TRUNK0_REGIONS = ("GB", "DE", "FR", "NL", "BE", "AT", "CH", "IT", "AU", "NZ", "IE", "SE", "FI", "TR", "BR", "JP",
                   "KR", "IN", "ZA", "IL", "VN", "ID", "TH", "MY", "PH", "HU", "UA", "PE", "AR", "EG", "NG", "PK")

# ---- catch-alls ------------------------------------------------------------------------------------------------
# "LOTUS-0193", "HEART2-00417", "ENR-2231-A": an upper-case code word, a dash, digits (found from the dash)
_CODE_TAIL = re.compile(r"-\d{3,8}(?:-[A-Z0-9]{1,6})?(?![\w-])")
_CODE_HEAD = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]{2,11}$")
_NOT_CODE = frozenset("ISO COVID SARS ICD CPT DSM IEC DIN RFC ANSI IEEE ASTM HL7 NCT MERS HPV HIV BRCA TNM AJCC WHO "
                      "NYHA GOLD CHA2DS2 EN UTF SHA MD5 AES RSA TLS SSL HTTP IPV4 IPV6 USB PCIE DDR GDPR HIPAA SOC PCI "
                      "FIPS NIST MIL CE FDA EMA INV REF PO SKU LOT ORD ORDER TKT TICKET INC CHG REQ PR BUG JIRA TASK "
                      "INVOICE BATCH CAT MODEL VER REV BUILD RMA QA QC".split())
# labels of things, not people ("invoice INV-2231", "order ORD-0042"); a study or case code is about a person
_NOT_CODE_CUE = re.compile(kw_first(("order", "invoice", "reference", "ref", "confirmation", "tracking", "ticket", "po",
                                     r"purchase\s+order", "transaction", "item", "part", "sku", "lot", "batch",
                                     "catalog", "model", "version", "build", "protocol", "ndc", "cpt", "icd"))
                           + r"\b\.?(?i:\s*(?:number|num|no\.?|nbr|id|\#)?\s*[:#=]?\s*)$")
_CODE_CUE = re.compile(kw_first(("study", "trial", "enrol", "enroll", "enrollment", "enrolment", "case", "subject",
                                 "participant", "cohort", "screening", "randomi", "template", "biometric", "registry",
                                 "record", "patient", "sample", "specimen", "kit", "id", "code", "number", "ref"),
                                not_before=r"\w") + r"(?i:[^\n]{0,30})$")
_PHOTO_EXT = re.compile(r"\.(?i:png|jpe?g|gif|bmp|tiff?|heic|webp|dcm|raw)(?![\w.])")
_PHOTO_STEM = re.compile(r"[\w.-]{2,80}$")
_PHOTO_HINT = re.compile(r"(?i)frontal|face|portrait|headshot|selfie|profile|photo|mugshot|passport|id[_-]?card|"
                         r"patient|pt[_-]|scan|img|pic|\d{3,}|[a-z]{2,}[_-][a-z]{2,}")
_ORD = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
        "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth thirtieth").split()
_ORD_ALT = (r"(?:(?:twenty|thirty)[- ]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)|"
            + "|".join(_ORD) + ")")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)")
_YEAR = r"(?:,?\s+(?:of\s+)?(?:1[89]|20)\d{2})?"
# "the fourth of March" (found from " of "), "March the fourth" / "March the 4th" (found from " the ")
_ORD_OF_MONTH = re.compile(r"(?i:(?:the\s+)?" + _ORD_ALT + r")\s+of\s+(?:" + _MONTH + "|" + _MONTH.lower() + ")" + _YEAR
                           + r"$|(?i:(?:the\s+)?" + _ORD_ALT + r")\s+of\s+(?:" + _MONTH + "|" + _MONTH.lower() + r")"
                           + _YEAR)
_ORD_BEFORE = re.compile(r"(?i:(?:the\s+)?" + _ORD_ALT + r")\s+$")
_MONTH_AFTER_OF = re.compile(r"(?:" + _MONTH + "|" + _MONTH.lower() + r")(?![\w])" + _YEAR)
_MONTH_BEFORE_THE = re.compile(_MONTH + r"\s+$")
_ORD_AFTER_THE = re.compile(r"(?i:" + _ORD_ALT + r"|\d{1,2}(?:st|nd|rd|th)?)(?![\w])" + _YEAR)
_OF = re.compile(r"\s(?:of|OF|Of)\s")
_THE = re.compile(r"\s(?:the|The)\s")


@lru_cache(maxsize=4096)
def phone_valid_somewhere(digits: str) -> bool:
    """True when libphonenumber deems a number written with a national trunk "0" valid in one of the regions that
    dial one (parsing is the costly part: cached)."""
    for region in _TRUNK0_REGIONS:
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, region)):
                return True
        except phonenumbers.NumberParseException:
            continue
    return False


def _digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


_SENTENCE_PUNCT = re.compile(r"[.?!:;](?:\s|$)")
_ENDS_WITH_NUMBER = re.compile(r"\d\.?$")
# a floor / side after the house number ("Strøget 56a, st. th.", "Hovedgaden 3, 2. tv."): not a sentence's full stop
_TRAILING_UNIT = re.compile(r"(?<=\d)[a-zA-Z]?,?[ \t]+(?:\d{1,2}\.[ \t]*)?(?:st|th|tv|mf|sal)\.(?:[ \t]*(?:th|tv|mf)\.)?$")
_CITY_RX = re.compile(_CITY)
_LABEL = re.compile(r"[ \t]*[A-Za-z][A-Za-z /]{0,24}:[ \t]*")
_ADDRESS_LINE = re.compile(r"\d|(?i:\b(?:" + "|".join(re.escape(t) for t in _TYPES_FIRST + _TYPES_AFTER)
                           + r")(?!\w))|(?i:straße|strasse|gatan|vej|veien|straat|laan|singel|torget|plassen|flat|apt"
                           r"|suite|unit|c/o)")


def _field_start(text: str, s: int) -> bool:
    """``s`` opens a line or a comma-separated field."""
    k = s
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    return k == 0 or text[k - 1] in "\n,\t"


def _address_line_before(text: str, s: int) -> bool:
    """The line (or comma-separated field) before position ``s`` looks like a street line."""
    k = s
    while k > 0 and text[k - 1] in " \t":
        k -= 1
    if k == 0 or text[k - 1] not in "\n,":
        return False
    start = max(text.rfind("\n", 0, k - 1), text.rfind(",", 0, k - 1)) + 1
    line = text[start:k - 1]
    return 0 < len(line.strip()) <= 60 and _ADDRESS_LINE.search(line) is not None


_POSTCODE_CUES = ("postcode", "post code", "postal code", "zip", "plz", "postleitzahl", "cep ", "cep:", "cap ", "cap:",
                  "cp ", "cp:", "code postal", "código postal", "codigo postal", "postnummer", "postnr", "postinumero",
                  "pin code", "pincode", "eircode", "psč", "tk ", "kod pocztowy", "irányítószám", "posta kodu")
_PHOTO_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp", ".dcm")
_MONTHS_LOW = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
               "dec")


_FIRST_SET = frozenset(t.rstrip(".") for t in _TYPES_FIRST) | frozenset(_TYPES_FIRST)
_AFTER_SET = frozenset(t.rstrip(".") for t in _TYPES_AFTER) | frozenset(_TYPES_AFTER)
_STREET_WORDS = frozenset(t.rstrip(".") for t in _TYPES_FIRST + _TYPES_AFTER) | frozenset(_TYPES_FIRST + _TYPES_AFTER)
_CUE_WORDS = frozenset("postcode post postal zip plz postleitzahl cep cap cp code código codigo postnummer postnr "
                       "postinumero pin pincode eircode psč tk kod pocztowy irányítószám posta kodu c.p".split())
_MONTH_THE = re.compile(kw_first([m.capitalize() for m in _MONTHS_LOW], ci=False) + r"\.?\s+(?:the|The)\s+")
_THE_ORDINAL = re.compile(r" the (?:\d|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
                          r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|"
                          r"twent|thirt)", re.IGNORECASE)
_ORD_OF = ("th of ", "st of ", "nd of ", "rd of ")


def scan(text: str, low: str, add, tokens: list[tuple[int, int]], dob_cue, has_digit: bool) -> None:
    """Every rule of this module. ``low``: ``text`` lower-cased with the same offsets; ``tokens``: the digit-initial
    tokens (start, end) the detector's number scanner found."""
    if has_digit:
        for ts, te in tokens:
            if te - ts == 4 and text[ts - 1:ts] in " \t" and (m := _AU_STATE_BEFORE.search(text, max(0, ts - 8), ts)) \
                    and text[ts:te].isdigit() and (te == len(text) or not (text[te].isalnum() or text[te] in "/-")):
                before = text[max(0, m.start() - 40):m.start()].rstrip(" \t").rsplit(None, 1)[-1:]
                if not before or before[0].lower() in _NOT_BEFORE_STATE \
                        or not (before[0][0].isupper() or before[0] == ","):
                    continue
                if text[ts:ts + 2] in ("19", "20") and _FIELD_END.match(text, te) is None:
                    continue  # "NSW 2019 floods": a year
                add((ts, te, C.ZIP, 0.85))
        if tokens:
            _near_numbers(text, low, add, tokens)
            _numbers(text, add, tokens)
            national_ids.find(text, add, tokens)
        if "-" in text and not text.islower():
            for m in _CODE_TAIL.finditer(text):
                h = _CODE_HEAD.search(text, max(0, m.start() - 12), m.start())
                if h is None or h.group() in _NOT_CODE \
                        or _NOT_CODE_CUE.search(text, max(0, h.start() - 32), h.start()):
                    continue
                conf = 0.85 if _CODE_CUE.search(text, max(0, h.start() - 40), h.start()) else 0.7
                add((h.start(), m.end(), C.MEDICAL_RECORD, conf))
    for dash in ("-", "\u2011"):
        k = text.find(dash, 1)
        while k > 0:
            if text[k - 1].isupper() and text[k + 1:k + 2].isdigit():
                m = _PREFIXED_CODE.match(text, k - 2 if k >= 2 and text[k - 2].isupper() else k - 1)
                if m is not None:
                    add((m.start(), m.end(), C.ZIP, 0.88))  # "D-10115", "SE-414 40", "LT-05295"
                    after = _CITY_AFTER.match(text, m.end())
                    if after is not None:
                        add((after.start("city"), after.end("city"), C.CITY, 0.8))
            k = text.find(dash, k + 1)
    k = text.find(":")
    while k > 0:
        label = low[max(0, k - 24):k].rstrip(" \t\"'").rsplit(None, 1)[-1:] if k else []
        if label and label[0].strip("\"'{,") in _CITY_LABELS:
            m = _CITY_VALUE.match(text, k + 1)
            if m is not None:
                add((m.start("city"), m.end("city"), C.CITY, 0.85))  # "City: Fort Wayne", "Ort: Graz", '"city": "Riga"'
        k = text.find(":", k + 1)
    if has_digit and "\n" in text:
        k = text.find("\n")
        while k >= 0:  # at each line start: a letter's dateline, a unit line
            nxt = text[k + 1:k + 2]
            if nxt.isupper():
                m = _DATELINE.match(text, k + 1)
                if m is not None:
                    add((m.start("city"), m.end("city"), C.CITY, 0.8))
            if nxt.isalnum():
                m = _UNIT_LINE.match(text, k + 1)
                if m is not None:
                    add((m.start("u"), m.end("u"), C.ADDRESS, 0.8))
            k = text.find("\n", k + 1)
    if "." in text:
        for m in _PHOTO_EXT.finditer(text):
            st = _PHOTO_STEM.search(text, max(0, m.start() - 80), m.start())
            if st is not None and not (st.start() > 0 and text[st.start() - 1] == "/") \
                    and _PHOTO_HINT.search(st.group()):
                add((st.start(), m.end(), C.URL, 0.8))
    if "c/o" in low or "care of" in low:
        for m in _CARE_OF.finditer(text):
            add((m.start("n"), m.end("n"), C.NAME, 0.85))
    for key in _ORD_OF:
        k = low.find(key)
        while k >= 0:
            b = _ORD_BEFORE.search(text, max(0, k - 28), k + 3)
            m = _MONTH_AFTER_OF.match(text, k + len(key)) if b is not None else None
            if m is not None:
                add((b.start(), m.end(), C.DOB if dob_cue(text, b.start()) else C.DATE, 0.85))
            k = low.find(key, k + 1)
    for t in (_MONTH_THE.finditer(text) if _THE_ORDINAL.search(text) else ()):
        m = _ORD_AFTER_THE.match(text, t.end())
        if m is not None:
            add((t.start(), m.end(), C.DOB if dob_cue(text, t.start()) else C.DATE, 0.85))


def _type_after(low: str, e: int) -> list[str]:
    """The word after a house number, past "bis" / "ter" ("116 bis, chemin de Weiss"): maybe a street type."""
    words = low[e:e + 32].replace(",", " ").split()[:2]
    return words[1:] if words and words[0] in ("bis", "ter", "quater") else words[:1]


def _near_numbers(text: str, low: str, add, tokens: list[tuple[int, int]]) -> None:
    """Streets and cued postal codes are found from their number: the few words before it (type first or after:
    "Calle Mayor 12", "Westermarckin kuja 63", "PLZ 8001") or right after it ("8, avenue Manon Gillet")."""
    done_street = -1
    cued = False
    for s, e in tokens:
        seg = text[max(0, s - 32):s].rstrip(" \t,:.#=\"'")
        word = seg[max(seg.rfind(" "), seg.rfind("\n"), seg.rfind("\t")) + 1:].lstrip("\"'({[")  # JSON keys too
        if word.lower() in _NUMBER_SIGNS:  # "Plaza Mayor, nº 71b": the street is before the number sign
            seg = seg[:len(seg) - len(word)].rstrip(" \t,")
            word = seg[max(seg.rfind(" "), seg.rfind("\n"), seg.rfind("\t")) + 1:].lstrip("\"'({[")
        prev = word.lower().rstrip(".:")
        if not (word[:1].isupper() or prev in _STREET_WORDS or prev in _CUE_WORDS):
            nxt = _type_after(low, e)
            if nxt and nxt[0].strip(".") in _FIRST_SET:
                w = low.find(nxt[0], e)
                _street_at(text, w, w + len(nxt[0]) + 1, True, False, add)  # "8, avenue Manon Gillet"
            continue
        if text[e:e + 1] == "/" and len(word) > 3 and not word.isupper() and text[s - 1:s] == " ":
            m = _SLASH_NUMBER.match(text, e)
            ws = s - 1 - len(word)
            if m is not None and text[ws:s - 1] == word:
                add((ws, m.end(), C.ADDRESS, 0.8))  # "Vlasákova 1157/21", "Národní 1120/40"
        before = low[max(0, s - 48):s].split()[-6:]
        words = [w.strip(".,:;()\"'{[") for w in before]
        if not cued and any(w in _CUE_WORDS for w in words[-3:]):
            cued = True
        if s < done_street:
            continue
        for w in words:
            if w in _STREET_WORDS:
                k = low.rfind(w, max(0, s - 48), s)
                if k >= 0 and (k == 0 or not low[k - 1].isalnum()) and low[max(0, k - 3):k] != "et ":
                    first, after = w in _FIRST_SET, w in _AFTER_SET
                    end = k + len(w)
                    if end < len(low) and low[end] == ".":
                        end += 1
                    if end < len(low) and low[end] in " \t":
                        _street_at(text, k, end + 1, first, after, add)
                break
        nxt = _type_after(low, e)
        if nxt and nxt[0].strip(".") in _FIRST_SET:
            k = low.find(nxt[0], e)
            _street_at(text, k, k + len(nxt[0]) + 1, True, False, add)
    if cued:
        for m in _POSTCODE_CUE.finditer(text):
            add((m.start("code"), m.end("code"), C.ZIP, 0.92))


def _street_at(text: str, start: int, end: int, first: bool, after: bool, add) -> None:
    """A street type word at text[start:end] (its trailing space included)."""
    type_end = end - 1
    if first:
        m = _AFTER_FIRST_TYPE.match(text, type_end)
        b = _NUM_BEFORE_TYPE.search(text, max(0, start - 12), start)
        if m is not None:
            # "Calle Mayor 12"; with a house number before the type, what follows the name is the postcode
            # ("116 bis, chemin des Vignes, 69005 Lyon")
            add((b.start() if b is not None else start, m.end(), C.ADDRESS, 0.85))
            return
        if b is not None:
            m = _REST_AFTER_NUM_TYPE.match(text, type_end)
            if m is not None:
                add((b.start(), m.end(), C.ADDRESS, 0.85))  # "8, avenue Manon Gillet"
                return
    if after:
        m = _NUM_AFTER_TYPE.match(text, type_end)
        if m is not None:
            b = _WORDS_BEFORE_TYPE.search(text, max(0, start - 60), start)
            if b is not None:
                add((b.start(), m.end(), C.ADDRESS, 0.85))  # "Westermarckin kuja 63"


def _numbers(text: str, add, tokens: list[tuple[int, int]]) -> None:
    """Postal codes, national phone numbers and dates with a month in words, tried only at the digit-initial tokens."""
    n = len(text)
    for s, e in tokens:
        c = text[s]
        if e - s <= 4 and e < n and text[e] in " ." and _month_word_after(text, e):
            d = _DATE_WORDS.match(text, s)
            if d is not None and d.group("m").lower().rstrip(".") in MONTH_NAMES:
                add((s, d.end(), C.DATE, 0.85))  # "4. März 2023", "15 października 2021", "2023 m. kovo 4 d."
                continue
        if c == "+":
            continue  # international numbers: the detector's own rule
        if s > 0 and text[s - 1] == "(" and e < n and text[e] == ")":
            _phone_at(text, s - 1, add)  # "(02) 9374-4000"
            continue
        if c == "(" or (e < n and text[e] in " -.)/" and e + 1 < n and (text[e + 1].isdigit() or text[e + 1] in " (/")) \
                or (c == "0" and ("." in text[s:e] or " " in text[s:e])):
            _phone_at(text, s, add)  # "0612 34 56 78", "06.23.50.58.16"
        if c == "(":
            continue
        run = e - s
        nxt = text[e:e + 3]
        # UK / Canadian inward code ("2AA", "0B1") closing a postcode
        if run == 1 and len(nxt) >= 2 and nxt[0].isupper() and (nxt[1].isupper() or nxt[1].isdigit()):
            m = POSTCODE_STRONG.search(text, max(0, s - 6), min(n, s + 3))
            if m is not None and m.end() == s + 3 and not (m.start() > 0 and (text[m.start() - 1].isalnum()
                                                                               or text[m.start() - 1] == "-")):
                add((m.start(), m.end(), C.ZIP, 0.85))
                city = _CITY_BEFORE.search(text, max(0, m.start() - 40), m.start()) \
                    or _CITY_PROVINCE_BEFORE.search(text, max(0, m.start() - 48), m.start())
                if city is not None and _field_start(text, city.start("city")) \
                        and _POSTCODE_CUE_WORD.search(city.group("city")) is None:
                    add((city.start("city"), city.end("city"), C.CITY, 0.75))  # "London NW1 6XE"
            continue
        if run < 2 or run > 5:
            continue
        after_c = text[e:e + 2]
        if run == 4 and (after_c[:1].isupper() or (after_c[:1] == " " and after_c[1:].isupper())):
            m = _NL_RX.match(text, s)
        else:
            m = None
        if m is not None:
            me = m.end()
            rest = text[me:me + 3]
            if text[me - 2:me] not in _NOT_NL and (not rest or rest[0] in ",\n" or rest[:2].strip() == ""
                                                   or (rest[0] == " " and rest[1:2].isupper())):
                add((s, me, C.ZIP, 0.8))
                after = _CITY_AFTER.match(text, me)
                if after is not None:
                    add((after.start("city"), after.end("city"), C.CITY, 0.75))
                continue
        if run == 5 and after_c[:1] == "-":
            m = _BR.match(text, s)
            if m is not None:
                add((s, m.end(), C.ZIP, 0.85))
                continue
        # a code is followed by its city, by the other half of a spaced code, or ends an address field
        if not (e >= n or after_c[:1] in ",.;\n)-\"'|]}/" or (after_c[:1] in " \t" and (after_c[1:].isupper() or after_c[1:].isdigit()
                                                                                or after_c[1:] in " \t"))):
            continue
        m = _FIELD_CODE.match(text, s)
        if m is not None:
            _field_code(text, s, m.end(), add)


def _month_word_after(text: str, e: int) -> bool:
    """The word after a number (past "." and blanks, "m." and "gada" of the Baltic forms, Romance "de") is a month."""
    rest = text[e:e + 24].lower().replace(".", " ").split()
    while rest and rest[0] in ("m", "gada", "de"):
        rest.pop(0)
    return bool(rest) and rest[0].rstrip(",;") in MONTH_NAMES


def _phone_at(text: str, s: int, add) -> None:
    m = PHONE_SHAPE.match(text, s)
    if m is None:
        return
    e = m.end()
    g = m.group()
    digits = _digits(g)
    if not 7 <= len(digits) <= 15 or non_phi_label_before(text, s):
        return
    cue = _PHONE_CUE.search(text, max(0, s - 40), s)
    if cue is not None:
        fax = _FAX_CUE.search(text, max(0, s - 40), s)
        add((s, e, C.FAX if fax is not None and fax.start() >= cue.start() else C.PHONE, 0.82))
    elif digits.startswith("00") and len(digits) >= 10:
        add((s, e, C.PHONE, 0.8))  # "00420 734 071 978": the international prefix
    elif digits[0] == "0" and len(digits) >= 9 and phone_valid_somewhere(digits):
        add((s, e, C.PHONE, 0.75))


def _field_code(text: str, s: int, e: int, add) -> None:
    """A 4-5 digit (or "114 55", "13-500", "1000-001") code next to its city, in an address field."""
    code = text[s:e]
    after = _CITY_AFTER.match(text, e)
    if len(code) == 3 and (after is None or not _field_start(text, s) or text[s - 1:s] not in ("\n", "")):
        return  # a 3-digit code ("110 Reykjavík") only opening a line of its own
    if after is not None and (_field_start(text, s) or text[max(0, s - 4):s].lower() in (" in ", " en ", " em ", " à ")
                              or text[max(0, s - 3):s].lower() in (" i ", " w ", " v ", " a ")):
        if len(code) == 4 and code.isdigit() and code[:2] in ("19", "20") and not _address_line_before(text, s):
            return  # "2019 Annual report": a year
        add((s, e, C.ZIP, 0.8))
        add((after.start("city"), after.end("city"), C.CITY, 0.75))
        return
    if not (code.isdigit() or code[3:4] == " ") or _FIELD_END.match(text, e) is None:
        return
    before = _CITY_BEFORE.search(text, max(0, s - 48), s)
    if before is None or before.group("city") in _US_STATES or (before.group("st") and len(code) != 4):
        return  # "Springfield, IL 62704", "Port Jimmy, WA 27259": the US rules know this shape
    cs = before.start("city")
    if before.group("st") or _address_line_before(text, cs) or "\n" in text[cs:e] \
            or (_field_start(text, cs) and text[cs - 2:cs] in (", ", ",\t")):
        add((s, e, C.ZIP, 0.8))
        add((cs, before.end("city"), C.CITY, 0.75))


def postal_blocks(text: str, add, cands: list) -> None:
    """Lines above a postcode line (a postcode alone, or with its city) that look like an address: the street line,
    a unit line ("Flat 7"), a line ending in a street type ("Jones Light"); the line right above a bare postcode is
    the city ("North Holly")."""
    for s, e, cat, _ in [c for c in cands if c[2] == C.ZIP]:
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        if len(text[line_start:s].strip(" \t,")) > 40:
            continue
        k, taken = line_start, 0
        bare = not text[line_start:s].strip(" \t,") and not text[e:line_end].strip(" \t,.")
        while k > 0 and taken < 3:
            prev_end = k - 1
            prev_start = text.rfind("\n", 0, prev_end) + 1
            line = text[prev_start:prev_end]
            stripped = line.strip()
            label = _LABEL.match(stripped)
            body = stripped[label.end():] if label else stripped
            if not body or len(body) > 60 or not (body[0].isupper() or body[0].isdigit() or body[:3].lower() == "c/o"):
                break
            if _SENTENCE_PUNCT.search(_TRAILING_UNIT.sub("", body)) and not _ENDS_WITH_NUMBER.search(body):
                break  # a sentence, or a label alone ("Address:")
            street = _ADDRESS_LINE.search(body) is not None or body.split()[-1].rstrip(".,") in _SUFFIXES
            if not street and not (bare and taken == 0):
                break  # a practice or department name above the address
            ls = prev_start + len(line) - len(line.lstrip()) + (stripped.index(body) if label else 0)
            add((ls, prev_start + len(line.rstrip()), C.ADDRESS if street else C.CITY, 0.8))
            taken += 1
            k = prev_start
        if bare and line_end < len(text):
            # "7170BM\n's-Heer Hendrikskinderen": the city on the line after a bare postcode
            nxt_end = text.find("\n", line_end + 1)
            nxt_end = len(text) if nxt_end < 0 else nxt_end
            nxt = text[line_end + 1:nxt_end].strip()
            if 0 < len(nxt) <= 40 and _CITY_RX.fullmatch(nxt):
                ns = text.index(nxt, line_end + 1)
                add((ns, ns + len(nxt), C.CITY, 0.75))
