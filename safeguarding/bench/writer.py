"""Rows into PostgreSQL by COPY, in the shape the models and their history give them.

The generator hands over plain dicts (attribute names); every column it leaves out gets the
field's default, as `Model.objects.create` would give it. Ids are chosen by the generator (so
that rows can point at each other without a round trip) and the sequences are moved past them
at the end (`reset_sequences`), as `loaddata` does.
"""

import itertools
import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

HISTORY_FIELDS = ("history_date", "history_type", "history_user_id", "history_change_reason")


class Writer:
    def __init__(self, *, now=None):
        self.now = now or timezone.now()
        self.counts: dict[str, int] = {}
        self.touched: set[type[models.Model]] = set()

    def _columns(self, model, extra=()):
        fields = list(model._meta.concrete_fields)
        defaults = {}
        for field in fields:
            if field.has_default():
                value = field.get_default()
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = self.now
            elif field.null:
                value = None
            elif field.blank and isinstance(field, models.CharField | models.TextField):
                value = ""
            else:
                value = _REQUIRED
            defaults[field.attname] = value
        json_columns = {f.attname for f in fields if isinstance(f, models.JSONField)}
        return fields, defaults, json_columns

    def write(self, model, rows: Iterable[dict], *, history=None) -> int:
        """COPY `rows` into `model`'s table. `history`: a function giving, for a row, the
        (date, type, user id) of its history row ("+" for made), or None for no history."""
        fields, defaults, json_columns = self._columns(model)
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        pk = model._meta.pk
        if pk.attname not in first and isinstance(pk, models.AutoField):
            fields = [f for f in fields if f is not pk]  # the sequence numbers them
        rows = itertools.chain([first], rows)
        names = [f.attname for f in fields]
        history_model = getattr(getattr(model, "history", None), "model", None) if history else None
        h_rows = [] if history_model else None
        count = 0
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = []
                    for name in names:
                        value = row.get(name, defaults[name])
                        if value is _REQUIRED:
                            raise ValueError(f"{model.__name__}.{name} is required")
                        if name in json_columns and value is not None:
                            value = json.dumps(value)
                        values.append(value)
                    copy.write_row(values)
                    count += 1
                    if h_rows is not None:
                        for entry in _many(history(row)):
                            h_rows.append((values, entry))
        self.touched.add(model)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + count
        if h_rows:
            self._write_history(history_model, names, h_rows)
        return count

    def _write_history(self, history_model, names, h_rows):
        fields = [f for f in history_model._meta.concrete_fields if f.attname != "history_id"]
        own = [f for f in fields if f.attname not in HISTORY_FIELDS]
        index = {name: i for i, name in enumerate(names)}
        positions = [index[f.attname] for f in own]
        own_index = {f.attname: i for i, f in enumerate(own)}
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(history_model._meta.db_table)
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in own + _history_fields(history_model)
            )
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values, (at, kind, user_id, overrides) in h_rows:
                    row = [values[p] for p in positions]
                    for name, value in overrides.items():
                        row[own_index[name]] = value
                    copy.write_row([*row, at, kind, user_id, None])
        label = history_model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(h_rows)
        self.touched.add(history_model)

    def reset_sequences(self):
        statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.touched, key=str))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def analyze(self):
        with connection.cursor() as cursor:
            for model in sorted(self.touched, key=str):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _history_fields(history_model):
    return [history_model._meta.get_field(name.removesuffix("_id")) for name in HISTORY_FIELDS]


def _many(entries):
    """A history function may give one entry, several, or none; each entry is
    (date, type, user id) or (date, type, user id, {field: value as it was then})."""
    if entries is None:
        return []
    if isinstance(entries, tuple):
        entries = [entries]
    return [(*e, {}) if len(e) == 3 else e for e in entries]


class _Required:
    def __repr__(self):
        return "<required>"


_REQUIRED = _Required()
