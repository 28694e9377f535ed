"""Issue 13's design rules read back from the output: cover, back page, typography, grayscale, QR size."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import open_pdf, page_texts

from brochure.build import build_brochure
from brochure.cli import main
from brochure.spec import list_layouts, load_layout

ROOT = Path(__file__).resolve().parent.parent


def text_of(pdf: bytes) -> str:
    doc = open_pdf(pdf)
    try:
        return "\n".join(page_texts(doc))
    finally:
        doc.close()


def test_prose_gets_typographic_quotes_and_addresses_stay_as_written(built) -> None:
    text = " ".join(built.texts)
    assert "\u201cnodding off\u201d" in text and '"nodding off"' not in text
    assert "SAMHSA\u2019s" in text
    assert "https://www.samhsa.gov/find-help/national-helpline" in text.replace("\r\n", "").replace("\n", "")


def test_a_layout_can_turn_typographic_quotes_off(tmp_path: Path) -> None:
    layout = tmp_path / "straight.yaml"
    layout.write_text("extends: default\ntext:\n  quotes: no\n", encoding="utf-8")
    content = tmp_path / "content.yaml"
    content.write_text(
        'lang: en\ntitle: T\nsections:\n  - id: a\n    heading: A\n    blocks:\n      - text: Say "no" now.\n',
        encoding="utf-8",
    )
    assert '"no"' in text_of(build_brochure(content, str(layout)).pdf)
    assert "\u201cno\u201d" in text_of(build_brochure(content).pdf)


def test_german_prose_uses_german_quotes() -> None:
    text = text_of(build_brochure(ROOT / "content.de.yaml").pdf)
    assert "\u201e" in text and '"' not in text.split("Notes")[0]


@pytest.mark.parametrize("layout", [name for name, _ in list_layouts()])
def test_every_layout_prints_the_qr_code_at_least_an_inch_and_a_fifth_wide(layout: str) -> None:
    assert load_layout(layout).qr_size >= 1.2 * 72


def test_grayscale_prints_the_cover_band_as_a_light_tint_with_dark_text() -> None:
    pdf = build_brochure(ROOT / "content.yaml", grayscale=True).pdf
    doc = open_pdf(pdf)
    image = doc[0].render(scale=0.25).to_pil().convert("L")
    doc.close()
    width, height = image.size
    xs, ys = range(width // 4, width - width // 4, 4), range(height // 20, height // 3, 4)
    band = [image.getpixel((x, y)) for x in xs for y in ys]
    light = sum(1 for value in band if value > 180)
    dark = sum(1 for value in band if value < 100)
    assert light > 0.7 * len(band), "the band is not a light tint"
    assert dark > 0, "no dark text on the band"


def test_check_uses_the_trifold_layout_for_the_trifold_content() -> None:
    result = CliRunner().invoke(main, ["check", str(ROOT / "content-trifold.yaml")])
    assert "checked with layout 'trifold'" in result.output


def test_back_page_numbers_come_before_their_labels(built) -> None:
    back = built.texts[-1]
    for line in built.brochure.contact.lines if built.brochure.contact else ():
        assert back.index(line.value) < back.index(line.label), line.label
