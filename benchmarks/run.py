"""``make bench``: brochure's speed and memory, and the same brochure made by WeasyPrint and Typst.

One run on one machine prints: the cold ``brochure build`` of content.yaml as a whole process
(median of several runs, peak RSS); the batch throughput of 200 variants across every core;
warm builds inside one process; the content at 1×, 4× and 16× its length; the peers on
equivalent documents (``benchmarks/peers.py``); ratios against each peer; and the targets of
issue 6. brochure and its peers are measured in interleaved rounds, so that a change in the
machine's speed during the run touches them alike. Never part of the test suite. Usage::

    python -m benchmarks.run [--runs 7] [--variants 200] [--no-peers] [--json results.json]
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from brochure.build import Variants, build_brochure, load_brochure
from brochure.errors import BrochureError
from brochure.model import Brochure
from brochure.spec import FONT_DIR, LayoutSpec, load_layout

from .batch import BatchResult, brochure_batch, cores, typst_batch, weasyprint_batch
from .measure import (
    MIB,
    ProcessFailedError,
    Sample,
    check_process,
    machine_facts,
    memory_tool,
    run_process,
    speed_check,
    time_calls,
    time_processes,
)
from .peers import html_document, qr_svg, typst_document
from .scale import HOSTILE, STAGES, write_scaled
from .variants import phone_numbers, render_variant, with_phone

ROOT = Path(__file__).resolve().parent.parent
FACTORS = (1, 4, 16)
PLAIN = ROOT / "benchmarks" / "plain_reportlab.py"
TARGETS = {
    "cold_s": 0.33,
    "plain_ratio": 1.5,
    "weasyprint_speedup": 3.0,
    "warm_s": 0.050,
    "cold_rss_mib": 60.0,
    "exponent": 1.10,
}
PANGO_PACKAGES = ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0")
TYPST_COLD = (
    "import sys, typst; "
    "typst.compile(sys.argv[1], output=sys.argv[2], font_paths=[sys.argv[3]], ignore_system_fonts=True)"
)
WEASYPRINT, TYPST = "WeasyPrint", "Typst"


def pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def versus(ours: float, peer: float) -> str:
    """How brochure compares with a peer, for a cost where less is better."""
    if ours <= 0 or peer <= 0:
        return "n/a"
    ratio = peer / ours
    return f"{ratio:.2f}× faster" if ratio >= 1 else f"{1 / ratio:.2f}× slower"


def mib(size: int) -> str:
    return f"{size / MIB:.1f} MiB"


def cycle(values: Sequence[str]) -> Iterator[str]:
    while True:
        yield from values


@dataclass
class Report:
    """Prints as it goes and keeps every number for ``--json``."""

    results: dict[str, Any] = field(default_factory=dict)

    def section(self, title: str) -> None:
        print(f"\n== {title}", flush=True)

    def line(self, label: str, value: str) -> None:
        print(f"  {label:<48} {value}", flush=True)

    def note(self, text: str) -> None:
        print(f"  ({text})", flush=True)

    def keep(self, key: str, value: Any) -> None:
        self.results[key] = value

    def sample(self, key: str, label: str, sample: Sample, unit: str = "s") -> Sample:
        memory = f", peak RSS {mib(sample.peak_rss)}" if sample.peak_rss else ""
        self.line(label, sample.describe(unit) + memory)
        self.keep(
            key,
            {
                "median_s": sample.median,
                "min_s": sample.best,
                "max_s": sample.worst,
                "cpu_median_s": sample.cpu_median,
                "runs": list(sample.seconds),
                "peak_rss_bytes": sample.peak_rss,
            },
        )
        return sample

    def batch(self, key: str, label: str, result: BatchResult) -> BatchResult:
        self.line(
            label,
            f"{result.per_second:.2f} brochures/s ({result.count} in {result.seconds:.2f} s, "
            f"{result.processes} processes, {result.distinct} distinct PDFs)",
        )
        self.keep(
            key,
            {
                "count": result.count,
                "seconds": result.seconds,
                "per_second": result.per_second,
                "processes": result.processes,
                "distinct": result.distinct,
            },
        )
        return result


# ---------------------------------------------------------------- the peers


@dataclass
class Peers:
    """Which peers can run here, and why not."""

    names: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def find_peers(python: str, enabled: bool) -> Peers:
    """Which peers import cleanly in a fresh interpreter (a broken import would hang a worker pool)."""
    peers = Peers()
    if not enabled:
        peers.problems.append("peers skipped (--no-peers)")
        return peers
    for name, module in ((WEASYPRINT, "weasyprint"), (TYPST, "typst")):
        done = subprocess.run([python, "-c", f"import {module}"], capture_output=True, text=True)
        if done.returncode == 0:
            peers.names.append(name)
            continue
        error = (done.stderr.strip().splitlines() or ["unknown error"])[-1]
        if "No module named" in error:
            peers.problems.append(f"{name} is not installed: `make bench` installs benchmarks/requirements.txt")
        elif name == WEASYPRINT:
            peers.problems.append(
                f"WeasyPrint cannot load its libraries ({error}); it needs Debian's "
                f"{', '.join(PANGO_PACKAGES)}: apt-get install {' '.join(PANGO_PACKAGES)} (as root)"
            )
        else:
            peers.problems.append(f"{name} does not import: {error}")
    return peers


@dataclass
class Setup:
    """Everything measured: paths, environments, content at each length, the peers' documents."""

    tmp: Path
    runs: int
    python: str
    bin_dir: Path
    cached_env: dict[str, str]
    as_is_env: dict[str, str]
    spec: LayoutSpec
    brochure: Brochure
    scaled: dict[int, Path]
    models: dict[int, Brochure]
    qr: str | None
    peers: Peers

    def brochure_command(self, content: Path, name: str) -> list[str]:
        return [str(self.bin_dir / "brochure"), "build", str(content), "-o", str(self.tmp / name), "-q"]


def make_setup(tmp: Path, runs: int, peers: Peers) -> Setup:
    content = ROOT / "content.yaml"
    # Bytecode: this project's modules are compiled on every run unless a cache can be written.
    # PYTHONPYCACHEPREFIX keeps that cache under the temporary folder, never in the source tree.
    cached_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cached_env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    cached_env["BROCHURE_CACHE_DIR"] = str(tmp / "cache")  # fonts and QR code, kept from the warm-up run
    scaled = {factor: write_scaled(content, factor, tmp) for factor in FACTORS}
    models = {factor: load_brochure(path)[0] for factor, path in scaled.items()}
    spec = load_layout("default")
    brochure = models[1]
    contact = brochure.contact
    return Setup(
        tmp=tmp,
        runs=runs,
        python=sys.executable,
        bin_dir=Path(sys.executable).parent,
        cached_env=cached_env,
        as_is_env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", BROCHURE_CACHE_DIR=""),
        spec=spec,
        brochure=brochure,
        scaled=scaled,
        models=models,
        qr=qr_svg(contact.qr, spec.qr_size) if contact and contact.qr else None,
        peers=peers,
    )


# ---------------------------------------------------------------- measurements


def bench_cold(s: Setup, report: Report) -> dict[str, Sample]:
    report.section(f"Cold: whole processes, interleaved rounds (median of {s.runs}), peak RSS with {memory_tool()}")
    content = ROOT / "content.yaml"
    has_pycache = (ROOT / "brochure" / "__pycache__").is_dir()
    no_cache = (
        "  PYTHONDONTWRITEBYTECODE=1 (reads brochure/__pycache__)"
        if has_pycache
        else "  no bytecode cache (PYTHONDONTWRITEBYTECODE=1)"
    )
    commands: dict[str, tuple[Sequence[str], dict[str, str] | None]] = {
        "brochure": (s.brochure_command(content, "cold.pdf"), s.cached_env),
        "brochure_no_cache": (s.brochure_command(content, "cold-nocache.pdf"), s.as_is_env),
        "plain": (
            [s.python, str(PLAIN), str(content), str(s.tmp / "plain.pdf"), str(FONT_DIR)],
            s.cached_env,
        ),
        "python": ([s.python, "-c", "pass"], s.cached_env),
        "imports": ([s.python, "-c", "import brochure.cli, brochure.build"], s.cached_env),
    }
    labels = {
        "brochure": "brochure build content.yaml (bytecode, fonts cached)",
        "brochure_no_cache": no_cache + ", no font cache",
        "plain": "plain ReportLab, the same content (issue 6's baseline)",
        "python": "  floor: python -c pass",
        "imports": "  floor: importing brochure.cli, brochure.build",
    }
    print_shop = [*s.brochure_command(content, "cold-print-shop.pdf"), "--print-shop"]
    commands["brochure_print_shop"] = (print_shop, s.cached_env)
    labels["brochure_print_shop"] = "  brochure build content.yaml --print-shop (CMYK, PDF/X-4, preflight)"
    for lang, script in (
        ("hi", "Devanagari, shaped by HarfBuzz"),
        ("ko", "Hangul"),
        ("ar", "Arabic, shaped by HarfBuzz"),
    ):
        # The shipped translation where there is one, else the script test file.
        source = ROOT / f"content.{lang}.yaml"
        if not source.exists():
            source = ROOT / "tests" / "scripts" / f"content.{lang}.yaml"
        commands[f"brochure_{lang}"] = (s.brochure_command(source, f"cold-{lang}.pdf"), s.cached_env)
        labels[f"brochure_{lang}"] = f"  brochure build {source.relative_to(ROOT)} ({script})"
    if WEASYPRINT in s.peers.names:
        html = s.tmp / "content.html"
        html.write_text(html_document(s.brochure, s.spec, s.qr), encoding="utf-8")
        commands[WEASYPRINT] = ([str(s.bin_dir / "weasyprint"), str(html), str(s.tmp / "weasyprint.pdf")], s.cached_env)
        labels[WEASYPRINT] = "WeasyPrint: weasyprint content.html out.pdf"
    if TYPST in s.peers.names:
        typ = s.tmp / "content.typ"
        typ.write_text(typst_document(s.brochure, s.spec, s.qr), encoding="utf-8")
        commands[TYPST] = (
            [s.python, "-c", TYPST_COLD, str(typ), str(s.tmp / "typst.pdf"), str(FONT_DIR)],
            s.cached_env,
        )
        labels[TYPST] = "Typst: python -c 'typst.compile(...)'"
    for name, (command, env) in list(commands.items()):
        try:
            check_process(command, env)  # warm-up: fills the bytecode cache and the disk cache
        except ProcessFailedError as exc:
            if name not in (WEASYPRINT, TYPST):
                raise
            report.note(f"{name} cannot run here: {exc}")
            s.peers.names.remove(name)
            del commands[name]
    samples = time_processes(commands, s.runs)
    for name, sample in samples.items():
        report.sample(f"cold_{name.lower()}", labels[name], sample)
    report.line("  plain ReportLab's pages", str(pages((s.tmp / "plain.pdf").read_bytes())))
    for name in (WEASYPRINT, TYPST):
        path = s.tmp / f"{name.lower()}.pdf"
        if name in samples and path.exists():
            report.line(
                f"  {name}'s pages (brochure: {pages((s.tmp / 'cold.pdf').read_bytes())})",
                str(pages(path.read_bytes())),
            )
    return samples


@dataclass
class Batches:
    results: dict[str, BatchResult] = field(default_factory=dict)


def bench_batch(s: Setup, variants: int, weasyprint_variants: int, report: Report) -> Batches:
    report.section(f"Batch: variants with different phone numbers, {cores()} processes (every core)")
    phones = phone_numbers(variants)
    batches = Batches()
    batches.results["brochure"] = report.batch(
        "batch_brochure",
        f"brochure, {len(phones)} variants (pages shared)",
        brochure_batch(s.brochure, s.spec, phones, s.tmp / "batch"),
    )
    # The peers' batches run before this process imports them, so that forked workers start clean.
    if TYPST in s.peers.names:
        sources = [typst_document(with_phone(s.brochure, phone), s.spec, s.qr) for phone in phones]
        batches.results[TYPST] = report.batch(
            "batch_typst", f"Typst, {len(sources)} variants", typst_batch(sources, s.tmp / "batch")
        )
    if WEASYPRINT in s.peers.names:
        count = min(weasyprint_variants, len(phones))
        documents = [html_document(with_phone(s.brochure, phone), s.spec, s.qr) for phone in phones[:count]]
        batches.results[WEASYPRINT] = report.batch(
            "batch_weasyprint", f"WeasyPrint, {len(documents)} variants", weasyprint_batch(documents, s.tmp / "batch")
        )
    return batches


def bench_warm(s: Setup, report: Report) -> dict[str, Sample]:
    rounds = max(s.runs, 9)
    report.section(f"Warm: inside one process, interleaved rounds (median of {rounds})")
    content = ROOT / "content.yaml"
    phones = cycle(phone_numbers(4 * rounds))
    functions: dict[str, Callable[[], object]] = {
        "build": lambda: build_brochure(content),
        "load": lambda: load_brochure(content),
        "variant": lambda: render_variant(s.brochure, s.spec, next(phones)),
    }
    labels = {
        "build": "build_brochure(content.yaml), no file written",
        "load": "  of which load_brochure (YAML → model)",
        "variant": "a batch variant: render_brochure(replace(...))",
        "variant_shared": "  the same, shared pages (build.Variants)",
        TYPST: "Typst: a variant, typst.compile(...) afresh",
        "typst_incremental": "Typst: a variant, one Compiler reused",
        WEASYPRINT: "WeasyPrint: a variant, HTML(string).write_pdf()",
    }
    shared = Variants(s.brochure, s.spec)
    functions["variant_shared"] = lambda: render_variant(s.brochure, s.spec, next(phones), shared)
    if TYPST in s.peers.names:
        import typst

        fonts = [str(FONT_DIR)]
        sources = cycle([typst_document(with_phone(s.brochure, p), s.spec, s.qr) for p in phone_numbers(rounds + 2)])
        compiler = typst.Compiler(font_paths=fonts, ignore_system_fonts=True)
        compile_typst: Callable[..., object] = typst.compile
        functions[TYPST] = lambda: compile_typst(next(sources).encode(), font_paths=fonts, ignore_system_fonts=True)
        functions["typst_incremental"] = lambda: compiler.compile(input=next(sources).encode(), format="pdf")
    if WEASYPRINT in s.peers.names:
        import weasyprint

        documents = cycle([html_document(with_phone(s.brochure, p), s.spec, s.qr) for p in phone_numbers(rounds + 2)])
        functions[WEASYPRINT] = lambda: weasyprint.HTML(string=next(documents)).write_pdf()
    samples = time_calls(functions, rounds, 1)
    for name, sample in samples.items():
        report.sample(f"warm_{name.lower()}", labels[name], sample, "ms" if sample.median < 0.1 else "s")
    return samples


@dataclass
class Growth:
    """Best warm time, pages and cold peak RSS at each length; the peers' best warm times."""

    seconds: dict[int, float] = field(default_factory=dict)
    pages: dict[int, int] = field(default_factory=dict)
    peak_rss: dict[int, int] = field(default_factory=dict)
    peers: dict[str, dict[int, float]] = field(default_factory=dict)

    def exponent(self, times: dict[int, float]) -> float:
        """k in time ∝ length^k between 1× and 16× (1.00 is linear)."""
        return math.log(times[16] / times[1]) / math.log(16)


def bench_growth(s: Setup, report: Report) -> Growth:
    report.section("Growth: the content at 1×, 4× and 16× its length (sections repeated, same notes; best of 3, 2, 2)")
    growth = Growth()
    makers: dict[str, Callable[[Brochure], Callable[[], object]]] = {}
    if TYPST in s.peers.names:
        import typst

        fonts = [str(FONT_DIR)]
        compile_typst = typst.compile

        def typst_maker(model: Brochure) -> Callable[[], object]:
            source = typst_document(model, s.spec, s.qr).encode()
            return functools.partial(compile_typst, source, font_paths=fonts, ignore_system_fonts=True)

        makers[TYPST] = typst_maker
    if WEASYPRINT in s.peers.names:
        import weasyprint

        def weasyprint_maker(model: Brochure) -> Callable[[], object]:
            document = html_document(model, s.spec, s.qr)
            return lambda: weasyprint.HTML(string=document).write_pdf()

        makers[WEASYPRINT] = weasyprint_maker
    for factor in FACTORS:
        path = s.scaled[factor]
        functions: dict[str, Callable[[], object]] = {"brochure": functools.partial(build_brochure, path)}
        for name, maker in makers.items():
            functions[name] = maker(s.models[factor])
        samples = time_calls(functions, 3 if factor == 1 else 2, 0)
        cold = run_process(s.brochure_command(path, f"cold-{factor}x.pdf"), s.cached_env)
        best = samples["brochure"].best
        growth.seconds[factor] = best
        growth.pages[factor] = pages(build_brochure(path).pdf)
        growth.peak_rss[factor] = cold.peak_rss
        for name in makers:
            growth.peers.setdefault(name, {})[factor] = samples[name].best
        peers = ", ".join(f"{name} {samples[name].best:.2f} s" for name in makers)
        report.line(
            f"{factor:>2}× ({path.stat().st_size // 1024} KiB YAML, {growth.pages[factor]} pages)",
            f"brochure {best:.2f} s ({1000 * best / growth.pages[factor]:.0f} ms/page, cold {cold.median:.2f} s, "
            f"peak RSS {mib(cold.peak_rss)})" + (f"; {peers}" if peers else ""),
        )
        report.keep(
            f"growth_{factor}x",
            {
                "brochure_best_s": best,
                "pages": growth.pages[factor],
                "cold_s": cold.median,
                "cold_peak_rss_bytes": cold.peak_rss,
                **{f"{name.lower()}_best_s": samples[name].best for name in makers},
            },
        )
    exponents = {"brochure": growth.exponent(growth.seconds)}
    exponents.update({name: growth.exponent(times) for name, times in growth.peers.items()})
    report.line(
        "growth exponent 1× → 16× (1.00 = linear)", ", ".join(f"{name} {k:.2f}" for name, k in exponents.items())
    )
    report.keep("growth_exponents", exponents)
    return growth


HOSTILE_SIZES = (10_000, 20_000, 40_000)


def bench_hostile(tmp: Path, report: Report) -> None:
    """Each input of ``scale.HOSTILE`` built at n, 2n and 4n: the time per doubling (2.0 is linear)."""
    report.section("Hostile input: a whole build at n, 2n and 4n (best of 2); time per doubling, 2.0 = linear")
    per_doubling: dict[str, float] = {}
    for name, make in HOSTILE.items():
        times = []
        for n in HOSTILE_SIZES:
            path = tmp / f"hostile-{n}.yaml"
            path.write_text(make(n), encoding="utf-8")

            def build(path: Path = path) -> object:
                try:
                    return build_brochure(path)
                except BrochureError as exc:  # refused input still costs its checks: that is the time measured
                    return exc

            times.append(time_calls({"build": build}, 2, 0)["build"].best)
        ratio = (times[-1] / times[0]) ** 0.5 if times[0] > 0 else float("nan")
        per_doubling[name] = ratio
        report.line(name, " → ".join(f"{t:.2f} s" for t in times) + f"; ×{ratio:.2f} per doubling")
    report.keep("hostile_per_doubling", per_doubling)


STAGE_FACTORS = (8, 16, 32)


def bench_stages(tmp: Path, report: Report) -> None:
    """Each stage of ``scale.STAGES`` alone, at 8, 16 and 32 times the size its test counts at."""
    report.section("Stages besides the build, alone, at n, 2n and 4n (best of 3); time per doubling, 2.0 = linear")
    per_doubling: dict[str, float] = {}
    for name, (stage, start) in STAGES.items():
        times = []
        for factor in STAGE_FACTORS:
            folder = tmp / f"stage-{len(per_doubling)}-{factor}"
            folder.mkdir()
            times.append(time_calls({"stage": stage(folder, start * factor)}, 3, 1)["stage"].best)
        ratio = (times[-1] / times[0]) ** 0.5 if times[0] > 0 else float("nan")
        per_doubling[name] = ratio
        sizes = f"n = {start * STAGE_FACTORS[0]:,}"
        report.line(name, " → ".join(f"{t * 1000:.1f} ms" for t in times) + f"; ×{ratio:.2f} per doubling ({sizes})")
    report.keep("stages_per_doubling", per_doubling)


# ---------------------------------------------------------------- summary


def summary(
    cold: dict[str, Sample], warm: dict[str, Sample], growth: Growth, batches: Batches, peers: Peers, report: Report
) -> None:
    ours_cold = cold["brochure"]
    variant = warm["variant"]
    if "variant_shared" in warm and warm["variant_shared"].median < variant.median:
        variant = warm["variant_shared"]
    if peers.names:
        report.section("brochure against its peers (× faster or slower; memory: brochure's peak RSS / the peer's)")
    for name in peers.names:
        rows = [
            ("cold build", versus(ours_cold.median, cold[name].median)),
            ("cold peak RSS", f"{ours_cold.peak_rss / cold[name].peak_rss:.2f}×"),
            ("warm variant", versus(variant.median, warm[name].median)),
        ]
        if name == TYPST:
            rows.append(("warm variant, Typst incremental", versus(variant.median, warm["typst_incremental"].median)))
        rows.append(("16× content, warm", versus(growth.seconds[16], growth.peers[name][16])))
        if name in batches.results:
            ours, theirs = batches.results["brochure"], batches.results[name]
            rows.append(("batch throughput", versus(1 / ours.per_second, 1 / theirs.per_second)))
        for label, value in rows:
            report.line(f"vs {name}: {label}", value)
        report.keep(f"versus_{name.lower()}", dict(rows))

    report.section("Targets of issue 6")
    exponent = growth.exponent(growth.seconds)
    plain = ours_cold.median / cold["plain"].median
    checks: list[tuple[str, str, bool]] = [
        (
            f"cold build within {TARGETS['plain_ratio']}× of plain ReportLab",
            f"{plain:.2f}× ({ours_cold.median:.3f} s / {cold['plain'].median:.3f} s)",
            plain <= TARGETS["plain_ratio"],
        ),
        (
            f"cold build ≤ {TARGETS['cold_s']} s (issue 6's machine)",
            f"{ours_cold.median:.3f} s",
            ours_cold.median <= TARGETS["cold_s"],
        ),
        (
            f"warm ≤ {TARGETS['warm_s'] * 1000:.0f} ms (a batch variant)",
            f"{variant.median * 1000:.0f} ms",
            variant.median <= TARGETS["warm_s"],
        ),
        (f"linear growth (exponent ≤ {TARGETS['exponent']:.2f})", f"{exponent:.2f}", exponent <= TARGETS["exponent"]),
        (
            f"cold peak RSS < {TARGETS['cold_rss_mib']:.0f} MiB",
            mib(ours_cold.peak_rss),
            ours_cold.peak_rss < TARGETS["cold_rss_mib"] * MIB,
        ),
    ]
    if WEASYPRINT in peers.names:
        speedup = cold[WEASYPRINT].median / ours_cold.median
        goal = TARGETS["weasyprint_speedup"]
        checks.append((f"cold ≥ {goal:.0f}× faster than WeasyPrint", f"{speedup:.2f}×", speedup >= goal))
    if TYPST in peers.names:
        gap = ours_cold.median / cold[TYPST].median
        checks.append(("Typst, the one to chase: cold", f"{gap:.2f}× slower than Typst", gap <= 1))
    for label, value, ok in checks:
        report.line(label, f"{value:<28} {'met' if ok else 'NOT MET'}")
    report.keep("targets", {label: {"value": value, "met": ok} for label, value, ok in checks})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="brochure benchmarks (make bench)")
    parser.add_argument("--runs", type=int, default=7, help="rounds of whole-process runs (at least 5)")
    parser.add_argument("--variants", type=int, default=200, help="variants in the batch throughput run")
    parser.add_argument("--weasyprint-variants", type=int, default=16, help="variants in WeasyPrint's batch run")
    parser.add_argument("--no-peers", action="store_true", help="measure brochure only")
    parser.add_argument("--json", type=Path, help="also write every number to this file")
    args = parser.parse_args(argv)
    report = Report()
    peers = find_peers(sys.executable, not args.no_peers)
    report.section("Machine")
    facts = machine_facts()
    for label, value in facts:
        report.line(label, value)
    report.keep("machine", dict(facts))
    start = speed_check()
    report.line("speed check at the start (pure Python)", f"{start * 1000:.0f} ms")
    for problem in peers.problems:
        report.note(problem)
    with tempfile.TemporaryDirectory(prefix="brochure-bench-") as tmp:
        setup = make_setup(Path(tmp), max(5, args.runs), peers)
        cold = bench_cold(setup, report)
        batches = bench_batch(setup, args.variants, args.weasyprint_variants, report)
        warm = bench_warm(setup, report)
        growth = bench_growth(setup, report)
        bench_hostile(Path(tmp), report)
        bench_stages(Path(tmp), report)
        summary(cold, warm, growth, batches, peers, report)
    end = speed_check()
    report.line("speed check at the end (pure Python)", f"{end * 1000:.0f} ms (start: {start * 1000:.0f} ms)")
    report.keep("speed_check_s", {"start": start, "end": end})
    if abs(end - start) > 0.1 * start:
        report.note("the machine's speed changed during the run (other load?): compare absolute numbers with care")
    if args.json:
        args.json.write_text(json.dumps(report.results, indent=2) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
