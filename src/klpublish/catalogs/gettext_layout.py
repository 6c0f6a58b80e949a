"""Entries laid out as GNU gettext lays them out: by gettext itself.

msgmerge, msgcat and msginit wrap strings at 79 columns where Unicode's line
breaking rules (libunistring's) allow, keep escape sequences and format
directives whole, and join a message's references on ``#:`` lines up to the same
width. Rather than imitate those rules (and differ where a version's tables
differ), each entry that is written anew is given to ``msgcat`` of the GNU
gettext that checks the catalogs (``msgfmt``), written plainly, one line per
string; what it writes back is the entry's text. Only the flags are ours (see
``flags_line``): gettext drops the flags it does not know, which other tools
(Weblate's ``read-only``, say) put there for a reason."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence

from klpublish.errors import ToolError
from klpublish.settings import MSGFMT_DEADLINE

WIDTH = 79
"""GNU gettext's page width."""
MINIMAL_HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'
"""The header an entry is laid out under when the file's own is not written anew:
msgcat needs one to read UTF-8."""

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}
_TABLE = str.maketrans(_ESCAPES)


def quoted(text: str) -> str:
    return f'"{text.translate(_TABLE)}"'


def flags_line(flags: set[str] | frozenset[str], fuzzy_shown: bool = True) -> list[str]:
    """The ``#,`` line as gettext writes it (``fuzzy`` first, then format flags,
    a range, ``wrap``/``no-wrap``), with any flag gettext does not know after
    them; ``fuzzy_shown``: False where gettext leaves it out (an empty msgstr)."""
    rest = flags - {"fuzzy"}

    def rank(flag: str) -> tuple[int, str]:
        if flag.endswith("-format"):
            return (0, flag)
        if flag.startswith("range:"):
            return (1, flag)
        return (2 if flag in ("wrap", "no-wrap") else 3, flag)

    said = (["fuzzy"] if "fuzzy" in flags and fuzzy_shown else []) + sorted(rest, key=rank)
    return [f"#, {', '.join(said)}\n"] if said else []


def plain(fields: Sequence[tuple[str, str]], prefix: str) -> list[str]:
    """``keyword "string"`` lines, one a field, unwrapped (gettext wraps them)."""
    return [f"{prefix}{keyword} {quoted(value)}\n" for keyword, value in fields]


def comment_lines(comments: Sequence[str], mark: str) -> list[str]:
    """Comment lines as gettext writes them: one for each line of each comment,
    never wrapped (``#`` alone for an empty translator comment)."""
    lines = []
    for comment in comments:
        for line in comment.split("\n"):
            lines.append(f"#{mark}{' ' if line else ''}{line}\n" if mark or line else "#\n")
    return lines


def reference_lines(places: Sequence[str], width: int = WIDTH) -> list[str]:
    """``#:`` lines as gettext writes them: references one space apart, a new
    line before one that would pass ``width`` (counted in bytes, as gettext
    counts). Written here, not by msgcat: gettext looks for each reference among
    the entry's others as it reads it, and a text a letter repeats 100,000 times
    would take it minutes."""
    if not places:
        return []
    lines, column = ["#:"], 2
    for place in places:
        size = len(place.encode("utf-8")) + 1
        if column > 2 and column + size > width:
            lines.append("\n#:")
            column = 2
        lines.append(f" {place}")
        column += size
    return ["".join(lines) + "\n"]


def laid_out(entries: Sequence[str], header: str = MINIMAL_HEADER) -> tuple[str, list[str]]:
    """``header`` and each of ``entries`` (PO text, written plainly), as gettext's
    msgcat lays them out: all active or all obsolete, each a key of its own."""
    text = "\n".join([header, *entries]).encode("utf-8")
    blocks = _msgcat(text).rstrip("\n").split("\n\n")
    if len(blocks) != len(entries) + 1:
        raise ToolError(f"msgcat wrote {len(blocks) - 1} entries of {len(entries)}")
    return blocks[0] + "\n", [block + "\n" for block in blocks[1:]]


def _msgcat(data: bytes) -> str:
    deadline = MSGFMT_DEADLINE.seconds()
    try:
        done = subprocess.run(
            ["msgcat", "--force-po", f"--width={WIDTH}", "-o", "-", "-"],
            input=data,
            capture_output=True,
            check=False,
            timeout=deadline,
            env={**os.environ, "LC_ALL": "C.UTF-8"},
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"msgcat took more than {deadline:g} s and was stopped") from exc
    except OSError as exc:
        raise ToolError(f"cannot run msgcat (GNU gettext): {exc}") from exc
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip()
        raise ToolError(f"msgcat refused an entry to write:\n{said}")
    return done.stdout.decode("utf-8")


KNOWN_FIELDS = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
"""The header fields msgmerge writes first, in its order; the others follow in
theirs."""


def header_fields(fields: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """A new catalog's header fields as msgmerge orders them, its charset named
    as gettext names it (``UTF-8``)."""
    rank = {name.lower(): n for n, name in enumerate(KNOWN_FIELDS)}
    ordered = sorted(fields, key=lambda field: rank.get(field[0].lower(), len(rank)))
    charset = "charset=UTF-8"
    return [  # Babel ends its Generated-By with a newline of its own
        (name, value.replace("charset=utf-8", charset) if name == "Content-Type" else value.strip())
        for name, value in ordered
    ]
