"""Hand-written adversarial notes, each labelled by hand (markup in `model.from_markup`): names where dictionaries and
cue words do not help, Safe Harbor #18 catch-alls, glued identifiers, dates in prose, and non-PHI words that look like
PHI and must be kept. Written for this set; none is derived from the repository's templates."""
from __future__ import annotations

from .model import Builder, Document, from_markup

# (locale, style, text). Append new notes at the end: a note's id is its position, and the id decides its half.
NOTES: list[tuple[str, str, str]] = [
    # --- names after reporting verbs and questions ------------------------------------------------------------------
    ("is_IS", "transcript", """"The pain started after the fall on the ice," says [[NAME|Þórðarson]]. He is {{68}} and lives alone in [[CITY|Hafnarfjörður]]. "My sister [[NAME|Guðrún]] checks on me on Sundays," he adds."""),
    ("sv_SE", "transcript", """Nurse: Your last name? Patient: [[NAME|Lindqvist]]. Nurse: And the first name? Patient: [[NAME|Åsa]], with the ring over the A. Nurse: Date of birth? Patient: [[DOB|14 mars 1957]]."""),
    ("en_GB", "transcript", """Receptionist: Who's your GP? Caller: Dr [[NAME|Oyelaran]] at <<the Elm Tree practice>>. Receptionist: Spell the surname for me? Caller: O-Y-E-L-A-R-A-N. Receptionist: And you are? Caller: [[NAME|Précieux Mbemba]], I'm calling about my {{inhaler}}."""),
    ("en_US", "chat message", """"I don't want the {{statin}} anymore," insisted [[NAME|Kowalczyk]], who has had {{myalgia}} since the dose went to {{40 mg}}. His wife, [[NAME|Danuta]], agreed with him."""),
    ("fi_FI", "transcript", """Who should we call in an emergency? – My neighbour, [[NAME|Päivi Hämäläinen]]. – Number? – [[PHONE|040 738 2291]]. – And who referred you, [[NAME|Mäkinen]] or [[NAME|Laaksonen]]? – Laaksonen, I think.""".replace("– Laaksonen, I think.", "– [[NAME|Laaksonen]], I think.")),
    ("lt_LT", "chat message", """Can you translate for me: "Pacientė [[NAME|Rūta Žemaitytė]] skundžiasi galvos skausmu," wrote Dr [[NAME|Vaitkevičius]] in the referral. She is {{41}} and takes {{ibuprofen}} {{400 mg}}."""),
    ("en_AU", "transcript", """Paramedic handover: found on the floor at home, conscious. Name given as [[NAME|Bazza]], real name [[NAME|Barry Whitfield]] according to the neighbour, who says [[NAME|Whitfield]] has been unwell since [[DATE|Tuesday the 12th]]. {{GCS 14}}, {{BP 96/60}}."""),
    ("tr_TR", "transcript", """"Annem ilaçlarını almıyor," diyor [[NAME|Elif Yıldırım]]. Her mother, [[NAME|Hatice Yıldırım]], {{78}}, was started on {{donepezil}} in {{2021}}. The daughter asked that we phone her at [[PHONE|0532 418 77 06]]."""),
    ("vi_VN", "chat message", """Who is the patient? – [[NAME|Trần Thị Thu Hà]], 52, from [[CITY|Huế]]. Her husband [[NAME|Phạm Văn Đức]] says she stopped the {{metformin}} last month. Can you draft a reminder in Vietnamese and English?"""),
    ("pl_PL", "transcript", """Doctor: And your surname? Patient: [[NAME|Szczepańska]]. Doctor: First name? Patient: [[NAME|Małgorzata]], but everyone says [[NAME|Gosia]]. Doctor: You're here about the {{knee}}? Patient: Yes, the {{MRI}} showed {{a Baker's cyst}}."""),
    ("lv_LV", "email", """Subject: question from a patient\n\nHello, a patient called – she said her name was [[NAME|Ilze Bērziņa]] and asked whether Dr. [[NAME|Ozoliņš]] could renew her {{levothyroxine}}. Her callback number is [[PHONE|+371 2915 4402]]."""),
    ("et_EE", "transcript", """Kes teid saatis? – Perearst [[NAME|Tamm]]. – And your name, please? – [[NAME|Kädi Sepp]]. – Thank you, Mrs [[NAME|Sepp]]. Your {{HbA1c}} is {{58}}, we need to talk about {{insulin}}."""),
    # --- first names that are months or words; surnames that are nouns -------------------------------------------
    ("en_US", "clinic letter", """[[NAME|May Carter]] was reviewed in clinic. Her symptoms {{may improve}} with physiotherapy, and we will reassess in {{six weeks}} if they persist. Ms [[NAME|Carter]] is happy with this plan."""),
    ("en_US", "chat message", """June Alvarez called again - no wait, it's [[NAME|June Alvarez]] the patient, not the nurse [[NAME|April Stone]]. [[NAME|June]] wants her {{lisinopril}} refilled before {{the weekend}}. Also flagged: {{stone formation}} on the last ultrasound.""".replace("June Alvarez called again", "[[NAME|June Alvarez]] called again").replace("it's [[NAME|June Alvarez]] the patient", "it's [[NAME|June]] the patient")),
    ("en_US", "SMS", """Hi this is [[NAME|Summer Price]], I need to reschedule with Dr [[NAME|Baker]] - the {{price}} of the {{MRI}} went up and my insurer wants a new referral. Also is my {{Baker's cyst}} the reason my knee locks?"""),
    ("en_GB", "clinic letter", """I saw [[NAME|Mr Frank Fisher]] today. He worked as a {{fisher}} on the trawlers until {{1998}}. He is a {{frank}} historian of his own illness. Plan: {{amlodipine}} {{5 mg}}, recheck {{BP}} in two weeks.""".replace("[[NAME|Mr Frank Fisher]]", "Mr [[NAME|Frank Fisher]]")),
    ("en_US", "discharge summary", """Patient: [[NAME|Hope Bell]]. Diagnosis: {{Bell's palsy}}, right side. There is good {{hope}} of full recovery within {{3 months}}. Discharged on {{prednisolone}} {{60 mg}}. Follow-up with Dr [[NAME|Penny Rich]] in the {{ENT}} clinic."""),
    ("en_CA", "chat message", """my mom Autumn Brooks (born [[DOB|Oct 3 1961]]) has {{Graves' disease}} and her endocrinologist Dr [[NAME|Hunter]] wants to try {{methimazole}}. in the {{autumn}} her {{TSH}} was low. what should we ask?""".replace("my mom Autumn Brooks", "my mom [[NAME|Autumn Brooks]]")),
    ("en_US", "clinic letter", """Ms [[NAME|Destiny Cook]] presented with {{heartburn}}. She is a professional {{cook}} and eats late. Her {{destiny}} is not sealed: weight loss and {{omeprazole}} {{20 mg}} should help. Husband [[NAME|Marshall Cook]] attended."""),
    ("en_GB", "referral", """Please see [[NAME|Joy Wood]] ({{64}}), a {{wood}} turner with {{Dupuytren's contracture}} of the left ring finger. She takes {{warfarin}}; {{INR 2.6}} last week. GP: Dr [[NAME|Miles Stone]], [[ADDRESS|The Surgery, 4 Mill Lane|Mill Lane]], [[CITY|Thirsk]] [[ZIP|YO7 1AA]]."""),
    ("en_US", "SMS", """Reminder for [[NAME|Rose Hill]]: {{rose}} {{Hill}} Clinic? No - appointment at <<Rose Hill Clinic>>, Building B, at 10:30 on [[DATE|August 14th]]. Bring your {{glucometer}}.""".replace("{{rose}} {{Hill}} Clinic? No - appointment", "appointment")),
    ("en_AU", "chat message", """Can you help me explain {{Parkinson's disease}} to my grandfather [[NAME|Royce Parkinson]]? Yes he has the same name as the disease and thinks it's a joke. He's {{82}}, lives in [[CITY|Ballarat]] and his {{levodopa}} is {{100/25 mg}}."""),
    ("en_US", "clinic letter", """[[NAME|Will Best]] attended with his wife. He says he {{will}} do his {{best}} to stop smoking. {{Apgar 9}} at birth per old notes; no childhood illness. Plan {{varenicline}} titration."""),
    ("en_GB", "discharge summary", """Name: [[NAME|Holly Christmas]]   Ward: {{Ward 12}}   {{Room 4}}
Admitted with {{cellulitis}} after a {{holly}} scratch while decorating. Treated with {{flucloxacillin}}. Discharged [[DATE|27/12/2023]]."""),
    ("en_US", "transcript", """Nurse: Who's with you today? Patient: my son, [[NAME|Chase]]. Nurse: Chase what? Patient: [[NAME|Chase Sterling]]. Nurse: And you don't want us to {{chase}} the results with your GP, Mrs [[NAME|Sterling]]?""".replace("Nurse: Chase what?", "Nurse: [[NAME|Chase]] what?")),
    ("en_GB", "chat message", """write a thank-you card to nurse [[NAME|Sunny Marsh]] from ward {{7B}}, she looked after my dad [[NAME|Reg Mason]] when he had {{pneumonia}}. he used to be a {{mason}}. it's been {{sunny}} since he got home!"""),
    # --- nicknames ------------------------------------------------------------------------------------------------
    ("en_US", "clinic letter", """[[NAME|Robert Kowalski]] prefers to be called '[[NAME|Buddy]]'. Buddy has had {{type 2 diabetes}} since {{2010}}.""".replace("{{type 2 diabetes}} since", "{{type 2 diabetes}} since").replace("'. Buddy has", "'. [[NAME|Buddy]] has")),
    ("en_GB", "transcript", """He goes by "[[NAME|Taff]]" on the ward - real name [[NAME|Gareth Pryce-Jones]], {{74}}, {{COPD}}, on {{home oxygen}} {{2 L/min}}."""),
    ("de_DE", "clinic letter", """Der Patient [[NAME|Friedrich Wilhelm Baumann]] (genannt „[[NAME|Fritz]]“) stellte sich am [[DATE|3. Mai]] vor. {{Morbus Bechterew}} seit {{1992}}; unter {{Adalimumab}} {{40 mg}} alle {{14}} Tage stabil."""),
    ("pt_BR", "chat message", """minha avó [[NAME|Maria das Graças Albuquerque]], a Dona [[NAME|Gracinha]], tem [[AGE|91]]... não, ela tem [[AGE|93]] anos, e toma {{losartana}} {{50 mg}}. ela mora na [[ADDRESS|Rua Ouvidor, 44|Rua Ouvidor]], [[CITY|Ouro Preto]]."""),
    ("sv_SE", "SMS", """Hej! Det är [[NAME|Kicki]] ([[NAME|Kristina Öberg]]) – kan du flytta mammas tid till [[DATE|den 3:e juni]]? Hennes personnummer är [[SSN|19380611-2383]]."""),
    # --- Nordic, Baltic, Slavic, Turkish, Vietnamese names with diacritics ------------------------------------------
    ("is_IS", "referral", """Tilvísun / referral: [[NAME|Sigríður Ösp Hrafnkelsdóttir]], kt. [[SSN|120463-3229]], búsett á [[ADDRESS|Hverfisgötu 71|Hverfisgötu]], [[ZIP|101]] [[CITY|Reykjavík]]. Father [[NAME|Hrafnkell Þorvaldsson]] had {{Huntington's disease}}. Request: {{genetic counselling}}."""),
    ("da_DK", "clinic letter", """[[NAME|Søren Kjærgaard Østergaard]], CPR [[SSN|070852-1235]], er set i ambulatoriet. Han har {{atrieflimren}} og får {{Eliquis}} {{5 mg}} x 2. Hustruen [[NAME|Birthe]] var med."""),
    ("cs_CZ", "referral", """Pacientka [[NAME|Zdeňka Dvořáková]], nar. [[DOB|2. 4. 1949]], bytem [[ADDRESS|Šafaříkova 1188/9|Šafaříkova]], [[ZIP|120 00]] [[CITY|Praha 2]]. Syn [[NAME|Jiří Dvořák]], tel. [[PHONE|+420 603 118 274]]. {{Hypertenze}}, {{Parkinsonova nemoc}}."""),
    ("pl_PL", "discharge summary", """Pacjent: [[NAME|Grzegorz Brzęczyszczykiewicz]], PESEL [[SSN|44051401359]]. Zamieszkały: [[ADDRESS|ul. Źródlana 7 m. 3|Źródlana]], [[ZIP|05-077]] [[CITY|Warszawa-Wesoła]]. Rozpoznanie: {{zapalenie płuc}}. Leczenie: {{amoksycylina}} {{1 g}} co {{8}} godzin."""),
    ("tr_TR", "clinic letter", """Hasta [[NAME|Şükrü Öztürkoğlu]], {{67}} yaşında, [[ADDRESS|Cumhuriyet Mah. Gül Sok. No: 14 D: 3|Gül Sok.]], [[ZIP|06420]] [[CITY|Çankaya]]/Ankara adresinde oturuyor. Kızı [[NAME|Ayşegül Öztürkoğlu Demir]] refakatçi. {{Tip 2 diyabet}}, {{insülin glarjin}} {{18}} ünite."""),
    ("vi_VN", "discharge summary", """Người bệnh: [[NAME|Nguyễn Thị Ngọc Ánh]] (tên thường gọi: [[NAME|Bé Tư]]), sinh năm {{1958}}. Địa chỉ: [[ADDRESS|Số 27 ngõ 14 Phố Huế|Phố Huế]], [[CITY|Quận Hai Bà Trưng]], Hà Nội. Con trai [[NAME|Lê Quang Vinh]], ĐT [[PHONE|0913 552 071]]."""),
    ("lt_LT", "discharge summary", """Išrašas: [[NAME|Vytautas Česnauskas]], a. k. [[SSN|34907161259]], gyv. [[ADDRESS|Žvejų g. 8-12|Žvejų g.]], [[ZIP|LT-91247]] [[CITY|Klaipėda]]. Dukra [[NAME|Eglė Česnauskaitė]]. Diagnozė: {{prieširdžių virpėjimas}}."""),
    ("fi_FI", "clinic letter", """[[NAME|Eeva-Liisa Kärkkäinen]] (hetu [[SSN|150347-162E]]) asuu osoitteessa [[ADDRESS|Hämeenpuisto 21 B 14|Hämeenpuisto]], [[ZIP|33210]] [[CITY|Tampere]]. Lääkitys: {{metformiini}} {{500 mg}} x 2."""),
    ("et_EE", "referral", """Saatekiri. Patsient [[NAME|Tõnis Mägi-Õunapuu]], isikukood [[SSN|35603172715]], [[ADDRESS|Pärnu mnt 142-7|Pärnu mnt]], [[ZIP|11317]] [[CITY|Tallinn]]. Diagnoos: {{Alzheimeri tõbi}}."""),
    ("hr_HR", "chat message", """help me write an English letter for my uncle [[NAME|Željko Brkić]] from [[CITY|Vukovar]], he has {{Crohn's disease}} and his doctor Dr. [[NAME|Đurđica Šimunović]] prescribed {{azathioprine}}. his phone [[PHONE|+385 91 455 2871]]."""),
    ("uk_UA", "clinic letter", """Patient [[NAME|Oleksandr Kovalchuk]] ([[NAME|Олександр Ковальчук]]), arrived from [[CITY|Kharkiv]] in {{2022}}. Temporary protection number [[OTHER_ID|UA-TP-2022-0418833]]. {{Hypertension}}, on {{amlodipine}} {{10 mg}}."""),
    # --- study / enrollment / case codes --------------------------------------------------------------------------
    ("en_US", "form dump", """Screening log: participant [[OTHER_ID|LOTUS-0193]] consented [[DATE|2/11/2024]]; randomised to arm B; enrollment no. [[OTHER_ID|ENR-4471-08]]. Site {{14}}, visit {{3}} of {{6}}. {{HbA1c 61}}."""),
    ("en_GB", "email", """Subject: SAE report for subject [[OTHER_ID|HERON-12-087]]\n\nThe SAE (hospitalisation for {{AKI}}) occurred on [[DATE|9 January 2024]]. Case reference [[OTHER_ID|MHRA-SAE-2024-00317]]. The subject is on {{tirzepatide}} {{7.5 mg}}."""),
    ("de_DE", "form dump", """Studien-ID: [[OTHER_ID|HERZ-2023-0147]]
Randomisierungsnummer: [[OTHER_ID|R-09315]]
Visite {{V4}}, Woche {{12}}
Prüfarzt: Dr. [[NAME|Annegret Vollmer]]
Befund: {{NT-proBNP 1840 ng/L}}"""),
    ("en_US", "chat message", """The court case number for my custody hearing is [[OTHER_ID|2023-DR-004512]] and the judge asked for a letter about my {{bipolar disorder}}. My psychiatrist is Dr [[NAME|Okonkwo]]. Can you draft it?"""),
    ("nl_NL", "email", """Betreft: deelnemer [[OTHER_ID|CEDAR-NL-0542]]\n\nDe deelnemer meldde zich op [[DATE|12 maart]] met {{hoofdpijn}}. Registratienummer Nederlands Trial Register [[OTHER_ID|NL-OMON-2291-PT17]]. Behandeling {{paracetamol}} {{1000 mg}}."""),
    ("en_US", "form dump", """workers comp claim # [[OTHER_ID|WC-88-2034761]] | claimant [[NAME|Dwayne Ostrowski]] | injury date [[DATE|03/17/2024]] | body part: {{lumbar spine}} | {{L4-L5}} disc"""),
    ("en_CA", "referral", """Re: WSIB claim [[OTHER_ID|31447809]] and coroner's case [[OTHER_ID|C-2023-1187]]. The deceased's brother, [[NAME|Marc-André Tremblay]], requests the {{autopsy}} report. Cause of death {{pulmonary embolism}}."""),
    # --- biometric template ids, full-face photos --------------------------------------------------------------------
    ("en_US", "form dump", """Kiosk check-in: fingerprint template [[BIOMETRIC|FP-TPL-7f3a9c21]] matched at {{98}}% for MRN [[MEDICAL_RECORD|00412345]]; voiceprint [[BIOMETRIC|VP-550918]] enrolled [[DATE|Feb 2]]."""),
    ("en_GB", "email", """Please attach [[PHOTO|jdoe_frontal_2023.png]] and [[PHOTO|IMG_4471_portrait_JD.jpeg]] to the record of [[NAME|Jane Doherty]] (dermatology) - the {{rosacea}} is clearer in the frontal one. The iris template id is [[BIOMETRIC|IRIS-2291-KD]]."""),
    ("de_DE", "email", """Hallo, das Passfoto für die eGK liegt unter [[PHOTO|mueller_sabine_passbild.jpg]], die Handvenen-Vorlage hat die Kennung [[BIOMETRIC|PV20418833]]. Bitte nicht per Mail weiterleiten."""),
    ("sv_SE", "form dump", """bild: [[PHOTO|andersson_karin_ansikte_front.png]]
ansiktsmall: [[BIOMETRIC|FT-a81c03be42d9]]
fingeravtryck: [[BIOMETRIC|fp_0c7e11d93a4b]]
{{vikt 71 kg}}, {{längd 168 cm}}"""),
    ("fr_FR", "chat message", """Peux-tu renommer les photos du patient ? [[PHOTO|DUPONT_M_photo_identite_2022.png]] et [[PHOTO|dupont-marcel-visage-face.jpg]] doivent aller dans le dossier de M. [[NAME|Marcel Dupont]]. Le gabarit facial est [[BIOMETRIC|FGH-3c9e7a01bd]]."""),
    # --- identifiers glued to words -------------------------------------------------------------------------------
    ("en_US", "form dump", """chartMRN[[MEDICAL_RECORD|00412345]] pt=[[NAME|KOWALSKI]],[[NAME|ANNA]] dob=[[DOB|19610304]] ph[[PHONE|6175203344]] ins#[[INSURANCE_ID|XEH884213977]] acct:[[ACCOUNT|00918273645]]"""),
    ("en_US", "chat message", """parse this log line for me: user=[[EMAIL|m.nakamura@outlook.com]];ip=[[IP_ADDRESS|81.2.69.142]];mrn=[[MEDICAL_RECORD|A99812734]];npi=[[LICENSE|1487296307]];ts={{2024}}"""),
    ("en_GB", "form dump", """NHSNo[[MEDICAL_RECORD|9434765919]]|Surname[[NAME|OKAFOR]]|Forename[[NAME|CHIDI]]|PostCode[[ZIP|LS61QH]]|Tel[[PHONE|07700123456]]"""),
    ("de_DE", "form dump", """PatNr[[MEDICAL_RECORD|20110334]]/Fall[[MEDICAL_RECORD|2024004512]]/KVNR[[INSURANCE_ID|K910348571]]/Tel.[[PHONE|+4930901820]]"""),
    ("en_US", "chat message", """the label printer output is garbled: "PTID[[MEDICAL_RECORD|88213407]]DOB[[DOB|03041961]]RM{{12}}BED{{2}}". can you tell which part is the date of birth?"""),
    # --- dates in prose -------------------------------------------------------------------------------------------
    ("en_US", "transcript", """She said the rash began on [[DATE|the fourth of March]], got worse around [[DATE|March 10th]], and she saw urgent care on [[DATE|the 14th]]. She has had {{eczema}} since {{2005}}."""),
    ("en_GB", "clinic letter", """[[NAME|Mrs Patel]] was born on [[DOB|the twenty-second of November 1944]] and was widowed in {{1990}}. She last saw us on [[DATE|Boxing Day]]; her {{eGFR}} was {{41}}.""".replace("[[NAME|Mrs Patel]]", "Mrs [[NAME|Patel]]")),
    ("en_US", "chat message", """my dad's surgery is on [[DATE|Thanksgiving Day]] this year?? no, the [[DATE|Tuesday before Thanksgiving]]. he's [[AGE|91]] and the surgeon (Dr [[NAME|Feldman]]) said {{general anaesthesia}} is risky."""),
    ("en_AU", "SMS", """Hi it's [[NAME|Kylie]], mum's {{chemo}} moved to [[DATE|Wed 7th]] then [[DATE|the 21st of Feb]]. Her UR number is [[MEDICAL_RECORD|1093482]]. Thx"""),
    # --- non-PHI traps ------------------------------------------------------------------------------------------
    ("en_US", "clinic letter", """Impression: {{Baker's cyst}} of the left knee. {{Stone formation}} noted in the gallbladder. Symptoms {{may improve}} with rest. History of {{Parkinson's disease}} and {{Hashimoto's thyroiditis}}. Neonatal history: {{Apgar 9}} at 5 minutes. Reviewed in {{Room 12}} with {{3}} family members present."""),
    ("en_GB", "discharge summary", """{{Addison's disease}} on {{hydrocortisone}} {{10 mg}}/{{5 mg}}/{{5 mg}}. {{Graves' disease}} treated with {{radioiodine}} in {{2008}}. {{Crohn's disease}} in remission. {{Down syndrome}}. Lives in a {{2}}-bedroom flat with {{14}} steps."""),
    ("en_US", "chat message", """What's the difference between {{Hodgkin lymphoma}} and {{non-Hodgkin lymphoma}}? And is {{Wilson's disease}} related to {{Menkes disease}}? Also what does {{Lewy body}} mean?"""),
    ("en_US", "discharge summary", """Vitals: {{BP 142/88}}, {{HR 61}}, {{SpO2 96%}}, {{T 37.9}}. Labs: {{Na 134}}, {{K 4.1}}, {{creatinine 1.4}}, {{INR 1.1}}, {{troponin 0.02}}. {{PSA 4.1}}. Meds: {{Xarelto}} {{20 mg}}, {{Keppra}} {{500 mg}} BID, {{Jardiance}} {{10 mg}}."""),
    ("de_DE", "discharge summary", """Diagnosen: {{Morbus Crohn}}, {{Hashimoto-Thyreoiditis}}, {{Baker-Zyste}} rechts. Medikation: {{L-Thyroxin}} {{75 µg}}, {{Pantoprazol}} {{40 mg}}. {{Zimmer 12}}, {{Station 3B}}. {{RR 135/80}}, {{Puls 72}}."""),
    ("fr_FR", "clinic letter", """Antécédents : {{maladie de Parkinson}}, {{kyste de Baker}}, {{syndrome de Gougerot-Sjögren}}. Traitement : {{Modopar}} {{125 mg}} x {{3}}. {{TA 130/75}}. Chambre {{12}}, lit {{2}}."""),
    ("en_US", "chat message", """Can you explain the {{Glasgow Coma Scale}} and the {{Wells score}}? The ER doc gave mum a {{Wells score}} of {{4}} and a {{CHA2DS2-VASc}} of {{5}}. Is {{Marfan syndrome}} hereditary?"""),
    ("en_US", "SMS", """{{May}} I ask: is it too late for the {{flu shot}}? The {{doctor}} said {{summer}} is fine for the {{booster}}."""),
    # --- mixed hard cases -------------------------------------------------------------------------------------------
    ("en_US", "chat message", """I'm the {{carer}} for a [[AGE|96]]-year-old neighbour, [[NAME|Ida Mae Pruitt]]. Her nephew [[NAME|Tucker]] lives in [[CITY|Bozeman]] and her address is [[ADDRESS|RR 2 Box 118|RR 2 Box 118]], [[CITY|Three Forks]], MT [[ZIP|59752]]. She takes {{digoxin}} {{125 mcg}}."""),
    ("en_NZ", "referral", """Referral for [[NAME|Aroha Te Whata]] ({{34}}), NHI [[MEDICAL_RECORD|ZHK4728]], [[ADDRESS|12 Tui Street|Tui Street]], [[CITY|Ōtara]], [[CITY|Auckland]] [[ZIP|2023]]. Whānau contact: [[NAME|Hemi Te Whata]] [[PHONE|021 448 019]]."""),
    ("en_GB", "form dump", """c/o [[NAME|Mrs Edith Okoro]]
[[ADDRESS|Flat 2B, Kestrel House|Kestrel House]]
[[ADDRESS|14 Albion Road|Albion Road]]
[[CITY|Stoke Newington]]
[[CITY|London]]
[[ZIP|N16 9PS]]
United Kingdom""".replace("c/o [[NAME|Mrs Edith Okoro]]", "c/o Mrs [[NAME|Edith Okoro]]")),
    ("de_CH", "clinic letter", """Frau [[NAME|Verena Bühlmann-Schnyder]]
[[ADDRESS|Postfach 214|Postfach 214]]
[[ZIP|CH-3001]] [[CITY|Bern]]

PLZ [[ZIP|3001]], Tel. [[PHONE|031 322 45 67]]. {{Vorhofflimmern}}, {{Xarelto}} {{20 mg}}."""),
    ("nl_NL", "form dump", """Postcode: [[ZIP|1012 AB]]  Huisnummer: [[ADDRESS|14-2|14-2]]  Straat: [[ADDRESS|Prinsengracht|Prinsengracht]]  Woonplaats: [[CITY|Amsterdam]]  Mobiel: [[PHONE|06 12 34 56 78]]  Geboren: [[DOB|04-03-1961]]"""),
    ("en_CA", "form dump", """Mailing: [[ADDRESS|PO Box 4521, Stn Main|PO Box 4521]], [[CITY|Whitehorse]] YT [[ZIP|Y1A 3T4]]
Home: [[ADDRESS|Apt 3, 1187 Rue Saint-Denis|Rue Saint-Denis]], [[CITY|Montréal]] QC [[ZIP|H2X 3J6]]
Health card: [[INSURANCE_ID|YT 102-938-475]]"""),
    ("pt_BR", "form dump", """CEP: [[ZIP|01310-100]] | Logradouro: [[ADDRESS|Av. Paulista, 1578 - conj. 142|Av. Paulista]] | Bairro: [[CITY|Bela Vista]] | Cidade: [[CITY|São Paulo]] - SP | Celular: [[PHONE|(11) 98877-6655]] | CNS: [[INSURANCE_ID|898 0012 3456 7891]]"""),
    ("en_US", "chat message", """Quick one: my password for the patient portal is [[SECRET|Tr0ub4dor&3-Clinic!]] and the api key the vendor gave us is [[SECRET|sk_test_4eC39HqLyjWDarjtT1zdp7dcQ9]]. Why does login fail for [[EMAIL|j.ramirez@stmaryhealth.org]]?"""),
    ("en_US", "form dump", """Device registry: pacemaker [[DEVICE|PJN204117H]] (model {{Azure XT DR}}), implanted [[DATE|Aug 3]]. Phone app on IMEI [[DEVICE|35-209900-176148-1]]. Car: [[VEHICLE|1HGCM82633A004352]] plate [[VEHICLE|7XKB244]]."""),
    ("en_US", "email", """Forwarding the telehealth link for [[NAME|Mr. Osei]]: [[URL|https://telehealth.harborview.care/room/kwame-osei-2291]]. His daughter's blog ([[URL|https://adwoa-osei.blogspot.com]]) has photos of him; please ask her not to post more.""".replace("[[NAME|Mr. Osei]]", "Mr. [[NAME|Osei]]")),
    ("en_US", "referral", """Referring physician: Dr [[NAME|Lena Hoffmann-Reyes]], NPI [[LICENSE|1023456787]], DEA [[LICENSE|BH4417867]], state license [[LICENSE|MD-0049277]]. Fax [[FAX|(617) 632-4418]]. Patient [[NAME|Thaddeus Wójcik]], [[AGE|90]], {{aortic stenosis}}."""),
    ("es_ES", "chat message", """¿Me ayudas? Mi suegra, [[NAME|Doña Remedios Ibáñez Lucena]], de [[AGE|92]] años, vive en [[ADDRESS|C/ Alcalá 155, 4º izda.|Alcalá]], [[ZIP|28009]] [[CITY|Madrid]]. Su médico es el Dr. [[NAME|Peña]] y le han puesto {{Sintrom}} por {{fibrilación auricular}}.""".replace("[[NAME|Doña Remedios Ibáñez Lucena]]", "Doña [[NAME|Remedios Ibáñez Lucena]]")),
    ("it_IT", "SMS", """Ciao, sono [[NAME|Gianna]], la figlia del sig. [[NAME|Santo Russo]]. Papà è in {{stanza 12}}, ha [[AGE|90]] anni... no, [[AGE|94]]. Il suo codice fiscale è [[SSN|RSSSNT30A12F839B]]. Chiamami al [[PHONE|347 112 9087]]."""),
    ("en_US", "transcript", """Dispatcher: What's the address of the emergency? Caller: [[ADDRESS|4417 North Avenue, Apartment 3C|North Avenue]], [[CITY|Baltimore]]. Dispatcher: Callback number? Caller: [[PHONE|410 328 0193]]. Dispatcher: Patient's name? Caller: My grandma, [[NAME|Ruby]]... [[NAME|Ruby Washington]]. She's [[AGE|97]]."""),
    ("en_GB", "SMS", """Hiya, it's [[NAME|Wren]] 😊 - Grandad ([[NAME|Albert Nightingale]]) is on {{Ward 9}} at <<St James's>>. Visiting {{2-4pm}}. His hospital number is [[MEDICAL_RECORD|J4419023]]. Don't bring {{grapes}}, he has {{diverticulitis}}!"""),
]


def adversarial_documents() -> list[Document]:
    docs = []
    for n, (locale, style, text) in enumerate(NOTES):
        b = from_markup(Builder(), text)
        docs.append(b.build(f"adv-{n:03d}", locale, style, "adversarial"))
    return docs
