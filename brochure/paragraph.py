"""Paragraph markup → a flowable for scripts ReportLab sets wrongly: right-to-left, complex and CJK scripts.

ReportLab's own right-to-left path needs a package PyPI does not have, and its shaped
Arabic comes out in the wrong word order; its CJK line breaking lets a line start with
a full-width comma; its HarfBuzz shaping shapes a word in the font of the word's first
character, and a face named in ``<font>`` loses the bold of a heading. ``ScriptParagraph``
takes the same markup and style as ``reportlab.platypus.Paragraph`` (parsed by ReportLab's
own ``ParaParser``, with ``<font>`` keeping bold and italic) and breaks lines itself, in
logical order:

* text in a face of a script that needs shaping (``fonts.needs_shaping``: Arabic, Hebrew,
  Indic, Thai, Lao, Khmer, Myanmar) is shaped by HarfBuzz, one run of one face and one
  direction at a time, for measuring and for drawing; the paragraph's text in reading
  order goes into the PDF as ActualText, since shaped glyphs cannot carry it;
* right-to-left: each line is split into level runs with the Unicode bidirectional
  algorithm (``script.bidi_runs``) and drawn right-aligned, bullet on the right;
* CJK: every ideograph is a break opportunity, except that closing punctuation never
  starts a line and opening punctuation never ends one (``script.break_units``);
* Thai, Lao, Khmer and Burmese break between the words ICU finds (``script.dictionary_units``).

Links, anchors, superscripts and underlines are drawn as ReportLab would.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.fonts import ps2tt
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser, _spanAttrMap

from .canvas import Tagged
from .fonts import LINE_HEIGHT, OUTLINED, needs_shaping
from .script import bidi_runs, break_units, dictionary_units, has_rtl, needs_dictionary


class _Parser(ParaParser):  # type: ignore[misc]  # ReportLab is untyped
    """ReportLab's parser, except that ``<font name=...>`` keeps the bold and italic around it.

    The fallback face of a script is named in ``<font>``; ReportLab would set its regular face
    even inside a bold heading or ``<b>``. Here the name stands for its family, and the family's
    bold or italic face is taken as the surrounding text's weight asks.
    """

    def start_font(self, attr: Any) -> None:
        values = self.getAttributes(attr, _spanAttrMap)
        if "fontName" in values:
            top = self._stack[-1]
            values["fontName"] = ps2tt(values["fontName"])[0]
            values["bold"] = getattr(top, "bold", 0)
            values["italic"] = getattr(top, "italic", 0)
        self._push("font", **values)


@functools.lru_cache(maxsize=65536)
def shape(text: str, font_name: str, size: float, rtl: bool) -> tuple[str, float]:
    """A run of one face and one direction → (what to draw, its width), shaped by HarfBuzz where the face needs it.

    The result is ReportLab's ``ShapedStr``: glyphs in visual order with their positions, which
    ``canvas.drawString`` places one by one. Glyphs with no character of their own (conjuncts,
    ligatures) get private-use codes, so the paragraph's text is given as ActualText.
    """
    if not needs_shaping(font_name):  # (every face that sets Arabic or Hebrew letters is shaped)
        if rtl:
            from bidi.mirror import MIRRORED

            clusters: list[str] = []
            for ch in text:  # reversed letter by letter, each combining mark staying after its letter
                if clusters and unicodedata.combining(ch):
                    clusters[-1] += ch
                else:
                    clusters.append(MIRRORED.get(ch, ch))
            text = "".join(reversed(clusters))
        return text, float(stringWidth(text, font_name, size))
    import uharfbuzz
    from reportlab.pdfbase.ttfonts import ShapeData

    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(size)
    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"
    buf.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    face = font.face
    chars: list[str] = []
    data: list[Any] = []
    advance = 0.0
    infos = buf.glyph_infos
    positions = buf.glyph_positions
    marks = _marks(infos, positions, text) if rtl else set()
    outlined = font_name in OUTLINED
    natural = 0.0
    bases = sorted({info.cluster for index, info in enumerate(infos) if index not in marks})
    starts = [*sorted({info.cluster for info in infos}), len(text)]
    cluster_end = dict(itertools.pairwise(starts))
    if marks:  # a letter reads as itself and the vowel marks drawn on it (up to the next letter)
        cluster_end = dict(itertools.pairwise([*bases, len(text)]))
    texts = _CLUSTER_TEXT.setdefault(bytes(face.name).decode("latin-1"), {})
    alone = Counter(info.cluster for index, info in enumerate(infos) if index not in marks)
    read_as = _swapped_letters(infos, text) if rtl else {}
    outlines: list[tuple[int, float, float]] = []
    pen = 0.0

    def hb_advance(gid: int) -> float:
        return float(font.pdfScale(hb_font.get_glyph_h_advance(gid)))

    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        gid = info.codepoint
        if index in marks or outlined:  # drawn as an outline where HarfBuzz puts it (see _marks)
            outlines.append((gid, pen + font.pdfScale(pos.x_offset), font.pdfScale(pos.y_offset)))
        if index in marks:  # no text of its own
            pen += font.pdfScale(pos.x_advance)
            advance += font.pdfScale(pos.x_advance)
            continue
        cluster = read_as.get(index, text[info.cluster : cluster_end.get(info.cluster, len(text))])
        codes = face.glyphToChar.get(gid)
        # A glyph of no character (a joined form, a conjunct) gets a private code. Its width in the
        # font dictionary is the glyph's own advance (hmtx), never the shaped one: PDF/A and PDF/UA
        # require the two to agree, and the shaped advance is carried by the positioning below.
        # In right-to-left runs a glyph reads as exactly what it was drawn for: a letter carrying marks,
        # or a glyph several letters share (ر and ڑ in some faces), gets a private code for that text.
        if rtl:
            own = [c for c in codes or () if chr(c) == cluster]
            carries = any(info.cluster <= infos[m].cluster < cluster_end.get(info.cluster, len(text)) for m in marks)
            name = hb_font.glyph_to_string(gid) + "." + cluster.encode("utf-8").hex()
            code = own[0] if own and not carries else font.hbAddPrivate(name, gid, hb_advance(gid))
        else:
            code = codes[0] if codes else font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, hb_advance(gid))
        # it reads as its cluster's characters; readers reverse those of right-to-left glyphs
        if (alone[info.cluster] == 1 or index in read_as) and chr(code) != cluster:
            texts.setdefault(code, cluster[::-1] if rtl else cluster)
        x_advance = font.pdfScale(pos.x_advance)
        advance += x_advance
        pen += x_advance
        chars.append(chr(code))
        if outlined:  # invisible text: each glyph at its own width on the baseline, scaled to the run's width
            natural += face.charWidths[code]
            data.append(ShapeData(info.cluster, face.charWidths[code], 0.0, 0.0, 0.0, face.charWidths[code]))
            continue
        data.append(
            ShapeData(
                info.cluster,
                x_advance,
                font.pdfScale(pos.y_advance),
                font.pdfScale(pos.x_offset),
                font.pdfScale(pos.y_offset),
                face.charWidths[code],
            )
        )
    if not rtl:  # (marks are only split off right-to-left runs: chars are one per glyph here)
        _learn_cluster_texts(text, infos, chars, cluster_end, texts, hb_font, face)
    shaped = ShapedStr("".join(chars), shapeData=data)
    shaped.outlines = tuple(outlines)  # ReportLab's str subclass takes attributes: the vowel marks to draw
    # and, where its glyphs are drawn as outlines only, the horizontal scale of its invisible text
    shaped.invisible = 100 * advance / natural if outlined and natural else 0.0
    return shaped, advance * size / 1000


def _marks(infos: list[Any], positions: list[Any], text: str) -> set[int]:
    """The marks of a right-to-left run: glyphs without advance drawn for a combining character,
    or sharing the cluster of a glyph that advances (a hamza HarfBuzz splits off its letter).

    They are drawn as outlines, not as text: PDF readers take a raised glyph for a line or a word
    of its own and give the text back broken and out of order. The letter under them reads as
    the letter and its marks instead (its private code maps to them in ToUnicode).
    """
    advancing = {info.cluster for info, pos in zip(infos, positions, strict=True) if pos.x_advance}
    return {
        index
        for index, (info, pos) in enumerate(zip(infos, positions, strict=True))
        if pos.x_advance == 0
        and info.cluster < len(text)
        and (unicodedata.category(text[info.cluster]) == "Mn" or info.cluster in advancing)
    }


def _is_private(code: int) -> bool:
    return 0xE000 <= code <= 0xF8FF


def _learn_cluster_texts(
    text: str,
    infos: list[Any],
    chars: list[str],
    cluster_end: dict[int, int],
    texts: dict[int, str],
    hb_font: Any,
    face: Any,
) -> None:
    """The characters of a glyph of no character of its own that shares its cluster with others.

    A Devanagari cluster such as "मि" is drawn as two glyphs: the letter म (a character of its
    own) and a form of the vowel sign ि chosen for that letter's width (none). What the
    cluster's characters leave once the glyphs that give their own (or characters already
    learnt) are taken out is what the one glyph left stands for; its ToUnicode entry gives
    that, where it would give a private-use code (PDF/A-2u; see ``canvas.glyphs_without_text``).
    Where two or more such glyphs share a cluster ("श्कि": a half form and a vowel sign), the
    cluster is shaped again keeping each glyph's own first character (HarfBuzz's character
    cluster level): each glyph stands for the characters from its own up to the next glyph's.
    """
    members: dict[int, list[int]] = {}
    for index, info in enumerate(infos):
        members.setdefault(info.cluster, []).append(index)
    for cluster, indices in members.items():
        if len(indices) < 2:
            continue
        rest = unicodedata.normalize("NFD", text[cluster : cluster_end.get(cluster, len(text))])
        unknown: list[int] = []
        for index in indices:
            code = ord(chars[index])
            known = texts.get(code) if _is_private(code) else chars[index]
            if known is None:
                unknown.append(code)
                continue
            known = unicodedata.normalize("NFD", known)  # ज़ is one character or two
            rest = rest.replace(known, "", 1)  # a placeholder mark stands for nothing here: nothing to take
        if len(unknown) == 1 and rest:
            texts.setdefault(unknown[0], unicodedata.normalize("NFC", rest))
        elif len(unknown) > 1:
            for code, piece in _glyph_pieces(text[cluster : cluster_end.get(cluster, len(text))], hb_font, face):
                if code in unknown and piece:
                    texts.setdefault(code, piece)


def _glyph_pieces(text: str, hb_font: Any, face: Any) -> list[tuple[int, str]]:
    """``text`` shaped with each glyph keeping its first character's place: (code, the characters it stands for)."""
    import uharfbuzz

    buf = uharfbuzz.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.cluster_level = uharfbuzz.BufferClusterLevel.CHARACTERS
    uharfbuzz.shape(hb_font, buf, {"kern": True, "liga": True})
    infos = buf.glyph_infos
    starts = [*sorted({info.cluster for info in infos}), len(text)]
    ends = dict(itertools.pairwise(starts))
    out: list[tuple[int, str]] = []
    for info in infos:
        codes = face.glyphToChar.get(info.codepoint)
        if codes:
            out.append((codes[-1], text[info.cluster : ends[info.cluster]]))
    return out


def _swapped_letters(infos: list[Any], text: str) -> dict[int, str]:
    """Right-to-left glyphs that a font draws in logical order (the two parts of a lam-alef): what each reads as.

    Readers take right-to-left glyphs from right to left; where HarfBuzz gives a run of one-letter
    glyphs with rising clusters, the rightmost reads as the run's first letter, and so on.
    """
    out: dict[int, str] = {}
    i = 0
    while i < len(infos):
        j = i
        while j + 1 < len(infos) and infos[j + 1].cluster == infos[j].cluster + 1:
            j += 1
        if j > i:
            letters = [text[infos[k].cluster] for k in range(i, j + 1)]
            for k, letter in zip(range(j, i - 1, -1), letters, strict=True):
                out[k] = letter
        i = j + 1
    return out


_CLUSTER_TEXT: dict[str, dict[int, str]] = {}
"""Per face (PostScript name): the characters each private code given to a shaped glyph stands for."""


def _to_unicode(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap for a font subset, with each shaped glyph's private code mapped to its characters.

    So copy-paste and search read a joined Arabic letter or an Indic conjunct as the letters it
    was made from, not as a private-use character.
    """
    texts = _CLUSTER_TEXT.get(fontname.split("+", 1)[-1])
    cmap: str = _ORIGINAL_TO_UNICODE(fontname, subset)
    if not texts or not any(code in texts for code in subset):
        return cmap
    for index, code in enumerate(subset):
        if code in texts:
            utf16 = texts[code].encode("utf-16-be").hex().upper()
            cmap = cmap.replace(f"<{index:02X}> <{code:04X}>", f"<{index:02X}> <{utf16}>")
    return cmap


_ORIGINAL_TO_UNICODE = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode


def measure(text: str, frag: Any) -> float:
    """The width of text in one fragment's face and size, shaped where the face needs it."""
    return shape(text, frag.fontName, frag.fontSize, has_rtl(text))[1]


def is_marker(frag: Any) -> bool:
    """Whether a fragment is a note marker (a superscript)."""
    return bool(getattr(frag, "super", 0) or (getattr(frag, "rise", 0) or 0) > 0)


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
    """Fragments → words (CJK, Thai, Lao, Khmer, Burmese: break units); None stands for a space between words."""
    out: list[_Word | None] = []
    for item in _space_words(frags):
        if item is not None and item.width >= 0 and (cjk or needs_dictionary(_word_text(item))):
            out.extend(_units(item, dictionary=not cjk))
        else:
            out.append(item)
    return out


def _word_text(word: _Word) -> str:
    return "".join(piece.text for piece in word.pieces)


def logical_text(frags: list[Any]) -> str:
    """A paragraph's text in reading (logical) order, unshaped, with its spaces collapsed."""
    text = "".join("\n" if getattr(f, "lineBreak", False) else getattr(f, "text", "") for f in frags)
    return " ".join(text.split())


def _units(word: _Word, dictionary: bool = False) -> list[_Word]:
    """A word of CJK (or Thai, Lao, Khmer, Burmese) text → its line-break units (pieces keep their fragments)."""
    chars = [(ch, piece.frag) for piece in word.pieces for ch in piece.text]
    text = "".join(ch for ch, _ in chars)
    units: list[str] = []
    position = 0
    for unit in dictionary_units(text) if dictionary else break_units(text):
        if units and is_marker(chars[position][1]):  # a note marker travels with the character before it
            units[-1] += unit
        else:
            units.append(unit)
        position += len(unit)
    out: list[_Word] = []
    position = 0
    for unit in units:
        pieces: list[_Piece] = []
        for ch, frag in chars[position : position + len(unit)]:
            if pieces and pieces[-1].frag is frag:
                pieces[-1] = _Piece(pieces[-1].text + ch, frag, 0.0)
            else:
                pieces.append(_Piece(ch, frag, 0.0))
        for piece in pieces:
            piece.width = measure(piece.text, piece.frag)
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
            width = measure(token, frag)
            if current is None:
                current = _Word([], anchors, 0.0, bool(out) and out[-1] is None)
                anchors = []
            current.pieces.append(_Piece(token, frag, width))
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
    widths = [measure(ch, frag) for ch, frag in chars]
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
    forced = False
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
            forced = True
            continue
        forced = False
        extra = item.width + (space if line and item.space_before else 0.0)
        if line and used + extra > width:
            lines.append(line)
            line, used = [item], item.width
        else:
            line.append(item)
            used += extra
    if line or not lines:
        lines.append(line)
    if len(lines) > 1 and not forced:
        _pull_runt(lines[-2], lines[-1])
    return lines


RUNT = 3
"""A last line of fewer characters than this takes break units from the line before it."""


def _pull_runt(before: list[_Word], last: list[_Word]) -> None:
    """Give a paragraph's runt last line (``に`` alone under a Japanese title) units of the line before.

    Space-separated text binds its last two words before breaking (``bind_last_words``); text
    broken into units (CJK, Thai) has no spaces to bind, so its last line is balanced here:
    units move down while the last line is shorter than :data:`RUNT` characters and the line
    before keeps more than it gives.
    """

    def chars(words: list[_Word]) -> int:
        return sum(len(_word_text(w).strip()) for w in words)

    while last and len(before) > RUNT and chars(last) < RUNT and not last[0].space_before:
        last.insert(0, before.pop())


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _ScriptLines(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """The lines of a :class:`ScriptParagraph`: breaking, splitting and drawing, without tagging."""

    draws_links_itself = True
    """Each link's words are drawn as text objects of their own, put into its Link element here."""

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
        self.actual = False
        self.leading = float(style.leading)
        """The distance between lines: the style's, or more where a face needs it (``fonts.LINE_HEIGHT``)."""
        if _lines is None:
            _, frags, _ = _Parser().parse(text, style)
            self._items = _words(frags, cjk=cjk)
            # Shaped glyphs, or glyphs in visual order: give search and assistive technology the text itself.
            self.actual = rtl or any(needs_shaping(f.fontName) for f in frags if hasattr(f, "fontName"))
            needs = [LINE_HEIGHT.get(f.fontName, 0.0) * f.fontSize for f in frags if hasattr(f, "fontName")]
            self.leading = max([self.leading, *needs])
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
        self.height = len(self.lines) * self.leading
        return (available_width, self.height)

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        self.wrap(available_width, available_height)
        fit = int(available_height // self.leading)
        total = len(self.lines)
        if fit >= total:
            return [self]
        if total < 4 or fit < 2:
            return []
        fit = min(fit, total - 2)
        mode = {"rtl": self.rtl, "cjk": self.cjk}
        first = type(self)(self.text, self.style, self.bulletText, **mode, _lines=self.lines[:fit])
        rest = type(self)(self.text, self.style, None, **mode, _lines=self.lines[fit:])
        first.actual = rest.actual = self.actual
        first.leading = rest.leading = self.leading
        first.spaceAfter = 0
        return [first, rest]

    def getSpaceBefore(self) -> float:  # noqa: N802  # ReportLab's method name
        return float(getattr(self, "spaceBefore", self.style.spaceBefore))

    def getSpaceAfter(self) -> float:  # noqa: N802  # ReportLab's method name
        return float(getattr(self, "spaceAfter", self.style.spaceAfter))

    def first_baseline(self) -> float:
        """How far below the top the first line's baseline lies (after ``wrap``).

        A line taller than the style's leading (Nastaliq) gets its extra room mostly above it.
        """
        return float(self.style.fontSize + 0.75 * (self.leading - self.style.leading))

    def draw(self) -> None:
        canvas = self.canv
        space = self._space()
        y = self.height - self.first_baseline()
        if self.bulletText and self.lines:  # first, as ReportLab's paragraphs do: the label before the body
            self._draw_bullet(canvas, y)
        for line in self.lines:
            self._draw_line(canvas, line, y, space)
            y -= self.leading

    def _draw_bullet(self, canvas: Any, y: float) -> None:
        style = self.style
        font = getattr(style, "bulletFontName", style.fontName)
        size = getattr(style, "bulletFontSize", style.fontSize)
        text, width = shape(self.bulletText or "", font, size, False)
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
        x = self.width - style.bulletIndent - width if self.rtl else style.bulletIndent
        canvas.drawString(x, y, text)
        canvas.restoreState()

    def _words_lang(self, text: str) -> str:
        """``tag_words_lang`` for a run of Latin words (two letters or more, no letter of another script), else ""."""
        lang: str = getattr(self, "tag_words_lang", "")
        if not lang or not _LATIN_WORD.search(text):
            return ""
        return "" if any(ch.isalpha() and ord(ch) >= 0x250 for ch in text) else lang

    def _draw_line(self, canvas: Any, line: list[_Word], y: float, space: float) -> None:
        style = self.style
        chars: list[tuple[str, Any]] = []
        anchors: list[tuple[int, str]] = []
        for index, word in enumerate(line):
            if index and word.space_before:
                last = chars[-1][1] if chars else None
                following = word.pieces[0].frag if word.pieces else None
                link = getattr(last, "link", None)
                if link and getattr(following, "link", None) != link:  # a link's underline ends with its words
                    last = following
                chars.append((" ", last))
            for name in word.anchors:
                anchors.append((len(chars), name))
            for piece in word.pieces:
                chars.extend((ch, piece.frag) for ch in piece.text)
        text = "".join(ch for ch, _ in chars)
        if self.rtl or any("\u0590" <= ch <= "\u08ff" or "\ufb1d" <= ch <= "\ufefc" for ch in text):
            markers = frozenset(i for i, (_, frag) in enumerate(chars) if frag is not None and is_marker(frag))
            level_runs = bidi_runs(text, self.rtl, markers)
        else:
            level_runs = [(0, len(text), 0)]
        # Visual runs of one fragment and one direction each, shaped as a whole.
        runs: list[tuple[str, Any, list[int]]] = []
        widths: list[float] = []
        actual: list[str] = []
        for start, end, level in level_runs:
            parts: list[tuple[int, int]] = []
            i = start
            while i < end:
                j = i + 1
                while j < end and chars[j][1] is chars[i][1]:
                    j += 1
                parts.append((i, j))
                i = j
            rtl = level % 2 == 1
            for i, j in reversed(parts) if rtl else parts:
                frag = chars[i][1] or style
                drawn, width = shape(text[i:j], frag.fontName, frag.fontSize, rtl)
                indices = list(range(i, j))
                runs.append((drawn, chars[i][1], indices[::-1] if rtl else indices))
                # What copy-paste and search read for a shaped run (its glyphs may have no character of
                # their own): its characters, in the visual order PDF readers expect of drawn text.
                # Right-to-left runs need none: readers reorder drawn glyphs themselves, and each shaped
                # glyph maps back to its characters (see _to_unicode).
                actual.append(text[i:j] if not rtl and isinstance(drawn, ShapedStr) else "")
                widths.append(width)
        positions: dict[int, float] = {}
        total = sum(widths)
        inner_right = self.width - style.rightIndent
        if style.alignment == TA_LEFT:
            x = style.leftIndent
        elif style.alignment == TA_CENTER:
            x = style.leftIndent + (inner_right - style.leftIndent - total) / 2
        else:
            x = inner_right - total
        links: list[Any] = [getattr(f, "link", None) or None for _, f, _ in runs]
        for number, ((run_text, frag, indices), width, run_actual) in enumerate(zip(runs, widths, actual, strict=True)):
            frag = frag or style
            rise = getattr(frag, "rise", 0) or 0
            tags = getattr(canvas, "tags", None) if links[number] else None
            last_of_link = number + 1 == len(runs) or links[number + 1] != links[number]
            if tags is not None and (number == 0 or links[number - 1] != links[number]):
                # the link's words (its runs side by side on this line) go into one Link element,
                # with their text in reading order
                same = number
                while same < len(runs) and links[same] == links[number]:
                    same += 1
                logical = "".join(chars[i][0] for i in sorted(i for _, _, run in runs[number:same] for i in run))
                goes_to = str(links[number][0][1]).lstrip("#")
                tags.link_words(True, actual=unicodedata.normalize("NFKC", logical) if self.rtl else "", target=goes_to)
            canvas.saveState()
            canvas.setFont(frag.fontName, frag.fontSize)
            canvas.setFillColor(frag.textColor)
            words_lang = self._words_lang("".join(chars[i][0] for i in indices))
            if words_lang:  # Latin words in a brochure of another script: a span in their language
                canvas._code.append(f"/Span <</Lang ({words_lang})>> BDC")  # noqa: SLF001  # no ReportLab call
            if run_actual:
                canvas._code.append(f"/Span <</ActualText {_pdf_text(run_actual)}>> BDC")  # noqa: SLF001  # no ReportLab call
            scale = getattr(run_text, "invisible", 0.0)
            if scale:  # a face drawn as outlines (Nastaliq): its text is invisible, on the baseline, for search
                hidden = canvas.beginText(x, y + rise)
                hidden.setTextRenderMode(3)
                hidden.setHorizScale(scale)
                hidden.textOut(run_text)
                canvas.drawText(hidden)
            else:
                canvas.drawString(x, y + rise, run_text)
            for gid, mark_x, mark_y in getattr(run_text, "outlines", ()):
                _draw_outline(
                    canvas,
                    frag.fontName,
                    frag.fontSize,
                    gid,
                    x + mark_x * frag.fontSize / 1000,
                    y + rise + mark_y * frag.fontSize / 1000,
                )
            if run_actual:
                canvas._code.append("EMC")  # noqa: SLF001  # as above
            if words_lang:
                canvas._code.append("EMC")  # noqa: SLF001  # as above
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
            if tags is not None and last_of_link:
                tags.link_words(False)
            step = width / max(1, len(indices))
            for offset, index in enumerate(indices):
                positions[index] = x + step * (offset + 1)
            x += width
        for index, name in anchors:
            ax = positions.get(index, positions.get(index - 1, self.width))
            canvas.bookmarkHorizontal(name, ax, y + style.fontSize)


@functools.lru_cache(maxsize=4096)
def _outline(font_name: str, gid: int) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """A glyph's outline in font units, as path operations (move, line, cubic curve, close)."""
    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(10)
    ops: list[tuple[str, tuple[float, ...]]] = []
    last = (0.0, 0.0)

    class Pen:
        def moveTo(self, p: tuple[float, float]) -> None:  # noqa: N802  # the pen protocol's names
            nonlocal last
            ops.append(("m", p))
            last = p

        def lineTo(self, p: tuple[float, float]) -> None:  # noqa: N802  # as above
            nonlocal last
            ops.append(("l", p))
            last = p

        def curveTo(self, a: tuple[float, float], b: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802  # as above
            nonlocal last
            ops.append(("c", (*a, *b, *p)))
            last = p

        def qCurveTo(self, a: tuple[float, float], p: tuple[float, float]) -> None:  # noqa: N802  # as above
            nonlocal last
            # a quadratic curve as the cubic that draws it
            c1 = (last[0] + 2 / 3 * (a[0] - last[0]), last[1] + 2 / 3 * (a[1] - last[1]))
            c2 = (p[0] + 2 / 3 * (a[0] - p[0]), p[1] + 2 / 3 * (a[1] - p[1]))
            ops.append(("c", (*c1, *c2, *p)))
            last = p

        def closePath(self) -> None:  # noqa: N802  # as above
            ops.append(("h", ()))

    hb_font.draw_glyph_with_pen(gid, Pen())
    return tuple(ops)


def _draw_outline(canvas: Any, font_name: str, size: float, gid: int, x: float, y: float) -> None:
    """A glyph drawn as a filled path at (x, y), in the current fill colour (a vowel mark: see ``_marks``)."""
    ops = _outline(font_name, gid)
    if not ops:
        return
    scale = size / pdfmetrics.getFont(font_name).hbFace.upem
    path = canvas.beginPath()
    for op, values in ops:
        points = [x + v * scale if i % 2 == 0 else y + v * scale for i, v in enumerate(values)]
        if op == "m":
            path.moveTo(*points)
        elif op == "l":
            path.lineTo(*points)
        elif op == "c":
            path.curveTo(*points)
        else:
            path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _pdf_text(text: str) -> str:
    """A text string for a PDF content stream: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class ScriptParagraph(Tagged, _ScriptLines):
    """A paragraph taking ReportLab paragraph markup and style, set right to left, as CJK, or left to right.

    Left-to-right mode serves paragraphs with long addresses, which ReportLab cuts only once.
    The parts of one split across pages stay one tagged element and keep its bookmark.
    """

    @property  # Tagged's plain attribute, computed here from the lines
    def tag_actual(self) -> str:
        """The text of this part's own lines in reading order, where the drawn glyphs cannot give it."""
        if not self.actual:
            return ""
        out: list[str] = []
        for line in self.lines:
            for index, word in enumerate(line):
                if out and (index or word.space_before) and word.space_before:
                    out.append(" ")
                out.extend(piece.text for piece in word.pieces)
        return "".join(out)

    @tag_actual.setter
    def tag_actual(self, value: str) -> None:
        del value  # the parts of a split each give the text of their own lines
