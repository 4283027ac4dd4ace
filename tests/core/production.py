"""The production image's own commands, read from the Dockerfile, run here against a real
gunicorn started with production settings."""

import contextlib
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
VENV_BIN = str(Path(sys.executable).parent)

# What a live install sets (README, Production), with the database swapped for a file here.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "safeguarding.settings.base",
    "DEBUG": "false",
    "SECRET_KEY": "x9!" + "production-like-secret-key-with-enough-entropy-4f7a9c2e1b" * 2,
    "ALLOWED_HOSTS": "cases.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cases.example.org",
    "SECURE_SSL_REDIRECT": "true",
    "EMAIL_URL": "smtp+tls://cases:password@smtp.example.org:587",
}


def dockerfile_instruction(name):
    """The last `name` instruction of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip().startswith(name + " ")]
    assert lines, f"no {name} in the Dockerfile"
    return lines[-1][len(name) :].strip()


def as_argv(form):
    """An exec-form (`["a", "b"]`) or shell-form instruction as an argv for subprocess."""
    if form.startswith("["):
        return json.loads(form)
    return ["/bin/sh", "-c", form]


def healthcheck_argv():
    instruction = dockerfile_instruction("HEALTHCHECK")
    options, _, command = instruction.partition("CMD ")
    assert command, instruction
    return as_argv(command.strip())


def web_argv():
    return as_argv(dockerfile_instruction("CMD"))


def image_env():
    """The Dockerfile's ENV lines."""
    env = {}
    for value in re.findall(r"^ENV (.+)$", re.sub(r"\\\n", " ", DOCKERFILE.read_text()), re.M):
        for pair in shlex.split(value):
            key, _, val = pair.partition("=")
            env[key] = val
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_environ():
    """This process's environment without what the test settings put into it."""
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "DATABASE_URL",
        "EMAIL_URL",
        "EMAIL_ALLOW_UNSENT",
        "CELERY_TASK_ALWAYS_EAGER",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "GUNICORN_CMD_ARGS",
        "FORWARDED_ALLOW_IPS",
        "TRUSTED_PROXIES",
    }
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env["PATH"] = VENV_BIN + os.pathsep + env.get("PATH", "")
    return env


_static_root = None


def collected_static(tmp_path_factory):
    """`collectstatic` as the image runs it, once per test run: production's manifest storage
    needs it before any page (the 413 and 500 pages included) can be rendered."""
    global _static_root
    if _static_root is None:
        root = tmp_path_factory.mktemp("staticfiles")
        env = {**clean_environ(), **image_env(), **PRODUCTION_ENV, "STATIC_ROOT": str(root)}
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
        )
        _static_root = root
    return _static_root


@contextlib.contextmanager
def gunicorn(tmp_path, *, env=None, extra_args=(), static_root=None):
    """The image's web command (its CMD, with its gunicorn config) with production settings,
    bound to a free port on 127.0.0.1 and one worker. Yields (port, log path)."""
    port = free_port()
    tmp_path.mkdir(parents=True, exist_ok=True)
    log_path = tmp_path / "gunicorn.log"
    full_env = {
        **clean_environ(),
        **image_env(),
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        **({"STATIC_ROOT": str(static_root)} if static_root else {}),
        **(env or {}),
    }
    argv = [*web_argv(), "--bind", f"127.0.0.1:{port}", "--workers", "1", *extra_args]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(argv, cwd=ROOT, env=full_env, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited:\n{log_path.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not listen:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield port, log_path
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def request(port, path, *, host, method="GET", headers=None):
    """One plain HTTP request with this Host header; returns (status, headers, body)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()
