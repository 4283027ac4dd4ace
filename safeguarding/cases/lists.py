"""The case list's columns and filters that other apps add (the clocks add "next deadline",
"overdue" and the deadline filter), so cases never imports the apps above it."""

from collections.abc import Callable

_ANNOTATIONS: dict[str, Callable] = {}
_FILTERS: dict[str, Callable] = {}


def register_annotation(name, expression):
    """`expression()` -> an ORM expression, annotated on every row of the case list."""
    _ANNOTATIONS[name] = expression


def register_filter(name, make_filter):
    """`make_filter()` -> a django-filter Filter, added to the case list's filters."""
    _FILTERS[name] = make_filter


def annotations():
    return {name: expression() for name, expression in _ANNOTATIONS.items()}


def filters():
    return {name: make() for name, make in _FILTERS.items()}
