import os

import pytest

from safeguarding.accounts.roles import Role

from .factories import AgencyFactory, UserFactory

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


def redis_url():
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_is_up(url):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception:
        return False


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real Celery worker, in its own process, on a real Redis, sharing the test database.

    The test process stops running tasks eagerly and sends them to Redis on a queue of its own,
    so nothing left over from another run can interfere.
    """
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.db import connection

    from safeguarding.celery import app

    url = redis_url()
    need(redis_is_up(url), f"Redis not reachable at {url}")
    need(connection.vendor == "postgresql", "the worker needs a shared database (PostgreSQL)")

    settings = connection.settings_dict
    db_url = (
        f"postgres://{settings['USER'] or ''}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex[:12]}"
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
    root = Path(__file__).resolve().parents[1]
    log = open(tmp_path / "worker.log", "w")
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
            "--without-heartbeat",
            "-n",
            f"{queue}@%h",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = {k: app.conf.get(k) for k in ("task_always_eager", "broker_url", "task_default_queue")}
    app.conf.update(task_always_eager=False, broker_url=url, task_default_queue=queue)
    # Wait until the worker answers a ping on its queue.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"worker exited: {(tmp_path / 'worker.log').read_text()}")
        replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
        if replies:
            break
    else:
        pytest.fail(f"worker did not start: {(tmp_path / 'worker.log').read_text()}")

    class Worker:
        process = proc
        mail_path = mail_dir
        log_path = tmp_path / "worker.log"

        @staticmethod
        def wait_for(predicate, timeout=60):
            end = time.monotonic() + timeout
            while time.monotonic() < end:
                result = predicate()
                if result:
                    return result
                time.sleep(0.2)
            pytest.fail(f"timed out; worker log:\n{(tmp_path / 'worker.log').read_text()}")

    yield Worker
    app.conf.update(saved)
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
