"""Brochure + its folder → the image files it names, read and checked (PNG, JPEG or SVG, size limits).

Every path must stay inside the content file's folder (no ``..``, no absolute path, no
symbolic link leading out); images are never fetched from the network. A file that is too
large, too many pixels (a decompression bomb) or not a PNG, JPEG or SVG is an error at the
line that names it.

SVG pictures are drawn as vectors (svglib turns them into ReportLab drawings). They are
read with a parser that resolves no entities and loads nothing, and only a safe subset is
accepted: no DOCTYPE (entity expansion), no reference to anything outside the file (images,
external ``use``), no scripts or foreign objects, and no text (its fonts could not be
embedded: convert text to paths). A broken or refused SVG is an error at the line and
column of the SVG file itself.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content import ICON_DIR, icon_names
from .errors import ContentError, Location
from .model import Brochure, Callout, Figure

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_SVG_BYTES = 1024 * 1024
MAX_SVG_ELEMENTS = 10_000
MAX_PIXELS = 20_000_000
MAX_SIDE = 10_000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
SVG_REFUSED = {
    "script": "scripts",
    "foreignObject": "foreign objects",
    "image": "embedded or linked images",
    "text": "text (its font could not be embedded; convert the text to paths)",
    "tspan": "text (its font could not be embedded; convert the text to paths)",
    "textPath": "text (its font could not be embedded; convert the text to paths)",
    "feImage": "linked images",
}
"""SVG elements a picture may not hold, with what they are, for the message."""


@dataclass(frozen=True, slots=True)
class Assets:
    """Image data by the file name the content gives, with each image's pixel size."""

    images: tuple[tuple[str, bytes, float, float], ...] = ()
    """File name, bytes, and width and height: pixels for PNG and JPEG, points for SVG."""
    icons: tuple[tuple[str, bytes], ...] = ()
    """Icon name and its SVG bytes (the shipped icons the content names)."""

    def icon(self, name: str) -> bytes | None:
        """The SVG bytes of a named icon."""
        return next((data for icon, data in self.icons if icon == name), None)

    def image(self, name: str) -> tuple[bytes, float, float] | None:
        """The bytes, width and height of a named image."""
        for file, data, width, height in self.images:
            if file == name:
                return data, width, height
        return None


NO_ASSETS = Assets()


def is_svg(data: bytes) -> bool:
    """Whether image bytes are an SVG document (XML whose first element is ``svg``)."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096]


def read_image(base: Path, name: str, where: Location) -> tuple[bytes, float, float]:
    """Read one image named in the content, with every check.

    Raises:
        ContentError: at ``where`` for a path outside the folder, a missing or unreadable file,
            a file that is not PNG, JPEG or SVG, or one over the byte or pixel limits; at
            the SVG file's own line for a broken or refused SVG.
    """
    folder = Path(os.path.realpath(base))
    path = Path(os.path.realpath(base / name))  # no error for a link loop: reading it is one, below
    if not path.is_relative_to(folder):
        raise ContentError.at(where, f"'{name}' leads outside the content's folder", "keep images beside the content")
    if path.exists() and not path.is_file():  # a folder, a pipe or a device would block or mislead
        raise ContentError.at(where, f"'{name}' is not a regular file")
    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            raise ContentError.at(where, f"'{name}' is {size / 1048576:.1f} MiB; images may be at most 5 MiB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError.at(where, f"image file '{name}' not found") from None
    except IsADirectoryError:
        raise ContentError.at(where, f"'{name}' is a folder, not an image") from None
    except OSError as exc:
        raise ContentError.at(where, f"cannot read '{name}': {exc.strerror or exc}") from None
    if is_svg(data):
        if len(data) > MAX_SVG_BYTES:
            mib = len(data) / 1048576
            raise ContentError.at(where, f"'{name}' is {mib:.1f} MiB; SVG pictures may be at most 1 MiB")
        drawing = svg_drawing(data, str(base / name))
        return data, float(drawing.width), float(drawing.height)
    kind = next((k for sig, k in _SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise ContentError.at(where, f"'{name}' is not a PNG, JPEG or SVG image")
    import struct
    import zlib

    from PIL import Image, UnidentifiedImageError

    # A damaged file can fail anywhere in Pillow's decoders; every such failure is the file's fault.
    damaged = (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, struct.error, zlib.error)
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only, not the pixels
            width, height = image.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise ContentError.at(
                    where,
                    f"'{name}' is {width} x {height} pixels; images may have at most 20 million pixels",
                    "scale the image down; a logo needs no more than about 1000 pixels across",
                )
            image.load()  # every pixel, within the limit just checked: a truncated or corrupt file fails here
    except Image.DecompressionBombError as exc:
        raise ContentError.at(where, f"'{name}' is not a readable {kind} image ({exc})") from None
    except damaged as exc:
        raise ContentError.at(
            where, f"'{name}' is a damaged {kind} image ({exc})", "open it in an image editor and save it again"
        ) from None
    return data, width, height


def svg_drawing(data: bytes, name: str, color: Callable[[Any], Any] | None = None) -> Any:
    """An SVG picture as a ReportLab drawing, its size in points; ``color`` maps every colour (grayscale).

    Raises:
        ContentError: at the line and column in the SVG file of what is broken or refused.
    """
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        raise ContentError.at(
            Location(name, max(1, line), max(1, col + 1)), f"the SVG picture is not well-formed XML ({exc.msg})"
        ) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise ContentError.at(Location(name), "SVG pictures may not have a DOCTYPE", "delete the <!DOCTYPE ...> line")
    if etree.QName(root).localname != "svg":
        raise ContentError.at(Location(name, root.sourceline or 1), "the file's first element is not <svg>")
    count = 0
    for element in root.iter():
        count += 1
        if count > MAX_SVG_ELEMENTS:
            raise ContentError.at(
                Location(name, element.sourceline or 1),
                f"the SVG picture has more than {MAX_SVG_ELEMENTS:,} elements",
                "simplify it: a picture for a handout needs a few hundred at most",
            )
        if not isinstance(element.tag, str):  # processing instructions
            continue
        local = etree.QName(element).localname
        if local in SVG_REFUSED:
            raise ContentError.at(
                Location(name, element.sourceline or 1),
                f"SVG pictures may not hold {SVG_REFUSED[local]} (found <{local}>)",
            )
        for attribute, value in element.attrib.items():
            if etree.QName(attribute).localname == "href" and not value.strip().startswith("#"):
                raise ContentError.at(
                    Location(name, element.sourceline or 1),
                    f"the SVG picture refers to '{value[:60]}' outside the file",
                    "only references inside the picture (href=\"#id\") are allowed",
                )
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise ContentError.at(
                    Location(name, element.sourceline or 1),
                    "the SVG picture refers to a web address or file in a url(...)",
                )
    from svglib.svglib import SvgRenderer

    drawing = SvgRenderer(name, color_converter=color).render(root)
    width, height = float(drawing.width), float(drawing.height)
    if not (0 < width <= 14_400 and 0 < height <= 14_400):
        raise ContentError.at(
            Location(name, root.sourceline or 1),
            f"the SVG picture's size is {width:g} x {height:g} points",
            "give the <svg> element a width and height, or a viewBox, above 0",
        )
    return drawing


def load_assets(brochure: Brochure, base: Path) -> Assets:
    """Read the images a brochure names (its logo and its figures), relative to its content file's folder."""
    wanted: list[tuple[str, Location]] = []
    if brochure.logo is not None:
        wanted.append((brochure.logo.file, brochure.logo.location))
    for section in brochure.sections:
        for block in section.blocks:
            if isinstance(block, Figure):
                wanted.append((block.file, block.location))
    images: list[tuple[str, bytes, float, float]] = []
    for file, where in wanted:
        if any(file == seen for seen, *_ in images):
            continue
        images.append((file, *read_image(base, file, where)))
    icons = tuple((name, read_icon(name, where)) for name, where in _icons_named(brochure))
    return Assets(tuple(images), icons) if images or icons else NO_ASSETS


def _icons_named(brochure: Brochure) -> list[tuple[str, Location]]:
    """Each icon the content names, once, with where it is first named."""
    named: dict[str, Location] = {}
    for section in brochure.sections:
        if section.icon:
            named.setdefault(section.icon, section.location)
        for block in section.blocks:
            if isinstance(block, Callout) and block.icon:
                named.setdefault(block.icon, block.location)
    return list(named.items())


def read_icon(name: str, where: Location) -> bytes:
    """A shipped icon's SVG, checked as a picture is (``svg_drawing``).

    Raises:
        ContentError: at ``where`` for a name that is not a shipped icon; at the SVG file for a refused one.
    """
    path = ICON_DIR / f"{name}.svg"
    if name not in icon_names() or not path.is_file():
        raise ContentError.at(where, f"unknown icon '{name}'", f"the icons there are: {', '.join(icon_names())}")
    data = path.read_bytes()
    svg_drawing(data, str(path))
    return data
