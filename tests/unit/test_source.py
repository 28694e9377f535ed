"""source: YAML text → plain nodes with locations; every scalar stays the text written."""

from __future__ import annotations

import codecs

import pytest
from support import CONTENT, ERRORS, ROOT, position

from brochure import source
from brochure.errors import Location, SourceError
from brochure.source import MAX_DEPTH, Mapping, Scalar, Sequence, decode_text, load_yaml, parse_yaml, read_file


def only_error(text: str, name: str = "f.yaml"):
    with pytest.raises(SourceError) as info:
        parse_yaml(text, name)
    assert len(info.value.diagnostics) == 1, info.value
    return info.value.diagnostics[0]


@pytest.mark.parametrize(
    "written", ["no", "yes", "on", "off", "true", "1.10", "2024-01-01", "0x1F", "1e3", ".inf", "012", "'0'"]
)
def test_scalars_stay_the_text_written(written):
    root = parse_yaml(f"key: {written}\n", "f.yaml")
    assert isinstance(root, Mapping)
    value = root.get("key")
    assert isinstance(value, Scalar)
    assert value.value == written.strip("'")
    assert value.null is False


@pytest.mark.parametrize("written", ["~", "null", ""])
def test_null_is_only_tilde_null_or_nothing(written):
    value = parse_yaml(f"key: {written}\n", "f.yaml").get("key")
    assert isinstance(value, Scalar) and value.null


def test_nodes_carry_their_line_and_column():
    text = "a: 1\nlist:\n  - x\n  - {k: v}\n"
    root = parse_yaml(text, "f.yaml")
    assert root.location == Location("f.yaml", 1, 1)
    seq = root.get("list")
    assert isinstance(seq, Sequence)
    assert seq.items[0].location == Location("f.yaml", *position(text, "x"))
    inner = seq.items[1]
    assert isinstance(inner, Mapping)
    assert inner.get("k").location == Location("f.yaml", *position(text, "v}"))


def test_empty_document_is_none():
    assert parse_yaml("", "f.yaml") is None
    assert parse_yaml("# only a comment\n", "f.yaml") is None


def test_duplicate_key_is_an_error_at_the_second_key():
    text = "title: a\nlang: en\ntitle: b\n"
    diagnostic = only_error(text)
    assert diagnostic.location == Location("f.yaml", *position(text, "title", 1))
    assert "duplicate key 'title'" in diagnostic.message
    assert "line 1" in diagnostic.message


def test_duplicate_keys_are_all_reported():
    with pytest.raises(SourceError) as info:
        parse_yaml("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    assert [(d.location.line, d.location.col) for d in info.value.diagnostics] == [(2, 1), (5, 3)]


def test_tab_indentation_is_an_error_at_the_tab():
    text = "lang: en\nblock:\n\tkey: value\n"
    diagnostic = only_error(text)
    assert diagnostic.location == Location("f.yaml", *position(text, "\t"))
    assert diagnostic.message.startswith("YAML syntax:")


def test_tab_indentation_error_hints_at_spaces():
    diagnostic = only_error("lang: en\nblock:\n\tkey: value\n")
    assert diagnostic.hint is not None and "spaces" in diagnostic.hint


def test_alias_is_refused_where_it_is_written():
    text = "a: &anchor value\nb: *anchor\n"
    diagnostic = only_error(text)
    assert diagnostic.location == Location("f.yaml", *position(text, "*anchor"))
    assert "aliases" in diagnostic.message


def test_nesting_limit():
    def nested(depth: int) -> str:
        return "k: " + "[" * depth + "]" * depth + "\n"

    assert parse_yaml(nested(MAX_DEPTH - 2), "f.yaml") is not None
    diagnostic = only_error(nested(MAX_DEPTH + 5))
    assert f"deeper than {MAX_DEPTH}" in diagnostic.message
    assert diagnostic.location.line == 1 and diagnostic.location.col > MAX_DEPTH
    assert "deeper" in only_error(nested(5000)).message


def test_syntax_error_is_placed_where_the_broken_construct_starts():
    text = 'lang: en\ntitle: "never closed\nsections: []\n'
    diagnostic = only_error(text)
    assert diagnostic.location == Location("f.yaml", *position(text, '"'))
    assert "quoted text that starts here" in diagnostic.message


def test_raw_control_character_is_a_source_error_with_its_place():
    text = "lang: en\ntitle: Ring\x07 the bell\n"
    diagnostic = only_error(text)
    assert diagnostic.location == Location("f.yaml", *position(text, "\x07"))


def test_invalid_utf8_names_the_byte_and_its_place():
    data = b"lang: en\ntitle: caf" + b"\xe9\n"
    with pytest.raises(SourceError) as info:
        decode_text(data, "f.yaml")
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.location == Location("f.yaml", 2, len("title: caf") + 1)
    assert "0xE9" in diagnostic.message


def test_invalid_utf8_after_a_bom_names_the_byte_and_its_place():
    data = codecs.BOM_UTF8 + b"lang: en\ntitle: caf" + b"\xe9\n"
    with pytest.raises(SourceError) as info:
        decode_text(data, "f.yaml")
    (diagnostic,) = info.value.diagnostics
    assert "0xE9" in diagnostic.message
    assert diagnostic.location == Location("f.yaml", 2, len("title: caf") + 1)


@pytest.mark.parametrize("bom", [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE])
def test_byte_order_marks_are_understood(bom):
    encoding = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}[bom]
    text = "title: Café ሰ\n"
    assert decode_text(bom + text.encode(encoding), "f.yaml") == text


def test_file_problems_are_source_errors(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        load_yaml(tmp_path / "missing.yaml")
    with pytest.raises(SourceError, match="folder"):
        load_yaml(tmp_path)
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * 100 + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match="too large"):
        read_file(big, limit=50)


# ---------------------------------------------------------------- libyaml and PyYAML's own parser

TRICKY = [
    "a: [x, y?z]\n",  # "?" inside a flow scalar: PyYAML ends the scalar there, libyaml does not
    "a: {k: v:w}\n",
    "a: [b, c: ]\nd: {e: }\n",  # empty values in [] and {}: placed differently
    "a: |#c\n  x\n",  # a comment straight after the indicator: PyYAML refuses it
    "a: !x!y z\n",  # tags and anchors
    "a: ! ''\nb: !\nc: !!null x\n",
    "a: &anchor x\nb: &anchor y\n",
    "a: [b,\tc]\n",  # a tab after a comma: PyYAML refuses it
    "\ufeffa: b\n\ufeffc: d\n",
    "? a",  # an empty value at the end of a text without a final line break
    "- a\n- ",
    "a: b\r\nc: |\r\n  d\r\n\r\n",
    "a: b\x85c: d\u2028e: f\u2029",
    "a: 'x\n\n  y'\nb: >-\n  folded\n  text\n\n",
    "%YAML 1.2\n---\na: b\n",
    'a: "\\ud800"\n',
    "a: b\n---\nc: d\n",
    "a: 1\na:\n  b: 1\n  b: 2\n? [x]\n: y\n",
]
YAML_FILES = sorted(
    [ROOT / "content.yaml", *ROOT.glob("content.*.yaml"), *(ROOT / "layouts").glob("*.yaml"), *ERRORS.glob("*.yaml")]
)


def parsed(text: str) -> object:
    """The tree of a text, or its diagnostics."""
    try:
        return parse_yaml(text, "f.yaml")
    except SourceError as exc:
        return exc.diagnostics


@pytest.mark.skipif(source._C_PARSER is None, reason="this PyYAML has no libyaml")
@pytest.mark.parametrize(
    "text", [*TRICKY, *(path.read_text(encoding="utf-8") for path in YAML_FILES)], ids=lambda t: repr(t[:30])
)
def test_libyaml_reads_every_text_as_pyyamls_own_parser_does(text, monkeypatch):
    with_libyaml = parsed(text)
    monkeypatch.setattr(source, "_C_PARSER", None)
    assert parsed(text) == with_libyaml


@pytest.mark.skipif(source._C_PARSER is None, reason="this PyYAML has no libyaml")
def test_content_is_read_by_libyaml(monkeypatch):
    def refuse(text: str) -> None:
        raise AssertionError("PyYAML's pure-Python parser was used")

    monkeypatch.setattr(source, "_PythonParser", refuse)
    assert isinstance(load_yaml(CONTENT), Mapping)
    assert isinstance(load_yaml(ROOT / "layouts" / "default.yaml"), Mapping)
