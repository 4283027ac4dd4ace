"""A model's change history (django-simple-history's records), read without the library's
cost per use: `Model.history` builds a new manager class each time it is read
(`HistoryDescriptor.__get__` calls `from_queryset`, which inspects every method of the
queryset class): 0.19 ms a time against 0.03 (timed on the tenth round's machine). A case's
history page reads thirteen kinds of record, so about 2 ms of every such page
(docs/performance.md, "Tenth round").

`history_of(Case)` is the same rows, in the same order, as `Case.history.all()`: the
historical model's own manager, found once per model."""

from functools import cache


@cache
def _historical_model(model):
    return model.history.model


def history_of(model):
    """Every history record of `model`, newest first (the historical model's ordering)."""
    return _historical_model(model)._default_manager.all()
