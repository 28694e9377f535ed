"""PDF bytes → preflight report: what a print shop checks first, read from the file itself.

Page count for the binding, page and trim sizes, bleed, fonts embedded (and their subset
tags), colour spaces, each picture's resolution at the size it is placed, and the total ink
of every CMYK colour and picture against a stated limit. ``brochure preflight FILE.pdf``
prints it; every print-shop build runs it on its own output. See docs/print.md.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .conformance import INK_LIMIT

MIN_PPI = 300.0
"""Pictures below this resolution at their placed size are reported (a warning)."""
MIN_BLEED = 0.125 * 72 - 0.01
"""Bleed print shops ask for: 1/8 in (3 mm is 8.5 pt: also accepted as 1/8 in rounded)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report: ``level`` is "ok", "warning" or "error"."""

    level: str
    topic: str
    message: str

    def format(self) -> str:
        return f"{self.level:7} {self.topic}: {self.message}"


@dataclass(slots=True)
class Report:
    """What preflight found, and the figures behind it (for tests and callers)."""

    findings: list[Finding] = field(default_factory=list)
    pages: int = 0
    trim_sizes: set[tuple[float, float]] = field(default_factory=set)
    bleed: float | None = None
    """The smallest bleed on any page and side, in points; None without trim and bleed boxes."""
    fonts: dict[str, bool] = field(default_factory=dict)
    """Base font name → embedded."""
    colour_spaces: set[str] = field(default_factory=set)
    pictures: list[tuple[str, int, int, float]] = field(default_factory=list)
    """(name, pixels wide, pixels high, pixels per inch at the placed size) for each placing."""
    max_ink: float = 0.0
    """The largest C+M+Y+K of any CMYK colour or picture pixel, in percent."""

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]

    def add(self, level: str, topic: str, message: str) -> None:
        self.findings.append(Finding(level, topic, message))


def _inches(points: float) -> str:
    return f"{points / 72:.3g} in ({points / 72 * 25.4:.0f} mm)"


def preflight(pdf: bytes, ink_limit: float = INK_LIMIT, min_ppi: float = MIN_PPI) -> Report:
    """Read a PDF and report what a print shop checks first.

    Raises:
        ValueError: when the bytes are not a PDF pypdf can read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        pages = reader.pages
        count = len(pages)
    except (PdfReadError, OSError, KeyError, TypeError) as exc:
        raise ValueError(f"not a readable PDF ({exc})") from None
    report = Report(pages=count)
    _pages(report, pages)
    scan = _Scan(report, reader)
    for page in pages:
        scan.page(page)
    _fonts(report)
    _colours(report, reader)
    _pictures(report, min_ppi)
    if report.max_ink > ink_limit + 0.5:
        report.add("error", "ink", f"total ink reaches {report.max_ink:.0f}%, over the limit of {ink_limit:.0f}%")
    else:
        report.add("ok", "ink", f"total ink at most {report.max_ink:.0f}% (limit {ink_limit:.0f}%)")
    return report


def _pages(report: Report, pages: Any) -> None:
    n = report.pages
    if n % 4 == 0:
        report.add("ok", "pages", f"{n} pages: a multiple of 4, ready for saddle-stitch binding")
    elif n % 2 == 0:
        report.add("warning", "pages", f"{n} pages: even (duplex), but saddle stitching needs a multiple of 4")
    else:
        report.add("warning", "pages", f"{n} pages: odd; a printed sheet has two sides")
    bleeds: list[float] = []
    missing = 0
    for page in pages:
        media = [float(v) for v in page.mediabox]
        if "/TrimBox" not in page:
            missing += 1
            report.trim_sizes.add((round(media[2] - media[0], 2), round(media[3] - media[1], 2)))
            continue
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox] if "/BleedBox" in page else trim
        report.trim_sizes.add((round(trim[2] - trim[0], 2), round(trim[3] - trim[1], 2)))
        bleeds.append(min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3]))
    sizes = ", ".join(f"{_inches(w)} × {_inches(h)}" for w, h in sorted(report.trim_sizes))
    if missing:
        report.add("warning", "trim", f"{missing} of {n} pages have no TrimBox (office output?); page size {sizes}")
        return
    panels = " (panels of different widths)" if len(report.trim_sizes) > 1 else ""
    report.add("ok", "trim", f"trim size {sizes}{panels}")
    report.bleed = min(bleeds) if bleeds else 0.0
    if report.bleed < MIN_BLEED:
        report.add("error", "bleed", f"bleed {_inches(report.bleed)}: print shops ask for 1/8 in (3 mm)")
    else:
        report.add("ok", "bleed", f"bleed {_inches(report.bleed)} on every side")


class _Scan:
    """Walks each page's content (and the forms it draws) for colours, fonts and placed pictures."""

    def __init__(self, report: Report, reader: Any) -> None:
        self.report, self.reader = report, reader
        self.images_seen: dict[int, float] = {}

    def page(self, page: Any) -> None:
        contents = page.get_contents()
        self._stream(contents, page.get("/Resources"), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), 0)

    def _stream(self, stream: Any, resources: Any, ctm: tuple[float, ...], depth: int) -> None:
        if stream is None or depth > 8:
            return
        resources = resources.get_object() if resources is not None else None
        fonts = resources.get("/Font", {}) if resources else {}
        for ref in fonts.values() if fonts else ():
            self._font(ref.get_object())
        stack: list[tuple[float, ...]] = []
        for operands, op in _operations(stream.get_data()):
            if op == b"q":
                stack.append(ctm)
            elif op == b"Q":
                ctm = stack.pop() if stack else ctm
            elif op == b"cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif op in (b"rg", b"RG"):
                self.report.colour_spaces.add("DeviceRGB")
            elif op in (b"k", b"K"):
                self.report.colour_spaces.add("DeviceCMYK")
                self._ink([float(v) for v in operands])
            elif op in (b"g", b"G"):
                self.report.colour_spaces.add("DeviceGray")
            elif op in (b"cs", b"CS"):
                self.report.colour_spaces.add(_space_name(operands[0], resources))
            elif op == b"Do" and resources is not None:
                self._xobject(operands[0], resources, ctm, depth)

    def _xobject(self, name: Any, resources: Any, ctm: tuple[float, ...], depth: int) -> None:
        xobjects = resources.get("/XObject", {})
        if name not in xobjects:
            return
        ref = xobjects.raw_get(name)
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            self._stream(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), depth + 1)
            return
        if xobject.get("/Subtype") != "/Image":
            return
        width, height = int(xobject["/Width"]), int(xobject["/Height"])
        placed_w = math.hypot(ctm[0], ctm[1]) / 72
        placed_h = math.hypot(ctm[2], ctm[3]) / 72
        ppi = min(width / placed_w if placed_w else math.inf, height / placed_h if placed_h else math.inf)
        self.report.pictures.append((str(name), width, height, ppi))
        space = xobject.get("/ColorSpace")
        space_name = str(space[0] if isinstance(space, list) else space)
        self.report.colour_spaces.add(space_name.lstrip("/") + " (picture)")
        number = getattr(ref, "idnum", id(xobject))
        if space_name == "/DeviceCMYK" and number not in self.images_seen:
            self.images_seen[number] = _image_ink(xobject)
            self.report.max_ink = max(self.report.max_ink, self.images_seen[number])

    def _ink(self, values: list[float]) -> None:
        self.report.max_ink = max(self.report.max_ink, 100 * sum(values))

    def _font(self, font: Any) -> None:
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        if name in self.report.fonts:
            return
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        self.report.fonts[name] = bool(embedded) or font.get("/Subtype") == "/Type3"


def _image_ink(xobject: Any) -> float:
    """The largest C+M+Y+K of a CMYK picture's pixels, in percent (0 when it cannot be decoded)."""
    try:
        image = xobject.decode_as_image()
    except Exception:  # noqa: BLE001  # a picture pypdf cannot decode is left out of the ink figure
        return 0.0
    if image is None or image.mode != "CMYK":
        return 0.0
    from PIL import ImageMath

    total = ImageMath.lambda_eval(
        lambda a: a["c"].convert("I") + a["m"].convert("I") + a["y"].convert("I") + a["k"].convert("I"),
        c=image.getchannel("C"),
        m=image.getchannel("M"),
        y=image.getchannel("Y"),
        k=image.getchannel("K"),
    )
    extrema = total.getextrema()
    high = extrema[1] if isinstance(extrema, tuple) else 0
    return 100 * float(high) / 255


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """The matrix product m × n (PDF's row-vector convention: m applied first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


_TOKEN = re.compile(
    rb"""[\s]*(?:(?P<string>\((?:[^()\\]|\\.)*\))"""  # a literal string without parentheses inside
    rb"|(?P<open>\()"  # one with: scanned by hand
    rb"|(?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\s()<>\[\]{}/%])"
    rb"|(?P<name>/[^\s()<>\[\]{}/%]*)"
    rb"|(?P<hex><[0-9A-Fa-f\s]*>)"
    rb"|(?P<comment>%[^\r\n]*)"
    rb"|(?P<delimiter><<|>>|[\[\]{}<>])"
    rb"|(?P<operator>[^\s()<>\[\]{}/%]+))",
    re.DOTALL,
)
_PARENTHESES = re.compile(rb"[()\\]")
_END_OF_IMAGE = re.compile(rb"\sEI(?=[\s]|$)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _operations(data: bytes) -> Iterator[tuple[list[Any], bytes]]:
    """Every operator of a content stream, with its number and name operands (strings, arrays, dictionaries left out).

    What the preflight needs of a page (colours, matrices, what it draws), read with a
    tokenizer instead of pypdf's object parser, which built every string and array of the
    text as an object: a quarter of the time, and most of what the preflight cost a
    print-shop build.
    """
    from pypdf.generic import NameObject

    operands: list[Any] = []
    position, end, nested = 0, len(data), 0
    while position < end:
        token = _TOKEN.match(data, position)
        if token is None:  # white space to the end
            return
        kind = token.lastgroup
        position = token.end()
        if kind == "delimiter":
            delimiter = token.group(kind)
            if delimiter in (b"[", b"<<"):
                nested += 1
            elif delimiter in (b"]", b">>"):
                nested = max(0, nested - 1)
        elif nested:  # inside an array or a dictionary: no operand of interest
            if kind == "open":
                position = _string_end(data, position)
        elif kind == "number":
            operands.append(float(token.group(kind)))
        elif kind == "name":
            name = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), token.group(kind))
            operands.append(NameObject(name.decode("latin-1")))
        elif kind == "open":
            position = _string_end(data, position)
        elif kind == "operator":
            op = token.group(kind)
            if op == b"BI":  # an inline image: its data up to EI is not content syntax
                found = _END_OF_IMAGE.search(data, position)
                position = found.end() if found else end
                operands = []
                continue
            yield operands, op
            operands, nested = [], 0


def _string_end(data: bytes, position: int) -> int:
    """Where a literal string with balanced parentheses inside ends, from just after its "("."""
    depth = 1
    while depth:
        found = _PARENTHESES.search(data, position)
        if found is None:
            return len(data)
        position = found.end()
        char = found.group()
        if char == b"\\":
            position += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
    return position


def _space_name(name: Any, resources: Any) -> str:
    spaces = resources.get("/ColorSpace", {}) if resources else {}
    space = spaces.get(name) if spaces else None
    if space is None:
        return str(name).lstrip("/")
    space = space.get_object()
    if isinstance(space, list):
        return " ".join(str(v).lstrip("/") for v in space[:2])
    return str(space).lstrip("/")


def _fonts(report: Report) -> None:
    missing = sorted(name for name, embedded in report.fonts.items() if not embedded)
    if missing:
        report.add("error", "fonts", f"not embedded: {', '.join(missing)}")
    else:
        report.add("ok", "fonts", f"{len(report.fonts)} fonts, all embedded")
    tags = [name.split("+")[0] for name in report.fonts if "+" in name]
    shared = sorted({t for t in tags if tags.count(t) > 1})
    if shared:
        report.add("warning", "fonts", f"subset tags shared by several fonts: {', '.join(shared)}")


def _colours(report: Report, reader: Any) -> None:
    intents = reader.root_object.get("/OutputIntents") or []
    cmyk_intent = any(
        intent.get_object().get("/S") == "/GTS_PDFX"
        and intent.get_object()["/DestOutputProfile"].get_object().get("/N") == 4
        for intent in intents
    )
    spaces = ", ".join(sorted(report.colour_spaces)) or "none"
    if cmyk_intent and any(s.startswith("DeviceRGB") for s in report.colour_spaces):
        report.add("error", "colour", f"RGB in a CMYK (PDF/X) file: {spaces}")
    elif cmyk_intent:
        report.add("ok", "colour", f"CMYK output intent; colour spaces: {spaces}")
    else:
        report.add("warning", "colour", f"no CMYK output intent (RGB or office output); colour spaces: {spaces}")


def _pictures(report: Report, min_ppi: float) -> None:
    if not report.pictures:
        report.add("ok", "pictures", "no raster pictures (vector art only)")
        return
    low = [(name, w, h, ppi) for name, w, h, ppi in report.pictures if ppi < min_ppi]
    for name, w, h, ppi in low:
        where = f"{name.lstrip('/')} ({w}×{h} px)"
        report.add("warning", "pictures", f"{where} is {ppi:.0f} ppi as placed: below {min_ppi:.0f}")
    if not low:
        lowest = min(ppi for *_, ppi in report.pictures)
        report.add("ok", "pictures", f"{len(report.pictures)} pictures, the lowest at {lowest:.0f} ppi as placed")
