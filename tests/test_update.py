"""Catalog life cycle: extract, update (fuzzy, obsolete), init; churn-free files."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from klpublish.__main__ import main
from klpublish.catalogs.po import load_catalog

SENTENCE = "En ny valgperiode er begyndt."


def read(path: str) -> Catalog:
    return load_catalog(Path(path))


def translate_all(path: str) -> None:
    """Give every entry a translation (so the test does not depend on real ones)."""
    from klpublish.catalogs.po import write_catalog

    catalog = read(path)
    for message in catalog:
        if message.id:
            message.string = f"T: {message.id}"
            message.flags.discard("fuzzy")
    write_catalog(catalog, Path(path))


EN = "locale/en/LC_MESSAGES/letter.po"


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*.po*"))}


def test_changed_word_makes_exactly_that_entry_fuzzy(project: Path) -> None:
    translate_all(EN)
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(SENTENCE, "En ny valgperiode er startet."), encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    catalog = read(EN)
    fuzzy = [m for m in catalog if m.id and m.fuzzy]
    assert len(fuzzy) == 1
    assert fuzzy[0].id.startswith("En ny valgperiode er startet.")
    assert fuzzy[0].previous_id and fuzzy[0].previous_id[0].startswith(SENTENCE)
    assert fuzzy[0].string.startswith(f"T: {SENTENCE}")  # the old translation, kept
    assert "#| msgid" in Path(EN).read_text(encoding="utf-8")
    assert all(m.string for m in catalog if m.id)
    before = snapshot(project / "locale")
    assert main(["update"]) == 0
    assert snapshot(project / "locale") == before  # the fuzzy entry and its #| stay


def test_deleted_paragraph_is_kept_obsolete(project: Path) -> None:
    translate_all(EN)
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    start = text.index("Vi glæder os til samarbejdet")
    source.write_text(text[:start], encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    catalog = read(EN)
    obsolete = list(catalog.obsolete.values())
    assert [m.id for m in obsolete] == ["Vi glæder os til samarbejdet i den nye valgperiode."]
    assert obsolete[0].string == "T: Vi glæder os til samarbejdet i den nye valgperiode."
    assert "#~ msgid" in Path(EN).read_text(encoding="utf-8")
    # Restored text gets its translation back.
    source.write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    restored = read(EN).get("Vi glæder os til samarbejdet i den nye valgperiode.")
    assert restored is not None and restored.string.startswith("T: ") and not restored.fuzzy


def test_second_update_and_extract_change_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    translate_all(EN)
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    before = snapshot(project / "locale")
    capsys.readouterr()
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    assert snapshot(project / "locale") == before
    out = capsys.readouterr().out
    assert "updated" not in out and out.count("not changed") >= 5


def test_source_date_epoch_sets_creation_date(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Path("locale/letter.pot").unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1515542400")
    assert main(["extract"]) == 0
    assert '"POT-Creation-Date: 2018-01-10 00:00+0000\\n"' in Path("locale/letter.pot").read_text(
        encoding="utf-8"
    )


def test_init_adds_a_language_with_plural_forms(project: Path) -> None:
    assert main(["init", "sv"]) == 0
    po = Path("locale/sv/LC_MESSAGES/letter.po")
    text = po.read_text(encoding="utf-8")
    assert '"Language: sv\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text
    catalog = read(str(po))
    template = read("locale/letter.pot")
    assert [m.id for m in catalog] == [m.id for m in template]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("../x", "'../x' is not a language code"),
        ("xx", "'xx' is not a language Babel knows"),
        ("en", "a catalog for this language exists already"),
    ],
)
def test_init_refuses(
    project: Path, capsys: pytest.CaptureFixture[str], lang: str, message: str
) -> None:
    before = snapshot(project / "locale")
    assert main(["init", lang]) == 1
    assert message in capsys.readouterr().err
    assert snapshot(project / "locale") == before
    assert not (project / "x").exists()


def test_update_with_a_broken_catalog_leaves_it_as_it_was(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The broken catalog fails alone: it is left as it was, and the others are
    # updated (see tests/test_isolation.py).
    de = Path("locale/de/LC_MESSAGES/letter.po")
    de.write_text(
        de.read_text(encoding="utf-8") + '\nmsgid "x"\nmsgstr "Broken\n', encoding="utf-8"
    )
    before = de.read_bytes()
    assert main(["update"]) == 1
    err = capsys.readouterr().err
    assert "locale/de/LC_MESSAGES/letter.po:" in err
    assert de.read_bytes() == before


# -- previous msgids (#|) through a parser ----------------------------------------------


OLD_LONG = 'En ny "valgperiode" er begyndt \\ med [link](https://kl.dk). ' * 6


def _fuzzy_catalog() -> Catalog:
    """Entries whose text also appears with a msgctxt, long and escaped previous msgids."""
    catalog = Catalog(locale="de", fuzzy=False)
    catalog.add("Kommunalvalg", "Kommunalwahl", context="heading")
    catalog.add("Kommunalvalg", "Kommunalwahl", flags=["fuzzy"], previous_id=["Kommunevalg"])
    catalog.add(
        "Velkommen",
        "Willkommen",
        context="metadata: title",
        flags=["fuzzy"],
        previous_id=["Velkommen!"],
    )
    catalog.add("Velkommen", "Willkommen")
    catalog.add(
        "En ny valgperiode er startet. " * 6,
        "Eine neue Wahlperiode. " * 6,
        flags=["fuzzy"],
        previous_id=[OLD_LONG],
    )
    catalog.add("Uændret", "Unverändert", previous_id=["not fuzzy: msgmerge drops it"])
    return catalog


def test_previous_msgids_are_written_where_gettext_reads_them(tmp_path: Path) -> None:
    import polib

    from klpublish.catalogs.po import serialise

    path = tmp_path / "de.po"
    path.write_bytes(serialise(_fuzzy_catalog()))
    load_catalog(path)  # msgfmt -c accepts it
    entries = {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path))}
    assert entries[(None, "Kommunalvalg")].previous_msgid == "Kommunevalg"
    assert entries[("heading", "Kommunalvalg")].previous_msgid is None
    assert entries[("metadata: title", "Velkommen")].previous_msgid == "Velkommen!"
    assert entries[(None, "Velkommen")].previous_msgid is None
    long = entries[(None, "En ny valgperiode er startet. " * 6)]
    assert (
        long.previous_msgid == 'En ny "valgperiode" er begyndt \\ med [link](https://kl.dk). ' * 6
    )
    assert entries[(None, "Uændret")].previous_msgid is None
    text = path.read_text(encoding="utf-8")
    assert '#| msgid ""\n#| "En ny \\"valgperiode\\" er begyndt' in text  # GNU gettext's form


def test_previous_msgids_read_back_and_write_the_same(tmp_path: Path) -> None:
    from klpublish.catalogs.po import serialise

    path = tmp_path / "de.po"
    first = serialise(_fuzzy_catalog())
    path.write_bytes(first)
    catalog = load_catalog(path, locale="de")
    assert catalog.get("Kommunalvalg").previous_id == ["Kommunevalg"]
    assert catalog.get("Kommunalvalg", "heading").previous_id == []
    assert catalog.get("Velkommen", "metadata: title").previous_id == ["Velkommen!"]
    assert not any(c.startswith("|") for m in catalog for c in m.user_comments)
    assert serialise(catalog) == first


def test_shipped_catalogs_write_back_as_they_read(tmp_path: Path) -> None:
    """A catalog read and written again says what it said (the header's dates aside)."""
    from helpers import ROOT
    from klpublish.catalogs.po import write_catalog

    for po in sorted((ROOT / "locale").rglob("*.po*")):
        lang = po.parent.parent.name if po.suffix == ".po" else None
        copy = tmp_path / po.name
        copy.write_bytes(serialise_again(po, lang))
        assert not write_catalog(load_catalog(copy, locale=lang), copy), po


def serialise_again(po: Path, lang: str | None) -> bytes:
    from klpublish.catalogs.po import serialise

    return serialise(load_catalog(po, locale=lang))
