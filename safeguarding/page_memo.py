"""Answers kept for the length of one page that only reads (a GET or HEAD request).

`kept_for` keeps a query's condition on a person object; some conditions are cheaper asked
once as an answer (a short list of ids) than again as a subquery in every query of a page.
Only a page that changes nothing may keep an answer: a POST may change what the answer was
read from and read it again. Outside such a request (a worker's task, a POST, a test calling
a selector) nothing is kept and every call asks afresh."""

from contextlib import contextmanager
from contextvars import ContextVar

_answers: ContextVar[dict | None] = ContextVar("page_answers", default=None)

READ_ONLY_METHODS = frozenset({"GET", "HEAD"})


def reading_a_page():
    """Whether this is a read-only request, whose answers are kept until it ends."""
    return _answers.get() is not None


def for_this_page(key, build):
    """`build()` once per read-only request, under `key`; afresh on every call elsewhere."""
    answers = _answers.get()
    if answers is None:
        return build()
    if key not in answers:
        answers[key] = build()
    return answers[key]


def already_on_this_page(key):
    """What `for_this_page` keeps under `key` on this read-only request, or None: for a part
    of a page that can reuse another part's answer when that part has been built."""
    answers = _answers.get()
    return None if answers is None else answers.get(key)


@contextmanager
def one_page(*, read_only):
    """Answers kept until the end of the block when `read_only`, none at all otherwise."""
    token = _answers.set({} if read_only else None)
    try:
        yield
    finally:
        _answers.reset(token)


class PageMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_page(read_only=request.method in READ_ONLY_METHODS):
            return self.get_response(request)
