"""Site list + content files → one PDF per site and language, built in parallel processes.

A site list (CSV, or YAML for those who prefer it) gives each site's contact details. The
site's own line takes the place of the content's line marked ``local: true``; with no line
marked, the site's line comes first and every line of the content stays (national helplines
are never dropped). Site lines never go on the cover, so every site shares its cover page.
Content, layout and fonts are parsed and registered once per worker process, not once per
PDF. A bad row is reported with its file and line and does not stop the other rows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from .assets import Assets, load_assets
from .build import Variants, load_brochure, write_outputs
from .content import QR_MAX_BYTES, bad_character
from .errors import BrochureError, ContentError, Diagnostic, Location
from .inline import check_url
from .model import Brochure, Contact, ContactLine, Detail
from .source import Mapping, Scalar, Sequence, describe, parse_yaml, read_file
from .spec import LayoutSpec, load_layout

SITE_FIELDS = ("name", "phone", "text_line", "address", "hours", "website", "qr")
REQUIRED = ("name", "phone")
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{1,30}$")


@dataclass(frozen=True, slots=True)
class Site:
    """One site's contact details, and where its row is written."""

    slug: str
    name: str
    phone: str
    text_line: str | None
    address: str | None
    hours: str | None
    website: str | None
    qr: str | None
    location: Location
    places: tuple[tuple[str, Location], ...] = ()
    """Where each field given is written (its cell), for the characters' places in messages."""


@dataclass(frozen=True, slots=True)
class Job:
    """One PDF to make: a site in a language."""

    site: Site
    lang: str
    out: Path


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one job: the file written, or the problems that stopped it."""

    job: Job
    size: int
    problems: tuple[Diagnostic, ...]


MAX_FIELD = 500
"""Characters one site field may hold: a name, an address or opening hours is a line or two."""

_SLUG_LENGTH = 60
"""Characters of a site's name kept in its file names (with the language and .imposed.pdf, well
under the 255 bytes a file name may have)."""

_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
"""Names Windows refuses for a file, whatever follows the dot."""


def slugify(name: str) -> str:
    """A file-name-safe form of a site name that keeps its letters, in any script.

    'Eastside Clinic #2' → 'eastside-clinic-2'; 'عيادة الشرق' → 'عيادة-الشرق'; 'คลินิก ตะวันออก' →
    'คลินิก-ตะวันออก'. Letters, marks and digits are kept (lower-cased, NFC); every run of
    anything else (spaces, punctuation, symbols, controls) becomes one '-'; at most 60
    characters are kept. A name with no letter or digit at all becomes 'site'.
    """
    text = unicodedata.normalize("NFC", name).lower()
    out: list[str] = []
    for ch in text:
        if unicodedata.category(ch)[0] in "LMN":
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    slug = "".join(out).strip("-")
    if unicodedata.category(slug[:1] or "-")[0] == "M":  # a mark cannot start a name
        slug = "site-" + slug
    slug = slug[:_SLUG_LENGTH].rstrip("-") or "site"
    return "site-" + slug if slug in _RESERVED else slug


def _site(values: dict[str, tuple[str, Location]], row: Location, problems: list[Diagnostic]) -> Site | None:
    """One row's site, with each field checked as content is (length, characters, addresses)."""
    found = len(problems)
    clean: dict[str, str] = {}
    for key in SITE_FIELDS:
        raw, where = values.get(key, ("", row))
        text = unicodedata.normalize("NFC", raw).strip()
        most = 4 * QR_MAX_BYTES if key in ("website", "qr") else MAX_FIELD  # an address: the QR check says more
        if len(text) > most:
            problems.append(Diagnostic(where, f"{key} is too long ({len(text):,} characters; the limit is {most:,})"))
            continue
        bad = bad_character(text)
        if bad:
            problems.append(
                Diagnostic(
                    _shift(where, raw, raw.find(text[bad[0]])),
                    f"{bad[1]} is not allowed in {key}",
                    "delete it; it may have come from copying and pasting",
                )
            )
            continue
        clean[key] = " ".join(text.split())
    for key in REQUIRED:
        if key in clean and not clean[key]:
            problems.append(Diagnostic(values.get(key, ("", row))[1], f"site is missing '{key}'"))
    phone = clean.get("phone", "")
    if phone and not _PHONE.match(phone):
        problems.append(Diagnostic(values["phone"][1], f"phone '{phone}' is not a phone number"))
    for key in ("website", "qr"):
        url = clean.get(key, "")
        if url:
            why = check_url(url)
            if why is None and not url.lower().startswith(("http://", "https://")):
                why = f"{key} must be an http or https address"
            if why is None and key == "qr" and len(url.encode("utf-8")) > QR_MAX_BYTES:
                size = len(url.encode("utf-8"))
                why = f"qr address is too long for a QR code ({size:,} bytes; the limit is {QR_MAX_BYTES:,})"
            if why:
                problems.append(Diagnostic(values[key][1], why))
    if len(problems) > found:
        return None
    name = clean["name"]
    return Site(
        slug=slugify(name),
        name=name,
        phone=phone,
        text_line=clean.get("text_line") or None,
        address=clean.get("address") or None,
        hours=clean.get("hours") or None,
        website=clean.get("website") or None,
        qr=clean.get("qr") or None,
        location=row,
        places=tuple((key, values[key][1]) for key in SITE_FIELDS if clean.get(key)),
    )


def _shift(where: Location, raw: str, offset: int) -> Location:
    """The place of character ``offset`` of a cell that starts at ``where`` (on the cell's own line)."""
    if offset < 0:
        return where
    before = raw[:offset]
    if "\n" in before:
        return Location(where.file, where.line + before.count("\n"), offset - before.rfind("\n"))
    return Location(where.file, where.line, where.col + offset)


def load_sites(path: Path) -> tuple[list[Site], list[Diagnostic]]:
    """Read a site list (``.csv``, or ``.yaml``/``.yml``: a list of mappings).

    Returns:
        The good sites, and one diagnostic per problem in a bad row (with its line and column).
        Every site gets its own file name: a name that another site's already took gets
        '-2', '-3'... in row order.

    Raises:
        BrochureError: when the file cannot be read at all, or its header has unknown columns.
    """
    name = str(path)
    text = read_file(path, name)
    problems: list[Diagnostic] = []
    sites: list[Site] = []
    for values, row in _rows(path, text, name, problems):
        site = _site(values, row, problems)
        if site is not None:
            sites.append(site)
    taken: set[str] = set()
    unique: list[Site] = []
    for site in sites:
        slug, number = site.slug, 1
        while slug in taken:
            number += 1
            slug = f"{site.slug}-{number}"
        taken.add(slug)
        unique.append(replace(site, slug=slug))
    return unique, problems


def _rows(
    path: Path, text: str, name: str, problems: list[Diagnostic]
) -> Iterator[tuple[dict[str, tuple[str, Location]], Location]]:
    """Each good row's cells by column, with their places; a row's problems go to ``problems``."""
    if path.suffix.lower() in (".yaml", ".yml"):
        yield from _yaml_rows(text, name, problems)
        return
    records = csv_records(text, name)
    header = next(records, None)
    if header is None:
        raise ContentError.at(Location(name), "the site list is empty")
    if header.problem:
        raise ContentError.at(header.problem.location, header.problem.message, header.problem.hint)
    columns = [cell.strip().lower() for cell, _ in header.cells]
    for column, (_, where) in zip(columns, header.cells, strict=True):
        if column not in SITE_FIELDS:
            raise ContentError.at(where, f"unknown column '{column}'", f"use: {', '.join(SITE_FIELDS)}")
    seen: dict[str, Location] = {}
    for column, (_, where) in zip(columns, header.cells, strict=True):
        if column in seen:
            raise ContentError.at(where, f"column '{column}' appears twice (first in column {seen[column].col})")
        seen[column] = where
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise ContentError.at(
            header.location, f"the header has no '{missing[0]}' column", f"use: {', '.join(SITE_FIELDS)}"
        )
    for record in records:
        if record.problem:
            problems.append(record.problem)
            continue
        if not any(cell.strip() for cell, _ in record.cells):
            continue
        if len(record.cells) != len(columns):
            few = len(record.cells) < len(columns)
            problems.append(
                Diagnostic(
                    record.location,
                    f"the row has {len(record.cells)} cell{'s' if len(record.cells) != 1 else ''}, "
                    f"the header {len(columns)}: too {'few' if few else 'many'}",
                    "every row needs a comma between cells, and quotes around a cell that holds a comma"
                    if few
                    else "put quotes around a cell that holds a comma",
                )
            )
            continue
        yield {column: cell for column, cell in zip(columns, record.cells, strict=True)}, record.location


def _yaml_rows(
    text: str, name: str, problems: list[Diagnostic]
) -> Iterator[tuple[dict[str, tuple[str, Location]], Location]]:
    root = parse_yaml(text, name)
    if not isinstance(root, Sequence):
        raise ContentError.at(root.location if root else Location(name), "a site list must be a list of sites")
    for item in root.items:
        if not isinstance(item, Mapping):
            problems.append(
                Diagnostic(item.location, f"a site must be a mapping (name: ..., phone: ...), found {describe(item)}")
            )
            continue
        values: dict[str, tuple[str, Location]] = {}
        bad = False
        for key, value in item.items:
            if key.value not in SITE_FIELDS:
                problems.append(
                    Diagnostic(key.location, f"unknown site field '{key.value}'", f"use: {', '.join(SITE_FIELDS)}")
                )
                bad = True
            elif not isinstance(value, Scalar):
                problems.append(Diagnostic(value.location, f"{key.value} must be text, found {describe(value)}"))
                bad = True
            else:
                values[key.value] = ("" if value.null else value.value, value.location)
        for field in REQUIRED:
            if field not in values and not bad:
                problems.append(Diagnostic(item.location, f"site is missing '{field}'"))
                bad = True
        if not bad:
            yield values, item.location


@dataclass(frozen=True, slots=True)
class Record:
    """One CSV record: its cells with the place each starts, or the problem that spoils it."""

    cells: list[tuple[str, Location]]
    location: Location
    problem: Diagnostic | None = None


def csv_records(text: str, name: str) -> Iterator[Record]:
    """CSV text (RFC 4180: commas, double quotes, "" for a quote) → records with each cell's line and column.

    Python's csv module gives neither, nor says where a quote was left open; this reader
    does, in one pass. A record with an unclosed quote, or text after a closing quote, is
    returned with its problem (and, for an unclosed quote, ends the file).
    """
    line, col, i, n = 1, 1, 0, len(text)
    while i < n:
        start = Location(name, line, col)
        cells: list[tuple[str, Location]] = []
        problem: Diagnostic | None = None
        while True:  # one cell per turn
            where = place = Location(name, line, col)  # where the cell starts; where its text does
            if i < n and text[i] == '"':
                i, col = i + 1, col + 1
                place = Location(name, line, col)
                parts: list[str] = []
                while True:
                    quote = text.find('"', i)
                    if quote < 0:
                        return_problem = Diagnostic(
                            where,
                            "unclosed quote: the cell that starts here runs to the end of the file",
                            'close the quote, or write a quote inside a quoted cell as ""',
                        )
                        yield Record(cells, start, return_problem)
                        return
                    piece = text[i:quote]
                    parts.append(piece)
                    breaks = piece.count("\n")
                    line, col = (line + breaks, len(piece) - piece.rfind("\n")) if breaks else (line, col + len(piece))
                    i, col = quote + 1, col + 1
                    if text.startswith('"', i):  # "" is a quote inside the cell
                        parts.append('"')
                        i, col = i + 1, col + 1
                        continue
                    break
                cell = "".join(parts).replace("\r\n", "\n")
                end = i
                while end < n and text[end] in " \t":
                    end += 1
                if end < n and text[end] not in ",\r\n" and problem is None:
                    problem = Diagnostic(
                        Location(name, line, col),
                        "text after the closing quote of a cell",
                        'put the whole cell in quotes, and write a quote inside it as ""',
                    )
                col += end - i
                i = end
                while i < n and text[i] not in ",\r\n":  # skip what the problem is about
                    i, col = i + 1, col + 1
            else:
                end = i
                while end < n and text[end] not in ",\r\n":
                    end += 1
                cell = text[i:end]
                if '"' in cell and problem is None:
                    problem = Diagnostic(
                        Location(name, line, col + cell.index('"')),
                        "a quote inside a cell that does not start with one",
                        'put the whole cell in quotes, and write the quote as ""',
                    )
                col += end - i
                i = end
            cells.append((cell, place))
            if i < n and text[i] == ",":
                i, col = i + 1, col + 1
                continue
            break
        if text.startswith("\r\n", i):
            i += 2
        elif i < n:
            i += 1
        line, col = line + 1, 1
        yield Record(cells, start, problem)


def site_contact(brochure: Brochure, site: Site) -> Contact:
    """The brochure's contact block with the site's line first, in place of the local line (if one is marked).

    The site's text line, address and hours are printed in its own line's box, so a reader
    sees at once where and when that number is answered.
    """
    base = brochure.contact
    digits = "".join(ch for ch in site.phone if ch.isdigit() or ch == "+")
    details: list[Detail] = []
    if site.text_line:
        details.append(Detail("text_us", site.text_line))
    if site.address:
        details.append(Detail("address", site.address))
    if site.hours:
        details.append(Detail("hours", site.hours))
    line = ContactLine(site.name, site.phone, (), f"tel:{digits}", site.location, details=tuple(details))
    if base is None:
        caption = f"{brochure.labels.get('website')}: {site.name}" if site.qr or site.website else None
        return Contact("", (), (line,), site.name, None, None, site.website, site.qr, site.location, qr_caption=caption)
    return replace(
        base,
        lines=_with_site_lines(base.lines, [line]),
        name=site.name,
        address=None if site.address else base.address,  # the site's own is in its line
        hours=None if site.hours else base.hours,
        website=site.website or base.website,
        qr=site.qr or site.website or base.qr,
        # The code leads to the site's own page: the content's "Scan for the helpline website" would mislead.
        qr_caption=f"{brochure.labels.get('website')}: {site.name}" if site.qr or site.website else base.qr_caption,
    )


def _with_site_lines(lines: tuple[ContactLine, ...], site: list[ContactLine]) -> tuple[ContactLine, ...]:
    """The site's lines where the local line was, or before every line when none is marked local."""
    if not any(line.local for line in lines):
        return (*site, *lines)
    out: list[ContactLine] = []
    for line in lines:
        out.extend(site if line.local else [line])
    return tuple(out)


# ---------------------------------------------------------------- worker processes

_STATE: dict[str, tuple[Brochure, LayoutSpec, Assets]] = {}
_OPTIONS: dict[str, object] = {}
_VARIANTS: dict[str, Variants] = {}


def _start(contents: list[str], layout: str, options: dict[str, object]) -> None:
    """Worker start-up: parse every content file and the layout once."""
    spec = load_layout(layout)
    for path in contents:
        brochure, _ = load_brochure(Path(path))
        _STATE[brochure.lang] = (brochure, spec, load_assets(brochure, Path(path).parent))
    _OPTIONS.update(options)
    _VARIANTS.clear()


def _variants(lang: str) -> Variants:
    """The language's brochure, ready to render per site: its shared pages are laid out once per worker."""
    variants = _VARIANTS.get(lang)
    if variants is None:
        brochure, spec, assets = _STATE[lang]
        variants = _VARIANTS[lang] = Variants(
            brochure,
            spec,
            _OPTIONS.get("source_date"),  # type: ignore[arg-type]  # an int or None, set by run_batch
            print_shop=bool(_OPTIONS.get("print_shop")),
            grayscale=bool(_OPTIONS.get("grayscale")),
            assets=assets,
        )
    return variants


def site_characters(brochure: Brochure, site: Site) -> tuple[tuple[str, Location], ...]:
    """The brochure's characters and, after them, each new one of the site's fields, placed at its cell.

    Font planning reads ``Brochure.characters``: so a site's name in Arabic, Chinese or Thai
    gets the fallback font that sets it, and a character no font has is an error at its cell.
    """
    seen = {ch for ch, _ in brochure.characters}
    added: list[tuple[str, Location]] = []
    values = {"name": site.name, "phone": site.phone, "text_line": site.text_line, "address": site.address}
    values.update(hours=site.hours, website=site.website)
    for key, where in site.places:
        for ch in values.get(key) or "":
            if ch not in seen:
                seen.add(ch)
                added.append((ch, where))
    return (*brochure.characters, *added)


def _make(job: Job) -> Outcome:
    brochure, _, _ = _STATE[job.lang]
    site = job.site
    try:
        sited = replace(brochure, contact=site_contact(brochure, site), characters=site_characters(brochure, site))
        pdf, imposed = _variants(job.lang).render(sited)
        outputs = [(job.out, pdf)]
        if imposed is not None:
            outputs.append((job.out.with_suffix(".imposed.pdf"), imposed))
        write_outputs(outputs)
    except BrochureError as exc:
        problems = tuple(
            Diagnostic(
                d.location if d.location.file == site.location.file else site.location,
                f"{site.name} ({job.lang}): {d.message}",
                d.hint,
            )
            for d in exc.diagnostics
        )
        return Outcome(job, 0, problems)
    except Exception as exc:  # noqa: BLE001  # a bug must cost one row, never the batch and its summary
        message = f"{site.name} ({job.lang}): internal error: {type(exc).__name__}: {exc}"
        return Outcome(job, 0, (Diagnostic(site.location, message, "this is a bug in brochure"),))
    return Outcome(job, len(pdf), ())


def _lost(job: Job, why: str) -> Outcome:
    """The outcome of a job whose worker process stopped before it reported."""
    message = f"{job.site.name} ({job.lang}): not built: {why}"
    return Outcome(job, 0, (Diagnostic(job.site.location, message, "run the batch again for the failed rows"),))


MAX_WORKERS_PER_CORE = 2
"""Worker processes per core at most, whatever --jobs asks: each holds the fonts and layout (about 60 MB)."""


def worker_count(jobs: int | None, work: int) -> int:
    """Worker processes for ``work`` PDFs: ``jobs`` (default: every core), at most one per PDF and two per core."""
    cores = os.cpu_count() or 1
    return max(1, min(jobs or cores, work or 1, MAX_WORKERS_PER_CORE * cores))


def plan_jobs(sites: list[Site], contents: list[tuple[Path, Brochure]], out_dir: Path) -> list[Job]:
    """One job per site and language: ``OUT/<site>.<lang>.pdf``."""
    return [Job(site, b.lang, out_dir / f"{site.slug}.{b.lang}.pdf") for site in sites for _, b in contents]


def run_batch(
    sites_path: Path,
    content_paths: list[Path],
    out_dir: Path,
    *,
    layout: str = "default",
    jobs: int | None = None,
    source_date: int | None = None,
    print_shop: bool = False,
    grayscale: bool = False,
    start: Callable[[int], None] | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> tuple[list[Outcome], list[Diagnostic]]:
    """Build every site in every language.

    Args:
        sites_path: the site list.
        content_paths: the content files (one per language).
        out_dir: where the PDFs go.
        layout: the layout for all of them.
        jobs: worker processes (default: every core).
        source_date: the creation date to record.
        print_shop: print-shop output.
        grayscale: grayscale output.
        start: called once with the number of PDFs to make, before the first is made.
        progress: called once per finished PDF, in the order they finish.

    Returns:
        Every job's outcome, and the problems in the site list itself.

    Raises:
        BrochureError: when a content file, the layout or the site list cannot be used at all.
    """
    load_layout(layout)
    contents = []
    langs: dict[str, Path] = {}
    for path in content_paths:
        brochure, _ = load_brochure(path)
        if brochure.lang in langs:
            raise ContentError.at(
                brochure.location, f"two content files in {brochure.lang}: {langs[brochure.lang]} and {path}"
            )
        langs[brochure.lang] = path
        contents.append((path, brochure))
    sites, problems = load_sites(sites_path)
    work = plan_jobs(sites, contents, out_dir)
    if start:
        start(len(work))
    options: dict[str, object] = {"source_date": source_date, "print_shop": print_shop, "grayscale": grayscale}
    args = ([str(p) for p, _ in contents], layout, options)
    outcomes: list[Outcome] = []
    workers = worker_count(jobs, len(work))
    if workers == 1:
        _start(*args)
        for job in work:
            outcome = _make(job)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes, problems
    with ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=args) as pool:
        futures = {pool.submit(_make, job): job for job in work}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                outcome = _lost(futures[future], "a worker process stopped (killed, or out of memory?)")
            except Exception as exc:  # noqa: BLE001  # whatever a worker's end raises: the summary still prints
                outcome = _lost(futures[future], f"{type(exc).__name__}: {exc}")
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    order = {job: i for i, job in enumerate(work)}
    outcomes.sort(key=lambda o: order[o.job])
    return outcomes, problems
