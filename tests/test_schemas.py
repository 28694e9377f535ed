"""JSON Schemas for editors: written from the loaders' rules, up to date, and agreeing with the loaders."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from brochure.content import build_model
from brochure.errors import BrochureError
from brochure.schemas import schema_texts
from brochure.source import Mapping, Node, Scalar, parse_yaml
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent
CONTENT = sorted(ROOT.glob("content*.yaml"))
LAYOUTS = sorted((ROOT / "layouts").glob("*.yaml"))
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def _schema(name: str) -> jsonschema.Draft7Validator:
    schema = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def _plain(node: Node | None) -> Any:
    """The loader's tree as JSON: every scalar as the text written, null as None."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return None if node.null else node.value
    if isinstance(node, Mapping):
        return {key.value: _plain(value) for key, value in node.items}
    return [_plain(item) for item in node.items]


def test_the_schemas_in_the_repository_are_what_make_schema_writes() -> None:
    for name, text in schema_texts().items():
        path = ROOT / "schemas" / name
        assert path.exists() and path.read_text(encoding="utf-8") == text, f"schemas/{name} is stale: run make schema"


@pytest.mark.parametrize("path", [*CONTENT, *LAYOUTS], ids=lambda p: p.name)
def test_every_shipped_file_names_its_schema_and_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    match = SCHEMA_LINE.match(text.splitlines()[0])
    assert match, f"{path.name}: the first line must be '# yaml-language-server: $schema=...'"
    schema_path = (path.parent / match.group(1)).resolve()
    kind = "layout" if path.parent.name == "layouts" else "content"
    assert schema_path == (ROOT / "schemas" / f"{kind}.schema.json").resolve()
    validator = _schema(schema_path.name)
    as_written = _plain(parse_yaml(text, path.name))
    as_an_editor_reads_it = yaml.safe_load(text)  # numbers and booleans typed, as the YAML extension does
    for data in (as_written, as_an_editor_reads_it):
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == []


CONTENT_MUTATIONS = [
    ("misspelt top-level key", "title: ", "titel: "),
    ("misspelt section key", "    heading: ", "    heding: "),
    ("unknown block kind", "      - bullets:", "      - bulets:"),
    ("misspelt contact line key", "    - label: ", "    - lable: "),
    ("unknown label", "  contents: ", "  contens: "),
    ("a list where text belongs", "lang: en\n", "lang: [en]\n"),
    ("text where a list belongs", "      - bullets:\n", "      - bullets: none\n        dummy:\n"),
    ("section id with capitals", "  - id: addiction", "  - id: Addiction"),
    ("missing required lang", "lang: en\n", ""),
]


@pytest.mark.parametrize(("what", "old", "new"), CONTENT_MUTATIONS, ids=[m[0] for m in CONTENT_MUTATIONS])
def test_a_mistake_fails_the_schema_exactly_when_it_fails_the_loader(what: str, old: str, new: str) -> None:
    text = (ROOT / "content.yaml").read_text(encoding="utf-8")
    assert old in text, what
    broken = text.replace(old, new, 1)
    with pytest.raises(BrochureError):
        build_model(parse_yaml(broken, "content.yaml"), "content.yaml")
    assert list(_schema("content.schema.json").iter_errors(_plain(parse_yaml(broken, "x")))), what


LAYOUT_MUTATIONS = [
    ("misspelt key", "  margin_top:", "  margn_top:"),
    ("not a length", "  margin_top: 0.5in", "  margin_top: half an inch"),
    ("not a colour", "  accent: ", "  accent: teal #"),
    ("unknown page size", "  size: half-letter", "  size: tabloid"),
    ("a list where a value belongs", "  pad_to: 4", "  pad_to: [4]"),
    ("unknown group", "qr:\n", "qrcode:\n"),
]


@pytest.mark.parametrize(("what", "old", "new"), LAYOUT_MUTATIONS, ids=[m[0] for m in LAYOUT_MUTATIONS])
def test_a_layout_mistake_fails_the_schema_exactly_when_it_fails_the_loader(
    tmp_path: Path, what: str, old: str, new: str
) -> None:
    source = next(p for p in LAYOUTS if old in p.read_text(encoding="utf-8"))
    broken = source.read_text(encoding="utf-8").replace(old, new, 1)
    path = tmp_path / source.name
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(BrochureError):
        load_layout(str(path))
    assert list(_schema("layout.schema.json").iter_errors(_plain(parse_yaml(broken, "x")))), what


def test_values_an_editor_types_are_accepted_as_the_loader_accepts_them() -> None:
    validator = _schema("layout.schema.json")
    good = {"page": {"size": "A4", "margin_top": 36, "pad_to": 4}, "text": {"hyphenate": True}, "extends": "default"}
    assert list(validator.iter_errors(good)) == []
    bad = {"page": {"pad_to": 0}}
    assert list(validator.iter_errors(bad)), "pad_to is at least 1, as the loader says"
