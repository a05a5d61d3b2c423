"""Deterministic, annotated PHI evaluation set generated with Faker (test/bench only).

Documents are assembled from realistic sentence templates (clinical notes, discharge summaries, e-mails, billing
letters, general prose). Each ``{SLOT}`` is filled with a Faker value and its span is recorded. Entity values come
from Faker's providers (en_US, with some names from other locales); identifiers without a Faker provider (MRN,
member ids, NPI, DEA, device serials, UDI, secrets) are generated here in the formats seen in practice.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from dataclasses import dataclass, field

from faker import Faker

OTHER_LOCALES = ("es_MX", "de_DE", "fr_FR", "it_IT", "en_GB", "pt_BR", "en_IN", "pl_PL")


@dataclass
class Entity:
    category: str
    start: int
    end: int
    text: str


@dataclass
class Document:
    text: str
    entities: list[Entity] = field(default_factory=list)
    genre: str = ""


# ----------------------------------------------------------------------------------------------------------------
# Sentence templates. Slots: {CAT} or {CAT:variant}. Text outside slots is non-PHI.
CLINICAL = [
    "Patient {NAME} is a {AGE}-year-old female with a history of hypertension and type 2 diabetes.",
    "{NAME} was admitted on {DATE} with shortness of breath and bilateral lower extremity edema.",
    "MRN: {MEDICAL_RECORD}   DOB: {DOB}   Attending: Dr. {NAME:last}",
    "Pt seen by Dr. {NAME} on {DATE}; vitals BP 132/84, HR 88, T 98.6 F, SpO2 96% on room air.",
    "She lives with her husband, {NAME:first}, at {ADDRESS}, {CITY}, {STATE} {ZIP}.",
    "Her daughter {NAME} can be reached at {PHONE} if there are any questions.",
    "Date of birth {DOB}. Medical record number {MEDICAL_RECORD}.",
    "The patient, a {AGE} yo man, presented to the emergency department after a fall at home.",
    "Labs on {DATE}: WBC 11.2, Hgb 10.4, creatinine 1.6 (baseline 1.1), potassium 4.9.",
    "Discussed goals of care with the patient and his son {NAME:first} at bedside.",
    "Follow-up appointment scheduled with {NAME} in cardiology clinic on {DATE} at 10:30.",
    "Pacemaker serial number {DEVICE:serial} was interrogated; device functioning normally.",
    "Insulin pump (S/N {DEVICE:serial}) was removed prior to imaging.",
    "Implant UDI {DEVICE:udi} recorded in the operative note.",
    "Referred by {NAME}, NPI {LICENSE:npi}, for evaluation of chronic back pain.",
    "Per {NAME:first}'s wife, he had been confused since {DATE}.",
    "Patient was discharged to home on {DATE} in stable condition with her niece, {NAME}.",
    "Emergency contact: {NAME} ({PHONE})",
    "Admission date: {DATE}   Discharge date: {DATE}",
    "{NAME} reports taking metformin 500 mg twice daily and lisinopril 10 mg daily.",
    "Spoke with {NAME} from the pharmacy regarding the prior authorization.",
    "The {AGE}-year-old was transferred from {CITY} by ambulance on {DATE}.",
    "Social history: retired teacher, lives alone in {CITY}, never smoker.",
    "Member ID {INSURANCE_ID} verified with the health plan; group number {INSURANCE_ID:group}.",
    "Prescriber DEA {LICENSE:dea} was confirmed for the controlled substance order.",
    "Seen in clinic by {NAME}, NP, who recommended physical therapy twice weekly.",
    "Patient name: {NAME:lastfirst}",
    "Mr. {NAME:last} tolerated the procedure well and was moved to recovery room 412.",
    "Mrs. {NAME} declined the influenza vaccine today.",
    "Her mother, {NAME}, was diagnosed with breast cancer at age 52.",
    "CT chest from {DATE} shows a 6 mm nodule in the right upper lobe, unchanged.",
    "Hospital course was complicated by atrial fibrillation; started on apixaban 5 mg BID.",
    "{NAME} was born on {DOB} and has been followed in this clinic since childhood.",
    "Patient's Medicare beneficiary ID is {INSURANCE_ID:mbi}.",
    "At {AGE} years old she remains independent in activities of daily living.",
    "Assessment: {DIAGNOSIS}, stable on current therapy.",
    "Plan: continue {TREATMENT} and reassess in two weeks.",
]
DISCHARGE = [
    "DISCHARGE SUMMARY\nPatient: {NAME}\nMRN: {MEDICAL_RECORD}\nDOB: {DOB}\nAdmitted: {DATE}\nDischarged: {DATE}",
    "Primary care physician: Dr. {NAME}, phone {PHONE}, fax {FAX}.",
    "Discharge medications were reviewed with the patient and her caregiver {NAME}.",
    "Please send records to {NAME} at fax number {FAX}.",
    "Home health agency will visit {ADDRESS} starting {DATE}.",
    "Follow up with {NAME}, MD, within 7 days; call {PHONE} to schedule.",
    "Return precautions reviewed. Diet: 2 g sodium. Activity as tolerated.",
    "Pending results at discharge: blood cultures from {DATE}.",
]
EMAIL = [
    "Hi {NAME:first},\n\nThanks for your note. I reviewed the chart for {NAME} and everything looks fine.",
    "From: {NAME} <{EMAIL}>\nSent: {DATE}\nSubject: Appointment follow-up",
    "You can reach me directly at {EMAIL} or on my cell, {PHONE}.",
    "Please see the portal at {URL} for the updated consent form.",
    "Best regards,\n{NAME}\n{PHONE}",
    "I spoke with {NAME} yesterday and she confirmed the new address is {ADDRESS}, {CITY}, {STATE} {ZIP}.",
    "Our VPN gateway is {IP_ADDRESS} and the backup server is at {IP_ADDRESS}.",
    "The login attempt came from {IP_ADDRESS} on {DATE} at 02:14.",
    "Sincerely,\n{NAME}",
    "Could you forward this to {NAME}? Her email is {EMAIL}.",
    "Dear {NAME},\n\nWe received your request on {DATE}.",
    "{NAME} called yesterday asking about the lab results.",
    "{NAME} and {NAME} will cover the weekend shift.",
    "Meeting notes are posted at {URL} for anyone who missed it.",
    "Here is the config for the integration: api_key={SECRET:kv} region=us-east-1",
    "The CI job failed because the token {SECRET} was revoked.",
    "Use this bearer token for testing: {SECRET:jwt}",
    "AWS credentials: aws_access_key_id = {SECRET:akid}",
    "password: {SECRET:password}",
    "{SECRET:pem}",
]
BILLING = [
    "Account number: {ACCOUNT:bank}   Statement date: {DATE}",
    "Your payment of $125.00 was charged to the card ending in {ACCOUNT:last4}.",
    "We charged your Visa {ACCOUNT:card} on {DATE}.",
    "Please remit to {ADDRESS}, {CITY}, {STATE} {ZIP}.",
    "Insurance: Blue Cross, policy number {INSURANCE_ID}, subscriber {NAME}.",
    "Direct deposit: routing number {ACCOUNT:routing}, account {ACCOUNT:bank}.",
    "International transfers: IBAN {ACCOUNT:iban}.",
    "Guarantor: {NAME}, SSN {SSN}, phone {PHONE}.",
    "Social Security number: {SSN}",
    "Order #{NONPHI:order} shipped on {DATE}; invoice {NONPHI:invoice} is attached.",
    "Balance due: $1,240.50. Questions? Call our billing office at {PHONE} or fax {FAX}.",
    "Mail payments to {ADDRESS:pobox}, {CITY}, {STATE} {ZIP}.",
    "Claim for date of service {DATE} was denied; member {NAME}, ID {INSURANCE_ID}.",
    "Vehicle: 2017 sedan, VIN {VEHICLE:vin}, license plate {VEHICLE:plate}.",
    "Driver's license number {LICENSE:dl} was scanned at registration.",
    "State medical license {LICENSE:med} expires on {DATE}.",
    "Our website {URL} lists the billing FAQ.",
]
GENERAL = [
    "{NAME} moved to {CITY} last spring and started a new job in {DATE:monthyear}.",
    "The conference will be held on {DATE} at the convention center.",
    "{NAME} wrote the first draft, and {NAME} edited it over the weekend.",
    "My neighbor {NAME} turned {AGE} this year and still walks two miles every morning.",
    "If you have questions, email {EMAIL} or visit {URL}.",
    "The package was delivered to {ADDRESS} on {DATE}.",
    "According to {NAME}, the results should be ready by {DATE}.",
    "{NAME} gave a talk about community health on {DATE}.",
    "Register the device with MAC address {DEVICE:mac} before connecting.",
    "My phone number changed to {PHONE}.",
    "The IMEI of the lost phone is {DEVICE:imei}.",
    "Grandma {NAME:first} celebrated her birthday on {DOB:birthday}.",
]
# PHI-free sentences, including the usual traps (doses, rooms, times, vitals, versions, years, order numbers).
FILLER = [
    "The patient was seen in clinic today and reports feeling better overall.",
    "Take 2 tablets twice daily with food for 10 days.",
    "Blood pressure was 120/80 and heart rate 72 at 10:30.",
    "She was moved to room 412 on the fourth floor after the procedure.",
    "In 2019 she underwent a laparoscopic cholecystectomy without complications.",
    "Administer 500 mg of amoxicillin every 8 hours.",
    "Flush the line with 10 mL of normal saline.",
    "The software was upgraded to version 2.4.1 last week.",
    "Order #123-45-6789 has been shipped.",
    "Reference number REF-2023-0042 was assigned to the ticket.",
    "Hemoglobin A1c improved from 8.2% to 7.1% over six months.",
    "No known drug allergies. Immunizations are up to date.",
    "Continue current regimen and recheck labs in 3 months.",
    "The meeting has been moved to the main conference room.",
    "Please bring a list of all current medications to the next visit.",
    "Pain is rated 4 out of 10 and is worse with activity.",
    "The quarterly report shows a 12% increase in clinic visits.",
    "Patient Education: discussed diet, exercise and medication adherence.",
    "Chest X-ray showed no acute cardiopulmonary process.",
    "Plan: increase lisinopril to 20 mg daily and follow up in 4 weeks.",
    "Physical exam was notable for mild tenderness in the right lower quadrant.",
    "Thank you for choosing our practice for your care.",
    "Please arrive 15 minutes early to complete paperwork.",
    "The pharmacy is open Monday through Friday from 9 to 5.",
    "Weight 82 kg, height 175 cm, BMI 26.8.",
    "Glucose 145 mg/dL, sodium 138, chloride 101, bicarbonate 24.",
    "ICD-10 code E11.9 was documented for the visit.",
    "Page 3 of 4.",
    "The study enrolled 250 participants across 12 sites.",
    "Our team will review the request within 2 business days.",
    "Visiting hours are from 8 am to 8 pm daily.",
    "The new policy takes effect at the start of the fiscal year.",
    "Walking 30 minutes a day can lower blood pressure.",
    "Invoice totals are listed in the table below.",
    "Temperature 101.2 F, respiratory rate 18.",
    "Use 1 puff of albuterol every 4 to 6 hours as needed for wheezing.",
    "Spanish interpreter was used for the entire visit.",
    "The Emergency Department was busy over the holiday weekend.",
    "We appreciate your patience while we update our systems.",
    "May is Mental Health Awareness Month.",
]
GENRES = {"clinical": CLINICAL, "discharge": DISCHARGE + CLINICAL[:10], "email": EMAIL, "billing": BILLING,
          "general": GENERAL}

_SLOT = re.compile(r"\{([A-Z_]+)(?::(\w+))?\}")
_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%m-%d-%Y", "%-m/%-d/%Y",
                 "%m/%d/%y", "%b %d", "%B %-d", "ORD_OF", "%A, %B %d, %Y", "%b. %-d, %Y", "%-d %b %Y", "%m.%d.%Y")
_STATES = ("MA", "CA", "NY", "TX", "FL", "IL", "OH", "WA", "GA", "NC", "AZ", "MI", "NJ", "VA", "TN", "CO", "MN",
           "WI", "MO", "SC", "Oregon", "Pennsylvania", "Maryland", "Kentucky")


def _ordinal(n: int) -> str:
    return str(n) + ("th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th"))


def _luhn_digit(body: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


class Generator:
    def __init__(self, seed: int = 20240601) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.others = [Faker(loc) for loc in OTHER_LOCALES]
        for i, f in enumerate(self.others):
            f.seed_instance(seed + i + 1)
        self.euro = Faker(["de_DE", "en_GB", "fr_FR", "es_ES", "it_IT", "nl_NL"])
        self.euro.seed_instance(seed + 99)

    # ---- values ------------------------------------------------------------------------------------------------
    def _person(self) -> tuple[str, str]:
        f = self.rng.choice(self.others) if self.rng.random() < 0.2 else self.fake
        return f.first_name(), f.last_name()

    def name(self, variant: str | None) -> tuple[str, str, int, int]:
        """(full text, annotated-part text, offset of the annotated part) -> returns text and span within it."""
        first, last = self._person()
        if variant == "first":
            return first, first, 0, len(first)
        if variant == "last":
            return last, last, 0, len(last)
        if variant == "lastfirst":
            if self.rng.random() < 0.5:
                s = f"{last.upper()}, {first.upper()}"
            else:
                s = f"{last}, {first}"
            return s, s, 0, len(s)
        r = self.rng.random()
        if r < 0.15:
            mi = self.rng.choice(string.ascii_uppercase)
            s = f"{first} {mi}. {last}"
        else:
            s = f"{first} {last}"
        return s, s, 0, len(s)

    def date(self, variant: str | None) -> str:
        d = self.fake.date_between(dt.date(1925, 1, 1), dt.date(2030, 12, 31))
        if variant == "monthyear":
            return d.strftime(self.rng.choice(("%B %Y", "%m/%Y", "%b %Y")))
        if variant == "birthday":
            return d.strftime(self.rng.choice(("%B %-d", "%b %-d", "ORD_OF"))).replace(
                "ORD_OF", f"{_ordinal(d.day)} of {d.strftime('%B')}")
        fmt = self.rng.choice(_DATE_FORMATS)
        if fmt == "ORD_OF":
            return f"{_ordinal(d.day)} of {d.strftime('%B')}" + (f" {d.year}" if self.rng.random() < 0.5 else "")
        return d.strftime(fmt)

    def npi(self) -> str:
        body = self.rng.choice("12") + "".join(self.rng.choice(string.digits) for _ in range(8))
        return body + _luhn_digit("80840" + body)

    def dea(self) -> str:
        d = [self.rng.randrange(10) for _ in range(6)]
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return self.rng.choice("ABFGMPR") + self.rng.choice(string.ascii_uppercase) + "".join(map(str, d)) + str(check)

    def mbi(self) -> str:
        a = "ACDEFGHJKMNPQRTUVWXY"
        an = a + string.digits
        c = self.rng.choice
        s = (c("123456789") + c(a) + c(an) + c(string.digits) + c(a) + c(an) + c(string.digits) + c(a) + c(a)
             + c(string.digits) + c(string.digits))
        return s if self.rng.random() < 0.5 else f"{s[:4]}-{s[4:7]}-{s[7:]}"

    def value(self, cat: str, variant: str | None) -> str:
        f, r = self.fake, self.rng
        if cat in ("DATE", "DOB"):
            return self.date(variant)
        if cat == "AGE":
            return str(r.randint(90, 108))
        if cat in ("PHONE", "FAX"):
            return f.phone_number()
        if cat == "EMAIL":
            return r.choice((f.email, f.company_email, f.free_email, f.ascii_safe_email))()
        if cat == "SSN":
            return f.ssn()
        if cat == "ADDRESS":
            if variant == "pobox":
                return r.choice(("PO Box ", "P.O. Box ", "Post Office Box ")) + str(r.randint(1, 99999))
            return f.street_address()
        if cat == "CITY":
            return f.city()
        if cat == "STATE":
            return r.choice(_STATES)
        if cat == "ZIP":
            return f.zipcode_plus4() if r.random() < 0.2 else f.zipcode()
        if cat == "MEDICAL_RECORD":
            return f.bothify(r.choice(("########", "#######", "??######", "##-###-###", "E#########", "00######")),
                             letters=string.ascii_uppercase)
        if cat == "INSURANCE_ID":
            if variant == "mbi":
                return self.mbi()
            if variant == "group":
                return f.bothify(r.choice(("######", "GRP-#####", "#####-###")), letters=string.ascii_uppercase)
            return f.bothify(r.choice(("???#########", "W#########", "##########", "??#######-##", "H########")),
                             letters=string.ascii_uppercase)
        if cat == "ACCOUNT":
            if variant == "card":
                return f.credit_card_number(r.choice(("visa16", "mastercard", "amex", "discover", "visa13")))
            if variant == "last4":
                return f.numerify("####")
            if variant == "iban":
                return self.euro.iban()
            if variant == "routing":
                return f.aba()
            return f.numerify(r.choice(("##########", "####-####-##", "############", "########")))
        if cat == "LICENSE":
            if variant == "npi":
                return self.npi()
            if variant == "dea":
                return self.dea()
            if variant == "med":
                return f.bothify(r.choice(("MD######", "A#####", "##-######", "G####")), letters=string.ascii_uppercase)
            return f.bothify(r.choice(("?#######", "D###-####-####", "?########", "###-###-###")),
                             letters=string.ascii_uppercase)
        if cat == "VEHICLE":
            return f.license_plate() if variant == "plate" else f.vin()
        if cat == "DEVICE":
            if variant == "mac":
                return f.mac_address()
            if variant == "udi":
                return f"(01){f.numerify('#' * 14)}(17){f.date_between('+1y', '+5y').strftime('%y%m%d')}(10){f.bothify('??####', letters=string.ascii_uppercase)}"
            if variant == "imei":
                body = f.numerify("#" * 14)
                return body + _luhn_digit(body)
            return f.bothify(r.choice(("SN-########", "??####-####", "#########", "PJN######?")),
                             letters=string.ascii_uppercase)
        if cat == "URL":
            return r.choice((f.url, f.uri))()
        if cat == "IP_ADDRESS":
            return r.choice((f.ipv4, f.ipv4_private, f.ipv6, f.ipv4_public))()
        if cat == "SECRET":
            return self.secret(variant)
        if cat == "DIAGNOSIS":
            return r.choice(("type 2 diabetes", "hypertension", "COPD", "atrial fibrillation", "major depressive disorder",
                             "chronic kidney disease", "asthma", "osteoarthritis", "heart failure", "E11.9"))
        if cat == "TREATMENT":
            return r.choice(("metformin 500 mg", "lisinopril 10 mg", "physical therapy", "apixaban", "insulin glargine",
                             "hemodialysis", "sertraline 50 mg", "atorvastatin 40 mg"))
        if cat == "NONPHI":
            return f.numerify("###-##-####") if variant == "order" else f.bothify("INV-######")
        raise KeyError(cat)

    def secret(self, variant: str | None) -> str:
        r = self.rng
        al = string.ascii_letters + string.digits

        def rnd(n: int, chars: str = al) -> str:
            return "".join(r.choice(chars) for _ in range(n))

        if variant == "kv":
            return rnd(32)
        if variant == "password":
            return rnd(12, al + "!#%&*")
        if variant == "akid":
            return "AKIA" + rnd(16, string.ascii_uppercase + string.digits)
        if variant == "jwt":
            return "eyJhbGciOiJIUzI1NiJ9." + "eyJ" + rnd(40, al + "_-") + "." + rnd(43, al + "_-")
        if variant == "pem":
            body = "\n".join(rnd(64, al + "+/") for _ in range(4))
            return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
        kind = r.choice(("sk-proj-", "sk-ant-api03-", "ghp_", "xoxb-", "AIza", "sk_live_", "sk-"))
        n = {"ghp_": 36, "AIza": 35, "xoxb-": 40, "sk_live_": 24}.get(kind, 40)
        return kind + rnd(n, al + ("-_" if kind == "AIza" else ""))

    # ---- documents ---------------------------------------------------------------------------------------------
    def fill(self, template: str, doc: Document, parts: list[str], pos: int) -> int:
        last = 0
        for m in _SLOT.finditer(template):
            lit = template[last:m.start()]
            parts.append(lit)
            pos += len(lit)
            cat, variant = m.group(1), m.group(2)
            if cat == "NAME":
                text, _, a, b = self.name(variant)
                doc.entities.append(Entity("NAME", pos + a, pos + b, text[a:b]))
            else:
                text = self.value(cat, variant)
                if cat not in ("STATE", "NONPHI"):
                    doc.entities.append(Entity(cat, pos, pos + len(text), text))
            parts.append(text)
            pos += len(text)
            last = m.end()
        tail = template[last:]
        parts.append(tail)
        return pos + len(tail)

    def document(self, genre: str | None = None, n_sentences: int | None = None) -> Document:
        r = self.rng
        genre = genre or r.choice(sorted(GENRES))
        pool = GENRES[genre]
        n = n_sentences or r.randint(4, 8)
        doc = Document("", [], genre)
        parts: list[str] = []
        pos = 0
        for i in range(n):
            tpl = r.choice(pool) if r.random() < 0.7 else r.choice(FILLER)
            if i:
                sep = "\n" if r.random() < 0.3 else " "
                parts.append(sep)
                pos += 1
            pos = self.fill(tpl, doc, parts, pos)
        doc.text = "".join(parts)
        return doc

    def corpus(self, n_docs: int) -> list[Document]:
        return [self.document() for _ in range(n_docs)]

    def text_of_size(self, size: int) -> Document:
        """One PHI-bearing text of about ``size`` characters (for benchmarks)."""
        doc = Document("", [], "mixed")
        parts: list[str] = []
        pos = 0
        while pos < size:
            tpl = self.rng.choice(self.rng.choice(list(GENRES.values())) if self.rng.random() < 0.6 else FILLER)
            if pos:
                parts.append(" ")
                pos += 1
            pos = self.fill(tpl, doc, parts, pos)
        doc.text = "".join(parts)
        return doc
