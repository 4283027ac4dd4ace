"""The case page shows every stage through a panel each app registers (the core cannot import
the stages, and cases cannot import the clocks above it). A panel is a template and a function
giving its context; each function makes a fixed number of queries, so the page's count does not
grow with the data.

The page is in sections, reached by the MOJ sub-navigation (plain links to `?section=...`,
so they work without JavaScript, and each is the case page: the gate and the access log).
"summary" panels sit on the overview, under the case's summary (the clocks); each "stage"
panel names the section it is the content of (the referral and notification, the rapid
review...), in its order. Only the panels of the section shown are built, so each section
costs its own few queries.

Apps can also say what to do next on a case (`register_next_steps`): the overview lists it,
so the next step of a stage is one click from the case's first page.
"""

from collections.abc import Callable
from dataclasses import dataclass

SUMMARY = "summary"
STAGE = "stage"
# Rows in the case's summary at the top of every section (the next clock, whom it waits on).
HEADLINE = "headline"
OVERVIEW = "overview"


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable  # (request, case) -> dict, or None to leave the panel out
    slot: str = STAGE
    section: str = OVERVIEW  # the slug of the case page section it belongs to
    title: str = ""  # the section's name in the sub-navigation


_PANELS: list[Panel] = []


def register(*, order, template, context, slot=STAGE, section=OVERVIEW, title=""):
    if not any(p.template == template for p in _PANELS):
        _PANELS.append(Panel(order, template, context, slot, section, title))
        _PANELS.sort(key=lambda p: p.order)


def stage_sections():
    """[(slug, title)] of the sections stages contribute, in their order."""
    seen, sections = set(), []
    for panel in _PANELS:
        if panel.slot == STAGE and panel.section != OVERVIEW and panel.section not in seen:
            seen.add(panel.section)
            sections.append((panel.section, panel.title or panel.section))
    return sections


def panels_for(request, case, *, slot=STAGE, section=None):
    shown = []
    for panel in _PANELS:
        if panel.slot != slot or (section is not None and panel.section != section):
            continue
        context = panel.context(request, case)
        if context is not None:
            shown.append((panel.template, context))
    return shown


_NEXT_STEPS: list[Callable] = []


def register_next_steps(steps):
    """`steps(request, case)` -> [NextStep]: what to do next on the case in that app's stage,
    in a fixed number of queries."""
    if steps not in _NEXT_STEPS:
        _NEXT_STEPS.append(steps)


@dataclass(frozen=True)
class NextStep:
    text: str
    href: str
    post: bool = False  # a button (a POST form) rather than a link


def next_steps(request, case):
    return [step for steps in _NEXT_STEPS for step in steps(request, case)]


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
