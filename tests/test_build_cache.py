"""The build cache: an upgraded tool makes every output again."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import babel
import pytest

from klpublish.__main__ import main
from klpublish.build import cache
from klpublish.pandoc import pandoc_path

LANGS = ["da", "ar", "de", "en", "fa", "pl", "tr", "uk"]


@pytest.fixture(autouse=True)
def fresh_digest() -> Iterator[None]:
    """The code digest is computed once per process: each test sees its own tools."""
    cache.code_digest.cache_clear()
    yield
    cache.code_digest.cache_clear()


def test_toolchain_names_the_tools_really_used() -> None:
    tools = cache.toolchain()
    assert tools["pandoc"].startswith("pandoc 3."), tools
    assert tools["babel"] == babel.__version__
    assert tools["typst"] == metadata.version("typst")
    assert tools["pypandoc-binary"] == metadata.version("pypandoc-binary")
    assert len(tools["fonts"]) == 64


def _made(out: str) -> set[str]:
    """The letters a publish run made (written, or made and found unchanged),
    as opposed to those it found up to date without making them."""
    return {
        line.split()[1]
        for line in out.splitlines()
        if line.startswith(("wrote build/", "unchanged build/")) and "index" not in line
    }


def _upgrade(tool: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the process see another version of ``tool``, where the cache reads it."""
    if tool == "pandoc":
        real = cache.pandoc_version(pandoc_path())
        monkeypatch.setattr(cache, "pandoc_version", lambda binary: real + ".1")
    elif tool == "fonts":
        real_digest = cache.fonts_digest()
        monkeypatch.setattr(cache, "fonts_digest", lambda: real_digest + "-changed")
    else:
        real_version = metadata.version

        def version(name: str) -> str:
            found = real_version(name)
            return found + ".post1" if name.lower() == tool else found

        monkeypatch.setattr(metadata, "version", version)  # where the cache asks it


@pytest.mark.parametrize("tool", ["pandoc", "typst", "babel", "fonts"])
def test_an_upgraded_tool_rebuilds_every_output(
    tool: str, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    every = {f"build/{lang}/letter.{lang}.html" for lang in LANGS}
    assert main(["publish", "--format", "html"]) == 0
    assert _made(capsys.readouterr().out) == every
    cache.code_digest.cache_clear()
    assert main(["publish", "--format", "html"]) == 0
    assert _made(capsys.readouterr().out) == set(), "nothing changed, nothing is made"
    _upgrade(tool, monkeypatch)
    cache.code_digest.cache_clear()
    assert main(["publish", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert _made(out) == every, out
