"""The build cache remembers verdicts and outputs by their inputs: change exactly one input
(the threshold, a layout word, an image's bytes under the same name, a template, the
CSS) and exactly the outputs it shapes are made again, and differ; change nothing and
nothing is made. Also: what ``status`` says is the verdict, not a sum."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import polib
import pytest
from lxml import html

from klpublish.__main__ import main

LANGS = ["da", "ar", "de", "en", "fa", "pl", "tr", "uk"]
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "klpublish"
DE = Path("locale/de/LC_MESSAGES/letter.po")


def png(rgb: tuple[int, int, int]) -> bytes:
    """A one-pixel PNG of colour ``rgb``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def made(out: str) -> set[str]:
    """The outputs a run made (written, or made and found unchanged)."""
    return {
        line.split()[1]
        for line in out.splitlines()
        if line.startswith(("wrote build/", "unchanged build/")) and "index" not in line
    }


def html_pages(langs: list[str]) -> set[str]:
    return {f"build/{lang}/letter.{lang}.html" for lang in langs}


def switcher(lang: str) -> list[str]:
    page = html.fromstring(Path(f"build/{lang}/letter.{lang}.html").read_bytes())
    return [a.get("hreflang") for a in page.xpath("//nav//a[@hreflang]")]


def published_languages() -> list[str]:
    return sorted(p.name for p in Path("build").iterdir() if (p / f"letter.{p.name}.html").exists())


def make_german_incomplete() -> None:
    """One German entry made fuzzy."""
    po = polib.pofile(str(DE))
    entry = next(e for e in po if e.msgid and e.msgstr and "fuzzy" not in e.flags)
    entry.flags.append("fuzzy")
    po.save(str(DE))


def german_percent(capsys: pytest.CaptureFixture[str]) -> float:
    """German's percent translated, computed from status as the build computes it."""
    capsys.readouterr()
    assert main(["status", "--json"]) == 0
    row = next(r for r in json.loads(capsys.readouterr().out) if r["lang"] == "de")
    total = row["translated"] + row["fuzzy"] + row["untranslated"]
    return 100.0 * row["translated"] / total


@pytest.mark.slow
def test_the_threshold_is_part_of_every_verdict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_german_incomplete()
    percent = german_percent(capsys)
    assert 80 < percent < 100
    assert main(["publish", "--format", "html", "--threshold", "100"]) == 0
    out = capsys.readouterr().out
    assert "de: not published" in out and "below the 100% threshold" in out, out
    assert "de" not in published_languages()
    # The same run again makes nothing: every verdict is remembered as it was.
    assert main(["publish", "--format", "html", "--threshold", "100"]) == 0
    out = capsys.readouterr().out
    assert made(out) == set(), out
    assert "de: not published" in out, out
    for lang in published_languages():
        assert "de" not in switcher(lang), lang
    # Exactly at the threshold a language is published, and every page links it.
    assert main(["publish", "--format", "html", "--threshold", repr(percent)]) == 0
    out = capsys.readouterr().out
    assert "de: not published" not in out, out
    assert published_languages() == sorted(LANGS)
    for lang in LANGS:
        assert switcher(lang) == ["da", "ar", "de", "en", "fa", "pl", "tr", "uk"], lang
    # And above it again, German is held back, whatever the cache said last time.
    assert main(["publish", "--format", "html", "--threshold", "100"]) == 0
    out = capsys.readouterr().out
    assert "de: not published" in out and "below the 100% threshold" in out, out


def test_a_changed_layout_word_rebuilds_its_language_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words = Path("locale/de/LC_MESSAGES/klpublish.po")
    shutil.copy(PACKAGE / "locale" / "de" / "LC_MESSAGES" / "klpublish.po", words)
    assert main(["publish", "--format", "html"]) == 0
    capsys.readouterr()
    before = Path("build/de/letter.de.html").read_bytes()
    po = polib.pofile(str(words))
    skip = next(e for e in po if e.msgctxt == "skip-link")
    skip.msgstr = "Direkt zum Schreiben"
    po.save(str(words))
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert made(out) == html_pages(["de"]), out
    after = Path("build/de/letter.de.html").read_bytes()
    assert after != before and "Direkt zum Schreiben" in after.decode()


def test_an_image_changed_under_its_name_rebuilds_every_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = Path("source/letter.da.md")
    letter.write_text(
        letter.read_text(encoding="utf-8") + "\n![Kort over Danmark](kort.png)\n",
        encoding="utf-8",
    )
    Path("source/kort.png").write_bytes(png((255, 0, 0)))
    assert main(["publish", "--format", "html"]) == 0
    capsys.readouterr()
    before = {lang: Path(f"build/{lang}/letter.{lang}.html").read_bytes() for lang in LANGS}
    assert main(["publish", "--format", "html"]) == 0
    assert made(capsys.readouterr().out) == set()
    Path("source/kort.png").write_bytes(png((0, 0, 255)))
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert made(out) == html_pages(LANGS), out
    for lang in LANGS:
        assert Path(f"build/{lang}/letter.{lang}.html").read_bytes() != before[lang], lang


def test_status_says_the_verdict_not_the_percentage(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A complete catalog with an error is not published, whatever its percentage."""
    po = polib.pofile("locale/en/LC_MESSAGES/letter.po")
    linked = next(e for e in po if "](https://" in e.msgstr and "fuzzy" not in e.flags)
    linked.msgstr = linked.msgstr.replace("](https://", "](https://example.org/x")
    po.save("locale/en/LC_MESSAGES/letter.po")
    capsys.readouterr()
    main(["status", "--json"])
    row = next(r for r in json.loads(capsys.readouterr().out) if r["lang"] == "en")
    assert row["percent"] == 100.0 and row["published"] is False, row
    assert "link" in row["reason"], row
    main(["status"])
    table = capsys.readouterr().out.splitlines()
    en = next(line for line in table if line.startswith("en "))
    assert en.split()[-2:] == ["no", "0"], en


def test_a_catalog_without_a_language_header_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = DE.read_text(encoding="utf-8")
    assert '"Language: de\\n"\n' in text
    DE.write_text(text.replace('"Language: de\\n"\n', ""), encoding="utf-8")
    assert main(["publish", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "locale/de/LC_MESSAGES/letter.po" in err and "Language: (none)" in err, err
    assert "de: not published" in err, err
    assert "de" not in published_languages() and "en" in published_languages()


def test_a_dangling_catalog_link_is_an_error_not_a_missing_language(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    DE.unlink()
    DE.symlink_to("gone.po")
    assert main(["publish", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "locale/de/LC_MESSAGES/letter.po" in err and "de: not published" in err, err
    assert "gone.po" not in err, "the error names the link, not where it leads"


# -- the package's own files: templates, style sheets, filters, words ---------------------


def _python(pkg: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pkg)}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package to change, imported instead of the installed one."""
    pkg = tmp_path / "pkg"
    shutil.copytree(PACKAGE, pkg / "klpublish", ignore=shutil.ignore_patterns("__pycache__"))
    return pkg


DIGEST = "from klpublish.build.cache import code_digest; print(code_digest())"


@pytest.mark.parametrize(
    "changed",
    [
        "templates/letter.html",
        "templates/letter.css",
        "templates/epub.css",
        "templates/index.css",
        "templates/letter.typ",
        "templates/typst-filter.lua",
        "pandoc_engine.lua",
        "locale/de/LC_MESSAGES/klpublish.po",
        "locale/klpublish.pot",
        "render/html.py",
    ],
)
def test_every_file_of_the_package_is_in_the_code_digest(
    changed: str, package_copy: Path, tmp_path: Path
) -> None:
    before = _python(package_copy, DIGEST, tmp_path)
    assert before.returncode == 0, before.stderr
    target = package_copy / "klpublish" / changed
    comment = "#" if target.suffix in (".py", ".po", ".pot") else "--" if ".lua" in changed else ""
    addition = {"": "\n/* changed */\n", "#": "\n# changed\n", "--": "\n-- changed\n"}[comment]
    if target.suffix in (".html", ".typ"):
        addition = "\n"
    target.write_text(target.read_text(encoding="utf-8") + addition, encoding="utf-8")
    after = _python(package_copy, DIGEST, tmp_path)
    assert after.returncode == 0, after.stderr
    assert after.stdout != before.stdout, f"{changed} is not part of the code digest"


PUBLISH = "import sys; from klpublish.__main__ import main; sys.exit(main(sys.argv[1:]))"


@pytest.mark.slow
def test_a_changed_style_sheet_or_template_rebuilds_every_page(
    project: Path, package_copy: Path
) -> None:
    def publish() -> set[str]:
        proc = subprocess.run(
            [sys.executable, "-c", PUBLISH, "publish", "--format", "html", "--no-index"],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(package_copy)},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        return made(proc.stdout)

    pages = {lang: Path(f"build/{lang}/letter.{lang}.html") for lang in LANGS}
    assert publish() == html_pages(LANGS)
    assert publish() == set()
    for changed, old, new in [
        ("letter.css", "body {", ".changed { color: #000; }\nbody {"),
        ("letter.html", "<body>", "<body>\n<!-- changed -->"),
    ]:
        before = {lang: page.read_bytes() for lang, page in pages.items()}
        template = package_copy / "klpublish" / "templates" / changed
        text = template.read_text(encoding="utf-8")
        assert text.count(old) >= 1, changed
        template.write_text(text.replace(old, new, 1), encoding="utf-8")
        assert publish() == html_pages(LANGS), changed
        for lang, page in pages.items():
            assert page.read_bytes() != before[lang], (changed, lang)


@pytest.mark.slow
def test_a_changed_catalog_or_letter_rebuilds_what_it_shapes(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", "--format", "html"]) == 0
    capsys.readouterr()
    po = polib.pofile(str(DE))
    entry = next(
        e for e in po if e.msgid and e.msgstr and "fuzzy" not in e.flags and "](" not in e.msgstr
    )
    entry.msgstr = entry.msgstr + " Ergänzt."
    po.save(str(DE))
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert made(out) == html_pages(["de"]), out
    assert "Ergänzt." in Path("build/de/letter.de.html").read_text(encoding="utf-8")
    letter = Path("source/letter.da.md")
    letter.write_text(letter.read_text(encoding="utf-8") + "\nEt nyt afsnit.\n", encoding="utf-8")
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert made(out) == html_pages(LANGS), out


def test_an_output_changed_by_hand_is_made_again(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["publish", "--format", "html"]) == 0
    capsys.readouterr()
    page = Path("build/en/letter.en.html")
    good = page.read_bytes()
    page.write_bytes(good.replace(b"</body>", b"<script>alert(1)</script></body>"))
    assert main(["publish", "--format", "html"]) == 0
    assert made(capsys.readouterr().out) == html_pages(["en"])
    assert page.read_bytes() == good


def test_a_language_that_fails_is_dropped_from_every_switcher(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the German catalog changes, so only German's verdict key does: the other
    pages are made again because what they link (their render context) changed."""
    assert main(["publish", "--format", "html"]) == 0
    capsys.readouterr()
    text = DE.read_text(encoding="utf-8")
    DE.write_text(text.replace('"Language: de\\n"\n', '"Language: en\\n"\n'), encoding="utf-8")
    assert main(["publish", "--format", "html"]) == 1
    out = capsys.readouterr().out
    others = [lang for lang in LANGS if lang != "de"]
    assert made(out) == html_pages(others), out
    for lang in others:
        assert "de" not in switcher(lang), lang


@pytest.mark.slow
def test_a_new_time_stamp_remakes_every_output(
    published_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1515542400")
    assert main(["publish", "--lang", "en"]) == 0
    capsys.readouterr()
    epub = Path("build/en/letter.en.epub").read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1515628800")
    assert main(["publish", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert made(out) == {f"build/en/letter.en.{fmt}" for fmt in ("html", "epub", "pdf")}, out
    assert Path("build/en/letter.en.epub").read_bytes() != epub
