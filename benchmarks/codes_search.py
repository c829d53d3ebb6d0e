"""Code-set benchmark: search quality on judged queries, then search latency.

Run: .venv/bin/python benchmarks/codes_search.py [--db PATH]
Prints hit@1 and hit@5 over the judged queries in judged_queries.tsv (what a student
types and the codes a coder accepts: misspellings, abbreviations, lay words, partial and
full official titles, exact codes), the queries that found nothing, and the misses.
Then the median and p95 latency of CodeSet.search over those queries and more than 200
others (words, phrases, partial words, code prefixes), each run 5 times warm.
Targets (issue 11): hit@5 >= 90 %, no query without results, p95 <= 5 ms.
The first build time and its floor are printed by benchmarks/codes_build.py.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = """diabetes hypertension asthma pneumonia fracture sprain laceration contusion burn dislocation
migraine epilepsy anemia leukemia lymphoma melanoma carcinoma sepsis cellulitis abscess gout arthritis
osteoporosis scoliosis glaucoma cataract otitis sinusitis bronchitis influenza covid hepatitis cirrhosis
pancreatitis appendicitis cholecystitis diverticulitis colitis gastritis ulcer hernia obesity malnutrition
dehydration hyperlipidemia hypothyroidism depression anxiety schizophrenia dementia alcohol opioid nicotine
pregnancy delivery preeclampsia newborn jaundice syncope dizziness headache fatigue fever cough dyspnea
chest nausea vomiting diarrhea constipation hematuria incontinence retention stone cystitis prostate
menopause endometriosis infertility osteomyelitis tendinitis bursitis neuropathy retinopathy nephropathy
dermatitis psoriasis eczema acne alopecia wound pressure ulcer amputation transplant dialysis catheter
resection excision drainage bypass replacement insertion removal repair fusion biopsy uti chf copd afib gerd ckd""".split()
PHRASES = ["dog bite", "heart attack", "broken wrist", "broken hip", "high blood pressure", "kidney stone",
           "type 2 diabetes kidney", "chronic kidney disease stage 3", "acute myocardial infarction",
           "fracture of lower end of radius", "pressure ulcer sacral", "fall from ladder", "motor vehicle",
           "urinary tract infection", "congestive heart failure", "atrial fibrillation", "sleep apnea",
           "low back pain", "carpal tunnel", "rotator cuff tear", "torn meniscus", "blood clot leg",
           "strep throat", "pink eye", "resection appendix", "total knee replacement", "coronary bypass",
           "colonoscopy", "wheelchair", "crutches", "walker", "oxygen", "glucose monitor", "insulin pump",
           "ambulance mileage", "dexamethasone injection", "vaccine administration", "cast", "splint",
           "annual wellness", "smoking cessation"]
PARTIAL = ["diab", "hyperten", "fract", "pneum", "infl", "cardi", "neph", "oste", "derm", "gastr", "hepat",
           "append", "chole", "bronch", "asth", "migr", "anem", "leuk", "lymph", "sepsi", "cellul", "absc",
           "arthr", "glauc", "catar", "otit", "sinus"]
PREFIXES = ["E11", "E11.2", "e1122", "I10", "I21", "I50.2", "J45", "J44.1", "S52", "S52.5", "S52.52", "S72.0",
            "M54.5", "N18", "N18.3", "O80", "Z00.0", "Z79.4", "R07.9", "R10", "F32", "F41.1", "G43", "K21",
            "K35", "C50.9", "C34", "W54", "V43", "T78", "0DT", "0DTJ", "0SR", "02H", "0FT", "0JH", "J1100",
            "J3", "A04", "E01", "L3", "G04", "Q40", "992", "9921", "99213", "270", "2778", "-25", "0042T",
            "E11 kidney", "S52 colles", "0DT appendix", "I21 inferior", "M54 sciatica", "-R"]


JUDGED_FILE = Path(__file__).resolve().parent / "judged_queries.tsv"


def judged() -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, query, accepted codes) from judged_queries.tsv."""
    rows = []
    lines = [line for line in JUDGED_FILE.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    for line in lines[1:]:
        kind, query, accepted = line.split("\t")
        rows.append((kind, query, tuple(accepted.split())))
    return rows


def accepted(code: str, patterns: tuple[str, ...]) -> bool:
    return any(code.startswith(p[:-1]) if p.endswith("*") else code == p for p in patterns)


def quality(codes) -> tuple[float, float, list[str], list[str]]:  # type: ignore[no-untyped-def]
    """hit@1, hit@5, the queries with no results, and the misses at 5 (with what came first)."""
    rows = judged()
    at1 = at5 = 0
    empty, misses = [], []
    for kind, query, patterns in rows:
        hits = [hit.code for hit in codes.search(query, limit=25)]
        at1 += bool(hits) and accepted(hits[0], patterns)
        at5 += any(accepted(code, patterns) for code in hits[:5])
        if not hits:
            empty.append(query)
        elif not any(accepted(code, patterns) for code in hits[:5]):
            misses.append(f"{kind}: {query!r} -> {', '.join(hits[:3])}")
    return at1 / len(rows), at5 / len(rows), empty, misses


def queries() -> list[str]:
    return list(dict.fromkeys(WORDS + PHRASES + PARTIAL + PREFIXES + [q for _, q, _ in judged()]))


def main() -> int:
    from app.codesets.build import build_database
    from app.codesets.database import SqliteCodeSet

    if len(sys.argv) == 3 and sys.argv[1] == "--db":
        path = Path(sys.argv[2])
    else:
        path = Path(tempfile.mkdtemp(prefix="medcode-bench-")) / "codesets.sqlite3"
        build_database(path)
    codes = SqliteCodeSet(path)
    at1, at5, empty, misses = quality(codes)
    print(f"judged queries: {len(judged())}   hit@1: {at1:.1%}   hit@5: {at5:.1%}   (target hit@5 >= 90 %)")
    print(f"queries without results: {len(empty)}" + (f" ({', '.join(map(repr, empty))})" if empty else ""))
    for miss in misses:
        print(f"  miss at 5: {miss}")
    batch = queries()
    for query in batch:  # warm the page cache once
        codes.search(query)
    timings, cpu = [], []
    for _ in range(5):
        for query in batch:
            begin, begin_cpu = time.perf_counter_ns(), time.thread_time_ns()
            codes.search(query, limit=25)
            timings.append((time.perf_counter_ns() - begin) / 1e6)
            cpu.append((time.thread_time_ns() - begin_cpu) / 1e6)
    timings.sort()
    cpu.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    slowest = sorted(((max(_time(codes, q) for _ in range(3)), q) for q in batch), reverse=True)[:5]
    print(f"database: {path.stat().st_size / 1e6:.0f} MB")
    print(f"queries: {len(batch)} distinct x 5 runs = {len(timings)} searches")
    print(f"median: {statistics.median(timings):.3f} ms   p95: {p95:.3f} ms   max: {timings[-1]:.3f} ms")
    # CPU time of this thread: the same figures without waiting for a busy machine's CPUs.
    print(f"cpu time: median {statistics.median(cpu):.3f} ms   p95 {cpu[int(len(cpu) * 0.95) - 1]:.3f} ms"
          f"   (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print("slowest: " + ", ".join(f"{q!r} {t:.2f} ms" for t, q in slowest))
    codes.close()
    return 0


def _time(codes, query: str) -> float:  # type: ignore[no-untyped-def]
    begin = time.perf_counter_ns()
    codes.search(query, limit=25)
    return (time.perf_counter_ns() - begin) / 1e6


if __name__ == "__main__":
    raise SystemExit(main())
