"""Site list + content files → one PDF per site and language, built in parallel processes.

A site list (CSV, or YAML for those who prefer it) gives each site's contact details. The
site's own line takes the place of the content's line marked ``local: true``; with no line
marked, the site's line comes first and every line of the content stays (national helplines
are never dropped). Site lines never go on the cover, so every site shares its cover page.
Content, layout and fonts are parsed and registered once per worker process, not once per
PDF. A bad row is reported with its file and line and does not stop the other rows.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from pathlib import Path

from .assets import Assets, load_assets
from .build import Variants, load_brochure, write_atomic
from .errors import BrochureError, ContentError, Diagnostic, Location
from .inline import check_url
from .model import Brochure, Contact, ContactLine, Runs, Text
from .source import Mapping, Scalar, Sequence, parse_yaml, read_file
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


def slugify(name: str) -> str:
    """A file-name-safe form of a site name: 'Eastside Clinic #2' → 'eastside-clinic-2'."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "site"


def _site(values: dict[str, tuple[str, Location]], row: Location, problems: list[Diagnostic]) -> Site | None:
    found = len(problems)
    for key in REQUIRED:
        if not values.get(key, ("", row))[0].strip():
            problems.append(Diagnostic(row, f"site is missing '{key}'"))
    phone, where = values.get("phone", ("", row))
    if phone.strip() and not _PHONE.match(phone.strip()):
        problems.append(Diagnostic(where, f"phone '{phone}' is not a phone number"))
    for key in ("website", "qr"):
        url, where = values.get(key, ("", row))
        if url.strip():
            why = check_url(url.strip())
            if why is None and not url.strip().lower().startswith(("http://", "https://")):
                why = f"{key} must be an http or https address"
            if why:
                problems.append(Diagnostic(where, why))
    if len(problems) > found:
        return None

    def get(key: str) -> str | None:
        text = values.get(key, ("", row))[0].strip()
        return text or None

    name = values["name"][0].strip()
    return Site(
        slug=slugify(name),
        name=name,
        phone=values["phone"][0].strip(),
        text_line=get("text_line"),
        address=get("address"),
        hours=get("hours"),
        website=get("website"),
        qr=get("qr"),
        location=row,
    )


def load_sites(path: Path) -> tuple[list[Site], list[Diagnostic]]:
    """Read a site list (``.csv``, or ``.yaml``/``.yml``: a list of mappings).

    Returns:
        The good sites, and one diagnostic per problem in a bad row (with its line).

    Raises:
        BrochureError: when the file cannot be read at all, or has unknown columns.
    """
    name = str(path)
    text = read_file(path, name)
    problems: list[Diagnostic] = []
    sites: list[Site] = []
    for values, row in _rows(path, text, name):
        site = _site(values, row, problems)
        if site is not None:
            sites.append(site)
    seen: dict[str, Location] = {}
    unique: list[Site] = []
    for site in sites:
        if site.slug in seen:
            problems.append(
                Diagnostic(
                    site.location,
                    f"site '{site.name}' has the same file name as the site at line {seen[site.slug].line}",
                )
            )
            continue
        seen[site.slug] = site.location
        unique.append(site)
    return unique, problems


def _rows(path: Path, text: str, name: str) -> Iterator[tuple[dict[str, tuple[str, Location]], Location]]:
    if path.suffix.lower() in (".yaml", ".yml"):
        root = parse_yaml(text, name)
        if not isinstance(root, Sequence):
            raise ContentError.at(root.location if root else Location(name), "a site list must be a list of sites")
        for item in root.items:
            if not isinstance(item, Mapping):
                yield {}, item.location
                continue
            values: dict[str, tuple[str, Location]] = {}
            for key, value in item.items:
                if key.value not in SITE_FIELDS:
                    raise ContentError.at(
                        key.location, f"unknown site field '{key.value}'", f"use: {', '.join(SITE_FIELDS)}"
                    )
                values[key.value] = (
                    value.value if isinstance(value, Scalar) and not value.null else "",
                    value.location,
                )
            yield values, item.location
        return
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ContentError.at(Location(name), "the site list is empty")
    columns = [h.strip().lower() for h in header]
    for index, column in enumerate(columns):
        if column not in SITE_FIELDS:
            col = sum(len(h) + 1 for h in header[:index]) + 1
            raise ContentError.at(
                Location(name, 1, col), f"unknown column '{column}'", f"use: {', '.join(SITE_FIELDS)}"
            )
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        row = Location(name, line, 1)
        if len(cells) != len(columns):
            yield {"name": ("", row)}, Location(name, line, 1)
            continue
        values = {}
        col = 1
        for column, cell in zip(columns, cells, strict=True):
            values[column] = (cell, Location(name, line, col))
            col += len(cell) + 1
        yield values, row


def site_contact(brochure: Brochure, site: Site) -> Contact:
    """The brochure's contact block with the site's line first, in place of the local line (if one is marked)."""
    base = brochure.contact
    labels = brochure.labels
    note: Runs = (Text(f"{labels.get('hours')}: {site.hours}"),) if site.hours else ()
    digits = "".join(ch for ch in site.phone if ch.isdigit() or ch == "+")
    lines = [ContactLine(site.name, site.phone, note, f"tel:{digits}", site.location)]
    if site.text_line:
        lines.append(ContactLine(labels.get("text_us"), site.text_line, (), None, site.location))
    if base is None:
        return Contact("", (), tuple(lines), site.name, site.address, None, site.website, site.qr, site.location)
    return replace(
        base,
        lines=_with_site_lines(base.lines, lines),
        name=site.name,
        address=site.address or base.address,
        website=site.website or base.website,
        qr=site.qr or site.website or base.qr,
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


def _make(job: Job) -> Outcome:
    brochure, _, _ = _STATE[job.lang]
    try:
        sited = replace(brochure, contact=site_contact(brochure, job.site))
        pdf, imposed = _variants(job.lang).render(sited)
        write_atomic(job.out, pdf)
        if imposed is not None:
            write_atomic(job.out.with_suffix(".imposed.pdf"), imposed)
    except BrochureError as exc:
        problems = tuple(
            Diagnostic(job.site.location, f"{job.site.name} ({job.lang}): {d.message}", d.hint) for d in exc.diagnostics
        )
        return Outcome(job, 0, problems)
    return Outcome(job, len(pdf), ())


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
    workers = max(1, min(jobs or os.cpu_count() or 1, len(work) or 1))
    if workers == 1:
        _start(*args)
        for job in work:
            outcome = _make(job)
            outcomes.append(outcome)
            if progress:
                progress(outcome)
        return outcomes, problems
    with ProcessPoolExecutor(max_workers=workers, initializer=_start, initargs=args) as pool:
        futures = [pool.submit(_make, job) for job in work]
        for future in as_completed(futures):
            outcome = future.result()
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    order = {job: i for i, job in enumerate(work)}
    outcomes.sort(key=lambda o: order[o.job])
    return outcomes, problems
