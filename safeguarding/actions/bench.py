"""The benchmark's actions (`manage.py seed_bench`): the plan's number of SMART actions, four in
five from local reviews' recommendations (on published and recent cases) and the rest from the
Panel's action log (no case), each with its D15 clock and its updates. Older actions are closed
on evidence of impact; recent ones open, some overdue and red. The signed-in agency
contributor's agency owns a share, for its agency actions page."""

from datetime import timedelta

from safeguarding.accounts.roles import Role

from .models import Action, ActionUpdate

NO_FILE = {"file": "", "original_name": "", "content_type": "", "rag": ""}
STATUS_BY_AGE = [
    (365, Action.Status.CLOSED),
    (200, Action.Status.CLOSURE_PROPOSED),
    (0, Action.Status.OPEN),
]


def seed(bench):
    cases = [c for c in bench.cases if c.stage in ("monitoring", "local_review")]
    if not cases:
        return
    contributor = bench.sign_in["contributor"]
    home_agency = next(
        (agency for agency, people in bench.contributors.items() if contributor in people),
        bench.agencies[0][0],
    )
    agencies = [a for a, _ in bench.agencies]
    total = bench.plan["actions"]
    actions, updates = [], []
    for n in range(total):
        from_review = n % 5 != 4
        case = cases[n * len(cases) // total] if from_review else None
        set_on = (
            (case.opened + timedelta(days=200))
            if case
            else bench.today - timedelta(days=(n * 3650 // total) % 3650)
        )
        set_on = min(set_on, bench.today - timedelta(days=1))
        due = set_on + timedelta(days=90 + n % 120)
        age = (bench.today - set_on).days
        status = next(s for after, s in STATUS_BY_AGE if age >= after)
        agency = home_agency if n % 10 == 0 else agencies[n % len(agencies)]
        people = bench.contributors.get(agency) or [contributor]
        owner = people[n % len(people)]
        creator = case.lead_id if case else bench.person(Role.PDEO)
        closed_on = due - timedelta(days=n % 30) if status == Action.Status.CLOSED else None
        rag = (
            Action.Rag.RED
            if status == Action.Status.OPEN and due < bench.today
            else [Action.Rag.GREEN, Action.Rag.AMBER][n % 2]
        )
        aid = bench.next_id(Action)
        actions.append(
            {
                "id": aid,
                "case_id": case.id if case else None,
                "source": Action.Source.RECOMMENDATION if case else Action.Source.ACTION_LOG,
                "source_label": f"Recommendation {1 + n % 6}" if case else "Panel action log",
                "description": "Audit how the agency shares concerns about neglect with schools.",
                "owner_agency_id": agency,
                "owner_id": owner,
                "set_on": set_on,
                "due_date": due,
                "measure_of_success": "Audit shows concerns shared within a working day.",
                "rag": rag,
                "status": status,
                "closure_evidence": ""
                if status == Action.Status.OPEN
                else "Re-audit of 20 cases: every concern shared within a working day.",
                "completed_on": closed_on,
                "closed_on": closed_on,
                "decided_by_id": creator if closed_on else None,
                "created_by_id": creator,
                "created_at": bench.at(set_on),
                "updated_at": bench.at(closed_on or set_on),
                "version": 3 if closed_on else 1,
            }
        )
        bench.clock(
            kind="action_due",
            model=Action,
            object_id=aid,
            case=case,
            anchor=set_on,
            due=due,
            met_on=closed_on,
        )
        updates.append(
            {
                **NO_FILE,
                "id": bench.next_id(ActionUpdate),
                "action_id": aid,
                "kind": ActionUpdate.Kind.PROGRESS,
                "text": "Audit tool agreed; first sample of cases reviewed.",
                "rag": rag,
                "by_id": owner,
                "at": bench.at(set_on + timedelta(days=30)),
            }
        )
        if status != Action.Status.OPEN:
            updates.append(
                {
                    **NO_FILE,
                    "id": bench.next_id(ActionUpdate),
                    "action_id": aid,
                    "kind": ActionUpdate.Kind.PROPOSED,
                    "text": "Re-audit complete: the measure of success is met.",
                    "by_id": owner,
                    "at": bench.at(due - timedelta(days=35)),
                }
            )
    bench.writer.write(
        Action, actions, history=lambda r: (r["created_at"], "+", r["created_by_id"])
    )
    bench.writer.write(ActionUpdate, updates)


def pages(context):
    """The agency's actions (as its contributor) and every action (as the PDEO)."""
    return [
        {"name": "actions (PDEO)", "as": "pdeo", "path": "/actions/"},
        {"name": "actions, overdue (PDEO)", "as": "pdeo", "path": "/actions/?overdue=yes"},
        {"name": "agency actions (contributor)", "as": "contributor", "path": "/actions/agency/"},
    ]
