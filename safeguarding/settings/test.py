"""Settings for the test suite: the same service, with fast hashing and eager Celery.

DATABASE_URL still chooses the database, so CI runs the suite on PostgreSQL and a fresh machine
on SQLite. The real-worker tests switch eager mode off for themselves.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
# The suite runs with DEBUG off and email captured (locmem, or files for the real worker).
os.environ.setdefault("EMAIL_ALLOW_UNSENT", "true")

from .base import *  # noqa: E402,F403
from .base import DATABASES, STORAGES, VAR_DIR, env  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Each test process keeps its own answers, whatever CACHE_URL says: a shared Redis would let
# pytest-xdist's processes clear and read each other's keys (user ids repeat from test to test),
# and Redis expires keys by the real clock where the tests travel in time (time_machine).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not Django's shared in-memory database: the live server's request threads then
    # have connections of their own, and WAL lets a journey's page read while the test writes
    # as the worker would (in memory they shared one connection, and a page polled during the
    # write failed with "database table is locked"). pytest-xdist gives each process its own.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
