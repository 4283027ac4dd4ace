"""The production shape: docker compose accepts the file, and it has every part."""

import os
import shutil
import subprocess
from pathlib import Path

from ..conftest import need

ROOT = Path(__file__).resolve().parents[2]


def compose(*args):
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
    env = {**os.environ, "SECRET_KEY": "x", "POSTGRES_PASSWORD": "x"}
    return subprocess.run(
        [*command, "-f", "docker-compose.yml", *args],
        cwd=ROOT,
        env=env,
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
