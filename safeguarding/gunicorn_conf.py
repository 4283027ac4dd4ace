"""gunicorn's settings for the production image (the Dockerfile's CMD; docker-compose.yml runs it).

Command-line arguments still override these (the health check test binds to a free port).
"""

import gc
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Sync workers close the connection after every response, so a body the service refused
# unread (RequestBodyLimitMiddleware) is never drained by gunicorn either.
worker_class = "sync"

# Forwarded headers (X-Forwarded-Proto and friends) are believed only from the proxy in front:
# its address as this container sees it, comma separated. Never "*" (anyone who can reach the
# port could then claim HTTPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Access log: the path without its query string (case searches put names in `?q=`), and no
# Referer (the previous page's query string) or user agent.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)ss'

# No runtime control socket (gunicornc): nothing here needs it, and it is one less way in.
control_socket_disable = True

# A web worker is replaced before it grows past WEB_WORKER_MAX_MIB (300 MiB by default): after
# MAX_REQUESTS requests (with jitter, so the workers are not all replaced at once), which is
# gunicorn's own standard way, and, checked after every request, as soon as its resident
# memory passes WEB_WORKER_RESTART_MIB (a margin below the ceiling: a worker finishes the
# request it is serving before it leaves). The master starts a fresh one; nothing is dropped.
max_requests = int(os.environ.get("MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER", "100"))
WEB_WORKER_RESTART_MIB = int(os.environ.get("WEB_WORKER_RESTART_MIB", "250"))

# The service is loaded once, in the master, and each worker is a fork of it: a worker that
# replaces another serves at once, where loading the service anew took it 1.2 s, in which
# the other workers took its share (the benchmark saw a page's p95 go from 72 ms to 294 ms
# when it came during one; docs/performance.md, "Twenty-third round"). Loading opens no
# connection (each worker opens its own). New code needs the master restarted, not a HUP:
# a deploy replaces the container.
preload_app = True


def resident_mib():
    """This process's resident memory now (Linux), in MiB; None where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def post_request(worker, req, environ, resp):
    size = resident_mib()
    if size is not None and size > WEB_WORKER_RESTART_MIB:
        worker.log.info("worker %s at %.0f MiB: restarting after this request", worker.pid, size)
        worker.alive = False


# What a worker makes on its first pages and keeps for good (compiled templates, Django's
# caches of models, URLs and content types: about 50,000 objects after a home page, 80,000
# after every kind of page) was walked by every full collection, one every hundred requests
# or so: 13-17 ms on an idle core, 20-57 ms under the benchmark's load, added to whichever
# page was being served. So it is frozen too, a few times as the worker warms up: before the
# request after these many, when nothing of a request is alive, and after a collection, so
# that no garbage is frozen with it (frozen, it could never be freed). A full collection then
# walks about 5,000 objects: 1.2 ms (docs/performance.md, "Twenty-third round").
FREEZE_AGAIN_AFTER = (10, 50, 100, 400)


def pre_request(worker, req):
    if worker.nr in FREEZE_AGAIN_AFTER:
        gc.collect()
        gc.freeze()


def when_ready(server):
    """In the master, once the service is loaded and before the first worker is forked: what
    each worker would otherwise load on its first pages (safeguarding/warm.py)."""
    if server.cfg.preload_app:
        from safeguarding.warm import warm_up  # noqa: PLC0415 (Django is set up by now)

        warm_up()


def post_worker_init(worker):
    """Once a worker has the service (forked from the master, which loaded it), its objects
    (about 230,000: modules, models, URL patterns, settings) are moved out of the garbage
    collector's sight (`gc.freeze`).
    They live as long as the worker, yet every full collection walked them all: about
    100 ms, once every couple of hundred requests, added to whichever page was being served
    (docs/performance.md, "Fifth round")."""
    gc.freeze()
