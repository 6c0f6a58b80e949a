"""The catalog commands, ``extract``, ``update`` and ``init``: what each says and
its exit code (the work itself is ``catalog_tasks``'). A letter, template or
catalog that fails is said under ``failed:``; the others are written."""

from __future__ import annotations

import argparse

from klpublish.catalogs import tasks
from klpublish.errors import KlpublishError, display_path
from klpublish.project import DEFAULT_OUT, DEFAULT_SOURCE, letter_layouts


def run_catalog_command(args: argparse.Namespace) -> tuple[list[str], int]:
    if args.command == "extract":
        return _extract(args)
    refused: list[tasks.Failed] = []
    templates = args.template
    if not templates:
        templates, refused = tasks.templates(args.locales)
    if args.command == "update":
        outcome = tasks.update_catalogs(templates, args.locales, args.compendium)
    else:
        outcome = tasks.init_language(args.lang, templates, args.locales, args.compendium)
    lines = [str(w) for w in outcome.written]
    if args.command == "update" and not lines and not outcome.failed:
        lines = ["no catalogs found"]
    failed = [*refused, *outcome.failed]
    if failed:
        said = [f"  {line}" for f in failed for line in str(f).splitlines()]
        return [*lines, "failed:", *said], 1
    return lines, 0


def _extract(args: argparse.Namespace) -> tuple[list[str], int]:
    """Each letter's template; a letter that cannot be read fails alone."""
    # --output alone is the single-letter form: the first letter's template.
    if args.output is not None and not args.source:
        args.source = [DEFAULT_SOURCE]
    layouts, refused = letter_layouts(args.source, args.locales, DEFAULT_OUT)
    if args.output is not None and len(layouts) + len(refused) != 1:
        raise KlpublishError("--output names one template: give one --source with it")
    if len(layouts) == 1 and not refused:  # one letter: its error is the run's
        one = layouts[0]
        return [str(tasks.extract_template(one.source, args.output or one.template))], 0
    lines = []
    failed = [line for exc in refused for line in (f"  {exc.location}: no template", f"    {exc}")]
    for one in layouts:
        try:
            lines.append(str(tasks.extract_template(one.source, one.template)))
        except KlpublishError as exc:
            failed += [f"  {one.name}: no template, {display_path(one.template)} left as it was",
                       f"    {exc}"]  # fmt: skip
    return ([*lines, "failed:", *failed], 1) if failed else (lines, 0)
