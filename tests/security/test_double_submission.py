"""Sending the same form twice (a double click, a resend after a slow page) saves it once and
shows the first result, whether the second arrives after the first or at the same moment."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from notifications.models import Referral
from safeguarding.accounts.models import Agency
from safeguarding.accounts.roles import Role
from safeguarding.cases.models import Case
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import ChronologyEntry
from safeguarding.web import ALREADY_SAVED, FORM_TOKEN

from ..conftest import need
from ..factories import UserFactory
from ..helpers import verified_client


def token_of(client, url):
    form = client.get(url).context["form"]
    # A formset's token rides in a small form of its own (web.TokenForm).
    form = getattr(form, "token_form", form)
    return form[FORM_TOKEN].value()


def entry_data(token):
    # Chronology entries are added several at a time (a formset): one row filled in.
    return {
        FORM_TOKEN: token,
        "entries-TOTAL_FORMS": "2",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "20",
        "entries-0-date_0": "1",
        "entries-0-date_1": "10",
        "entries-0-date_2": "2026",
        "entries-0-what_happened": "Seen at the clinic.",
    }


@pytest.mark.django_db
def test_a_chronology_entry_sent_twice_is_saved_once(notified_case, partners):
    (request,) = contributions.send_requests(
        case=notified_case, user=partners["pdeo"], agencies=[partners["police"]], questions="q"
    )
    client = verified_client(Client(), partners["police_contributor"])
    url = reverse("requests:entry_add", kwargs={"pk": request.pk})
    token = token_of(client, url)
    first = client.post(url, entry_data(token))
    second = client.post(url, entry_data(token), follow=True)
    assert first.status_code == 302
    assert second.redirect_chain[0][0] == first.url  # the first result, again
    assert ALREADY_SAVED in second.content.decode()
    assert ChronologyEntry.objects.filter(request=request).count() == 1
    # A new form (a new token) adds a second entry, as asked.
    client.post(url, entry_data(token_of(client, url)))
    assert ChronologyEntry.objects.filter(request=request).count() == 2


@pytest.mark.django_db
def test_every_form_an_agency_answers_with_carries_its_token(notified_case, partners):
    """The permission matrix walks the service forms as the PDEO; these are the agency's (the
    several-entries page is a formset: its token is rendered beside the rows)."""
    (request,) = contributions.send_requests(
        case=notified_case, user=partners["pdeo"], agencies=[partners["police"]], questions="q"
    )
    client = verified_client(Client(), partners["police_contributor"])
    for name in ("response", "entry_add", "document_add", "upload", "submit", "nil_return"):
        response = client.get(reverse(f"requests:{name}", kwargs={"pk": request.pk}))
        assert response.status_code == 200, name
        assert f'name="{FORM_TOKEN}"' in response.content.decode(), name


def referral_data(token, agency):
    return {
        FORM_TOKEN: token,
        "referring_agency": agency.pk,
        "referrer_name": "Dr R",
        "received_on_0": "2",
        "received_on_1": "11",
        "received_on_2": "2026",
        "child_name": "Sam Child",
        "nature": "serious_harm",
        "what_happened": "Admitted with injuries.",
        "why_serious": "Abuse suspected.",
    }


@pytest.mark.django_db
def test_a_referral_sent_twice_makes_one_case(make_user):
    agency = Agency.objects.create(name="Northbridge Hospital", kind="health_provider")
    client = verified_client(Client(), make_user(Role.PDEO, agency=agency))
    url = reverse("notifications:referral_new")
    token = token_of(client, url)
    first = client.post(url, referral_data(token, agency))
    second = client.post(url, referral_data(token, agency))
    assert first.status_code == 302 and second.status_code == 302
    assert second.url == first.url
    assert Case.objects.count() == 1 and Referral.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_referral_sent_twice_at_the_same_moment_makes_one_case():
    need(connection.vendor == "postgresql", "concurrency is tested on PostgreSQL")
    agency = Agency.objects.create(name="Northbridge Hospital", kind="health_provider")
    pdeo = UserFactory(roles=[Role.PDEO], agency=agency)
    url = reverse("notifications:referral_new")
    token = token_of(verified_client(Client(), pdeo), url)
    start = threading.Barrier(3)
    answers = []

    def send():
        client = verified_client(Client(), pdeo)
        start.wait()
        try:
            answers.append(client.post(url, referral_data(token, agency)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [302, 302, 302]
    assert len({a.url for a in answers}) == 1  # everyone sees the one case made
    assert Case.objects.count() == 1 and Referral.objects.count() == 1
