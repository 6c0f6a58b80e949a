"""The headless world Orca reads in: a home of its own, an X display (Xvfb), a D-Bus
session with the AT-SPI bus, and a speech server that writes every utterance to its log
(audio goes to a null ALSA device). Every process started here dies with the process that
started it, and that process reaps any process they leave (it is their "subreaper").

Run with Debian's python3, imported by ``orca_listen.py`` from beside it."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

MARK_VARIABLE = "KLPUBLISH_GATE_RUN"
"""klpublish marks every process of one checker run with this variable, to find and kill
them all at its deadline: the world's processes keep it."""

libc = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


class SetupError(Exception):
    """The headless screen-reader environment could not be brought up."""


def die_with_parent() -> None:
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    os.setpgrp()


def descendants() -> list[int]:
    """Every living process below this one (orphans come back to us: we are a subreaper)."""
    parent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    mine, found = {os.getpid()}, True
    while found:
        found = False
        for pid, ppid in parent.items():
            if ppid in mine and pid not in mine:
                mine.add(pid)
                found = True
    mine.discard(os.getpid())
    return sorted(mine)


def reap_all() -> None:
    """Kill every descendant and wait for it (Orca ignores SIGTERM for seconds)."""
    for _ in range(20):
        pids = descendants()
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 2
        while time.monotonic() < deadline:
            try:
                if os.waitpid(-1, os.WNOHANG) == (0, 0):
                    time.sleep(0.05)
            except ChildProcessError:
                break


class World:
    """The processes of one headless session, and where their files are."""

    def __init__(self, root: Path) -> None:
        if root.exists():
            shutil.rmtree(root)
        self.root = root
        self.home = root / "home"
        self.logs = root / "logs"
        for folder in (self.home, self.logs, root / "run", root / "speechd", root / "orca"):
            folder.mkdir(parents=True)
        (root / "run").chmod(0o700)
        self.env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "HOME": str(self.home),
            "XDG_RUNTIME_DIR": str(root / "run"),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_CACHE_HOME": str(self.home / ".cache"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
            # Orca's own words (role names, page summary) in English, whatever the host says.
            "LANG": "C.UTF-8",
            "LANGUAGE": "en",
            "NO_AT_BRIDGE": "0",
            "ACCESSIBILITY_ENABLED": "1",
            "GTK_MODULES": "gail:atk-bridge",
            **{k: v for k, v in os.environ.items() if k == MARK_VARIABLE},
        }
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self, name: str, args: list[str], descriptors: tuple[int, ...] = (), **kw: Any
    ) -> subprocess.Popen[bytes]:
        """Start a process of this world; ``descriptors`` become its 3, 4, ... ."""
        log = (self.logs / f"{name}.out").open("ab")

        def prepare() -> None:
            die_with_parent()
            # Out of the way first: one of them may already be a 3 or a 4.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 100) for fd in descriptors]
            for number, fd in enumerate(high, start=3):
                os.dup2(fd, number)  # the copy is inherited, the original is not

        proc = subprocess.Popen(
            args,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=kw.pop("stdout", log),
            stderr=log,
            preexec_fn=prepare,
            # Descriptors 3, 4, ... are made in ``prepare``, after the ones to close
            # would be chosen: none is closed here, and Python's own are not inherited.
            close_fds=not descriptors,
            **kw,
        )
        self.procs.append(proc)
        return proc

    def call(self, args: list[str], timeout: float = 10) -> str:
        proc = subprocess.run(
            args, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if proc.returncode != 0:
            raise SetupError(f"{' '.join(args[:3])} failed: {proc.stderr.strip()[-300:]}")
        return proc.stdout


def wait_until(
    what: str, ready: Any, deadline: float, proc: subprocess.Popen[bytes] | None
) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if ready():
            return
        if proc is not None and proc.poll() is not None:
            raise SetupError(f"{what} exited with {proc.returncode} before it was ready")
        time.sleep(0.1)
    raise SetupError(f"{what} was not ready after {deadline:.0f} s")


def start_xvfb(world: World) -> None:
    read, write = os.pipe()
    proc = world.start(
        "xvfb",
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        pass_fds=(write,),
    )
    os.close(write)
    end = time.monotonic() + 20
    number = b""
    os.set_blocking(read, False)
    while time.monotonic() < end and not number.endswith(b"\n"):
        try:
            number += os.read(read, 16)
        except BlockingIOError:
            if proc.poll() is not None:
                raise SetupError(f"Xvfb exited with {proc.returncode}") from None
            time.sleep(0.05)
    os.close(read)
    if not number.strip().isdigit():
        raise SetupError("Xvfb gave no display number")
    world.env["DISPLAY"] = f":{number.strip().decode()}"


def start_dbus(world: World) -> None:
    proc = world.start(
        "dbus",
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    address = proc.stdout.readline().decode().strip()
    if not address:
        raise SetupError("dbus-daemon gave no address")
    world.env["DBUS_SESSION_BUS_ADDRESS"] = address


def start_atspi(world: World) -> None:
    proc = world.start("at-spi", ["/usr/libexec/at-spi-bus-launcher", "--launch-immediately"])

    def up() -> bool:
        try:
            world.call(
                ["gdbus", "call", "--session", "--dest", "org.a11y.Bus", "--object-path",
                 "/org/a11y/bus", "--method", "org.a11y.Bus.GetAddress"],
                timeout=5,
            )  # fmt: skip
        except SetupError:
            return False
        return True

    wait_until("at-spi-bus-launcher", up, 20, proc)
    for prop in ("IsEnabled", "ScreenReaderEnabled"):
        world.call(
            ["gdbus", "call", "--session", "--dest", "org.a11y.Bus", "--object-path",
             "/org/a11y/bus", "--method", "org.freedesktop.DBus.Properties.Set",
             "org.a11y.Status", prop, "<true>"]
        )  # fmt: skip


SPEECHD_CONF = """\
LogLevel 5
LogDir "{logs}"
AddModule "silent" "sd_generic" "silent.conf"
DefaultModule silent
AudioOutputMethod "alsa"
AudioALSADevice "null"
"""
SILENT_MODULE = """\
GenericExecuteSynth "true"
GenericCmdDependency "true"
AddVoice "en" "MALE1" "en"
GenericLanguage "en" "en" "utf-8"
"""
"""A voice that says nothing and is done at once: speech-dispatcher logs each message Orca
sends before any module sees it, and synthesising it (espeak-ng: 15-35 s a page here, most
of it Arabic spelled out by an English voice) would only make Orca wait."""


def start_speechd(world: World) -> Path:
    conf = world.root / "speechd"
    (conf / "speechd.conf").write_text(SPEECHD_CONF.format(logs=world.logs))
    (conf / "modules").mkdir()
    (conf / "modules" / "silent.conf").write_text(SILENT_MODULE)
    (world.home / ".asoundrc").write_text(
        "pcm.!default { type null }\nctl.!default { type null }\n"
    )
    proc = world.start(
        "speechd",
        ["speech-dispatcher", "-s", "-t", "0", "-l", "5", "-L", str(world.logs), "-C", str(conf)],
    )
    socket = world.root / "run" / "speech-dispatcher" / "speechd.sock"
    wait_until("speech-dispatcher", socket.exists, 20, proc)
    return world.logs / "speech-dispatcher.log"
