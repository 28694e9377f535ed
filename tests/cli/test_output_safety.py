"""Output safety: a failed build never touches the output, and the output can never clobber an input."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support import ERRORS, TINY, write

from brochure.cli import main

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
