"""Files built in the background: asking returns at once with a progress page; the worker
builds the file; only the person who asked downloads it, through the gate and the access log,
every time."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safeguarding.accounts.roles import VIEW_CASE
from safeguarding.audit.models import AccessLog
from safeguarding.cases import services as case_services
from safeguarding.celery import app
from safeguarding.files import building, kinds, services
from safeguarding.files.models import GeneratedFile

from ..contributions.test_chronology import accept, add_entries
from ..helpers import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker():
    """As on a machine whose worker is not running: tasks are queued, nothing runs them."""
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def chronology(notified_case, partners):
    from safeguarding.contributions import services as contributions

    made = contributions.send_requests(
        case=notified_case,
        user=partners["pdeo"],
        agencies=[partners["police"], partners["hospital"]],
        questions="Your involvement",
    )
    requests = dict(zip(["police", "hospital"], made, strict=True))
    for request, author in zip(made, ["police_contributor", "hospital_contributor"], strict=True):
        contributions.save_response(
            request=request, user=partners[author], expected_version=1, summary="Summary"
        )
    add_entries(requests["police"], 300)
    add_entries(requests["hospital"], 300)
    accept(requests, partners)
    return notified_case


def test_a_600_entry_chronology_pdf_asked_with_no_worker_returns_at_once(
    chronology, partners, no_worker, django_capture_on_commit_callbacks
):
    client = verified_client(Client(), partners["pdeo"])
    url = reverse("requests:chronology_pdf", args=[chronology.reference])
    form = client.get(url)
    assert form.status_code == 200 and "Create the file" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(url)
    assert asked.status_code == 302
    generated = GeneratedFile.objects.get()
    assert asked.url == reverse("files:status", kwargs={"pk": generated.pk})
    assert generated.status == GeneratedFile.Status.QUEUED  # nothing built in the request
    progress = client.get(asked.url).content.decode()
    assert "Waiting to start" in progress and "0% done" in progress
    assert "Check again" in progress
    assert client.get(reverse("files:download", kwargs={"pk": generated.pk})).status_code == 404
    state = client.get(reverse("files:status_json", kwargs={"pk": generated.pk})).json()
    assert state["status"] == "queued" and state["download_url"] == ""

    building.build(file_id=generated.pk)  # what the worker does
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.READY and generated.progress == 100
    assert generated.requested_by == partners["pdeo"] and generated.sha256
    state = client.get(reverse("files:status_json", kwargs={"pk": generated.pk})).json()
    assert state["download_url"] == reverse("files:download", kwargs={"pk": generated.pk})
    response = client.get(state["download_url"])
    assert response["Cache-Control"] == "private, no-store"
    text = "".join(
        page.extract_text()
        for page in PdfReader(BytesIO(b"".join(response.streaming_content))).pages
    )
    assert "Event 0" in text and "Event 299" in text and "OFFICIAL-SENSITIVE" in text
    log = AccessLog.objects.get(action=AccessLog.Action.PDF)
    assert log.user == partners["pdeo"] and log.object_id == str(chronology.pk)
    assert "600 entries" in log.object_repr


def test_building_twice_builds_once(chronology, partners, no_worker):
    generated = services.request_file(
        user=partners["pdeo"], kind="chronology_csv", params={"reference": chronology.reference}
    )
    assert building.build(file_id=generated.pk) is not None
    assert building.build(file_id=generated.pk) is None  # a repeated message does nothing


def test_only_the_person_who_asked_sees_the_file_and_the_gate_is_checked_again(
    chronology, partners, fetch_file
):
    pdeo = partners["pdeo"]
    client = verified_client(Client(), pdeo)
    first = fetch_file(client, reverse("requests:chronology_csv", args=[chronology.reference]))
    assert first.status_code == 200
    generated = GeneratedFile.objects.get()
    other = verified_client(Client(), partners["icb_signer"])  # the Chair: sees the case
    for name in ("files:status", "files:status_json", "files:download"):
        assert other.get(reverse(name, kwargs={"pk": generated.pk})).status_code == 404
    # The PDEO declares a conflict of interest: the case, and the file about it, are gone.
    case_services.declare_conflict(case=chronology, user=pdeo, nature="Family friend")
    assert client.get(reverse("files:download", kwargs={"pk": generated.pk})).status_code == 404
    assert AccessLog.objects.filter(action=AccessLog.Action.EXPORT).count() == 1


def test_a_file_that_cannot_be_made_says_so_without_detail(partners, notified_case, caplog):
    def broken(subject, params, user, progress):
        progress(10, "Starting")
        raise RuntimeError("secret detail about Casey Realname")

    kinds.register(
        kinds.FileKind(
            name="broken_for_test",
            permission=VIEW_CASE,
            subject=lambda user, params: None,
            build=broken,
            title=lambda subject, params: "A broken file",
            action=AccessLog.Action.PDF,
        )
    )
    generated = services.request_file(user=partners["pdeo"], kind="broken_for_test", params={})
    building.build(file_id=generated.pk)
    generated.refresh_from_db()
    assert generated.status == GeneratedFile.Status.FAILED
    assert generated.error == building.FAILED_MESSAGE
    page = verified_client(Client(), partners["pdeo"]).get(
        reverse("files:status", kwargs={"pk": generated.pk})
    )
    assert building.FAILED_MESSAGE in page.content.decode()
    assert "Casey" not in page.content.decode()


def test_the_sweep_asks_again_for_lost_files_and_fails_dead_ones(chronology, partners, no_worker):
    lost = services.request_file(
        user=partners["pdeo"], kind="chronology_csv", params={"reference": chronology.reference}
    )
    dead = services.request_file(
        user=partners["pdeo"], kind="chronology_csv", params={"reference": chronology.reference}
    )
    GeneratedFile.objects.filter(pk=lost.pk).update(
        requested_at=timezone.now() - building.REQUEUE_AFTER - timedelta(minutes=1)
    )
    GeneratedFile.objects.filter(pk=dead.pk).update(
        status=GeneratedFile.Status.BUILDING,
        started_at=timezone.now() - building.GIVE_UP_AFTER - timedelta(minutes=1),
    )
    assert building.stale_queued() == [lost.pk]
    assert building.give_up() == 1
    dead.refresh_from_db()
    assert dead.status == GeneratedFile.Status.FAILED
