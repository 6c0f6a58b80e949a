"""What a cold read of the Word import, the review pages and the build records
found: a damaged part, a change mark in deleted text, a damaged record, review
pages the index did not follow, a language folder that names no language, and
fields to fill in that a publish with nothing to do left unsaid."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from helpers import copy_project
from klpublish.__main__ import main
from test_word_hostile import CHANGE_INFO, imported, opendocument
from word_documents import new_document

DE_HTML = ["--lang", "de", "--format", "html"]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = copy_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def test_a_damaged_part_is_refused_not_a_traceback(here: Path) -> None:
    document = new_document()
    document.add_paragraph("Brev", "Title")
    document.add_paragraph("Kære borger, her er teksten.")
    document.save("whole.docx")
    with zipfile.ZipFile("whole.docx") as source, zipfile.ZipFile("bad.docx", "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    stored = Path("bad.docx").read_bytes()
    assert stored.count(b"her er") == 1
    # Stored, not deflated: a letter changed in place no longer matches its CRC.
    Path("bad.docx").write_bytes(stored.replace(b"her er", b"her Er"))
    code, said = imported(here / "bad.docx")
    assert code == 1, said
    assert "bad.docx: part word/document.xml cannot be unpacked" in said
    assert "Traceback" not in said


def test_a_change_mark_in_deleted_text_is_named_not_a_traceback(here: Path) -> None:
    changes = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        f'{CHANGE_INFO}<text:p>Slettet <text:change text:change-id="c1"/>tekst</text:p>'
        "</text:deletion></text:changed-region></text:tracked-changes><text:p>Tekst.</text:p>"
    )
    code, said = imported(opendocument(here / "brev.odt", changes))
    assert code == 1, said
    assert "holds tracked changes" in said and "Traceback" not in said


def test_a_damaged_record_is_no_record(here: Path) -> None:
    assert main(["publish", *DE_HTML]) == 0
    (record,) = Path("build/.cache").glob("letter.letter.all.json")
    facts = json.loads(record.read_text(encoding="utf-8"))
    facts["languages"]["de"]["percent"] = "x"
    record.write_text(json.dumps(facts), encoding="utf-8")
    assert main(["publish", *DE_HTML]) == 0
    assert main(["status"]) == 0
    (status,) = Path("build/.cache").glob("status.letter.all.json")
    facts = json.loads(status.read_text(encoding="utf-8"))
    facts["rows"][0]["bogus"] = 1
    status.write_text(json.dumps(facts), encoding="utf-8")
    assert main(["status"]) == 0


def test_the_index_follows_the_review_pages(here: Path) -> None:
    assert main(["publish", *DE_HTML]) == 0
    assert main(["review", "de"]) == 0
    assert main(["publish", *DE_HTML]) == 0
    assert "review/letter.de.html" in Path("build/index.html").read_text(encoding="utf-8")
    Path("build/review/letter.de.html").unlink()
    assert main(["publish", *DE_HTML]) == 0
    assert "review/letter.de.html" not in Path("build/index.html").read_text(encoding="utf-8")


def test_a_language_folder_that_names_no_language_does_not_break_the_index(here: Path) -> None:
    assert main(["publish", *DE_HTML]) == 0
    odd = Path("locale/zz/LC_MESSAGES")
    odd.mkdir(parents=True)
    (odd / "letter.po").write_bytes(Path("locale/de/LC_MESSAGES/letter.po").read_bytes())
    Path("build/review").mkdir(exist_ok=True)
    Path("build/review/letter.zz.html").write_text("<!DOCTYPE html>", encoding="utf-8")
    assert main(["index"]) == 0


def test_a_publish_with_nothing_to_do_still_names_the_fields_to_fill_in(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = Path("source/letter.da.md")
    text = letter.read_text(encoding="utf-8")
    line = next(
        n for n, one in enumerate(text.splitlines(), start=1) if one.startswith("recipient:")
    )
    lines = text.splitlines()
    lines[line - 1] = "# recipient: who the letter is to -- not in the document: fill in"
    letter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    said = f"source/letter.da.md:{line}: warning: 'recipient' is not filled in"
    for _ in range(2):  # the second run has nothing to do
        capsys.readouterr()
        assert main(["publish", *DE_HTML]) == 0
        out = capsys.readouterr()
        assert said in out.out + out.err
