"""Reads of cases that depend on who is asking. Every one starts from the visibility gate."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from safeguarding import kept
from safeguarding.accounts.roles import Role
from safeguarding.page_memo import for_this_page

from . import lists
from .models import Case, CaseTeamMember, Child, ConflictOfInterest, written_sql


def visible_cases(user):
    return Case.objects.visible_to(user)


def case_for(user, reference, *, read=True):
    """One case through the gate, or 404 (never 403: outside the gate it does not exist).
    `read`: the person must also be allowed to read what it says (Case.objects.readable_by);
    only the case page itself and the conflict-of-interest page do without."""
    cases = Case.objects.readable_by(user) if read else visible_cases(user)
    case = cases.filter(reference=reference).first()
    if case is None:
        raise Http404("No such case")
    return case


def can_read(user, case):
    """Free text, files and the children's identifying details (names, dates of birth,
    addresses, NHS numbers): partnership staff and the case team (the same rule as
    Case.objects.readable_by, for one case already in hand). Someone the gate lets read every
    case (`sees_every_case`: partnership-wide, with no conflict declared) is not asked again."""
    if Case.objects.sees_every_case(user):
        return True
    return Case.objects.readable_by(user).filter(pk=case.pk).exists()


def cases_led_by(user):
    """The cases this person answers for as case lead: those they lead, and, for a PDEO, those
    nobody leads (the chase reminds every PDEO about those, so each owes them). Cases they may
    read: what they owe is done on pages that read the case.

    The cases' ids, as a subquery (`case__in=`), its SQL written once per page that only reads
    (`for_this_page`, as the case gate's is once per person object: `case_ids_readable_by`):
    a PDEO's home page holds it in four queries, and Django built and compiled the union of
    the two sets afresh in each (docs/performance.md, "Twentieth round"). It is a condition,
    not an answer: the database still reads who leads which case whenever a query runs."""
    return for_this_page(("cases-led-by", user.pk), lambda: written_sql(_cases_led_by(user)))


def _cases_led_by(user):
    led = _active_leads().filter(user=user).values("case_id")
    if Role.PDEO in user.role_names:
        # A union of the two sets rather than "led by me OR nobody": PostgreSQL cannot estimate
        # the OR and read every unmet clock to count a PDEO's (docs/performance.md).
        unled = Case.objects.filter(pk__in=cases_nobody_leads()).order_by().values("pk")
        led = led.union(unled, all=True)
    if Case.objects.sees_every_case(user):
        # Every case readable: the ids as they are. Passed through the gate, each query joined
        # all 10,000 cases to the thousand led, six times on a PDEO's home page.
        return led
    return Case.objects.readable_by(user).filter(pk__in=led).values("pk")


def _active_leads():
    return CaseTeamMember.objects.filter(
        role=CaseTeamMember.Role.CASE_LEAD, user__is_active=True
    ).order_by()


# Few cases lack a lead (a new case, or one whose lead has left): their ids are sent as a list.
# Above this many they stay a subquery, so the queries never carry a list without bound.
NOBODY_LEADS_AS_LIST = 500

# Which cases nobody leads changes only when a case is opened, a lead joins or leaves a case,
# or an account is switched on or off; every PDEO's home page asks (and every PDEO's
# navigation, once a minute), and answering joins every case against every lead: 5 ms of
# PostgreSQL and 1 of planning at 10,000 cases (docs/performance.md, "Nineteenth round"). So
# the ids are kept in the cache (`kept.kept_ids`), forgotten as soon as any of those changes
# is saved and again when it commits (cases.receivers), and never kept longer than this.
NOBODY_LEADS_KEY = "cases-nobody-leads"
NOBODY_LEADS_SECONDS = 30


def cases_nobody_leads():
    """The cases with no active case lead: their ids (kept in the cache, above), or a
    subquery when there are many. Read once per page that only reads: as a subquery, each
    query of a PDEO's home page joined every case against every lead again
    (docs/performance.md, "Fifth round")."""

    def unled():  # built only when it is asked: the kept list is the usual answer
        return (
            Case.objects.exclude(Exists(_active_leads().filter(case=OuterRef("pk"))))
            .order_by()
            .values_list("pk", flat=True)
        )

    return kept.kept_ids(
        NOBODY_LEADS_KEY, unled, seconds=NOBODY_LEADS_SECONDS, as_list_up_to=NOBODY_LEADS_AS_LIST
    )


def forget_cases_nobody_leads():
    """After a change to who leads which case (cases.receivers)."""
    kept.forget(NOBODY_LEADS_KEY)


@dataclass
class ChildView:
    """A child as one person may see them: identifying details only with a need to know."""

    child: Child
    identified: bool
    incident_date: object = None

    @property
    def pk(self):
        return self.child.pk

    @property
    def pseudonym(self):
        return self.child.pseudonym

    @property
    def name(self):
        return self.child.name if self.identified else self.child.pseudonym

    @property
    def age(self):
        return self.child.age_at(self.incident_date)

    def __getattr__(self, name):
        # Identifying details only with a need to know; everything else reads straight through.
        if name.startswith("_") or name in ("child", "identified"):
            raise AttributeError(name)  # not set up yet (copying): never guess
        if name in Child.IDENTIFYING_FIELDS:
            return getattr(self.child, name) if self.identified else _HIDDEN.get(name, "")
        return getattr(self.child, name)


# What a hidden identifying detail reads as (the name reads as the pseudonym, above).
_HIDDEN = {"date_of_birth": None}


def children_for(user, case, *, identified=None):
    if identified is None:
        identified = can_read(user, case)
    return [ChildView(c, identified, case.incident_date) for c in case.children.all()]


def team_members(case):
    return case.team.select_related("user", "user__agency")


def team_of(case):
    return list(team_members(case))


def household_of(case):
    return list(case.household.all())


def household_member(case, member_id):
    member = case.household.filter(pk=member_id).first()
    if member is None:
        raise Http404("No such household member")
    return member


def escalations_of(case):
    return list(case.escalations.select_related("escalated_to"))


def agencies_of(case):
    return list(case.agencies_involved.all())


def child_of(case, child_id):
    child = case.children.filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return child


def case_list_page(user, rows, number, per_page):
    """One page of the case list. `rows` is the filtered gate without the row annotations:
    counting and paging them needs no join; only the page's rows are then annotated (each
    joins the case's children and clocks), in one more query. Counting and sorting the whole
    annotated set, twice, is what made the list slow with years of cases
    (docs/performance.md)."""
    page = Paginator(rows.only("pk"), per_page).get_page(number)
    ids = [case.pk for case in page.object_list]
    annotated = case_list(user).filter(pk__in=ids).in_bulk(ids)
    page.object_list = [annotated[pk] for pk in ids]
    return page


# What a row of the case list (and its CSV) shows of the case: never its outline or the
# rest of what happened (free text about the child), which only the case's readers see.
CASE_LIST_COLUMNS = (
    "reference",
    "year",
    "sequence",
    "pseudonym",
    "nature",
    "stage",
    "status",
    "incident_date",
)


def case_list(user):
    """The case list: the gate, with what each row shows (ours and the columns other apps
    register in cases.lists) in one query."""
    return (
        visible_cases(user)
        .only(*CASE_LIST_COLUMNS)
        .annotate(child_count=Count("children", distinct=True), **lists.annotations())
        .order_by("-year", "-sequence")
    )


def conflicted_on(case_id):
    """The ids of the people who declared a conflict of interest on the case (one query): they
    are told nothing of it, chased for nothing on it, and take no part in a decision on it."""
    return set(ConflictOfInterest.objects.filter(case_id=case_id).values_list("user_id", flat=True))
