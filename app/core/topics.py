"""The fixed list of item topics, and how each maps onto the exam blueprints.

Topics drive the per-topic accuracy on the progress page and the blueprint of mock
exams. The CPC numbers are AAPC's published item counts per area (100 items in all);
CCS/CCA and CPB domains are named so banks for those exams can be tagged too.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    id: str
    label: str
    exams: tuple[str, ...]  # exams whose blueprint covers this topic
    cpc_items: int = 0  # items on the CPC exam (0 where the area is pooled or absent)


TOPICS: dict[str, Topic] = {
    topic.id: topic
    for topic in (
        Topic("surgery-10000", "Surgery 10000 series: integumentary", ("CPC", "CCS"), 6),
        Topic("surgery-20000", "Surgery 20000 series: musculoskeletal", ("CPC", "CCS"), 6),
        Topic("surgery-30000", "Surgery 30000 series: respiratory, cardiovascular, hemic/lymphatic", ("CPC", "CCS"), 6),
        Topic("surgery-40000", "Surgery 40000 series: digestive", ("CPC", "CCS"), 6),
        Topic("surgery-50000", "Surgery 50000 series: urinary, genital, endocrine", ("CPC", "CCS"), 6),
        Topic("surgery-60000", "Surgery 60000 series: nervous system, eye, ear", ("CPC", "CCS"), 6),
        Topic("evaluation-management", "Evaluation and management", ("CPC", "CCS", "CCA"), 6),
        Topic("anesthesia", "Anesthesia", ("CPC",), 4),
        Topic("radiology", "Radiology", ("CPC",), 6),
        Topic("pathology-lab", "Pathology and laboratory", ("CPC",), 6),
        Topic("medicine", "Medicine", ("CPC",), 6),
        Topic("terminology", "Medical terminology", ("CPC", "CCA"), 4),
        Topic("anatomy", "Anatomy and physiology", ("CPC", "CCA"), 4),
        Topic("icd10cm", "ICD-10-CM diagnosis coding", ("CPC", "CCS", "CCA")),
        Topic("icd10pcs", "ICD-10-PCS inpatient procedure coding", ("CCS", "CCA")),
        Topic("hcpcs", "HCPCS Level II and modifiers", ("CPC", "CCS", "CPB")),
        Topic("guidelines", "Coding guidelines", ("CPC", "CCS", "CCA")),
        Topic("compliance", "Compliance and regulatory", ("CPC", "CCS", "CCA", "CPB")),
        Topic("billing-claims", "Claims and billing (CMS-1500, UB-04)", ("CPB", "CCA")),
        Topic("reimbursement", "Reimbursement and payment systems", ("CPB", "CCS", "CCA")),
        Topic("revenue-cycle", "Revenue cycle, collections and denials", ("CPB", "CCA")),
        Topic("health-records", "Health records and data management", ("CCA",)),
    )
}

# CPC: the areas without their own count share the remaining 28 items.
CPC_POOLED = ("icd10cm", "hcpcs", "guidelines", "compliance")
CPC_POOLED_ITEMS = 28


def topic_label(topic_id: str) -> str:
    topic = TOPICS.get(topic_id)
    return topic.label if topic else topic_id
