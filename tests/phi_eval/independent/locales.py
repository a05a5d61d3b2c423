"""Twenty-three locale profiles: where names, streets, postcodes and phone numbers come from and how they are written.

Names come from Faker's locale providers; streets from Faker where its locale has native street names, mixed half and
half with real street names written here; cities, postcode shapes, address layouts, phone formats and national
identifiers are written here for each country (Faker falls back to US formats for several of them)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from random import Random
from typing import Callable

from faker import Faker

from . import checks
from .fill import digits, fill


@dataclass(frozen=True)
class StreetLine:
    value: str
    street: str  # the street name inside value (a key: it must not survive on its own)


@dataclass(frozen=True)
class Profile:
    code: str
    lang: str
    country: str
    country_lines: tuple[str, ...]
    cities: tuple[str, ...]
    streets: tuple[str, ...]
    street_from_faker: bool
    street_line: Callable[[Random, str], StreetLine]
    unit_lines: tuple[str, ...]  # lines before the street line (fill patterns)
    postcode: Callable[[Random, Faker], str]
    city_lines: tuple[str, ...]  # "{zip} {city}", "{city} {state} {zip}", "{city}\n{zip}"
    states: tuple[str, ...]
    po_boxes: tuple[str, ...]
    landlines: tuple[str, ...]
    mobiles: tuple[str, ...]
    national_id: Callable[[Random, Faker, dt.date, bool], str]
    national_id_cues: tuple[str, ...]
    districts: tuple[str, ...] = ()  # a line between street and city (suburb, bairro, phường)
    plate: Callable[[Random, Faker], str] | None = None
    iban: Callable[[Random, Faker], str] | None = None
    health_id: tuple[str, str, Callable[[Random], str]] | None = None  # (category, cue, generator)

    def faker(self) -> Faker:
        return _faker(self.code)

    def street(self, rnd: Random, fk: Faker) -> StreetLine:
        name = fk.street_name() if self.street_from_faker and rnd.random() < 0.5 else rnd.choice(self.streets)
        return self.street_line(rnd, name)


_FAKERS: dict[str, Faker] = {}


def _faker(code: str) -> Faker:
    if code not in _FAKERS:
        _FAKERS[code] = Faker(code)
    return _FAKERS[code]


def _num(rnd: Random, letters: str = "", hi: int = 180) -> str:
    n = str(rnd.randint(1, hi))
    if letters and rnd.random() < 0.2:
        n += rnd.choice(letters)
    return n


def _sl(fmt: str) -> Callable[[Random, str], StreetLine]:
    """A street-line layout; {n} is a house number, {a} a flat number, {u} a letter."""
    def make(rnd: Random, street: str) -> StreetLine:
        value = fmt.format(s=street, n=_num(rnd, "" if "{u}" in fmt else "ab"), a=rnd.randint(1, 60), u=rnd.choice("ABCD"), f=rnd.randint(1, 6))
        return StreetLine(value, street)
    return make


def _sl_any(*fmts: str) -> Callable[[Random, str], StreetLine]:
    makers = [_sl(f) for f in fmts]
    return lambda rnd, street: rnd.choice(makers)(rnd, street)


def _faker_postcode(spaced: Callable[[str], str] | None = None) -> Callable[[Random, Faker], str]:
    def make(rnd: Random, fk: Faker) -> str:
        code = fk.postcode()
        return spaced(code) if spaced else code
    return make


def _pattern_postcode(*patterns: str) -> Callable[[Random, Faker], str]:
    return lambda rnd, fk: fill(rnd, rnd.choice(patterns))


def _choice_postcode(codes: str) -> Callable[[Random, Faker], str]:
    items = tuple(codes.split(","))
    return lambda rnd, fk: rnd.choice(items).strip()


def _dob_digits(d: dt.date) -> str:
    return f"{d.day:02d}{d.month:02d}{d.year % 100:02d}"


# --- national identifiers --------------------------------------------------------------------------------------------

def _gb_nino(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    while True:
        a, b = rnd.choice("ABCEGHJKLMNOPRSTWXYZ"), rnd.choice("ABCEGHJKLMNPRSTWXYZ")
        if a + b not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    n = digits(rnd, 6)
    return rnd.choice([f"{a}{b} {n[:2]} {n[2:4]} {n[4:]} {rnd.choice('ABCD')}", f"{a}{b}{n}{rnd.choice('ABCD')}"])


def _ca_sin(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    s = checks.ca_sin(rnd.choice("1234567") + digits(rnd, 7))
    return rnd.choice([f"{s[:3]} {s[3:6]} {s[6:]}", f"{s[:3]}-{s[3:6]}-{s[6:]}", s])


def _au_tfn(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    while (s := checks.au_tfn(digits(rnd, 8, True))) is None:
        pass
    return f"{s[:3]} {s[3:6]} {s[6:]}"


def _nz_ird(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    while (s := checks.nz_ird(str(rnd.randint(10_000_000, 99_999_999)))) is None:
        pass
    return f"{s[:2]}-{s[2:5]}-{s[5:]}"


def _de_idnr(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    # ten digits, first non-zero, exactly one digit repeated (twice or three times) among the first ten
    while True:
        ten = digits(rnd, 10, True)
        counts = sorted((ten.count(c) for c in set(ten)), reverse=True)
        if counts[0] in (2, 3) and counts.count(counts[0]) == 1 and all(c == 1 for c in counts[1:]):
            break
    s = checks.de_steuer_id(ten)
    return rnd.choice([s, f"{s[:2]} {s[2:5]} {s[5:8]} {s[8:]}"])


def _faker_ssn(fmt: Callable[[str], str] | None = None) -> Callable[[Random, Faker, dt.date, bool], str]:
    def make(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
        s = fk.ssn()
        return fmt(s) if fmt else s
    return make


def _dk_cpr(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    seq = rnd.randint(0, 3) * 1000 + rnd.randint(0, 499) * 2 + (0 if f else 1)
    return f"{_dob_digits(d)}-{seq:04d}"


def _is_kennitala(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    century = "9" if d.year < 2000 else "0"
    while (s := checks.kennitala(_dob_digits(d), f"{rnd.randint(20, 99)}", century)) is None:
        pass
    return rnd.choice([f"{s[:6]}-{s[6:]}", s])


def _cz_rc(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    month = d.month + (50 if f else 0)
    return checks.cz_birth_number(f"{d.year % 100:02d}{month:02d}{d.day:02d}", digits(rnd, 3))


def _vn_cccd(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    province = rnd.choice(["001", "079", "031", "048", "092", "036", "038", "075"])
    gender = (0 if d.year < 2000 else 2) + (1 if f else 0)
    return f"{province}{gender}{d.year % 100:02d}{digits(rnd, 6)}"


def _br_cpf(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    s = fk.cpf()
    return s if rnd.random() < 0.7 else s.replace(".", "").replace("-", "")


def _es_dni(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    if rnd.random() < 0.2:
        return fk.nie()
    s = checks.es_dni(digits(rnd, 8))
    return rnd.choice([s, f"{s[:8]}-{s[8]}"])


def _lt_code(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    first = (3 if d.year < 2000 else 5) + (1 if f else 0)
    return checks.lt_personal_code(f"{first}{d.year % 100:02d}{d.month:02d}{d.day:02d}{digits(rnd, 3)}")


def _ee_code(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    return _lt_code(rnd, fk, d, f)  # Estonia and Lithuania share the layout and the check digit


def _fr_nir(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    s = fk.ssn()
    if rnd.random() < 0.5:
        return f"{s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:10]} {s[10:13]} {s[13:]}"
    return s


def _se_pnr(rnd: Random, fk: Faker, d: dt.date, f: bool) -> str:
    s = fk.ssn()
    return s if rnd.random() < 0.6 else ("19" if s[:2] > "24" else "20") + s


# --- health, insurance ------------------------------------------------------------------------------------------------

def _nhs(rnd: Random) -> str:
    while (s := checks.nhs_number(digits(rnd, 9, True))) is None:
        pass
    return f"{s[:3]} {s[3:6]} {s[6:]}"


def _medicare(rnd: Random) -> str:
    s = checks.au_medicare(rnd.choice("23456") + digits(rnd, 7), rnd.choice("123456789"))
    return f"{s[:4]} {s[4:9]} {s[9]}"


def _ohip(rnd: Random) -> str:
    s = checks.ca_sin(digits(rnd, 9, True))  # Ontario health numbers carry a Luhn check digit
    return f"{s[:4]}-{s[4:7]}-{s[7:]} {fill(rnd, '@@')}"


def _kvnr(rnd: Random) -> str:
    return checks.de_kvnr(rnd.choice("ABCDEFGHIJKLMNOPRSTUVWZ"), digits(rnd, 8, True))


def _iban(country: str, *bban: str) -> Callable[[Random, Faker], str]:
    def make(rnd: Random, fk: Faker) -> str:
        raw = checks.iban(country, fill(rnd, rnd.choice(bban)))
        return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if rnd.random() < 0.5 else raw
    return make


def _faker_iban(rnd: Random, fk: Faker) -> str:
    raw = fk.iban()
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if rnd.random() < 0.5 else raw


def _plate(*patterns: str) -> Callable[[Random, Faker], str]:
    return lambda rnd, fk: fill(rnd, rnd.choice(patterns))


def _t(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split("|") if x.strip())


PROFILES: dict[str, Profile] = {}


def _add(p: Profile) -> None:
    PROFILES[p.code] = p


_add(Profile(
    "en_GB", "en", "GB", _t("United Kingdom|UNITED KINGDOM|UK"),
    _t("London|Manchester|Leeds|Bristol|Sheffield|Norwich|York|Cardiff|Edinburgh|Glasgow|Brighton|Exeter|Leicester"),
    _t("Baker Street|Victoria Road|Kingsway|Mill Lane|Church Street|Elm Grove|Station Road|Albion Terrace|The Crescent|"
       "Cavendish Place|Holloway Road|Brunswick Square|Park View|Rectory Close"),
    True, _sl_any("{n} {s}", "{n}{u} {s}", "Flat {a}, {n} {s}"),
    ("Flat %", "Flat %[A-D]", "Apartment %#", "Unit %", "Suite %0#", "Flat %#, Rosewood Court", "Basement Flat",
     "Ground Floor Flat"),
    _faker_postcode(), ("{city}\n{zip}", "{city} {zip}", "{city}\n{state}\n{zip}"), _t("Greater London|Yorkshire|Kent"),
    ("PO Box %##", "P.O. Box %#", "PO Box %###"),
    ("020 [378]### ####", "0161 [2-9]## ####", "0113 [2-5]## ####", "0121 [2-7]## ####", "+44 20 [378]### ####",
     "(0117) [249]## ####", "020 7946 0###"),
    ("07[4-57-9]## ######", "+44 7[4-57-9]## ######", "07[4-57-9]##-###-###"),
    _gb_nino, _t("NI number|National Insurance no.|NINO"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban, health_id=("MEDICAL_RECORD", "NHS number", _nhs)))
_add(Profile(
    "en_CA", "en", "CA", _t("Canada|CANADA"),
    _t("Ottawa|Toronto|Montréal|Vancouver|Calgary|Halifax|Winnipeg|Edmonton|Victoria|Kingston|Saskatoon"),
    _t("Wellington Street|Yonge Street|Rue Sainte-Catherine|Granville Street|Jasper Avenue|Spring Garden Road|"
       "Portage Avenue|Bank Street|Queen Street West|Elgin Street|Dundas Street"),
    True, _sl_any("{n} {s}", "{a}-{n} {s}", "{n} {s}, Unit {a}"),
    ("Unit %#", "Suite %0#", "Apt. %#", "Suite %##"),
    _faker_postcode(lambda c: c if " " in c else f"{c[:3]} {c[3:]}"),
    ("{city} {state} {zip}", "{city}, {state}  {zip}", "{city} ({state})\n{zip}"), _t("ON|BC|QC|AB|NS|MB|SK"),
    ("PO Box %###", "P.O. Box %##", "RR %, Station Main"),
    ("(416) [2-9]##-####", "613-[2-9]##-####", "+1 604 [2-9]## ####", "1-514-[2-9]##-####", "(902) [2-9]##-####"),
    ("(647) [2-9]##-####", "+1 587 [2-9]##-####", "778-[2-9]##-####"),
    _ca_sin, _t("SIN|Social Insurance Number"),
    plate=_plate("@@@@ %##", "@@@ %##", "%@@ @%#"), iban=None, health_id=("INSURANCE_ID", "OHIP", _ohip)))
_add(Profile(
    "en_AU", "en", "AU", _t("Australia|AUSTRALIA"),
    _t("Sydney|Melbourne|Brisbane|Perth|Adelaide|Hobart|Darwin|Newcastle|Geelong|Wollongong|Cairns"),
    _t("George Street|Collins Street|Oxford Street|Hay Street|Rundle Mall|Elizabeth Street|Military Road|"
       "Anzac Parade|Brunswick Street|Smith Street|Beach Road"),
    True, _sl_any("{n} {s}", "{a}/{n} {s}", "Unit {a}, {n} {s}"),
    ("Unit %#", "Level %#", "Suite %0#", "Shop %#"),
    _faker_postcode(), ("{city} {state} {zip}", "{city}  {state}  {zip}", "{city} {zip}"), _t("NSW|VIC|QLD|WA|SA|TAS|NT"),
    ("PO Box %##", "Locked Bag %#", "GPO Box %###"),
    ("(02) 9###-####", "(03) 9### ####", "(07) 3### ####", "+61 2 9### ####", "9### ####", "(08) 9### ####",
     "(02) 9374-4###"),
    ("04[0-3]# ### ###", "+61 4[0-3]# ### ###", "04[0-3]#-###-###"),
    _au_tfn, _t("TFN|Tax File Number"),
    plate=_plate("@@@-##@", "%@@-%@@", "@@ ##@@"), iban=None, health_id=("INSURANCE_ID", "Medicare no.", _medicare)))
_add(Profile(
    "en_NZ", "en", "NZ", _t("New Zealand|NEW ZEALAND|Aotearoa New Zealand"),
    _t("Auckland|Wellington|Christchurch|Hamilton|Dunedin|Tauranga|Napier|Nelson|Palmerston North|Rotorua"),
    _t("Queen Street|Lambton Quay|Cuba Street|Colombo Street|Ponsonby Road|Karangahape Road|George Street|"
       "Victoria Avenue|Rata Street|Kowhai Road|Tui Crescent"),
    True, _sl_any("{n} {s}", "{a}/{n} {s}", "Flat {a}, {n} {s}"),
    ("Flat %", "Unit %#", "Level %"),
    _faker_postcode(), ("{city} {zip}", "{city}\n{zip}"), (),
    ("PO Box %###", "Private Bag %####", "P.O. Box %##"),
    ("(09) 3## ####", "(04) 4## ####", "(03) 3## ####", "+64 9 3## ####", "09 3## ####"),
    ("021 ### ###", "022 ### ####", "027 ### ####", "+64 21 ### ###"),
    _nz_ird, _t("IRD number|IRD no."),
    districts=_t("Ponsonby|Grey Lynn|Te Aro|Kelburn|Riccarton|Mount Eden|Newtown|Remuera"),
    plate=_plate("@@@%##", "@@%###"), iban=None))
_add(Profile(
    "de_DE", "de", "DE", _t("Deutschland|DEUTSCHLAND|Germany"),
    _t("Berlin|Hamburg|München|Köln|Frankfurt am Main|Leipzig|Dresden|Stuttgart|Bremen|Hannover|Nürnberg|Freiburg"),
    _t("Hauptstraße|Bahnhofstraße|Schillerstraße|Goethestraße|Lindenallee|Am Markt|Kastanienweg|Karl-Marx-Allee|"
       "Friedrichstraße|Sonnenstraße|Mühlenweg|An der Alster|Kirchplatz"),
    True, _sl_any("{s} {n}", "{s} {n}{u}", "{s} {n}-{f}"),
    ("Hinterhaus, 3. OG", "Wohnung %#", "Seitenflügel links", "Apartment %#"),
    _faker_postcode(), ("{zip} {city}", "D-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("Postfach %# ## ##", "Postfach %####"),
    ("030 [2-9]######", "+49 30 901820", "+49 30 [2-9]######", "(030) [2-9]## ## ##", "089 [2-9]######",
     "0221 [2-9]#####", "+49 (0)89 [2-9]######", "040/[2-9]######"),
    ("0151 [1-9]#######", "0170 #######", "0176 ########", "+49 151 [1-9]#######", "0160 / #######"),
    _de_idnr, _t("Steuer-ID|Steuerliche Identifikationsnummer|IdNr."),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban, health_id=("INSURANCE_ID", "Versichertennummer", _kvnr)))
_add(Profile(
    "de_AT", "de", "AT", _t("Österreich|ÖSTERREICH|Austria"),
    _t("Wien|Graz|Linz|Salzburg|Innsbruck|Klagenfurt|Villach|Wels|St. Pölten|Dornbirn|Bregenz"),
    _t("Mariahilfer Straße|Landstraßer Hauptstraße|Herrengasse|Getreidegasse|Maria-Theresien-Straße|Ringstraße|"
       "Favoritenstraße|Annenstraße|Hauptplatz|Lastenstraße"),
    True, _sl_any("{s} {n}", "{s} {n}/{f}/{a}", "{s} {n}/{a}"),
    ("Stiege %, Tür %#", "Top %#", "2. Stock"),
    _faker_postcode(), ("{zip} {city}", "A-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("Postfach %##",),
    ("01 [2-9]## ## ##", "+43 1 [2-9]## ####", "0316 [2-9]#####", "0512 [2-9]#####", "+43 662 [2-9]#####"),
    ("0664 ### ####", "+43 664 #######", "0676 #######", "0699 ########"),
    _faker_ssn(lambda s: rnd_space(s, (4,))), _t("SV-Nummer|Sozialversicherungsnummer|VSNR"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "de_CH", "de", "CH", _t("Schweiz|SCHWEIZ|Switzerland"),
    _t("Zürich|Bern|Basel|Luzern|St. Gallen|Winterthur|Biel/Bienne|Thun|Chur|Schaffhausen|Zug"),
    _t("Bahnhofstrasse|Hauptstrasse|Dorfstrasse|Seestrasse|Marktgasse|Kramgasse|Limmatquai|Spitalgasse|"
       "Rennweg|Schulhausstrasse|Zürichstrasse"),
    True, _sl_any("{s} {n}", "{s} {n}{u}"),
    ("3. Stock", "Wohnung %", "Dachgeschoss"),
    _faker_postcode(), ("{zip} {city}", "CH-{zip} {city}", "{zip} {city}\n{country}"), _t("ZH|BE|BS|LU|SG|GR"),
    ("Postfach %##", "Case postale %##"),
    ("044 [2-9]## ## ##", "+41 44 [2-9]## ## ##", "031 [2-9]## ## ##", "061 [2-9]## ## ##", "+41 31 [2-9]## ## ##"),
    ("079 [2-9]## ## ##", "+41 79 [2-9]## ## ##", "076 [2-9]## ## ##", "078 [2-9]## ## ##"),
    lambda rnd, fk, d, f: checks.ch_ahv(digits(rnd, 9)), _t("AHV-Nr.|AHV-Nummer|AHVN13"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "fr_FR", "fr", "FR", _t("France|FRANCE"),
    _t("Paris|Lyon|Marseille|Toulouse|Bordeaux|Lille|Nantes|Strasbourg|Rennes|Montpellier|Grenoble|Dijon"),
    _t("rue de la République|avenue Victor Hugo|boulevard Voltaire|rue du Faubourg Saint-Antoine|place Bellecour|"
       "rue des Lilas|chemin des Vignes|allée des Tilleuls|rue Nationale|quai de la Loire|impasse du Moulin"),
    True, _sl_any("{n}, {s}", "{n} {s}", "{n} bis, {s}", "{n} ter {s}"),
    ("Bât. [A-D], esc. %", "Appartement %#", "Résidence Les Acacias", "Bâtiment [A-D]"),
    _faker_postcode(), ("{zip} {city}", "{zip} {city}\n{country}", "F-{zip} {city}"), (),
    ("BP %##", "Boîte postale %##", "CS %####"),
    ("0[1345] [2-8]# ## ## ##", "+33 (0)1 [2-8]# ## ## ##", "0[1345].[2-8]#.##.##.##", "+33 [1345] [2-8]# ## ## ##"),
    ("06 [12]# ## ## ##", "07 [5-8]# ## ## ##", "+33 6 [12]# ## ## ##", "06.[12]#.##.##.##"),
    _fr_nir, _t("N° de sécurité sociale|NIR|n° SS"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "nl_NL", "nl", "NL", _t("Nederland|NEDERLAND|The Netherlands"),
    _t("Amsterdam|Rotterdam|Den Haag|Utrecht|Eindhoven|Groningen|Tilburg|Breda|Nijmegen|Haarlem|Leiden|Zwolle"),
    _t("Kerkstraat|Dorpsstraat|Prinsengracht|Herengracht|Stationsweg|Molenweg|Julianalaan|Beatrixstraat|"
       "Oudegracht|Coolsingel|Lange Voorhout|Vondelstraat"),
    True, _sl_any("{s} {n}", "{s} {n}-{f}", "{s} {n}{u}", "{s} {n} hs", "{s} {n} II"),
    ("Appartement %#", "Woning %#"),
    _faker_postcode(lambda c: c if " " in c else f"{c[:4]} {c[4:]}"),
    ("{zip} {city}", "{zip}  {city}", "{zip} {city}\n{country}"), (),
    ("Postbus %###", "Postbus %#"),
    ("020 [2-9]## ####", "010 [2-9]## ####", "+31 20 [2-9]## ####", "(030) [2-9]## ## ##", "070-[2-9]######"),
    ("06 [1-5]#######", "06-[1-5]#######", "06[1-5]# ## ## ##", "+31 6 [1-5]### ####", "+31 (0)6 [1-5]#######"),
    _faker_ssn(), _t("BSN|Burgerservicenummer"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "sv_SE", "sv", "SE", _t("Sverige|SVERIGE|Sweden"),
    _t("Stockholm|Göteborg|Malmö|Uppsala|Västerås|Örebro|Linköping|Umeå|Lund|Jönköping|Luleå|Norrköping"),
    _t("Storgatan|Drottninggatan|Kungsgatan|Sveavägen|Vasagatan|Götgatan|Järnvägsgatan|Skolgatan|Ringvägen|"
       "Södra Förstadsgatan|Östra Hamngatan|Björkvägen"),
    True, _sl_any("{s} {n}", "{s} {n}{u}", "{s} {n}, lgh 1{f}0{f}", "{s} {n} {f} tr"),
    ("lgh 1%0%", "Port [A-C], lgh 1%0%"),
    _faker_postcode(lambda c: f"{c[:3]} {c[3:]}" if len(c) == 5 else c),
    ("{zip} {city}", "{zip}  {city}", "SE-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("Box %##", "Box %###", "Postbox %##"),
    ("08-[5-7]## ### ##", "031-[1-9]# ## ##", "+46 8 [5-7]## ### ##", "040-[1-9]# ## ##", "018-[1-9]# ## ##"),
    ("070-### ## ##", "073-### ## ##", "+46 70 ### ## ##", "072 ### ## ##"),
    _se_pnr, _t("personnummer|pnr|Personnr"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_iban("SE", "####################")))
_add(Profile(
    "da_DK", "da", "DK", _t("Danmark|DANMARK|Denmark"),
    _t("København|Aarhus|Odense|Aalborg|Esbjerg|Randers|Kolding|Horsens|Vejle|Roskilde|Helsingør"),
    _t("Vesterbrogade|Nørrebrogade|Strøget|Østergade|Søndergade|Algade|Havnegade|Skolevej|Kongensgade|Amagerbrogade"),
    True, _sl_any("{s} {n}", "{s} {n}, {f}. tv.", "{s} {n}, st. th.", "{s} {n}{u}, {f}. mf."),
    ("Lejlighed %#",),
    _faker_postcode(), ("{zip} {city}", "DK-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("Postboks %##", "Postboks %###"),
    ("3[2-68]%# ####", "+45 3[2-68] %# ## ##", "4[3-8] %# ## ##", "8[6-9] %# ## ##"),
    ("2# %# ## ##", "+45 2# %# ## ##", "4[0-2]%# ####", "5[0-3] %# ## ##"),
    _dk_cpr, _t("CPR-nr.|CPR|personnummer"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "is_IS", "is", "IS", _t("Ísland|ÍSLAND|Iceland"),
    _t("Reykjavík|Kópavogur|Hafnarfjörður|Akureyri|Garðabær|Mosfellsbær|Selfoss|Akranes|Ísafjörður|Egilsstaðir"),
    _t("Laugavegur|Skólavörðustígur|Hverfisgata|Bankastræti|Suðurgata|Hringbraut|Miklabraut|Kirkjubraut|"
       "Hafnarstræti|Tryggvagata|Álfheimar|Bárugata"),
    False, _sl_any("{s} {n}", "{s} {n}{u}"),
    ("Íbúð %0%",),
    _choice_postcode("101,102,103,104,105,107,108,110,200,201,210,220,221,270,300,400,600,603,700,800"),
    ("{zip} {city}", "IS-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("Pósthólf %##",),
    ("5[156]# ####", "+354 5[156]# ####", "46#-####"),
    ("[78][69]# ####", "+354 [78][69]# ####", "8[3-6]#-####"),
    _is_kennitala, _t("kennitala|kt."),
    plate=_plate("@@ @##", "@@@##"), iban=_iban("IS", "######################")))
_add(Profile(
    "fi_FI", "fi", "FI", _t("Suomi|SUOMI|Finland"),
    _t("Helsinki|Espoo|Tampere|Vantaa|Oulu|Turku|Jyväskylä|Lahti|Kuopio|Pori|Joensuu|Rovaniemi"),
    _t("Mannerheimintie|Aleksanterinkatu|Hämeenkatu|Kauppakatu|Rautatienkatu|Koulukatu|Puistokatu|Satamakatu|"
       "Hallituskatu|Kirkkokatu|Itäinen Pitkäkatu"),
    True, _sl_any("{s} {n}", "{s} {n} {u} {a}", "{s} {n} as {a}"),
    ("Asunto [A-C] %#", "as. %#"),
    _faker_postcode(), ("{zip} {city}", "FI-{zip} {city}", "{zip} {city}\n{country}"), (),
    ("PL %##", "PL %#"),
    ("09 [1-8]### ####", "+358 9 [1-8]### ###", "(09) [1-8]## ####", "03 [2-8]### ####"),
    ("040 ### ####", "050 ### ####", "+358 40 ### ####", "045 ### ####", "+358 50 ### ## ##"),
    _faker_ssn(), _t("henkilötunnus|hetu|HETU"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "pl_PL", "pl", "PL", _t("Polska|POLSKA|Poland"),
    _t("Warszawa|Kraków|Łódź|Wrocław|Poznań|Gdańsk|Szczecin|Lublin|Katowice|Białystok|Toruń|Rzeszów"),
    _t("Marszałkowska|Piotrkowska|Długa|Floriańska|Świętojańska|Mickiewicza|Kościuszki|Słowackiego|Nowy Świat|"
       "Grunwaldzka|Sienkiewicza"),
    True, _sl_any("ul. {s} {n}", "ul. {s} {n}/{a}", "al. {s} {n}", "ul. {s} {n} m. {a}"),
    ("lok. %#", "m. %#"),
    _faker_postcode(), ("{zip} {city}", "{zip} {city}\n{country}", "PL-{zip} {city}"), (),
    ("skr. poczt. %#", "Skrytka pocztowa %##"),
    ("22 [1-9]## ## ##", "(22) [1-9]## ## ##", "12 [2-6]## ## ##", "+48 22 [1-9]## ## ##", "58 [3-7]## ## ##"),
    ("+48 60# ### ###", "50# ### ###", "+48 69# ### ###", "60#-###-###", "79# ### ###"),
    _faker_ssn(), _t("PESEL|nr PESEL"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "cs_CZ", "cs", "CZ", _t("Česká republika|ČESKÁ REPUBLIKA|Czechia"),
    _t("Praha|Brno|Ostrava|Plzeň|Liberec|Olomouc|České Budějovice|Hradec Králové|Pardubice|Zlín|Jihlava"),
    _t("Vinohradská|Národní|Václavské náměstí|Karlova|Masarykova|Palackého|Husova|Nádražní|Komenského|Žižkova|Jungmannova"),
    True, _sl_any("{s} {n}", "{s} 1{n}/{a}", "{s} {n}/{f}"),
    ("byt č. %#",),
    _faker_postcode(), ("{zip} {city}", "{zip} {city}\n{country}", "CZ-{zip} {city}"), (),
    ("P. O. Box %##", "poštovní přihrádka %#"),
    ("2## ### ###", "+420 2## ### ###", "00420 2## ### ###", "5[3-4]# ### ###"),
    ("+420 60[1-8] ### ###", "60[1-8] ### ###", "77# ### ###", "00420 73# ### ###", "+420 7[2379]# ### ###"),
    _cz_rc, _t("rodné číslo|RČ"),
    plate=_plate("%@% ####", "%@@ ####"), iban=_faker_iban))
_add(Profile(
    "tr_TR", "tr", "TR", _t("Türkiye|TÜRKİYE|Turkey"),
    _t("İstanbul|Ankara|İzmir|Bursa|Antalya|Adana|Konya|Gaziantep|Kayseri|Eskişehir|Trabzon|Samsun"),
    _t("Atatürk Caddesi|İstiklal Caddesi|Bağdat Caddesi|Cumhuriyet Bulvarı|Gazi Mustafa Kemal Bulvarı|"
       "Kordon Boyu|Menekşe Sokak|Lale Sokak|Barbaros Bulvarı|Halaskargazi Caddesi"),
    False, _sl_any("{s} No: {n} D: {a}", "{s} No:{n}/{a}", "{s} No. {n} Daire {a}"),
    ("Moda Mah.", "Kızılay Mah.", "Çankaya Mah.", "Site A Blok"),
    _pattern_postcode("0[1-9]###", "[1-7]####", "34###", "06###"),
    ("{zip} {city}", "{zip} Kadıköy/{city}", "{zip} Çankaya/{city}"), (),
    ("P.K. %##",),
    ("0 (212) [2-9]## ## ##", "(0216) [2-9]## ## ##", "0312 [2-9]## ## ##", "+90 212 [2-9]## ## ##"),
    ("0532 ### ## ##", "+90 5[3-5]# ### ## ##", "0 5[3-5]# ### ## ##", "05[3-5]#-###-####"),
    _faker_ssn(), _t("T.C. Kimlik No|TC kimlik no|TCKN"),
    plate=_plate("[0-8]% @@ ###", "34 @@@ ##", "06 @ ####"), iban=_iban("TR", "#####0################")))
_add(Profile(
    "vi_VN", "vi", "VN", _t("Việt Nam|VIỆT NAM|Vietnam"),
    _t("Hà Nội|TP. Hồ Chí Minh|Đà Nẵng|Hải Phòng|Cần Thơ|Huế|Nha Trang|Biên Hòa|Vũng Tàu|Quy Nhơn"),
    _t("Nguyễn Trãi|Lê Lợi|Trần Hưng Đạo|Hai Bà Trưng|Điện Biên Phủ|Lý Thường Kiệt|Nguyễn Huệ|Pasteur|Phan Chu Trinh"),
    True, _sl_any("Số {n} {s}", "{n} {s}", "{n}/{a} {s}", "{n} đường {s}"),
    ("Căn hộ %0#, Tòa [A-D]", "Lầu %"),
    _pattern_postcode("1####", "7####", "5####", "70000", "10000"),
    ("{city} {zip}", "{city}\n{zip}", "{city}, {country}"), (),
    ("Hộp thư %##",),
    ("(028) 3### ####", "024 3### ####", "+84 28 3### ####", "(024) 3### ####"),
    ("09[0-4]# ### ###", "+84 9[0-4] ### ####", "03[2-9] ### ####", "+84 3[2-9] ### ####", "08[1-6] ### ####"),
    _vn_cccd, _t("Số CCCD|CCCD|CMND"),
    districts=_t("Phường 5, Quận 3|Phường Bến Nghé, Quận 1|Quận Hoàn Kiếm|Phường Thảo Điền|Quận Hải Châu|Phường 12"),
    plate=_plate("%#@-###.##", "%#@% ###.##"), iban=None))
_add(Profile(
    "pt_BR", "pt", "BR", _t("Brasil|BRASIL|Brazil"),
    _t("São Paulo|Rio de Janeiro|Belo Horizonte|Curitiba|Porto Alegre|Salvador|Recife|Fortaleza|Brasília|Campinas"),
    _t("Rua Augusta|Avenida Paulista|Rua Oscar Freire|Avenida Atlântica|Rua da Consolação|Avenida Afonso Pena|"
       "Rua XV de Novembro|Avenida Sete de Setembro|Rua das Flores|Travessa do Comércio"),
    True, _sl_any("{s}, {n}", "{s}, {n} - apto {a}", "{s}, nº {n}", "{s} {n}, casa {f}"),
    ("Apto %#, Bloco [A-D]", "Conjunto %#"),
    _faker_postcode(lambda c: f"{c[:5]}-{c[5:]}" if c.isdigit() and len(c) == 8 else c),
    ("{city} - {state}\n{zip}", "{zip} {city} - {state}", "CEP {zip} - {city}/{state}", "{city}/{state}, {zip}"),
    _t("SP|RJ|MG|PR|RS|BA|PE|CE|DF"),
    ("Caixa Postal %###", "C.P. %##"),
    ("(11) [2-5]###-####", "(21) [2-5]###-####", "+55 11 [2-5]###-####", "11 [2-5]###-####", "(31) [2-5]### ####"),
    ("(11) 9[5-9]###-####", "+55 11 9[5-9]###-####", "(21) 9[5-9]### ####", "+55 (31) 9[5-9]###-####"),
    _br_cpf, _t("CPF|nº do CPF"),
    districts=_t("Consolação|Jardins|Copacabana|Savassi|Batel|Moinhos de Vento|Boa Viagem|Pinheiros|Bela Vista"),
    plate=_plate("@@@-%#@#", "@@@%@##", "@@@-####"), iban=_faker_iban))
_add(Profile(
    "es_ES", "es", "ES", _t("España|ESPAÑA|Spain"),
    _t("Madrid|Barcelona|Valencia|Sevilla|Zaragoza|Málaga|Bilbao|Murcia|Palma|Valladolid|Granada|Alicante"),
    _t("Calle Mayor|Gran Vía|Paseo de la Castellana|Calle de Alcalá|Avenida Diagonal|Rambla de Catalunya|"
       "Calle Larios|Plaza de España|Calle Real|Avenida de la Constitución|Calle del Carmen"),
    True, _sl_any("{s}, {n}", "{s}, {n}, {f}º {u}", "{s} {n}, {f}º-{u}", "{s}, nº {n}, bajo"),
    ("Urbanización Los Pinos", "Portal %, Escalera [A-D]"),
    _faker_postcode(), ("{zip} {city}", "{zip} {city} ({state})", "{zip} {city}\n{country}"),
    _t("Madrid|Barcelona|Valencia|Sevilla|Bizkaia"),
    ("Apartado de Correos %##", "Apdo. %##"),
    ("91# ## ## ##", "93 [2-4]## ## ##", "+34 91# ### ###", "(+34) 9[1-5][1-9] ### ###", "96# ## ## ##"),
    ("6## ## ## ##", "+34 6## ## ## ##", "6##-###-###", "7[1-4]# ### ###"),
    _es_dni, _t("DNI|NIE|DNI/NIE"),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "it_IT", "it", "IT", _t("Italia|ITALIA|Italy"),
    _t("Roma|Milano|Napoli|Torino|Palermo|Genova|Bologna|Firenze|Bari|Verona|Padova|Trieste"),
    _t("Via Roma|Corso Vittorio Emanuele II|Via Garibaldi|Piazza del Duomo|Via Dante|Via Mazzini|Corso Buenos Aires|"
       "Via dei Mille|Viale Europa|Via Toledo|Lungarno Corsini"),
    True, _sl_any("{s} {n}", "{s}, {n}", "{s} {n}/{u}", "{s}, {n} int. {a}"),
    ("Scala [A-D], int. %#", "Palazzina %"),
    _faker_postcode(), ("{zip} {city} ({state})", "{zip} {city} {state}", "I-{zip} {city}"), _t("RM|MI|NA|TO|PA|GE|BO|FI"),
    ("Casella Postale %##", "C.P. %##"),
    ("06 [3-9]### ####", "02 [2-9]### ####", "+39 06 [3-9]### ####", "011 [2-9]## ####", "055 [2-9]## ####"),
    ("3[2-4]# ### ####", "+39 3[2-4]# #######", "3[2-4]#-#######", "+39 34# ### ####"),
    _faker_ssn(), _t("codice fiscale|C.F.|cod. fisc."),
    plate=lambda rnd, fk: fk.license_plate(), iban=_faker_iban))
_add(Profile(
    "lt_LT", "lt", "LT", _t("Lietuva|LIETUVA|Lithuania"),
    _t("Vilnius|Kaunas|Klaipėda|Šiauliai|Panevėžys|Alytus|Marijampolė|Mažeikiai|Utena|Palanga"),
    _t("Gedimino pr.|Laisvės al.|Pilies g.|Vokiečių g.|Savanorių pr.|Taikos pr.|Basanavičiaus g.|Žalgirio g.|"
       "Kęstučio g.|Vytauto g."),
    False, _sl_any("{s} {n}-{a}", "{s} {n}", "{s} {n}{u}-{a}"),
    ("bt. %#",),
    _pattern_postcode("LT-0####", "LT-[1-9]####", "[0-9]####"), ("{zip} {city}", "{city} {zip}", "{zip} {city}\n{country}"),
    (), ("a/d %##",),
    ("(8 5) 2## ####", "+370 5 2## ####", "8 37 [2-4]#####", "+370 37 [2-4]#####"),
    ("+370 6## #####", "8 6## #####", "8 6##-#####", "+370 6#######"),
    _lt_code, _t("asmens kodas|a. k."),
    plate=_plate("@@@ ###", "@@@###"), iban=_iban("LT", "################")))
_add(Profile(
    "lv_LV", "lv", "LV", _t("Latvija|LATVIJA|Latvia"),
    _t("Rīga|Daugavpils|Liepāja|Jelgava|Jūrmala|Ventspils|Rēzekne|Valmiera|Jēkabpils|Ogre|Cēsis"),
    _t("Brīvības iela|Elizabetes iela|Krišjāņa Barona iela|Tērbatas iela|Lāčplēša iela|Dzirnavu iela|Rīgas iela|"
       "Skolas iela|Jūras iela|Raiņa bulvāris"),
    False, _sl_any("{s} {n}-{a}", "{s} {n}", "{s} {n}, dz. {a}"),
    ("dz. %#",),
    _pattern_postcode("LV-[1-5]0##", "LV-[1-5]###"), ("{city}, {zip}", "{zip} {city}", "{city}, {zip}\n{country}"), (),
    ("P.k. %##", "pasta kastīte %#"),
    ("67 ### ###", "+371 67 ### ###", "+371 66 ### ###", "63 ### ###"),
    ("+371 2[0-24-9]## ####", "2[0-24-9]## ####", "+371 2[0-24-9]######", "29 ### ###"),
    _faker_ssn(), _t("personas kods|p.k."),
    plate=_plate("@@-####", "@@-###"), iban=_iban("LV", "@@@@#############")))
_add(Profile(
    "et_EE", "et", "EE", _t("Eesti|EESTI|Estonia"),
    _t("Tallinn|Tartu|Narva|Pärnu|Kohtla-Järve|Viljandi|Rakvere|Maardu|Kuressaare|Haapsalu|Võru"),
    _t("Narva mnt|Pärnu mnt|Tartu mnt|Viru tänav|Pikk tänav|Rüütli tänav|Lai tänav|Ülikooli tänav|Riia tänav|"
       "Kalda tee|Mere puiestee"),
    False, _sl_any("{s} {n}-{a}", "{s} {n}", "{s} {n}{u}"),
    ("korter %#",),
    _pattern_postcode("1####", "[2-9]####", "10###", "50###"), ("{zip} {city}", "{city} {zip}", "{zip} {city}\n{country}"),
    (), ("Postkast %##",),
    ("6## ####", "+372 6## ####", "7[1-9]# ####", "+372 7[1-9]# ####"),
    ("5### ####", "+372 5### ####", "+372 5#######", "5[0-2]## ####"),
    _ee_code, _t("isikukood|IK"),
    plate=_plate("### @@@", "###@@@"), iban=_iban("EE", "################")))


def rnd_space(s: str, cuts: tuple[int, ...]) -> str:
    out, prev = [], 0
    for c in cuts:
        out.append(s[prev:c])
        prev = c
    out.append(s[prev:])
    return " ".join(out)


LOCALES: tuple[str, ...] = tuple(PROFILES)
