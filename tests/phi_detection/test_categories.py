import pytest

from services.phi.detection import CATEGORIES, DEFAULT_ENABLED, SECRET_CATEGORY, Detection, Detector

from .conftest import found

ALL = frozenset(CATEGORIES)


def test_public_api():
    assert SECRET_CATEGORY == "SECRET" and SECRET_CATEGORY in DEFAULT_ENABLED
    assert DEFAULT_ENABLED == ALL - {"DIAGNOSIS", "TREATMENT"}
    import re
    assert all(re.fullmatch(r"[A-Z]+(_[A-Z]+)*", c) for c in CATEGORIES)
    assert len(set(CATEGORIES)) == len(CATEGORIES) == 22
    d = Detection("NAME", 0, 4, 0.9)
    with pytest.raises(Exception):
        d.start = 3  # frozen


POSITIVE = [
    ("NAME", "John Smith called yesterday.", "John Smith"),
    ("NAME", "Maria Garcia was admitted this morning.", "Maria Garcia"),
    ("NAME", "Seen by Dr. Okonkwo in clinic.", "Okonkwo"),
    ("NAME", "Her son Michael drove her in.", "Michael"),
    ("NAME", "Patient: SMITH, JOHN", "SMITH, JOHN"),
    ("NAME", "Mrs. Lefèvre declined the vaccine.", "Lefèvre"),
    ("NAME", "Jennifer M. Rodriguez-Lopez signed the form.", "Jennifer M. Rodriguez-Lopez"),
    ("NAME", "Name: Thibault Lefèvre", "Thibault Lefèvre"),
    ("ADDRESS", "She lives at 3374 Robert Point Apt. 12 now.", "3374 Robert Point Apt. 12"),
    ("ADDRESS", "Mail it to PO Box 4431 please.", "PO Box 4431"),
    ("ADDRESS", "Deliver to 1600 Pennsylvania Avenue NW, Washington, DC 20500.", "1600 Pennsylvania Avenue NW"),
    ("CITY", "Return to 12 Oak St, East Crystalport, NV 89501.", "East Crystalport"),
    ("CITY", "She lives in Springfield with her sister.", "Springfield"),
    ("ZIP", "Boston, MA 02115", "02115"),
    ("ZIP", "zip code 02115-1234", "02115-1234"),
    ("DOB", "DOB: 03/04/1956", "03/04/1956"),
    ("DOB", "Date of birth March 3, 1950.", "March 3, 1950"),
    ("DATE", "Admitted on March 3, 2021.", "March 3, 2021"),
    ("DATE", "seen on the 3rd of March", "3rd of March"),
    ("DATE", "Labs from 2021-03-04 reviewed.", "2021-03-04"),
    ("DATE", "Follow up Mar 3 at noon.", "Mar 3"),
    ("DATE", "Discharged 03/04/2021.", "03/04/2021"),
    ("AGE", "A 92-year-old woman.", "92"),
    ("AGE", "patient aged 101 years", "101"),
    ("PHONE", "Call (555) 123-4567 today.", "(555) 123-4567"),
    ("PHONE", "cell: 617.555.0199", "617.555.0199"),
    ("PHONE", "Phone 6175550199.", "6175550199"),
    ("PHONE", "+44 20 7946 0958 is the London office.", "+44 20 7946 0958"),
    ("FAX", "Fax: 555-123-9876", "555-123-9876"),
    ("FAX", "send to fax number 555-123-9876", "555-123-9876"),
    ("EMAIL", "Email jane.doe+test@example.org now", "jane.doe+test@example.org"),
    ("SSN", "SSN 123-45-6788", "123-45-6788"),
    ("SSN", "social security number: 123456788", "123456788"),
    ("MEDICAL_RECORD", "MRN: 00123456", "00123456"),
    ("MEDICAL_RECORD", "Medical record number E123456789.", "E123456789"),
    ("INSURANCE_ID", "Member ID W123456789", "W123456789"),
    ("INSURANCE_ID", "Medicare 1EG4-TE5-MK73", "1EG4-TE5-MK73"),
    ("INSURANCE_ID", "group number 98765", "98765"),
    ("ACCOUNT", "Card 4111 1111 1111 1111 was charged.", "4111 1111 1111 1111"),
    ("ACCOUNT", "IBAN DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"),
    ("ACCOUNT", "Account number: 1234567890", "1234567890"),
    ("LICENSE", "NPI 1234567893", "1234567893"),
    ("LICENSE", "DEA AB1234563", "AB1234563"),
    ("LICENSE", "driver's license D123-4567-8901", "D123-4567-8901"),
    ("VEHICLE", "VIN 1HGCM82633A004352", "1HGCM82633A004352"),
    ("VEHICLE", "the truck 1HGCM82633A004352 was towed", "1HGCM82633A004352"),
    ("VEHICLE", "license plate 7ABC123", "7ABC123"),
    ("DEVICE", "pacemaker serial number PJN123456", "PJN123456"),
    ("DEVICE", "MAC ba:37:53:c9:bd:fa", "ba:37:53:c9:bd:fa"),
    ("DEVICE", "UDI (01)00844588003288(17)141120(10)7654321D", "(01)00844588003288(17)141120(10)7654321D"),
    ("URL", "see https://portal.example.com/x?y=1.", "https://portal.example.com/x?y=1"),
    ("URL", "visit www.example.org today", "www.example.org"),
    ("IP_ADDRESS", "from 10.0.0.12 yesterday", "10.0.0.12"),
    ("IP_ADDRESS", "from fe80::1ff:fe23:4567:890a ok", "fe80::1ff:fe23:4567:890a"),
    ("SECRET", "key AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ("SECRET", "password=hunter22", "hunter22"),
    ("SECRET", "passwd: 'S3cr3t!'", "S3cr3t!"),
    ("SECRET", "use sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123"),
    ("SECRET", "use sk-proj-abcdefghijklmnopqrstuvwxyz0123", "sk-proj-abcdefghijklmnopqrstuvwxyz0123"),
    ("SECRET", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("SECRET", "xoxb-123456789012-abcdefghijkl", "xoxb-123456789012-abcdefghijkl"),
    ("SECRET", "AIzaSyA1234567890abcdefghijklmnopqrstuv", "AIzaSyA1234567890abcdefghijklmnopqrstuv"),
    ("SECRET", "sk_live_abcdefghijklmnop1234", "sk_live_abcdefghijklmnop1234"),
    ("SECRET", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"),
    ("SECRET", "-----BEGIN PRIVATE KEY-----\nMIIEabc\n-----END PRIVATE KEY-----",
     "-----BEGIN PRIVATE KEY-----\nMIIEabc\n-----END PRIVATE KEY-----"),
]


@pytest.mark.parametrize("cat,text,value", POSITIVE)
def test_positive(detector, cat, text, value):
    assert (cat, value) in found(detector, text), found(detector, text)


NEGATIVE = [
    "She was moved to room 412 after surgery.",
    "Take 500 mg twice daily, 10 mL, 2 tablets twice daily.",
    "In 2019 she had a cholecystectomy.",
    "Order #123-45-6789 has shipped.",
    "Invoice 123-45-6789 and reference no. 123-45-6789 are attached.",
    "Upgraded to version 2.4.1 and v1.2.3.4 yesterday.",
    "The meeting is at 10:30 in the main room.",
    "Blood pressure 120/80, pulse 72, temp 98.6 F, glucose 145 mg/dL.",
    "ICD-10 code E11.9 was documented.",
    "Invalid numbers 000-12-3456 and 666-45-6789 and 900-12-3456.",
    "Date 02/30/2021 does not exist, nor does 13/13/2020.",
    "The Patient was seen in the Emergency Department on Monday.",
    "Discharge Summary: Chest X-ray showed no acute process.",
    "Metformin and Lisinopril were continued.",
    "A 45-year-old man with pain rated 4 out of 10.",
    "He will be seen in May. Grace period ends soon.",
    "password: <redacted>",
    "",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative(detector, text):
    assert found(detector, text) == []


def test_cued_invalid_ssn_still_redacted(detector):
    # a labelled SSN that fails the SSA rules is still treated as an SSN (lower confidence)
    dets = detector.detect("SSN: 000-12-3456")
    assert [(d.category, d.confidence < 0.9) for d in dets] == [("SSN", True)]


def test_clinical_off_by_default(detector):
    text = "Assessment: type 2 diabetes, ICD-10 E11.9; continue metformin 500 mg."
    assert found(detector, text) == []
    got = found(detector, text, frozenset(CATEGORIES))
    assert ("DIAGNOSIS", "type 2 diabetes") in got
    assert ("DIAGNOSIS", "E11.9") in got
    assert ("TREATMENT", "metformin 500 mg") in got


def test_category_filter(detector):
    text = "John Smith, SSN 123-45-6788, email john@example.com"
    assert found(detector, text, frozenset({"SSN"})) == [("SSN", "123-45-6788")]
    assert found(detector, text, frozenset()) == []


def test_overlap_resolution_prefers_longer_and_specific(detector):
    text = "Send to 12 John Street, Springfield, IL 62701 and ask for John Street."
    dets = detector.detect(text)
    cats = [(d.category, text[d.start:d.end]) for d in dets]
    assert ("ADDRESS", "12 John Street") in cats
    for a, b in zip(dets, dets[1:]):
        assert a.end <= b.start


def test_cue_wins_over_shape(detector):
    # a labelled device serial that also passes Luhn is a device, not a card
    assert found(detector, "IMEI 490154203237518") == [("DEVICE", "490154203237518")]


def test_unicode_and_large_input(detector):
    text = "👩‍⚕️ Dr. Zoë Ångström 🧪 e\u0301 called 555-123-4567 ✅ " * 3
    for d in detector.detect(text):
        assert 0 <= d.start < d.end <= len(text)
    big = ("Patient John Smith, MRN 1234567, called (555) 123-4567 on 03/04/2021. " * 1500)[:100_000]
    dets = detector.detect(big)
    assert len(dets) > 1000
    assert all(a.end <= b.start for a, b in zip(dets, dets[1:]))


def test_pluggable_detector():
    class Fake:
        def find(self, text):
            i = text.find("Zorblax")
            return [(i, i + 7, "NAME", 0.99)] if i >= 0 else []

    det = Detector(extra_detectors=[Fake()])
    assert found(det, "ask Zorblax about it") == [("NAME", "Zorblax")]


def test_deterministic(detector):
    text = "Dr. John Smith (NPI 1234567893) saw Maria Garcia on 2021-03-04 at 3374 Robert Point."
    assert detector.detect(text) == detector.detect(text) == Detector().detect(text)
