"""English document templates, written for this set. They are used for every locale: correspondence about patients
abroad, and what users type into an English-speaking assistant about them."""
from __future__ import annotations

from .render import Template

EN = [
    Template("en-letter-1", "clinic letter", "en", """{c.name}
{c.postal}
Tel {c.phone} · Fax {c.fax}

{date}

{d.postal}

Dear {d.title},

Re: {p.name}, DOB {p.dob}, {p.address}
Hospital number {p.mrn}

I reviewed {p.title} in the outpatient clinic today. {p.first} has {dx} diagnosed in {year} and remains on {drug} {dose}. Examination was unremarkable apart from {vital}; {lab} last month. I have increased the dose and asked {p.title} to keep a blood pressure diary. We will see {p.first} again on {date.next}.

If the family need to reach us, {p.first}'s daughter {r.name} is the main contact ({r.mobile}).

Yours sincerely,

{o.name}
Consultant Physician, {o.prof}
"""),
    Template("en-letter-2", "clinic letter", "en", """PRIVATE AND CONFIDENTIAL
{p.postal}

{date.long}

Dear {p.title},

Thank you for attending the Memory Clinic with your son {r.first} on {date.prev}. As discussed, your scan showed changes in keeping with {dx}. We agreed to start {drug} at {dose} once daily.

Your next appointment is {date.next} in {room}. If you cannot attend, please ring {c.phone} quoting your NHS or hospital number ({p.mrn}).

Kind regards,

{d.title}
Old Age Psychiatry
cc: {o.title}, {o.address}
"""),
    Template("en-letter-3", "clinic letter", "en", """To whom it may concern

This is to confirm that {p.name} (born {p.dob}, passport/ID {p.id}) has been under my care since {year} for {dx}. {p.first} requires {drug} {dose} and must carry it in hand luggage. The medication was dispensed for {n} days.

The implanted {device} should not be passed through airport body scanners.

{d.name}
{d.prof}
{c.name}, {c.address}
Telephone {c.phone}
"""),
    Template("en-chat-1", "chat message", "en", """hi, can you help me write a short note to my mum's GP? her name is {p.name}, she was born {p.dob} and lives at {p.address}. she's been on {drug} {dose} since {year} and her {lab} came back high. the practice email is {c.email} and my number is {r.mobile} if they need me. thanks!"""),
    Template("en-chat-2", "chat message", "en", """Summarise this for the handover please: {p.age}-year-old {p.formal}, MRN {p.mrn}, {room}. Admitted {date.admit} with {dx}. Obs: {vital}, {vital}. Plan: continue {drug} {dose}, repeat bloods tomorrow. Wife {r.first} called from {r.phone}, wants an update before 6pm."""),
    Template("en-chat-3", "chat message", "en", """I'm filling in a travel insurance claim for my dad {p.name} ({p.age}), policy {p.ins}, card ending {p.card}. He was seen at {c.name} on {date.prose} after a fall. Their fax is {fax}. Can you draft the cover letter? Our address is {p.address}, {country}."""),
    Template("en-discharge-1", "discharge summary", "en", """DISCHARGE SUMMARY
Patient: {p.formal}    DOB: {p.dob}    MRN: {p.mrn}
{cue.phone}: {p.phone}    NOK: {r.name} ({r.mobile}), {r.address}
Address: {p.address}
Admitted: {date.admit}    Discharged: {date.discharge}    Ward: {room}
Consultant: {d.name}

Diagnosis: {dx}
Course: {p.age}-year-old admitted with worsening breathlessness. Treated with {drug} and {drug}; {lab} on day {n}, improving to {lab} at discharge. Mobilising independently, {vital}.
Medication on discharge: {drug} {dose}; {drug} {dose}.
Follow-up: outpatient clinic {date.next}. District nurse referral sent.
Device: {device}
"""),
    Template("en-discharge-2", "discharge summary", "en", """Discharge letter - {c.name}
Name: {p.name}
Date of birth: {p.dob}
Health number: {p.health}
Home: {p.postal}

Reason for admission: {dx}
Investigations: {lab}, {lab}, {vital}.
The patient was enrolled in the {study} trial (participant code {study}) and consented to photography; image file {p.photo} is stored on the research drive.
GP: {d.title}, {d.address}, fax {d.phone}
"""),
    Template("en-referral-1", "referral", "en", """REFERRAL - URGENT
From: {d.name}, {d.prof}, {c.name}
To: Cardiology
Patient: {p.name}   DOB {p.dob}   {p.id}
Contact: {p.mobile} / {p.email}
Address: {p.street}, {p.city} {p.zip}
Temporary address: {o.postal}

History: {dx}, on {drug} {dose}. Palpitations for {n} weeks, {vital}. ECG today shows {dx}.
Please see within two weeks. Referring clinician NPI {d.npi}, DEA {d.dea}.
"""),
    Template("en-referral-2", "referral", "en", """Dear colleague,

I would be grateful if you could see {p.name}, a {p.age}-year-old from {p.city}, who has {dx}. Postcode {p.zip}.
Current medication: {drug} {dose}, {drug} {dose}. Allergies: none known.
Relevant results: {lab}; {lab}.
Insurance: {p.ins}. Next of kin: {r.title}, {r.address}, telephone {r.phone}.

Best wishes,
{d.title}
{c.postal}
"""),
    Template("en-email-1", "email", "en", """From: {p.email}
To: {c.email}
Subject: appointment {date.next}

Hello,

I need to move my appointment on {date.next}. I'm {p.name}, date of birth {p.dob}, record number {p.mrn}. I can do any morning. My new mobile is {p.mobile} and I've moved to {p.address}.

Also, the patient portal link you sent ({p.url}) asks me to log in from {ip}; is that right?

Thanks,
{p.first}
"""),
    Template("en-email-2", "email", "en", """Subject: Re: lab results for {p.initial}

Hi {d.first},

The {lab} for {p.name} (MRN {p.mrn}) is back. I've uploaded the wound photo as {p.photo} and the fingerprint-login template id for the kiosk is {p.bio}. Please don't forward outside the team.

Our new fax is {fax} and the lab's service account {secret} will be rotated on {date.next}.

{o.first}
"""),
    Template("en-sms-1", "SMS", "en", """Hi {p.first}, reminder of your appointment with {d.title} on {date.next} at {c.name}. Reply YES to confirm or call {c.phone}."""),
    Template("en-sms-2", "SMS", "en", """{r.first} here - mum ({p.name}) is in {room} at {c.name}. Her hospital no. is {p.mrn}. Can you bring her {drug}? Ring me on {r.mobile}"""),
    Template("en-sms-3", "SMS", "en", """Pharmacy: your {drug} {dose} for {p.initial} is ready. Collect before {date.next}. Ref {p.mrn}. Queries {c.phone}"""),
    Template("en-form-1", "form dump", "en", """surname: {p.last}
given names: {p.first}
dob: {p.dob}
sex: F/M
national id: {p.id}
health no: {p.health}
address line 1: {p.street}
town: {p.city}
postcode: {p.zip}
country: {country}
tel: {p.phone}
mobile: {p.mobile}
email: {p.email}
bank (refunds): {p.iban}
GP: {d.name}
GP fax: {d.phone}
previous address: {o.address}
allergies: none
current meds: {drug} {dose}
"""),
    Template("en-form-2", "form dump", "en", """{"patient": {"name": "{p.name}", "dob": "{p.dob}", "mrn": "{p.mrn}", "phone": "{p.mobile}", "zip": "{p.zip}", "city": "{p.city}"}, "encounter": {"date": "{date}", "room": "{room}", "vitals": "{vital}"}, "device": {"serial": "{device.sn}", "imei": "{imei}"}, "vehicle": {"plate": "{p.plate}", "vin": "{p.vin}"}, "driver_licence": "{p.dl}", "client_ip": "{ip}", "note": "{dx}"}"""),
    Template("en-form-3", "form dump", "en", """Parking permit application (hospital staff and patients)
Name ............ {p.formal}
Registration .... {p.plate}
VIN ............. {p.vin}
Licence no. ..... {p.dl}
Address ......... {p.address}
Contact ......... {p.mobile}
Clinic .......... {c.name}, {room}
Dates ........... {date} to {date.next}
"""),
    Template("en-form-4", "form dump", "en", """Research intake | participant {study}
Full name: {p.name} | DOB: {p.dob} | age at consent: {p.age}
Street: {p.street} | City: {p.city} | {cue.zip_cue}: {p.zip}
Phone: {p.phone} | Email: {p.email}
Biometric enrolment: {p.bio} | Portrait: {p.photo}
Wearable: {device}
Randomised {date}; arm B; {drug} {dose}
"""),
    Template("en-transcript-1", "transcript", "en", """[Call recording, {c.name}, {date}]
Agent: Good morning, can I take your full name?
Caller: Yes, it's {p.name}.
Agent: And your date of birth?
Caller: {p.dob}.
Agent: Thank you. What's the first line of your address and the postcode?
Caller: {p.street}, postcode {p.zip}.
Agent: Lovely. And a number we can call you back on?
Caller: {p.mobile}. My daughter {r.first} might answer.
Agent: I see you're on {drug} {dose}. You wanted to talk about the {lab} result?
Caller: Yes, Dr {d.last} said to ring.
"""),
    Template("en-transcript-2", "transcript", "en", """Telehealth consult - auto transcript
Clinician ({d.name}): Can you confirm who I'm speaking with?
Patient: {p.name}. I'm in {p.city} at the moment, staying with my brother {r.name}.
Clinician: Thanks. How has the {drug} been?
Patient: Fine. The readings are around {vital}.
Clinician: And you're still using the device, serial {device.sn}?
Patient: Yes. Oh, and my new email is {p.email}.
Clinician: Noted, and the address for letters is still {p.address}? We'll book you for {date.next}. Session {p.url} will close now.
"""),
    Template("en-transcript-3", "transcript", "en", """Ward round dictation, {date}.
Bed {n}: {p.title}, {p.age}, {dx}. Overnight {vital}. {lab}. Family: son {r.name}, {r.phone}. Continue {drug} {dose}.
Next: {o.title}, {o.age}, known to us since {year}. Wound photo {o.photo} uploaded. Discharge home to {o.address} tomorrow.
"""),
    Template("en-letter-old", "clinic letter", "en", """{c.name}
{c.postal}
Tel {c.phone}  Fax {c.fax}

{date}

Dear {d.title},

Re: {p.name} ({p.age}), DOB {p.dob}, {p.address}

Thank you for asking me to see this {p.age}-year-old who lives with her/his daughter. At {p.age} the main issue is {dx}; {vital}, {lab}. I have stopped {drug} and started {drug} {dose}.
Please fax any changes to {fax}.

{o.name}
Geriatric Medicine, {o.prof}
""", old=True),
    Template("en-chat-old", "chat message", "en", """my grandad {p.first} turns {p.age} next week (born {p.dob}) and the care home ({c.name}, {c.address}) keeps mixing up his meds - {drug} {dose} vs {drug}. can you help me write a complaint? his room is {room} and their email is {c.email}""", old=True),
    Template("en-chat-dev-1", "chat message", "en", """Our EHR integration returns 401. Config:
  base_url: {p.url}
  {secret}
  client_ip: {ip}
Failing request was for patient {p.name}, MRN {p.mrn}, DOB {p.dob}. The retry from {ip.v6} worked. What's wrong?"""),
    Template("en-chat-dev-2", "chat message", "en", """Can you clean up this CSV row before I load it? "{p.formal}","{p.dob}","{p.email}","{p.mobile}","{p.iban}","{p.card}","{ip}","{p.bio}","{p.photo}" - also the header has a stray {secret.value} token someone pasted in, remove that."""),
    Template("en-email-3", "email", "en", """From: {c.email}
Subject: Portal access for {p.name}

Dear {p.title},

Your patient portal account is ready: {p.url}
For security we recorded the sign-up from IP {ip}. Your temporary {secret}
Please change it at first login. Billing will use card {p.card} (account {p.account}).

{c.name}
Fax {fax}
"""),
    Template("en-form-5", "form dump", "en", """identity verification log
ts={date} subject="{p.name}" dob={p.dob} age={p.age}
face_match photo={p.photo} template={p.bio} score=0.97
voice_match template={r.bio}
device imei={imei} ip={ip} ip6={ip.v6}
session_url={p.url}
""", old=True),
]
