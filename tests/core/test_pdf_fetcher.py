"""A PDF loads the service's own static files and nothing else: no file://, no other server."""

import http.server
import io
import threading

import pytest
from pypdf import PdfReader

from safeguarding import pdf_fetcher
from safeguarding.documents import render_pdf

TEMPLATE = """{% extends "components/pdf_base.html" %}{% load static %}
{% block body %}
<h1>Fetch test</h1>
<img src="file:///etc/passwd" alt="">
<img src="file:///etc/hostname" alt="">
<img src="http://127.0.0.1:{{ port }}/tracker.png" alt="">
<link rel="stylesheet" href="http://127.0.0.1:{{ port }}/remote.css">
<img src="data:image/png;base64,iVBORw0KGgo=" alt="">
<img src="/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="">
<img src="{% static 'assets/images/govuk-icon-192.png' %}" alt="Our own image">
{% endblock %}
"""


class CountingServer(http.server.ThreadingHTTPServer):
    hits = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    server = CountingServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetches(monkeypatch):
    """A spy on the real fetcher: every URL WeasyPrint asks for, and what the fetcher did."""
    seen = []
    original = pdf_fetcher.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        try:
            response = original(self, url, headers)
        except pdf_fetcher.RefusedURL:
            seen.append((url, "refused"))
            raise
        seen.append((url, "served"))
        return response

    monkeypatch.setattr(pdf_fetcher.StaticFilesFetcher, "fetch", spy)
    return seen


def test_a_pdf_loads_only_the_services_static_files(tmp_path, settings, http_server, fetches):
    (tmp_path / "fetch_test.html").write_text(TEMPLATE)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    port = http_server.server_address[1]

    pdf = render_pdf("fetch_test.html", {"title": "Fetch test", "port": port})

    assert pdf.startswith(b"%PDF")
    outcome = dict(fetches)
    assert outcome["file:///etc/passwd"] == "refused"
    assert outcome["file:///etc/hostname"] == "refused"
    assert outcome[f"http://127.0.0.1:{port}/tracker.png"] == "refused"
    assert outcome[f"http://127.0.0.1:{port}/remote.css"] == "refused"
    assert outcome["data:image/png;base64,iVBORw0KGgo="] == "refused"
    assert outcome["file:///static/%2e%2e/%2e%2e/%2e%2e/etc/passwd"] == "refused"
    assert http_server.hits == 0  # the other server was never called
    assert outcome["file:///static/assets/images/govuk-icon-192.png"] == "served"
    assert set(outcome.values()) == {"refused", "served"}

    # The one image allowed is in the document; nothing else is.
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 1
    assert page.images[0].image.size == (192, 192)


def test_static_file_resolves_only_inside_the_static_folders():
    assert pdf_fetcher.static_file("file:///static/assets/images/favicon.svg").is_file()
    assert pdf_fetcher.static_file("file:///static/%2e%2e/%2e%2e/etc/passwd") is None
    assert pdf_fetcher.static_file("file:///static/no-such-file.png") is None
    assert pdf_fetcher.static_file("file:///etc/passwd") is None
    assert pdf_fetcher.static_file("file://otherhost/static/assets/images/favicon.svg") is None
    assert pdf_fetcher.static_file("http://127.0.0.1/static/assets/images/favicon.svg") is None
