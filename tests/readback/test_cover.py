"""The cover's band holds the publisher, title and subtitle whatever their length: set smaller, never spilled."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from support import ROOT, TINY, open_pdf, page_chars, page_texts, squash, write

from brochure.build import build_brochure, load_brochure
from brochure.errors import LayoutOverflowError
from brochure.render import band_frame
from brochure.spec import load_layout


def squashed(text: str) -> str:
    return squash(text).replace("-", "").replace(" ", "")


@pytest.mark.parametrize(("content", "layout"), [("content.es.yaml", "large-print"), ("content.es.yaml", "booklet")])
def test_a_long_translated_title_stays_in_the_band_and_the_body_starts_on_page_2(content: str, layout: str) -> None:
    brochure, _ = load_brochure(ROOT / content)
    spec = load_layout(layout)
    doc = open_pdf(build_brochure(ROOT / content, layout).pdf)
    texts = [squashed(t) for t in page_texts(doc)]
    assert squashed(brochure.title) in texts[0]
    assert brochure.subtitle and squashed(brochure.subtitle) in texts[0]
    assert squashed(brochure.sections[0].heading) in texts[1], "the cover ran onto a second page"
    x, y, width, height = band_frame(spec)
    for char in page_chars(doc, 0):
        # The title's characters: set between the headings' size and its own (the DRAFT mark is larger).
        # The cover's phone number (digits and hyphens) is set as large, and may be below the band.
        title_size = min(spec.heading_size, spec.title_size) <= char.size <= spec.title_size
        if title_size and char.ch.strip() and char.ch not in "0123456789-":
            assert x - 1 <= char.x <= x + width + 1 and y - 1 <= char.y <= y + height + 1, char


def test_a_title_too_long_for_the_band_is_set_smaller(tmp_path: Path) -> None:
    long = (
        "A much longer title for this guide, which would need six or seven lines of the cover "
        "at the size titles are set in this layout"
    )
    content = write(tmp_path, TINY.replace("title: Tiny guide", f"title: {long}"))
    spec = load_layout("default")
    doc = open_pdf(build_brochure(content).pdf)
    sizes = {c.size for c in page_chars(doc, 0) if c.ch.isalpha() and c.size > spec.body_size}
    assert sizes and max(sizes) < spec.title_size
    assert max(sizes) >= min(spec.heading_size, spec.title_size)  # the title: smaller, not below the headings
    texts = [squashed(t) for t in page_texts(doc)]
    assert squashed(long) in texts[0]
    assert squashed("First section") in texts[1]


def test_a_title_that_cannot_fit_is_an_error(tmp_path: Path) -> None:
    endless = " ".join(["Words"] * 120)
    content = write(tmp_path, TINY.replace("title: Tiny guide", f"title: {endless}"))
    with pytest.raises(LayoutOverflowError, match="do not fit the cover of layout 'default'"):
        build_brochure(content)


def test_a_contents_list_too_long_for_the_cover_gets_page_2_and_the_band_fills_the_cover() -> None:
    brochure, _ = load_brochure(ROOT / "content.es.yaml")
    spec = load_layout("large-print")
    doc = open_pdf(build_brochure(ROOT / "content.es.yaml", "large-print").pdf)
    texts = [squashed(t) for t in page_texts(doc)]
    label = squashed(brochure.labels.get("contents"))
    assert label not in texts[0]
    assert label in texts[1]
    assert all(squashed(section.heading) in texts[1] for section in brochure.sections)
    assert squashed(brochure.sections[0].heading) in texts[2].split(label)[-1]  # the first section on page 3
    image = doc[0].render(scale=0.25).to_pil().convert("RGB")
    width, height = image.size
    accent = tuple(int(spec.color_accent[i : i + 2], 16) for i in (1, 3, 5))
    low = image.getpixel((width // 3, int(height * 0.85)))  # where the contents list would have been
    assert max(abs(a - b) for a, b in zip(low, accent, strict=True)) < 40, (low, accent)


def test_the_english_contents_list_stays_on_the_cover() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    for layout in ("default", "large-print", "booklet"):
        texts = [squashed(t) for t in page_texts(open_pdf(build_brochure(ROOT / "content.yaml", layout).pdf))]
        assert squashed("1-800-662-4357") in texts[0], layout
        # Large print: the helpline number takes the room the list had; the list has page 2 to itself.
        page = 1 if layout == "large-print" else 0
        assert squashed(brochure.labels.get("contents")) in texts[page], layout


def test_a_heading_split_across_pages_keeps_its_bookmark_and_contents_link(tmp_path: Path) -> None:
    """Found by make fuzz: the contents list linked to a section whose heading, split, had lost its bookmark."""
    content = write(tmp_path, TINY.replace("heading: First section", "heading: " + "word " * 200))
    reader = PdfReader(io.BytesIO(build_brochure(content).pdf))
    titles = [str(item.title) for item in reader.outline if not isinstance(item, list)]
    assert any(title.startswith("word word") for title in titles), titles
    first = next(item for item in reader.outline if str(item.title).startswith("word word"))
    links = [a.get_object() for page in reader.pages[:2] for a in page.get("/Annots") or []]  # cover or page 2
    target = f"Go to page {reader.get_destination_page_number(first) + 1}"
    assert any(str(link.get("/Contents")) == target for link in links)
