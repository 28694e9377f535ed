"""Brochure + layout → ``FontPlan``: registers each TrueType file once and picks a family per character.

Every character of the content is checked against the layout's font families, in order,
before anything is laid out; one that no family covers is a ``FontCoverageError`` at the
place the character is written. Later families are only loaded when an earlier one lacks
a character, so an English brochure never parses the 4 MB CJK font.
"""

from __future__ import annotations

import bisect
import functools
import json
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
from .spec import FONT_DIR, FontFamily, LayoutSpec

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


# ---------------------------------------------------------------- the per-script font table (fonts/scripts.json)


@dataclass(frozen=True, slots=True)
class ScriptFace:
    """One shipped family for a script, for the languages it is meant for."""

    family: str
    regular: Path
    bold: Path
    langs: tuple[str, ...]
    full: str = ""
    """Where the complete face is, when the shipped file is a subset of the characters in common use."""
    line_height: float = 0.0
    """The least distance between lines the face needs, in multiples of its size (0: the layout's)."""
    outlines: bool = False
    """Its glyphs are drawn as outlines over an invisible text layer set on the baseline: the letters
    of a word rise and fall (Nastaliq), and PDF readers would take each height for a line of its own."""

    def as_family(self) -> FontFamily:
        # No italic face: italic runs keep the upright one (never a slanted smear).
        return FontFamily(self.family, self.regular, self.bold, self.regular, self.bold)


@dataclass(frozen=True, slots=True)
class ScriptEntry:
    """A script: its Unicode ranges, its faces, and what setting it needs."""

    script: str
    ranges: tuple[tuple[int, int], ...]
    faces: tuple[ScriptFace, ...]
    shaping: tuple[str, ...] = ()
    """OpenType script tags a face must have for HarfBuzz to shape the script (empty: none needed)."""
    breaks: str = "space"
    """``space``: lines break at spaces; ``dictionary``: between words found by a segmenter."""

    def face_for(self, lang: str) -> ScriptFace:
        """The face meant for a BCP 47 language (the one marked ``*`` otherwise)."""
        tag = lang.lower()
        for face in self.faces:
            for pattern in face.langs:
                p = pattern.lower()
                if tag == p or tag.startswith(p + "-"):
                    return face
        for face in self.faces:
            if "*" in face.langs:
                return face
        return self.faces[-1]


SCRIPT_TABLE = FONT_DIR / "scripts.json"


@functools.cache
def script_table() -> tuple[ScriptEntry, ...]:
    """The scripts of ``fonts/scripts.json``, read once."""
    data = json.loads(SCRIPT_TABLE.read_text(encoding="utf-8"))
    entries = []
    for item in data["scripts"]:
        ranges = tuple((int(lo, 16), int(hi, 16)) for lo, hi in (text.split("-") for text in item["ranges"]))
        faces = tuple(
            ScriptFace(
                face["family"],
                FONT_DIR / face["regular"],
                FONT_DIR / face.get("bold", face["regular"]),
                tuple(face["langs"]),
                face.get("full", ""),
                float(face.get("line_height", 0.0)),
                bool(face.get("outlines", False)),
            )
            for face in item["faces"]
        )
        entries.append(
            ScriptEntry(item["script"], ranges, faces, tuple(item.get("shaping", ())), item.get("breaks", "space"))
        )
    return tuple(entries)


@functools.cache
def _range_index() -> tuple[list[int], list[tuple[int, ScriptEntry]]]:
    spans = sorted((lo, hi, entry) for entry in script_table() for lo, hi in entry.ranges)
    return [lo for lo, _, _ in spans], [(hi, entry) for _, hi, entry in spans]


def script_of(ch: str) -> ScriptEntry | None:
    """The table's entry for the script a character belongs to (None: Latin, digits, common punctuation)."""
    cp = ord(ch)
    starts, ends = _range_index()
    i = bisect.bisect_right(starts, cp) - 1
    if i >= 0 and cp <= ends[i][0]:
        return ends[i][1]
    return None


SHAPED: set[str] = set()
"""ReportLab names of the faces whose text HarfBuzz shapes (the faces of scripts that need shaping)."""


def needs_shaping(font_name: str) -> bool:
    """Whether text set in this registered face must be shaped by HarfBuzz."""
    return font_name in SHAPED


OUTLINED: set[str] = set()
"""ReportLab names of the faces drawn as outlines over invisible text (``ScriptFace.outlines``)."""
LINE_HEIGHT: dict[str, float] = {}
"""ReportLab names of the faces that need more room between lines: the least leading, per point of size."""


def _ot_scripts(path: Path) -> frozenset[str]:
    """The OpenType script tags of a face's GSUB and GPOS tables."""
    import uharfbuzz

    face = uharfbuzz.Face(uharfbuzz.Blob(path.read_bytes()))
    tags: set[str] = set()
    for table in ("GSUB", "GPOS"):
        tags.update(face.get_table_script_tags(table))
    return frozenset(tags)


def shaping_available() -> bool:
    """Whether HarfBuzz (``uharfbuzz``) can be imported: without it no complex script is set."""
    try:
        import uharfbuzz  # noqa: F401  # only whether it imports
    except ImportError:
        return False
    return True


def plan_fonts(brochure: Brochure, spec: LayoutSpec, extra_text: str = "") -> FontPlan:
    """Check every character against the layout's families, then the per-script table, and register the ones needed.

    Args:
        brochure: the content; its ``characters`` list where each character is first written.
        spec: the layout, whose ``fonts`` list the families in fallback order.
        extra_text: text the layout prints that is not in the content (bullets, digits).

    Raises:
        FontCoverageError: one summary per script that no family covers, or that a family covers
            but cannot shape.
    """
    try:
        return _plan(brochure, spec, extra_text)
    except LayoutSpecError as exc:  # a damaged font: say so at the layout's fonts line too
        where = spec.location_of("fonts.families")
        raise LayoutSpecError([Diagnostic(where, d.message, d.hint) for d in exc.diagnostics]) from None


SHOWN_PLACES = 3
"""How many places a coverage summary lists."""


def _plan(brochure: Brochure, spec: LayoutSpec, extra_text: str) -> FontPlan:
    layout = list(spec.fonts)
    main = layout[0]
    register_family(main)
    families: list[FontFamily] = list(layout)
    used: dict[int, FontFamily] = {0: main}
    fallback: list[tuple[str, int]] = []
    missing: dict[str, list[tuple[str, Location]]] = {}
    shaped: dict[int, ScriptEntry] = {}
    places = list(brochure.characters) + [(ch, brochure.location) for ch in extra_text]
    seen: set[str] = set()
    for ch, location in places:
        if ch in seen or not needs_glyph(ch):
            continue
        seen.add(ch)
        entry = script_of(ch)
        if (entry is None or not entry.shaping) and covers(main.regular, ch):
            continue
        candidates = list(range(1, len(layout))) if entry is None or not entry.shaping else list(range(len(layout)))
        if entry is not None:
            family = entry.face_for(brochure.lang).as_family()
            if family not in families:
                families.append(family)
            candidates.append(families.index(family))
        for index in candidates:
            if covers(families[index].regular, ch):
                if index:
                    fallback.append((ch, index))
                    used[index] = families[index]
                if entry is not None and entry.shaping:
                    shaped.setdefault(index, entry)
                break
        else:
            missing.setdefault(entry.script if entry else _general_script(ch), []).append((ch, location))
    problems = [_coverage_summary(script, chars, brochure, families) for script, chars in missing.items()]
    problems += _shaping_problems(shaped, families, brochure)
    if problems:
        raise FontCoverageError(problems)
    names = []
    for index, family in enumerate(families):
        names.append(register_family(family) if index in used else "")
    for index, entry in shaped.items():
        faces = {register_font(families[index].regular), register_font(families[index].bold)}
        SHAPED.update(faces)
        face = entry.face_for(brochure.lang)
        if face.family == families[index].name:
            if face.outlines:
                OUTLINED.update(faces)
            if face.line_height:
                LINE_HEIGHT.update(dict.fromkeys(faces, face.line_height))
    return FontPlan(
        names=tuple(names),
        bold=register_font(main.bold),
        italic=register_font(main.italic),
        fallback=tuple(sorted(fallback)),
    )


def _general_script(ch: str) -> str:
    """A name for a character no table entry knows: the first word of its Unicode name."""
    name = unicodedata.name(ch, "")
    return name.split(" ")[0].title() if name else f"U+{ord(ch):04X}"


def _coverage_summary(
    script: str, chars: list[tuple[str, Location]], brochure: Brochure, families: list[FontFamily]
) -> Diagnostic:
    """One diagnostic for every character of a script that no family covers."""
    lines = {(loc.file, loc.line) for _, loc in chars}
    tried = ", ".join(dict.fromkeys(f.name for f in families))
    first = chars[0]
    shown = ", ".join(f"'{ch}' (U+{ord(ch):04X}) at {loc}" for ch, loc in chars[:SHOWN_PLACES])
    more = f" and {len(chars) - SHOWN_PLACES} more" if len(chars) > SHOWN_PLACES else ""
    count = f"{len(chars)} character{'s' if len(chars) != 1 else ''}"
    entry = script_of(first[0])
    if entry is not None:
        face = entry.face_for(brochure.lang)
        if face.full:
            hint = (
                f"the shipped {face.family} holds the characters in common use only; put the complete face "
                f"(npm package {face.full}, a static TrueType file) in the layout's folder and add it to "
                "fonts.families, or write the word another way"
            )
        else:
            # a shipped face that has every one of them (Urdu's Nastaliq lacks Sindhi's and Kurdish's letters)
            having = [f for f in (face, *entry.faces) if all(covers(f.regular, ch) for ch, _ in chars)]
            such = having[0].family if having else face.family
            article = "an" if script[:1] in "AEIOU" else "a"
            hint = f"add {article} {script} family that covers them to fonts.families in the layout, such as {such}"
    else:
        hint = f"add a font family that covers {script} to fonts.families in the layout, or remove the characters"
    return Diagnostic(
        first[1],
        f"{script}: {count} on {len(lines)} line{'s' if len(lines) != 1 else ''} not covered by the layout's "
        f"fonts (tried: {tried}): {shown}{more}",
        hint,
    )


def _shaping_problems(
    shaped: dict[int, ScriptEntry], families: list[FontFamily], brochure: Brochure
) -> list[Diagnostic]:
    """A script that needs shaping set in a face without OpenType tables for it, or with no shaping engine."""
    out: list[Diagnostic] = []
    for index, entry in shaped.items():
        place = next((loc for ch, loc in brochure.characters if script_of(ch) is entry), brochure.location)
        family = families[index]
        if not shaping_available():
            out.append(
                Diagnostic(
                    place,
                    f"{entry.script} text needs OpenType shaping, "
                    "and HarfBuzz (the uharfbuzz package) is not installed",
                    "install brochure with its dependencies: pip install .",
                )
            )
            continue
        for path in dict.fromkeys((family.regular, family.bold)):
            if not _ot_scripts(path) & set(entry.shaping):
                out.append(
                    Diagnostic(
                        place,
                        f"{entry.script} text needs OpenType shaping, and font '{path.name}' of {family.name} has no "
                        f"OpenType tables for it (script tags {', '.join(entry.shaping)})",
                        f"use a {entry.script} face with OpenType layout tables, "
                        f"such as {entry.face_for(brochure.lang).family}",
                    )
                )
    return out
