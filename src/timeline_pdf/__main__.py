"""Allow ``python -m timeline_pdf``."""

from timeline_pdf.cli import main

main()
