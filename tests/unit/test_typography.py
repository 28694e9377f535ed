"""script.smart_quotes and script.bind_last_words: typographic quotes per language, no short last word alone."""

from __future__ import annotations

from brochure.script import bind_last_words, quote_marks, smart_quotes


def test_english_quotes_and_apostrophes() -> None:
    assert smart_quotes('Going "cold turkey" is hard.', "en") == "Going \u201ccold turkey\u201d is hard."
    assert smart_quotes("SAMHSA's helpline", "en") == "SAMHSA\u2019s helpline"
    assert smart_quotes("('nodding off')", "en") == "(\u2018nodding off\u2019)"


def test_quotes_as_each_language_writes_them() -> None:
    assert smart_quotes('ein "kalter Entzug"', "de") == "ein \u201ekalter Entzug\u201c"
    assert smart_quotes('un "sevrage"', "fr") == "un \u00ab\u00a0sevrage\u00a0\u00bb"
    assert smart_quotes('"ломка"', "ru") == "\u00abломка\u00bb"
    assert smart_quotes('"離脱"', "ja") == "\u300c離脱\u300d"
    assert smart_quotes('"x"', "zh-Hans") == "\u201cx\u201d"  # any other language: English's marks
    assert smart_quotes('"x"', "pt-BR") == "\u201cx\u201d"


def test_text_without_straight_quotes_is_unchanged() -> None:
    assert smart_quotes("no quotes here", "en") == "no quotes here"


def test_quote_marks_lists_what_a_language_prints() -> None:
    assert set(quote_marks("de")) >= {"\u201e", "\u201c", "\u2019"}


def test_a_short_last_word_is_bound_to_the_one_before() -> None:
    assert bind_last_words("Stay until help arrives.") == "Stay until help\u00a0arrives."
    assert bind_last_words("Keep it where others can find it.") == "Keep it where others can find\u00a0it."
    assert bind_last_words("Call 911.") == "Call\u00a0911."


def test_a_long_last_word_or_a_single_word_is_left_alone() -> None:
    assert bind_last_words("Some people need medicine indefinitely.") == "Some people need medicine indefinitely."
    assert bind_last_words("Goosebumps") == "Goosebumps"
    assert bind_last_words("") == ""
