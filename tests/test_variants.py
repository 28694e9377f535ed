"""Per-site variants from shared pages: the same bytes as a brochure laid out whole."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from test_fuzz import printable_text

from brochure.batch import load_sites, site_contact
from brochure.build import Variants, load_brochure, render_brochure
from brochure.errors import LayoutOverflowError
from brochure.model import Brochure
from brochure.spec import load_layout

ROOT = Path(__file__).resolve().parent.parent
SITES, _ = load_sites(ROOT / "sites" / "example-sites.csv")


def sited(brochure: Brochure, index: int) -> Brochure:
    return dataclasses.replace(brochure, contact=site_contact(brochure, SITES[index]))


def outcome(render: Callable[[], object]) -> object:
    """What a render gives: its bytes, or the error it reports."""
    try:
        return render()
    except LayoutOverflowError as exc:
        return str(exc)


@pytest.mark.parametrize(
    ("content", "layout", "options"),
    [
        ("content.yaml", "default", {}),
        ("content.yaml", "booklet", {}),
        ("content.yaml", "large-print", {"print_shop": True}),
        ("content.yaml", "a4", {"grayscale": True}),
        ("content.ar.yaml", "default", {}),
        ("content.zh-Hans.yaml", "booklet-a5", {}),
        ("content-trifold.yaml", "trifold", {}),
    ],
)
def test_variants_are_byte_identical_to_whole_builds(content: str, layout: str, options: dict[str, bool]) -> None:
    brochure, _ = load_brochure(ROOT / content)
    spec = load_layout(layout)
    variants = Variants(brochure, spec, **options)
    for index in (0, 7):  # the shared pages are reused, and stay unchanged, from one variant to the next
        variant = sited(brochure, index)
        shared = outcome(lambda: variants.render(variant))  # noqa: B023  # called at once
        whole = outcome(lambda: render_brochure(variant, spec, **options))  # noqa: B023  # called at once
        assert shared == whole, (content, layout, index)
    assert variants._shared is not None  # the variants did share their pages


def test_a_contact_in_another_script_is_laid_out_whole_with_the_same_result() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    spec = load_layout("default")
    variants = Variants(brochure, spec)
    variant = dataclasses.replace(
        brochure, contact=dataclasses.replace(site_contact(brochure, SITES[0]), name="东区诊所 Eastside")
    )
    assert variants.render(variant) == render_brochure(variant, spec)


def test_a_variant_that_differs_beyond_its_contact_block_is_laid_out_whole() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    spec = load_layout("default")
    variants = Variants(brochure, spec)
    variants.render(sited(brochure, 1))
    other = dataclasses.replace(sited(brochure, 2), title="Quitting Heroin, Eastside edition")
    assert variants.render(other) == render_brochure(other, spec)


def test_a_contact_block_too_long_for_the_back_page_is_the_same_error() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    spec = load_layout("default")
    contact = brochure.contact
    assert contact is not None
    long = dataclasses.replace(brochure, contact=dataclasses.replace(contact, lines=contact.lines * 6))
    with pytest.raises(LayoutOverflowError) as whole:
        render_brochure(long, spec)
    with pytest.raises(LayoutOverflowError) as shared:
        Variants(brochure, spec).render(long)
    assert str(shared.value) == str(whole.value)


def test_trifold_variants_with_another_phone_number_are_byte_identical() -> None:
    brochure, _ = load_brochure(ROOT / "content-trifold.yaml")
    spec = load_layout("trifold")
    contact = brochure.contact
    assert contact is not None
    variants = Variants(brochure, spec)
    for number in ("1-800-555-0142", "1-800-555-0199"):
        line = dataclasses.replace(contact.lines[-1], value=number)  # not the cover's line
        variant = dataclasses.replace(brochure, contact=dataclasses.replace(contact, lines=(*contact.lines[:-1], line)))
        assert variants.render(variant) == render_brochure(variant, spec)
    assert variants._shared is not None  # the variants did share their pages


def test_a_variant_with_another_cover_line_is_laid_out_whole_with_the_same_result() -> None:
    brochure, _ = load_brochure(ROOT / "content.yaml")
    spec = load_layout("default")
    contact = brochure.contact
    assert contact is not None and contact.lines[0].cover
    variants = Variants(brochure, spec)
    line = dataclasses.replace(contact.lines[0], value="1-800-555-0142")
    variant = dataclasses.replace(brochure, contact=dataclasses.replace(contact, lines=(line, *contact.lines[1:])))
    assert variants.render(variant) == render_brochure(variant, spec)


_BROCHURE, _ = load_brochure(ROOT / "content.yaml")
_SPEC = load_layout("default")
_VARIANTS = Variants(_BROCHURE, _SPEC)


@settings(max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(label=printable_text(max_size=12), value=printable_text(max_size=24))
def test_any_contact_line_gives_the_same_pdf_shared_or_whole(label: str, value: str) -> None:
    """One Variants serves every example: state left behind by one variant would show in the next."""
    contact = _BROCHURE.contact
    assert contact is not None
    line = dataclasses.replace(contact.lines[-1], label=label, value=value)  # not the cover's line
    variant = dataclasses.replace(_BROCHURE, contact=dataclasses.replace(contact, lines=(*contact.lines[:-1], line)))
    assert outcome(lambda: _VARIANTS.render(variant)) == outcome(lambda: render_brochure(variant, _SPEC))
