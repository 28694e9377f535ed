"""Brochure + layout (+ the rendered PDF) → what readers get: reading level, type sizes, contrast.

Thresholds come from health-literacy and accessibility guidance: body text at least 12 pt
(18 pt in large print, as the layout promises), no text below 8 pt, text contrast at least
4.5:1 (3:1 for large text: 18 pt, or 14 pt bold), a reading grade at or below the layout's
target. Problems come back as diagnostics placed in the content or layout file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .errors import Diagnostic, Location
from .model import Brochure
from .readability import ReadabilityReport, measure_brochure
from .spec import LayoutSpec, contrast

SMALLEST_TEXT = 8.0
"""No text at all below this size, in points."""


@dataclass(frozen=True, slots=True)
class Pairing:
    """A text colour on a background, as the layout uses it."""

    what: str
    foreground: str
    background: str
    size: float
    bold: bool

    @property
    def large(self) -> bool:
        """Large text (WCAG): 18 pt, or 14 pt bold."""
        return self.size >= 18 or (self.bold and self.size >= 14)


@dataclass(frozen=True, slots=True)
class Audit:
    """The audit of one brochure in one layout."""

    readability: ReadabilityReport
    sizes: tuple[tuple[float, int], ...]
    """Characters set at each size in the rendered PDF (empty when not rendered)."""
    errors: tuple[Diagnostic, ...]
    warnings: tuple[Diagnostic, ...]


def pairings(spec: LayoutSpec) -> list[Pairing]:
    """Every text-colour-on-background combination the layout prints."""
    white = "#ffffff"
    body = spec.body_size
    return [
        Pairing("colors.text", "color_text", white, body, False),
        Pairing("colors.muted", "color_muted", white, spec.small_size, False),
        Pairing("colors.accent", "color_accent", white, body, True),
        Pairing("colors.link", "color_link", white, min(body, spec.small_size), False),
        Pairing("colors.on_accent", "color_on_accent", "band", body, True),
        Pairing("colors.text", "color_text", "color_callout_bg", spec.callout_size, False),
        Pairing("colors.link", "color_link", "color_callout_bg", spec.callout_size, False),
        Pairing("colors.callout_rule", "color_callout_rule", "color_callout_bg", spec.callout_size + 2, True),
    ]


def _color(spec: LayoutSpec, name: str) -> str:
    return name if name.startswith("#") else str(getattr(spec, name))


def audit_layout(spec: LayoutSpec) -> list[Diagnostic]:
    """Type sizes and colour contrast as the layout declares them."""
    problems: list[Diagnostic] = []
    if spec.body_size < spec.min_body_size:
        problems.append(
            Diagnostic(
                spec.location_of("type.body_size"),
                f"body text is {spec.body_size:g} pt; this layout promises at least {spec.min_body_size:g} pt",
            )
        )
    for path in ("type.small_size", "type.callout_size", "type.subheading_size", "type.heading_size"):
        size = float(getattr(spec, path.split(".")[1]))
        if size < SMALLEST_TEXT:
            problems.append(Diagnostic(spec.location_of(path), f"{path} is {size:g} pt; no text may be below 8 pt"))
    for pair in pairings(spec):
        fg, bg = _color(spec, pair.foreground), _color(spec, pair.background)
        ratio = contrast(fg, bg)
        need = 3.0 if pair.large else 4.5
        if ratio < need:
            problems.append(
                Diagnostic(
                    spec.location_of(pair.what),
                    f"{pair.what} {fg} on {bg} has a contrast of {ratio:.2f}:1; text needs {need:g}:1",
                    "darken the text colour or lighten the background",
                )
            )
    return problems


def measure_sizes(pdf: bytes) -> Counter[float]:
    """How many visible characters the PDF sets at each font size."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    sizes: Counter[float] = Counter()
    document = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            text = document[index].get_textpage()
            for k in range(text.count_chars()):
                if not chr(raw.FPDFText_GetUnicode(text.raw, k)).isspace():
                    sizes[round(raw.FPDFText_GetFontSize(text.raw, k), 1)] += 1
    finally:
        document.close()
    return sizes


def audit_brochure(brochure: Brochure, spec: LayoutSpec, pdf: bytes | None = None) -> Audit:
    """Audit a brochure as laid out by a layout; with the PDF, also the sizes actually set.

    Args:
        brochure: numbered content.
        spec: the layout.
        pdf: the rendered brochure, to measure (``brochure check`` renders in memory).
    """
    errors = audit_layout(spec)
    readability = measure_brochure(brochure, spec.target_grade)
    sizes: Counter[float] = Counter()
    if pdf is not None:
        sizes = measure_sizes(pdf)
        small = sorted(size for size in sizes if size < SMALLEST_TEXT)
        if small:
            errors.append(
                Diagnostic(
                    Location(spec.source),
                    f"the PDF sets text at {', '.join(f'{s:g}' for s in small)} pt; no text may be below 8 pt",
                )
            )
        # Below the body size, only the layout's small text (notes, footer) and note numbers may be set.
        allowed = {round(spec.small_size, 1), round(spec.superscript_size, 1)}
        under = sorted(size for size in sizes if size < spec.min_body_size and size not in allowed)
        if under:
            errors.append(
                Diagnostic(
                    spec.location_of("type.body_size"),
                    f"the PDF sets text at {', '.join(f'{s:g}' for s in under)} pt; "
                    f"this layout promises at least {spec.min_body_size:g} pt",
                )
            )
    return Audit(readability, tuple(sorted(sizes.items())), tuple(errors), tuple(readability.warnings))
