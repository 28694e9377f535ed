"""brochure: structured YAML content → print-ready PDF brochures.

The public API: ``build_brochure`` (one PDF), ``load_brochure`` (validate content), and
``BrochureError``, the root of every error raised.
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import startup  # noqa: F401  # first: it defers a ReportLab pattern before anything imports ReportLab
from .build import Result, build_brochure, load_brochure  # after __version__, which build reads
from .errors import BrochureError, Diagnostic, Location

__all__ = ["BrochureError", "Diagnostic", "Location", "Result", "__version__", "build_brochure", "load_brochure"]
