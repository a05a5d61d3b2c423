"""Classes found by their place in the text (issue 15): the parts of an address chain, Safe Harbor's catch-all codes,
dates in other countries' written forms, names after labels, titles and greetings, and what each must leave alone."""
import pytest

from services.phi.detection import DEFAULT_ENABLED, SECRET_CATEGORY, Detector

CATS = DEFAULT_ENABLED | {SECRET_CATEGORY}


@pytest.fixture(scope="module")
def detector():
    return Detector()


def found(detector, text):
    return [(d.category, text[d.start:d.end]) for d in detector.detect(text, CATS)]


def covered(detector, text, value):
    start = text.index(value)
    return any(d.start <= start and start + len(value) <= d.end for d in detector.detect(text, CATS))


def untouched(detector, text, value):
    start = text.index(value)
    return not any(d.start < start + len(value) and start < d.end for d in detector.detect(text, CATS))


@pytest.mark.parametrize("text,values", [
    ("Send it to 14 Harbour Road, Ravensbourne, Dunedin 9022 please.", ["Ravensbourne", "Dunedin", "9022"]),
    ("Our office: 48 Pier Street, 5432 Lindholm? Thanks.", ["5432", "Lindholm"]),
    ("Adresse: Birkenweg 17, Kleinstadt, 4711\nTel. unknown", ["Birkenweg 17", "Kleinstadt"]),
    ("Clinic\n9 Quarry Road\nMarlow Bottom\n7788\nTel 01 234 5678", ["Marlow Bottom", "7788"]),
    ("Domicilio: Calle Nueva 8, 3º-B, 29001 Málaga", ["Calle Nueva 8"]),
    ("Bydliště: Lipová 12b/3, 602 00 Brno", ["Lipová 12b/3"]),
    ("Adres: Çınar Sokak No. 7 Daire 2, 34000 İstanbul", ["Çınar Sokak No. 7 Daire 2"]),
    ("previous address: 12/40 Kauri Street, Whangarei 0110", ["12/40 Kauri Street", "Whangarei"]),
    ('{"zip": "80331", "city": "Munich"}', ["80331"]),
    ("C.P.: 41001\nLocalidad: Sevilla", ["41001"]),
    ("a 70-year-old from Łódź, who has asthma", ["Łódź"]),
    ("Dr. Eva Holm\nLindengasse 8/2/14\n1070 Wien\nAustria", ["Lindengasse 8/2/14"]),
    ("wohnhaft Ringstraße 4/1/9, A-8010 Graz, seit", ["Ringstraße 4/1/9"]),
    ("residente na Rua Azul 9, Centro, Maceió/AL, 57000-000, para", ["Centro", "Maceió"]),
])
def test_address_parts_next_to_the_ones_found(detector, text, values):
    for value in values:
        assert covered(detector, text, value), (value, found(detector, text))


@pytest.mark.parametrize("text,value", [
    ("AM labs Na 134, Plt 142, BNP 1240. Pain controlled.", "Plt 142"),
    ("She lives at 40 Elm Street, Springfield, Illinois 62704.", "Illinois"),
    ("Discharge to 5 Bay Road, Napier 4110, New Zealand.", "New Zealand"),
    ("Priority: STAT   Accession LB-44063\nClinical indication: pain", "STAT"),
    ("residente na Rua Azul 9, Centro, Maceió/AL, 57000-000, para", "AL"),
])
def test_what_an_address_chain_leaves_alone(detector, text, value):
    assert untouched(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("The template id for the door is VX-5521Q.", "VX-5521Q"),
    ("participant code NORTHWIND-2291 in the trial", "NORTHWIND-2291"),
    ("log line pt_ref=ab12cd34ef56 sent", "ab12cd34ef56"),
    ("chartMRN00998877 pt=ok", "chartMRN00998877"),
    ("quoting your hospital number (77120345).", "77120345"),
    ("collect with code 3310 8842 at the desk", "3310 8842"),
    ("the login is fine but the password Tq8vRz!m42 leaked", "Tq8vRz!m42"),
    ("portrait saved as maria.lopez.portrait.jpeg in the folder", "maria.lopez.portrait.jpeg"),
    ("NI number written out: QQ 12 34 56 C, thanks", "QQ 12 34 56 C"),
    ("Consultant, læknanúmer 5521\n", "5521"),
    ("Placa do veículo: ABC1D23\n", "ABC1D23"),
])
def test_catch_all_codes_by_shape(detector, text, value):
    assert covered(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("Give 1000mg twice daily.", "1000mg"),
    ("ISO-9001 certified laboratory.", "ISO-9001"),
    ("Coded as S72.001A on admission.", "S72.001A"),
    ("invoice INV-884213 is attached", "INV-884213"),
    ("Order #5512093 shipped", "5512093"),
    ("Mon, 3 November 2025 0700", "0700"),
    ("The grant was 1 000 000 euros.", "1 000 000"),
    ("Symptoms since 2019-2023 at least.", "2019-2023"),
])
def test_what_the_catch_all_leaves_alone(detector, text, value):
    assert untouched(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("Aufnahme: 14.03.22  Entlassung: 18.03.22", "14.03.22"),
    ("nar. 3. 9. 1961, RČ", "3. 9. 1961"),
    ("Husk tid 4/11 2025. Afbud", "4/11 2025"),
    ("doğum tarihi 9 Şubat 1950", "9 Şubat 1950"),
    ("Ra viện: ngày 3 tháng 4 năm 2024", "ngày 3 tháng 4 năm 2024"),
    ("utskriven 240315.", "240315"),
    ("unwell since Friday the 9th.", "Friday the 9th"),
])
def test_dates_in_other_written_forms(detector, text, value):
    assert covered(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("BP 120/80, pain 6/10.", "120/80"),
    ("Take 2 tablets 3 times a day.", "2 tablets"),
])
def test_what_the_date_forms_leave_alone(detector, text, value):
    assert untouched(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("Nachname: Fischer\nVorname: Grete\n", "Fischer"),
    ("surname: Miller\ngiven names: Hope\n", "Hope"),
    ("Achternaam: van Dijk\n", "van Dijk"),
    ('{"name": "Baker", "dob": "x"}', "Baker"),
    ("Husk tid hos læge Sørensen i morgen", "Sørensen"),
    ("con Dott. Ferro domani", "Ferro"),
    ("khám của Bà Lan vào", "Lan"),
    ("Please ask Dr Stone about it", "Stone"),
    ("Hej Ib. Husk tid", "Ib"),
    ("Hi this is Summer Price, I need a new time", "Summer Price"),
    ("Patient/in: Keller, B., geb. 1950", "Keller, B."),
    ("the box for K. Short is ready", "K. Short"),
    ('"KOWALCZYK Maria","01.01.1950"', "KOWALCZYK Maria"),
    ("Bed 3: Mrs Lind, 97, stable", "97"),
])
def test_names_by_their_place(detector, text, value):
    assert covered(detector, text, value), found(detector, text)


@pytest.mark.parametrize("text,value", [
    ("Hi Team, the meeting moved.", "Team"),
    ("Patient: Stable, afebrile.", "Stable"),
    ("Attending: Dr. Garcia Her daughter called.", "Her"),
    ("CRP 38 mg/L. Last seen by the nurse.", "Last"),
    ("Follow-up: PCP M. Okwuosa within 10 days.", "PCP"),
])
def test_what_the_name_context_leaves_alone(detector, text, value):
    assert untouched(detector, text, value), found(detector, text)
