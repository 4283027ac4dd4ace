"""The production shape: docker compose accepts the file, and it has every part."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from ..conftest import need

ROOT = Path(__file__).resolve().parents[2]


REQUIRED = {
    "SECRET_KEY": "x",
    "POSTGRES_PASSWORD": "x",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
}


def compose(*args, env=None):
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        command = [docker, "compose"]
    elif shutil.which("docker-compose"):
        command = ["docker-compose"]
    else:
        need(False, "docker compose is not installed")
    env = REQUIRED if env is None else env
    base = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    # An empty env file: a developer's own .env must not fill in what the test leaves out.
    with tempfile.NamedTemporaryFile(suffix=".env") as empty:
        return subprocess.run(
            [*command, "--env-file", empty.name, "-f", "docker-compose.yml", *args],
            cwd=ROOT,
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )


def test_docker_compose_accepts_the_file():
    result = compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_part_with_persistent_volumes():
    services = compose("config", "--services").stdout.split()
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}
    volumes = compose("config", "--volumes").stdout.split()
    assert set(volumes) == {"pgdata", "redisdata", "uploads"}
    config = compose("config").stdout
    assert "gunicorn" in (ROOT / "Dockerfile").read_text()
    assert "celery" in config and "beat" in config


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_compose_refuses_to_start_without_a_required_setting(name):
    result = compose("config", "-q", env={k: v for k, v in REQUIRED.items() if k != name})
    assert result.returncode != 0
    assert f"Set {name} in .env" in result.stderr
