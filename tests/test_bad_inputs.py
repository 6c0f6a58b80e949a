"""Broken catalogs and sources: a clear error with file and line, a non-zero exit,
the other languages still built, and nothing lost or half-written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog

HERE = Path(__file__).parent


def expectations(folder: Path) -> dict[str, str]:
    lines = (folder / "EXPECTED").read_text(encoding="utf-8").splitlines()
    pairs = (line.split(": ", 1) for line in lines if line and not line.startswith("#"))
    return dict(pairs)


CATALOG_CASES = expectations(HERE / "bad-catalogs")
SOURCE_CASES = expectations(HERE / "bad-sources")


def outputs(build: Path) -> dict[str, bytes]:
    return {str(p.relative_to(build)): p.read_bytes() for p in build.rglob("*") if p.is_file()}


@pytest.fixture
def published(published_project: Path) -> Path:
    """A project with a complete earlier build."""
    return published_project / "build"


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CATALOG_CASES))
def test_broken_catalog(case: str, published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = outputs(published)
    po = Path("locale/de/LC_MESSAGES/letter.po")
    shutil.copy(HERE / "bad-catalogs" / f"{case}.po", po)
    capsys.readouterr()
    assert main(["publish"]) == 1
    err = capsys.readouterr().err
    assert CATALOG_CASES[case] in err, err
    assert "de: not published, earlier outputs left as they were" in err
    after = outputs(published)
    for name, data in before.items():
        if name.startswith("de/"):
            assert after[name] == data, name  # the failed language's outputs are untouched
    for lang in ("da", "en", "uk", "ar"):
        assert (published / lang / f"letter.{lang}.html").is_file()
    # update leaves the broken catalog as it was; the others are updated, since a
    # broken catalog fails alone (see tests/test_isolation.py)
    broken = po.read_bytes()
    assert main(["update"]) == 1
    assert CATALOG_CASES[case] in capsys.readouterr().err
    assert po.read_bytes() == broken


@pytest.mark.parametrize(
    ("directory", "message"),
    [
        ("EN", "locale/EN:0: 'EN' is not a language code"),
        ("x y", "locale/x y:0: 'x y' is not a language code"),
        ("xx", "locale/xx:0: 'xx' is not a language Babel knows"),
        ("..x", "locale/..x:0: '..x' is not a language code"),
    ],
)
def test_bad_language_directory(
    directory: str, message: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Path("locale") / directory / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy("locale/de/LC_MESSAGES/letter.po", target / "letter.po")
    assert main(["publish", "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert message.replace(":0:", ":") in err or message in err, err
    assert Path("build/de/letter.de.html").is_file()
    assert not (Path("build") / directory).exists()


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_broken_source(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(HERE / "bad-sources" / f"{case}.md", tmp_path / f"{case}.md")
    monkeypatch.chdir(tmp_path)
    assert main(["publish", "--source", f"{case}.md", "--locales", "none"]) == 1
    err = capsys.readouterr().err
    assert f"klpublish: error: {SOURCE_CASES[case]}" in err, err
    assert not Path("build").exists()
    # Extraction takes any document pandoc reads (within the character policy);
    # only publishing asks more of it.
    unreadable = case in (
        *("invalid-yaml", "noncharacter", "bidi-override", "control-character"),
        *("alias-bomb", "anchor", "deep-yaml"),  # never handed to pandoc's YAML reader
    )
    assert main(["extract", "--source", f"{case}.md", "--output", "x.pot"]) == int(unreadable)
    assert Path("x.pot").exists() != unreadable


# -- interrupted builds: see test_crash.py -------------------------------------


# -- nothing lost ---------------------------------------------------------------

EDITS = st.lists(
    st.tuples(
        st.sampled_from(["reword", "reorder", "delete", "insert", "split", "join"]),
        st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=4,
)


def apply_edit(paragraphs: list[str], edit: str, n: int) -> list[str]:
    out = list(paragraphs)
    i = n % len(out)
    if edit == "reword":
        words = out[i].split(" ")
        words[n % len(words)] = "ændret"
        out[i] = " ".join(words)
    elif edit == "reorder" and len(out) > 1:
        j = (i + 1) % len(out)
        out[i], out[j] = out[j], out[i]
    elif edit == "delete" and len(out) > 1:
        del out[i]
    elif edit == "insert":
        out.insert(i, f"Et nyt afsnit nummer {n}.")
    elif edit == "split":
        cut = out[i].find(". ")
        if cut > 0:
            out[i : i + 1] = [out[i][: cut + 1], out[i][cut + 2 :]]
    elif edit == "join" and i + 1 < len(out) and not out[i].startswith("#"):
        out[i : i + 2] = [out[i] + " " + out[i + 1]]
    return out


def translations(path: Path) -> set[str]:
    catalog = load_catalog(path)
    found = {str(m.string) for m in catalog if m.id and m.string}
    return found | {str(m.string) for m in catalog.obsolete.values() if m.string}


@pytest.mark.slow
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(EDITS)
def test_update_never_loses_a_translation(project: Path, edits: list[tuple[str, int]]) -> None:
    source = Path("source/letter.da.md")
    original = source.read_text(encoding="utf-8")
    po = Path("locale/en/LC_MESSAGES/letter.po")
    kept_po = po.read_bytes()
    try:
        head, body = original.split("\n---\n", 1)
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
        for edit, n in edits:
            paragraphs = apply_edit(paragraphs, edit, n)
        before = translations(po)
        source.write_text(head + "\n---\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
        assert main(["extract"]) == 0
        assert main(["update"]) == 0
        after = translations(po)
        assert before <= after, before - after
    finally:
        source.write_text(original, encoding="utf-8")
        po.write_bytes(kept_po)
