"""Templates in the patients' own languages, written for this set: letters, discharge notes, referrals, messages and
forms as clinics and families in those countries write them."""
from __future__ import annotations

from .render import Template

NATIVE = [
    # --- German -------------------------------------------------------------------------------------------------------
    Template("de-letter-1", "clinic letter", "de", """{c.name}
{c.postal}
Telefon {c.phone} | Telefax {c.fax}

{d.postal}

{date.long}

Sehr geehrte Frau Kollegin, sehr geehrter Herr Kollege,

wir berichten über {p.title}, geb. {p.dob}, wohnhaft {p.address}, die/der sich am {date} in unserer Ambulanz vorstellte.

Diagnosen: {dx}; {dx}
Befund: {vital}, {lab}.
Therapie: {drug} {dose} 1-0-1, zusätzlich {drug} {dose} bei Bedarf.

Wir empfehlen eine Kontrolle am {date.next}. Die Tochter, {r.name}, ist unter {r.mobile} erreichbar.

Mit freundlichen kollegialen Grüßen

{o.name}
Oberärztin/Oberarzt, {o.prof}
"""),
    Template("de-discharge-1", "discharge summary", "de", """ENTLASSUNGSBRIEF
Patient/in: {p.formal}, geb. {p.dob}
Versichertennummer: {p.health} | Fallnummer: {p.mrn}
Anschrift: {p.street}, {p.zip} {p.city}
Aufnahme: {date.admit}  Entlassung: {date.discharge}  Station {n}

Der {p.age}-jährige Patient wurde mit {dx} aufgenommen. Unter {drug} besserte sich der Zustand; {lab}, {vital}.
Entlassmedikation: {drug} {dose}, {drug} {dose}.
Implantat: Herzschrittmacher, Seriennummer {device.sn}.
Weiterbehandlung durch {d.title}, {d.address}, Tel. {d.phone}.
"""),
    Template("de-chat-1", "chat message", "de", """Kannst du mir helfen, eine Mail an die Krankenkasse zu schreiben? Es geht um meinen Vater {p.name}, geboren am {p.dob}, Versichertennummer {p.health}. Er wohnt in der {p.street} in {p.zip} {p.city}. Die Rechnung über {drug} soll auf das Konto {p.iban} erstattet werden. Rückfragen bitte an {r.mobile} oder {r.email}."""),
    Template("de-form-1", "form dump", "de", """Name: {p.last}
Vorname: {p.first}
Geburtsdatum: {p.dob}
Straße/Hausnr.: {p.street}
PLZ: {p.zip}
Ort: {p.city}
Telefon: {p.phone}
Mobil: {p.mobile}
E-Mail: {p.email}
Steuer-ID / SV-Nr.: {p.id}
Kfz-Kennzeichen: {p.plate}
Hausarzt: {d.name}, Fax {d.phone}
Rechnungsanschrift: {r.address}
Medikation: {drug} {dose}
"""),
    Template("de-sms-1", "SMS", "de", """Erinnerung: Ihr Termin bei {d.title} am {date.next}. Bitte Versichertenkarte mitbringen. Absagen unter {c.phone}. Ihre Praxis"""),
    Template("de-email-1", "email", "de", """Betreff: Befund {p.initial}

Hallo {d.first},

anbei der Befund von {p.name} (Pat.-Nr. {p.mrn}). Die Frontalaufnahme liegt als {p.photo} im Ordner, der Fingerabdruck-Template-Code für das Terminal ist {p.bio}. Studien-ID: {study}.
Unser Zugang zum Laborportal: {secret}

Viele Grüße
{o.first}
"""),
    # --- French -------------------------------------------------------------------------------------------------------
    Template("fr-letter-1", "clinic letter", "fr", """{c.name}
{c.postal}
Tél. {c.phone} - Fax {c.fax}

{d.postal}

{c.city}, le {date.long}

Cher confrère,

J'ai revu en consultation {p.title}, né(e) le {p.dob}, demeurant {p.address}. Il/elle présente {dx} connue depuis {year}. À l'examen : {vital}. Biologie : {lab}.
Je propose de poursuivre {drug} {dose} et de réévaluer le {date.next}.

En cas de besoin, sa fille {r.name} est joignable au {r.mobile}.

Bien confraternellement,
{o.name}
"""),
    Template("fr-discharge-1", "discharge summary", "fr", """COMPTE RENDU D'HOSPITALISATION
Nom : {p.formal}    Date de naissance : {p.dob}
N° de sécurité sociale : {p.id}    IPP : {p.mrn}
Adresse : {p.street}, {p.zip} {p.city}
Entrée le {date.admit}, sortie le {date.discharge}, chambre {n}.

Motif : {dx}. Évolution favorable sous {drug} ; {lab}, {vital}.
Traitement de sortie : {drug} {dose}, {drug} {dose}.
Médecin traitant : {d.title}, {d.phone}.
"""),
    Template("fr-sms-1", "SMS", "fr", """Bonjour {p.first}, rappel de votre RDV le {date.next} avec {d.title}. Pour annuler : {c.phone}. Merci d'apporter votre carte Vitale."""),
    Template("fr-form-1", "form dump", "fr", """NOM : {p.last}
Prénom : {p.first}
Date de naissance : {p.dob}
Adresse : {p.street}
Code postal : {p.zip}
Ville : {p.city}
Tél. : {p.phone}
Portable : {p.mobile}
Courriel : {p.email}
Mutuelle n° : {p.ins}
RIB / IBAN : {p.iban}
Personne à prévenir : {r.name}, {r.address}
"""),
    # --- Dutch --------------------------------------------------------------------------------------------------------
    Template("nl-letter-1", "referral", "nl", """Geachte collega,

Graag verwijs ik {p.title} ({p.name}), geboren {p.dob}, BSN {p.id}, wonende {p.address}, naar uw polikliniek.
Voorgeschiedenis: {dx}, sinds {year}. Medicatie: {drug} {dose}. Laatste meting: {vital}, {lab}.
Patiënt is bereikbaar op {p.mobile}.

Met vriendelijke groet,
{d.name}, huisarts, {d.prof}
{c.postal}
Tel. {c.phone}
"""),
    Template("nl-chat-1", "chat message", "nl", """Hoi, kun je een korte brief maken voor de zorgverzekeraar? Het gaat om {p.name}, geboortedatum {p.dob}, polisnummer {p.ins}. Adres: {p.street}, {p.zip} {p.city}. De rekening voor {drug} graag terugstorten op {p.iban}. Bellen kan op {p.phone}."""),
    Template("nl-form-1", "form dump", "nl", """Achternaam: {p.last}
Voornaam: {p.first}
Geboortedatum: {p.dob}
Straat en huisnummer: {p.street}
Postcode: {p.zip}
Woonplaats: {p.city}
Telefoon: {p.phone}
E-mail: {p.email}
Kenteken: {p.plate}
Contactpersoon: {r.name}, {r.address}
"""),
    # --- Swedish ------------------------------------------------------------------------------------------------------
    Template("sv-letter-1", "clinic letter", "sv", """{c.name}
{c.postal}

Kallelse

{p.postal}

Du är välkommen till mottagningen den {date.next}. Ta med legitimation. Om du inte kan komma, ring {c.phone}.
Personnummer: {p.id}
Vänliga hälsningar,
{d.name}
"""),
    Template("sv-chat-1", "chat message", "sv", """Hej! Kan du hjälpa mig att skriva till vårdcentralen? Min mamma {p.name} ({p.id}) bor på {p.address}. Hon tar {drug} {dose} och {lab} var högt senast. Ring mig på {r.mobile} eller mejla {r.email}."""),
    Template("sv-discharge-1", "discharge summary", "sv", """Epikris
Patient: {p.formal}, {p.id}
Adress: {p.street}, {p.zip} {p.city}
Inskriven {date.admit}, utskriven {date.discharge}.
Diagnos: {dx}. Behandlad med {drug}. {lab}, {vital}.
Läkemedel vid utskrivning: {drug} {dose}.
Återbesök {date.next} hos {d.title}. Anhörig: {r.name}, {r.address}, {r.phone}.
"""),
    # --- Danish -------------------------------------------------------------------------------------------------------
    Template("da-letter-1", "clinic letter", "da", """{c.name}
{c.postal}

Indkaldelse til ambulant kontrol

{p.postal}

Du indkaldes til kontrol {date.next}. Medbring venligst din medicinliste ({drug} {dose}).
CPR-nr.: {p.id}
Har du spørgsmål, kan du ringe på {c.phone}.
Med venlig hilsen {d.name}
"""),
    Template("da-sms-1", "SMS", "da", """Hej {p.first}. Husk tid hos {d.title} {date.next}. Afbud på {c.phone}. Mvh {c.name}"""),
    # --- Spanish ------------------------------------------------------------------------------------------------------
    Template("es-letter-1", "clinic letter", "es", """{c.name}
{c.postal}

Informe clínico

Paciente: {p.name}    F. nac.: {p.dob}    DNI: {p.id}
Domicilio: {p.address}
N.º de historia clínica: {p.mrn}

Paciente de {p.age} años con {dx} desde {year}. Exploración: {vital}. Analítica: {lab}.
Tratamiento: {drug} {dose}. Revisión el {date.next}.
Contacto familiar: {r.name}, {r.mobile}.

Fdo.: {d.name}, {d.prof}
"""),
    Template("es-chat-1", "chat message", "es", """Hola, ¿me ayudas a escribir un correo al centro de salud? Es para mi abuela {p.name}, nacida el {p.dob}, tarjeta sanitaria {p.ins}. Vive en {p.street}, {p.zip} {p.city}. Toma {drug} {dose}. Mi móvil es {r.mobile}."""),
    Template("es-form-1", "form dump", "es", """Apellidos: {p.last}
Nombre: {p.first}
Fecha de nacimiento: {p.dob}
DNI/NIE: {p.id}
Dirección: {p.street}
C.P.: {p.zip}
Localidad: {p.city}
Teléfono: {p.phone}
Correo: {p.email}
Matrícula: {p.plate}
Persona de contacto: {r.name}, {r.address}
"""),
    # --- Italian ------------------------------------------------------------------------------------------------------
    Template("it-letter-1", "clinic letter", "it", """{c.name}
{c.postal}

Gentile collega,

ho visitato in data {date} {p.title} {p.first}, nato/a il {p.dob}, codice fiscale {p.id}, residente in {p.address}.
Diagnosi: {dx}. Parametri: {vital}. Esami: {lab}.
Terapia: {drug} {dose}. Controllo il {date.next}.

Cordiali saluti,
{d.title}, {d.prof}
Tel. {c.phone}
"""),
    Template("it-discharge-1", "discharge summary", "it", """LETTERA DI DIMISSIONE
Paziente: {p.formal}   Nato/a il: {p.dob}   N. nosologico: {p.mrn}
Ricoverato il {date.admit}, dimesso il {date.discharge}.
Diagnosi di dimissione: {dx}. {lab}; {vital}.
Terapia domiciliare: {drug} {dose}.
Recapito: {p.street}, {p.zip} {p.city}, cell. {p.mobile}.
"""),
    Template("it-sms-1", "SMS", "it", """Gentile {p.first}, le ricordiamo la visita del {date.next} con {d.title}. Per disdire chiami il {c.phone}."""),
    # --- Portuguese (Brazil) ------------------------------------------------------------------------------------------
    Template("pt-letter-1", "referral", "pt", """Encaminhamento

Prezado(a) colega,

Encaminho o(a) paciente {p.name}, {p.age} anos, CPF {p.id}, residente na {p.address}, para avaliação de {dx}.
Em uso de {drug} {dose}. Último exame: {lab}; {vital}.
Contato: {p.mobile}.

Atenciosamente,
{d.name}, {d.prof}
{c.postal}
"""),
    Template("pt-chat-1", "chat message", "pt", """Oi, pode me ajudar a escrever uma mensagem pro plano de saúde? É sobre minha mãe, {p.name}, nascida em {p.dob}, carteirinha {p.ins}. Endereço: {p.street}, {p.city}, CEP {p.zip}. Ela toma {drug} {dose}. Meu celular é {r.mobile}."""),
    Template("pt-form-1", "form dump", "pt", """Nome completo: {p.name}
Data de nascimento: {p.dob}
CPF: {p.id}
Endereço: {p.street}
CEP: {p.zip}
Cidade: {p.city}
Telefone: {p.phone}
E-mail: {p.email}
Placa do veículo: {p.plate}
Responsável: {r.name}, {r.address}
"""),
    # --- Polish -------------------------------------------------------------------------------------------------------
    Template("pl-discharge-1", "discharge summary", "pl", """KARTA INFORMACYJNA LECZENIA SZPITALNEGO
Pacjent: {p.formal}, PESEL {p.id}
Adres: {p.street}, {p.zip} {p.city}
Przyjęty: {date.admit}, wypisany: {date.discharge}.
Rozpoznanie: {dx}. {lab}; {vital}.
Zalecenia: {drug} {dose}. Kontrola {date.next} u dr. {d.last}.
Tel. kontaktowy: {p.mobile}
Osoba upoważniona: {r.name}, {r.address}
"""),
    Template("pl-sms-1", "SMS", "pl", """Przypominamy o wizycie {date.next} u dr {d.last}. Odwołanie: {c.phone}. {c.name}"""),
    # --- Czech --------------------------------------------------------------------------------------------------------
    Template("cs-letter-1", "referral", "cs", """Žádanka o vyšetření
Pacient: {p.name}, nar. {p.dob}, RČ {p.id}
Bydliště: {p.street}, {p.zip} {p.city}
Dg.: {dx}. Medikace: {drug} {dose}. {vital}.
Kontakt: {p.mobile}, osoba blízká {r.name}, {r.address}
Odesílající lékař: MUDr. {d.name}
"""),
    Template("cs-sms-1", "SMS", "cs", """Dobrý den, připomínáme Vaši návštěvu {date.next} u MUDr. {d.last}. Omluvy na {c.phone}."""),
    # --- Finnish ------------------------------------------------------------------------------------------------------
    Template("fi-letter-1", "clinic letter", "fi", """{c.name}
{c.postal}

Kutsu vastaanotolle

{p.postal}

Teille on varattu aika {date.next}. Henkilötunnus: {p.id}. Lääkitys: {drug} {dose}.
Peruutukset puh. {c.phone}.
Ystävällisin terveisin {d.name}
"""),
    Template("fi-sms-1", "SMS", "fi", """Hei {p.first}! Muistutus: aikasi {date.next}, {d.name}. Peruutus {c.phone}."""),
    # --- Turkish ------------------------------------------------------------------------------------------------------
    Template("tr-letter-1", "referral", "tr", """Sevk Formu
Hasta: {p.name}, T.C. Kimlik No {p.id}, doğum tarihi {p.dob}
Adres: {p.street}, {p.zip} {p.city}
Tanı: {dx}. İlaç: {drug} {dose}. {vital}.
Tel: {p.mobile}
Yakını: {r.name}, {r.address}
Sevk eden hekim: Dr. {d.name}
"""),
    Template("tr-sms-1", "SMS", "tr", """Sayın {p.name}, {date.next} tarihli randevunuzu hatırlatırız. İptal için {c.phone}. {c.name}"""),
    # --- Vietnamese ---------------------------------------------------------------------------------------------------
    Template("vi-letter-1", "discharge summary", "vi", """GIẤY RA VIỆN
Họ tên người bệnh: {p.name}    Ngày sinh: {p.dob}
Số CCCD: {p.id}
Địa chỉ: {p.street}, {p.city}
Vào viện: {date.admit}    Ra viện: {date.discharge}
Chẩn đoán: {dx}. Điều trị: {drug} {dose}. {vital}.
Điện thoại: {p.mobile}
Người thân: {r.name}, {r.address}
Bác sĩ điều trị: {d.name}
"""),
    Template("vi-sms-1", "SMS", "vi", """{c.name}: Nhắc lịch khám của {p.title} vào {date.next}. Liên hệ {c.phone}."""),
    # --- Icelandic ----------------------------------------------------------------------------------------------------
    Template("is-letter-1", "clinic letter", "is", """{c.name}
{c.postal}

{p.postal}

Þér er boðið í skoðun {date.next}. Kennitala: {p.id}. Lyf: {drug} {dose}.
Vinsamlegast hringdu í {c.phone} ef þú kemst ekki.
Kveðja, {d.name}
"""),
    Template("is-sms-1", "SMS", "is", """Áminning: tími hjá {d.name} {date.next}. Afboðun í síma {c.phone}."""),
    # --- Baltic -------------------------------------------------------------------------------------------------------
    Template("lt-letter-1", "referral", "lt", """Siuntimas konsultacijai
Pacientas: {p.name}, a. k. {p.id}, gim. {p.dob}
Adresas: {p.street}, {p.zip} {p.city}
Diagnozė: {dx}. Vaistai: {drug} {dose}. {vital}.
Tel. {p.mobile}
Gydytojas: {d.name}
"""),
    Template("lv-letter-1", "referral", "lv", """Nosūtījums
Pacients: {p.name}, personas kods {p.id}
Adrese: {p.street}, {p.city}, {p.zip}
Diagnoze: {dx}. Medikamenti: {drug} {dose}. {vital}.
Tālr. {p.mobile}
Ārsts: {d.name}
"""),
    Template("et-letter-1", "referral", "et", """Saatekiri
Patsient: {p.name}, isikukood {p.id}
Aadress: {p.street}, {p.zip} {p.city}
Diagnoos: {dx}. Ravimid: {drug} {dose}. {vital}.
Tel {p.mobile}
Arst: {d.name}
"""),
    Template("de-letter-old", "clinic letter", "de", """{c.name}
{c.postal}
Tel. {c.phone} | Fax {c.fax}

Sehr geehrte/r {d.title},

wir sahen {p.title}, {p.age} Jahre alt, geb. {p.dob}, wohnhaft {p.address}. Im Alter von {p.age} Jahren steht {dx} im Vordergrund; {vital}.
Wir haben {drug} abgesetzt und {drug} {dose} begonnen. Befunde bitte an Fax {fax}.

{o.name}
Geriatrie
""", old=True),
    Template("fr-letter-old", "clinic letter", "fr", """Cher confrère,

{p.title}, âgé(e) de {p.age} ans, né(e) le {p.dob}, domicilié(e) {p.address}, vit en EHPAD ({c.name}). À {p.age} ans, {dx} reste au premier plan ; {lab}.
Merci de me faxer les résultats au {fax}.

{d.name}
""", old=True),
    Template("es-letter-old", "clinic letter", "es", """Paciente de {p.age} años, {p.name}, nacido/a el {p.dob}, con domicilio en {p.address}. A sus {p.age} años presenta {dx}. Tratamiento: {drug} {dose}. Fax del centro: {fax}.
Dr./Dra. {d.name}
""", old=True),
    Template("sv-letter-old", "clinic letter", "sv", """{p.name}, {p.age} år, personnummer {p.id}, boende på {c.name}, {c.address}. {dx}; {vital}. Vid {p.age} års ålder avstår vi från {drug}. Fax {fax}.
{d.name}
""", old=True),
    Template("it-letter-old", "clinic letter", "it", """Paziente di {p.age} anni, {p.name}, nato/a il {p.dob}, residente in {p.address}. All'età di {p.age} anni prevale {dx}. Terapia: {drug} {dose}. Fax {fax}.
{d.title}
""", old=True),
    Template("pt-letter-old", "clinic letter", "pt", """Paciente {p.name}, {p.age} anos, nascido(a) em {p.dob}, CPF {p.id}, residente na {p.address}. Aos {p.age} anos, o principal problema é {dx}. Conduta: {drug} {dose}. Fax: {fax}.
{d.name}
""", old=True),
    Template("nl-letter-old", "clinic letter", "nl", """Betreft: {p.title}, {p.age} jaar, geboren {p.dob}, {p.address}. Op {p.age}-jarige leeftijd staat {dx} op de voorgrond. Beleid: {drug} {dose}. Fax {fax}.
{d.name}
""", old=True),
    Template("pl-letter-old", "clinic letter", "pl", """Pacjentka/pacjent {p.name}, lat {p.age}, ur. {p.dob}, PESEL {p.id}, zam. {p.address}. W wieku {p.age} lat dominuje {dx}. Zalecenia: {drug} {dose}. Faks: {fax}.
{d.name}
""", old=True),
]
