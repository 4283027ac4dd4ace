"""The benchmark's load: signed-in people asking for the service's pages over HTTP, from a
process of its own (standard library only: it imports nothing of the service's).

    python -m safeguarding.bench.driver --base http://127.0.0.1:8100 --plan plan.json --out out.json

The plan (JSON) names the people to sign in (email, password, authenticator key) and the
pages, each with the person who asks for it; each page is asked for `requests` times over
`connections` connections at once (8 by default). Every request is a new connection, as the
service's sync gunicorn workers close each one. The service is told it is behind a TLS proxy
(`X-Forwarded-Proto: https`), as in production, so nothing is redirected.

Then the files: the chronology PDF of the busy case asked for twice at once through its page,
each timed from asking until its status says ready, while /healthz is asked for again and
again, and each other file the plan names, timed the same way.
"""

import argparse
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import statistics
import struct
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

QUERY_HEADER = "X-Bench-Queries"


def totp(key_hex, at=None, step=30, digits=6):
    """RFC 6238, as django-otp computes it (the key is hex)."""
    counter = int((at or time.time()) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 10**digits:0{digits}d}"


class Session:
    """One signed-in person: their cookies, shared by every connection asking as them."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.origin = f"https://{parts.hostname}:{self.port}"
        self.cookies: dict[str, str] = {}
        self.lock = threading.Lock()

    def request(self, method, path, body=None, *, timeout=120):
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "case-reviews-bench",
        }
        with self.lock:
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            body = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = self.origin + path
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        with self.lock:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or morsel.value == "":
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
        return response, content, elapsed

    def follow(self, method, path, body=None):
        response, content, _ = self.request(method, path, body)
        while response.status in (301, 302, 303):
            path = urlsplit(urljoin(self.origin + path, response.headers["Location"])).path
            response, content, _ = self.request("GET", path)
        return response, content, path

    def form(self, path):
        """GET a page; its form's hidden fields (the CSRF token, the one-time form token)."""
        response, content, _ = self.request("GET", path)
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        page = content.decode()
        return {
            html.unescape(name): html.unescape(value)
            for name, value in re.findall(
                r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
            )
        }

    def sign_in(self, email, password, key, home="/"):
        """Password, then the security code: the real pages, as a person would."""
        fields = self.form("/account/sign-in/")
        response, _, _ = self.request(
            "POST", "/account/sign-in/", {**fields, "username": email, "password": password}
        )
        if response.status != 302:
            raise RuntimeError(f"sign-in for {email}: {response.status}")
        fields = self.form("/account/security-code/")
        response, _, _ = self.request(
            "POST", "/account/security-code/", {**fields, "code": totp(key)}
        )
        if response.status != 302:
            raise RuntimeError(f"security code for {email}: {response.status}")
        response, _, _ = self.request("GET", home)
        if response.status != 200:
            raise RuntimeError(f"{home} for {email} after signing in: {response.status}")


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def summary(times, statuses, queries, wall):
    ms = [t * 1000 for t in times]
    errors = sum(1 for s in statuses if s != 200)
    return {
        "requests": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
        "throughput_rps": round(len(ms) / wall, 2) if wall else None,
        "errors": errors,
        "statuses": sorted(set(statuses)),
        "queries": sorted(set(queries)),
        # What most requests cost: a worker's first request may cost a query or two more
        # (Django's per-process caches, such as content types, fill on first use).
        "steady_queries": statistics.mode(queries) if queries else None,
    }


def _proc_stat(pid):
    """(parent's pid, name, CPU it used, CPU its reaped children used), in clock ticks, from
    /proc/<pid>/stat; None once the process has gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    name = text[text.index("(") + 1 : text.rindex(")")]
    fields = text[text.rindex(")") + 2 :].split()  # from the state, the stat's third field
    used, reaped = int(fields[11]) + int(fields[12]), int(fields[13]) + int(fields[14])
    return int(fields[1]), name, used, reaped


class ServiceCPU:
    """The processor time the service spends, read from /proc: the web server (gunicorn's
    master, its live workers, and the workers it has replaced and reaped) and the database
    server (every PostgreSQL process, and the ones that have ended). Other work on the
    machine does not count in it, nor does waiting in the queue, which latency is mostly made
    of: on the benchmark's 2 cores and 8 connections p95 comes out about five times it
    (docs/performance.md, "Twenty-fourth round"). None for a part this machine cannot see
    (another system, a database elsewhere)."""

    def __init__(self, web_pid):
        self.web_pid = web_pid
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def read(self):
        """(web, database) in seconds so far, each None where unseen."""
        try:
            entries = [e for e in os.listdir("/proc") if e.isdigit()]
        except OSError:
            return None, None
        stats = {}
        for entry in entries:
            found = _proc_stat(entry)
            if found is not None:
                stats[int(entry)] = found
        web = database = None
        if self.web_pid in stats:
            _, _, own, reaped = stats[self.web_pid]
            workers = sum(s[2] for s in stats.values() if s[0] == self.web_pid)
            web = (own + reaped + workers) / self.tick
        postgres = {pid: s for pid, s in stats.items() if s[1] == "postgres"}
        if postgres:
            ended = sum(s[3] for s in postgres.values() if s[0] not in postgres)
            database = (sum(s[2] for s in postgres.values()) + ended) / self.tick
        return web, database


def cpu_per_request(before, after, requests):
    """{"web": ms, "database": ms} a request, from two `ServiceCPU.read`s."""
    return {
        part: None if b is None or a is None else round((a - b) * 1000 / requests, 1)
        for part, b, a in zip(("web", "database"), before, after, strict=True)
    }


def warm(session, path, *, connections, rounds=2):
    """The page asked for `rounds` times on each of the connections at once, untimed, so that
    every web worker has served it before it is timed. Asked one after another, every warm-up
    request went to the same worker (a sync worker free again takes the next connection
    first), and the other two served their first page of the run inside the timing: the
    first page timed paid a fresh worker's first request twice (docs/performance.md,
    "Twenty-seventh round")."""
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(lambda _: session.request("GET", path), range(rounds * connections)))


def drive_page(session, path, *, requests, connections, cpu=None):
    warm(session, path, connections=connections)
    before = cpu.read() if cpu else (None, None)
    times, statuses, queries = [], [], []
    lock = threading.Lock()

    def one(_):
        try:
            response, _, elapsed = session.request("GET", path)
            status, count = response.status, response.headers.get(QUERY_HEADER)
        except OSError as error:
            status, count, elapsed = f"error: {error}", None, 0.0
        with lock:
            times.append(elapsed)
            statuses.append(status)
            if count is not None:
                queries.append(int(count))

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(one, range(requests)))
    wall = time.perf_counter() - started
    after = cpu.read() if cpu else (None, None)
    return {
        **summary(times, statuses, queries, wall),
        "cpu_ms_per_request": cpu_per_request(before, after, requests),
    }


# How often the driver asks whether a file is ready: more eagerly than the page does (its script
# asks after 1 s, then every 2 s), so "ready" is late by at most this, without the asking
# itself taking the CPU the worker needs (every 0.1 s by two sessions was about half a core).
FILE_POLL_SECONDS = 0.5


def ask_for_file(session, path, data=None, *, timeout=300):
    """Ask for a background file through its page; seconds until its status says ready."""
    fields = {**session.form(path), **(data or {})}
    started = time.perf_counter()
    response, _, _ = session.request("POST", path, fields)
    if response.status != 302:
        raise RuntimeError(f"POST {path}: {response.status}")
    status_page = urlsplit(response.headers["Location"]).path
    status_json = status_page.rstrip("/") + "/status/"
    while time.perf_counter() - started < timeout:
        response, content, _ = session.request("GET", status_json)
        state = json.loads(content) if response.status == 200 else {}
        if state.get("status") in ("ready", "failed"):
            return {
                "seconds": round(time.perf_counter() - started, 2),
                "status": state["status"],
            }
        time.sleep(FILE_POLL_SECONDS)
    return {"seconds": None, "status": "timed out"}


def drive_files(sessions, files, *, base):
    """The busy case's chronology PDF twice at once, /healthz asked meanwhile; then each other
    file on its own."""
    results = {}
    health = Session(base)
    stop = threading.Event()
    health_times, health_statuses = [], []

    def poll_health():
        while not stop.is_set():
            response, _, elapsed = health.request("GET", "/healthz")
            health_times.append(elapsed)
            health_statuses.append(response.status)
            time.sleep(0.05)

    pair = [f for f in files if f.get("pair")]
    alone = [f for f in files if not f.get("pair")]
    if pair:
        spec = pair[0]
        poller = threading.Thread(target=poll_health)
        poller.start()
        with ThreadPoolExecutor(2) as pool:
            built = list(
                pool.map(lambda _: ask_for_file(sessions[spec["as"]], spec["path"]), range(2))
            )
        stop.set()
        poller.join()
        results[spec["name"]] = {
            "seconds": max((b["seconds"] or float("inf")) for b in built),
            "each": built,
            "status": "ready" if all(b["status"] == "ready" for b in built) else "failed",
        }
        results["healthz_while_building"] = summary(
            health_times, health_statuses, [], sum(health_times) or 1
        )
    for spec in alone:
        try:
            results[spec["name"]] = ask_for_file(
                sessions[spec["as"]], spec["path"], spec.get("data")
            )
        except RuntimeError as error:
            results[spec["name"]] = {"seconds": None, "status": str(error)}
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--web-pid", type=int, help="gunicorn's master, for the CPU it spends")
    args = parser.parse_args(argv)
    cpu = ServiceCPU(args.web_pid) if args.web_pid else None
    with open(args.plan) as f:
        plan = json.load(f)
    sessions = {}
    for key, person in plan["people"].items():
        session = Session(args.base)
        session.sign_in(person["email"], person["password"], person["key"], person.get("home", "/"))
        sessions[key] = session
        # One sign-in per code: the next person's code may be in the same 30 seconds, which
        # is fine, as codes are per person.
    results = {"pages": {}, "files": {}}
    for page in plan["pages"]:
        results["pages"][page["name"]] = {
            "path": page["path"],
            "as": page["as"],
            **drive_page(
                sessions[page["as"]],
                page["path"],
                requests=page.get("requests", plan.get("requests", 80)),
                connections=plan.get("connections", 8),
                cpu=cpu,
            ),
        }
        print(
            f"{page['name']:<32} p50 {results['pages'][page['name']]['p50_ms']:>8} ms  "
            f"p95 {results['pages'][page['name']]['p95_ms']:>8} ms",
            flush=True,
        )
    if plan.get("files"):
        results["files"] = drive_files(sessions, plan["files"], base=args.base)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
