"""The code-set database schema (a cache: changing it bumps SCHEMA_VERSION and rebuilds).

`words` holds the distinct words of the titles with how many titles use them: the
spelling fallback of search corrects against it (app/codesets/vocabulary.py).
"""

from __future__ import annotations

SCHEMA_VERSION = 3  # 2: index on tree_key; ICD-10-CM blocks nested. 3: 7th-character codes in seventh_fts, words, pcs_next for short prefixes only

TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE codes (
    id INTEGER PRIMARY KEY,
    system TEXT NOT NULL,            -- icd10cm | icd10pcs | hcpcs | cpt
    code TEXT NOT NULL,              -- display form: "S52.521A", "0DTJ4ZZ", "J1100", "-25"
    flat TEXT NOT NULL,              -- compact upper-case form used for look-ups
    title TEXT NOT NULL,
    billable INTEGER NOT NULL,
    parent TEXT,                     -- parent code (None for categories and top-level codes)
    kind TEXT NOT NULL,              -- chapter | block | category | subcategory | code | group | section | modifier
    tree_key TEXT NOT NULL,
    tree_parent TEXT,
    chapter TEXT NOT NULL DEFAULT '',
    block TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT '',
    seventh_owner TEXT NOT NULL DEFAULT '',
    requires_seventh INTEGER NOT NULL DEFAULT 0,
    requires_placeholder INTEGER NOT NULL DEFAULT 0,
    terms TEXT NOT NULL DEFAULT '',  -- inclusion terms and long wording, searched too
    sort INTEGER NOT NULL DEFAULT 0,
    generated INTEGER NOT NULL DEFAULT 0,  -- ICD-10-CM codes made from a 7th-character table
    extra TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE notes (system TEXT, code TEXT, kind TEXT, text TEXT, refs TEXT, seq INTEGER);
CREATE TABLE seventh (owner TEXT, char TEXT, meaning TEXT, seq INTEGER);
CREATE TABLE pcs_value (context TEXT, position INTEGER, value TEXT, meaning TEXT,
                        PRIMARY KEY (context, position, value)) WITHOUT ROWID;
CREATE TABLE pcs_next (prefix TEXT, value TEXT, PRIMARY KEY (prefix, value)) WITHOUT ROWID;
CREATE TABLE words (word TEXT PRIMARY KEY, count INTEGER NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE codes_fts USING fts5 (title, terms, content='codes', content_rowid='id',
                                           tokenize='porter unicode61 remove_diacritics 2');
-- Codes made from a 7th-character table ("..., initial encounter for closed fracture"):
-- searched when the query names an encounter or healing, so common words stay fast.
CREATE VIRTUAL TABLE seventh_fts USING fts5 (title, terms, content='codes', content_rowid='id',
                                             tokenize='porter unicode61 remove_diacritics 2');
"""

# Created after the bulk insert: filling indexed tables row by row costs more than
# sorting once at the end (issue 11, point 6).
INDEXES = """
CREATE UNIQUE INDEX codes_key ON codes (system, flat);
CREATE INDEX codes_flat ON codes (flat);
CREATE INDEX codes_tree ON codes (system, tree_parent, sort);
CREATE INDEX codes_tree_key ON codes (system, tree_key);
CREATE INDEX codes_parent ON codes (system, parent);
CREATE INDEX notes_code ON notes (system, code);
CREATE INDEX seventh_owner ON seventh (owner);
"""

SCHEMA = TABLES + INDEXES
