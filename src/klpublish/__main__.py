"""The command line: ``klpublish import | extract | update | init | publish | index |
status | lint | review | check``. Arguments become one request, the request runs, and
what it says becomes lines and an exit code; every error a user can meet becomes its
exit code here, in ``_one_line``."""

from __future__ import annotations

import argparse
import gc
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from klpublish import __version__, settings
from klpublish.build.commands import (
    IndexRequest,
    LintRequest,
    PublishRequest,
    Scope,
    StatusRequest,
)
from klpublish.errors import KlpublishError, SettingError, display_path
from klpublish.gate.command import CheckRequest
from klpublish.project import (
    DEFAULT_LOCALES,
    DEFAULT_OUT,
    DEFAULT_THRESHOLD,
    FORMATS,
    LETTER_SUFFIX,
    SOURCES,
)


class Request(Protocol):
    def run(self, progress: Callable[[str], None]) -> tuple[list[str], int]: ...


def _percent(value: str) -> float:
    """A percentage: a number from 0 to 100 (``nan`` and ``inf`` are no share of a
    catalog, and a comparison with ``nan`` is always false)."""
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not 0.0 <= number <= 100.0:  # false for nan
        raise argparse.ArgumentTypeError(f"'{value}' is not a percentage: expected 0 to 100")
    return number


def _jobs(value: str) -> int:
    from klpublish.build.workers import AUTO, parse_jobs

    try:
        return AUTO if value == "auto" else parse_jobs(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


Option = tuple[tuple[str, ...], dict[str, Any]]
"""An argument: its names and ``add_argument``'s keywords."""

SOURCE: Option = (
    ("--source",),
    {
        "type": Path,
        "action": "append",
        "default": [],
        "metavar": "PATH",
        "help": f"the letter (repeatable; default: every {SOURCES}/<name>{LETTER_SUFFIX})",
    },
)
LOCALES: Option = (("--locales",), {"type": Path, "default": DEFAULT_LOCALES})
OUT: Option = (("--out",), {"type": Path, "default": DEFAULT_OUT})
TEMPLATE: Option = (
    ("--template",),
    {
        "type": Path,
        "action": "append",
        "default": [],
        "metavar": "POT",
        "help": "a letter's template (repeatable; default: every LOCALES/<name>.pot)",
    },
)
THRESHOLD: Option = (
    ("--threshold",),
    {
        "type": _percent,
        "default": DEFAULT_THRESHOLD,
        "metavar": "PERCENT",
        "help": "publish a language only when at least this much is translated",
    },
)
COMPENDIUM: Option = (
    ("--compendium",),
    {
        "action": "append",
        "type": Path,
        "default": [],
        "metavar": "FILE",
        "help": "a .po of earlier translations (its Language header says which catalogs it "
        "fills) to use as memory beside the language's other catalogs (repeatable). "
        "Untranslated entries get the translation of the same Danish text, or of similar "
        "text marked fuzzy (never published), with a '# memory:' comment saying where it "
        "came from",
    },
)
OUTPUT: Option = (
    ("--output",),
    {"type": Path, "default": None, "help": "where (one letter only; default: LOCALES/<name>.pot)"},
)
LANG: Option = (
    ("--lang",),
    {"action": "append", "default": [], "metavar": "L", "help": "only this language (repeatable)"},
)
FORMAT: Option = (
    ("--format",),
    {
        "action": "append",
        "default": [],
        "choices": FORMATS,
        "help": "only this format (repeatable)",
    },
)
NO_INDEX: Option = (
    ("--no-index",),
    {"action": "store_true", "help": "do not write OUT/index.html"},
)
JOBS: Option = (
    ("-j", "--jobs"),
    {
        "type": _jobs,
        "default": 1,
        "metavar": "N",
        "help": "languages built at once: a number, or 'auto' to choose by the work to do "
        "(default: 1)",
    },
)
MIN: Option = (
    ("--min",),
    {
        "type": _percent,
        "default": None,
        "metavar": "PERCENT",
        "help": "exit 1 when a language is translated less than this",
    },
)
JSON: Option = (("--json",), {"action": "store_true", "help": "machine-readable output"})
LINT_DESCRIPTION = (
    "Check each translated entry against the Danish: errors keep a language from being "
    "published, warnings do not. With locale/LANG/glossary.tbx (TBX), a translation "
    "whose Danish holds a glossary term, in any inflection, and that uses none of the "
    "term's allowed translations gets a warning, and so does a glossary entry that "
    "cannot be used; a glossary file that cannot be used is an error of lint "
    "(publishing goes on without it)."
)


def _scope(a: argparse.Namespace) -> Scope:
    return Scope(tuple(a.source), a.locales, getattr(a, "out", DEFAULT_OUT))


def _import(a: argparse.Namespace) -> Request:
    from klpublish.word.commands import ImportRequest

    return ImportRequest(a.document, a.name, a.accept_changes)


IMPORT_OPTIONS: tuple[Option, ...] = (
    (("document",), {"type": Path, "metavar": "DOCUMENT", "help": "a .docx or .odt file"}),
    (
        ("--name",),
        {
            "default": None,
            "help": f"the letter's name: writes {SOURCES}/NAME/NAME{LETTER_SUFFIX} "
            "(default: from the document's file name)",
        },
    ),
    (
        ("--accept-changes",),
        {"action": "store_true", "help": "accept the document's tracked changes"},
    ),
)


def _extract(a: argparse.Namespace) -> Request:
    from klpublish.catalogs.commands import ExtractRequest

    return ExtractRequest(tuple(a.source), a.locales, a.output)


def _update(a: argparse.Namespace) -> Request:
    from klpublish.catalogs.commands import UpdateRequest

    return UpdateRequest(tuple(a.template), a.locales, tuple(a.compendium))


def _init(a: argparse.Namespace) -> Request:
    from klpublish.catalogs.commands import InitRequest

    return InitRequest(a.lang, tuple(a.template), a.locales, tuple(a.compendium))


def _publish(a: argparse.Namespace) -> Request:
    formats = tuple(a.format) or FORMATS
    return PublishRequest(_scope(a), tuple(a.lang), formats, a.threshold, not a.no_index, a.jobs)


UI: Option = (
    ("--ui",),
    {"default": "da", "metavar": "LANG", "help": "the reviewer's language (default: da)"},
)


def _review(a: argparse.Namespace) -> Request:
    from klpublish.build.review_page import ReviewRequest

    return ReviewRequest(_scope(a), tuple(a.langs), a.ui, a.threshold)


@dataclass(frozen=True)
class Command:
    help: str
    options: tuple[Option, ...]
    request: Callable[[argparse.Namespace], Request]
    description: str = ""


COMMANDS = {
    "import": Command(
        "make a letter of a Word (.docx) or OpenDocument (.odt) file, its pictures beside it",
        IMPORT_OPTIONS,
        _import,
    ),
    "extract": Command(
        "write each letter's translation template (.pot)", (SOURCE, LOCALES, OUTPUT), _extract
    ),
    "update": Command(
        "merge each letter's template into its .po in every language (a new letter gets "
        "a .po in each); new entries are filled from translation memory",
        (TEMPLATE, LOCALES, COMPENDIUM),
        _update,
    ),
    "init": Command(
        "add a language: a .po for each letter, filled from translation memory",
        (TEMPLATE, LOCALES, COMPENDIUM, (("lang",), {})),
        _init,
    ),
    "publish": Command(
        "build HTML, EPUB and PDF for every language",
        (SOURCE, LOCALES, OUT, THRESHOLD, LANG, FORMAT, NO_INDEX, JOBS),
        _publish,
    ),
    "index": Command(
        "write OUT/index.html from what is published",
        (SOURCE, LOCALES, OUT, THRESHOLD),
        lambda a: IndexRequest(_scope(a), a.threshold),
    ),
    "status": Command(
        "how far each language is translated",
        (SOURCE, LOCALES, THRESHOLD, MIN, JSON),
        lambda a: StatusRequest(_scope(a), a.threshold, a.min, a.json),
    ),
    "lint": Command(
        "check translations against the source and the language's glossary",
        (SOURCE, LOCALES, (("langs",), {"nargs": "*", "metavar": "LANG"})),
        lambda a: LintRequest(_scope(a), tuple(a.langs)),
        LINT_DESCRIPTION,
    ),
    "review": Command(
        "write OUT/review/<name>.<lang>.html: the Danish and each translation side by side",
        (SOURCE, LOCALES, OUT, THRESHOLD, UI, (("langs",), {"nargs": "*", "metavar": "LANG"})),
        _review,
    ),
    "check": Command(
        "run every accessibility checker on the outputs",
        (SOURCE, LOCALES, OUT),
        lambda a: CheckRequest(_scope(a)),
    ),
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="klpublish",
        description="Publish letters in every reader's language. Each letter "
        f"{SOURCES}/<name>{LETTER_SUFFIX} (or {SOURCES}/<name>/<name>{LETTER_SUFFIX}, with the "
        "files it uses beside it) has its own catalogs, LOCALES/<lang>/LC_MESSAGES/<name>.po, "
        "and outputs, OUT/<lang>/<name>.<lang>.{html,epub,pdf}; OUT/index.html lists them all.",
    )
    parser.add_argument("--version", action="version", version=f"klpublish {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, command in COMMANDS.items():
        one = sub.add_parser(
            name, help=command.help, description=command.description or command.help
        )
        for names, keywords in command.options:
            one.add_argument(*names, **keywords)
    return parser


def run(argv: Sequence[str]) -> tuple[list[str], int]:
    """Run one command; return the lines to print and the exit code. A bad setting
    in the environment stops every command before it starts."""
    args = _parser().parse_args(argv)
    request = COMMANDS[args.command].request(args)
    settings.check_environment()
    return request.run(lambda line: print(line, flush=True))


def _one_line(exc: BaseException) -> tuple[str, int]:
    """What a user is told, and the exit code, for an error ``run`` can meet."""
    if isinstance(exc, SettingError):
        return str(exc), 2
    if isinstance(exc, KlpublishError):
        return str(exc), 1
    if isinstance(exc, OSError):
        where = f"{display_path(Path(exc.filename))}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}", 1
    if isinstance(exc, MemoryError):
        return "out of memory", 1
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read", 1
    return "interrupted", 130  # KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    try:
        lines, code = run(sys.argv[1:] if argv is None else argv)
    except (KlpublishError, OSError, MemoryError, RecursionError, KeyboardInterrupt) as exc:
        message, code = _one_line(exc)
        print(f"klpublish: error: {message}", file=sys.stderr)
        return code
    for line in lines:
        print(line, file=sys.stderr if code else sys.stdout)
    return code


def entry() -> None:
    code = main()
    # Everything the run made is freed as the process ends; Python's collections
    # at exit would first walk all of it (a letter's publish: 30 ms of 650 ms).
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    entry()
