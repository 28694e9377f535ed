"""Byte-identical rebuilds: the same inputs give the same PDF, and the date comes only from what is passed in."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from support import CONTENT, TINY, write

from brochure.build import FIXED_DATE, build_brochure
from brochure.cli import main

EPOCH = 1_700_000_000
OTHER_EPOCH = 1_500_000_000


def pdf_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def info(pdf: bytes) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return {key: str(value) for key, value in (reader.metadata or {}).items()}


def cli_build(content: Path, out: Path) -> bytes:
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_rebuilding_content_yaml_gives_identical_bytes(built):
    assert build_brochure(Path(CONTENT), "default", None).pdf == built.pdf


def test_source_date_is_the_creation_date(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = write(tmp_path, TINY)
    first = build_brochure(content, "default", None, source_date=EPOCH).pdf
    other = build_brochure(content, "default", None, source_date=OTHER_EPOCH).pdf
    assert info(first)["/CreationDate"] == pdf_date(datetime.fromtimestamp(EPOCH, UTC))
    assert info(first)["/ModDate"] == info(first)["/CreationDate"]
    assert info(other)["/CreationDate"] == pdf_date(datetime.fromtimestamp(OTHER_EPOCH, UTC))
    assert build_brochure(content, "default", None, source_date=EPOCH).pdf == first


def test_without_a_source_date_the_review_date_or_a_fixed_date_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = write(tmp_path, TINY, "plain.yaml")
    reviewed = write(tmp_path, TINY + 'review: {status: draft, date: "2024-03-05"}\n', "reviewed.yaml")
    assert info(build_brochure(plain, "default", None).pdf)["/CreationDate"] == pdf_date(FIXED_DATE)
    assert info(build_brochure(reviewed, "default", None).pdf)["/CreationDate"] == pdf_date(
        datetime(2024, 3, 5, tzinfo=UTC)
    )


def test_cli_rebuild_without_source_date_epoch_is_identical(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = write(tmp_path, TINY)
    first = cli_build(content, tmp_path / "a.pdf")
    second = cli_build(content, tmp_path / "b.pdf")
    assert first == second
    assert info(first)["/CreationDate"] == pdf_date(FIXED_DATE)


def test_cli_rebuild_with_source_date_epoch_is_identical_and_dated(tmp_path, monkeypatch):
    content = write(tmp_path, TINY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = cli_build(content, tmp_path / "a.pdf")
    second = cli_build(content, tmp_path / "b.pdf")
    assert first == second
    assert info(first)["/CreationDate"] == pdf_date(datetime.fromtimestamp(EPOCH, UTC))
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert cli_build(content, tmp_path / "c.pdf") != first


def test_cli_with_source_date_epoch_matches_the_library_given_that_date(tmp_path, monkeypatch):
    content = write(tmp_path, TINY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    from_cli = cli_build(content, tmp_path / "cli.pdf")
    assert build_brochure(content, "default", None, source_date=EPOCH).pdf == from_cli


@pytest.mark.parametrize("environment", [None, str(OTHER_EPOCH)], ids=["env-unset", "env-differs"])
def test_library_output_does_not_depend_on_the_environment(tmp_path, monkeypatch, environment):
    content = write(tmp_path, TINY)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    reference = build_brochure(content, "default", None, source_date=EPOCH).pdf
    if environment is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH")
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", environment)
    assert build_brochure(content, "default", None, source_date=EPOCH).pdf == reference
