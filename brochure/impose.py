"""PDF bytes → PDF bytes: finishing that ReportLab cannot write, and booklet imposition.

``impose_pages`` returns its input unchanged when no imposition is set.
"""

from __future__ import annotations

import io

from .errors import LayoutSpecError, Location


def booklet_order(pages: int) -> list[tuple[int, int]]:
    """Saddle-stitch order: (left, right) 1-based page numbers of each sheet side.

    Sheet k (from 1) carries (n-2k+2 | 2k-1) on its front and (2k | n-2k+1) on its back.
    ``pages`` must be a multiple of 4.
    """
    if pages <= 0 or pages % 4:
        raise ValueError(f"a booklet needs a multiple of 4 pages, not {pages}")
    sides: list[tuple[int, int]] = []
    for k in range(1, pages // 4 + 1):
        sides.append((pages - 2 * k + 2, 2 * k - 1))
        sides.append((2 * k, pages - 2 * k + 1))
    return sides


def impose_pages(pdf: bytes, imposition: str, rtl: bool = False) -> bytes:
    """Impose reader-order pages onto press sheets.

    Args:
        pdf: reader-order pages.
        imposition: "none" or "booklet" (2-up on sheets twice the page width).
        rtl: right-to-left binding: each sheet side's two pages swap places.

    Returns:
        The imposed PDF (the input itself for "none").
    """
    if imposition == "none":
        return pdf
    if imposition != "booklet":
        raise LayoutSpecError.at(Location("<layout>"), f"unknown imposition '{imposition}'")
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    n = len(reader.pages)
    first = reader.pages[0]
    w = float(first.mediabox.width)
    h = float(first.mediabox.height)
    for left, right in booklet_order(n):
        if rtl:
            left, right = right, left
        sheet = writer.add_blank_page(width=2 * w, height=h)
        sheet.merge_transformed_page(reader.pages[left - 1], Transformation())
        sheet.merge_transformed_page(reader.pages[right - 1], Transformation().translate(w, 0))
        sheet.mediabox = RectangleObject((0, 0, 2 * w, h))
    for key, value in reader.metadata.items() if reader.metadata else ():
        writer.add_metadata({key: value})
    writer._ID = None  # noqa: SLF001  # no random file identifier: output must be reproducible
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
