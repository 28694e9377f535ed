"""A call-out box continues on the next page instead of leaving the page before it empty."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from brochure.story import SplitBox

STYLE = ParagraphStyle("callout", fontName="Times-Roman", fontSize=10, leading=12)
LEAST = 3 * 12 + 8  # three lines and the padding


def box() -> SplitBox:
    text = " ".join(["word"] * 400)  # about twenty lines at 200 pt
    table = SplitBox([[[Paragraph(text, STYLE)]]], colWidths=[200], splitInRow=LEAST)
    table.wrap(200, 10_000)
    return table


def heights(parts: list[object], width: float = 200) -> list[float]:
    return [part.wrap(width, 10_000)[1] for part in parts]  # type: ignore[attr-defined]


def test_a_box_splits_where_the_page_ends() -> None:
    whole = box()._height  # ReportLab keeps the measured height there
    parts = box().split(200, whole / 2)
    assert len(parts) == 2
    assert abs(sum(heights(parts)) - whole) < 30  # the padding repeats, no text is lost


def test_the_part_carried_over_is_never_shorter_than_the_least() -> None:
    whole = box()._height
    parts = box().split(200, whole - 5)  # almost all of it fits: greedy would carry one line over
    assert len(parts) == 2
    assert heights(parts)[1] >= LEAST - 12


def test_no_split_where_the_first_part_would_be_too_short() -> None:
    assert box().split(200, LEAST - 1) == []
