"""Every script a translator may bring: each test content file under tests/scripts/ builds once per session,
and its PDF is read back: every character drawn in a face that has it, the text in logical order
(pypdfium2 and pdftotext), headings and **strong** in a bold face, CJK lines broken by the rules.
"""

from __future__ import annotations

import ctypes
import io
import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from reportlab.pdfbase.ttfonts import TTFontFile
from support import ROOT, squash

from brochure.build import build_brochure, load_brochure
from brochure.errors import FontCoverageError
from brochure.fonts import needs_glyph
from brochure.model import Brochure, Callout, Paragraph, Strong
from brochure.spec import FONT_DIR

SCRIPTS = sorted((ROOT / "tests" / "scripts").glob("content.*.yaml"))
LANGS = [p.name.removeprefix("content.").removesuffix(".yaml") for p in SCRIPTS]


@cache
def built(lang: str) -> tuple[Brochure, bytes]:
    """Each language's test file is built once per session."""
    path = ROOT / "tests" / "scripts" / f"content.{lang}.yaml"
    return load_brochure(path)[0], build_brochure(path).pdf


@cache
def cmap_of(postscript_name: str) -> frozenset[int]:
    """The characters of a shipped font, found by the PostScript name the PDF gives it."""
    for path in FONT_DIR.glob("*.ttf"):
        face = TTFontFile(str(path))
        if face.name.decode("latin-1") == postscript_name:
            return frozenset(face.charToGlyph)
    raise AssertionError(f"font {postscript_name} is not a shipped font")


def drawn(pdf: bytes) -> list[tuple[str, str, int]]:
    """Every character pdfium reads, with the PostScript name of its font and its weight (pdfium's flags)."""
    doc = pdfium.PdfDocument(pdf)
    out = []
    buffer = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    for index in range(len(doc)):
        page = doc[index]
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
            if not pdfium_c.FPDFText_GetTextObject(textpage.raw, i):
                continue  # a space or line break pdfium made up
            pdfium_c.FPDFText_GetFontInfo(textpage.raw, i, buffer, 256, ctypes.byref(flags))
            name = buffer.value.decode("latin-1").split("+", 1)[-1]
            out.append((chr(code), name, pdfium_c.FPDFText_GetFontWeight(textpage.raw, i)))
        textpage.close()
        page.close()
    return out


def texts(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    out = []
    for index in range(len(doc)):
        textpage = doc[index].get_textpage()
        out.append(textpage.get_text_range())
        textpage.close()
    return out


def plain(runs: object) -> list[str]:
    """A run sequence's text pieces, split at its note markers (which print as digits)."""
    from brochure.model import Cite, Emph, Link, Text

    pieces = [""]

    def walk(items: object) -> None:
        for run in items:  # type: ignore[attr-defined]
            if isinstance(run, Text):
                pieces[-1] += run.text
            elif isinstance(run, Cite):
                pieces.append("")
            elif isinstance(run, (Emph, Strong, Link)):
                walk(run.children)

    walk(runs)
    return [p for p in pieces if p.strip()]


def expected_pieces(brochure: Brochure) -> list[str]:
    """The text of a test file that must read back: heading, paragraphs, bullets, call-out, contact block."""
    out = [brochure.title]
    for section in brochure.sections:
        out.append(section.heading)
        for block in section.blocks:
            if isinstance(block, (Paragraph, Callout)):
                out += plain(block.runs)
                if isinstance(block, Callout) and block.title:
                    out.append(block.title)
            elif hasattr(block, "items"):
                for item in block.items:  # type: ignore[attr-defined]
                    out += plain(item.runs)
    if brochure.contact is not None:
        out.append(brochure.contact.heading)
        out += plain(brochure.contact.text)
        for line in brochure.contact.lines:
            out += [line.label, line.value, *plain(line.note)]
    return out


def same(text: str) -> str:
    """Text compared without white space, hyphens or format characters (ZWJ, ZWNJ), in NFC."""
    return squash("".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Cf"))


def test_every_language_of_the_issue_has_a_test_file() -> None:
    wanted = {"ko", "ja", "zh-Hans", "zh-Hant", "hi"}
    assert wanted <= set(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_every_character_is_drawn_in_a_face_that_has_it(lang: str) -> None:
    """No .notdef box: each character pdfium reads comes from a font whose cmap holds it."""
    brochure, pdf = built(lang)
    chars = drawn(pdf)
    assert chars
    missing = {
        (ch, name)
        for ch, name, _ in chars
        if needs_glyph(ch) and not 0xE000 <= ord(ch) <= 0xF8FF and ord(ch) not in cmap_of(name)
    }
    assert not missing
    assert not [ch for ch, _, _ in chars if 0xE000 <= ord(ch) <= 0xF8FF], "a shaped glyph reads as a private code"
    written = {ch for piece in expected_pieces(brochure) for ch in piece if needs_glyph(ch)}
    assert written - {ch for ch, _, _ in chars} == set()


RTL = {"ar", "he", "fa", "ur", "ps"}


def rtl_words(text: str) -> list[str]:
    """The right-to-left words of a text, without vowel marks, in order (digits and punctuation left out)."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKC", text) if not unicodedata.combining(ch))
    bare = "".join(ch for ch in bare if unicodedata.category(ch) != "Cf")
    words = re.findall(r"[^\W\d_]+", bare)
    return [w for w in words if re.search(r"[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufefc]", w)]


def in_order(words: list[str], text: str) -> bool:
    """Whether the words occur in text one after another (other text between them allowed)."""
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


def read_back(pdf: bytes) -> dict[str, str]:
    """The text of a PDF as pdfium (copy-paste and search in Chrome) and pdftotext (poppler) read it."""
    readers = {"pdfium": "".join(texts(pdf))}
    if shutil.which("pdftotext"):
        poppler = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
        readers["pdftotext"] = poppler.decode("utf-8")
    return readers


@pytest.mark.parametrize("lang", LANGS)
def test_text_reads_back_in_logical_order(lang: str) -> None:
    """pdfium and pdftotext give the text in reading order (for right-to-left text: its words, see docs)."""
    brochure, pdf = built(lang)
    for reader, text in read_back(pdf).items():
        if lang in RTL:
            # PDF readers rebuild the order of right-to-left lines from the drawn glyphs with bidi rules
            # of their own (digits, brackets and stops beside them differ, see docs): the words must
            # come out in order.
            read = " ".join(rtl_words(text))
            missing = [p for p in expected_pieces(brochure) if not in_order(rtl_words(p), read)]
        else:
            read = same(text)
            missing = [p for p in expected_pieces(brochure) if same(p) not in read]
        assert not missing, reader


def marked_words(text: str) -> list[str]:
    """The right-to-left words of a text that carry vowel marks (harakat, niqqud), in NFC."""
    words = re.findall(r"(?:[^\W\d_]|[\u0591-\u05c7\u064b-\u065f\u0670])+", unicodedata.normalize("NFC", text))
    return [w for w in words if rtl_words(w) and any(unicodedata.combining(ch) for ch in w)]


@pytest.mark.parametrize("lang", ["ar", "he"])
def test_vowel_marks_read_back_with_their_letters(lang: str) -> None:
    """A word written with vowel marks is found by search and copied whole: letters and marks in order."""
    brochure, pdf = built(lang)
    wanted = [w for piece in expected_pieces(brochure) for w in marked_words(piece)]
    assert wanted, "the test file writes vowel marks"
    for reader, text in read_back(pdf).items():
        read = "".join(ch for ch in unicodedata.normalize("NFC", text) if unicodedata.category(ch) != "Cf")
        assert [w for w in wanted if w not in read] == [], reader


def test_vowel_marks_are_drawn_on_their_letters_not_as_text() -> None:
    """Arabic is shaped by HarfBuzz: each mark is drawn where the font's anchors put it, over or under its
    letter (as an outline), and no glyph of the page reads as a mark alone."""
    _, pdf = built("ar")
    doc = pdfium.PdfDocument(pdf)
    page = doc[1]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    assert "ثِقَل" in unicodedata.normalize("NFC", text)
    marks = [i for i in range(textpage.count_chars()) if unicodedata.combining(text[i])]
    assert marks
    # each mark reads from the glyph of its letter (the same box), not from a glyph of its own
    assert [i for i in marks if textpage.get_charbox(i) != textpage.get_charbox(i - 1)] == []
    paths = [obj for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH]
    word = text.index("ثِقَل")
    box = textpage.get_charbox(word)  # the letter under the kasra and (with the next) the fatha
    left, bottom, right, top = textpage.get_charbox(word + 2)[0], box[1], box[2], box[3]
    em = top - bottom
    centres = [((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) for b in (p.get_bounds() for p in paths)]
    on_letters = [(x, y) for x, y in centres if left - em / 2 <= x <= right + em / 2 and bottom - em <= y <= top + em]
    assert len(on_letters) >= 2


def test_urdu_is_set_in_nastaliq_as_shapes_over_invisible_text() -> None:
    """Urdu: Noto Nastaliq Urdu, drawn as outlines over its text (invisible, on the baseline), lines apart
    by at least twice the type size; the text reads back whole (test_text_reads_back_in_logical_order)."""
    _, pdf = built("ur")
    doc = pdfium.PdfDocument(pdf)
    page = doc[1]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    objects = [obj for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT]

    def font_of(obj: pdfium.PdfObject) -> str:
        buffer = ctypes.create_string_buffer(256)
        pdfium_c.FPDFFont_GetBaseFontName(pdfium_c.FPDFTextObj_GetFont(obj.raw), buffer, 256)
        return buffer.value.decode("latin-1").split("+", 1)[-1]

    nastaliq = [obj for obj in objects if font_of(obj).startswith("NotoNastaliqUrdu")]
    assert nastaliq
    assert {pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) for obj in nastaliq} == {
        pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE
    }
    assert not [obj for obj in objects if font_of(obj).startswith("NotoNaskh")]
    paths = [obj for obj in page.get_objects() if obj.type == pdfium_c.FPDF_PAGEOBJ_PATH]
    assert len(paths) > len(nastaliq)  # every glyph drawn as a shape
    first, second = text.index("ہیروئن کی لت دماغ"), text.index("کسی ڈاکٹر")
    gap = textpage.get_charbox(first)[1] - textpage.get_charbox(second)[1]
    assert gap >= 2 * 12 - 0.5


def test_a_letter_the_nastaliq_face_lacks_is_an_error_naming_a_face_that_has_it(tmp_path: Path) -> None:
    """Urdu text with Kurdish's ڵ (not in Noto Nastaliq Urdu) stops before printing, and the hint names
    the shipped Naskh face, which has it."""
    source = (ROOT / "tests" / "scripts" / "content.ur.yaml").read_text(encoding="utf-8")
    path = tmp_path / "content.ur.yaml"
    path.write_text(source.replace('title: "ہیروئن چھوڑنا"', 'title: "ہیروئن چھوڑنا ڵ"'), encoding="utf-8")
    with pytest.raises(FontCoverageError) as error:
        build_brochure(path)
    (problem,) = error.value.diagnostics
    assert "'ڵ' (U+06B5)" in problem.message and f"{path}:3:" in str(problem.location)
    assert problem.hint.endswith("such as Noto Naskh Arabic")


BIDI_CASES = {
    "ar": [
        "إلى 435748 (HELP4U).",
        "(TTY) 1-800-487-4889",
        "1-800-662-4357.",
        "https://www.samhsa.gov/find-help/national-helpline اليوم.",
    ],
    "he": ["במרץ 2023.1", "(TTY) 1-800-487-4889", "ל-1-800-662-4357."],
}
"""Item 5 of issue 12: numbers, a full stop and a note marker, parenthesised Latin, a phone number
with its TTY label and an address inside right-to-left text, as written (logical order)."""


def actual_texts(pdf: bytes) -> list[str]:
    """The /ActualText of every structure element (what screen readers and tag-aware copy read)."""
    import pypdf

    out: list[str] = []
    stack: list[object] = [pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, pypdf.generic.DictionaryObject):
            if "/ActualText" in node:
                out.append(str(node["/ActualText"]))
            if "/K" in node:
                stack.append(node["/K"])
        elif isinstance(node, pypdf.generic.ArrayObject):
            stack.extend(node)
    return out


@pytest.mark.parametrize("lang", sorted(BIDI_CASES))
def test_bidi_cases_read_back_as_written(lang: str) -> None:
    """The tagged text gives each case exactly as written; pdfium and pdftotext, which rebuild the order
    from the drawn glyphs, keep every number, address and Latin word whole, with the words around it in order."""
    _, pdf = built(lang)
    tagged = " ".join(actual_texts(pdf))
    assert [case for case in BIDI_CASES[lang] if case not in tagged] == []
    for reader, text in read_back(pdf).items():
        read = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        wholes = [
            w for case in BIDI_CASES[lang] for w in re.findall(r"https://[\w./-]+\w|[A-Z][A-Z\d]+|\d[\d-]*\d", case)
        ]
        if reader == "pdfium":  # pdfium splits a Latin word at its digits and reverses the parts (docs)
            wholes = [w for w in wholes if not re.fullmatch(r"[A-Z]+\d+[A-Z]+", w)]
        assert [w for w in wholes if w not in read] == [], reader
        assert in_order(rtl_words(" ".join(BIDI_CASES[lang])), " ".join(rtl_words(read))), reader


@pytest.mark.parametrize("lang", LANGS)
def test_headings_and_strong_text_use_a_bold_face(lang: str) -> None:
    """The section heading (as printed above its section) and the **strong** word are set in a bold face."""
    brochure, pdf = built(lang)
    chars = [c for c in drawn(pdf) if not c[0].isspace()]
    text = "".join(ch for ch, _, _ in chars)
    strong = next(
        "".join(r.children[0].text for r in block.runs if isinstance(r, Strong))  # type: ignore[attr-defined]
        for block in brochure.sections[0].blocks
        if isinstance(block, Paragraph)
    )
    for words in (brochure.sections[0].heading, strong):
        probe = words.replace(" ", "")
        places = [m.start() for m in re.finditer(re.escape(probe), text)]
        assert places, words
        faces = [{name for _, name, _ in chars[at : at + len(probe)]} for at in places]
        assert any(all("Bold" in name for name in f) for f in faces), (words, faces)


CJK_CLOSING = "，。、：；？！）」』”’》〉"
CJK_OPENING = "（「『“‘《〈"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang.split("-")[0] in ("zh", "ja")])
def test_cjk_lines_keep_punctuation_and_note_markers_with_their_characters(lang: str) -> None:
    _, pdf = built(lang)
    for page in texts(pdf):
        for line in page.splitlines():
            line = line.strip()
            if not line:
                continue
            assert line[0] not in CJK_CLOSING, line
            assert line[-1] not in CJK_OPENING, line
            assert not re.match(r"\d+[\u3040-\u30ff\u3400-\u9fff]", line), f"a note marker starts a line: {line}"


def test_a_face_without_opentype_tables_for_its_script_is_an_error_before_printing(tmp_path, monkeypatch):
    """A font that covers a script needing shaping but has no GSUB/GPOS tables for it is refused."""
    import brochure.fonts as fonts
    from brochure.errors import FontCoverageError

    monkeypatch.setattr(fonts, "_ot_scripts", lambda path: frozenset({"latn"}))
    content = tmp_path / "content.hi.yaml"
    content.write_text("lang: hi\ntitle: T\nsections:\n  - id: a\n    heading: ok\n    blocks:\n      - text: हिंदी\n")
    with pytest.raises(FontCoverageError) as caught:
        build_brochure(content)
    message = caught.value.diagnostics[0].format()
    assert message.startswith(f"{content}:7:15: error: Devanagari text needs OpenType shaping")
    assert "NotoSansDevanagari-Regular.ttf" in message and "dev2" in message


def test_missing_harfbuzz_is_an_error_before_printing(tmp_path, monkeypatch):
    import brochure.fonts as fonts
    from brochure.errors import FontCoverageError

    monkeypatch.setattr(fonts, "shaping_available", lambda: False)
    content = tmp_path / "content.th.yaml"
    content.write_text(
        "lang: th\ntitle: T\nsections:\n  - id: a\n    heading: ok\n    blocks:\n      - text: ภาษาไทย\n"
    )
    with pytest.raises(FontCoverageError) as caught:
        build_brochure(content)
    assert "Thai text needs OpenType shaping, and HarfBuzz (the uharfbuzz package) is not installed" in str(
        caught.value.diagnostics[0].format()
    )


def test_thai_lines_break_between_words_never_inside_a_cluster():
    from brochure.script import dictionary_units

    text = "ผู้ป่วยควรไปพบแพทย์ทันที"
    units = dictionary_units(text)
    assert "".join(units) == text and len(units) >= 5
    for unit in units:  # no unit starts with a combining mark or a following vowel (a cluster cut)
        assert not unicodedata.combining(unit[0]) and unicodedata.category(unit[0]) != "Mn"


def test_the_footers_words_and_page_number_share_a_baseline_in_nastaliq() -> None:
    """Nastaliq's taller lines put their extra room above the baseline; the footer's two parts
    ("Page 2 of 4" and the draft mark beside the title) still stand on one line (they were 4.7 pt apart)."""
    _, pdf = built("ur")
    doc = pdfium.PdfDocument(pdf)
    try:
        text = doc[1].get_textpage()
        whole = text.get_text_range()
        bottoms = [text.get_charbox(whole.index(word))[1] for word in ("Page", "DRAFT")]
    finally:
        doc.close()
    assert abs(bottoms[0] - bottoms[1]) < 0.5, bottoms
