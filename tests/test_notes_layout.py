"""Compact notes: two columns where the page is wide enough; large print prints each address's site only."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from support import open_pdf, page_texts

from brochure.build import build_brochure
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent


def notes_start(texts: list[str], label: str = "Notes") -> int:
    return next(i for i, text in enumerate(texts) if any(line.strip() == label for line in text.splitlines()))


def test_notes_are_set_in_two_columns_in_the_default_layout(built) -> None:
    spec = built.spec
    middle = spec.margin_left + spec.frame_width / 2
    first = notes_start(built.texts)
    numbers_right = [
        c for page in range(first, built.pages - 1) for c in built.chars[page] if c.x > middle and c.ch.isdigit()
    ]
    assert numbers_right, "no note is set in the right-hand column"
    assert spec.notes_columns == 2


def test_large_print_notes_print_the_site_and_link_the_whole_address() -> None:
    spec = load_layout("large-print")
    assert spec.notes_urls == "site" and spec.notes_columns == 1
    pdf = build_brochure(ROOT / "content.yaml", "large-print").pdf
    doc = open_pdf(pdf)
    texts = page_texts(doc)
    doc.close()
    notes = " ".join(texts[notes_start(texts) :])
    assert "nida.nih.gov" in notes
    assert "nida.nih.gov/publications" not in notes.replace("\n", "")
    reader = PdfReader(io.BytesIO(pdf))
    uris = {
        a.get_object()["/A"].get("/URI")
        for page in reader.pages
        for a in page.get("/Annots", [])
        if "/A" in a.get_object()
    }
    assert "https://nida.nih.gov/publications/drugfacts/heroin" in uris
