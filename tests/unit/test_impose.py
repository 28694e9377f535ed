"""impose: saddle-stitch page order, and booklet sheets built from a real brochure."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from support import TINY, bounded_text, open_pdf, page_texts, squash, write

from brochure.build import build_brochure
from brochure.impose import booklet_order, impose_pages


def test_eight_page_booklet_order():
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


def test_four_page_booklet_order():
    assert booklet_order(4) == [(4, 1), (2, 3)]


@pytest.mark.parametrize("pages", [0, -4, 2, 6, 10])
def test_page_counts_that_do_not_fold_are_refused(pages):
    with pytest.raises(ValueError, match="multiple of 4"):
        booklet_order(pages)


@given(st.integers(min_value=1, max_value=100).map(lambda k: 4 * k))
def test_every_page_once_and_facing_pages_sum_to_n_plus_1(pages):
    sides = booklet_order(pages)
    assert len(sides) == pages // 2
    printed = [page for side in sides for page in side]
    assert sorted(printed) == list(range(1, pages + 1))
    assert all(left + right == pages + 1 for left, right in sides)
    # Sheet k: its front carries the outermost remaining pages, odd page on the right.
    for k in range(pages // 4):
        front, back = sides[2 * k], sides[2 * k + 1]
        assert front[1] == 2 * k + 1 and back[0] == 2 * k + 2


def test_no_imposition_returns_the_input_unchanged():
    pdf = b"%PDF-1.4 not even parsed"
    assert impose_pages(pdf, "none") is pdf


def test_booklet_sheets_carry_the_right_pages(tmp_path):
    layout = write(tmp_path, "extends: default\npage:\n  pad_to: 4\n", "four.yaml")
    flat = build_brochure(write(tmp_path, TINY), str(layout), None).pdf
    imposed = impose_pages(flat, "booklet")
    assert impose_pages(flat, "booklet") == imposed, "imposition is not reproducible"

    flat_doc, sheet_doc = open_pdf(flat), open_pdf(imposed)
    pages = page_texts(flat_doc)
    n = len(pages)
    assert n % 4 == 0
    reader = PdfReader(io.BytesIO(imposed))
    flat_reader = PdfReader(io.BytesIO(flat))
    width = float(flat_reader.pages[0].mediabox.width)
    height = float(flat_reader.pages[0].mediabox.height)
    assert len(reader.pages) == n // 2
    for index, (left, right) in enumerate(booklet_order(n)):
        sheet = reader.pages[index]
        assert float(sheet.mediabox.width) == pytest.approx(2 * width)
        assert float(sheet.mediabox.height) == pytest.approx(height)
        left_text = bounded_text(sheet_doc, index, 0, 0, width - 1, height)
        right_text = bounded_text(sheet_doc, index, width + 1, 0, 2 * width, height)
        assert squash(left_text) == squash(pages[left - 1]), f"sheet side {index + 1}, left"
        assert squash(right_text) == squash(pages[right - 1]), f"sheet side {index + 1}, right"
    assert reader.metadata["/Title"] == flat_reader.metadata["/Title"]
    flat_doc.close()
    sheet_doc.close()
