"""The benchmark's actions (`manage.py seed_bench`): the plan's number of SMART actions, most
made by the local reviews for their recommendations (cspr/bench.py, with `Actions.make`), the
rest from the Panel's action log (no case), each with its D15 clock and its updates. Older
actions are closed on evidence of impact; recent ones open, some overdue and red. The signed-in
agency contributor's agency owns a share, for its agency actions page."""

from datetime import timedelta

from safeguarding.accounts.roles import Role

from .models import Action, ActionUpdate

NO_FILE = {"file": "", "original_name": "", "content_type": "", "rag": ""}
STATUS_BY_AGE = [
    (365, Action.Status.CLOSED),
    (200, Action.Status.CLOSURE_PROPOSED),
    (0, Action.Status.OPEN),
]


# Runs after the stages' bench modules (safeguarding/bench/seed.py sorts by ORDER): local
# reviews make their recommendations' actions with `make`, and this module makes the rest.
ORDER = 10


class Actions:
    """The actions being made, and their updates, written together by `write`."""

    def __init__(self, bench):
        self.bench = bench
        self.actions, self.updates = [], []
        contributor = bench.sign_in["contributor"]
        self.home_agency = next(
            (agency for agency, people in bench.contributors.items() if contributor in people),
            bench.agencies[0][0],
        )
        self.agencies = [a for a, _ in bench.agencies]

    def make(
        self,
        *,
        n,
        case,
        set_on,
        source,
        label,
        source_type=None,
        source_id=None,
        due=None,
        still_open=False,
    ):
        """One action as the services leave it, the nth made: its status by age (old ones
        closed on evidence, recent ones open, some overdue and red), its D15 clock, its
        updates. Every tenth is owned by the signed-in contributor's agency."""
        bench = self.bench
        set_on = min(set_on, bench.today - timedelta(days=1))
        due = due or set_on + timedelta(days=90 + n % 120)
        age = (bench.today - set_on).days
        status = (
            Action.Status.OPEN
            if still_open
            else next(s for after, s in STATUS_BY_AGE if age >= after)
        )
        agency = self.home_agency if n % 10 == 0 else self.agencies[n % len(self.agencies)]
        people = bench.contributors.get(agency) or [bench.sign_in["contributor"]]
        owner = people[n % len(people)]
        creator = case.lead_id if case else bench.person(Role.PDEO)
        closed_on = due - timedelta(days=n % 30) if status == Action.Status.CLOSED else None
        rag = (
            Action.Rag.RED
            if status == Action.Status.OPEN and due < bench.today
            else [Action.Rag.GREEN, Action.Rag.AMBER][n % 2]
        )
        aid = bench.next_id(Action)
        self.actions.append(
            {
                "id": aid,
                "case_id": case.id if case else None,
                "source": source,
                "source_type_id": source_type,
                "source_id": source_id,
                "source_label": label,
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
        self.updates.append(
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
            self.updates.append(
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

    def write(self):
        self.bench.writer.write(
            Action, self.actions, history=lambda r: (r["created_at"], "+", r["created_by_id"])
        )
        self.bench.writer.write(ActionUpdate, self.updates)


def seed(bench):
    """The plan's actions less those the local reviews made: the Panel's action log (no case),
    spread over the ten years."""
    made = bench.writer.counts.get(Action._meta.label, 0)
    total = max(0, bench.plan["actions"] - made - 1)  # the last is the one due today
    out = Actions(bench)
    # On the signed-in lead reviewer's review (their What's due lists it too), else a recent case.
    recent = getattr(bench, "busy_review_case", None) or next(
        c for c in reversed(bench.cases) if c.is_open
    )
    for n in range(total):
        set_on = bench.today - timedelta(days=(n * 3650 // max(total, 1)) % 3650)
        # The first is open and the oldest clock waited for, at every scale: the overdue list
        # and What's due's first page then show an action at 0.01 as at 1 (the benchmark
        # compares their query counts, and a page with an action costs one query more).
        # It is about a case (an agenda item's), so What's due lists no clock without a case on
        # its first page at one scale and not the other (those cost a query to describe).
        first = n == 0
        out.make(
            n=made + n,
            case=recent if first else None,
            set_on=bench.today - timedelta(days=3700) if first else set_on,
            due=bench.today - timedelta(days=3650) if first else None,
            still_open=first,
            source=Action.Source.ACTION_LOG,
            label="Panel action log",
        )
    # And one due today: What's due's first page of what is coming up shows an action at every
    # scale too.
    out.make(
        n=made + total,
        case=recent,
        set_on=bench.today - timedelta(days=30),
        due=bench.today,
        still_open=True,
        source=Action.Source.ACTION_LOG,
        label="Panel action log",
    )
    out.write()


def pages(context):
    """The agency's actions (as its contributor) and every action (as the PDEO)."""
    return [
        {"name": "actions (PDEO)", "as": "pdeo", "path": "/actions/"},
        {"name": "actions, overdue (PDEO)", "as": "pdeo", "path": "/actions/?overdue=yes"},
        {"name": "agency actions (contributor)", "as": "contributor", "path": "/actions/agency/"},
    ]
