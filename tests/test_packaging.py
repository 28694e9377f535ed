"""Packaging: an editable install is a plain path entry (so setuptools prints no warning while
``make brochure`` sets up), and a built wheel carries the shipped layouts as ``brochure/layouts/``."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

from setuptools.dist import Distribution
from support import ROOT

from brochure import spec


def test_the_source_tree_is_the_import_root() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    # Any other mapping (such as layouts/ mapped onto brochure.layouts) makes setuptools install an editable
    # checkout through an import hook, and print its "Editable installation" warning on every set-up.
    assert config["package-dir"] == {"": "."}
    assert all((ROOT / Path(*package.split("."))).is_dir() for package in config["packages"])
    assert "recursive-include layouts *.yaml" in (ROOT / "MANIFEST.in").read_text(encoding="utf-8")


def test_a_built_wheel_carries_every_shipped_layout(tmp_path: Path) -> None:
    loaded = importlib.util.spec_from_file_location("brochure_setup", ROOT / "setup.py")
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    attrs = {"name": "brochure", "packages": ["brochure"], "package_dir": {"": str(ROOT)}}
    command = module.BuildPyWithLayouts(Distribution({**attrs, "script_name": str(ROOT / "setup.py")}))
    command.initialize_options()
    command.build_lib = str(tmp_path)
    command.finalize_options()
    command.run()
    shipped = sorted(path.name for path in (ROOT / "layouts").glob("*.yaml"))
    assert shipped and sorted(path.name for path in (tmp_path / "brochure" / "layouts").glob("*.yaml")) == shipped
    assert (tmp_path / "brochure" / "spec.py").is_file()


def test_a_checkout_reads_its_own_layouts_first_and_an_installed_package_never_beside_itself() -> None:
    assert spec.LAYOUT_DIRS[0] == ROOT / "layouts"  # this checkout: the layouts users edit
    assert spec.find_layout("booklet") == ROOT / "layouts" / "booklet.yaml"
    assert spec.LAYOUT_DIRS[-1] == spec.PACKAGE_DIR / "layouts"  # a wheel's copy
