"""`manage.py seed_bench`: the counts it promises, at two tiny scales, shaped so the service's
own gate and pages read them; and the refusals that keep it out of any other database."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from cspr.models import (
    FactualAccuracyComment,
    LearningBriefing,
    LocalReview,
    ReportDraft,
    ReviewTheme,
)
from panel.models import Meeting
from rapid_reviews.models import RapidReview
from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role
from safeguarding.actions.models import Action
from safeguarding.audit.models import AccessLog, SecurityEvent
from safeguarding.bench import seed as generator
from safeguarding.cases.models import Case, CaseTeamMember, CaseUserObjectPermission
from safeguarding.contributions.models import ChronologyEntry, InformationRequest
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind

from ..conftest import need
from ..factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_scale_1_is_the_issue_s_partnership():
    assert generator.plan(1) == {
        "agencies": 100,
        "users": 1_000,
        "cases": 10_000,
        "requests": 120_000,
        "chronology_entries": 200_000,
        "deadlines": 300_000,
        "open_deadlines": 100_000,
        "overdue_deadlines": 10_000,
        "access_log": 200_000,
        "security_events": 50_000,
        "rapid_reviews": 3_000,
        "local_reviews": 500,
        "actions": 5_000,
        "meetings": 500,
    }


def seed_bench(*args):
    out = StringIO()
    name = connection.settings_dict["NAME"]
    call_command("seed_bench", *args, "--into", name, "--force", stdout=out)
    return out.getvalue()


def counts():
    today = generator.timezone.localdate()
    open_ = Deadline.objects.filter(status=Deadline.Status.OPEN)
    return {
        "agencies": Agency.objects.count(),
        "users": User.objects.count(),
        "cases": Case.objects.count(),
        "requests": InformationRequest.objects.count(),
        "chronology_entries": ChronologyEntry.objects.count(),
        "deadlines": Deadline.objects.count(),
        "open_deadlines": open_.count(),
        "overdue_deadlines": open_.filter(due_date__lt=today).count(),
        "access_log": AccessLog.objects.count(),
        "security_events": SecurityEvent.objects.count(),
    }


@pytest.mark.parametrize("scale", [0.01, 0.02])
def test_counts_scale_as_promised(scale):
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    output = seed_bench("--scale", str(scale))
    promised = generator.plan(scale)
    assert counts() == {key: promised[key] for key in counts()}, output
    assert promised["cases"] == round(10_000 * scale)
    assert promised["chronology_entries"] == round(200_000 * scale)
    # Every row has its history, as the services leave it.
    assert Case.history.count() >= Case.objects.count()
    assert ChronologyEntry.history.count() == ChronologyEntry.objects.count()
    assert Deadline.history.count() >= Deadline.objects.count()
    # Each team member holds the object permission the gate looks for.
    assert CaseUserObjectPermission.objects.count() == (
        CaseTeamMember.objects.values("case", "user").distinct().count()
    )
    # The stages wrote theirs (through their own bench modules).
    notified = Case.objects.filter(notification__isnull=False).count()
    assert Case.objects.filter(rapid_review__isnull=False).count() == min(
        promised["rapid_reviews"], notified
    )
    decided = RapidReview.objects.filter(decision=RapidReview.Decision.LCSPR).count()
    assert LocalReview.objects.count() == min(promised["local_reviews"], decided) > 0
    circulated = ReportDraft.objects.filter(circulated_on__isnull=False)
    assert circulated.exists() and FactualAccuracyComment.objects.exists()
    assert Deadline.objects.filter(kind=Kind.FACTUAL_ACCURACY).count() == circulated.count()
    assert Action.objects.count() == promised["actions"]
    # Most actions are the local reviews' recommendations', linked to them as the services do.
    planned = Action.objects.filter(source="recommendation", source_id__isnull=False)
    assert planned.count() == 9 * LocalReview.objects.filter(status="published").count() > 0
    assert ReviewTheme.objects.exists() and LearningBriefing.objects.exists()
    assert Action.objects.filter(case__isnull=True).exists()  # the Panel's action log
    assert Deadline.objects.filter(kind=Kind.ACTION_DUE).count() == promised["actions"]
    assert Meeting.objects.count() == promised["meetings"]
    assert (
        Deadline.objects.filter(kind=Kind.MEETING_PAPERS, case__isnull=True).count()
        == (promised["meetings"])
    )
    # The sequences moved past the ids the generator chose: the services can add more.
    case = Case.objects.first()
    assert (
        InformationRequest.objects.create(
            case=case,
            agency=Agency.objects.exclude(requests__case=case).first(),
            purpose="local_review",
            questions="More",
            requested_by=case.created_by,
            due_date=case.created_at.date(),
        ).pk
        > InformationRequest.objects.count() - 1
    )


def test_the_manifest_says_which_day_the_data_is_laid_out_from(tmp_path):
    """`make bench` seeds again on a later day (`run.why_seed_again`): it needs the day."""
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    manifest = tmp_path / "seed.json"
    seed_bench("--scale", "0.01", "--manifest", str(manifest))
    summary = json.loads(manifest.read_text())
    assert summary["scale"] == 0.01
    assert summary["seeded_on"] == generator.timezone.localdate().isoformat()
    assert summary["time_zone"] == "Europe/London"


def test_the_service_reads_what_it_wrote():
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    seed_bench("--scale", "0.01")
    pdeo = User.objects.get(email=generator.SIGN_IN["pdeo"][0])
    assert pdeo.check_password(generator.PASSWORD)
    assert pdeo.has_role(Role.PDEO)
    assert pdeo.totpdevice_set.filter(confirmed=True).exists()
    # The busy case (its chronology is the benchmark's) is the signed-in PDEO's to lead.
    led = Case.objects.readable_by(pdeo).filter(team__user=pdeo, team__role="case_lead")
    assert ChronologyEntry.objects.filter(case__in=led).count() >= 1_000
    lead = User.objects.get(email=generator.SIGN_IN["lead_reviewer"][0])
    assert Case.objects.readable_by(lead).exists()
    contributor = User.objects.get(email=generator.SIGN_IN["contributor"][0])
    assert contributor.agency.kind == Agency.Kind.POLICE
    assert InformationRequest.objects.visible_to(contributor).exists()
    assert Action.objects.filter(owner_agency=contributor.agency).exists()
    assert LocalReview.objects.filter(appointments__user=lead).exists()
    panel = User.objects.get(email=generator.SIGN_IN["panel_member"][0])
    assert Case.objects.visible_to(panel).count() > Case.objects.readable_by(panel).count() > 0


def test_refuses_any_database_but_the_one_named():
    with pytest.raises(CommandError, match="not the database in use"):
        call_command("seed_bench", "--scale", "0.01", "--into", "case_reviews", "--force")


@override_settings(DEBUG=False)
def test_refuses_with_debug_off_unless_forced():
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    name = connection.settings_dict["NAME"]
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_bench", "--scale", "0.01", "--into", name)


def test_refuses_a_database_that_already_holds_cases(pdeo):
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    CaseFactory(user=pdeo)
    with pytest.raises(CommandError, match="already holds cases"):
        seed_bench("--scale", "0.01")
