"""Read-back tests: content.yaml built with the default layout, checked against its own model.

Every expectation comes from ``load_brochure(content.yaml)`` or the layout, never from a
copy of the current output, so the tests keep working when the content is edited.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import pypdfium2.raw as pdfium_c
import zxingcpp
from pypdf.generic import ArrayObject, BooleanObject, DictionaryObject, NameObject, TextStringObject
from support import (
    TINY,
    Char,
    block_runs,
    bounded_text,
    brochure_cites,
    first_appearances,
    is_superscript,
    open_pdf,
    page_texts,
    runs_pattern,
    squash,
    superscript_numbers,
    write,
)

from brochure.build import build_brochure, load_brochure
from brochure.inline import plain_text
from brochure.model import Bullets, Terms

BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")
QR_DPI = 200


# ---------------------------------------------------------------- helpers


def printed(chars: list[Char]) -> tuple[str, list[Char]]:
    """The squashed text of ``chars`` (no spaces or hyphens) and the chars behind each letter."""
    kept = [c for c in chars if squash(c.ch)]
    return "".join(squash(c.ch) for c in kept), kept


@dataclass(frozen=True)
class Found:
    """One text of the model located in the printed body."""

    kind: str
    text: str
    chars: list[Char]
    """The printed characters of the text, citation superscripts left out."""


def locate_blocks(built) -> list[Found]:
    """Find every paragraph, list item, term and call-out of the model, in order, in the body pages."""
    stream, kept = printed(built.body_chars(first=1))
    found: list[Found] = []
    pos = 0
    for section in built.brochure.sections:
        for block in section.blocks:
            kind = type(block).__name__
            for runs in block_runs(block):
                pattern = re.compile(runs_pattern(runs))
                match = pattern.search(stream, pos)
                assert match is not None, f"{kind} not printed (or out of order): {plain_text(runs)[:70]!r}"
                cited = {i for g in range(1, (match.re.groups or 0) + 1) for i in range(*match.span(g))}
                chars = [kept[i] for i in range(match.start(), match.end()) if i not in cited]
                found.append(Found(kind, plain_text(runs), chars))
                pos = match.end()
    return found


@dataclass(frozen=True)
class LinkAnnot:
    page: int
    rect: tuple[float, float, float, float]
    target_page: int
    x: float
    y: float


def internal_links(built) -> list[LinkAnnot]:
    """Every link annotation that jumps inside the document, in page and drawing order."""
    reader = built.reader
    numbers = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    named = reader.named_destinations
    out = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is None:
                continue
            dest = dest.get_object() if hasattr(dest, "get_object") else dest
            if isinstance(dest, (TextStringObject, NameObject, str)):
                target = named[str(dest)]
                target_page = reader.get_destination_page_number(target)
                x, y = float(target.left or 0), float(target.top or 0)
            else:
                assert isinstance(dest, ArrayObject)
                target_page = numbers[dest[0].idnum]
                x, y = float(dest[2]), float(dest[3])
            rect = tuple(float(v) for v in annot["/Rect"])
            out.append(LinkAnnot(index, rect, target_page, x, y))
    return out


def superscripts_in(built, link: LinkAnnot) -> str:
    """The superscript digits under a link's rectangle."""
    chars = built.chars[link.page]
    x0, y0, x1, y1 = link.rect
    return "".join(
        c.ch
        for i, c in enumerate(chars)
        if is_superscript(chars, i, built.spec.body_size) and x0 - 1.5 <= c.x + 0.5 <= x1 and y0 <= c.y + 1 <= y1
    )


def note_number_at(built, page: int, y: float, x: float) -> int | None:
    """The note number that begins the first printed line at or below the point (``x``, ``y``) of ``page``.

    Only the column the point is in is read (the notes may be set in two columns).
    """
    column = (built.spec.frame_width - 0.3 * 72) / 2
    start = x - built.spec.small_size * 2.4  # the link goes to the text; the number is left of it
    below = [
        c for c in built.chars[page] if y - 20 < c.y <= y + 1 and c.ch.strip() and start - 6 <= c.x < start + column
    ]
    if not below:
        return None
    baseline = max(c.y for c in below)
    line = "".join(c.ch for c in sorted((c for c in below if abs(c.y - baseline) < 0.5), key=lambda c: c.x))
    match = re.match(r"(\d+)\.", line)
    return int(match.group(1)) if match else None


def outline_entries(reader) -> list[tuple[str, int]]:
    """(title, 0-based page) of every bookmark, depth first."""
    out = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append((str(item.title), reader.get_destination_page_number(item)))

    walk(reader.outline)
    return out


def notes_pages(built) -> range:
    """The pages from the Notes heading to the page before the back page."""
    label = built.brochure.labels.get("notes")
    start = next(page for title, page in outline_entries(built.reader) if title == label)
    return range(start, built.pages - 1)


# ---------------------------------------------------------------- text and order


def test_section_headings_printed_in_order_at_heading_size(built):
    stream, kept = printed(built.body_chars(first=1))
    pos = 0
    for section in built.brochure.sections:
        needle = squash(section.heading)
        index = stream.find(needle, pos)
        while index >= 0 and {c.size for c in kept[index : index + len(needle)]} != {built.spec.heading_size}:
            index = stream.find(needle, index + 1)
        assert index >= 0, f"section heading {section.heading!r} missing, out of order or not at heading size"
        pos = index + len(needle)


def test_every_list_item_and_term_printed_in_order(built):
    expected = []
    for section in built.brochure.sections:
        for block in section.blocks:
            if isinstance(block, Bullets):
                expected.extend(("Bullets", plain_text(item.runs)) for item in block.items)
            elif isinstance(block, Terms):
                for term in block.items:
                    expected.extend([("Terms", term.term), ("Terms", plain_text(term.text))])
    assert expected, "content.yaml has no lists: this test would check nothing"
    found = [(f.kind, f.text) for f in locate_blocks(built) if f.kind in ("Bullets", "Terms")]
    assert found == expected


def test_term_names_are_bold(built):
    terms = {t.term for s in built.brochure.sections for b in s.blocks if isinstance(b, Terms) for t in b.items}
    assert terms
    fonts = _char_fonts(built)
    for term in terms:
        assert any(term in line and "Bold" in font for line, font in fonts), f"term {term!r} not set in bold"


def _char_fonts(built) -> list[tuple[str, str]]:
    """(text, font name) of each run of same-font text on the body pages."""
    out = []
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    for index in range(1, built.pages):
        page = built.doc[index]
        textpage = page.get_textpage()
        current, font = [], None
        for i in range(textpage.count_chars()):
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, len(buffer), ctypes.byref(flags))
            name = buffer.value.decode()
            ch = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
            if name != font and current:
                out.append(("".join(current).strip(), font or ""))
                current = []
            font = name
            current.append(ch)
        if current:
            out.append(("".join(current).strip(), font or ""))
        textpage.close()
        page.close()
    return out


def test_body_text_is_at_least_12_points(built):
    found = locate_blocks(built)
    assert any(f.kind == "Paragraph" for f in found)
    for item in found:
        smallest = min(c.size for c in item.chars)
        assert smallest >= 12, f"{item.kind} set at {smallest} pt: {item.text[:60]!r}"


def _body_lines(built) -> dict[tuple[int, float], str]:
    lines: dict[tuple[int, float], list[str]] = defaultdict(list)
    for c in built.body_chars(first=1):
        if c.size == built.spec.body_size:
            lines[(c.page, round(c.y, 1))].append(c.ch)
    return {key: "".join(chars).strip() for key, chars in lines.items()}


def test_body_lines_stay_within_a_readable_measure(built):
    """A regression guard: ~80 characters a line, with 10% slack (see the strict test below)."""
    lines = _body_lines(built)
    assert len(lines) > 50
    longest = max(lines.values(), key=len)
    assert len(longest) <= 88, f"{len(longest)} characters: {longest!r}"


def test_body_lines_at_most_80_characters(built):
    lines = _body_lines(built)
    longest = max(lines.values(), key=len)
    assert len(longest) <= 80, f"{len(longest)} characters: {longest!r}"


# ---------------------------------------------------------------- notes and citations


def test_superscripts_match_the_model_citations(built):
    notes = built.brochure.notes
    printed_numbers = superscript_numbers(built.body_chars(first=1), built.spec.body_size)
    assert printed_numbers == [c.number for c in brochure_cites(built.brochure)]
    assert first_appearances(printed_numbers) == list(range(1, len(notes) + 1))


def test_notes_list_is_numbered_1_to_n_in_order(built):
    numbers = []
    gap = 0.3 * 72  # the notes are set in two columns, read one after the other
    second = built.spec.margin_left + (built.spec.frame_width - gap) / 2 + gap
    for page in notes_pages(built):
        for left in (0, second - 1):
            right = (built.spec.margin_left if left == 0 else second) + 21
            column = bounded_text(built.doc, page, left, built.spec.margin_bottom, right, 10_000)
            numbers.extend(int(m) for m in re.findall(r"^(\d+)\.\s*$", column, flags=re.MULTILINE))
    assert numbers == list(range(1, len(built.brochure.notes) + 1))
    stream, _ = printed(built.body_chars(first=notes_pages(built).start))
    pos = 0
    for note in built.brochure.notes:
        needle = f"{note.number}." + squash(plain_text(note.runs))[:40]
        index = stream.find(needle, pos)
        assert index >= 0, f"note {note.number} ({note.key}) not printed after note {note.number - 1}"
        pos = index


def test_a_source_cited_again_keeps_its_number(built):
    by_key: dict[str, set[int]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for cite in brochure_cites(built.brochure):
        by_key[cite.key].add(cite.number)
        counts[cite.key] += 1
    assert any(n > 1 for n in counts.values()), "content.yaml cites no source twice"
    assert all(len(numbers) == 1 for numbers in by_key.values()), dict(by_key)
    notes = {note.key: note.number for note in built.brochure.notes}
    assert {key: numbers.pop() for key, numbers in by_key.items()} == notes


def test_each_citation_links_to_its_note(built):
    links = internal_links(built)
    cite_links = [(link, superscripts_in(built, link)) for link in links]
    cite_links = [(link, int(digits)) for link, digits in cite_links if digits]
    assert [n for _, n in cite_links] == [c.number for c in brochure_cites(built.brochure)]
    for link, number in cite_links:
        assert link.target_page in notes_pages(built), f"citation {number} on page {link.page + 1}"
        assert note_number_at(built, link.target_page, link.y, link.x) == number, (
            f"citation {number} on page {link.page + 1} jumps to the wrong place"
        )


def test_each_note_number_links_back_to_its_first_citation(built):
    links = internal_links(built)
    first_cite: dict[int, LinkAnnot] = {}
    backlinks: dict[int, LinkAnnot] = {}
    for link in links:
        digits = superscripts_in(built, link)
        if digits:
            first_cite.setdefault(int(digits), link)
            continue
        text = bounded_text(built.doc, link.page, *link.rect).splitlines() or [""]
        match = re.fullmatch(r"\s*(\d+)\.\s*", text[-1])  # the line above may just touch the link's box
        if match and link.page in notes_pages(built):
            backlinks[int(match.group(1))] = link
    assert sorted(backlinks) == list(range(1, len(built.brochure.notes) + 1))
    for number, back in backlinks.items():
        cite = first_cite[number]
        assert back.target_page == cite.page, f"note {number} links to page {back.target_page + 1}"
        x0, y0, _, y1 = cite.rect
        assert abs(back.x - x0) <= 3 and y0 - 2 <= back.y <= y1 + 4, f"note {number} links beside its citation"


# ---------------------------------------------------------------- pages


def test_page_count_is_even_and_a_multiple_of_pad_to(built):
    assert built.pages % 2 == 0
    assert built.pages % built.spec.pad_to == 0
    assert len(built.reader.pages) == built.pages


def test_page_x_of_y_footer_on_every_page_after_the_cover(built):
    labels, total = built.brochure.labels, built.pages
    for index in range(1, total):
        footer = bounded_text(built.doc, index, 0, 0, built.spec.page_width, built.spec.margin_bottom)
        assert labels.get("page", page=index + 1, pages=total) in footer, f"page {index + 1}: {footer!r}"
    cover = built.texts[0]
    assert labels.get("page", page=1, pages=total) not in cover


def test_contents_list_gives_each_sections_page(built):
    cover = built.texts[0]
    for section in built.brochure.sections:
        match = re.search(re.escape(section.heading) + r"\s+(\d+)\s*$", cover, flags=re.MULTILINE)
        assert match, f"{section.heading!r} not in the contents list"
        page = int(match.group(1)) - 1
        stream, kept = printed([c for c in built.chars[page] if c.y > built.spec.margin_bottom])
        needle = squash(section.heading)
        spots = [m.start() for m in re.finditer(re.escape(needle), stream)]
        assert any(kept[i].size == built.spec.heading_size for i in spots), (
            f"contents list says {section.heading!r} is on page {page + 1}"
        )


def test_contact_block_is_on_the_last_page(built):
    contact = built.brochure.contact
    assert contact is not None and contact.lines
    last = squash(built.texts[-1])
    assert squash(contact.heading) in last
    for line in contact.lines:
        assert squash(line.label) in last and squash(line.value) in last, line.value
    for page in built.texts[:-1]:
        assert squash(contact.heading) not in squash(page)


def test_padding_pages_go_before_the_back_page(tmp_path):
    content = write(tmp_path, TINY)
    model, _ = load_brochure(content)
    doc = open_pdf(build_brochure(content, "default", None).pdf)
    texts = [squash(t) for t in page_texts(doc)]
    doc.close()
    n = len(texts)
    assert n % 2 == 0
    assert squash(model.contact.heading) in texts[-1] and squash(model.contact.lines[0].value) in texts[-1]
    pad = squash(model.labels.get("my_notes"))
    last_body = max(i for i, t in enumerate(texts) if squash(model.sections[-1].heading) in t and i > 0)
    pads = [i for i, t in enumerate(texts) if pad in t]
    assert pads, "a 3-page brochure must be padded"
    assert pads == list(range(last_body + 1, n - 1))
    for i in range(1, n):
        assert squash(model.labels.get("page", page=i + 1, pages=n)) in texts[i]


def test_back_page_is_last_in_the_bookmarks(built):
    entries = outline_entries(built.reader)
    assert entries[-1] == (built.brochure.contact.heading, built.pages - 1)


# ---------------------------------------------------------------- document structure


def _fonts_of(resources, seen: set[int]) -> list[DictionaryObject]:
    fonts: list[DictionaryObject] = []
    if resources is None:
        return fonts
    resources = resources.get_object()
    for ref in (resources.get("/Font") or {}).values():
        fonts.append(ref.get_object())
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
            seen.add(id(xobject))
            fonts.extend(_fonts_of(xobject.get("/Resources"), seen))
    return fonts


def test_every_font_is_embedded_and_none_is_base14(reader):
    checked = 0
    for number, page in enumerate(reader.pages, 1):
        for font in _fonts_of(page.get("/Resources"), set()):
            base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            assert not base.startswith(BASE14), f"page {number}: base-14 font {base}"
            if font.get("/Subtype") == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, f"page {number}: font {base} has no descriptor (not embedded)"
            assert "/FontFile2" in descriptor.get_object(), f"page {number}: font {base} is not embedded TrueType"
            checked += 1
    assert checked >= len(reader.pages)


def test_document_metadata(built):
    brochure, reader = built.brochure, built.reader
    info = reader.metadata
    assert info["/Title"] == brochure.title
    assert info["/Author"] == (brochure.publisher or "")
    assert info["/Subject"] == (brochure.subtitle or "")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == brochure.lang == "en"
    display_title = catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert isinstance(display_title, BooleanObject) and display_title.value is True


def test_creation_date_is_the_review_records_date(built):
    assert built.brochure.review is not None and built.brochure.review.date
    reviewed = datetime.fromisoformat(built.brochure.review.date)
    assert built.reader.metadata["/CreationDate"].startswith(reviewed.strftime("D:%Y%m%d"))


def test_bookmarks_hold_every_section_heading_in_order_and_on_its_page(built):
    entries = outline_entries(built.reader)
    titles = [title for title, _ in entries]
    headings = [s.heading for s in built.brochure.sections]
    positions = [titles.index(h) for h in headings]
    assert positions == sorted(positions)
    for heading, (_, page) in zip(headings, (entries[i] for i in positions), strict=True):
        assert squash(heading) in squash(built.texts[page]), f"bookmark {heading!r} points to page {page + 1}"


# ---------------------------------------------------------------- back page QR code


def test_qr_code_decodes_to_the_contact_qr_and_is_at_least_2_cm(built):
    expected = built.brochure.contact.qr
    assert expected
    page = built.doc[built.pages - 1]
    image = page.render(scale=QR_DPI / 72).to_pil()
    page.close()
    codes = [c for c in zxingcpp.read_barcodes(image) if c.format == zxingcpp.BarcodeFormat.QRCode]
    assert [c.text for c in codes] == [expected]
    pos = codes[0].position
    sides = [
        math.dist((a.x, a.y), (b.x, b.y))
        for a, b in (
            (pos.top_left, pos.top_right),
            (pos.top_right, pos.bottom_right),
            (pos.bottom_right, pos.bottom_left),
            (pos.bottom_left, pos.top_left),
        )
    ]
    smallest_cm = min(sides) / QR_DPI * 2.54
    assert smallest_cm >= 2.0, f"QR code is {smallest_cm:.2f} cm across"
