"""What an SVG image may hold: static graphics, by an allowlist (see SECURITY.md).

An SVG is a document that can run scripts, animate its own attributes into
event handlers or ``javascript:`` links (``<set attributeName="onmouseover">``),
fetch style sheets and fonts (``@import``, ``url(...)``) and include other
files. HTML and EPUB embed the letter's SVGs, so only the SVG 1.1/2 subset for
static pictures passes: shapes, text, groups, gradients, patterns, clipping and
masks, markers, reuse of the image's own parts (``#id`` only), titles and
descriptions, and the editors' inert metadata. Anything else is refused by name.

Style (the ``style`` attribute, presentation attributes and ``<style>``) is
CSS, which has escapes (``u\\72l(``) and comments (``@im/**/port``): a backslash
is refused, comments are removed before looking, a ``<style>`` may hold only
text (an XML comment inside it splits a word for the reader's eye only), and
only plain functions (colours, ``calc``, transforms, ``url(#id)``) and no
at-rule but ``@media`` may appear.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator

from lxml import etree

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

INERT_NAMESPACES = frozenset(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.inkscape.org/namespaces/inkscape",
    }
)
"""Metadata and editor settings (RDF, Dublin Core, Creative Commons, Inkscape):
no renderer acts on them; they are common in exported files."""

_ELEMENTS = (
    "svg g defs symbol use title desc metadata style path rect circle ellipse line "
    "polyline polygon text tspan textPath linearGradient radialGradient stop clipPath "
    "mask pattern marker"
)
ELEMENTS = frozenset(_ELEMENTS.split())
"""Static graphics only: no script, foreignObject, a, image, animation (set,
animate, animateTransform, animateMotion, mpath, discard), filter, switch, cursor
or font elements."""

_PRESENTATION = (
    "alignment-baseline baseline-shift clip clip-path clip-rule color "
    "color-interpolation color-rendering direction display dominant-baseline fill "
    "fill-opacity fill-rule font font-family font-size font-size-adjust font-stretch "
    "font-style font-variant font-weight image-rendering isolation letter-spacing "
    "marker marker-start marker-mid marker-end mask mask-type mix-blend-mode opacity "
    "overflow paint-order pointer-events shape-rendering stop-color stop-opacity stroke "
    "stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit "
    "stroke-opacity stroke-width text-anchor text-decoration text-rendering "
    "transform transform-origin unicode-bidi vector-effect visibility white-space "
    "word-spacing writing-mode"
)
_GEOMETRY = (
    "x y width height rx ry cx cy r fx fy fr x1 y1 x2 y2 d points pathLength dx dy "
    "rotate textLength lengthAdjust startOffset method spacing side viewBox "
    "preserveAspectRatio version baseProfile gradientUnits gradientTransform "
    "spreadMethod offset patternUnits patternContentUnits patternTransform "
    "clipPathUnits maskUnits maskContentUnits markerUnits markerWidth markerHeight "
    "orient refX refY type media style href"
)
_TEXT = "id class lang systemLanguage role aria-label aria-labelledby aria-describedby aria-hidden"

TEXT_ATTRIBUTES = frozenset(_TEXT.split())
"""Attributes whose value is a name or words, never CSS."""
ATTRIBUTES = frozenset(_PRESENTATION.split()) | frozenset(_GEOMETRY.split()) | TEXT_ATTRIBUTES
"""No ``on...`` event attribute, no ``attributeName``, ``xml:base``, ``requiredExtensions``."""
NAMESPACED_ATTRIBUTES = frozenset(
    {f"{{{XLINK}}}href", f"{{{XLINK}}}title", f"{{{XML}}}space", f"{{{XML}}}lang"}
)

_FUNCTIONS = (
    "rgb rgba hsl hsla hwb lab lch oklab oklch color calc min max clamp var translate "
    "translatex translatey rotate scale scalex scaley matrix skew skewx skewy url"
)
CSS_FUNCTIONS = frozenset(_FUNCTIONS.split())
"""CSS functions that compute a value; ``url`` only as ``url(#id)``. Others may
fetch (``image-set("x.png")``, ``image()``, ``cross-fade()``) or run (``expression()``)."""

MAX_SVG_NODES = 1_000_000
"""Elements an SVG may draw once each ``<use>`` is expanded: ten groups of ten
uses of each other are 10^10 elements to draw from a few hundred bytes."""

_LOCAL_REF = re.compile(r"#[^\s#'\"()<>\\]+")
_URL_OF_ID = re.compile(r"url\(\s*(['\"]?)#[^\s'\"()\\]+\1\s*\)")


class SvgRefused(ValueError):
    """What in the SVG is outside the allowlist, with its line in the SVG."""


def check_svg(root: etree._Element) -> None:
    """Raise ``SvgRefused`` for the first element, attribute or style outside the policy."""
    ids: dict[str, etree._Element] = {}
    for node in root.iter():
        if not isinstance(node.tag, str):
            _check_special(node)
            continue
        _check_element(node)
        if node.get("id"):
            ids[str(node.get("id"))] = node
    _check_use_expansion(root, ids)


def _where(node: etree._Element) -> str:
    return f" (line {node.sourceline} of the SVG)" if node.sourceline else ""


def _check_special(node: etree._Element) -> None:
    if isinstance(node, etree._ProcessingInstruction):
        raise SvgRefused(
            f"SVG processing instruction <?...?> is not allowed{_where(node)}: "
            "it may make the reader fetch a style sheet"
        )
    if isinstance(node, etree._Entity):
        raise SvgRefused(f"SVG entity &{node.name}; is not allowed{_where(node)}")


def _check_element(node: etree._Element) -> None:
    name = etree.QName(node)
    shown = name.localname
    if name.namespace in INERT_NAMESPACES:
        for key in node.attrib:
            local = etree.QName(key).localname
            if local.lower().startswith("on"):
                raise SvgRefused(f"SVG attribute {local} is not allowed{_where(node)}")
        return
    if name.namespace != SVG or shown not in ELEMENTS:
        raise SvgRefused(
            f"SVG element <{shown}> is not allowed{_where(node)}: expected static graphics "
            "(shapes, text, groups, gradients, patterns, clip paths, masks, markers)"
        )
    for key, raw in node.attrib.items():
        _check_attribute(shown, str(key), str(raw), node)
    if shown == "style":
        _check_style_element(node)


def _check_attribute(element: str, key: str, value: str, node: etree._Element) -> None:
    qname = etree.QName(key)
    prefix = {XLINK: "xlink:", XML: "xml:"}.get(qname.namespace or "", "")
    shown = prefix + qname.localname
    if qname.namespace in INERT_NAMESPACES:
        return
    if not (key in ATTRIBUTES or key in NAMESPACED_ATTRIBUTES):
        raise SvgRefused(
            f"SVG attribute {shown} on <{element}> is not allowed{_where(node)}: expected "
            "geometry and presentation attributes (no event handlers, no animation)"
        )
    if qname.localname == "href" and not _LOCAL_REF.fullmatch(value.strip()):
        raise SvgRefused(
            f"SVG attribute {shown}={value[:60]!r} on <{element}> points outside the "
            f"image{_where(node)}: expected #id, a part of the same SVG"
        )
    if key not in TEXT_ATTRIBUTES and qname.namespace is None:
        problem = css_problem(value)
        if problem:
            raise SvgRefused(f"SVG attribute {shown} on <{element}> {problem}{_where(node)}")


def _check_style_element(node: etree._Element) -> None:
    if len(node):
        raise SvgRefused(
            f"SVG <style> holds a comment or an element{_where(node)}: expected CSS text only"
        )
    kind = (node.get("type") or "text/css").strip().lower()
    if kind != "text/css":
        raise SvgRefused(f"SVG <style type={kind!r}> is not allowed{_where(node)}")
    problem = css_problem(node.text or "")
    if problem:
        raise SvgRefused(f"SVG <style> {problem}{_where(node)}")


_CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.DOTALL)
_AT_RULE = re.compile(r"@\s*([a-z-]*)")
_NAME_BEFORE = re.compile(r"([a-z_-][a-z0-9_-]*)?\s*$")
NAME_WINDOW = 64
"""Characters looked at before a ``(`` for its function's name: CSS's are short,
and a longer name is refused whatever it is. Scanning backwards from each ``(``
keeps the check linear (a pattern searching forwards for ``name(`` tried every
start of a long run of letters: 80 KB of them took a minute)."""


def _functions(plain: str) -> Iterator[tuple[str, int]]:
    """(name, offset) of each CSS function call in ``plain``; name may be empty."""
    start = plain.find("(")
    while start >= 0:
        first = max(0, start - NAME_WINDOW)
        found = _NAME_BEFORE.search(plain, first, start)  # always matches, if only ""
        assert found is not None
        yield found.group(1) or "", found.start()
        start = plain.find("(", start + 1)


@functools.lru_cache(maxsize=4096)
def css_problem(text: str) -> str | None:
    """Why ``text`` (CSS) could fetch or run something, or None."""
    if not any(mark in text for mark in "\\@("):
        return None  # numbers, names and colours: most attributes of a drawing
    if "\\" in text:
        return "holds a backslash (a CSS escape, such as u\\72l for url): expected plain CSS"
    plain = _CSS_COMMENT.sub("", text)
    plain = plain.replace("<!--", "").replace("-->", "").lower()
    for found in _AT_RULE.finditer(plain):
        if found.group(1) != "media":
            return f"holds the CSS rule @{found.group(1)[:40]}: expected declarations only"
    for name, offset in _functions(plain):
        if name not in CSS_FUNCTIONS:
            return f"holds the CSS function {name[:40]}(): expected colours, lengths and url(#id)"
        if name == "url" and not _URL_OF_ID.match(plain, offset):
            shown = plain[offset : offset + 60]
            return f"holds {shown}: expected url(#id), a part of the same SVG"
    return None


def _check_use_expansion(root: etree._Element, ids: dict[str, etree._Element]) -> None:
    sizes: dict[etree._Element, int] = {}
    active: set[etree._Element] = set()

    def size(node: etree._Element) -> int:
        if node in sizes:
            return sizes[node]
        if node in active:
            raise SvgRefused(f"SVG <use> refers to itself{_where(node)}")
        active.add(node)
        total = 1
        for child in _drawn_children(node, ids):
            total += size(child)
            if total > MAX_SVG_NODES:
                raise SvgRefused(
                    f"SVG draws more than {MAX_SVG_NODES:,} elements once its <use> "
                    f"references are expanded{_where(node)}: expected a picture"
                )
        active.discard(node)
        sizes[node] = total
        return total

    try:
        size(root)
    except RecursionError as exc:
        raise SvgRefused("SVG nests <use> references too deeply: expected a picture") from exc


def _drawn_children(
    node: etree._Element, ids: dict[str, etree._Element]
) -> Iterator[etree._Element]:
    for child in node:
        if isinstance(child.tag, str):
            yield child
    if etree.QName(node).localname == "use":
        ref = node.get("href") or node.get(f"{{{XLINK}}}href") or ""
        target = ids.get(ref.strip()[1:])
        if target is not None:
            yield target


def parse_svg(data: bytes) -> etree._Element:
    """The root ``<svg>`` of ``data``: UTF-8 XML without a DOCTYPE (no entities,
    no DTD to fetch), read without network or entity expansion."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SvgRefused(f"SVG is not UTF-8 text (byte {exc.start})") from exc
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise SvgRefused(
            "SVG declares a DOCTYPE or entities: expected none (delete the <!DOCTYPE ...> part)"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
        strip_cdata=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SvgRefused(f"SVG is not well-formed XML: {exc}") from exc
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
    if encoding not in ("UTF-8", "US-ASCII", "ASCII"):
        raise SvgRefused(f"SVG declares the encoding {encoding}: expected UTF-8")
    for sibling in root.itersiblings(preceding=True):
        _check_special(sibling)
    if root.tag != f"{{{SVG}}}svg":
        raise SvgRefused(
            f'SVG\'s root element is <{etree.QName(root).localname}>: expected <svg xmlns="{SVG}">'
        )
    return root


_LENGTH = re.compile(
    r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*"
)
_PX = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}
_PX.update({"em": 16.0, "ex": 8.0})  # at the default font size


def declared_sizes(root: etree._Element) -> Iterator[tuple[float, float, str]]:
    """(width, height, where) in CSS pixels of each ``<svg>``'s declared size and
    of each ``viewBox``: what a renderer takes as the picture's size."""
    for node in root.iter(f"{{{SVG}}}svg"):
        box = _view_box(node)
        if box is not None:
            yield box[0], box[1], f"its viewBox, line {node.sourceline} of the SVG"
        width = _length(node, "width")
        height = _length(node, "height")
        width = width if width is not None else box[0] if box else None
        height = height if height is not None else box[1] if box else None
        if width is not None and height is not None:
            yield width, height, f"its width and height, line {node.sourceline} of the SVG"


def _length(node: etree._Element, name: str) -> float | None:
    value = node.get(name)
    if value is None:
        return None
    found = _LENGTH.fullmatch(value)
    if not found:
        raise SvgRefused(f"SVG {name}={value[:40]!r} is not a length{_where(node)}")
    unit = found.group(2) or ""
    if unit == "%":
        return None  # the size of where it is shown
    pixels = float(found.group(1)) * _PX[unit]
    if not math.isfinite(pixels) or pixels < 0:
        raise SvgRefused(f"SVG {name}={value[:40]!r} is not a length{_where(node)}")
    return pixels


def _view_box(node: etree._Element) -> tuple[float, float] | None:
    value = node.get("viewBox")
    if value is None:
        return None
    try:
        numbers = [float(n) for n in re.split(r"[\s,]+", value.strip())]
    except ValueError:
        numbers = []
    if len(numbers) != 4 or not all(map(math.isfinite, numbers)) or min(numbers[2:]) < 0:
        raise SvgRefused(
            f"SVG viewBox={value[:60]!r} is not four numbers with a width and height of "
            f"zero or more{_where(node)}"
        )
    return numbers[2], numbers[3]
