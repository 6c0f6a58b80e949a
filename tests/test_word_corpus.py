"""Pandoc's own Word test documents through ``klpublish import``: each becomes
a letter that publishes (its title filled in where the document has none), or
is refused with the reason ``docx/pandoc/MANIFEST.tsv`` gives."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from klpublish.__main__ import main

HERE = Path(__file__).resolve().parent / "docx" / "pandoc"
FOLDER = Path(os.environ.get("KLPUBLISH_PANDOC_DOCX", HERE))


def manifest() -> list[tuple[str, str, str]]:
    rows = []
    for line in (HERE / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, outcome, reason = [*line.split("\t"), ""][:3]
            rows.append((name, outcome, reason))
    return rows


@pytest.mark.slow
@pytest.mark.skipif(
    not any(FOLDER.glob("*.docx")), reason="pandoc's test/docx documents are not here"
)
def test_each_pandoc_document_is_a_letter_or_refused_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = manifest()
    assert {name for name, _, _ in rows} == {p.name for p in FOLDER.glob("*.docx")}
    wrong = []
    for name, outcome, reason in rows:
        said = io.StringIO()
        with contextlib.redirect_stderr(said), contextlib.redirect_stdout(io.StringIO()):
            code = main(["import", str(FOLDER / name)])
        message = said.getvalue().strip().split(f"{name}: ", 1)[-1]
        got = "letter" if code == 0 else "refused"
        if got != outcome or (reason and not message.startswith(reason)):
            wrong.append(f"{name}: expected {outcome} {reason!r}, got {got} {message!r}")
    assert not wrong, "\n".join(wrong)
    for letter in Path("source").glob("*/*.da.md"):
        text = letter.read_text(encoding="utf-8")
        if not re.search(r"^title:", text, re.MULTILINE):
            text = re.sub(r"^# title:.*$", "title: Importeret brev", text, count=1, flags=re.M)
            letter.write_text(text, encoding="utf-8")
    assert main(["publish", "--format", "html", "--no-index"]) == 0
