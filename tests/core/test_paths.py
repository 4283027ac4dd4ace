"""`path_for` is `reverse`, reversed once per page: the same path for every argument a list
links with, awkward ones included, and `reverse`'s own error for what no URL can take."""

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from safeguarding.page_memo import one_page
from safeguarding.paths import path_for, view_at

CASES = [
    ("cases:detail", ["NSCP-2026-003"]),
    ("cases:detail", ["NSCP 2026 é&?#%"]),
    ("cases:detail", ["918273645546372818"]),  # looks like a stand-in
    ("cases:detail", [None]),  # not a stand-in's to take: reverse() itself
    ("cspr:told", ["NSCP-2026-004"]),
    ("cspr:draft", ["NSCP-2026-004", 977]),
    ("actions:detail", [7]),
    ("chase_now", ["NSCP-2026-003", 123456789012345678]),
]


@pytest.mark.parametrize("read_only", [True, False])
@pytest.mark.parametrize(("name", "args"), CASES)
def test_the_path_is_what_reverse_gives(name, args, read_only):
    with one_page(read_only=read_only):
        path_for(name, "NSCP-2000-001", *args[1:])  # the page's first row
        assert path_for(name, *args) == reverse(name, args=args)


@pytest.mark.parametrize("args", [[""], ["a/b"]])
def test_what_no_url_can_take_is_refused_as_reverse_refuses_it(args):
    with one_page(read_only=True), pytest.raises(NoReverseMatch):
        path_for("cases:detail", *args)


def test_on_a_page_the_url_is_reversed_once(monkeypatch):
    from safeguarding import paths

    calls = []
    monkeypatch.setattr(paths, "reverse", lambda *a, **k: calls.append(a) or reverse(*a, **k))
    with one_page(read_only=True):
        assert [path_for("cases:detail", f"NSCP-2026-{n:03}") for n in (1, 2, 3)] == [
            f"/cases/NSCP-2026-{n:03}/" for n in (1, 2, 3)
        ]
    assert len(calls) == 1


@pytest.mark.parametrize("read_only", [True, False])
@pytest.mark.parametrize(("name", "args"), [case for case in CASES if None not in case[1]])
def test_a_rows_path_leads_to_the_view_its_url_resolves_to(name, args, read_only):
    """`view_at` finds a `path_for` path's view by its URL name: the view `resolve` finds."""
    with one_page(read_only=read_only):
        view_at(path_for(name, "NSCP-2000-001", *args[1:]))  # the page's first row
        path = path_for(name, *args)
        assert view_at(path) is resolve(reverse(name, args=args)).func


def test_a_plain_path_is_resolved_as_it_is():
    assert view_at("/cases/NSCP-2026-003/") is resolve("/cases/NSCP-2026-003/").func
    assert view_at("/actions/7/?from=home") is resolve("/actions/7/").func


def test_on_a_page_a_rows_view_is_found_once_whatever_the_rows(monkeypatch):
    """What's due asks where each of its hundred rows leads: one `resolve` a kind of page."""
    from safeguarding import paths

    calls = []
    monkeypatch.setattr(paths, "resolve", lambda path: calls.append(path) or resolve(path))
    with one_page(read_only=True):
        views = {view_at(path_for("cases:detail", f"NSCP-2026-{n:03}")) for n in (1, 2, 3)}
        views |= {view_at(path_for("actions:detail", n)) for n in (1, 2)}
    assert views == {resolve("/cases/NSCP-2026-001/").func, resolve("/actions/1/").func}
    assert len(calls) == 2
