"""A cache of derived data between runs: parsed font tables and QR code modules.

A cold ``brochure build`` used to parse each TrueType file it needs with ReportLab's
pure-Python parser (5 ms for a Noto Sans face, 65 ms for the CJK fallback font) and encode
the QR code (8 ms), the same work on every run. Both results are plain data, so they are
kept here, one file per item, in ``marshal`` format: the format of Python's own bytecode
cache, read back in well under a millisecond.

Where: ``$BROCHURE_CACHE_DIR`` if set (empty: no cache at all), else
``$XDG_CACHE_HOME/brochure``, else ``~/.cache/brochure``. Deleting the folder is always
safe. An item's key names everything its value depends on (the font file's path, size and
modification time, the ReportLab and Python versions, this cache's format), so a changed
input is a different item, never a stale one. The cache never changes the output: a build
with an empty, full, damaged or unwritable cache gives the same bytes, and any problem with
it only means the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

FORMAT = 1
"""Bumped whenever what is stored changes shape."""

ENV = "BROCHURE_CACHE_DIR"


def cache_dir() -> Path | None:
    """The cache folder (which may not exist yet), or None when the cache is turned off."""
    chosen = os.environ.get(ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "brochure"
    try:
        return Path.home() / ".cache" / "brochure"
    except RuntimeError:  # no home directory to be found
        return None


def _path(kind: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    stamp = f"{FORMAT}|{sys.version_info[0]}.{sys.version_info[1]}|{marshal.version}|{key}"
    return folder / kind / (hashlib.sha256(stamp.encode("utf-8", "surrogatepass")).hexdigest()[:32] + ".marshal")


def load(kind: str, key: str) -> object | None:
    """The value kept for ``key``, or None when there is none (or it cannot be read)."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
        value: object = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value


def store(kind: str, key: str, value: Any) -> None:  # Any: marshal itself checks what it can store
    """Keep ``value`` (plain data: numbers, strings, bytes, tuples, lists, dicts) for ``key``, if possible.

    Written through a temporary file and a rename, so a reader never sees half a file; a
    folder that cannot be written is no error.
    """
    path = _path(kind, key)
    if path is None:
        return
    try:
        data = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
    except (OSError, ValueError):
        return
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
