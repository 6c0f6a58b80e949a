"""Every text the layout puts into Typst reaches the PDF as text: a date, a label,
an id or a name can never become a list, a heading, a label, a reference or code."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from helpers import ROOT
from klpublish.gate.pdf_text import element_text, marked_text, struct_elements
from klpublish.letter.read import read_letter
from klpublish.render.context import RenderContext, text, with_context
from klpublish.render.pdf import render_pdf

HOSTILE = "1. = - + / @ref <lab> #x `c` $m$ *e* _u_ \\ ] [ ~ ' \""
"""Each a piece of Typst markup at the start of a line or anywhere in it."""


def tag_tree(pdf_bytes: bytes, tmp_path: Path) -> list[tuple[str, str]]:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf_bytes)
    with pikepdf.open(path) as pdf:
        texts = marked_text(pdf)
        return [(str(e.S)[1:], element_text(e, texts)) for e in struct_elements(pdf)]


def published(lang: str, meta: dict[str, Any], tmp_path: Path) -> list[tuple[str, str]]:
    letter = read_letter(ROOT / "source" / "letter.da.md")
    doc = {**letter.doc, "meta": {**letter.doc["meta"], **meta}}
    ctx = RenderContext(lang=lang, date=dt.date(2018, 1, 10), alternates=(), identifier="x")
    return tag_tree(render_pdf(with_context(doc, ctx), ctx, letter), tmp_path)


def reference_block(tree: list[tuple[str, str]]) -> list[tuple[str, str]]:
    start = next(i for i, (kind, _) in enumerate(tree) if kind == "L")
    end = next(i for i, (kind, _) in enumerate(tree) if kind == "P" and i > start)
    return [(kind, value) for kind, value in tree[start:end] if kind in ("L", "LI", "Lbl", "LBody")]


def test_the_danish_date_is_text_in_a_definition_list(tmp_path: Path) -> None:
    tree = published("da", {}, tmp_path)
    assert reference_block(tree) == [
        ("L", "Dato10. januar 2018Sags-IDSAG-2017-06094Dok.-ID2435847"),
        ("LI", "Dato10. januar 2018"),
        ("Lbl", "Dato"),
        ("LBody", "10. januar 2018"),
        ("LI", "Sags-IDSAG-2017-06094"),
        ("Lbl", "Sags-ID"),
        ("LBody", "SAG-2017-06094"),
        ("LI", "Dok.-ID2435847"),
        ("Lbl", "Dok.-ID"),
        ("LBody", "2435847"),
    ]
    assert [kind for kind, _ in tree].count("L") == 1, "another list in the PDF"


def test_markup_in_any_value_stays_text(tmp_path: Path) -> None:
    hostile = text(HOSTILE)
    meta = {
        "case-id": hostile,
        "document-id": hostile,
        "recipient": hostile,
        "closing": hostile,
        "sender": {
            "t": "MetaMap",
            "c": {"name": hostile, "address": {"t": "MetaList", "c": [hostile, hostile]}},
        },
        "signatories": {
            "t": "MetaList",
            "c": [{"t": "MetaMap", "c": {"name": hostile, "role": hostile}}],
        },
    }
    tree = published("en", meta, tmp_path)
    kinds = [kind for kind, _ in tree]
    assert kinds.count("L") == 1 and kinds.count("H1") == 1, kinds
    assert not {"Code", "Formula", "Reference", "Note"} & set(kinds), kinds
    squashed = HOSTILE.replace(" ", "")
    document = tree[0][1].replace(" ", "")
    # case id, document id, recipient, closing, the sender's name and two address
    # lines, the signatory's name and role: each word for word
    assert document.count(squashed) == 9, document


@pytest.mark.slow
def test_typst_errors_name_the_segment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Typst's errors point into generated markup; the user is told which segment
    of the letter (file and line) and which language Typst refused."""
    from klpublish.__main__ import main

    monkeypatch.chdir(tmp_path)
    Path("source").mkdir()
    # A PNG whose header the image policy reads, and whose pixels Typst cannot decode.
    ihdr = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", b"not deflated")
    Path("source/kort.png").write_bytes(png + _chunk(b"IEND", b""))
    Path("source/letter.da.md").write_text(
        "---\ntitle: Prøve\nlang: da\n---\n\nFørste afsnit.\n\nAndet afsnit.\n\n"
        "Se ![et kort](kort.png) for mere.\n\nSidste afsnit.\n",
        encoding="utf-8",
    )
    assert main(["publish", "--format", "pdf"]) == 1
    err = capsys.readouterr().err
    assert (
        "da: Typst could not make the PDF from the segment at source/letter.da.md:10 "
        "('Se ![et kort](kort.png) for mere.'): failed to decode image" in err
    ), err


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def test_the_letterhead_link_is_the_senders_address(tmp_path: Path) -> None:
    """A link's target is a string in Typst code, not markup escaped for text."""
    letter = read_letter(ROOT / "source" / "letter.da.md")
    ctx = RenderContext("da", dt.date(2018, 1, 10), (), "urn:x", "da", 0)
    path = tmp_path / "letter.pdf"
    path.write_bytes(render_pdf(with_context(letter.doc, ctx), ctx, letter))
    with pikepdf.open(path) as pdf:
        uris = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.get("/Annots", [])
            if annot.get("/A") is not None and "/URI" in annot.A
        ]
    assert "https://www.kl.dk" in uris, uris
    assert all("\\" not in uri for uri in uris), uris
