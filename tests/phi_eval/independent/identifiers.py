"""Structured identifiers that are not tied to one country's civil registry: record numbers, member ids, cards, licences,
vehicles, devices, network and web identifiers, Safe Harbor #18 codes, biometric templates, photo file names, secrets."""
from __future__ import annotations

import string
import unicodedata
from random import Random

from faker import Faker

from . import checks
from .fill import digits, fill


def ascii_fold(s: str) -> str:
    s = s.replace("ß", "ss").replace("Þ", "Th").replace("þ", "th").replace("Ð", "D").replace("ð", "d")
    s = s.replace("Ł", "L").replace("ł", "l").replace("Đ", "D").replace("đ", "d").replace("ı", "i").replace("Æ", "Ae")
    s = s.replace("æ", "ae").replace("Ø", "O").replace("ø", "o")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def slug(s: str) -> str:
    return "".join(c for c in ascii_fold(s).lower() if c.isalnum())


MRN_PATTERNS = ("########", "%#######", "MRN-#######", "@@######", "P%######", "20[12]#-######", "H%#######", "#### ####",
                "K%########", "%##-###-###")
INSURANCE_PATTERNS = ("@@@%########", "%#########", "@%########-##", "W%#######", "####-####-####", "@@-%######",
                      "%##########@", "AXA-%#######", "M%######/##")
ACCOUNT_PATTERNS = ("%#######", "%##-######-#", "##-####-#######", "%###########")


def mrn(rnd: Random) -> str:
    return fill(rnd, rnd.choice(MRN_PATTERNS))


def insurance(rnd: Random) -> str:
    return fill(rnd, rnd.choice(INSURANCE_PATTERNS))


def bank_account(rnd: Random) -> str:
    return fill(rnd, rnd.choice(ACCOUNT_PATTERNS))


def card(rnd: Random) -> str:
    prefix = rnd.choice(["4", "51", "52", "55", "2221", "37", "34", "6011"])
    length = 15 if prefix in ("34", "37") else 16
    body = prefix + digits(rnd, length - len(prefix) - 1)
    n = body + checks.luhn_digit(body)
    style = rnd.random()
    if length == 15:
        return f"{n[:4]} {n[4:10]} {n[10:]}" if style < 0.6 else n
    if style < 0.5:
        return " ".join(n[i:i + 4] for i in range(0, 16, 4))
    if style < 0.7:
        return "-".join(n[i:i + 4] for i in range(0, 16, 4))
    return n


def npi(rnd: Random) -> str:
    return checks.npi(rnd.choice("12") + digits(rnd, 8))


def dea(rnd: Random, surname: str) -> str:
    return checks.dea(rnd.choice("ABFM") + (ascii_fold(surname)[:1].upper() or "X"), digits(rnd, 6))


def uk_driving_licence(rnd: Random, first: str, last: str, dob, female: bool) -> str:
    sur = (slug(last).upper() + "99999")[:5]
    month = dob.month + (50 if female else 0)
    body = f"{sur}{str(dob.year)[2]}{month:02d}{dob.day:02d}{str(dob.year)[3]}"
    initials = (slug(first)[:1].upper() + "9")[:2]
    return f"{body}{initials}{rnd.choice(string.digits)}{fill(rnd, '@@')}"


DRIVING_LICENCE = {
    "AU": ("########", "%#######"), "NZ": ("@@######",), "CA": ("@####-#####-#####", "@###-#####-#####"),
    "DE": ("@###^^^%#%#", "B%%#@@@%#%#"), "AT": ("########",), "CH": ("######",), "FR": ("############", "##@@#####"),
    "NL": ("##########",), "SE": ("########",), "DK": ("########",), "IS": ("########",), "FI": ("@@#######",),
    "PL": ("#####/##/####",), "CZ": ("@@ ######",), "TR": ("######",), "VN": ("############",),
    "BR": ("###########",), "ES": ("########@",), "IT": ("@@#######@", "U1@@#####@"), "LT": ("########",),
    "LV": ("@@######",), "EE": ("@@######",),
}
PROFESSIONAL = {
    "GB": [("GMC no.", "%######")], "AU": [("AHPRA reg.", "MED000%######")], "NZ": [("MCNZ reg.", "%#####")],
    "CA": [("CPSO #", "%####")], "DE": [("LANR", "%########")], "AT": [("ÖÄK-Arztnummer", "%####")],
    "CH": [("GLN", "7601000######")], "FR": [("RPPS", "10%#########")], "NL": [("BIG-nummer", "%##########")],
    "SE": [("förskrivarkod", "%######")], "DK": [("autorisations-ID", "^^^^^")], "IS": [("læknanúmer", "%###")],
    "FI": [("Valvira-rekisterinumero", "%#########")], "PL": [("NPWZ", "%######")], "CZ": [("ČLK č.", "%#######")],
    "TR": [("diploma tescil no", "%#####")], "VN": [("CCHN số", "%######/BYT-CCHN")], "BR": [("CRM", "%#####")],
    "ES": [("nº de colegiado", "28/%#####")], "IT": [("iscr. Ordine n.", "%####")], "LT": [("licencijos Nr.", "MPL-%####")],
    "LV": [("ārsta ID", "%#####")], "EE": [("registrikood", "D%#####")],
}


def professional(rnd: Random, country: str) -> tuple[str, str]:
    cue, pattern = rnd.choice(PROFESSIONAL[country])
    return cue, fill(rnd, pattern)


def driving_licence(rnd: Random, country: str) -> str:
    return fill(rnd, rnd.choice(DRIVING_LICENCE[country]))


_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def vin(rnd: Random) -> str:
    wmi = rnd.choice(["WVW", "WBA", "VF1", "YV1", "ZFA", "SAL", "TMB", "JHM", "1HG", "5YJ", "WDB", "VSS", "KMH"])
    body = wmi + "".join(rnd.choice(_VIN_CHARS) for _ in range(5)) + "0" + rnd.choice("ABCDEFGHJKLMNPRSTVWXY123456789")
    body += "".join(rnd.choice(_VIN_CHARS) for _ in range(1)) + digits(rnd, 6)
    return checks.vin(body)


def device(rnd: Random) -> tuple[str, str]:
    """(description, serial) of an implanted or worn device."""
    kind, pattern = rnd.choice([
        ("pacemaker serial", "PJN%#####@"), ("ICD serial no.", "@@@%#####"), ("insulin pump SN", "PM-%###-####"),
        ("CGM transmitter ID", "8@^^^^"), ("cochlear implant serial", "CI%#-######"), ("hearing aid serial", "%#@@####"),
        ("neurostimulator SN", "NSA%######@"), ("CPAP serial", "2%##########"), ("infusion pump asset tag", "IP-%####"),
        ("UDI", "(01)0088%#########(21)@%#####"), ("glucometer serial", "@@%#######"),
    ])
    return kind, fill(rnd, pattern)


def imei(rnd: Random) -> str:
    n = checks.imei("35" + digits(rnd, 12))
    return rnd.choice([n, f"{n[:2]}-{n[2:8]}-{n[8:14]}-{n[14]}", f"{n[:8]} {n[8:14]} {n[14]}"])


def ipv4(rnd: Random, fk: Faker) -> str:
    return fk.ipv4_public()


def ipv6(rnd: Random, fk: Faker) -> str:
    return fk.ipv6()


BIOMETRIC = ("FP-TPL-{hex8}", "fp_{hex12}", "VP-{d6}", "IRIS-{d4}-{L2}", "PV{d8}", "FT-{hex12}", "bio:{hex8}-{hex4}",
             "FPT{d7}", "VOX-{d4}{L1}", "FGH-{hex10}")


def biometric(rnd: Random) -> str:
    hexd = lambda n: "".join(rnd.choice("0123456789abcdef") for _ in range(n))  # noqa: E731
    return rnd.choice(BIOMETRIC).format(
        hex8=hexd(8), hex12=hexd(12), hex4=hexd(4), hex10=hexd(10), d6=digits(rnd, 6), d4=digits(rnd, 4),
        d8=digits(rnd, 8), d7=digits(rnd, 7), L2=fill(rnd, "@@"), L1=fill(rnd, "@"))


def photo(rnd: Random, first: str, last: str, year: int) -> str:
    f, l = slug(first) or "x", slug(last) or "x"
    return rnd.choice([
        f"{f[0]}{l}_frontal_{year}.png", f"{l}_{f}_face.jpg", f"IMG_{digits(rnd, 4)}_{f[0]}{l[0]}_portrait.jpeg",
        f"{l}-{f}-headshot.webp", f"{f}.{l}.passfoto.jpg", f"{l.upper()}_{f[0].upper()}_ID_photo_{year}.png",
        f"pt_{digits(rnd, 6)}_fullface.png", f"{f}_{l}_{year}_front.heic",
    ])


STUDY_WORDS = ("LOTUS", "HERON", "AURORA", "CEDAR", "ORCA", "SPARK", "NORDIC", "TULIP", "BALTIC", "KESTREL", "IRIS",
               "MAPLE", "ATLAS", "ZEPHYR", "LYNX", "DELTA", "PRISM", "OSPREY", "FJORD", "SAGA")


def study_code(rnd: Random) -> str:
    w = rnd.choice(STUDY_WORDS)
    return rnd.choice([
        f"{w}-{digits(rnd, 4)}", f"{w}-{rnd.randint(1, 40):02d}-{digits(rnd, 3)}", f"{w}{digits(rnd, 3)}-{fill(rnd, '@')}",
        f"ENR-{digits(rnd, 4)}-{digits(rnd, 2)}", f"{rnd.randint(2015, 2025)}-CV-{digits(rnd, 4)}",
        f"SUBJ-{fill(rnd, '@@')}-{digits(rnd, 4)}", f"R{digits(rnd, 5)}", f"{digits(rnd, 3)}-{digits(rnd, 4)}",
        f"CASE-{digits(rnd, 6)}", f"{fill(rnd, '@@')}{rnd.randint(2018, 2025)}/{digits(rnd, 4)}",
    ])


_B62 = string.ascii_letters + string.digits


def secret(rnd: Random) -> tuple[str, str]:
    """(cue, secret). Random values of the shapes real keys have."""
    b62 = lambda n: "".join(rnd.choice(_B62) for _ in range(n))  # noqa: E731
    up = lambda n: "".join(rnd.choice(string.ascii_uppercase + string.digits) for _ in range(n))  # noqa: E731
    return rnd.choice([
        ("API key", "sk-" + b62(48)), ("OpenAI key", "sk-proj-" + b62(56)), ("token", "ghp_" + b62(36)),
        ("AWS access key", "AKIA" + up(16)), ("Slack token", f"xoxb-{digits(rnd, 12)}-{digits(rnd, 13)}-{b62(24)}"),
        ("password", fill(rnd, "@") + b62(9) + rnd.choice("!#$%&*?") + digits(rnd, 2)),
        ("Passwort", fill(rnd, "@") + b62(7) + rnd.choice("!#$%&*?") + digits(rnd, 3)),
        ("access token", "eyJhbGciOiJIUzI1NiJ9." + b62(36) + "." + b62(43)),
        ("Stripe key", "sk_live_" + b62(24)), ("Google API key", "AIza" + b62(35)),
    ])


def url(rnd: Random, host_hint: str, first: str, last: str, record: str) -> str:
    f, l, h = slug(first), slug(last), slug(host_hint) or "klinik"
    return rnd.choice([
        f"https://portal.{h}-health.org/patients/{record}", f"https://mychart.{h}.example.org/record?id={digits(rnd, 7)}",
        f"https://www.facebook.com/{f}.{l}.{digits(rnd, 3)}", f"https://{l}{f[:1]}.blogspot.com",
        f"https://www.linkedin.com/in/{f}-{l}-{digits(rnd, 4)}", f"http://{f}{l}.net/about",
        f"https://photos.app.goo.gl/{''.join(rnd.choice(_B62) for _ in range(17))}",
        f"https://telehealth.{h}.care/room/{f}-{l}-{digits(rnd, 4)}",
    ])


EMAIL_DOMAINS = {
    "GB": ("btinternet.com", "gmail.com", "outlook.com", "yahoo.co.uk"), "CA": ("rogers.com", "gmail.com", "videotron.ca"),
    "AU": ("bigpond.com", "gmail.com", "optusnet.com.au"), "NZ": ("xtra.co.nz", "gmail.com"),
    "DE": ("web.de", "gmx.de", "t-online.de"), "AT": ("gmx.at", "aon.at", "chello.at"),
    "CH": ("bluewin.ch", "gmx.ch", "hispeed.ch"), "FR": ("orange.fr", "free.fr", "laposte.net"),
    "NL": ("ziggo.nl", "kpnmail.nl", "hotmail.nl"), "SE": ("telia.com", "gmail.com", "spray.se"),
    "DK": ("mail.dk", "gmail.com", "outlook.dk"), "IS": ("simnet.is", "gmail.com", "internet.is"),
    "FI": ("kolumbus.fi", "gmail.com", "elisanet.fi"), "PL": ("wp.pl", "onet.pl", "o2.pl"),
    "CZ": ("seznam.cz", "email.cz", "centrum.cz"), "TR": ("hotmail.com.tr", "gmail.com", "yandex.com.tr"),
    "VN": ("yahoo.com.vn", "gmail.com", "fpt.vn"), "BR": ("uol.com.br", "bol.com.br", "gmail.com"),
    "ES": ("telefonica.net", "gmail.com", "yahoo.es"), "IT": ("libero.it", "virgilio.it", "tiscali.it"),
    "LT": ("inbox.lt", "gmail.com", "one.lt"), "LV": ("inbox.lv", "apollo.lv"), "EE": ("mail.ee", "hot.ee", "gmail.com"),
}


def email(rnd: Random, country: str, first: str, last: str) -> str:
    f, l = slug(first) or "x", slug(last) or "x"
    local = rnd.choice([f"{f}.{l}", f"{f[0]}{l}", f"{l}.{f}{rnd.randint(1, 99)}", f"{f}{l[0]}{rnd.randint(60, 99)}",
                        f"{f}_{l}", f"{l}{f[:2]}"])
    return f"{local}@{rnd.choice(EMAIL_DOMAINS[country])}"
