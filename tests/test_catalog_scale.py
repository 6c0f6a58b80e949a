"""Catalogs at scale: a template of many identical segments is made in time (and as
Babel would make it), and a catalog whose string spans many lines is read in time.

A letter may repeat one short text thousands of times (a list of "Ja.", a table of
"–"): the template holds it once, with every place it occurs. A translator's file
may wrap one string over a hundred thousand lines. No time is asserted: the work
runs under a deadline far above what it needs (``bench/identical_segments.py``
measures the first)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from klpublish.catalogs.po import serialise, template_catalog
from klpublish.segments.messages import Message

DEADLINE = 60
"""Seconds: 100,000 occurrences take about half a second, reading the catalog of
160,000 lines and refusing its msgstr about three seconds."""


def test_a_hundred_thousand_occurrences_of_one_text_make_a_template_in_time() -> None:
    script = textwrap.dedent(
        """
        from klpublish.catalogs.po import serialise, template_catalog
        from klpublish.segments.messages import Message

        messages = [Message("Ja.", None, 30 + n, "List item", None) for n in range(100_000)]
        catalog = template_catalog(messages, "source/letter.da.md")
        [entry] = [m for m in catalog if m.id]
        print(len(entry.locations), len(serialise(catalog)) > 2_000_000)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=DEADLINE
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["100000", "True"]


def test_a_template_of_repeated_texts_is_the_one_babel_makes_message_by_message() -> None:
    site = None
    occurrences = [
        ("Ja.", None, "List item"),
        ("Nej.", None, "List item"),
        ("Ja.", None, "Table cell"),
        ("Ja.", "heading", "Heading"),
        ("Ja.", None, "List item"),
        ("Nej.", None, "Paragraph"),
        ("Ja.", "heading", "Heading"),
    ]
    messages = [
        Message(msgid, context, 10 + n, comment, site)
        for n, (msgid, context, comment) in enumerate(occurrences)
    ]
    ours = template_catalog(messages, "source/letter.da.md")
    babel = Catalog(
        project=ours.project,
        version=ours.version,
        copyright_holder=ours.copyright_holder,
        msgid_bugs_address=ours.msgid_bugs_address,
        creation_date=ours.creation_date,
        header_comment=ours.header_comment,
        charset="utf-8",
        fuzzy=False,
    )
    for m in messages:
        babel.add(
            m.msgid,
            locations=[("source/letter.da.md", m.line)],
            auto_comments=[m.comment],
            context=m.context,
        )
    assert serialise(ours) == serialise(babel)
    assert [(m.id, m.context, m.locations) for m in ours] == [
        (m.id, m.context, m.locations) for m in babel
    ]


@pytest.mark.slow
def test_a_msgstr_of_160000_lines_is_read_and_refused_in_time(project: Path) -> None:
    """12 MB under the catalog cap: polib, given each line, took 83 s to read it."""
    po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    text = po.read_text(encoding="utf-8")
    wrapped = "".join(f'"{"ord " * 19}ab"\n' for _ in range(160_000))
    po.write_text(
        text.replace('msgstr "Mit freundlichen Grüßen"\n', f'msgstr ""\n{wrapped}', 1),
        encoding="utf-8",
    )
    lines = po.read_text(encoding="utf-8").splitlines()
    msgid = lines.index('msgid "Venlig hilsen"') + 1
    done = subprocess.run(
        [sys.executable, "-m", "klpublish", "lint", "de"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert done.returncode == 1, done.stderr
    said = f"locale/de/LC_MESSAGES/letter.po:{msgid}: msgstr is 12,480,000 characters"
    assert said in done.stdout + done.stderr


@pytest.mark.slow
def test_a_header_of_300000_fields_is_read_and_located_in_time(project: Path) -> None:
    """Each field's line is found in one pass over the header, however many it has."""
    po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"
    notes = "".join(f'"X-Note-{n}: a note a tool keeps\\n"\n' for n in range(300_000))
    text = po.read_text(encoding="utf-8").replace(
        '"Language: de\\n"\n', notes + '"Language: fr\\n"\n'
    )
    po.write_text(text, encoding="utf-8")
    line = text.splitlines().index('"Language: fr\\n"') + 1
    done = subprocess.run(
        [sys.executable, "-m", "klpublish", "lint", "de"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=DEADLINE,
    )
    assert done.returncode == 1, done.stderr
    said = f"locale/de/LC_MESSAGES/letter.po:{line}: header says Language: fr, but the file is in"
    assert said in done.stdout + done.stderr
