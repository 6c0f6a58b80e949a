"""How large a raster image is, read from its header before any decoder sees it
(see SECURITY.md, "Images").

A PNG of 100000 x 100000 pixels is a few hundred bytes on disk and asks a
decoder for 10 GB: Typst aborts the whole process, a browser gives up. Each
reader here walks only the header (PNG's IHDR, JPEG's frame header, GIF's
screen and image descriptors, WebP's VP8/VP8L/VP8X/ANMF chunks) and returns
every size the file declares, or says why the header is malformed.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass


class MalformedImage(ValueError):
    """A header that is cut short or says something no decoder accepts."""


@dataclass(frozen=True)
class Frame:
    """One picture a decoder would allocate: its size and what each pixel takes."""

    width: int
    height: int
    channels: int
    sample_bytes: int = 1
    what: str = ""
    """Which picture of the file this is, for the message (" (frame 2)")."""

    @property
    def pixels(self) -> int:
        return self.width * self.height

    @property
    def decoded_bytes(self) -> int:
        return self.pixels * self.channels * self.sample_bytes


PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
# A palette image is decoded to RGBA (its palette may hold transparency).
_PNG_CHANNELS = {0: 1, 2: 3, 3: 4, 4: 2, 6: 4}


def png_frames(data: bytes) -> list[Frame]:
    """The image IHDR declares; IHDR must be the first chunk, whole and intact."""
    header = data[8:33]
    if len(header) < 25:
        raise MalformedImage("the header ends before its IHDR chunk")
    length, kind = struct.unpack(">I4s", header[:8])
    if kind != b"IHDR" or length != 13:
        raise MalformedImage("its first chunk is not a 13-byte IHDR")
    body, crc = header[8:21], struct.unpack(">I", header[21:25])[0]
    if zlib.crc32(b"IHDR" + body) & 0xFFFFFFFF != crc:
        raise MalformedImage("the IHDR chunk's checksum is wrong")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", body
    )
    if not (0 < width < 2**31 and 0 < height < 2**31):
        raise MalformedImage(f"IHDR declares {width} x {height} pixels")
    if depth not in _PNG_DEPTHS.get(colour, ()):
        raise MalformedImage(f"IHDR declares colour type {colour} with bit depth {depth}")
    if compression != 0 or filtering != 0 or interlace not in (0, 1):
        raise MalformedImage("IHDR declares an unknown compression, filter or interlace method")
    return [Frame(width, height, _PNG_CHANNELS[colour], 2 if depth == 16 else 1)]


# SOF0-SOF15 but DHT (C4), JPG (C8) and DAC (CC), which share the range.
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_NO_LENGTH = {0x01, 0xD8, *range(0xD0, 0xD8)}


def jpeg_frames(data: bytes) -> list[Frame]:
    """The frame the first SOFn marker declares (segments such as an EXIF
    thumbnail are skipped whole by their length)."""
    at = 2
    while True:
        if at >= len(data):
            raise MalformedImage("the header ends before its frame header (SOFn)")
        if data[at] != 0xFF:
            raise MalformedImage(f"expected a marker at byte {at}")
        while at < len(data) and data[at] == 0xFF:  # fill bytes
            at += 1
        if at >= len(data):
            raise MalformedImage("the header ends before its frame header (SOFn)")
        marker = data[at]
        at += 1
        if marker in _NO_LENGTH:
            continue
        if marker in (0xD9, 0xDA):
            raise MalformedImage("its image data starts before any frame header (SOFn)")
        if at + 2 > len(data):
            raise MalformedImage("the header ends inside a segment")
        length = struct.unpack(">H", data[at : at + 2])[0]
        if length < 2 or at + length > len(data):
            raise MalformedImage(f"segment {marker:#04x} is cut short")
        if marker in _SOF:
            return [_jpeg_frame(data[at + 2 : at + length])]
        at += length


def _jpeg_frame(segment: bytes) -> Frame:
    if len(segment) < 6:
        raise MalformedImage("its frame header (SOFn) is cut short")
    precision, height, width, components = struct.unpack(">BHHB", segment[:6])
    if height == 0:
        # The height would come later, in a DNL marker, after the image data.
        raise MalformedImage("its frame header gives no height (a DNL marker)")
    if width == 0 or components not in (1, 2, 3, 4) or precision not in (8, 12, 16):
        raise MalformedImage(
            f"its frame header declares {width} x {height} pixels, {components} "
            f"components of {precision} bits"
        )
    return Frame(width, height, components, 1 if precision == 8 else 2)


def gif_frames(data: bytes) -> list[Frame]:
    """The logical screen, then every image descriptor, up to the trailer."""
    if len(data) < 13:
        raise MalformedImage("the header ends before its logical screen descriptor")
    width, height, packed = struct.unpack("<HHB", data[6:11])
    frames = [_gif_frame(width, height, "its logical screen")]
    at = 13 + _colour_table(packed)
    while True:
        if at >= len(data):
            raise MalformedImage("it ends before its trailer (0x3B)")
        block = data[at]
        if block == 0x3B:
            return frames
        if block == 0x21:  # extension: a label, then data sub-blocks
            at = _skip_sub_blocks(data, at + 2)
        elif block == 0x2C:
            if at + 10 > len(data):
                raise MalformedImage("an image descriptor is cut short")
            w, h, packed = struct.unpack("<HHB", data[at + 5 : at + 10])
            frames.append(_gif_frame(w, h, f"frame {len(frames)}"))
            at = _skip_sub_blocks(data, at + 10 + _colour_table(packed) + 1)
        else:
            raise MalformedImage(f"unknown block {block:#04x} at byte {at}")


def _gif_frame(width: int, height: int, what: str) -> Frame:
    if width == 0 or height == 0:
        raise MalformedImage(f"{what} is {width} x {height} pixels")
    return Frame(width, height, 4, what=f" ({what})")


def _colour_table(packed: int) -> int:
    return 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0


def _skip_sub_blocks(data: bytes, at: int) -> int:
    while at < len(data) and data[at] != 0:
        at += data[at] + 1
    if at >= len(data):
        raise MalformedImage("a data block runs past the end of the file")
    return at + 1


def webp_frames(data: bytes) -> list[Frame]:
    """The canvas (VP8X) and every bitstream's and animation frame's size."""
    if len(data) < 12:
        raise MalformedImage("the header ends before its first chunk")
    end = 8 + struct.unpack("<I", data[4:8])[0]
    if end > len(data):
        raise MalformedImage("the RIFF header declares more bytes than the file has")
    frames = list(_webp_chunk_frames(data, 12, end))
    if not frames:
        raise MalformedImage("it has no VP8, VP8L or VP8X chunk")
    return frames


def _webp_chunk_frames(data: bytes, at: int, end: int) -> Iterator[Frame]:
    for kind, payload in _riff_chunks(data, at, end):
        if kind == b"VP8X":
            if len(payload) < 10:
                raise MalformedImage("its VP8X chunk is cut short")
            width, height = _u24(payload, 4) + 1, _u24(payload, 7) + 1
            yield Frame(width, height, 4, what=" (its canvas, VP8X)")
        elif kind == b"VP8 ":
            yield _vp8(payload)
        elif kind == b"VP8L":
            yield _vp8l(payload)
        elif kind == b"ANMF":
            if len(payload) < 16:
                raise MalformedImage("an ANMF frame is cut short")
            yield Frame(_u24(payload, 6) + 1, _u24(payload, 9) + 1, 4, what=" (a frame, ANMF)")
            yield from _webp_chunk_frames(payload, 16, len(payload))


def _riff_chunks(data: bytes, at: int, end: int) -> Iterator[tuple[bytes, bytes]]:
    while at + 8 <= end:
        kind, size = data[at : at + 4], struct.unpack("<I", data[at + 4 : at + 8])[0]
        if at + 8 + size > end:
            raise MalformedImage(f"its {kind.decode('latin-1')!r} chunk runs past its end")
        yield kind, data[at + 8 : at + 8 + size]
        at += 8 + size + (size & 1)


def _u24(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 3], "little")


def _vp8(payload: bytes) -> Frame:
    if len(payload) < 10 or payload[3:6] != b"\x9d\x01\x2a":
        raise MalformedImage("its VP8 chunk has no key frame header")
    width, height = struct.unpack("<HH", payload[6:10])
    width, height = width & 0x3FFF, height & 0x3FFF
    if width == 0 or height == 0:
        raise MalformedImage(f"its VP8 chunk declares {width} x {height} pixels")
    return Frame(width, height, 4, what=" (its VP8 image)")


def _vp8l(payload: bytes) -> Frame:
    if len(payload) < 5 or payload[0] != 0x2F:
        raise MalformedImage("its VP8L chunk has no signature")
    bits = int.from_bytes(payload[1:5], "little")
    return Frame((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, 4, what=" (its VP8L image)")
