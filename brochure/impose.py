"""PDF bytes → PDF bytes: imposition of reader-order pages onto press sheets.

``impose_pages`` returns its input unchanged when no imposition is set. (What ReportLab
does not write by itself, such as link descriptions, tab order and the structure tree,
is added while drawing: see ``canvas``.)
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


def trifold_order(rtl: bool = False) -> list[list[int]]:
    """The six reading-order pages of a tri-fold on the two sides of its sheet, left to right.

    Outside: the fold-in flap (page 2), the back panel (6) and the cover (1); inside: pages
    3, 4 and 5. Right-to-left brochures open the other way, so each side is mirrored.
    """
    sides = [[2, 6, 1], [3, 4, 5]]
    return [list(reversed(side)) for side in sides] if rtl else sides


def impose_pages(
    pdf: bytes,
    imposition: str,
    rtl: bool = False,
    fold_in_width: float = 0.0,
    sheet: tuple[float, float] = (0.0, 0.0),
) -> bytes:
    """Impose reader-order pages onto press sheets.

    Args:
        pdf: reader-order pages.
        imposition: "none", "booklet" (2-up on sheets twice the page width, saddle-stitch
            order) or "trifold" (six panels, three on each side of a sheet).
        rtl: right-to-left binding: the order mirrors.
        fold_in_width: tri-fold only: the width of the narrower fold-in panels (pages 2 and 5).
        sheet: booklet only: the paper size (turned landscape); the pages are centred on it.
            (0, 0) makes the sheet exactly twice the page.

    Returns:
        The imposed PDF (the input itself for "none").
    """
    if imposition == "none":
        return pdf
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import NameObject

    reader = PdfReader(io.BytesIO(pdf))
    pages = reader.pages
    w = float(pages[0].mediabox.width)
    h = float(pages[0].mediabox.height)
    writer = PdfWriter()
    if imposition == "booklet":
        sheet_w, sheet_h = (max(sheet), min(sheet)) if all(sheet) else (2 * w, h)
        dx, dy = (sheet_w - 2 * w) / 2, (sheet_h - h) / 2
        for left, right in booklet_order(len(pages)):
            if rtl:
                left, right = right, left
            spread = writer.add_blank_page(width=sheet_w, height=sheet_h)
            spread.merge_transformed_page(pages[left - 1], Transformation().translate(dx, dy))
            spread.merge_transformed_page(pages[right - 1], Transformation().translate(dx + w, dy))
    elif imposition == "trifold":
        if len(pages) != 6:
            raise LayoutSpecError.at(Location("<layout>"), f"a tri-fold has 6 panels, not {len(pages)}")
        narrow = fold_in_width or w
        widths = {1: w, 2: narrow, 3: w, 4: w, 5: narrow, 6: w}
        for side in trifold_order(rtl):
            paper = writer.add_blank_page(width=sum(widths[p] for p in side), height=h)
            x = 0.0
            for number in side:
                page = pages[number - 1]
                page.mediabox.upper_right = (widths[number], h)
                paper.merge_transformed_page(page, Transformation().translate(x, 0))
                x += widths[number]
    else:
        raise LayoutSpecError.at(Location("<layout>"), f"unknown imposition '{imposition}'")
    if reader.metadata:
        writer.add_metadata({key: value for key, value in reader.metadata.items()})
    lang = reader.root_object.get("/Lang")
    if lang is not None:
        writer.root_object[NameObject("/Lang")] = lang
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
