"""What a build remembers between runs, kept under ``OUT/.cache`` and keyed by
content: each language's verdict (can it be published?) and a record of each
output written, so that a run redoes only what its inputs changed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from klpublish.errors import KlpublishError, ToolError
from klpublish.fileio import write_record
from klpublish.letter.nodes import iter_nodes
from klpublish.project import Layout

if TYPE_CHECKING:
    from klpublish.letter.read import Letter

# The readers of catalogs and images are imported where they are used: a run
# with nothing to do asks this module for the code's digest only (see ``record``).

DISTRIBUTIONS = ("pypandoc-binary", "typst", "babel", "lxml", "PyYAML")
"""The installed packages whose code shapes an output (pandoc's binary, Typst,
Babel's locale data, the EPUB's post-processing, the front matter)."""

PANDOC_VERSION_DEADLINE = 30.0


_HANDED: list[Callable[[], str]] = []
"""``code_digest`` as another process computes it for this one (``hand_code_digest``)."""


@cache
def code_digest() -> str:
    """Changes whenever the package's code or templates change, or a tool that
    makes the outputs is upgraded (see :func:`toolchain`). Made once per process,
    unless a worker makes it while this process reads the letter (``hand_code_digest``)."""
    with contextlib.suppress(IndexError):
        handed = _HANDED.pop()
        # The worker's answer only saves time: without it, the digest is made here.
        with contextlib.suppress(Exception):
            return handed()
    return _code_digest()


def hand_code_digest(handed: Callable[[], str]) -> None:
    """``code_digest`` is to come from ``handed`` (a worker's answer, from the same
    files), unless this process has made it already."""
    if code_digest.cache_info().currsize == 0:
        _HANDED[:] = [handed]


def _code_digest() -> str:
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[1]
    for path in sorted(root.rglob("*")):
        # .po and .pot: the package's catalogs of the layout's words.
        kinds = (".py", ".typ", ".html", ".css", ".lua", ".po", ".pot")
        if path.is_file() and path.suffix in kinds:
            digest.update(path.read_bytes())
    digest.update(json.dumps(toolchain(), sort_keys=True).encode())
    return digest.hexdigest()


def toolchain() -> dict[str, str]:
    """The version of each tool behind the outputs: pandoc itself (which the
    package that ships it does not tell), the packages, and the fonts' files."""
    from importlib import metadata  # 12 ms to import: only where asked (by a worker, if any)

    versions = {name: metadata.version(name) for name in DISTRIBUTIONS}
    from klpublish.pandoc import pandoc_path

    versions["pandoc"] = pandoc_version(pandoc_path())
    versions["fonts"] = fonts_digest()
    return versions


KNOWN_VERSIONS: dict[str, str] = {}
"""``binary_identity`` -> ``pandoc --version`` as a run found it (see ``record``):
asked again only of a binary that is not the same file."""


def binary_identity(binary: str) -> str:
    """The file ``binary`` is: an upgrade replaces it, and so changes this."""
    st = os.stat(binary)
    return f"{os.path.realpath(binary)}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


@cache
def pandoc_version(binary: str) -> str:
    """``pandoc --version``'s first line (one short run per process, none when
    a record of the build knows this very file)."""
    known = KNOWN_VERSIONS.get(binary_identity(binary))
    if known:
        return known
    try:
        proc = subprocess.run(
            [binary, "--version"],
            capture_output=True,
            timeout=PANDOC_VERSION_DEADLINE,
            check=False,
            env={**os.environ, "LC_ALL": "C"},
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ToolError(f"cannot ask {binary} for its version: {exc}") from exc
    first = proc.stdout.decode("utf-8", "replace").partition("\n")[0].strip()
    if proc.returncode != 0 or not first:
        raise ToolError(f"{binary} --version failed: {proc.stderr.decode('utf-8', 'replace')}")
    KNOWN_VERSIONS[binary_identity(binary)] = first
    return first


def fonts_digest() -> str:
    """Every font file Typst may use, by name and content: a font's version is
    in its file, and a new file may change what Typst picks."""
    from klpublish.letter.fonts import font_paths

    digest = hashlib.sha256()
    for folder in font_paths():
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def image_digests(urls: Iterable[str], folder: Path) -> Iterator[str]:
    """What each image a letter shows is, read as the renderers read it: its
    SHA-256, or why the policy refuses it (said when the letter is checked)."""
    from klpublish.letter.policy import TargetError, load_image

    for url in urls:
        try:
            yield hashlib.sha256(load_image(url, folder).data).hexdigest()
        except TargetError as exc:
            yield f"refused: {exc}"


def source_digest(letter: Letter) -> str:
    """The letter and every image it shows, read as the renderers read them."""
    digest = hashlib.sha256(letter.text.encode("utf-8"))
    urls = [
        node["c"][2][0]
        for node in iter_nodes([letter.doc["meta"], letter.doc["blocks"]])
        if node["t"] == "Image"
    ]
    for image in image_digests(urls, Path(letter.path).parent):
        digest.update(f"\0{image}".encode())
    return digest.hexdigest()


def verdict_key(source: str, layout: Layout, lang: str, threshold: float) -> str:
    from klpublish.catalogs.po import read_catalog

    digest = hashlib.sha256(code_digest().encode())
    digest.update(source.encode())
    digest.update(f"{lang}:{threshold}".encode())
    for catalog in (layout.catalog, layout.project.labels_catalog):
        try:
            path = catalog(lang)
            digest.update(read_catalog(path) if path else b"none")
        except (OSError, KlpublishError):  # that language's error, reported when assessed
            digest.update(b"missing")
    return digest.hexdigest()


def output_key(verdict: str, context: str, fmt: str) -> str:
    """One output's inputs: the language's verdict key, the render context
    (languages, date, time stamp) and the format."""
    return hashlib.sha256(f"{verdict}\0{context}\0{fmt}".encode()).hexdigest()


def _path(layout: Layout, kind: str, lang: str) -> Path:
    return layout.cache_record(kind, lang)


def load_record(path: Path) -> dict[str, Any]:
    """A build record as data: an unreadable or damaged one is an empty one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_verdict(layout: Layout, lang: str, key: str) -> tuple[float, bool, str] | None:
    """(percent translated, publishable, the language's name), when remembered
    for this key."""
    data = load_record(_path(layout, "assessment", lang))
    if data.get("key") != key:
        return None
    return float(data["percent"]), bool(data["publishable"]), str(data.get("name", ""))


def remember_verdict(
    layout: Layout, lang: str, key: str, percent: float, publishable: bool, name: str
) -> None:
    data = {"key": key, "percent": percent, "publishable": publishable, "name": name}
    write_record(_path(layout, "assessment", lang), json.dumps(data).encode())


def output_title(layout: Layout, lang: str) -> str:
    """The title the outputs of ``lang`` were last written with ("" if unknown)."""
    title = load_record(_path(layout, "outputs", lang)).get("title")
    return title if isinstance(title, str) else ""


def output_current(layout: Layout, lang: str, fmt: str, key: str, path: Path) -> bool:
    """Whether ``path`` is the file written for ``key`` and is still as written."""
    record = load_record(_path(layout, "outputs", lang)).get(fmt)
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")
    except OSError:
        return False


def remember_outputs(
    layout: Layout, lang: str, written: dict[str, tuple[str, str]], title: str
) -> None:
    """``written``: format -> (key, SHA-256) of the outputs of ``lang`` just written;
    ``title``: the letter's title in them (the index page shows it)."""
    path = _path(layout, "outputs", lang)
    data = load_record(path)
    for fmt, (key, digest) in written.items():
        data[fmt] = {"key": key, "sha256": digest}
    data["title"] = title
    write_record(path, json.dumps(data, sort_keys=True).encode())
