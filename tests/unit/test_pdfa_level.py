"""PDF/A-2u or PDF/A-2b: a file claims level U only when every glyph it draws maps to Unicode text.

The check runs at save, from the font subsets the document uses and the ToUnicode maps that
will be written for them (``canvas.glyphs_without_text``). A glyph with no text is forced
here by drawing a private-use character; the shipped scripts that shape (Devanagari) must
map every glyph, conjunct parts and vowel-sign variants included.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from brochure.canvas import BrochureCanvas, _is_text, glyphs_without_text
from brochure.fonts import SHAPED, register_font
from brochure.paragraph import shape

FONTS = Path(__file__).resolve().parents[2] / "brochure" / "fonts"


def _draw(*runs: tuple[str, str]) -> tuple[BrochureCanvas, bytes]:
    """A one-page PDF drawing each (font name, text or shaped string); the canvas and the file."""
    out = io.BytesIO()
    canvas = BrochureCanvas(out, invariant=1, lang="en")
    canvas.setTitle("Test")
    y = 700.0
    for font, text in runs:
        canvas.setFont(font, 12)
        canvas.drawString(72, y, text)
        y -= 20
    canvas.showPage()
    canvas.save()
    return canvas, out.getvalue()


def _conformance(pdf: bytes) -> str:
    match = re.search(rb"<pdfaid:part>2</pdfaid:part><pdfaid:conformance>([AUB])</pdfaid:conformance>", pdf)
    assert match, "no PDF/A identification"
    return match.group(1).decode()


def _to_unicode_targets(pdf: bytes) -> dict[str, list[str]]:
    """Each font's ToUnicode destinations (as text), by base font name, read back with pypdf."""
    reader = PdfReader(io.BytesIO(pdf))
    out: dict[str, list[str]] = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        if "/ToUnicode" not in font:  # ReportLab's initial Helvetica, listed but never drawn with
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        body = cmap.partition("beginbfchar")[2].partition("endbfchar")[0]
        targets = re.findall(r"<[0-9A-F]+> <([0-9A-F]+)>", body)
        out[str(font["/BaseFont"]).partition("+")[2]] = [bytes.fromhex(t).decode("utf-16-be") for t in targets]
    return out


def test_a_file_whose_glyphs_all_map_to_text_claims_pdf_a_2u() -> None:
    latin = register_font(FONTS / "NotoSans-Regular.ttf")
    canvas, pdf = _draw((latin, "Naloxone reverses an overdose."))
    assert canvas.without_text == []
    assert _conformance(pdf) == "U"


def _glyph_of_no_character(font_name: str) -> str:
    """A glyph of the face that no character maps to, given a private-use code as shaping gives one.

    Shaping does so for each glyph it draws that has no character of its own; where the
    cluster's characters cannot be shared out among its glyphs, nothing says what it reads as.
    """
    font = pdfmetrics.getFont(font_name)
    hb_font = font.hbFont(12)
    gid = next(g for g in range(1, 5000) if g not in font.face.glyphToChar and hb_font.get_glyph_name(g))
    return chr(font.hbAddPrivate(hb_font.glyph_to_string(gid), gid, 500))


def test_a_glyph_without_text_makes_the_file_claim_pdf_a_2b() -> None:
    """Forced: a drawn glyph whose ToUnicode entry holds only its private-use code."""
    latin = register_font(FONTS / "NotoSans-Regular.ttf")
    glyph = _glyph_of_no_character(latin)
    canvas, pdf = _draw((latin, f"Call 988 {glyph} now"))
    assert canvas.without_text == [("NotoSans-Regular", ord(glyph))]
    assert _conformance(pdf) == "B"
    assert b"<pdfuaid:part>1</pdfuaid:part>" in pdf  # PDF/UA-1 is claimed all the same
    targets = _to_unicode_targets(pdf)["NotoSans-Regular"]
    assert glyph in targets and "C" in targets  # what the check found is what the file holds


@pytest.mark.parametrize(
    ("target", "is_text"),
    [
        ("0915", True),
        ("0930094D", True),
        ("E000", False),
        ("0000", False),
        ("", False),
        ("1F600", False),
        (None, False),
    ],
)
def test_what_counts_as_text_in_a_to_unicode_entry(target: str | None, is_text: bool) -> None:
    assert _is_text(target) is is_text


def test_shaped_devanagari_conjunct_parts_and_vowel_sign_forms_map_to_their_characters() -> None:
    """श्कि is drawn as a half form, a vowel sign placed before it, and क: no glyph of the three is left without text."""
    regular = register_font(FONTS / "NotoSansDevanagari-Regular.ttf")
    SHAPED.add(regular)  # what fonts.plan does for a face that needs HarfBuzz
    words = ["श्कि", "कर्मियों", "मिल", "क्लिनिक", "र्फ़ी", "ज़िंदगी"]
    canvas, pdf = _draw(*((regular, shape(word, regular, 12, False)[0]) for word in words))
    assert canvas.without_text == []
    assert _conformance(pdf) == "U"
    targets = _to_unicode_targets(pdf)["NotoSansDevanagari-Regular"]
    assert not [t for t in targets if any(0xE000 <= ord(ch) <= 0xF8FF for ch in t)]
    assert {"श्", "ि", "क"} <= set(targets)  # the half form and the vowel sign's form read as themselves
    drawn = set(unicodedata.normalize("NFD", "".join(words)))
    assert drawn <= set(unicodedata.normalize("NFD", "".join(targets)))  # every character drawn is in some entry


def test_glyphs_without_text_reads_the_subsets_of_this_document_only() -> None:
    latin = register_font(FONTS / "NotoSans-Regular.ttf")
    _draw((latin, _glyph_of_no_character(latin)))
    canvas, _ = _draw((latin, "plain"))
    assert canvas.without_text == []
    assert glyphs_without_text(object()) == []
