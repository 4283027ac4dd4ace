from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguarding.audit.models import AccessLog
from safeguarding.contributions import selectors, services
from safeguarding.contributions.models import ChronologyEntry

from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(notified_case, partners):
    made = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"], partners["hospital"]],
        questions="Your involvement",
    )
    for request, author in zip(made, ["police_contributor", "hospital_contributor"], strict=True):
        services.save_response(
            request=request, user=partners[author], expected_version=1, summary="Summary"
        )
    return dict(zip(["police", "hospital"], made, strict=True))


def add_entries(request, count, start=date(2026, 1, 1)):
    ChronologyEntry.objects.bulk_create(
        [
            ChronologyEntry(
                request=request,
                case_id=request.case_id,
                agency_id=request.agency_id,
                date=start + timedelta(days=i % 200),
                what_happened=f"Event {i}",
            )
            for i in range(count)
        ]
    )


def accept(requests, partners):
    for request, author in zip(
        requests.values(), ["police_contributor", "hospital_contributor"], strict=True
    ):
        services.submit_response(request=request, user=partners[author])
        services.accept_response(request=request, user=partners["pdeo"])


def test_only_accepted_entries_same_day_side_by_side_and_filters(accepted, partners, fetch_file):
    police, hospital = accepted["police"], accepted["hospital"]
    services.add_entry(
        request=police,
        user=partners["police_contributor"],
        date=date(2026, 10, 3),
        what_happened="Police attended",
    )
    services.add_entry(
        request=hospital,
        user=partners["hospital_contributor"],
        date=date(2026, 10, 3),
        what_happened="Seen in A&E",
    )
    services.add_entry(
        request=hospital,
        user=partners["hospital_contributor"],
        date=date(2026, 9, 1),
        what_happened="Health visit",
    )
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("requests:chronology", args=[police.case.reference])
    assert "Police attended" not in client.get(url).content.decode()  # not accepted yet
    accept(accepted, partners)
    html = client.get(url).content.decode()
    assert html.index("Health visit") < html.index("Police attended")
    day = html.split("3 October 2026")[1].split('app-chronology-day"')[0]
    assert "Police attended" in day and "Seen in A&amp;E" in day
    assert police.agency.name in day and hospital.agency.name in day
    filtered = client.get(url, {"agency": police.agency_id}).content.decode()
    assert "Police attended" in filtered and "Health visit" not in filtered
    ranged = client.get(
        url, {"date_from_0": "1", "date_from_1": "10", "date_from_2": "2026"}
    ).content.decode()
    assert "Health visit" not in ranged and "Police attended" in ranged
    bad = client.get(url, {"date_from_0": "31", "date_from_1": "2", "date_from_2": "x"})
    assert bad.status_code == 200
    assert "govuk-error-summary" in bad.content.decode()
    bad = client.get(url, {"date_from_0": "not-a-date", "agency": "9" * 30})
    assert bad.status_code == 200

    csv = fetch_file(client, reverse("requests:chronology_csv", args=[police.case.reference]))
    body = b"".join(csv.streaming_content).decode()
    assert body.splitlines()[0] == "Date,Time,Agency,What happened,Who,Significance"
    assert "2026-09-01" in body and "Police attended" in body
    assert AccessLog.objects.filter(action="export").count() == 1


def test_the_page_reads_each_entry_as_it_is(accepted, partners):
    """The page reads rows of what it shows (`selectors.shown`), not the entries: each
    row must say what its entry says, in the chronology's order."""
    add_entries(accepted["police"], 3)
    add_entries(accepted["hospital"], 3, start=date(2026, 1, 2))
    ChronologyEntry.objects.filter(what_happened="Event 1").update(
        time=time(9, 30), who="PC 12", significance="Seen with the child"
    )
    accept(accepted, partners)
    entries = selectors.integrated_chronology(accepted["police"].case)
    expected = [
        (e.date, e.time, e.agency.name, e.who, e.what_happened, e.significance) for e in entries
    ]
    rows = list(selectors.shown(entries))
    assert [tuple(row) for row in rows] == expected
    assert rows[0]._fields == selectors.SHOWN
    assert {row.agency_name for row in rows} == {
        accepted["police"].agency.name,
        accepted["hospital"].agency.name,
    }
    assert ("PC 12", "Seen with the child") in {(row.who, row.significance) for row in rows}


def test_chronology_page_queries_do_not_grow_with_entries(accepted, partners):
    add_entries(accepted["police"], 5)
    add_entries(accepted["hospital"], 5)
    accept(accepted, partners)
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("requests:chronology", args=[accepted["police"].case.reference])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    ten = count()
    add_entries(accepted["police"], 245, start=date(2025, 6, 1))
    add_entries(accepted["hospital"], 245, start=date(2025, 6, 1))
    assert ChronologyEntry.objects.count() == 500
    assert count() == ten


def test_chronology_pdf_has_the_entries_and_the_marking(accepted, partners, fetch_file):
    from io import BytesIO

    from pypdf import PdfReader

    add_entries(accepted["police"], 120)
    accept(accepted, partners)
    client = verified_client(Client(), partners["pdeo"])
    response = fetch_file(
        client, reverse("requests:chronology_pdf", args=[accepted["police"].case.reference])
    )
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(b"".join(response.streaming_content)))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "OFFICIAL-SENSITIVE" in page.extract_text()
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Event 0" in text and "Event 119" in text
    assert AccessLog.objects.filter(action="pdf").count() == 1


def test_request_list_and_task_list_queries_do_not_grow(notified_case, partners):
    from rapid_reviews import services as rapid_review_services
    from safeguarding.accounts.models import Agency

    pdeo = partners["pdeo"]
    rapid_review_services.open_rapid_review(case=notified_case, user=pdeo)
    client = verified_client(Client(), pdeo)
    urls = [
        reverse("requests:list"),
        reverse("rapid_reviews:detail", args=[notified_case.reference]),
        reverse("cases:detail", args=[notified_case.reference]),
    ]

    def counts():
        result = []
        for url in urls:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    services.send_requests(
        case=notified_case, user=pdeo, agencies=[partners["police"]], questions="q"
    )
    one = counts()
    more = [Agency.objects.create(name=f"Agency {i}", kind="other") for i in range(6)]
    services.send_requests(case=notified_case, user=pdeo, agencies=more, questions="q")
    assert counts() == one
