import pytest

from services.phi.detection import validators as V


@pytest.mark.parametrize("num,ok", [
    ("4111 1111 1111 1111", True), ("4111-1111-1111-1112", False), ("378282246310005", True),
    ("6011111111111117", True), ("5555555555554444", True), ("1234567812345678", False), ("0", False),
])
def test_luhn_and_cards(num, ok):
    assert V.luhn_valid(num) is ok
    assert V.card_valid(num) is ok


def test_card_requires_known_prefix_without_cue():
    assert V.luhn_valid("0000000000000000") and not V.card_valid("0000000000000000")
    assert not V.card_valid("9111111111111111" if V.luhn_valid("9111111111111111") else "9111111111111110")


@pytest.mark.parametrize("npi,ok", [("1234567893", True), ("1234567890", False), ("3234567893", False),
                                     ("123456789", False), ("2000000008", V.luhn_valid("808402000000008"))])
def test_npi(npi, ok):
    assert V.npi_valid(npi) is ok


@pytest.mark.parametrize("ssn,ok", [
    ("123-45-6788", True), ("000-12-3456", False), ("666-12-3456", False), ("900-12-3456", False),
    ("999-12-3456", False), ("123-00-4567", False), ("123-45-0000", False), ("899-99-9999", True),
    ("234-56-7890", True), ("123-45-6789", False), ("1234567", False),
])
def test_ssn(ssn, ok):
    assert V.ssn_valid(ssn) is ok


@pytest.mark.parametrize("vin,ok", [("1HGCM82633A004352", True), ("1HGCM82632A004352", False),
                                     ("11111111111111111", True), ("1HGCM82633A00435", False),
                                     ("1HGCM82633I004352", False)])
def test_vin(vin, ok):
    assert V.vin_valid(vin) is ok


@pytest.mark.parametrize("iban,ok", [
    ("GB82 WEST 1234 5698 7654 32", True), ("GB82WEST12345698765433", False), ("DE89370400440532013000", True),
    ("DE8937040044053201300", False), ("XX89370400440532013000", False), ("FR1420041010050500013M02606", True),
])
def test_iban(iban, ok):
    assert V.iban_valid(iban) is ok


def test_aba_and_dea():
    assert V.aba_valid("011000015") and not V.aba_valid("011000016")
    assert V.dea_valid("AB1234563") and not V.dea_valid("AB1234564") and not V.dea_valid("1B1234563")


@pytest.mark.parametrize("y,m,d,ok", [(2021, 2, 28, True), (2021, 2, 29, False), (2020, 2, 29, True),
                                       (1900, 2, 29, False), (2000, 2, 29, True), (2021, 2, 30, False),
                                       (2021, 13, 1, False), (2021, 0, 1, False), (2021, 4, 31, False),
                                       (None, 2, 29, True), (2021, 12, None, True)])
def test_dates(y, m, d, ok):
    assert V.date_valid(y, m, d) is ok


def test_ip():
    assert V.ipv4_valid("192.168.0.1") and not V.ipv4_valid("256.1.1.1") and not V.ipv4_valid("01.2.3.4")
    assert V.ipv6_valid("fe80::1") and not V.ipv6_valid("10:30:00")
