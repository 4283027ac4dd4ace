"""Who may read what a case says. Free text and files can hold a child's name however careful
the agency is (a nickname, a misspelling, a scanned letter), so the rule is about who reads,
not what is shown: outside the partnership-wide roles, only the case team reads free text and
files; a Panel member who is not on the team sees the reference, pseudonym and status only."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from rapid_reviews import services as rapid_review_services
from safeguarding.accounts.roles import Role
from safeguarding.cases import services as case_services
from safeguarding.cases.models import CaseTeamMember
from safeguarding.contributions import services as contributions

from ..factories import UserFactory
from ..helpers import verified_client

pytestmark = pytest.mark.django_db

NAME_IN_TEXT = "Casey (Realname) was seen"


@pytest.fixture
def written(notified_case, partners, settings, tmp_path):
    """An agency's response, entry and document that name the child in their free text."""
    settings.MEDIA_ROOT = tmp_path
    pdeo, police = partners["pdeo"], partners["police"]
    rapid_review_services.open_rapid_review(case=notified_case, user=pdeo)
    (request,) = contributions.send_requests(
        case=notified_case, user=pdeo, agencies=[police], questions="Your involvement"
    )
    author = partners["police_contributor"]
    contributions.save_response(
        request=request, user=author, expected_version=1, summary=NAME_IN_TEXT
    )
    entry = contributions.add_entry(
        request=request, user=author, date=date(2026, 10, 1), what_happened=NAME_IN_TEXT
    )
    document = contributions.add_document(
        request=request,
        user=author,
        upload=SimpleUploadedFile("letter.txt", NAME_IN_TEXT.encode(), "text/plain"),
    )
    contributions.submit_response(request=request, user=author)
    contributions.accept_response(request=request, user=pdeo)
    return {"request": request, "entry": entry, "document": document}


def reading_pages(case, written):
    ref = case.reference
    return [
        reverse("requests:detail", kwargs={"pk": written["request"].pk}),
        reverse("requests:document", kwargs={"pk": written["document"].pk}),
        reverse("requests:chronology", kwargs={"reference": ref}),
        reverse("rapid_reviews:detail", kwargs={"reference": ref}),
        reverse("rapid_reviews:sign_off", kwargs={"reference": ref}),
        reverse("rapid_reviews:pdf", kwargs={"reference": ref}),
    ]


def test_a_panel_member_off_the_team_sees_the_case_but_reads_nothing_written(
    notified_case, partners, written
):
    member = UserFactory(roles=[Role.PANEL_MEMBER], agency=partners["police"])
    client = verified_client(Client(), member)
    case_page = client.get(reverse("cases:detail", kwargs={"reference": notified_case.reference}))
    assert case_page.status_code == 200
    html = case_page.content.decode()
    assert notified_case.reference in html and notified_case.pseudonym in html
    assert notified_case.outline not in html and "Casey" not in html
    for url in reading_pages(notified_case, written):
        assert client.get(url).status_code == 404, url
    listed = client.get(reverse("requests:list")).content.decode()
    assert notified_case.reference not in listed

    # On the case team, the same person reads it all; off it again, nothing.
    team = case_services.add_team_member(
        case=notified_case,
        user=member,
        role=CaseTeamMember.Role.PANEL_MEMBER,
        added_by=partners["pdeo"],
    )
    for url in reading_pages(notified_case, written):
        assert client.get(url).status_code == 200, url
    assert (
        "Casey Realname"
        in client.get(
            reverse("cases:detail", kwargs={"reference": notified_case.reference})
        ).content.decode()
    )
    case_services.remove_team_member(member=team)
    for url in reading_pages(notified_case, written):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "role", [Role.BUSINESS_MANAGER, Role.PDEO, Role.PANEL_CHAIR, Role.DEPUTY_CHAIR]
)
def test_partnership_wide_roles_read_every_case(notified_case, partners, written, role):
    client = verified_client(Client(), UserFactory(roles=[role], agency=partners["la"]))
    for url in reading_pages(notified_case, written):
        assert client.get(url).status_code == 200, (role, url)
