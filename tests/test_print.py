"""Print production (issue 4): page sizes, large print, booklets, tri-folds, print-shop and grayscale output.

Every PDF is built once per module through the command line, the way ``make print`` builds it
(without ``-o``, so the file names come from ``default_output``), and read back: pypdf for page
boxes, pypdfium2 for text, character sizes and boxes, and rendered pixels. Expected numbers
come from the issue (inches and points), the layouts and the content model, never from a
copy of the current output.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops, ImageDraw
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.pdfgen import canvas
from support import ROOT, Char, bounded_text, is_superscript, open_pdf, page_chars, page_texts, position, squash

from brochure.build import imposed_path, load_brochure
from brochure.cli import default_output, main
from brochure.impose import impose_pages
from brochure.model import Brochure, Labels
from brochure.spec import LayoutSpec, contrast, gray_of, list_layouts, load_layout, to_grayscale

INCH = 72.0
BLEED = 0.125 * INCH
MARK_ZONE = 0.25 * INCH
BORDER = BLEED + MARK_ZONE
SAFE_EDGE = 0.25 * INCH
WHITE = "#ffffff"

LETTER = (612.0, 792.0)
A4 = (595.2756, 841.8898)
A5 = (419.5276, 595.2756)
HALF_LETTER = (396.0, 612.0)
TRIFOLD_PANEL = (3.6875 * INCH, 8.5 * INCH)
FOLD_IN = 3.625 * INCH
OUTSIDE_FOLDS = (3.625 * INCH, 7.3125 * INCH)
INSIDE_FOLDS = (3.6875 * INCH, 7.375 * INCH)

SHIPPED_LAYOUTS = ("default", "a4", "booklet", "booklet-a5", "large-print", "trifold")


# ---------------------------------------------------------------- building and reading back


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result


@contextmanager
def working_directory(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


@dataclass
class Output:
    """One built brochure: the reader-order PDF and, for imposed layouts, the press sheets."""

    content: str
    spec: LayoutSpec
    brochure: Brochure
    pdf: bytes
    imposed: bytes | None
    reader: PdfReader = field(init=False)
    doc: pdfium.PdfDocument = field(init=False)
    sheets: pdfium.PdfDocument | None = field(init=False)
    texts: list[str] = field(init=False)
    _chars: dict[int, list[Char]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.reader = PdfReader(io.BytesIO(self.pdf))
        self.doc = open_pdf(self.pdf)
        self.sheets = open_pdf(self.imposed) if self.imposed is not None else None
        self.texts = page_texts(self.doc)

    @property
    def pages(self) -> int:
        return len(self.texts)

    def chars(self, index: int) -> list[Char]:
        if index not in self._chars:
            self._chars[index] = page_chars(self.doc, index)
        return self._chars[index]

    def close(self) -> None:
        self.doc.close()
        if self.sheets is not None:
            self.sheets.close()


class Builds:
    """Each (content, layout, profile) built at most once per module, through ``brochure build``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache: dict[tuple[str, str, tuple[str, ...]], Output] = {}

    def get(self, content: str, layout: str, *flags: str) -> Output:
        key = (content, layout, flags)
        if key not in self.cache:
            path = ROOT / content
            with working_directory(self.folder):
                result = run("build", str(path), "--layout", layout, "-q", *flags)
            assert result.exit_code == 0, result.output
            assert result.stdout == "", "-q printed something"
            out = self.folder / default_output(
                path, layout, print_shop="--print-shop" in flags, grayscale="--grayscale" in flags
            )
            assert out.is_file(), f"brochure build did not write {out}"
            sheets = imposed_path(out)
            brochure, _ = load_brochure(path)
            self.cache[key] = Output(
                content,
                load_layout(layout),
                brochure,
                out.read_bytes(),
                sheets.read_bytes() if sheets.exists() else None,
            )
        return self.cache[key]

    def close(self) -> None:
        for output in self.cache.values():
            output.close()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Iterator[Builds]:
    cache = Builds(tmp_path_factory.mktemp("print"))
    yield cache
    cache.close()


def media_size(reader: PdfReader, index: int) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return float(box.width), float(box.height)


def box(page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page[name])


def render(doc: pdfium.PdfDocument, index: int, dpi: float, **options: object) -> Image.Image:
    """Page ``index`` as an RGB image (a copy: the bitmap is released)."""
    page = doc[index]
    try:
        return page.render(scale=dpi / INCH, **options).to_pil().convert("RGB")
    finally:
        page.close()


def char_boxes(doc: pdfium.PdfDocument, index: int) -> list[tuple[str, float, float, float, float]]:
    """(character, left, bottom, right, top) of every drawn, non-blank character of a page."""
    page = doc[index]
    textpage = page.get_textpage()
    out = []
    try:
        for i in range(textpage.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) == 1:
                continue
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            if not ch.strip():
                continue
            left, bottom, right, top = textpage.get_charbox(i)
            out.append((ch, left, bottom, right, top))
    finally:
        textpage.close()
        page.close()
    return out


def page_label(labels: Labels) -> re.Pattern[str]:
    """The footer's 'Page X of Y' label as a pattern over squashed text, in the content's language."""
    template = squash(labels.get("page"))
    parts = re.split(r"(\{page\}|\{pages\})", template)
    pattern = "".join(
        "(?P<page>\\d+)" if p == "{page}" else "(?P<pages>\\d+)" if p == "{pages}" else re.escape(p) for p in parts
    )
    return re.compile(pattern)


def region_text(doc: pdfium.PdfDocument, index: int, left: float, bottom: float, right: float, top: float) -> str:
    """The squashed text inside a rectangle; pdfium marks a hyphenation break there with \\x02."""
    return squash(bounded_text(doc, index, left, bottom, right, top).replace("\x02", ""))


def white(image: Image.Image, rect: tuple[int, int, int, int], threshold: int = 250) -> bool:
    """Whether every pixel of ``rect`` (pixels, left-top-right-bottom) is white, anti-aliasing allowed."""
    crop = image.crop(rect).convert("L")
    return crop.getextrema()[0] >= threshold


def hex_rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


# ---------------------------------------------------------------- 1. page sizes and layouts

READER_SIZES = [
    ("content.yaml", "default", LETTER),
    ("content.yaml", "a4", A4),
    ("content.yaml", "booklet", HALF_LETTER),
    ("content.yaml", "booklet-a5", A5),
    ("content.yaml", "large-print", LETTER),
    ("content-trifold.yaml", "trifold", TRIFOLD_PANEL),
]


@pytest.mark.parametrize(("content", "layout", "size"), READER_SIZES, ids=[r[1] for r in READER_SIZES])
def test_reader_pages_have_the_layouts_paper_size(builds, content, layout, size):
    output = builds.get(content, layout)
    for index in range(output.pages):
        assert media_size(output.reader, index) == pytest.approx(size, abs=0.01), f"page {index + 1}"


SHEET_SIZES = [
    ("content.yaml", "booklet", (LETTER[1], LETTER[0])),
    ("content.yaml", "booklet-a5", (A4[1], A4[0])),
    ("content-trifold.yaml", "trifold", (LETTER[1], LETTER[0])),
]


@pytest.mark.parametrize(("content", "layout", "size"), SHEET_SIZES, ids=[r[1] for r in SHEET_SIZES])
def test_imposed_sheets_hold_two_pages_or_three_panels_across(builds, content, layout, size):
    output = builds.get(content, layout)
    assert output.imposed is not None, f"{layout} wrote no imposed sheets"
    sheets = PdfReader(io.BytesIO(output.imposed))
    for index in range(len(sheets.pages)):
        assert media_size(sheets, index) == pytest.approx(size, abs=0.01), f"sheet side {index + 1}"


def test_booklet_a5_sheets_are_a4_landscape(builds):
    output = builds.get("content.yaml", "booklet-a5")
    assert output.imposed is not None
    sheets = PdfReader(io.BytesIO(output.imposed))
    assert media_size(sheets, 0) == pytest.approx((A4[1], A4[0]), abs=0.01)


def test_unimposed_layouts_write_no_sheets(builds):
    assert builds.get("content.yaml", "default").imposed is None
    assert builds.get("content.yaml", "large-print").imposed is None


def test_brochure_layouts_lists_every_layout_with_its_description():
    result = run("layouts")
    assert result.exit_code == 0, result.output
    listed = {}
    for line in result.stdout.splitlines():
        name, _, description = line.partition(" ")
        listed[name] = description.strip()
    files = {path.stem for path in (ROOT / "layouts").glob("*.yaml")}
    assert set(SHIPPED_LAYOUTS) <= files
    assert files <= set(listed), f"not listed: {sorted(files - set(listed))}"
    for name in files:
        description = load_layout(name).description
        assert description, f"layout {name} has no description"
        assert listed[name] == description, name
    assert dict(list_layouts()) == listed


# ---------------------------------------------------------------- 2. large print


@pytest.fixture(scope="module")
def large(builds) -> Output:
    return builds.get("content.yaml", "large-print")


def test_large_print_layout_values():
    spec = load_layout("large-print")
    assert spec.page_size == pytest.approx(LETTER)
    assert spec.body_size >= 18
    assert spec.body_leading / spec.body_size >= 1.5
    assert spec.small_size >= spec.body_size, "footer and notes smaller than the body text"
    for name in ("callout_size", "subheading_size", "heading_size", "contact_value_size"):
        assert getattr(spec, name) >= spec.body_size, name
    assert spec.hyphenate is False


def test_large_print_text_is_at_least_18_points(large):
    body = large.spec.body_size
    counted = 0
    for index in range(large.pages):
        chars = large.chars(index)
        for i, c in enumerate(chars):
            if not c.ch.strip() or is_superscript(chars, i, body):
                continue
            counted += 1
            assert c.size >= 18, f"page {index + 1}: {c.ch!r} set at {c.size} pt"
    assert counted > 1000


def test_large_print_footer_page_numbers_are_as_large_as_the_body(large):
    pattern = page_label(large.brochure.labels)
    footers = 0
    for index in range(1, large.pages):
        footer = [c for c in large.chars(index) if c.y < large.spec.margin_bottom and c.ch.strip()]
        match = pattern.search(squash("".join(c.ch for c in footer)))
        if not match:
            continue  # page 2 has none: see test_every_page_after_the_cover_has_a_page_x_of_y_footer
        footers += 1
        assert int(match["page"]) == index + 1 and int(match["pages"]) == large.pages
        digits = [c for c in footer if c.ch.isdigit()]
        assert digits and min(c.size for c in digits) >= large.spec.body_size, f"page {index + 1}"
    assert footers >= large.pages - 2


def _baseline_gaps(output: Output, pages: range) -> list[tuple[float, int, str]]:
    """(gap, page, line) between consecutive lines set entirely at body size, superscripts left out."""
    body = output.spec.body_size
    gaps = []
    for index in pages:
        chars = output.chars(index)
        lines: dict[float, list[Char]] = {}
        for i, c in enumerate(chars):
            if c.ch.strip() and not is_superscript(chars, i, body):
                lines.setdefault(round(c.y, 1), []).append(c)
        plain = sorted((y for y, line in lines.items() if {c.size for c in line} == {body}), reverse=True)
        for above, below in pairwise(plain):
            gaps.append((above - below, index + 1, "".join(c.ch for c in lines[below])))
    return gaps


def _notes_page(output: Output) -> int:
    """0-based page of the Notes heading, from the bookmarks."""
    label = output.brochure.labels.get("notes")
    for item in output.reader.outline:
        if not isinstance(item, list) and str(item.title) == label:
            return output.reader.get_destination_page_number(item)
    raise AssertionError("no Notes bookmark")


def test_large_print_body_lines_are_one_and_a_half_lines_apart(large):
    gaps = _baseline_gaps(large, range(1, _notes_page(large)))
    assert len(gaps) > 100
    tight = [g for g in gaps if g[0] < 1.5 * large.spec.body_size - 0.1]
    assert not tight, f"{len(tight)} lines closer than 1.5: {tight[:3]}"


def test_large_print_every_18_point_line_is_one_and_a_half_lines_apart(large):
    gaps = _baseline_gaps(large, range(large.pages))
    tight = [g for g in gaps if g[0] < 1.5 * large.spec.body_size - 0.1]
    assert not tight, f"{len(tight)} lines closer than 1.5, e.g. {tight[:3]}"


_SOFT_BREAK = re.compile(r"\w[\ufffe\u00ad]\s*\w")
_HARD_BREAK = re.compile(r"(\w+)[-\u2010]\r?\n(\w+)")


def hyphenation_breaks(texts: list[str], source: str) -> list[str]:
    """Words broken by hyphenation at line ends: soft hyphens, or a hyphen the source does not have."""
    found = []
    for text in texts:
        found.extend(m.group(0) for m in _SOFT_BREAK.finditer(text))
        found.extend(m.group(0) for m in _HARD_BREAK.finditer(text) if f"{m.group(1)}-{m.group(2)}" not in source)
    return found


def test_large_print_breaks_no_words(large):
    source = (ROOT / large.content).read_text(encoding="utf-8")
    assert hyphenation_breaks(large.texts, source) == []


def test_the_hyphenation_detector_sees_a_hyphenating_layout(builds):
    """Control for the test above: the booklet hyphenates, and the detector finds it."""
    if not load_layout("booklet").hyphenate:
        pytest.skip("the booklet no longer hyphenates")
    booklet = builds.get("content.yaml", "booklet")
    source = (ROOT / booklet.content).read_text(encoding="utf-8")
    assert hyphenation_breaks(booklet.texts, source)


# ---------------------------------------------------------------- 3. booklets

BOOKLETS = [
    ("content.yaml", "booklet", False),
    ("content.yaml", "booklet-a5", False),
    ("content.ar.yaml", "booklet", True),
]
BOOKLET_IDS = ["booklet", "booklet-a5", "ar-booklet"]


def expected_sides(pages: int, rtl: bool) -> list[tuple[int, int]]:
    """The issue's rule: sheet k has (n-2k+2 | 2k-1) on its front, (2k | n-2k+1) on its back; RTL mirrors."""
    sides = []
    for k in range(1, pages // 4 + 1):
        front, back = (pages - 2 * k + 2, 2 * k - 1), (2 * k, pages - 2 * k + 1)
        sides.extend([front[::-1], back[::-1]] if rtl else [front, back])
    return sides


def read_half(output: Output, index: int, left: float, right: float) -> tuple[int | None, str]:
    """The reader page number printed in one half of an imposed sheet side: its footer, or the cover's title."""
    assert output.sheets is not None
    spec = output.spec
    text = region_text(output.sheets, index, left, 0, right, spec.page_height)
    footer = region_text(output.sheets, index, left, 0, right, spec.margin_bottom)
    match = page_label(output.brochure.labels).search(footer)
    if match:
        assert int(match["pages"]) == output.pages, footer
        return int(match["page"]), text
    if squash(output.brochure.title) in text:
        return 1, text
    return None, text


@pytest.mark.parametrize(("content", "layout", "rtl"), BOOKLETS, ids=BOOKLET_IDS)
def test_booklet_page_count_is_a_multiple_of_4_with_the_phone_numbers_last(builds, content, layout, rtl):
    output = builds.get(content, layout)
    assert output.pages % 4 == 0
    contact = output.brochure.contact
    assert contact is not None and contact.lines
    last = squash(output.texts[-1])
    for line in contact.lines:
        assert squash(line.value) in last, f"{line.value} is not on the last page"


@pytest.mark.parametrize(("content", "layout", "rtl"), BOOKLETS, ids=BOOKLET_IDS)
def test_booklet_sheets_carry_pages_in_saddle_stitch_order(builds, content, layout, rtl):
    output = builds.get(content, layout)
    assert output.sheets is not None
    n, w = output.pages, output.spec.page_width
    assert len(output.sheets) == n // 2
    squashed = [squash(t) for t in output.texts]
    read = []
    for index in range(len(output.sheets)):
        side = []
        for left in (0.0, w):
            number, text = read_half(output, index, left, left + w)
            if number is None:
                # No footer and no title: page 2 at present (see the footer test below); fall back to its text.
                matches = [i + 1 for i, page in enumerate(squashed) if page == text]
                assert len(matches) == 1, f"sheet side {index + 1}: cannot tell which page holds {text[:60]!r}"
                number = matches[0]
            side.append(number)
        read.append(tuple(side))
    assert read == expected_sides(n, rtl)


@pytest.mark.parametrize(
    "layout",
    [pytest.param(layout) for layout in ("booklet", "booklet-a5", "large-print")],
)
def test_every_page_after_the_cover_has_a_page_x_of_y_footer(builds, layout):
    output = builds.get("content.yaml", layout)
    labels = output.brochure.labels
    missing = [
        index + 1
        for index in range(1, output.pages)
        if labels.get("page", page=index + 1, pages=output.pages)
        not in bounded_text(output.doc, index, 0, 0, output.spec.page_width, output.spec.margin_bottom)
    ]
    assert missing == []


def numbered_pdf(sizes: list[tuple[float, float]]) -> bytes:
    """A PDF whose page i (from 1) prints 'P<i>Q' near its left edge, halfway up."""
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=sizes[0], invariant=1)
    for number, (w, h) in enumerate(sizes, start=1):
        c.setPageSize((w, h))
        c.setFont("Helvetica", 10)
        c.drawString(4, h / 2, f"P{number}Q")
        c.showPage()
    c.save()
    return buffer.getvalue()


def labels_at(doc: pdfium.PdfDocument, index: int) -> dict[int, float]:
    """Page number → x of its 'P<n>Q' label on a sheet side."""
    chars = page_chars(doc, index)
    text = "".join(c.ch for c in chars)
    return {int(m.group(1)): chars[m.start()].x for m in re.finditer(r"P(\d+)Q", text)}


@settings(max_examples=25)
@given(
    sheets=st.integers(min_value=1, max_value=12),
    width=st.floats(min_value=150, max_value=450),
    height=st.floats(min_value=250, max_value=650),
    rtl=st.booleans(),
)
def test_booklet_imposition_of_any_multiple_of_4_pages(sheets, width, height, rtl):
    n = 4 * sheets
    imposed = impose_pages(numbered_pdf([(width, height)] * n), "booklet", rtl)
    reader = PdfReader(io.BytesIO(imposed))
    doc = open_pdf(imposed)
    try:
        assert len(doc) == n // 2
        for index, (left, right) in enumerate(expected_sides(n, rtl)):
            assert media_size(reader, index) == pytest.approx((2 * width, height), abs=0.01)
            assert labels_at(doc, index) == pytest.approx({left: 4, right: width + 4}, abs=0.5)
    finally:
        doc.close()


@settings(max_examples=25)
@given(
    width=st.floats(min_value=150, max_value=320),
    narrower=st.floats(min_value=0, max_value=20),
    height=st.floats(min_value=300, max_value=700),
    rtl=st.booleans(),
)
def test_trifold_imposition_places_each_panel_beside_the_last(width, narrower, height, rtl):
    narrow = width - narrower
    imposed = impose_pages(numbered_pdf([(width, height)] * 6), "trifold", rtl, narrow)
    reader = PdfReader(io.BytesIO(imposed))
    doc = open_pdf(imposed)
    widths = {1: width, 2: narrow, 3: width, 4: width, 5: narrow, 6: width}
    try:
        assert len(doc) == 2
        for index, side in enumerate(([2, 6, 1], [3, 4, 5])):
            order = side[::-1] if rtl else side
            assert media_size(reader, index) == pytest.approx((2 * width + narrow, height), abs=0.01)
            x, expected = 0.0, {}
            for number in order:
                expected[number] = x + 4
                x += widths[number]
            assert labels_at(doc, index) == pytest.approx(expected, abs=0.5)
    finally:
        doc.close()


# ---------------------------------------------------------------- 4. tri-fold


@pytest.fixture(scope="module")
def trifold(builds) -> Output:
    return builds.get("content-trifold.yaml", "trifold")


def test_trifold_layout_panel_widths():
    spec = load_layout("trifold")
    assert (spec.page_width, spec.page_height) == pytest.approx(TRIFOLD_PANEL)
    assert spec.fold_in_width == pytest.approx(FOLD_IN)
    assert 2 * spec.page_width + spec.fold_in_width == pytest.approx(LETTER[1])


def test_trifold_is_six_reader_pages_on_two_sheet_sides(trifold):
    assert trifold.pages == 6
    assert trifold.sheets is not None and len(trifold.sheets) == 2


def _panel_text(trifold: Output, side: int, left: float, right: float) -> str:
    assert trifold.sheets is not None
    return region_text(trifold.sheets, side, left, 0, right, trifold.spec.page_height)


def test_trifold_outside_reads_flap_back_cover(trifold):
    w, narrow = trifold.spec.page_width, trifold.spec.fold_in_width
    flap = _panel_text(trifold, 0, 0, narrow)
    back = _panel_text(trifold, 0, narrow, narrow + w)
    cover = _panel_text(trifold, 0, narrow + w, narrow + 2 * w)
    assert flap == squash(trifold.texts[1]), "the left outside panel is not reader page 2"
    assert back == squash(trifold.texts[5]), "the middle outside panel is not reader page 6"
    assert cover == squash(trifold.texts[0]), "the right outside panel is not reader page 1"
    assert squash(trifold.brochure.title) in cover
    contact = trifold.brochure.contact
    assert contact is not None and contact.lines
    for line in contact.lines:
        assert squash(line.value) in back, f"{line.value} is not on the back panel"


def test_trifold_inside_reads_pages_3_4_5(trifold):
    w = trifold.spec.page_width
    for panel, page in enumerate((3, 4, 5)):
        text = _panel_text(trifold, 1, panel * w, min((panel + 1) * w, LETTER[1]))
        assert text == squash(trifold.texts[page - 1]), f"inside panel {panel + 1} is not reader page {page}"


def test_fold_in_panels_keep_their_text_and_ink_inside_the_narrower_width(trifold):
    narrow = trifold.spec.fold_in_width
    for index in (1, 4):  # reader pages 2 and 5
        boxes = char_boxes(trifold.doc, index)
        assert boxes
        widest = max(b[3] for b in boxes)
        assert widest <= narrow, f"page {index + 1}: text reaches {widest / INCH:.3f} in"
        image = render(trifold.doc, index, 144)
        scale = 144 / INCH
        strip = (int(narrow * scale) + 1, 0, image.width, image.height)
        assert white(image, strip), f"page {index + 1} has ink beyond {narrow / INCH} in"
    assert trifold.sheets is not None
    flap = [b for b in char_boxes(trifold.sheets, 0) if b[1] < narrow]
    assert flap and max(b[3] for b in flap) <= narrow + 0.01, "flap text runs past 3.625 in on the outside"


@pytest.mark.parametrize(("side", "folds"), [(0, OUTSIDE_FOLDS), (1, INSIDE_FOLDS)], ids=["outside", "inside"])
def test_no_text_crosses_a_fold(trifold, side, folds):
    assert trifold.sheets is not None
    boxes = char_boxes(trifold.sheets, side)
    assert len(boxes) > 500
    for fold in folds:
        crossing = [b for b in boxes if b[1] < fold - 0.01 and b[3] > fold + 0.01]
        assert not crossing, f"{''.join(b[0] for b in crossing)!r} crosses the fold at {fold / INCH} in"


def test_trifold_overflow_names_the_section_and_the_excess(tmp_path):
    content = ROOT / "content.yaml"
    out = tmp_path / "too-long.pdf"
    result = run("build", str(content), "--layout", "trifold", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert not out.exists() and not imposed_path(out).exists()
    match = re.search(
        r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: .*section '(?P<id>[^']+)' runs (?P<over>\d+(\.\d+)?) in",
        result.stderr,
        flags=re.MULTILINE,
    )
    assert match, result.stderr
    assert match["file"] == str(content)
    assert float(match["over"]) > 0
    brochure, _ = load_brochure(content)
    assert match["id"] in {s.id for s in brochure.sections}
    text = content.read_text(encoding="utf-8")
    assert (int(match["line"]), int(match["col"])) == position(text, f"id: {match['id']}")


# ---------------------------------------------------------------- 5. print shop

PRINT_SHOP = [("content.yaml", "default"), ("content-trifold.yaml", "trifold")]


@pytest.mark.parametrize(("content", "layout"), PRINT_SHOP, ids=[p[1] for p in PRINT_SHOP])
def test_print_shop_boxes(builds, content, layout):
    output = builds.get(content, layout, "--print-shop")
    assert output.imposed is None, "print-shop output is delivered unimposed"
    w, h = output.spec.page_width, output.spec.page_height
    for index, page in enumerate(output.reader.pages):
        narrow = layout == "trifold" and index + 1 in (2, 5)  # the fold-in panels trim narrower
        trim_w = output.spec.fold_in_width if narrow else w
        trim = (BORDER, BORDER, BORDER + trim_w, BORDER + h)
        bleed = (trim[0] - BLEED, trim[1] - BLEED, trim[2] + BLEED, trim[3] + BLEED)
        assert "/TrimBox" in page and "/BleedBox" in page, f"page {index + 1}"
        assert box(page, "/MediaBox") == pytest.approx((0, 0, w + 2 * BORDER, h + 2 * BORDER)), index + 1
        assert box(page, "/TrimBox") == pytest.approx(trim), index + 1
        assert box(page, "/BleedBox") == pytest.approx(bleed), index + 1


def test_print_shop_trifold_trims_tile_a_letter_sheet(builds):
    output = builds.get("content-trifold.yaml", "trifold", "--print-shop")
    widths = [box(page, "/TrimBox")[2] - box(page, "/TrimBox")[0] for page in output.reader.pages]
    for side in ([2, 6, 1], [3, 4, 5]):
        assert sum(widths[p - 1] for p in side) == pytest.approx(LETTER[1]), side


@pytest.fixture(scope="module")
def print_shop(builds) -> Output:
    return builds.get("content.yaml", "default", "--print-shop")


MARK_DPI = 288


def _marks(w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Rectangles (points) where the eight crop marks must run: along the trim lines, across the mark zone."""
    o, zone = BORDER, MARK_ZONE
    out = []
    for x in (o, o + w):  # vertical marks below and above the page
        out += [(x - 1, 0, x + 1, zone), (x - 1, o + h + BLEED, x + 1, h + 2 * o)]
    for y in (o, o + h):  # horizontal marks left and right
        out += [(0, y - 1, zone, y + 1), (o + w + BLEED, y - 1, w + 2 * o, y + 1)]
    return out


def test_crop_marks_on_every_page_in_the_mark_zone_only(print_shop):
    w, h = print_shop.spec.page_width, print_shop.spec.page_height
    scale = MARK_DPI / INCH
    height_px = round((h + 2 * BORDER) * scale)

    def px(rect: tuple[float, float, float, float], grow: float = 0) -> tuple[int, int, int, int]:
        left, bottom, right, top = rect
        return (
            round((left - grow) * scale),
            height_px - round((top + grow) * scale),
            round((right + grow) * scale),
            height_px - round((bottom - grow) * scale),
        )

    o = BORDER
    outer = o - BLEED - 1  # outside the bleed box, 1 pt of anti-aliasing left alone
    beyond_bleed = [
        (0, 0, outer, h + 2 * o),
        (w + 2 * o - outer, 0, w + 2 * o, h + 2 * o),
        (0, 0, w + 2 * o, outer),
        (0, h + 2 * o - outer, w + 2 * o, h + 2 * o),
    ]
    ring = [  # between the trim and the bleed box
        (o - BLEED, o - BLEED, o - 0.5, o + h + BLEED),
        (o + w + 0.5, o - BLEED, o + w + BLEED, o + h + BLEED),
        (o - BLEED, o - BLEED, o + w + BLEED, o - 0.5),
        (o - BLEED, o + h + 0.5, o + w + BLEED, o + h + BLEED),
    ]
    for index in range(print_shop.pages):
        image = render(print_shop.doc, index, MARK_DPI, no_smoothpath=True).convert("L")
        assert image.height == height_px
        dark = image.point(lambda v: 255 if v < 128 else 0)
        for mark in _marks(w, h):
            found = dark.crop(px(mark)).getbbox()
            length = max(mark[2] - mark[0], mark[3] - mark[1]) * scale
            assert found is not None, f"page {index + 1}: no crop mark at {mark}"
            assert max(found[2] - found[0], found[3] - found[1]) >= 0.5 * length, f"page {index + 1}: {mark}"
        cleaned = image.copy()
        draw = ImageDraw.Draw(cleaned)
        for mark in _marks(w, h):
            draw.rectangle(px(mark, grow=1), fill=255)
        for rect in beyond_bleed:
            assert white(cleaned, px(rect)), f"page {index + 1}: ink outside the bleed other than crop marks"
        if index > 0:  # the cover's band runs into the bleed on purpose
            for rect in ring:
                assert white(image, px(rect)), f"page {index + 1}: ink between the trim and the bleed edge"


def test_cover_band_runs_into_the_bleed(print_shop):
    spec = print_shop.spec
    w, h, o = spec.page_width, spec.page_height, BORDER
    scale = 144 / INCH
    image = render(print_shop.doc, 0, 144)
    height_px = image.height
    accent = hex_rgb(spec.color_accent)

    def pixels(left: float, bottom: float, right: float, top: float) -> list[tuple[int, int, int]]:
        crop = image.crop(
            (
                round(left * scale),
                height_px - round(top * scale),
                round(right * scale),
                height_px - round(bottom * scale),
            )
        )
        data = crop.tobytes()
        return [(data[i], data[i + 1], data[i + 2]) for i in range(0, len(data), 3)]

    strips = {
        "top": pixels(o + 1, o + h + 1, o + w - 1, o + h + BLEED - 1),
        "left": pixels(o - BLEED + 1, o + 0.8 * h, o - 1, o + h),
        "right": pixels(o + w + 1, o + 0.8 * h, o + w + BLEED - 1, o + h),
    }
    exact = total = 0
    for name, strip in strips.items():
        assert strip, name
        # The band's translucent decoration circles lighten the accent a little where they reach the edge.
        worst = max(max(abs(a - b) for a, b in zip(p, accent, strict=True)) for p in strip)
        assert worst <= 32, f"{name} bleed strip has a pixel far from the accent colour"
        exact += sum(all(abs(a - b) <= 3 for a, b in zip(p, accent, strict=True)) for p in strip)
        total += len(strip)
    assert exact >= total / 2, "the bleed beside the band is mostly not the accent colour"


OFFICE = [
    ("content.yaml", "default", False),
    ("content.yaml", "a4", False),
    ("content.yaml", "large-print", False),
    pytest.param("content.yaml", "booklet", True),
    pytest.param("content.yaml", "booklet-a5", True),
    pytest.param("content-trifold.yaml", "trifold", True),
]


@pytest.mark.parametrize(("content", "layout", "imposed"), OFFICE)
def test_office_output_keeps_a_quarter_inch_white_border(builds, content, layout, imposed):
    output = builds.get(content, layout)
    doc = output.sheets if imposed else output.doc
    assert doc is not None
    dpi = 50
    edge = int(SAFE_EDGE * dpi / INCH)  # 12 px: the 13th is where anti-aliasing may start
    inked = []
    for index in range(len(doc)):
        image = render(doc, index, dpi)
        wpx, hpx = image.size
        for name, rect in (
            ("left", (0, 0, edge, hpx)),
            ("right", (wpx - edge, 0, wpx, hpx)),
            ("top", (0, 0, wpx, edge)),
            ("bottom", (0, hpx - edge, wpx, hpx)),
        ):
            if not white(image, rect):
                inked.append(f"{'sheet side' if imposed else 'page'} {index + 1} {name}")
    assert inked == []


# ---------------------------------------------------------------- 6. grayscale


@pytest.fixture(scope="module")
def grayscale(builds) -> Output:
    return builds.get("content.yaml", "default", "--grayscale")


def _most_colourful(image: Image.Image) -> int:
    r, g, b = image.split()
    return max(ImageChops.difference(x, y).getextrema()[1] for x, y in ((r, g), (g, b), (r, b)))


def test_grayscale_pages_render_without_colour(builds, grayscale):
    office = builds.get("content.yaml", "default")
    assert _most_colourful(render(office.doc, 0, 50)) > 20, "control: the office cover is in colour"
    for index in range(grayscale.pages):
        assert _most_colourful(render(grayscale.doc, index, 50)) <= 2, f"page {index + 1} has colour"


_FILL = {b"rg", b"g", b"k", b"sc", b"scn"}
_STROKE = {b"RG", b"G", b"K", b"SC", b"SCN"}
_SHOW = {b"Tj", b"TJ", b"'", b'"'}


def colour_operations(reader: PdfReader) -> tuple[Counter[str], Counter[str]]:
    """Every colour set in the content streams (as '#rrggbb', CMYK as 'cmyk'), and the fill colours text is shown in."""
    used: Counter[str] = Counter()
    text: Counter[str] = Counter()

    def hex_of(operands: list) -> str:
        values = [float(v) for v in operands if not isinstance(v, str)]
        if len(values) == 1:
            values *= 3
        if len(values) != 3:
            return "cmyk" if len(values) == 4 else "pattern"
        return "#" + "".join(f"{round(v * 255):02x}" for v in values)

    for page in reader.pages:
        fill, stack = "#000000", []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"q":
                stack.append(fill)
            elif op == b"Q" and stack:
                fill = stack.pop()
            elif op in _FILL or op in _STROKE:
                colour = hex_of(operands)
                used[colour] += 1
                if op in _FILL:
                    fill = colour
            elif op in _SHOW:
                text[fill] += 1
    return used, text


def test_grayscale_sets_only_grays_of_the_layouts_colours(grayscale):
    used, _ = colour_operations(grayscale.reader)
    spec = grayscale.spec
    colours = [getattr(spec, f.name) for f in fields(LayoutSpec) if f.metadata.get("kind") == "color"]
    grays = {gray_of(colour) for colour in colours if colour}  # colors.band is empty: the accent
    allowed = grays | {"#000000", WHITE}
    assert used
    assert set(used) <= allowed, f"colours that are not grays of the layout: {sorted(set(used) - allowed)}"


def test_grayscale_text_keeps_4_5_to_1_contrast(grayscale):
    spec = to_grayscale(grayscale.spec)
    _, text = colour_operations(grayscale.reader)
    assert text
    for colour in text:
        assert colour[1:3] == colour[3:5] == colour[5:7], f"text in {colour}"
        if colour == spec.color_on_accent:  # dark text on the band's light tint (and on white, as body text)
            assert contrast(colour, spec.band) >= 4.5
        else:
            assert contrast(colour, WHITE) >= 4.5, colour
            assert contrast(colour, spec.color_callout_bg) >= 4.5, colour


# Text colour → the backgrounds it is printed on.
TEXT_ON = {
    "color_text": (WHITE, "color_callout_bg"),
    "color_muted": (WHITE,),
    "color_link": (WHITE, "color_callout_bg"),
    "color_accent": (WHITE,),
    "color_callout_rule": ("color_callout_bg",),
    "color_on_accent": ("band",),
}


@pytest.mark.parametrize("layout", [name for name, _ in list_layouts()])
def test_grayscale_layout_colours_keep_text_contrast(layout):
    spec = load_layout(layout)
    gray = to_grayscale(spec)
    for name in (f.name for f in fields(LayoutSpec) if f.metadata.get("kind") == "color"):
        level = getattr(gray, name)
        if name == "color_band":  # the cover band, a large area, is a light tint, not the accent's dark gray
            assert level == gray_of(spec.color_accent_light) and contrast(level, WHITE) < 1.5, level
        elif name == "color_on_accent":  # so the text on it is dark
            assert level == gray_of(spec.color_text), level
        else:
            assert level == gray_of(getattr(spec, name)), name
        assert level[1:3] == level[3:5] == level[5:7], f"{name} is not gray: {level}"
    for fg, backgrounds in TEXT_ON.items():
        for bg in backgrounds:
            back = bg if bg.startswith("#") else getattr(gray, bg)
            ratio = contrast(getattr(gray, fg), back)
            assert ratio >= 4.5, f"{layout}: {fg} on {bg} is {ratio:.2f}:1 in grayscale"
            original = contrast(getattr(spec, fg), bg if bg.startswith("#") else getattr(spec, bg))
            if fg == "color_on_accent":  # the band turns light and its text dark: the contrast may only grow
                assert ratio >= original * 0.97, f"{layout}: {fg} on {bg} lost contrast"
                continue
            assert ratio == pytest.approx(original, rel=0.03), f"{layout}: {fg} on {bg} changed contrast"


# ---------------------------------------------------------------- 7. output names (make print)

NAMES = [
    ("content.yaml", "default", False, False, "out/brochure.pdf"),
    ("content.es.yaml", "default", False, False, "out/brochure.es.pdf"),
    ("content.zh-Hans.yaml", "default", False, False, "out/brochure.zh-Hans.pdf"),
    ("content.yaml", "booklet", False, False, "out/brochure-booklet.pdf"),
    ("content.yaml", "default", True, False, "out/brochure-print-shop.pdf"),
    ("content.yaml", "default", False, True, "out/brochure-grayscale.pdf"),
    ("content.es.yaml", "booklet", True, False, "out/brochure.es-booklet-print-shop.pdf"),
    ("content.ar.yaml", "large-print", False, True, "out/brochure.ar-large-print-grayscale.pdf"),
    ("content.yaml", "a4", True, True, "out/brochure-a4-print-shop-grayscale.pdf"),
    ("content.yaml", "layouts/booklet-a5.yaml", False, False, "out/brochure-booklet-a5.pdf"),
    ("content-trifold.yaml", "trifold", False, False, "out/brochure-trifold-trifold.pdf"),
    ("content-trifold.yaml", "trifold", True, False, "out/brochure-trifold-trifold-print-shop.pdf"),
    ("my-clinic.yaml", "default", False, False, "out/my-clinic.pdf"),
    ("my-clinic.yaml", "booklet", False, True, "out/my-clinic-booklet-grayscale.pdf"),
]


@pytest.mark.parametrize(("content", "layout", "print_shop", "gray", "expected"), NAMES)
def test_default_output_names(content, layout, print_shop, gray, expected):
    assert default_output(Path(content), layout, print_shop=print_shop, grayscale=gray) == Path(expected)


def _names(contents: list[str]) -> dict[Path, tuple]:
    """Every output path (imposed sheets included) of contents x layouts x profiles; fails on a repeat."""
    seen: dict[Path, tuple] = {}
    for content in contents:
        for layout, _ in list_layouts():
            for print_shop in (False, True):
                for gray in (False, True):
                    out = default_output(Path(content), layout, print_shop=print_shop, grayscale=gray)
                    key = (content, layout, print_shop, gray)
                    for path in (out, imposed_path(out)):
                        assert path not in seen, f"{key} and {seen[path]} both write {path}"
                        seen[path] = key
    return seen


def test_default_output_gives_every_language_layout_and_profile_its_own_file():
    """The `make print` matrix: each translation x layout x profile, imposed sheets included, never overwritten."""
    contents = sorted(p.name for p in ROOT.glob("content*.yaml") if p.name != "content-trifold.yaml")
    assert len(contents) >= 3
    assert len(_names(contents)) == 2 * len(contents) * len(list_layouts()) * 4


def test_default_output_keeps_content_trifold_layouts_apart():
    _names(["content-trifold.yaml"])
