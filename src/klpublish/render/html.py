"""The HTML page: one self-contained file per language."""

from __future__ import annotations

import json
from importlib import resources

from .. import pandoc
from ..segments import Node, iter_nodes


def template_path(name: str) -> str:
    return str(resources.files("klpublish") / "templates" / name)


def render_html(doc: Node, resource_dir: str) -> bytes:
    css = (resources.files("klpublish") / "templates" / "letter.css").read_text(encoding="utf-8")
    if any(n["t"] == "Image" for n in iter_nodes(doc["blocks"])):
        # Embedding images is the command line's work; pandoc's Lua API cannot.
        args = [
            "--from=json",
            "--to=html5",
            f"--template={template_path('letter.html')}",
            "--variable",
            f"css={css}",
            "--wrap=none",
            "--section-divs",
            "--embed-resources",
            f"--resource-path={resource_dir}",
        ]
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return pandoc.run_command_line(args, data, "HTML")
    return pandoc.ast_to_bytes(
        doc,
        "html5",
        "HTML",
        {"variables": {"css": css}, "wrap_text": "wrap-none", "section_divs": True},
        template=template_path("letter.html"),
    )
