"""One broken catalog, template, language folder or letter name fails alone: every
other language and letter goes on, the run names what failed and exits 1. And
``make publish`` works whatever the files under ``source/`` and ``locale/`` are
called."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import ROOT, copy_project, make
from klpublish.__main__ import main

NEW = "Dette er en helt ny sætning til prøven."
LANGS = ("ar", "de", "en", "fa", "pl", "tr", "uk")
SECOND = Path(__file__).parent / "letters" / "second"


def add_sentence() -> None:
    """A new paragraph in the first letter, so that update has something to do."""
    letter = Path("source/letter.da.md")
    letter.write_text(letter.read_text(encoding="utf-8") + f"\n{NEW}\n", encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def has_new(lang: str, name: str = "letter") -> bool:
    return NEW in Path(f"locale/{lang}/LC_MESSAGES/{name}.po").read_text(encoding="utf-8")


# -- catalogs -----------------------------------------------------------------------------


def test_a_broken_catalog_beside_the_others_fails_alone(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = Path("locale/de/LC_MESSAGES/junk.po")
    junk.write_text('garbage "\n', encoding="utf-8")
    add_sentence()
    assert main(["extract"]) == 0
    german = Path("locale/de/LC_MESSAGES/letter.po").read_bytes()
    code, _, err = run(capsys, "update")
    assert code == 1, err
    # German's memory is its other catalogs: the broken one is named, German's
    # catalog left as it was, and every other language updated.
    assert "locale/de/LC_MESSAGES/letter.po: not updated, left as it was" in err, err
    assert 'locale/de/LC_MESSAGES/junk.po:1: msgfmt: keyword "garbage" unknown' in err, err
    assert Path("locale/de/LC_MESSAGES/letter.po").read_bytes() == german
    assert junk.read_text(encoding="utf-8") == 'garbage "\n'
    assert all(has_new(lang) for lang in LANGS if lang != "de")
    # Publishing reads no memory: German is published.
    assert main(["publish", "--format", "html", "--lang", "de"]) == 0


@pytest.mark.parametrize(
    ("folder", "says"),
    [
        ("EN", "locale/EN: 'EN' is not a language code"),
        ("x y", "locale/x y: 'x y' is not a language code"),
        ("xx", "locale/xx: 'xx' is not a language Babel knows"),
    ],
)
def test_a_folder_that_is_no_language_fails_alone_in_update(
    project: Path, capsys: pytest.CaptureFixture[str], folder: str, says: str
) -> None:
    target = Path("locale") / folder / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy("locale/de/LC_MESSAGES/letter.po", target / "letter.po")
    before = (target / "letter.po").read_bytes()
    add_sentence()
    assert main(["extract"]) == 0
    code, _, err = run(capsys, "update")
    assert code == 1 and says in err, err
    assert f"  locale/{folder}: not a language, left as it was\n" in err, err
    assert (target / "letter.po").read_bytes() == before
    assert all(has_new(lang) for lang in LANGS)


def test_a_broken_template_fails_alone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Path("locale/second.pot").write_text('msgid "x"\nmsgstr "Broken\n', encoding="utf-8")
    add_sentence()
    assert main(["extract", "--source", "source/letter.da.md"]) == 0
    code, _, err = run(capsys, "update")
    assert code == 1, err
    assert "locale/second.pot: not used: no catalog updated" in err, err
    assert "locale/second.pot:3: msgfmt: end-of-line within string" in err, err
    assert all(has_new(lang) for lang in LANGS)
    assert not list(Path("locale").glob("*/LC_MESSAGES/second.po"))
    # A new language gets the catalogs of the letters whose templates are sound.
    code, _, err = run(capsys, "init", "sv")
    assert code == 1 and "locale/second.pot: not used: no catalog made" in err, err
    assert NEW in Path("locale/sv/LC_MESSAGES/letter.po").read_text(encoding="utf-8")
    assert Path("locale/sv/LC_MESSAGES/klpublish.po").is_file()


def test_init_with_every_template_broken_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not even the layout's words: ``init`` must be possible again once mended."""
    Path("locale/letter.pot").write_text('msgid "x"\nmsgstr "Broken\n', encoding="utf-8")
    code, _, err = run(capsys, "init", "sv")
    assert code == 1 and "locale/letter.pot: not used: no catalog made" in err, err
    assert not Path("locale/sv").exists()


# -- letter names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "bad", "says"),
    [
        (["brev-æø.da.md"], "source/brev-æø.da.md", "the letter's name 'brev-æø' is not a plain"),
        (["Second2.da.md"], "source/Second2.da.md", "the letter's name 'Second2' is not a plain"),
        (["Brev 1.da.md"], "source/Brev 1.da.md", "the letter's name 'Brev 1' is not a plain"),
        (
            ["klpublish.da.md"],
            "source/klpublish.da.md",
            "the letter's name 'klpublish' is the layout's words' domain",
        ),
        (
            ["second.da.md", "second/second.da.md"],
            "source/second/second.da.md",
            "a second letter named 'second' (the first is source/second.da.md)",
        ),
    ],
)
def test_a_letter_with_a_refused_name_fails_alone(
    project: Path, capsys: pytest.CaptureFixture[str], files: list[str], bad: str, says: str
) -> None:
    for name in files:
        path = Path("source") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SECOND / "second.da.md", path)
        shutil.copy(SECOND / "kort.png", path.parent / "kort.png")
    said = f"{bad}: {says}"
    code, out, err = run(capsys, "publish", "--format", "html", "--lang", "en")
    assert code == 1 and said in err, err
    assert Path("build/en/letter.en.html").is_file()
    assert "letter.en.html" in Path("build/index.html").read_text(encoding="utf-8")
    code, out, err = run(capsys, "lint", "en")
    assert code == 1 and said in err, out + err
    code, out, err = run(capsys, "status")
    assert code == 1 and said in err, out + err
    assert "English" in out + err  # the good letter is counted
    code, out, err = run(capsys, "extract")
    assert code == 1 and said in err, out + err
    assert "locale/letter.pot: not changed" in err
    code, out, err = run(capsys, "index")
    assert code == 1 and f"not on the index: {said}" in err, out + err


def test_one_refused_letter_alone_is_the_run_s_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no other letter, the refused one's error is the run's, said as ever."""
    code, _, err = run(capsys, "status", "--source", "source/Brev 1.da.md")
    assert code == 1
    assert err.startswith("klpublish: error: source/Brev 1.da.md: the letter's name"), err


# -- make publish, whatever the files are called ------------------------------------------

ODD_NAMES = (
    "source/kort over vejen.png",
    "source/kl:logo.png",
    "source/100%.txt",
    "source/$(HOME).txt",
    "source/#note.txt",
    "source/it's.txt",
    "locale/de/noter til de:1.txt",
)


@pytest.mark.slow
def test_make_publish_works_with_any_file_name(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    (root / ".venv").symlink_to(ROOT / ".venv")
    for name in ODD_NAMES:
        (root / name).write_text("not used by any letter\n", encoding="utf-8")
    log = make(root, "publish")
    assert "wrote build/en/letter.en.html" in log, log
    assert "klpublish publish" not in make(root, "publish")  # nothing changed, nothing run
    stamp = root / "build" / ".stamps" / "publish"

    def published_a_minute_ago() -> None:
        # A change within the file system's clock tick of the stamp would not be newer.
        then = stamp.stat().st_mtime - 60
        os.utime(stamp, (then, then))

    published_a_minute_ago()
    os.utime(root / ODD_NAMES[1])  # a file changed: publish runs, and rebuilds nothing
    log = make(root, "publish")
    assert "up to date build/en/letter.en.html" in log and "wrote build/en" not in log, log
    published_a_minute_ago()
    (root / ODD_NAMES[0]).unlink()  # a file removed: its folder changed
    assert "klpublish publish" in make(root, "publish")
