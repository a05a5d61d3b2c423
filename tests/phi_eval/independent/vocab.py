"""Non-PHI clinical vocabulary that the generated documents count as words to keep: drugs, eponymous diagnoses (names
that are not people), doses, vitals, lab values, rooms, years and counts."""
from __future__ import annotations

from random import Random

DRUGS = ("metformin", "ramipril", "apixaban", "atorvastatin", "levothyroxine", "amoxicillin", "salbutamol", "omeprazole",
         "bisoprolol", "sertraline", "insulin glargine", "paracetamol", "ibuprofen", "prednisolone", "furosemide",
         "warfarin", "Eliquis", "Ozempic", "Xarelto", "Lantus", "Ventolin", "Keppra", "levodopa", "Sinemet", "donepezil",
         "methotrexate", "adalimumab", "Humira", "tramadol", "citalopram", "amlodipine", "candesartan", "Jardiance",
         "empagliflozin", "semaglutide", "rivaroxaban", "Metoprolol", "Pantoprazol", "Novaminsulfon", "Doliprane",
         "Dafalgan", "Voltaren", "Clexane", "enoxaparin", "allopurinol", "colchicine", "lithium", "quetiapine")
DIAGNOSES = {
    "en": ("type 2 diabetes", "atrial fibrillation", "Parkinson's disease", "Crohn's disease", "Hashimoto's thyroiditis",
           "Alzheimer's disease", "a Baker's cyst", "Bell's palsy", "Graves' disease", "Hodgkin lymphoma",
           "Addison's disease", "Cushing's syndrome", "heart failure", "COPD", "asthma", "chronic kidney disease stage 3",
           "hypertension", "Meniere's disease", "Raynaud's phenomenon", "Sjögren's syndrome", "Guillain-Barré syndrome",
           "Huntington's disease", "Wilson's disease", "Paget's disease of bone", "Dupuytren's contracture"),
    "de": ("Diabetes mellitus Typ 2", "Vorhofflimmern", "Morbus Parkinson", "Morbus Crohn", "Hashimoto-Thyreoiditis",
           "eine Baker-Zyste", "Herzinsuffizienz", "COPD", "arterielle Hypertonie", "Morbus Bechterew",
           "Morbus Basedow", "eine Fazialisparese"),
    "fr": ("un diabète de type 2", "une fibrillation auriculaire", "une maladie de Parkinson", "une maladie de Crohn",
           "un kyste de Baker", "une insuffisance cardiaque", "une BPCO", "une hypertension artérielle",
           "une maladie d'Alzheimer", "une thyroïdite de Hashimoto"),
    "nl": ("diabetes mellitus type 2", "atriumfibrilleren", "de ziekte van Parkinson", "de ziekte van Crohn",
           "een bakerscyste", "hartfalen", "COPD", "hypertensie", "de ziekte van Alzheimer"),
    "sv": ("typ 2-diabetes", "förmaksflimmer", "Parkinsons sjukdom", "Crohns sjukdom", "hjärtsvikt", "KOL",
           "hypertoni", "Alzheimers sjukdom", "en Bakercysta"),
    "da": ("type 2-diabetes", "atrieflimren", "Parkinsons sygdom", "Crohns sygdom", "hjertesvigt", "KOL", "forhøjet blodtryk"),
    "es": ("diabetes mellitus tipo 2", "fibrilación auricular", "enfermedad de Parkinson", "enfermedad de Crohn",
           "un quiste de Baker", "insuficiencia cardíaca", "EPOC", "hipertensión arterial", "enfermedad de Alzheimer"),
    "it": ("diabete mellito di tipo 2", "fibrillazione atriale", "morbo di Parkinson", "morbo di Crohn",
           "una cisti di Baker", "scompenso cardiaco", "BPCO", "ipertensione arteriosa", "malattia di Alzheimer"),
    "pt": ("diabetes tipo 2", "fibrilação atrial", "doença de Parkinson", "doença de Crohn", "cisto de Baker",
           "insuficiência cardíaca", "DPOC", "hipertensão arterial", "doença de Alzheimer"),
    "pl": ("cukrzyca typu 2", "migotanie przedsionków", "choroba Parkinsona", "choroba Leśniowskiego-Crohna",
           "niewydolność serca", "POChP", "nadciśnienie tętnicze", "torbiel Bakera"),
    "cs": ("diabetes mellitus 2. typu", "fibrilace síní", "Parkinsonova nemoc", "Crohnova choroba", "srdeční selhání",
           "CHOPN", "hypertenze", "Bakerova cysta"),
    "fi": ("tyypin 2 diabetes", "eteisvärinä", "Parkinsonin tauti", "Crohnin tauti", "sydämen vajaatoiminta",
           "keuhkoahtaumatauti", "verenpainetauti"),
    "tr": ("tip 2 diyabet", "atriyal fibrilasyon", "Parkinson hastalığı", "Crohn hastalığı", "kalp yetmezliği", "KOAH",
           "hipertansiyon", "Behçet hastalığı"),
    "vi": ("đái tháo đường típ 2", "rung nhĩ", "bệnh Parkinson", "suy tim", "tăng huyết áp", "bệnh phổi tắc nghẽn mạn tính"),
    "is": ("sykursýki af tegund 2", "gáttatif", "Parkinsonsveiki", "hjartabilun", "háþrýstingur"),
    "lt": ("2 tipo cukrinis diabetas", "prieširdžių virpėjimas", "Parkinsono liga", "širdies nepakankamumas", "hipertenzija"),
    "lv": ("2. tipa cukura diabēts", "priekškambaru mirdzēšana", "Parkinsona slimība", "sirds mazspēja", "hipertensija"),
    "et": ("2. tüüpi diabeet", "kodade virvendus", "Parkinsoni tõbi", "südamepuudulikkus", "hüpertensioon"),
}


def dx(rnd: Random, lang: str) -> str:
    return rnd.choice(DIAGNOSES.get(lang, DIAGNOSES["en"]))


def drug(rnd: Random) -> str:
    return rnd.choice(DRUGS)


def dose(rnd: Random, for_drug: str = "") -> str:
    d = for_drug.lower()
    if "insulin" in d or d == "lantus":
        return f"{rnd.choice([8, 10, 12, 14, 16, 20, 24, 30])} IU"
    if "levothyrox" in d:
        return f"{rnd.choice([25, 50, 75, 88, 100, 125])} mcg"
    if d in ("methotrexate", "ozempic", "semaglutide"):
        return f"{rnd.choice([0.25, 0.5, 1, 7.5, 10, 15])} mg weekly".replace(".0 ", " ")
    return rnd.choice([f"{rnd.choice([2.5, 5, 10, 20, 25, 40, 50, 100, 250, 500, 850, 1000])} mg",
                       f"{rnd.choice([1, 2])} x {rnd.choice([5, 10, 20, 500])} mg", f"{rnd.choice([10, 20, 40])} mg nocte"])


def vital(rnd: Random) -> str:
    return rnd.choice([
        f"BP {rnd.randint(100, 175)}/{rnd.randint(55, 100)} mmHg", f"HR {rnd.randint(48, 120)}/min",
        f"SpO2 {rnd.randint(88, 100)} %", f"{rnd.choice(['37.2', '38.4', '36.8', '39.1', '37.9'])} °C",
        f"BMI {rnd.randint(17, 41)}.{rnd.randint(0, 9)}", f"RR {rnd.randint(12, 28)}/min",
        f"{rnd.randint(45, 130)} kg", f"GCS {rnd.randint(9, 15)}", f"NEWS2 {rnd.randint(0, 9)}",
    ])


def lab(rnd: Random) -> str:
    return rnd.choice([
        f"HbA1c {rnd.randint(38, 95)} mmol/mol", f"eGFR {rnd.randint(18, 95)}", f"CRP {rnd.randint(1, 240)} mg/L",
        f"Hb {rnd.randint(80, 165)} g/L", f"TSH {rnd.randint(1, 9)}.{rnd.randint(0, 9)} mU/L",
        f"INR {rnd.randint(1, 4)}.{rnd.randint(0, 9)}", f"creatinine {rnd.randint(55, 380)} µmol/L",
        f"K+ {rnd.randint(3, 5)}.{rnd.randint(0, 9)} mmol/L", f"NT-proBNP {rnd.randint(120, 9800)} ng/L",
        f"troponin {rnd.randint(3, 900)} ng/L", f"LDL {rnd.randint(1, 5)}.{rnd.randint(0, 9)} mmol/L",
        f"PSA {rnd.randint(0, 15)}.{rnd.randint(0, 9)} ng/mL", f"ferritin {rnd.randint(8, 900)} µg/L",
    ])


def room(rnd: Random) -> str:
    return rnd.choice([f"Room {rnd.randint(1, 40)}", f"Bed {rnd.randint(1, 30)}", f"Ward {rnd.randint(1, 12)}{rnd.choice('ABC')}",
                       f"Bay {rnd.randint(1, 6)}", f"theatre {rnd.randint(1, 9)}", f"floor {rnd.randint(1, 8)}"])


def year(rnd: Random) -> str:
    return str(rnd.randint(1995, 2024))
