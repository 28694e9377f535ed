"""Brochure with keyed citations → brochure with numbered citations and ordered notes. Pure.

Numbers follow the order of first citation across the whole brochure (sections in order,
then the contact block); a source cited again keeps its number; markers that stand together
are put in number order; an unknown key is an error
at the citing place; a note never cited is a warning and is left out of the Notes list.
"""

from __future__ import annotations

from dataclasses import replace

from .errors import ContentError, Diagnostic
from .model import (
    Block,
    Brochure,
    Bullets,
    Callout,
    Cite,
    Contact,
    Emph,
    Figure,
    Link,
    Note,
    Paragraph,
    Run,
    Runs,
    Section,
    Strong,
    Subheading,
    Terms,
)


class _Numberer:
    def __init__(self, notes: tuple[Note, ...]) -> None:
        self.known = {note.key: note for note in notes}
        self.numbers: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.problems: list[Diagnostic] = []

    def runs(self, runs: Runs) -> Runs:
        return _cites_in_order(tuple(self.run(run) for run in runs))

    def run(self, run: Run) -> Run:
        if isinstance(run, Cite):
            if run.key not in self.known:
                self.problems.append(
                    Diagnostic(run.location, f"unknown citation '[^{run.key}]'", _hint(run.key, list(self.known)))
                )
                return run
            number = self.numbers.setdefault(run.key, len(self.numbers) + 1)
            occurrence = self.counts.get(run.key, 0) + 1
            self.counts[run.key] = occurrence
            return replace(run, number=number, occurrence=occurrence)
        if isinstance(run, (Emph, Strong, Link)):
            return replace(run, children=self.runs(run.children))
        return run

    def block(self, block: Block) -> Block:
        if isinstance(block, Paragraph):
            return replace(block, runs=self.runs(block.runs))
        if isinstance(block, Bullets):
            return replace(block, items=tuple(replace(i, runs=self.runs(i.runs)) for i in block.items))
        if isinstance(block, Terms):
            return replace(block, items=tuple(replace(i, text=self.runs(i.text)) for i in block.items))
        if isinstance(block, Callout):
            return replace(block, runs=self.runs(block.runs))
        if isinstance(block, Figure):
            return replace(block, caption=self.runs(block.caption))
        assert isinstance(block, Subheading)
        return block

    def section(self, section: Section) -> Section:
        return replace(section, blocks=tuple(self.block(b) for b in section.blocks))

    def contact(self, contact: Contact | None) -> Contact | None:
        if contact is None:
            return None
        lines = tuple(replace(line, note=self.runs(line.note)) for line in contact.lines)
        when = tuple(replace(item, runs=self.runs(item.runs)) for item in contact.when_you_call)
        return replace(contact, text=self.runs(contact.text), lines=lines, when_you_call=when)


def _cites_in_order(runs: Runs) -> Runs:
    """Runs with each group of markers that stand together sorted by number: ³,⁴ never ⁴,³."""
    out: list[Run] = []
    group: list[Cite] = []
    for run in (*runs, None):
        if isinstance(run, Cite):
            group.append(run)
            continue
        ordered: list[Cite] = sorted(group, key=lambda cite: cite.number)
        out.extend(ordered)
        group = []
        if run is not None:
            out.append(run)
    return tuple(out)


def _hint(key: str, known: list[str]) -> str:
    import difflib  # only for a misspelt name: not worth its import at every start

    match = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if match:
        return f"did you mean '[^{match[0]}]'?"
    return "define it under notes:" if not known else f"defined notes: {', '.join(sorted(known)[:6])}"


def number_notes(brochure: Brochure) -> tuple[Brochure, list[Diagnostic]]:
    """Number every citation and order the notes by first citation.

    Args:
        brochure: the content model with citations by key.

    Returns:
        A new brochure whose citations carry numbers and whose notes are the cited ones in
        number order, and the warnings (notes never cited).

    Raises:
        ContentError: for citations of undefined notes, each at its citing place.
    """
    numberer = _Numberer(brochure.notes)
    sections = tuple(numberer.section(s) for s in brochure.sections)
    contact = numberer.contact(brochure.contact)
    if numberer.problems:
        raise ContentError(numberer.problems)
    warnings = [
        Diagnostic(
            note.location, f"note '{note.key}' is never cited", "cite it as [^" + note.key + "] or remove it", "warning"
        )
        for note in brochure.notes
        if note.key not in numberer.numbers
    ]
    notes = sorted(
        (replace(n, number=numberer.numbers[n.key]) for n in brochure.notes if n.key in numberer.numbers),
        key=lambda n: n.number,
    )
    return replace(brochure, sections=sections, contact=contact, notes=tuple(notes)), warnings
