"""Splitting a stack of flowables (an entry's paragraphs, a list item's body) at a page break."""

from __future__ import annotations

from reportlab.platypus import Flowable


def split_stack(flowables: list[Flowable], width: float, room: float, spacing: float, height: float) -> tuple[list[Flowable], list[Flowable], float]:
    """Fill ``room`` with ``flowables`` stacked ``spacing`` apart, splitting the first that does
    not fit between its lines: (what fits, what continues, room left). Nothing continues when
    all of them fit. ``height`` is the height each is wrapped in."""
    head: list[Flowable] = []
    for index, flowable in enumerate(flowables):
        _, needed = flowable.wrap(width, height)
        if needed <= room:
            head.append(flowable)
            room -= needed + spacing
            continue
        pieces = flowable.split(width, room) if room > 0 else []
        if pieces:
            head.append(pieces[0])
        return head, (list(pieces[1:]) if pieces else [flowable]) + flowables[index + 1 :], room
    return head, [], room
