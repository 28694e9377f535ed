"""``python -m brochure`` → the command line."""

from .cli import main

main()
