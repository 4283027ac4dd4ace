import os
from datetime import date

import pytest
import time_machine

from safeguarding.accounts.roles import Role

from .factories import AgencyFactory, UserFactory

TODAY = date(2026, 11, 24)

# Sync Playwright runs an event loop in the test thread; Django's ORM must still be usable there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI sets this: a test that needs a real service fails instead of skipping when it is missing.
REQUIRE_REAL_SERVICES = os.environ.get("REQUIRE_REAL_SERVICES") == "1"


def need(condition, reason):
    """Skip when a real part is missing here; in CI, fail instead."""
    if condition:
        return
    if REQUIRE_REAL_SERVICES:
        pytest.fail(f"required in CI but missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing kept (the navigation's count is kept per person id, and
    ids come round again from test to test)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency(db):
    return AgencyFactory(name="Northbridge Police", kind="police")


@pytest.fixture
def make_user(db):
    def make(*roles, **kwargs):
        return UserFactory(roles=list(roles), **kwargs)

    return make


@pytest.fixture
def pdeo(make_user):
    return make_user(Role.PDEO)


@pytest.fixture
def business_manager(make_user):
    return make_user(Role.BUSINESS_MANAGER)


def broker_is_redis_and_up(url):
    if not url.startswith("redis://"):
        return False
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return False


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker, in its own process, on a real Redis, sharing the test database.

    The broker comes from CELERY_BROKER_URL when the suite starts (CI points it at Redis); this
    fixture only stops the test process running tasks eagerly, and starts a worker on the same
    broker and queue.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    from safeguarding.celery import app

    url = app.conf.broker_url
    need(broker_is_redis_and_up(url), f"CELERY_BROKER_URL is not a reachable Redis ({url})")
    need(connection.vendor == "postgresql", "the worker needs a shared database (PostgreSQL)")

    db = connection.settings_dict
    db_url = (
        f"postgres://{db['USER'] or ''}:{db['PASSWORD'] or ''}@"
        f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = app.conf.task_default_queue
    app.control.purge()  # nothing left over from an earlier run
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DATABASE_URL": db_url,
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    log_path = tmp_path / "worker.log"
    node = f"pytest-{os.getpid()}@{os.uname().nodename}"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safeguarding",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "-n",
                node,
            ],
            cwd=Path(__file__).resolve().parents[1],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def wait_for(predicate, timeout=60):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if proc.poll() is not None:
                pytest.fail(f"worker exited:\n{log_path.read_text()}")
            result = predicate()
            if result:
                return result
            time.sleep(0.2)
        pytest.fail(f"timed out; worker log:\n{log_path.read_text()}")

    app.conf.task_always_eager = False
    try:
        wait_for(lambda: app.control.ping(destination=[node], timeout=1))

        class Worker:
            process = proc
            mail_path = mail_dir

        Worker.wait_for = staticmethod(wait_for)
        yield Worker
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


# A partnership with its three safeguarding partners, people to sign and to answer, and a case
# notified to the national Panel: what the rapid review and contribution tests start from.


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


@pytest.fixture
def partners(db):
    from safeguarding.accounts.models import Agency

    la = Agency.objects.create(name="Northbridge Council", kind="local_authority")
    police = Agency.objects.create(name="Northbridge Police", kind="police")
    icb = Agency.objects.create(name="Northbridge ICB", kind="icb")
    hospital = Agency.objects.create(name="Northbridge Hospital", kind="health_provider")
    return {
        "la": la,
        "police": police,
        "icb": icb,
        "hospital": hospital,
        "pdeo": UserFactory(roles=[Role.PDEO], agency=la, full_name="Pat Deo"),
        "la_signer": UserFactory(
            roles=[Role.DEPUTY_CHAIR],
            agency=la,
            full_name="Lee Council",
            job_title="Head of Service",
        ),
        "police_signer": UserFactory(
            roles=[Role.PANEL_MEMBER], agency=police, full_name="Dee Police", job_title="DCI"
        ),
        "icb_signer": UserFactory(
            roles=[Role.PANEL_CHAIR],
            agency=icb,
            full_name="Ida ICB",
            job_title="Director of Nursing",
        ),
        "police_contributor": UserFactory(
            roles=[Role.AGENCY_CONTRIBUTOR], agency=police, email="police.contrib@x.example"
        ),
        "hospital_contributor": UserFactory(
            roles=[Role.AGENCY_CONTRIBUTOR], agency=hospital, email="hospital.contrib@x.example"
        ),
    }


@pytest.fixture
def notified_case(partners, today):
    from .helpers import notify

    return notify(
        partners["pdeo"],
        partners["hospital"],
        child_name="Casey Realname",
        child_date_of_birth=date(2019, 2, 3),
        incident_date=date(2026, 11, 15),
        referrer_name="Dr R",
        received_on=date(2026, 11, 16),
        what_happened="Child admitted with injuries.",
        why_serious="Abuse suspected.",
        submitted_on=date(2026, 11, 19),
        national_reference="NP-RR-1",
        notifier_name="Pat Deo",
    )


@pytest.fixture
def fetch_file(django_capture_on_commit_callbacks):
    """Ask for a generated file as a person would (the page's button), let the worker build it
    (eager in tests, once the request's transaction commits), and download it."""
    from django.urls import reverse

    def fetch(client, url):
        with django_capture_on_commit_callbacks(execute=True):
            asked = client.post(url)
        assert asked.status_code == 302, asked.content[:500]
        status_page = client.get(asked.url)
        assert status_page.status_code == 200
        generated = status_page.context["file"]
        assert generated.status == "ready", generated.error
        return client.get(reverse("files:download", kwargs={"pk": generated.pk}))

    return fetch
