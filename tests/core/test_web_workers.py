"""gunicorn as the image starts it: the service is loaded once, in the master, and each worker
is a fork of it (`preload_app` in safeguarding/gunicorn_conf.py), so a worker that replaces
another serves at once rather than loading the service anew (docs/performance.md,
"Twenty-third round")."""

import os
import re
import time
from pathlib import Path

from tests.conftest import need

from .production import gunicorn, request


def _master_pid(log):
    return int(re.search(r"Listening at: \S+ \((\d+)\)", log.read_text()).group(1))


def _wait_for(log, pattern, seconds=30):
    deadline = time.monotonic() + seconds
    while not (found := re.search(pattern, log.read_text())):
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    return found


def _booted(log):
    return re.findall(r"Booting worker with pid: (\d+)", log.read_text())


def test_workers_are_forks_of_a_master_that_loaded_the_service(tmp_path):
    need(Path("/proc/self/maps").exists(), "reads the master's memory map from /proc (Linux)")
    # A worker is replaced after every two requests here.
    with gunicorn(tmp_path, env={"MAX_REQUESTS": "2", "MAX_REQUESTS_JITTER": "0"}) as (port, log):
        master = _master_pid(log)
        # Before it forks, it compiles every template (safeguarding/warm.py), among the rest.
        warmed = _wait_for(log, r"Warmed up before forking the workers: .*'templates': (\d+)")
        assert int(warmed.group(1)) > 150, log.read_text()
        # The master has loaded the service: WeasyPrint's Pango (safeguarding.documents, read
        # when the reports app is ready) is in its memory. gunicorn alone never loads it.
        libraries = Path(f"/proc/{master}/maps").read_text()
        assert "libpango" in libraries, "the master did not load the service"
        # ...and holds no database connection its forks would share (the warm-up's is closed).
        open_files = [os.readlink(entry) for entry in Path(f"/proc/{master}/fd").iterdir()]
        assert not any("production.sqlite3" in name for name in open_files), open_files

        for _ in range(5):
            status, _, body = request(port, "/healthz", host="127.0.0.1")
            assert (status, body) == (200, b"ok")  # each worker reads the database itself
        deadline = time.monotonic() + 30
        while len(_booted(log)) < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        # Replaced twice, and the replacements answered (the fifth request was a third
        # worker's).
        assert len(set(_booted(log))) >= 3, log.read_text()
