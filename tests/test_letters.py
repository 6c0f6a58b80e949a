"""Many letters in one project: a second letter in ``source/`` is published beside the
first, with its own catalogs, outputs, switcher and place on the index page, and the
first letter's outputs do not change by a byte."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import html

from helpers import (
    ROOT,
    SECOND,
    SECOND_ENGLISH,
    add_second_letter,
    copy_project,
    copy_published,
    make,
    translate_entries,
)
from klpublish.__main__ import main
from klpublish.errors import CatalogError
from klpublish.letters import find_letters

LANGS = ("ar", "da", "de", "en", "fa", "pl", "tr", "uk")


def make_update(project: Path) -> None:
    make(project, "update")


def outputs(build: Path, name: str) -> dict[str, bytes]:
    return {
        str(p.relative_to(build)): p.read_bytes()
        for p in sorted(build.glob(f"*/{name}.*"))
        if p.suffix in (".html", ".epub", ".pdf")
    }


@pytest.fixture(scope="module")
def project(baseline: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project built once with its one letter (the run's baseline,
    which ``make publish`` finds up to date), then with a second."""
    root = copy_published(baseline, tmp_path_factory.mktemp("letters") / "two letters")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)  # copy2: the setup stays up to date
    (root / ".venv").symlink_to(ROOT / ".venv")
    make(root, "publish")
    shutil.copytree(root / "build", root / "first-build")
    add_second_letter(root, make_update)
    (root / "build-log.txt").write_text(make(root, "publish"), encoding="utf-8")
    return root


@pytest.mark.slow
def test_the_second_letter_gets_its_catalogs_from_update_with_memory(project: Path) -> None:
    for lang in ("en", "de", "uk", "ar", "tr", "pl", "fa"):
        po = (project / "locale" / lang / "LC_MESSAGES" / "second.po").read_text("utf-8")
        # The paragraphs both letters share arrive translated, each from the same
        # language's catalog of the first letter, and say whence.
        found = re.findall(
            r"# memory: exact match from (locale/\w+/LC_MESSAGES/letter\.po):\d+", po
        )
        assert found and set(found) == {f"locale/{lang}/LC_MESSAGES/letter.po"}, (lang, found)
    assert (project / "locale" / "second.pot").is_file()


@pytest.mark.slow
def test_both_letters_publish_and_the_first_is_byte_identical(project: Path) -> None:
    build = project / "build"
    assert outputs(build, "letter") == outputs(project / "first-build", "letter")
    second = outputs(build, "second")
    assert sorted(second) == [
        f"{lang}/second.{lang}.{fmt}" for lang in LANGS for fmt in ("epub", "html", "pdf")
    ]
    # Memory brought the shared paragraphs, which is above the threshold; what it
    # could not bring is shown in Danish, marked as Danish.
    german = html.parse(str(build / "de" / "second.de.html")).getroot()
    invitation = german.xpath("//main//p[contains(., 'Vi inviterer hermed')]")[0]
    words = invitation.xpath(".//text()[contains(., 'Vi inviterer')]")
    assert words[0].getparent().xpath("ancestor-or-self::*[@lang][1]/@lang") == ["da"]
    assert "KL ist" in german.text_content()  # the shared paragraph, in German
    log = (project / "build-log.txt").read_text("utf-8")
    assert "wrote build/en/second.en.html" in log
    assert not re.search(r"wrote build/\w+/letter\.", log), log


@pytest.mark.slow
def test_the_second_letter_has_its_own_image_and_switcher(project: Path) -> None:
    page = html.parse(str(project / "build" / "en" / "second.en.html")).getroot()
    image = page.xpath("//img")[0]
    assert image.get("src").startswith("data:image/png;base64,")
    assert image.get("alt") == SECOND_ENGLISH["Kort over vejen til Aalborg Kongres & Kultur Center"]
    switcher = sorted(page.xpath("//nav//a/@href"))
    assert switcher == [f"../{lang}/second.{lang}.html" for lang in LANGS], switcher
    first = html.parse(str(project / "build" / "en" / "letter.en.html")).getroot()
    assert "../de/letter.de.html" in first.xpath("//nav//a/@href")


@pytest.mark.slow
def test_the_index_lists_both_letters_newest_first_each_title_in_its_language(
    project: Path,
) -> None:
    index = html.parse(str(project / "build" / "index.html")).getroot()
    sections = index.xpath("//main/section")
    assert [s.xpath("string(.//h2)") for s in sections] == [
        "Invitation til KL's Kommunalpolitiske Topmøde",
        "Velkommen til det kommunalpolitiske arbejde og til KL",
    ]
    assert [s.xpath("string(.//time/@datetime)") for s in sections] == [
        "2018-02-01",
        "2018-01-10",
    ]
    second, first = sections
    assert second.xpath(".//tbody/tr/@lang") == ["da", "ar", "de", "en", "fa", "pl", "tr", "uk"]
    assert (
        second.xpath("string(.//tr[@lang='en']/td[1])")
        == SECOND_ENGLISH["Invitation til KL's Kommunalpolitiske Topmøde"]
    )
    assert "en/second.en.pdf" in second.xpath(".//a/@href")
    assert not [href for href in second.xpath(".//a/@href") if "letter." in href]
    assert len(first.xpath(".//tbody/tr")) == 8
    assert first.xpath("string(.//tr[@lang='de']/td[1])").startswith("Willkommen")
    # Memory had no German for the new title: it is shown in Danish, marked so.
    assert second.xpath(".//tr[@lang='de']/td[1]/span/@lang") == ["da"]


@pytest.mark.slow
def test_one_changed_catalog_rebuilds_one_letter_in_one_language(project: Path) -> None:
    assert "wrote" not in make(project, "publish")  # nothing changed, nothing written
    translate_entries(
        project / "locale" / "en" / "LC_MESSAGES" / "second.po",
        {"Invitation til KL's Kommunalpolitiske Topmøde": "Invitation to KL's summit"},
    )
    log = make(project, "publish")
    written = sorted(re.findall(r"wrote (build/\S+)", log))
    assert "up to date build/en/letter.en.html" in log  # not even made again
    # The index shows the file sizes: it changes with them.
    assert [w for w in written if w != "build/index.html"] == [
        "build/en/second.en.epub",
        "build/en/second.en.html",
        "build/en/second.en.pdf",
    ], log


def test_a_letter_lacking_a_wanted_language_is_left_out_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copytree(SECOND, root / "source" / "second")  # no catalogs yet
    monkeypatch.chdir(root)
    assert main(["publish", "--lang", "de", "--format", "html", "--no-index"]) == 0
    assert (root / "build" / "de" / "letter.de.html").is_file()
    assert not list((root / "build").glob("*/second.*"))
    capsys.readouterr()
    assert main(["publish", "--lang", "xx", "--format", "html", "--no-index"]) == 1
    assert "no letter has a catalog for xx" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (["same.da.md", "same/same.da.md"], "a second letter named 'same'"),
        (["Brev 1.da.md"], "is not a plain name"),
        (["klpublish.da.md"], "is the layout's words' domain"),
        (["brev\n.da.md"], "is not a plain name"),
    ],
)
def test_letter_names_that_would_share_or_break_paths_are_refused(
    tmp_path: Path, files: list[str], message: str
) -> None:
    for name in files:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("---\ntitle: x\n---\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as caught:
        find_letters(tmp_path)
    assert caught.value.location is not None
    assert caught.value.location.path.endswith(files[-1].split("/")[-1].strip())


def test_letters_are_found_beside_the_first_and_in_their_own_folders(tmp_path: Path) -> None:
    names = ("zeta.da.md", "letter.da.md", "alpha/alpha.da.md", "notes.md", "x/y/z.da.md")
    hidden = (".#letter.da.md", "._zeta.da.md", ".drafts/old.da.md")  # editors', macOS's
    for name in (*names, *hidden):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    found = [str(p.relative_to(tmp_path)) for p in find_letters(tmp_path)]
    assert found == ["letter.da.md", "alpha/alpha.da.md", "zeta.da.md"]


def test_a_broken_letter_fails_alone_and_the_index_lists_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "source" / "broken.da.md").write_text("---\ntitle: [x\n---\n\nTekst.\n", "utf-8")
    monkeypatch.chdir(root)
    assert main(["publish", "--lang", "en", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "broken: not published" in err and "source/broken.da.md:" in err
    index = html.parse(str(root / "build" / "index.html")).getroot()
    assert [s.xpath("string(.//h2)") for s in index.xpath("//main/section")] == [
        "Velkommen til det kommunalpolitiske arbejde og til KL"
    ]
    for command in (["lint", "en"], ["status"]):
        assert main(command) == 1
        out = capsys.readouterr()
        assert "source/broken.da.md:" in out.out + out.err
        assert "en" in out.out + out.err  # the first letter is still linted and counted


def test_a_template_that_is_no_letter_s_is_refused_before_any_catalog_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copy(ROOT / "locale" / "letter.pot", root / "locale" / "letter.2023.pot")
    before = (root / "locale" / "de" / "LC_MESSAGES" / "letter.po").read_bytes()
    monkeypatch.chdir(root)
    assert main(["update"]) == 1
    assert "locale/letter.2023.pot: is not a letter's template" in capsys.readouterr().err
    assert (root / "locale" / "de" / "LC_MESSAGES" / "letter.po").read_bytes() == before


def test_sources_given_twice_or_sharing_a_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = copy_project(tmp_path / "project")
    (root / "drafts").mkdir()
    shutil.copy(root / "source" / "letter.da.md", root / "drafts" / "letter.da.md")
    monkeypatch.chdir(root)
    assert (
        main(["status", "--source", "source/letter.da.md", "--source", "drafts/letter.da.md"]) == 1
    )
    assert "a second letter named 'letter'" in capsys.readouterr().err
    # The same letter twice is one letter.
    assert (
        main(["status", "--source", "source/letter.da.md", "--source", "source/letter.da.md"]) == 0
    )
    assert capsys.readouterr().out.count("Dansk") == 1


def test_extract_output_alone_still_writes_the_first_letter_s_template(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "project")
    shutil.copytree(SECOND, root / "source" / "second")
    monkeypatch.chdir(root)
    assert main(["extract", "--output", "x.pot"]) == 0
    assert (root / "x.pot").read_text("utf-8").count("source/letter.da.md") > 10
