"""The development run, for real: the embedded SQLite database, the filesystem broker and a
Celery worker process, as `make run` starts them. Many wake-ups for the same queued emails (a
task sent again, as a retry would) still send each email exactly once."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMAILS = 12

QUEUE = """
from django.db import transaction
from safeguarding.accounts.models import Agency, User
from safeguarding.outbox import services
from safeguarding.outbox.models import OutboundEmail
from safeguarding.outbox.tasks import send_pending_emails

agency = Agency.objects.create(name="Northbridge Police", kind="police")
with transaction.atomic():
    for n in range({count}):
        person = User.objects.create(
            email=f"person{{n}}@northbridge.example", full_name=f"Person {{n}}", agency=agency
        )
        services.queue_email(
            recipient=person,
            kind=OutboundEmail.Kind.NOTICE,
            subject=f"Notice {{n}}",
            template="reminders",
            context={{"items": [], "count": 0, "more": 0, "kind": "notice"}},
        )
# As a retried or repeated task would: the same pending emails, woken many times over.
for _ in range(5):
    send_pending_emails.delay()
"""

REPORT = """
from safeguarding.outbox.models import OutboundEmail
rows = list(OutboundEmail.objects.values_list("status", "attempts"))
print(len(rows), sorted(set(rows)))
"""


def recipients_in(mail):
    """Who the worker sent to (the file backend may put two messages in one file)."""
    if not mail.exists():
        return []
    return sorted(
        line.split(":", 1)[1].strip()
        for path in mail.glob("*.log")
        for line in path.read_text().splitlines()
        if line.startswith("To:")
    )


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    ).stdout


@pytest.mark.real_services
def test_the_sqlite_development_run_sends_each_queued_email_once(tmp_path):
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings.dev",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": "filemail://",
        "EMAIL_FILE_PATH": str(mail),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    manage(env, "migrate", "--no-input", "-v", "0")
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "safeguarding",
                "worker",
                "--pool=solo",  # as the Procfile: one process
                "--loglevel=INFO",
                "-n",
                f"dev-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        manage(env, "shell", "--no-imports", "-c", QUEUE.format(count=EMAILS))
        deadline = time.monotonic() + 90
        while len(recipients_in(mail)) < EMAILS and time.monotonic() < deadline:
            assert worker.poll() is None, log_path.read_text()
            time.sleep(0.5)
        time.sleep(5)  # every wake-up has had time to run: nothing more may arrive
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    worker_log = log_path.read_text()
    assert recipients_in(mail) == sorted(f"person{n}@northbridge.example" for n in range(EMAILS)), (
        worker_log[-3000:]
    )
    assert "database is locked" not in worker_log
    assert manage(env, "shell", "--no-imports", "-c", REPORT).split() == [
        str(EMAILS),
        "[('sent',",
        "1)]",
    ]
