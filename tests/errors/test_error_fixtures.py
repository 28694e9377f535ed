"""Every bad input in tests/errors/ states its diagnostic on its first line; the CLI must report exactly that.

A fixture opens with ``# error: LINE:COL message-substring`` (the place the problem is
written in that file) and may follow it with ``# hint: hint-substring``. Inputs that
cannot carry a comment (an empty file, bytes that are not UTF-8) are written by the test
from ``GENERATED`` below, with the same expectations.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import ERRORS

from brochure.cli import main

_EXPECT = re.compile(r"^# error: (\d+):(\d+) (.+)$")
_HINT = re.compile(r"^# hint: (.+)$")


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


TAIL = b"sections:\n  - id: one\n    heading: One\n    blocks:\n      - text: Hello.\n"

GENERATED: dict[str, tuple[bytes, Expected]] = {
    "empty_file": (b"", Expected(1, 1, "the file is empty", "copy content.yaml")),
    "invalid_utf8": (
        b"lang: en\ntitle: Caf\xe9 guide\n" + TAIL,
        Expected(2, 11, "is not valid UTF-8 text (byte 0xE9)", "save the file as UTF-8"),
    ),
    "raw_control_character": (
        b"lang: en\ntitle: Ring\x07 the bell\n" + TAIL,
        Expected(2, 12, "0007"),
    ),
    "bom_then_invalid_utf8": (
        codecs.BOM_UTF8 + b"lang: en\ntitle: Caf\xe9 guide\n" + TAIL,
        Expected(2, 11, "(byte 0xE9)"),
    ),
}

KNOWN_BUGS: dict[str, str] = {}


def cases() -> list:
    out = [pytest.param(path.name, id=path.stem) for path in sorted(ERRORS.glob("*.yaml"))]
    for name in GENERATED:
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[name])] if name in KNOWN_BUGS else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


def test_there_are_enough_error_fixtures():
    assert len(list(ERRORS.glob("*.yaml"))) >= 15
    for path in ERRORS.glob("*.yaml"):
        expectation(path)


@pytest.mark.parametrize("name", cases())
def test_error_fixture(name, tmp_path):
    if name in GENERATED:
        data, expected = GENERATED[name]
        fixture = tmp_path / f"{name}.yaml"
        fixture.write_bytes(data)
    else:
        fixture = ERRORS / name
        expected = expectation(fixture)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "x.pdf"

    result = CliRunner().invoke(main, ["build", str(fixture), "-o", str(out)])

    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code == 1, result.output
    assert not out.exists() and list(out_dir.iterdir()) == [], "a failed build wrote output"
    assert "wrote" not in result.stdout
    prefix = f"{fixture}:{expected.line}:{expected.col}: error: "
    lines = result.stderr.splitlines()
    hits = [i for i, line in enumerate(lines) if line.startswith(prefix) and expected.message in line]
    assert hits, f"expected a line starting {prefix!r} containing {expected.message!r}; got:\n{result.stderr}"
    if expected.hint:
        following = lines[hits[0] + 1] if hits[0] + 1 < len(lines) else ""
        assert following.startswith("    hint: ") and expected.hint in following, result.stderr
