"""Every failure is a located error (issue 16): ``FILE:LINE:COL: error:`` or a one-line usage error,
never a traceback, an internal error or a hang, whatever the files, names and environment are.

Each run is a separate process with a time limit, so a run that would wait for ever (a named
pipe given as a file) fails its test instead of hanging the suite.
"""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from PIL import Image
from support import TINY, write

LOGO = TINY.replace("title: Tiny guide\n", "logo:\n  file: {file}\n  alt: The logo\ntitle: Tiny guide\n")


def brochure(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "brochure", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    return done


def first_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 1, done.stderr
    return done.stderr.splitlines()[0]


# ---------------------------------------------------------------- images


def picture(kind: str) -> bytes:
    image = Image.new("RGB", (120, 80), (200, 30, 30))
    for x in range(120):
        image.putpixel((x, x % 80), (0, 0, 255))
    out = io.BytesIO()
    image.save(out, kind)
    return out.getvalue()


def chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def text_bomb() -> bytes:
    """A small PNG with a compressed text chunk that inflates to 200 MB."""
    png = picture("PNG")
    bomb = chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"a" * (200 * 1024 * 1024), 9))
    return png[:33] + bomb + png[33:]  # after the signature and IHDR


def corrupt_png() -> bytes:
    png = bytearray(picture("PNG"))
    at = png.index(b"IDAT") + 10
    png[at : at + 40] = bytes(40)
    return bytes(png)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("cut.png", lambda: picture("PNG")[:-200], "is a damaged PNG image (image file is truncated)"),
        ("cut.jpg", lambda: picture("JPEG")[: len(picture("JPEG")) // 2], "is a damaged JPEG image"),
        ("corrupt.png", corrupt_png, "is a damaged PNG image"),
        ("bomb.png", text_bomb, "is a damaged PNG image (Decompressed data too large"),
    ],
)
def test_a_damaged_image_is_an_error_at_the_line_naming_it(tmp_path, name, make, message):
    (tmp_path / name).write_bytes(make())
    content = write(tmp_path, LOGO.format(file=name))
    line = first_error(brochure("build", str(content), "-o", "x.pdf", cwd=tmp_path))
    assert line.startswith(f"{content}:3:9: error: '{name}' ") and message in line, line
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- files, names, pipes, links


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_named_pipe_as_content_is_an_error_not_a_hang(tmp_path, command):
    os.mkfifo(tmp_path / "content.yaml")
    line = first_error(brochure(command, "content.yaml", cwd=tmp_path))
    assert line == "content.yaml:1:1: error: is a named pipe or a socket, not a file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_as_a_translations_source_is_an_error_not_a_hang(tmp_path):
    os.mkfifo(tmp_path / "english.yaml")
    translation = TINY.replace("lang: en\n", "lang: es\ntranslation:\n  source: english.yaml\n  reviewed: 'no'\n")
    write(tmp_path, translation, "content.es.yaml")
    done = brochure("check", "content.es.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "english.yaml:1:1: error: is a named pipe or a socket, not a file" in done.stderr


@pytest.mark.parametrize("role", ["content", "layout", "logo", "output"])
def test_a_link_loop_is_an_error_at_its_name(tmp_path, role):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    content = write(tmp_path, LOGO.format(file="a.png") if role == "logo" else TINY, "good.yaml")
    args = {
        "content": ["build", "a.yaml", "-o", "x.pdf"],
        "layout": ["build", str(content), "--layout", "a.yaml", "-o", "x.pdf"],
        "logo": ["build", str(content), "-o", "x.pdf"],
        "output": ["build", str(content), "-o", "a.yaml"],
    }[role]
    line = first_error(brochure(*args, cwd=tmp_path))
    assert "error: " in line and ("Too many levels of symbolic links" in line or "not found" in line), line
    assert line.split(":")[0] in ("a.yaml", "b.yaml", str(content)), line  # a layout is shown by its real name


@pytest.mark.parametrize("role", ["content", "layout", "output"])
def test_a_file_name_too_long_for_the_system_is_an_error_at_that_name(tmp_path, role):
    name = "n" * 300 + ".yaml"
    content = write(tmp_path, TINY)
    args = {
        "content": ["build", name, "-o", "x.pdf"],
        "layout": ["build", str(content), "--layout", name, "-o", "x.pdf"],
        "output": ["build", str(content), "-o", "n" * 300 + ".pdf"],
    }[role]
    line = first_error(brochure(*args, cwd=tmp_path))
    assert line.startswith("n" * 300) and "error: " in line and "File name too long" in line, line


def test_the_longest_name_the_system_allows_is_written_with_its_sheets(tmp_path):
    content = write(tmp_path, TINY)
    out = "b" * (255 - len(".imposed.pdf")) + ".pdf"
    done = brochure("build", str(content), "--layout", "booklet", "-o", out, "-q", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".pdf") == sorted(
        [out, out.removesuffix(".pdf") + ".imposed.pdf"]
    )


# ---------------------------------------------------------------- environment and text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("99999999999999", "SOURCE_DATE_EPOCH 99999999999999 is after the year 9999"),
        ("253402300800", "SOURCE_DATE_EPOCH 253402300800 is after the year 9999"),
        ("9" * 5000, "is after the year 9999"),
        ("-5", "must be a whole number of seconds"),
        ("١٢٣", "must be a whole number of seconds"),
    ],
)
def test_an_out_of_range_source_date_epoch_is_a_one_line_error(tmp_path, value, message):
    done = brochure("build", str(write(tmp_path, TINY)), "-o", "x.pdf", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": value})
    assert done.returncode == 1
    assert done.stderr.startswith("SOURCE_DATE_EPOCH:1:1: error: ") and message in done.stderr.splitlines()[0]


def test_the_last_second_of_9999_is_a_valid_source_date_epoch(tmp_path):
    content = write(tmp_path, TINY)
    done = brochure("build", str(content), "-o", "x.pdf", "-q", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "253402300799"})
    assert done.returncode == 0, done.stderr
    assert b"D:99991231235959" in (tmp_path / "x.pdf").read_bytes()


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ('"Hello \\uffff world.[^a]"', "U+FFFF"),
        ('"Hello \\ufffe world.[^a]"', "U+FFFE"),
        ('"Hello \\ufdd0 world.[^a]"', "U+FDD0"),
        ('"Hello \\U0001FFFF world.[^a]"', "U+1FFFF"),
        ('"Hello \\U0010FFFE world.[^a]"', "U+10FFFE"),
        ("Hello \ufdd5 world.[^a]", "U+FDD5"),
        ("Hello \U0002fffe world.[^a]", "U+2FFFE"),
    ],
)
def test_noncharacters_are_refused_at_their_place(tmp_path, written, code):
    content = write(tmp_path, TINY.replace("Hello *world* and **bold**.[^a]", written))
    line = first_error(brochure("check", str(content), cwd=tmp_path))
    assert line.startswith(f"{content}:9:") and f"noncharacter {code} is not allowed" in line, line


# ---------------------------------------------------------------- all problems in one run, each at its place


MIXED = TINY.replace("title: Tiny guide\n", "title: Tiny guide\ncolour: blue\n").replace(
    "More text.[^b]", "More text 𓀀.[^missing] [^b]"
)


@pytest.mark.parametrize("command", ["build", "check"])
def test_an_unknown_key_an_unknown_citation_and_an_uncovered_character_are_reported_together(tmp_path, command):
    content = write(tmp_path, MIXED)
    done = brochure(command, str(content), cwd=tmp_path)
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if ": error: " in line]
    assert [e.split(": error: ")[0] for e in errors] == [f"{content}:3:1", f"{content}:17:25", f"{content}:17:27"]
    assert "unknown key 'colour'" in errors[0]
    assert "U+13000" in errors[1] and "not covered" in errors[1]
    assert "unknown citation '[^missing]'" in errors[2]


def test_a_layout_error_does_not_hide_the_contents_errors(tmp_path):
    content = write(tmp_path, MIXED)
    layout = write(tmp_path, "extends: default\npage:\n  size: a9\n", "layout.yaml")
    done = brochure("build", str(content), "--layout", str(layout), "-o", "x.pdf", cwd=tmp_path)
    assert done.returncode == 1
    places = [line.split(": error: ")[0] for line in done.stderr.splitlines() if ": error: " in line]
    assert places[0].endswith("layout.yaml:3:9")
    assert places[1:] == [f"{content}:3:1", f"{content}:17:27"]  # no fonts to check characters against


def test_a_title_too_long_for_the_cover_is_reported_at_the_title(tmp_path):
    content = write(tmp_path, TINY.replace("title: Tiny guide", "title: " + " ".join(["Extraordinarily"] * 60)))
    line = first_error(brochure("build", str(content), "-o", "x.pdf", cwd=tmp_path))
    assert line.startswith(f"{content}:2:8: error: the publisher, title and subtitle do not fit the cover")


def test_a_contact_line_too_large_for_the_back_page_is_reported_at_that_line(tmp_path):
    long_note = " ".join(["word"] * 1500)
    second = "      value: 555-0100\n    - label: Second\n      value: 555-0101\n"
    text = TINY.replace("      value: 555-0100\n", second)
    content = write(tmp_path, text + f"      note: {long_note}\n")
    line = first_error(brochure("build", str(content), "-o", "x.pdf", cwd=tmp_path))
    assert line.startswith(f"{content}:25:7: error: a contact line is too large to fit on the back page"), line


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "0000-01-01", "2026-1-1", "99999-01-01"])
def test_an_impossible_review_date_is_an_error_at_its_line(tmp_path, day):
    text = TINY.replace("title: Tiny guide\n", f"title: Tiny guide\nreview:\n  status: draft\n  date: '{day}'\n")
    content = write(tmp_path, text)
    line = first_error(brochure("check", str(content), cwd=tmp_path))
    assert line.startswith(f"{content}:5:9: error: review date '{day}'"), line
