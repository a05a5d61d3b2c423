"""Renders a document template for one locale: `{slot}` markers become PHI values (labelled spans), non-PHI clinical
terms (trap terms to keep) or unlabelled text; the literal text between them is ordinary non-PHI text."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from random import Random
from typing import Callable

from faker import Faker

from . import identifiers as ids
from . import vocab
from .fill import fill
from .lang import LANGUAGES, Language, english_prose_date
from .locales import Profile
from .model import Builder

TITLES = {  # (male, female, doctor)
    "en": ("Mr", "Mrs", "Dr"), "de": ("Herr", "Frau", "Dr."), "fr": ("M.", "Mme", "Dr"), "nl": ("dhr.", "mevr.", "dr."),
    "sv": ("", "", "dr"), "da": ("hr.", "fru", "læge"), "is": ("", "", "læknir"), "fi": ("", "", "LL"),
    "pl": ("Pan", "Pani", "lek."), "cs": ("pan", "paní", "MUDr."), "tr": ("Bay", "Bayan", "Dr."), "vi": ("Ông", "Bà", "BS."),
    "pt": ("Sr.", "Sra.", "Dr."), "es": ("Sr.", "Sra.", "Dr."), "it": ("Sig.", "Sig.ra", "Dott."),
    "lt": ("p.", "p.", "gyd."), "lv": ("", "", "dr."), "et": ("hr", "pr", "dr"),
}
VI_MIDDLE = ("Văn", "Thị", "Minh", "Ngọc", "Hữu", "Đức", "Thanh", "Quốc", "Thu", "Gia", "Bảo", "Kim")
CLINIC_WORDS = {
    "en": ("Riverside Medical Centre", "St Columba's Hospital", "Northgate Surgery", "Harbour View Clinic",
           "Department of Cardiology", "Memory Clinic", "Diabetes Centre"),
    "de": ("Klinikum Nord", "Praxis am Stadtpark", "Medizinisches Versorgungszentrum Mitte", "Kardiologische Praxis",
           "Universitätsklinik, Neurologie"),
    "fr": ("Centre hospitalier", "Cabinet médical des Lilas", "Clinique du Parc", "Service de cardiologie"),
    "nl": ("Huisartsenpraktijk De Linde", "Ziekenhuis Oost", "Polikliniek Cardiologie"),
    "sv": ("Vårdcentralen Centrum", "Universitetssjukhuset, Kardiologkliniken", "Husläkarmottagningen"),
    "da": ("Lægehuset", "Regionshospitalet, Medicinsk afdeling"), "es": ("Centro de Salud", "Hospital General, Cardiología"),
    "it": ("Poliambulatorio", "Ospedale Maggiore, Cardiologia"), "pt": ("Clínica São Lucas", "Hospital Santa Clara"),
    "pl": ("Przychodnia Rodzinna", "Szpital Wojewódzki, Oddział Kardiologii"), "cs": ("Nemocnice, interní oddělení",),
    "fi": ("Terveyskeskus", "Keskussairaala, sisätautien poliklinikka"), "tr": ("Devlet Hastanesi, Kardiyoloji",),
    "vi": ("Bệnh viện Đa khoa", "Phòng khám Nội"), "is": ("Heilsugæslan", "Landspítali"), "lt": ("Poliklinika",),
    "lv": ("Slimnīca",), "et": ("Perearstikeskus",),
}


@dataclass(frozen=True)
class Template:
    id: str
    style: str
    lang: str
    text: str
    old: bool = False  # about a patient over 89 (ages over 89 are PHI)


@dataclass
class Person:
    first: str
    last: str
    full: str
    female: bool
    dob: dt.date
    cache: dict[str, object] = field(default_factory=dict)


@dataclass
class Ctx:
    rnd: Random
    prof: Profile
    fk: Faker
    lang: Language
    tlang: str  # the template's language (cue words, titles)
    visit: dt.date
    old: bool = False
    people: dict[str, Person] = field(default_factory=dict)
    cache: dict[str, object] = field(default_factory=dict)

    def once(self, key: str, make: Callable[[], object]) -> object:
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


def make_person(rnd: Random, prof: Profile, fk: Faker, visit: dt.date, old: float = 0.15) -> Person:
    female = rnd.random() < 0.5
    sfx = "_female" if female else "_male"
    first = getattr(fk, "first_name" + sfx)()
    last_fn = getattr(fk, "last_name" + sfx, fk.last_name)
    last = last_fn()
    if prof.lang in ("es", "pt") and rnd.random() < 0.5:
        last = f"{last} {last_fn()}"
    if prof.lang == "vi":
        full = f"{last} {rnd.choice(VI_MIDDLE)} {first}"
    elif prof.lang in ("en", "de", "sv", "da") and rnd.random() < 0.12:
        full = f"{first} {getattr(fk, 'first_name' + sfx)()} {last}"
    else:
        full = f"{first} {last}"
    age = rnd.randint(90, 104) if rnd.random() < old else rnd.randint(18, 89)
    dob = dt.date(visit.year - age, rnd.randint(1, 12), rnd.randint(1, 28))
    if (dob.month, dob.day) > (visit.month, visit.day):
        dob = dob.replace(year=dob.year - 1) if age < 104 else dob.replace(month=1, day=1)
    return Person(first, last, full, female, dob)


def age_of(p: Person, on: dt.date) -> int:
    return on.year - p.dob.year - ((on.month, on.day) < (p.dob.month, p.dob.day))


_SLOT = re.compile(r"\{([a-z]+)(?:\.([a-z_0-9]+))?\}")


def render(template: Template, ctx: Ctx, b: Builder) -> None:
    pos = 0
    for m in _SLOT.finditer(template.text):
        if m.start() > pos:
            b.lit(template.text[pos:m.start()])
        _slot(ctx, b, m.group(1), m.group(2) or "")
        pos = m.end()
    if pos < len(template.text):
        b.lit(template.text[pos:])


def _person(ctx: Ctx, role: str) -> Person:
    if role not in ctx.people:
        old = (1.0 if ctx.old else 0.15) if role == "p" else 0.0
        ctx.people[role] = make_person(ctx.rnd, ctx.prof, ctx.fk, ctx.visit, old=old)
    return ctx.people[role]


def _cached(p: Person, key: str, make: Callable[[], object]):
    if key not in p.cache:
        p.cache[key] = make()
    return p.cache[key]


def _date(ctx: Ctx, d: dt.date, long_share: float = 0.4) -> str:
    """Numeric dates as the patient's country writes them, long dates in the template's language."""
    if ctx.rnd.random() < long_share:
        tl = LANGUAGES[ctx.tlang]
        return tl.long_date(d, tl.months_alt or tl.months)
    return ctx.lang.numeric(ctx.rnd.choice(ctx.lang.numeric_dates), d)


def _slot(ctx: Ctx, b: Builder, name: str, attr: str) -> None:
    rnd, prof, lang = ctx.rnd, ctx.prof, ctx.lang
    if name in ("p", "d", "r", "o"):
        _person_slot(ctx, b, _person(ctx, name), attr, name)
    elif name == "c":
        _clinic_slot(ctx, b, attr)
    elif name == "date":
        offsets = {"": 0, "next": ctx.once("next", lambda: rnd.randint(14, 120)),
                   "prev": -ctx.once("prev", lambda: rnd.randint(20, 700)),
                   "admit": -ctx.once("admit", lambda: rnd.randint(3, 14)), "discharge": 0}
        if attr == "prose":
            d = ctx.visit + dt.timedelta(days=ctx.once("prose", lambda: rnd.randint(-60, 60)))
            b.phi("DATE", english_prose_date(rnd, d))
        elif attr == "long":
            tl = LANGUAGES[ctx.tlang]
            b.phi("DATE", tl.long_date(ctx.visit, tl.months_alt or tl.months))
        else:
            b.phi("DATE", ctx.once(f"date.{attr}", lambda: _date(ctx, ctx.visit + dt.timedelta(days=offsets[attr]))))
    elif name == "device":
        kind, serial = ctx.once("device", lambda: ids.device(rnd))
        if attr == "sn":
            b.phi("DEVICE", serial)
        else:
            b.lit(kind + " ").phi("DEVICE", serial)
    elif name == "imei":
        b.phi("DEVICE", ctx.once("imei", lambda: ids.imei(rnd)))
    elif name == "study":
        b.phi("OTHER_ID", ctx.once("study", lambda: ids.study_code(rnd)))
    elif name == "secret":
        cue, value = ctx.once("secret", lambda: ids.secret(rnd))
        if attr == "value":
            b.phi("SECRET", value)
        else:
            b.lit(cue + ": ").phi("SECRET", value)
    elif name == "ip":
        b.phi("IP_ADDRESS", ctx.once(f"ip{attr}", lambda: ids.ipv6(rnd, ctx.fk) if attr == "v6" else ids.ipv4(rnd, ctx.fk)))
    elif name == "fax":
        b.phi("FAX", ctx.once("cfax", lambda: fill(rnd, rnd.choice(prof.landlines))))
    elif name == "drug":
        ctx.cache["drug"] = vocab.drug(rnd)
        b.term(ctx.cache["drug"])
    elif name == "dose":
        b.term(vocab.dose(rnd, str(ctx.cache.get("drug", ""))))
    elif name == "vital":
        b.term(vocab.vital(rnd))
    elif name == "lab":
        b.term(vocab.lab(rnd))
    elif name == "room":
        b.term(vocab.room(rnd))
    elif name == "year":
        b.term(vocab.year(rnd))
    elif name == "dx":
        b.term(vocab.dx(rnd, ctx.tlang))
    elif name == "n":
        b.term(str(rnd.randint(2, 40)))
    elif name == "cue":
        b.lit(rnd.choice(getattr(LANGUAGES[ctx.tlang], attr)))
    elif name == "country":
        b.lit(rnd.choice(prof.country_lines))
    else:
        raise KeyError(f"unknown slot {{{name}}}")


def _title(ctx: Ctx, p: Person, doctor: bool) -> str:
    male, female, dr = TITLES[ctx.tlang]
    return dr if doctor else (female if p.female else male)


def _person_slot(ctx: Ctx, b: Builder, p: Person, attr: str, role: str) -> None:
    rnd, prof = ctx.rnd, ctx.prof
    c = lambda key, make: _cached(p, key, make)  # noqa: E731
    if attr in ("", "name"):
        b.phi("NAME", p.full)
    elif attr == "first":
        b.phi("NAME", p.first)
    elif attr == "last":
        b.phi("NAME", p.last)
    elif attr == "title":
        title = _title(ctx, p, role == "d")
        surname = p.first if prof.lang == "vi" and role != "d" else p.last
        if title:
            b.lit(title + " ")
        b.phi("NAME", surname)
    elif attr == "formal":
        b.phi("NAME", c("formal", lambda: rnd.choice([f"{p.last}, {p.first}", f"{p.last.upper()} {p.first}",
                                                       f"{p.last}, {p.first[0]}."])))
    elif attr == "initial":
        b.phi("NAME", f"{p.first[0]}. {p.last}")
    elif attr == "dob":
        b.phi("DOB", c("dob", lambda: _date(ctx, p.dob, 0.3)))
    elif attr == "age":
        age = age_of(p, ctx.visit)
        if age > 89:
            b.phi("AGE", str(age))
        else:
            b.term(str(age))
    elif attr == "id":
        b.phi("SSN", c("id", lambda: prof.national_id(rnd, ctx.fk, p.dob, p.female)))
    elif attr == "mrn":
        b.phi("MEDICAL_RECORD", c("mrn", lambda: ids.mrn(rnd)))
    elif attr == "health":  # the country's health number (NHS number, Medicare, OHIP, KVNR) or a generic member id
        if prof.health_id:
            category, _cue, make = prof.health_id
            b.phi(category, c("health", lambda: make(rnd)))
        else:
            b.phi("INSURANCE_ID", c("ins", lambda: ids.insurance(rnd)))
    elif attr == "ins":
        b.phi("INSURANCE_ID", c("ins", lambda: ids.insurance(rnd)))
    elif attr == "phone":
        b.phi("PHONE", c("phone", lambda: fill(rnd, rnd.choice(prof.landlines))))
    elif attr == "mobile":
        b.phi("PHONE", c("mobile", lambda: fill(rnd, rnd.choice(prof.mobiles))))
    elif attr == "email":
        b.phi("EMAIL", c("email", lambda: ids.email(rnd, prof.country, p.first, p.last)))
    elif attr == "street":
        line = c("street", lambda: prof.street(rnd, ctx.fk))
        b.phi("ADDRESS", line.value, keys=(line.street,))
    elif attr == "city":
        b.phi("CITY", c("city", lambda: rnd.choice(prof.cities)))
    elif attr == "zip":
        b.phi("ZIP", c("zip", lambda: prof.postcode(rnd, ctx.fk)))
    elif attr == "address":
        _inline_address(ctx, b, p)
    elif attr == "postal":
        _postal_block(ctx, b, p, role)
    elif attr == "iban":
        make = prof.iban or (lambda r, f: ids.bank_account(r))
        b.phi("ACCOUNT", c("iban", lambda: make(rnd, ctx.fk)))
    elif attr == "account":
        b.phi("ACCOUNT", c("account", lambda: ids.bank_account(rnd)))
    elif attr == "card":
        b.phi("ACCOUNT", c("card", lambda: ids.card(rnd)))
    elif attr == "plate":
        b.phi("VEHICLE", c("plate", lambda: prof.plate(rnd, ctx.fk) if prof.plate else fill(rnd, "@@ ####")))
    elif attr == "vin":
        b.phi("VEHICLE", c("vin", lambda: ids.vin(rnd)))
    elif attr == "dl":
        if prof.country == "GB":
            value = c("dl", lambda: ids.uk_driving_licence(rnd, p.first, p.last, p.dob, p.female))
        else:
            value = c("dl", lambda: ids.driving_licence(rnd, prof.country))
        b.phi("LICENSE", value)
    elif attr == "prof":
        cue, value = c("prof", lambda: ids.professional(rnd, prof.country))
        b.lit(cue + " ").phi("LICENSE", value)
    elif attr == "npi":
        b.phi("LICENSE", c("npi", lambda: ids.npi(rnd)))
    elif attr == "dea":
        b.phi("LICENSE", c("dea", lambda: ids.dea(rnd, p.last)))
    elif attr == "photo":
        b.phi("PHOTO", c("photo", lambda: ids.photo(rnd, p.first, p.last, ctx.visit.year)))
    elif attr == "bio":
        b.phi("BIOMETRIC", c("bio", lambda: ids.biometric(rnd)))
    elif attr == "url":
        b.phi("URL", c("url", lambda: ids.url(rnd, rnd.choice(prof.cities), p.first, p.last, ids.mrn(rnd).replace(" ", ""))))
    else:
        raise KeyError(f"unknown person slot .{attr}")


def _city_line(ctx: Ctx, b: Builder, p: Person, fmt: str, key: str) -> None:
    rnd, prof = ctx.rnd, ctx.prof
    zip_ = _cached(p, key + "zip", lambda: prof.postcode(rnd, ctx.fk))
    city = _cached(p, key + "city", lambda: rnd.choice(prof.cities))
    pos = 0
    for m in re.finditer(r"\{(zip|city|state|country)\}", fmt):
        if m.start() > pos:
            b.lit(fmt[pos:m.start()])
        what = m.group(1)
        if what == "zip":
            b.phi("ZIP", zip_)
        elif what == "city":
            b.phi("CITY", city)
        elif what == "state":
            b.term(_cached(p, key + "state", lambda: rnd.choice(prof.states) if prof.states else prof.country))
        else:
            b.lit(prof.country_lines[0])
        pos = m.end()
    if pos < len(fmt):
        b.lit(fmt[pos:])


def _inline_address(ctx: Ctx, b: Builder, p: Person, key: str = "") -> None:
    rnd, prof = ctx.rnd, ctx.prof
    line = _cached(p, key + "street", lambda: prof.street(rnd, ctx.fk))
    b.phi("ADDRESS", line.value, keys=(line.street,))
    b.lit(", ")
    if prof.districts and rnd.random() < 0.4:
        b.phi("CITY", _cached(p, key + "district", lambda: rnd.choice(prof.districts))).lit(", ")
    fmt = rnd.choice(prof.city_lines).replace("\n", ", ")
    _city_line(ctx, b, p, fmt, key)


def _postal_block(ctx: Ctx, b: Builder, p: Person, role: str, key: str = "") -> None:
    rnd, prof = ctx.rnd, ctx.prof
    title = _title(ctx, p, role == "d")
    if title and rnd.random() < 0.5:
        b.lit(title + " ")
    b.phi("NAME", p.full).lit("\n")
    if rnd.random() < 0.12:
        host = _person(ctx, "o")
        b.lit(ctx.lang.care_of + " ").phi("NAME", host.full).lit("\n")
    if rnd.random() < 0.2 and prof.unit_lines:
        b.phi("ADDRESS", fill(rnd, rnd.choice(prof.unit_lines))).lit("\n")
    if rnd.random() < 0.12 and prof.po_boxes:
        b.phi("ADDRESS", fill(rnd, rnd.choice(prof.po_boxes))).lit("\n")
    else:
        line = _cached(p, key + "street", lambda: prof.street(rnd, ctx.fk))
        b.phi("ADDRESS", line.value, keys=(line.street,)).lit("\n")
    if prof.districts and rnd.random() < 0.5:
        b.phi("CITY", _cached(p, key + "district", lambda: rnd.choice(prof.districts))).lit("\n")
    fmt = rnd.choice(prof.city_lines)
    _city_line(ctx, b, p, fmt, key)
    if "{country}" not in fmt and rnd.random() < 0.3:
        b.lit("\n" + rnd.choice(prof.country_lines))


def _clinic_slot(ctx: Ctx, b: Builder, attr: str) -> None:
    rnd, prof = ctx.rnd, ctx.prof
    clinic = ctx.people.setdefault("c", make_person(rnd, prof, ctx.fk, ctx.visit, old=0.0))
    if attr == "name":
        b.raw(ctx.once("cname", lambda: rnd.choice(CLINIC_WORDS.get(ctx.tlang, CLINIC_WORDS["en"]))))
    elif attr == "address":
        _inline_address(ctx, b, clinic, key="c")
    elif attr == "postal":
        line = _cached(clinic, "cstreet", lambda: prof.street(rnd, ctx.fk))
        b.phi("ADDRESS", line.value, keys=(line.street,)).lit("\n")
        _city_line(ctx, b, clinic, rnd.choice(prof.city_lines), "c")
    elif attr == "city":
        b.phi("CITY", _cached(clinic, "ccity", lambda: rnd.choice(prof.cities)))
    elif attr == "phone":
        b.phi("PHONE", _cached(clinic, "cphone", lambda: fill(rnd, rnd.choice(prof.landlines))))
    elif attr == "fax":
        b.phi("FAX", _cached(clinic, "cfax", lambda: fill(rnd, rnd.choice(prof.landlines))))
    elif attr == "email":
        b.phi("EMAIL", _cached(clinic, "cemail", lambda: ids.email(rnd, prof.country, clinic.first, clinic.last)))
    elif attr == "ip":
        b.phi("IP_ADDRESS", _cached(clinic, "cip", lambda: ids.ipv4(rnd, ctx.fk)))
    else:
        raise KeyError(f"unknown clinic slot .{attr}")


def new_ctx(rnd: Random, prof: Profile, template: Template) -> Ctx:
    fk = prof.faker()
    fk.seed_instance(rnd.randrange(2**32))
    visit = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randint(0, 1600))
    return Ctx(rnd, prof, fk, LANGUAGES[prof.lang], template.lang, visit, template.old)
