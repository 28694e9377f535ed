"""Batch throughput: many variants of one brochure across processes, one per core.

brochure: ``render_brochure`` on content loaded once in the parent, each variant made with
``dataclasses.replace`` on the contact (``variants.with_phone``). The peers get the same
variants as ready-made markup, one document per task, compiled by a worker that keeps its
compiler (Typst) or its imported modules (WeasyPrint) between tasks.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brochure.build import Variants
from brochure.model import Brochure
from brochure.spec import FONT_DIR, LayoutSpec

from .variants import render_variant


@dataclass(frozen=True, slots=True)
class BatchResult:
    """How many PDFs were made, in how long, by how many processes, and how many differ."""

    count: int
    seconds: float
    processes: int
    distinct: int
    total_bytes: int

    @property
    def per_second(self) -> float:
        return self.count / self.seconds


class _Worker:
    """What one worker process keeps between tasks (set by the pool's initializer)."""

    brochure: Brochure | None = None
    spec: LayoutSpec | None = None
    folder: Path = Path()
    compiler: Any = None
    variants: Variants | None = None


def _write(folder: Path, name: str, pdf: bytes) -> tuple[int, str]:
    (folder / name).write_bytes(pdf)
    return len(pdf), hashlib.sha256(pdf).hexdigest()


def _init_brochure(brochure: Brochure, spec: LayoutSpec, folder: Path, shared: bool) -> None:
    _Worker.brochure, _Worker.spec, _Worker.folder = brochure, spec, folder
    _Worker.variants = Variants(brochure, spec) if shared else None


def _brochure_task(item: tuple[int, str]) -> tuple[int, str]:
    index, phone = item
    assert _Worker.brochure is not None and _Worker.spec is not None
    pdf = render_variant(_Worker.brochure, _Worker.spec, phone, _Worker.variants)
    return _write(_Worker.folder, f"brochure-{index:04d}.pdf", pdf)


def _init_typst(folder: Path) -> None:
    import typst

    _Worker.folder = folder
    _Worker.compiler = typst.Compiler(font_paths=[str(FONT_DIR)], ignore_system_fonts=True)


def _typst_task(item: tuple[int, str]) -> tuple[int, str]:
    index, source = item
    pdf = _Worker.compiler.compile(input=source.encode("utf-8"), format="pdf")
    return _write(_Worker.folder, f"typst-{index:04d}.pdf", pdf)


def _init_weasyprint(folder: Path) -> None:
    import weasyprint  # noqa: F401  # imported once per worker, as a long-running batch would

    _Worker.folder = folder


def _weasyprint_task(item: tuple[int, str]) -> tuple[int, str]:
    import weasyprint

    index, document = item
    return _write(_Worker.folder, f"weasyprint-{index:04d}.pdf", weasyprint.HTML(string=document).write_pdf())


def _run(
    initializer: Callable[..., None],
    initargs: tuple[Any, ...],
    task: Callable[[tuple[int, str]], tuple[int, str]],
    items: Sequence[str],
    processes: int,
) -> BatchResult:
    start = time.perf_counter()
    with multiprocessing.get_context().Pool(processes, initializer, initargs) as pool:
        results = list(pool.imap_unordered(task, enumerate(items), chunksize=1))
    seconds = time.perf_counter() - start
    return BatchResult(
        count=len(results),
        seconds=seconds,
        processes=processes,
        distinct=len({digest for _, digest in results}),
        total_bytes=sum(size for size, _ in results),
    )


def cores() -> int:
    """Every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def brochure_batch(
    brochure: Brochure, spec: LayoutSpec, phones: Sequence[str], folder: Path, shared: bool = True
) -> BatchResult:
    """``len(phones)`` variants, one process per core.

    ``shared``: each worker keeps a ``build.Variants`` (the shared pages laid out once, as
    ``brochure batch`` does); otherwise each variant is laid out whole.
    """
    folder.mkdir(parents=True, exist_ok=True)
    return _run(_init_brochure, (brochure, spec, folder, shared), _brochure_task, phones, cores())


def typst_batch(sources: Sequence[str], folder: Path) -> BatchResult:
    """The Typst documents, one process per core, each keeping one ``typst.Compiler``."""
    folder.mkdir(parents=True, exist_ok=True)
    return _run(_init_typst, (folder,), _typst_task, sources, cores())


def weasyprint_batch(documents: Sequence[str], folder: Path) -> BatchResult:
    """The HTML documents with WeasyPrint, one process per core."""
    folder.mkdir(parents=True, exist_ok=True)
    return _run(_init_weasyprint, (folder,), _weasyprint_task, documents, cores())
