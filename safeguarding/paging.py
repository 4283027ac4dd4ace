"""Django's paginator, told how to count a list when there is a cheaper way than COUNT(*) over
the list's own query (docs/performance.md, "Sixth round"), or counting a long list only as far
as the page asked for needs ("Sixteenth round")."""

from django.core import paginator
from django.utils.functional import cached_property


class Paginator(paginator.Paginator):
    """`count`: a function giving the number of objects in `object_list`, asked once."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._count = count

    @cached_property
    def count(self):
        return self._count()


class CountedAsFarAsNeeded(paginator.Paginator):
    """For a list that may run to tens of thousands, read soonest first (What's due's clocks
    coming up): counted no further than `at_least` rows, or the page asked for and one row
    beyond it if that is further. Beyond that the list says "more than" and pages on with
    Next: every row can still be reached, and a count of 90,000 clocks (20 ms of PostgreSQL on
    every look) is not worked out to show a number no one acts on.

    `counted_all` says whether `count` is the whole list's; when it is not, `count` is
    `counted_to + 1` (there is at least one row more), so the last page counted has a Next."""

    def __init__(self, object_list, per_page, *, asked_for, at_least=1000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        try:
            number = max(1, int(asked_for))
        except (TypeError, ValueError):
            number = 1  # get_page() shows the first page for anything that is not a number
        self.counted_to = max(at_least, number * per_page)

    @cached_property
    def count(self):
        # COUNT(*) over the first rows only: the ids, unsorted, stopped by the LIMIT.
        first = self.object_list.order_by().values("pk")[: self.counted_to + 1]
        return first.count()

    @property
    def counted_all(self):
        return self.count <= self.counted_to
