"""Line breaking of unit-broken text (CJK, Thai): greedy lines, and no runt last line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brochure.paragraph import RUNT, _break_lines, _Piece, _Word


def units(text: str, width: float = 10.0) -> list[_Word | None]:
    """One break unit per character, as ``_units`` makes them from a CJK word."""
    return [_Word([_Piece(ch, None, width)], [], width, index == 0) for index, ch in enumerate(text)]


def text_of(line: list[_Word]) -> str:
    return "".join(piece.text for word in line for piece in word.pieces)


def test_a_title_does_not_end_with_one_character_alone() -> None:
    # 9 units fit a line: greedy breaking would leave "め" alone on the second line.
    lines = _break_lines(units("ヘロインをやめるために"[:10]), 95.0, 5.0)
    assert [text_of(line) for line in lines] == ["ヘロインをやめ", "るため"]


def test_a_forced_break_keeps_its_short_line() -> None:
    items = [*units("ああああ"), _Word([], [], -1.0), *units("い")]
    lines = _break_lines(items, 95.0, 5.0)
    assert [text_of(line) for line in lines] == ["ああああ", "い"]


@given(st.text(alphabet="あいうえおかきくけこ", min_size=1, max_size=80), st.integers(3, 30))
def test_lines_keep_every_unit_in_order_and_fit(text: str, per_line: int) -> None:
    width = per_line * 10.0 + 5.0
    lines = _break_lines(units(text), width, 5.0)
    assert "".join(text_of(line) for line in lines) == text
    assert all(len(text_of(line)) * 10.0 <= width for line in lines)
    if len(lines) > 1:
        assert len(text_of(lines[-1])) >= RUNT or len(lines[-2]) <= RUNT
