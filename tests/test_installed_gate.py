"""An installed klpublish, built from this checkout as a wheel into a fresh virtual
environment outside it, publishes a project and passes `klpublish check` on it: the
gate's scripts come from the installed package, the Node checkers from the project's
own node_modules.

To stay cheap, klpublish alone is installed (``--no-deps``); its dependencies are those
of this checkout's environment, reached through a ``.pth`` file that names its
site-packages (a path entry only: the checkout's editable install is not activated
there, so ``import klpublish`` finds the wheel). pip's cache serves the build backend."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from helpers import ROOT, copy_project

PIP_DEADLINE = 300
PUBLISH_DEADLINE = 300
CHECK_DEADLINE = 1800
"""Seconds, far above the usual (pip 7 s, publish 3 s, check 60 s)."""


def run(args: list[str], cwd: Path, deadline: int) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KLPUBLISH_NODE_PROJECT", "PYTHONPATH")}
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=deadline, check=False
    )
    assert proc.returncode == 0, f"{' '.join(args)}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def checkout_copy(into: Path) -> Path:
    """What a source distribution holds. Built in place, setuptools would write its
    build/ folder into the checkout, where klpublish's own outputs go."""
    into.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, into / name)
    shutil.copytree(
        ROOT / "src", into / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    return into


@pytest.mark.slow
def test_an_installed_klpublish_checks_a_published_project(tmp_path: Path) -> None:
    assert ROOT not in tmp_path.parents
    source = checkout_copy(tmp_path / "klpublish-source")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path, PIP_DEADLINE)
    python = venv / "bin" / "python"
    pip = [sys.executable, "-m", "pip", "--python", str(python)]
    run([*pip, "install", "--quiet", "--no-deps", str(source)], tmp_path, PIP_DEADLINE)
    purelib = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        tmp_path,
        PIP_DEADLINE,
    ).stdout.strip()
    (Path(purelib) / "klpublish-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    where = run(
        [str(python), "-c", "import klpublish; print(klpublish.__file__)"], tmp_path, PIP_DEADLINE
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    project = copy_project(tmp_path / "project")
    (project / "node_modules").symlink_to((ROOT / "node_modules").resolve())
    klpublish = str(venv / "bin" / "klpublish")
    run(
        [klpublish, "publish", "--lang", "da", "--format", "html", "--format", "pdf"],
        project,
        PUBLISH_DEADLINE,
    )
    checked = run([klpublish, "check"], project, CHECK_DEADLINE)
    table = checked.stdout
    assert "FAIL" not in table, table
    # The table's head: its letter column's name is also the shipped letter's name.
    head = next(line.split() for line in table.splitlines() if line.startswith("letter "))
    assert head[:3] == ["letter", "lang", "format"], table
    for checker in (
        "pa11y",
        "layout",
        "vnu",
        "reading-order",
        "pdf",
        "pdfua",
        "screen-reader",
        "content",
        "language",
    ):
        assert checker in head, table
    assert (project / "build" / "reports" / "screen-reader" / "da").is_dir()
