"""Where a build's time goes: import time of a cold start, cProfile of warm builds, and experiments.

The numbers behind docs/performance.md's profile. Nothing in brochure/ is changed: each
experiment measures a candidate optimisation from the outside (the same work done the
other way, in this process or in a fresh one). Usage::

    python -m benchmarks.profile_build [--builds 5] [--rl-accel]

Warm builds are compared with ReportLab's C accelerator (PyPI ``rl-accel``) and with it
blocked; where it is not installed, ``--rl-accel`` installs it into a temporary folder
(never into .venv) for the comparison.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import io
import os
import pstats
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from pypdf import PdfReader, PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.graphics.shapes import Drawing
from reportlab.pdfgen.canvas import Canvas

from brochure.build import build_brochure, load_brochure, render_brochure
from brochure.model import Brochure
from brochure.spec import LayoutSpec, load_layout

from .measure import time_call
from .variants import pdf_of

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content.yaml"

# ---------------------------------------------------------------- import time


@dataclass(frozen=True, slots=True)
class Imported:
    """One line of ``python -X importtime``: microseconds of its own and with its imports."""

    name: str
    own_us: int
    total_us: int
    depth: int


def parse_importtime(stderr: str) -> list[Imported]:
    out = []
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            own, total, indent, name = match.groups()
            out.append(Imported(name, int(own), int(total), (len(indent) - 1) // 2))
    return out


def importer_chain(modules: list[Imported], name: str) -> list[str]:
    """Who imported ``name``: importtime prints a module before the module that imported it."""
    for index, module in enumerate(modules):
        if module.name == name:
            chain, depth = [name], module.depth
            for later in modules[index + 1 :]:
                if later.depth < depth:
                    chain.append(later.name)
                    depth = later.depth
            return chain
    return []


GROUPS = (
    ("brochure (this project)", ("brochure",)),
    ("reportlab", ("reportlab", "_rl_accel", "rlbidi")),
    ("PIL (imported by reportlab.lib.utils)", ("PIL",)),
    ("uharfbuzz (imported by reportlab if installed)", ("uharfbuzz",)),
    ("pyphen (imported by reportlab if installed)", ("pyphen",)),
    ("yaml", ("yaml", "_yaml")),
    ("click", ("click",)),
    ("urllib.request, http, email, ssl (via xml.sax.saxutils)", ("urllib.request", "http", "email", "ssl", "_ssl")),
    ("pypdf (imposed layouts only)", ("pypdf",)),
)


def group_of(name: str) -> str:
    for label, prefixes in GROUPS:
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return label
    return "other (stdlib and the rest)"


def import_profile(env: dict[str, str], label: str, out: Path) -> list[Imported]:
    """``python -X importtime -m brochure build content.yaml``: every import of a cold build, lazy ones too."""
    command = [sys.executable, "-X", "importtime", "-m", "brochure", "build", str(CONTENT), "-o", str(out), "-q"]
    subprocess.run(command, env=env, capture_output=True, check=True)  # fills the bytecode cache
    runs = [
        parse_importtime(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stderr)
        for _ in range(5)
    ]
    modules = min(runs, key=lambda run: sum(m.own_us for m in run))
    total = sum(m.own_us for m in modules)
    print(f"\n== Imports of a cold start, {label}: {total / 1000:.0f} ms in {len(modules)} modules (best of 5)")
    groups: dict[str, int] = defaultdict(int)
    for module in modules:
        groups[group_of(module.name)] += module.own_us
    for name, own in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  {own / 1000:7.1f} ms  {name}")
    print("  slowest modules (own time):")
    for module in sorted(modules, key=lambda m: -m.own_us)[:10]:
        print(f"  {module.own_us / 1000:7.1f} ms  {module.name}")
    for name in ("urllib.request", "uharfbuzz", "PIL.Image", "pyphen", "pypdf"):
        chain = importer_chain(modules, name)
        if len(chain) > 1:
            print(f"  {name} is imported by: {' ← '.join(chain[1:4])}")
        elif chain:
            print(f"  {name} is imported inside a function, while building")
    return modules


# ---------------------------------------------------------------- warm builds


PIPELINE = (
    ("brochure/build.py", "build_brochure"),
    ("brochure/build.py", "load_brochure"),
    ("brochure/build.py", "render_brochure"),
    ("brochure/render.py", "render_pdf"),
)
"""Functions whose direct callees are listed: found by name, so the list follows the code as it changes."""

INSIDE_REPORTLAB = (
    ("layout + drawing (render._set: ReportLab's build loop, one pass)", "brochure/render.py", "_set"),
    ("  drawing flowables (Flowable.drawOn)", "reportlab/platypus/flowables.py", "drawOn"),
    ("  page decorations (onPage: footers, bars, cover)", "reportlab/platypus/doctemplate.py", "handle_pageBegin"),
    ("  canvas.save (PDF serialisation)", "reportlab/pdfgen/canvas.py", "save"),
    ("Paragraph markup parsing (ParaParser on html.parser)", "reportlab/platypus/paraparser.py", "parse"),
    ("line breaking (Paragraph.breakLines)", "reportlab/platypus/paragraph.py", "breakLines"),
    ("drawing paragraphs (Paragraph.drawPara)", "reportlab/platypus/paragraph.py", "drawPara"),
    ("text widths (pdfmetrics.stringWidth)", "reportlab/pdfbase/pdfmetrics.py", "stringWidth"),
    ("number formatting (fp_str, Python fallback)", "reportlab/lib/rl_accel.py", "_py_fp_str"),
    ("tables (Table._calc)", "reportlab/platypus/tables.py", "_calc"),
    ("QR code (ReportLab widget)", "reportlab/graphics/barcode/qr.py", "draw"),
    ("font subsetting (TTFont.makeSubset)", "reportlab/pdfbase/ttfonts.py", "makeSubset"),
    ("zlib compression", "~", "<built-in method zlib.compress>"),
    ("pypdf reading (PdfReader)", "pypdf/_reader.py", "__init__"),
    ("pypdf writing (PdfWriter.write)", "pypdf/_writer.py", "write"),
)
"""Inclusive costs inside the libraries; they overlap (widths are inside line breaking and drawing)."""

Key = tuple[str, int, str]


def _matches(key: Key, path: str, function: str) -> bool:
    return key[2] == function and key[0].replace("\\", "/").endswith(path)


Row = tuple[int, int, float, float, dict[Key, tuple[int, int, float, float]]]


def table(stats: pstats.Stats) -> dict[Key, Row]:
    """pstats' table: function → (primitive calls, calls, own seconds, inclusive seconds, callers)."""
    rows: dict[Key, Row] = vars(stats)["stats"]
    return rows


def cumulative(stats: pstats.Stats, path: str, function: str) -> float:
    """Inclusive seconds of every function named ``function`` in a file ending with ``path``."""
    return sum(row[3] for key, row in table(stats).items() if _matches(key, path, function))


def callees(stats: pstats.Stats, path: str, function: str) -> list[tuple[Key, int, float]]:
    """What ``function`` calls directly: (callee, calls, inclusive seconds spent there from it)."""
    out: dict[Key, tuple[int, float]] = {}
    for key, row in table(stats).items():
        for caller, (calls, _, _, seconds) in row[4].items():
            if _matches(caller, path, function):
                count, total = out.get(key, (0, 0.0))
                out[key] = (count + calls, total + seconds)
    return sorted(((key, calls, seconds) for key, (calls, seconds) in out.items()), key=lambda item: -item[2])


def _where(key: Key) -> str:
    filename, _, name = key
    if filename == "~":
        return name
    repo = str(Path(__file__).resolve().parent.parent) + "/"
    module = filename.split("site-packages/")[-1].split(repo)[-1].removesuffix(".py").replace("/", ".")
    return f"{module}.{name}"


def warm_profile(builds: int) -> None:
    build_brochure(CONTENT)
    plain = time_call(lambda: build_brochure(CONTENT), builds, 1)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(builds):
        build_brochure(CONTENT)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = cumulative(stats, "brochure/build.py", "build_brochure")
    print(f"\n== cProfile of {builds} warm builds of content.yaml (without the profiler: {plain.describe('ms')})")
    print("  shares are of the profiled build; ms = share × the time without the profiler")

    def row(share: float, label: str) -> None:
        print(f"  {100 * share:5.1f} %  ≈ {1000 * plain.median * share:6.1f} ms  {label}")

    for path, function in PIPELINE:
        steps = [step for step in callees(stats, path, function) if step[2] >= 0.005 * total]
        if steps:
            print(f"  {function} spends its time in:")
            for key, calls, seconds in steps[:8]:
                row(
                    seconds / total, f"  {_where(key)}" + (f" ({calls // builds}× per build)" if calls > builds else "")
                )
    print("  inside the libraries (inclusive; rows overlap):")
    for label, path, function in INSIDE_REPORTLAB:
        seconds = cumulative(stats, path, function)
        if seconds >= 0.005 * total:
            row(seconds / total, label)
    print("  top functions by own time:")
    for key, stat in sorted(table(stats).items(), key=lambda item: -item[1][2])[:12]:
        print(f"  {100 * stat[2] / total:5.1f} %  {stat[1] // builds:>7} calls per build  {_where(key)}")


# ---------------------------------------------------------------- experiments


def experiment(label: str, before: Callable[[], object], after: Callable[[], object], runs: int = 20) -> None:
    old = time_call(before, runs, 2).median
    new = time_call(after, runs, 2).median
    print(f"  {label}: {old * 1000:.2f} ms → {new * 1000:.2f} ms (saves {(old - new) * 1000:.2f} ms per call)")


def qr_as_one_path(value: str, size: float, canvas: Canvas) -> None:
    """The same QR code as one filled path: one rectangle per run of dark modules."""
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(value)
    qr.make()
    count = qr.getModuleCount()
    box = size / (count + 8)
    path = canvas.beginPath()
    for row, modules in enumerate(qr.modules):
        col = 0
        while col < count:
            if modules[col]:
                start = col
                while col < count and modules[col]:
                    col += 1
                path.rect((start + 4) * box, size - (row + 5) * box, (col - start) * box, box)
            else:
                col += 1
    canvas.drawPath(path, stroke=0, fill=1)


def experiments(env: dict[str, str], rl_accel: bool) -> None:
    print("\n== Experiments: candidate optimisations, measured from the outside")
    text = CONTENT.read_text(encoding="utf-8")
    experiment(
        "YAML compose of content.yaml, PyYAML pure Python → libyaml (CSafeLoader)",
        lambda: yaml.compose(text, Loader=yaml.SafeLoader),
        lambda: yaml.compose(text, Loader=yaml.CSafeLoader),
    )
    brochure, _ = load_brochure(CONTENT)
    spec = load_layout("default")
    target = brochure.contact.qr if brochure.contact and brochure.contact.qr else "https://example.org"
    font = "Helvetica"

    def widget() -> None:
        code = QrCodeWidget(target, barLevel="M", barBorder=4, barWidth=spec.qr_size, barHeight=spec.qr_size)
        drawing = Drawing(spec.qr_size, spec.qr_size, initialFontName=font)
        drawing.add(code)
        renderPDF.draw(drawing, Canvas(io.BytesIO()), 0, 0)

    def one_path() -> None:
        qr_as_one_path(target, spec.qr_size, Canvas(io.BytesIO()))

    experiment("QR code per layout pass, ReportLab widget → one path (brochure draws one path since ff7e806)",
               widget, one_path)  # fmt: skip

    def matrix() -> None:
        qr = QRCode(None, QRErrorCorrectLevel.M)
        qr.addData(target)
        qr.make()

    only = time_call(matrix, 20, 2).median
    print(f"    of which computing the QR matrix (cacheable: same URL in every pass and variant): {only * 1000:.2f} ms")
    variant_costs(brochure, spec)

    def marginal_import(module: str, after: str) -> float:
        code = f"import time, {after}; start = time.perf_counter(); import {module}; print(time.perf_counter() - start)"
        values = []
        for _ in range(5):
            done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
            values.append(float(done.stdout))
        return sorted(values)[len(values) // 2]

    base = "reportlab.platypus, reportlab.pdfbase.ttfonts, reportlab.graphics.barcode.qr, yaml, click"
    cost = marginal_import("xml.sax.saxutils", base)
    print(f"  cold start: importing xml.sax.saxutils (for escape/quoteattr) after ReportLab costs {cost * 1000:.1f} ms")
    fonts = [
        str(path)
        for family in spec.fonts[:1]
        for path in dict.fromkeys((family.regular, family.bold, family.italic, family.bold_italic))
    ]
    code = (
        "import time, sys; from reportlab.pdfbase.ttfonts import TTFont; start = time.perf_counter(); "
        "[TTFont(f'F{i}', p) for i, p in enumerate(sys.argv[1:])]; print(time.perf_counter() - start)"
    )
    done = subprocess.run([sys.executable, "-c", code, *fonts], env=env, capture_output=True, text=True, check=True)
    print(f"  cold start: parsing the {len(fonts)} Noto Sans TrueType files the English brochure uses: "
          f"{float(done.stdout) * 1000:.1f} ms")  # fmt: skip
    rl_accel_experiment(env, rl_accel)


def variant_costs(brochure: Brochure, spec: LayoutSpec) -> None:
    """What a batch variant would cost if the body (identical in every variant) were not laid out again."""
    last = brochure.sections[-1]
    bare = replace(brochure, sections=(replace(last, blocks=last.blocks[:1]),), notes=())
    full = time_call(lambda: render_brochure(brochure, spec), 5, 1)
    small = time_call(lambda: render_brochure(bare, spec), 5, 1)
    whole, part = pdf_of(render_brochure(brochure, spec)), pdf_of(render_brochure(bare, spec))

    def splice() -> bytes:
        body, back = PdfReader(io.BytesIO(whole)), PdfReader(io.BytesIO(part))
        writer = PdfWriter()
        for page in body.pages[:-1]:
            writer.add_page(page)
        writer.add_page(back.pages[-1])
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    spliced = time_call(splice, 5, 1)
    print(
        f"  batch variant: whole brochure {full.median * 1000:.0f} ms; cover + one paragraph + back page "
        f"{small.median * 1000:.0f} ms; splicing a new back page into a cached body with pypdf "
        f"{spliced.median * 1000:.0f} ms"
    )


WARM = """
import statistics, sys, time
if sys.argv[2] == "without":
    sys.modules["_rl_accel"] = None  # ReportLab falls back to its Python versions
from pathlib import Path
from brochure.build import build_brochure
import reportlab.lib.rl_accel as accel
build_brochure(Path(sys.argv[1]))
times = []
for _ in range(9):
    start = time.perf_counter(); build_brochure(Path(sys.argv[1])); times.append(time.perf_counter() - start)
print(len(accel._c_funcs), statistics.median(times))
"""


def rl_accel_experiment(env: dict[str, str], install: bool) -> None:
    """Warm builds with ReportLab's C accelerator and with it blocked, alternating, best of 3 each."""
    with tempfile.TemporaryDirectory(prefix="rl-accel-") as folder:
        if importlib.util.find_spec("_rl_accel") is None:
            if not install:
                print("  rl-accel is not installed: pass --rl-accel to try it (installed in a temporary folder)")
                return
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "--quiet", "--target", folder, "rl-accel"],
                check=True,
                capture_output=True,
            )
            env = {**env, "PYTHONPATH": folder}
        best: dict[str, float] = {}
        functions = "0"
        for _ in range(3):
            for mode in ("with", "without"):
                done = subprocess.run(
                    [sys.executable, "-c", WARM, str(CONTENT), mode], env=env, capture_output=True, text=True
                )
                count, seconds = done.stdout.split()
                functions = count if mode == "with" else functions
                best[mode] = min(best.get(mode, float("inf")), float(seconds))
        print(
            f"  warm build, ReportLab's Python fallbacks → rl-accel C extension ({functions} functions): "
            f"{best['without'] * 1000:.0f} ms → {best['with'] * 1000:.0f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="where brochure's build time goes")
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--rl-accel", action="store_true", help="also measure ReportLab's C accelerator")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="brochure-profile-") as tmp:
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        out = Path(tmp) / "brochure.pdf"
        import_profile(cached, "bytecode cached", out)
        import_profile(dict(os.environ, PYTHONDONTWRITEBYTECODE="1"), "PYTHONDONTWRITEBYTECODE=1", out)
        warm_profile(args.builds)
        experiments(cached, args.rl_accel)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
