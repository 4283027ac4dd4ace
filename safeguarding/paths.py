"""Paths for lists that link every row. `reverse` takes about 30 µs a call, and What's due
links each of its 100 rows twice (docs/performance.md, "Seventh round"). `path_for` reverses
a URL once per page that only reads (`page_memo`) with stand-in arguments, and puts each
row's own arguments in their places, quoted as `reverse` quotes them."""

import re
from urllib.parse import quote

from django.urls import reverse

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


def path_for(name, *args):
    """`reverse(name, args=args)`, reversed once per page. Anything a stand-in could not
    stand for (an empty value, a slash) goes to `reverse` itself, which says what is wrong.
    Pass an `<id:>` argument as an int: a string is put in its place unchecked."""
    if len(args) > len(_STAND_INS) or not all(_fits(arg) for arg in args):
        return reverse(name, args=args)
    path = for_this_page(
        f"path:{name}:{len(args)}", lambda: reverse(name, args=_STAND_INS[: len(args)])
    )
    values = {
        stand_in: quote(str(arg), safe=_SAFE)
        for stand_in, arg in zip(_STAND_INS, args, strict=False)
    }
    return _ANY_STAND_IN.sub(lambda found: values[found.group()], path)
