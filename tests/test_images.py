"""Images are checked from their headers before any engine sees them: pixel
sizes and decoded size capped for PNG, JPEG, GIF, WebP and SVG, malformed
headers refused, and each refusal says why at the image's line in the letter.

Every huge image here is made in the test from a few bytes (a header, or
zlib-compressed zeros): nothing large is written to the repository."""

from __future__ import annotations

import resource
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from helpers import PNG
from klpublish.letter.policy import TargetError, load_image

LETTER = "---\ntitle: Et brev\nlang: da\n---\n\nKære læser\n\n![Kortet over kommunen]({})\n"
"""A letter whose image is on line 8."""


# -- making images -----------------------------------------------------------------


def chunk(kind: bytes, body: bytes) -> bytes:
    crc = zlib.crc32(kind + body) & 0xFFFFFFFF
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)


def png(width: int, height: int, depth: int = 8, colour: int = 0, idat: bytes = b"") -> bytes:
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat or zlib.compress(b"\0" * 2))
        + chunk(b"IEND", b"")
    )


def zeros_zlib(row_bytes: int, rows: int, batch: int = 1000) -> bytes:
    """A zlib stream of ``rows`` rows of zero bytes, made from one compressed batch
    repeated (a full flush makes each batch stand alone): 1.2 MB for 1.25 GB."""
    block = b"\0" * (row_bytes * batch)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflate.compress(block)
    deflate.flush(zlib.Z_FULL_FLUSH)
    part = deflate.compress(block) + deflate.flush(zlib.Z_FULL_FLUSH)
    adler = ((row_bytes * rows) % 65521) << 16 | 1  # Adler-32 of zeros
    return b"\x78\xda" + part * (rows // batch) + b"\x03\x00" + struct.pack(">I", adler)


def jpeg(
    width: int, height: int, components: int = 3, before_frame: bytes = b"", precision: int = 8
) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = struct.pack(">BHHB", precision, height, width, components) + b"\x01\x11\0" * components
    frame = b"\xff\xc0" + struct.pack(">H", 2 + len(sof)) + sof
    return b"\xff\xd8" + app0 + before_frame + frame + b"\xff\xda\0\x02\xff\xd9"


def exif_with_small_thumbnail() -> bytes:
    """An APP1 segment holding a thumbnail's 16 x 16 frame header: skipped whole."""
    thumbnail = b"\xff\xd8\xff\xc0\0\x11\x08\0\x10\0\x10\x03" + b"\x01\x11\0" * 3
    body = b"Exif\0\0" + thumbnail
    return b"\xff\xe1" + struct.pack(">H", 2 + len(body)) + body


def gif(screen: tuple[int, int], frames: list[tuple[int, int]], trailer: bool = True) -> bytes:
    out = b"GIF89a" + struct.pack("<HHBBB", *screen, 0, 0, 0)
    for width, height in frames:
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x4c\x01\x00"
    return out + (b"\x3b" if trailer else b"")


def riff(*chunks: bytes) -> bytes:
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_chunk(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("<I", len(payload)) + payload + b"\0" * (len(payload) & 1)


def vp8(width: int, height: int) -> bytes:
    return webp_chunk(b"VP8 ", b"\x10\x02\x00\x9d\x01\x2a" + struct.pack("<HH", width, height))


def vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | (height - 1) << 14
    return webp_chunk(b"VP8L", b"\x2f" + bits.to_bytes(4, "little"))


def vp8x(width: int, height: int) -> bytes:
    sizes = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return webp_chunk(b"VP8X", b"\x02\0\0\0" + sizes)


def anmf(width: int, height: int, inner: bytes) -> bytes:
    sizes = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return webp_chunk(b"ANMF", b"\0" * 6 + sizes + b"\x64\0\0\0" + inner)


def svg(attributes: str, body: str = '<rect width="1" height="1"/>') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{body}</svg>'.encode()


def refusal(tmp_path: Path, data: bytes, name: str = "figur.img") -> str:
    (tmp_path / name).write_bytes(data)
    with pytest.raises(TargetError) as caught:
        load_image(name, tmp_path)
    return str(caught.value)


# -- the case found: Typst aborted on a 1.2 MB PNG of 100000 x 100000 pixels ---------


def limited_memory() -> None:
    """Should the check ever go, Typst's 10 GB request fails here instead of
    taking a shared machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (6 * 2**30, 6 * 2**30))


@pytest.mark.slow
def test_a_huge_png_is_refused_at_its_line_before_typst_sees_it(tmp_path: Path) -> None:
    big = png(100_000, 100_000, depth=1, idat=zeros_zlib(1 + 100_000 // 8, 100_000))
    assert len(big) < 2 * 2**20
    (tmp_path / "kort.png").write_bytes(big)
    (tmp_path / "letter.da.md").write_text(LETTER.format("kort.png"), encoding="utf-8")
    options = ["--source", "letter.da.md", "--locales", "none", "--format", "pdf"]
    proc = subprocess.run(
        [sys.executable, "-m", "klpublish", "publish", *options],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limited_memory,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "letter.da.md:8: image kort.png is 100000 x 100000 pixels: " + SIDE in proc.stderr, (
        proc.stderr[-2000:]
    )
    assert "panicked" not in proc.stderr and "Typst" not in proc.stderr
    assert not (tmp_path / "build").exists()


# -- each format's sizes, read from its header -----------------------------------------

MAX_SIDE = 10_000
SIDE = "expected at most 10000 pixels a side"
PIXELS = "expected at most 50 megapixels"
DECODED = "expected at most 200 MB"

TOO_LARGE = {
    "png-wide": (png(20_000, 1), "is 20000 x 1 pixels: " + SIDE),
    "png-81-megapixels": (png(9_000, 9_000), "is 9000 x 9000 pixels, 81 megapixels: " + PIXELS),
    "png-16-bit-rgba": (
        png(7_000, 7_000, depth=16, colour=6),
        "takes 392 MB decoded (7000 x 7000 pixels, 4 channels of 16 bits): " + DECODED,
    ),
    "jpeg-tall": (jpeg(100, 60_000), "is 100 x 60000 pixels: " + SIDE),
    "jpeg-behind-a-small-exif-thumbnail": (
        jpeg(9_500, 9_500, before_frame=exif_with_small_thumbnail()),
        "is 9500 x 9500 pixels, 90 megapixels: " + PIXELS,
    ),
    "jpeg-12-bit": (
        jpeg(7_000, 5_000, precision=12),
        "takes 210 MB decoded (7000 x 5000 pixels, 3 channels of 16 bits): " + DECODED,
    ),
    "gif-screen": (gif((65_535, 65_535), [(1, 1)]), "(its logical screen): " + SIDE),
    "gif-one-frame-of-three": (
        gif((10, 10), [(10, 10), (10, 10), (20_000, 20_000)]),
        "is 20000 x 20000 pixels (frame 3): " + SIDE,
    ),
    "webp-vp8x-canvas": (riff(vp8x(2**24, 2**24), vp8(1, 1)), "(its canvas, VP8X): " + SIDE),
    "webp-vp8l": (riff(vp8l(16_384, 16_384)), "is 16384 x 16384 pixels (its VP8L image)"),
    "webp-vp8": (riff(vp8(16_383, 3)), "is 16383 x 3 pixels (its VP8 image): " + SIDE),
    "webp-animation-frame": (
        riff(vp8x(10, 10), anmf(12_000, 5, vp8(1, 1))),
        "is 12000 x 5 pixels (a frame, ANMF): " + SIDE,
    ),
    "svg-width-height": (svg('width="100000" height="100000"'), SIDE),
    "svg-exponent": (svg('width="1e9px" height="10"'), SIDE),
    "svg-inches": (svg('width="100in" height="100in"'), "9600 x 9600 pixels"),
    "svg-viewbox": (
        svg('viewBox="0 0 1000000 1000000"'),
        "(its viewBox, line 1 of the SVG): " + SIDE,
    ),
    "svg-huge-viewbox-small-size": (
        svg('width="100" height="100" viewBox="0 0 90000 10"'),
        "is 90000 x 10 pixels (its viewBox, line 1 of the SVG)",
    ),
    "svg-nested-svg": (svg("", '<svg width="50000" height="5"/>'), SIDE),
}


@pytest.mark.parametrize("case", sorted(TOO_LARGE))
def test_too_large_an_image_is_refused_with_its_size(tmp_path: Path, case: str) -> None:
    data, why = TOO_LARGE[case]
    assert len(data) < 2000
    assert why in refusal(tmp_path, data)


MALFORMED = {
    "png-cut-short": (b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHD", "is a malformed PNG: the header ends"),
    "png-no-ihdr": (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IDAT", zlib.compress(b"\0" * 40)) + chunk(b"IEND", b""),
        "is a malformed PNG: its first chunk is not a 13-byte IHDR",
    ),
    "png-ihdr-checksum": (
        png(10, 10)[:29] + b"\xff" + png(10, 10)[30:],
        "is a malformed PNG: the IHDR chunk's checksum is wrong",
    ),
    "png-zero-width": (png(0, 10), "is a malformed PNG: IHDR declares 0 x 10 pixels"),
    "png-bad-depth": (
        png(10, 10, depth=4, colour=2),
        "is a malformed PNG: IHDR declares colour type 2 with bit depth 4",
    ),
    "jpeg-cut-short": (jpeg(10, 10)[:12], "is a malformed JPEG: segment 0xe0 is cut short"),
    "jpeg-scan-before-frame": (
        b"\xff\xd8\xff\xda\0\x02\xff\xd9",
        "is a malformed JPEG: its image data starts before any frame header (SOFn)",
    ),
    "jpeg-height-later": (
        jpeg(10, 0),
        "is a malformed JPEG: its frame header gives no height (a DNL marker)",
    ),
    "gif-no-trailer": (gif((1, 1), [(1, 1)], trailer=False), "is a malformed GIF: it ends"),
    "gif-cut-short": (b"GIF89a\x01\0", "is a malformed GIF: the header ends"),
    "webp-no-image": (riff(webp_chunk(b"EXIF", b"x")), "is a malformed WebP: it has no VP8"),
    "webp-chunk-past-end": (
        riff(b"VP8L" + struct.pack("<I", 500) + b"\x2f\0\0\0\0"),
        "is a malformed WebP: its 'VP8L' chunk runs past its end",
    ),
    "svg-width-not-a-length": (svg('width="wide" height="1"'), "SVG width='wide' is not a length"),
    "svg-viewbox-three-numbers": (svg('viewBox="0 0 10"'), "SVG viewBox='0 0 10' is not four"),
    "svg-not-well-formed": (b"<svg xmlns='http://www.w3.org/2000/svg'><rect>", "not well-formed"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_header_is_refused_with_what_is_wrong(tmp_path: Path, case: str) -> None:
    data, why = MALFORMED[case]
    assert why in refusal(tmp_path, data)


ACCEPTED = {
    "png": PNG,
    "png-at-the-side-cap": png(MAX_SIDE, 1),
    "jpeg": jpeg(640, 480, before_frame=exif_with_small_thumbnail()),
    "gif": gif((10, 10), [(10, 10), (5, 5)]),
    "webp": riff(vp8(640, 480)),
    "webp-lossless-animated": riff(vp8x(100, 100), anmf(100, 100, vp8l(100, 100))),
    "svg-percent": svg('width="100%" height="100%" viewBox="0 0 800 600"'),
    "svg-in-millimetres": svg('width="210mm" height="297mm" viewBox="0 0 210 297"'),
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_an_image_of_ordinary_size_is_accepted(tmp_path: Path, case: str) -> None:
    (tmp_path / "figur.img").write_bytes(ACCEPTED[case])
    assert load_image("figur.img", tmp_path).data == ACCEPTED[case]
