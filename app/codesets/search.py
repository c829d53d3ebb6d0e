"""Turning what a learner types into a code prefix or an FTS5 query.

Plain words find official wording through a small synonym table: lay terms ("heart
attack", "broken", "dog bite") map to the words the tabular list uses ("myocardial
infarction", "fracture", "bitten"). Stemming (FTS5's porter tokenizer) covers plurals and
endings; the last word is also matched as a prefix so results appear while typing.
Clinical abbreviations ("T2DM", "CABG", "AKI") come from `data/abbreviations.tsv`
(app/codesets/vocabulary.py); the abbreviation itself is matched as a whole word only, so
"uti" never finds "utility".
"""

from __future__ import annotations

import re

from app.codesets.vocabulary import abbreviations

_WORD = re.compile(r"[A-Za-z0-9]+")
_CODE_LIKE = re.compile(r"^-?[A-Z0-9]{1,7}$")

STOPWORDS = frozenset("a an and at by for from in into of on or the to with without".split())

# Lay phrase -> an FTS5 expression in the tabular list's words (matched before single words).
PHRASES: dict[str, str] = {
    "broken wrist": '"fracture" AND "lower end" AND ("radius" OR "ulna")',
    "wrist fracture": '"fracture" AND "lower end" AND ("radius" OR "ulna")',
    "broken hip": '"fracture" AND ("femur" OR "neck of femur")',
    "broken arm": '"fracture" AND ("humerus" OR "radius" OR "ulna")',
    "broken leg": '"fracture" AND ("femur" OR "tibia" OR "fibula")',
    "heart attack": '"myocardial infarction"',
    "high blood pressure": '"hypertension"',
    "low blood pressure": '"hypotension"',
    "high blood sugar": '"hyperglycemia"',
    "low blood sugar": '"hypoglycemia"',
    "kidney stone": '"calculus" AND "kidney"',
    "mini stroke": '"transient cerebral ischemic"',
    "stroke": '"cerebral infarction"',
    "blood clot": '("thrombosis" OR "embolism")',
    "pink eye": '"conjunctivitis"',
    "strep throat": '"streptococcal pharyngitis"',
    "slipped disc": '"intervertebral disc" AND "displacement"',
    "gi bleed": '"gastrointestinal hemorrhage"',
    "gi bleeding": '"gastrointestinal hemorrhage"',
}

# Lay word -> official alternatives (any of them may match).
WORDS: dict[str, tuple[str, ...]] = {
    "broken": ("fracture",), "break": ("fracture",), "fractured": ("fracture",),
    "bite": ("bitten", "bite"), "bites": ("bitten", "bite"),
    "wrist": ("wrist", "radius", "ulna", "carpal"),
    "heart": ("heart", "cardiac"), "kidney": ("kidney", "renal"), "lung": ("lung", "pulmonary"),
    "liver": ("liver", "hepatic"), "stomach": ("stomach", "gastric"), "skin": ("skin", "cutaneous"),
    "belly": ("abdominal",), "tummy": ("abdominal",), "flu": ("influenza",), "cold": ("nasopharyngitis", "cold"),
    "sugar": ("diabetes", "glucose"), "shot": ("injection", "vaccine"), "jab": ("injection", "vaccine"),
    "cancer": ("malignant", "neoplasm", "carcinoma"), "tumor": ("neoplasm", "tumor"), "tumour": ("neoplasm", "tumor"),
    "sprained": ("sprain",), "cut": ("laceration", "cut"), "bruise": ("contusion",), "bruised": ("contusion",),
    "burned": ("burn",), "pregnant": ("pregnancy",), "birth": ("delivery", "birth"), "baby": ("newborn", "infant"),
    "shin": ("tibia", "shin"), "thigh": ("femur", "thigh"), "collarbone": ("clavicle",), "kneecap": ("patella",),
    "backache": ("back", "pain"), "headache": ("headache",), "dizzy": ("dizziness",), "tired": ("fatigue",),
    "wheelchair": ("wheelchair",), "walker": ("walker",), "crutches": ("crutches",),
    # The tabular list says "lower limb" / "upper limb" where people say leg / arm.
    "leg": ("leg", "lower limb"), "legs": ("leg", "lower limb"), "arm": ("arm", "upper limb"),
    "arms": ("arm", "upper limb"), "bleed": ("hemorrhage", "bleeding", "bleed"),
    "bleeding": ("hemorrhage", "bleeding"),
}


def looks_like_code(query: str) -> bool:
    """Code-shaped input ("S52.5", "e11", "0DT", "J1100", "-25"): use prefix look-up."""
    text = query.strip().upper().replace(".", "").replace(" ", "")
    if re.fullmatch(r"-[A-Z0-9]{1,2}", text):  # a modifier: "-2", "-RT"
        return True
    return bool(_CODE_LIKE.match(text)) and any(ch.isdigit() for ch in text)


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression: every word (or one of its synonyms) must appear."""
    text = f" {' '.join(_WORD.findall(query.lower()))} "
    groups = []
    for lay, expression in PHRASES.items():
        if f" {lay} " in text:
            text = text.replace(f" {lay} ", " ")
            groups.append(f"({expression})")
    words = [w for w in text.split() if w not in STOPWORDS]
    short_forms = abbreviations()
    for index, word in enumerate(words):
        if word in short_forms:
            groups.append(f'({short_forms[word]} OR "{word}")')
            continue
        alternatives = list(dict.fromkeys([*WORDS.get(word, ()), word]))
        terms = [f'"{alt}"' for alt in alternatives]
        if index == len(words) - 1 and len(word) >= 3 and query.rstrip() == query:
            # Still typing: "fract" finds "fracture". The prefix covers the word itself,
            # so the exact term is dropped (ranking both doubles the work).
            terms = [t for t in terms if t != f'"{word}"'] + [f'"{word}"*']
        groups.append(f"({' OR '.join(terms)})" if len(terms) > 1 else terms[0])
    return " AND ".join(groups)


def any_words_query(query: str) -> str:
    """The last resort when no code has every word: codes with any of them, best first."""
    words = [w for w in _WORD.findall(query.lower()) if w not in STOPWORDS]
    return " OR ".join(f"({fts_query(word + ' ')})" for word in dict.fromkeys(words) if fts_query(word + " "))


def known_words() -> frozenset[str]:
    """Words search understands besides the index's own: lay words, phrases, abbreviations."""
    phrase_words = {w for phrase in PHRASES for w in phrase.split()}
    return frozenset(STOPWORDS | set(WORDS) | phrase_words | set(abbreviations()))
