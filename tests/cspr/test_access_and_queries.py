"""Every local review URL probed as a removed Lead Reviewer (nothing left to see), and the
review pages and lists cost the same number of queries however much is on them."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from cspr import services
from cspr.models import Appointment, LocalReview
from tests.factories import CaseFactory
from tests.helpers import page_queries, page_reads, reads_beyond_its_lines, verified_client
from tests.security.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db
R = Appointment.Role


def case_urls(reference):
    urls = []
    for name, (_, target_kind, _) in MATRIX.items():
        if not name.startswith("cspr:") or target_kind != "case":
            continue
        kwargs = {"reference": reference}
        if name == "cspr:remove":
            kwargs["appointment_id"] = 1
        if name == "cspr:reviewer_answered":
            kwargs["request_id"] = 1
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


def test_a_removed_lead_reviewer_reaches_nothing_of_the_review(signed_off, partners, reviewers):
    review = LocalReview.objects.get(case=signed_off().case)
    pdeo, lead = partners["pdeo"], reviewers["lead"]
    appointment = services.appoint(review=review, user=pdeo, person=lead, role=R.LEAD_REVIEWER)
    client = verified_client(Client(), lead)
    urls = case_urls(review.case.reference)
    assert len(urls) >= 15
    before = {name: client.get(url).status_code for name, url in urls}
    assert before["cspr:detail"] == 200 and before["cspr:terms"] == 200
    services.remove(appointment=appointment, user=pdeo)
    for name, url in urls:
        status = client.get(url).status_code
        assert status in (403, 404), (name, status)
        if before[name] == 200:
            assert status == 404, name
        assert client.post(url).status_code in (403, 404), name


def test_the_review_page_and_the_lists_do_not_grow_with_data(partners, reviewers, today):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)

    def start(n):
        for _ in range(n):
            services.start_local_review(
                case=CaseFactory(user=pdeo),
                user=pdeo,
                decided_on=date(2026, 11, 2),
                decided_by="The partners",
            )

    start(3)
    review = LocalReview.objects.first()
    page = reverse("cspr:detail", kwargs={"reference": review.case.reference})
    lists = [reverse("cspr:to_commission"), reverse("home"), page]
    small = [page_queries(client, url) for url in lists]
    start(12)
    for member in ("hospital_member", "police_member"):
        services.appoint(review=review, user=pdeo, person=reviewers[member], role=R.CRP_MEMBER)
    services.appoint(review=review, user=pdeo, person=reviewers["lead"], role=R.LEAD_REVIEWER)
    services.appoint(review=review, user=pdeo, person=reviewers["chair"], role=R.REVIEW_CHAIR)
    large = [page_queries(client, url) for url in lists]
    assert small == large, f"{small} queries with 3 reviews, {large} with 15"


def test_reviews_to_commission_are_paged_oldest_decision_first(partners):
    """Ten years of decided reviews are pages of 25, not one page of a thousand."""
    pdeo = partners["pdeo"]
    references = []
    for day in range(1, 28):
        review = services.start_local_review(
            case=CaseFactory(user=pdeo),
            user=pdeo,
            decided_on=date(2026, 10, day),
            decided_by="The partners",
        )
        references.append(review.case.reference)
    client = verified_client(Client(), pdeo)
    first = client.get(reverse("cspr:to_commission")).content.decode()
    second = client.get(reverse("cspr:to_commission") + "?page=2").content.decode()
    assert first.count('data-testid="to-commission"') == 25
    assert second.count('data-testid="to-commission"') == 2
    assert references[0] in first and references[-1] in second and references[-1] not in first
    assert "1 of 2" in first and 'rel="next"' in first


def test_reviews_to_commission_read_only_what_their_rows_show(partners):
    """A row shows the case's reference and pseudonym, the decision's date and its key lines
    of enquiry: not the decision's reasons or the case's outline, and no field a row shows is
    left to a query of its own."""
    pdeo = partners["pdeo"]
    review = services.start_local_review(
        case=CaseFactory(user=pdeo),
        user=pdeo,
        decided_on=date(2026, 10, 5),
        decided_by="The partners",
        reasons="Why the partners decided",
        key_lines_of_enquiry="- How the school shared its concerns",
    )
    client = verified_client(Client(), pdeo)
    html, selects = page_reads(client, reverse("cspr:to_commission"))
    assert review.case.reference in html and review.case.pseudonym in html
    assert "5 October 2026" in html and "How the school shared its concerns" in html
    assert not reads_beyond_its_lines(selects, shows=['"key_lines_of_enquiry"'])
