"""The development run: SQLite shared by web, worker and beat without "database is locked",
and email that leaves one line on the console and the whole message in var/mail."""

import email
import email.policy
import io
import logging
import subprocess
import sys
import textwrap

from django.core.mail import EmailMultiAlternatives

from safeguarding.devmail import EmailBackend

from .production import ROOT, clean_environ


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        env={**clean_environ(), "DJANGO_SETTINGS_MODULE": "safeguarding.settings.dev", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_development_email_is_one_line_each_and_the_whole_message_in_a_file(tmp_path):
    console = io.StringIO()
    backend = EmailBackend(file_path=tmp_path / "mail", stream=console)
    long_body = "Dear colleague,\n" + "A line of the request.\n" * 200
    messages = []
    for n in (1, 2):
        message = EmailMultiAlternatives(
            subject=f"Information request {n}",
            body=long_body,
            from_email="team@northbridge.example",
            to=[f"person{n}@agency.example"],
        )
        message.attach_alternative(f"<p>{long_body}</p>", "text/html")
        messages.append(message)

    assert backend.send_messages(messages) == 2

    lines = console.getvalue().splitlines()
    assert len(lines) == 2
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2
    for n, (line, path) in enumerate(zip(lines, files, strict=True), start=1):
        assert f"person{n}@agency.example" in line
        assert f"Information request {n}" in line
        assert str(path) in line
        assert "A line of the request" not in line
        parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert parsed["To"] == f"person{n}@agency.example"
        assert parsed.get_body(("plain",)).get_content().count("A line of the request.") == 200
    # <timestamp>-<n>.eml, numbered within the second.
    assert [p.name.rsplit("-", 1)[1] for p in files] in (["1.eml", "2.eml"], ["1.eml", "1.eml"])


def test_by_default_the_line_goes_to_the_log(tmp_path, caplog):
    message = EmailMultiAlternatives("Reminders", "Body text", "a@x.example", ["b@x.example"])
    with caplog.at_level(logging.INFO, logger="safeguarding.devmail"):
        EmailBackend(file_path=tmp_path).send_messages([message])
    [record] = caplog.records
    assert record.getMessage().startswith("Email to b@x.example: 'Reminders'; read it in ")
    assert "Body text" not in record.getMessage()


def test_development_settings_use_it_unless_email_url_is_set():
    show = (
        "import django; django.setup(); "
        "from django.conf import settings; print(settings.EMAIL_BACKEND)"
    )
    assert run_python(show).stdout.strip() == "safeguarding.devmail.EmailBackend"
    smtp = run_python(show, EMAIL_URL="smtp://localhost:1025")
    assert smtp.stdout.strip() == "django.core.mail.backends.smtp.EmailBackend"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    result = run_python(
        """
        import django; django.setup()
        from django.db import connection
        with connection.cursor() as c:
            print(c.execute("PRAGMA journal_mode").fetchone()[0])
            print(c.execute("PRAGMA busy_timeout").fetchone()[0])
        """,
        DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    )
    assert result.stdout.split() == ["wal", "20000"], result.stderr


WRITER = """
import sys, django; django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS counter (n integer)")
for i in range(int(sys.argv[1])):
    # Read, then write, in one transaction: what every service does.
    with transaction.atomic(), connection.cursor() as c:
        count = c.execute("SELECT count(*) FROM counter").fetchone()[0]
        c.execute("INSERT INTO counter (n) VALUES (%s)", [count])
print("done")
"""


def test_processes_sharing_the_sqlite_file_wait_for_each_other_instead_of_failing(tmp_path):
    """Web, worker and beat each write to the file: transactions that read and then write, at
    the same time, all commit (IMMEDIATE transactions queue on the busy timeout)."""
    env = {
        **clean_environ(),
        "DJANGO_SETTINGS_MODULE": "safeguarding.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'dev.sqlite3'}",
    }
    run_python("import django; django.setup()", **env)  # settings create var/ folders first
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, "300"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [w.communicate(timeout=180) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err, err[-2000:]
        assert writer.returncode == 0 and out.strip() == "done", err[-2000:]
    count = run_python(
        """
        import django; django.setup()
        from django.db import connection
        with connection.cursor() as c:
            print(c.execute("SELECT count(*), count(DISTINCT n) FROM counter").fetchone())
        """,
        **{k: v for k, v in env.items() if k == "DATABASE_URL"},
    )
    assert count.stdout.strip() == "(900, 900)", count.stderr
