"""Every shipped catalog through the tools translators and platforms save PO files
with, then back through ``update``: GNU gettext's msgcat (its layouts and orders)
and msgmerge, polib saving as Poedit does, the Translate Toolkit. ``update`` then
changes nothing, byte for byte, and lint and publish accept each file.

The layout's words (``klpublish.po``) go through the project's own copy of them,
``locale/<lang>/LC_MESSAGES/klpublish.po``, which ``update`` merges as it merges a
letter's catalog."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po
from translate.storage import po as ttk_po

from helpers import ROOT, copy_project
from klpublish.__main__ import main
from klpublish.catalogs.po import serialise, template_catalog
from klpublish.segments.messages import Message

PACKAGE_LOCALE = ROOT / "src" / "klpublish" / "locale"
DEADLINE = 60
"""Seconds for one tool's run over a catalog (a fraction of one, normally)."""


def shipped_project(root: Path) -> list[Path]:
    """The project copied to ``root`` with the package's catalogs of the layout's
    words as its own; every catalog of it, each with its template."""
    copy_project(root)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    for po in sorted(PACKAGE_LOCALE.glob("*/LC_MESSAGES/klpublish.po")):
        shutil.copy(po, root / "locale" / po.relative_to(PACKAGE_LOCALE))
    return sorted((root / "locale").glob("*/LC_MESSAGES/*.po"))


def template_of(po: Path) -> Path:
    if po.stem == "klpublish":
        return PACKAGE_LOCALE / "klpublish.pot"
    return po.parents[2] / f"{po.stem}.pot"


def gnu(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=DEADLINE)


def msgcat(*options: str) -> Callable[[Path], None]:
    def save(po: Path) -> None:
        gnu("msgcat", *options, str(po), "-o", str(po))

    return save


def msgmerge_previous(po: Path) -> None:
    gnu(
        "msgmerge",
        "--quiet",
        "--previous",
        "--update",
        "--backup=off",
        str(po),
        str(template_of(po)),
    )


def poedit(po: Path) -> None:
    """As Poedit saves: polib's writer wrapping at 79 columns, its own header fields."""
    catalog = polib.pofile(str(po), wrapwidth=79)
    catalog.metadata["X-Generator"] = "Poedit 3.4.2"
    catalog.metadata["X-Poedit-SourceCharset"] = "UTF-8"
    catalog.metadata["X-Poedit-Basepath"] = "../../.."
    catalog.save(str(po))


def babel_width_40(po: Path) -> None:
    """Babel's writer at 40 columns splits ``Content-Type: text/plain; `` from
    ``charset=utf-8``, as ``msgcat -w 40`` does."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    with po.open("wb") as handle:
        write_po(handle, catalog, width=40)


def translate_toolkit(po: Path) -> None:
    store = ttk_po.pofile.parsefile(str(po))
    po.write_bytes(bytes(store))


def weblate(po: Path) -> None:
    """As Weblate saves, through the Translate Toolkit, with its own header fields."""
    store = ttk_po.pofile.parsefile(str(po))
    team = f"{po.parents[1].name} <https://hosted.weblate.org/projects/kl/{po.stem}/>"
    store.updateheader(add=True, X_Generator="Weblate 5.8.4", Language_Team=team)
    po.write_bytes(bytes(store))


TOOLS: dict[str, Callable[[Path], None]] = {
    "msgcat": msgcat(),
    "msgcat -w 40": msgcat("--width=40"),
    "msgcat --no-wrap": msgcat("--no-wrap"),
    "msgcat --sort-output": msgcat("--sort-output"),
    "msgcat --sort-by-file": msgcat("--sort-by-file"),
    "msgmerge --previous": msgmerge_previous,
    "poedit": poedit,
    "translate-toolkit": translate_toolkit,
    "weblate": weblate,
}


@pytest.mark.slow
@pytest.mark.parametrize("tool", TOOLS)
def test_a_catalog_a_tool_saved_goes_through_update_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tool: str
) -> None:
    catalogs = shipped_project(tmp_path)
    assert len(catalogs) == 14
    monkeypatch.chdir(tmp_path)
    for po in catalogs:
        TOOLS[tool](po)
    saved = {po: po.read_bytes() for po in catalogs}
    assert main(["update"]) == 0
    changed = [str(po.relative_to(tmp_path)) for po in catalogs if po.read_bytes() != saved[po]]
    assert changed == [], f"update rewrote what {tool} saved"
    assert main(["lint"]) == 0
    assert main(["publish", "--format", "html", "--no-index", "--out", "out"]) == 0
    assert len(list((tmp_path / "out").glob("*/letter.*.html"))) == 8  # Danish and the seven


def test_a_header_babel_split_is_read_as_gettext_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header's fields are parsed, never matched as text: update, lint and
    publish accept ``"Content-Type: text/plain; "`` / ``"charset=utf-8\\n"``.
    (Babel also rewraps the extracted comments, which are the template's: update
    puts those back, as msgmerge does.)"""
    catalogs = shipped_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    for po in catalogs:
        babel_width_40(po)
        assert (
            '"content-type: text/plain; "\n"charset=utf-8\\n"'
            in po.read_text(encoding="utf-8").lower()
        )
    assert main(["update"]) == 0
    assert main(["lint"]) == 0
    assert main(["publish", "--format", "html", "--no-index", "--out", "out"]) == 0
    assert len(list((tmp_path / "out").glob("*/letter.*.html"))) == 8


# -- where a new entry goes: where msgmerge puts it ------------------------------------

NEW_PARAGRAPHS = (
    ("Kære kommunalbestyrelser\n\n", "Aller først: et nyt afsnit.\n\n"),
    (
        "Vi vil gerne benytte anledningen",
        "Øvrige bemærkninger kommer her.\n\nVi vil gerne benytte anledningen",
    ),
)


def keys(po: Path) -> list[tuple[str | None, str, bool]]:
    return [(e.msgctxt, e.msgid, bool(e.obsolete)) for e in polib.pofile(str(po))]


@pytest.mark.parametrize("order", ["", "--sort-output", "--sort-by-file"])
def test_a_new_entry_goes_where_msgmerge_puts_it(project: Path, order: str) -> None:
    """A catalog saved in any order keeps it; the letter's new paragraphs go
    where ``msgmerge`` (with the same sorting) puts them."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    if order:
        gnu("msgcat", order, str(po), "-o", str(po))
    saved = project / "saved.po"
    shutil.copy(po, saved)
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    for old, new in NEW_PARAGRAPHS:
        assert text.count(old) == 1
        text = text.replace(old, old + new if old.endswith("\n\n") else new)
    source.write_text(text, encoding="utf-8")
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    merged = project / "merged.po"
    gnu(
        "msgmerge",
        "--quiet",
        "--previous",
        *([order] if order else []),
        "-o",
        str(merged),
        str(saved),
        "locale/letter.pot",
    )
    assert keys(po) == keys(merged)
    assert len(keys(po)) == len(keys(saved)) + 2


# -- what update writes is what msgmerge writes ----------------------------------------


def edit_letter() -> None:
    """A long new paragraph, a changed sentence (fuzzy) and a paragraph deleted
    (obsolete)."""
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    long = (
        "Aller først: et nyt afsnit, som er ganske langt, så det skal ombrydes over "
        "flere linjer i kataloget, sådan som gettext gør det, med «citater» og 50 %."
    )
    text = text.replace("Kære kommunalbestyrelser\n\n", f"Kære kommunalbestyrelser\n\n{long}\n\n")
    text = text.replace("En ny valgperiode er begyndt.", "En ny valgperiode er startet.")
    start = text.index("Vi vil gerne benytte anledningen")
    source.write_text(text[:start] + text[text.index("\n\n", start) + 2 :], encoding="utf-8")


def test_update_writes_what_msgmerge_writes(project: Path) -> None:
    """New, fuzzy (with its previous msgid) and obsolete entries, byte for byte
    as ``msgmerge --previous`` writes them from the same catalog and template."""
    catalogs = sorted(Path("locale").glob("*/LC_MESSAGES/letter.po"))
    saved = {po: po.read_bytes() for po in catalogs}
    edit_letter()
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    for po in catalogs:
        before = project / "saved.po"
        before.write_bytes(saved[po])
        merged = project / "merged.po"
        gnu(
            "msgmerge", "--quiet", "--previous", "-o", str(merged), str(before), "locale/letter.pot"
        )
        assert po.read_bytes() != saved[po]
        assert po.read_text(encoding="utf-8") == merged.read_text(encoding="utf-8"), po
    pot = Path("locale/letter.pot")
    laid = subprocess.run(["msgcat", str(pot)], capture_output=True, check=True, timeout=DEADLINE)
    assert laid.stdout == pot.read_bytes()


def test_a_new_catalog_is_what_msgmerge_keeps_as_it_is(project: Path) -> None:
    """``init``: its header fields in msgmerge's order, its strings wrapped as
    gettext wraps them; msgmerge with the template changes nothing in it."""
    assert main(["init", "sv"]) == 0
    for po, pot in (
        (Path("locale/sv/LC_MESSAGES/letter.po"), Path("locale/letter.pot")),
        (Path("locale/sv/LC_MESSAGES/klpublish.po"), PACKAGE_LOCALE / "klpublish.pot"),
    ):
        merged = project / "merged.po"
        gnu("msgmerge", "--quiet", "--previous", "-o", str(merged), str(po), str(pot))
        assert merged.read_text(encoding="utf-8") == po.read_text(encoding="utf-8")
        names = list(polib.pofile(str(po)).metadata)
        assert names.index("Language-Team") < names.index("Language") < names.index("MIME-Version")


def test_a_template_is_written_in_gettext_layout(tmp_path: Path) -> None:
    """Long strings, many references (a file name that is not ASCII: gettext
    counts its columns in bytes), escapes: msgcat, which lays a file out anew,
    changes nothing in it. (gettext 0.21 reads a name with a space in it, which
    gettext writes between Unicode isolates, as several names.)"""
    long = 'Et langt afsnit med «citater», 50 %, "anførselstegn" og \\ skråstreg. ' * 4
    messages = [Message(long, None, n, "Paragraph", None) for n in range(1, 400, 7)] + [
        Message("Tabulator\tog linjeskift\nher", None, 500, "Table cell", None)
    ]
    catalog = template_catalog(messages, "kilder/mødereferat.da.md")
    pot = tmp_path / "letter.pot"
    pot.write_bytes(serialise(catalog))
    laid = subprocess.run(["msgcat", str(pot)], capture_output=True, check=True, timeout=DEADLINE)
    assert laid.stdout.decode("utf-8") == pot.read_text(encoding="utf-8")
    assert pot.read_text(encoding="utf-8").count("#: ") > 5


def test_a_new_creation_date_changes_only_its_own_header_line(project: Path) -> None:
    """A header ``msgcat -w 40`` wrapped keeps its lines; only POT-Creation-Date
    follows the template, on one line."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    gnu("msgcat", "--width=40", str(po), "-o", str(po))
    before = po.read_text(encoding="utf-8")
    edit_letter()
    Path("locale/letter.pot").unlink()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1893456000")
        assert main(["extract"]) == 0
    assert main(["update"]) == 0
    after = po.read_text(encoding="utf-8")
    head, new_head = before[: before.index("\n\n")], after[: after.index("\n\n")]
    lines = head.splitlines()
    at = lines.index('"POT-Creation-Date: 2026-11-26 "')
    assert lines[at + 1] == '"14:19+0000\\n"'
    dated = '"POT-Creation-Date: 2030-01-01 00:00+0000\\n"'
    assert new_head.splitlines() == [*lines[:at], dated, *lines[at + 2 :]]


def test_a_flag_gettext_does_not_know_stays_on_a_changed_entry(project: Path) -> None:
    """Weblate's ``read-only`` (gettext drops flags it does not know): the entry
    becomes fuzzy, its flags line says both."""
    po = Path("locale/de/LC_MESSAGES/letter.po")
    text = po.read_text(encoding="utf-8")
    entry = '#: source/letter.da.md:32\nmsgid ""\n"En ny valgperiode er begyndt.'
    assert text.count(entry) == 1
    po.write_text(text.replace(entry, entry.replace("\nmsgid", "\n#, read-only\nmsgid")), "utf-8")
    edit_letter()
    assert main(["extract"]) == 0
    assert main(["update"]) == 0
    [changed] = [e for e in polib.pofile(str(po)) if e.msgid.startswith("En ny valgperiode")]
    assert changed.flags == ["fuzzy", "read-only"]
    assert changed.previous_msgid is not None
