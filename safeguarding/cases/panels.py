"""The case page shows every stage through a panel each stage app registers (the core cannot
import the stages). A panel is a template and a function giving its context; each function makes
a fixed number of queries, so the page's count does not grow with the data."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable  # (request, case) -> dict, or None to leave the panel out


_PANELS: list[Panel] = []


def register(*, order, template, context):
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(order, template, context))
        _PANELS.sort(key=lambda p: p.order)


def panels_for(request, case):
    shown = []
    for panel in _PANELS:
        context = panel.context(request, case)
        if context is not None:
            shown.append((panel.template, context))
    return shown


# The timeline gathers the history of everything on a case; stages add their models here.
_TIMELINE_SOURCES: list[Callable] = []


def register_timeline_source(source):
    """`source(case)` returns a queryset of simple-history records belonging to the case."""
    if source not in _TIMELINE_SOURCES:
        _TIMELINE_SOURCES.append(source)


def timeline_sources():
    return list(_TIMELINE_SOURCES)
