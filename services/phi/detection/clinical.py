"""Clinical content (DIAGNOSIS, TREATMENT): off by default, compact lexicons plus ICD-10 codes."""

from __future__ import annotations

import re

_CONDITIONS = (
    "diabetes mellitus|type 2 diabetes|type 1 diabetes|diabetes|hypertension|hyperlipidemia|"
    "hypercholesterolemia|coronary artery disease|congestive heart failure|heart failure|atrial fibrillation|"
    "myocardial infarction|stroke|cerebrovascular accident|transient ischemic attack|copd|"
    "chronic obstructive pulmonary disease|asthma|pneumonia|bronchitis|tuberculosis|hiv|aids|hepatitis [abc]|"
    "hepatitis|cirrhosis|chronic kidney disease|renal failure|acute kidney injury|urinary tract infection|"
    "sepsis|cellulitis|osteoarthritis|rheumatoid arthritis|osteoporosis|gout|lupus|multiple sclerosis|"
    "parkinson'?s disease|alzheimer'?s disease|dementia|epilepsy|seizure disorder|migraine|major depressive disorder|"
    "depression|anxiety disorder|generalized anxiety disorder|bipolar disorder|schizophrenia|ptsd|"
    "post-traumatic stress disorder|adhd|autism|substance use disorder|alcohol use disorder|opioid use disorder|"
    "breast cancer|lung cancer|prostate cancer|colon cancer|colorectal cancer|pancreatic cancer|leukemia|lymphoma|"
    "melanoma|carcinoma|cancer|anemia|hypothyroidism|hyperthyroidism|obesity|sleep apnea|gerd|"
    "gastroesophageal reflux disease|crohn'?s disease|ulcerative colitis|irritable bowel syndrome|pancreatitis|"
    "appendicitis|cholecystitis|deep vein thrombosis|pulmonary embolism|covid-19|influenza|"
    "[a-z]+(?:itis|osis|emia|oma)\\b"
)
DIAGNOSIS = re.compile(r"(?i)\b(?:" + _CONDITIONS + r")\b")
ICD10 = re.compile(r"(?<![\w.])[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})(?![\w.])")
ICD10_CUED = re.compile(r"(?i)\b(?:icd-?10(?:-cm)?|dx|diagnosis|diagnosis code|icd)\s*(?:code)?\s*[:#]?\s*"
                        r"(?P<c>(?-i:[A-TV-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?))(?![\w.])")

_DRUGS = (
    "metformin|insulin(?: glargine| lispro| aspart)?|lisinopril|losartan|amlodipine|metoprolol|atenolol|carvedilol|"
    "hydrochlorothiazide|furosemide|spironolactone|atorvastatin|simvastatin|rosuvastatin|pravastatin|warfarin|"
    "apixaban|rivaroxaban|clopidogrel|aspirin|heparin|enoxaparin|levothyroxine|prednisone|methylprednisolone|"
    "dexamethasone|albuterol|fluticasone|montelukast|tiotropium|omeprazole|pantoprazole|famotidine|ondansetron|"
    "gabapentin|pregabalin|sertraline|fluoxetine|escitalopram|citalopram|bupropion|venlafaxine|duloxetine|"
    "trazodone|mirtazapine|quetiapine|olanzapine|risperidone|aripiprazole|lithium|lamotrigine|levetiracetam|"
    "valproate|donepezil|memantine|carbidopa-levodopa|levodopa|oxycodone|hydrocodone|morphine|fentanyl|tramadol|"
    "acetaminophen|ibuprofen|naproxen|amoxicillin|amoxicillin-clavulanate|azithromycin|doxycycline|"
    "ciprofloxacin|levofloxacin|cephalexin|ceftriaxone|vancomycin|piperacillin-tazobactam|nitrofurantoin|"
    "sulfamethoxazole-trimethoprim|semaglutide|liraglutide|dulaglutide|empagliflozin|dapagliflozin|sitagliptin|"
    "glipizide|methotrexate|adalimumab|pembrolizumab|chemotherapy|radiation therapy|radiotherapy|dialysis|"
    "hemodialysis|physical therapy|cognitive behavioral therapy|psychotherapy"
)
TREATMENT = re.compile(
    r"(?i)\b(?:" + _DRUGS + r")\b(?:\s+\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|units?|iu)\b)?"
    r"|\b[a-z]+(?:ectomy|otomy|ostomy|plasty|scopy|graphy)\b"
)
