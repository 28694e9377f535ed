"""Unit tests of script.py: bidi levels around numbers and note markers."""

from brochure.script import bidi_runs


def test_a_note_marker_after_a_number_ends_the_number_island_not_the_number() -> None:
    text = "اتصل بالرقم 1-800-662-4357.8"  # the final 8 is a note marker, drawn as a superscript
    runs = bidi_runs(text, True, frozenset({len(text) - 1}))
    number = text.index("1-800")
    assert (number, number + len("1-800-662-4357"), 2) in runs, runs  # one left-to-right run, in order
