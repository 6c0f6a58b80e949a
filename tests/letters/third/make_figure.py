"""Draws ``kommuner.png`` (the figure of ``third.da.md``) from ``kommuner.typ``
with the project's Typst and fonts:
``.venv/bin/python tests/letters/third/make_figure.py``."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def main() -> None:
    import typst

    from klpublish.letter.fonts import font_paths

    png = typst.compile(
        str(HERE / "kommuner.typ"),
        format="png",
        ppi=120,
        font_paths=list(font_paths()),
        ignore_system_fonts=True,
    )
    assert isinstance(png, bytes)
    (HERE / "kommuner.png").write_bytes(png)


if __name__ == "__main__":
    main()
