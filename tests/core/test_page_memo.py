"""Answers kept for one page that only reads (`safeguarding.page_memo`): read once on a GET,
never kept across requests, never kept on a POST or outside a request."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from safeguarding.page_memo import PageMemoMiddleware, for_this_page


def _page(reads):
    """A view asking for the same answer twice; `reads` counts how often it is worked out."""

    def view(request):
        def build():
            reads.append(request.method)
            return len(reads)

        first, second = for_this_page("answer", build), for_this_page("answer", build)
        return HttpResponse(f"{first},{second}")

    return PageMemoMiddleware(view)


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_page_that_only_reads_works_an_answer_out_once(method):
    reads = []
    page = _page(reads)
    assert page(getattr(RequestFactory(), method)("/")).content in (b"1,1", b"")
    assert reads == [method.upper()]
    page(getattr(RequestFactory(), method)("/"))  # the next request asks afresh
    assert len(reads) == 2


def test_a_post_asks_afresh_every_time():
    """A POST may change what the answer is read from, then read it again."""
    reads = []
    assert _page(reads)(RequestFactory().post("/")).content == b"1,2"


def test_outside_a_request_nothing_is_kept():
    reads = []
    assert [for_this_page("answer", lambda: reads.append(1) or len(reads)) for _ in "ab"] == [1, 2]


def test_an_answer_already_worked_out_is_there_to_reuse_only_on_a_page_that_reads():
    from safeguarding.page_memo import already_on_this_page, one_page

    with one_page(read_only=True):
        assert already_on_this_page("answer") is None  # not worked out yet
        for_this_page("answer", lambda: [1, 2])
        assert already_on_this_page("answer") == [1, 2]
    with one_page(read_only=False):
        for_this_page("answer", lambda: [1, 2])
        assert already_on_this_page("answer") is None
    assert already_on_this_page("answer") is None
