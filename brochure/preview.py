"""PDF bytes → PNG bytes: one picture per page and a contact sheet of all pages, for review in CI.

Rendering uses pypdfium2 (PDFium) and Pillow; nothing here writes files.
"""

from __future__ import annotations

import io
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Preview:
    """The pages as PNG images, and one contact sheet showing them all."""

    pages: tuple[bytes, ...]
    sheet: bytes


def render_preview(pdf: bytes, dpi: float = 50, columns: int = 4) -> Preview:
    """Render every page of a PDF, and a contact sheet of them on a gray ground.

    Args:
        pdf: the document.
        dpi: resolution of the page pictures.
        columns: pages per row on the contact sheet.
    """
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    images = []
    pages: list[bytes] = []
    try:
        for index in range(len(document)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
            images.append(image)
            buffer = io.BytesIO()
            image.save(buffer, "PNG", optimize=True)
            pages.append(buffer.getvalue())
    finally:
        document.close()
    gap = 8
    width = max(i.width for i in images)
    height = max(i.height for i in images)
    rows = (len(images) + columns - 1) // columns
    cols = min(columns, len(images))
    sheet = Image.new("RGB", (cols * width + (cols + 1) * gap, rows * height + (rows + 1) * gap), "#8a8a8a")
    for index, image in enumerate(images):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (height + gap)
        sheet.paste(image, (x, y))
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", optimize=True)
    return Preview(tuple(pages), buffer.getvalue())
