"""Preflight (issue 15, point 6): what a print shop checks first, each read from the file itself."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen import canvas

from brochure.build import build_brochure
from brochure.cli import main
from brochure.preflight import preflight

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def booklet() -> bytes:
    return build_brochure(ROOT / "content.yaml", "booklet", None, print_shop=True).pdf


def _levels(report, topic):
    return {f.level for f in report.findings if f.topic == topic}


def test_a_print_shop_booklet_passes_preflight(booklet):
    report = preflight(booklet)
    assert report.errors == [], [f.format() for f in report.errors]
    assert report.pages % 4 == 0 and _levels(report, "pages") == {"ok"}
    assert report.trim_sizes == {(396.0, 612.0)}  # half letter, the booklet's page
    assert report.bleed == pytest.approx(9.0)  # 1/8 in
    assert report.fonts and all(report.fonts.values())
    assert {"DeviceCMYK", "Separation All"} <= report.colour_spaces
    assert not any(s.startswith("DeviceRGB") for s in report.colour_spaces)
    assert 0 < report.max_ink <= 300


def _pdf(draw, size=(200.0, 200.0), boxes: bool = True) -> bytes:
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=size, invariant=1)
    if boxes:
        c.setTrimBox((9, 9, size[0] - 9, size[1] - 9))
        c.setBleedBox((0, 0, size[0], size[1]))
    draw(c)
    c.showPage()
    c.save()
    return buffer.getvalue()


def test_preflight_measures_picture_resolution_at_its_placed_size(tmp_path):
    picture = tmp_path / "p.png"
    Image.new("RGB", (150, 150), (10, 120, 200)).save(picture)

    def draw(c):
        c.drawImage(str(picture), 20, 20, width=72, height=72)  # 1 in: 150 ppi
        c.drawImage(str(picture), 100, 100, width=36, height=36)  # 1/2 in: 300 ppi

    report = preflight(_pdf(draw))
    assert sorted(round(ppi) for *_, ppi in report.pictures) == [150, 300]
    low = [f for f in report.findings if f.topic == "pictures"]
    assert [f.level for f in low] == ["warning"] and "150 ppi" in low[0].message


def test_preflight_reports_ink_over_the_limit_rgb_and_fonts_not_embedded():
    def draw(c):
        c.setFillColor(CMYKColor(1, 1, 1, 0.5))  # 350 %
        c.rect(20, 20, 50, 50, fill=1)
        c.setFillColorRGB(1, 0, 0)
        c.setFont("Helvetica", 10)  # base-14: never embedded
        c.drawString(20, 100, "RGB text")

    report = preflight(_pdf(draw))
    assert report.max_ink == pytest.approx(350)
    assert _levels(report, "ink") == {"error"}
    assert report.fonts == {"Helvetica": False} and _levels(report, "fonts") == {"error"}
    assert "DeviceRGB" in report.colour_spaces


def test_preflight_reports_missing_bleed_and_an_odd_page_count():
    def draw(c):
        c.setTrimBox((9, 9, 191, 191))
        c.setBleedBox((9, 9, 191, 191))

    report = preflight(_pdf(draw, boxes=False))
    assert report.pages == 1 and _levels(report, "pages") == {"warning"}
    assert report.bleed == 0 and _levels(report, "bleed") == {"error"}


def test_brochure_preflight_command(tmp_path, booklet):
    good = tmp_path / "good.pdf"
    good.write_bytes(booklet)
    result = CliRunner().invoke(main, ["preflight", str(good)])
    assert result.exit_code == 0, result.output
    assert "ok      bleed: bleed 0.125 in" in result.output
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_pdf(lambda c: c.drawString(20, 20, "x"), boxes=False))
    result = CliRunner().invoke(main, ["preflight", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: error: preflight fonts: not embedded: Helvetica" in result.stderr


def test_every_print_shop_build_reports_its_preflight(tmp_path):
    out = tmp_path / "b.pdf"
    result = CliRunner().invoke(main, ["build", str(ROOT / "content.yaml"), "--print-shop", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for topic in ("pages", "trim", "bleed", "fonts", "colour", "pictures", "ink"):
        assert f"preflight ok      {topic}:" in result.output or f"preflight warning {topic}:" in result.output


def _pypdf_operations(reader, stream):
    """pypdf's reading of a content stream: each operator with its number and name operands."""
    from pypdf.generic import ContentStream, FloatObject, NameObject, NumberObject

    kept = (FloatObject, NumberObject, NameObject)
    return [
        (op, [float(o) if not isinstance(o, NameObject) else str(o) for o in ops if isinstance(o, kept)])
        for ops, op in ContentStream(stream, reader).operations
    ]


def test_the_preflight_reads_each_operator_as_pypdf_does(booklet):
    """The preflight's own tokenizer (faster than pypdf's parser) against pypdf, on every page and form of a build."""
    from pypdf import PdfReader

    from brochure.preflight import _operations

    reader = PdfReader(io.BytesIO(booklet))
    streams = [page.get_contents() for page in reader.pages]
    for page in reader.pages:
        for ref in page["/Resources"].get("/XObject", {}).values():
            if ref.get_object().get("/Subtype") == "/Form":
                streams.append(ref.get_object())
    checked = 0
    for stream in streams:
        ours = [
            (op, [o if isinstance(o, str) else float(o) for o in ops]) for ops, op in _operations(stream.get_data())
        ]
        assert ours == _pypdf_operations(reader, stream)
        checked += len(ours)
    assert checked > 1000


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"0 0 0 1 k (a (nested 1 k) \\) string) Tj 1 g", [(b"k", [0, 0, 0, 1]), (b"Tj", []), (b"g", [1])]),
        (b"[(A) -250 (B) 3] TJ /Cs#201 cs .5 .25 0 sc", [(b"TJ", []), (b"cs", ["/Cs 1"]), (b"sc", [0.5, 0.25, 0])]),
        (b"/P <</MCID 3 /Lang (en)>> BDC <3f 0a> Tj EMC", [(b"BDC", ["/P"]), (b"Tj", []), (b"EMC", [])]),
        (b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00 1 k Q\xff EI Q", [(b"q", []), (b"Q", [])]),
        (b"1 0 0 1 72 -36.5 cm /Im0 Do", [(b"cm", [1, 0, 0, 1, 72, -36.5]), (b"Do", ["/Im0"])]),
    ],
)
def test_the_preflight_tokenizer_skips_strings_arrays_dictionaries_and_inline_images(data, expected):
    from brochure.preflight import _operations

    assert [(op, [o if isinstance(o, str) else float(o) for o in ops]) for ops, op in _operations(data)] == expected
