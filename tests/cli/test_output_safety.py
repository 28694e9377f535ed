"""Output safety: a failed build never touches the output, and the output can never clobber an input."""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from support import ERRORS, TINY, write

import brochure.build
from brochure.build import build_brochure, imposed_path
from brochure.cli import main
from brochure.errors import OutputError

OLD = b"%PDF-1.4 an older, good brochure"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr
    return result


@pytest.mark.parametrize(
    ("content", "extra"),
    [
        pytest.param(ERRORS / "bad_kind.yaml", [], id="content-error"),
        pytest.param(ERRORS / "uncovered_character.yaml", [], id="font-coverage-error"),
        pytest.param(None, ["--strict"], id="strict-warning"),
    ],
)
def test_failed_build_leaves_existing_output_untouched(tmp_path, content, extra):
    if content is None:
        content = write(tmp_path, TINY.replace("notes:\n", "notes:\n  unused: Never cited.\n"))
    out = tmp_path / "out" / "brochure.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    result = run("build", str(content), "-o", str(out), *extra)
    assert result.exit_code == 1
    assert out.read_bytes() == OLD
    assert [p.name for p in out.parent.iterdir()] == ["brochure.pdf"], "a temporary file was left behind"


def test_successful_build_replaces_the_output_and_leaves_no_temporary_file(tmp_path):
    out = tmp_path / "out" / "brochure.pdf"
    out.parent.mkdir()
    out.write_bytes(OLD)
    result = run("build", str(write(tmp_path, TINY)), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-") and out.read_bytes() != OLD
    assert [p.name for p in out.parent.iterdir()] == ["brochure.pdf"]


def test_output_that_is_a_folder_is_an_error(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = run("build", str(write(tmp_path, TINY)), "-o", str(folder))
    assert result.exit_code == 1
    assert f"{folder}:1:1: error: the output path is a folder" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("spelling", ["same", "relative", "dotted"])
def test_output_equal_to_the_content_file_is_refused(tmp_path, monkeypatch, spelling):
    content = write(tmp_path, TINY, "guide.yaml")
    monkeypatch.chdir(tmp_path)
    out = {"same": str(content), "relative": "guide.yaml", "dotted": "./sub/../guide.yaml"}[spelling]
    (tmp_path / "sub").mkdir()
    result = run("build", str(content), "-o", out)
    assert result.exit_code == 1
    assert "the output would overwrite an input file" in result.stderr
    assert content.read_text(encoding="utf-8") == TINY


def test_output_equal_to_the_layout_file_is_refused(tmp_path):
    layout = write(tmp_path, "extends: default\n", "layout.yaml")
    result = run("build", str(write(tmp_path, TINY)), "--layout", str(layout), "-o", str(layout))
    assert result.exit_code == 1
    assert "overwrite an input file" in result.stderr
    assert layout.read_text(encoding="utf-8") == "extends: default\n"


def test_output_below_a_file_is_an_error_not_a_crash(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_bytes(b"x")
    result = run("build", str(write(tmp_path, TINY)), "-o", str(blocker / "x.pdf"))
    assert result.exit_code == 1
    assert "error: cannot write the output" in result.stderr
    assert blocker.read_bytes() == b"x"


# ---------------------------------------------------------------- links, special files, standard output (issue 16)


def test_a_link_to_a_regular_file_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "real" / "brochure.pdf"
    real.parent.mkdir()
    real.write_bytes(OLD)
    link = tmp_path / "link.pdf"
    link.symlink_to(real)
    result = run("build", str(write(tmp_path, TINY)), "-o", str(link), "-q")
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in real.parent.iterdir()) == ["brochure.pdf"]


def test_a_link_to_a_link_to_a_new_file_creates_the_file_at_the_end(tmp_path):
    real = tmp_path / "real.pdf"
    (tmp_path / "second.pdf").symlink_to(real)
    (tmp_path / "first.pdf").symlink_to(tmp_path / "second.pdf")
    result = run("build", str(write(tmp_path, TINY)), "-o", str(tmp_path / "first.pdf"), "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "first.pdf").is_symlink() and (tmp_path / "second.pdf").is_symlink()
    assert real.read_bytes().startswith(b"%PDF-")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("kind", ["pipe", "link-to-pipe", "device", "link-to-device", "link-to-folder", "loop"])
def test_devices_pipes_folders_and_loops_are_refused_and_left_alone(tmp_path, kind):
    out = tmp_path / "out.pdf"
    if kind == "pipe":
        os.mkfifo(out)
    elif kind == "link-to-pipe":
        os.mkfifo(tmp_path / "pipe")
        out.symlink_to(tmp_path / "pipe")
    elif kind == "device":
        out = Path("/dev/null")
    elif kind == "link-to-device":
        out.symlink_to("/dev/null")
    elif kind == "link-to-folder":
        out.symlink_to(tmp_path)
    else:
        out.symlink_to(tmp_path / "loop.pdf")
        (tmp_path / "loop.pdf").symlink_to(out)
    before = out.lstat()
    result = run("build", str(write(tmp_path, TINY)), "-o", str(out))
    assert result.exit_code == 1
    assert f"{out}:1:1: error: " in result.stderr
    expected = {"link-to-folder": "is a folder", "loop": "Too many levels of symbolic links"}
    assert expected.get(kind, "not a regular file (a device, a pipe or a socket)") in result.stderr
    after = out.lstat()
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)


@pytest.mark.skipif(not Path("/dev/stdout").is_symlink(), reason="needs /dev/stdout as a link")
def test_dev_stdout_is_never_replaced_by_a_file(tmp_path):
    before = os.lstat("/dev/stdout")
    result = subprocess.run(
        [sys.executable, "-m", "brochure", "build", str(write(tmp_path, TINY)), "-o", "/dev/stdout", "-q"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    after = os.lstat("/dev/stdout")
    assert stat.S_ISLNK(after.st_mode) and after.st_ino == before.st_ino
    assert result.returncode == 1 and b"not a regular file" in result.stderr  # a pipe here


def test_dash_writes_the_pdf_to_standard_output_and_nothing_else(tmp_path):
    content = write(tmp_path, TINY)
    done = subprocess.run(
        [sys.executable, "-m", "brochure", "build", str(content), "-o", "-"],
        capture_output=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"%PDF-") and done.stdout.rstrip().endswith(b"%%EOF")
    assert PdfReader(io.BytesIO(done.stdout)).pages
    assert not (tmp_path / "-").exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize("layout", ["booklet", "trifold"])
def test_dash_is_a_usage_error_for_layouts_that_write_two_files(tmp_path, layout):
    result = run("build", str(write(tmp_path, TINY)), "--layout", layout, "-o", "-")
    assert result.exit_code == 2
    assert "imposed sheets" in result.stderr
    assert not result.stdout_bytes


def test_dash_with_print_shop_booklet_writes_one_pdf(tmp_path):
    result = run("build", str(write(tmp_path, TINY)), "--layout", "booklet", "--print-shop", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith(b"%PDF-")


# ---------------------------------------------------------------- pairs stay pairs; no temporary file outlives a run


def test_a_booklet_and_its_sheets_are_both_replaced_or_neither(tmp_path, monkeypatch):
    out = tmp_path / "out" / "b.pdf"
    sheets = imposed_path(out)
    out.parent.mkdir()
    out.write_bytes(OLD)
    sheets.write_bytes(OLD + b" sheets")
    real_replace = os.replace
    renames: list[str] = []

    def second_rename_fails(src, dst):
        if str(dst).endswith(".imposed.pdf") and not str(src).endswith(".old.tmp"):
            renames.append(str(dst))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(brochure.build.os, "replace", second_rename_fails)
    with pytest.raises(OutputError, match="No space left on device"):
        build_brochure(write(tmp_path, TINY), "booklet", out)
    assert renames
    assert out.read_bytes() == OLD and sheets.read_bytes() == OLD + b" sheets"
    assert sorted(p.name for p in out.parent.iterdir()) == ["b.imposed.pdf", "b.pdf"]


def test_a_full_disk_while_writing_the_sheets_replaces_neither_file(tmp_path, monkeypatch):
    out = tmp_path / "out" / "b.pdf"
    out.parent.mkdir()
    real_fdopen = os.fdopen
    real_temporary = brochure.build._temporary
    sheets: list[int] = []

    def temporary(target):
        fd, tmp = real_temporary(target)
        if target.name.endswith(".imposed.pdf"):
            sheets.append(fd)
        return fd, tmp

    class FullDisk:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return FullDisk(handle) if fd in sheets else handle

    monkeypatch.setattr(brochure.build, "_temporary", temporary)
    monkeypatch.setattr(brochure.build.os, "fdopen", fdopen)  # os.fdopen itself: only the sheets' file fails
    with pytest.raises(OutputError, match="No space left on device"):
        build_brochure(write(tmp_path, TINY), "booklet", out)
    assert sheets and list(out.parent.iterdir()) == []


def test_a_killed_build_leaves_no_temporary_file_after_the_next_run(tmp_path):
    out = tmp_path / "out" / "brochure.pdf"
    content = write(tmp_path, TINY)
    code = (
        "import os, sys, brochure.build as b\n"
        "from pathlib import Path\n"
        "def killed(src, dst):\n"
        "    os._exit(9)\n"
        "b.os.replace = killed\n"
        "b.build_brochure(Path(sys.argv[1]), 'booklet', Path(sys.argv[2]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(content), str(out)], check=False, timeout=120)
    assert done.returncode == 9
    assert len(list(out.parent.iterdir())) == 2  # the two temporary files of the killed build
    result = run("build", str(content), "--layout", "booklet", "-o", str(out), "-q")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == ["brochure.imposed.pdf", "brochure.pdf"]
