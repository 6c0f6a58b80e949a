"""One set of checks for every translation: a letter's catalog, the layout's
words and translation memory ask the same checkers and the same limits, and
say a problem the same way; msgfmt runs in one place, with one deadline."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from klpublish.__main__ import main
from test_memory import OWN, POT, second, write_compendium
from test_translation_checks import put_translation

__all__ = ["second"]  # the fixture, shared with test_memory

BRACKETS = "[" * 30


def test_memory_refuses_brackets_as_lint_does(
    second: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bracket guard (``budgets.bracket_problem``): what lint says of a
    msgstr, memory says of the same msgstr it will not offer."""
    line = put_translation("Vi glæder os", f"We look forward {BRACKETS} to working with you.")
    assert main(["lint", "en"]) == 1
    said = capsys.readouterr().err
    found = re.search(rf"letter\.po:{line}: (msgstr has 30 more .*)", said)
    assert found, said
    comp = write_compendium(tmp_path / "hostile.po", {OWN: f"Ein {BRACKETS} Abschnitt."})
    assert main(["init", "de", "--template", POT, "--compendium", str(comp)]) == 0
    assert f"warning: not used as memory: {found.group(1)}" in capsys.readouterr().out


def test_the_layout_words_and_the_letters_share_one_registry() -> None:
    """Each checker is listed once, with the catalogs it judges; a problem the
    two share is said alike, at its place, with one severity."""
    from klpublish.catalogs.labels import check_label
    from klpublish.errors import Location, Problem, Severity, located
    from klpublish.translation.checkers import CHECKERS, Catalogs, check_pair
    from klpublish.translation.pair import Pair

    names = [checker.__name__ for checker, _ in CHECKERS]
    assert len(names) == len(set(names))
    layout = [c.__name__ for c, judges in CHECKERS if Catalogs.LAYOUT in judges]
    assert layout == [
        "placeholders_kept",
        "characters_allowed",
        "visible_text",
        "spaces_consistent",
        "final_punctuation",
    ]
    for msgstr, severity in (
        ("Side\u202e {page}", Severity.ERROR),
        ("Side {page} ", Severity.WARNING),
    ):
        label = check_label("Side {page}", msgstr)
        letter = check_pair(Pair("Side {page}", [], msgstr, []), Catalogs.BOTH)
        assert [(p.message, p.severity) for p in label] == [(p.message, p.severity) for p in letter]
        assert [p.severity for p in label] == [severity]
        errors, warnings = located(label, Location("klpublish.po", 7))
        said = errors if severity is Severity.ERROR else warnings
        assert [str(e) for e in said] == [f"klpublish.po:7: {label[0].message}"]
    assert issubclass(type(check_label("Side", "Side\u202e")[0]), Problem)


HUNG_GATE_MSGFMT = """
import sys
from functools import partial
from klpublish.gate.findings import Finding, guard
from klpublish.gate.run import _msgfmt
from klpublish.project import DEFAULT_SOURCE, Layout
finding = guard(
    Finding("msgfmt", "de", "po", "", letter="letter"),
    partial(_msgfmt, Layout(DEFAULT_SOURCE), "de"),
)
print(finding.error)
"""


def test_the_gates_msgfmt_is_the_builds_with_its_deadline(project: Path, tmp_path: Path) -> None:
    """A msgfmt that never ends is stopped after ``KLPUBLISH_MSGFMT_DEADLINE``
    in the gate as in the build (the gate once ran its own, for 900 s)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "msgfmt").write_text("#!/bin/sh\nexec sleep 600\n")
    (bin_dir / "msgfmt").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "KLPUBLISH_MSGFMT_DEADLINE": "1",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", HUNG_GATE_MSGFMT],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert "letter.po: msgfmt took more than 1 s and was stopped" in out, out
