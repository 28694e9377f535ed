"""Linear time on any input (issue 16): the work of each stage, counted at n and 2n, at most doubles.

Work is counted, never timed: every Python and C function call made (``sys.setprofile``),
and for text cut into pieces, the characters copied. A stage whose work grows with the
square of its input (one scan of a field per problem found, one copy of the rest of a
text per full stop, one more cut of a long word per page) counts about 4 times the work at
twice the size; a linear one about 2. The inputs are those of ``benchmarks.scale.HOSTILE`` (whole builds)
and ``benchmarks.scale.STAGES`` (each other stage alone: the translation check with its glossary
and list matching, word diffs, PO and XLIFF export and import, the stigma word check, site lists,
CJK, Thai and bidirectional text), which ``make bench`` times.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from benchmarks.scale import HOSTILE, STAGES
from brochure.build import build_brochure, load_brochure
from brochure.errors import BrochureError, Location
from brochure.readability import measure_brochure, split_sentences
from brochure.source import Scalar

LINEAR = 2.6
"""The most the work's growth may grow when the input doubles (2.0 is linear; quadratic is 4.0)."""


def calls(function: Callable[[], object]) -> int:
    """Function calls (Python and C) made while ``function`` runs."""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        function()
    except BrochureError:
        pass  # refused input: the work done before refusing it counts
    finally:
        sys.setprofile(None)
    return count


def growth(work: Callable[[int], int], n: int) -> float:
    """How much more the work grows from 2n to 4n than from n to 2n (2.0 when linear, 4.0 when quadratic).

    Differences leave out the work that does not depend on the size; a first unmeasured
    run at n leaves out the work done once per process (fonts registered, caches filled).
    """
    work(n)
    small, medium, large = work(n), work(2 * n), work(4 * n)
    return (large - medium) / max(1, medium - small)


def content_file(tmp_path: Path, name: str, n: int) -> Path:
    path = tmp_path / f"{name.replace(' ', '-')}-{n}.yaml"
    path.write_text(HOSTILE[name](n), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["malformed citations", "new characters", "unclosed asterisks", "runs of dots"])
def test_reading_and_checking_content_is_linear(tmp_path, name):
    ratio = growth(lambda n: calls(lambda: load_brochure(content_file(tmp_path, name, n))), 4_000)
    assert ratio < LINEAR, (name, ratio)


@pytest.mark.parametrize("name", ["abbreviations", "runs of dots"])
def test_measuring_reading_level_is_linear(tmp_path, name):
    def work(n: int) -> int:
        brochure, _ = load_brochure(content_file(tmp_path, name, n))
        return calls(lambda: measure_brochure(brochure))

    ratio = growth(work, 8_000)
    assert ratio < LINEAR, (name, ratio)


class CountingText(str):
    """Text that counts the characters copied out of it by slicing."""

    copied = 0

    def __getitem__(self, key):  # type: ignore[override]
        piece = str.__getitem__(self, key)
        CountingText.copied += len(piece)
        return piece


def test_splitting_sentences_copies_each_character_a_bounded_number_of_times():
    def copied(n: int) -> int:
        CountingText.copied = 0
        sentences = split_sentences(CountingText("Mr. " * n))
        assert sentences == (("Mr. " * n).strip(),)  # an abbreviation never ends a sentence
        return CountingText.copied + calls(lambda: split_sentences("Mr. " * n))

    ratio = growth(copied, 10_000)
    assert ratio < LINEAR, ratio


def test_locating_every_problem_in_a_field_is_linear():
    def work(n: int) -> int:
        text = "[^" * n
        scalar = Scalar(text, Location("x.yaml", 3, 11), False, f'"{text}"')

        def locate_all() -> None:
            for offset in range(0, len(text), 2):
                scalar.location_of(offset, "[^")

        return calls(locate_all)

    assert growth(work, 2_000) < LINEAR
    text = "ab\n[^x [^y"
    scalar = Scalar(text, Location("x.yaml", 3, 11), False, "|\n  ab\n  [^x [^y")
    assert scalar.location_of(3, "[^") == Location("x.yaml", 5, 3)
    assert scalar.location_of(7, "[^") == Location("x.yaml", 5, 7)
    assert scalar.location_of(len(text), "z") == Location("x.yaml", 3, 11)  # not in the text: the scalar's start


@pytest.mark.parametrize(
    ("name", "n"),
    [
        ("one long word", 10_000),
        ("unbroken words", 10_000),
        ("Thai text", 8_000),  # ICU's word breaks, HarfBuzz shaping
        ("Chinese text", 8_000),  # a break between any two characters but before closing punctuation
        ("Arabic text", 8_000),  # shaping and bidirectional runs
    ],
)
def test_laying_out_long_words_and_unspaced_or_right_to_left_text_is_linear(tmp_path, name, n, monkeypatch):
    # Pulling an orphan last page back lays the story out once more (render.TIGHTER holds one level):
    # a bounded, constant factor that would show as a jump between two sizes, so it is left out here.
    monkeypatch.setattr("brochure.render.TIGHTER", ())
    ratio = growth(lambda k: calls(lambda: build_brochure(content_file(tmp_path, name, k))), n)
    assert ratio < LINEAR, (name, ratio)


@pytest.mark.parametrize("name", list(STAGES))
def test_every_stage_besides_the_build_is_linear(tmp_path, name):
    stage, start = STAGES[name]

    def work(n: int) -> int:
        folder = tmp_path / str(n)
        folder.mkdir(exist_ok=True)
        run = stage(folder, n)
        return calls(run)

    ratio = growth(work, start)
    assert ratio < LINEAR, (name, ratio)
