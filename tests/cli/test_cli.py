"""The ``brochure`` command line through Click's CliRunner: options, exit codes, and what goes to which stream."""

from __future__ import annotations

import importlib.metadata
import re

import pytest
from click.testing import CliRunner
from support import CONTENT, ERRORS, TINY, write

import brochure
from brochure.build import load_brochure
from brochure.cli import main
from brochure.spec import load_layout


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


def test_version_matches_the_package_metadata():
    result = run("--version")
    assert result.exit_code == 0
    assert brochure.__version__ == importlib.metadata.version("brochure")
    assert brochure.__version__ in result.stdout
    assert "brochure" in result.stdout


@pytest.mark.parametrize(
    ("command", "options"),
    [("build", ["--layout", "--output", "--strict", "--quiet"]), ("check", ["--layout", "--strict"])],
)
def test_help_for_each_command(command, options):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage:")
    for option in options:
        assert option in result.stdout
    assert run(command, "-h").stdout == result.stdout


def test_top_level_help_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    for command in ("build", "check", "layouts"):
        assert re.search(rf"^\s+{command}\b", result.stdout, flags=re.MULTILINE), command


def test_check_on_good_content_prints_a_summary(tmp_path):
    # TINY's 555-0100 is a placeholder number (a warning of check's own): a real number here.
    text = TINY.replace("notes:\n", "notes:\n  zz: Never cited.\n").replace("555-0100", "1-800-662-4357")
    content = write(tmp_path, text, "good.yaml")
    model, warnings = load_brochure(content)
    result = run("check", str(content))
    assert result.exit_code == 0, result.output
    count = len(warnings)
    assert count == 1
    summary = (
        f"{content}: {len(model.sections)} sections, {len(model.notes)} notes, "
        f"{count} warning{'s' if count != 1 else ''}"
    )
    assert any(line.startswith(summary + ", 0 errors; text sizes: ") for line in result.stdout.splitlines())


def test_check_warnings_with_strict_fail(tmp_path):
    text = TINY.replace("notes:\n", "notes:\n  unused: Never cited.\n")
    content = write(tmp_path, text)
    relaxed = run("check", str(content))
    assert relaxed.exit_code == 0
    assert "warning: note 'unused' is never cited" in relaxed.stderr
    strict = run("check", "--strict", str(content))
    assert strict.exit_code == 1
    assert "error: note 'unused' is never cited" in strict.stderr


def test_check_on_bad_content_fails_with_the_place(tmp_path):
    bad = ERRORS / "bad_kind.yaml"
    good = write(tmp_path, TINY, "good.yaml")
    result = run("check", str(good), str(bad))
    assert result.exit_code == 1
    assert re.search(rf"^{re.escape(str(bad))}:\d+:\d+: error: unknown block kind 'bulets'", result.stderr, re.M)
    assert f"{bad}: 1 error" in result.stderr
    assert f"{good}: " in result.stdout, "the good file is still checked and summarised"


def test_check_finds_characters_no_font_covers():
    result = run("check", str(ERRORS / "uncovered_character.yaml"))
    assert result.exit_code == 1
    assert "Cherokee: 3 characters on 1 line" in result.stderr and "U+13A3" in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run("build", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_unknown_command_is_a_usage_error():
    result = run("frobnicate")
    assert result.exit_code == 2


def test_layouts_lists_default_with_its_description():
    result = run("layouts")
    assert result.exit_code == 0
    description = load_layout("default").description
    assert any(line.split()[:1] == ["default"] and description in line for line in result.stdout.splitlines())


def test_build_reports_what_it_wrote_and_quiet_says_nothing(tmp_path):
    content = write(tmp_path, TINY)
    out = tmp_path / "sub" / "guide.pdf"
    result = run("build", str(content), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")
    assert f"wrote {out}" in result.stdout
    assert result.stderr == ""
    quiet = run("build", str(content), "-o", str(out), "--quiet")
    assert quiet.exit_code == 0 and quiet.output == ""


def test_build_prints_warnings_and_strict_makes_them_errors(tmp_path):
    text = TINY.replace("notes:\n", "notes:\n  unused: Never cited.\n")
    content = write(tmp_path, text)
    out = tmp_path / "x.pdf"
    result = run("build", str(content), "-o", str(out))
    assert result.exit_code == 0
    assert re.search(rf"^{re.escape(str(content))}:\d+:\d+: warning: note 'unused' is never cited", result.stderr, re.M)
    assert out.exists()
    out.unlink()
    strict = run("build", str(content), "-o", str(out), "--strict")
    assert strict.exit_code == 1
    assert "error: note 'unused' is never cited" in strict.stderr
    assert not out.exists()


def test_missing_content_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    result = run("build", str(missing), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{missing}:1:1: error: no such file")


def test_bad_source_date_epoch_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    out = tmp_path / "x.pdf"
    result = run("build", str(write(tmp_path, TINY)), "-o", str(out))
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH" in result.stderr and "yesterday" in result.stderr
    assert not out.exists()


def test_bad_layout_is_reported_at_its_line(tmp_path):
    layout = write(tmp_path, "extends: default\ntype:\n  body_sise: 12\n", "bad-layout.yaml")
    result = run("build", str(write(tmp_path, TINY)), "--layout", str(layout), "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 1
    assert f"{layout}:3:3: error: unknown layout key 'type.body_sise'" in result.stderr
    assert "hint: did you mean 'body_size'?" in result.stderr


def test_build_says_when_a_file_claims_pdf_a_2b(tmp_path, monkeypatch):
    """A file with a glyph that maps to no Unicode text claims PDF/A-2b, and the "wrote" line says so."""
    import brochure.canvas

    out = tmp_path / "plain.pdf"
    result = CliRunner().invoke(main, ["build", str(CONTENT), "-o", str(out)])
    assert result.exit_code == 0 and "PDF/A-2b" not in result.output
    monkeypatch.setattr(brochure.canvas, "glyphs_without_text", lambda doc: [("NotoSans-Regular", 0xE000)])
    result = CliRunner().invoke(main, ["build", str(CONTENT), "-o", str(tmp_path / "b.pdf")])
    assert result.exit_code == 0, result.output
    assert "PDF/A-2b, not 2u" in result.output
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in (tmp_path / "b.pdf").read_bytes()
