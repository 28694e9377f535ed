"""Cover images: read from the content's folder only, PNG or JPEG, within size limits, with alt text."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from brochure.build import build_brochure
from brochure.errors import ContentError

CONTENT = """lang: en
title: Logo test
logo:
  file: {file}
  alt: Community Health Outreach logo
sections:
  - id: a
    heading: A
    blocks:
      - text: Hello.
"""


def png(path: Path, size: tuple[int, int] = (120, 60)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, "#0b5560").save(path, "PNG")


def write(folder: Path, file: str) -> Path:
    content = folder / "content.yaml"
    content.write_text(CONTENT.format(file=file), encoding="utf-8")
    return content


def error_of(content: Path) -> str:
    with pytest.raises(ContentError) as caught:
        build_brochure(content)
    return caught.value.diagnostics[0].format()


def test_a_logo_is_drawn_on_the_cover(tmp_path: Path) -> None:
    png(tmp_path / "images" / "logo.png")
    pdf = build_brochure(write(tmp_path, "images/logo.png")).pdf
    cover = PdfReader(io.BytesIO(pdf)).pages[0]
    images = [x for x in cover["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert len(images) == 1
    assert images[0].get_object()["/Width"] == 120


def test_a_jpeg_logo_works_too(tmp_path: Path) -> None:
    Image.new("RGB", (80, 80), "white").save(tmp_path / "logo.jpg", "JPEG")
    assert build_brochure(write(tmp_path, "logo.jpg")).pdf.startswith(b"%PDF")


def test_alt_text_is_required(tmp_path: Path) -> None:
    png(tmp_path / "logo.png")
    content = tmp_path / "content.yaml"
    content.write_text(CONTENT.format(file="logo.png").replace("  alt: Community Health Outreach logo\n", ""))
    assert error_of(content) == f"{content}:4:3: error: logo is missing required key 'alt'"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../logo.png", "must be inside the content's folder"),
        ("/etc/passwd", "must be inside the content's folder"),
        ("https://example.org/logo.png", "must be a file, not a web address"),
        ("missing.png", "image file 'missing.png' not found"),
    ],
)
def test_paths_outside_the_folder_or_on_the_web_are_errors(tmp_path: Path, file: str, message: str) -> None:
    content = write(tmp_path, file)
    assert error_of(content).startswith(f"{content}:4:9: error: ") and message in error_of(content)


def test_a_symlink_leading_outside_is_an_error(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    png(outside / "logo.png")
    inside = tmp_path / "project"
    inside.mkdir()
    os.symlink(outside / "logo.png", inside / "logo.png")
    content = write(inside, "logo.png")
    assert "leads outside the content's folder" in error_of(content)


def test_only_png_jpeg_and_svg(tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_bytes(b"GIF89a" + b"\0" * 40)
    assert "is not a PNG, JPEG or SVG image" in error_of(write(tmp_path, "logo.png"))


def test_a_decompression_bomb_is_refused_before_decoding(tmp_path: Path) -> None:
    png(tmp_path / "bomb.png", (6000, 6000))  # 36 million pixels in a small file
    assert (tmp_path / "bomb.png").stat().st_size < 1_000_000
    assert "6000 x 6000 pixels" in error_of(write(tmp_path, "bomb.png"))
