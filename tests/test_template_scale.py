"""A template of many identical segments is made in time, and as Babel would make it.

A letter may repeat one short text thousands of times (a list of "Ja.", a table of
"–"): the template holds it once, with every place it occurs. No time is asserted:
the work runs under a deadline far above what it needs (``bench/identical_segments.py``
measures it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from babel.messages.catalog import Catalog

from klpublish.catalog import serialise, template_catalog
from klpublish.extract import Message

DEADLINE = 60
"""Seconds: 100,000 occurrences take about half a second."""


def test_a_hundred_thousand_occurrences_of_one_text_make_a_template_in_time() -> None:
    script = textwrap.dedent(
        """
        from klpublish.catalog import serialise, template_catalog
        from klpublish.extract import Message

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
