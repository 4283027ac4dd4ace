"""Production settings: `check --deploy` clean, and no start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = dict(
    DJANGO_SETTINGS_MODULE="safeguarding.settings.base",
    DEBUG="false",
    SECRET_KEY="x9!" + "production-like-secret-key-with-enough-entropy-4f7a9c2e1b" * 2,
    EMAIL_URL="smtp+tls://cases:password@smtp.northbridge.example:587",
)


def run_manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "EMAIL_URL",
            "EMAIL_ALLOW_UNSENT",  # the test settings set it in this process's environment
        }
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        ALLOWED_HOSTS="cases.northbridge.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_SETTINGS_MODULE="safeguarding.settings.base", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_seed_demo_refuses_when_debug_is_off(tmp_path):
    result = run_manage(
        "seed_demo", **PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'seed.sqlite3'}"
    )
    assert result.returncode != 0
    assert "only runs with DEBUG on" in result.stderr


def import_settings(module="safeguarding.settings.base", **env):
    """Import a settings module in a fresh interpreter with exactly this environment."""
    full_env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(
        [sys.executable, "-c", f"import {module}"],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "email_url", ["consolemail://", "dummymail://", "memorymail://", "filemail:///tmp/mail"]
)
def test_production_refuses_to_start_with_email_that_is_never_sent(email_url):
    result = import_settings(**{**PRODUCTION, "EMAIL_URL": email_url})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "never delivers email" in result.stderr


def test_production_refuses_the_console_when_email_url_is_not_set():
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = import_settings(**env)
    assert result.returncode != 0
    assert "console.EmailBackend, which never delivers email" in result.stderr


def test_production_starts_with_a_mail_server_or_when_unsent_email_is_allowed():
    assert import_settings(**PRODUCTION).returncode == 0
    allowed = import_settings(
        **{**PRODUCTION, "EMAIL_URL": "consolemail://"}, EMAIL_ALLOW_UNSENT="true"
    )
    assert allowed.returncode == 0, allowed.stderr


def test_development_and_test_settings_still_start_on_the_console():
    env = {"SECRET_KEY": PRODUCTION["SECRET_KEY"]}
    assert import_settings("safeguarding.settings.dev").returncode == 0
    result = import_settings("safeguarding.settings.test", **env)
    assert result.returncode == 0, result.stderr
