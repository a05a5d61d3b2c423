"""Address parts found from their place in a postal address (unit lines, post-office boxes, districts, address
fields, state + postcode) and the street types of more countries, with strings of our own; and what stays."""
import pytest

from tests.phi_detection.test_international import DET, _covered


@pytest.mark.parametrize("text, values", [
    # a unit line above the street line of a postal block
    ("Jens Holm\nLejlighed 4\nNørregade 12\n8000 Aarhus", ["Lejlighed 4", "Nørregade 12", "8000", "Aarhus"]),
    ("Anna Nowak\nm. 7\nul. Długa 5\n00-238 Warszawa", ["m. 7", "ul. Długa 5", "00-238", "Warszawa"]),
    ("Petr Malý\nbyt č. 3\nDlouhá 16\n110 00 Praha", ["byt č. 3", "Dlouhá 16", "110 00"]),
    # post-office boxes and Vietnamese wards / districts by number
    ("Svar sendes til Postboks 1234, 0107 Oslo.", ["Postboks 1234", "0107", "Oslo"]),
    ("Enviar para Caixa Postal 45, Curitiba", ["Caixa Postal 45"]),
    ("Gửi về Hộp thư 12, Cần Thơ", ["Hộp thư 12"]),
    ("Nhà ở 12b Hai Bà Trưng, Phường 6, Quận 3, TP. Hồ Chí Minh", ["12b Hai Bà Trưng", "Phường 6", "Quận 3"]),
    # the value of an address field, whatever its words
    ("Address ....... 55/2 Nguyễn Trãi, Hà Nội", ["55/2 Nguyễn Trãi"]),
    ("Địa chỉ: 9/14 Trần Phú, Nha Trang", ["9/14 Trần Phú"]),
    # Australian / New Zealand road types, a state and its postcode after the city, a postcode after a city
    ("GP: Dr Okafor, 14 Wattle Slope, Ballarat  VIC  3350", ["14 Wattle Slope", "3350"]),
    ("Lives at 3 Kauri Glade, Rotorua 3010 with her son.", ["3 Kauri Glade", "3010"]),
    # a house number after the number sign, and street types of Italy and Brazil
    ("Vive en Plaza Mayor, nº 12, 3º B, 37002 Salamanca", ["Plaza Mayor, nº 12", "37002", "Salamanca"]),
    ("residente in Stretto Lungo 4/B, 80121 Napoli", ["Stretto Lungo 4/B", "80121", "Napoli"]),
    ("mora na Ladeira da Glória, 21, Salvador", ["Ladeira da Glória, 21"]),
    # a street taken into a name ("Surname, Street 40"): its postcode and city are still found
    ("Next of kin: Mrs Jónsdóttir, Hringbraut 12, 107 Reykjavík, tel", ["107", "Reykjavík"]),
    # a reference on a message to the patient
    ("Your prescription is ready. Collect before Friday. Ref 5521 8890. Queries 0161 496 0000", ["5521 8890"]),
])
def test_address_parts_from_their_place(text, values):
    for v in values:
        assert _covered(text, v), (v, text, [(d.category, text[d.start:d.end]) for d in DET.detect(text)])


@pytest.mark.parametrize("text", [
    "IP address: 10.1.2.3 is blocked",
    "Address: see the referral letter",
    "Room no 12 is free after 3 pm",
    "Invoice 123-45-6789 and reference no. 123-45-6789 are attached.",
    "TEST    RESULT   FLAG   REF RANGE\nGlucose 5.4 mmol/L  N  3.9-5.5",
    "Gave 2 Venous Access attempts before the line went in.",
])
def test_what_is_not_an_address_stays(text):
    assert [(d.category, text[d.start:d.end]) for d in DET.detect(text)
            if d.category in ("ADDRESS", "ZIP", "MEDICAL_RECORD")] == []


@pytest.mark.parametrize("text", ["Dip 1 Test Strip in the sample.", "We chose a 2 Step Approach to weaning."])
def test_road_types_that_are_also_words_are_not_taken(text):
    assert [d for d in DET.detect(text) if d.category == "ADDRESS"] == []


@pytest.mark.parametrize("text, values", [
    ("Lægehuset\nHovedgaden 3, 2. tv.\n4000 Roskilde", ["Hovedgaden 3, 2. tv.", "4000", "Roskilde"]),
    ("Dr Hale\nLevel 3\n14 Quay Street\nAuckland 1010", ["Level 3", "14 Quay Street"]),
    ("address line 1: Gedimino pr. 9\ntown: Vilnius", ["Gedimino pr. 9"]),
    ("Street: 12 ter rue des Lilas | City: Lyon", ["12 ter rue des Lilas"]),
    ("Re: M. Petit, 116 bis, chemin des Vignes, 69005 Lyon", ["116 bis, chemin des Vignes", "69005"]),
])
def test_floors_levels_field_labels_and_bis_numbers(text, values):
    for v in values:
        assert _covered(text, v), (v, text, [(d.category, text[d.start:d.end]) for d in DET.detect(text)])


def test_an_australian_state_and_postcode_carry_the_address_before_them():
    text = "Next of kin: Mr Reid, Unit 9, 21 Kestrel Riverway, Ballarat  VIC  3350, telephone (03) 5320 1111."
    for v in ("Unit 9, 21 Kestrel Riverway", "Ballarat", "3350"):
        assert _covered(text, v), (v, [(d.category, text[d.start:d.end]) for d in DET.detect(text)])


@pytest.mark.parametrize("text", ["The SA 2020 report is out.", "The floods in NSW 2019 were bad.",
                                  "Done by ACT 1234 team."])
def test_a_state_before_a_year_or_after_a_small_word_is_no_postcode(text):
    assert [d for d in DET.detect(text) if d.category in ("ZIP", "CITY")] == []


@pytest.mark.parametrize("text, name", [
    ("Họ tên: Dương Thu Hưng, sinh năm 1956", "Dương Thu Hưng"),
    ("Bác sĩ điều trị: Đặng Thu Thành", "Đặng Thu Thành"),
    ("83-year-old VŨ Nhiên, admitted with pneumonia", "VŨ Nhiên"),
])
def test_vietnamese_family_names_carry_the_middle_and_given_names_after_them(text, name):
    assert _covered(text, name), [(d.category, text[d.start:d.end]) for d in DET.detect(text)]


def test_a_vietnamese_name_stops_at_the_words_of_an_address():
    text = "Nhà ở 12b Hai Bà Trưng, Phường 6, Quận 3"
    assert not any(d.category == "NAME" and "Phường" in text[d.start:d.end] for d in DET.detect(text))


@pytest.mark.parametrize("text, values", [
    # a suburb that is also a name ("Lynn") does not end the block: the city and postcode after it are found
    ("Ms Tia Walker\n14 Kowhai Road\nGrey Lynn\nAuckland 1021\n\nDear Ms Walker,", ["Grey Lynn", "Auckland", "1021"]),
    # a city that is also a word, over a line that holds only the postcode
    ("Mr Ben Hart\n9 Rata Street\nWellington\n6011\nNew Zealand", ["Wellington", "6011"]),
])
def test_a_postal_block_goes_on_past_a_suburb_that_is_a_name_and_a_city_that_is_a_word(text, values):
    for v in values:
        assert _covered(text, v), (v, [(d.category, text[d.start:d.end]) for d in DET.detect(text)])


def test_a_postcode_after_a_city_and_a_comma_is_found_when_the_sentence_goes_on_but_a_year_is_not():
    text = "Discharge home to 25/155 Queen Street, Palmerston North, 5140 tomorrow."
    assert _covered(text, "5140")
    text = "She moved to 12 King Street, Auckland, 2019 was hard."
    assert not any(text[d.start:d.end] == "2019" for d in DET.detect(text))


@pytest.mark.parametrize("text, value", [
    ("Caller: Unit 12, 70 Wattle Colonnade, postcode 2028.", "Unit 12, 70 Wattle Colonnade"),  # any road type
    ("GP: Dr Hoàng, 30/33 Nguyễn Huệ, Quy Nhơn", "30/33 Nguyễn Huệ"),  # a street the name rules took
])
def test_a_unit_or_a_slash_number_vouches_for_the_street_after_it(text, value):
    assert _covered(text, value), [(d.category, text[d.start:d.end]) for d in DET.detect(text)]


def test_a_date_before_an_english_name_stays_a_date():
    text = "Seen 12/3 John Smith came back."
    assert [(d.category, text[d.start:d.end]) for d in DET.detect(text)] == [("DATE", "12/3"), ("NAME", "John Smith")]
