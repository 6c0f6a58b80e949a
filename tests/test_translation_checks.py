"""Bad and hostile translations: each is caught with its message and line, and
none reaches an output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from helpers import translated_letter
from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog

CORPUS = Path(__file__).parent / "corpus"

CASES = sorted((Path(__file__).parent / "bad-translations").glob("*.txt"))
EN = Path("locale/en/LC_MESSAGES/letter.po")


def read_case(path: Path) -> tuple[str, str, str]:
    """(msgid prefix, expected report, msgstr) of one case file."""
    head, expect, msgstr = path.read_text(encoding="utf-8").split("\n", 2)
    return head.removeprefix("msgid: "), expect.removeprefix("expect: "), msgstr.rstrip("\n")


def put_translation(prefix: str, msgstr: str) -> int:
    """Set one entry's msgstr in the English catalog; return its line there."""
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    [message] = [m for m in catalog if m.id and m.id.startswith(prefix)]
    message.string = msgstr
    with EN.open("wb") as handle:  # unwrapped: Babel's wrapping is slow on huge words
        write_po(handle, catalog, width=76 if len(msgstr) < 20_000 else 0)
    entry = load_catalog(EN).get(message.id, message.context)
    assert entry is not None
    return int(entry.lineno)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_lint_reports_the_problem_with_its_line(
    case: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prefix, expect, msgstr = read_case(case)
    line = put_translation(prefix, msgstr)
    code = main(["lint", "en"])
    out = capsys.readouterr()
    report = out.out + out.err
    severity, _, message = expect.partition(": ")
    if severity == "error":
        assert f"locale/en/LC_MESSAGES/letter.po:{line}: {message}" in report, report
        assert code == 1
    else:
        assert f"locale/en/LC_MESSAGES/letter.po:{line}: warning: {message}" in report, report
        assert code == 0


HOSTILE = (
    "<script",
    "onerror",
    "javascript:",
    "data:text/html",
    "/etc/passwd",
    "\u202e",
    "evil.example",
    "onmouseover",
)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_refused_translation_never_reaches_an_output(
    case: Path, baseline: Path, published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """English and the languages that must still be made beside it (before and
    after it in building order), published from the run's published project
    less their outputs: the languages not named are left out of the run."""
    build = published_project / "build"
    others = ("da", "de", "uk", "ar")
    shutil.rmtree(build / "en")
    for lang in others:
        (build / lang / f"letter.{lang}.pdf").unlink()
    prefix, expect, msgstr = read_case(case)
    put_translation(prefix, msgstr)
    code = main(["publish", *(f"--lang={lang}" for lang in ("en", *others))])
    report = capsys.readouterr().err
    if expect.startswith("error"):
        assert code == 1
        assert "en: not published, earlier outputs left as they were" in report
        assert not (build / "en").exists()
    else:
        assert code == 0
    for lang in others:  # the other languages are still built
        assert (build / lang / f"letter.{lang}.pdf").is_file()
    for path in build.rglob("*.*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        before = baseline / "build" / path.relative_to(build)
        if before.is_file() and before.read_bytes() == data:
            continue  # as published before this case: none of its text
        if path.suffix == ".pdf":
            data = subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, check=True
            ).stdout
        text = data.decode("utf-8", "replace")
        for needle in HOSTILE:
            assert needle not in text, (path, needle)


@pytest.mark.parametrize(
    ("name", "msgstr", "message"),
    [
        ("one megabyte", "x" * 1_000_000, "times as long as the source"),
        (
            "emphasis nested 1000 deep",
            "We look " + "*_" * 500 + "forward" + "_*" * 500 + " to it.",
            "markup is nested more than 40 levels deep",
        ),
    ],
)
def test_oversized_translations_are_refused(
    project: Path, capsys: pytest.CaptureFixture[str], name: str, msgstr: str, message: str
) -> None:
    line = put_translation("Vi glæder os", msgstr)
    assert main(["lint", "en"]) == 1
    out = capsys.readouterr()
    assert f"locale/en/LC_MESSAGES/letter.po:{line}: " in out.out + out.err
    assert message in out.out + out.err


@pytest.mark.slow
def test_typst_and_html_written_as_text_stay_text(project: Path) -> None:
    """Characters that mean code in Typst, HTML or TeX, typed as text, print as text."""
    msgstr = (
        'We look forward to #read("secret.txt"), #import "x.typ", $x$, @ref, = 1 < 2 & 3 > 2, '
        "a_b\\*c\\*d, 50 % and ~ in the new term."
    )
    put_translation("Vi glæder os", msgstr)
    assert main(["publish", "--lang", "en"]) == 0
    pdf_text = subprocess.run(
        ["pdftotext", "build/en/letter.en.pdf", "-"], capture_output=True, text=True, check=True
    ).stdout
    pdf_text = " ".join(pdf_text.split())
    for part in ('#read("secret.txt")', '#import "x.typ"', "$x$", "@ref", "= 1 < 2 & 3 > 2"):
        assert part in pdf_text, part
    assert "a_b*c*d, 50 % and ~ in" in pdf_text
    page = Path("build/en/letter.en.html").read_text(encoding="utf-8")
    assert "#read(&quot;secret.txt&quot;)" in page or '#read("secret.txt")' in page
    assert "@ref, = 1 &lt; 2 &amp; 3 &gt; 2, a_b*c*d, 50 % and ~ in" in page


def test_status_counts_and_min(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with EN.open("rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    # One fuzzy and two untranslated: counts that differ, so a swap is seen.
    messages[0].flags.add("fuzzy")
    messages[1].string = ""
    messages[2].string = ""
    with EN.open("wb") as handle:
        write_po(handle, catalog)
    assert main(["status", "--json"]) == 0
    import json

    from klpublish.catalogs.labels import template_keys

    rows = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["en"]["fuzzy"] == 1 and rows["en"]["untranslated"] == 2
    # The layout's words count too; the package ships all of them in English.
    words = len(template_keys())
    assert rows["en"]["translated"] == len(messages) - 3 + words
    assert rows["en"]["published"] is True
    assert rows["da"]["reason"] == "source"
    assert main(["status", "--min", "99"]) == 1
    assert "en: 93% is below --min 99%" in capsys.readouterr().err
    assert main(["status", "--min", "92"]) == 0  # 38 of 41: 92.7%


def test_dropped_footnote_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    translated_letter(
        (CORPUS / "notes-quotes.md").read_text(encoding="utf-8"),
        lambda msgid: msgid.replace(" og en til[^2]", " and another"),
    )
    line = load_catalog(EN).get("Et afsnit med en fodnote[^1] og en til[^2].").lineno
    assert main(["lint", "en"]) == 1
    out = capsys.readouterr()
    assert f"locale/en/LC_MESSAGES/letter.po:{line}: msgstr drops the footnote reference [^2]" in (
        out.out + out.err
    )
