"""Story → PDF bytes: page templates, Page X of Y, padding before the back page, bookmarks, metadata.

Two passes: the first measures (page count, each section's page, where the back page
starts); the second lays out again with the totals known and the count padded (with
"My notes" pages) to the layout's multiple, so the contact block is always the last page.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)
from reportlab.platypus.doctemplate import LayoutError

from .errors import LayoutOverflowError, Location
from .script import is_rtl
from .spec import INCH
from .story import BackPageStart, Story

SAFE_EDGE = 0.25 * INCH
"""Office printers cannot print to the paper's edge: no ink closer than this."""


@dataclass(frozen=True, slots=True)
class RenderMeta:
    """Document facts that are not content: the tool's name and version, the creation date."""

    creator: str
    created: datetime


@dataclass(slots=True)
class _Measure:
    pages: int = 0
    section_pages: dict[str, int] = field(default_factory=dict)
    back_start: int = 0


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    """Records where headings land and turns them into bookmarks."""

    def __init__(self, buffer: io.BytesIO, measure: _Measure, **kw: object) -> None:
        super().__init__(buffer, **kw)
        self.measure = measure
        self._pads = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802  # ReportLab's hook name
        page = self.canv.getPageNumber()
        if isinstance(flowable, BackPageStart):
            self.measure.back_start = page
        elif hasattr(flowable, "bookmark_key"):
            section_id = getattr(flowable, "section_id", None)
            if section_id:
                self.measure.section_pages[section_id] = page
            if flowable.bookmark_level >= 0:
                key = flowable.bookmark_key
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.bookmark_title, key, flowable.bookmark_level, closed=False)
            else:
                self._pads += 1
                key = f"my-notes-{self._pads}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.bookmark_title, key, 0, closed=False)


def _page_templates(story: Story, total: int) -> list[PageTemplate]:
    spec, b = story.spec, story.brochure
    w, h = spec.page_width, spec.page_height
    ml, mr, mt, mb = spec.margin_left, spec.margin_right, spec.margin_top, spec.margin_bottom
    frame_h = h - mt - mb
    accent = HexColor(spec.color_accent)
    rtl = is_rtl(b.lang)
    band_bottom = h * 0.5

    def frame(fid: str, x: float, y: float, fw: float, fh: float) -> Frame:
        return Frame(x, y, fw, fh, id=fid, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def draft_mark(canvas: Any) -> None:
        if not b.draft:
            return
        c = canvas
        c.saveState()
        c.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.16))
        c.translate(w / 2, h / 2)
        c.rotate(52)
        mark = story.footer(
            b.labels.get("draft"),
            story.styles.title.clone(
                "draft",
                fontSize=spec.title_size * 1.2,
                leading=spec.title_size * 1.3,
                textColor=Color(0.75, 0.1, 0.1, alpha=0.22),
                alignment=1,
            ),
        )
        _, mh = mark.wrap(h * 0.9, h)
        mark.drawOn(c, -h * 0.45, -mh / 2)
        c.restoreState()

    def footer(canvas: Any, doc: Any, text: str) -> None:
        c = canvas
        page = c.getPageNumber()
        y = max(SAFE_EDGE + 4, mb - 0.5 * INCH)
        c.saveState()
        c.setStrokeColor(accent)
        c.setLineWidth(0.8)
        c.line(ml, y + spec.small_size * 1.6, w - mr, y + spec.small_size * 1.6)
        label = b.labels.get("page", page=page, pages=total or "?")
        right = story.footer(label)
        left = story.footer(text, story.styles.small.clone("fl", alignment=2 if rtl else 0))
        half = (w - ml - mr) / 2
        for para, x in ((right, ml + half) if not rtl else (right, ml), (left, ml) if not rtl else (left, ml + half)):
            para.wrap(half, spec.small_size * 3)
            para.drawOn(c, x, y)
        c.restoreState()

    def on_body(canvas: Any, doc: Any) -> None:
        c = canvas
        c.saveState()
        c.setFillColor(accent)
        bar_x = w - mr - 0.6 * INCH if rtl else ml
        c.rect(bar_x, h - mt + 0.28 * INCH, 0.6 * INCH, 4, stroke=0, fill=1)
        c.restoreState()
        footer(canvas, doc, b.title)
        draft_mark(canvas)

    def on_back(canvas: Any, doc: Any) -> None:
        parts = []
        if b.reviewed:
            parts.append(b.labels.get("reviewed", date=b.reviewed))
        if b.version:
            parts.append(b.labels.get("version", version=b.version))
        footer(canvas, doc, "  \u00b7  ".join(parts) or b.title)
        draft_mark(canvas)

    def on_cover(canvas: Any, doc: Any) -> None:
        c = canvas
        c.saveState()
        inset = SAFE_EDGE + 0.1 * INCH
        c.setFillColor(accent)
        c.roundRect(inset, band_bottom, w - 2 * inset, h - inset - band_bottom, 10, stroke=0, fill=1)
        c.setFillColor(HexColor(spec.color_on_accent))
        c.setFillAlpha(0.10)
        c.circle(
            w - inset - 1.3 * INCH if not rtl else inset + 1.3 * INCH,
            h - inset - 1.2 * INCH,
            1.9 * INCH,
            stroke=0,
            fill=1,
        )
        c.circle(
            w - inset - 0.5 * INCH if not rtl else inset + 0.5 * INCH,
            band_bottom + 1.1 * INCH,
            0.9 * INCH,
            stroke=0,
            fill=1,
        )
        c.restoreState()
        draft_mark(canvas)

    band_top = h - SAFE_EDGE - 0.1 * INCH - 0.9 * INCH
    cover = PageTemplate(
        "cover",
        [
            frame("band", ml, band_bottom + 0.5 * INCH, w - ml - mr, band_top - band_bottom - 0.5 * INCH),
            frame("contents", ml, mb, w - ml - mr, band_bottom - mb - 0.35 * INCH),
        ],
        onPage=on_cover,
        pagesize=(w, h),
    )
    body = PageTemplate("body", [frame("body", ml, mb, w - ml - mr, frame_h)], onPage=on_body, pagesize=(w, h))
    back = PageTemplate("back", [frame("back", ml, mb, w - ml - mr, frame_h)], onPage=on_back, pagesize=(w, h))
    return [cover, body, back]


def _flowables(story: Story, measure: _Measure | None, pads: int) -> list[Flowable]:
    pages = measure.section_pages if measure else {}
    out: list[Flowable] = [
        *story.cover(pages),
        FrameBreak(),
        *story.contents(pages),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    out.extend(story.body())
    for _ in range(pads):
        out.extend([PageBreak(), *story.my_notes()])
    out.extend([NextPageTemplate("back"), PageBreak(), *story.back()])
    return out


def _layout(story: Story, meta: RenderMeta, total: int, pads: int, measure: _Measure | None) -> tuple[bytes, _Measure]:
    spec, b = story.spec, story.brochure
    buffer = io.BytesIO()
    result = _Measure()
    doc = _Doc(
        buffer,
        result,
        pagesize=(spec.page_width, spec.page_height),
        title=b.title,
        author=b.publisher or "",
        subject=b.subtitle or "",
        creator=meta.creator,
        keywords=[],
        lang=b.lang,
        displayDocTitle=1,
        invariant=1,
        initialFontName=story.plan.main,
        pageCompression=1,
    )
    doc.addPageTemplates(_page_templates(story, total))
    try:
        doc.build(_flowables(story, measure, pads))
    except LayoutError as exc:
        raise LayoutOverflowError.at(
            b.location,
            "a block is too large to fit on one page",
            f"split the longest paragraph, list item or call-out ({str(exc)[:120]})",
        ) from None
    canvas_pages = doc.page
    result.pages = canvas_pages
    return buffer.getvalue(), result


_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")


def _stamp_dates(pdf: bytes, created: datetime) -> bytes:
    """Put the given creation date in place of ReportLab's (same length, so offsets stay valid)."""
    stamp = created.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    return _DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)


def render_pdf(story: Story, meta: RenderMeta) -> bytes:
    """Lay out the story as a PDF.

    Args:
        story: the flowable factory.
        meta: the creator string and the creation date to record.

    Returns:
        The PDF's bytes.

    Raises:
        LayoutOverflowError: when the contact block needs more than one page or a block
            cannot fit on any page.
    """
    _, first = _layout(story, meta, 0, 0, None)
    back_pages = first.pages - first.back_start + 1
    if first.back_start and back_pages > 1:
        contact = story.brochure.contact
        where = contact.location if contact else Location(story.brochure.source)
        raise LayoutOverflowError.at(
            where,
            f"the contact block needs {back_pages} pages; it must fit on the back page",
            "shorten the contact text or remove a line",
        )
    pads = (-first.pages) % story.spec.pad_to
    pdf, _ = _layout(story, meta, first.pages + pads, pads, first)
    return _stamp_dates(pdf, meta.created)
