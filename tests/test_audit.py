"""`brochure check` judges what readers get; the PDF carries the accessibility basics."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from brochure.audit import audit_brochure, audit_layout, pairings
from brochure.build import build_brochure, load_brochure
from brochure.cli import main
from brochure.errors import LayoutSpecError
from brochure.spec import contrast, load_layout

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ["default", "a4", "booklet", "booklet-a5", "large-print", "trifold"]


@pytest.mark.parametrize("name", LAYOUTS)
def test_shipped_layouts_pass_the_size_and_contrast_audit(name: str) -> None:
    spec = load_layout(name)
    assert audit_layout(spec) == []
    assert spec.body_size >= 12
    for pair in pairings(spec):
        fg = getattr(spec, pair.foreground)
        bg = pair.background if pair.background.startswith("#") else getattr(spec, pair.background)
        assert contrast(fg, bg) >= (3.0 if pair.large else 4.5), pair


def test_large_print_promises_and_sets_18_point_text() -> None:
    spec = load_layout("large-print")
    brochure, _ = load_brochure(ROOT / "content.yaml")
    pdf = build_brochure(ROOT / "content.yaml", "large-print").pdf
    audit = audit_brochure(brochure, spec, pdf)
    assert audit.errors == ()
    sizes = dict(audit.sizes)
    assert max(sizes, key=lambda s: sizes[s]) >= 18
    assert min(sizes) >= 8


def test_low_contrast_is_an_error_at_the_layout_line(tmp_path: Path) -> None:
    layout = tmp_path / "pale.yaml"
    layout.write_text('extends: default\ncolors:\n  text: "#9a9a9a"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", str(ROOT / "content.yaml"), "--layout", str(layout), "-o", str(tmp_path / "x.pdf")]
    )
    assert result.exit_code == 1
    assert f"{layout}:3:9: error: colors.text #9a9a9a on #ffffff has a contrast of 2.8" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_large_text_needs_only_3_to_1(tmp_path: Path) -> None:
    layout = tmp_path / "title.yaml"
    # 3.3:1 on the call-out background: enough for its 15 pt bold title, not for body text
    layout.write_text('extends: default\ncolors:\n  callout_rule: "#c2571a"\n', encoding="utf-8")
    spec = load_layout(str(layout))
    assert 3.0 <= contrast(spec.color_callout_rule, spec.color_callout_bg) < 4.5
    assert audit_layout(spec) == []


def test_text_below_8_points_and_a_broken_size_promise_are_errors(tmp_path: Path) -> None:
    layout = tmp_path / "tiny.yaml"
    layout.write_text("extends: default\ntype:\n  body_size: 11\n  small_size: 7\n", encoding="utf-8")
    with pytest.raises(LayoutSpecError) as caught:
        build_brochure(ROOT / "content.yaml", str(layout))
    messages = [d.format() for d in caught.value.diagnostics]
    assert any(m.startswith(f"{layout}:3:14: error: body text is 11 pt") for m in messages)
    assert any(m.startswith(f"{layout}:4:15: error: type.small_size is 7 pt") for m in messages)


def test_check_reports_reading_grades_and_sizes() -> None:
    result = CliRunner().invoke(main, ["check", str(ROOT / "content.yaml")])
    assert result.exit_code == 0, result.output + result.stderr
    assert "section" in result.output and "FK" in result.output and "SMOG" in result.output
    brochure, _ = load_brochure(ROOT / "content.yaml")
    for section in brochure.sections:
        assert section.id in result.output
    assert "text sizes: " in result.output and "12 pt" in result.output


def test_every_english_section_reads_at_grade_8_or_below() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    report = audit_brochure(brochure, load_layout("default")).readability
    assert report.measured
    for section in report.sections:
        assert section.fk_grade is None or section.fk_grade <= 8, section


def test_a_hard_section_is_a_warning_naming_its_grade(tmp_path: Path) -> None:
    content = tmp_path / "content.yaml"
    hard = (
        "Pharmacological interventions substantially ameliorate physiological withdrawal manifestations, "
        "notwithstanding considerable interindividual variability in therapeutic responsiveness."
    )
    content.write_text(
        f"lang: en\ntitle: T\nsections:\n  - id: hard\n    heading: H\n    blocks:\n      - text: {hard}\n"
        "contact:\n  heading: Help\n  lines:\n    - label: Call\n      value: 555-0100\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["check", str(content)])
    assert result.exit_code == 0
    assert "warning: section 'hard' reads at grade" in result.stderr
    strict = CliRunner().invoke(main, ["check", "--strict", str(content)])
    assert strict.exit_code == 1


# ---------------------------------------------------------------- accessible-PDF basics


@pytest.fixture(scope="module")
def reader() -> PdfReader:
    return PdfReader(io.BytesIO(build_brochure(ROOT / "content.yaml").pdf))


def test_viewer_shows_the_title_and_knows_the_language(reader: PdfReader) -> None:
    root = reader.trailer["/Root"]
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] is True or root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert root["/Lang"] == "en"
    assert reader.metadata is not None and reader.metadata.title == "Quitting Heroin"
    assert [item.title for item in reader.outline if not isinstance(item, list)][:2] == [
        "Quitting Heroin",
        "What is heroin addiction?",
    ]


def test_every_link_has_a_description_and_pages_with_links_have_a_tab_order(reader: PdfReader) -> None:
    links = 0
    for page in reader.pages:
        annots = page.get("/Annots")
        if not annots:
            continue
        assert page["/Tabs"] == "/S"
        for ref in annots:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Link":
                links += 1
                assert str(annot["/Contents"]).startswith(("Open ", "Call ", "Go to page "))
    assert links > 40


def test_every_font_has_a_unicode_map(reader: PdfReader) -> None:
    seen = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            assert "/ToUnicode" in font.get_object()
            seen += 1
    assert seen
