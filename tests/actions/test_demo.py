import pytest
from django.core.management import call_command

from safeguarding.actions.models import Action
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_few_actions_one_overdue_and_seeding_twice_adds_none():
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)
    # The actions app's own three (the Panel's demo adds two from its meeting: panel/demo.py).
    ours = Action.objects.filter(source_type__isnull=True)
    assert ours.count() == 3
    assert ours.overdue().count() == 1
    assert ours.filter(status=Action.Status.CLOSURE_PROPOSED).count() == 1
    # Every action has its clock: on its case (a review's recommendations), else on none.
    assert Deadline.objects.filter(kind=Kind.ACTION_DUE, case=None).count() == (
        Action.objects.filter(case=None).count()
    )
    assert Deadline.objects.filter(kind=Kind.ACTION_DUE).count() == Action.objects.count()
    overdue = ours.overdue().get()
    assert overdue.owner_agency.name == "Northbridge Police" and overdue.updates.exists()
