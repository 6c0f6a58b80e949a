"""The front matter fields ``klpublish import`` left for the author to fill in:
commented lines it ends with :data:`FILL_IN`. Read from the letter's text alone
(no pandoc), so that a publish with nothing to do says them too."""

from __future__ import annotations

FILL_IN = " -- not in the document: fill in"
"""How import ends the commented line it leaves for a field the document did not
give (``# date: YYYY-MM-DD (the letter's date)`` and this)."""


def fill_in_warnings(path: str, text: str) -> list[str]:
    """Each such field of the front matter, as a warning at its line: the letter
    goes out without it."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return []
    found = []
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        if line.startswith("#") and line.endswith(FILL_IN):
            key = line[1:].strip().partition(":")[0]
            found.append(
                f"{path}:{number}: warning: '{key}' is not filled in: the line is a comment "
                "that import left for it; expected the value, or the line removed"
            )
    return found
