"""Charts for the brief: matplotlib figures converted to ReportLab Drawings with text as text.

``frequency_chart`` and ``casualty_chart`` return Drawings ready for a story; the ``*_figure``
functions return the matplotlib Figures (for tests and other outputs), and
``figure_to_drawing`` converts any Figure using the document's fonts.
"""

from timeline_pdf.charts.casualties import casualty_chart, casualty_figure
from timeline_pdf.charts.frequency import frequency_chart, frequency_figure
from timeline_pdf.charts.svg import figure_to_drawing

__all__ = ["casualty_chart", "casualty_figure", "figure_to_drawing", "frequency_chart", "frequency_figure"]
