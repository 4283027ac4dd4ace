"""What a web worker would otherwise load on its first requests, loaded once in gunicorn's
master before it forks them (`when_ready` in safeguarding/gunicorn_conf.py).

`preload_app` gives each worker the service as Django sets it up: settings, apps and models.
The rest came on the worker's first pages: every view module (imported when the first URL is
resolved), every template compiled and its tag libraries imported, and the 279 modules of
the bank holidays library. A fresh worker's first page cost 290 ms of CPU against 30 for the
same page after (docs/performance.md, "Twenty-seventh round"), and gunicorn replaces each
worker every thousand requests or so (`max_requests`), so some page paid it every few
minutes on a busy day, and the other workers' pages waited behind it.
"""

import logging
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_backends
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.backends.django import DjangoTemplates
from django.urls import URLResolver, get_resolver
from django.utils import formats, timezone, translation
from django.utils.module_loading import import_string

from safeguarding.deadlines.calendar import bank_holidays

logger = logging.getLogger(__name__)

# What a template directory holds that is a template (not an image or a font beside one).
TEMPLATE_SUFFIXES = (".html", ".txt")


def warm_up():
    """Load it all. Returns how much of each was loaded, for the log and the tests. A step
    that fails is logged and left to the workers' first pages: the warm-up saves time, it
    must never keep the service from starting."""
    done = {}
    for name, step in _steps():
        try:
            done[name] = step()
        except Exception:
            logger.exception("Not warmed up before forking the workers: %s", name)
            done[name] = None
    logger.info("Warmed up before forking the workers: %s", done)
    return done


def _steps():
    return (
        ("views", _views),
        ("modules", _modules),
        ("templates", _templates),
        ("calendar_years", _calendar),
        ("content_types", _content_types),
    )


def _django_engines():
    """The Django template engines (another kind, Jinja2 say, keeps no cached loader)."""
    return [engine for engine in engines.all() if isinstance(engine, DjangoTemplates)]


def _views(resolver=None):
    """Every URL pattern, so every view module (and the forms and selectors they import), and
    each resolver's index for `reverse`: what the first `resolve` and the first `reverse` in
    each namespace would do. Returns how many views."""
    resolver = resolver or get_resolver()
    resolver.reverse_dict  # noqa: B018 (built when first read)
    views = 0
    for pattern in resolver.url_patterns:
        views += _views(pattern) if isinstance(pattern, URLResolver) else 1
    return views


def _modules():
    """What Django imports when a request first asks for it: the cache's backend (and the
    Redis client's 60 modules), the session engine, the message storage, the sign-in
    backends, the templates' context processors and the date formats of the service's
    language."""
    imported = [import_string(cache["BACKEND"]) for cache in settings.CACHES.values()]
    imported.append(import_module("redis"))  # by Django's Redis cache on its first use
    imported += [import_module(settings.SESSION_ENGINE), import_string(settings.MESSAGE_STORAGE)]
    imported += get_backends()
    for engine in _django_engines():
        imported += engine.engine.template_context_processors
    with translation.override(settings.LANGUAGE_CODE):
        formats.get_format("DATE_FORMAT")
    return len(imported)


def template_names(engine):
    """Every template the engine's loaders can find, by the name a view asks for it by."""
    names = set()
    for loader in engine.engine.template_loaders:
        for source in getattr(loader, "loaders", [loader]):  # the cached loader's own
            for directory in source.get_dirs():
                directory = Path(directory)
                if not directory.is_dir():
                    continue
                for path in directory.rglob("*"):
                    if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                        names.add(path.relative_to(directory).as_posix())
    return sorted(names)


def _templates():
    """Each template compiled into the cached loader, which keeps it for the process."""
    compiled = 0
    for engine in _django_engines():
        for name in template_names(engine):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError) as error:
                # A page using it would fail the same way: the tests compile every template.
                logger.warning("Template %s not compiled: %s", name, error)
                continue
            compiled += 1
    return compiled


def _calendar():
    """The bank holidays of the years the clocks mostly fall in."""
    this_year = timezone.localdate().year
    years = range(this_year - 1, this_year + 2)
    for year in years:
        bank_holidays(year)
    return len(years)


def _content_types():
    """Django's cache of content types (the clocks' generic keys ask it on most pages). The
    master closes its connection before it forks: each worker opens its own. Without a
    database to ask, each worker asks as before."""
    try:
        return len(ContentType.objects.get_for_models(*apps.get_models()))
    except DatabaseError as error:
        logger.warning("Content types not read before forking: %s", error)
        return 0
    finally:
        connections.close_all()
