"""The visibility gate and identifying details, through the pages people use."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.audit.models import AccessLog
from safeguarding.cases import services
from safeguarding.cases.models import Case, CaseTeamMember, CaseUserObjectPermission
from safeguarding.cases.selectors import visible_cases

from ..factories import CaseFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(pdeo):
    case = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    child = case.children.get()
    child.name, child.date_of_birth, child.nhs_number = (
        "Riley Secretname",
        date(2019, 3, 14),
        "4857773456",
    )
    child.address = "12 Hidden Lane"
    child.save()
    return case


def page(user, case):
    return verified_client(Client(), user).get(
        reverse("cases:detail", kwargs={"reference": case.reference})
    )


SECRETS = ["Riley Secretname", "14 March 2019", "4857773456", "12 Hidden Lane"]


def test_partnership_staff_see_identifying_details(case, make_user):
    for role in (Role.PDEO, Role.BUSINESS_MANAGER, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR):
        html = page(make_user(role), case).content.decode()
        for secret in SECRETS:
            assert secret in html, (role, secret)


def test_panel_member_sees_the_pseudonym_only(case, make_user):
    response = page(make_user(Role.PANEL_MEMBER), case)
    assert response.status_code == 200
    html = response.content.decode()
    for secret in SECRETS:
        assert secret not in html
    assert case.pseudonym in html
    assert "Identifying details of the child are hidden" in html


def test_joining_the_case_team_reveals_details_and_leaving_hides_them(case, make_user, pdeo):
    member = make_user(Role.PANEL_MEMBER)
    team = services.add_team_member(
        case=case, user=member, role=CaseTeamMember.Role.CRP_MEMBER, added_by=pdeo
    )
    assert "Riley Secretname" in page(member, case).content.decode()
    services.remove_team_member(member=team)
    assert "Riley Secretname" not in page(member, case).content.decode()


def test_lead_reviewer_sees_only_their_cases(case, make_user, pdeo):
    reviewer = make_user(Role.LEAD_REVIEWER)
    assert page(reviewer, case).status_code == 404
    services.add_team_member(
        case=case, user=reviewer, role=CaseTeamMember.Role.LEAD_REVIEWER, added_by=pdeo
    )
    response = page(reviewer, case)
    assert response.status_code == 200
    assert "Riley Secretname" in response.content.decode()


def test_panel_member_does_not_see_a_referral_not_yet_before_the_panel(make_user, pdeo):
    referral_case = CaseFactory(user=pdeo)
    assert page(make_user(Role.PANEL_MEMBER), referral_case).status_code == 404


def test_agency_contributor_never_sees_a_case(case, make_user):
    contributor = make_user(Role.AGENCY_CONTRIBUTOR)
    assert not visible_cases(contributor).exists()
    client = verified_client(Client(), contributor)
    assert client.get(reverse("cases:list")).status_code == 403
    assert page(contributor, case).status_code == 403
    assert client.get("/").status_code == 200
    assert case.reference not in client.get("/").content.decode()


def test_conflicted_member_loses_access_even_on_the_team(case, make_user, pdeo):
    member = make_user(Role.PANEL_MEMBER)
    services.add_team_member(case=case, user=member, role="crp_member", added_by=pdeo)
    assert page(member, case).status_code == 200
    services.declare_conflict(case=case, user=member, nature="Related to the family")
    assert page(member, case).status_code == 404
    assert not visible_cases(member).filter(pk=case.pk).exists()


def test_inactive_user_sees_nothing(case, make_user):
    user = make_user(Role.PDEO)
    user.is_active = False
    user.save()
    assert not visible_cases(user).exists()


def test_every_case_page_view_is_logged(case, make_user):
    user = make_user(Role.BUSINESS_MANAGER)
    page(user, case)
    page(user, case)
    logs = AccessLog.objects.filter(user=user, action="view", object_id=str(case.pk))
    assert logs.count() == 2
    assert logs.first().object_repr == str(case)
    assert logs.first().ip_address == "127.0.0.1"


def test_a_404_is_not_logged_as_a_view(case, make_user):
    user = make_user(Role.PANEL_MEMBER)
    other = CaseFactory()
    page(user, other)
    assert not AccessLog.objects.filter(user=user).exists()


def test_export_is_logged_and_has_no_identifying_details(case, make_user, fetch_file):
    user = make_user(Role.BUSINESS_MANAGER)
    response = fetch_file(verified_client(Client(), user), reverse("cases:export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert case.reference in body and case.pseudonym in body
    assert "Riley Secretname" not in body
    assert AccessLog.objects.filter(user=user, action="export").count() == 1


def test_access_log_page_is_for_the_business_manager(case, make_user):
    manager, pdeo_user = make_user(Role.BUSINESS_MANAGER), make_user(Role.PDEO)
    page(pdeo_user, case)
    client = verified_client(Client(), manager)
    response = client.get(reverse("access_log"))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert pdeo_user.email in response.content.decode()
    assert verified_client(Client(), pdeo_user).get(reverse("access_log")).status_code == 403


def test_the_audit_cannot_be_edited_in_admin(case, make_user):
    admin_user = make_user(is_staff=True, is_superuser=True)
    page(make_user(Role.PDEO), case)
    log = AccessLog.objects.get()
    client = verified_client(Client(), admin_user)
    change = reverse("admin:audit_accesslog_change", args=[log.pk])
    response = client.post(change, {"object_repr": "tampered"})
    assert response.status_code in (403, 200)
    log.refresh_from_db()
    assert log.object_repr != "tampered"
    assert (
        client.post(
            reverse("admin:audit_accesslog_delete", args=[log.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_case_list_filters_and_search(pdeo, make_user):
    a = CaseFactory(user=pdeo, nature="death", pseudonym="Child Q")
    b = CaseFactory(user=pdeo, nature="serious_harm")
    client = verified_client(Client(), pdeo)

    def listed(**params):
        html = client.get(reverse("cases:list"), params).content.decode()
        return {c.reference for c in (a, b) if c.reference in html}

    assert listed() == {a.reference, b.reference}
    assert listed(nature="death") == {a.reference}
    assert listed(q="child q") == {a.reference}
    assert listed(q=b.reference.lower()) == {b.reference}
    assert listed(year="2026") == {a.reference, b.reference}
    assert listed(deadline="none_open") == {a.reference, b.reference}
    # Nonsense in a filter is an error message, not a crash.
    response = client.get(reverse("cases:list"), {"year": "not-a-year", "stage": "bogus"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    # The year's box (components/filter_fields.html) keeps what was typed, its error beside
    # it, and its widget's numeric keyboard.
    year = re.search(r'<input[^>]*name="year"[^>]*>', html).group(0)
    assert 'inputmode="numeric"' in year and 'spellcheck="false"' in year
    assert 'value="not-a-year"' in year and 'aria-describedby="id_year-error"' in year


def test_every_detail_of_a_child_is_classed_as_identifying_or_not():
    """A new field on the child must be classed here (and, if identifying, in
    Child.IDENTIFYING_FIELDS) before it can be shown to anyone: docs/domain.md names a child's
    name, date of birth, address and NHS number as identifying."""
    from safeguarding.cases.models import Child

    identifying = {"name", "date_of_birth", "address", "nhs_number"}
    not_identifying = {
        "id",
        "case",
        "pseudonym",
        "age_years",
        "sex",
        "ethnicity",
        "religion",
        "disability",
        "legal_status",
        "child_protection_plan",
        "known_to_agencies",
        "home_local_authority",
        "version",
    }
    assert set(Child.IDENTIFYING_FIELDS) == identifying
    assert {f.name for f in Child._meta.concrete_fields} == identifying | not_identifying


def test_a_child_seen_without_a_need_to_know_shows_no_identifying_detail(case):
    from safeguarding.cases.selectors import ChildView

    child = case.children.get()
    hidden = ChildView(child, identified=False)
    assert hidden.name == child.pseudonym
    assert hidden.date_of_birth is None and hidden.address == "" and hidden.nhs_number == ""
    assert hidden.ethnicity == child.ethnicity
    shown = ChildView(child, identified=True)
    assert shown.name == child.name and shown.date_of_birth == child.date_of_birth


def test_on_a_page_the_conflict_test_is_left_out_only_for_someone_who_declared_none(
    case, make_user, pdeo
):
    """`may_be_conflicted`: on a page that only reads, the gate asks once whether the person
    declared any conflict of interest and leaves the per-row test out when they declared none.
    Anywhere else (a POST, a task) it always tests, and asks nothing to decide that."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguarding.page_memo import one_page

    member = make_user(Role.PANEL_MEMBER)
    other = CaseFactory(user=pdeo)
    for each in (case, other):
        services.add_team_member(case=each, user=member, role="crp_member", added_by=pdeo)
    assert member.role_names  # read once per person object, as on any page
    with CaptureQueriesContext(connection) as queries:
        outside = str(visible_cases(member).query)
    assert "cases_conflictofinterest" in outside and not queries.captured_queries
    with one_page(read_only=True):
        assert "cases_conflictofinterest" not in str(visible_cases(member).query)
        assert set(visible_cases(member)) == {case, other}
    services.declare_conflict(case=case, user=member, nature="Related to the family")
    with one_page(read_only=True):
        assert "cases_conflictofinterest" in str(visible_cases(member).query)
        assert set(visible_cases(member)) == {other}
    with one_page(read_only=False):  # a POST: always tested
        assert set(visible_cases(member)) == {other}


def test_a_clocks_gate_kept_on_a_page_without_conflicts_never_serves_once_one_is_declared(
    case, make_user
):
    """The clocks' gate is kept per person object (`kept_for`), under a name of its own for
    each form of the case gate: the form built for a page where a PDEO had declared no conflict
    (every case, no test) must not be what a later POST or page uses once they declare one."""
    from safeguarding.deadlines import services as clocks
    from safeguarding.deadlines.models import Deadline
    from safeguarding.page_memo import one_page

    pdeo = make_user(Role.PDEO)
    clocks.open_deadline(kind="rapid_review", obj=case, case=case, anchor_date=date(2026, 11, 2))
    on_case = Deadline.objects.filter(case=case)
    with one_page(read_only=True):
        assert Case.objects.sees_every_case(pdeo)
        assert Deadline.objects.visible_to(pdeo).filter(pk__in=on_case).exists()
    services.declare_conflict(case=case, user=pdeo, nature="A neighbour")
    assert not Deadline.objects.visible_to(pdeo).filter(pk__in=on_case).exists()
    with one_page(read_only=True):
        assert not Case.objects.sees_every_case(pdeo)
        assert not Deadline.objects.visible_to(pdeo).filter(pk__in=on_case).exists()


def test_the_clocks_gate_asks_the_case_gate_of_each_clocks_case(case, make_user, pdeo):
    """`Deadline.objects.visible_to` tests the case gate's rule on each clock's case
    (`case_gate(..., to_case="case__")`), not against a list of the cases' ids: its clocks on
    cases are exactly those whose case `Case.objects.visible_to` gives, for every kind of
    person, on a page and off, with and without a conflict declared. A clock without a case is
    never let in by the case's part of the gate."""
    from django.utils import timezone

    from safeguarding.deadlines import services as clocks
    from safeguarding.deadlines.models import Deadline
    from safeguarding.page_memo import one_page

    before_panel, later, conflicted = (CaseFactory(user=pdeo) for _ in range(3))
    Case.objects.update(before_panel_on=None)
    Case.objects.filter(pk__in=[before_panel.pk, conflicted.pk]).update(
        before_panel_on=timezone.localdate()
    )
    for each in (case, before_panel, later, conflicted):
        clocks.open_deadline(
            kind="rapid_review", obj=each, case=each, anchor_date=date(2026, 11, 2)
        )
    caseless = clocks.open_deadline(
        kind="rapid_review", obj=pdeo, case=None, anchor_date=date(2026, 11, 2)
    )
    member, lead = make_user(Role.PANEL_MEMBER), make_user(Role.LEAD_REVIEWER)
    conflicted_pdeo, contributor = make_user(Role.PDEO), make_user(Role.AGENCY_CONTRIBUTOR)
    services.add_team_member(case=later, user=member, role="crp_member", added_by=pdeo)
    services.add_team_member(case=later, user=lead, role="lead_reviewer", added_by=pdeo)
    for person in (member, conflicted_pdeo):
        services.declare_conflict(case=conflicted, user=person, nature="A relative")
    people = [pdeo, member, lead, conflicted_pdeo, contributor, make_user(Role.PANEL_MEMBER)]
    people.append(make_user(Role.PANEL_MEMBER, is_active=False))

    def clocks_seen(person):
        return set(Deadline.objects.visible_to(person).values_list("case_id", flat=True))

    expected = {
        pdeo: {case.pk, before_panel.pk, later.pk, conflicted.pk},
        member: {before_panel.pk, later.pk},
        lead: {later.pk},
        conflicted_pdeo: {case.pk, before_panel.pk, later.pk},
        contributor: set(),
    }
    for on_a_page in (False, True):
        for person in people:
            person = type(person).objects.get(pk=person.pk)  # nothing kept from before
            with one_page(read_only=on_a_page):
                seen = clocks_seen(person)
                assert seen == set(Case.objects.visible_to(person).values_list("pk", flat=True))
                if person in expected:
                    assert seen == expected[person], person
                assert caseless.pk not in Deadline.objects.visible_to(person).values_list(
                    "pk", flat=True
                )


def test_the_team_test_names_the_permission_by_its_id_not_by_a_join(
    case, make_user, pdeo, django_assert_num_queries
):
    """The team test compares each object permission's id with the work-on-case permission's,
    written into the SQL as a number. Joined to the permissions table by codename, PostgreSQL
    took a person to be on one case's team, not a hundred, and planned the gated queries from
    the wrong end (docs/performance.md, "Sixth round"); as a subquery, it was planned in every
    gated query ("Fifteenth round"). The answer is the same either way."""
    from django.contrib.auth.models import Permission
    from django.core.management.sql import emit_post_migrate_signal

    member = make_user(Role.LEAD_REVIEWER)
    services.add_team_member(case=case, user=member, role="lead_reviewer", added_by=pdeo)
    permission = Permission.objects.get(codename="work_on_case", content_type__app_label="cases")
    sql = str(visible_cases(member).query)
    assert '"auth_permission"' not in sql
    assert re.search(rf'"permission_id" = {permission.pk}\b', sql)
    assert list(visible_cases(member)) == [case]

    # Made afresh with another id (as flush does), the permission is asked for again when
    # migrate or flush has run; until then the old id puts no one on a team: it fails closed.
    from safeguarding.cases.models import remember_work_on_case

    permission.codename = "work_on_case_old"
    permission.save()
    afresh = Permission.objects.create(
        codename="work_on_case", name="Is on the case team", content_type=permission.content_type
    )
    CaseUserObjectPermission.objects.filter(permission=permission).update(permission=afresh)
    try:
        again = type(member).objects.get  # a new person object: the gate is kept on each
        assert list(visible_cases(again(pk=member.pk))) == []
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        member = again(pk=member.pk)
        with django_assert_num_queries(2):  # the roles, then the cases: the id is known
            assert list(visible_cases(member)) == [case]
    finally:
        # The process keeps the id past this test's rollback: leave it the one that stays.
        CaseUserObjectPermission.objects.filter(permission=afresh).update(permission=permission)
        afresh.delete()
        permission.codename = "work_on_case"
        permission.save()
        remember_work_on_case()


def _later_case_and_one_before_the_panel(pdeo):
    """Two more cases: one nobody else is on, and one before the CSPR Panel."""
    from django.utils import timezone

    later, before_panel = CaseFactory(user=pdeo), CaseFactory(user=pdeo)
    Case.objects.filter(pk=before_panel.pk).update(before_panel_on=timezone.localdate())
    return later, before_panel


def _cases_of(ids):
    """The cases a gate's subquery of ids lets through."""
    return set(Case.objects.filter(pk__in=ids))


def test_other_gates_embed_the_case_gate_written_once_per_person(case, make_user, pdeo):
    """`case_ids_visible_to` and `case_ids_readable_by`: the case gate as a subquery of ids
    for another app's gate, its SQL written once per person object (compiled afresh in each
    query, it was about a millisecond of Python a query: docs/performance.md, "Seventh
    round"). It gives the gate's cases; it is a condition, not an answer, so a change of team
    shows at once; and the form kept on a page without conflicts never serves a POST."""

    from safeguarding.cases.models import case_ids_readable_by, case_ids_visible_to
    from safeguarding.page_memo import one_page

    member = make_user(Role.PANEL_MEMBER)
    services.add_team_member(case=case, user=member, role="crp_member", added_by=pdeo)
    later, before_panel = _later_case_and_one_before_the_panel(pdeo)
    through = _cases_of

    seen, read = case_ids_visible_to(member), case_ids_readable_by(member)
    assert seen is case_ids_visible_to(member) and read is case_ids_readable_by(member)
    assert through(seen) == set(visible_cases(member)) == {case, before_panel}
    assert through(read) == set(Case.objects.readable_by(member)) == {case}
    services.add_team_member(case=later, user=member, role="crp_member", added_by=pdeo)
    assert through(case_ids_readable_by(member)) == {case, later}

    with one_page(read_only=True):  # no conflict declared: the form without the test
        on_page = case_ids_readable_by(member)
        assert on_page is not read and "cases_conflictofinterest" not in on_page.sql
        assert through(on_page) == {case, later}
    services.declare_conflict(case=case, user=member, nature="Related to the family")
    assert through(case_ids_readable_by(member)) == {later}  # a POST or a task
    assert through(case_ids_visible_to(member)) == {later, before_panel}
    with one_page(read_only=True):
        assert through(case_ids_readable_by(member)) == {later}
    assert through(case_ids_readable_by(make_user(Role.PANEL_MEMBER, is_active=False))) == set()


def test_another_app_s_rows_on_readable_cases_ask_no_subquery_of_someone_who_reads_every_case(
    case, make_user, pdeo
):
    """`on_readable_cases`: for someone the gate lets read every case, on a page where they
    declared no conflict, only that the row has a case (PostgreSQL planned the subquery of
    every case's id as a join on each query: docs/performance.md, "Twenty-third round"); the
    same rows. Anyone else, a conflict declared, or a POST: the gate's subquery."""
    from safeguarding.cases.models import on_readable_cases
    from safeguarding.page_memo import one_page

    other = CaseFactory(user=pdeo)
    lead = make_user(Role.PANEL_MEMBER)
    services.add_team_member(case=case, user=lead, role="crp_member", added_by=pdeo)

    def rows(user):
        condition = on_readable_cases(user)
        # Rows of another app, each on a case: the cases' team members.
        found = CaseTeamMember.objects.filter(condition).order_by()
        return str(found.query), {member.case_id for member in found}

    with one_page(read_only=True):
        sql, cases = rows(pdeo)
        assert 'FROM "cases_case"' not in sql and "IS NOT NULL" in sql
        assert cases == {case.pk, other.pk}
        sql, cases = rows(lead)  # reads only their own case: the subquery of their team's
        assert "cases_caseuserobjectpermission" in sql and cases == {case.pk}
    with one_page(read_only=False):  # a POST: the gate asks, every case or not
        sql, cases = rows(pdeo)
        assert 'FROM "cases_case"' in sql and cases == {case.pk, other.pk}
    services.declare_conflict(case=other, user=pdeo, nature="Knows the family")
    with one_page(read_only=True):
        sql, cases = rows(pdeo)
        assert 'FROM "cases_case"' in sql and cases == {case.pk}


def test_the_gate_of_someone_who_sees_cases_only_through_their_team_reads_only_the_team(
    case, make_user, pdeo
):
    """For someone the gate lets through only to their team's cases (no partnership-wide
    role, no Panel member's sight of the cases before the Panel, no conflict on this page),
    the subquery of ids reads the team permissions alone, not the cases: one table fewer in
    every query that embeds it (docs/performance.md, "Twenty-fifth round"). The same cases
    as the gate itself, for each form, before and after a change of team."""

    from safeguarding.cases.models import case_ids_readable_by, case_ids_visible_to
    from safeguarding.page_memo import one_page

    lead = make_user(Role.LEAD_REVIEWER)
    member = make_user(Role.PANEL_MEMBER)
    contributor = make_user(Role.AGENCY_CONTRIBUTOR)
    for person in (lead, member):
        services.add_team_member(case=case, user=person, role="crp_member", added_by=pdeo)
    later, before_panel = _later_case_and_one_before_the_panel(pdeo)
    through = _cases_of

    def team_only(ids):
        return 'FROM "cases_case"' not in ids.sql and "cases_caseuserobjectpermission" in ids.sql

    with one_page(read_only=True):
        for person in (lead, member, contributor):
            read = case_ids_readable_by(person)
            assert through(read) == set(Case.objects.readable_by(person))
            assert team_only(read)
        assert through(case_ids_readable_by(lead)) == {case}
        assert through(case_ids_readable_by(contributor)) == set()
        assert team_only(case_ids_visible_to(lead))
        assert through(case_ids_visible_to(lead)) == {case}
        # A Panel member also sees the cases before the Panel: the gate reads the cases.
        seen = case_ids_visible_to(member)
        assert not team_only(seen) and through(seen) == {case, before_panel}
        assert not team_only(case_ids_readable_by(pdeo))
    services.add_team_member(case=later, user=lead, role="crp_member", added_by=pdeo)
    with one_page(read_only=True):
        assert through(case_ids_readable_by(lead)) == {case, later}
    services.declare_conflict(case=case, user=lead, nature="Related to the family")
    with one_page(read_only=True):  # a conflict declared: the gate's own test, on the cases
        read = case_ids_readable_by(lead)
        assert not team_only(read) and through(read) == {later}
    assert through(case_ids_readable_by(lead)) == {later}  # a POST or a task


def test_may_read_asks_nothing_of_someone_who_reads_every_case_and_asks_of_the_rest(
    case, make_user, pdeo, django_assert_num_queries
):
    """On a page, a partnership-wide person with no conflict declared reads every case: the
    case page does not ask again. Anyone else, or anywhere but a read-only page, is asked."""
    from safeguarding.cases.selectors import can_read
    from safeguarding.page_memo import one_page

    other = CaseFactory(user=pdeo, stage=Case.Stage.NOTIFICATION)
    manager, member = make_user(Role.BUSINESS_MANAGER), make_user(Role.PANEL_MEMBER)
    with one_page(read_only=True):
        assert manager.role_names and member.role_names  # roles read before counting
        with django_assert_num_queries(1):  # whether the manager declared a conflict, once
            assert can_read(manager, case) and can_read(manager, other)
        with django_assert_num_queries(2):  # the member: their conflicts, then the case
            assert not can_read(member, case)
    with one_page(read_only=False), django_assert_num_queries(1):  # a POST: the case asked
        assert can_read(manager, case)
    services.declare_conflict(case=case, user=manager, nature="A relative")
    with one_page(read_only=True):
        assert not can_read(manager, case)
        assert can_read(manager, other)
