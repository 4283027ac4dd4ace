"""The home page ('Your work') is made of sections that each app registers, as the case page is
made of panels: the core never imports the apps that fill it. A section builder takes the person
and returns a Section, or None when it has nothing to say to them; each makes a fixed number of
queries whatever the data."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Count, Window
from django.db.models.expressions import RawSQL

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


# "Waiting for you": what each person owes, from sources each app registers (agency
# contributors' requests, partners' sign-offs, the case lead's clocks; local reviews and the
# Panel add the lead reviewer's, chair's and Executive's the same way). The service
# navigation shows the count on every page, so a source costs at most one query to count,
# one on the home page to list and count together (two where `count_apart`), and none at all
# for someone it does not concern.


@dataclass(frozen=True)
class Owed:
    """One thing a person owes: what, on which case, by when, and the link to do it."""

    text: str
    href: str
    case: str = ""  # "NSCP-2026-003 – Child C": reference and pseudonym, never a name
    due: date | None = None
    status: str = ""  # a tag's words ("Overdue", "Due soon") and its colour class
    status_class: str = ""
    hint: str = ""


@dataclass(frozen=True)
class WaitingSource:
    name: str
    order: int
    # (user) -> a queryset of what the person owes, or None when this source does not concern
    # them (decided without a query: their roles and permissions are already loaded).
    queryset: Callable
    # (objects, user) -> [Owed]: a fixed number of queries however many objects.
    items: Callable
    # Where all of them are, when there are more than the home page lists.
    more_href: Callable | None = None
    # Counted apart from the list rather than beside each row (`_listed_and_counted`): for a
    # source whose sets run to thousands, where the list's LIMIT is what keeps PostgreSQL's
    # plan cheap. The count, capped, is a subquery of the list's own query.
    count_apart: bool = False


_WAITING: list[WaitingSource] = []
WAITING_LIMIT = 20


def register_waiting(*, name, order, queryset, items, more_href=None, count_apart=False):
    if not any(source.name == name for source in _WAITING):
        _WAITING.append(WaitingSource(name, order, queryset, items, more_href, count_apart))
        _WAITING.sort(key=lambda source: source.order)


def _querysets(user):
    for source in _WAITING:
        queryset = source.queryset(user)
        if queryset is not None:
            yield source, queryset


# A source that counts apart is counted only this far. A PDEO who leads a thousand cases owes
# 9,000 clocks, and counting them all was a thousand index probes, every time their home page
# was shown (the largest query on it: 3.9 ms of PostgreSQL's 8); counting to 1,001 reads about
# a tenth of that, whatever the backlog (docs/performance.md, "Twenty-fourth round"). Past the
# cap nobody acts on the exact figure: the list is the soonest 20, and What's due counts and
# pages the whole backlog.
COUNT_CAP = 1000


class Total(int):
    """How many things a person owes. With `more_than`, a source held more than COUNT_CAP and
    was counted only that far, so the true figure is higher than this: the navigation shows
    "1,003+" and the home page "more than 1,003"."""

    def __new__(cls, value=0, more_than=False):
        total = super().__new__(cls, value)
        total.more_than = more_than
        return total

    def __reduce__(self):  # kept in the cache (`waiting_count_for_request`)
        return (Total, (int(self), self.more_than))

    def __str__(self):
        return f"{int(self):,}+" if self.more_than else str(int(self))

    @property
    def in_words(self):
        return f"more than {int(self):,}" if self.more_than else str(int(self))


def _count(source, queryset):
    """(how many, whether there were more than that): exact, or for a source that counts
    apart, up to COUNT_CAP. The order is left out of the capped count: kept, PostgreSQL sorted
    the whole set by date to keep the first 1,001 (18 ms against 0.7)."""
    if not source.count_apart:
        return queryset.count(), False
    found = _up_to_the_cap(queryset).count()
    return min(found, COUNT_CAP), found > COUNT_CAP


def _up_to_the_cap(queryset):
    """The ids a capped count counts: one past COUNT_CAP, in no order."""
    return queryset.order_by().values("pk")[: COUNT_CAP + 1]


def _capped_count_sql(queryset):
    """The capped count (`_count`) as a scalar subquery for the list's own query: one query a
    source, not a list and a count (each query cost PostgreSQL and Python about half a
    millisecond beyond its own work: docs/performance.md, "Twenty-fifth round"). It asks
    nothing of the outer query, so the database works it out once. EmptyResultSet when the
    queryset can match nothing."""
    capped = _up_to_the_cap(queryset)
    sql, params = capped.query.get_compiler(using=capped.db).as_sql()
    return RawSQL(f"SELECT COUNT(*) FROM ({sql}) capped", params)


def _add_up(counts):
    """[(count, more_than)] -> Total."""
    counts = list(counts)
    return Total(sum(n for n, _ in counts), any(more for _, more in counts))


def waiting_count(user):
    """How many things the person owes: one COUNT per source that concerns them."""
    return _add_up(_count(source, queryset) for source, queryset in _querysets(user))


# The navigation's count is kept for a minute per person: counting every source on every page
# was up to half of a page's time (docs/performance.md, "The count of what waits for you").
# It is never staler than that, it is forgotten whenever the person changes anything (any
# POST: `forget_waiting_count`), and the home page always counts afresh.
WAITING_COUNT_SECONDS = 60


def _count_key(user_id):
    return f"waiting-count:{user_id}"


def waiting_count_for_request(request):
    """The count once per request, however many times a page's templates ask for it."""
    if not hasattr(request, "_waiting_count"):
        key = _count_key(request.user.pk)
        count = cache.get(key)
        if count is None:
            count = waiting_count(request.user)
            cache.set(key, count, WAITING_COUNT_SECONDS)
        request._waiting_count = count
    return request._waiting_count


def remember_waiting_count(request, count):
    """The home page has just counted everything: the navigation shows that."""
    request._waiting_count = count
    cache.set(_count_key(request.user.pk), count, WAITING_COUNT_SECONDS)


def forget_waiting_count(user_id):
    cache.delete(_count_key(user_id))


@dataclass
class Waiting:
    items: list  # the most urgent, soonest due first
    total: Total  # everything the person owes
    more: list  # [(label, href)]: where the rest are, for the sources not listed in full


def _listed_and_counted(source, queryset, limit):
    """The first `limit` of what a source holds, and how many it holds in all (count, more
    than that), in one query: each row carries the count of the whole set (`COUNT(*) OVER
    ()`, worked out before the LIMIT), so the filters are built and run once, not once to
    count and again to list.

    Not for a source with `count_apart`: PostgreSQL (15) costs a window over the whole set as
    if the LIMIT could stop it early, and for a case lead's 9,000 clocks walked the due-date
    index through 80,000 rows (0.5 s, against 20 ms a query apart; docs/performance.md). It
    is counted apart, up to COUNT_CAP, in a subquery of the same query (`_capped_count_sql`),
    which the database works out once, whatever the list."""
    if source.count_apart:
        try:
            capped = _capped_count_sql(queryset)
        except EmptyResultSet:
            return [], 0, False
        rows = list(queryset.annotate(waiting_total=capped)[:limit])
        found = rows[0].waiting_total if rows else 0
        return rows, min(found, COUNT_CAP), found > COUNT_CAP
    rows = list(queryset.annotate(waiting_total=Window(Count("*")))[:limit])
    return rows, rows[0].waiting_total if rows else 0, False


def _more_label(count, more_than, shown):
    if more_than:
        return f"At least {count - shown + 1:,} more"
    return f"{count - shown} more"


def waiting_for(user, *, limit=WAITING_LIMIT):
    """What the person owes, soonest due first: up to `limit` from each source (one query each,
    `_listed_and_counted`), then the `limit` most urgent of them all. A source with nothing
    waiting is asked too, so the page costs the same queries however much is owed."""
    found = []  # (source, count, more than that, [Owed])
    for source, queryset in _querysets(user):
        objects, count, more_than = _listed_and_counted(source, queryset, limit)
        listed = source.items(objects, user)
        if count:
            found.append((source, count, more_than, listed))
    everything = [(owed, source.name) for source, _, _, listed in found for owed in listed]
    everything.sort(
        key=lambda pair: (pair[0].due is None, pair[0].due or date.max, pair[0].case, pair[0].text)
    )
    shown = everything[:limit]
    shown_from = {}
    for _, name in shown:
        shown_from[name] = shown_from.get(name, 0) + 1
    more = [
        (_more_label(count, more_than, shown_from.get(source.name, 0)), source.more_href(user))
        for source, count, more_than, _ in found
        if source.more_href is not None and (more_than or count > shown_from.get(source.name, 0))
    ]
    total = _add_up((count, more_than) for _, count, more_than, _ in found)
    return Waiting([owed for owed, _ in shown], total, more)
