"""Publishing speed: klpublish against the bare engines and a peer pipeline.

Prints a table and writes ``bench/publish-time.svg``. Run with ``make bench``.
Every number comes from this run on this machine; nothing is remembered.
"""

from __future__ import annotations

import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
REAL = ["en", "de", "uk", "ar"]
PSEUDO = ["fr", "es", "it", "nl", "sv", "nb", "fi", "pl", "pt", "cs", "ro", "hu", "el", "tr", "lt"]
SIZES = [1, 5, 10, 20]
REPEAT = 3
"""Each clean-build time is the median of this many runs: single runs vary by 20%."""


ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1515542400"}


def run(args: list[str], cwd: Path) -> float:
    return run_output(args, cwd)[0]


def run_output(args: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, check=True, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - start, proc.stdout


def peak_mb(args: list[str], cwd: Path) -> tuple[float, float]:
    """Peak memory in MB: the resident set of the largest process the command
    started, and the proportional set (shared pages split between their users)
    of all its processes together, sampled every 5 ms."""
    proc = subprocess.Popen(
        args, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, start_new_session=True
    )
    together = 0
    while proc.poll() is None:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[3]) != proc.pid:  # session id: the command's processes
                    continue
                rollup = (stat.parent / "smaps_rollup").read_text()
            except OSError:
                continue
            for line in rollup.splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
        together = max(together, total)
        time.sleep(0.005)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, args)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return largest / 2**20, together / 2**20


SPIN = "x = 0\nfor i in range(3_000_000):\n    x += i * i\n"


def machine_ceiling() -> float:
    """How much faster two CPU-bound processes finish their work together than
    one after the other: the most any program can gain from two cores here.
    The median of interleaved trials, as the machine's speed drifts."""

    def spin(count: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(count)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    return statistics.median(2 * spin(1) / spin(2) for _ in range(7))


def make_project(where: Path, n: int) -> Path:
    """A copy of the project with ``n`` languages (Danish and n-1 catalogs)."""
    project = where / f"p{n}"
    project.mkdir()
    for name in ("source", "Makefile", "pyproject.toml", "README.md"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    (project / "src").symlink_to(ROOT / "src")
    (project / "locale").mkdir()
    shutil.copy2(ROOT / "locale" / "letter.pot", project / "locale" / "letter.pot")
    langs = (REAL + PSEUDO)[: n - 1]
    for lang in langs:
        if lang in REAL:
            shutil.copytree(ROOT / "locale" / lang, project / "locale" / lang)
        else:
            make_pseudo(project, lang)
    return project


def make_pseudo(project: Path, lang: str) -> None:
    """A copy of the English translation under another language's header."""
    from babel.messages.pofile import read_po

    subprocess.run([BIN / "klpublish", "init", lang], cwd=project, check=True, capture_output=True)
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "letter.po").open("rb") as handle:
        english = read_po(handle)
    po = project / "locale" / lang / "LC_MESSAGES" / "letter.po"
    with po.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = english.get(message.id, message.context).string
    from klpublish.catalogs.po import write_catalog

    write_catalog(catalog, po)


MAKE = ["make", "-o", ".venv/.setup-done", "publish"]


def ours_clean(project: Path, jobs: int) -> float:
    shutil.rmtree(project / "build", ignore_errors=True)
    return run([*MAKE, f"-j{jobs}"], project)


def translated_markdown(project: Path, out: Path) -> list[Path]:
    """Each language's letter as Markdown with metadata (input for the engines)."""
    from klpublish import pandoc
    from klpublish.build.assessment import assess_languages, document
    from klpublish.letter.read import read_letter
    from klpublish.project import DEFAULT_SOURCE, Layout

    os.chdir(project)
    letter = read_letter(Path("source/letter.da.md"))
    files = []
    for lang, a in assess_languages(letter, Layout(DEFAULT_SOURCE, out=out / "cache"), 0.0).items():
        source = document(a)
        doc = {**source, "meta": {**source["meta"], "lang": {"t": "MetaString", "c": lang}}}
        text = pandoc.ast_to_text(doc, "markdown", "bench", standalone=True)
        path = out / f"letter.{lang}.md"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    os.chdir(ROOT)
    return files


TYPST = (
    "import sys, typst, fontpkg_noto_sans as a, fontpkg_noto_sans_arabic as b;"
    "from pathlib import Path;"
    "Path(sys.argv[2]).write_bytes(typst.compile(Path(sys.argv[1]).read_bytes(), format='pdf',"
    " font_paths=[a.ROOT / 'files', b.ROOT / 'files'], ignore_system_fonts=True))"
)


def engines(markdown: list[Path], work: Path) -> float:
    """The bare engine work, one process per step as in a Makefile."""
    pandoc = str(BIN / "python")
    from klpublish.pandoc import pandoc_path

    pandoc = pandoc_path()
    total = 0.0
    for md in markdown:
        stem = work / md.stem
        total += run([pandoc, str(md), "-s", "-o", f"{stem}.html"], work)
        total += run([pandoc, str(md), "-o", f"{stem}.epub"], work)
        total += run([pandoc, str(md), "-s", "-t", "typst", "-o", f"{stem}.typ"], work)
        total += run([str(BIN / "python"), "-c", TYPST, f"{stem}.typ", f"{stem}.pdf"], work)
    return total


def peer(project: Path, langs: list[str], work: Path, source: Path | None = None) -> float:
    """mdpo for the catalogs, the pandoc and Typst command lines for the formats."""
    from klpublish.pandoc import pandoc_path

    pandoc = pandoc_path()
    source = source or project / "source" / "letter.da.md"
    # mdpo's commands by module: Translate Toolkit (a test dependency) installs
    # commands of the same names, and whichever package came last owns bin/md2po.
    md2po, po2md = ([str(BIN / "python"), "-m", f"mdpo.{name}"] for name in ("md2po", "po2md"))
    total = run([*md2po, str(source), "-q", "-s", "-p", str(work / "peer.pot")], work)
    for lang in langs:
        po = work / f"peer.{lang}.po"
        shutil.copy(work / "peer.pot", po)
        md = work / f"peer.{lang}.md"
        total += run([*po2md, str(source), "-q", "-p", str(po), "-s", str(md)], work)
        total += run([pandoc, str(md), "-s", "-o", str(work / f"peer.{lang}.html")], work)
        total += run([pandoc, str(md), "-o", str(work / f"peer.{lang}.epub")], work)
        total += run(
            [pandoc, str(md), "-s", "-t", "typst", "-o", str(work / f"p.{lang}.typ")], work
        )
        total += run(
            [
                str(BIN / "python"),
                "-c",
                TYPST,
                str(work / f"p.{lang}.typ"),
                str(work / f"peer.{lang}.pdf"),
            ],
            work,
        )
    return total


def svg(rows: list[dict[str, float]], path: Path) -> None:
    series = [
        ("ours, -j1", "ours_j1", "#0b4f8a"),
        ("ours, -j2", "ours_j2", "#2a9d4b"),
        ("bare engines", "bare", "#b05a00"),
        ("peer pipeline", "peer", "#9b1c31"),
    ]
    top = max(r[k] for r in rows for _, k, _ in series) * 1.1
    w, h, left, bottom = 640, 400, 60, 50

    def xy(n: float, t: float) -> tuple[float, float]:
        return (left + (n - 1) / 19 * (w - left - 20), h - bottom - t / top * (h - bottom - 20))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'font-family="sans-serif" font-size="12" role="img">',
        "<title>Clean publish time against the number of languages</title>",
        f'<rect width="{w}" height="{h}" fill="#fff"/>',
        f'<line x1="{left}" y1="{h - bottom}" x2="{w - 20}" y2="{h - bottom}" stroke="#000"/>',
        f'<line x1="{left}" y1="20" x2="{left}" y2="{h - bottom}" stroke="#000"/>',
    ]
    for n in SIZES:
        x, _ = xy(n, 0)
        parts.append(f'<text x="{x}" y="{h - bottom + 18}" text-anchor="middle">{n}</text>')
    step = 1.0 if top > 3 else 0.5  # ticks at whole (or half) seconds, where they belong
    for k in range(int(top / step) + 1):
        t = k * step
        _, y = xy(1, t)
        parts.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{t:g} s</text>')
        parts.append(
            f'<line x1="{left}" y1="{y}" x2="{w - 20}" y2="{y}" stroke="#ddd" stroke-width="1"/>'
        )
    parts.append(f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle">languages</text>')
    for i, (label, key, colour) in enumerate(series):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(r["n"], r[key]) for r in rows))
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
        )
        for r in rows:  # the measured points themselves
            x, y = xy(r["n"], r[key])
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
        parts.append(f'<text x="{left + 10}" y="{30 + 16 * i}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        for n in SIZES:
            project = make_project(where, n)
            work = where / f"w{n}"
            work.mkdir()
            row: dict[str, float] = {"n": n}
            markdown = translated_markdown(project, work)
            langs = ["da", *(REAL + PSEUDO)[: n - 1]]
            samples: dict[str, list[float]] = {"ours_j1": [], "ours_j2": [], "bare": [], "peer": []}
            for _ in range(REPEAT):  # interleaved, so that a slow moment hits all alike
                samples["ours_j1"].append(ours_clean(project, 1))
                samples["ours_j2"].append(ours_clean(project, 2))
                samples["bare"].append(engines(markdown, work))
                samples["peer"].append(peer(project, langs, work))
            row.update({key: statistics.median(values) for key, values in samples.items()})
            if n == 5:
                row["noop"] = run(MAKE, project)
                po = project / "locale" / "de" / "LC_MESSAGES" / "letter.po"
                po.write_text(
                    po.read_text(encoding="utf-8").replace(
                        "Wir freuen uns auf die Zusammenarbeit",
                        "Wir freuen uns sehr auf die Zusammenarbeit",
                    ),
                    encoding="utf-8",
                )
                row["one_po"], log = run_output([*MAKE, "-j2"], project)
                rebuilt = sorted(
                    {
                        line.split("/")[1]
                        for line in log.splitlines()
                        if line.startswith("wrote build/") and line.count("/") > 1
                    }
                )
                if rebuilt != ["de"]:
                    raise SystemExit(f"one changed .po rebuilt {rebuilt}, expected ['de']")
                shutil.rmtree(project / "build")
                row["peak_mb"], row["peak_all_mb"] = peak_mb([*MAKE, "-j2"], project)
            rows.append(row)
            print(json.dumps(row), file=sys.stderr, flush=True)
    print(
        "| languages | ours -j1 | ours -j2 | bare engines | peer pipeline | "
        "ours -j2 / bare | ours -j2 / peer | speed-up -j2 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']} | {r['ours_j1']:.2f} s | {r['ours_j2']:.2f} s | {r['bare']:.2f} s | "
            f"{r['peer']:.2f} s | {r['ours_j2'] / r['bare']:.2f} | "
            f"{r['ours_j2'] / r['peer']:.2f} | {r['ours_j1'] / r['ours_j2']:.2f}x |"
        )
    five = next(r for r in rows if r["n"] == 5)
    print(f"\nno-op make publish (5 languages): {five['noop']:.3f} s")
    print(f"one .po changed (5 languages, -j2): {five['one_po']:.2f} s, rebuilt only: de")
    print(
        f"peak memory, clean -j2 build of 5 languages: {five['peak_mb']:.0f} MB resident in the "
        f"largest process, {five['peak_all_mb']:.0f} MB proportional in all processes together"
    )
    ceiling = machine_ceiling()
    per = [(r["n"], r["ours_j2"] / r["n"]) for r in rows]
    print("seconds per language (-j2): " + ", ".join(f"{n}: {t:.2f}" for n, t in per))
    ten = next(r for r in rows if r["n"] == 10)
    # Growth: the time each added language costs, between successive sizes.
    steps = [(b["ours_j2"] - a["ours_j2"]) / (b["n"] - a["n"]) for a, b in itertools.pairwise(rows)]
    print("seconds per added language (-j2): " + ", ".join(f"{t:.3f}" for t in steps))
    print("\ntargets (5 languages unless said):")
    speed_up = ten["ours_j1"] / ten["ours_j2"]
    checks = [
        ("ours -j2 / peer <= 0.6", five["ours_j2"] / five["peer"], "<=", 0.6),
        ("ours -j2 / bare engines <= 0.8", five["ours_j2"] / five["bare"], "<=", 0.8),
        ("no-op <= 0.1 s", five["noop"], "<=", 0.1),
        ("-j2 speed-up at 10 languages >= 1.7", speed_up, ">=", 1.7),
        ("peak memory, all processes <= 300 MB", five["peak_all_mb"], "<=", 300),
    ]
    for label, value, op, limit in checks:
        met = value <= limit if op == "<=" else value >= limit
        print(f"  {label}: {value:.2f} {'met' if met else 'NOT met'}")
    print(
        f"  for scale: two CPU-bound processes at once ran {ceiling:.2f}x as fast as one "
        "after the other on this machine just now (median of 7 trials)"
    )
    svg(rows, ROOT / "bench" / "publish-time.svg")
    print("plot: bench/publish-time.svg")
    return 0


if __name__ == "__main__":
    sys.exit(main())
