"""Django's paginator, told how to count a list when there is a cheaper way than COUNT(*) over
the list's own query (docs/performance.md, "Sixth round")."""

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
