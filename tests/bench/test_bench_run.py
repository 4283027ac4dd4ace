"""The parts of `make bench` that can be checked without running it: the driver's security
codes, the web workers' memory ceiling, and the plan's pages, each answering its person at a
tiny scale (the CI smoke run then drives them over HTTP: .ci/run)."""

import importlib
import json
import os
import platform
import sys
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeguarding.accounts.models import User
from safeguarding.bench import driver, pages, seed
from safeguarding.bench.middleware import QueryCountMiddleware

from ..conftest import need
from ..helpers import verified_client


def test_the_driver_s_codes_are_django_otp_s():
    key = seed.TOTP_KEY
    for moment in (59, 1_234_567_890, 2_000_000_000):
        with time_machine.travel(moment, tick=False):
            assert driver.totp(key) == f"{totp(bytes.fromhex(key)):06d}"


def test_web_workers_are_replaced_before_300_mib(monkeypatch):
    conf = importlib.import_module("safeguarding.gunicorn_conf")
    assert conf.max_requests > 0 and 0 < conf.max_requests_jitter < conf.max_requests
    assert conf.WEB_WORKER_RESTART_MIB < 300
    worker = SimpleNamespace(alive=True, pid=1, log=SimpleNamespace(info=lambda *a: None))
    monkeypatch.setattr(conf, "resident_mib", lambda: conf.WEB_WORKER_RESTART_MIB - 1)
    conf.post_request(worker, None, {}, None)
    assert worker.alive
    monkeypatch.setattr(conf, "resident_mib", lambda: conf.WEB_WORKER_RESTART_MIB + 1)
    conf.post_request(worker, None, {}, None)
    assert not worker.alive
    assert conf.resident_mib() > 0  # this process's, read from /proc


def test_a_worker_keeps_the_service_s_own_objects_out_of_the_collector_s_sight():
    """A full collection walked every object the service loads (about 100 ms on the
    benchmark's machine); a worker freezes them once it has loaded the service."""
    import gc

    conf = importlib.import_module("safeguarding.gunicorn_conf")
    gc.unfreeze()
    try:
        conf.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


class _Node:
    pass


def test_a_warmed_worker_freezes_what_it_keeps_and_collects_its_garbage_first():
    """What a worker builds on its first pages and keeps (templates, Django's caches) was
    walked by every full collection; as it warms up, the worker freezes it too, but never its
    garbage, which frozen could no longer be freed."""
    import gc
    import weakref

    conf = importlib.import_module("safeguarding.gunicorn_conf")
    worker = SimpleNamespace()
    kept = [_Node()]  # built on a page and kept, as a cache's entry is
    garbage = _Node()
    garbage.itself = garbage  # a cycle: only a collection frees it
    gone = weakref.ref(garbage)
    del garbage
    gc.unfreeze()
    gc.disable()  # no collection of its own frees the cycle before the worker's does
    try:
        worker.nr = conf.FREEZE_AGAIN_AFTER[0] - 1
        conf.pre_request(worker, None)
        assert gc.get_freeze_count() == 0  # not warmed yet
        assert gone() is not None

        worker.nr = conf.FREEZE_AGAIN_AFTER[0]
        conf.pre_request(worker, None)
        assert gone() is None  # collected, not frozen
        assert gc.get_freeze_count() > 0
        assert not any(o is kept[0] for o in gc.get_objects())  # out of the collector's sight
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_results_say_how_fast_one_core_of_the_machine_is():
    """The model name is not enough to compare two runs: machines named alike ran the service
    3 to 4 times apart. The header gives a fixed Python loop's time as well, and the Python
    that ran it: the same pages cost 8-15% more on a build without profile-guided
    optimisation."""
    from safeguarding.bench import run

    machine = run.cpu()
    assert machine["cores"] >= 1 and 1 < machine["python_loop_ms"] < 10_000
    assert machine["python"].startswith(f"CPython {platform.python_version()}, /")
    assert machine["python"].endswith(os.path.basename(os.path.realpath(sys.executable)))
    results = {
        "scale": 1,
        "when": "2026-11-27T12:00:00+00:00",
        "cpu": {**machine, "python_loop_ms": 61.5},
        "web_workers": 3,
        "connections": 8,
        "pages": {
            pages.BASELINE: {
                "as": "admin",
                "p50_ms": 1,
                "p95_ms": 2,
                "throughput_rps": 1,
                "errors": 0,
                "steady_queries": 10,
                "queries": [10],
            }
        },
        "chase": {
            "seconds": 1,
            "queries": 1,
            "reminders": 1,
            "emails": 1,
            "missed": 1,
            "process_peak_mib": 1,
            "python_peak_mib": 1,
        },
        "built_directly": {},
        "web_worker_rss_mib_after": [100],
        "targets": [],
    }
    header = run.markdown(results).splitlines()[0]
    assert f"{machine['cores']} cores (a fixed Python loop: 61.5 ms; {machine['python']})" in header


# A web server's master, as gunicorn's: one worker that burns the processor and is reaped
# (a worker replaced), then one that burns it and is still alive when the driver reads.
_MASTER = """
import os, sys, time
def burn(seconds):
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
sys.stdin.readline()
replaced = os.fork()
if replaced == 0:
    burn(0.3)
    os._exit(0)
os.waitpid(replaced, 0)
alive = os.fork()
if alive == 0:
    burn(0.3)
    print("burnt", flush=True)
    time.sleep(60)
    os._exit(0)
sys.stdin.readline()
os.kill(alive, 9)
os.waitpid(alive, 0)
"""


def test_the_driver_counts_the_web_servers_cpu_with_the_workers_it_replaced():
    """CPU a request is what a page costs, whatever else the machine is doing: the master's
    workers, alive or already replaced (the master has reaped them), all count."""
    import subprocess
    import sys
    from pathlib import Path

    need(Path("/proc/self/stat").exists(), "/proc (Linux) to read processes' CPU")
    master = subprocess.Popen(
        [sys.executable, "-c", _MASTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        cpu = driver.ServiceCPU(master.pid)
        before = cpu.read()
        master.stdin.write("go\n")
        master.stdin.flush()
        assert master.stdout.readline().strip() == "burnt"
        after = cpu.read()
        spent = driver.cpu_per_request(before, after, requests=2)
        # 0.6 s of work over 2 requests: 300 ms each, the reaped worker's half included.
        assert 270 <= spent["web"] <= 400, spent
        master.stdin.write("done\n")
        master.stdin.flush()
    finally:
        master.wait(timeout=30)
    gone = driver.ServiceCPU(master.pid).read()
    assert gone[0] is None  # no such master: nothing to say, rather than nought


@pytest.mark.django_db
def test_the_driver_counts_the_database_servers_cpu():
    need(connection.vendor == "postgresql", "PostgreSQL on this machine")
    cpu = driver.ServiceCPU(web_pid=0)
    before = cpu.read()
    need(before[1] is not None, "PostgreSQL's processes visible in /proc")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM generate_series(1, 3000000) AS n WHERE n % 7 = 0")
        cursor.fetchone()
    after = cpu.read()
    spent = driver.cpu_per_request(before, after, requests=1)
    assert spent["web"] is None
    assert spent["database"] >= 50, spent  # about 200 ms of work here


def test_the_table_gives_each_pages_cpu():
    from safeguarding.bench import run

    assert run._cpu_cell({"web": 21.3, "database": 8.4}) == "21.3 + 8.4"
    assert run._cpu_cell({"web": 21.3, "database": None}) == "21.3 + –"
    assert run._cpu_cell(None) == "–"


def test_percentiles():
    assert driver.percentile(list(range(1, 101)), 50) == 50.5
    assert driver.percentile([5.0], 95) == 5.0


@pytest.mark.django_db
def test_every_page_in_the_plan_answers_its_person(settings):
    need(connection.vendor == "postgresql", "seed_bench writes with PostgreSQL's COPY")
    seed.seed(scale=0.01)
    settings.MIDDLEWARE = [
        "safeguarding.bench.middleware.QueryCountMiddleware",
        *settings.MIDDLEWARE,
    ]
    plan = pages.plan(requests=1)
    assert plan["busy_case_entries"] == 1_000
    names = [page["name"] for page in plan["pages"]]
    assert len(names) == len(set(names))
    assert pages.BASELINE in names
    clients = {}
    for key, person in plan["people"].items():
        user = User.objects.get(email=person["email"])
        assert TOTPDevice.objects.get(user=user).key == person["key"]
        clients[key] = verified_client(Client(), user)
    for page in plan["pages"] + plan["files"]:
        response = clients[page["as"]].get(page["path"])
        assert response.status_code == 200, page
        assert int(response[QueryCountMiddleware.HEADER]) > 0


def _manifest(tmp_path, **summary):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(summary))
    return path


def test_a_database_seeded_today_at_this_scale_is_used_as_it_is(tmp_path):
    from safeguarding.bench import run

    morning = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    path = _manifest(tmp_path, scale=1, seeded_on="2026-11-30", time_zone="Europe/London")
    assert run.why_seed_again(path, 1, morning) is None


def test_a_database_seeded_on_an_earlier_day_is_seeded_again(tmp_path):
    """A day later the clocks a home page lists have moved on, differently at each scale: the
    PDEO's home page made 18 queries at 0.01 and 19 at 1 on databases seeded the day before."""
    from safeguarding.bench import run

    path = _manifest(tmp_path, scale=1, seeded_on="2026-11-29", time_zone="Europe/London")
    why = run.why_seed_again(path, 1, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    assert why == "it was seeded on 2026-11-29, not today"
    # A manifest from before the day was written down is as old.
    path = _manifest(tmp_path, scale=1)
    assert "an earlier day" in run.why_seed_again(path, 1, datetime(2026, 11, 30, tzinfo=UTC))


def test_the_day_is_the_partnership_s_not_the_machine_s(tmp_path):
    """At 23:30 UTC in summer it is already the next day in London, where the seed laid the
    data out from."""
    from safeguarding.bench import run

    late = datetime(2026, 7, 1, 23, 30, tzinfo=UTC)
    path = _manifest(tmp_path, scale=1, seeded_on="2026-07-02", time_zone="Europe/London")
    assert run.why_seed_again(path, 1, late) is None
    path = _manifest(tmp_path, scale=1, seeded_on="2026-07-01", time_zone="Europe/London")
    assert run.why_seed_again(path, 1, late) == "it was seeded on 2026-07-01, not today"


def test_another_scale_or_no_seed_at_all_is_seeded(tmp_path):
    from safeguarding.bench import run

    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    path = _manifest(tmp_path, scale=0.01, seeded_on="2026-11-30", time_zone="Europe/London")
    assert run.why_seed_again(path, 1, now) == "it holds scale 0.01"
    assert run.why_seed_again(tmp_path / "none.json", 1, now) == ""
