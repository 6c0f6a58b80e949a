"""The command line: ``klpublish extract | update | init``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .errors import KlpublishError
from .layout import DEFAULT_LOCALES, DEFAULT_SOURCE, DEFAULT_TEMPLATE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="klpublish", description="Publish one letter in every reader's language."
    )
    parser.add_argument("--version", action="version", version=f"klpublish {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="write the translation template (.pot) from the letter")
    p.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    p.add_argument("--output", type=Path, default=DEFAULT_TEMPLATE)

    p = sub.add_parser("update", help="merge the template into every language's .po")
    p.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    p.add_argument("--locales", type=Path, default=DEFAULT_LOCALES)

    p = sub.add_parser("init", help="add a language")
    p.add_argument("lang")
    p.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE)
    p.add_argument("--locales", type=Path, default=DEFAULT_LOCALES)
    return parser


def run(argv: Sequence[str]) -> tuple[list[str], int]:
    """Run one command; return the lines to print and the exit code."""
    from . import catalog_tasks

    args = _parser().parse_args(argv)
    if args.command == "extract":
        return [str(catalog_tasks.extract_template(args.source, args.output))], 0
    if args.command == "update":
        written = catalog_tasks.update_catalogs(args.template, args.locales)
        return [str(w) for w in written] or ["no catalogs found"], 0
    if args.command == "init":
        return [str(catalog_tasks.init_language(args.lang, args.template, args.locales))], 0
    raise AssertionError(args.command)  # pragma: no cover - argparse refuses others


def main(argv: Sequence[str] | None = None) -> int:
    try:
        lines, code = run(sys.argv[1:] if argv is None else argv)
    except KlpublishError as exc:
        print(f"klpublish: error: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    return code


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
