"""Brochure + layout → ``FontPlan``: registers each TrueType file once and picks a family per character.

Every character of the content is checked against the layout's font families, in order,
before anything is laid out; one that no family covers is a ``FontCoverageError`` at the
place the character is written. Later families are only loaded when an earlier one lacks
a character, so an English brochure never parses the 4 MB CJK font.
"""

from __future__ import annotations

import struct
import unicodedata
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFNameBytes, TTFont, TTFontFace

from . import cache
from .errors import Diagnostic, FontCoverageError, LayoutSpecError, Location
from .model import Brochure
from .spec import FontFamily, LayoutSpec

_REGISTERED: dict[Path, str] = {}
_CMAPS: dict[Path, frozenset[int]] = {}
_FAMILIES: dict[tuple[Path, Path, Path, Path], str] = {}

IGNORABLE = (
    {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x00AD}
    | set(range(0x202A, 0x202F))
    | set(range(0x2066, 0x206A))
)
"""Format characters that print nothing: they need no glyph."""


def register_font(path: Path) -> str:
    """Register one TrueType file with ReportLab (once per process); returns its font name."""
    name = _REGISTERED.get(path)
    if name is None:
        name = "B-" + path.stem
        try:
            font = load_font(name, path)
        # A damaged file can fail anywhere in ReportLab's parser (struct.error on a short
        # table, AttributeError on a missing name): every failure is the font's fault.
        except (TTFError, OSError, struct.error, AttributeError, ValueError, KeyError, IndexError) as exc:
            raise LayoutSpecError.at(Location(str(path)), f"cannot use font file: {exc}") from None
        pdfmetrics.registerFont(font)
        _CMAPS[path] = frozenset(font.face.charToGlyph)
        _REGISTERED[path] = name
    return name


FROM_FILE = ("_ttf_data", "_pdfScale", "filename")
"""A parsed face's attributes that are not kept in the cache: the file's bytes, a function, the path."""


def load_font(name: str, path: Path) -> TTFont:
    """``TTFont(name, path)``, with the parsed tables taken from the cache when they are there.

    ReportLab parses a TrueType file in pure Python on every run; the result is plain data,
    kept by ``brochure.cache`` under the file's path, size and modification time.
    """
    stat = path.stat()
    key = f"ttf|{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{reportlab.Version}"
    state = cache.load("fonts", key)
    if isinstance(state, dict):
        try:
            return _font_from_state(name, path, state)
        except (KeyError, TypeError, ValueError, AttributeError):
            pass  # not what this version stores: parse the file again
    font = TTFont(name, str(path))
    cache.store("fonts", key, _state_of(font.face))
    return font


def _state_of(face: TTFontFace) -> dict[str, Any]:
    """A parsed face as plain data: its attributes, with ReportLab's name strings as text."""
    attributes = {k: v for k, v in vars(face).items() if k not in FROM_FILE}
    names = sorted(k for k, v in attributes.items() if isinstance(v, TTFNameBytes))
    for k in names:
        attributes[k] = attributes[k].ustr
    return {"attributes": attributes, "names": names}


def _font_from_state(name: str, path: Path, state: dict[str, Any]) -> TTFont:
    """The ``TTFont`` that ``TTFont(name, path)`` makes, built from a cached face (as ReportLab 4.2-5.x does)."""
    attributes = dict(state["attributes"])
    for k in state["names"]:
        attributes[k] = TTFNameBytes(attributes[k].encode("utf-8"))
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(attributes)
    face.filename = str(path)
    face._ttf_data = path.read_bytes()  # noqa: SLF001  # what the parser would have read: subsets are cut from it
    face._pdfScale = _scale(int(attributes["unitsPerEm"]))  # noqa: SLF001  # as the parser sets it
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable  # noqa: SLF001  # TTFont.__init__'s default
    font.shapable = not any(fnmatch(name, pattern) for pattern in rl_config.unShapedFontGlob)
    return font


def _scale(units_per_em: int) -> Any:
    """Font units to PDF's thousandths of an em."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def register_family(family: FontFamily) -> str:
    """Register a family's four faces so ``<b>`` and ``<i>`` pick the right file; returns its name."""
    key = (family.regular, family.bold, family.italic, family.bold_italic)
    name = _FAMILIES.get(key)
    if name is None:
        regular = register_font(family.regular)
        bold = register_font(family.bold)
        italic = register_font(family.italic)
        bold_italic = register_font(family.bold_italic)
        pdfmetrics.registerFontFamily(regular, normal=regular, bold=bold, italic=italic, boldItalic=bold_italic)
        name = _FAMILIES[key] = regular
    return name


def covers(path: Path, ch: str) -> bool:
    """Whether the font file has a glyph for ``ch``."""
    register_font(path)
    return ord(ch) in _CMAPS[path]


@dataclass(frozen=True, slots=True)
class FontPlan:
    """The registered families, in fallback order, and which family sets which character."""

    names: tuple[str, ...]
    """ReportLab font name of each family's regular face; names[0] is the main face."""
    bold: str
    italic: str
    fallback: tuple[tuple[str, int], ...]
    """Characters the main family lacks, each with the index of the family that has it."""
    _family: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # family_of runs for every character set: look it up, never rebuild the table.
        object.__setattr__(self, "_family", dict(self.fallback))

    @property
    def main(self) -> str:
        return self.names[0]

    def family_of(self, ch: str) -> int:
        """Index of the family that sets ``ch`` (0 for the main family)."""
        return self._family.get(ch, 0)


def needs_glyph(ch: str) -> bool:
    """Whether a character must be drawn with a glyph (not white space or a format mark)."""
    cp = ord(ch)
    if cp in IGNORABLE or ch in "\n\t ":
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def plan_fonts(brochure: Brochure, spec: LayoutSpec, extra_text: str = "") -> FontPlan:
    """Check every character against the layout's families and register the ones needed.

    Args:
        brochure: the content; its ``characters`` list where each character is first written.
        spec: the layout, whose ``fonts`` list the families in fallback order.
        extra_text: text the layout prints that is not in the content (bullets, digits).

    Raises:
        FontCoverageError: one diagnostic per character no family covers.
    """
    try:
        return _plan(brochure, spec, extra_text)
    except LayoutSpecError as exc:  # a damaged font: say so at the layout's fonts line too
        where = spec.location_of("fonts.families")
        raise LayoutSpecError([Diagnostic(where, d.message, d.hint) for d in exc.diagnostics]) from None


def _plan(brochure: Brochure, spec: LayoutSpec, extra_text: str) -> FontPlan:
    families = spec.fonts
    main = families[0]
    register_family(main)
    used: dict[int, FontFamily] = {0: main}
    fallback: list[tuple[str, int]] = []
    problems: list[Diagnostic] = []
    places = list(brochure.characters) + [(ch, brochure.location) for ch in extra_text]
    seen: set[str] = set()
    for ch, location in places:
        if ch in seen or not needs_glyph(ch):
            continue
        seen.add(ch)
        for index, family in enumerate(families):
            if covers(family.regular, ch):
                if index:
                    fallback.append((ch, index))
                    used[index] = family
                break
        else:
            tried = ", ".join(f.name for f in families)
            name = unicodedata.name(ch, "unnamed character")
            problems.append(
                Diagnostic(
                    location,
                    f"character '{ch}' (U+{ord(ch):04X} {name}) is not covered by any font (tried: {tried})",
                    "add a font family that covers it to fonts.families in the layout, or remove the character",
                )
            )
    if problems:
        raise FontCoverageError(problems)
    names = []
    for index, family in enumerate(families):
        names.append(register_family(family) if index in used else "")
    return FontPlan(
        names=tuple(names),
        bold=register_font(main.bold),
        italic=register_font(main.italic),
        fallback=tuple(sorted(fallback)),
    )
