"""Figure blocks: PNG, JPEG or SVG pictures beside the content, drawn (SVG as vectors), tagged with alt text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from support import open_pdf

from brochure.build import build_brochure
from brochure.errors import ContentError

ROOT = Path(__file__).resolve().parent.parent

CONTENT = """lang: en
title: Figure test
sections:
  - id: a
    heading: A
    blocks:
      - text: Hello.
      - figure: {file}
        alt: A phone making a call.
        caption: Call for help any time.
        width: {width}
"""

SVG = """<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">
  <rect x="0" y="0" width="200" height="100" fill="#d9e9eb"/>
  {extra}
  <circle cx="100" cy="50" r="30" fill="#a8430e"/>
</svg>
"""


def write(folder: Path, file: str = "images/pic.svg", width: str = "full", text: str = CONTENT) -> Path:
    content = folder / "content.yaml"
    content.write_text(text.format(file=file, width=width), encoding="utf-8")
    return content


def svg(folder: Path, extra: str = "", name: str = "images/pic.svg") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SVG.format(extra=extra), encoding="utf-8")
    return path


def error_of(content: Path, **options: bool) -> str:
    with pytest.raises(ContentError) as caught:
        build_brochure(content, **options)
    return caught.value.diagnostics[0].format()


def figures(pdf: bytes) -> list[str]:
    """The /Alt of every Figure element in the structure tree."""
    reader = PdfReader(io.BytesIO(pdf))
    out: list[str] = []

    def walk(node: object) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for kid in node:
                walk(kid)
        elif isinstance(node, dict):
            if node.get("/S") == "/Figure":
                out.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return out


@pytest.mark.parametrize("width", ["full", "column", "half"])
def test_an_svg_figure_is_drawn_as_vectors_with_its_alt_text(tmp_path: Path, width: str) -> None:
    svg(tmp_path)
    pdf = build_brochure(write(tmp_path, width=width)).pdf
    assert "A phone making a call." in figures(pdf)
    page = PdfReader(io.BytesIO(pdf)).pages[1]
    xobjects = page["/Resources"].get("/XObject", {})
    assert not [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"], "SVG drawn as a bitmap"
    doc = open_pdf(pdf)
    text = doc[1].get_textpage().get_text_range()
    assert "Call for help any time." in " ".join(text.split())
    bitmap = doc[1].render(scale=0.5).to_pil().convert("RGB")
    assert (0xA8, 0x43, 0x0E) in {color for _, color in bitmap.getcolors(1_000_000) or []}, "the circle is not drawn"
    doc.close()


def test_a_half_figure_sets_its_caption_beside_the_picture(tmp_path: Path) -> None:
    svg(tmp_path)
    pdf = build_brochure(write(tmp_path, width="half")).pdf
    doc = open_pdf(pdf)
    page = doc[1].get_textpage()
    box = page.get_charbox(page.get_text_range().index("Call for help"))
    doc.close()
    assert box[0] > 72 * 4, "the caption does not start right of the picture"


def test_png_and_jpeg_figures_are_placed_as_images(tmp_path: Path) -> None:
    (tmp_path / "pic.png").parent.mkdir(exist_ok=True)
    Image.new("RGB", (300, 200), "#0b5560").save(tmp_path / "pic.png", "PNG")
    Image.new("RGB", (300, 200), "#0b5560").save(tmp_path / "pic.jpg", "JPEG")
    for name in ("pic.png", "pic.jpg"):
        pdf = build_brochure(write(tmp_path, file=name)).pdf
        page = PdfReader(io.BytesIO(pdf)).pages[1]
        images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
        assert [i.get_object()["/Width"] for i in images] == [300]
        assert "A phone making a call." in figures(pdf)


def test_grayscale_draws_an_svg_picture_in_grays(tmp_path: Path) -> None:
    svg(tmp_path)
    pdf = build_brochure(write(tmp_path), grayscale=True).pdf
    doc = open_pdf(pdf)
    bitmap = doc[1].render(scale=0.5).to_pil().convert("RGB")
    doc.close()
    colors = bitmap.getcolors(1_000_000) or []
    assert all(max(c) - min(c) <= 2 for _, c in colors), "a colour left in grayscale output"


def test_the_sample_figures_are_tagged_in_every_language(built) -> None:
    alts = figures(built.pdf)
    wanted = [b.alt for s in built.brochure.sections for b in s.blocks if type(b).__name__ == "Figure"]
    assert len(wanted) >= 3
    assert all(alt in alts for alt in wanted)


def test_alt_text_is_required(tmp_path: Path) -> None:
    svg(tmp_path)
    content = write(tmp_path, text=CONTENT.replace("        alt: A phone making a call.\n", ""))
    assert error_of(content).startswith(f"{content}:8:9: error: a figure is missing required key 'alt'\n")


def test_an_unknown_width_is_an_error_at_its_value(tmp_path: Path) -> None:
    svg(tmp_path)
    content = write(tmp_path, width="wide")
    assert error_of(content).startswith(f"{content}:11:16: error: figure width must be one of full, column, half")


def test_an_unknown_figure_key_is_an_error(tmp_path: Path) -> None:
    svg(tmp_path)
    content = write(tmp_path, text=CONTENT.replace("        width: {width}", "        widht: half"))
    assert error_of(content).startswith(f"{content}:11:9: error: unknown block kind 'widht'")


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("../pic.svg", "must be inside the content's folder"),
        ("/etc/passwd", "must be inside the content's folder"),
        ("https://example.org/pic.svg", "must be a file, not a web address"),
        ("missing.svg", "image file 'missing.svg' not found"),
    ],
)
def test_paths_outside_the_folder_or_on_the_web_are_errors(tmp_path: Path, file: str, message: str) -> None:
    content = write(tmp_path, file=file)
    error = error_of(content)
    assert error.startswith(f"{content}:8:17: error: ") and message in error


@pytest.mark.parametrize(
    ("extra", "line", "message"),
    [
        ('<text x="1" y="1">Hi</text>', 4, "may not hold text"),
        ('<image href="file:///etc/passwd" width="1" height="1"/>', 4, "may not hold embedded or linked images"),
        ('<use href="other.svg#a"/>', 4, "refers to 'other.svg#a' outside the file"),
        ('<rect width="1" height="1" fill="url(https://example.org/x)"/>', 4, "url(...)"),
        ("<script>alert(1)</script>", 4, "may not hold scripts"),
    ],
)
def test_unsafe_svg_is_refused_at_its_line(tmp_path: Path, extra: str, line: int, message: str) -> None:
    path = svg(tmp_path, extra)
    error = error_of(write(tmp_path))
    assert error.startswith(f"{path}:{line}:") and message in error


def test_an_svg_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "images" / "pic.svg"
    path.parent.mkdir()
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><desc>&b;</desc></svg>\n',
        encoding="utf-8",
    )
    assert "may not have a DOCTYPE" in error_of(write(tmp_path))


def test_broken_svg_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "images" / "pic.svg"
    path.parent.mkdir()
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n  <rect x="1" </svg>\n')
    error = error_of(write(tmp_path))
    assert error.startswith(f"{path}:2:") and "not well-formed" in error


def test_an_svg_too_large_is_refused(tmp_path: Path) -> None:
    svg(tmp_path, "<!-- " + "x" * 1_100_000 + " -->")
    assert "SVG pictures may be at most 1 MiB" in error_of(write(tmp_path))


def test_an_svg_with_too_many_elements_is_refused(tmp_path: Path) -> None:
    svg(tmp_path, '<rect width="1" height="1"/>' * 10_001)
    assert "more than 10,000 elements" in error_of(write(tmp_path))


def test_the_shipped_pictures_are_safe_svg(tmp_path: Path) -> None:
    from brochure.assets import read_image
    from brochure.errors import Location

    for path in sorted((ROOT / "images").glob("*.svg")):
        data, width, height = read_image(ROOT, f"images/{path.name}", Location("content.yaml"))
        assert width > 0 and height > 0 and data.startswith(b"<?xml")
