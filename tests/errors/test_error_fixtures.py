"""Every bad input in tests/errors/ states its diagnostic on its first line; the CLI must report exactly that.

A fixture opens with ``# error: LINE:COL message-substring`` (the place the problem is
written in that file) and may follow it with ``# hint: hint-substring``. A fixture named
``layout_*.yaml`` is a layout: it is built with a small valid content file and
``--layout``, and the place is in the layout file.

Inputs that cannot carry a comment (an empty file, bytes that are not UTF-8, UTF-16) are
written by the test from ``GENERATED`` below, with the same expectations. Inputs too big
to commit (50 MB, a million items, 10,000 levels of nesting) are written from ``HUGE`` and
built in a child process, whose time and memory are measured (so is an alias bomb). ``BUILDS``
are hostile but valid inputs (a 5,000-letter word, a 20,000-character bullet, markup that
never closes): they must build, in a child process within the same limits, and print all
their text.
"""

from __future__ import annotations

import codecs
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ERRORS, ROOT, TINY, bounded_text, open_pdf, squash

from brochure.cli import main
from brochure.spec import load_layout

_EXPECT = re.compile(r"^# error: (\d+):(\d+) (.+)$")
_HINT = re.compile(r"^# hint: (.+)$")
_PLACE = re.compile(r"^(.+?):(\d+):(\d+): error: ")

SECONDS = 10.0
"""Every input, however hostile, is done within this (Python's start-up included)."""
MEGABYTES = 500
"""... and within this much memory (the child process's peak resident size)."""


@dataclass(frozen=True)
class Expected:
    line: int
    col: int
    message: str
    hint: str | None = None


def expectation(path: Path) -> Expected:
    """The expectation stated in a fixture's first (and optional second) line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    match = _EXPECT.match(lines[0]) if lines else None
    assert match, f"{path.name}: the first line must be '# error: LINE:COL message'"
    hint = _HINT.match(lines[1]) if len(lines) > 1 else None
    return Expected(int(match.group(1)), int(match.group(2)), match.group(3), hint.group(1) if hint else None)


HEAD = "lang: en\ntitle: Quitting heroin\nsections:\n  - id: one\n    heading: Withdrawal\n    blocks:\n"
TAIL = b"sections:\n  - id: one\n    heading: One\n    blocks:\n      - text: Hello.\n"


def utf16(text: str, bom: bytes, codec: str) -> bytes:
    return bom + text.encode(codec)


GENERATED: dict[str, tuple[bytes, Expected]] = {
    "empty_file": (b"", Expected(1, 1, "the file is empty", "copy content.yaml")),
    "invalid_utf8": (
        b"lang: en\ntitle: Caf\xe9 guide\n" + TAIL,
        Expected(2, 11, "is not valid UTF-8 text (byte 0xE9)", "save the file as UTF-8"),
    ),
    "utf8_encoded_surrogate": (b"lang: en\ntitle: Caf\xed\xa0\x80\n" + TAIL, Expected(2, 11, "(byte 0xED)")),
    "raw_control_character": (
        b"lang: en\ntitle: Ring\x07 the bell\n" + TAIL,
        Expected(2, 12, "0007"),
    ),
    "raw_nul_byte": (b"lang: en\ntitle: Quit\x00ting heroin\n" + TAIL, Expected(2, 12, "control character U+0000")),
    "nul_bytes_everywhere": (b"\x00" * 1000, Expected(1, 1, "control character U+0000")),
    "bom_then_invalid_utf8": (
        codecs.BOM_UTF8 + b"lang: en\ntitle: Caf\xe9 guide\n" + TAIL,
        Expected(2, 11, "(byte 0xE9)"),
    ),
    # UTF-16 with a byte-order mark is decoded: the error found is the typo on line 3.
    "utf16_le_with_bom": (
        utf16("lang: en\ntitle: Café guide\ntitel: x\n" + TAIL.decode(), codecs.BOM_UTF16_LE, "utf-16-le"),
        Expected(3, 1, "unknown key 'titel' in the file", "did you mean 'title'?"),
    ),
    "utf16_be_with_bom": (
        utf16("lang: en\ntitle: Café guide\ntitel: x\n" + TAIL.decode(), codecs.BOM_UTF16_BE, "utf-16-be"),
        Expected(3, 1, "unknown key 'titel' in the file"),
    ),
    "utf16_cut_short": (
        utf16("lang: en\ntitle: ab", codecs.BOM_UTF16_LE, "utf-16-le") + b"A",
        Expected(2, 10, "the file is not valid UTF-16 text", "save the file as UTF-8"),
    ),
    "utf16_lone_surrogate": (
        utf16("lang: en\ntitle: ab", codecs.BOM_UTF16_BE, "utf-16-be") + b"\xd8\x00" + "cd\n".encode("utf-16-be"),
        Expected(2, 10, "the file is not valid UTF-16 text (byte 0xD8)"),
    ),
    "utf16_without_bom": ("lang: en\n".encode("utf-16-le"), Expected(1, 2, "control character U+0000")),
    "text_of_50001_characters": (
        (HEAD + "      - text: " + "word " * 10_000 + "end\n").encode(),
        Expected(7, 15, "text is too long (50,003 characters; the limit is 50,000)", "split it"),
    ),
}

KNOWN_BUGS: dict[str, str] = {}


def fifty_megabytes() -> bytes:
    return HEAD.encode() + b"      - text: Hello.\n" + (b"#" * 99 + b"\n") * 500_000


def million_items() -> bytes:
    """A million list items in 2 MB: the flow style fits under the size limit."""
    return HEAD.encode() + b"      - bullets: [" + b",".join([b"a"] * 1_000_000) + b"]\n"


def nested_lists() -> bytes:
    return HEAD.encode() + b"      - text: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"


def nested_list_items() -> bytes:
    return HEAD.encode() + b"      - bullets:\n          " + b"- " * 10_000 + b"x\n"


def nested_mappings() -> bytes:
    return HEAD.encode() + b"      - text: " + b"{a: " * 10_000 + b"b" + b"}" * 10_000 + b"\n"


def billion_laughs() -> bytes:
    """Ten levels of nine references each: a billion items, were aliases expanded."""
    lines = ['lol0: &lol0 ["lol"]']
    lines += [f"lol{n}: &lol{n} [{', '.join([f'*lol{n - 1}'] * 9)}]" for n in range(1, 10)]
    return HEAD.encode() + b"      - text: Hello.\n" + "\n".join(lines).encode() + b"\n"


HUGE: dict[str, tuple[Callable[[], bytes], Expected]] = {
    "billion_laughs": (billion_laughs, Expected(9, 14, "anchors and aliases (*name) are not supported")),
    "file_of_50_mb": (fifty_megabytes, Expected(1, 1, "the file is too large (47.7 MiB; the limit is 2 MiB)")),
    # The 20,001st node (17 come before the items) is item 19,983, at column 19 + 2 x 19,983.
    "million_items": (million_items, Expected(7, 39_985, "the document has more than 20,000 entries")),
    # Five levels lead to the text; the 60th bracket is the 65th level.
    "nesting_10000_lists": (nested_lists, Expected(7, 74, "nesting deeper than 64 levels")),
    "nesting_10000_list_items": (nested_list_items, Expected(8, 129, "nesting deeper than 64 levels")),
    # In mappings, the 65th level is the key of the 59th.
    "nesting_10000_mappings": (nested_mappings, Expected(7, 248, "nesting deeper than 64 levels")),
}

LONG_WORD = "".join(chr(97 + (i * 7 + i // 26) % 26) for i in range(5000))
"""5,000 letters with no break opportunity (and no run that repeats soon, so a lost piece shows)."""
LONG_BULLET = " ".join(f"w{i:05d}" for i in range(3334))[:20_000]

BRACKETS = "[" * 20_000
ASTERISKS = "*a " * 6_000
BUILDS: dict[str, tuple[str, str]] = {
    "word_of_5000_letters": (HEAD + f"      - text: Before {LONG_WORD} after.\n", LONG_WORD),
    # Markup that never closes: each opening looked for its partner to the end of the text.
    "20000_open_brackets": (HEAD + f"      - text: '{BRACKETS}'\n", BRACKETS),
    "6000_unclosed_asterisks": (HEAD + f"      - text: '{ASTERISKS}'\n", ASTERISKS),
    "bullet_of_20000_characters": (
        HEAD + f"      - bullets:\n          - {LONG_BULLET}\n          - Short.\n",
        LONG_BULLET,
    ),
}


def cases() -> list:
    out = [pytest.param(path.name, id=path.stem) for path in sorted(ERRORS.glob("*.yaml"))]
    for name in [*GENERATED, *HUGE, *BUILDS]:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])] if name in KNOWN_BUGS else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


def test_there_are_enough_error_fixtures():
    assert len(list(ERRORS.glob("*.yaml"))) + len(GENERATED) + len(HUGE) >= 60
    for path in ERRORS.glob("*.yaml"):
        expectation(path)


MEASURE = """\
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, timeout=60)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(code)
"""
"""Runs the build as a grandchild and prints its peak memory. A child's own ru_maxrss would count the
memory of the process that started it (Linux carries the high-water mark across fork and exec), so
pytest's own size would be measured too; this small process in between keeps the measure honest."""


def run_child(args: list[str]) -> tuple[int, str, float, float]:
    """Run ``python -m brochure ARGS``: exit status, stderr, seconds and peak memory in MB."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "brochure", *args], cwd=ROOT, capture_output=True
    )
    seconds = time.monotonic() - start
    peak = int(done.stdout.split()[-1]) / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return done.returncode, done.stderr.decode("utf-8", "backslashreplace"), seconds, peak


def check_report(stderr: str, fixture: Path, expected: Expected) -> None:
    """A line ``FIXTURE:LINE:COL: error: ...message...``, followed by the hint when one is expected."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    lines = stderr.splitlines()
    hits = []
    for index, line in enumerate(lines):
        place = _PLACE.match(line)
        if (
            place
            and expected.message in line
            and Path(place.group(1)).resolve() == fixture.resolve()
            and (int(place.group(2)), int(place.group(3))) == (expected.line, expected.col)
        ):
            hits.append(index)
    assert hits, (
        f"expected a line '{fixture}:{expected.line}:{expected.col}: error: ...' containing "
        f"{expected.message!r}; got:\n{stderr}"
    )
    if expected.hint:
        following = lines[hits[0] + 1] if hits[0] + 1 < len(lines) else ""
        assert following.startswith("    hint: ") and expected.hint in following, stderr


def body_text(pdf: bytes) -> str:
    """What the pages print inside the text frame (footers left out), squashed."""
    spec = load_layout("default")
    doc = open_pdf(pdf)
    try:
        return squash(
            "".join(
                bounded_text(doc, i, 0, spec.margin_bottom, spec.page_width, spec.page_height) for i in range(len(doc))
            )
        )
    finally:
        doc.close()


@pytest.mark.parametrize("name", cases())
def test_error_fixture(name, tmp_path):
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "x.pdf"
    if name in HUGE or name in BUILDS:
        check_in_child(name, tmp_path, out)
        return
    args = ["build"]
    if name in GENERATED:
        data, expected = GENERATED[name]
        fixture = tmp_path / f"{name}.yaml"
        fixture.write_bytes(data)
        args.append(str(fixture))
    else:
        fixture = ERRORS / name
        expected = expectation(fixture)
        if name.startswith("layout_"):
            content = tmp_path / "content.yaml"
            content.write_text(TINY, encoding="utf-8")
            args += [str(content), "--layout", str(fixture)]
        else:
            args.append(str(fixture))

    result = CliRunner().invoke(main, [*args, "-o", str(out)])

    assert result.exit_code == 1, result.output
    assert not out.exists() and list(out_dir.iterdir()) == [], "a failed build wrote output"
    assert "wrote" not in result.stdout
    check_report(result.stderr, fixture, expected)


def check_in_child(name: str, tmp_path: Path, out: Path) -> None:
    pytest.importorskip("resource", reason="measuring memory needs the resource module (POSIX)")
    fixture = tmp_path / f"{name}.yaml"
    if name in HUGE:
        make, expected = HUGE[name]
        fixture.write_bytes(make())
    else:
        text, printed = BUILDS[name]
        fixture.write_text(text, encoding="utf-8")

    status, stderr, seconds, megabytes = run_child(["build", str(fixture), "-o", str(out), "-q"])

    assert seconds < SECONDS, f"took {seconds:.1f} s"
    assert megabytes < MEGABYTES, f"took {megabytes:.0f} MB"
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    if name in HUGE:
        assert status == 1, stderr
        assert not out.exists() and list(out.parent.iterdir()) == [], "a failed build wrote output"
        check_report(stderr, fixture, expected)
    else:
        assert status == 0, stderr
        assert squash(printed) in body_text(out.read_bytes())
