"""Story → PDF bytes: page templates, Page X of Y, padding before the back page, bookmarks, metadata.

One layout pass. What is known only at the end (the page total in each footer, the page
each section starts on in the contents list) is drawn in form XObjects that the canvas
fills in at save. The "My notes" pages that pad the count to the layout's multiple are
decided when the body ends, from the pages used so far and the back page's length, so the
contact block is always the last page.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.colors import CMYKColorSep, Color, HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)
from reportlab.platypus.doctemplate import LayoutError

from .canvas import XMP_DATE, BrochureCanvas
from .errors import LayoutOverflowError, Location
from .inline import plain_text
from .model import Contact
from .script import is_rtl
from .spec import INCH, LayoutSpec
from .story import BackPageStart, Story, build_story

SAFE_EDGE = 0.25 * INCH
"""Office printers cannot print to the paper's edge: no ink closer than this."""


@dataclass(frozen=True, slots=True)
class RenderMeta:
    """Document facts that are not content: the tool's name and version, the creation date."""

    creator: str
    created: datetime


@dataclass(slots=True)
class PageMeasure:
    """What a layout pass found: page count, where sections and the back page start, how full pages are."""

    pages: int = 0
    section_pages: dict[str, int] = field(default_factory=dict)
    back_start: int = 0
    pads: int = 0
    """"My notes" pages added before the back page."""
    used: dict[int, float] = field(default_factory=dict)
    """Height of text set on each page, in points."""
    page_section: dict[int, str] = field(default_factory=dict)
    """The section being set when each page began."""
    current: str = ""
    body_end: int = 0
    """The last page of the body (before any "My notes" page and the back page)."""


class PadPoint(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Where the body ends: the document replaces it with the padding pages the count needs."""

    def __init__(self, story: Story, back_pages: int) -> None:
        super().__init__()
        self.story = story
        self.back_pages = back_pages

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        return None


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    """Records where headings land, turns them into bookmarks, and pads the page count."""

    def __init__(self, buffer: io.BytesIO, measure: PageMeasure, pad_to: int, **kw: object) -> None:
        super().__init__(buffer, **kw)
        self.measure = measure
        self.pad_to = pad_to
        self._pads = 0
        self.saved_info: object = None

    def filterFlowables(self, flowables: list[Flowable]) -> None:  # noqa: N802  # ReportLab's hook name
        """At the end of the body, put in the "My notes" pages that make the count a multiple of ``pad_to``."""
        if flowables and isinstance(flowables[0], PadPoint):
            point = flowables.pop(0)
            self.measure.body_end = self.page
            pads = (-(self.page + point.back_pages)) % self.pad_to
            self.measure.pads = pads
            padding: list[Flowable] = []
            for _ in range(pads):
                padding.extend([PageBreak(), *point.story.my_notes()])
            flowables[0:0] = padding or [None]

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802  # ReportLab's hook name
        page = self.canv.getPageNumber()
        frame = getattr(self, "frame", None)
        if frame is not None:  # how far down the frame the text has got
            self.measure.used[page] = frame._y1p + frame._height - frame._y  # noqa: SLF001  # ReportLab keeps it there
        self.measure.page_section.setdefault(page, self.measure.current)
        if isinstance(flowable, BackPageStart):
            self.measure.back_start = page
        elif hasattr(flowable, "bookmark_key"):
            section_id = getattr(flowable, "section_id", None)
            if section_id:
                self.measure.section_pages[section_id] = page
                self.measure.current = section_id
            if flowable.bookmark_level >= 0:
                key = flowable.bookmark_key
                if frame is not None:  # go to the heading itself, not just its page
                    height = getattr(flowable, "height", None) or flowable._height  # noqa: SLF001  # a table (a heading beside its icon) keeps it there
                    top = frame._y + height + flowable.getSpaceAfter() + 6  # noqa: SLF001  # as above
                    self.canv.bookmarkPage(key, fit="XYZ", left=0, top=min(top, self.canv._pagesize[1]))  # noqa: SLF001  # the page's height
                else:
                    self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.bookmark_title, key, flowable.bookmark_level, closed=False)
            else:
                self._pads += 1
                key = f"my-notes-{self._pads}"
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(flowable.bookmark_title, key, 0, closed=False)


@dataclass(frozen=True, slots=True)
class Profile:
    """How the pages are delivered: office output, or print-shop output with bleed and crop marks."""

    bleed: float = 0.0
    """Bleed on every side of the trim, in points; 0 for office output."""

    @property
    def border(self) -> float:
        """Space around the trim: the bleed plus room for the crop marks outside it."""
        return self.bleed + MARK_ZONE if self.bleed else 0.0


OFFICE = Profile()
REGISTRATION = CMYKColorSep(1, 1, 1, 1, spotName="All")
"""The registration colour: ``/Separation /All``, printed on every plate (crop marks)."""
MARK_ZONE = 0.25 * INCH
"""Room outside the bleed where crop marks are drawn."""



def first_baseline(para: Any) -> float:
    """How far below its top a wrapped paragraph's first baseline lies (ReportLab's: the type size)."""
    own = getattr(para, "first_baseline", None)
    return float(own()) if callable(own) else float(para.style.fontSize)

def band_frame(spec: LayoutSpec, band: float | None = None) -> tuple[float, float, float, float]:
    """Where the cover's title goes, inside its colour band: x, y, width, height from the trim's corner.

    ``band`` is the band's share of the page (the layout's ``cover_band`` unless given).
    """
    w, h = spec.page_width, spec.page_height
    band_bottom = h * (1 - (spec.cover_band if band is None else band))
    band_top = h - SAFE_EDGE - 0.1 * INCH - min(0.5 * INCH, h * 0.05)
    band_x = max(spec.margin_left, SAFE_EDGE + 0.1 * INCH + 0.25 * INCH)  # text keeps clear of the band's edge
    return (band_x, band_bottom + 0.4 * INCH, w - 2 * band_x, band_top - band_bottom - 0.4 * INCH)


def contents_height(spec: LayoutSpec) -> float:
    """Height of the cover's frame below the colour band, where the contents list goes."""
    return spec.page_height * (1 - spec.cover_band) - spec.margin_bottom - 0.35 * INCH


@dataclass(frozen=True, slots=True)
class Cover:
    """How the cover is laid out: the band's share of the page, and where the contents list goes."""

    band: float
    on_cover: bool
    """The contents list sits below the band; otherwise it has page 2 to itself."""
    contents: tuple[Flowable, ...]
    """The contents list's flowables (none when the layout has no list, or it fits nowhere)."""
    below: tuple[Flowable, ...] = ()
    """The cover's contact lines, below the band when the band has no room for them."""


def plan_cover(story: Story, pages: Mapping[str, int]) -> Cover:
    """The layout's cover when the contents list fits below its band; else a cover all band, contents on page 2.

    A contents list too long for the cover (long translated headings, large type) would
    leave the lower part of the cover empty; a title and cover number too tall for the band
    get the whole cover too. ``pages`` is filled in while the document is
    laid out (the list's page numbers are read at save).
    """
    spec = story.spec
    room = contents_height(spec)
    below: tuple[Flowable, ...] = ()
    try:
        story.cover(band_frame(spec)[2:])
    except LayoutOverflowError:  # no room in the band for the cover's lines: they go below it
        story.cover(band_frame(spec)[2:], lines=False)  # (a title too long for the band is the error it was)
        below = (*story.cover_lines(spec.frame_width, on_band=False), Spacer(1, spec.space_section))
        room -= story.height_of(list(below))
        if room < 0:
            return Cover(1.0, False, tuple(story.contents(pages, story.frame_height - spec.body_leading)))
    if not spec.contents:
        return Cover(spec.cover_band, bool(below), (), below)
    below_band = story.contents(pages, room)
    if below_band:
        return Cover(spec.cover_band, True, tuple(below_band), below)
    return Cover(1.0, False, tuple(story.contents(pages, story.frame_height - spec.body_leading)))


def _page_templates(story: Story, profile: Profile, cover_plan: Cover) -> list[PageTemplate]:
    spec, b = story.spec, story.brochure
    w, h = spec.page_width, spec.page_height
    o = profile.border
    bleed = profile.bleed
    ml, mr, mt, mb = spec.margin_left, spec.margin_right, spec.margin_top, spec.margin_bottom
    frame_h = h - mt - mb
    accent = HexColor(spec.color_accent)
    rtl = is_rtl(b.lang)
    band_bottom = h * (1 - cover_plan.band)
    pagesize = (w + 2 * o, h + 2 * o)

    def frame(fid: str, x: float, y: float, fw: float, fh: float) -> Frame:
        return Frame(x + o, y + o, fw, fh, id=fid, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)

    def begin(c: Any, trim_w: float = w) -> None:
        """Boxes and crop marks (print-shop output), then move the origin to the trim's corner.

        ``trim_w`` is the page's trimmed width: a tri-fold's fold-in panels are narrower.
        """
        if o:
            c.setTrimBox((o, o, o + trim_w, o + h))
            c.setBleedBox((o - bleed, o - bleed, o + trim_w + bleed, o + h + bleed))
            c.saveState()
            c.setStrokeColor(REGISTRATION)  # every separation gets the marks
            c.setLineWidth(0.25)
            gap = bleed + 2
            for x in (o, o + trim_w):
                c.line(x, 0, x, o - gap)
                c.line(x, o + h + gap, x, h + 2 * o)
            for y in (o, o + h):
                c.line(0, y, o - gap, y)
                c.line(o + trim_w + gap, y, w + 2 * o, y)
            c.restoreState()
        c.saveState()
        c.translate(o, o)

    def draft_mark(c: Any) -> None:
        """The DRAFT mark across the page: outlined twice, dark and light, so it shows on any background and in gray."""
        if not b.draft:
            return
        c.saveState()
        c.translate(w / 2, h / 2)
        c.rotate(52 if w < h else 28)
        base = HexColor(spec.color_draft)
        light = HexColor(spec.color_on_accent)
        span = min(h, 1.3 * w)
        passes = (
            (1, light, 0.0, 0.55, 2.6),  # a light outline: seen on the dark cover band
            (2, base, 0.22, 0.6, 0.8),  # the tinted letters with a dark outline: seen on white paper and in gray
        )
        for mode, stroke, fill_alpha, stroke_alpha, width in passes:
            style = story.styles.title.clone(
                "draft",
                fontSize=min(spec.title_size * 1.2, w / 8),
                leading=min(spec.title_size * 1.3, w / 7.4),
                textColor=Color(base.red, base.green, base.blue, alpha=fill_alpha),
                alignment=1,
            )
            c.saveState()
            c.setStrokeColor(Color(stroke.red, stroke.green, stroke.blue, alpha=stroke_alpha))
            c.setLineWidth(width)
            c.setLineJoin(1)
            c.text_render_mode(mode)
            mark = story.footer(b.labels.get("draft"), style)
            _, mh = mark.wrap(span * 0.9, h)
            mark.drawOn(c, -span * 0.45, -mh / 2)
            c.restoreState()
        c.restoreState()

    def footer(c: Any, text: str) -> None:
        """The running footer: a rule under the text block, the title (or dates) and 'Page X of Y'."""
        if not spec.footer:
            return
        page = c.getPageNumber()
        inner = w - ml - mr
        if b.draft:  # the footer says so too: the big mark may be cut off or printed too light
            text = b.labels.get("draft") + "  \u00b7  " + text
        # The total is known at save: measure with a stand-in of as many digits, draw it then.
        stand_in = b.labels.get("page", page=page, pages="0" * max(2, len(str(page))))
        number = story.footer(stand_in)
        words = story.footer(text, story.styles.small.clone("fl", alignment=2 if rtl else 0))
        # The words take 62% of the line, more where they would wrap and the page number needs less
        # (a long title beside "5／26ページ" in large print).
        line = number.wrap(inner * 0.38, h)[1]
        for share in (0.62, 0.68, 0.74, 0.8):
            words_w, number_w = inner * share, inner * (1 - share)
            if words.wrap(words_w, h)[1] <= line * 1.01 or number.wrap(number_w, h)[1] > line * 1.01:
                break
        if number.wrap(number_w, h)[1] > line * 1.01:  # the number no longer fits: back one step
            words_w, number_w = inner * (share - 0.06), inner * (1.06 - share)
        tall = max(words.wrap(words_w, h)[1], number.wrap(number_w, h)[1])
        rule_y = mb - min(0.3 * INCH, max(4.0, mb - SAFE_EDGE - tall - 6))
        top = rule_y - 5
        c.saveState()
        c.setStrokeColor(accent)
        c.setLineWidth(0.8)
        c.line(ml, rule_y, w - mr, rule_y)
        words_x, number_x = (ml + inner - words_w, ml) if rtl else (ml, ml + words_w)
        # Both on one baseline: a script whose lines need more room (Nastaliq) sets its first
        # baseline lower than "Page X of Y" would.
        drop = max(first_baseline(words), first_baseline(number))
        words.drawOn(c, words_x, top - words.height - (drop - first_baseline(words)))

        def page_of(canvas: Any, total: int) -> None:
            para = story.footer(b.labels.get("page", page=page, pages=total))
            para.wrap(number_w, h)
            para.drawOn(canvas, number_x, top - para.height - (drop - first_baseline(para)))

        c.late(f"pageof{page}", page_of)
        c.restoreState()

    def top_bar(c: Any, right_margin: float) -> None:
        c.saveState()
        c.setFillColor(accent)
        bar_x = w - right_margin - 0.6 * INCH if rtl else ml
        bar_y = min(h - mt + 0.28 * INCH, h - SAFE_EDGE - 4 - 2)  # never within the printer's edge
        c.rect(bar_x, bar_y, 0.6 * INCH, 4, stroke=0, fill=1)
        c.restoreState()

    def on_body(c: Any, doc: Any) -> None:
        begin(c)
        top_bar(c, mr)
        footer(c, b.title)
        draft_mark(c)
        c.restoreState()

    def on_narrow(c: Any, doc: Any) -> None:
        begin(c, spec.fold_in_width or w)
        top_bar(c, mr + (w - spec.fold_in_width))
        draft_mark(c)
        c.restoreState()

    def on_back(c: Any, doc: Any) -> None:
        begin(c)
        parts = []
        if b.reviewed:
            parts.append(b.labels.get("reviewed", date=b.reviewed))
        if b.version:
            parts.append(b.labels.get("version", version=b.version))
        footer(c, "  \u00b7  ".join(parts) or b.title)
        draft_mark(c)
        c.restoreState()

    def on_cover(c: Any, doc: Any) -> None:
        begin(c)
        c.saveState()
        c.setFillColor(HexColor(spec.band))
        if bleed:  # print-shop: the band runs off the trim into the bleed
            left, top, right, radius = -bleed, h + bleed, w + bleed, 0.0
        else:  # office printers keep a white edge: the band stays inside it
            inset = SAFE_EDGE + 0.1 * INCH
            left, top, right, radius = inset, h - inset, w - inset, 10.0
        bottom = band_bottom if band_bottom > 0 else (-bleed if bleed else left)  # a cover all band
        c.roundRect(left, bottom, right - left, top - bottom, radius, stroke=0, fill=1)
        c.restoreState()  # the decorative circles are drawn by the band's own content (story.BandFill)
        draft_mark(c)
        c.restoreState()

    def furniture(draw: Any) -> Any:
        """An onPage function: what it draws is page furniture (an artifact), never content."""

        def on_page(c: BrochureCanvas, doc: Any) -> None:
            c.begin_page_content()
            with c.tags.furniture():
                draw(c, doc)

        return on_page

    inner_w = w - ml - mr
    cover_frames = [frame("band", *band_frame(spec, cover_plan.band))]
    if cover_plan.on_cover:
        cover_frames.append(frame("contents", ml, mb, inner_w, contents_height(spec)))
    cover = PageTemplate("cover", cover_frames, onPage=furniture(on_cover), pagesize=pagesize)
    body = PageTemplate("body", [frame("body", ml, mb, inner_w, frame_h)], onPage=furniture(on_body), pagesize=pagesize)
    narrow_w = spec.fold_in_width - ml - mr if spec.fold_in_width else inner_w
    narrow = PageTemplate(
        "narrow", [frame("narrow", ml, mb, narrow_w, frame_h)], onPage=furniture(on_narrow), pagesize=pagesize
    )
    back = PageTemplate("back", [frame("back", ml, mb, inner_w, frame_h)], onPage=furniture(on_back), pagesize=pagesize)
    return [cover, body, narrow, back]


TRIFOLD_PANELS = ["narrow", "body", "body", "narrow"]
"""Page templates of reading-order pages 2 to 5 of a tri-fold: the fold-in flap, then the inside."""


def _shared_flowables(story: Story, back_pages: int, cover: Cover) -> list[Flowable]:
    """Everything before the back page: cover, contents, body, and the padding point."""
    spec = story.spec
    body_template: str | list[str] = TRIFOLD_PANELS if spec.imposition == "trifold" else "body"
    out: list[Flowable] = [*story.cover(band_frame(spec, cover.band)[2:], lines=not cover.below)]
    if cover.on_cover:
        out.extend([FrameBreak(), *cover.below, *cover.contents])
    out.extend([NextPageTemplate(body_template), PageBreak()])
    if cover.contents and not cover.on_cover:  # a page of its own, before the first section
        out.extend([*cover.contents, PageBreak()])
    out.extend(story.body())
    out.append(PadPoint(story, back_pages))
    return out


def _back_flowables(story: Story) -> list[Flowable]:
    """The back page: the contact block, on a page of its own."""
    return [NextPageTemplate("back"), PageBreak(), *story.back()]


def _new_doc(story: Story, meta: RenderMeta, profile: Profile) -> tuple[_Doc, Cover]:
    """A document ready to lay out the story, and its cover's plan."""
    spec, b = story.spec, story.brochure
    measure = PageMeasure()
    cover = plan_cover(story, measure.section_pages)
    doc = _Doc(
        io.BytesIO(),
        measure,
        spec.pad_to,
        pagesize=(spec.page_width + 2 * profile.border, spec.page_height + 2 * profile.border),
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
    doc.addPageTemplates(_page_templates(story, profile, cover))
    return doc, cover


def _set(doc: _Doc, story: Story, flowables: list[Flowable]) -> None:
    """Lay out flowables on the document, as ReportLab's ``build`` does between its start and end."""
    try:
        while flowables:
            doc.clean_hanging()
            doc.handle_flowable(flowables)
    except (LayoutError, ValueError):
        # ReportLab says LayoutError, or ValueError for a negative width: either way a block
        # cannot be placed. Name the section being set, never ReportLab's object addresses.
        b, current = story.brochure, doc.measure.current
        if doc.measure.back_start and b.contact is not None:  # the back page was being set
            raise LayoutOverflowError.at(
                _longest_line(b.contact),
                "a contact line is too large to fit on the back page",
                "shorten its label, value or note",
            ) from None
        section = next((s for s in b.sections if s.id == current), None)
        raise LayoutOverflowError.at(
            section.location if section else b.location,
            f"a block in section '{current}' is too large to fit on one page"
            if section
            else "a block is too large to fit on one page",
            "split the longest paragraph, list item or call-out, or use larger pages",
        ) from None


def _longest_line(contact: Contact) -> Location:
    """Where the contact line with the most text is written (the block's heading when it has none)."""
    if not contact.lines:
        return contact.location
    line = max(contact.lines, key=lambda x: len(x.label) + len(x.value) + len(plain_text(x.note)))
    return line.location


def _start(doc: _Doc, cmyk: bool = False) -> None:
    doc._startBuild(None, BrochureCanvas)  # noqa: SLF001  # build() in steps: the shared part is kept
    if cmyk:
        doc.canv.print_in_cmyk()
    doc.canv._doctemplate = doc  # noqa: SLF001  # what build() sets for flowables that look for it
    doc.saved_info = doc.canv._doc.info  # noqa: SLF001  # build() puts it back before saving


def _end(doc: _Doc) -> tuple[bytes, PageMeasure]:
    doc.canv._doc.info = doc.saved_info  # noqa: SLF001  # as build() does
    doc._endBuild()  # noqa: SLF001  # the end of build(): the last page, then save
    del doc.canv._doctemplate  # noqa: SLF001  # as build() does
    doc.measure.pages = doc.page
    buffer: io.BytesIO = doc.filename
    return buffer.getvalue(), doc.measure


def _layout(story: Story, meta: RenderMeta, back_pages: int, profile: Profile) -> tuple[bytes, PageMeasure]:
    doc, cover = _new_doc(story, meta, profile)
    _start(doc, story.spec.cmyk)
    _set(doc, story, _shared_flowables(story, back_pages, cover))
    _set(doc, story, _back_flowables(story))
    return _end(doc)


_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}\+00'00'\)")


_ID = re.compile(rb"/ID \s*\[<[0-9a-fA-F]{32}><[0-9a-fA-F]{32}>\]")

_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate|MetadataDate)>)" + re.escape(XMP_DATE.encode()) + rb"(</xmp:)")

_BASE_FONT = re.compile(rb"/BaseFont /([A-Z]{6})\+([A-Za-z0-9_.-]+)")


def _unique_subset_tags(pdf: bytes) -> bytes:
    """Give every font subset a tag of its own (``AAAAAA+``, ``AAAAAB+``… across the whole file).

    ReportLab tags the subsets of each face from ``AAAAAA``, so different faces share a tag,
    which print-shop preflight reports. The tags keep their length: every offset stays valid.
    """
    names = list(dict.fromkeys(m.group(1) + b"+" + m.group(2) for m in _BASE_FONT.finditer(pdf)))
    if not names:
        return pdf
    fresh: dict[bytes, bytes] = {}
    for index, name in enumerate(names):
        tag = bytearray(b"AAAAAA")
        value, place = index, 5
        while value:
            value, digit = divmod(value, 26)
            tag[place] = ord("A") + digit
            place -= 1
        fresh[name] = bytes(tag) + name[6:]
    pattern = re.compile(b"/(" + b"|".join(re.escape(n) for n in names) + rb")(?=[\s/\]>])")
    return pattern.sub(lambda m: b"/" + fresh[m.group(1)], pdf)


def _stamp(pdf: bytes, created: datetime) -> bytes:
    """Put the given creation date and a file identifier made from the content in place of ReportLab's.

    ReportLab derives both from the clock or from SOURCE_DATE_EPOCH in the environment; here
    they depend only on what is passed in. Replacements keep their length, so every offset in
    the cross-reference table stays valid.
    """
    stamp = created.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    pdf = _DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", pdf)
    xmp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00").encode()
    pdf = _XMP_DATE.sub(lambda m: m.group(1) + xmp + m.group(2), pdf)
    pdf = _unique_subset_tags(pdf)
    blank = _ID.sub(b"/ID \n[<" + b"0" * 32 + b"><" + b"0" * 32 + b">]", pdf)
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().encode()
    return _ID.sub(b"/ID \n[<" + digest + b"><" + digest + b">]", pdf)


def render_pdf(story: Story, meta: RenderMeta, profile: Profile = OFFICE) -> tuple[bytes, PageMeasure]:
    """Lay out the story as a PDF, in one pass.

    The padding before the back page assumes the contact block takes one page; when it
    takes more (and the layout allows it), the story is laid out once more with that known.

    Args:
        story: the flowable factory.
        meta: the creator string and the creation date to record.
        profile: office output, or print-shop output with bleed, boxes and crop marks.

    Returns:
        The PDF's bytes, and what the layout measured.

    Raises:
        LayoutOverflowError: when the contact block needs more pages than the layout gives
            it, the content needs more pages than the layout allows, or a block cannot fit
            on any page.
    """
    back_pages = 1
    pdf, measure = _layout(story, meta, back_pages, profile)
    for level in TIGHTER if _orphan(story, measure) else ():
        tight = tighten(story, level)
        tight_pdf, tight_measure = _layout(tight, meta, back_pages, profile)
        if tight_measure.body_end < measure.body_end:  # the short last page was pulled back
            story, pdf, measure = tight, tight_pdf, tight_measure
            break
    while True:
        used = _back_pages(measure, back_pages)
        if used == back_pages or used > story.spec.back_pages:
            break
        back_pages = used  # rare: a contact block of two pages, where the layout allows two
        pdf, measure = _layout(story, meta, back_pages, profile)
    _verify(story, measure, used)
    return _stamp(pdf, meta.created), measure


ORPHAN_SHARE = 0.2
"""A last body page filled less than this (a note or two, a couple of lines) is an orphan page."""


def _orphan(story: Story, measure: PageMeasure) -> bool:
    """Whether the body ends on a page holding only a few lines, which tighter spacing could pull back."""
    last = measure.body_end
    if story.spec.max_pages or last <= 2:  # a tri-fold's panels are fixed
        return False
    return measure.used.get(last, 0.0) < ORPHAN_SHARE * story.frame_height


TIGHTER = (0.55,)
"""Shares of the layout's vertical spaces tried, in turn, to pull an orphan last page back."""


def tighten(story: Story, level: float) -> Story:
    """The story with its vertical spaces (paragraph, section, list item) at ``level`` of the layout's.

    Type sizes and line spacing stay as the layout sets them.
    """
    spec = story.spec
    tight = replace(
        spec,
        space_paragraph=spec.space_paragraph * level,
        space_section=spec.space_section * level,
        space_item=spec.space_item * level,
        callout_padding=spec.callout_padding * (1 + level) / 2,
    )
    return build_story(story.brochure, tight, story.plan, story.assets)


def _back_pages(measure: PageMeasure, assumed: int) -> int:
    """How many pages the contact block took."""
    return measure.pages - measure.back_start + 1 if measure.back_start else assumed


def _verify(story: Story, measure: PageMeasure, used: int) -> None:
    """The layout's limits: pages allowed, the contact block's pages, the padded count."""
    limit = story.spec.max_pages
    unpadded_back = measure.back_start - measure.pads
    if limit and unpadded_back > limit:
        overflow = range(limit, unpadded_back)
        over = sum(measure.used.get(page, 0.0) for page in overflow)
        section_id = measure.page_section.get(limit, "") or measure.current
        section = next((s for s in story.brochure.sections if s.id == section_id), None)
        where = section.location if section else story.brochure.location
        raise LayoutOverflowError.at(
            where,
            f"the content does not fit the {limit} pages of layout '{story.spec.name}': section '{section_id}' "
            f"runs {over / INCH:.1f} in (about {over / story.spec.body_leading:.0f} lines) past the last panel",
            "shorten the text; type is never shrunk below the layout's size",
        )
    allowed = story.spec.back_pages
    if measure.back_start and used > allowed:
        contact = story.brochure.contact
        where = _longest_line(contact) if contact else Location(story.brochure.source)
        raise LayoutOverflowError.at(
            where,
            f"the contact block needs {used} pages; layout '{story.spec.name}' gives it "
            f"{'the back page' if allowed == 1 else f'the last {allowed} pages'} (its longest line is this one)",
            "shorten the contact text or remove a line",
        )
    if measure.pages % story.spec.pad_to:
        raise LayoutOverflowError.at(
            story.brochure.location,
            f"the pages could not be padded to a multiple of {story.spec.pad_to} "
            f"(a padding page does not fit on one page of layout '{story.spec.name}')",
            "use smaller type or larger pages in the layout",
        )


class SharedPages:
    """The pages that brochures differing only in their contact block share, laid out once.

    Per-site variants of one brochure differ only on the back page. Here the cover, the
    contents, the body, the notes and the padding are laid out once; each variant then
    works on a copy of that state (ReportLab's document and canvas, the font subsets, the
    structure tree) and sets only its back page. The result is byte for byte the PDF that
    ``render_pdf`` makes for the variant (the tests hold it to that). A variant whose
    contact block needs more than one page is laid out whole.
    """

    def __init__(self, story: Story, meta: RenderMeta, profile: Profile = OFFICE) -> None:
        self.meta, self.profile = meta, profile
        self._doc, cover = _new_doc(story, meta, profile)
        _start(self._doc, story.spec.cmyk)
        _set(self._doc, story, _shared_flowables(story, 1, cover))
        self.tight = 1.0
        for level in TIGHTER if _orphan(story, self._doc.measure) else ():  # as render_pdf does
            tight = tighten(story, level)
            doc, cover = _new_doc(tight, meta, profile)
            _start(doc, tight.spec.cmyk)
            _set(doc, tight, _shared_flowables(tight, 1, cover))
            if doc.measure.body_end < self._doc.measure.body_end:
                self._doc, story, self.tight = doc, tight, level
                break
        self.story = story

    def _copy(self) -> _Doc:
        """A copy of the laid-out state; fonts (shared by every document) are not copied, their subsets are."""
        fonts = [pdfmetrics.getFont(name) for name in pdfmetrics.getRegisteredFontNames()]
        memo: dict[int, Any] = {id(font): font for font in fonts}
        original = self._doc.canv._doc  # noqa: SLF001  # ReportLab's document behind the canvas
        memo[id(original.signature)] = original.signature.copy()  # a hash object: copied its own way
        doc: _Doc = copy.deepcopy(self._doc, memo)
        copied = doc.canv._doc  # noqa: SLF001  # as above
        for font in fonts:
            subsets = getattr(font, "state", None)  # TrueType fonts keep each document's subsets here
            if subsets is not None and original in subsets:
                subsets[copied] = copy.deepcopy(subsets[original], memo)
        return doc

    def render(self, story: Story) -> tuple[bytes, PageMeasure]:
        """The PDF of ``story``, which differs from the shared one only in its contact block.

        Raises:
            LayoutOverflowError: as ``render_pdf``.
        """
        given = story
        if self.tight < 1:
            story = tighten(story, self.tight)
        doc = self._copy()
        _set(doc, story, _back_flowables(story))
        pdf, measure = _end(doc)
        used = _back_pages(measure, 1)
        if used != 1:
            return render_pdf(given, self.meta, self.profile)
        _verify(story, measure, used)
        return _stamp(pdf, self.meta.created), measure
