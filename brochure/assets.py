"""Brochure + its folder → the image files it names, read and checked (PNG or JPEG, size limits).

Every path must stay inside the content file's folder (no ``..``, no absolute path, no
symbolic link leading out); images are never fetched from the network. A file that is too
large, too many pixels (a decompression bomb) or not a PNG or JPEG is an error at the line
that names it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Location
from .model import Brochure

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 20_000_000
MAX_SIDE = 10_000
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True, slots=True)
class Assets:
    """Image data by the file name the content gives, with each image's pixel size."""

    images: tuple[tuple[str, bytes, int, int], ...] = ()

    def image(self, name: str) -> tuple[bytes, int, int] | None:
        """The bytes, width and height of a named image."""
        for file, data, width, height in self.images:
            if file == name:
                return data, width, height
        return None


NO_ASSETS = Assets()


def read_image(base: Path, name: str, where: Location) -> tuple[bytes, int, int]:
    """Read one image named in the content, with every check.

    Raises:
        ContentError: at ``where`` for a path outside the folder, a missing or unreadable file,
            a file that is not PNG or JPEG, or one over the byte or pixel limits.
    """
    folder = base.resolve()
    path = (base / name).resolve()
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
    kind = next((k for sig, k in _SIGNATURES.items() if data.startswith(sig)), None)
    if kind is None:
        raise ContentError.at(where, f"'{name}' is not a PNG or JPEG image")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only, not the pixels
            width, height = image.size
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ContentError.at(where, f"'{name}' is not a readable {kind} image ({exc})") from None
    if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
        raise ContentError.at(
            where,
            f"'{name}' is {width} x {height} pixels; images may have at most 20 million pixels",
            "scale the image down; a logo needs no more than about 1000 pixels across",
        )
    return data, width, height


def load_assets(brochure: Brochure, base: Path) -> Assets:
    """Read the images a brochure names, relative to its content file's folder."""
    if brochure.logo is None:
        return NO_ASSETS
    data, width, height = read_image(base, brochure.logo.file, brochure.logo.location)
    return Assets(((brochure.logo.file, data, width, height),))
