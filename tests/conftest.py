from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import ROOT, copy_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's source and catalogs in a temporary working directory."""
    copy_project(tmp_path)
    shutil.copy(ROOT / "babel.cfg", tmp_path / "babel.cfg")
    monkeypatch.chdir(tmp_path)
    return tmp_path
