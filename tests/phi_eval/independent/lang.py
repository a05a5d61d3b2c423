"""Language data the generated documents need: month names, how dates are written, the cue words of forms and letters.
Written for this set (not taken from the repository)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random
from typing import Callable


@dataclass(frozen=True)
class Language:
    code: str
    months: tuple[str, ...]
    long_date: Callable[[dt.date, tuple[str, ...]], str]
    numeric_dates: tuple[str, ...]  # strftime-like with {d} {dd} {m} {mm} {yyyy} {yy}
    phone: tuple[str, ...]
    mobile: tuple[str, ...]
    fax: tuple[str, ...]
    email: tuple[str, ...]
    dob: tuple[str, ...]
    zip_cue: tuple[str, ...]
    age: str  # "{n}" is the age
    care_of: str = "c/o"
    months_alt: tuple[str, ...] | None = None  # genitive / locative forms used in long dates

    @staticmethod
    def numeric(fmt: str, d: dt.date) -> str:
        return fmt.format(d=d.day, dd=f"{d.day:02d}", m=d.month, mm=f"{d.month:02d}", yyyy=d.year, yy=f"{d.year % 100:02d}")


def _m(s: str) -> tuple[str, ...]:
    return tuple(s.split())


EN_MONTHS = _m("January February March April May June July August September October November December")
_ORD = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


def en_ordinal(n: int) -> str:
    return f"{n}{_ORD.get(n, 'th')}"


LANGUAGES: dict[str, Language] = {}


def _add(lang: Language) -> None:
    LANGUAGES[lang.code] = lang


_add(Language(
    "en", EN_MONTHS,
    lambda d, m: [f"{d.day} {m[d.month - 1]} {d.year}", f"{m[d.month - 1]} {d.day}, {d.year}",
                  f"{m[d.month - 1]} {en_ordinal(d.day)} {d.year}", f"{d.day} {m[d.month - 1][:3]} {d.year}"][d.toordinal() % 4],
    ("{dd}/{mm}/{yyyy}", "{d}/{m}/{yyyy}", "{yyyy}-{mm}-{dd}", "{dd}.{mm}.{yyyy}", "{dd}/{mm}/{yy}"),
    ("Tel", "Tel.", "Phone", "Telephone", "Ph"), ("Mobile", "Mob", "Cell"), ("Fax", "Fax no."), ("Email", "E-mail"),
    ("DOB", "Date of birth", "D.O.B.", "Born"), ("Postcode", "ZIP", "Post code", "Postal code"), "{n}-year-old"))
_add(Language(
    "de", _m("Januar Februar März April Mai Juni Juli August September Oktober November Dezember"),
    lambda d, m: f"{d.day}. {m[d.month - 1]} {d.year}",
    ("{dd}.{mm}.{yyyy}", "{d}.{m}.{yyyy}", "{dd}.{mm}.{yy}"),
    ("Tel.", "Telefon", "Tel"), ("Mobil", "Handy", "Mobiltelefon"), ("Fax", "Telefax"), ("E-Mail", "Mail"),
    ("geb.", "Geburtsdatum", "geboren am"), ("PLZ", "Postleitzahl"), "{n} Jahre alt"))
_add(Language(
    "fr", _m("janvier février mars avril mai juin juillet août septembre octobre novembre décembre"),
    lambda d, m: f"{'1er' if d.day == 1 else d.day} {m[d.month - 1]} {d.year}",
    ("{dd}/{mm}/{yyyy}", "{dd}.{mm}.{yyyy}", "{dd}/{mm}/{yy}"),
    ("Tél.", "Téléphone", "Tél"), ("Portable", "Mobile"), ("Fax", "Télécopie"), ("Courriel", "E-mail", "Mél."),
    ("né(e) le", "Date de naissance", "DDN"), ("CP", "Code postal"), "âgé(e) de {n} ans"))
_add(Language(
    "nl", _m("januari februari maart april mei juni juli augustus september oktober november december"),
    lambda d, m: f"{d.day} {m[d.month - 1]} {d.year}",
    ("{dd}-{mm}-{yyyy}", "{d}-{m}-{yyyy}", "{dd}/{mm}/{yyyy}"),
    ("Tel.", "Telefoon", "Tel"), ("Mobiel", "GSM"), ("Fax",), ("E-mail", "Mail"),
    ("Geboortedatum", "geb.", "geboren op"), ("Postcode",), "{n} jaar"))
_add(Language(
    "sv", _m("januari februari mars april maj juni juli augusti september oktober november december"),
    lambda d, m: f"{d.day} {m[d.month - 1]} {d.year}",
    ("{yyyy}-{mm}-{dd}", "{d}/{m} {yyyy}", "{yy}{mm}{dd}"),
    ("Tel.", "Telefon", "Tfn"), ("Mobil", "Mobiltelefon"), ("Fax",), ("E-post", "Mejl"),
    ("Födelsedatum", "född"), ("Postnummer", "Postnr"), "{n} år"))
_add(Language(
    "da", _m("januar februar marts april maj juni juli august september oktober november december"),
    lambda d, m: f"{d.day}. {m[d.month - 1]} {d.year}",
    ("{dd}.{mm}.{yyyy}", "{d}/{m} {yyyy}", "{dd}-{mm}-{yyyy}"),
    ("Tlf.", "Telefon", "Tlf"), ("Mobil",), ("Fax",), ("E-mail", "Mail"),
    ("Fødselsdato", "født"), ("Postnr.", "Postnummer"), "{n} år"))
_add(Language(
    "is", _m("janúar febrúar mars apríl maí júní júlí ágúst september október nóvember desember"),
    lambda d, m: f"{d.day}. {m[d.month - 1]} {d.year}",
    ("{d}.{m}.{yyyy}", "{dd}.{mm}.{yyyy}"),
    ("Sími", "S."), ("Farsími", "GSM"), ("Fax", "Bréfsími"), ("Netfang",),
    ("Fæðingardagur", "fædd(ur)"), ("Póstnúmer", "Pnr."), "{n} ára"))
_add(Language(
    "fi", _m("tammikuu helmikuu maaliskuu huhtikuu toukokuu kesäkuu heinäkuu elokuu syyskuu lokakuu marraskuu joulukuu"),
    lambda d, m: f"{d.day}. {m[d.month - 1]}ta {d.year}",
    ("{d}.{m}.{yyyy}", "{dd}.{mm}.{yyyy}"),
    ("Puh.", "Puhelin"), ("Matkapuhelin", "GSM"), ("Faksi",), ("Sähköposti",),
    ("Syntymäaika", "s."), ("Postinumero",), "{n}-vuotias"))
_add(Language(
    "pl", _m("styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień"),
    lambda d, m: f"{d.day} {m[d.month - 1]} {d.year}",
    ("{dd}.{mm}.{yyyy}", "{d}.{mm}.{yyyy}", "{dd}-{mm}-{yyyy}"),
    ("Tel.", "Telefon"), ("Tel. kom.", "Komórka"), ("Faks",), ("E-mail",),
    ("Data urodzenia", "ur."), ("Kod pocztowy",), "lat {n}",
    months_alt=_m("stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia")))
_add(Language(
    "cs", _m("leden únor březen duben květen červen červenec srpen září říjen listopad prosinec"),
    lambda d, m: f"{d.day}. {m[d.month - 1]} {d.year}",
    ("{d}. {m}. {yyyy}", "{dd}.{mm}.{yyyy}"),
    ("Tel.", "Telefon"), ("Mobil",), ("Fax",), ("E-mail",),
    ("Datum narození", "nar."), ("PSČ",), "{n} let",
    months_alt=_m("ledna února března dubna května června července srpna září října listopadu prosince")))
_add(Language(
    "tr", _m("Ocak Şubat Mart Nisan Mayıs Haziran Temmuz Ağustos Eylül Ekim Kasım Aralık"),
    lambda d, m: f"{d.day} {m[d.month - 1]} {d.year}",
    ("{dd}.{mm}.{yyyy}", "{dd}/{mm}/{yyyy}"),
    ("Tel", "Telefon"), ("Cep", "GSM"), ("Faks",), ("E-posta",),
    ("Doğum tarihi", "D.T."), ("Posta kodu",), "{n} yaşında"))
_add(Language(
    "vi", tuple(f"tháng {i}" for i in range(1, 13)),
    lambda d, m: f"ngày {d.day} {m[d.month - 1]} năm {d.year}",
    ("{dd}/{mm}/{yyyy}", "{d}/{m}/{yyyy}"),
    ("ĐT", "Điện thoại"), ("Di động", "DĐ"), ("Fax",), ("Email",),
    ("Ngày sinh", "NS"), ("Mã bưu chính",), "{n} tuổi"))
_add(Language(
    "pt", _m("janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro"),
    lambda d, m: f"{d.day} de {m[d.month - 1]} de {d.year}",
    ("{dd}/{mm}/{yyyy}", "{d}/{m}/{yyyy}"),
    ("Tel.", "Telefone", "Fone"), ("Celular", "Cel."), ("Fax",), ("E-mail",),
    ("Data de nascimento", "DN", "nascido(a) em"), ("CEP",), "{n} anos"))
_add(Language(
    "es", _m("enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"),
    lambda d, m: f"{d.day} de {m[d.month - 1]} de {d.year}",
    ("{dd}/{mm}/{yyyy}", "{d}/{m}/{yyyy}", "{dd}-{mm}-{yyyy}"),
    ("Tel.", "Teléfono", "Tfno."), ("Móvil", "Cel."), ("Fax",), ("Correo", "E-mail"),
    ("Fecha de nacimiento", "F. nac.", "nacido/a el"), ("CP", "Código postal"), "{n} años"))
_add(Language(
    "it", _m("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"),
    lambda d, m: f"{d.day} {m[d.month - 1]} {d.year}",
    ("{dd}/{mm}/{yyyy}", "{d}/{m}/{yyyy}", "{dd}.{mm}.{yyyy}"),
    ("Tel.", "Telefono"), ("Cell.", "Cellulare"), ("Fax",), ("E-mail", "Email"),
    ("nato/a il", "Data di nascita"), ("CAP",), "di {n} anni"))
_add(Language(
    "lt", _m("sausis vasaris kovas balandis gegužė birželis liepa rugpjūtis rugsėjis spalis lapkritis gruodis"),
    lambda d, m: f"{d.year} m. {m[d.month - 1]} {d.day} d.",
    ("{yyyy}-{mm}-{dd}", "{yyyy}.{mm}.{dd}"),
    ("Tel.", "Telefonas"), ("Mob.", "Mobilusis"), ("Faksas",), ("El. paštas",),
    ("Gimimo data", "gim."), ("Pašto kodas",), "{n} metų",
    months_alt=_m("sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio gruodžio")))
_add(Language(
    "lv", _m("janvāris februāris marts aprīlis maijs jūnijs jūlijs augusts septembris oktobris novembris decembris"),
    lambda d, m: f"{d.year}. gada {d.day}. {m[d.month - 1]}",
    ("{dd}.{mm}.{yyyy}", "{dd}.{mm}.{yyyy}."),
    ("Tālr.", "Tālrunis"), ("Mob.",), ("Fakss",), ("E-pasts",),
    ("Dzimšanas datums", "dz."), ("Pasta indekss",), "{n} gadi",
    months_alt=_m("janvārī februārī martā aprīlī maijā jūnijā jūlijā augustā septembrī oktobrī novembrī decembrī")))
_add(Language(
    "et", _m("jaanuar veebruar märts aprill mai juuni juuli august september oktoober november detsember"),
    lambda d, m: f"{d.day}. {m[d.month - 1]} {d.year}",
    ("{dd}.{mm}.{yyyy}", "{d}.{m}.{yyyy}"),
    ("Tel.", "Telefon"), ("Mob.", "Mobiil"), ("Faks",), ("E-post",),
    ("Sünniaeg", "sünd."), ("Postiindeks",), "{n}-aastane"))

_EN_ORDINAL_WORDS = ("first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
                     "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth twenty-first "
                     "twenty-second twenty-third twenty-fourth twenty-fifth twenty-sixth twenty-seventh twenty-eighth "
                     "twenty-ninth thirtieth thirty-first").split()


def english_prose_date(rnd: Random, d: dt.date) -> str:
    """Dates as people write them in prose: "the fourth of March", "March 4th", "4th March"."""
    month = EN_MONTHS[d.month - 1]
    return rnd.choice([
        f"the {_EN_ORDINAL_WORDS[d.day - 1]} of {month}", f"{month} {en_ordinal(d.day)}", f"{en_ordinal(d.day)} of {month}",
        f"{en_ordinal(d.day)} {month}", f"{month} {d.day}", f"{month} the {en_ordinal(d.day)}",
    ])
