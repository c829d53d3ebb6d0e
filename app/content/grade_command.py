"""`medcode bank grade BANK ITEM --answer "..."`: grade one response from the command line.

For instructors writing keys ("what would a learner get for this?") and for debugging banks.
It reads the bank and the code-set cache (building it on first use) and writes nothing.
Problems (no such bank, no such item, a bank with errors) are messages with exit status 2,
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.codesets.cli import codeset_for
from app.core.models import (
    CodingCase, GradeResult, Item, Matching, MultipleResponse, Numeric, ShortAnswer, SingleChoice, TrueFalse,
)

OPTION_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def add_to(bank_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `grade` subcommand under `bank`."""
    grade = bank_commands.add_parser(
        "grade",
        help="grade one answer to one item of a bank and explain the result",
        description=(
            "Grade an answer as the app would. Coding case: the codes as a learner types them "
            "(\"E11.22, N18.31, 99213-25\"); give --answer once per key section to answer section by section. "
            "Choices: option numbers from 1 or letters (\"b\", \"1,3\"). True/false: true or false. "
            "Matching: \"1=inflammation; 2=kidney\" (prompt numbers from 1). Numeric and short answer: the text."),
    )
    grade.add_argument("bank", metavar="BANK_PATH", help="a bank file (.yaml) or an installed package folder")
    grade.add_argument("item", metavar="ITEM_ID", help="the id of the item to grade")
    grade.add_argument("--answer", action="append", required=True, metavar="TEXT", help="the learner's answer")
    grade.add_argument("--json", action="store_true", help="print the result as a JSON object")
    grade.set_defaults(handler=run_grade)


class GradeError(Exception):
    """A problem the user must fix (bank, item, answer); printed as one line."""


def run_grade(args: argparse.Namespace) -> int:
    """Handler: print the graded result; 2 when the bank, the item or the code sets cannot be used."""
    codes = None
    try:
        bank, item = _find_item(Path(args.bank), args.item)
        response = to_response(item, args.answer)
        codes = codeset_for(args.data_dir)
        from app.core.scoring import grade

        result = grade(item, response, codes, bank.manifest.policy)
    except GradeError as error:
        print(f"medcode bank grade: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - the command's boundary: a message, never a traceback
        print(f"medcode bank grade: cannot grade: {error}", file=sys.stderr)
        return 2
    finally:
        close = getattr(codes, "close", None)
        if close is not None:
            close()
    print(json.dumps(result_to_json(result), indent=2) if args.json else describe(item, result))
    return 0


def _find_item(path: Path, item_id: str):  # type: ignore[no-untyped-def]
    from app.content.bank import load_bank

    if path.is_dir() and (path / "bank.yaml").is_file():
        path = path / "bank.yaml"
    if not path.is_file():
        raise GradeError(f"{path}: no such bank file")
    bank, problems = load_bank(path)
    if bank is None:
        first = problems[0] if problems else f"{path}: the bank could not be read"
        raise GradeError(f"{path}: the bank cannot be loaded: {first}")
    for item in bank.items:
        if item.meta.id == item_id:
            return bank, item
    broken = [str(problem) for problem in problems if f"{item_id}." in str(problem)]
    if broken:
        raise GradeError(f"item '{item_id}' has errors and was not loaded: {broken[0]}")
    known = ", ".join(item.meta.id for item in bank.items[:8])
    raise GradeError(f"{path}: no item with id '{item_id}' (items: {known}{', ...' if len(bank.items) > 8 else ''})")



def _option(text: str, count: int, options: tuple[str, ...]) -> int:
    """An option from "2" (counted from 1), "b", or the option's own text."""
    word = text.strip()
    if word.isdigit() and 1 <= int(word) <= count:
        return int(word) - 1
    if len(word) == 1 and word.lower() in OPTION_LETTERS[:count]:
        return OPTION_LETTERS.index(word.lower())
    for index, option in enumerate(options):
        if option.strip().casefold() == word.casefold():
            return index
    raise GradeError(f"'{text}' is not one of the {count} options (give a number from 1, a letter, or the option text)")


def to_response(item: Item, answers: list[str]) -> object:
    """The command-line text in the shape `grade` takes for this item type (see the help)."""
    text = answers[0]
    if isinstance(item, CodingCase):
        return text if len(answers) == 1 else list(answers)
    if isinstance(item, SingleChoice):
        return _option(text, len(item.options), tuple(o.text for o in item.options))
    if isinstance(item, MultipleResponse):
        parts = [part for part in text.replace(";", ",").split(",") if part.strip()]
        return [_option(part, len(item.options), tuple(o.text for o in item.options)) for part in parts]
    if isinstance(item, Matching):
        chosen: dict[int, str] = {}
        for part in (piece for piece in text.split(";") if piece.strip()):
            number, _, answer = part.partition("=")
            if not number.strip().isdigit() or not answer.strip():
                raise GradeError(f"'{part.strip()}' is not PROMPT=ANSWER (e.g. 1=inflammation)")
            chosen[int(number) - 1] = answer.strip()
        return chosen
    if isinstance(item, (TrueFalse, Numeric, ShortAnswer)):
        return text
    raise GradeError(f"items of type {type(item).__name__} cannot be graded here")


def result_to_json(result: GradeResult) -> dict[str, object]:
    return {
        "score": result.score,
        "max_score": result.max_score,
        "correct": result.correct,
        "policy": result.extra.get("policy"),
        "unmatched": result.extra.get("unmatched", 0),
        "findings": [{"verdict": f.verdict, "code": f.code, "message": f.message, "section": f.section,
                      "related": f.related} for f in result.findings],
        "feedback": result.feedback,
    }


def describe(item: Item, result: GradeResult) -> str:
    """The readable report: score line, then one line per finding."""
    policy = result.extra.get("policy")
    lines = [f"{item.meta.id}: {result.score:g} / {result.max_score:g}"
             f"{' (correct)' if result.correct else ''}{f'  [policy: {policy}]' if policy else ''}"]
    width = max((len(f.verdict) for f in result.findings), default=0)
    for finding in result.findings:
        code = f"{finding.code} " if finding.code and finding.code not in finding.message else ""
        lines.append(f"  {finding.verdict:<{width}}  {code}{finding.message}")
    if result.feedback:
        lines.append(f"  feedback: {result.feedback}")
    return "\n".join(lines)
