"""Fetch the official XLIFF 1.2 schema that the export test validates against.

    python tools/xliff_schema.py [DIR]      # default DIR: .venv/xliff-1.2 (`make test` runs this)

OASIS's ``xliff-core-1.2-strict.xsd`` and the W3C's ``xml.xsd`` it imports (for ``xml:lang``)
are not committed. Debian's ``php-symfony-translation`` package ships both, unchanged, in
Symfony's Translation component (which validates XLIFF files against them); ``apt-get
download`` fetches the package (the pinned version first, else the one the archive holds
now), and each file is taken only if its SHA-256 is the one below, so the test always
validates against exactly these bytes. Nothing is installed. Runs again in a few
milliseconds once the files are there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".venv" / "xliff-1.2"
PACKAGE = "php-symfony-translation"
VERSION = "5.4.53+dfsg-0+deb12u1"
"""Tried first; a point release that replaced it is taken instead when the files are the same."""
IN_PACKAGE = "./usr/share/php/Symfony/Component/Translation/Resources/schemas/"
FILES = {
    "xliff-core-1.2-strict.xsd": "be380cd73e632f358f8082b4304d435282494e5a01a3432639610568b323d552",
    "xml.xsd": "4811c301144dd763dca0cd9f8d0b4029c0a4ad1d84c73132c2531ec5f06ac340",
}
"""Each schema file by name, with the SHA-256 of the bytes the test relies on."""


def say(message: str) -> None:
    print(f"xliff-schema: {message}", file=sys.stderr, flush=True)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def present(folder: Path) -> bool:
    """Whether every schema file is in ``folder`` with its pinned contents."""
    return all((folder / name).is_file() and _sha256(folder / name) == digest for name, digest in FILES.items())


def _download(folder: Path) -> Path:
    """The package's .deb, downloaded into ``folder`` with apt-get (updating the lists once if needed)."""
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for attempt in range(2):
        for spec in (f"{PACKAGE}={VERSION}", PACKAGE):
            if subprocess.run(["apt-get", "download", spec], cwd=folder, check=False, **quiet).returncode == 0:
                return next(folder.glob("*.deb"))
        if attempt == 0 and hasattr(os, "geteuid") and os.geteuid() == 0:
            say("updating the package lists (apt-get update)...")
            subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        else:
            break
    raise SystemExit(f"xliff-schema: `apt-get download {PACKAGE}` failed; run `sudo apt-get update` and try again")


def fetch(folder: Path) -> None:
    """Put the pinned schema files into ``folder``, from Debian's package."""
    if present(folder):
        return
    if not shutil.which("apt-get") or not shutil.which("dpkg-deb"):
        raise SystemExit("xliff-schema: needs apt-get and dpkg-deb (a Debian or Ubuntu machine)")
    started = time.monotonic()
    say(f"downloading Debian's {PACKAGE} (it ships the OASIS XLIFF 1.2 schema)...")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        work.chmod(0o777)  # apt-get download runs as the _apt user where it can
        deb = _download(work)
        tar_data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True).stdout
        with tempfile.TemporaryFile() as spool:
            spool.write(tar_data)
            spool.seek(0)
            with tarfile.open(fileobj=spool) as archive:
                folder.mkdir(parents=True, exist_ok=True)
                for name, digest in FILES.items():
                    member = archive.extractfile(IN_PACKAGE + name)
                    if member is None:
                        raise SystemExit(f"xliff-schema: {deb.name} holds no {name}")
                    data = member.read()
                    if hashlib.sha256(data).hexdigest() != digest:
                        raise SystemExit(
                            f"xliff-schema: {name} in {deb.name} is not the pinned file (sha256 differs); "
                            "check the new file against the OASIS schema and update FILES in tools/xliff_schema.py"
                        )
                    partial = folder / (name + ".part")
                    partial.write_bytes(data)
                    partial.replace(folder / name)
        say(f"  {deb.name}: {', '.join(FILES)} in {folder} ({time.monotonic() - started:.0f} s)")


def main(argv: list[str]) -> int:
    fetch(Path(argv[0]) if argv else DEFAULT_DIR)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
