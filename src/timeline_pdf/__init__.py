"""timeline-pdf: escalation timelines and briefs from an analyst's events workbook."""

__version__ = "0.1.0"
