"""Performance benchmarks for brochure: ``make bench`` runs ``python -m benchmarks.run``.

Never part of the test suite. The peers (WeasyPrint, Typst) are benchmark-only extras
listed in ``benchmarks/requirements.txt``; see ``docs/performance.md`` for a recorded run.
"""
