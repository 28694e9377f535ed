"""Translations: every shipped language builds correctly, scripts render, and `check` finds drift."""

from __future__ import annotations

import io
import shutil
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from brochure.build import build_brochure, load_brochure, mark_translation
from brochure.cli import main
from brochure.errors import FontCoverageError
from brochure.script import hyphenation_lang, visual_order
from brochure.spec import load_layout
from brochure.translations import compare_translation, fixed_tokens

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = sorted(ROOT.glob("content.*.yaml"))
CLOSING = "，。、：；？！）」』”’》〉"
OPENING = "（「『“‘《〈"


def _text(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


@pytest.fixture(scope="module")
def built() -> dict[str, bytes]:
    return {p.name: build_brochure(p).pdf for p in TRANSLATIONS}


def test_the_five_required_translations_ship() -> None:
    langs = {load_brochure(p)[0].lang for p in TRANSLATIONS}
    assert {"es", "zh-Hans", "vi", "ru", "ar"} <= langs


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_translation_is_complete_and_current(path: Path) -> None:
    report = compare_translation(path, strict=True)
    assert report.errors == ()
    assert (report.missing, report.extra, report.outdated) == (0, 0, 0)
    assert report.entries > 100


@pytest.mark.parametrize("path", TRANSLATIONS, ids=lambda p: p.name)
def test_translation_pdf_carries_its_language_and_draft_mark(path: Path, built: dict[str, bytes]) -> None:
    brochure, _ = load_brochure(path)
    pdf = built[path.name]
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == brochure.lang
    assert brochure.draft, "shipped translations are unreviewed drafts"
    mark = brochure.labels.get("draft")
    pages = _text(pdf)
    # The draft mark may wrap; its first word is on every page.
    first_word = mark.split()[0]
    assert all(first_word in page for page in pages)
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None:  # composite font: look at the descendant
                descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()


def test_phone_numbers_print_in_every_translation(built: dict[str, bytes]) -> None:
    for name, pdf in built.items():
        last = _text(pdf)[-1]
        for number in ("1-800-662-4357", "1-800-487-4889", "988"):
            assert number in last, (name, number)


def test_arabic_reads_back_in_logical_order(built: dict[str, bytes]) -> None:
    path = ROOT / "content.ar.yaml"
    brochure, _ = load_brochure(path)
    pages = _text(built[path.name])
    assert brochure.title in pages[0]
    assert brochure.sections[0].heading in pages[1]
    assert "1-800-662-4357" in pages[-1]


def test_arabic_headings_are_right_aligned(built: dict[str, bytes]) -> None:
    doc = pdfium.PdfDocument(built["content.ar.yaml"])
    page = doc[1]
    width = page.get_width()
    text = page.get_textpage()
    heading = load_brochure(ROOT / "content.ar.yaml")[0].sections[0].heading
    index = text.get_text_range().find(heading)
    assert index >= 0
    right_edges = [text.get_charbox(i)[2] for i in range(index, index + len(heading))]
    assert max(right_edges) == pytest.approx(width - load_layout("default").margin_right, abs=4)


def test_chinese_lines_never_start_with_closing_punctuation(built: dict[str, bytes]) -> None:
    for page in _text(built["content.zh-Hans.yaml"])[1:]:
        for line in page.splitlines():
            line = line.strip()
            if line:
                assert line[0] not in CLOSING, line
                assert line[-1] not in OPENING, line


def test_vietnamese_is_normalised_to_composed_form(tmp_path: Path) -> None:
    decomposed = unicodedata.normalize("NFD", "Việt Nam")
    assert decomposed != "Việt Nam"
    content = tmp_path / "content.yaml"
    content.write_text(
        f"lang: vi\ntitle: {decomposed}\nsections:\n  - id: a\n    heading: {decomposed}\n    blocks:\n"
        f"      - text: {decomposed}\n",
        encoding="utf-8",
    )
    brochure, _ = load_brochure(content)
    assert brochure.title == "Việt Nam"
    assert "Việt Nam" in _text(build_brochure(content).pdf)[0]


def test_a_script_without_a_font_is_one_summary_at_its_first_place(tmp_path: Path) -> None:
    content = tmp_path / "content.chr.yaml"
    content.write_text(
        "lang: chr\ntitle: Quitting\nsections:\n  - id: a\n    heading: ok\n    blocks:\n"
        "      - text: x ᏣᎳᎩ\n      - text: ᎣᏏᏲ ᏣᎳᎩ\n",
        encoding="utf-8",
    )
    with pytest.raises(FontCoverageError) as caught:
        build_brochure(content)
    assert len(caught.value.diagnostics) == 1  # one summary per script, not one line per character
    message = caught.value.diagnostics[0].format()
    assert message.startswith(f"{content}:7:17: error: Cherokee: 6 characters on 2 lines not covered")
    assert "tried: Noto Sans" in message
    assert f"'Ꮳ' (U+13E3) at {content}:7:17" in message and "and 3 more" in message
    result = CliRunner().invoke(main, ["build", str(content), "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 1
    assert "U+13E3" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


# ---------------------------------------------------------------- bidi


def test_phone_number_keeps_its_digit_groups_in_arabic() -> None:
    line = "اتصل على 888-319-2606 الآن"
    visual = "".join(ch for _, ch in visual_order(line))
    assert "888-319-2606" in visual
    assert visual.index("888") < visual.index("2606")


def test_hebrew_words_run_right_to_left() -> None:
    visual = "".join(ch for _, ch in visual_order("שלום עולם"))
    assert visual == "םלוע םולש"


def test_brackets_mirror_and_latin_stays_left_to_right() -> None:
    visual = "".join(ch for _, ch in visual_order("קח (Suboxone) היום"))
    assert "(Suboxone)" in visual


def test_combining_marks_stay_after_their_base() -> None:
    order = visual_order("مَرحبا")
    text = "".join(ch for _, ch in order)
    assert text.index("\u064e") == text.index("م") + 1


def test_urls_do_not_lose_trailing_punctuation_order() -> None:
    visual = "".join(ch for _, ch in visual_order("زر https://988lifeline.org/ الآن"))
    assert "https://988lifeline.org/" in visual


# ---------------------------------------------------------------- hyphenation


def test_hyphenation_follows_the_language() -> None:
    assert hyphenation_lang("en") == "en_US"
    assert hyphenation_lang("es") == "es"
    assert hyphenation_lang("ru") == "ru_RU"
    assert hyphenation_lang("pt-BR") == "pt_BR"
    for lang in ("ar", "he", "zh-Hans", "ja", "vi"):
        assert hyphenation_lang(lang) == ""


def test_a_hyphenating_layout_hyphenates_spanish(tmp_path: Path) -> None:
    layout = tmp_path / "narrow.yaml"
    layout.write_text(
        # back_pages: 2: the contact block, numbers first and a 1.2-inch QR code, may need two narrow pages
        "extends: default\npage:\n  margin_left: 2.6in\n  margin_right: 2.6in\n  back_pages: 2\n"
        "text:\n  hyphenate: yes\n",
        encoding="utf-8",
    )
    spanish = build_brochure(ROOT / "content.es.yaml", str(layout)).pdf
    assert _hyphenated_lines(spanish), "a narrow Spanish column breaks long words"
    arabic = build_brochure(ROOT / "content.ar.yaml", str(layout)).pdf
    assert _hyphenated_lines(arabic) == []
    chinese = build_brochure(ROOT / "content.zh-Hans.yaml", str(layout)).pdf
    assert _hyphenated_lines(chinese) == []


def _hyphenated_lines(pdf: bytes) -> list[str]:
    """Body lines that end in a hyphen after a letter (pypdf keeps the hyphen; pdfium drops it)."""
    reader = PdfReader(io.BytesIO(pdf))
    lines = [line.rstrip() for page in reader.pages[1:] for line in page.extract_text().splitlines()]
    return [
        line for line in lines if len(line) > 2 and line.endswith("-") and line[-2].isalpha() and "http" not in line
    ]


# ---------------------------------------------------------------- check and mark-current


@pytest.fixture()
def workspace(tmp_path: Path) -> Path:
    for path in [ROOT / "content.yaml", *TRANSLATIONS, *ROOT.glob("content.*.lock")]:
        shutil.copy(path, tmp_path / path.name)
    shutil.copytree(ROOT / "images", tmp_path / "images")  # the pictures the figure blocks name
    return tmp_path


def test_changing_one_english_sentence_outdates_exactly_that_entry_everywhere(workspace: Path) -> None:
    english = workspace / "content.yaml"
    text = english.read_text(encoding="utf-8")
    old = "heading: Withdrawal symptoms"
    assert old in text
    english.write_text(text.replace(old, "heading: Signs of withdrawal"), encoding="utf-8")
    for path in sorted(workspace.glob("content.*.yaml")):
        report = compare_translation(path)
        assert report.outdated == 1, path.name
        assert len(report.warnings) == 1
        warning = report.warnings[0]
        assert "sections/withdrawal/heading is outdated" in warning.message
        assert "Withdrawal symptoms" in warning.message and "Signs of withdrawal" in warning.message
        assert compare_translation(path, strict=True).errors
    result = CliRunner().invoke(main, ["check", "--strict", str(workspace / "content.es.yaml")])
    assert result.exit_code == 1
    mark_translation(workspace / "content.es.yaml", "sections/withdrawal/heading")
    assert compare_translation(workspace / "content.es.yaml").outdated == 0
    assert compare_translation(workspace / "content.ru.yaml").outdated == 1


def test_a_changed_phone_number_is_an_error(workspace: Path) -> None:
    path = workspace / "content.es.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("1-800-662-4357", "1-800-662-4375", 1), encoding="utf-8")
    report = compare_translation(path)
    assert any("1-800-662-4357" in d.message and "written 1-800-662-4375" in d.message for d in report.errors)
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:" in result.stderr


def test_summary_line_counts_entries(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(workspace / "content.vi.yaml")])
    assert result.exit_code == 0, result.output
    assert "vi: " in result.output and " entries, 0 missing, 0 extra, 0 outdated" in result.output


def test_mark_current_of_unknown_entry_is_an_error(workspace: Path) -> None:
    result = CliRunner().invoke(main, ["mark-current", str(workspace / "content.es.yaml"), "--entry", "nope/1"])
    assert result.exit_code == 1
    assert "no entry 'nope/1'" in result.stderr


def test_missing_label_falls_back_to_english_with_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content.fr.yaml"
    content.write_text(
        "lang: fr\ntitle: Arrêter\nsections:\n  - id: a\n    heading: Titre\n    blocks:\n      - text: Bonjour\n"
        "labels:\n  notes: Notes\n",
        encoding="utf-8",
    )
    brochure, warnings = load_brochure(content)
    assert brochure.labels.get("page", page=1, pages=2) == "Page 1 of 2"
    assert any("using English" in w.message for w in warnings)


def test_fixed_tokens_find_phone_numbers_and_addresses_but_not_times() -> None:
    text = "Call 1-800-662-4357 or text 435748, 24/7. See https://988lifeline.org/."
    assert fixed_tokens(text) == sorted(["1-800-662-4357", "435748", "https://988lifeline.org/"])
