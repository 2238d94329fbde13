"""Charts for the brief: matplotlib figures converted to ReportLab Drawings with text as text.

``frequency_chart``, ``casualty_chart``, ``locations_chart`` and ``map_chart`` return Drawings
ready for a story (``map_chart`` returns None when no event has coordinates); the ``*_figure``
functions return the matplotlib Figures (for tests and other outputs), and
``figure_to_drawing`` converts any Figure using the document's fonts.
"""

from timeline_pdf.charts.casualties import casualty_chart, casualty_figure
from timeline_pdf.charts.frequency import frequency_chart, frequency_figure
from timeline_pdf.charts.locations import locations_chart, locations_figure
from timeline_pdf.charts.locator import map_chart, map_figure
from timeline_pdf.charts.drawing import figure_to_drawing

__all__ = [
    "casualty_chart",
    "casualty_figure",
    "figure_to_drawing",
    "frequency_chart",
    "frequency_figure",
    "locations_chart",
    "locations_figure",
    "map_chart",
    "map_figure",
]
