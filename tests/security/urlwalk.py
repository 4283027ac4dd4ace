"""Every URL pattern of the project, with a concrete example path for each.

The permission matrix and the second-factor test walk this list, so a view added later is
checked without anyone remembering to add it.
"""

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern

SAMPLES = {
    "int": "1",
    "id": "1",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "path": "x",
}


@dataclass
class Route:
    path: str
    name: str
    callback: object


def _sample_regex(regex):
    """An example string matching a (Django admin-style) regex pattern."""
    body = regex.lstrip("^").rstrip("$").replace("\\Z", "")

    def group(match):
        inner = match.group(2)
        alternatives = inner.split("|")
        if all(re.fullmatch(r"[\w-]+", alt) for alt in alternatives):
            return alternatives[0]
        for candidate in ("1", "x", "auth"):
            if re.fullmatch(inner, candidate):
                return candidate
        return "x"

    sample = re.sub(r"\((\?P<\w+>)?([^()]*)\)", group, body)
    return sample.replace("\\", "")


def _sample(pattern):
    if isinstance(pattern, RoutePattern):
        route = str(pattern)
        return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
    if isinstance(pattern, RegexPattern):
        return _sample_regex(pattern.regex.pattern)
    return str(pattern)


def all_routes(resolver=None, prefix="/", namespace=""):
    resolver = resolver or get_resolver()
    routes = []
    for entry in resolver.url_patterns:
        piece = _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            routes += all_routes(entry, prefix + piece, ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed>"
            routes.append(Route(prefix + piece, name, entry.callback))
    return routes
