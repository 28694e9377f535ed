"""Model + layout + fonts → ReportLab flowables: one ``build_<kind>`` per block kind; no I/O.

``build_story`` returns a ``Story``: a factory that ``render`` asks for fresh flowables on
each of its passes (ReportLab flowables are consumed by layout, so they are never reused).
"""

from __future__ import annotations

import functools
import io
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import reportlab
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from . import cache
from .assets import NO_ASSETS, Assets, is_svg, svg_drawing
from .canvas import CARRIED_TO_FIRST_PART, ContainerPath, Tagged, link_markup, tag
from .conformance import image_to_cmyk
from .errors import LayoutOverflowError
from .fonts import FontPlan
from .model import (
    Block,
    Brochure,
    Bullets,
    Callout,
    Cite,
    ContactLine,
    Emph,
    Link,
    Runs,
    Section,
    Strong,
    Subheading,
    Terms,
    Text,
)
from .model import (
    Figure as FigureBlock,
)
from .model import (
    Paragraph as ParagraphBlock,
)
from .paragraph import ScriptParagraph
from .script import (
    attr,
    bind_last_words,
    first_strong_rtl,
    has_rtl,
    hyphenation_lang,
    is_cjk,
    is_rtl,
    markup_text,
    smart_quotes,
)
from .spec import LayoutSpec

COVER_NUMBER_SIZE = 24.0
"""The smallest size of a number on the cover: a reader in crisis finds it without opening the brochure."""
COVER_NUMBER_LARGEST = 30.0
"""The size a cover number starts from, made smaller (down to COVER_NUMBER_SIZE) to fit on one line."""

FLUSH = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]
"""Table cells with no side padding: their text lines up with the text block."""

LONG_ADDRESS = re.compile(r">(?:https?://|www\.)[^<\s]{20,}")
"""Link text holding a long address: ReportLab's paragraphs cut such a word only once."""

LONG_WORD = re.compile(r"(?:[^<>\s]|<[^>]*>){200,}")
"""A run of 200 or more characters (tags aside) with no space: ReportLab's paragraphs cut such a
word again on every page it spans (time that grows with the square of its length); ours once."""


STYLE_TAGS = {
    "title": "H1",
    "heading": "H2",
    "contact_heading": "H2",
    "subheading": "H3",
    "note_number": "Lbl",
    "note": "LBody",
    "bullet": "LBody",
}
"""The structure type of a paragraph by its style's name; any other paragraph is a P."""


_TAGS = re.compile(r"<[^>]*>")
_ADDRESS = re.compile(r"(?:https?://|mailto:|www\.)\S+|\S+@\S+")

SOURCE_LANG = "en"
"""The language of the sources the notes name and of the addresses they give (``shared/sources.md``).

A translation carries the notes and every web and e-mail address over from the English
content unchanged (the translation check holds addresses invariant, ``brochure export``
never offers the notes), so in a translation into another language they are English text
and their structure elements say so (``/Lang``): a screen reader reads them with English
rules instead of the brochure's."""


class TaggedParagraph(Tagged, Paragraph):  # type: ignore[misc]  # ReportLab is untyped
    """ReportLab's paragraph, drawn as one element of the structure tree.

    A paragraph is often wrapped more than once at the same width (to keep a heading with
    what follows, to fit a table, then to place it): a third of all wraps. Its lines
    depend on the width alone, so they are broken once per width.
    """

    _wrapped_at: float | None = None

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        if available_width == self._wrapped_at and hasattr(self, "blPara"):  # split() may drop the lines
            return (self.width, self.height)
        width, height = super().wrap(available_width, available_height)
        self._wrapped_at = available_width
        return (width, height)


class Figure(Tagged, Image):  # type: ignore[misc]  # ReportLab is untyped
    """An image with alternate text in the structure tree."""

    tag = "Figure"


class VectorFigure(Tagged, Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """An SVG picture drawn as vectors, ``width`` points wide, with alternate text in the structure tree."""

    tag = "Figure"

    def __init__(self, drawing: Any, width: float) -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = width / float(drawing.width)
        self.width = width
        self.height = float(drawing.height) * self.scale

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        from reportlab.graphics import renderPDF

        class Shapes(renderPDF._PDFRenderer):  # type: ignore[misc]  # noqa: SLF001  # ReportLab's renderer has no public class
            """ReportLab's renderer, without the font it sets by default (Helvetica, never embedded).

            The picture holds no text (``assets`` refuses it), so no font is needed.
            """

            def applyStateChanges(self, delta: dict[str, Any], new_state: dict[str, Any]) -> None:  # noqa: N802  # ReportLab's name
                kept = {k: v for k, v in delta.items() if k not in ("fontName", "fontSize")}
                super().applyStateChanges(kept, new_state)

        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        Shapes().draw(renderPDF.renderScaledDrawing(self.drawing), self.canv, 0, 0, showBoundary=False)
        self.canv.restoreState()


class NoteItem(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """One endnote: its number (a Lbl) beside its text (an LBody); splits between lines of the text."""

    def __init__(self, number: Flowable | None, text: Flowable, number_width: float, rtl: bool, after: float) -> None:
        super().__init__()
        self.number = number
        self.text = text
        self.number_width = number_width
        self.rtl = rtl
        self.spaceAfter = after
        self.width = self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _, self.height = self.text.wrap(available_width - self.number_width, available_height)
        return (self.width, self.height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        parts = self.text.split(available_width - self.number_width, available_height)
        if len(parts) != 2:
            return []
        first = NoteItem(self.number, parts[0], self.number_width, self.rtl, 0)
        return [first, NoteItem(None, parts[1], self.number_width, self.rtl, self.spaceAfter)]

    def draw(self) -> None:
        if self.number is not None:  # drawn first: the number comes before the text in reading order
            _, tall = self.number.wrap(self.number_width, self.height)
            number_x = self.width - self.number_width if self.rtl else 0.0
            self.number.drawOn(self.canv, number_x, self.height - tall)
        text_x = 0.0 if self.rtl else self.number_width
        self.text.drawOn(self.canv, text_x, 0)


def pour(items: list[Flowable], column: float, height: float) -> tuple[list[Flowable], list[Flowable]]:
    """Fill one column ``height`` tall with items (splitting one between lines if it helps); the rest."""
    placed: list[Flowable] = []
    used = 0.0
    for index, item in enumerate(items):
        _, tall = item.wrap(column, height)
        if used + tall <= height + 0.01:
            placed.append(item)
            used += tall + item.getSpaceAfter()
            continue
        parts = item.split(column, height - used) if height - used > 0 else []
        if len(parts) == 2:
            return [*placed, parts[0]], [parts[1], *items[index + 1 :]]
        return placed, list(items[index:])
    return placed, []


class Columns(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Items (endnotes) in two columns: filled down to the page's foot, balanced where they end.

    An item may split between its lines from one column (or page) to the next. Items are
    drawn column by column, so reading order is drawing order.
    """

    def __init__(
        self,
        items: list[Flowable],
        column: float,
        gap: float,
        rtl: bool,
        placed: tuple[list[Flowable], list[Flowable]] | None = None,
    ) -> None:
        super().__init__()
        self.items = items
        self.column = column
        self.gap = gap
        self.rtl = rtl
        self.width = self.height = 0.0
        self.fixed = placed is not None
        """A page's part of the notes, already poured into its two columns."""
        self.placed: tuple[list[Flowable], list[Flowable]] = placed or ([], [])

    def _stack(self, items: list[Flowable]) -> float:
        """Height of items stacked in a column: the space after each but the last."""
        total = 0.0
        for item in items:
            total += item.wrap(self.column, 1_000_000)[1] + item.getSpaceAfter()
        return total - (items[-1].getSpaceAfter() if items else 0.0)

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        """The height that holds every item in two balanced columns (more than available: it splits)."""
        self.width = available_width
        if self.fixed:
            self.height = max(self._stack(self.placed[0]), self._stack(self.placed[1]))
            return (self.width, self.height)
        total = self._stack(self.items)
        low, high = total / 2, total
        best: tuple[list[Flowable], list[Flowable]] | None = None
        for _ in range(12):  # bisect the column height to within a fraction of a line
            middle = (low + high) / 2
            first, rest = pour(list(self.items), self.column, middle)
            second, left = pour(rest, self.column, middle)
            if left:
                low = middle
            else:
                high, best = middle, (first, second)
        if best is None:
            first, rest = pour(list(self.items), self.column, high)
            best = (first, pour(rest, self.column, high)[0])
        self.placed = best
        self.height = max(self._stack(best[0]), self._stack(best[1]))
        return (self.width, self.height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        first, rest = pour(list(self.items), self.column, available_height)
        second, rest = pour(rest, self.column, available_height)
        if not first:
            return []
        head = Columns([*first, *second], self.column, self.gap, self.rtl, (first, second))
        return [head, Columns(rest, self.column, self.gap, self.rtl)] if rest else [head]

    def draw(self) -> None:
        for number, items in enumerate(self.placed):
            x = self.column + self.gap if (number == 1) != self.rtl else 0.0
            y = self.height
            for item in items:
                _, tall = item.wrap(self.column, 1_000_000)
                y -= tall
                item.drawOn(self.canv, x, y)
                y -= item.getSpaceAfter()


def within_columns(items: list[Flowable], column: float, gap: float, rtl: bool) -> list[Flowable]:
    """Items set in two columns (see ``Columns``)."""
    return [Columns(items, column, gap, rtl)]


class SplitBox(Table):  # type: ignore[misc]  # ReportLab is untyped
    """A one-row box (a call-out) that may continue on the next page, each part ``splitInRow`` tall or more.

    ReportLab splits a row only at the height offered; where that leaves the next page too
    short a part, it gives up and moves the whole box. Here the split moves up instead, so the
    part carried over is as tall as the minimum.
    """

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._calc(available_width, available_height)
        least = self.splitInRow
        if least and available_height < self._height < available_height + least:
            available_height = self._height - least
        if available_height < least:
            return []
        return list(super().split(available_width, available_height))


FIGURE_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
"""Sizes a figure may be set at, largest first, to fill the rest of a page."""


class FitFigure(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A figure built at several sizes: the full size where it fits, else the largest that fits the page's rest.

    Only when not even the smallest fits does the figure go to the next page.
    """

    def __init__(self, sizes: list[Flowable]) -> None:
        super().__init__()
        self.sizes = sizes
        self.chosen = sizes[0]
        self.width = self.height = 0.0

    def _lend_canvas(self) -> None:
        """The frame gives this flowable its canvas; a kept-together size needs it to measure itself."""
        canvas = getattr(self, "canv", None)
        if canvas is not None:
            for size in self.sizes:
                size.canv = canvas

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._lend_canvas()
        self.width, self.height = self.chosen.wrap(available_width, available_height)
        return (self.width, self.height)

    def getSpaceBefore(self) -> float:  # noqa: N802  # ReportLab's name
        return float(self.chosen.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802  # ReportLab's name
        return float(self.chosen.getSpaceAfter())

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self._lend_canvas()
        for size in self.sizes[1:]:
            _, tall = size.wrap(available_width, available_height)
            if tall + size.getSpaceBefore() <= available_height:
                return [size]
        return []

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803  # ReportLab's names
        self.chosen.drawOn(canvas, x, y, _sW)


class PageNumber(Tagged, Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """The page a section starts on, for the contents list; drawn once the layout is done.

    The contents list is set before the sections it lists, so the number goes in a form
    that the canvas fills in at save (``BrochureCanvas.late``): one layout pass, not two.
    """

    def __init__(self, make: Callable[[str], Flowable], pages: Mapping[str, int], section_id: str, name: str) -> None:
        super().__init__()
        self.make = make
        self.pages = pages
        self.section_id = section_id
        self.name = name
        self.width = self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _, self.height = self.make("00").wrap(available_width, available_height)
        return (self.width, self.height)

    def draw(self) -> None:
        def number(canvas: Any, total: int) -> None:
            para = self.make(str(self.pages.get(self.section_id, "")))
            para.wrap(self.width, self.height * 4)
            para.drawOn(canvas, 0, self.height - para.height)

        self.canv.late(self.name, number)


def within(kind: str, flowables: list[Flowable], order: int = 0) -> list[Flowable]:
    """Put every tagged flowable among ``flowables`` (kept-together and table cells too) in one new container."""
    step: ContainerPath = ((kind, object(), order),)

    def visit(flowable: object) -> None:
        if isinstance(flowable, Tagged):
            flowable.tag_path = step + flowable.tag_path
        elif isinstance(flowable, KeepTogether):
            for part in flowable._content:  # noqa: SLF001  # ReportLab keeps the list there
                visit(part)
        elif isinstance(flowable, Columns):
            for part in flowable.items:
                visit(part)
        elif isinstance(flowable, FitFigure):
            for part in flowable.sizes:
                visit(part)
        elif isinstance(flowable, NoteItem):
            for part in (flowable.number, flowable.text):
                if part is not None:
                    visit(part)
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:  # noqa: SLF001  # ReportLab keeps the cells there
                for cell in row:
                    for part in cell if isinstance(cell, (list, tuple)) else [cell]:
                        visit(part)

    for flowable in flowables:
        visit(flowable)
    return flowables


class BackPageStart(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A zero-size marker drawn where the back page's content begins."""

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        return None


class BandFill(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """The rest of the cover's colour band: the cover's call lines at its foot, decorative circles above them.

    It takes whatever height the band has left, so the circles are drawn in space no text
    uses (text never crosses them) and the band never ends in an empty stretch of colour.
    """

    def __init__(self, lines: list[Flowable], color: str, rtl: bool, minimum: float) -> None:
        super().__init__()
        self.lines = lines
        self.color = color
        self.rtl = rtl
        self.minimum = minimum
        self.width = self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = max(self.minimum, available_height - 1)
        return (self.width, self.height)

    def draw(self) -> None:
        canvas = self.canv
        y = 0.0
        for index, line in enumerate(reversed(self.lines)):  # stacked up from the band's foot
            _, tall = line.wrap(self.width, self.height)
            line.drawOn(canvas, 0, y)
            y += tall + (line.getSpaceBefore() if index < len(self.lines) - 1 else 0.0)
        room = self.height - y - 8
        if room > 24:  # circles in the free space above the lines, on the outer side
            radius = min(room / 2, self.width * 0.22)
            canvas.saveState()
            canvas.setFillColor(HexColor(self.color))
            canvas.setFillAlpha(0.12)
            cx = radius if self.rtl else self.width - radius
            canvas.circle(cx, y + 8 + room - radius, radius, stroke=0, fill=1)
            small = radius * 0.45
            if room > 2 * radius + 2 * small:
                canvas.circle(cx + (radius if self.rtl else -radius) * 0.9, y + 8 + small, small, stroke=0, fill=1)
            canvas.restoreState()


class WritingLines(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Ruled lines that fill the rest of the frame, for the reader's own notes."""

    def __init__(self, spacing: float, color: str) -> None:
        super().__init__()
        self.spacing = spacing
        self.color = color
        self.width = 0.0
        self.height = 0.0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        # Whatever room is left, never more: a padding page must stay one page.
        self.width = available_width
        self.height = max(0.0, available_height - 2)
        return (self.width, self.height)

    def draw(self) -> None:
        canvas = self.canv
        canvas.setStrokeColor(HexColor(self.color))
        canvas.setLineWidth(0.6)
        y = self.height - self.spacing
        while y >= 0:
            canvas.line(0, y, self.width, y)
            y -= self.spacing


@dataclass(frozen=True, slots=True)
class Styles:
    """The paragraph styles of one brochure, derived from the layout spec."""

    body: ParagraphStyle
    lead_in: ParagraphStyle
    bullet: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    callout: ParagraphStyle
    callout_title: ParagraphStyle
    note: ParagraphStyle
    note_number: ParagraphStyle
    small: ParagraphStyle
    footer: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cover_small: ParagraphStyle
    toc: ParagraphStyle
    toc_page: ParagraphStyle
    contact_heading: ParagraphStyle
    contact_label: ParagraphStyle
    contact_value: ParagraphStyle
    caption: ParagraphStyle


def make_styles(spec: LayoutSpec, plan: FontPlan, lang: str) -> Styles:
    """All paragraph styles, every one with an embedded font (never ReportLab's Helvetica)."""
    rtl = is_rtl(lang)
    align = TA_RIGHT if rtl else TA_LEFT
    hyph = hyphenation_lang(lang) if spec.hyphenate else ""
    text = HexColor(spec.color_text)
    accent = HexColor(spec.color_accent)
    base = ParagraphStyle(
        "body",
        fontName=plan.main,
        bulletFontName=plan.main,
        fontSize=spec.body_size,
        bulletFontSize=spec.body_size,
        leading=spec.body_leading,
        textColor=text,
        alignment=align,
        spaceAfter=spec.space_paragraph,
        allowWidows=0,
        allowOrphans=0,
        hyphenationLang=hyph,
        hyphenationMinWordLength=7,
        embeddedHyphenation=0,
        uriWasteReduce=0,
    )
    ratio = spec.body_leading / spec.body_size

    def sized(name: str, size: float, **kw: Any) -> ParagraphStyle:
        # Text up to the body size keeps the body's line spacing; display sizes are set tighter.
        kw.setdefault("leading", round(size * (max(ratio, 1.3) if size <= spec.body_size else min(ratio, 1.3)), 2))
        kw.setdefault("hyphenationLang", "")  # titles, labels and notes are never hyphenated
        return ParagraphStyle(name, parent=base, fontSize=size, bulletFontSize=size, **kw)

    indent = spec.list_indent
    bullet = ParagraphStyle(
        "bullet",
        parent=base,
        leftIndent=0 if rtl else indent,
        rightIndent=indent if rtl else 0,
        bulletIndent=0,
        spaceAfter=spec.space_item,
        bulletColor=accent,
    )
    return Styles(
        body=base,
        lead_in=ParagraphStyle("lead_in", parent=base, spaceAfter=spec.space_item + 2),
        bullet=bullet,
        heading=sized(
            "heading",
            spec.heading_size,
            fontName=plan.bold,
            textColor=accent,
            spaceBefore=spec.space_section,
            spaceAfter=spec.space_paragraph + 2,
        ),
        subheading=sized(
            "subheading",
            spec.subheading_size,
            fontName=plan.bold,
            textColor=text,
            spaceBefore=spec.space_paragraph + 4,
            spaceAfter=spec.space_item + 1,
        ),
        callout=sized(
            "callout", spec.callout_size, leading=spec.callout_size * ratio, spaceAfter=0, hyphenationLang=hyph
        ),
        callout_title=sized(
            "callout_title",
            spec.callout_size + 2,
            fontName=plan.bold,
            textColor=HexColor(spec.color_callout_rule),
            spaceAfter=4,
        ),
        note=sized("note", spec.small_size, spaceAfter=0),
        note_number=sized("note_number", spec.small_size, spaceAfter=0, fontName=plan.bold),
        small=sized("small", spec.small_size, textColor=HexColor(spec.color_muted), spaceAfter=0),
        footer=sized(
            "footer",
            spec.small_size,
            textColor=HexColor(spec.color_muted),
            spaceAfter=0,
            alignment=TA_LEFT if rtl else TA_RIGHT,
        ),
        title=sized(
            "title",
            spec.title_size,
            leading=spec.title_size * 1.1,
            fontName=plan.bold,
            textColor=HexColor(spec.color_on_accent),
            spaceAfter=spec.title_size * 0.3,
        ),
        subtitle=sized(
            "subtitle",
            spec.subtitle_size,
            leading=spec.subtitle_size * 1.3,
            textColor=HexColor(spec.color_on_accent),
            spaceAfter=0,
        ),
        cover_small=sized(
            "cover_small", spec.body_size, textColor=HexColor(spec.color_on_accent), fontName=plan.bold, spaceAfter=0
        ),
        toc=sized("toc", spec.body_size, spaceAfter=0),
        toc_page=sized(
            "toc_page",
            spec.body_size,
            spaceAfter=0,
            alignment=TA_LEFT if rtl else TA_RIGHT,
            textColor=accent,
            fontName=plan.bold,
        ),
        contact_heading=sized(
            "contact_heading",
            spec.contact_heading_size,
            fontName=plan.bold,
            textColor=accent,
            spaceAfter=spec.space_paragraph,
        ),
        contact_label=sized(
            "contact_label",
            spec.body_size,
            fontName=plan.bold,
            textColor=HexColor(spec.color_muted),
            spaceAfter=0,
        ),
        contact_value=sized(
            "contact_value",
            spec.contact_value_size,
            fontName=plan.bold,
            textColor=text,
            spaceAfter=2,
        ),
        caption=sized(
            "caption",
            spec.body_size,  # never below the size the layout promises readers
            textColor=HexColor(spec.color_muted),
            spaceAfter=0,
        ),
    )


class _Markup:
    """Turns runs into paragraph markup for one brochure."""

    def __init__(self, plan: FontPlan, spec: LayoutSpec, cjk: bool = False, lang: str = "en") -> None:
        self.plan = plan
        self.spec = spec
        self.cjk = cjk
        self.lang = lang

    def text(self, text: str) -> str:
        return markup_text(text, self.plan)

    def prose(self, text: str) -> str:
        """A heading or label: typographic quotes, and no short word alone on its last line."""
        if self.spec.quotes:
            text = smart_quotes(text, self.lang)
        return self.text(text if self.cjk or is_rtl(self.lang) else bind_last_words(text))

    def paragraph(self, runs: Runs) -> str:
        """Running text: ``runs`` with typographic quotes, its last two words bound when the last is short."""
        plain = self.cjk or is_rtl(self.lang)  # no spaces to bind, or lines broken by our own shaper
        return self.runs(runs if plain else _bind_end(runs), prose=True)

    def emphasis(self, tag: str, inner: str) -> str:
        """Italic or bold; italic in Chinese and Japanese, whose faces have no italic, also the accent colour."""
        if self.cjk and tag == "i":
            return f"<{tag}><font color={attr(self.spec.color_accent)}>{inner}</font></{tag}>"
        return f"<{tag}>{inner}</{tag}>"

    def runs(self, runs: Runs, prose: bool = False) -> str:
        """Markup for runs; ``prose`` turns quotes typographic (never inside links: addresses stay as written)."""
        out: list[str] = []
        previous: object = None
        for run in runs:
            if isinstance(run, Text):
                text = run.text
                if prose and self.spec.quotes:
                    before = " "  # at the start, a quote opens; after a link or emphasis, it closes
                    if isinstance(previous, Text) and previous.text:
                        before = previous.text[-1]
                    elif previous is not None:
                        before = "x"
                    text = smart_quotes(text, self.lang, before)
                out.append(self.text(text))
            elif isinstance(run, Emph):
                out.append(self.emphasis("i", self.runs(run.children, prose)))
            elif isinstance(run, Strong):
                out.append(self.emphasis("b", self.runs(run.children, prose)))
            elif isinstance(run, Link):
                opening = f"<a href={attr(run.url)} color={attr(self.spec.color_link)}>"
                out.append(link_markup(opening, f"<u>{self.runs(run.children)}</u>"))
            elif isinstance(run, Cite):
                sup = f'<super size="{self.spec.superscript_size:g}">'
                sep = f"{sup},</super>" if isinstance(previous, Cite) else ""
                anchor = f'<a name="cite-{run.number}-{run.occurrence}"/>'
                opening = f'<a href="#note-{run.number}" color={attr(self.spec.color_link)}>'
                out.append(f"{sep}{anchor}{sup}{link_markup(opening, str(run.number))}</super>")
            previous = run
        return "".join(out)


@dataclass(frozen=True)
class Story:
    """Fresh flowables for each part of the brochure, on demand."""

    brochure: Brochure
    spec: LayoutSpec
    plan: FontPlan
    styles: Styles
    assets: Assets = NO_ASSETS

    @property
    def markup(self) -> _Markup:
        return _Markup(self.plan, self.spec, is_cjk(self.brochure.lang), self.brochure.lang)

    @property
    def carried_lang(self) -> str:
        """``SOURCE_LANG`` in a translation into another language, else "" (the document's language)."""
        b = self.brochure
        return SOURCE_LANG if b.translated and b.lang.split("-")[0].lower() != SOURCE_LANG else ""

    def address_lang(self, text: str) -> str:
        """The language of a paragraph that is ``text`` alone: ``carried_lang`` for a web or e-mail address."""
        return self.carried_lang if _ADDRESS.fullmatch(text.strip()) else ""

    def para(self, markup: str, style: ParagraphStyle, **kw: Any) -> Flowable:
        """A paragraph of markup: ReportLab's for left-to-right text, ours for right-to-left."""
        para: Flowable
        rtl_lang = is_rtl(self.brochure.lang)
        # Rule P2: a paragraph's direction is that of its first letter (addresses and markup aside).
        direction = first_strong_rtl(_ADDRESS.sub("", _TAGS.sub("", markup))) if rtl_lang else None
        if rtl_lang and direction is not False and has_rtl(markup):
            para = ScriptParagraph(markup, style, **kw)
        elif direction is False:  # left to right in a right-to-left brochure: an English note, left-aligned
            if style.alignment == TA_RIGHT:
                style = ParagraphStyle(style.name, parent=style, alignment=TA_LEFT)
            para = ScriptParagraph(markup, style, rtl=False, **kw)
        elif is_cjk(self.brochure.lang):
            para = ScriptParagraph(markup, style, rtl=False, cjk=True, **kw)
        elif self.plan.fallback or LONG_ADDRESS.search(markup) or LONG_WORD.search(markup):  # other scripts: shaped
            para = ScriptParagraph(markup, style, rtl=False, **kw)
        else:
            para = TaggedParagraph(markup, style, **kw)
        para.tag = STYLE_TAGS.get(style.name, "P")
        if self.plan.fallback:  # a script the Latin face lacks: its Latin words are the English source's
            para.tag_words_lang = self.carried_lang
        return para

    def heading(self, markup: str, style: ParagraphStyle, key: str, title: str, level: int = 0) -> Flowable:
        """A heading paragraph that ``render`` turns into a bookmark (level -1: a padding page)."""
        para = self.para(markup, style)
        para.bookmark_key = key
        para.bookmark_title = title
        para.bookmark_level = level
        return para

    def table(
        self, rows: list[Any], widths: list[float], commands: list[tuple[Any, ...]], split_in_row: float = 0
    ) -> Table:
        """A table whose own default font is the embedded main face (ReportLab's is Helvetica).

        ``split_in_row``: a row may split across pages, each part at least this tall (0: never).
        """
        kind = SplitBox if split_in_row else Table
        table = kind(rows, colWidths=widths, splitInRow=split_in_row)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.plan.main, self.spec.body_size), *commands]))
        return table

    # ---------------------------------------------------------------- cover

    def cover(self, band: tuple[float, float] | None = None, *, lines: bool = True) -> list[Flowable]:
        """The cover's band text: logo, publisher, title, subtitle and (``lines``) the cover's contact
        lines, fitted to ``band`` (width, height).

        Text too long for the band is set smaller: the title down to the section headings'
        size, the subtitle and publisher with it (no smaller than the small print). What
        does not fit even then is an error, never text spilling out of the band.
        """
        b, s, m, spec = self.brochure, self.styles, self.markup, self.spec
        logo: list[Flowable] = []
        image = self.assets.image(b.logo.file) if b.logo else None
        if image is not None:
            data, width, height = image
            if spec.cmyk and not is_svg(data):
                data = image_to_cmyk(data)
            tall = min(0.75 * 72, spec.frame_width * 0.4 * height / width)
            alt = b.logo.alt if b.logo else ""
            picture = tag(Figure(io.BytesIO(data), width=tall * width / height, height=tall), "Figure", alt=alt)
            picture.hAlign = "RIGHT" if is_rtl(b.lang) else "LEFT"
            logo.extend([picture, Spacer(1, 12)])
        floor = min(spec.heading_size, spec.title_size)
        size = spec.title_size
        while True:
            scale = size / spec.title_size

            def scaled(style: ParagraphStyle, scale: float = scale) -> ParagraphStyle:
                points = max(min(spec.small_size, style.fontSize), style.fontSize * scale)
                return style.clone(style.name, fontSize=points, leading=style.leading * points / style.fontSize)

            parts = [*logo]
            if b.publisher:
                parts.append(self.para(m.text(b.publisher.upper()), scaled(s.cover_small)))
                parts.append(Spacer(1, 14 * scale))
            title = s.title.clone("title", fontSize=size, leading=size * 1.1, spaceAfter=size * 0.3)
            parts.append(self.heading(m.text(b.title), title, "cover", b.title))
            if b.subtitle:
                parts.append(self.para(m.text(b.subtitle), scaled(s.subtitle)))
            call = self.cover_lines(band[0] if band else spec.frame_width) if lines else []
            call_h = self.height_of(call, band[0] if band else None) + 12 if call else 0.0
            if band is None or self.height_of(parts, band[0]) + call_h <= band[1]:
                # The call lines sit at the band's foot; the circles fill the space between.
                return [*parts, BandFill(call, spec.color_on_accent, is_rtl(b.lang), call_h)]
            if size <= floor:
                raise LayoutOverflowError.at(
                    b.place("title"),
                    f"the publisher, title and subtitle do not fit the cover of layout '{spec.name}', "
                    f"even with the title at {size:g} pt",
                    "shorten the title or subtitle, or give the cover band more room (page.cover_band)",
                )
            size = max(floor, size - 2)

    def cover_lines(self, width: float, *, on_band: bool = True) -> list[Flowable]:
        """The contact lines marked for the cover: label, then the number at COVER_NUMBER_SIZE or more.

        They come from the content alone (a site's own line is never marked for the cover),
        so the cover is the same for every site. ``on_band``: set in the band's colours, else
        in the accent colour below it.
        """
        b, s, m = self.brochure, self.styles, self.markup
        lines = [line for line in b.contact.lines if line.cover] if b.contact else []
        out: list[Flowable] = []
        for line in lines:
            value = m.text(line.value)
            if line.link:
                value = link_markup(f"<a href={attr(line.link)}>", value)
            size = max(COVER_NUMBER_LARGEST, self.spec.contact_value_size)
            number = s.title.clone("cover_number", fontSize=size, leading=size * 1.15, spaceAfter=0)
            while size > COVER_NUMBER_SIZE and stringWidth(line.value, number.fontName, size) > width:
                size -= 1
                number = number.clone("cover_number", fontSize=size, leading=size * 1.15)
            label = s.cover_small.clone("cover_label", spaceBefore=12)
            if not on_band:
                number = number.clone("cover_number", textColor=HexColor(self.spec.color_accent))
                label = label.clone("cover_label", textColor=HexColor(self.spec.color_text), spaceBefore=0)
            out.append(self.para(m.text(line.label), label))
            out.append(self.para(value, number))
            out[-1].tag_lang = self.address_lang(line.value)
        return out

    def contents(self, section_pages: Mapping[str, int], height: float | None = None) -> list[Flowable]:
        """The 'In this guide' list of sections with their page numbers, fitted to ``height``.

        Each entry links to its section. ``section_pages`` may be filled in while the
        document is laid out: the numbers are read when the document is saved.
        One column when it fits, else two; when even two do not fit, no list at all (it
        must never spill onto the next page).
        """
        s, m = self.styles, self.markup
        toc = object()
        entries: list[list[Flowable]] = []
        for index, sec in enumerate(self.brochure.sections):
            entry: ContainerPath = (("TOC", toc, 0), ("TOCI", object(), index))
            title = self.para(link_markup(f'<a href="#s-{sec.id}">', m.text(sec.heading)), s.toc)
            page = PageNumber(lambda text: self.para(text, s.toc_page), section_pages, sec.id, f"toc{index + 1}")
            entries.append([tag(title, "Reference", entry, order=0), tag(page, "P", entry, order=1)])
        heading = tag(self.para(m.text(self.brochure.labels.get("contents")), s.subheading), "H2")
        rtl = is_rtl(self.brochure.lang)
        number = 0.45 * 72
        gap = 0.3 * 72
        for columns in (1, 2):
            per = -(-len(entries) // columns)
            column = (self.spec.frame_width - gap * (columns - 1)) / columns
            rows = []
            for r in range(per):
                row: list[Any] = []
                for c in range(columns):
                    index = c * per + r
                    cell = entries[index] if index < len(entries) else ["", ""]
                    row.extend(list(reversed(cell)) if rtl else cell)
                    if c < columns - 1:
                        row.append("")
                rows.append(list(reversed(row)) if rtl and columns > 1 else row)
            widths: list[float] = []
            for c in range(columns):
                widths.extend([number, column - number] if rtl else [column - number, number])
                if c < columns - 1:
                    widths.append(gap)
            table = self.table(
                rows,
                widths,
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    *FLUSH,
                    ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
                    ("LINEBELOW", (0, 0), (-1, -2), 0.5, HexColor(self.spec.color_accent_light)),
                ],
            )
            if height is None or self.height_of([heading, table]) <= height:
                return [heading, table]
        return []

    # ---------------------------------------------------------------- body

    def body(self) -> list[Flowable]:
        """Every section, then the Notes."""
        out: list[Flowable] = []
        for section in self.brochure.sections:
            out.extend(self.build_section(section))
        out.extend(self.build_notes())
        return out

    def build_section(self, section: Section) -> list[Flowable]:
        """A section's flowables, with the page-break rules applied.

        Headings and a list's lead-in sentence are held back and kept together with what
        follows: the first lines of a paragraph (room is reserved before the heading), the
        first two items of a list, or a whole call-out.
        """
        style = self.styles.heading
        if section.icon:  # the heading beside its icon: the spaces go around both
            style = style.clone("heading", spaceBefore=0, spaceAfter=0)  # the same name: still an H2
        heading = self.heading(self.markup.prose(section.heading), style, f"s-{section.id}", section.heading)
        heading.section_id = section.id
        icon = self.icon(section.icon, self.styles.heading.leading, self.spec.color_accent)
        if icon is not None:
            text, heading = heading, self.beside_icon(icon, heading, self.spec.frame_width)
            heading.spaceBefore, heading.spaceAfter = self.styles.heading.spaceBefore, self.styles.heading.spaceAfter
            for name in CARRIED_TO_FIRST_PART:  # render reads the bookmark and the section from the heading
                setattr(heading, name, getattr(text, name))
        out: list[Flowable] = []
        pending: list[Flowable] = [heading]
        blocks = section.blocks
        for index, block in enumerate(blocks):
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            parts = self.build_block(block, following)
            if isinstance(block, Subheading) or (
                isinstance(block, ParagraphBlock) and isinstance(following, (Bullets, Terms))
            ):
                pending.extend(parts)
                continue
            out.extend(self.keep_with_next(pending, parts))
            pending = []
        if pending:
            out.extend(self.keep_with_next(pending, []))
        return within("Sect", out)

    def keep_with_next(self, pending: list[Flowable], parts: list[Flowable]) -> list[Flowable]:
        """Join held-back headings to the first part of the next block."""
        if not pending:
            return parts
        if parts and isinstance(parts[0], KeepTogether):
            return [KeepTogether(pending + list(parts[0]._content)), *parts[1:]]  # noqa: SLF001  # ReportLab keeps the list there
        if parts and isinstance(parts[0], Table):
            return [KeepTogether([*pending, parts[0]]), *parts[1:]]
        # Room for the headings and three lines after them: a long lead-in sentence may split (never
        # leaving one line alone), so a section starts at the foot of a page rather than leave it empty.
        headings = [f for f in pending if getattr(f, "style", None) is None or f.style.name != "lead_in"]
        room = sum(f.wrap(self.spec.frame_width, 10_000)[1] + f.getSpaceAfter() for f in headings)
        return [CondPageBreak(room + self.spec.body_leading * 3 + self.spec.space_section), *pending, *parts]

    def build_block(self, block: Block, following: Block | None) -> list[Flowable]:
        if isinstance(block, ParagraphBlock):
            return [self.build_text(block, lead_in=isinstance(following, (Bullets, Terms)))]
        if isinstance(block, Bullets):
            return self.build_list([self.markup.paragraph(item.runs) for item in block.items])
        if isinstance(block, Terms):
            return self.build_terms(block)
        if isinstance(block, Callout):
            return [self.build_callout(block)]
        if isinstance(block, FigureBlock):
            return [self.build_figure(block)]
        assert isinstance(block, Subheading)
        return [self.para(self.markup.prose(block.text), self.styles.subheading)]

    def build_text(self, block: ParagraphBlock, lead_in: bool = False) -> Flowable:
        return self.para(self.markup.paragraph(block.runs), self.styles.lead_in if lead_in else self.styles.body)

    def build_list(self, items: Sequence[str], whole_items: bool = False) -> list[Flowable]:
        """Items with hanging indents; never split after the first line or before the last (see ``group_list``)."""
        key = object()
        paras = [
            tag(
                self.para(markup, self.styles.bullet, bulletText=self.spec.bullet),
                "LBody",
                (("L", key, 0), ("LI", object(), i)),
                order=1,
            )
            for i, markup in enumerate(items)
        ]
        for para in paras:
            para.tag_label = True  # the bullet: the item's Lbl
        return group_list(paras, self.spec.frame_width, whole_items)

    def build_terms(self, block: Terms) -> list[Flowable]:
        items = []
        for term in block.items:
            head = f"<b><font color={attr(self.spec.color_accent)}>{self.markup.text(term.term)}</font></b>"
            items.append(f"{head}<br/>{self.markup.paragraph(term.text)}")
        return self.build_list(items)  # a long term may split between its lines, never after one

    def build_callout(self, block: Callout) -> Flowable:
        s = self.styles
        cell: list[Flowable] = []
        pad = self.spec.callout_padding
        rtl = is_rtl(self.brochure.lang)
        inner = self.spec.frame_width - 2 * pad - 4
        icon = self.icon(block.icon, s.callout_title.leading, self.spec.color_callout_rule)
        if block.title:
            title = self.para(self.markup.prose(block.title), s.callout_title)
            if icon is not None:  # the icon on the title's leading side
                title = self.beside_icon(icon, title, inner)
                title.spaceAfter = s.callout_title.spaceAfter
            cell.append(title)
        elif icon is not None:
            icon.hAlign = "RIGHT" if rtl else "LEFT"
            cell.append(icon)
        cell.append(self.para(self.markup.paragraph(block.runs), s.callout))
        rule_side = "LINEAFTER" if rtl else "LINEBEFORE"
        table = self.table(
            [[cell]],
            [self.spec.frame_width],
            [
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.spec.color_callout_bg)),
                (rule_side, (0, 0), (0, 0), 5, HexColor(self.spec.color_callout_rule)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + (0 if rtl else 4)),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad + (4 if rtl else 0)),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 2),
            ],
            # A long call-out may continue on the next page, three lines or more on each: a
            # box that cannot split would leave the rest of the page empty before it.
            split_in_row=3 * s.callout.leading + 2 * pad + 2,
        )
        table.spaceBefore = 4
        table.spaceAfter = self.spec.space_paragraph + 6
        within("Div", [table])
        return table

    def icon(self, name: str | None, size: float, color: str) -> Flowable | None:
        """A shipped icon ``size`` points wide, drawn in ``color``.

        It is decorative (the heading or title beside it says what it means), so it is an
        artifact, not a Figure: a screen reader does not read "phone" before "Where to get help".
        """
        data = self.assets.icon(name) if name else None
        if data is None:
            return None
        data = data.replace(b"currentColor", color.encode("ascii"))  # Tabler icons draw in the text colour
        return tag(VectorFigure(_drawing(data, f"icons/{name}.svg", self.spec.grayscale), size), None)

    def beside_icon(self, icon: Flowable, text: Flowable, width: float) -> Table:
        """``text`` with ``icon`` on its leading side (the right in right-to-left text), centred on it."""
        gap = icon.width * 0.45
        cells: list[Any] = [icon, text]
        widths = [icon.width + gap, width - icon.width - gap]
        if is_rtl(self.brochure.lang):
            cells.reverse()
            widths.reverse()
        return self.table(
            [cells],
            widths,
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *FLUSH,
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT" if is_rtl(self.brochure.lang) else "LEFT"),
            ],
        )

    def picture(self, file: str, alt: str, width: float, max_height: float) -> Flowable | None:
        """A PNG, JPEG or SVG image ``width`` wide (narrower if it would be taller than ``max_height``), tagged."""
        image = self.assets.image(file)
        if image is None:
            return None
        data, pixels_w, pixels_h = image
        width = min(width, max_height * pixels_w / pixels_h)
        picture: Flowable
        if is_svg(data):
            picture = VectorFigure(_drawing(data, file, self.spec.grayscale), width)
        else:
            if self.spec.grayscale:
                data = _gray_image(data)
            if self.spec.cmyk:
                data = image_to_cmyk(data)
            picture = Figure(io.BytesIO(data), width=width, height=width * pixels_h / pixels_w, mask="auto")
        return tag(picture, "Figure", alt=alt)

    def build_figure(self, block: FigureBlock) -> Flowable:
        """A picture with its caption and credit, set smaller (down to 60 %) where that fills a page.

        See ``FitFigure``: the picture never leaves more than a sliver of a page empty when
        a slightly smaller one fits there.
        """
        return FitFigure([self.figure_at(block, scale) for scale in FIGURE_SCALES])

    def figure_at(self, block: FigureBlock, scale: float) -> Flowable:
        """The figure with its picture at ``scale`` of its size: caption below, or beside for ``half``."""
        s, m, spec = self.styles, self.markup, self.spec
        frame = spec.frame_width
        rtl = is_rtl(self.brochure.lang)
        words: list[Flowable] = []
        if block.caption:
            words.append(tag(self.para(m.paragraph(block.caption), s.caption), "Caption"))
        if block.credit:
            words.append(tag(self.para(m.text(block.credit), s.small), "Caption"))
        gap = spec.space_paragraph + 4
        beside = block.width == "half" and bool(words) and frame / 2 - gap >= 1.6 * INCH_PT
        share = {"full": 1.0, "column": 2 / 3, "half": 0.5}[block.width]
        width = frame * share - (gap / 2 if beside else 0)
        picture = self.picture(block.file, block.alt, width * scale, self.frame_height * 0.4 * scale)
        if picture is None:  # the assets were not loaded (a check without files): the caption alone
            return within("Div", [self.table([[words]], [frame], [*FLUSH])])[0] if words else Spacer(1, 0)
        if beside:
            cells: list[Any] = [picture, words]
            widths = [width + gap, frame - width - gap]
            if rtl:
                cells.reverse()
                widths.reverse()
            table = self.table(
                [cells],
                widths,
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("ALIGN", (0, 0), (0, 0), "LEFT" if not rtl else "RIGHT"),
                    *FLUSH,
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                ],
            )
            table.spaceBefore = 4
            table.spaceAfter = spec.space_paragraph + 6
            within("Div", [table])
            return table
        picture.hAlign = "CENTER" if block.width == "column" else ("RIGHT" if rtl else "LEFT")
        below = self.table(  # one cell: the picture and its caption never part
            [[[picture, Spacer(1, 4), *words]]],
            [frame],
            [*FLUSH, ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)],
        )
        below.spaceBefore = 4
        below.spaceAfter = spec.space_paragraph + 6
        within("Div", [below])
        return below

    def build_notes(self) -> list[Flowable]:
        """The Notes: numbered sources, in two balanced columns where the layout has room for them.

        Long web addresses break after a slash or a hyphen (never inside a word); a layout
        with ``notes.urls: site`` prints only each address's site, and the link keeps it whole.
        """
        if not self.brochure.notes:
            return []
        label = self.brochure.labels.get("notes")
        heading = self.heading(self.markup.text(label), self.styles.heading, "notes", label, 0)
        rtl = is_rtl(self.brochure.lang)
        gap = 0.3 * INCH_PT
        columns = self.spec.notes_columns
        if (self.spec.frame_width - gap) / 2 < 2.4 * INCH_PT:
            columns = 1
        column = (self.spec.frame_width - gap * (columns - 1)) / columns
        number_width = self.spec.small_size * 2.4
        notes: list[Flowable] = []
        notes_list = object()
        for note in self.brochure.notes:
            number = f'<a href="#cite-{note.number}-1" color={attr(self.spec.color_link)}>{note.number}.</a>'
            runs = _site_only(note.runs) if self.spec.notes_urls == "site" else note.runs
            text = f'<a name="note-{note.number}"/>{self.markup.runs(runs, prose=True)}'
            item: ContainerPath = (("L", notes_list, 0), ("LI", object(), note.number))
            notes.append(
                NoteItem(
                    tag(self.para(number, self.styles.note_number), "Lbl", item, order=0),
                    tag(self.para(text, self.styles.note), "LBody", item, order=1, lang=self.carried_lang),
                    number_width,
                    rtl,
                    4,
                )
            )
        if columns == 1:
            # The heading never ends a page: it keeps the first note with it, or the first six lines
            # of a longer one (a note splits only where two lines stay on each side: a room of two
            # lines left the heading alone at the foot of a page, in Chinese large print).
            first = self.height_of([heading, notes[0]], column)
            room = min(first, self.height_of([heading]) + self.styles.note.leading * 6)
            return within("Sect", [CondPageBreak(room), heading, *notes])
        room = self.height_of([heading, notes[0]], column)
        return within("Sect", [CondPageBreak(room), heading, *within_columns(notes, column, gap, rtl)])

    # ---------------------------------------------------------------- pages of their own

    def my_notes(self) -> list[Flowable]:
        """A page readers can write on: pads the page count."""
        label = self.brochure.labels.get("my_notes")
        heading = self.heading(self.markup.text(label), self.styles.heading, "", label, -1)
        hint = self.para(self.markup.text(self.brochure.labels.get("my_notes_hint")), self.styles.body)
        lines = WritingLines(self.spec.body_leading * 1.9, self.spec.color_accent_light)
        # It must stay one page whatever the type size: drop the hint, then the heading, if need be.
        for parts in ([heading, hint], [heading], []):
            if self.height_of(parts) <= self.frame_height - self.spec.body_leading:
                return within("Sect", [*parts, lines])
        return [lines]

    def back(self) -> list[Flowable]:
        """The contact block, which always ends up on the last page."""
        b, s, m = self.brochure, self.styles, self.markup
        out: list[Flowable] = [BackPageStart()]
        contact = b.contact
        if contact is None:
            return [*out, *self.emergency(), *self.dates()]
        out.append(self.heading(m.text(contact.heading), s.contact_heading, "contact", contact.heading, 0))
        out.extend(self.emergency())
        if contact.text:
            out.append(self.para(m.runs(contact.text), s.body))
        out.append(Spacer(1, 6))
        boxes = len(contact.lines)
        extras: list[Flowable] = []
        for label, detail in (("hours", contact.hours), ("address", contact.address)):
            if detail:
                extras.append(self.para(f"<b>{m.text(b.labels.get(label))}:</b> {m.text(detail)}", s.body))
        qr = [self.qr_block()] if contact.qr or contact.website else []
        gap = self.spec.space_paragraph
        dates = self.dates()
        lines = [f for line in contact.lines for f in (self.rule_box(self.contact_line(line)), Spacer(1, gap))]
        calls = self.when_you_call()
        grid = self.spec.frame_width >= 5.5 * 72 and boxes >= 2  # room for the lines side by side

        def stacked(calls: list[Flowable]) -> list[Flowable]:
            return [*out, *lines, *extras, *calls, *dates, Spacer(1, 6), *qr]

        def fits(flowables: list[Flowable]) -> bool:
            return self.height_of(flowables) <= self.frame_height

        # The numbers come first: "what happens when you call" gives way where the page has no
        # room for it, after the lines have been set side by side to make room where they can be.
        if fits(stacked(calls)):
            return self.single_back(out, lines, stacked(calls))
        side = max(self.spec.qr_size + 12, 1.9 * INCH_PT)
        if calls and qr and contact.qr and self.spec.frame_width - side >= 3.4 * INCH_PT:
            # The list beside the QR code (the code over its caption) takes the height of one of them.
            cells: list[Any] = [self.when_you_call(self.spec.frame_width - side - 8), [self.qr_block(side)]]
            widths = [self.spec.frame_width - side, side]
            if is_rtl(b.lang):
                cells.reverse()
                widths.reverse()
            row = self.table([cells], widths, [("VALIGN", (0, 0), (-1, -1), "TOP"), *FLUSH])
            row.spaceBefore = self.spec.space_paragraph
            beside = [*out, *lines, *extras, *dates, row]
            if fits(beside):
                return self.single_back(out, lines, beside)
        if grid and fits(self.grid_back(out, extras, calls, dates, qr)):
            return within("Sect", self.grid_back(out, extras, calls, dates, qr))
        if fits(stacked([])):
            return self.single_back(out, lines, stacked([]))
        if grid and fits(self.grid_back(out, extras, [], dates, qr)):
            return within("Sect", self.grid_back(out, extras, [], dates, qr))
        # Still longer than the page (a site's line in a booklet): the lines' notes in the small
        # size, never below the size floor, keep the numbers and the QR code on the back page.
        small = [f for line in contact.lines for f in (self.rule_box(self.contact_line(line, True)), Spacer(1, gap))]
        compact = [*out, *small, *extras, *dates, Spacer(1, 6), *qr]
        if fits(compact):
            return self.single_back(out, small, compact)
        # Longer than a page even so (a site's page in large print): one column over two pages,
        # the QR code at its full size and kept with the last line, never squeezed into a grid
        # cell (the grid's free cell when the lines are odd in number); the second page has room
        # for "what happens when you call" where the whole stays well within two pages.
        if not grid:
            return self.single_back(out, lines, stacked([]))
        if qr and boxes % 2 == 1:
            for candidate in (stacked(calls), stacked([])):
                if self.height_of(candidate) <= 1.8 * self.frame_height:
                    return self.single_back(out, lines, candidate)
        return within("Sect", self.grid_back(out, extras, [], dates, qr))

    def single_back(self, out: list[Flowable], lines: list[Flowable], stacked: list[Flowable]) -> list[Flowable]:
        """The back page in one column: where it runs onto a second page, the QR code never goes alone."""
        if len(lines) >= 2:
            return within("Sect", [*out, *lines[:-2], KeepTogether(stacked[len(out) + len(lines) - 2 :])])
        return within("Sect", stacked)

    def grid_back(
        self,
        out: list[Flowable],
        extras: list[Flowable],
        calls: list[Flowable],
        dates: list[Flowable],
        qr: list[Flowable],
    ) -> list[Flowable]:
        """The back page with its lines in a two-column grid, the QR code in the last cell when one is free."""
        assert self.brochure.contact is not None
        gap = self.spec.space_paragraph
        column = (self.spec.frame_width - 2 * gap) / 2
        cells: list[Flowable] = [self.rule_box(self.contact_line(line), column) for line in self.brochure.contact.lines]
        if qr and len(cells) % 2:
            cells.append(self.qr_block(column, beside=1.3 * INCH_PT))  # no taller than the line beside it
            qr = []
        rows = [cells[i : i + 2] + [Spacer(1, 1)] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
        if is_rtl(self.brochure.lang):
            rows = [list(reversed(row)) for row in rows]
        table = self.table(
            rows,
            [column + gap, column + gap],
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), gap),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), gap * 1.5),
            ],
        )
        return [*out, table, *extras, *calls, *dates, *([Spacer(1, 6), *qr] if qr else [])]

    def emergency(self) -> list[Flowable]:
        """'Overdose? Call 911', large and bold, when the content gives its emergency number."""
        b, s, m = self.brochure, self.styles, self.markup
        if not b.emergency:
            return []
        text = m.text(b.labels.get("overdose", emergency=b.emergency))
        digits = "".join(ch for ch in b.emergency if ch.isdigit())
        size = self.spec.contact_value_size
        style = s.contact_value.clone(
            "emergency",
            fontSize=size,
            leading=size * 1.25,
            textColor=HexColor(self.spec.color_callout_rule),
            spaceAfter=0,
        )
        rtl = is_rtl(b.lang)
        box = self.table(
            [[self.para(link_markup(f'<a href="tel:{digits}">', text), style)]],
            [self.spec.frame_width],
            [
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.spec.color_callout_bg)),
                ("LINEAFTER" if rtl else "LINEBEFORE", (0, 0), (0, 0), 3, HexColor(self.spec.color_callout_rule)),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ],
        )
        box.spaceAfter = self.spec.space_paragraph
        within("Div", [box])
        return [box]

    def dates(self) -> list[Flowable]:
        """The reviewed date and version, for layouts without a footer to carry them."""
        b = self.brochure
        parts = []
        if b.reviewed:
            parts.append(b.labels.get("reviewed", date=b.reviewed))
        if b.version:
            parts.append(b.labels.get("version", version=b.version))
        if self.spec.footer or not parts:
            return []
        return [Spacer(1, 6), self.para(self.markup.text("  \u00b7  ".join(parts)), self.styles.small)]

    @property
    def frame_height(self) -> float:
        """Height of a body page's text block."""
        return self.spec.page_height - self.spec.margin_top - self.spec.margin_bottom

    def height_of(self, flowables: list[Flowable], width: float | None = None) -> float:
        """Height the flowables take stacked in the text block, or ``width`` wide (they can be laid out again later)."""
        total = 0.0
        for flowable in flowables:
            _, height = flowable.wrap(width or self.spec.frame_width, self.frame_height)
            total += height + flowable.getSpaceBefore() + flowable.getSpaceAfter()
        return total

    def contact_line(self, line: ContactLine, compact: bool = False) -> list[Flowable]:
        """A contact line: its number or address first and large (a link), then its label and note.

        ``compact`` sets the note and details in the layout's small size (for a back page that
        would not fit otherwise).
        """
        m, s = self.markup, self.styles
        value = m.text(line.value)
        if line.link:
            value = link_markup(f"<a href={attr(line.link)}>", value)
        number = self.para(value, s.contact_value)
        number.tag_lang = self.address_lang(line.value)
        block: list[Flowable] = [number, self.para(m.text(line.label), s.contact_label)]
        plain = ParagraphStyle("cn", parent=s.body, spaceAfter=0)
        if compact:
            plain = ParagraphStyle("cn", parent=s.body, spaceAfter=0, fontSize=s.note.fontSize, leading=s.note.leading)
        if line.note:
            block.append(self.para(m.runs(line.note), plain))
        for detail in line.details:  # a site's text line, address and hours: in its own box
            shown = m.text(detail.value)
            if detail.link:
                shown = link_markup(f"<a href={attr(detail.link)}>", shown)
            block.append(self.para(f"<b>{m.text(self.brochure.labels.get(detail.label))}:</b> {shown}", plain))
        return block

    def when_you_call(self, width: float | None = None) -> list[Flowable]:
        """'What happens when you call': the content's short list, in a tinted box under the lines."""
        b, s, m = self.brochure, self.styles, self.markup
        contact = b.contact
        if contact is None or not contact.when_you_call:
            return []
        width = width or self.spec.frame_width
        rtl = is_rtl(b.lang)
        title = s.subheading.clone("subheading", spaceBefore=0, textColor=HexColor(self.spec.color_accent))  # an H3
        key = object()
        cell: list[Flowable] = [self.para(m.prose(b.labels.get("when_you_call")), title)]
        for i, item in enumerate(contact.when_you_call):
            para = self.para(m.paragraph(item.runs), s.bullet, bulletText=self.spec.bullet)
            para.tag_label = True  # the bullet: the item's Lbl
            cell.append(tag(para, "LBody", (("L", key, 0), ("LI", object(), i)), order=1))
        pad = self.spec.callout_padding
        box = self.table(
            [[cell]],
            [width],
            [
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.spec.color_accent_light)),
                ("LEFTPADDING", (0, 0), (-1, -1), pad + (0 if rtl else 4)),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad + (4 if rtl else 0)),
                ("TOPPADDING", (0, 0), (-1, -1), pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), max(pad - self.spec.space_item, 2)),
            ],
        )
        box.spaceBefore = self.spec.space_paragraph
        box.spaceAfter = self.spec.space_paragraph
        within("Div", [box])
        return [box]

    def rule_box(self, cells: list[Flowable], width: float | None = None) -> Flowable:
        """A contact line with an accent rule on its leading side."""
        rtl = is_rtl(self.brochure.lang)
        table = self.table(
            [[cells]],
            [width or self.spec.frame_width],
            [
                ("LINEAFTER" if rtl else "LINEBEFORE", (0, 0), (0, 0), 3, HexColor(self.spec.color_accent)),
                ("LEFTPADDING", (0, 0), (-1, -1), 4 if rtl else 12),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12 if rtl else 4),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ],
        )
        within("Div", [table])
        return table

    def qr_block(self, width: float | None = None, beside: float = 2 * 72) -> Flowable:
        """The QR code with the 'scan' label and the address printed beside it (under it where the
        text would have less than ``beside`` points of width)."""
        width = width or self.spec.frame_width
        contact = self.brochure.contact
        assert contact is not None
        m, s = self.markup, self.styles
        target = contact.qr or contact.website or ""
        size = self.spec.qr_size
        text: list[Flowable] = []
        if contact.qr:
            text.append(self.para(m.text(contact.qr_caption or self.brochure.labels.get("scan")), s.contact_label))
        shown = contact.qr or contact.website  # the caption says where the code goes
        if shown:
            address = self.para(
                link_markup(f"<a href={attr(shown)} color={attr(self.spec.color_link)}>", m.text(shown)),
                ParagraphStyle("url", parent=s.body, splitLongWords=1, spaceAfter=0),
            )
            address.tag_lang = self.address_lang(shown)
            text.append(address)
        cells: list[Any] = [text]
        widths = [width]
        if contact.qr and width - size - 10 < beside:  # too narrow to sit side by side: the address goes below
            return self.table(
                [[self.qr_code(target, size)], [text]],
                [width],
                [
                    *FLUSH,
                    ("ALIGN", (0, 0), (-1, -1), "RIGHT" if is_rtl(self.brochure.lang) else "LEFT"),
                ],
            )
        if contact.qr:
            cells = [self.qr_code(target, size), text]
            widths = [size + 10, width - size - 10]
        rtl = is_rtl(self.brochure.lang)
        if rtl:
            cells.reverse()
            widths.reverse()
        table = self.table(
            [cells],
            widths,
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                *FLUSH,
            ],
        )
        return table

    def qr_code(self, target: str, size: float) -> Flowable:
        """The QR code, described for screen readers by where it leads."""
        return tag(QRCode(target, size), "Figure", alt=f"QR code: {target}")

    def footer(self, text: str, style: ParagraphStyle | None = None) -> Flowable:
        """A footer line as a paragraph, so fallback fonts apply there too."""
        return self.para(self.markup.text(text), style or self.styles.footer)


INCH_PT = 72.0


def _site_only(runs: Runs) -> Runs:
    """Runs with each bare web address (a link whose text is its address) printed as its site alone."""
    out: list[Any] = []
    for run in runs:
        if isinstance(run, Link) and len(run.children) == 1 and isinstance(run.children[0], Text):
            shown = run.children[0].text
            if shown == run.url and "://" in shown:
                site = shown.split("://", 1)[1].split("/", 1)[0]
                site = site.removeprefix("www.")
                out.append(Link(run.url, (Text(site),)))
                continue
        if isinstance(run, (Emph, Strong)):
            out.append(type(run)(_site_only(run.children)))
            continue
        out.append(run)
    return tuple(out)


@functools.lru_cache(maxsize=32)
def _drawing(data: bytes, file: str, gray: bool) -> Any:
    """An SVG picture's drawing, converted once per process (drawing it does not change it)."""
    return svg_drawing(data, file, _gray_color if gray else None)


def _bind_end(runs: Runs) -> Runs:
    """Runs whose last text (before any trailing citations) binds its last two words (see ``bind_last_words``)."""
    index = len(runs) - 1
    while index >= 0 and isinstance(runs[index], Cite):
        index -= 1
    if index < 0 or not isinstance(runs[index], Text):
        return runs
    last = runs[index]
    assert isinstance(last, Text)
    return (*runs[:index], Text(bind_last_words(last.text)), *runs[index + 1 :])


def _gray_color(color: Any) -> Any:
    """A colour of an SVG picture as its gray of the same luminance (``--grayscale``)."""
    if color is None:
        return None
    from reportlab.lib.colors import Color

    level = 0.2126 * _linear(color.red) + 0.7152 * _linear(color.green) + 0.0722 * _linear(color.blue)
    value = 12.92 * level if level <= 0.0031308 else 1.055 * level ** (1 / 2.4) - 0.055
    return Color(value, value, value, alpha=getattr(color, "alpha", 1))


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else float(((channel + 0.055) / 1.055) ** 2.4)


def _gray_image(data: bytes) -> bytes:
    """A PNG or JPEG image in grays (``--grayscale``), as PNG; transparency is kept."""
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(data)) as image:
        gray = image.convert("LA") if "A" in image.getbands() or "transparency" in image.info else image.convert("L")
        buffer = io.BytesIO()
        gray.save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def qr_modules(value: str) -> tuple[tuple[bool, ...], ...]:
    """The dark and light modules of a QR code for ``value`` (error correction M).

    Computed once per process, and kept between runs by ``brochure.cache`` (the pure-Python
    encoder takes about 8 ms, a few percent of a cold build).
    """
    key = f"qr|M|{value}|{reportlab.Version}"
    kept = cache.load("qr", key)
    if isinstance(kept, tuple) and kept and all(isinstance(row, tuple) and len(row) == len(kept) for row in kept):
        return tuple(tuple(bool(m) for m in row) for row in kept)
    from reportlab.graphics.barcode import qrencoder  # here: its package imports ReportLab's graphics (9 ms)

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(value)
    code.make()
    modules = tuple(tuple(bool(m) for m in row) for row in code.modules)
    cache.store("qr", key, modules)
    return modules


class QRCode(Tagged, Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A QR code ``size`` points square, its 4-module quiet zone included, drawn as one filled path."""

    QUIET = 4

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value = value
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        modules = qr_modules(self.value)
        box = self.width / (len(modules) + 2 * self.QUIET)
        path = self.canv.beginPath()
        for r, row in enumerate(modules):
            y = self.height - (r + self.QUIET + 1) * box
            c = 0
            for dark, run in itertools.groupby(row):
                count = len(list(run))
                if dark:
                    path.rect((c + self.QUIET) * box, y, count * box, box)
                c += count
        self.canv.saveState()
        self.canv.setFillColor(HexColor("#000000"))
        self.canv.drawPath(path, stroke=0, fill=1)
        self.canv.restoreState()


def group_list(paras: list[Flowable], width: float, whole_items: bool = False) -> list[Flowable]:
    """Hold a list's first and last lines with their neighbours, so it never splits after one line.

    The items at the start that make up its first two lines (set ``width`` wide) are kept
    together, and so are those that make up its last two: two one-line bullets at each
    end. An item of four lines or more stands alone even at an end: it may split between
    its own lines (never leaving one line alone, see the styles' orphan and widow rules),
    so a long term does not leave half a page empty. A list that is all head and tail is
    kept whole. With ``whole_items``, every item is kept whole as well, unless it is taller
    than a page.
    """
    if not paras:
        return []
    paras[-1].spaceAfter = paras[-1].style.spaceAfter * 2 + 2  # a list ends with a paragraph's space
    lines = [round(p.wrap(width, 1_000_000)[1] / p.style.leading) for p in paras]
    head = _items_for_lines(lines, 2)
    tail = _items_for_lines(lines[::-1], 2)
    if head + tail >= len(paras):
        return [KeepTogether(paras)]
    middle = [KeepTogether([p]) if whole_items else p for p in paras[head:-tail]]

    def end(group: list[Flowable], count: int) -> Flowable:
        alone = count == 1 and len(group) == 1 and not whole_items and lines_of(group[0]) >= 4
        return group[0] if alone else KeepTogether(group)

    def lines_of(para: Flowable) -> int:
        return int(lines[paras.index(para)])

    return [end(paras[:head], head), *middle, end(paras[-tail:], tail)]


def _items_for_lines(lines: list[int], wanted: int) -> int:
    """How many items, from the first, it takes to reach ``wanted`` lines."""
    total = 0
    for count, item_lines in enumerate(lines, 1):
        total += item_lines
        if total >= wanted:
            return count
    return len(lines)


def build_story(brochure: Brochure, spec: LayoutSpec, plan: FontPlan, assets: Assets = NO_ASSETS) -> Story:
    """The flowable factory for one brochure.

    Args:
        brochure: numbered content.
        spec: the layout.
        plan: the registered fonts.
        assets: the images the content names, already read and checked.

    Returns:
        A ``Story`` that builds fresh flowables for the cover, body, padding and back page.
    """
    return Story(brochure, spec, plan, make_styles(spec, plan, brochure.lang), assets)


Builder = Callable[[], list[Flowable]]
