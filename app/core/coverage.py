"""How well a set of banks covers the exam blueprints (`medcode bank coverage`).

Pure arithmetic over items, so the command and the tests share it. An item counts for the CPC
area named by its `area` (when the bank gives one) or else its topic. CCS domains are read
from topics, tags and key sections, as documented in docs/question-bank-format.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.models import Item
from app.core.topics import CPC_POOLED, CPC_POOLED_ITEMS, TOPICS

AREA_FLOOR = 40  # items per CPC area the question-bank issue asks for
THIN_SHARE = 0.75  # below this share of the blueprint's proportional count, an area is thin
RECORD_WORDS = 250  # a coding case whose record has at least this many words is a "record"

CCS_DOMAINS: dict[str, str] = {
    "inpatient-icd10cm": "Inpatient ICD-10-CM (tag inpatient, or a case with a PCS section)",
    "icd10pcs": "ICD-10-PCS (topic icd10pcs, or a case with a PCS section)",
    "drg-cc-poa": "MS-DRG, CC/MCC and POA (tags ms-drg, cc-mcc, poa)",
    "abstracting-queries": "Abstracting and physician queries (tags query, abstracting)",
}


@dataclass
class AreaCount:
    area: str
    label: str
    weight: float  # CPC items out of 100
    items: int = 0
    cases: int = 0
    thin: bool = False


@dataclass
class Coverage:
    items: int = 0
    cases: int = 0
    records: int = 0
    cpc: list[AreaCount] = field(default_factory=list)
    ccs: dict[str, int] = field(default_factory=dict)
    exams: dict[str, int] = field(default_factory=dict)  # items whose topic serves CCA, CPB...

    def as_dict(self) -> dict[str, object]:
        return {"items": self.items, "cases": self.cases, "records": self.records,
                "cpc": [vars(area) for area in self.cpc], "ccs": self.ccs, "exams": self.exams}


def cpc_weights() -> dict[str, float]:
    """CPC blueprint items per area; the pooled areas share their 28 items equally."""
    weights = {t.id: float(t.cpc_items) for t in TOPICS.values() if t.cpc_items}
    weights.update({topic: CPC_POOLED_ITEMS / len(CPC_POOLED) for topic in CPC_POOLED})
    return weights


def item_area(item: Item) -> str:
    return getattr(item.meta, "area", "") or item.meta.topic


def _code_sets(item: Item) -> set[str]:
    key = getattr(item, "key", None)
    return {str(getattr(section, "code_set", "")) for section in getattr(key, "sections", ()) or ()}


def _record_words(item: Item) -> int:
    return len(str(getattr(item, "note", "") or "").split())


def _ccs_domains(item: Item) -> set[str]:
    tags, sets = set(item.meta.tags), {s.rsplit(".", 1)[-1].lower() for s in _code_sets(item)}
    pcs = any("pcs" in s for s in sets)
    domains = set()
    if item.meta.topic == "icd10cm" and ("inpatient" in tags or pcs):
        domains.add("inpatient-icd10cm")
    if item.meta.topic == "icd10pcs" or pcs:
        domains.add("icd10pcs")
    if tags & {"ms-drg", "cc-mcc", "poa"}:
        domains.add("drg-cc-poa")
    if tags & {"query", "abstracting", "yes-no"}:
        domains.add("abstracting-queries")
    return domains


def coverage(items: Iterable[Item]) -> Coverage:
    weights = cpc_weights()
    result = Coverage(ccs={domain: 0 for domain in CCS_DOMAINS})
    areas = {area: AreaCount(area, TOPICS[area].label, weight) for area, weight in weights.items()}
    for item in items:
        result.items += 1
        case = item.type.value == "coding_case" if hasattr(item.type, "value") else item.type == "coding_case"
        result.cases += case
        result.records += case and _record_words(item) >= RECORD_WORDS
        area = areas.get(item_area(item))
        if area is not None:
            area.items += 1
            area.cases += case
        for domain in _ccs_domains(item):
            result.ccs[domain] += 1
        topic = TOPICS.get(item.meta.topic)
        for exam in topic.exams if topic else ():
            result.exams[exam] = result.exams.get(exam, 0) + 1
    in_cpc = sum(area.items for area in areas.values())
    for area in areas.values():
        share = in_cpc * area.weight / 100
        area.thin = area.items < AREA_FLOOR or area.items < THIN_SHARE * share
    result.cpc = sorted(areas.values(), key=lambda a: (-a.weight, a.area))
    return result
