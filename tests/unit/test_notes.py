"""notes.number_notes: numbers by first citation, same key same number, unknown keys are errors."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import brochure_cites, position

from brochure.content import build_model
from brochure.errors import ContentError, Location
from brochure.model import (
    DEFAULT_LABELS,
    Brochure,
    Cite,
    Contact,
    Emph,
    Labels,
    Link,
    Note,
    Paragraph,
    Section,
    Strong,
    Text,
)
from brochure.notes import number_notes
from brochure.source import parse_yaml

HERE = Location("mem.yaml", 1, 1)
KEYS = "abcdef"


def wrap(run, how: str):
    if how == "emph":
        return Emph((Text("x"), run))
    if how == "strong":
        return Strong((run,))
    if how == "link":
        return Link("https://example.org", (Text("y"), run))
    return run


def make(sections, note_keys=KEYS, contact_cites=()) -> Brochure:
    """A brochure whose sections hold one paragraph each, citing the given (key, wrapping) pairs."""
    built_sections = []
    for s, cites in enumerate(sections):
        # Words between the markers: markers that stand together are sorted (tested on their own below).
        runs = tuple(
            run
            for c, (key, how) in enumerate(cites)
            for run in (wrap(Cite(key, Location("mem.yaml", s + 2, c + 1)), how), Text(" w"))
        )
        built_sections.append(Section(f"s{s}", f"Section {s}", (Paragraph((Text("t"), *runs), HERE),), HERE))
    contact = None
    if contact_cites:
        runs = tuple(
            run
            for i, key in enumerate(contact_cites)
            for run in (Cite(key, Location("mem.yaml", 99, i + 1)), Text(" "))
        )
        contact = Contact("Help", runs, (), None, None, None, None, None, HERE)
    return Brochure(
        source="mem.yaml",
        lang="en",
        title="T",
        subtitle=None,
        publisher=None,
        version=None,
        reviewed=None,
        draft=False,
        sections=tuple(built_sections),
        notes=tuple(Note(k, (Text(f"Source {k}."),), HERE) for k in note_keys),
        contact=contact,
        labels=Labels(tuple(DEFAULT_LABELS.items())),
    )


def plain(*keys):
    return [(k, "plain") for k in keys]


def test_numbers_follow_first_citation_across_sections():
    numbered, _ = number_notes(make([plain("c"), plain("a", "c", "b")]))
    assert [(c.key, c.number) for c in brochure_cites(numbered)] == [("c", 1), ("a", 2), ("c", 1), ("b", 3)]
    assert [(n.key, n.number) for n in numbered.notes] == [("c", 1), ("a", 2), ("b", 3)]


def test_repeated_key_keeps_its_number_and_counts_occurrences():
    numbered, _ = number_notes(make([plain("a", "b", "a"), plain("a")]))
    cites = brochure_cites(numbered)
    assert [(c.key, c.number, c.occurrence) for c in cites] == [("a", 1, 1), ("b", 2, 1), ("a", 1, 2), ("a", 1, 3)]


def test_contact_block_cites_are_numbered_after_the_sections():
    numbered, _ = number_notes(make([plain("b")], contact_cites=("a", "b")))
    assert [(c.key, c.number) for c in brochure_cites(numbered)] == [("b", 1), ("a", 2), ("b", 1)]


def test_unused_note_is_a_warning_and_left_out():
    numbered, warnings = number_notes(make([plain("b")], note_keys="abc"))
    assert [n.key for n in numbered.notes] == ["b"]
    assert sorted(w.message for w in warnings) == ["note 'a' is never cited", "note 'c' is never cited"]
    assert {w.severity for w in warnings} == {"warning"}


def test_unknown_key_is_an_error_at_the_citing_place():
    brochure = make([plain("a"), plain("b", "zz")], note_keys="ab")
    with pytest.raises(ContentError) as info:
        number_notes(brochure)
    (diagnostic,) = info.value.diagnostics
    assert "unknown citation '[^zz]'" in diagnostic.message
    assert diagnostic.location == Location("mem.yaml", 3, 2)


def test_unknown_key_from_yaml_points_at_the_line_and_column_and_suggests():
    text = """\
lang: en
title: T
sections:
  - id: one
    heading: One
    blocks:
      - text: Fine.[^heroin]
      - text: >
          A folded paragraph that
          cites a typo[^heroine] here.
notes:
  heroin: Heroin DrugFacts.
"""
    brochure, _ = build_model(parse_yaml(text, "c.yaml"), "c.yaml")
    with pytest.raises(ContentError) as info:
        number_notes(brochure)
    (diagnostic,) = info.value.diagnostics
    assert diagnostic.location == Location("c.yaml", *position(text, "[^heroine]"))
    assert diagnostic.hint == "did you mean '[^heroin]'?"


def test_numbering_is_pure():
    brochure = make([plain("b", "a")])
    first, _ = number_notes(brochure)
    assert all(c.number == 0 for c in brochure_cites(brochure))
    assert number_notes(brochure)[0] == first


CITES = st.lists(
    st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(["plain", "emph", "strong", "link"])), max_size=6),
    min_size=1,
    max_size=5,
)


@given(CITES, st.lists(st.sampled_from(KEYS), max_size=3))
def test_numbering_of_any_citation_sequence_is_1_to_k_by_first_appearance(sections, contact):
    numbered, warnings = number_notes(make(sections, contact_cites=tuple(contact)))
    keys = [key for cites in sections for key, _ in cites] + contact
    order = list(dict.fromkeys(keys))
    expected = {key: i + 1 for i, key in enumerate(order)}
    cites = brochure_cites(numbered)
    assert [c.key for c in cites] == keys
    assert [c.number for c in cites] == [expected[k] for k in keys]
    assert list(dict.fromkeys(c.number for c in cites)) == list(range(1, len(order) + 1))
    assert [(n.key, n.number) for n in numbered.notes] == [(k, expected[k]) for k in order]
    seen: dict[str, int] = {}
    for cite in cites:
        seen[cite.key] = seen.get(cite.key, 0) + 1
        assert cite.occurrence == seen[cite.key]
    assert len(warnings) == len(set(KEYS) - set(keys))


def test_markers_that_stand_together_are_in_number_order():
    """³,⁴ never ⁴,³: a group of markers is sorted, a marker after words stays where it is."""
    here = [Cite(k, HERE) for k in "cab"]
    brochure = make([plain("a", "b")])
    section = brochure.sections[0]
    paragraph = Paragraph((Text("t"), here[0], Text(" w"), here[1], here[0], here[2]), HERE)
    brochure = replace(brochure, sections=(Section(section.id, section.heading, (paragraph,), HERE),))
    numbered, _ = number_notes(brochure)
    runs = numbered.sections[0].blocks[0].runs
    assert [(r.key, r.number) for r in runs if isinstance(r, Cite)] == [("c", 1), ("c", 1), ("a", 2), ("b", 3)]
    assert isinstance(runs[2], Text), "the words stay between the first marker and the group"
