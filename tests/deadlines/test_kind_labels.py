"""A clock's kind in words comes from a dict made once (`Deadline.get_kind_display`), not
from Django's, which builds the choices' dict afresh on every call: the words must be
Django's, for every kind."""

from django.db import models

from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind


def test_every_kind_reads_as_django_would_write_it():
    field = Deadline._meta.get_field("kind")
    for kind in Kind.values:
        clock = Deadline(kind=kind)
        assert clock.get_kind_display() == models.Model._get_FIELD_display(clock, field)
        assert clock.get_kind_display() == Kind(kind).label


def test_a_kind_no_longer_known_reads_as_its_value():
    assert Deadline(kind="retired_kind").get_kind_display() == "retired_kind"
