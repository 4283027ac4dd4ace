"""Paths for lists that link every row. `reverse` takes about 30 µs a call, and What's due
links each of its 100 rows twice (docs/performance.md, "Seventh round"). `path_for` reverses
a URL once per page that only reads (`page_memo`) with stand-in arguments, and puts each
row's own arguments in their places, quoted as `reverse` quotes them."""

import re
from urllib.parse import quote, urlsplit

from django.urls import resolve, reverse

from safeguarding.page_memo import for_this_page

# Numbers, so that they fit every converter the service uses (str, and <id:> of 1 to 18
# digits), and long enough never to be part of a path by chance.
_STAND_INS = ("918273645546372819", "918273645546372818", "918273645546372817")
# What `reverse` leaves unquoted (django.urls.resolvers: RFC 3986's sub-delimiters and /~:@).
_SAFE = "!$&'()*+,;=/~:@"
_ANY_STAND_IN = re.compile("|".join(_STAND_INS))


def _fits(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 <= value < 10**18
    return isinstance(value, str) and value != "" and "/" not in value


class RoutePath(str):
    """A path `path_for` built. It remembers the URL name and the number of arguments it was
    reversed from (`route`), so `view_at` need not walk the URL patterns again for each row."""

    route: tuple[str, int]


def _stand_in_path(name, count):
    return for_this_page(f"path:{name}:{count}", lambda: reverse(name, args=_STAND_INS[:count]))


def path_for(name, *args):
    """`reverse(name, args=args)`, reversed once per page. Anything a stand-in could not
    stand for (an empty value, a slash) goes to `reverse` itself, which says what is wrong.
    Pass an `<id:>` argument as an int: a string is put in its place unchecked."""
    if len(args) > len(_STAND_INS) or not all(_fits(arg) for arg in args):
        return reverse(name, args=args)
    values = {
        stand_in: quote(str(arg), safe=_SAFE)
        for stand_in, arg in zip(_STAND_INS, args, strict=False)
    }
    path = RoutePath(
        _ANY_STAND_IN.sub(lambda found: values[found.group()], _stand_in_path(name, len(args)))
    )
    path.route = (name, len(args))
    return path


def view_at(path):
    """The view `path` leads to (Resolver404 if none). A path from `path_for` is resolved once
    per page by its URL name, through its stand-in path: `resolve` walks the patterns, about
    100 µs a path, and What's due asks it of every row (docs/performance.md, "Fourteenth
    round"). The real path resolves to the same view: its arguments fill the same converters
    the stand-ins do, and no case reference or id spells a fixed part of a route."""
    route = getattr(path, "route", None)
    if route is None:
        return resolve(urlsplit(path).path).func
    name, count = route
    return for_this_page(f"view:{name}:{count}", lambda: resolve(_stand_in_path(name, count)).func)
