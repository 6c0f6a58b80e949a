"""A catalog is not rewritten for a date: a template extracted again at another time
leaves every catalog as it is (``make`` stays incremental, a translator's file does not
change under them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klpublish.__main__ import main


def test_a_new_creation_date_alone_rewrites_no_catalog(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    catalogs = {p: p.read_bytes() for p in Path("locale").rglob("*.po")}
    pot = Path("locale/letter.pot")
    text = pot.read_text(encoding="utf-8")
    later, count = re.subn(
        r'"POT-Creation-Date: [^"]*\\n"',
        lambda _: '"POT-Creation-Date: 2031-05-06 07:08+0000\\n"',
        text,
    )
    assert count == 1 and later != text
    pot.write_text(later, encoding="utf-8")
    capsys.readouterr()
    assert main(["update"]) == 0
    out = capsys.readouterr().out
    assert "updated" not in out.replace("not changed", ""), out
    assert {p: p.read_bytes() for p in Path("locale").rglob("*.po")} == catalogs
