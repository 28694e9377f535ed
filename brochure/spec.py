"""``layouts/*.yaml`` → a frozen ``LayoutSpec``: every design choice, each declared once.

Each field of ``LayoutSpec`` names, in its metadata, where it is written in the YAML
(``group.key``), what kind of value it takes and what it does; validation, defaults and the
``brochure layouts --fields`` documentation all come from those declarations.
"""

from __future__ import annotations

import math
import os
import re
import struct
from dataclasses import MISSING, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import Diagnostic, LayoutSpecError, Location
from .source import Mapping, Node, Scalar, Sequence, describe, load_yaml

PACKAGE_DIR = Path(__file__).resolve().parent
FONT_DIR = PACKAGE_DIR / "fonts"
LAYOUT_DIRS: tuple[Path, ...] = (
    *((PACKAGE_DIR.parent / "layouts",) if (PACKAGE_DIR.parent / "pyproject.toml").is_file() else ()),
    PACKAGE_DIR / "layouts",
)
"""Where named layouts are found: the source tree's ``layouts/`` (a checkout, or an editable
install), then the copy a built wheel carries. An installed package never looks beside itself
in site-packages, where another package's ``layouts/`` folder could be."""

INCH = 72.0
MAX_PAGE = 200 * INCH
"""The largest page side PDF readers accept (14,400 pt)."""
MAX_EXTENDS = 16
"""Layouts an ``extends:`` chain may pass through."""
_UNITS = {"pt": 1.0, "in": INCH, "mm": INCH / 25.4, "cm": INCH / 2.54, "pc": 12.0}
PAGE_SIZES = {
    "letter": (8.5 * INCH, 11 * INCH),
    "legal": (8.5 * INCH, 14 * INCH),
    "half-letter": (5.5 * INCH, 8.5 * INCH),
    "a4": (595.2756, 841.8898),
    "a5": (419.5276, 595.2756),
}


@dataclass(frozen=True, slots=True)
class FontFamily:
    """One family of TrueType files; the first family is the main text face."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def _f(path: str, kind: str, default: Any, doc: str, **extra: Any) -> Any:
    return field(default=default, metadata={"path": path, "kind": kind, "doc": doc, **extra})


DEFAULT_FAMILIES = (
    ("Noto Sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"),
)


def _default_families() -> tuple[FontFamily, ...]:
    out = []
    for name, regular, bold, italic, bold_italic in DEFAULT_FAMILIES:
        r = FONT_DIR / regular
        b = FONT_DIR / bold if bold else r
        out.append(
            FontFamily(name, r, b, FONT_DIR / italic if italic else r, FONT_DIR / bold_italic if bold_italic else b)
        )
    return tuple(out)


@dataclass(frozen=True, slots=True)
class LayoutSpec:
    """Everything a designer tunes; lengths in points, colours as '#rrggbb'."""

    name: str = "default"
    grayscale: bool = False
    """Set by ``to_grayscale``: pictures are drawn in grays too."""
    cmyk: bool = False
    """Set for print-shop output: colours and pictures are converted to CMYK (``conformance.CMYK``)."""
    source: str = "<built-in>"
    sources: tuple[str, ...] = ()
    """The layout files read: this one, then each one it extends."""
    locations: tuple[tuple[str, Location], ...] = ()
    """Where each field was set (``colors.text`` → layouts/default.yaml:38:9), for messages."""
    description: str = _f("description", "text", "", "One line shown by `brochure layouts`.")
    page_size: tuple[float, float] = _f(
        "page.size",
        "page_size",
        PAGE_SIZES["letter"],
        "letter, a4, a5, half-letter, legal, or 'WIDTH x HEIGHT' with units (5.5in x 8.5in).",
    )
    orientation: str = _f(
        "page.orientation", "choice", "portrait", "portrait or landscape.", choices=("portrait", "landscape")
    )
    margin_top: float = _f("page.margin_top", "length", 0.8 * INCH, "Space above the text block.")
    margin_bottom: float = _f(
        "page.margin_bottom", "length", 0.95 * INCH, "Space below the text block (the footer sits in it)."
    )
    margin_left: float = _f("page.margin_left", "length", 1.15 * INCH, "Space left of the text block.")
    margin_right: float = _f("page.margin_right", "length", 1.15 * INCH, "Space right of the text block.")
    pad_to: int = _f(
        "page.pad_to",
        "integer",
        2,
        "Pad the page count to a multiple of this (2: even; 4: booklets).",
        minimum=1,
        maximum=32,
    )
    max_pages: int = _f(
        "page.max_pages", "integer", 0, "Fixed page count (6 for a tri-fold's panels); 0 for no limit.", minimum=0
    )
    fold_in_width: float = _f(
        "page.fold_in_width", "length", 0.0, "Tri-fold: width of the narrower fold-in panels (pages 2 and 5)."
    )
    back_pages: int = _f(
        "page.back_pages",
        "integer",
        1,
        "Pages the contact block may take at the end (2 lets a long one start on the page before the back).",
        minimum=1,
    )
    sheet: tuple[float, float] = _f(
        "page.sheet",
        "page_size",
        (0.0, 0.0),
        "Booklets: the paper the pages are imposed on (turned landscape); by default twice the page.",
    )
    footer: bool = _f("page.footer", "bool", True, "Print the running footer with page numbers.")
    contents: bool = _f("page.contents", "bool", True, "Print the contents list on the cover.")
    cover_band: float = _f(
        "page.cover_band", "number", 0.5, "Share of the cover's height taken by the colour band.", minimum=0, maximum=1
    )
    body_size: float = _f("type.body_size", "number", 12.0, "Body text size in points.", minimum=6)
    min_body_size: float = _f(
        "type.min_body_size", "number", 12.0, "The smallest body size this layout promises readers (check).", minimum=6
    )
    body_leading: float = _f("type.body_leading", "number", 17.0, "Distance between body lines in points.", minimum=6)
    title_size: float = _f("type.title_size", "number", 40.0, "Cover title size.", minimum=6)
    subtitle_size: float = _f("type.subtitle_size", "number", 18.0, "Cover subtitle size.", minimum=6)
    heading_size: float = _f("type.heading_size", "number", 21.0, "Section heading size.", minimum=6)
    subheading_size: float = _f("type.subheading_size", "number", 15.0, "Subheading size.", minimum=6)
    callout_size: float = _f("type.callout_size", "number", 13.0, "Call-out text size.", minimum=6)
    small_size: float = _f("type.small_size", "number", 10.0, "Notes and footer size.", minimum=6)
    contact_heading_size: float = _f(
        "type.contact_heading_size", "number", 27.0, "Heading of the back page's contact block.", minimum=6
    )
    contact_value_size: float = _f(
        "type.contact_value_size", "number", 19.0, "Phone numbers on the back page.", minimum=6
    )
    space_paragraph: float = _f("space.paragraph", "length", 8.0, "Space after a paragraph.")
    space_section: float = _f("space.section", "length", 20.0, "Space before a section heading.")
    space_item: float = _f("space.item", "length", 4.0, "Space between list items.")
    list_indent: float = _f("space.list_indent", "length", 20.0, "Hanging indent of list items.")
    callout_padding: float = _f("space.callout_padding", "length", 12.0, "Padding inside a call-out box.")
    bullet: str = _f("text.bullet", "text", "\u2022", "Bullet character.")
    target_grade: float = _f(
        "text.target_grade", "number", 8.0, "Reading grade (Flesch-Kincaid) a section should not exceed.", minimum=1
    )
    hyphenate: bool = _f("text.hyphenate", "bool", True, "Hyphenate long words where a dictionary exists.")
    quotes: bool = _f(
        "text.quotes",
        "bool",
        True,
        "Typographic quotes and apostrophes in prose, as the language writes them (never in addresses or numbers).",
    )
    color_text: str = _f("colors.text", "color", "#1c1c1c", "Body text.")
    color_muted: str = _f("colors.muted", "color", "#4a4a4a", "Footer and secondary text.")
    color_accent: str = _f("colors.accent", "color", "#0b5560", "Headings, rules, cover band.")
    color_on_accent: str = _f("colors.on_accent", "color", "#ffffff", "Text on the accent colour.")
    color_accent_light: str = _f("colors.accent_light", "color", "#e6f1f2", "Tinted panels.")
    color_band: str = _f(
        "colors.band",
        "color",
        "",
        "The cover's colour band (default: the accent colour); grayscale output prints it as a light tint.",
    )
    color_callout_bg: str = _f("colors.callout_background", "color", "#fdf1e4", "Call-out background.")
    color_callout_rule: str = _f("colors.callout_rule", "color", "#b04a12", "Call-out side rule and title.")
    color_link: str = _f("colors.link", "color", "#0b4c84", "Link text.")
    color_draft: str = _f("colors.draft", "color", "#b3261e", "The DRAFT mark on unreviewed translations.")
    fonts: tuple[FontFamily, ...] = _f(
        "fonts.families",
        "fonts",
        (),
        "Font families in fallback order: a list of {name, regular, bold, italic, bold_italic} TrueType files.",
    )
    notes_columns: int = _f(
        "notes.columns",
        "integer",
        2,
        "Columns of the Notes list (2 sets them side by side where each column is at least 2.4 in wide).",
        minimum=1,
        maximum=2,
    )
    notes_urls: str = _f(
        "notes.urls",
        "choice",
        "full",
        "full: print each web address in full; site: print only its site (nida.nih.gov), the link keeps it all.",
        choices=("full", "site"),
    )
    qr_size: float = _f(
        "qr.size", "length", 1.15 * INCH, "QR code size including its quiet zone (at least 2 cm of code)."
    )
    imposition: str = _f(
        "imposition",
        "choice",
        "none",
        "none, booklet (2-up saddle stitch) or trifold (six panels on two sides of a sheet).",
        choices=("none", "booklet", "trifold"),
    )

    @property
    def band(self) -> str:
        """The cover band's colour: ``colors.band``, else the accent colour."""
        return self.color_band or self.color_accent

    @property
    def page_width(self) -> float:
        w, h = self.page_size
        return max(w, h) if self.orientation == "landscape" else min(w, h)

    @property
    def page_height(self) -> float:
        w, h = self.page_size
        return min(w, h) if self.orientation == "landscape" else max(w, h)

    def input_files(self) -> tuple[Path, ...]:
        """Every file the layout reads (its own, those it extends, its fonts): an output must be none of them."""
        fonts = {path for f in self.fonts for path in (f.regular, f.bold, f.italic, f.bold_italic)}
        return (*(Path(source) for source in self.sources), *sorted(fonts))

    def location_of(self, path: str) -> Location:
        """Where a field was set, or the layout file itself when it has its default value."""
        return dict(self.locations).get(path, Location(self.source))

    @property
    def superscript_size(self) -> float:
        """Size of note numbers in the text: three quarters of the body size, never below 8 pt."""
        return max(8.0, round(self.body_size * 0.75, 1))

    @property
    def frame_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right


def spec_fields() -> list[tuple[str, str, str, Any]]:
    """(yaml path, kind, description, default) for every layout field, in declared order."""
    out = []
    for f in fields(LayoutSpec):
        if "path" in f.metadata:
            out.append((f.metadata["path"], f.metadata["kind"], f.metadata["doc"], f.default))
    return out


_BY_PATH = {f.metadata["path"]: f for f in fields(LayoutSpec) if "path" in f.metadata}
_GROUPS = sorted({p.split(".")[0] for p in _BY_PATH})
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|in|mm|cm|pc)?\s*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def parse_length(text: str) -> float | None:
    """Points from '0.75in', '2cm', '18mm', '12pt' or a bare number of points; None if not a length."""
    m = _LENGTH.match(text)
    if not m:
        return None
    return float(m.group(1)) * _UNITS[m.group(2) or "pt"]


class _Loader:
    def __init__(self) -> None:
        self.problems: list[Diagnostic] = []

    def err(self, loc: Location, msg: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic(loc, msg, hint))

    def scalar(self, node: Node, path: str) -> str | None:
        if not isinstance(node, Scalar) or node.null:
            self.err(node.location, f"{path} must be a value, found {describe(node)}")
            return None
        for offset, ch in enumerate(node.value):
            if (ord(ch) < 32 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0 or 0xD800 <= ord(ch) < 0xE000:
                self.err(node.location_of(offset, ch), f"control character U+{ord(ch):04X} is not allowed in {path}")
                return None
        return node.value.strip()

    def value(self, path: str, node: Node, base: Path) -> Any:
        meta = _BY_PATH[path].metadata
        kind = meta["kind"]
        if kind == "fonts":
            return self.fonts(node, base)
        text = self.scalar(node, path)
        if text is None:
            return None
        if kind == "text":
            return text
        if kind == "bool":
            if text in ("yes", "true", "no", "false"):
                return text in ("yes", "true")
            self.err(node.location, f"{path} must be yes or no, found '{text}'")
            return None
        if kind == "choice":
            if text in meta["choices"]:
                return text
            self.err(node.location, f"{path} must be one of {', '.join(meta['choices'])}, found '{text}'")
            return None
        if kind == "color":
            if _COLOR.match(text):
                return text.lower()
            self.err(node.location, f"{path} must be a colour like #1a2b3c, found '{text}'")
            return None
        if kind == "page_size":
            if text.lower() in PAGE_SIZES:
                return PAGE_SIZES[text.lower()]
            parts = re.split(r"\s*[x×]\s*", text)
            dims = [parse_length(p) for p in parts] if len(parts) == 2 else [None]
            sides = [d for d in dims if d is not None and d > 0]
            if len(sides) == 2 and max(sides) <= MAX_PAGE:
                return (sides[0], sides[1])
            if len(sides) == 2:
                self.err(node.location, f"page.size '{text}' is larger than a PDF page may be (200 in)")
                return None
            self.err(
                node.location,
                f"page.size '{text}' is not a known size",
                "use letter, a4, a5, half-letter or '5.5in x 8.5in'",
            )
            return None
        if kind == "length":
            length = parse_length(text)
            if length is None:
                self.err(node.location, f"{path} must be a length like 0.75in, 2cm or 12pt, found '{text}'")
            elif length < 0:
                self.err(node.location, f"{path} cannot be negative ({text})")
                return None
            return length
        try:
            number = int(text) if kind == "integer" else float(text)
        except ValueError:
            self.err(node.location, f"{path} must be a {'whole ' if kind == 'integer' else ''}number, found '{text}'")
            return None
        if not math.isfinite(number):
            self.err(node.location, f"{path} must be a number, found '{text}'")
            return None
        if "minimum" in meta and number < meta["minimum"]:
            self.err(node.location, f"{path} must be at least {meta['minimum']}, found {text}")
            return None
        if "maximum" in meta and number > meta["maximum"]:
            self.err(node.location, f"{path} must be at most {meta['maximum']}, found {text}")
            return None
        return number

    def base(self, node: Node, folder: Path) -> Path | None:
        """The layout ``extends:`` names: a shipped layout by name, or a file inside ``folder``.

        '..', absolute paths and symbolic links leading anywhere else are errors.
        """
        text = self.scalar(node, "extends")
        if text is None:
            return None
        if not text:
            self.err(node.location, "extends must name a layout", "write extends: default")
            return None
        if Path(text).suffix not in (".yaml", ".yml") and "/" not in text and "\\" not in text:
            path = find_layout(text)
            if path is None:
                known = ", ".join(n for n, _ in list_layouts())
                self.err(node.location, f"unknown layout '{text}'", f"known layouts: {known}")
            return path
        path = _real(folder / text)
        if not any(path.is_relative_to(_real(d)) for d in (folder, *LAYOUT_DIRS)):
            self.err(
                node.location,
                f"layout '{text}' is outside the layout's folder",
                "extend a shipped layout by name (extends: default) or a layout file beside this one",
            )
            return None
        if not path.is_file():
            self.err(node.location, f"layout file '{text}' not found")
            return None
        return path

    def fonts(self, node: Node, base: Path) -> tuple[FontFamily, ...] | None:
        if not isinstance(node, Sequence) or not node.items:
            self.err(node.location, f"fonts.families must be a non-empty list, found {describe(node)}")
            return None
        out = []
        for item in node.items:
            if not isinstance(item, Mapping):
                self.err(item.location, f"a font family must be a mapping, found {describe(item)}")
                continue
            files: dict[str, Path] = {}
            name = ""
            for key, value in item.items:
                if key.value not in ("name", "regular", "bold", "italic", "bold_italic"):
                    self.err(
                        key.location,
                        f"unknown key '{key.value}' in a font family",
                        _hint(key.value, ["name", "regular", "bold", "italic", "bold_italic"]),
                    )
                    continue
                text = self.scalar(value, f"fonts.families {key.value}")
                if text is None:
                    continue
                if key.value == "name":
                    name = text
                    continue
                path = self.font_path(text, base, value.location)
                if path is not None:
                    files[key.value] = path
            if "regular" not in files:
                if not any(k.value == "regular" for k, _ in item.items):
                    self.err(item.location, "a font family is missing required key 'regular'")
                continue
            regular = files["regular"]
            bold = files.get("bold", regular)
            out.append(
                FontFamily(
                    name or regular.stem, regular, bold, files.get("italic", regular), files.get("bold_italic", bold)
                )
            )
        return tuple(out)

    def font_path(self, text: str, base: Path, loc: Location) -> Path | None:
        """A font file inside the layout's folder or the package's fonts; nothing else."""
        if Path(text).is_absolute() or ".." in Path(text).parts:
            self.err(loc, f"font path '{text}' must be a file name inside the layout's folder or the shipped fonts")
            return None
        for folder in (base, FONT_DIR):
            candidate = folder / text
            if candidate.is_file():
                resolved = _real(candidate)
                if not (resolved.is_relative_to(_real(folder)) or resolved.is_relative_to(FONT_DIR)):
                    self.err(loc, f"font '{text}' links outside its folder")
                    return None
                problem = "" if resolved.suffix.lower() in (".ttf", ".ttc") else "is not a TrueType (.ttf) file"
                problem = problem or truetype_problem(resolved)
                if problem:
                    hint = "ReportLab embeds TrueType outlines only" if "TrueType" in problem else None
                    self.err(loc, f"font '{text}' {problem}", hint)
                    return None
                return resolved
        self.err(
            loc,
            f"font file '{text}' not found",
            f"shipped fonts: {', '.join(sorted(p.name for p in FONT_DIR.glob('*.ttf')))}",
        )
        return None


_TRUETYPE = (b"\x00\x01\x00\x00", b"true")
_REQUIRED_TABLES = (b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp")


MAX_FONT_BYTES = 32 * 1024 * 1024
"""Larger font files are refused: the largest face shipped (a CJK subset) is under 4 MiB, and
ReportLab parses and keeps a whole file in memory."""


def _real(path: Path) -> Path:
    """``path`` with every link followed; unlike ``Path.resolve`` in Python 3.11, no error for a link loop
    (the loop is then an error where the file is read, at the line that names it)."""
    return Path(os.path.realpath(path))


def truetype_problem(path: Path) -> str:
    """What is wrong with a TrueType file, judged from its header and table directory; '' if nothing.

    A damaged, mislabelled or oversized font is an error at the layout's line, before ReportLab parses it.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FONT_BYTES:
            return f"is {size / 1048576:.1f} MiB; font files may be at most {MAX_FONT_BYTES // 1048576} MiB"
        with path.open("rb") as handle:
            start = 0
            head = handle.read(16)
            if head[:4] == b"ttcf" and len(head) == 16:  # a collection: look at its first font
                (start,) = struct.unpack(">I", head[12:16])
                handle.seek(start)
                head = handle.read(12)
            if head[:4] == b"OTTO":
                return "has PostScript (CFF) outlines, not TrueType ones"
            if len(head) < 12 or head[:4] not in _TRUETYPE:
                return "is not a TrueType (.ttf) file"
            (count,) = struct.unpack(">H", head[4:6])
            handle.seek(start + 12)
            directory = handle.read(16 * count)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if len(directory) < 16 * count:
        return "is damaged: it ends inside its table directory"
    tables = {}
    for index in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", directory[16 * index : 16 * index + 16])
        tables[tag] = offset + length
    missing = [tag.decode() for tag in _REQUIRED_TABLES if tag not in tables]
    if missing:
        return f"is not a complete TrueType font (no '{missing[0]}' table)"
    damaged = [tag.decode("latin-1") for tag, end in tables.items() if end > size]
    if damaged:
        return f"is damaged: its '{damaged[0]}' table runs past the end of the file"
    return ""


def _hint(word: str, choices: list[str]) -> str | None:
    import difflib  # only for a misspelt name: not worth its import at every start

    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


def _display(path: Path) -> str:
    """A layout's path as messages show it: relative to the working folder when inside it."""
    try:
        return str(_real(path).relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def find_layout(name: str) -> Path | None:
    """The file of a named layout, or of a path to a layout file; None when there is none."""
    path = Path(name)
    if path.suffix in (".yaml", ".yml") or "/" in name or "\\" in name:
        return path
    for folder in LAYOUT_DIRS:
        candidate = folder / f"{name}.yaml"
        if candidate.is_file():
            return candidate
    return None


def list_layouts() -> list[tuple[str, str]]:
    """(name, description) of every shipped layout."""
    seen: dict[str, str] = {}
    for folder in LAYOUT_DIRS:
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in seen:
                try:
                    seen[path.stem] = load_layout(str(path)).description
                except LayoutSpecError:
                    seen[path.stem] = "(invalid: run brochure build --layout " + path.stem + " to see why)"
    return sorted(seen.items())


def load_layout(name: str, _chain: tuple[Path, ...] = ()) -> LayoutSpec:
    """Read a layout by name (``layouts/NAME.yaml``) or path, following ``extends:``.

    Raises:
        LayoutSpecError: for an unknown layout, unknown keys, wrong values or an
            impossible page (margins larger than the page).
    """
    path = find_layout(name)
    if path is None:
        known = ", ".join(n for n, _ in list_layouts())
        raise LayoutSpecError.at(Location(name), f"unknown layout '{name}'", f"known layouts: {known}")
    display = _display(path)
    try:
        root = load_yaml(path, display)
    except LayoutSpecError:
        raise
    except Exception as exc:  # SourceError: re-raised as a layout error, same diagnostics
        from .errors import BrochureError

        if isinstance(exc, BrochureError):
            raise LayoutSpecError(exc.diagnostics) from None
        raise
    loader = _Loader()
    values: dict[str, Any] = {}
    parent = LayoutSpec(fonts=_default_families())
    if root is None:
        raise LayoutSpecError.at(Location(display), "the layout file is empty")
    if not isinstance(root, Mapping):
        raise LayoutSpecError.at(root.location, f"a layout must be a mapping, found {describe(root)}")
    for key, node in root.items:
        if key.value == "extends":
            base_path = loader.base(node, path.parent)
            if base_path is not None and _real(base_path) in (*_chain, _real(path)):
                loader.err(node.location, f"layout '{base_path.stem}' extends itself")
            elif base_path is not None and len(_chain) >= MAX_EXTENDS:
                loader.err(node.location, f"more than {MAX_EXTENDS} layouts extend one another")
            elif base_path is not None:
                parent = load_layout(str(base_path), (*_chain, _real(path)))
            continue
        if key.value in _BY_PATH:
            values[key.value] = (node, loader.value(key.value, node, path.parent))
            continue
        if key.value not in _GROUPS:
            loader.err(
                key.location,
                f"unknown layout key '{key.value}'",
                _hint(key.value, [*_GROUPS, "extends", "description", "imposition"]),
            )
            continue
        if not isinstance(node, Mapping):
            loader.err(node.location, f"'{key.value}' must be a mapping, found {describe(node)}")
            continue
        for sub, subnode in node.items:
            full = f"{key.value}.{sub.value}"
            if full not in _BY_PATH:
                options = [p.split(".", 1)[1] for p in _BY_PATH if p.startswith(key.value + ".")]
                loader.err(sub.location, f"unknown layout key '{full}'", _hint(sub.value, options))
                continue
            values[full] = (subnode, loader.value(full, subnode, path.parent))
    if loader.problems:
        raise LayoutSpecError(loader.problems)
    changes = {_BY_PATH[p].name: v for p, (_, v) in values.items() if v is not None}
    places = dict(parent.locations)
    places.update({p: node.location for p, (node, _) in values.items()})
    sources = (str(_real(path)), *parent.sources)
    spec = replace(parent, name=path.stem, source=display, sources=sources, locations=tuple(places.items()), **changes)
    problems = _page_problems(spec, values, root) or _room_problems(spec, values, root)
    problems += _imposition_problems(spec, values, root)
    if spec.body_leading < spec.body_size:
        where = _set_at(values, root, "type.body_leading", "type.body_size")
        problems.append(Diagnostic(where, "type.body_leading must be at least type.body_size"))
    if problems:
        raise LayoutSpecError(problems)
    return spec


def _set_at(values: dict[str, Any], root: Node, *paths: str) -> Location:
    """Where the first of ``paths`` that this file sets is written; the file's first key when it sets none."""
    for path in paths:
        if path in values:
            location: Location = values[path][0].location
            return location
    return root.location


def _page_problems(spec: LayoutSpec, values: dict[str, Any], root: Node) -> list[Diagnostic]:
    """Margins, and the fold-in panels of a tri-fold, must leave a text block to set text in."""
    size = f"{spec.page_width / INCH:.2f} x {spec.page_height / INCH:.2f} in page"
    hint = "the text block needs at least 1 in across and 2 in down"
    problems = []
    if spec.frame_width < INCH:
        where = _set_at(values, root, "page.size", "page.orientation", "page.margin_left", "page.margin_right")
        problems.append(Diagnostic(where, f"the margins leave too little room on a {size}", hint))
    elif spec.page_height - spec.margin_top - spec.margin_bottom < 2 * INCH:
        where = _set_at(values, root, "page.size", "page.orientation", "page.margin_top", "page.margin_bottom")
        problems.append(Diagnostic(where, f"the margins leave too little room on a {size}", hint))
    if spec.fold_in_width and spec.fold_in_width - spec.margin_left - spec.margin_right < INCH:
        where = _set_at(values, root, "page.fold_in_width", "page.margin_left", "page.margin_right")
        problems.append(Diagnostic(where, "page.fold_in_width leaves too little room between the margins", hint))
    elif spec.fold_in_width > spec.page_width:
        where = _set_at(values, root, "page.fold_in_width", "page.size")
        problems.append(Diagnostic(where, "page.fold_in_width must not be wider than the page"))
    return problems


def _room_problems(spec: LayoutSpec, values: dict[str, Any], root: Node) -> list[Diagnostic]:
    """Type, list indents and call-out padding must leave room for text in the narrowest text block."""
    narrow = spec.frame_width
    if spec.fold_in_width:
        narrow = min(narrow, spec.fold_in_width - spec.margin_left - spec.margin_right)
    block = f"a text block {narrow / INCH:.2f} in wide"
    width_keys = ("page.size", "page.orientation", "page.margin_left", "page.margin_right", "page.fold_in_width")
    problems = []
    for f in fields(LayoutSpec):
        path = f.metadata.get("path", "")
        if path.startswith("type.") and path.endswith("_size") and getattr(spec, f.name) > narrow / 3:
            where = _set_at(values, root, path, *width_keys)
            problems.append(Diagnostic(where, f"{path} is too large for {block} (at most {narrow / 3:.0f} pt)"))
    if spec.list_indent > narrow - INCH:
        where = _set_at(values, root, "space.list_indent", *width_keys)
        problems.append(Diagnostic(where, f"space.list_indent leaves less than 1 in for list items in {block}"))
    if 2 * spec.callout_padding + 4 > narrow - INCH:
        where = _set_at(values, root, "space.callout_padding", *width_keys)
        problems.append(Diagnostic(where, f"space.callout_padding leaves less than 1 in for call-out text in {block}"))
    return problems


def _imposition_problems(spec: LayoutSpec, values: dict[str, Any], root: Node) -> list[Diagnostic]:
    """Booklets need a multiple of 4 pages; tri-folds exactly six panels."""
    if spec.imposition == "booklet" and spec.pad_to % 4:
        where = _set_at(values, root, "page.pad_to", "imposition")
        return [Diagnostic(where, f"a booklet needs page.pad_to to be a multiple of 4, found {spec.pad_to}")]
    if spec.imposition == "trifold" and (spec.pad_to, spec.max_pages) != (6, 6):
        where = _set_at(values, root, "page.pad_to", "page.max_pages", "imposition")
        return [
            Diagnostic(
                where,
                f"a tri-fold has six panels: it needs page.pad_to: 6 and page.max_pages: 6, "
                f"found {spec.pad_to} and {spec.max_pages}",
            )
        ]
    return []


def _unused() -> None:  # keeps MISSING imported for dataclass introspection helpers
    _ = MISSING


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def _encoded(linear: float) -> float:
    return linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def luminance(color: str) -> float:
    """WCAG relative luminance of a '#rrggbb' colour."""
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def gray_of(color: str) -> str:
    """The gray with the same luminance as ``color``: every contrast ratio stays what it was."""
    level = round(_encoded(luminance(color)) * 255)
    return f"#{level:02x}{level:02x}{level:02x}"


def to_grayscale(spec: LayoutSpec) -> LayoutSpec:
    """The layout with every colour mapped to its gray, for black-and-white office printers.

    Text keeps its contrast (a gray of the same luminance). The cover band, a large area,
    becomes a light tint (the accent's light tint, in gray) with dark text on it, instead
    of a solid dark block that wastes toner and prints streaky.
    """
    changes: dict[str, Any] = {
        f.name: gray_of(value)
        for f in fields(LayoutSpec)
        if f.metadata.get("kind") == "color" and (value := getattr(spec, f.name))
    }
    changes["color_band"] = gray_of(spec.color_accent_light)
    changes["color_on_accent"] = gray_of(spec.color_text)
    return replace(spec, grayscale=True, **changes)
