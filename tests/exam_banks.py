"""Generated banks for exam tests: the shipped banks are too small to fill a form (36 items).

`write_bank` writes a real bank file in the documented format, so tests load it through the
real loader: per topic, single-choice items (option 1 is right) and a few true/false items,
plus coding cases keyed in ICD-10-CM (E11.9). `write_form` writes a form file.
"""

from __future__ import annotations

from pathlib import Path

CPC_TOPICS = ("surgery-10000", "surgery-20000", "surgery-30000", "surgery-40000", "surgery-50000",
              "surgery-60000", "evaluation-management", "anesthesia", "radiology", "pathology-lab",
              "medicine", "terminology", "anatomy", "icd10cm", "hcpcs", "guidelines", "compliance")


def _choice(item_id: str, topic: str, number: int) -> str:
    return f"""  - id: {item_id}
    type: single_choice
    topic: {topic}
    shuffle: false
    title: {topic} question {number}
    stem: "Question {number} on {topic}: which option is right?"
    options:
      - text: "Right answer {number}"
        correct: true
      - text: "Wrong answer A{number}"
      - text: "Wrong answer B{number}"
      - text: "Wrong answer C{number}"
    rationale: "Option one is right for question {number}."
"""


def _case(item_id: str, number: int) -> str:
    return f"""  - id: {item_id}
    type: coding_case
    topic: icd10cm
    title: Diabetes case {number}
    stem: Assign the ICD-10-CM code.
    note: "*Synthetic record* {number}. Type 2 diabetes without complications."
    key:
      sections:
        - code_set: icd10cm
          label: Diagnoses
          lines:
            - code: E11.9
    rationale: "Type 2 diabetes without complications is E11.9."
"""


def write_bank(path: Path, per_topic: int = 8, topics: tuple[str, ...] = CPC_TOPICS, cases: int = 2,
               bank_id: str = "exam-test") -> Path:
    parts = [f"""bank:
  id: {bank_id}
  title: Exam test bank
  version: "1"
  author: Tests
  licence: CC0-1.0
  code_year: 2026
items:
"""]
    for topic in topics:
        parts += [_choice(f"{topic}-{n:03d}", topic, n) for n in range(1, per_topic + 1)]
    parts += [_case(f"case-{n:03d}", n) for n in range(1, cases + 1)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def write_form(path: Path, form_id: str = "test-form", minutes: int = 60, pause: str = "while_closed",
               navigation: str = "free", counts: tuple[tuple[str, int, int], ...] = (("a", 10, 1), ("b", 15, 1)),
               topics: tuple[tuple[str, ...], ...] = (("icd10cm", "guidelines"), ("surgery-10000", "surgery-20000"))) -> Path:
    sections = "".join(
        f"  - {{id: {sid}, title: Section {sid.upper()}, part: {part}, count: {count}, topics: [{', '.join(t)}]}}\n"
        for (sid, count, part), t in zip(counts, topics))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"""form:
  id: {form_id}
  title: Test form {form_id}
  time_limit: {minutes}
  warning: 5
  pass_mark: 70
  navigation: {navigation}
  pause: {pause}
sections:
{sections}""", encoding="utf-8")
    return path
