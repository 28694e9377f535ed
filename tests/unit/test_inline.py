"""inline.parse_inline: one text field → runs; everything that is not our syntax stays literal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brochure.errors import Location
from brochure.inline import ALLOWED_SCHEMES, check_url, parse_inline, plain_text
from brochure.model import Cite, Emph, Link, Strong, Text


def runs_of(text: str):
    runs, problems = parse_inline(text)
    assert problems == [], problems
    return runs


def test_emphasis_and_strong():
    assert runs_of("a *b* c") == (Text("a "), Emph((Text("b"),)), Text(" c"))
    assert runs_of("**b**") == (Strong((Text("b"),)),)
    assert runs_of("**not *quite* this**") == (Strong((Text("not "), Emph((Text("quite"),)), Text(" this"))),)


@pytest.mark.parametrize("text", ["5 * 3", "5 * 3 * 2", "a ** b", "* star", "end *", "**", "*", "***"])
def test_asterisks_not_touching_a_word_stay_literal(text):
    assert runs_of(text) == (Text(text),)


def test_unclosed_emphasis_stays_literal():
    assert runs_of("*open and never closed") == (Text("*open and never closed"),)


def test_link_with_label():
    assert runs_of("see [the guide](https://example.org/a?b=1) now") == (
        Text("see "),
        Link("https://example.org/a?b=1", (Text("the guide"),)),
        Text(" now"),
    )


@pytest.mark.parametrize("url", ["mailto:help@example.org", "tel:+18006624357", "http://example.org"])
def test_links_may_use_mailto_tel_and_http(url):
    assert runs_of(f"[x]({url})") == (Link(url, (Text("x"),)),)


def test_bare_url_becomes_a_link_without_trailing_punctuation():
    assert runs_of("Visit https://example.org/page. Or (https://example.org/b)") == (
        Text("Visit "),
        Link("https://example.org/page", (Text("https://example.org/page"),)),
        Text(". Or ("),
        Link("https://example.org/b", (Text("https://example.org/b"),)),
        Text(")"),
    )


def test_citations_carry_key_and_place():
    def locate(offset: int, needle: str) -> Location:
        return Location("f.yaml", 3, 10 + offset)

    runs, problems = parse_inline("Heroin[^nida-heroin] kills[^a][^b.c]", locate)
    assert problems == []
    assert [type(r) for r in runs] == [Text, Cite, Text, Cite, Cite]
    cites = [r for r in runs if isinstance(r, Cite)]
    assert [c.key for c in cites] == ["nida-heroin", "a", "b.c"]
    assert cites[0].location == Location("f.yaml", 3, 16)
    assert all(c.number == 0 for c in cites)


def test_backslash_escapes():
    assert runs_of(r"\*not\* \[^k] \\ \_") == (Text(r"*not* [^k] \ _"),)


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold?</b>",
        "&amp; &lt; &#169;",
        "a < b > c & d",
        '<font name="Courier">x</font>',
        '<img src="/etc/passwd"/>',
        "50% off; C:\\path",
    ],
)
def test_angle_brackets_and_ampersands_are_literal(text):
    assert runs_of(text) == (Text(text),)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "vbscript:x"])
def test_disallowed_link_scheme_is_a_problem(url):
    text = f"click [here]({url}) now"
    runs, problems = parse_inline(text)
    assert len(problems) == 1
    scheme = url.split(":")[0]
    assert f"'{scheme}:'" in problems[0].message
    assert text[problems[0].offset :].startswith(problems[0].needle)
    assert problems[0].needle.startswith(scheme)
    assert not any(isinstance(r, Link) for r in runs)
    assert plain_text(runs).startswith("click here")


def test_link_address_may_hold_balanced_parentheses():
    url = "https://en.wikipedia.org/wiki/Heroin_(drug)"
    assert runs_of(f"see [Heroin]({url}) now") == (Text("see "), Link(url, (Text("Heroin"),)), Text(" now"))


def test_malformed_citation_is_a_problem():
    _, problems = parse_inline("bad [^ key] here")
    assert [p.message for p in problems] == ["malformed citation"]
    assert problems[0].offset == 4


@pytest.mark.parametrize(
    ("url", "ok"),
    [("https://a.org", True), ("HTTPS://A.ORG", True), ("a.org", False), ("https://a b.org", False)],
)
def test_check_url(url, ok):
    assert (check_url(url) is None) is ok


def test_allowed_schemes_are_web_mail_and_phone_only():
    assert set(ALLOWED_SCHEMES) == {"http", "https", "mailto", "tel"}


PLAIN = st.text(
    alphabet=st.characters(blacklist_characters="*[]\\hH", blacklist_categories=("Cs",)),
    max_size=60,
)


@given(PLAIN)
def test_text_without_markup_is_one_literal_run(text):
    runs, problems = parse_inline(text)
    assert problems == []
    assert runs == ((Text(text),) if text else ())


TOKENS = st.sampled_from(["a", " ", "*", "**", "[", "]", "(", ")", "^", "\\", "<", "&", "[^k]", "https://x.org", "x"])


@given(st.lists(TOKENS, max_size=25).map("".join))
def test_parser_never_raises_and_problems_point_into_the_text(text):
    runs, problems = parse_inline(text)
    for problem in problems:
        assert 0 <= problem.offset < len(text)
        assert text[problem.offset :].startswith(problem.needle)
    assert len(plain_text(runs)) <= len(text)
