"""The case page shows every stage through a panel each app registers (the core cannot import
the stages, and cases cannot import the clocks above it). A panel is a template and a function
giving its context; each function makes a fixed number of queries, so the page's count does not
grow with the data.

Slots: "summary" panels sit at the top of the page (the clocks); "stage" panels follow the
children, in their order.
"""

from collections.abc import Callable
from dataclasses import dataclass

SUMMARY = "summary"
STAGE = "stage"


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable  # (request, case) -> dict, or None to leave the panel out
    slot: str = STAGE


_PANELS: list[Panel] = []


def register(*, order, template, context, slot=STAGE):
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(order, template, context, slot))
        _PANELS.sort(key=lambda p: p.order)


def panels_for(request, case, *, slot=STAGE):
    shown = []
    for panel in _PANELS:
        if panel.slot != slot:
            continue
        context = panel.context(request, case)
        if context is not None:
            shown.append((panel.template, context))
    return shown


# The timeline gathers the history of everything on a case; apps add their models here, with a
# describer for their records where the generic "X changed: fields" would not do.
_TIMELINE_SOURCES: list[Callable] = []
_DESCRIBERS: dict[type, Callable] = {}


def register_timeline_source(source, *, model=None, describe=None):
    """`source(case)` returns a queryset of simple-history records belonging to the case;
    `describe(record, previous)` -> (title, detail) or None to leave the record out."""
    if source not in _TIMELINE_SOURCES:
        _TIMELINE_SOURCES.append(source)
    if model is not None and describe is not None:
        _DESCRIBERS[model] = describe


def timeline_sources():
    return list(_TIMELINE_SOURCES)


def describer_for(model):
    return _DESCRIBERS.get(model)
