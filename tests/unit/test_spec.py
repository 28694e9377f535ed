"""spec.load_layout: layouts/*.yaml → a validated LayoutSpec, every problem placed in the layout file."""

from __future__ import annotations

import pytest
from support import position, write

from brochure.errors import LayoutSpecError, Location
from brochure.spec import INCH, LayoutSpec, list_layouts, load_layout, parse_length, spec_fields


def layout_error(tmp_path, text: str):
    path = write(tmp_path, text, "layout.yaml")
    with pytest.raises(LayoutSpecError) as info:
        load_layout(str(path))
    return path, info.value.diagnostics


def test_default_layout_loads_with_readable_body_text():
    spec = load_layout("default")
    assert spec.name == "default"
    assert spec.body_size >= 12
    assert spec.body_leading >= spec.body_size
    assert spec.fonts and all(f.regular.is_file() for f in spec.fonts)
    assert spec.frame_width > 0


def test_extending_a_layout_overrides_only_what_is_written(tmp_path):
    path = write(tmp_path, "extends: default\ntype:\n  body_size: 13\n  body_leading: 18\npage:\n  margin_left: 2cm\n")
    base, spec = load_layout("default"), load_layout(str(path))
    assert spec.body_size == 13 and spec.body_leading == 18
    assert spec.margin_left == pytest.approx(2 * INCH / 2.54)
    assert spec.color_accent == base.color_accent and spec.page_size == base.page_size
    assert spec.source == str(path)


def test_unknown_key_names_the_key_and_suggests(tmp_path):
    text = "extends: default\npage:\n  margn_top: 1in\n"
    path, (diagnostic,) = layout_error(tmp_path, text)
    assert diagnostic.message == "unknown layout key 'page.margn_top'"
    assert diagnostic.hint == "did you mean 'margin_top'?"
    assert diagnostic.location == Location(str(path), *position(text, "margn_top"))


def test_unknown_group_suggests_the_group(tmp_path):
    text = "tpye:\n  body_size: 12\n"
    _, (diagnostic,) = layout_error(tmp_path, text)
    assert "unknown layout key 'tpye'" in diagnostic.message
    assert diagnostic.hint == "did you mean 'type'?"


def test_negative_margin_is_refused_at_its_value(tmp_path):
    text = "extends: default\npage:\n  margin_left: -1in\n"
    path, (diagnostic,) = layout_error(tmp_path, text)
    assert "page.margin_left cannot be negative" in diagnostic.message
    assert diagnostic.location == Location(str(path), *position(text, "-1in"))


def test_page_smaller_than_its_margins_is_refused(tmp_path):
    text = "extends: default\npage:\n  size: 2.5in x 3in\n"
    path, (diagnostic,) = layout_error(tmp_path, text)
    assert "margins leave too little room" in diagnostic.message
    assert diagnostic.location == Location(str(path), *position(text, "2.5in"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("type:\n  body_size: tiny\n", "type.body_size must be a number"),
        ("type:\n  body_size: 4\n", "type.body_size must be at least 6"),
        ("type:\n  body_size: 14\n  body_leading: 12\n", "body_leading must be at least type.body_size"),
        ("colors:\n  accent: teal\n", "colors.accent must be a colour"),
        ("page:\n  orientation: sideways\n", "page.orientation must be one of portrait, landscape"),
        ("page:\n  size: b5\n", "page.size 'b5' is not a known size"),
        ("text:\n  hyphenate: maybe\n", "text.hyphenate must be yes or no"),
        ("fonts:\n  families:\n    - regular: ../../etc/passwd.ttf\n", "must be a file name inside"),
        ("fonts:\n  families:\n    - regular: Missing.ttf\n", "font file 'Missing.ttf' not found"),
    ],
)
def test_bad_values_are_refused(tmp_path, text, message):
    _, diagnostics = layout_error(tmp_path, text)
    assert any(message in d.message for d in diagnostics), [d.message for d in diagnostics]


def test_unknown_layout_name_lists_the_known_ones():
    with pytest.raises(LayoutSpecError) as info:
        load_layout("no-such-layout")
    (diagnostic,) = info.value.diagnostics
    assert "unknown layout 'no-such-layout'" in diagnostic.message
    assert "default" in (diagnostic.hint or "")


def test_a_layout_extending_itself_is_refused(tmp_path):
    path = tmp_path / "layout.yaml"
    write(tmp_path, f"extends: {path}\n", "layout.yaml")
    with pytest.raises(LayoutSpecError, match="extends itself"):
        load_layout(str(path))


@pytest.mark.parametrize(
    ("text", "points"),
    [("12pt", 12), ("12", 12), ("1in", 72), ("2.54cm", 72), ("25.4mm", 72), ("1pc", 12), (" 0.5in ", 36)],
)
def test_parse_length(text, points):
    assert parse_length(text) == pytest.approx(points)


@pytest.mark.parametrize("text", ["", "wide", "1 inch", "1in2", "--1in"])
def test_parse_length_refuses_non_lengths(text):
    assert parse_length(text) is None


def test_every_field_is_declared_with_kind_and_description():
    declared = spec_fields()
    assert len(declared) >= 30
    paths = [path for path, _, _, _ in declared]
    assert len(paths) == len(set(paths))
    for path, kind, doc, default in declared:
        assert kind and doc, path
        assert default is not None, path
    assert LayoutSpec().pad_to >= 1


def test_list_layouts_includes_default_with_its_description():
    layouts = dict(list_layouts())
    assert layouts["default"] == load_layout("default").description
