"""The command line: ``klpublish extract | update | init | publish | index | status |
lint | check``."""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from klpublish import __version__
from klpublish.build.output_folder import claim
from klpublish.errors import CatalogError, KlpublishError, display_path
from klpublish.project import (
    DEFAULT_LOCALES,
    DEFAULT_OUT,
    DEFAULT_THRESHOLD,
    FORMATS,
    LETTER_SUFFIX,
    SOURCES,
    Layout,
    letter_layouts,
    scan_letters,
)


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


_COMMON: dict[str, dict[str, Any]] = {
    "source": {
        "type": Path,
        "action": "append",
        "default": [],
        "metavar": "PATH",
        "help": f"the letter (repeatable; default: every {SOURCES}/<name>{LETTER_SUFFIX})",
    },
    "locales": {"type": Path, "default": DEFAULT_LOCALES},
    "template": {
        "type": Path,
        "action": "append",
        "default": [],
        "metavar": "POT",
        "help": "a letter's template (repeatable; default: every LOCALES/<name>.pot)",
    },
    "out": {"type": Path, "default": DEFAULT_OUT},
    "threshold": {
        "type": _percent,
        "default": DEFAULT_THRESHOLD,
        "metavar": "PERCENT",
        "help": "publish a language only when at least this much is translated",
    },
}
"""Options several commands share, with the same meaning and default everywhere."""


_COMPENDIUM: dict[str, Any] = {
    "action": "append",
    "type": Path,
    "default": [],
    "metavar": "FILE",
    "help": "a .po of earlier translations (its Language header says which catalogs it "
    "fills) to use as memory beside the language's other catalogs (repeatable). Untranslated "
    "entries get the translation of the same Danish text, or of similar text marked fuzzy "
    "(never published), with a '# memory:' comment saying where it came from",
}


def _command(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str, *common: str
) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=text, description=text)
    for option in common:
        parser.add_argument(f"--{option}", **_COMMON[option])
    return parser


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

    p = _command(
        sub, "extract", "write each letter's translation template (.pot)", "source", "locales"
    )
    p.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where (one letter only; default: LOCALES/<name>.pot)",
    )
    p = _command(
        sub,
        "update",
        "merge each letter's template into its .po in every language (a new letter gets "
        "a .po in each); new entries are filled from translation memory",
        "template",
        "locales",
    )
    p.add_argument("--compendium", **_COMPENDIUM)
    p = _command(
        sub,
        "init",
        "add a language: a .po for each letter, filled from translation memory",
        "template",
        "locales",
    )
    p.add_argument("--compendium", **_COMPENDIUM)
    p.add_argument("lang")

    p = _command(
        sub,
        "publish",
        "build HTML, EPUB and PDF for every language",
        "source",
        "locales",
        "out",
        "threshold",
    )
    p.add_argument(
        "--lang", action="append", default=[], metavar="L", help="only this language (repeatable)"
    )
    p.add_argument(
        "--format",
        action="append",
        default=[],
        choices=FORMATS,
        help="only this format (repeatable)",
    )
    p.add_argument("--no-index", action="store_true", help="do not write OUT/index.html")
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="languages built at once: a number, or 'auto' for every core (default: 1)",
    )
    _command(
        sub,
        "index",
        "write OUT/index.html from what is published",
        "source",
        "locales",
        "out",
        "threshold",
    )

    p = _command(
        sub, "status", "how far each language is translated", "source", "locales", "threshold"
    )
    p.add_argument(
        "--min",
        type=_percent,
        default=None,
        metavar="PERCENT",
        help="exit 1 when a language is translated less than this",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p = _command(
        sub,
        "lint",
        "check translations against the source and the language's glossary",
        "source",
        "locales",
    )
    p.description = (
        "Check each translated entry against the Danish: errors keep a language from being "
        "published, warnings do not. With locale/LANG/glossary.tbx (TBX), a translation "
        "whose Danish holds a glossary term, in any inflection, and that uses none of the "
        "term's allowed translations gets a warning; a glossary file that cannot be used "
        "is an error of lint (publishing goes on without it)."
    )
    p.add_argument("langs", nargs="*", metavar="LANG")
    _command(
        sub, "check", "run every accessibility checker on the outputs", "source", "locales", "out"
    )
    return parser


def _jobs(value: str) -> int:
    from klpublish.build.workers import parse_jobs

    try:
        return parse_jobs(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _layouts(args: argparse.Namespace) -> tuple[list[Layout], list[CatalogError]]:
    """The letters the command acts on (see ``layout.letter_layouts``)."""
    locales = getattr(args, "locales", DEFAULT_LOCALES)
    return letter_layouts(args.source, locales, getattr(args, "out", DEFAULT_OUT))


def _check(args: argparse.Namespace) -> tuple[list[str], int]:
    from klpublish.gate.run import run_gate
    from klpublish.gate.tools import node_project

    layouts, refused = _layouts(args)
    claim(layouts[0].out)
    report = run_gate(layouts, node_project(), progress=lambda line: print(line, flush=True))
    lines = report.table()
    for finding in report.failed:
        lines.append(f"{finding.checker} {finding.lang} {finding.fmt} {finding.file}:")
        lines.extend(f"  {p}" for p in finding.problems)
        if finding.error:
            lines.append(f"  could not run: {finding.error}")
    lines.append(f"reports: {display_path(layouts[0].project.reports)}/")
    lines.extend(f"not checked: {exc}" for exc in refused)
    return lines, 1 if report.failed or refused else 0


def _status(args: argparse.Namespace) -> tuple[list[str], int]:
    import json

    from klpublish.build.status import collect_status, format_table

    layouts, refused = _layouts(args)
    claim(layouts[0].out)  # the build cache records each verdict there
    lines: list[str] = []
    found: list[dict[str, object]] = []
    below = []
    failed = [str(exc) for exc in refused]
    for layout in layouts:
        try:  # a letter that cannot be read is its own error; the others are counted
            rows = collect_status(layout, args.threshold)
        except KlpublishError as exc:
            failed.append(str(exc))
            continue
        below += [
            (layout, r)
            for r in rows
            if args.min is not None and r.reason != "source" and r.percent < args.min
        ]
        found += [{"letter": layout.name, **r.as_dict()} for r in rows]
        if len(layouts) > 1:  # one letter's table reads as it always did
            lines += [*([""] if lines else []), f"{layout.name} ({display_path(layout.source)}):"]
        lines += format_table(rows)
    if args.json:
        lines = [json.dumps(found, ensure_ascii=False, indent=2)]
    named = len(layouts) > 1
    lines.extend(
        f"{f'{layout.name} ' if named else ''}{r.lang}: {r.percent:.0f}% is below "
        f"--min {args.min:.0f}%"
        for layout, r in below
    )
    return [*lines, *failed], 1 if below or failed else 0


def _lint(args: argparse.Namespace) -> tuple[list[str], int]:
    from klpublish.build.assessment import assess_languages
    from klpublish.catalogs.glossary import GlossaryUnreadable
    from klpublish.letter.read import read_letter

    layouts, refused = _layouts(args)
    claim(layouts[0].out)  # the build cache records each verdict there
    lines = [str(exc) for exc in refused]
    errors = len(refused)
    seen: set[str] = set()
    for layout in layouts:
        try:  # a letter that cannot be read is its own error; the others are linted
            letter = read_letter(layout.source)
        except KlpublishError as exc:
            lines.append(str(exc))
            errors += 1
            continue
        assessed = assess_languages(letter, layout, threshold=0.0)
        seen.update(assessed)
        for lang, a in assessed.items():
            if lang == letter.lang or (args.langs and lang not in args.langs):
                continue
            lines.extend(a.errors)
            errors += len(a.errors)
            for w in a.warnings:
                if not isinstance(w, GlossaryUnreadable):
                    lines.append(f"{w.location}: warning: {w.message}")
                    continue
                said = f"{w.location}: glossary not used: {w.message}"
                if said not in lines:  # the translator's file, theirs to fix: said once
                    lines.append(said)
                    errors += 1
    unknown = [lang for lang in args.langs if lang not in seen]
    if unknown:
        raise KlpublishError(f"no catalog for {', '.join(unknown)} under {args.locales}")
    lines.append(f"{errors} error(s)" if errors else "no errors")
    return lines, 1 if errors else 0


def _index_layouts(layouts: list[Layout]) -> list[Layout]:
    """The letters the index lists: those just acted on, and every other letter in
    the source folder that has outputs in OUT."""
    names = {one.name for one in layouts}
    others = [layouts[0].for_letter(source) for source in scan_letters(SOURCES)[0]]
    others = [o for o in others if o.name not in names]
    return [
        *layouts,
        *(o for o in others if next(o.out.glob(f"*/{o.output_name('*', '*')}"), None)),
    ]


def _publish(args: argparse.Namespace) -> tuple[list[str], int]:
    from klpublish.build.workers import Workers

    layouts, refused = _layouts(args)
    layout = layouts[0]
    if args.command == "index":
        from klpublish.build.publish import write_index

        path, changed, problems = write_index(_index_layouts(layouts), args.threshold)
        problems += [f"not on the index: {exc}" for exc in refused]
        said = [f"{'wrote' if changed else 'unchanged'} {display_path(path)}", *problems]
        return said, 1 if problems else 0
    # Workers and pandoc start first, and get going while Python imports the rest;
    # no more workers than languages (the source's, and one per catalog).
    langs = len(args.lang) or len(layout.project.project_languages()) + 1
    lines: list[str] = []
    failed = [
        line for exc in refused for line in (f"  {exc.location}: not published", f"    {exc}")
    ]
    several = len(layouts) + len(refused) > 1
    reports = []
    with Workers(min(args.jobs, langs)) as workers:
        from klpublish.pandoc import engine

        engine()
        from klpublish.build.publish import publish, write_index

        for one in layouts:
            try:
                report = publish(
                    one,
                    langs=args.lang,
                    missing_ok=several,
                    formats=args.format or FORMATS,
                    threshold=args.threshold,
                    progress=lambda line: print(line, flush=True),
                    workers=workers,
                )
            except KlpublishError as exc:
                if not several:  # one letter: its error is the run's, said as ever
                    raise
                # This letter fails; the others go on.
                failed += [f"  {one.name}: not published, earlier outputs left as they were",
                           f"    {exc}"]  # fmt: skip
                continue
            reports.append(report)
            named = f"{one.name} " if several else ""
            lines += [f"{named}{r.lang}: {r.note}" for r in report.languages if r.note]
            for result in report.failed:
                failed.append(
                    f"  {named}{result.lang}: not published, earlier outputs left as they were"
                )
                failed.extend(f"    {error}" for error in result.errors)
    built = {r.lang for report in reports for r in report.languages}
    missing = [lang for lang in args.lang if lang not in built]
    if missing and several:
        failed.append(f"  no letter has a catalog for {', '.join(missing)}")
    if not args.no_index and reports:
        # A letter that failed to publish has already said why.
        published = [r.layout for r in reports]
        listed = [o for o in _index_layouts(layouts) if o in published or o not in layouts]
        path, changed, problems = write_index(listed, args.threshold, reports)
        lines.append(f"{'wrote' if changed else 'unchanged'} {display_path(path)}")
        failed += [f"  {problem}" for problem in problems]
    if failed:
        return [*lines, "failed:", *failed], 1
    return lines, 0


def run(argv: Sequence[str]) -> tuple[list[str], int]:
    """Run one command; return the lines to print and the exit code."""
    args = _parser().parse_args(argv)
    if args.command in ("extract", "update", "init"):
        from klpublish.catalogs.commands import run_catalog_command

        return run_catalog_command(args)
    if args.command in ("publish", "index"):
        return _publish(args)
    if args.command == "status":
        return _status(args)
    if args.command == "lint":
        return _lint(args)
    if args.command == "check":
        return _check(args)
    raise AssertionError(args.command)  # pragma: no cover - argparse refuses others


def _one_line(exc: BaseException) -> tuple[str, int]:
    """What a user is told, and the exit code, for an error ``run`` can meet."""
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
    sys.exit(main())


if __name__ == "__main__":
    entry()
