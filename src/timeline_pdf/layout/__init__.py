"""Layouts: the TOML files editors change to restyle the products."""

from timeline_pdf.layout.load import LoadedLayout, find_layouts, load_layout, resolve_layout
from timeline_pdf.layout.schema import Layout

__all__ = ["Layout", "LoadedLayout", "find_layouts", "load_layout", "resolve_layout"]
