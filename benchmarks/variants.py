"""Batch variants: the same brochure with a different phone number on the first contact line."""

from __future__ import annotations

import inspect
from dataclasses import replace
from typing import Any

from brochure.build import render_brochure
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


def takes_hints() -> bool:
    """Whether ``render_brochure`` can reuse one variant's page measure for the next (``hints=``)."""
    return "hints" in inspect.signature(render_brochure).parameters


def render_variant(brochure: Brochure, spec: LayoutSpec, phone: str, hints: dict[Any, Any] | None = None) -> bytes:
    """One batch variant: ``render_brochure`` on content loaded once, with its own phone number.

    ``hints``, a dict the caller keeps across variants, is passed on where ``render_brochure``
    takes it: variants that differ only in their contact block then skip the measuring pass.
    """
    variant = with_phone(brochure, phone)
    if hints is not None and takes_hints():
        return pdf_of(render_brochure(variant, spec, hints=hints))
    return pdf_of(render_brochure(variant, spec))
