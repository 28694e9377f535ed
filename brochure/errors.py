"""Diagnostics → exceptions: the one error tree every stage raises, each error placed at FILE:LINE:COL.

Library code raises these and never prints or exits; only ``cli`` turns them into
compiler-style lines on stderr and an exit status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file; ``line`` and ``col`` count from 1."""

    file: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One message about one place, with an optional hint on how to fix it."""

    location: Location
    message: str
    hint: str | None = None
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``FILE:LINE:COL: error: message`` plus an indented hint line."""
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def as_error(self) -> Diagnostic:
        """The same diagnostic promoted to an error (``--strict``)."""
        return Diagnostic(self.location, self.message, self.hint, "error")


class BrochureError(Exception):
    """Root of every error the library raises; carries one or more diagnostics."""

    def __init__(self, diagnostics: Diagnostic | list[Diagnostic] | tuple[Diagnostic, ...]) -> None:
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))

    @classmethod
    def at(cls, location: Location, message: str, hint: str | None = None) -> BrochureError:
        """Build an error of this class holding a single diagnostic."""
        return cls(Diagnostic(location, message, hint))


class SourceError(BrochureError):
    """A file could not be read or is not well-formed YAML."""


class ContentError(BrochureError):
    """The content file breaks the content model (keys, types, citations, markup)."""


class LayoutSpecError(BrochureError):
    """A layout file breaks the layout schema."""


class FontCoverageError(BrochureError):
    """A character in the content is not covered by any configured font."""


class LayoutOverflowError(BrochureError):
    """Content does not fit where the layout must put it (back page, fixed panels)."""


class OutputError(BrochureError):
    """The output file cannot be written."""


class StrictWarningsError(BrochureError):
    """Warnings turned into errors by ``--strict``."""
