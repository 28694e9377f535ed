"""Property tests: any text in any field, any YAML, any markup and any layout value either works or
fails with a ``BrochureError`` (a message at FILE:LINE:COL), never with any other exception.

CI runs each test at a modest size; ``make fuzz`` (HYPOTHESIS_PROFILE=fuzz) runs 20 times as
many examples. Most examples stop after validation and font planning (milliseconds); fewer go
through a whole build.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont
from support import fuzz_settings

from brochure.build import build_brochure, load_brochure
from brochure.errors import BrochureError, LayoutSpecError, SourceError
from brochure.fonts import plan_fonts
from brochure.inline import parse_inline, plain_text
from brochure.source import Mapping, Scalar, Sequence, parse_yaml
from brochure.spec import LayoutSpec, load_layout, spec_fields

# ---------------------------------------------------------------- text

SPECIAL = list(
    "*[]()^\\<>&_`\"':#-!|{}%@,?/ \t\n"  # markup and YAML punctuation
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"  # bidi controls
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u3000"  # zero width, soft hyphen, odd spaces
    "\u0301\u0308\u0327\u0651\u05b8\u20dd"  # combining marks
    "\u2028\u2029\u0085"  # line and paragraph separators
    "\x00\x07\x1b\x7f\x9b"  # control characters
    "\ufffe\uffff\ufdd0\ue000\U0010fffd"  # noncharacters and private use
    "aZé0ßſǅ"  # Latin
    "שָׁלוֹםمَرْحَبًاﻻ"  # Hebrew and Arabic
    "中文。，「」ーｱ"  # Chinese and Japanese
)
SPECIAL += ["😀", "👍🏽", "👨\u200d👩\u200d👧", "🇺🇳", "[^n]", "**", "](https://a.org)", "https://a.org/x_(y)", "\\*"]

ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.lists(st.sampled_from(SPECIAL), max_size=30).map("".join),
)
"""Any Unicode, and text made of the awkward characters above."""

LONG_RUN = st.one_of(
    st.just(""),
    st.builds(lambda piece, n: piece * n, st.sampled_from([*SPECIAL, "word ", "a", "中"]), st.integers(500, 6_000)),
)
"""Nothing, or a very long run of one piece (a word with no break, a line of asterisks...)."""


@functools.cache
def covered() -> list[str]:
    """Every character the default layout's fonts can draw."""
    spec = load_layout("default")
    codes: set[int] = set()
    for family in spec.fonts:
        codes |= set(TTFont(f"fuzz-{family.regular.stem}", str(family.regular)).face.charToGlyph)
    return sorted(chr(c) for c in codes if c > 32 and not 0x7F <= c < 0xA0 and not 0xD800 <= c < 0xE000)


AWKWARD = [
    *"*<>&_`\\'\"#-!|{}%@,?/ ",  # markup that needs no partner and YAML punctuation
    *"\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c",  # bidi controls
    *"\u200b\u200c\u200d\u2060\ufeff\u00ad\u00a0\u3000\u2028\u2029",  # zero width, odd spaces, separators
    *"\u0301\u0308\u0327\u0651\u05b8",  # combining marks
    *["**", "*a*", "[^n]", "[a](https://a.org/x_(y))", "https://a.org/", "\\*"],
]
"""Characters and markup that are valid in any text, yet awkward to lay out."""


@st.composite
def printable_text(draw: st.DrawFn, max_size: int = 30) -> str:
    """Text the fonts can draw, with the awkward characters (bidi, combining, markup) mixed in."""
    first = draw(COVERED)
    return first + "".join(
        draw(st.lists(st.one_of(COVERED, st.sampled_from(AWKWARD), st.just(" ")), max_size=max_size))
    )


COVERED = st.deferred(lambda: st.sampled_from(covered()))
"""One strategy for the whole module: Hypothesis keeps tables for each sampled_from it is given."""


PRINTABLE_RUN = st.one_of(
    st.just(""),
    st.builds(lambda piece, n: piece * n, st.sampled_from(["x", " word", "中", "ب", "*"]), st.integers(200, 3_000)),
)


TEXT_FIELDS = [
    "title",
    "subtitle",
    "publisher",
    "version",
    "reviewer",
    "heading",
    "text",
    "subheading",
    "bullet",
    "term",
    "term_text",
    "callout",
    "callout_title",
    "note",
    "contact_heading",
    "contact_text",
    "label",
    "value",
    "line_note",
    "name",
    "address",
    "hours",
    "label_notes",
]


def content(t: dict[str, str]) -> dict[str, object]:
    """A one-section brochure carrying ``t[field]`` in each field."""
    return {
        "lang": t.get("lang", "en"),
        "title": t["title"],
        "subtitle": t["subtitle"],
        "publisher": t["publisher"],
        "version": t["version"],
        "review": {"status": "reviewed", "reviewer": t["reviewer"], "date": "2026-01-01"},
        "sections": [
            {
                "id": t.get("id", "one"),
                "heading": t["heading"],
                "blocks": [
                    {"text": t["text"] + f" [^{t.get('note_key', 'n')}]"},
                    {"subheading": t["subheading"]},
                    {"bullets": [t["bullet"], "Second item"]},
                    {"terms": [{"term": t["term"], "text": t["term_text"]}]},
                    {"callout": t["callout"], "title": t["callout_title"]},
                ],
            }
        ],
        "notes": {t.get("note_key", "n"): t["note"]},
        "contact": {
            "heading": t["contact_heading"],
            "text": t["contact_text"],
            "lines": [{"label": t["label"], "value": t["value"], "note": t["line_note"]}],
            "name": t["name"],
            "address": t["address"],
            "hours": t["hours"],
            "website": t.get("website", "https://example.org/help"),
            "qr": t.get("qr", "https://example.org/help"),
        },
        "labels": {"notes": t["label_notes"]},
    }


def write_content(folder: Path, data: dict[str, object], style: str) -> Path:
    """The content as YAML (safe_dump, so every value stays the text given) or as JSON, which is YAML too."""
    path = folder / "content.yaml"
    if style == "json":
        text = json.dumps(data, ensure_ascii=False)
    else:
        text = yaml.safe_dump(data, allow_unicode=style == "yaml-unicode", width=120, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


LANGS = st.sampled_from(["en", "es", "ar", "he", "zh-Hans", "ja", "ru", "vi", "fa", "de-CH-1996"])
STYLES = st.sampled_from(["yaml-unicode", "yaml-escaped", "json"])


@fuzz_settings(150)
@given(
    texts=st.fixed_dictionaries(
        {field: ANY_TEXT for field in TEXT_FIELDS},
        optional={
            "lang": st.one_of(LANGS, ANY_TEXT),
            "id": ANY_TEXT,
            "note_key": ANY_TEXT,
            "website": ANY_TEXT,
            "qr": ANY_TEXT,
        },
    ),
    style=STYLES,
    long_field=st.sampled_from(TEXT_FIELDS),
    long_run=LONG_RUN,
)
def test_any_text_in_any_field_is_read_or_refused(tmp_path_factory, texts, style, long_field, long_run):
    texts[long_field] += long_run
    path = write_content(tmp_path_factory.mktemp("fuzz"), content(texts), style)
    try:
        brochure, _ = load_brochure(path)
        plan_fonts(brochure, DEFAULT)
    except BrochureError as exc:
        event(f"refused: {type(exc).__name__}")
        assert exc.diagnostics
        for diagnostic in exc.diagnostics:
            assert diagnostic.location.file == str(path) and diagnostic.location.line >= 1
        return
    event("read")


DEFAULT: LayoutSpec = load_layout("default")


@fuzz_settings(60)
@given(
    texts=st.fixed_dictionaries({field: printable_text() for field in TEXT_FIELDS}),
    lang=LANGS,
    layout=st.sampled_from(["default", "default", "booklet", "large-print", "trifold"]),
    style=STYLES,
    long_field=st.sampled_from(TEXT_FIELDS),
    long_run=PRINTABLE_RUN,
)
def test_any_printable_text_builds_or_is_refused(tmp_path_factory, texts, lang, layout, style, long_field, long_run):
    texts[long_field] += long_run
    path = write_content(tmp_path_factory.mktemp("fuzz"), content({**texts, "lang": lang}), style)
    build_or_refuse(path, layout, "refused")


def build_or_refuse(path: Path, layout: str, refused: str) -> None:
    """Build ``path``: a PDF, or a BrochureError that says what is wrong (counted as ``refused``)."""
    try:
        result = build_brochure(path, layout)
    except BrochureError as exc:
        event(f"{refused}: {type(exc).__name__}")
        assert exc.diagnostics
        return
    event("built")
    assert result.pdf.startswith(b"%PDF-")


# ---------------------------------------------------------------- YAML and markup

YAML_PIECES = st.sampled_from(
    [
        "a",
        "key",
        ": ",
        ":",
        "- ",
        "-",
        "\n",
        "\n  ",
        "\n    ",
        " ",
        "\t",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "&a ",
        "*a",
        "!",
        "!!str ",
        "|",
        ">",
        "'",
        '"',
        "\\",
        "\\u00e9",
        "\\ud800",
        "%YAML 1.1\n",
        "---\n",
        "...\n",
        "? ",
        "@",
        "`",
        "~",
        "null",
        "é",
        "中",
        "\u2028",
        "\ufeff",
        "\x85",
        "\r\n",
    ]
)
YAML_TEXT = st.one_of(st.lists(YAML_PIECES, max_size=40).map("".join), st.text(max_size=40))


def check_tree(node: object) -> None:
    """Every node carries a location inside the file."""
    if node is None:
        return
    assert isinstance(node, (Scalar, Mapping, Sequence))
    assert node.location.line >= 1 and node.location.col >= 1
    if isinstance(node, Mapping):
        for key, value in node.items:
            check_tree(key)
            check_tree(value)
    elif isinstance(node, Sequence):
        for item in node.items:
            check_tree(item)


@fuzz_settings(200)
@given(YAML_TEXT)
def test_any_yaml_is_parsed_or_refused(text):
    try:
        tree = parse_yaml(text, "f.yaml")
    except SourceError as exc:
        event("refused")
        assert exc.diagnostics and all(d.location.file == "f.yaml" for d in exc.diagnostics)
        return
    event("parsed")
    check_tree(tree)


MARKUP = st.sampled_from(
    [
        *["a", " ", "*", "**", "***", "[", "]", "(", ")", "[^", "[^k]", "](", "](https://a.org)", "](javascript:x)"],
        *["\\", "\\*", "\\[", "https://x.org/", "http", "h", "<", "&", "^", "_", "中", "\u202e"],
    ]
)


@fuzz_settings(150)
@given(st.one_of(st.lists(MARKUP, max_size=60).map("".join), st.lists(MARKUP, max_size=4_000).map("".join)))
def test_any_markup_parses_with_problems_inside_the_text(text):
    runs, problems = parse_inline(text)
    for problem in problems:
        assert 0 <= problem.offset <= len(text)
        assert text[problem.offset :].startswith(problem.needle)
    assert len(plain_text(runs)) <= len(text)


# ---------------------------------------------------------------- layouts

FIELD_KINDS = {path: kind for path, kind, _, _ in spec_fields() if kind != "fonts"}
PLAUSIBLE = {
    "length": st.builds(
        "{:g}{}".format, st.floats(0, 4, allow_nan=False), st.sampled_from(["in", "cm", "pt", "mm", ""])
    ),
    "number": st.builds("{:g}".format, st.floats(0, 60, allow_nan=False)),
    "integer": st.builds(str, st.integers(0, 12)),
    "color": st.builds("#{:06x}".format, st.integers(0, 0xFFFFFF)),
    "bool": st.sampled_from(["yes", "no", "true", "false"]),
    "choice": st.sampled_from(["portrait", "landscape", "none", "booklet", "trifold"]),
    "page_size": st.one_of(
        st.sampled_from(["letter", "a4", "a5", "half-letter", "legal"]),
        st.builds("{:g}in x {:g}in".format, st.floats(0.5, 30), st.floats(0.5, 30)),
    ),
    "text": st.lists(st.sampled_from(["\u2022", "-", "a", "<b>", "&", " ", "中", "ب"]), max_size=5).map("".join),
}
"""For each kind of field, values that are usually valid, so that many layouts get as far as a build."""
LAYOUT_VALUES = st.one_of(
    st.sampled_from(
        [
            *["0", "-1", "1", "2", "4", "6", "12", "12.5", "1e9", "1e400", "nan", "inf", "-inf", "1_000", "0x10"],
            *["99999999999999999999", "0.0001", "1in", "-1in", "0.3in", "2.5cm", "20mm", "1pc", "500in", "0pt"],
            *["#000000", "#ffffff", "#0b5560", "#fff", "red", "yes", "no", "letter", "a4", "a5", "half-letter"],
            *["2in x 3in", "3.6875in x 8.5in", "300in x 300in", "0 x 0", "portrait", "landscape"],
            *["booklet", "trifold", "none", "", "•", "*", "<b>", '"\\0"', "[a]", "{a: b}", "~"],
        ]
    ),
    st.text(max_size=12),
)


@st.composite
def layouts(draw: st.DrawFn) -> str:
    """A layout that extends the default and sets a few fields to odd values."""
    chosen = dict.fromkeys(draw(st.lists(st.sampled_from(sorted(FIELD_KINDS)), min_size=1, max_size=6)))
    groups: dict[str, list[str]] = {}
    lines = ["extends: " + draw(st.sampled_from(["default", "booklet", "trifold", "large-print", "a4"]))]
    for path in chosen:
        wild = draw(st.integers(0, 3)) == 0
        value = json.dumps(draw(LAYOUT_VALUES if wild else PLAUSIBLE[FIELD_KINDS[path]]), ensure_ascii=False)
        if "." in path:
            group, key = path.split(".", 1)
            groups.setdefault(group, []).append(f"  {key}: {value}")
        else:
            lines.append(f"{path}: {value}")
    for group, entries in groups.items():
        lines += [f"{group}:", *entries]
    return "\n".join(lines) + "\n"


SMALL_CONTENT = """\
lang: en
title: Fuzzed layout
sections:
  - id: one
    heading: One
    blocks:
      - text: Hello *world*, see [the site](https://example.org).[^a]
      - bullets: [First, Second]
      - callout: Do not quit alone.
notes:
  a: A note.
contact:
  heading: Call us
  lines:
    - label: Help line
      value: 555-0100
  qr: https://example.org
"""


@pytest.fixture(scope="module")
def small_content(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("content") / "content.yaml"
    path.write_text(SMALL_CONTENT, encoding="utf-8")
    return path


@fuzz_settings(100)
@given(layout=layouts())
def test_any_layout_values_load_and_build_or_are_refused(tmp_path_factory, small_content, layout):
    path = tmp_path_factory.mktemp("layout") / "layout.yaml"
    path.write_text(layout, encoding="utf-8")
    try:
        spec = load_layout(str(path))
    except LayoutSpecError as exc:
        event("layout refused")
        assert exc.diagnostics
        return
    assert spec.frame_width >= 72
    build_or_refuse(small_content, str(path), "build refused")
