"""The content and layout loaders' rules → JSON Schemas, so that editors check a file as it is typed.

The keys, which of them are required, the block kinds, the labels, the layout fields and
their kinds, choices and limits all come from the loaders' own tables (``content``,
``model``, ``spec``): ``make schema`` writes ``schemas/*.schema.json`` again after any of
them changes, and a test fails while the files in the repository are not what this writes.

Values are typed as YAML 1.2 reads them in an editor (``988`` is a number there, ``yes`` a
string), while the loaders keep every scalar as text: a text field accepts a number or a
boolean, and a yes/no field accepts ``yes``, ``no``, ``true`` and ``false`` in any form.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from . import content, model
from .model import DEFAULT_LABELS
from .spec import PAGE_SIZES, LayoutSpec

DRAFT = "http://json-schema.org/draft-07/schema#"
BASE = "https://github.com/brochure/schemas/"
"""Only an identifier: editors find the schema by the relative path in each file's first line."""

Schema = dict[str, Any]

TEXT: Schema = {"type": ["string", "number", "boolean"], "minLength": 1}
FLAG: Schema = {"anyOf": [{"type": "boolean"}, {"enum": ["yes", "no", "true", "false"]}]}
DATE: Schema = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _text(description: str) -> Schema:
    return {**TEXT, "description": description}


def _object(keys: dict[str, bool], known: dict[str, Schema], description: str) -> Schema:
    """A mapping with exactly ``keys`` (True: required); each value as ``known`` says, text otherwise."""
    return {
        "type": "object",
        "description": description,
        "properties": {key: known.get(key, TEXT) for key in keys},
        "required": [key for key, required in keys.items() if required],
        "additionalProperties": False,
    }


def _list(item: Schema, description: str) -> Schema:
    return {"type": "array", "description": description, "items": item, "minItems": 1}


def _icon(description: str) -> Schema:
    return {"enum": list(content.icon_names()), "description": description + " One of the shipped icons."}


def _block(kind: str) -> Schema:
    extras: dict[str, Schema] = {
        "title": _text("The call-out's title."),
        "alt": _text("What the picture shows, for readers who cannot see it (required)."),
        "caption": _text("Printed under the picture."),
        "credit": _text("Who made the picture."),
        "width": {"enum": list(getattr(content, "FIGURE_WIDTHS", ("full", "column", "half")))},
        "icon": _icon("An icon beside the call-out's title."),
    }
    values: dict[str, Schema] = {
        "text": _text("A paragraph: *italic*, **bold**, [words](https://...) and [^note] citations."),
        "callout": _text("A boxed message the reader must not miss."),
        "subheading": _text("A small heading inside the section."),
        "bullets": _list(_text("One item."), "A bulleted list."),
        "terms": _list(
            _object(content.TERM_KEYS, {}, "A term in bold, then its text."), "A list whose items lead with a term."
        ),
        "figure": _text("A PNG, JPEG or SVG file beside the content file, such as images/x.svg."),
    }
    allowed = getattr(content, "BLOCK_EXTRA_KEYS", {}).get(kind, ())
    keys = {kind: True} | {key: key == "alt" and kind == "figure" for key in allowed}
    return _object(keys, {kind: values.get(kind, TEXT), **extras}, f"A {kind} block.")


def content_schema() -> Schema:
    """The JSON Schema of a content file (content.yaml and its translations)."""
    line_flags = {"cover": FLAG, "local": FLAG}
    review_keys = getattr(content, "REVIEW_KEYS", None)
    statuses = getattr(model, "REVIEW_STATUSES", ("draft", "reviewed"))
    known: dict[str, Schema] = {
        "lang": {"type": "string", "pattern": r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$", "description": "BCP 47 tag."},
        "sections": _list(
            _object(
                content.SECTION_KEYS,
                {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "Stable id."},
                    "blocks": _list({"oneOf": [_block(kind) for kind in content.BLOCK_KINDS]}, "The section's blocks."),
                    "icon": _icon("An icon beside the section's heading."),
                },
                "A section: its id, heading and blocks.",
            ),
            "The brochure's sections, in order.",
        ),
        "notes": {
            "type": "object",
            "description": "Sources cited in the text as [^key].",
            "patternProperties": {"^[A-Za-z0-9][A-Za-z0-9_.-]*$": TEXT},
            "additionalProperties": False,
        },
        "contact": _object(
            content.CONTACT_KEYS,
            {
                "lines": _list(_object(content.LINE_KEYS, line_flags, "A phone line or address."), "Contact lines."),
                "when_you_call": _list(_text("One point."), "What happens when the reader calls, under the numbers."),
            },
            "The back page's contact block.",
        ),
        "labels": _object(dict.fromkeys(DEFAULT_LABELS, False), {}, "The words the layout prints."),
        "logo": _object(content.LOGO_KEYS, {}, "A cover image and its description."),
        "translation": _object(content.TRANSLATION_KEYS, {}, "Which English file this translates."),
        "emergency": {**TEXT, "description": "The local emergency number, printed wherever {emergency} is."},
    }
    if review_keys is not None:
        known["review"] = _object(
            review_keys,
            {"status": {"enum": list(statuses)}, "date": DATE, "review_by": DATE},
            "The review record: status, reviewer's role, date, and the date to review again by.",
        )
    schema = _object(content.TOP_KEYS, known, "A brochure's content (see README.md).")
    return {"$schema": DRAFT, "$id": BASE + "content.schema.json", "title": "brochure content", **schema}


def _layout_value(meta: dict[str, Any]) -> Schema:
    kind, doc = meta["kind"], meta["doc"]
    number = r"-?[0-9]+(\.[0-9]+)?"
    if kind == "bool":
        return {**FLAG, "description": doc}
    if kind == "choice":
        return {"enum": list(meta["choices"]), "description": doc}
    if kind == "color":
        return {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$", "description": doc}
    if kind == "length":
        return {
            "type": ["number", "string"],
            "pattern": r"^\s*" + number + r"\s*(pt|in|mm|cm|pc)?\s*$",
            "minimum": 0,
            "description": doc,
        }
    if kind == "page_size":
        names = "|".join(_any_case(name) for name in sorted(PAGE_SIZES))
        size = number + r"\s*(pt|in|mm|cm|pc)?"
        return {
            "type": "string",
            "pattern": rf"^({names})$|^\s*{size}\s*[x×]\s*{size}\s*$",
            "description": doc,
        }
    if kind in ("integer", "number"):
        limits: Schema = {key: meta[key] for key in ("minimum", "maximum") if key in meta}
        pattern = r"^\s*-?[0-9]+\s*$" if kind == "integer" else r"^\s*" + number + r"\s*$"
        kinds = ["integer" if kind == "integer" else "number", "string"]
        return {"type": kinds, "pattern": pattern, **limits, "description": doc}
    if kind == "fonts":
        family = _object(
            {"name": False, "regular": True, "bold": False, "italic": False, "bold_italic": False},
            {},
            "One family of TrueType files.",
        )
        return {**_list(family, doc)}
    return {**TEXT, "description": doc}


def _any_case(word: str) -> str:
    """A pattern matching ``word`` in any case (JSON Schema's patterns have no case-insensitive flag)."""
    return "".join(f"[{ch.lower()}{ch.upper()}]" if ch.isalpha() else ("\\" + ch if ch in "-." else ch) for ch in word)


def layout_schema() -> Schema:
    """The JSON Schema of a layout file (layouts/*.yaml)."""
    groups: dict[str, dict[str, Schema]] = {}
    top: dict[str, Schema] = {
        "extends": _text("The layout this one changes: a shipped layout's name or a file beside this one."),
    }
    for f in fields(LayoutSpec):
        path = f.metadata.get("path")
        if not path:
            continue
        value = _layout_value(dict(f.metadata))
        if "." in path:
            group, key = path.split(".", 1)
            groups.setdefault(group, {})[key] = value
        else:
            top[path] = value
    for group, keys in sorted(groups.items()):
        top[group] = {"type": "object", "properties": keys, "additionalProperties": False}
    return {
        "$schema": DRAFT,
        "$id": BASE + "layout.schema.json",
        "title": "brochure layout",
        "description": "A layout: page, type, space, colours and fonts (see `brochure layouts`).",
        "type": "object",
        "properties": top,
        "additionalProperties": False,
    }


def schema_texts() -> dict[str, str]:
    """File name → the JSON text ``make schema`` writes."""
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        for name, schema in (("content.schema.json", content_schema()), ("layout.schema.json", layout_schema()))
    }
