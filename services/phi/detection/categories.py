"""PHI category names (45 CFR 164.514(b)(2)(i) identifiers plus clinical content and secrets)."""

from __future__ import annotations

NAME = "NAME"
ADDRESS = "ADDRESS"
CITY = "CITY"
ZIP = "ZIP"
DOB = "DOB"
DATE = "DATE"
AGE = "AGE"
PHONE = "PHONE"
FAX = "FAX"
EMAIL = "EMAIL"
SSN = "SSN"
MEDICAL_RECORD = "MEDICAL_RECORD"
INSURANCE_ID = "INSURANCE_ID"
ACCOUNT = "ACCOUNT"
LICENSE = "LICENSE"
VEHICLE = "VEHICLE"
DEVICE = "DEVICE"
URL = "URL"
IP_ADDRESS = "IP_ADDRESS"
DIAGNOSIS = "DIAGNOSIS"
TREATMENT = "TREATMENT"
SECRET = "SECRET"

SECRET_CATEGORY = SECRET

CATEGORIES: tuple[str, ...] = (
    NAME, ADDRESS, CITY, ZIP, DOB, DATE, AGE, PHONE, FAX, EMAIL, SSN, MEDICAL_RECORD, INSURANCE_ID,
    ACCOUNT, LICENSE, VEHICLE, DEVICE, URL, IP_ADDRESS, DIAGNOSIS, TREATMENT, SECRET,
)

# Clinical content is often what the model needs, so it is off unless a tenant turns it on (as in the seed).
DEFAULT_ENABLED: frozenset[str] = frozenset(CATEGORIES) - {DIAGNOSIS, TREATMENT}

# Tie-break between overlapping detections of equal confidence and length: lower wins (more specific first).
SPECIFICITY: dict[str, int] = {c: i for i, c in enumerate((
    SECRET, SSN, EMAIL, URL, IP_ADDRESS, ACCOUNT, VEHICLE, DEVICE, LICENSE, MEDICAL_RECORD, INSURANCE_ID,
    FAX, PHONE, DOB, DATE, AGE, ADDRESS, ZIP, CITY, NAME, DIAGNOSIS, TREATMENT,
))}
