"""story.group_list: a list never splits after its first line or before its last."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph

from brochure.story import group_list

STYLE = ParagraphStyle("item", fontName="Courier", fontSize=10, leading=12)  # base-14 metrics: never drawn here
WIDTH = 300.0


def items(*lines: int) -> list[Paragraph]:
    """One paragraph per item, each ``n`` lines long at WIDTH."""
    word = "word " * 9  # 45 characters of Courier 10 pt: one line of 300 pt
    return [Paragraph(" ".join([word.strip()] * n), STYLE) for n in lines]


def shape(grouped: list[object]) -> list[object]:
    """Each part as the number of items it keeps together, or 'free' for a loose item."""
    return [len(part._content) if isinstance(part, KeepTogether) else "free" for part in grouped]


def test_the_helper_items_have_the_lines_asked_for() -> None:
    for n in (1, 3):
        (para,) = items(n)
        assert round(para.wrap(WIDTH, 10_000)[1] / STYLE.leading) == n


def test_one_line_bullets_keep_two_items_at_each_end() -> None:
    assert shape(group_list(items(1, 1, 1, 1, 1, 1, 1), WIDTH)) == [2, "free", "free", "free", 2]


def test_a_short_list_is_kept_whole() -> None:
    assert shape(group_list(items(1, 1, 1, 1), WIDTH)) == [4]
    assert shape(group_list(items(1, 1, 1), WIDTH)) == [3]
    assert shape(group_list(items(2), WIDTH)) == [1]
    assert group_list([], WIDTH) == []


def test_items_of_several_lines_stand_alone_at_the_ends() -> None:
    """Three terms of five lines: a page may break between any two of them, or inside one (never after one line)."""
    assert shape(group_list(items(5, 5, 5), WIDTH)) == ["free", "free", "free"]
    assert shape(group_list(items(1, 4, 3, 4), WIDTH)) == [2, "free", "free"]  # 1 + 4 lines; then 4 lines
    assert shape(group_list(items(1, 3, 2, 3), WIDTH)) == [2, "free", 1]  # an end item of 3 lines is kept whole
    assert shape(group_list(items(1, 4, 1, 1), WIDTH)) == [4]  # head (1 + 4) and tail (1 + 1) are all of it


def test_whole_items_keeps_each_middle_item_together() -> None:
    assert shape(group_list(items(5, 5, 5, 5), WIDTH, whole_items=True)) == [1, 1, 1, 1]


def test_the_last_item_gets_a_paragraphs_space_after() -> None:
    paras = items(1, 1)
    group_list(paras, WIDTH)
    assert paras[-1].spaceAfter == STYLE.spaceAfter * 2 + 2
