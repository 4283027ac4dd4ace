"""A large fictional partnership, written in bulk: a decade of cases, their requests and
chronologies, clocks, team members and the audit their work leaves (docs/performance.md).

The core writes what it owns; each app with a `bench` module (`notifications.bench`,
`rapid_reviews.bench`, ...) adds its own rows through `seed(bench)`, found by name as
`seed_demo` finds `demo` modules, so the core imports no stage. Clocks are collected from
everyone and written last: the core then adds clocks on cases until the totals the plan
promises (all, open, overdue) are met exactly.
"""

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import Agency, User
from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AccessLog, SecurityEvent, StatusChange
from safeguarding.cases.models import (
    WORK_ON_CASE,
    Case,
    CaseReferenceCounter,
    CaseTeamMember,
    CaseUserObjectPermission,
    Child,
    HouseholdMember,
)
from safeguarding.cases.services import pseudonym_for
from safeguarding.contributions.models import ChronologyEntry, InformationRequest
from safeguarding.deadlines.calendar import WorkingCalendar
from safeguarding.deadlines.models import Deadline
from safeguarding.deadlines.rules import Kind, Unit, rule_for

from .writer import Writer

# At scale 1 (issue 18): a large partnership's decade. Every figure scales linearly, with a
# floor so that a tiny scale still has one of everything.
SCALE_1 = {
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
FLOOR = {"agencies": 16, "users": 24, "cases": 20, "requests": 60, "chronology_entries": 100}
# The busy case whose chronology the benchmark prints (2,000 entries at scale 1).
BUSY_CASE_ENTRIES = 2_000
YEARS = 10

PASSWORD = "bench-password-2026"
# The RFC 6238 test key, as the demo uses: the bench database is fictional and thrown away.
TOTP_KEY = "3132333435363738393031323334353637383930"
# The people the benchmark signs in as (one per role it drives, and an admin for the baseline).
SIGN_IN = {
    "pdeo": ("pdeo@bench.example", Role.PDEO),
    "panel_member": ("panel.member@bench.example", Role.PANEL_MEMBER),
    "contributor": ("contributor@bench.example", Role.AGENCY_CONTRIBUTOR),
    "lead_reviewer": ("lead.reviewer@bench.example", Role.LEAD_REVIEWER),
    "business_manager": ("business.manager@bench.example", Role.BUSINESS_MANAGER),
    "admin": ("admin@bench.example", None),
}
EMAIL_DOMAIN = "bench.example"

# Of every thousand users, how many hold each role (the rest are agency contributors).
ROLE_SHARE = {
    Role.BUSINESS_MANAGER: 2,
    Role.PDEO: 10,
    Role.PANEL_CHAIR: 1,
    Role.DEPUTY_CHAIR: 1,
    Role.PANEL_MEMBER: 30,
    Role.EXECUTIVE_MEMBER: 10,
    Role.LEAD_REVIEWER: 40,
}


def plan(scale: float) -> dict[str, int]:
    """How many of each thing `seed_bench --scale` makes."""
    return {key: max(FLOOR.get(key, 1), round(value * scale)) for key, value in SCALE_1.items()}


FIRST = "Amara Ben Chloe Dev Ella Finn Grace Harry Isla Jay Kai Leah Mia Noah Olly Priya".split()
LAST = "Adams Begum Clarke Davies Evans Fox Green Hughes Iqbal Jones Khan Lewis Moss Nash".split()
TOWNS = "Northbridge Wyre Eastmoor Linton Caldwell Ashby Marlow Hexley".split()
STREETS = "Mill Lane|Station Road|Church Street|Park View|Oak Close|High Street".split("|")
EVENTS = [
    "Home visit by the social worker; the child was seen alone and spoke about school.",
    "Strategy discussion held with police and health; section 47 enquiries agreed.",
    "Attended the emergency department with a head injury; explanation inconsistent.",
    "Missed health visitor appointment; no answer at the door, card left.",
    "School reported the child arrived hungry and without a coat for the third time.",
    "Domestic abuse incident reported; the child was present in the house.",
    "Referral to early help declined by the mother; case closed to the service.",
    "Child protection conference; plan under the category of neglect.",
    "GP appointment; the child was brought by a grandparent, weight below the 2nd centile.",
    "Police welfare check after a call from a neighbour about shouting.",
]
SIGNIFICANCE = [
    "",
    "A missed opportunity to hear the child's voice.",
    "Information was not shared with the school.",
    "Escalation policy not used when the referral was declined.",
]
AGENCY_KINDS = [
    (Agency.Kind.HEALTH_PROVIDER, "{} NHS Foundation Trust"),
    (Agency.Kind.EDUCATION, "{} Academy"),
    (Agency.Kind.EDUCATION, "{} Primary School"),
    (Agency.Kind.VOLUNTARY_SECTOR, "{} Family Support"),
    (Agency.Kind.HEALTH_PROVIDER, "{} Community Health Services"),
    (Agency.Kind.PROBATION, "Probation Service, {}"),
    (Agency.Kind.YOUTH_JUSTICE, "{} Youth Justice Service"),
    (Agency.Kind.OTHER, "{} Housing Association"),
]


@dataclass
class CaseRow:
    id: int
    reference: str
    pseudonym: str
    year: int
    opened: date
    is_open: bool
    stage: str
    lead_id: int
    incident_date: date
    nature: str


@dataclass
class Bench:
    """What the generator knows while it writes, shared with every app's `bench.seed`."""

    scale: float
    plan: dict[str, int]
    today: date
    writer: Writer
    rng: random.Random
    calendar: WorkingCalendar
    agencies: list[tuple[int, str]] = field(default_factory=list)  # (id, kind)
    partners: dict[str, int] = field(default_factory=dict)  # kind -> agency id
    users: dict[str, list[int]] = field(default_factory=dict)  # role -> user ids
    contributors: dict[int, list[int]] = field(default_factory=dict)  # agency -> users
    sign_in: dict[str, int] = field(default_factory=dict)  # key of SIGN_IN -> user id
    cases: list[CaseRow] = field(default_factory=list)
    busy_case: CaseRow | None = None
    deadlines: list[dict] = field(default_factory=list)
    team: list[tuple[int, int, str]] = field(default_factory=list)  # (case, user, role)
    _ids: dict[str, int] = field(default_factory=dict)
    _clock_keys: set = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    clock_objects: list = field(default_factory=list)

    def next_id(self, model) -> int:
        key = model._meta.label
        self._ids[key] = self._ids.get(key, 0) + 1
        return self._ids[key]

    def ct(self, model) -> int:
        return ContentType.objects.get_for_model(model).pk

    def at(self, day: date, hour=10) -> datetime:
        """A moment in office hours on `day`, in the service's time zone."""
        moment = datetime.combine(day, time(hour, self.rng.randrange(60)))
        return timezone.make_aware(moment)

    def clock(self, *, kind, model, object_id, case, anchor, due=None, met_on=None, status=None):
        """A clock as the deadline services leave it; written with the rest at the end."""
        rule = rule_for(kind)
        if due is None:
            due = rule.due_date(anchor, self.calendar)
        if status is None:
            status = (
                Deadline.Status.OPEN
                if met_on is None
                else (Deadline.Status.MET if met_on <= due else Deadline.Status.MISSED)
            )
        key = (kind, self.ct(model), object_id)
        self._clock_keys.add(key)
        self.deadlines.append(
            {
                "id": self.next_id(Deadline),
                "kind": kind,
                "case_id": case.id if case is not None else None,  # None: a caseless clock
                "content_type_id": key[1],
                "object_id": object_id,
                "anchor_date": anchor,
                "rule": rule.describe(),
                "limit": rule.limit if rule.unit != Unit.SET_PER_ITEM else 0,
                "unit": rule.unit,
                "due_date": due,
                "status": status,
                "met_on": met_on,
                "created_at": self.at(anchor),
                "updated_at": self.at(met_on or anchor),
            }
        )

    def add_team(self, case, user_id, role):
        self.team.append((case.id, user_id, role))

    def person(self, role) -> int:
        return self.rng.choice(self.users[role])

    def name(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"


def seed(*, scale: float, today: date | None = None, stdout=None) -> Bench:
    today = today or timezone.localdate()
    bench = Bench(
        scale=scale,
        plan=plan(scale),
        today=today,
        writer=Writer(),
        rng=random.Random(18),
        calendar=WorkingCalendar(),
    )
    say = stdout.write if stdout else (lambda line: None)
    _agencies(bench)
    _users(bench)
    say(f"{len(bench.agencies)} agencies, {bench.plan['users']} users")
    _cases(bench)
    say(f"{len(bench.cases)} cases, busy case {bench.busy_case.reference}")
    _requests(bench)
    say(f"{bench.writer.counts.get('contributions.InformationRequest', 0)} requests")
    for module in bench_modules():
        module.seed(bench)
        say(f"{module.__name__}: done")
    _team(bench)
    _clocks(bench)
    _audit(bench)
    bench.writer.reset_sequences()
    bench.writer.analyze()
    return bench


def bench_modules():
    """Each installed app's `bench` module, in the order of INSTALLED_APPS (a module with a
    higher `ORDER` runs after the rest: the core's actions count what the stages made)."""
    modules = []
    for app in apps.get_app_configs():
        if app.name == "safeguarding.bench":
            continue
        try:
            modules.append(import_module(f"{app.name}.bench"))
        except ModuleNotFoundError as error:
            if error.name != f"{app.name}.bench":
                raise
    return sorted(modules, key=lambda module: getattr(module, "ORDER", 0))


def _agencies(bench):
    rows = []
    partners = [
        ("Northbridge City Council Children's Services", Agency.Kind.LOCAL_AUTHORITY),
        ("Northbridge Police", Agency.Kind.POLICE),
        ("Northbridge and Wyre Integrated Care Board", Agency.Kind.ICB),
    ]
    for name, kind in partners:
        rows.append({"id": bench.next_id(Agency), "name": name, "kind": kind})
        bench.partners[kind] = rows[-1]["id"]
    n = 0
    while len(rows) < bench.plan["agencies"]:
        kind, pattern = AGENCY_KINDS[n % len(AGENCY_KINDS)]
        place = f"{TOWNS[n % len(TOWNS)]} {n // len(TOWNS) + 1}" if n >= len(TOWNS) else TOWNS[n]
        rows.append({"id": bench.next_id(Agency), "name": pattern.format(place), "kind": kind})
        n += 1
    made = bench.at(bench.today - timedelta(days=365 * YEARS))
    bench.writer.write(Agency, rows, history=lambda r: (made, "+", None))
    bench.agencies = [(r["id"], r["kind"]) for r in rows]


def _users(bench):
    groups = dict(Group.objects.values_list("name", "id"))
    password = make_password(PASSWORD)  # hashed once: every bench user has the same password
    total = bench.plan["users"]
    roles = []
    for role, share in ROLE_SHARE.items():
        roles += [role] * max(1, round(total * share / 1000))
    roles += [Role.AGENCY_CONTRIBUTOR] * max(1, total - len(roles) - 1)
    joined = bench.at(bench.today - timedelta(days=365 * YEARS))
    rows, memberships = [], []
    sign_in = {role: key for key, (_, role) in SIGN_IN.items() if role}
    police = bench.partners[Agency.Kind.POLICE]
    for n, role in enumerate(roles):
        uid = bench.next_id(User)
        key = sign_in.pop(role, None)
        if key:
            email = SIGN_IN[key][0]
            bench.sign_in[key] = uid
        else:
            email = f"user{uid}@{EMAIL_DOMAIN}"
        if role == Role.AGENCY_CONTRIBUTOR:
            # The signed-in contributor is police's: asked on nearly every case.
            agency = police if key else bench.agencies[n % len(bench.agencies)][0]
            bench.contributors.setdefault(agency, []).append(uid)
        else:
            agency = bench.agencies[n % 3][0]
        rows.append(
            {
                "id": uid,
                "email": email,
                "full_name": bench.name(),
                "job_title": str(role.label) if hasattr(role, "label") else str(role),
                "agency_id": agency,
                "password": password,
                "date_joined": joined,
                "reminder_preference": (
                    User.ReminderPreference.IMMEDIATE if uid % 7 == 0 else "digest"
                ),
            }
        )
        memberships.append({"user_id": uid, "group_id": groups[role]})
        bench.users.setdefault(role, []).append(uid)
    admin = bench.next_id(User)
    bench.sign_in["admin"] = admin
    rows.append(
        {
            "id": admin,
            "email": SIGN_IN["admin"][0],
            "full_name": "Sam Carter",
            "job_title": "System administrator",
            "agency_id": bench.agencies[0][0],
            "password": password,
            "date_joined": joined,
            "is_staff": True,
            "is_superuser": True,
        }
    )
    bench.writer.write(User, rows, history=lambda r: (joined, "+", None))
    bench.writer.write(User.groups.through, memberships)
    for user_id in bench.sign_in.values():
        TOTPDevice.objects.create(
            user_id=user_id, name="Authenticator app", key=TOTP_KEY, confirmed=True
        )


def _cases(bench):
    total = bench.plan["cases"]
    start = bench.today - timedelta(days=365 * YEARS)
    span = (bench.today - start).days
    pdeos = bench.users[Role.PDEO]
    natures = [c.value for c in Case.Nature]
    counters: dict[int, int] = {}
    rows = []
    for n in range(total):
        opened = start + timedelta(days=span * n // total)
        year = opened.year
        counters[year] = counters.get(year, 0) + 1
        sequence = counters[year]
        age = (bench.today - opened).days
        is_open = age < 365 * 4
        stage = (
            Case.Stage.MONITORING
            if age > 365
            else [Case.Stage.NOTIFICATION, Case.Stage.RAPID_REVIEW, Case.Stage.LOCAL_REVIEW][n % 3]
        )
        case = CaseRow(
            id=bench.next_id(Case),
            reference=f"NSCP-{year}-{sequence:03d}",
            pseudonym=pseudonym_for(sequence),
            year=year,
            opened=opened,
            is_open=is_open,
            stage=stage,
            lead_id=pdeos[n % len(pdeos)],
            incident_date=opened - timedelta(days=bench.rng.randrange(1, 20)),
            nature=natures[n % len(natures)] if n % 5 == 0 else Case.Nature.SERIOUS_HARM,
        )
        bench.cases.append(case)
        rows.append(case)
    # The busy case: an open case of two years ago, led by the signed-in PDEO.
    busy = bench.cases[int(total * (1 - 2 / YEARS))]
    busy.lead_id = bench.sign_in["pdeo"]
    bench.busy_case = busy
    created_at = {c.id: bench.at(c.opened) for c in rows}

    def history(row):
        made = (created_at[row["id"]], "+", row["created_by_id"], {"status": "open"})
        if row["status"] == Case.Status.CLOSED:
            return [made, (created_at[row["id"]] + timedelta(days=400), "~", row["created_by_id"])]
        return made

    bench.writer.write(
        Case,
        (
            {
                "id": c.id,
                "reference": c.reference,
                "year": c.year,
                "sequence": int(c.reference.rsplit("-", 1)[1]),
                "pseudonym": c.pseudonym,
                "stage": c.stage,
                "status": Case.Status.OPEN if c.is_open else Case.Status.CLOSED,
                "before_panel_on": c.opened + timedelta(days=7),
                "incident_date": c.incident_date,
                "nature": c.nature,
                "abuse_types": ["neglect"] if c.id % 2 else ["physical", "emotional"],
                "outline": bench.rng.choice(EVENTS),
                "created_by_id": c.lead_id,
                "created_at": created_at[c.id],
                "updated_at": created_at[c.id],
            }
            for c in rows
        ),
        history=history,
    )
    bench.writer.write(
        CaseReferenceCounter, ({"year": y, "last": last} for y, last in counters.items())
    )
    children, household = [], []
    for case in rows:
        for k in range(1 + (case.id % 3 == 0)):
            born = case.incident_date - timedelta(days=bench.rng.randrange(200, 6000))
            children.append(
                {
                    "id": bench.next_id(Child),
                    "case_id": case.id,
                    "pseudonym": case.pseudonym if k == 0 else f"{case.pseudonym} (sibling)",
                    "name": bench.name(),
                    "date_of_birth": born,
                    "address": f"{case.id % 90 + 1} {bench.rng.choice(STREETS)}, "
                    f"{bench.rng.choice(TOWNS)}",
                    "sex": bench.rng.choice(["female", "male"]),
                    "child_protection_plan": bench.rng.choice(["current", "never", "previous"]),
                }
            )
        for relationship in ("mother", "stepfather")[: 1 + case.id % 2]:
            household.append(
                {
                    "id": bench.next_id(HouseholdMember),
                    "case_id": case.id,
                    "name": bench.name(),
                    "relationship": relationship,
                }
            )
        bench.add_team(case, case.lead_id, CaseTeamMember.Role.CASE_LEAD)
    by_case = {c.id: c for c in rows}
    # What further clocks may hang on (see _clocks): the case, its children, its household.
    bench.clock_objects = [(Case, c.id, c) for c in rows]
    bench.clock_objects += [(Child, r["id"], by_case[r["case_id"]]) for r in children]
    bench.clock_objects += [(HouseholdMember, r["id"], by_case[r["case_id"]]) for r in household]

    def made(row):
        case = by_case[row["case_id"]]
        return (created_at[case.id] + timedelta(hours=1), "+", case.lead_id)

    bench.writer.write(Child, children, history=made)
    bench.writer.write(HouseholdMember, household, history=made)


def _requests(bench):
    """Each case asks a dozen agencies; old cases' answers are accepted, recent ones are open,
    submitted or returned. Entries go on answered requests; the busy case gets 2,000."""
    per_case = bench.plan["requests"] / len(bench.cases)
    entries_left = bench.plan["chronology_entries"]
    busy_entries = min(BUSY_CASE_ENTRIES, entries_left // 2)
    requests, entries, changes = [], [], []
    request_ct = bench.ct(InformationRequest)
    agencies = [a for a, _ in bench.agencies]
    total_requests = bench.plan["requests"]
    made = 0
    answered = []
    for index, case in enumerate(bench.cases):
        want = round(per_case * (index + 1)) - round(per_case * index)
        want = min(want, total_requests - made, len(agencies))
        if case is bench.busy_case:
            want = min(12, len(agencies))
        first = index % len(agencies)
        chosen = [agencies[(first + k) % len(agencies)] for k in range(want)]
        if bench.partners[Agency.Kind.POLICE] not in chosen and chosen:
            chosen[-1] = bench.partners[Agency.Kind.POLICE]
        sent = bench.calendar.add_working_days(case.opened, 2)
        for agency in chosen:
            rid = bench.next_id(InformationRequest)
            made += 1
            due = bench.calendar.add_working_days(sent, 8)
            age = (bench.today - sent).days
            if case is bench.busy_case or not case.is_open or age > 120:
                status = InformationRequest.Status.ACCEPTED
            else:
                status = [
                    InformationRequest.Status.OPEN,
                    InformationRequest.Status.OPEN,
                    InformationRequest.Status.SUBMITTED,
                    InformationRequest.Status.RETURNED,
                    InformationRequest.Status.ACCEPTED,
                ][rid % 5]
            submitted = status in ("submitted", "accepted")
            submitted_on = sent + timedelta(days=bench.rng.randrange(3, 20)) if submitted else None
            accepted_on = submitted_on + timedelta(days=3) if status == "accepted" else None
            contributors = bench.contributors.get(agency) or [case.lead_id]
            submitter = contributors[rid % len(contributors)]
            requests.append(
                {
                    "id": rid,
                    "case_id": case.id,
                    "agency_id": agency,
                    "purpose": InformationRequest.Purpose.RAPID_REVIEW,
                    "questions": "Your agency's involvement with the child and family, "
                    "with a chronology of significant events.",
                    "period_from": case.incident_date - timedelta(days=730),
                    "period_to": case.incident_date,
                    "requested_by_id": case.lead_id,
                    "requested_on": sent,
                    "due_date": due,
                    "status": status,
                    "summary": bench.rng.choice(EVENTS) if submitted else "",
                    "submitted_by_id": submitter if submitted else None,
                    "submitted_on": submitted_on,
                    "accepted_by_id": case.lead_id if accepted_on else None,
                    "accepted_on": accepted_on,
                    "version": 1 + submitted + bool(accepted_on),
                }
            )
            if submitted:
                answered.append((case, rid, agency, submitter, submitted_on))
                changes.append((rid, "open", "submitted", "submit", submitter, submitted_on))
            if accepted_on:
                changes.append((rid, "submitted", "accepted", "accept", case.lead_id, accepted_on))
            bench.clock(
                kind=Kind.AGENCY_RESPONSE,
                model=InformationRequest,
                object_id=rid,
                case=case,
                anchor=sent,
                due=due,
                met_on=accepted_on and submitted_on,
            )
    # Entries: the busy case's first, then spread over the other answered requests.
    busy = [a for a in answered if a[0] is bench.busy_case]
    others = [a for a in answered if a[0] is not bench.busy_case]
    share = [(busy, busy_entries), (others, entries_left - busy_entries)]
    for group, count in share:
        for n in range(count if group else 0):
            case, rid, agency, submitter, submitted_on = group[n % len(group)]
            day = case.incident_date - timedelta(days=bench.rng.randrange(0, 700))
            entries.append(
                {
                    "id": bench.next_id(ChronologyEntry),
                    "request_id": rid,
                    "case_id": case.id,
                    "agency_id": agency,
                    "date": day,
                    "time": time(9 + n % 8, (n * 7) % 60) if n % 3 else None,
                    "what_happened": EVENTS[n % len(EVENTS)],
                    "who": f"{bench.rng.choice(FIRST)} {bench.rng.choice(LAST)}, social worker",
                    "significance": SIGNIFICANCE[n % len(SIGNIFICANCE)],
                    "_by": submitter,
                    "_at": submitted_on,
                }
            )
    sent_at = {r["id"]: r for r in requests}

    def request_history(row):
        rows = [(bench.at(row["requested_on"]), "+", row["requested_by_id"], _open_state)]
        if row["submitted_on"]:
            rows.append((bench.at(row["submitted_on"]), "~", row["submitted_by_id"]))
        return rows

    bench.writer.write(InformationRequest, requests, history=request_history)
    bench.writer.write(
        ChronologyEntry,
        entries,
        history=lambda row: (bench.at(row["_at"] - timedelta(days=1)), "+", row["_by"]),
    )
    bench.writer.write(
        StatusChange,
        (
            {
                "content_type_id": request_ct,
                "object_id": str(rid),
                "from_status": old,
                "to_status": new,
                "transition": name,
                "by_id": by,
                "at": bench.at(day, 14),
            }
            for rid, old, new, name, by, day in changes
        ),
    )
    del sent_at


_open_state = {
    "status": "open",
    "summary": "",
    "submitted_by_id": None,
    "submitted_on": None,
    "accepted_by_id": None,
    "accepted_on": None,
    "version": 1,
}


def _team(bench):
    """The case team: each case's lead, and whoever the apps put on it; each member holds the
    `work_on_case` object permission, as `cases.services.add_team_member` grants it. The
    signed-in Panel member and lead reviewer are on a share of the recent cases' teams."""
    recent = [c for c in bench.cases if c.is_open]
    for n, case in enumerate(recent[:: max(1, len(recent) // 40)]):
        bench.add_team(case, bench.sign_in["panel_member"], CaseTeamMember.Role.PANEL_MEMBER)
        if n % 2 == 0:
            bench.add_team(case, bench.sign_in["lead_reviewer"], CaseTeamMember.Role.LEAD_REVIEWER)
    bench.add_team(bench.busy_case, bench.sign_in["lead_reviewer"], "lead_reviewer")
    permission = Permission.objects.get(codename=WORK_ON_CASE, content_type__app_label="cases")
    seen, members, perms = set(), [], []
    opened = {c.id: c for c in bench.cases}
    for case_id, user_id, role in bench.team:
        if (case_id, user_id, role) in seen:
            continue
        seen.add((case_id, user_id, role))
        members.append(
            {
                "id": bench.next_id(CaseTeamMember),
                "case_id": case_id,
                "user_id": user_id,
                "role": role,
                "added_by_id": opened[case_id].lead_id,
                "added_at": bench.at(opened[case_id].opened),
            }
        )
    bench.writer.write(
        CaseTeamMember, members, history=lambda r: (r["added_at"], "+", r["added_by_id"])
    )
    pairs = sorted({(m["case_id"], m["user_id"]) for m in members})
    for case_id, user_id in pairs:
        perms.append(
            {
                "id": bench.next_id(CaseUserObjectPermission),
                "content_object_id": case_id,
                "user_id": user_id,
                "permission_id": permission.pk,
            }
        )
    bench.writer.write(CaseUserObjectPermission, perms)


def _clocks(bench):
    """Every app's clocks, then clocks on the cases themselves until the plan's totals hold:
    all of them, the open ones, and the open ones already past their date."""
    want_total = bench.plan["deadlines"]
    want_open = bench.plan["open_deadlines"]
    want_overdue = bench.plan["overdue_deadlines"]
    rows = bench.deadlines
    today = bench.today
    open_rows = [r for r in rows if r["status"] == Deadline.Status.OPEN]
    overdue = sum(1 for r in open_rows if r["due_date"] < today)
    # Too many already (a tiny scale): close the latest surplus as met.
    for row in open_rows:
        if len(open_rows) <= want_open and overdue <= want_overdue:
            break
        late = row["due_date"] < today
        if (late and overdue > want_overdue) or (not late and len(open_rows) > want_open):
            row["status"], row["met_on"] = Deadline.Status.MET, min(row["due_date"], today)
            open_rows = [r for r in open_rows if r is not row]
            overdue -= late
    need_overdue = max(0, want_overdue - overdue)
    need_open = max(0, want_open - len(open_rows) - need_overdue)
    need_closed = want_total - len(rows) - need_overdue - need_open
    if need_closed < 0:
        raise ValueError("the apps made more clocks than the plan has room for")
    kinds = [k.value for k in Kind]
    objects = bench.clock_objects
    on_open = [o for o in objects if o[2].is_open]

    def slots(objects):
        for kind in kinds:
            for model, object_id, case in objects:
                if (kind, bench.ct(model), object_id) not in bench._clock_keys:
                    yield kind, model, object_id, case

    # Open clocks on open cases first (then any case, at a tiny scale).
    free_open = itertools.chain(slots(on_open), slots(objects))
    for n in range(need_overdue + need_open):
        kind, model, object_id, case = next(free_open)
        due = (
            today - timedelta(days=1 + n % 300)
            if n < need_overdue
            else today + timedelta(days=n % 180)
        )
        bench.clock(
            kind=kind,
            model=model,
            object_id=object_id,
            case=case,
            anchor=due - timedelta(days=14),
            due=due,
        )
    free = slots(objects)
    statuses = [Deadline.Status.MET] * 8 + [Deadline.Status.MISSED, Deadline.Status.CANCELLED]
    for n in range(need_closed):
        kind, model, object_id, case = next(free)
        due = case.opened + timedelta(days=10 + n % 200)
        status = statuses[n % len(statuses)]
        met_on = {"met": due - timedelta(days=n % 5), "missed": due + timedelta(days=3)}.get(status)
        bench.clock(
            kind=kind,
            model=model,
            object_id=object_id,
            case=case,
            anchor=due - timedelta(days=14),
            due=due,
            met_on=met_on,
            status=status,
        )

    def history(row):
        made = (row["created_at"], "+", None, {"status": "open", "met_on": None})
        if row["status"] == Deadline.Status.OPEN:
            return made
        return [made, (row["updated_at"], "~", None)]

    bench.writer.write(Deadline, rows, history=history)


def _audit(bench):
    """What reading and signing in leave: access-log rows for case pages, security events."""
    case_ct = bench.ct(Case)
    readers = bench.users[Role.PDEO] + bench.users[Role.BUSINESS_MANAGER]
    cases = bench.cases
    start = bench.today - timedelta(days=365 * YEARS)
    span_minutes = (bench.today - start).days * 24 * 60
    origin = timezone.make_aware(datetime.combine(start, time(8)))
    total = bench.plan["access_log"]

    def access():
        for n in range(total):
            case = cases[n * len(cases) // total]
            yield {
                "user_id": readers[n % len(readers)],
                "action": AccessLog.Action.VIEW,
                "content_type_id": case_ct,
                "object_id": str(case.id),
                "object_repr": f"{case.reference} ({case.pseudonym})",
                "path": f"/cases/{case.reference}/",
                "ip_address": f"10.20.{n % 250}.{n % 199 + 1}",
                "at": origin + timedelta(minutes=span_minutes * n // total),
            }

    bench.writer.write(AccessLog, access())
    people = [uid for ids in bench.users.values() for uid in ids]
    total = bench.plan["security_events"]
    kinds = [
        SecurityEvent.Kind.LOGIN,
        SecurityEvent.Kind.SECOND_FACTOR_PASSED,
        SecurityEvent.Kind.LOGOUT,
    ]

    def events():
        for n in range(total):
            yield {
                "kind": kinds[n % 3],
                "user_id": people[(n // 3) % len(people)],
                "email": "",
                "ip_address": f"10.20.{n % 250}.{n % 199 + 1}",
                "user_agent": "Mozilla/5.0",
                "at": origin + timedelta(minutes=span_minutes * n // total),
            }

    bench.writer.write(SecurityEvent, events())
