"""Paths → PDF file: runs every stage in order, gathers warnings, writes the output atomically.

The only module that writes files. Stages: source → content → notes → spec → fonts →
story → render → impose → ``write_atomic``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .assets import NO_ASSETS, Assets, load_assets
from .audit import Audit, audit_brochure
from .content import read_model
from .errors import (
    BrochureError,
    ContentError,
    Diagnostic,
    LayoutSpecError,
    Location,
    OutputError,
    StrictWarningsError,
)
from .fonts import FontPlan, plan_fonts
from .impose import impose_pages
from .model import Brochure, Figure
from .notes import number_notes
from .render import OFFICE, Profile, RenderMeta, SharedPages, render_pdf
from .script import is_rtl, quote_marks
from .source import load_marks, load_yaml
from .spec import LayoutSpec, load_layout, to_grayscale
from .story import build_story
from .wording import check_wording, shipped_word_list

if TYPE_CHECKING:  # translations are imported by the two functions that use them, not by every build
    from .translations import Report

FIXED_DATE = datetime(2000, 1, 1, tzinfo=UTC)
"""The creation date recorded when none is given and the content's review record has no date."""


@dataclass(frozen=True, slots=True)
class Result:
    """What a build produced: the PDF's bytes and the warnings found on the way."""

    pdf: bytes
    warnings: tuple[Diagnostic, ...]
    brochure: Brochure
    imposed: bytes | None = None


def build_date(source_date: int | None) -> date:
    """The day of the build: SOURCE_DATE_EPOCH's when given (reproducible builds), else today."""
    if source_date is not None:
        return datetime.fromtimestamp(source_date, UTC).date()
    return datetime.now(UTC).date()


def load_brochure(content_path: Path, today: date | None = None) -> tuple[Brochure, list[Diagnostic]]:
    """Read, validate and number one content file (steps 2 and 4 of the pipeline).

    ``today`` is the build date the review record is checked against (none: not checked).

    Raises:
        ContentError: every problem of the content and its citations, in file order.
    """
    brochure, warnings, problems = _read_content(content_path, today)
    if problems or brochure is None:
        raise ContentError(problems)
    return brochure, warnings


def _read_content(
    content_path: Path, today: date | None = None
) -> tuple[Brochure | None, list[Diagnostic], list[Diagnostic]]:
    """The content (as far as it could be read), its warnings and its problems: model and citations alike."""
    name = str(content_path)
    root = load_yaml(content_path, name)
    brochure, warnings, problems = read_model(root, name, today)
    if brochure is None:
        return None, warnings, problems
    try:
        numbered, note_warnings = number_notes(brochure)
    except ContentError as exc:
        return brochure, warnings, sorted([*problems, *exc.diagnostics], key=lambda d: d.location)
    return numbered, warnings + note_warnings, problems


def load_inputs(
    content_path: Path, layout: str, today: date | None = None
) -> tuple[LayoutSpec, Brochure, list[Diagnostic]]:
    """The layout and the content, checked together: every problem of both in one error.

    A broken layout does not hide the content's problems, nor broken content its
    uncovered characters: with any problem, the characters of what could be read are
    checked against the layout's fonts too, and all are reported at once.

    Raises:
        BrochureError: a LayoutSpecError when the layout is broken, else a ContentError
            (or SourceError for a file that is not YAML), holding every problem found.
    """
    problems: list[Diagnostic] = []
    kind: type[BrochureError] = ContentError
    spec: LayoutSpec | None = None
    try:
        spec = load_layout(layout)
    except LayoutSpecError as exc:
        problems.extend(exc.diagnostics)
        kind = LayoutSpecError
    try:
        brochure, warnings, content_problems = _read_content(content_path, today)
    except BrochureError as exc:  # not YAML, or not readable: nothing more to check
        if not problems:
            raise
        raise kind([*problems, *exc.diagnostics]) from None
    if problems or content_problems:
        if spec is not None and brochure is not None:
            try:
                plan_fonts(brochure, spec, extra_text=spec.bullet + EXTRA_CHARACTERS)
            except BrochureError as exc:  # uncovered characters, or a damaged font
                content_problems = [*content_problems, *exc.diagnostics]
        raise kind([*problems, *sorted(content_problems, key=lambda d: d.location)])
    assert spec is not None and brochure is not None  # no problem: both were read
    return spec, brochure, warnings


def check_translation(translation: Path, *, strict: bool = False) -> Report:
    """Validate a translation as content, then compare it with its English source."""
    from .translations import compare_translation

    load_brochure(translation)
    return compare_translation(translation, strict=strict)


def check_brochure(
    content_path: Path, layout: str = "default", source_date: int | None = None
) -> tuple[Brochure, list[Diagnostic], Audit]:
    """Validate content, then lay it out in memory and audit what readers get.

    Returns:
        The brochure, its content warnings (the review record's dates, stigmatizing words and
        placeholders among them), and the audit (reading level, sizes, contrast).
    """
    spec, brochure, warnings = load_inputs(content_path, layout, build_date(source_date))
    name = str(content_path)
    words = shipped_word_list(brochure.lang)
    warnings.extend(check_wording(load_yaml(content_path, name), load_marks(content_path, name), words))
    pdf, _ = render_brochure(brochure, spec, assets=load_assets(brochure, content_path.parent))
    return brochure, warnings, audit_brochure(brochure, spec, pdf)


def creation_date(brochure: Brochure, source_date: int | None) -> datetime:
    """SOURCE_DATE_EPOCH when given, else the review record's date (a draft's too), else a fixed date."""
    if source_date is not None:
        return datetime.fromtimestamp(source_date, UTC)
    if brochure.review is not None and brochure.review.date:
        return datetime.fromisoformat(brochure.review.date).replace(tzinfo=UTC)
    return FIXED_DATE


EXTRA_CHARACTERS = "0123456789.:·?"
"""Characters the layout prints besides the content's (page numbers, note numbers, the contents list)."""

PRINT_SHOP_BLEED = 0.125 * 72
"""Bleed on every side of print-shop output: 1/8 inch, what North American print shops ask for."""


def render_brochure(
    brochure: Brochure,
    spec: LayoutSpec,
    source_date: int | None = None,
    *,
    print_shop: bool = False,
    grayscale: bool = False,
    assets: Assets = NO_ASSETS,
) -> tuple[bytes, bytes | None]:
    """Steps 5 to 7 for validated content: fonts, story, PDF bytes, imposition.

    Returns:
        The reader-order PDF and, for layouts with an imposition (and office output), the
        imposed press sheets. Print-shop output is left unimposed: print shops impose
        themselves, and bleed belongs to each trimmed page.
    """
    return Variants(brochure, spec, source_date, print_shop=print_shop, grayscale=grayscale, assets=assets).render(
        brochure, shared=False
    )


class Variants:
    """Brochures that differ only in their contact block (per-site variants), rendered fast.

    What they share (every page but the back page; the cover's lines are the content's, since
    a site's line is never marked for the cover) is laid out once, on the first
    ``render``; each variant then sets only its back page (see ``render.SharedPages``).
    A variant that differs in more than its contact block, or needs other fonts (a
    contact line in another script), is rendered whole: the result is the same either way.
    """

    def __init__(
        self,
        brochure: Brochure,
        spec: LayoutSpec,
        source_date: int | None = None,
        *,
        print_shop: bool = False,
        grayscale: bool = False,
        assets: Assets = NO_ASSETS,
    ) -> None:
        self.brochure = brochure
        self.spec = to_grayscale(spec) if grayscale else spec
        if print_shop:
            self.spec = replace(self.spec, cmyk=True)
        self.print_shop = print_shop
        self.assets = assets
        self.profile = Profile(bleed=PRINT_SHOP_BLEED) if print_shop else OFFICE
        self.meta = RenderMeta(f"brochure {__version__}", creation_date(brochure, source_date))
        self.plan = self._plan(brochure)
        self._shared: SharedPages | None = None

    def _plan(self, brochure: Brochure) -> FontPlan:
        quotes = quote_marks(brochure.lang) if self.spec.quotes else ""
        return plan_fonts(brochure, self.spec, extra_text=self.spec.bullet + EXTRA_CHARACTERS + quotes + "\u00a0")

    def render(self, variant: Brochure, *, shared: bool = True) -> tuple[bytes, bytes | None]:
        """The PDF (and imposed sheets) of ``variant``: the brochure with its own contact block.

        ``shared=False`` lays the variant out whole.
        """
        plan = self.plan if variant is self.brochure else self._plan(variant)
        story = build_story(variant, self.spec, plan, self.assets)
        if (
            shared
            and plan == self.plan
            and replace(variant, contact=self.brochure.contact) == self.brochure
            and _cover_lines(variant) == _cover_lines(self.brochure)
        ):
            if self._shared is None:
                self._shared = SharedPages(
                    build_story(self.brochure, self.spec, self.plan, self.assets), self.meta, self.profile
                )
            pdf, _ = self._shared.render(story)
        else:
            pdf, _ = render_pdf(story, self.meta, self.profile)
        spec = self.spec
        if spec.imposition == "none" or self.print_shop:
            return pdf, None
        return pdf, impose_pages(pdf, spec.imposition, is_rtl(variant.lang), spec.fold_in_width, spec.sheet)


def figure_files(brochure: Brochure) -> list[str]:
    """The image files the content's figure blocks name."""
    return [b.file for s in brochure.sections for b in s.blocks if isinstance(b, Figure)]


def _cover_lines(brochure: Brochure) -> tuple[object, ...]:
    """The contact lines printed on the cover: the one part of the contact block that is not on the back page."""
    return tuple(line for line in brochure.contact.lines if line.cover) if brochure.contact else ()


def imposed_path(out_path: Path) -> Path:
    """Where the imposed sheets go: ``out/brochure-booklet.pdf`` → ``out/brochure-booklet.imposed.pdf``."""
    return out_path.with_suffix(".imposed.pdf")


def build_brochure(
    content_path: Path,
    layout: str = "default",
    out_path: Path | None = None,
    *,
    strict: bool = False,
    source_date: int | None = None,
    print_shop: bool = False,
    grayscale: bool = False,
) -> Result:
    """Build one brochure and, when ``out_path`` is given, write it atomically.

    Args:
        content_path: the content YAML file.
        layout: a layout name from ``layouts/`` or a path to a layout file.
        out_path: where to write the PDF; None to only return the bytes.
        strict: turn warnings into errors.
        source_date: seconds since the epoch to record as the creation date.
        print_shop: add bleed, trim and bleed boxes and crop marks.
        grayscale: map every colour to a gray of the same luminance.

    Returns:
        The PDF bytes (and imposed sheets, for booklet and tri-fold layouts) and the warnings.
        The sheets are written beside ``out_path`` (see ``imposed_path``).

    Raises:
        BrochureError: any problem, with file, line and column; nothing is written then.
    """
    spec, brochure, warnings = load_inputs(content_path, layout, build_date(source_date))
    if strict and warnings:
        raise StrictWarningsError([w.as_error() for w in warnings])
    if out_path is not None:
        inputs = [content_path, *spec.input_files()]
        if brochure.logo is not None:
            inputs.append(content_path.parent / brochure.logo.file)
        inputs.extend(content_path.parent / name for name in figure_files(brochure))
        check_output(out_path, inputs)
        if spec.imposition != "none" and not print_shop:
            check_output(imposed_path(out_path), inputs)
    audit = audit_brochure(brochure, spec)
    if audit.errors:
        raise LayoutSpecError(list(audit.errors))
    warnings.extend(audit.warnings)
    if strict and audit.warnings:
        raise StrictWarningsError([w.as_error() for w in audit.warnings])
    assets = load_assets(brochure, content_path.parent)
    pdf, imposed = render_brochure(
        brochure, spec, source_date, print_shop=print_shop, grayscale=grayscale, assets=assets
    )
    if out_path is not None:
        write_outputs([(out_path, pdf)] + ([(imposed_path(out_path), imposed)] if imposed is not None else []))
    return Result(pdf, tuple(warnings), brochure, imposed)


def writes_imposed(layout: str, *, print_shop: bool = False) -> bool:
    """Whether a build in ``layout`` also writes imposed sheets (booklet and tri-fold office output)."""
    return load_layout(layout).imposition != "none" and not print_shop


def mark_translation(translation: Path, entry: str | None = None) -> tuple[Path, int]:
    """Record what a translation (or one entry of it) was translated from; writes ``content.<lang>.lock``.

    Raises:
        ContentError: when ``entry`` is not an entry of the English source.
    """
    from .translations import mark_current

    try:
        path, text, count = mark_current(translation, entry)
    except KeyError:
        raise ContentError.at(Location(str(translation)), f"no entry '{entry}' in the English source") from None
    write_atomic(path, text.encode("utf-8"))
    return path, count


def check_output(out_path: Path, inputs: list[Path]) -> None:
    """Refuse an output path that is a folder, a device or a pipe, or one of the input files."""
    target = output_target(out_path)
    for path in inputs:
        try:
            if path.exists() and target.exists() and target.resolve() == path.resolve():
                raise OutputError.at(Location(str(out_path)), "the output would overwrite an input file")
        except (OSError, RuntimeError):  # RuntimeError: a link loop (Python 3.11's resolve)
            continue


def output_target(path: Path) -> Path:
    """The file that writing ``path`` replaces: the file a symbolic link leads to (the link stays), else ``path``.

    Raises:
        OutputError: for a folder, a device, a pipe or a socket (also behind a link), a link
            loop, or a name the system refuses.
    """
    where = Location(str(path))
    try:
        info: os.stat_result | None = os.stat(path)  # follows links
    except FileNotFoundError:
        info = None  # a new file, or a link to one
    except OSError as exc:
        raise OutputError.at(where, f"cannot write the output: {exc.strerror or exc}") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError.at(where, "the output path is a folder", "name a file, such as out/brochure.pdf")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputError.at(
            where,
            "the output path is not a regular file (a device, a pipe or a socket)",
            "name a file; use -o - to write the PDF to standard output",
        )
    if os.path.islink(path):
        return Path(os.path.realpath(path))
    return path


TEMPORARY = ".tmp"


def _temporary(target: Path) -> tuple[int, str]:
    """A new temporary file beside ``target``, named after it and this process (see ``_clean_stale``)."""
    _clean_stale(target)
    return tempfile.mkstemp(prefix=f"{_prefix(target)}{os.getpid()}.", suffix=TEMPORARY, dir=target.parent)


def _prefix(target: Path) -> str:
    """How the temporary files of ``target`` begin: its name, shortened when a long name would make theirs too long."""
    name = target.name
    if len(name.encode("utf-8", "surrogateescape")) > 160:
        import hashlib

        name = name[:40] + "~" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f".{name}."


def _clean_stale(target: Path) -> None:
    """Delete the temporary files of ``target`` left by a process that no longer runs (a killed build)."""
    prefix = _prefix(target)
    try:
        names = [n for n in os.listdir(target.parent) if n.startswith(prefix) and n.endswith(TEMPORARY)]
    except OSError:
        return
    for name in names:
        pid = name[len(prefix) :].split(".", 1)[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(target.parent / name)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # another user's process, or a number that cannot be asked about: leave its files
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file.

    A symbolic link to a regular file is written through (the link stays); a folder, a
    device or a pipe is refused.
    """
    write_outputs([(path, data)])


def write_outputs(outputs: list[tuple[Path, bytes]]) -> None:
    """Write several files as one: every one of them replaced, or (on any failure) none.

    Each is written in full to a temporary file beside it first; only when all are written
    are they renamed into place, and a rename that fails puts back the files renamed before it.

    Raises:
        OutputError: at the path that could not be written; every output is then as it was.
    """
    targets = [(path, output_target(path), data) for path, data in outputs]
    written: list[tuple[Path, Path, str]] = []
    try:
        for path, target, data in targets:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = _temporary(target)
            except OSError as exc:
                raise OutputError.at(Location(str(path)), f"cannot write the output: {exc.strerror or exc}") from None
            written.append((path, target, tmp))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)
            except OSError as exc:
                raise OutputError.at(Location(str(path)), f"cannot write the output: {exc.strerror or exc}") from None
        _rename_all(written)
    finally:
        for _, _, tmp in written:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _rename_all(written: list[tuple[Path, Path, str]]) -> None:
    """Rename each temporary file over its target; on a failure, put back the targets already replaced."""
    done: list[tuple[Path, str | None, bool]] = []  # each target replaced: a link to its old content, was it there
    try:
        for path, target, tmp in written:
            old = None
            existed = target.exists()
            if len(written) > 1 and existed:
                old = tmp.removesuffix(TEMPORARY) + ".old" + TEMPORARY
                try:
                    os.link(target, old)
                except OSError:
                    old = None
            try:
                os.replace(tmp, target)
            except OSError as exc:
                if old is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(old)
                raise OutputError.at(Location(str(path)), f"cannot write the output: {exc.strerror or exc}") from None
            done.append((target, old, existed))
    except OutputError:
        for target, old, existed in reversed(done):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, target)
                elif not existed:
                    os.unlink(target)
        raise
    finally:
        for _, old, _ in done:
            if old is not None:
                with contextlib.suppress(OSError):
                    os.unlink(old)
