"""What a build remembers between runs, kept under ``OUT/.cache`` and keyed by
content: each language's verdict (can it be published?) and a record of each
output written, so that a run redoes only what its inputs changed."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from .errors import KlpublishError
from .fileio import write_if_changed
from .layout import Layout
from .segments import iter_nodes
from .source import Letter, local_path


@cache
def code_digest() -> str:
    """Changes whenever the package's code or templates change."""
    digest = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".typ", ".html", ".css", ".lua"):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def source_digest(letter: Letter) -> str:
    """The letter and every local file its images name."""
    digest = hashlib.sha256(letter.text.encode("utf-8"))
    for node in iter_nodes(letter.doc["blocks"]):
        if node["t"] == "Image" and (target := local_path(node["c"][2][0], letter.path)):
            try:
                digest.update(target.read_bytes())
            except OSError:
                digest.update(b"missing")
    return digest.hexdigest()


def verdict_key(source: str, layout: Layout, lang: str, threshold: float) -> str:
    digest = hashlib.sha256(code_digest().encode())
    digest.update(source.encode())
    digest.update(f"{lang}:{threshold}".encode())
    try:
        digest.update(layout.catalog(lang).read_bytes())
    except (OSError, KlpublishError):  # that language's error, reported when assessed
        digest.update(b"missing")
    return digest.hexdigest()


def output_key(verdict: str, context: str, fmt: str) -> str:
    """One output's inputs: the language's verdict key, the render context
    (languages, date, time stamp) and the format."""
    return hashlib.sha256(f"{verdict}\0{context}\0{fmt}".encode()).hexdigest()


def _path(layout: Layout, kind: str, lang: str) -> Path:
    return layout.cache_record(kind, lang)


def _load(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def cached_verdict(layout: Layout, lang: str, key: str) -> tuple[float, bool, str] | None:
    """(percent translated, publishable, the language's name), when remembered
    for this key."""
    data = _load(_path(layout, "assessment", lang))
    if data.get("key") != key:
        return None
    return float(data["percent"]), bool(data["publishable"]), str(data.get("name", ""))


def remember_verdict(
    layout: Layout, lang: str, key: str, percent: float, publishable: bool, name: str
) -> None:
    data = {"key": key, "percent": percent, "publishable": publishable, "name": name}
    write_if_changed(_path(layout, "assessment", lang), json.dumps(data).encode())


def output_current(layout: Layout, lang: str, fmt: str, key: str, path: Path) -> bool:
    """Whether ``path`` is the file written for ``key`` and is still as written."""
    record = _load(_path(layout, "outputs", lang)).get(fmt)
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == record.get("sha256")
    except OSError:
        return False


def remember_outputs(layout: Layout, lang: str, written: dict[str, tuple[str, str]]) -> None:
    """``written``: format -> (key, SHA-256) of the outputs of ``lang`` just written."""
    path = _path(layout, "outputs", lang)
    data = _load(path)
    for fmt, (key, digest) in written.items():
        data[fmt] = {"key": key, "sha256": digest}
    write_if_changed(path, json.dumps(data, sort_keys=True).encode())
