"""Packaging: everything is declared in pyproject.toml except one step, done here.

The shipped layouts live in the top-level ``layouts/`` folder, where users read and edit them.
A built wheel (``pip install .``, on any system) carries them as ``brochure/layouts/``, which
``brochure.spec`` searches after the source tree's ``layouts/``; this build step copies them there.
An editable install (``make .venv/.installed``) puts the source tree on ``sys.path`` and reads
``layouts/`` in place, so it copies nothing. Mapping the folder onto a package with
``package-dir`` instead made every editable install fall back to an import hook and print
setuptools' "Editable installation" warning.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildPyWithLayouts(build_py):
    """``build_py`` that also copies ``layouts/*.yaml`` to ``brochure/layouts/`` in the build."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib, "brochure", "layouts")
        self.mkpath(str(target))
        for source in sorted((HERE / "layouts").glob("*.yaml")):
            self.copy_file(str(source), str(target / source.name))


if __name__ == "__main__":  # as setuptools' build backend runs it; a test imports the class alone
    setup(cmdclass={"build_py": BuildPyWithLayouts})
