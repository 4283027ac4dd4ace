"""What gunicorn's master loads before it forks the web workers (safeguarding/warm.py), so a
fresh worker's first page costs what any other does."""

import logging

import pytest
from django.apps import apps
from django.template import engines
from django.test import override_settings

from safeguarding import warm
from safeguarding.deadlines.calendar import bank_holidays
from tests.security.urlwalk import all_routes


def _cached(engine):
    """The names of the templates the engine's cached loader holds compiled."""
    (loader,) = engine.engine.template_loaders
    return set(loader.get_template_cache)


@pytest.mark.django_db(transaction=True)  # it closes the connection, as the master does
def test_the_warm_up_compiles_every_template_and_loads_what_first_pages_would(caplog):
    engine = engines["django"]
    engine.engine.template_loaders[0].reset()
    bank_holidays.cache_clear()

    with caplog.at_level(logging.WARNING, logger="safeguarding.warm"):
        done = warm.warm_up()

    # Every template compiles: one that did not would be logged, and its page would fail.
    assert caplog.records == []
    names = warm.template_names(engine)
    assert {"base.html", "home.html", "admin/change_list.html"} <= set(names)
    assert done["templates"] == len(names)
    assert set(names) <= _cached(engine)
    # The bank holidays of last year, this year and next.
    assert bank_holidays.cache_info().currsize == done["calendar_years"] == 3
    # The cache backend, the Redis client, sessions, messages, sign-in, context processors.
    assert done["modules"] >= 9
    # Every view of every URLconf: the same walk the permission matrix makes.
    assert done["views"] == len(all_routes()) > 100
    assert done["content_types"] == len(apps.get_models())


@pytest.mark.django_db(transaction=True)
def test_a_template_that_does_not_compile_is_logged_and_the_rest_still_are(tmp_path, caplog):
    (tmp_path / "fine.html").write_text("<p>{{ value }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}never{% endif %}")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")  # not a template: not read
    settings = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "APP_DIRS": False,
        }
    ]
    with override_settings(TEMPLATES=settings), caplog.at_level(logging.WARNING):
        assert warm.template_names(engines["django"]) == ["broken.html", "fine.html"]
        done = warm.warm_up()
        assert _cached(engines["django"]) == {"fine.html"}

    assert done["templates"] == 1
    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "Template broken.html not compiled"
    ]


def test_gunicorn_warms_up_the_master_only_when_it_forks_the_loaded_service(monkeypatch):
    from safeguarding import gunicorn_conf

    calls = []
    monkeypatch.setattr(warm, "warm_up", lambda: calls.append("warmed"))

    class Server:
        class cfg:
            preload_app = False

    gunicorn_conf.when_ready(Server)
    assert calls == []  # the master never loaded the service: nothing to warm
    Server.cfg.preload_app = True
    gunicorn_conf.when_ready(Server)
    assert calls == ["warmed"]


@pytest.mark.django_db(transaction=True)
def test_a_step_that_fails_is_logged_and_the_others_still_load(monkeypatch, caplog):
    def broken():
        raise ImportError("no such module")

    steps = warm._steps()
    monkeypatch.setattr(warm, "_steps", lambda: (("views", broken), *steps[1:]))
    with caplog.at_level(logging.WARNING, logger="safeguarding.warm"):
        done = warm.warm_up()  # the master still starts its workers
    assert done["views"] is None
    assert done["templates"] > 150 and done["calendar_years"] == 3
    (record,) = caplog.records
    assert record.levelname == "ERROR" and "views" in record.getMessage()
    assert "no such module" in record.exc_text
