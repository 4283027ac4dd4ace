"""Demo actions (`manage.py seed_demo`): a few from the CSPR Panel's action log, each told on
its own dates: one overdue, one with a closure proposed on evidence, one on track. Found again
by their text, so seeding twice adds nothing."""

from datetime import timedelta

from django.utils import timezone

from safeguarding.demo import as_of

from . import services
from .models import Action

PDEO = "pdeo@northbridge.example"
POLICE_CONTRIBUTOR = "contributor.police@northbridge.example"
HEALTH_CONTRIBUTOR = "contributor.health@northbridge.example"

ACTIONS = [
    # (key, agency name, owner email, set days ago, due days ago (negative: ahead), rag, text,
    #  measure of success)
    (
        "overdue",
        "Northbridge Police",
        POLICE_CONTRIBUTOR,
        70,
        12,
        Action.Rag.RED,
        "Brief every public protection officer on the updated joint strategy discussion "
        "checklist, so that health is invited to every strategy discussion about an infant.",
        "A dip sample of 20 strategy discussions shows health invited in at least 18.",
    ),
    (
        "proposed",
        "Northbridge Hospitals NHS Foundation Trust",
        HEALTH_CONTRIBUTOR,
        60,
        -10,
        Action.Rag.GREEN,
        "Add a prompt to the emergency department's system to ask who else lives at home "
        "when a child under one attends with an injury.",
        "The prompt is live and an audit of 30 attendances shows it answered in 27.",
    ),
    (
        "on_track",
        "Northbridge Education Partnership",
        None,
        20,
        -45,
        Action.Rag.AMBER,
        "Share the learning on elective home education with every designated safeguarding "
        "lead at the spring network meeting.",
        "Attendance of 80% of schools and a follow-up survey of what changed.",
    ),
]


def seed(*, agencies, users):
    today = timezone.localdate()
    pdeo = users[PDEO]
    made = 0
    for key, agency_name, owner_email, set_ago, due_ago, rag, text, measure in ACTIONS:
        if Action.objects.filter(description=text).exists():
            continue
        agency = agencies[agency_name]
        set_on = today - timedelta(days=set_ago)
        with as_of(set_on, by=pdeo):
            action = services.set_action(
                user=pdeo,
                description=text,
                owner_agency=agency,
                owner=users[owner_email] if owner_email else None,
                due_date=today - timedelta(days=due_ago),
                measure_of_success=measure,
                source=Action.Source.ACTION_LOG,
                source_label="CSPR Panel action log",
                rag=rag,
            )
        if key in ("overdue", "proposed"):
            owner = users[owner_email]
            with as_of(set_on + timedelta(days=14), by=owner):
                services.add_update(
                    action=action,
                    user=owner,
                    text="Work has started; the first sessions are booked.",
                    rag=rag,
                )
        if key == "proposed":
            with as_of(today - timedelta(days=3), by=users[owner_email]):
                services.propose_closure(
                    action=action,
                    user=users[owner_email],
                    evidence="The prompt went live on the ward systems; the audit found it "
                    "answered in 28 of 30 attendances.",
                )
        made += 1
    return [f"Actions: {made} demo actions added"] if made else []
