"""`make bench`: the benchmark, start to finish (docs/performance.md).

    python -m safeguarding.bench.run [--scale 1] [--reseed] [--compare var/bench/other.json]

1. Migrates the benchmark database and, unless it already holds this scale, seeds it
   (`manage.py seed_bench`); then VACUUM ANALYZE, so earlier runs' rolled-back chases leave
   nothing that slows this run's pages.
2. Starts the service as the Dockerfile does (`gunicorn --config safeguarding/gunicorn_conf.py
   safeguarding.wsgi`, production settings, DEBUG off) and a Celery worker as
   docker-compose.yml does, on a Redis database and queue of the benchmark's own, with
   BENCH_QUERY_HEADER on so that each response says how many queries it cost.
3. Drives the key pages from another process (`safeguarding.bench.driver`): signed-in,
   second-factor-verified people, 8 connections at once; the access log in Django admin is
   the baseline. Then the chronology PDF twice at once through the worker, /healthz timed
   meanwhile, and the other files through the worker.
4. Times the chase over the open deadlines and each file built directly
   (`manage.py bench_jobs`), each in a process of its own.
5. Writes var/bench/results-scale-<N>.json and .md, and prints each target PASS or FAIL.

This module imports nothing of Django's: it runs the service's commands as separate
processes, like an operator would.
"""

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "var" / "bench"
PYTHON = sys.executable
BIN = Path(PYTHON).parent

# The targets of issue 18 (checked at scale 1; a smaller scale prints them for information).
PAGE_P95_MS = 150
HEALTHZ_P95_MS = 50
CHRONOLOGY_READY_S = 8
CHASE_S = 5
CHASE_PEAK_MIB = 256
WORKER_MAX_MIB = 300


def env_for(args):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "safeguarding.settings.base",
            "DEBUG": "false",
            "DATABASE_URL": args.database_url,
            "SECRET_KEY": env.get("BENCH_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "BEHIND_TLS_PROXY": "true",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "EMAIL_URL": "dummymail://",
            "EMAIL_ALLOW_UNSENT": "true",
            "CELERY_BROKER_URL": args.redis_url,
            "CACHE_URL": args.redis_url,
            "CELERY_TASK_DEFAULT_QUEUE": args.queue,
            "BENCH_QUERY_HEADER": "true",
            "PORT": str(args.port),
            "UPLOAD_ROOT": str(OUT / "uploads"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env, *command, quiet=False):
    print("$ manage.py", " ".join(command), flush=True)
    subprocess.run(
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def database_name(url):
    return url.rsplit("/", 1)[1].split("?")[0]


def ensure_database(url):
    """Create the benchmark's database if the server lacks it (its name must say bench)."""
    import psycopg  # noqa: PLC0415 (the one place this Django-free module talks to PostgreSQL)

    name = database_name(url)
    if "bench" not in name:
        raise SystemExit(f"{name!r} is not a benchmark database: its name must contain 'bench'")
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


def settle(url):
    """VACUUM ANALYZE the benchmark's database before its pages are timed, so each run starts
    from the same state whatever earlier runs left. The chase is timed in a transaction rolled
    back at the end, which leaves its rows behind, dead: on a server with autovacuum off the
    scale-1 database held 1.1 million dead reminders and 120,000 dead clock versions after a
    few runs, its reminders never analysed, and the planner hashed every clock to list a
    person's reminders (docs/performance.md). A live install's autovacuum clears them."""
    import psycopg  # noqa: PLC0415 (as ensure_database)

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (ANALYZE)")


def seeded(path):
    """The seed manifest's summary of the data in the benchmark's database; {} without one."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def why_seed_again(path, scale, now=None):
    """Why the benchmark's database must be seeded before this run ("" when it holds no
    seed this checkout wrote), or None when it need not be. The data is laid out from the day
    it was seeded: a day later, the clocks a home page lists as coming up have moved on,
    differently at each scale (at 0.01 an action's clock left the PDEO's ten and at 1 it did
    not), so a page's queries would differ between the scales because of the calendar, not
    the code (docs/performance.md, "Twenty-sixth round")."""
    summary = seeded(path)
    if summary.get("scale") is None:
        return ""
    if summary["scale"] != scale:
        return f"it holds scale {summary['scale']:g}"
    zone = ZoneInfo(summary.get("time_zone") or "UTC")
    today = (now or datetime.now(UTC)).astimezone(zone).date().isoformat()
    if summary.get("seeded_on") != today:
        return f"it was seeded on {summary.get('seeded_on') or 'an earlier day'}, not today"
    return None


def wait_for_health(port, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the service did not answer /healthz on port {port}")


def worker_rss_mib(master_pid):
    """The resident memory of each of gunicorn's workers (its master's children), from /proc."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid):
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sizes


def cpu():
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "model": model,
        "cores": os.cpu_count(),
        "python_loop_ms": python_loop_ms(),
        "python": interpreter(),
    }


def interpreter():
    """The Python the service runs on (the benchmark's own, the virtualenv's): its version and
    where it was installed. The same pages cost 8-15% more CPU on a build without
    profile-guided optimisation (pyenv's default) than on the distribution's or the official
    image's, and the loop below runs a third slower (docs/performance.md, "Twenty-sixth
    round"), so two runs are compared on the same build."""
    base = Path(os.path.realpath(sys.executable))
    return f"{platform.python_implementation()} {platform.python_version()}, {base}"


def python_loop_ms():
    """A fixed pure-Python loop, best of five, in ms: one core's speed. Machines of the same
    model name ("AMD EPYC") ran this service 3 to 4 times apart, so two runs' figures are
    compared by this, not by the name (docs/performance.md)."""
    best = float("inf")
    for _ in range(5):
        start, total = time.perf_counter(), 0
        for i in range(1_000_000):
            total += i % 7
        best = min(best, time.perf_counter() - start)
    return round(best * 1000, 1)


def start(command, env, log):
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run(args):
    OUT.mkdir(parents=True, exist_ok=True)
    env = env_for(args)
    name = database_name(args.database_url)
    scale_tag = f"{args.scale:g}"
    manifest = OUT / f"seed-{name}.json"
    ensure_database(args.database_url)
    manage(env, "migrate", "--no-input", quiet=True)
    manage(env, "collectstatic", "--no-input", quiet=True)
    again = why_seed_again(manifest, args.scale)
    if again:
        print(f"{name}: seeding again, as {again}")
    if args.reseed or again is not None:
        manage(
            env,
            "seed_bench",
            "--scale",
            str(args.scale),
            "--into",
            name,
            "--reset",
            "--force",
            "--manifest",
            str(manifest),
        )
    else:
        print(f"{name} already holds scale {scale_tag}, seeded today (--reseed to write it again)")
    seeding = json.loads(manifest.read_text())
    settle(args.database_url)
    plan_file, pages_file = OUT / "plan.json", OUT / f"pages-{scale_tag}.json"
    manage(env, "bench_jobs", "plan", "--out", str(plan_file), "--requests", str(args.requests))
    log = open(OUT / "service.log", "w")  # noqa: SIM115 (kept open for the processes)
    web = worker = None
    try:
        web = start(
            [
                str(BIN / "gunicorn"),
                "--config",
                "safeguarding/gunicorn_conf.py",
                "safeguarding.wsgi",
            ],
            env,
            log,
        )
        worker = start(
            [
                str(BIN / "celery"),
                "-A",
                "safeguarding",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=2",
                "-Q",
                args.queue,
            ],
            env,
            log,
        )
        wait_for_health(args.port)
        subprocess.run(
            [
                PYTHON,
                "-m",
                "safeguarding.bench.driver",
                "--base",
                f"http://127.0.0.1:{args.port}",
                "--plan",
                str(plan_file),
                "--out",
                str(pages_file),
                "--web-pid",
                str(web.pid),
            ],
            cwd=ROOT,
            check=True,
        )
        workers_after = worker_rss_mib(web.pid)
    finally:
        stop(web)
        stop(worker)
        log.close()
    chase_file, files_file = OUT / "chase.json", OUT / "files.json"
    manage(env, "bench_jobs", "chase", "--out", str(chase_file))
    manage(env, "bench_jobs", "files", "--out", str(files_file))
    results = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "cpu": cpu(),
        "web_workers": int(env.get("WEB_CONCURRENCY", "3")),
        "connections": json.loads(plan_file.read_text())["connections"],
        "seeding": {"seconds": seeding["seconds"], "plan": seeding["plan"]},
        "busy_case_entries": json.loads(plan_file.read_text())["busy_case_entries"],
        **json.loads(pages_file.read_text()),
        "chase": json.loads(chase_file.read_text()),
        "built_directly": json.loads(files_file.read_text()),
        "web_worker_rss_mib_after": workers_after,
    }
    compare = Path(args.compare) if args.compare else None
    if compare is None:
        others = sorted(
            p
            for p in OUT.glob("results-scale-*.json")
            if p.name != f"results-scale-{scale_tag}.json"
        )
        compare = others[0] if others else None
    other = json.loads(compare.read_text()) if compare and compare.exists() else None
    results["targets"] = targets(results, other)
    json_path = OUT / f"results-scale-{scale_tag}.json"
    json_path.write_text(json.dumps(results, indent=2))
    table = markdown(results)
    (OUT / f"results-scale-{scale_tag}.md").write_text(table)
    print(table)
    return results


def targets(results, other=None):
    """Issue 18's targets, each PASS or FAIL (None when this run could not tell)."""
    pages = results["pages"]
    baseline = next(v for k, v in pages.items() if k.startswith("admin:"))
    checks = []

    def check(name, ok, detail):
        checks.append(
            {"target": name, "result": None if ok is None else bool(ok), "detail": detail}
        )

    for name, page in pages.items():
        if page is baseline:
            continue
        check(
            f"{name}: p95 <= {PAGE_P95_MS} ms",
            page["p95_ms"] <= PAGE_P95_MS,
            f"{page['p95_ms']} ms",
        )
        check(
            f"{name}: p95 <= baseline p95",
            page["p95_ms"] <= baseline["p95_ms"],
            f"{page['p95_ms']} vs {baseline['p95_ms']} ms",
        )
        check(f"{name}: no errors", page["errors"] == 0, f"{page['errors']} errors")
    if other:
        for name, page in pages.items():
            theirs = other["pages"].get(name)
            if theirs:
                check(
                    f"{name}: queries as at scale {other['scale']:g}",
                    page["steady_queries"] == theirs["steady_queries"],
                    f"{page['steady_queries']} vs {theirs['steady_queries']}",
                )
    files = results.get("files", {})
    pdf = files.get("chronology PDF via the worker")
    if pdf:
        check(
            f"chronology PDF ({results['busy_case_entries']} entries) ready <= "
            f"{CHRONOLOGY_READY_S} s",
            pdf["status"] == "ready" and pdf["seconds"] <= CHRONOLOGY_READY_S,
            f"{pdf['seconds']} s",
        )
    made = {k: v["status"] for k, v in files.items() if k != "healthz_while_building"}
    check("files: each one made", all(v == "ready" for v in made.values()), f"{made}")
    health = files.get("healthz_while_building")
    if health:
        check(
            f"/healthz p95 <= {HEALTHZ_P95_MS} ms while two are built",
            health["p95_ms"] <= HEALTHZ_P95_MS and health["errors"] == 0,
            f"{health['p95_ms']} ms",
        )
    chase = results["chase"]
    check(f"chase <= {CHASE_S} s", chase["seconds"] <= CHASE_S, f"{chase['seconds']} s")
    check(
        f"chase peak memory <= {CHASE_PEAK_MIB} MiB",
        chase["process_peak_mib"] <= CHASE_PEAK_MIB,
        f"{chase['process_peak_mib']} MiB (process)",
    )
    check(
        "chase: at most one single-reminder email a person",
        chase["most_single_reminders_to_one_person"] <= 1,
        f"{chase['most_single_reminders_to_one_person']}",
    )
    rss = results["web_worker_rss_mib_after"]
    check(
        f"web workers under {WORKER_MAX_MIB} MiB",
        bool(rss) and max(rss) < WORKER_MAX_MIB,
        f"{rss} MiB",
    )
    return checks


def _cpu_cell(cpu):
    """ "21.3 + 8.4" (the web server's and the database's processor time a request), or "–"
    for a part the driver could not see."""
    if not cpu:
        return "–"
    parts = (cpu.get("web"), cpu.get("database"))
    return " + ".join("–" if part is None else str(part) for part in parts)


def markdown(results):
    pages = results["pages"]
    base = next(v for k, v in pages.items() if k.startswith("admin:"))
    lines = [
        f"Scale {results['scale']:g}, {results['when']}: {results['cpu']['model']}, "
        f"{results['cpu']['cores']} cores (a fixed Python loop: "
        f"{results['cpu'].get('python_loop_ms', '–')} ms"
        + (f"; {results['cpu']['python']}" if results["cpu"].get("python") else "")
        + f"); gunicorn {results['web_workers']} sync workers, "
        f"{results['connections']} connections.",
        "",
        "| Page | as | p50 ms | p95 ms | ÷ baseline p95 | req/s | errors | queries | CPU ms "
        "(web + database) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in pages.items():
        ratio = page["p95_ms"] / base["p95_ms"] if base["p95_ms"] else 0
        queries = str(page["steady_queries"])
        if len(page["queries"]) > 1:
            queries += f" ({min(page['queries'])}–{max(page['queries'])})"
        lines.append(
            f"| {name} | {page['as']} | {page['p50_ms']} | {page['p95_ms']} | {ratio:.2f} | "
            f"{page['throughput_rps']} | {page['errors']} | {queries} | "
            f"{_cpu_cell(page.get('cpu_ms_per_request'))} |"
        )
    lines += ["", "| Job | time | more |", "|---|---:|---|"]
    chase = results["chase"]
    lines.append(
        f"| chase | {chase['seconds']} s | {chase['queries']} queries, {chase['reminders']} "
        f"reminders, {chase['emails']} emails, {chase['missed']} marked missed, peak "
        f"{chase['process_peak_mib']} MiB (process; Python {chase['python_peak_mib']} MiB) |"
    )
    for name, file in results.get("files", {}).items():
        if name == "healthz_while_building":
            lines.append(
                f"| /healthz while two chronology PDFs are built | p95 "
                f"{file['p95_ms']} ms | p50 {file['p50_ms']} ms, {file['requests']} "
                f"requests, {file['errors']} errors |"
            )
        else:
            lines.append(f"| {name} | {file['seconds']} s | {file['status']} |")
    for name, file in results["built_directly"].items():
        if not name.startswith("_"):
            lines.append(
                f"| {name}, built directly | {file['seconds']} s | "
                f"{file['bytes']:,} bytes, {file['queries']} queries |"
            )
    lines.append(
        f"| web workers' memory after the run | {results['web_worker_rss_mib_after']} MiB | |"
    )
    lines += ["", "| Target | result | measured |", "|---|---|---|"]
    for t in results["targets"]:
        word = {True: "PASS", False: "FAIL", None: "?"}[t["result"]]
        lines.append(f"| {t['target']} | {word} | {t['detail']} |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="The benchmark (docs/performance.md).")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 80)))
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/case_reviews_benchdata"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    parser.add_argument("--queue", default=os.environ.get("BENCH_QUEUE", "bench"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8100)))
    parser.add_argument("--compare", help="Results of another scale, for the query counts.")
    parser.add_argument(
        "--check",
        action="store_true",
        help="Exit non-zero on errors or query counts that differ from --compare's (CI).",
    )
    args = parser.parse_args(argv)
    results = run(args)
    for t in results["targets"]:
        word = {True: "PASS", False: "FAIL", None: "?"}[t["result"]]
        print(f"{word}  {t['target']}  ({t['detail']})")
    if args.check:
        bad = [
            t
            for t in results["targets"]
            if t["result"] is False
            and any(word in t["target"] for word in ("errors", "queries", "made"))
        ]
        if bad:
            sys.exit(f"{len(bad)} failed: errors, files not made or query counts that change")


if __name__ == "__main__":
    main()
