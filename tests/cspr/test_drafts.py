"""Drafts of the report and factual accuracy (D14): versions checked by what they contain,
circulated to the Case Review Panel with comments due 10 working days later, each agency's
member commenting for that agency only, the Lead Reviewer responding, and D14 chased."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, FactualAccuracyComment, LocalReview, ReportDraft
from safeguarding.cases import services as case_services
from safeguarding.deadlines import chasing, links
from safeguarding.deadlines.models import Deadline, Reminder
from safeguarding.deadlines.rules import Kind
from safeguarding.outbox.models import OutboundEmail
from safeguarding.workflow import NotAllowed
from tests.helpers import (
    assert_lost_file_is_not_found,
    page_reads,
    reads_beyond_its_lines,
    verified_client,
)

pytestmark = pytest.mark.django_db
R = Appointment.Role

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def pdf(name="draft-report.pdf"):
    return SimpleUploadedFile(name, PDF, "application/pdf")


@pytest.fixture
def review(signed_off, partners, reviewers, tmp_path, settings):
    """Commissioned: Lead Reviewer, Chair, and the police's and the hospital's CRP members."""
    settings.MEDIA_ROOT = tmp_path
    review = LocalReview.objects.get(case=signed_off().case)
    pdeo = partners["pdeo"]
    for person, role in (
        ("lead", R.LEAD_REVIEWER),
        ("chair", R.REVIEW_CHAIR),
        ("police_member", R.CRP_MEMBER),
        ("hospital_member", R.CRP_MEMBER),
    ):
        services.appoint(review=review, user=pdeo, person=reviewers[person], role=role)
    review.refresh_from_db()
    return review


def circulated(review, reviewers, on=date(2026, 12, 17)):
    draft = services.upload_draft(review=review, user=reviewers["lead"], upload=pdf())
    with time_machine.travel(on, tick=False):
        return services.circulate_draft(draft=draft, user=reviewers["lead"])


def d14(draft):
    return Deadline.objects.get(kind=Kind.FACTUAL_ACCURACY, object_id=draft.pk)


# --- D14's due date ---


def test_comments_are_due_ten_working_days_after_circulation_over_the_bank_holidays(
    review, reviewers
):
    # Circulated Thursday 17 December 2026: 18, 21, 22, 23, 24 December, 29, 30, 31 December,
    # 4 and 5 January (25 and 28 December and 1 January are bank holidays).
    draft = circulated(review, reviewers)
    assert draft.circulated_on == date(2026, 12, 17)
    assert draft.comments_due_on == date(2027, 1, 5)
    clock = d14(draft)
    assert clock.due_date == date(2027, 1, 5) and clock.anchor_date == date(2026, 12, 17)
    assert clock.rule.startswith("D14: 10 working days after the draft was circulated")
    assert set(draft.circulated_to.values_list("agency__name", flat=True)) == {
        "Northbridge Police",
        "Northbridge Hospital",
    }


def test_the_partnership_sets_its_own_d14(review, reviewers, settings):
    settings.DEADLINE_RULES = {"D14": {"limit": 5}}
    draft = circulated(review, reviewers, on=date(2026, 11, 26))  # Thursday
    assert draft.comments_due_on == date(2026, 12, 3)


# --- Versions, and a draft of the wrong type ---


def test_each_upload_is_a_new_version_and_a_wrong_file_type_is_refused(review, reviewers):
    lead = reviewers["lead"]
    first = services.upload_draft(review=review, user=lead, upload=pdf(), note="First")
    second = services.upload_draft(review=review, user=lead, upload=pdf("v2.pdf"))
    assert (first.number, second.number) == (1, 2)
    assert first.content_type == "application/pdf" and len(first.sha256) == 64
    with pytest.raises(ValidationError, match="must be a PDF, Word or OpenDocument text file"):
        services.upload_draft(
            review=review,
            user=lead,
            upload=SimpleUploadedFile("draft.txt", b"Plain words", "text/plain"),
        )
    with pytest.raises(ValidationError, match="named as a PDF but it is not one"):
        services.upload_draft(
            review=review,
            user=lead,
            upload=SimpleUploadedFile("draft.pdf", b"Not a PDF at all", "application/pdf"),
        )
    with pytest.raises(ValidationError, match="Select the draft report"):
        services.upload_draft(review=review, user=lead, upload=None)
    assert list(review.drafts.values_list("number", flat=True)) == [2, 1]


def test_only_the_lead_reviewer_or_the_pdeo_uploads_and_circulates(review, reviewers, partners):
    with pytest.raises(NotAllowed):
        services.upload_draft(review=review, user=reviewers["police_member"], upload=pdf())
    draft = services.upload_draft(review=review, user=partners["pdeo"], upload=pdf())
    with pytest.raises(NotAllowed):
        services.circulate_draft(draft=draft, user=reviewers["chair"])
    assert not ReportDraft.objects.filter(circulated_on__isnull=False).exists()


def test_circulation_refusals_keep_one_round_of_comments_at_a_time(review, reviewers):
    lead = reviewers["lead"]
    first = services.upload_draft(review=review, user=lead, upload=pdf())
    second = services.upload_draft(review=review, user=lead, upload=pdf())
    with pytest.raises(NotAllowed, match="Version 2 is newer"):
        services.circulate_draft(draft=first, user=lead)
    services.circulate_draft(draft=second, user=lead)
    with pytest.raises(NotAllowed, match="was circulated on"):
        services.circulate_draft(draft=second, user=lead)
    third = services.upload_draft(review=review, user=lead, upload=pdf())
    with pytest.raises(NotAllowed, match="Close the comments on version 2 first"):
        services.circulate_draft(draft=third, user=lead)
    services.close_comments(draft=second, user=lead)
    services.circulate_draft(draft=third, user=lead)


def test_a_draft_goes_to_the_case_review_panel_so_it_needs_members(
    signed_off, partners, reviewers, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    review = LocalReview.objects.get(case=signed_off().case)
    services.appoint(
        review=review, user=partners["pdeo"], person=reviewers["lead"], role=R.LEAD_REVIEWER
    )
    draft = services.upload_draft(review=review, user=reviewers["lead"], upload=pdf())
    with pytest.raises(NotAllowed, match="Appoint the Case Review Panel members first"):
        services.circulate_draft(draft=draft, user=reviewers["lead"])
    assert not Deadline.objects.filter(kind=Kind.FACTUAL_ACCURACY).exists()


def test_circulating_a_draft_emails_each_case_review_panel_member_when_comments_are_due(
    review, reviewers, partners
):
    case = review.case
    # The hospital's member declared a conflict of interest on the case: they hear nothing.
    case_services.declare_conflict(case=case, user=reviewers["hospital_member"], nature="Kin")
    draft = circulated(review, reviewers, on=date(2026, 11, 24))  # due Tuesday 8 December
    emails = OutboundEmail.objects.filter(kind=OutboundEmail.Kind.NOTICE).order_by("pk")
    assert [e.recipient for e in emails] == [reviewers["police_member"]]
    (email,) = emails
    assert email.subject.startswith(
        f"{case.reference}: draft report version 1 for comments by 8 December 2026"
    )
    link = f"/cases/{case.reference}/local-review/drafts/{draft.pk}/"
    child_names = [child.name for child in case.children.all()]
    assert child_names
    for body in (email.body_text, email.body_html):
        assert case.reference in body and case.pseudonym in body
        assert "8 December 2026" in body
        assert partners["police"].name in body
        assert link in body
        # Never the child's name, nor the report itself.
        assert not any(name in body for name in child_names)
        assert "draft-report.pdf" not in body
    assert not email.attachment
    # The Lead Reviewer, who circulated it, and the review's Chair are not asked to comment.
    assert not OutboundEmail.objects.filter(
        recipient__in=[reviewers["lead"], reviewers["chair"]]
    ).exists()


# --- Comments: each agency for itself ---


def test_a_crp_member_comments_for_their_own_agency_only(review, reviewers, partners):
    draft = circulated(review, reviewers)
    police_member = reviewers["police_member"]
    comment = services.add_comment(
        draft=draft,
        user=police_member,
        agency=partners["police"],
        where="Section 3",
        comment="The strategy meeting was on 4 March, not 6 March",
    )
    assert comment.agency == partners["police"]
    with pytest.raises(NotAllowed, match="Only Northbridge Hospital's member"):
        services.add_comment(
            draft=draft, user=police_member, agency=partners["hospital"], comment="Theirs"
        )
    with pytest.raises(NotAllowed, match="Only Northbridge Police's member"):
        services.change_comment(comment=comment, user=reviewers["hospital_member"], text="Mine")
    with pytest.raises(ValidationError, match="Enter the comment"):
        services.add_comment(draft=draft, user=police_member, agency=partners["police"], comment="")
    comment.refresh_from_db()
    assert comment.comment == "The strategy meeting was on 4 March, not 6 March"
    assert FactualAccuracyComment.objects.count() == 1


def test_a_member_withdraws_their_agencys_comment_until_it_has_a_response(
    review, reviewers, partners
):
    draft = circulated(review, reviewers)
    member, police = reviewers["police_member"], partners["police"]
    kept = services.add_comment(draft=draft, user=member, agency=police, comment="Keep this")
    mistaken = services.add_comment(draft=draft, user=member, agency=police, comment="Typo")
    # Not another agency's member, nor the Lead Reviewer.
    for someone in (reviewers["hospital_member"], reviewers["lead"]):
        with pytest.raises(NotAllowed, match="Only Northbridge Police's member"):
            services.withdraw_comment(comment=mistaken, user=someone)
    services.withdraw_comment(comment=mistaken, user=member)
    assert list(FactualAccuracyComment.objects.values_list("comment", flat=True)) == ["Keep this"]
    # The record keeps what it said and who withdrew it.
    gone = FactualAccuracyComment.history.filter(id=mistaken.pk, history_type="-").get()
    assert gone.comment == "Typo"
    # Once the Lead Reviewer has responded, the comment stays.
    services.respond_to_comment(
        comment=kept, user=reviewers["lead"], outcome="changed", response="Done"
    )
    with pytest.raises(NotAllowed, match="it stays on the record"):
        services.withdraw_comment(comment=kept, user=member)
    assert FactualAccuracyComment.objects.filter(pk=kept.pk).exists()


def test_withdrawing_through_the_pages(review, reviewers, partners):
    draft = circulated(review, reviewers)
    member, police = reviewers["police_member"], partners["police"]
    comment = services.add_comment(draft=draft, user=member, agency=police, comment="Typo")
    client = verified_client(Client(), member)
    change_page = client.get(url("cspr:comment", review, draft.pk, comment.pk)).content.decode()
    withdraw = url("cspr:withdraw_comment", review, draft.pk, comment.pk)
    assert f'action="{withdraw}"' in change_page
    # The hospital's member cannot reach it: not found, nothing withdrawn.
    hospital = verified_client(Client(), reviewers["hospital_member"])
    assert hospital.post(withdraw).status_code == 404
    assert FactualAccuracyComment.objects.filter(pk=comment.pk).exists()
    response = client.post(withdraw, follow=True)
    assert response.redirect_chain[-1][0] == url("cspr:comments", review, draft.pk, police.pk)
    page = response.content.decode()
    assert "Comment withdrawn" in page and "No comments from Northbridge Police" in page
    assert not FactualAccuracyComment.objects.filter(pk=comment.pk).exists()
    # After the comments close, a withdrawal is refused with the reason, and nothing changes.
    other = services.add_comment(draft=draft, user=member, agency=police, comment="Stays")
    services.close_comments(draft=draft, user=reviewers["lead"])
    refused = client.post(
        url("cspr:withdraw_comment", review, draft.pk, other.pk), follow=True
    ).content.decode()
    assert "closed on" in refused
    assert FactualAccuracyComment.objects.filter(pk=other.pk).exists()


def test_no_comment_before_circulation_or_after_closing(review, reviewers, partners):
    lead, member, police = reviewers["lead"], reviewers["police_member"], partners["police"]
    draft = services.upload_draft(review=review, user=lead, upload=pdf())
    with pytest.raises(NotAllowed, match="has not been circulated"):
        services.add_comment(draft=draft, user=member, agency=police, comment="Early")
    services.circulate_draft(draft=draft, user=lead)
    services.close_comments(draft=draft, user=lead)
    with pytest.raises(NotAllowed, match="closed on"):
        services.add_comment(draft=draft, user=member, agency=police, comment="Late")


def test_the_lead_reviewer_responds_and_a_responded_comment_stays_as_it_was(
    review, reviewers, partners
):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    comment = services.add_comment(
        draft=draft, user=reviewers["police_member"], agency=partners["police"], comment="Wrong"
    )
    with pytest.raises(NotAllowed, match="Only the review's Lead Reviewer"):
        services.respond_to_comment(
            comment=comment, user=partners["pdeo"], outcome="changed", response="Fixed"
        )
    with pytest.raises(ValidationError) as refused:
        services.respond_to_comment(
            comment=comment, user=reviewers["lead"], outcome="", response=""
        )
    assert set(refused.value.message_dict) == {"outcome", "response"}
    services.respond_to_comment(
        comment=comment, user=reviewers["lead"], outcome="changed", response="Corrected in v2"
    )
    with pytest.raises(NotAllowed, match="has responded"):
        services.change_comment(comment=comment, user=reviewers["police_member"], text="Other")
    comment.refresh_from_db()
    assert (comment.comment, comment.response) == ("Wrong", "Corrected in v2")


def test_d14_is_met_when_the_last_agency_finishes(review, reviewers, partners):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    services.finish_comments(
        draft=draft, user=reviewers["police_member"], agency=partners["police"]
    )
    with pytest.raises(NotAllowed, match="marked complete"):
        services.add_comment(
            draft=draft, user=reviewers["police_member"], agency=partners["police"], comment="x"
        )
    assert d14(draft).met_on is None
    with time_machine.travel(date(2026, 11, 27), tick=False):
        services.finish_comments(
            draft=draft, user=reviewers["hospital_member"], agency=partners["hospital"]
        )
    draft.refresh_from_db()
    assert draft.comments_closed_on == date(2026, 11, 27)
    assert d14(draft).met_on == date(2026, 11, 27)
    assert d14(draft).status == Deadline.Status.MET


def test_closed_by_the_lead_reviewer_after_the_due_date_d14_is_met_late(review, reviewers):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))  # due 8 December
    with time_machine.travel(date(2026, 12, 10), tick=False):
        services.close_comments(draft=draft, user=reviewers["lead"])
    clock = d14(draft)
    assert clock.met_on == date(2026, 12, 10) and clock.met_on > clock.due_date
    assert clock.status == Deadline.Status.MISSED  # met, but late


# --- D14 chased by the reminder ladder ---


def recipients_on(day):
    chasing.chase(today=day)
    return {
        (r.recipient.full_name, r.rung)
        for r in Reminder.objects.filter(day=day, deadline__kind=Kind.FACTUAL_ACCURACY)
    }


def test_d14_is_chased_on_the_members_still_to_comment_then_escalated(review, reviewers, partners):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))  # due Tuesday 8 December
    # Two working days before: both agencies' members.
    assert recipients_on(date(2026, 12, 4)) == {
        ("Dee Police", "before"),
        ("Hana Hospital", "before"),
    }
    services.finish_comments(
        draft=draft, user=reviewers["police_member"], agency=partners["police"]
    )
    # On the day: only the hospital's member, who has not finished.
    assert recipients_on(date(2026, 12, 8)) == {("Hana Hospital", "due")}
    # The first working day overdue, then escalated to the Panel Chair 3 working days overdue.
    assert recipients_on(date(2026, 12, 9)) == {("Hana Hospital", "overdue-1")}
    escalated = recipients_on(date(2026, 12, 11))
    assert ("Ida ICB", "escalation") in escalated
    assert d14(draft).status == Deadline.Status.MISSED
    # Closed: nothing more.
    services.close_comments(draft=draft, user=reviewers["lead"])
    assert recipients_on(date(2026, 12, 14)) == set()


def test_whats_due_says_whom_d14_waits_on_and_links_to_the_draft(review, reviewers, partners):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    services.finish_comments(
        draft=draft, user=reviewers["police_member"], agency=partners["police"]
    )
    client = verified_client(Client(), partners["pdeo"])
    html = client.get(reverse("whats_due")).content.decode()
    assert "Factual-accuracy comments on the draft" in html
    assert "Northbridge Hospital (Case Review Panel)" in html
    assert links.href_for(d14(draft)) == reverse(
        "cspr:draft", args=[review.case.reference, draft.pk]
    )


# --- The pages ---


def url(name, review, *args):
    return reverse(name, args=[review.case.reference, *args])


def test_a_draft_of_the_wrong_type_is_a_govuk_error_and_nothing_is_saved(review, reviewers):
    client = verified_client(Client(), reviewers["lead"])
    services.upload_draft(review=review, user=reviewers["lead"], upload=pdf())
    response = client.post(
        url("cspr:drafts", review),
        {"upload": SimpleUploadedFile("report.txt", b"words"), "note": "Second go"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The draft must be a PDF, Word or OpenDocument text file" in html
    assert "Second go" in html  # what was typed is kept
    assert review.drafts.count() == 1
    response = client.post(url("cspr:drafts", review), {"upload": pdf(), "note": "Second go"})
    second = review.drafts.get(number=2)
    assert response.status_code == 302 and response["Location"] == url(
        "cspr:draft", review, second.pk
    )


def test_the_journey_through_the_pages(review, reviewers, partners):
    lead = verified_client(Client(), reviewers["lead"])
    lead.post(url("cspr:drafts", review), {"upload": pdf()})
    draft = review.drafts.get()
    lead.post(url("cspr:circulate", review, draft.pk))
    draft.refresh_from_db()
    assert draft.circulated_on is not None
    police = verified_client(Client(), reviewers["police_member"])
    hospital = verified_client(Client(), reviewers["hospital_member"])
    police_page = url("cspr:comments", review, draft.pk, partners["police"].pk)
    hospital_page = url("cspr:comments", review, draft.pk, partners["hospital"].pk)
    empty = police.post(police_page, {"where": "Page 3", "comment": ""})
    assert "govuk-error-summary" in empty.content.decode()
    assert "Page 3" in empty.content.decode()
    police.post(police_page, {"where": "Page 3", "comment": "Police attended on 4 March"})
    hospital.post(hospital_page, {"comment": "The hospital saw the child twice"})
    # Another agency's page, comment or "complete" button: not found, nothing changed.
    assert police.get(hospital_page).status_code == 404
    assert police.post(hospital_page, {"comment": "Sneaky"}).status_code == 404
    hospital_comment = FactualAccuracyComment.objects.get(agency=partners["hospital"])
    assert police.get(url("cspr:comment", review, draft.pk, hospital_comment.pk)).status_code == 404
    assert (
        police.post(
            url("cspr:comment", review, draft.pk, hospital_comment.pk), {"comment": "Changed"}
        ).status_code
        == 404
    )
    finish_hospital = url("cspr:finish_comments", review, draft.pk, partners["hospital"].pk)
    assert police.post(finish_hospital).status_code == 404
    hospital_comment.refresh_from_db()
    assert hospital_comment.comment == "The hospital saw the child twice"
    assert FactualAccuracyComment.objects.count() == 2
    # One page per draft: the police's member sees the police's comment only; the Lead
    # Reviewer sees both and responds.
    draft_page = url("cspr:draft", review, draft.pk)
    police_view = police.get(draft_page).content.decode()
    assert "Police attended on 4 March" in police_view
    assert "The hospital saw the child twice" not in police_view
    lead_view = lead.get(draft_page).content.decode()
    assert "Police attended on 4 March" in lead_view and "saw the child twice" in lead_view
    respond = url("cspr:respond", review, draft.pk, hospital_comment.pk)
    assert "govuk-error-summary" in lead.post(respond, {"response": ""}).content.decode()
    lead.post(respond, {"outcome": "changed", "response": "Corrected"})
    hospital_comment.refresh_from_db()
    assert hospital_comment.response == "Corrected"
    assert "Corrected" in hospital.get(draft_page).content.decode()
    # The police's member may not respond, even to the police's own comment.
    police_comment = FactualAccuracyComment.objects.get(agency=partners["police"])
    refused = police.post(
        url("cspr:respond", review, draft.pk, police_comment.pk),
        {"outcome": "not_changed", "response": "No"},
    ).content.decode()
    assert "govuk-error-summary" in refused and "Only the review&#x27;s Lead Reviewer" in refused
    police_comment.refresh_from_db()
    assert police_comment.response == ""
    download = police.get(url("cspr:draft_file", review, draft.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert_lost_file_is_not_found(police, url("cspr:draft_file", review, draft.pk), draft.file)


def test_the_draft_page_does_not_grow_with_comments(review, reviewers, partners):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    client = verified_client(Client(), reviewers["lead"])
    page = url("cspr:draft", review, draft.pk)

    def count():
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    services.add_comment(
        draft=draft, user=reviewers["police_member"], agency=partners["police"], comment="One"
    )
    small = count()
    for n in range(6):
        comment = services.add_comment(
            draft=draft,
            user=reviewers["hospital_member"],
            agency=partners["hospital"],
            comment=f"Comment {n}",
        )
        services.respond_to_comment(
            comment=comment, user=reviewers["lead"], outcome="changed", response="Yes"
        )
    assert count() == small
    lists = url("cspr:drafts", review)
    client.get(lists)
    with CaptureQueriesContext(connection) as few:
        client.get(lists)
    for _ in range(4):
        services.upload_draft(review=review, user=reviewers["lead"], upload=pdf())
    with CaptureQueriesContext(connection) as many:
        client.get(lists)
    assert len(few) == len(many)


def test_the_draft_page_reads_the_persons_appointments_on_the_review_once(
    review, reviewers, partners
):
    """Whether the reader leads the review, may draft, sees every agency's comments and speaks
    for an agency are asked by five parts of the page: one read of their appointments answers
    them all. What each part shows still depends on who is asking."""
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    police_comment = services.add_comment(
        draft=draft, user=reviewers["police_member"], agency=partners["police"], comment="Typo"
    )
    services.add_comment(
        draft=draft, user=reviewers["hospital_member"], agency=partners["hospital"], comment="Date"
    )
    page = url("cspr:draft", review, draft.pk)
    respond = url("cspr:respond", review, draft.pk, police_comment.pk)

    def read(person):
        client = verified_client(Client(), reviewers[person])
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        reads = [q["sql"] for q in queries if 'FROM "cspr_appointment"' in q["sql"]]
        return html, reads

    lead_html, lead_reads = read("lead")
    assert len(lead_reads) == 1, lead_reads
    assert "Typo" in lead_html and "Date" in lead_html  # every agency's comments
    assert respond in lead_html  # the Lead Reviewer responds
    police_html, police_reads = read("police_member")
    assert len(police_reads) == 1, police_reads
    assert "Typo" in police_html and "Date" not in police_html  # their own agency's only
    assert respond not in police_html


def test_the_comment_form_carries_its_one_time_token(review, reviewers, partners):
    """Sent twice (a double click), a comment is saved once."""
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    police = verified_client(Client(), reviewers["police_member"])
    page = url("cspr:comments", review, draft.pk, partners["police"].pk)
    html = police.get(page).content.decode()
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', html).group(1)
    for _ in range(2):
        police.post(page, {"comment": "Once only", "form_token": token})
    assert FactualAccuracyComment.objects.filter(comment="Once only").count() == 1


def test_a_crp_member_is_waited_on_until_their_agency_has_finished(review, reviewers, partners):
    from safeguarding import home

    def owed(person):
        return [o.text for o in home.waiting_for(person).items]

    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    wanted = "Comment on the draft report's facts for your agency"
    assert wanted in owed(reviewers["police_member"])
    assert wanted in owed(reviewers["hospital_member"])
    assert wanted not in owed(reviewers["chair"])  # the review's Chair comments for no agency
    item = next(o for o in home.waiting_for(reviewers["police_member"]).items if o.text == wanted)
    assert item.href == reverse("cspr:draft", args=[review.case.reference, draft.pk])
    assert item.due == date(2026, 12, 8)
    services.finish_comments(
        draft=draft, user=reviewers["police_member"], agency=partners["police"]
    )
    assert wanted not in owed(reviewers["police_member"])
    assert wanted in owed(reviewers["hospital_member"])
    services.close_comments(draft=draft, user=reviewers["lead"])
    assert wanted not in owed(reviewers["hospital_member"])


def test_only_a_current_crp_member_is_waited_on_for_their_agency(review, reviewers, partners):
    """The appointment decides: the same agency's Panel member who is not on this review's
    Case Review Panel owes nothing, and a member taken off the review stops owing at once."""
    from safeguarding import home

    def owed(person):
        return [o.text for o in home.waiting_for(person).items]

    circulated(review, reviewers, on=date(2026, 11, 24))
    wanted = "Comment on the draft report's facts for your agency"
    assert wanted not in owed(reviewers["police_member_2"])  # police, but not appointed
    appointment = Appointment.objects.get(
        review=review, user=reviewers["hospital_member"], role=R.CRP_MEMBER
    )
    services.remove(appointment=appointment, user=partners["pdeo"], reason="Left the post")
    assert wanted not in owed(reviewers["hospital_member"])
    assert wanted in owed(reviewers["police_member"])


def test_an_agencys_comments_page_does_not_grow_with_its_comments(review, reviewers, partners):
    draft = circulated(review, reviewers, on=date(2026, 11, 24))
    member = reviewers["police_member"]
    client = verified_client(Client(), member)
    page = url("cspr:comments", review, draft.pk, partners["police"].pk)

    def count():
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    services.add_comment(draft=draft, user=member, agency=partners["police"], comment="One")
    small = count()
    for n in range(5):
        services.add_comment(draft=draft, user=member, agency=partners["police"], comment=f"{n}")
    assert count() == small


def test_the_change_page_offers_nothing_it_would_refuse(review, reviewers, partners):
    """Reached by a stale link or the back button once the Lead Reviewer has responded, or
    once comments have closed: the page says why, with no form and no withdraw button."""
    draft = circulated(review, reviewers)
    member, police = reviewers["police_member"], partners["police"]
    answered = services.add_comment(draft=draft, user=member, agency=police, comment="Typo")
    pending = services.add_comment(draft=draft, user=member, agency=police, comment="Later")
    services.respond_to_comment(
        comment=answered, user=reviewers["lead"], outcome="changed", response="Done"
    )
    client = verified_client(Client(), member)

    def change_page(comment):
        return client.get(url("cspr:comment", review, draft.pk, comment.pk)).content.decode()

    change_form = '<form method="post" novalidate>'
    page = change_page(answered)
    assert "The Lead Reviewer has responded to this comment" in page
    assert change_form not in page and "Withdraw the comment" not in page
    page = change_page(pending)  # not yet responded to: both offered
    assert 'data-testid="comment-fixed"' not in page
    withdraw = url("cspr:withdraw_comment", review, draft.pk, pending.pk)
    assert change_form in page and f'action="{withdraw}"' in page
    services.close_comments(draft=draft, user=reviewers["lead"])
    page = change_page(pending)
    assert f"Comments on version {draft.number} closed on" in page
    assert change_form not in page and f'action="{withdraw}"' not in page


def test_the_reviews_page_asks_who_works_on_it_of_the_team_it_lists(review, reviewers):
    """The review's page lists its team, and whether the reader works on the review (the Lead
    Reviewer and the Chair do; a Case Review Panel member does not) is read from that list:
    one read of the appointments, and what each may do still depends on who asks."""
    page = reverse("cspr:detail", args=[review.case.reference])
    themes = reverse("cspr:themes", args=[review.case.reference])

    def read(person):
        client = verified_client(Client(), reviewers[person])
        client.get(page)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        return html, [q["sql"] for q in queries if 'FROM "cspr_appointment"' in q["sql"]]

    for person, works_on in (("lead", True), ("chair", True), ("police_member", False)):
        html, reads = read(person)
        assert len(reads) == 1, (person, reads)
        assert (themes in html) is works_on, person


def test_the_reviewers_and_members_home_pages_read_only_what_their_lines_show(
    review, reviewers, partners
):
    """What a Lead Reviewer is asked for, the review's clocks and the comments an agency owes
    each show the case's reference and pseudonym: never the review's reasons or key lines of
    enquiry, nor the case's outline (free text about the child), and no field they show is
    left to a query of its own."""
    services.record_reviewer_request(
        review=review,
        user=partners["pdeo"],
        kind="information",
        details="The school's attendance records",
        asked_on=date(2026, 11, 24),
    )
    circulated(review, reviewers, on=date(2026, 11, 24))
    label = f"{review.case.reference} – {review.case.pseudonym}"
    for person, owed in (
        (
            "lead",
            ("Send the information the partnership asked for", "Complete and publish the local"),
        ),
        ("police_member", ("Comment on the draft report",)),
    ):
        client = verified_client(Client(), reviewers[person])
        html, selects = page_reads(client, reverse("home"))
        waiting = html.split('data-testid="waiting-list"')[1].split("</ul>")[0]
        for text in owed:
            assert text in waiting, (person, text)
        assert label in waiting, person
        assert not reads_beyond_its_lines(selects), person
