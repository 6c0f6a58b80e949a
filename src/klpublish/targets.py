"""What a link may point to and what an image may be: the one policy the source
check and the renderers share (see SECURITY.md).

Links: ``https:``, ``http:``, ``mailto:``, ``tel:``, or a relative address (a
place in the letter, a page beside it), which the build never reads. Images: a
PNG, JPEG, GIF, WebP or plain SVG file in the letter's folder, read here and
nowhere else, never fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

LINK_SCHEMES = ("https", "http", "mailto", "tel")
MAX_IMAGE_BYTES = 20 * 1024 * 1024


class TargetError(ValueError):
    """A link or image target outside the policy; the message says what was expected."""


def _clean(url: str) -> str:
    # Browsers drop tabs and newlines anywhere in a URL and controls and spaces at
    # its ends: "java\tscript:" is "javascript:" to them.
    return re.sub(r"[\t\n\r]", "", url).strip(
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
        "\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f "
    )


def scheme(url: str) -> str | None:
    found = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", _clean(url))
    return found.group(1).lower() if found else None


def _beside(url: str, folder: Path) -> Path:
    """The file a relative ``url`` names, which must lie in ``folder``."""
    cleaned = _clean(url)
    if cleaned.startswith("/") or "\\" in cleaned:
        raise TargetError("expected a file beside the letter, named relative to it")
    path = unquote(cleaned.split("#", 1)[0].split("?", 1)[0])
    if "\x00" in path:
        raise TargetError("expected a file beside the letter, named relative to it")
    base = folder.resolve()
    target = (base / path).resolve()
    if not target.is_relative_to(base):
        raise TargetError(
            "points outside the letter's folder: expected a web address or a file beside the letter"
        )
    return target


def check_link(url: str, folder: Path) -> None:
    """Raise ``TargetError`` unless ``url`` is a link a letter may hold."""
    found = scheme(url)
    if found == "file":
        raise TargetError(
            "points outside the letter's folder: expected a web address or a file beside the letter"
        )
    if found is not None:
        if found not in LINK_SCHEMES:
            raise TargetError(
                f"is not allowed ({found}:): expected an https:, http:, mailto: or tel: address, "
                "or a file beside the letter"
            )
        return
    if _clean(url).startswith("//"):
        raise TargetError("has no scheme: expected an https:// or http:// address")
    # Anything else is a relative address (a place in the letter, a page beside
    # it on the web site): the build never reads it, the reader's browser
    # resolves it. Only what the build reads, images, must lie in the folder.


@dataclass(frozen=True)
class Picture:
    data: bytes
    mime: str
    suffix: str


_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


def load_image(url: str, folder: Path) -> Picture:
    """The image ``url`` names, read from ``folder`` and checked; else ``TargetError``."""
    if scheme(url) is not None or _clean(url).startswith("//"):
        raise TargetError(
            "is not a file in the letter's folder: images are never fetched; "
            "expected a file beside the letter"
        )
    path = _beside(url, folder)
    if not path.is_file():
        raise TargetError("is not a file in the letter's folder")
    if path.stat().st_size > MAX_IMAGE_BYTES:
        raise TargetError(f"is larger than {MAX_IMAGE_BYTES // 2**20} MB")
    data = path.read_bytes()
    for magic, mime, suffix in _MAGIC:
        if data.startswith(magic):
            return Picture(data, mime, suffix)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Picture(data, "image/webp", ".webp")
    if _plain_svg(data):
        return Picture(data, "image/svg+xml", ".svg")
    raise TargetError("is not a PNG, JPEG, GIF, WebP or SVG image")


def _plain_svg(data: bytes) -> bool:
    """An SVG that refers to nothing outside itself and runs nothing."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        return False
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return False
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        return False
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name in ("script", "foreignObject", "iframe"):
            return False
        for key, raw in element.attrib.items():
            value = str(raw)
            local = etree.QName(key).localname.lower()
            if local.startswith("on"):
                return False
            if local == "href" and not value.strip().startswith("#"):
                return False
            if "url(" in value and not re.fullmatch(r"[^()]*(url\(#[^)]*\)[^()]*)*", value):
                return False
        sheet = str(element.text or "") if name == "style" else ""
        if "url(" in sheet or "@import" in sheet:
            return False
    return True
