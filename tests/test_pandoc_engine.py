"""The long-running pandoc engine: real pandoc, its errors, and its death."""

from __future__ import annotations

import pytest

from klpublish import pandoc
from klpublish.errors import ToolError
from klpublish.letter.nodes import plain_text


def test_reads_and_writes_large_documents() -> None:
    """More than a pipe's buffer each way, so framing and flushing are exercised."""
    words = " ".join(f"ord{n}" for n in range(60_000))
    doc = pandoc.markdown_to_ast(f"# Overskrift\n\n{words}\n", "big.md")
    assert plain_text(doc["blocks"][1]["c"]) == words
    html = pandoc.ast_to_text(doc, "html5", "big", options={"wrap_text": "wrap-none"})
    assert html.startswith('<h1 id="overskrift">Overskrift</h1>\n<p>ord0 ord1')
    assert html.rstrip().endswith("ord59999</p>")


def test_pandoc_errors_name_the_input_and_leave_the_engine_working() -> None:
    doc = pandoc.markdown_to_ast("Tekst", "a.md")
    with pytest.raises(ToolError, match=r"pandoc failed on letter X: .*nosuchformat"):
        pandoc.ast_to_bytes(doc, "nosuchformat", "letter X")
    with pytest.raises(ToolError, match=r"pandoc failed on letter Y: .*"):
        pandoc.ast_to_bytes(doc, "html5", "letter Y", template="/no/such/template.html")
    assert pandoc.ast_to_text(doc, "plain", "again").strip() == "Tekst"


def test_a_dead_engine_is_reported_then_replaced() -> None:
    engine = pandoc.engine()
    engine._proc.kill()
    engine._proc.wait()
    with pytest.raises(ToolError, match=r"pandoc stopped while converting b\.md"):
        engine.request({"op": "read", "format": "markdown"}, b"Tekst", "b.md")
    assert pandoc.engine() is not engine
    assert plain_text(pandoc.markdown_to_ast("Tekst", "c.md")["blocks"][0]["c"]) == "Tekst"
