"""The home page ('Your work') is made of sections that each app registers, as the case page is
made of panels: the core never imports the apps that fill it. A section builder takes the person
and returns a Section, or None when it has nothing to say to them; each makes a fixed number of
queries whatever the data."""

from collections.abc import Callable
from dataclasses import dataclass, field

# How many items a section lists; the rest are a click away on the app's own page.
LIST_LIMIT = 10


@dataclass(frozen=True)
class Item:
    text: str
    href: str


@dataclass
class Section:
    title: str
    description: str
    empty: str
    items: list[Item] = field(default_factory=list)


_BUILDERS: list[tuple[int, str, Callable]] = []


def register(*, order, name, builder):
    """`builder(user)` -> Section or None. `name` keeps a second registration (tests that call
    ready() again) from adding the section twice."""
    if not any(existing == name for _, existing, _ in _BUILDERS):
        _BUILDERS.append((order, name, builder))
        _BUILDERS.sort(key=lambda entry: entry[0])


def sections_for(user):
    sections = []
    for _, _, builder in _BUILDERS:
        section = builder(user)
        if section is not None:
            sections.append(section)
    return sections
