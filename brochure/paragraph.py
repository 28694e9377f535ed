"""Paragraph markup → a flowable for scripts ReportLab sets wrongly: right-to-left and Chinese/Japanese.

ReportLab's own right-to-left path needs a package PyPI does not have, and its shaped
Arabic comes out in the wrong word order; its CJK line breaking lets a line start with
a full-width comma. ``ScriptParagraph`` takes the same markup and style as
``reportlab.platypus.Paragraph`` (parsed by ReportLab's own ``ParaParser``) and breaks
lines itself, in logical order:

* right-to-left: Arabic is shaped, each line is reordered with the Unicode bidirectional
  algorithm (``script.visual_order``) and drawn right-aligned, bullet on the right;
* CJK: every ideograph is a break opportunity, except that closing punctuation never
  starts a line and opening punctuation never ends one (``script.break_units``).

Links, anchors, superscripts and underlines are drawn as ReportLab would.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

from .canvas import Tagged
from .script import break_units, shape_arabic, visual_order


@dataclass(slots=True)
class _Piece:
    """Text of one style (one ReportLab fragment) inside a word."""

    text: str
    frag: Any
    width: float


@dataclass(slots=True)
class _Word:
    pieces: list[_Piece]
    anchors: list[str]
    width: float
    space_before: bool = True


def _words(frags: list[Any], cjk: bool) -> list[_Word | None]:
    """Fragments → words (CJK: break units); None stands for a space between words."""
    out: list[_Word | None] = []
    for item in _space_words(frags):
        if cjk and item is not None and item.width >= 0:
            out.extend(_units(item))
        else:
            out.append(item)
    return out


def logical_text(frags: list[Any]) -> str:
    """A paragraph's text in reading (logical) order, unshaped, with its spaces collapsed."""
    text = "".join("\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "") for f in frags)
    return " ".join(text.split())


def _units(word: _Word) -> list[_Word]:
    """A word of CJK text → its line-break units (a unit's pieces keep their fragments)."""
    chars = [(ch, piece.frag) for piece in word.pieces for ch in piece.text]
    text = "".join(ch for ch, _ in chars)
    out: list[_Word] = []
    position = 0
    for unit in break_units(text):
        pieces: list[_Piece] = []
        for ch, frag in chars[position : position + len(unit)]:
            w = stringWidth(ch, frag.fontName, frag.fontSize)
            if pieces and pieces[-1].frag is frag:
                pieces[-1] = _Piece(pieces[-1].text + ch, frag, pieces[-1].width + w)
            else:
                pieces.append(_Piece(ch, frag, w))
        first = not out
        out.append(
            _Word(pieces, word.anchors if first else [], sum(p.width for p in pieces), word.space_before and first)
        )
        position += len(unit)
    return out or [word]


def _space_words(frags: list[Any]) -> list[_Word | None]:
    """Fragments → space-separated words; None stands for a space between words."""
    out: list[_Word | None] = []
    current: _Word | None = None
    anchors: list[str] = []
    for frag in frags:
        defn = getattr(frag, "cbDefn", None)
        if defn is not None and getattr(defn, "kind", "") == "anchor":
            anchors.append(defn.name)
            continue
        text = getattr(frag, "text", "")
        if getattr(frag, "lineBreak", False):
            text = "\n"
        for token in _split_spaces(text):
            if token == " ":
                if current is not None:
                    out.append(current)
                    current = None
                out.append(None)
                continue
            if token == "\n":
                if current is not None:
                    out.append(current)
                    current = None
                out.append(_Word([], [], -1.0))
                continue
            shaped = shape_arabic(token)
            width = stringWidth(shaped, frag.fontName, frag.fontSize)
            if current is None:
                current = _Word([], anchors, 0.0, bool(out) and out[-1] is None)
                anchors = []
            current.pieces.append(_Piece(shaped, frag, width))
            current.width += width
    if current is not None:
        out.append(current)
    if anchors:
        out.append(_Word([], anchors, 0.0))
    return out


def _split_spaces(text: str) -> list[str]:
    tokens: list[str] = []
    buf = ""
    for ch in text:
        if ch in " \t\n\r":
            if buf:
                tokens.append(buf)
                buf = ""
            tokens.append("\n" if ch == "\n" else " ")
        else:
            buf += ch
    if buf:
        tokens.append(buf)
    return tokens


BREAK_AFTER = "/"
BREAK_BEFORE = "-.?&=_#"
"""An address breaks after a slash, or before other punctuation (so no hyphen ends a line, Chicago style)."""


def _split_word(word: _Word, width: float) -> list[_Word]:
    """Cut a word wider than the line into pieces that fit (long addresses, unbroken runs).

    A cut goes after a slash, or before a hyphen or dot, when one falls in the last 60 % of
    the line, so an address breaks between its parts rather than in the middle of one.
    """
    chars = [(ch, piece.frag) for piece in word.pieces for ch in piece.text]
    widths = [stringWidth(ch, frag.fontName, frag.fontSize) for ch, frag in chars]
    out: list[_Word] = []
    start = 0
    while start < len(chars):
        used = 0.0
        end = start
        while end < len(chars) and (used + widths[end] <= width or end == start):
            used += widths[end]
            end += 1
        if end < len(chars):
            for cut in range(end - 1, start + int((end - start) * 0.4), -1):
                if chars[cut][0] in BREAK_AFTER:
                    end = cut + 1
                    break
                if chars[cut][0] in BREAK_BEFORE:
                    end = cut
                    break
        pieces: list[_Piece] = []
        for (ch, frag), w in zip(chars[start:end], widths[start:end], strict=True):
            if pieces and pieces[-1].frag is frag:
                pieces[-1] = _Piece(pieces[-1].text + ch, frag, pieces[-1].width + w)
            else:
                pieces.append(_Piece(ch, frag, w))
        first = not out
        out.append(_Word(pieces, word.anchors if first else [], sum(widths[start:end]), word.space_before and first))
        start = end
    return out


def _break_lines(items: list[_Word | None], width: float, space: float) -> list[list[_Word]]:
    """Greedy line breaking in logical order."""
    lines: list[list[_Word]] = []
    line: list[_Word] = []
    used = 0.0
    queue = list(items)
    queue.reverse()
    while queue:
        item = queue.pop()
        if item is None:
            continue
        if item.width > width:
            queue.extend(reversed(_split_word(item, width)))
            continue
        if item.width < 0:  # forced break
            lines.append(line)
            line, used = [], 0.0
            continue
        extra = item.width + (space if line and item.space_before else 0.0)
        if line and used + extra > width:
            lines.append(line)
            line, used = [item], item.width
        else:
            line.append(item)
            used += extra
    if line or not lines:
        lines.append(line)
    return lines


class _ScriptLines(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """The lines of a :class:`ScriptParagraph`: breaking, splitting and drawing, without tagging."""

    def __init__(
        self,
        text: str,
        style: Any,
        bulletText: str | None = None,  # noqa: N803  # ReportLab's keyword name
        *,
        rtl: bool = True,
        cjk: bool = False,
        _lines: list[list[_Word]] | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bulletText = bulletText
        self.rtl = rtl
        self.cjk = cjk
        self._fixed = _lines
        self._broken_at: float | None = None
        if _lines is None:
            _, frags, _ = ParaParser().parse(text, style)
            self._items = _words(frags, cjk=cjk)
            if rtl:  # the glyphs are shaped and in visual order: give assistive technology the text itself
                self.tag_actual = logical_text(frags)
        self.lines: list[list[_Word]] = _lines or []
        self.width = 0.0
        self.height = 0.0

    def _space(self) -> float:
        return float(stringWidth(" ", self.style.fontName, self.style.fontSize))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        inner = available_width - self.style.leftIndent - self.style.rightIndent
        if self._fixed is None and inner != self._broken_at:  # wrapped again at the same width: same lines
            self.lines = _break_lines(self._items, inner, self._space())
            self._broken_at = inner
        self.height = len(self.lines) * self.style.leading
        return (available_width, self.height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.style.leading)
        total = len(self.lines)
        if fit >= total:
            return [self]
        if total < 4 or fit < 2:
            return []
        fit = min(fit, total - 2)
        mode = {"rtl": self.rtl, "cjk": self.cjk}
        first = type(self)(self.text, self.style, self.bulletText, **mode, _lines=self.lines[:fit])
        rest = type(self)(self.text, self.style, None, **mode, _lines=self.lines[fit:])
        first.spaceAfter = 0
        return [first, rest]

    def getSpaceBefore(self) -> float:  # noqa: N802  # ReportLab's method name
        return float(getattr(self, "spaceBefore", self.style.spaceBefore))

    def getSpaceAfter(self) -> float:  # noqa: N802  # ReportLab's method name
        return float(getattr(self, "spaceAfter", self.style.spaceAfter))

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        space = self._space()
        y = self.height - style.fontSize
        if self.bulletText and self.lines:  # first, as ReportLab's paragraphs do: the label before the body
            self._draw_bullet(canvas, y)
        for line in self.lines:
            self._draw_line(canvas, line, y, space)
            y -= style.leading

    def _draw_bullet(self, canvas: Any, y: float) -> None:
        style = self.style
        font = getattr(style, "bulletFontName", style.fontName)
        size = getattr(style, "bulletFontSize", style.fontSize)
        text = shape_arabic(self.bulletText or "")
        width = stringWidth(text, font, size)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
        x = self.width - style.bulletIndent - width if self.rtl else style.bulletIndent
        canvas.drawString(x, y, text)
        canvas.restoreState()

    def _draw_line(self, canvas: Any, line: list[_Word], y: float, space: float) -> None:
        style = self.style
        chars: list[tuple[str, Any]] = []
        anchors: list[tuple[int, str]] = []
        for index, word in enumerate(line):
            if index and word.space_before:
                last = chars[-1][1] if chars else None
                chars.append((" ", last))
            for name in word.anchors:
                anchors.append((len(chars), name))
            for piece in word.pieces:
                chars.extend((ch, piece.frag) for ch in piece.text)
        text = "".join(ch for ch, _ in chars)
        order = visual_order(text) if self.rtl else list(enumerate(text))
        # Visual runs of one fragment each.
        runs: list[tuple[str, Any, list[int]]] = []
        for index, ch in order:
            frag = chars[index][1]
            if runs and runs[-1][1] is frag:
                runs[-1] = (runs[-1][0] + ch, frag, [*runs[-1][2], index])
            else:
                runs.append((ch, frag, [index]))
        widths = [stringWidth(t, (f or style).fontName, (f or style).fontSize) for t, f, _ in runs]
        total = sum(widths)
        inner_right = self.width - style.rightIndent
        if style.alignment == TA_LEFT:
            x = style.leftIndent
        elif style.alignment == TA_CENTER:
            x = style.leftIndent + (inner_right - style.leftIndent - total) / 2
        else:
            x = inner_right - total
        positions: dict[int, float] = {}
        for (run_text, frag, indices), width in zip(runs, widths, strict=True):
            frag = frag or style
            rise = getattr(frag, "rise", 0) or 0
            canvas.saveState()
            canvas.setFont(frag.fontName, frag.fontSize)
            canvas.setFillColor(frag.textColor)
            canvas.drawString(x, y + rise, run_text)
            if getattr(frag, "us_lines", None):
                canvas.setStrokeColor(frag.textColor)
                canvas.setLineWidth(0.6)
                canvas.line(x, y - 1.5, x + width, y - 1.5)
            canvas.restoreState()
            for kind, target in getattr(frag, "link", None) or []:
                rect = (x, y + rise - 2, x + width, y + rise + frag.fontSize)
                if str(target).startswith("#"):
                    canvas.linkRect("", str(target)[1:], rect, relative=1, thickness=0)
                else:
                    canvas.linkURL(str(target), rect, relative=1, thickness=0)
                del kind
            step = width / max(1, len(indices))
            for offset, index in enumerate(indices):
                positions[index] = x + step * (offset + 1)
            x += width
        for index, name in anchors:
            ax = positions.get(index, positions.get(index - 1, self.width))
            canvas.bookmarkHorizontal(name, ax, y + style.fontSize)


class ScriptParagraph(Tagged, _ScriptLines):
    """A paragraph taking ReportLab paragraph markup and style, set right to left, as CJK, or left to right.

    Left-to-right mode serves paragraphs with long addresses, which ReportLab cuts only once.
    The parts of one split across pages stay one tagged element and keep its bookmark.
    """
