# ruff: noqa: E501  (the mutants are lines of code, quoted as they stand)
"""A scripted mutation run over the link, image and file policy: ``letter/policy.py``,
``letter/image_headers.py``, ``letter/svg_policy.py`` and the callers that ask them (see
``translations.py`` for how a run works).

    .venv/bin/python tests/mutation/images.py [NAME ...]
"""

from __future__ import annotations

import sys

from translations import Mutant, main

IMAGES = ("tests/test_images.py",)
SVG = ("tests/test_svg_images.py",)
LINKS = ("tests/test_link_policy.py",)
CONTAINED = ("tests/test_containment.py",)
ONE = ("tests/test_one_policy.py",)
MEANING = ("tests/test_target_meaning.py",)
T, H, S = "letter/policy.py", "letter/image_headers.py", "letter/svg_policy.py"

# One mutant a line, as a table.
# fmt: off
MUTANTS = [
    # sizes read from headers
    Mutant("targets: raster sizes not checked", T, "            _check_sizes(frames)\n", "", IMAGES),
    Mutant("targets: sides not capped", T, "if max(frame.width, frame.height) > MAX_SIDE:", "if False:", IMAGES),
    Mutant("targets: megapixels not capped", T, "if frame.pixels > MAX_PIXELS:", "if False:", IMAGES),
    Mutant("targets: decoded size not capped", T, "if frame.decoded_bytes > MAX_DECODED_BYTES:", "if False:", IMAGES),
    Mutant("headers: 16-bit samples counted as 8", H, "2 if depth == 16 else 1", "1", IMAGES),
    Mutant("headers: IHDR checksum not checked", H, 'if zlib.crc32(b"IHDR" + body) & 0xFFFFFFFF != crc:', "if False:", IMAGES),
    Mutant("headers: IHDR need not come first", H, 'if kind != b"IHDR" or length != 13:', "if False:", IMAGES),
    Mutant("headers: JPEG segments not skipped whole", H, "        at += length\n", "        at += 2\n", IMAGES),
    Mutant("headers: JPEG height 0 (DNL) accepted", H, "if height == 0:", "if False:", IMAGES),
    Mutant("headers: GIF frames not read", H, 'frames.append(_gif_frame(w, h, f"frame {len(frames)}"))', '_gif_frame(1, 1, "")', IMAGES),
    Mutant("headers: WebP canvas not read", H, 'yield Frame(width, height, 4, what=" (its canvas, VP8X)")', "del width, height", IMAGES),
    Mutant("headers: WebP animation frames not read", H, 'yield Frame(_u24(payload, 6) + 1, _u24(payload, 9) + 1, 4, what=" (a frame, ANMF)")', "pass", IMAGES),
    Mutant("headers: VP8 size not read", H, "yield _vp8(payload)", "_vp8(payload)", IMAGES),
    Mutant("headers: VP8L size not read", H, "yield _vp8l(payload)", "_vp8l(payload)", IMAGES),
    # the SVG allowlist
    Mutant("svg: any element", S, "if name.namespace != SVG or shown not in ELEMENTS:", "if False:", SVG),
    Mutant("svg: animation elements", S, '"mask pattern marker"', '"mask pattern marker set animate"', SVG),
    Mutant("svg: any attribute", S, "if not (key in ATTRIBUTES or key in NAMESPACED_ATTRIBUTES):", "if False:", SVG),
    Mutant("svg: href to anywhere", S, 'if qname.localname == "href" and not _LOCAL_REF.fullmatch(value.strip()):', "if False:", SVG),
    Mutant("svg: attributes' CSS not checked", S, "if key not in TEXT_ATTRIBUTES and qname.namespace is None:", "if False:", SVG),
    Mutant("svg: CSS escapes allowed", S, 'if "\\\\" in text:', "if False:", SVG),
    Mutant("svg: CSS comments kept", S, 'plain = _CSS_COMMENT.sub("", text)', "plain = text", SVG),
    Mutant("svg: CSS without @ taken as plain", S, 'for mark in "\\\\@("', 'for mark in "\\\\@"', SVG),
    Mutant("svg: comments inside <style>", S, "    if len(node):\n", "    if False:\n", SVG),
    Mutant("svg: any at-rule", S, 'if found.group(1) != "media":', "if False:", SVG),
    Mutant("svg: any CSS function", S, "if name not in CSS_FUNCTIONS:", "if False:", SVG),
    Mutant("svg: any url()", S, 'if name == "url" and not _URL_OF_ID.match(plain, offset):', "if False:", SVG),
    Mutant("svg: processing instructions", S, "if isinstance(node, etree._ProcessingInstruction):", "if False:", SVG),
    Mutant("svg: DOCTYPE", S, 'if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():', "if False:", SVG),
    Mutant("svg: root of any kind", S, 'if root.tag != f"{{{SVG}}}svg":', "if False:", SVG),
    Mutant("svg: <use> not expanded", S, "    _check_use_expansion(root, ids)\n", "", SVG),
    Mutant("svg: declared sizes not checked", T, "        _check_sizes(sizes)\n", "", IMAGES),
    Mutant("svg: viewBox not read", S, '            yield box[0], box[1], f"its viewBox, line {node.sourceline} of the SVG"\n', "            pass\n", IMAGES),
    # links and local files
    Mutant("links: .. may climb out", T, "            if not parts:\n                raise TargetError(OUTSIDE)\n            parts.pop()", "            if parts:\n                parts.pop()", LINKS),
    Mutant("links: relative links not judged", T, "        return Target(url, None, _inside_parts(url))\n", "        return Target(url, None)\n", LINKS),
    Mutant("links: not percent-decoded", T, "    _parts(_decoded(path))\n    return _parts(unquote(path))", "    return _parts(path)", LINKS),
    Mutant("links: decoded once only", T, "    for _ in range(4):\n        decoded = unquote(path)", "    return unquote(path)\n    for _ in range(4):\n        decoded = unquote(path)", LINKS),
    Mutant("images: the file named decoded over and over", T, "    return _parts(unquote(path))", "    return _parts(_decoded(path))", MEANING),
    Mutant("links: the query is part of the file name", T, '.split("?", 1)[0]\n', "\n", LINKS),
    Mutant("links: backslashes", T, 'if "\\\\" in path or "\\x00" in path:', 'if "\\x00" in path:', LINKS),
    Mutant("links: from the site's root", T, 'if path.startswith("/"):', "if False:", LINKS),
    Mutant("links: a user before the host", T, 'if "@" in found.group(1):', "if False:", LINKS),
    Mutant("targets: symbolic links leading out said otherwise", T, "if os.path.lexists(path) and leads_outside(path, folder):", "if False:", CONTAINED),
    # the callers: each asks judge (tests/test_one_policy.py holds every caller to it)
    Mutant("letter_policy: links not asked", "letter/markup.py", "            judge(url, Use.LINK)\n", "            pass\n", ONE),
    Mutant("letter_policy: images not asked", "letter/markup.py", "            load_image(url, folder)\n", "            pass\n", SVG),
    Mutant("letter_policy: front matter targets not asked", "letter/markup.py", '            check_target(node, folder, where(field, node["c"][2][0]))\n', "            pass\n", LINKS),
    Mutant("letter_policy: a target written otherwise not located", "letter/markup.py", "for spelling in spellings(needle) if needle)", "for spelling in (needle,) if needle)", MEANING),
    Mutant("source: the body's targets not asked", "letter/read.py", "            check_target(node, Path(letter.path).parent, _target_place(where, node))\n", "            pass\n", LINKS),
    Mutant("letter_policy: dropped HTML not looked for", "letter/markup.py", '    if not any("<" in line for line in lines):\n        return', "    return", LINKS),
    Mutant("letter_policy: HTML divs and spans read as such", "letter/markup.py", '_AS_TEXT = "-raw_html-native_divs-native_spans"', '_AS_TEXT = "-raw_html"', LINKS),
    Mutant("translate: safe_target asks nothing", "translation/translate.py", "        judge(url, use)\n    except TargetError:", "        pass\n    except TargetError:", LINKS),
    Mutant("translate: an image judged as a link", "translation/translate.py", "if not safe_target(url, NODE_USES[t]):", "if not safe_target(url):", ONE),
    Mutant("checks: safe_urls asks nothing", "translation/checkers.py", '                judge(url, NODE_USES[node["t"]])\n', "                pass\n", ONE),
    Mutant("checks: images compared by their text", "translation/checkers.py", '    if kind == "Image":\n        try:', '    if False:\n        try:', MEANING),
    Mutant("memory: its translations not checked", "catalogs/memory.py", "            errors, _ = located(check_pair(pair), unit.origin)\n", "            errors = []\n", ONE),
    Mutant("render: links not asked", "render/guard.py", "                judge(url, Use.LINK)\n", "                pass\n", ONE),
    Mutant("build_cache: images not read", "build/cache.py", '        digest.update(f"\\0{image}".encode())\n', "        pass\n", ONE),
    Mutant("front_matter: the web address not asked", "letter/front_matter.py", "        judge(str(node.value), Use.WEB)\n", "        pass\n", ONE),
]
# fmt: on


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], MUTANTS))
