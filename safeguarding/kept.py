"""Short lists of ids that many pages ask for and that seldom change, kept in the cache between
requests: which cases nobody leads (cases.selectors) and which agencies nobody can answer for
(contributions.selectors). Each is forgotten by signal receivers as soon as what it is read
from changes (`forget`), and never kept longer than its `seconds`, which bounds what no signal
sees (a bulk UPDATE, or a page that read the answer just before a change committed and kept
it just after). docs/performance.md, "Nineteenth round" and "Twenty-first round"."""

from django.core.cache import cache
from django.db import transaction

from safeguarding.page_memo import for_this_page

MANY = "many"  # kept when there are more than a list may carry: they stay a subquery


def kept_ids(key, ids, *, seconds, as_list_up_to):
    """The ids `ids()` finds (a `values_list` of ids, built only when it is asked), as a list
    kept in the cache under `key`, read once per page that only reads (`for_this_page`). When
    there are more than `as_list_up_to`, `ids()` itself, so that no query carries a list
    without bound."""

    def read():
        kept = cache.get(key)
        if kept is None:
            found = list(ids()[: as_list_up_to + 1])
            kept = found if len(found) <= as_list_up_to else MANY
            cache.set(key, kept, seconds)
        return ids() if kept == MANY else kept

    return for_this_page(key, read)


def forget(key):
    """After a change to what the answer is read from: at once, so the rest of the request and
    a test see it, and again once it commits, so a page that read the answer meanwhile, from
    before the commit, does not keep it."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
