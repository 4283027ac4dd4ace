"""The learning pages: the action plan and its forms (GOV.UK error summaries on bad input,
nothing saved lost), the learning briefing PDF read back with pdftotext for every role that
may read the review, the themes page, their query counts, and the recurrent learning themes
figure against answers worked out here by hand."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from cspr import services
from cspr.models import Appointment, LearningTheme, LocalReview, ReviewTheme
from safeguarding.accounts.roles import Role
from safeguarding.cases.models import Child, HouseholdMember
from safeguarding.files.models import GeneratedFile
from safeguarding.reports import figures
from safeguarding.reports.periods import reporting_year_starting
from tests.conftest import need
from tests.factories import CaseFactory, UserFactory
from tests.helpers import page_queries, verified_client

pytestmark = pytest.mark.django_db
R = Appointment.Role
ADDRESS = "12 Elm Road, Northbridge NB1 2AB"


@pytest.fixture
def review(notified_case, partners, reviewers, today):
    """A local review of the notified case (Casey Realname, born 3 February 2019), started today
    and commissioned, the police's Panel member on its Case Review Panel; the child's address
    and a household member recorded."""
    pdeo = partners["pdeo"]
    Child.objects.filter(case=notified_case).update(address=ADDRESS)
    HouseholdMember.objects.create(
        case=notified_case, name="Morgan Realname", relationship="mother"
    )
    review = services.start_local_review(
        case=notified_case, user=pdeo, decided_on=today, decided_by="The three partners"
    )
    for person, role in (
        (reviewers["lead"], R.LEAD_REVIEWER),
        (reviewers["chair"], R.REVIEW_CHAIR),
        (reviewers["police_member"], R.CRP_MEMBER),
    ):
        services.appoint(review=review, user=pdeo, person=person, role=role)
    review.refresh_from_db()
    return review


def page(client, url, data=None):
    response = client.post(url, data) if data is not None else client.get(url)
    return response, response.content.decode()


def url(name, review, **kwargs):
    return reverse(name, kwargs={"reference": review.case.reference, **kwargs})


def test_recommendations_and_actions_through_the_pages_with_error_summaries(
    review, partners, reviewers, today
):
    lead = verified_client(Client(), reviewers["lead"])
    response, html = page(lead, url("cspr:recommendation_add", review), {"text": ""})
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Enter the recommendation" in html
    # With a version of the report uploaded, the form offers it (the latest chosen already).
    from .test_learning import draft_of

    draft = draft_of(review, reviewers["lead"], number=3)
    _, html = page(lead, url("cspr:recommendation_add", review))
    assert "Version 3, uploaded" in html and f'value="{draft.pk}" selected' in html
    response, html = page(
        lead, url("cspr:recommendation_add", review), {"text": "Share early", "draft": "99999"}
    )
    assert "Choose a version of the report from the list" in html
    response, _ = page(
        lead, url("cspr:recommendation_add", review), {"text": "Share early", "draft": draft.pk}
    )
    assert response.status_code == 302 and response.url == url("cspr:action_plan", review)
    recommendation = review.recommendations.get()
    assert recommendation.draft == draft
    pdeo = verified_client(Client(), partners["pdeo"])
    form = {
        "description": "Brief duty officers",
        "owner_agency": partners["police"].pk,
        "owner": "",
        "due_date_0": "23",
        "due_date_1": "11",
        "due_date_2": "2026",
        "measure_of_success": "Dip sample",
    }
    action_url = url("cspr:recommendation_action", review, recommendation_id=recommendation.pk)
    response, html = page(pdeo, action_url, form)
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "The due date must be on or after the day the action was set (24 November 2026)" in html
    later = {"due_date_0": "31", "due_date_1": "3", "due_date_2": "2027"}
    response, html = page(pdeo, action_url, {**form, **later, "owner": partners["la_signer"].pk})
    assert "The owner must be someone in the owner agency" in html
    assert not services.plan_actions(review).exists()
    response, _ = page(pdeo, action_url, {**form, **later})
    assert response.status_code == 302
    # The plan's page shows it; the Lead Reviewer (no SET_ACTIONS) cannot set one.
    _, html = page(lead, url("cspr:action_plan", review))
    assert (
        "Recommendation 1" in html and "Brief duty officers" in html and "Set an action" not in html
    )
    assert lead.get(action_url).status_code == 403
    # The Lead Reviewer corrects the recommendation's words from the plan's page: an error
    # summary for none, and the words and the action stay.
    edit_url = url("cspr:recommendation_edit", review, recommendation_id=recommendation.pk)
    assert f'href="{edit_url}"' in html
    _, html = page(lead, edit_url)
    assert "Change recommendation 1" in html and "Share early" in html
    response, html = page(lead, edit_url, {"text": "", "draft": draft.pk})
    assert response.status_code == 200 and "Enter the recommendation" in html
    assert "govuk-error-summary" in html
    recommendation.refresh_from_db()
    assert recommendation.text == "Share early"
    response, _ = page(lead, edit_url, {"text": "Share concerns early", "draft": draft.pk})
    assert response.status_code == 302 and response.url == url("cspr:action_plan", review)
    recommendation.refresh_from_db()
    assert recommendation.text == "Share concerns early"
    assert services.plan_actions(review).get().source_object == recommendation
    # Another review's recommendation is a 404 through this review's URL.
    other = services.start_local_review(
        case=CaseFactory(user=partners["pdeo"]),
        user=partners["pdeo"],
        decided_on=today,
        decided_by="Partners",
    )
    assert (
        pdeo.get(
            url("cspr:recommendation_action", other, recommendation_id=recommendation.pk)
        ).status_code
        == 404
    )
    assert (
        pdeo.get(
            url("cspr:recommendation_edit", other, recommendation_id=recommendation.pk)
        ).status_code
        == 404
    )


def test_the_plan_sign_off_pages(review, partners, reviewers, today):
    pdeo = verified_client(Client(), partners["pdeo"])
    sign_off = {
        "approved_on_0": "24",
        "approved_on_1": "11",
        "approved_on_2": "2026",
        "present": "CRG members",
    }
    response, html = page(pdeo, url("cspr:plan_sign_off", review), sign_off)
    assert "govuk-error-summary" in html and "Add the recommendations and their actions" in html
    recommendation = services.add_recommendation(
        review=review, user=reviewers["lead"], text="Share early"
    )
    services.set_recommendation_action(
        recommendation=recommendation,
        user=partners["pdeo"],
        description="Brief",
        owner_agency=partners["police"],
        due_date=date(2027, 3, 31),
        measure_of_success="Audit",
    )
    response, _ = page(pdeo, url("cspr:plan_sign_off", review), sign_off)
    assert response.status_code == 302
    executive = UserFactory(roles=[Role.EXECUTIVE_MEMBER], agency=partners["la"])
    exec_client = verified_client(Client(), executive)
    _, html = page(exec_client, reverse("cspr:awaiting_approval"))
    approval_url = reverse("cspr:plan_approval", kwargs={"review_id": review.pk})
    assert approval_url in html
    _, html = page(exec_client, approval_url)
    assert "Share early" in html and review.case.pseudonym in html
    assert "Casey Realname" not in html
    response, html = page(exec_client, approval_url, {**sign_off, "present": ""})
    assert "Enter who was present" in html and "govuk-error-summary" in html
    response, _ = page(exec_client, approval_url, sign_off)
    assert response.status_code == 302
    assert exec_client.get(approval_url).status_code == 404  # nothing waiting now
    _, html = page(pdeo, url("cspr:action_plan", review))
    assert "Signed off by the Executive: 24 November 2026" in html


def write_briefing(review, user):
    return services.save_briefing(
        review=review,
        user=user,
        expected_version=0,
        summary=f"{review.case.pseudonym}, aged seven, was admitted with injuries after months "
        "in which several agencies saw signs of neglect.",
        key_learning="Neglect is cumulative: look at the history\nSee the child alone",
        questions="When did you last see a child alone?\nWho do you tell about missed visits?",
    )


def test_the_briefing_form_refuses_a_name_with_an_error_summary(review, reviewers):
    lead = verified_client(Client(), reviewers["lead"])
    response, html = page(
        lead,
        url("cspr:briefing", review),
        {
            "version": 0,
            "summary": "Casey Realname was hurt.",
            "key_learning": "x",
            "questions": "y",
        },
    )
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "must not name the child or their family" in html
    assert (
        not LocalReview.objects.get(pk=review.pk)
        .__class__.objects.filter(briefing__isnull=False)
        .exists()
    )
    response, html = page(
        lead,
        url("cspr:briefing", review),
        {
            "version": 0,
            "summary": "Morgan Realname was there.",
            "key_learning": "x",
            "questions": "y",
        },
    )
    assert "must not name the child or their family" in html


@pytest.mark.parametrize("who", ["pdeo", "business_manager", "lead", "police_member", "chair"])
def test_the_learning_briefing_pdf_read_back_for_anyone_who_may_read_the_review(
    review, partners, reviewers, who, fetch_file, settings, tmp_path, today
):
    need(shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed")
    settings.MEDIA_ROOT = tmp_path
    people = {
        "pdeo": partners["pdeo"],
        "business_manager": UserFactory(roles=[Role.BUSINESS_MANAGER], agency=partners["la"]),
        "lead": reviewers["lead"],
        "police_member": reviewers["police_member"],
        "chair": reviewers["chair"],
    }
    write_briefing(review, reviewers["lead"])
    first = services.add_recommendation(
        review=review, user=reviewers["lead"], text="Agencies share concerns about neglect early"
    )
    services.set_themes(
        review=review,
        user=partners["pdeo"],
        themes=[LearningTheme.objects.create(name="Neglect and its history")],
    )
    client = verified_client(Client(), people[who])
    response = fetch_file(client, url("cspr:briefing_pdf", review))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    pdf = tmp_path / "briefing.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    case = review.case
    assert "OFFICIAL-SENSITIVE" in text and "Page 1 of 1" in text  # one page, marked
    assert f"Learning briefing: {case.pseudonym}" in flat and case.reference in flat
    assert "aged seven, was admitted with injuries" in flat
    assert "Neglect is cumulative: look at the history" in flat
    assert first.text in flat and "Neglect and its history" in flat
    assert "When did you last see a child alone?" in flat
    # The pseudonym only: no child's or family member's name, date of birth or address.
    child = case.children.get()
    for identifying in (
        child.name,
        "Realname",
        "Casey",
        "Morgan",
        "3 February 2019",
        "03/02/2019",
        "2019-02-03",
        "3/2/2019",
        "Elm Road",
        "NB1",
    ):
        assert identifying.lower() not in flat.lower(), identifying
    generated = GeneratedFile.objects.get(kind="learning_briefing")
    assert generated.requested_by == people[who]


def test_the_briefing_pdf_is_a_404_before_it_is_written_and_outside_the_gate(
    review, partners, make_user
):
    pdeo = verified_client(Client(), partners["pdeo"])
    assert pdeo.get(url("cspr:briefing_pdf", review)).status_code == 404
    write_briefing(review, partners["pdeo"])
    assert pdeo.get(url("cspr:briefing_pdf", review)).status_code == 200
    stranger = verified_client(Client(), make_user(Role.LEAD_REVIEWER))
    assert stranger.get(url("cspr:briefing_pdf", review)).status_code == 404


def test_the_action_plan_and_themes_pages_cost_the_same_for_few_rows_as_many(
    review, partners, reviewers, today
):
    pdeo_user = partners["pdeo"]
    pdeo = verified_client(Client(), pdeo_user)
    agencies = [partners["police"], partners["hospital"], partners["la"]]

    def grow(recommendations, actions_each):
        for _ in range(recommendations):
            recommendation = services.add_recommendation(review=review, user=pdeo_user, text="More")
            for n in range(actions_each):
                services.set_recommendation_action(
                    recommendation=recommendation,
                    user=pdeo_user,
                    description="Do it",
                    owner_agency=agencies[n % 3],
                    owner=reviewers["police_member"] if n % 3 == 0 else None,
                    due_date=date(2026, 12, 1 + n),
                    measure_of_success="Audit",
                )

    grow(2, 2)
    plan_url = url("cspr:action_plan", review)
    few = page_queries(pdeo, plan_url)
    grow(8, 4)
    assert page_queries(pdeo, plan_url) == few

    def tag(reviews, themes):
        for n in range(themes):
            theme = LearningTheme.objects.create(name=f"Theme {LearningTheme.objects.count()}")
            for r in reviews[: n + 1]:
                ReviewTheme.objects.create(review=r, theme=theme, tagged_by=pdeo_user)

    others = [
        services.start_local_review(
            case=CaseFactory(user=pdeo_user),
            user=pdeo_user,
            decided_on=today,
            decided_by="Partners",
        )
        for _ in range(4)
    ]
    tag([review, *others], 2)
    themes_url = reverse("cspr:learning_themes")
    few = page_queries(pdeo, themes_url)
    tag([review, *others], 5)
    assert page_queries(pdeo, themes_url) == few


# --- The recurrent learning themes figure, worked out by hand ---

YEAR = reporting_year_starting(2026)  # 1 April 2026 to 31 March 2027


def published_review(user, published_on, themes):
    review = services.start_local_review(
        case=CaseFactory(user=user), user=user, decided_on=date(2025, 1, 6), decided_by="P"
    )
    LocalReview.objects.filter(pk=review.pk).update(
        status=LocalReview.Status.PUBLISHED if published_on else LocalReview.Status.COMMISSIONED,
        published_on=published_on,
    )
    for theme in themes:
        ReviewTheme.objects.create(review=review, theme=theme, tagged_by=user)
    return review


def test_recurrent_learning_themes_count_reviews_published_in_the_period(partners):
    pdeo = partners["pdeo"]
    with time_machine.travel(date(2027, 6, 1), tick=False):
        neglect, voice, housing, unused = (
            LearningTheme.objects.create(name=name)
            for name in ("Neglect", "Child's voice", "Housing", "Unused")
        )
        published_review(pdeo, date(2026, 4, 1), [neglect, voice])  # first day of the year
        published_review(pdeo, date(2027, 3, 31), [neglect])  # last day
        published_review(pdeo, date(2026, 9, 14), [neglect, housing])
        published_review(pdeo, date(2026, 3, 31), [voice, housing])  # the year before
        published_review(pdeo, date(2027, 4, 1), [voice])  # the year after
        published_review(pdeo, None, [voice, housing])  # not published
    # In the year: Neglect in 3 reviews, Child's voice in 1, Housing in 1; Unused in none.
    result = figures.figure("recurrent_learning_themes").compute(YEAR)
    assert result.rows == [["Neglect", 3], ["Child's voice", 1], ["Housing", 1]]
    assert result.headline == "1 of 3 themes recur (in two or more reviews)"
    assert result.columns == ["Learning theme", "Reviews published in the period"]
    before = figures.figure("recurrent_learning_themes").compute(reporting_year_starting(2024))
    assert before.rows == []
    assert before.headline == "No review published in the period is tagged with a theme"


def test_the_themes_figure_on_the_dashboard_and_in_the_yearly_pack(
    partners, make_user, django_capture_on_commit_callbacks, today
):
    neglect = LearningTheme.objects.create(name="Neglect")
    published_review(partners["pdeo"], date(2026, 6, 1), [neglect])
    published_review(partners["pdeo"], date(2026, 7, 1), [neglect])
    client = verified_client(Client(), make_user(Role.BUSINESS_MANAGER))
    html = client.get(reverse("reports:dashboard") + "?year=2026").content.decode()
    assert "Recurrent learning themes" in html
    assert 'id="chart-recurrent_learning_themes-title"' in html  # the SVG chart
    assert "Neglect: 2" in html  # its description, and the table beside it
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("reports:pack"), {"year": "2026", "format": "xlsx"})
    generated = GeneratedFile.objects.get(pk=asked.url.rstrip("/").split("/")[-1])
    assert generated.status == "ready", generated.error
    got = client.get(reverse("files:download", kwargs={"pk": generated.pk}))
    workbook = load_workbook(io.BytesIO(b"".join(got.streaming_content)))
    sheet = workbook["Recurrent learning themes"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Learning theme", "Reviews published in the period"],
        ["Neglect", 2],
    ]
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(reverse("reports:pack"), {"year": "2026", "format": "pdf"})
    generated = GeneratedFile.objects.get(pk=asked.url.rstrip("/").split("/")[-1])
    got = client.get(reverse("files:download", kwargs={"pk": generated.pk}))
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(got.streaming_content))).pages
    )
    assert "Recurrent learning themes" in text and "Neglect" in text
