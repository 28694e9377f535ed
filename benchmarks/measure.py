"""Timing and memory helpers: whole processes (wall time and peak RSS) and in-process calls."""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sample:
    """Repeated measurements of one thing: wall seconds and CPU seconds per run, peak RSS in bytes.

    CPU time (user + system) is what the run itself used: unlike wall time, it hardly grows
    when other work competes for the cores.
    """

    seconds: tuple[float, ...]
    peak_rss: int = 0
    cpu: tuple[float, ...] = ()

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def worst(self) -> float:
        return max(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu) if self.cpu else 0.0

    def describe(self, unit: str = "s") -> str:
        """'0.712 s (min 0.690, max 0.800, n=7)' or the same in ms."""
        scale = 1000.0 if unit == "ms" else 1.0
        digits = 1 if unit == "ms" else 3
        cpu = f", CPU {self.cpu_median * scale:.{digits}f}" if self.cpu else ""
        return (
            f"{self.median * scale:.{digits}f} {unit} (min {self.best * scale:.{digits}f}, "
            f"max {self.worst * scale:.{digits}f}{cpu}, n={len(self.seconds)})"
        )


class ProcessFailedError(RuntimeError):
    """A measured command exited with a non-zero status."""


LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss,
      usage.ru_utime + usage.ru_stime)
"""
"""Runs a command from a small interpreter; prints its wall time, exit status, ru_maxrss (KiB), CPU time."""


def gnu_time() -> str | None:
    """``/usr/bin/time`` when it is GNU time (``apt-get install time``), else None."""
    path = shutil.which("time", path="/usr/bin:/bin")
    if path is None:
        return None
    done = subprocess.run([path, "--version"], capture_output=True, text=True)
    return path if "GNU" in done.stdout + done.stderr else None


def memory_tool() -> str:
    """How peak memory is measured on this machine."""
    tool = gnu_time()
    return f"{tool} -v" if tool else "a small launcher's os.wait4 ru_maxrss (GNU time is not installed)"


def run_process(command: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> Sample:
    """Run ``command`` once: its wall time, and its peak RSS (the kernel's ``ru_maxrss``).

    Linux charges a child with its parent's peak RSS at the moment of ``exec``, so the child
    is never started from this (large) process: GNU time (``/usr/bin/time -v``) starts it
    when installed, otherwise a bare ``python -S`` launcher does; both are a few MiB.
    """
    tool = gnu_time()
    environment = dict(env) if env is not None else None
    if tool is not None:
        with tempfile.TemporaryDirectory(prefix="brochure-time-") as folder:
            report = Path(folder) / "time.txt"
            start = time.perf_counter()
            done = subprocess.run(
                [tool, "-v", "-o", str(report), *command],
                env=environment,
                cwd=cwd,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            elapsed = time.perf_counter() - start
            text = report.read_text(encoding="utf-8", errors="replace")
        if done.returncode:
            raise ProcessFailedError(f"{' '.join(command)} exited with {done.returncode}")
        rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
        cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", text))
        return Sample((elapsed,), int(rss.group(1)) * 1024 if rss else 0, (cpu,))
    launched = subprocess.run(
        [sys.executable, "-S", "-c", LAUNCHER, *command], env=environment, cwd=cwd, capture_output=True, text=True
    )
    seconds, status, maxrss, cpu_seconds = launched.stdout.split()
    if int(status) or launched.returncode:
        raise ProcessFailedError(f"{' '.join(command)} exited with {status}")
    return Sample((float(seconds),), int(maxrss) * 1024, (float(cpu_seconds),))


def check_process(command: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run ``command`` once (a warm-up); on failure raise with its error output. Returns stderr."""
    done = subprocess.run(list(command), env=dict(env) if env is not None else None, cwd=cwd, capture_output=True)
    stderr = done.stderr.decode("utf-8", "replace")
    if done.returncode:
        raise ProcessFailedError(f"{' '.join(command)} exited with {done.returncode}:\n{stderr.strip()[-2000:]}")
    return stderr


def time_process(
    command: Sequence[str], runs: int, env: Mapping[str, str] | None = None, cwd: Path | None = None, warmup: int = 1
) -> Sample:
    """``runs`` whole-process runs after ``warmup`` unmeasured ones; the largest peak RSS of them."""
    for _ in range(warmup):
        check_process(command, env, cwd)
    samples = [run_process(command, env, cwd) for _ in range(runs)]
    return Sample(
        tuple(s.seconds[0] for s in samples), max(s.peak_rss for s in samples), tuple(s.cpu[0] for s in samples)
    )


def combine(samples: Sequence[Sample]) -> Sample:
    """One sample of many single runs: every time, and the largest peak RSS."""
    return Sample(
        tuple(t for s in samples for t in s.seconds),
        max((s.peak_rss for s in samples), default=0),
        tuple(c for s in samples for c in s.cpu),
    )


def time_processes(
    commands: Mapping[str, tuple[Sequence[str], Mapping[str, str] | None]], runs: int
) -> dict[str, Sample]:
    """Whole-process runs of several commands, interleaved round by round.

    Each round runs every command once, so a change in the machine's speed during the
    measurement (other load) touches all of them alike and their ratios stay fair.
    """
    results: dict[str, list[Sample]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            results[name].append(run_process(command, env))
    return {name: combine(samples) for name, samples in results.items()}


def time_calls(functions: Mapping[str, Callable[[], object]], runs: int, warmup: int = 1) -> dict[str, Sample]:
    """In-process calls of several functions, interleaved round by round, after ``warmup`` rounds."""
    results: dict[str, list[Sample]] = {name: [] for name in functions}
    for round_number in range(warmup + runs):
        for name, function in functions.items():
            sample = time_call(function, 1, 0)
            if round_number >= warmup:
                results[name].append(sample)
    return {name: combine(samples) for name, samples in results.items()}


def time_call(function: Callable[[], object], runs: int, warmup: int = 1) -> Sample:
    """Timings of ``runs`` calls of ``function`` in this process, after ``warmup`` unmeasured calls."""
    for _ in range(warmup):
        function()
    seconds: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return Sample(tuple(seconds), 0, tuple(cpu))


# ---------------------------------------------------------------- the machine


def _cpu_model() -> str:
    """The model name from /proc/cpuinfo, with family, model and whether it is a virtual machine."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        fields.setdefault(key.strip(), value.strip())
    details = [f"family {fields.get('cpu family', '?')}, model {fields.get('model', '?')}"]
    if "hypervisor" in fields.get("flags", "").split():
        details.append("virtual machine")
    return f"{fields.get('model name', 'unknown')} ({', '.join(details)})"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text(encoding="utf-8").splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.platform()


def source_revision() -> str:
    """The commit the measured code is at, and whether brochure/ has uncommitted changes."""
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "log", "-1", "--format=%h %cd", "--date=format:%Y-%m-%d %H:%M"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--", "brochure", "layouts", "content.yaml"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" + uncommitted changes" if dirty else "")


def machine_facts() -> list[tuple[str, str]]:
    """What the numbers depend on: cores, CPU, memory, load, OS, Python and library versions."""
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    libraries = ", ".join(
        f"{name} {_version(name)}"
        for name in ("brochure", "reportlab", "PyYAML", "pypdf", "weasyprint", "pydyf", "typst", "rl_accel")
    )
    return [
        ("nproc", str(os.cpu_count() or 1)),
        ("CPU", _cpu_model()),
        ("memory", _memory()),
        ("load average", " ".join(f"{value:.2f}" for value in load)),
        ("OS", f"{_os_name()} ({platform.machine()}, kernel {platform.release()})"),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("libraries", libraries),
        ("brochure source", source_revision()),
    ]


def speed_check() -> float:
    """Seconds for a fixed pure-Python workload (median of 3): compare runs, or the start and end of one.

    Shared and virtual machines change speed with their neighbours' load; a run whose
    start and end differ by more than ~10 % was disturbed.
    """

    def workload() -> float:
        start = time.perf_counter()
        table: dict[int, int] = {}
        total = 0
        for i in range(1_000_000):
            total += i * i % 7
            table[i & 1023] = total
        return time.perf_counter() - start

    return statistics.median(workload() for _ in range(3))
