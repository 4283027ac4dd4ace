"""The figures the partnership reports, defined once. Each app registers its own figures (its
definition, its query and its period rule) in apps.py; the dashboard, the yearly report pack
and the Panel's highlight report all render from this registry, so a figure reads the same
everywhere and its definition is on the page beside it.

A figure's `compute(period)` returns a Result: a headline, a table (its columns and rows, the
data a chart draws), and which column, if any, a bar chart shows. Figures count the whole
partnership's records: they are aggregates, naming no child and no case.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    columns: list[str]
    rows: list[list]
    headline: str = ""
    # The column (by index) a bar chart draws, labelled by the first column; None: no chart.
    chart_column: int | None = 1
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    group: str
    definition: str  # what is counted, from which dates, and which records are in the period
    compute: Callable  # (period) -> Result
    order: int = 100


# The groups, in the order the dashboard and the pack show them.
GROUPS = [
    ("activity", "Activity"),
    ("timeliness", "Timeliness"),
    ("decisions", "Decisions and reviews"),
    ("clocks", "Clocks now"),
    ("actions", "Actions and learning"),
]

_FIGURES: dict[str, Figure] = {}


def register(figure: Figure):
    _FIGURES[figure.key] = figure


def figure(key) -> Figure:
    return _FIGURES[key]


def all_figures():
    order = {key: n for n, (key, _) in enumerate(GROUPS)}
    return sorted(_FIGURES.values(), key=lambda f: (order.get(f.group, 99), f.order, f.key))


def grouped(period):
    """[(group title, [(figure, result)])] for every registered figure, computed for `period`."""
    results = [(f, f.compute(period)) for f in all_figures()]
    groups = []
    for key, title in GROUPS:
        members = [(f, r) for f, r in results if f.group == key]
        if members:
            groups.append((title, members))
    return groups


def percent(part, whole):
    """A percentage as people read it ("87%"), or a dash when there is nothing to count."""
    return f"{round(100 * part / whole)}%" if whole else "–"
