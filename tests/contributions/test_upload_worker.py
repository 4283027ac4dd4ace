"""The real thing: a Celery worker process on Redis checks a large uploaded chronology, then
adds its entries, while the pages return at once."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.contributions import services, uploading
from safeguarding.contributions.models import ChronologyEntry, ChronologyUpload

from ..helpers import verified_client
from .spreadsheets import upload, xlsx

pytestmark = [pytest.mark.real_services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared_uploads(tmp_path, settings, monkeypatch):
    """The web side and the worker keep uploads in one place (UPLOAD_ROOT, read by the worker
    process at start)."""
    root = tmp_path / "uploads"
    root.mkdir()
    settings.MEDIA_ROOT = root
    monkeypatch.setenv("UPLOAD_ROOT", str(root))
    monkeypatch.setattr(uploading, "INLINE_CHECK_MAX_BYTES", {"xlsx": 0, "csv": 0})
    monkeypatch.setattr(uploading, "INLINE_ADD_MAX_ENTRIES", 0)
    return root


@pytest.fixture
def worker(shared_uploads, celery_worker_process):
    return celery_worker_process


def test_the_worker_checks_and_adds_a_large_chronology(notified_case, partners, worker):
    (request,) = services.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"]],
        questions="Your chronology",
        period_from=date(2024, 1, 1),
    )
    rows = [
        [date(2024, 1, 1) + timedelta(days=i % 600), None, f"Event {i}", "Officer", ""]
        for i in range(5000)
    ]
    client = verified_client(Client(), partners["police_contributor"])
    response = client.post(
        reverse("requests:upload", args=[request.pk]),
        {"file": upload("police-chronology.xlsx", xlsx(rows))},
    )
    assert response.status_code == 302  # at once: the worker has it
    made = ChronologyUpload.objects.get(request=request)

    def status_is(wanted):
        return lambda: ChronologyUpload.objects.get(pk=made.pk).status == wanted or None

    worker.wait_for(status_is(ChronologyUpload.Status.CHECKED), timeout=120)
    made.refresh_from_db()
    assert made.row_count == 5000
    assert not made.pending_file
    assert not list(worker_files())  # the file itself is gone

    response = client.post(reverse("requests:upload_add", args=[request.pk, made.pk]))
    assert response.url == reverse("requests:upload_status", args=[request.pk, made.pk])
    worker.wait_for(status_is(ChronologyUpload.Status.ADDED), timeout=120)
    assert ChronologyEntry.objects.filter(request=request, upload=made).count() == 5000
    page = client.get(response.url).content.decode()
    assert "Entries added" in page


def worker_files():
    from django.conf import settings

    return (p for p in (settings.MEDIA_ROOT / "chronology-uploads").rglob("*") if p.is_file())
