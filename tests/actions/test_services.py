"""The action model's rules: its D15 clock, who updates it, closure on evidence of impact,
accepted or returned, carried into other work; every change recorded."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from safeguarding.actions import services
from safeguarding.actions.models import Action, ActionUpdate
from safeguarding.audit.models import StatusChange
from safeguarding.cases import services as case_services
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind
from safeguarding.workflow import ConcurrentEdit, NotAllowed

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 24)


def clock(action):
    return Deadline.objects.get(kind=Kind.ACTION_DUE, object_id=action.pk)


def test_every_action_has_its_d15_clock_with_or_without_a_case(make_action, notified_case):
    on_case = make_action(case=notified_case)
    on_none = make_action("hospital", source=Action.Source.ACTION_LOG)
    for action in (on_case, on_none):
        d15 = clock(action)
        assert (d15.anchor_date, d15.due_date, d15.status) == (TODAY, date(2026, 12, 18), "open")
        assert d15.rule.startswith("D15")
    assert clock(on_case).case == notified_case
    assert clock(on_none).case is None


def test_a_due_date_before_the_action_was_set_is_refused_and_nothing_saved(make_action):
    with pytest.raises(ValidationError) as refused:
        make_action(due=date(2026, 11, 23))
    assert "due_date" in refused.value.error_dict
    assert "24 November 2026" in str(refused.value)
    assert not Action.objects.exists()
    assert not Deadline.objects.filter(kind=Kind.ACTION_DUE).exists()
    # Due the day it is set is allowed.
    assert make_action(due=TODAY).due_date == TODAY


def test_only_the_partnership_team_sets_actions_and_the_owner_is_of_the_owner_agency(
    partners, make_action
):
    with pytest.raises(PermissionDenied):
        services.set_action(
            user=partners["police_contributor"],
            description="x",
            owner_agency=partners["police"],
            due_date=date(2026, 12, 1),
            measure_of_success="y",
        )
    with pytest.raises(ValidationError) as refused:
        make_action(owner=partners["hospital_contributor"])
    assert "owner" in refused.value.error_dict


def test_the_owner_agency_updates_its_action_another_agency_is_refused(partners, make_action):
    action = make_action()
    update = services.add_update(
        action=action,
        user=partners["police_contributor"],
        text="Half the officers trained",
        rag=Action.Rag.AMBER,
        upload=SimpleUploadedFile("register.txt", b"Training register", "text/plain"),
    )
    action.refresh_from_db()
    assert action.rag == Action.Rag.AMBER and action.version == 2
    assert update.file and update.sha256 and update.original_name == "register.txt"
    assert action.history.count() == 2  # set, then updated
    with pytest.raises(PermissionDenied):
        services.add_update(
            action=action, user=partners["hospital_contributor"], text="x", rag="red"
        )
    # The police's Panel member is the agency's too.
    services.add_update(action=action, user=partners["police_signer"], text="More", rag="green")
    assert action.updates.count() == 2


def test_evidence_is_checked_by_what_it_contains_and_a_refusal_saves_nothing(partners, make_action):
    action = make_action()
    with pytest.raises(ValidationError):
        services.add_update(
            action=action,
            user=partners["police_contributor"],
            text="See the file",
            rag="green",
            upload=SimpleUploadedFile("evidence.pdf", b"not a pdf at all", "application/pdf"),
        )
    assert not action.updates.exists()
    action.refresh_from_db()
    assert action.version == 1


def test_closure_needs_evidence_then_is_returned_once_then_accepted(partners, make_action):
    action = make_action()
    police, pdeo, chair = (
        partners["police_contributor"],
        partners["pdeo"],
        partners["icb_signer"],
    )
    with pytest.raises(ValidationError) as refused:
        services.propose_closure(action=action, user=police, evidence="  ")
    assert "evidence" in refused.value.error_dict
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN
    # Another agency cannot propose closing it.
    with pytest.raises(PermissionDenied):
        services.propose_closure(
            action=action, user=partners["hospital_contributor"], evidence="Done"
        )
    services.propose_closure(action=action, user=police, evidence="Audit: 6 of 10")
    action.refresh_from_db()
    assert action.status == Action.Status.CLOSURE_PROPOSED and action.completed_on == TODAY
    # An agency cannot decide its own closure; returning needs a reason.
    with pytest.raises(PermissionDenied):
        services.accept_closure(action=action, user=police)
    with pytest.raises(ValidationError):
        services.return_closure(action=action, user=pdeo, reason="")
    services.return_closure(action=action, user=pdeo, reason="6 of 10 is short of 9")
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN and action.completed_on is None
    assert clock(action).status == "open" and clock(action).met_on is None
    with pytest.raises(NotAllowed):
        services.accept_closure(action=action, user=chair)  # nothing proposed now
    services.propose_closure(action=action, user=police, evidence="Re-audit: 9 of 10")
    services.accept_closure(action=action, user=chair, note="Evidence enough")
    action.refresh_from_db()
    assert action.status == Action.Status.CLOSED and action.closed_on == TODAY
    assert action.decided_by == chair
    d15 = clock(action)
    assert (d15.status, d15.met_on) == ("met", TODAY)
    kinds = list(action.updates.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["proposed", "returned", "proposed", "accepted"]
    transitions = list(
        StatusChange.objects.filter(object_id=str(action.pk))
        .order_by("at", "id")
        .values_list("transition", "by")
    )
    assert transitions == [
        ("propose_closure", police.pk),
        ("return_closure", pdeo.pk),
        ("propose_closure", police.pk),
        ("accept_closure", chair.pk),
    ]
    # A closed action takes no more updates.
    with pytest.raises(NotAllowed):
        services.add_update(action=action, user=police, text="x", rag="green")


def test_a_late_closure_is_met_late(partners, make_action, today):
    import time_machine

    action = make_action(due=date(2026, 11, 25))
    with time_machine.travel(date(2026, 11, 27), tick=False):
        services.propose_closure(
            action=action, user=partners["police_contributor"], evidence="Done"
        )
        services.accept_closure(action=action, user=partners["pdeo"])
    d15 = clock(action)
    assert (d15.status, d15.met_on) == ("missed", date(2026, 11, 27))


def test_carried_into_other_work_keeps_its_reasons_and_cancels_the_clock(partners, make_action):
    action = make_action()
    with pytest.raises(ValidationError):
        services.carry_into_other_work(action=action, user=partners["pdeo"], reasons="")
    services.carry_into_other_work(
        action=action, user=partners["pdeo"], reasons="Taken into the neglect strategy's plan"
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CARRIED
    assert action.carried_into == "Taken into the neglect strategy's plan"
    assert clock(action).status == "cancelled"
    assert action.updates.get().kind == ActionUpdate.Kind.CARRIED


def test_a_stale_form_is_refused(partners, make_action):
    action = make_action()
    services.add_update(action=action, user=partners["police_contributor"], text="a", rag="red")
    with pytest.raises(ConcurrentEdit):
        services.add_update(
            action=action, user=partners["police_signer"], text="b", rag="green", version=1
        )


def test_revising_the_due_date_moves_the_clock_never_before_it_was_set(partners, make_action):
    action = make_action()
    services.revise_action(action=action, user=partners["pdeo"], due_date=date(2027, 1, 29))
    assert clock(action).due_date == date(2027, 1, 29)
    with pytest.raises(ValidationError):
        services.revise_action(action=action, user=partners["pdeo"], due_date=date(2026, 11, 1))


def test_the_gate(partners, make_action, notified_case):
    police_case = make_action(case=notified_case)
    hospital_log = make_action("hospital", source=Action.Source.ACTION_LOG)

    def sees(user):
        return set(Action.objects.visible_to(user))

    assert sees(partners["police_contributor"]) == {police_case}
    assert sees(partners["police_signer"]) == {police_case}  # the police's Panel member
    assert sees(partners["hospital_contributor"]) == {hospital_log}
    assert sees(partners["pdeo"]) == {police_case, hospital_log}
    assert sees(partners["icb_signer"]) == {police_case, hospital_log}  # the Chair
    # A conflict of interest on the case takes its actions away, from anyone.
    for person in (partners["police_contributor"], partners["pdeo"]):
        case_services.declare_conflict(case=notified_case, user=person, nature="My neighbour")
    assert sees(partners["police_contributor"]) == set()
    assert sees(partners["pdeo"]) == {hospital_log}


def test_a_stage_finds_the_actions_from_its_record_and_whether_a_case_is_done(
    partners, make_action, notified_case
):
    from safeguarding.actions import selectors

    # A stand-in for a stage's record (a recommendation): the agency row.
    source = partners["la"]
    first = make_action(case=notified_case, source_object=source, source_label="Recommendation 1")
    second = make_action(case=notified_case, source_object=source, source_label="Recommendation 1")
    make_action(case=notified_case)
    assert list(selectors.from_source(source)) == [first, second]
    assert first.source_object == source and first.source_label == "Recommendation 1"
    assert not selectors.all_finished(notified_case)
    for action in Action.objects.all():
        services.carry_into_other_work(action=action, user=partners["pdeo"], reasons="Elsewhere")
    assert selectors.all_finished(notified_case)
