"""Production settings: `check --deploy` clean, and no start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


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
        DJANGO_SETTINGS_MODULE="safeguarding.settings.base",
        DEBUG="false",
        SECRET_KEY="x9!" + "production-like-secret-key-with-enough-entropy-4f7a9c2e1b" * 2,
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
    env = dict(
        DJANGO_SETTINGS_MODULE="safeguarding.settings.base",
        DEBUG="false",
        SECRET_KEY="x9!" + "production-like-secret-key-with-enough-entropy-4f7a9c2e1b" * 2,
        DATABASE_URL=f"sqlite:///{tmp_path / 'seed.sqlite3'}",
    )
    result = run_manage("seed_demo", **env)
    assert result.returncode != 0
    assert "only runs with DEBUG on" in result.stderr
