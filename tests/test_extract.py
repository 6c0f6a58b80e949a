"""Extraction takes any document pandoc reads; publishing asks more of a letter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog

DOCS = Path(__file__).parent / "roundtrip-docs"


def test_extract_takes_a_document_without_front_matter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pandoc title block instead of YAML, a heading at level 3 first, relative
    links, citations: all of it pandoc reads, so all of it is extracted."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(DOCS / "own" / "no-front-matter.md", "doc.md")
    assert main(["extract", "--source", "doc.md", "--output", "doc.pot"]) == 0
    catalog = load_catalog(Path("doc.pot"))  # msgfmt -c accepts it
    ids = [m.id for m in catalog if m.id]
    assert "Et dokument uden YAML" in ids  # the title block's title
    assert "Overskrift på niveau 3 først" in ids
    assert any("[en relativ sti](../andet/dokument.md)" in i for i in ids)
    # Publishing the same document names what it lacks, with its place.
    assert main(["publish", "--source", "doc.md", "--locales", "none"]) == 1
    assert "doc.md:1: expected YAML front matter" in capsys.readouterr().err


def test_a_relative_link_out_of_the_folder_is_extracted_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Extraction reads any document; publishing refuses a link that leads out of
    the letter's folder (SECURITY.md), however the build would never read it."""
    monkeypatch.chdir(tmp_path)
    Path("source").mkdir()
    Path("source/letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\n---\n\n"
        "Se [det andet brev](../../andet/brev.html), [roden](/sti) og [mappen](../).\n",
        encoding="utf-8",
    )
    assert main(["extract"]) == 0
    assert main(["publish", "--locales", "none", "--format", "html"]) == 1
    assert (
        "source/letter.da.md:6: link ../../andet/brev.html points outside the letter's folder"
        in capsys.readouterr().err
    )


def test_raw_html_may_not_read_a_file_outside_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Pandoc embeds what raw HTML's ``src`` names, as it embeds images."""
    monkeypatch.chdir(tmp_path)
    Path("secret.png").write_bytes(b"not for the reader")
    Path("source").mkdir()
    Path("source/letter.da.md").write_text(
        "---\ntitle: Et brev\nlang: da\n---\n\nTekst.\n\n"
        'Og et billede <img src="../secret.png" alt="hemmelig" /> her.\n',
        encoding="utf-8",
    )
    assert main(["extract"]) == 0
    assert main(["publish", "--locales", "none"]) == 1
    err = capsys.readouterr().err
    assert (
        'source/letter.da.md:8: raw HTML is not allowed in a letter (<img src="../secret.png"'
        in err
    ), err
    assert not Path("build").exists()
