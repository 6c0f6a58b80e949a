"""Runs that share a build folder, and a build folder that refuses writes: no
crash, one located line per failed language, the others built, earlier outputs
intact, no temporary files left."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from klpublish.__main__ import main

COMMAND = [sys.executable, "-m", "klpublish", "publish"]


def outputs(build: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(build)): p.read_bytes()
        for p in sorted(build.glob("*/letter.*"))
        if p.is_file() and not p.parent.name.startswith(".")  # the build's records: .cache
    }


def temporaries(build: Path) -> list[Path]:
    return [p for p in build.rglob("*") if p.name.endswith(".tmp")]


def edit_letter() -> None:
    """A change that every language's every output shows."""
    source = Path("source/letter.da.md")
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("date: 2018-01-10", "date: 2018-01-11"), encoding="utf-8")


@pytest.mark.slow
def test_concurrent_publishes_on_one_build_folder(project: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1515542400"}
    for _ in range(2):
        shutil.rmtree("build", ignore_errors=True)
        runs = [
            subprocess.Popen(
                COMMAND, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(3)
        ]
        for run in runs:
            out, err = run.communicate(timeout=300)
            assert run.returncode == 0, err
            assert "Traceback" not in err + out
        catalogs = list(Path("locale").glob("*/LC_MESSAGES/letter.po"))
        assert len(outputs(Path("build"))) == 3 * (1 + len(catalogs))
        assert not temporaries(Path("build"))


@contextlib.contextmanager
def refused_writes(folder: Path) -> Iterator[None]:
    """``folder`` refuses new files, for root too (the immutable flag)."""
    root = os.geteuid() == 0
    if root:
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if root:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o755)


@pytest.mark.slow
def test_a_read_only_language_folder_fails_that_language_only(
    published_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = Path("build")
    before = outputs(build)
    edit_letter()
    capsys.readouterr()
    with refused_writes(build / "de"):
        assert main(["publish"]) == 1
    err = capsys.readouterr().err
    failed = err[err.index("failed:") :].splitlines()
    assert failed[1] == "  de: not published, earlier outputs left as they were", err
    assert failed[2].startswith("    build/de/letter.de.html: cannot write: "), err
    assert failed[2].endswith(("cannot write: Operation not permitted", "Permission denied")), err
    assert len(failed) == 3, err
    after = outputs(build)
    for name, data in before.items():
        assert (after[name] == data) == name.startswith("de/"), name
    assert not temporaries(build)
    assert main(["publish"]) == 0  # writable again: the language is built


def _small_files(limit: int) -> None:
    """In the child: files may not grow past ``limit`` bytes (as on a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write fails with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.slow
def test_a_file_too_large_for_the_disk_fails_its_language_only(project: Path) -> None:
    shutil.rmtree("locale/fa")  # the other language whose PDF embeds the Arabic font
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1515542400"}
    subprocess.run(COMMAND, env=env, check=True, capture_output=True)
    build = Path("build")
    before = outputs(build)
    big = {name.split("/")[0] for name, data in before.items() if len(data) > 60_000}
    assert big == {"ar"}  # the Arabic PDF embeds a second font
    edit_letter()
    run = subprocess.run(
        COMMAND,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=lambda: _small_files(60_000),
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    failed = run.stderr[run.stderr.index("failed:") :].splitlines()
    assert failed[1] == "  ar: not published, earlier outputs left as they were", run.stderr
    assert failed[2] == "    build/ar/letter.ar.pdf: cannot write: File too large", run.stderr
    after = outputs(build)
    for name, data in before.items():
        # every file of the failed language is the old one, whole
        assert (after[name] == data) == name.startswith("ar/"), name
    assert not temporaries(build)


@pytest.mark.slow
def test_a_full_disk_fails_the_languages_it_touches(tmp_path: Path, project: Path) -> None:
    """A real full disk (a small tmpfs) for the build folder."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=220k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr!r}")
    try:
        run = subprocess.run(
            [*COMMAND, "--out", str(mount / "build")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 1, run.stderr
        assert "Traceback" not in run.stderr, run.stderr
        assert "No space left on device" in run.stderr, run.stderr
        built = outputs(mount / "build")
        languages = {name.split("/")[0] for name in built}
        assert languages, "no language fitted at all"
        for lang in languages:  # a language is there whole, or not at all
            assert {n for n in built if n.startswith(f"{lang}/")} == {
                f"{lang}/letter.{lang}.{fmt}" for fmt in ("html", "epub", "pdf")
            }
        assert not temporaries(mount / "build")
    finally:
        subprocess.run(["umount", str(mount)], check=True)
