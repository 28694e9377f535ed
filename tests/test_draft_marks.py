"""Draft marks that work: the DRAFT mark shows in grayscale on paper and on the cover band, every footer says so,
and `brochure drafts` (the end of `make brochure`) lists the unreviewed outputs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from brochure.assets import load_assets
from brochure.build import load_brochure, render_brochure
from brochure.cli import main
from brochure.spec import load_layout, to_grayscale

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def grayscale_pages() -> tuple[list[list[int]], list[list[int]], int, int, str]:
    """The first three pages of the Spanish brochure in grayscale, as a draft and as reviewed (gray levels)."""
    brochure, _ = load_brochure(ROOT / "content.es.yaml")
    assert brochure.draft, "the shipped Spanish translation is an unreviewed draft"
    spec = to_grayscale(load_layout("default"))
    assets = load_assets(brochure, ROOT)
    out = []
    for draft in (True, False):
        pdf, _ = render_brochure(replace(brochure, draft=draft), spec, grayscale=True, assets=assets)
        document = pdfium.PdfDocument(pdf)
        pages = []
        for index in range(3):
            image = document[index].render(scale=40 / 72, grayscale=True).to_pil().convert("L")
            width, height = image.size
            pages.append(list(image.tobytes()))
        out.append(pages)
    return out[0], out[1], width, height, brochure.labels.get("draft")


def _changed(draft: list[int], plain: list[int], background: range) -> int:
    """Pixels the mark changes by at least 25 gray levels where the page is ``background`` without it."""
    return sum(1 for a, b in zip(draft, plain, strict=True) if b in background and abs(a - b) >= 25)


def test_the_draft_mark_shows_in_grayscale_on_white_paper_and_on_the_cover_band(grayscale_pages: tuple) -> None:
    draft, plain, _, _, _ = grayscale_pages
    cover_draft, cover_plain = draft[0], plain[0]
    # In grayscale the cover band is a light tint (issue 13), about gray level 230: the mark must show on it.
    assert _changed(cover_draft, cover_plain, range(200, 245)) > 150, "on the tinted cover band"
    assert _changed(cover_draft, cover_plain, range(245, 256)) > 150, "on white paper"
    for page in (1, 2):
        assert _changed(draft[page], plain[page], range(245, 256)) > 300, f"page {page + 1}"


def test_every_footer_says_draft(grayscale_pages: tuple) -> None:
    _, _, _, _, label = grayscale_pages
    brochure, _ = load_brochure(ROOT / "content.es.yaml")
    built, _ = render_brochure(brochure, load_layout("default"), assets=load_assets(brochure, ROOT))
    document = pdfium.PdfDocument(built)
    footers = 0
    for index in range(1, len(document)):  # the cover has no footer
        page = document[index]
        text = page.get_textpage()
        bottom = text.get_text_bounded(0, 0, page.get_width(), 0.9 * 72)
        assert label in " ".join(bottom.split()), f"page {index + 1}: {bottom!r}"
        footers += 1
    assert footers >= 7
    reviewed, _ = render_brochure(
        replace(brochure, draft=False), load_layout("default"), assets=load_assets(brochure, ROOT)
    )
    assert label not in pdfium.PdfDocument(reviewed)[1].get_textpage().get_text_range()


def test_brochure_drafts_lists_the_unreviewed_outputs(tmp_path: Path) -> None:
    english = ROOT / "content.yaml"
    result = CliRunner().invoke(main, ["drafts", str(english), str(ROOT / "content.es.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    english_is_draft = load_brochure(english)[0].draft
    assert lines[0].startswith(f"unreviewed drafts ({1 + english_is_draft} of 2")
    assert lines[-1].split() == ["out/brochure.es.pdf", "(es,", "from", f"{ROOT / 'content.es.yaml'})"]
    reviewed = tmp_path / "content.yaml"
    reviewed.write_text(
        "lang: en\ntitle: T\nsections:\n  - id: a\n    heading: H\n    blocks:\n      - text: Hello\n", "utf-8"
    )
    assert not load_brochure(reviewed)[0].draft
    assert CliRunner().invoke(main, ["drafts", str(reviewed)]).output.startswith("no unreviewed drafts among 1")


def test_make_brochure_ends_with_the_list_of_drafts() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nbrochure: ", 1)[1].split("\n\n", 1)[0]
    assert recipe.rstrip().splitlines()[-1].strip() == "@$(BIN)/brochure drafts content.yaml $(TRANSLATIONS)"


def test_a_long_footer_stays_on_one_line_beside_the_page_number() -> None:
    """Japanese in large print: the draft label and the title fit beside "5／26ページ" (the title was cut in two)."""
    brochure, _ = load_brochure(ROOT / "content.ja.yaml")
    built, _ = render_brochure(brochure, load_layout("large-print"), assets=load_assets(brochure, ROOT))
    document = pdfium.PdfDocument(built)
    for index in range(1, len(document) - 1):
        page = document[index]
        bottom = page.get_textpage().get_text_bounded(0, 0, page.get_width(), 0.9 * 72)
        lines = [line for line in bottom.splitlines() if line.strip()]
        words = brochure.labels.get("draft")
        assert any(words in line and brochure.title in line for line in lines), f"page {index + 1}: {lines}"
