"""A Word (.docx) or OpenDocument (.odt) file opened as the zip it is, before
pandoc sees a byte of it: a size cap on the file, on each part and on all of
them unpacked (a zip bomb is refused, not unpacked), plain part names (no
``..``, no absolute or backslashed names), no macros (``.docm``, a
``vbaProject.bin``, an OpenDocument ``Basic/`` or ``Scripts/`` folder), and XML
parsed without entities, DTDs or the network (a part that declares them is
refused, for pandoc reads the XML too)."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from klpublish.errors import Location, SourceError, display_path
from klpublish.files import Reading, read_inside

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""The file as it lies on disk: a letter with a dozen photographs is a few MB."""
MAX_PARTS = 2000
"""Parts in the zip: a letter has some 20 (a hundred with many images)."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""One part unpacked: ``word/document.xml`` of a 300-page report is a few MB."""
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""All parts unpacked together."""
MAX_RATIO = 200
"""Unpacked size over packed size for a part of more than 1 MB: XML packs about
10 to 1, a zip bomb a thousand and more to 1."""

FORMATS = {".docx": "docx", ".odt": "odt"}
"""What ``import`` reads, by the file's suffix, as pandoc's reader names it."""

_MACRO_TYPES = ("macroenabled", "vbaproject", "vbadata")
"""Words of a macro part's content type, lower case (a type is compared without case)."""
_SAFE_NAME = re.compile(r"[A-Za-z0-9._\-\[\]() ]+(/[A-Za-z0-9._\-\[\]() ]+)*")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
)


@dataclass(frozen=True)
class Package:
    """The checked parts of one document, unpacked."""

    path: str
    """The document as shown to users."""
    reader: str
    """pandoc's reader: ``docx`` or ``odt``."""
    parts: dict[str, bytes]

    def error(self, message: str) -> SourceError:
        return SourceError(message, Location(self.path, 0))

    def xml(self, name: str) -> etree._Element | None:
        """The part ``name`` as XML, or None when the document has none."""
        data = self.parts.get(name)
        if data is None:
            return None
        try:
            return etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise self.error(f"part {name} is not well-formed XML: {exc}") from exc

    def packed(self) -> bytes:
        """The parts zipped again, for pandoc (after :mod:`inspect` rewrote some)."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in self.parts.items():
                # OpenDocument: "mimetype" first and stored, as the format asks.
                kind = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                zf.writestr(name, data, compress_type=kind)
        return out.getvalue()


def open_document(path: Path) -> Package:
    """The document at ``path``, refused unless it is a .docx or .odt within the caps."""
    shown = display_path(path)
    reader = FORMATS.get(path.suffix.lower())
    if reader is None:
        macro = (
            " (a Word file with macros: save it as .docx)"
            if path.suffix.lower()
            in (
                ".docm",
                ".dotm",
            )
            else ""
        )
        raise SourceError(
            f"is not a .docx or .odt file{macro}: expected a Word or OpenDocument letter",
            Location(shown, 0),
        )
    data = read_inside(
        path,
        Reading(path.absolute().parent, MAX_DOCUMENT_BYTES, "a .docx or .odt file"),
        SourceError,
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise SourceError(
            f"is not a {path.suffix} file (not a zip archive: {exc}): save it again from Word "
            "or LibreOffice",
            Location(shown, 0),
        ) from exc
    with archive:
        parts = _unpacked(archive, Package(shown, reader, {}))
    package = Package(shown, reader, parts)
    _check_macros(package)
    return package


def _unpacked(archive: zipfile.ZipFile, package: Package) -> dict[str, bytes]:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise package.error(f"holds {len(infos)} parts: expected at most {MAX_PARTS}")
    parts: dict[str, bytes] = {}
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        if not _SAFE_NAME.fullmatch(name) or ".." in name.split("/"):
            raise package.error(
                f"holds a part named {name!r}: expected plain names inside the document "
                "(no '..', no absolute path, no backslash)"
            )
        if name in parts:
            raise package.error(f"holds the part {name} twice")
        if info.flag_bits & 0x1:
            raise package.error(f"part {name} is encrypted: save the document without a password")
        # The sizes in the zip's directory are the writer's word: the reading is capped too.
        try:
            with archive.open(info) as stream:
                data = stream.read(MAX_PART_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise package.error(
                f"part {name} cannot be unpacked ({exc}): the file is damaged"
            ) from exc
        if len(data) > MAX_PART_BYTES:
            raise package.error(
                f"part {name} unpacks to more than {MAX_PART_BYTES // 2**20} MB: expected a letter"
            )
        if len(data) > 2**20 and len(data) > MAX_RATIO * max(info.compress_size, 1):
            raise package.error(
                f"part {name} unpacks {len(data) // max(info.compress_size, 1)} times larger "
                f"than it is packed: expected at most {MAX_RATIO} times (a zip bomb?)"
            )
        if name.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
            # Word and LibreOffice write none; entities expand into a billion laughs.
            raise package.error(f"part {name} declares a DOCTYPE or entities: expected plain XML")
        total += len(data)
        if total > MAX_UNPACKED_BYTES:
            raise package.error(
                f"unpacks to more than {MAX_UNPACKED_BYTES // 2**20} MB: expected a letter"
            )
        parts[name] = data
    return parts


def _check_macros(package: Package) -> None:
    types = package.parts.get("[Content_Types].xml", b"").decode("utf-8", "replace").lower()
    for name in package.parts:
        lowered = name.lower()
        if lowered.endswith(("vbaproject.bin", "vbadata.xml")) or lowered.startswith(
            ("basic/", "scripts/")
        ):
            raise package.error(
                f"holds macros ({name}): expected a document without them (save it as .docx "
                "or .odt without macros)"
            )
    if any(word in types for word in _MACRO_TYPES):
        raise package.error("is a Word document with macros (.docm): expected a .docx without them")
    # A .docx names its main part in _rels/.rels (usually word/document.xml).
    main = "_rels/.rels" if package.reader == "docx" else "content.xml"
    if main not in package.parts:
        raise package.error(f"has no {main}: expected a {package.reader} document")
