"""Projects whose catalogs or front matter hold hostile text, and the shape of
what they publish: elements and their attribute names in document order, the
texts and values left out. A value that stays text leaves the shape as it is; a
value that breaks out of its place adds an attribute, an element or a script.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pikepdf
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from lxml import etree
from lxml import html as lxml_html

from klpublish.__main__ import main
from klpublish.catalogs.po import new_catalog, template_catalog, write_catalog
from klpublish.letter.read import read_letter
from klpublish.project import package_labels_po
from klpublish.segments.messages import letter_messages

FIXTURES = Path(__file__).resolve().parent / "escaping"
EVERY_FIELD = FIXTURES / "every-field.da.md"
"""A letter with every front-matter field, ``keywords: [KL, brev]`` among them."""

Shape = list[tuple[str, tuple[str, ...]]]


def _shape(root: etree._Element) -> Shape:
    return [
        (str(el.tag), tuple(sorted(str(name) for name in el.attrib)))
        for el in root.iter()
        if isinstance(el.tag, str)  # comments and processing instructions have none
    ]


def html_shape(data: bytes) -> Shape:
    return _shape(lxml_html.document_fromstring(data))


def xml_shape(data: bytes) -> Shape:
    return _shape(etree.fromstring(data, etree.XMLParser(resolve_entities=False)))


def epub_files(path: Path) -> dict[str, bytes]:
    """Every XML file of the book (content documents, OPF, NCX, container)."""
    with zipfile.ZipFile(path) as book:
        return {
            name: book.read(name)
            for name in book.namelist()
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml"))
        }


def xmp_packet(path: Path) -> bytes:
    """The PDF's XMP metadata as Typst wrote it."""
    with pikepdf.open(path) as pdf:
        return bytes(pdf.Root.Metadata.read_bytes())


def shapes(
    build: Path, lang: str, name: str = "letter", formats: tuple[str, ...] = ()
) -> dict[str, Shape]:
    """The shape of every output of ``lang`` (only ``formats`` when given): the
    web page, the index page, each XML file of the EPUB, the PDF's XMP."""
    wanted = set(formats or ("html", "index", "epub", "xmp"))
    out: dict[str, Shape] = {}
    if "html" in wanted:
        out["html"] = html_shape((build / lang / f"{name}.{lang}.html").read_bytes())
    if "index" in wanted:
        out["index"] = html_shape((build / "index.html").read_bytes())
    if "xmp" in wanted:
        out["xmp"] = xml_shape(xmp_packet(build / lang / f"{name}.{lang}.pdf"))
    if "epub" in wanted:
        for file, data in epub_files(build / lang / f"{name}.{lang}.epub").items():
            out[f"epub:{file}"] = xml_shape(data)
    return out


def all_text(build: Path, lang: str, name: str = "letter") -> str:
    """Every text and attribute value of ``lang``'s outputs, the PDF's page text
    included: where a value that was published can be found."""
    import subprocess

    parts: list[str] = []

    def visit(root: etree._Element) -> None:
        parts.extend(str(t) for t in root.itertext())
        parts.extend(str(v) for el in root.iter() for v in el.attrib.values())

    visit(lxml_html.document_fromstring((build / lang / f"{name}.{lang}.html").read_bytes()))
    visit(lxml_html.document_fromstring((build / "index.html").read_bytes()))
    for data in epub_files(build / lang / f"{name}.{lang}.epub").values():
        visit(etree.fromstring(data))
    pdf = build / lang / f"{name}.{lang}.pdf"
    visit(etree.fromstring(xmp_packet(pdf)))
    parts.append(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    )
    return "\n".join(parts)


# -- catalogs -----------------------------------------------------------------


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, abort_invalid=True)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0)


def set_labels(root: Path, lang: str, change: Callable[[Message], str | None]) -> None:
    """The project's own catalog of layout words for ``lang``: the package's,
    each msgstr replaced by ``change(entry)`` where that is not None."""
    catalog = _read(package_labels_po(lang))
    for message in catalog:
        if message.id and (new := change(message)) is not None:
            message.string = new
    _write(catalog, root / "locale" / lang / "LC_MESSAGES" / "klpublish.po")


def set_translations(root: Path, lang: str, change: Callable[[Message], str | None]) -> None:
    """``lang``'s letter catalog, each msgstr replaced by ``change(entry)`` where
    that is not None."""
    path = root / "locale" / lang / "LC_MESSAGES" / "letter.po"
    catalog = _read(path)
    for message in catalog:
        if message.id and (new := change(message)) is not None:
            message.string = new
    _write(catalog, path)


def letter_project(root: Path, text: str, langs: Mapping[str, Mapping[str, str]]) -> None:
    """A project of one letter ``text``, with a catalog for each of ``langs``
    translating the msgids it names (the others stay untranslated)."""
    source = root / "source" / "letter.da.md"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(text, encoding="utf-8")
    letter = read_letter(source)
    template = template_catalog(letter_messages(letter), letter.path)
    for lang, strings in langs.items():
        catalog = new_catalog(template, lang)
        for msgid, string in strings.items():
            entries = [m for m in catalog if m.id == msgid]
            assert entries, f"{msgid!r} is not a msgid of the letter"
            for entry in entries:
                entry.string = string
        write_catalog(catalog, root / "locale" / lang / "LC_MESSAGES" / "letter.po")


def publish(lang: str, *options: str) -> None:
    """Lint accepts ``lang`` (a refused entry would prove nothing) and publish
    builds it."""
    assert main(["lint", lang]) == 0, f"lint refused {lang}'s hostile text"
    assert main(["publish", "--lang", lang, *options]) == 0


def read_xml(data: bytes) -> etree._Element:
    return etree.parse(io.BytesIO(data)).getroot()
