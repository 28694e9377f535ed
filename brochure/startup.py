"""Start-up cost: ReportLab's paragraph module without one pattern brochure never uses.

Importing ``reportlab.platypus.paragraph`` compiles ``uri_pat``, a case-insensitive pattern
over most of Unicode that takes the ``re`` module 20-30 ms to build: about a tenth of a
cold ``brochure build``. ReportLab uses it only to break a URL that overflows a line while
hyphenating, which brochure's own line breaking normally leaves it no reason to do. This
module defers that one compilation to the pattern's first use, so a build that never needs
it never pays for it, and one that does gets the same compiled pattern.

:func:`install` (run when this module is imported, first thing in ``brochure/__init__``)
puts a finder at the front of ``sys.meta_path`` that waits for the module's import, runs it
with ``re.compile`` handing out a :class:`DeferredPattern` for that pattern alone, and then
takes itself out. Nothing changes if ReportLab was imported first, or if a later ReportLab
writes the pattern differently: the pattern is then compiled as before.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

MODULE = "reportlab.platypus.paragraph"
URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
"""How ReportLab's ``uri_pat`` begins (ReportLab 4.2 to 5.x)."""


class DeferredPattern:
    """A compiled pattern, compiled the first time any of its attributes is used."""

    __slots__ = ("_compile", "_compiled", "flags", "pattern")

    def __init__(self, compile_: Any, pattern: str, flags: int) -> None:
        self._compile = compile_
        self._compiled: re.Pattern[str] | None = None
        self.pattern = pattern
        self.flags = flags

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = self._compile(self.pattern, self.flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


class _DeferringLoader:
    """Runs the wrapped loader's module with the one pattern deferred."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        module: ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: ModuleType) -> None:
        real = re.compile

        def compile_(pattern: Any, flags: int = 0) -> Any:
            if isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START):
                return DeferredPattern(real, pattern, flags)
            return real(pattern, flags)

        re.compile = compile_  # only while the module's top level runs
        try:
            self.loader.exec_module(module)
        finally:
            re.compile = real

    def __getattr__(self, name: str) -> Any:  # get_code, get_source, is_package...: the wrapped loader's
        return getattr(self.loader, name)


class _Finder:
    """Finds ReportLab's paragraph module once, with a deferring loader, then leaves ``sys.meta_path``."""

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if name != MODULE:
            return None
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _DeferringLoader(spec.loader)  # type: ignore[assignment]  # a loader in all but name
        return spec


def install() -> None:
    """Defer ReportLab's URL pattern, unless its module is already imported (or the finder is in place)."""
    if MODULE in sys.modules or any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


install()
