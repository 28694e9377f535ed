"""PDF bytes → PNG bytes: one picture per page and a contact sheet of all pages, for review in CI.

Rendering uses pypdfium2 (PDFium) and Pillow; nothing here writes files. Memory stays
bounded however long the PDF: each page is rendered, handed on (``page_sink``) and let
go before the next, and the contact sheet is at most ``MAX_SHEET_PIXELS`` (its pictures
shrink as the pages grow in number).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

MAX_SHEET_PIXELS = 8_000_000
"""The contact sheet's size at most (about 24 MB while it is drawn): with many pages, its pictures shrink."""

MAX_PDF_BYTES = 512 * 1024 * 1024
"""Larger PDFs are not previewed (the whole file is held in memory while its pages are drawn)."""


@dataclass(frozen=True, slots=True)
class Preview:
    """The pages as PNG images (none when they were handed to a sink), and one contact sheet showing them all."""

    pages: tuple[bytes, ...]
    sheet: bytes


def render_preview(
    pdf: bytes, dpi: float = 50, columns: int = 4, page_sink: Callable[[int, bytes], None] | None = None
) -> Preview:
    """Render every page of a PDF, and a contact sheet of them on a gray ground.

    Args:
        pdf: the document.
        dpi: resolution of the page pictures.
        columns: pages per row on the contact sheet.
        page_sink: called with (page number from 1, PNG bytes) for each page as soon as it
            is drawn; the pages are then not kept (``Preview.pages`` is empty).
    """
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    pages: list[bytes] = []
    try:
        count = len(document)
        if count == 0:
            raise ValueError("the PDF has no pages")
        width, height = (math.ceil(side * dpi / 72) for side in document.get_page_size(0))
        cols = min(columns, count)
        rows = (count + columns - 1) // columns
        gap = 8
        scale = min(1.0, math.sqrt(MAX_SHEET_PIXELS / max(1, (cols * width) * (rows * height))))
        cell_w, cell_h = max(1, int(width * scale)), max(1, int(height * scale))
        sheet = Image.new("RGB", (cols * cell_w + (cols + 1) * gap, rows * cell_h + (rows + 1) * gap), "#8a8a8a")
        for index in range(count):
            page = document[index]
            try:
                image = page.render(scale=dpi / 72).to_pil().convert("RGB")
            finally:
                page.close()
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            if page_sink is None:
                pages.append(buffer.getvalue())
            else:
                page_sink(index + 1, buffer.getvalue())
            image.thumbnail((cell_w, cell_h))
            x = gap + (index % columns) * (cell_w + gap)
            y = gap + (index // columns) * (cell_h + gap)
            sheet.paste(image, (x, y))
            del image, buffer
    finally:
        document.close()
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return Preview(tuple(pages), buffer.getvalue())
