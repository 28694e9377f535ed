"""Full pages: no body page of any layout, in any language, ends more than a quarter empty.

Measured from the PDF: each page is rendered small and the lowest inked row inside the
text block is found. Body pages run from the first section to the last page before the
"My notes" padding and the back page; the last body page (where the notes end) may be
short, but never an orphan of a few lines (see ``render.ORPHAN_SHARE``).
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from brochure.build import build_brochure, load_brochure
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent
CONTENTS = ["content.yaml", *sorted(p.name for p in ROOT.glob("content.*.yaml"))]
LAYOUTS = ["default", "a4", "booklet", "booklet-a5", "large-print"]
MOST_EMPTY = 0.25
SCALE = 0.2


def empty_shares(pdf: bytes, layout: str) -> list[float]:
    """For each page, the share of the text block's height left empty below the last inked row."""
    spec = load_layout(layout)
    doc = pdfium.PdfDocument(pdf)
    shares = []
    try:
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            image = page.render(scale=SCALE).to_pil().convert("L")
            pixels = image.load()
            top, bottom = int(spec.margin_top * SCALE), int((height - spec.margin_bottom) * SCALE)
            left, right = int(spec.margin_left * SCALE / 2), int((width - spec.margin_right / 2) * SCALE)
            lowest = next(
                (y for y in range(bottom - 1, top - 1, -1) if any(pixels[x, y] < 235 for x in range(left, right))),
                top,
            )
            shares.append((bottom - lowest) / (bottom - top))
    finally:
        doc.close()
    return shares


def body_pages(pdf: bytes, my_notes: str) -> list[int]:
    """0-based indexes of the body pages: first section's page to the page before padding or the back."""
    reader = PdfReader(io.BytesIO(pdf))
    items = [item for item in reader.outline if not isinstance(item, list)]
    marks = [(item.title, reader.get_destination_page_number(item)) for item in items]
    first = min(page for title, page in marks if page > 0)
    padding = [page for title, page in marks if title == my_notes]
    end = min([*padding, len(reader.pages) - 1])
    return list(range(first, end))


SCRIPTS = [
    "content.yaml",
    "content.ar.yaml",
    "content.zh-Hans.yaml",
    "content.zh-Hant.yaml",
    "content.ja.yaml",
    "content.ko.yaml",
    "content.hi.yaml",
]
CASES = [(content, "large-print") for content in CONTENTS] + [
    (content, layout) for content in SCRIPTS for layout in LAYOUTS if layout != "large-print"
]
"""Every language in large print (the layout with the fewest lines a page, where gaps are widest), and
Latin, Arabic, Chinese (both scripts), Japanese, Korean and Hindi text in every other layout. `make pages`
runs every language in every layout."""
if os.environ.get("BROCHURE_ALL_PAGES"):
    CASES = [(content, layout) for content in CONTENTS for layout in LAYOUTS]


@pytest.mark.parametrize(("content", "layout"), CASES)
def test_no_body_page_ends_more_than_a_quarter_empty(content: str, layout: str) -> None:
    brochure, _ = load_brochure(ROOT / content)
    pdf = build_brochure(ROOT / content, layout).pdf
    shares = empty_shares(pdf, layout)
    pages = body_pages(pdf, brochure.labels.get("my_notes"))
    assert len(pages) >= 3
    *middle, last = pages
    gaps = {index + 1: round(shares[index], 2) for index in middle if shares[index] > MOST_EMPTY}
    assert not gaps, f"pages ending more than {MOST_EMPTY:.0%} empty (page: share empty): {gaps}"
    assert shares[last] < 0.85, f"the last body page (page {last + 1}) is an orphan of a few lines"


def test_the_measure_sees_an_empty_page() -> None:
    """The measure itself: a page holding one line near its top is almost all empty."""
    from reportlab.pdfgen.canvas import Canvas

    spec = load_layout("default")
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(spec.page_width, spec.page_height))
    canvas.rect(spec.margin_left, spec.page_height - spec.margin_top - 20, 200, 12, fill=1)
    canvas.showPage()
    canvas.save()
    (share,) = empty_shares(buffer.getvalue(), "default")
    assert share > 0.95
