"""argv → exit status: the ``brochure`` command. The only module that prints, exits or reads the environment."""

from __future__ import annotations

import os
import sys
from datetime import UTC
from pathlib import Path

import click

from . import __version__
from .errors import BrochureError, Diagnostic, Location, OutputError


def _report(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        click.echo(diagnostic.format(), err=True)


def _source_date() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise BrochureError.at(
            Location("SOURCE_DATE_EPOCH"), f"SOURCE_DATE_EPOCH must be a whole number of seconds, not '{value}'"
        )
    if len(value) > len(str(MAX_SOURCE_DATE)) or int(value) > MAX_SOURCE_DATE:
        raise BrochureError.at(
            Location("SOURCE_DATE_EPOCH"),
            f"SOURCE_DATE_EPOCH {value[:20]}{'...' if len(value) > 20 else ''} is after the year 9999",
            f"give seconds since 1970-01-01, at most {MAX_SOURCE_DATE}",
        )
    return int(value)


MAX_SOURCE_DATE = 253_402_300_799
"""9999-12-31T23:59:59Z: the last second a PDF date (four-digit year) can hold."""


def default_output(content: Path, layout: str, *, print_shop: bool = False, grayscale: bool = False) -> Path:
    """``out/brochure.pdf`` for content.yaml, ``out/brochure.es.pdf`` for content.es.yaml, and so on.

    A layout other than the default, and each profile, adds to the name:
    ``out/brochure.es-booklet-print-shop.pdf``.
    """
    stem = content.name.removesuffix(".yaml").removesuffix(".yml")
    name = (
        "brochure" + stem[len("content") :] if stem.startswith(("content.", "content-")) or stem == "content" else stem
    )
    if layout != "default":
        name += "-" + Path(layout).stem
    if print_shop:
        name += "-print-shop"
    if grayscale:
        name += "-grayscale"
    return Path("out") / f"{name}.pdf"


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrochureError as exc:
            _report(exc.diagnostics)
            ctx.exit(1)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as exc:  # last line of defence: a message, never a traceback
            if os.environ.get("BROCHURE_DEBUG"):
                raise
            click.echo(f"brochure: internal error: {type(exc).__name__}: {exc}", err=True)
            click.echo("    hint: this is a bug in brochure; set BROCHURE_DEBUG=1 to see the traceback", err=True)
            ctx.exit(1)
        return None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="brochure")
def main() -> None:
    """Turn structured YAML content into print-ready PDF brochures."""


@main.command()
@click.argument("content", type=click.Path(path_type=Path), default="content.yaml", required=False)
@click.option(
    "--layout",
    "-l",
    default="default",
    show_default=True,
    help="Layout name from layouts/, or a path to a layout file.",
)
@click.option(
    "--output",
    "-o",
    "output",
    type=click.Path(path_type=Path),
    help="Where to write the PDF; - for standard output [default: out/brochure[.LANG].pdf].",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--print-shop", is_flag=True, help="Add 1/8 in bleed, trim and bleed boxes and crop marks.")
@click.option("--grayscale", is_flag=True, help="Map every colour to a gray of the same contrast.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
def build(
    content: Path, layout: str, output: Path | None, strict: bool, print_shop: bool, grayscale: bool, quiet: bool
) -> None:
    """Build CONTENT (default: content.yaml) into a PDF.

    Booklet and tri-fold layouts also write the imposed press sheets beside the output,
    as NAME.imposed.pdf.
    """
    from .build import build_brochure, imposed_path, writes_imposed

    source_date = _source_date()
    if output == Path("-"):
        if writes_imposed(layout, print_shop=print_shop):
            raise click.UsageError(
                f"-o - writes one PDF to standard output, but the {layout} layout also writes imposed sheets: "
                "name an output file"
            )
        result = build_brochure(
            content, layout, None, strict=strict, source_date=source_date, print_shop=print_shop, grayscale=grayscale
        )
        _report(result.warnings)
        sys.stdout.flush()
        sys.stdout.buffer.write(result.pdf)
        sys.stdout.buffer.flush()
        return
    out = output or default_output(content, layout, print_shop=print_shop, grayscale=grayscale)
    result = build_brochure(
        content, layout, out, strict=strict, source_date=source_date, print_shop=print_shop, grayscale=grayscale
    )
    _report(result.warnings)
    if not quiet:
        click.echo(f"wrote {out} ({len(result.pdf) // 1024} KiB{_level_b_note(result.pdf)})")
        if result.imposed is not None:
            click.echo(f"wrote {imposed_path(out)} ({len(result.imposed) // 1024} KiB)")
    if print_shop:  # every print-shop build checks its own output as a print shop would
        _preflight(out, result.pdf, quiet)


def _level_b_note(pdf: bytes) -> str:
    """What the "wrote" line says of a file that claims PDF/A-2b instead of 2u (its XMP is uncompressed)."""
    if b"<pdfaid:conformance>B</pdfaid:conformance>" not in pdf:
        return ""
    return "; PDF/A-2b, not 2u: some glyphs map to no Unicode text (see docs/accessibility.md)"


def _preflight(path: Path, data: bytes, quiet: bool) -> None:
    """Print the preflight report of a PDF (only its errors when quiet); exit 1 on an error."""
    from .preflight import preflight

    try:
        report = preflight(data)
    except ValueError as exc:
        raise OutputError.at(Location(str(path)), f"preflight: {exc}") from None
    for finding in report.findings:
        if finding.level == "error":
            click.echo(f"{path}: error: preflight {finding.topic}: {finding.message}", err=True)
        elif not quiet:
            click.echo(f"  preflight {finding.format()}")
    if report.errors:
        sys.exit(1)


@main.command("preflight")
@click.argument("pdfs", nargs=-1, required=True, type=click.Path(path_type=Path))
def preflight_command(pdfs: tuple[Path, ...]) -> None:
    """Check PDFs as a print shop would: pages, trim and bleed, fonts, colours, picture resolution, total ink."""
    failed = False
    for path in pdfs:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise OutputError.at(Location(str(path)), f"cannot read the PDF: {exc.strerror or exc}") from None
        click.echo(f"{path}:")
        try:
            _preflight(path, data, quiet=False)
        except SystemExit:
            failed = True
    if failed:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--layout",
    "-l",
    default=None,
    help="Layout to lay the content out in [default: the one the file is meant for: trifold for a "
    "*-trifold.yaml file, else default].",
)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(files: tuple[Path, ...], layout: str | None, strict: bool) -> None:
    """Validate content files and judge what readers get (default: content.yaml).

    Lays each brochure out in memory (nothing is written) and reports the reading grade of
    each section (English), type sizes, colour contrast and plain-language warnings;
    translations are also compared with their English source.
    """
    from .build import check_brochure
    from .content import LABELS_FALLBACK
    from .translations import Report, compare_if_translation

    failed = False

    def compare(path: Path) -> Report | None:
        nonlocal failed
        try:
            return compare_if_translation(path, strict=strict)
        except BrochureError as exc:  # the translation's own problems are the content check's; not its source's
            elsewhere = [d for d in exc.diagnostics if d.location.file != str(path)]
            _report(elsewhere)
            failed = failed or bool(elsewhere)
            return None

    for path in files or (Path("content.yaml"),):
        chosen = layout or meant_layout(path)
        if layout is None and chosen != "default":
            click.echo(f"{path}: checked with layout '{chosen}' (the layout the file is meant for; --layout to change)")
        try:
            brochure, warnings, audit = check_brochure(path, chosen, _source_date())
        except BrochureError as exc:
            _report(exc.diagnostics)
            click.echo(f"{path}: {len(exc.diagnostics)} error{'s' if len(exc.diagnostics) != 1 else ''}", err=True)
            failed = True
            report = compare(path)  # a translator fixes both at once
            if report is not None:
                _report(report.errors + report.warnings)
                click.echo(f"{path}: {report.summary()}")
            continue
        report = compare(path)
        if report is not None:  # the comparison lists each missing label with the English it would print
            warnings = [w for w in warnings if not w.message.endswith(LABELS_FALLBACK)]
        warnings = [*warnings, *audit.warnings]
        _report(audit.errors)
        _report([w.as_error() for w in warnings] if strict else warnings)
        failed = failed or bool(audit.errors) or (strict and bool(warnings))
        if audit.readability.measured:
            click.echo(audit.readability.table())
        if report is not None:
            _report(report.errors + report.warnings)
            failed = failed or bool(report.errors)
            click.echo(f"{path}: {report.summary()}")
            continue
        sizes = ", ".join(f"{size:g} pt" for size, _ in audit.sizes)
        click.echo(
            f"{path}: {len(brochure.sections)} sections, {len(brochure.notes)} notes, "
            f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}, "
            f"{len(audit.errors)} error{'s' if len(audit.errors) != 1 else ''}; text sizes: {sizes}"
        )
    if failed:
        sys.exit(1)


@main.command("export")
@click.argument("content", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["po", "xliff"]), default="po", show_default=True)
@click.option("--lang", help="The language to start, when CONTENT is the English (such as ko).")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="The PO or XLIFF file to write.")
def export(content: Path, fmt: str, lang: str | None, output: Path) -> None:
    """Write CONTENT's translatable text as a PO or XLIFF file for translators' tools.

    CONTENT is a translation (content.es.yaml), or the English with --lang for a new language.
    """
    from datetime import datetime

    from .build import write_atomic
    from .exchange import export_text

    seconds = _source_date()
    when = datetime.fromtimestamp(seconds, UTC) if seconds is not None else datetime.now(UTC)
    text, count = export_text(content, "po" if fmt == "po" else "xliff", lang, when.strftime("%Y-%m-%d %H:%M+0000"))
    write_atomic(output, text.encode("utf-8"))
    click.echo(f"wrote {output} ({count} entries)")


@main.command("import")
@click.argument("exchange", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="The content.LANG.yaml to update.")
def import_(exchange: Path, output: Path) -> None:
    """Write the translations of a PO or XLIFF file into a content.LANG.yaml, in place.

    Comments, order and quoting of the YAML are kept; every entry that is translated and no
    longer fuzzy is recorded as current in content.LANG.lock. Nothing is written when any
    translation breaks markup, a citation, a phone number or an address.
    """
    from .build import write_atomic
    from .exchange import import_units, read_exchange

    lang, source, units = read_exchange(exchange)
    result = import_units(units, output, lang=lang, source_name=source)
    _report(result.warnings)
    if not output.exists() or output.read_text(encoding="utf-8") != result.yaml_text:
        write_atomic(output, result.yaml_text.encode("utf-8"))
    if not result.lock_path.exists() or result.lock_path.read_text(encoding="utf-8") != result.lock_text:
        write_atomic(result.lock_path, result.lock_text.encode("utf-8"))
    click.echo(f"wrote {output}: {result.changed} changed, {result.current} recorded as current in {result.lock_path}")


@main.command()
@click.argument("contents", nargs=-1, type=click.Path(path_type=Path))
@click.option("--layout", "-l", default="default", show_default=True, help="The layout the outputs were built with.")
def drafts(contents: tuple[Path, ...], layout: str) -> None:
    """List which outputs of CONTENTS are unreviewed drafts (default: content.yaml and its translations).

    `make brochure` ends with this list, so nobody sends a draft to print by mistake.
    """
    from .build import load_brochure

    paths = list(contents) or [Path("content.yaml"), *sorted(Path(".").glob("content.*.yaml"))]
    found = []
    for path in paths:
        brochure, _ = load_brochure(path)
        if brochure.draft:
            found.append((default_output(path, layout), path, brochure.lang))
    if not found:
        click.echo(f"no unreviewed drafts among {len(paths)} brochure{'s' if len(paths) != 1 else ''}")
        return
    click.echo(f"unreviewed drafts ({len(found)} of {len(paths)}; every page is marked DRAFT):")
    for output, path, lang in found:
        click.echo(f"  {output}  ({lang}, from {path})")


@main.command()
@click.option(
    "--output", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("schemas"), show_default=True
)
def schema(out_dir: Path) -> None:
    """Write the JSON Schemas of content and layout files (for editors that check YAML as you type)."""
    from .build import write_atomic
    from .schemas import schema_texts

    for name, text in schema_texts().items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_atomic(path, text.encode("utf-8"))
            click.echo(f"wrote {path}")


def meant_layout(path: Path) -> str:
    """The layout a content file is meant for: ``trifold`` for ``content-trifold.yaml`` and the like.

    Any other file is meant for ``default``.
    """
    return "trifold" if path.name.split(".")[0].endswith("trifold") else "default"


@main.command("mark-current")
@click.argument("translation", type=click.Path(path_type=Path))
@click.option("--entry", help="Mark only this entry (a path such as sections/withdrawal/heading).")
def mark_current(translation: Path, entry: str | None) -> None:
    """Record that TRANSLATION matches the current English (all of it, or one entry)."""
    from .build import mark_translation

    lock, count = mark_translation(translation, entry)
    click.echo(f"wrote {lock} ({count} entries recorded)")


@main.command()
@click.argument("sites", type=click.Path(path_type=Path))
@click.argument("contents", nargs=-1, type=click.Path(path_type=Path))
@click.option("--layout", "-l", default="default", show_default=True, help="Layout name or path.")
@click.option(
    "--output", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("out/sites"), show_default=True
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="Worker processes [default: every core; at most one per PDF and two per core].",
)
@click.option("--print-shop", is_flag=True, help="Print-shop output (bleed, boxes, crop marks).")
@click.option("--grayscale", is_flag=True, help="Grayscale output.")
def batch(
    sites: Path,
    contents: tuple[Path, ...],
    layout: str,
    out_dir: Path,
    jobs: int | None,
    print_shop: bool,
    grayscale: bool,
) -> None:
    """Build one PDF per site in SITES (CSV or YAML) and language.

    CONTENTS are the content files, one per language (default: content.yaml and every
    content.LANG.yaml beside it). Files are written as OUTPUT/SITE.LANG.pdf. A bad row is
    reported with its line and does not stop the others; the exit status is then 1.
    """
    from .batch import Outcome, run_batch

    paths = list(contents) or [Path("content.yaml"), *sorted(Path(".").glob("content.*.yaml"))]
    failed: list[Outcome] = []
    with click.progressbar(length=1, label="building", file=sys.stderr, show_pos=True) as bar:

        def start(total: int) -> None:
            bar.length = max(1, total)

        def advance(outcome: Outcome) -> None:
            if outcome.problems:
                failed.append(outcome)
            bar.update(1)

        outcomes, problems = run_batch(
            sites,
            paths,
            out_dir,
            layout=layout,
            jobs=jobs,
            source_date=_source_date(),
            print_shop=print_shop,
            grayscale=grayscale,
            start=start,
            progress=advance,
        )
    _report(problems)
    for outcome in failed:
        _report(outcome.problems)
    made = sum(1 for o in outcomes if not o.problems)
    click.echo(
        f"{made} of {len(outcomes)} PDFs written to {out_dir}; {len(problems)} bad rows, {len(failed)} failed builds"
    )
    if problems or failed:
        sys.exit(1)


@main.command()
@click.argument("pdfs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--output", "-o", "out_dir", type=click.Path(path_type=Path), default=Path("out/preview"), show_default=True
)
@click.option("--dpi", type=click.IntRange(10, 300), default=50, show_default=True, help="Resolution of the pictures.")
def preview(pdfs: tuple[Path, ...], out_dir: Path, dpi: int) -> None:
    """Write a PNG per page and a contact sheet of all pages for each PDF (default: out/brochure.pdf)."""
    from .build import write_atomic
    from .errors import OutputError
    from .preview import MAX_PDF_BYTES, render_preview

    for path in pdfs or (Path("out/brochure.pdf"),):
        try:
            if path.stat().st_size > MAX_PDF_BYTES:
                raise OutputError.at(Location(str(path)), f"the PDF is over {MAX_PDF_BYTES // 1048576} MiB")
            data = path.read_bytes()
        except OSError as exc:
            raise OutputError.at(Location(str(path)), f"cannot read the PDF: {exc.strerror or exc}") from None
        stem = path.stem
        written: list[int] = []

        def page(number: int, png: bytes, stem: str = stem, written: list[int] = written) -> None:
            write_atomic(out_dir / f"{stem}-page-{number:02d}.png", png)  # each page as soon as it is drawn
            written.append(number)

        try:
            shots = render_preview(data, dpi, page_sink=page)
        except BrochureError:
            raise
        except Exception as exc:  # noqa: BLE001  # PDFium's errors have no common base: report, never crash
            raise OutputError.at(Location(str(path)), f"cannot render the PDF: {exc}") from None
        write_atomic(out_dir / f"{stem}-sheet.png", shots.sheet)
        click.echo(f"wrote {len(written)} pages and {out_dir / (stem + '-sheet.png')}")


@main.command()
def layouts() -> None:
    """List the shipped layouts."""
    from .spec import list_layouts

    for name, description in list_layouts():
        click.echo(f"{name:14} {description}")
