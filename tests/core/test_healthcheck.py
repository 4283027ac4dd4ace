"""The container's health check, as the Dockerfile runs it, against a real gunicorn with
production settings: DEBUG off, ALLOWED_HOSTS naming only the public host, HTTPS redirect on."""

import subprocess

from .production import ROOT, clean_environ, free_port, gunicorn, healthcheck_argv, request


def run_healthcheck(port):
    return subprocess.run(
        healthcheck_argv(),
        cwd=ROOT,
        env={**clean_environ(), "PORT": str(port)},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_health_check_passes_against_production_settings(tmp_path):
    with gunicorn(tmp_path) as (port, log):
        result = run_healthcheck(port)
        assert result.returncode == 0, result.stdout + result.stderr + log.read_text()

        # The server really has the production settings: any other path from the health
        # check's own address is refused by ALLOWED_HOSTS, and plain HTTP to the public host is
        # sent to https.
        status, _, _ = request(port, "/account/sign-in/", host="127.0.0.1")
        assert status == 400
        status, headers, _ = request(port, "/account/sign-in/", host="cases.example.org")
        assert status == 301
        assert headers["Location"] == "https://cases.example.org/account/sign-in/"

        # /healthz answers over plain HTTP whatever the Host, and only says "ok".
        for host in ("127.0.0.1", "cases.example.org", "anything.invalid"):
            status, headers, body = request(port, "/healthz", host=host)
            assert (status, body) == (200, b"ok"), host
            assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_health_check_fails_when_the_service_is_down():
    result = run_healthcheck(free_port())  # nothing listens there
    assert result.returncode != 0


def test_the_health_check_fails_when_the_database_is_unreachable(tmp_path):
    missing = tmp_path / "no-such-folder" / "db.sqlite3"  # SQLite cannot create it
    with gunicorn(tmp_path, env={"DATABASE_URL": f"sqlite:///{missing}"}) as (port, _):
        result = run_healthcheck(port)
        assert result.returncode != 0
