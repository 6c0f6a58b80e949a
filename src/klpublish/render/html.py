"""The HTML page: one self-contained file per language."""

from __future__ import annotations

from importlib import resources

from .. import pandoc
from ..segments import Node, iter_nodes


def template_path(name: str) -> str:
    return str(resources.files("klpublish") / "templates" / name)


def render_html(doc: Node, resource_dir: str) -> bytes:
    css = (resources.files("klpublish") / "templates" / "letter.css").read_text(encoding="utf-8")
    args = [
        "--standalone",
        f"--template={template_path('letter.html')}",
        "--variable",
        f"css={css}",
        "--wrap=none",
        "--section-divs",
    ]
    if any(n["t"] == "Image" for n in iter_nodes(doc["blocks"])):
        args += ["--embed-resources", f"--resource-path={resource_dir}"]
    return pandoc.ast_to_text(doc, "html5", "HTML", args).encode("utf-8")
