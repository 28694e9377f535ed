"""Batch variants: the same brochure with a different phone number on the first contact line."""

from __future__ import annotations

from dataclasses import replace

from brochure.build import Variants, render_brochure
from brochure.model import Brochure
from brochure.spec import LayoutSpec


def phone_numbers(count: int) -> list[str]:
    """``count`` distinct, well-formed toll-free numbers (1-800-555-0000, 1-800-555-0001, ...)."""
    return [f"1-800-{555 + index // 10_000:03d}-{index % 10_000:04d}" for index in range(count)]


def tel_link(phone: str) -> str:
    """The tap-to-call address brochure makes of a phone number."""
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def with_phone(brochure: Brochure, phone: str) -> Brochure:
    """``brochure`` with ``phone`` as the first contact line's number (``dataclasses.replace``)."""
    contact = brochure.contact
    if contact is None or not contact.lines:
        raise ValueError(f"{brochure.source} has no contact line to vary")
    first = replace(contact.lines[0], value=phone, link=tel_link(phone))
    return replace(brochure, contact=replace(contact, lines=(first, *contact.lines[1:])))


def pdf_of(rendered: object) -> bytes:
    """The reader-order PDF from ``render_brochure``'s result (the bytes, or a (pdf, imposed) pair)."""
    if isinstance(rendered, bytes):
        return rendered
    if isinstance(rendered, tuple) and rendered and isinstance(rendered[0], bytes):
        return rendered[0]
    raise TypeError(f"unexpected render_brochure result: {type(rendered).__name__}")


def render_variant(brochure: Brochure, spec: LayoutSpec, phone: str, variants: Variants | None = None) -> bytes:
    """One batch variant on content loaded once, with its own phone number.

    Without ``variants`` the variant is laid out whole (``render_brochure``); with a
    ``build.Variants`` kept across variants, only its back page is (the rest is shared),
    as ``brochure batch`` does.
    """
    variant = with_phone(brochure, phone)
    if variants is not None:
        return pdf_of(variants.render(variant))
    return pdf_of(render_brochure(variant, spec))
