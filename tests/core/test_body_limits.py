"""Oversized bodies are refused, with the service's 413 page, before anything reads them."""

import io
import socket
import sys

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse

from safeguarding.accounts.roles import Role

from ..helpers import verified_client
from .production import collected_static, gunicorn

# The WSGI handler closes stale database connections at the end of each request.
pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class UnreadableInput(io.RawIOBase):
    """A wsgi.input that records any attempt to read the body, and has none to give."""

    def __init__(self):
        self.reads = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        self.reads += 1
        raise AssertionError("the request body was read")


def call_wsgi(path, *, content_type, length=None, headers=None, cookies=""):
    """The service's real WSGI application, called as gunicorn would call it."""
    body = UnreadableInput()
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "testserver",
        "CONTENT_TYPE": content_type,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": body,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **({"CONTENT_LENGTH": str(length)} if length is not None else {}),
        **({"HTTP_COOKIE": cookies} if cookies else {}),
        **(headers or {}),
    }
    started = {}

    def start_response(status, response_headers, exc_info=None):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(response_headers)

    content = b"".join(WSGIHandler()(environ, start_response))
    return started["status"], started["headers"], content.decode(), body.reads


def assert_413_page(status, html):
    assert status == 413
    assert "What you sent is too large" in html
    assert "smaller than 20MB" in html
    assert "OFFICIAL-SENSITIVE" in html  # the service's own page, not a server's
    assert "Traceback" not in html and "RequestDataTooBig" not in html


def test_a_60_mb_anonymous_upload_is_refused_before_its_body_is_read():
    status, headers, html, reads = call_wsgi(
        reverse("requests:document_add", args=[1]),
        content_type="multipart/form-data; boundary=----x",
        length=60 * MB,
    )
    assert reads == 0
    assert_413_page(status, html)
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["X-Frame-Options"] == "DENY"


def test_an_oversized_form_is_refused_before_its_body_is_read():
    status, _, html, reads = call_wsgi(
        reverse("accounts:login"),
        content_type="application/x-www-form-urlencoded",
        length=2 * MB + 1,
    )
    assert reads == 0
    assert_413_page(status, html)


def test_uploads_are_for_signed_in_people_only():
    """An upload-sized body (under the upload limit) from anyone not signed in is refused
    before CSRF or the sign-in redirect would read it."""
    status, _, html, reads = call_wsgi(
        reverse("requests:document_add", args=[1]),
        content_type="multipart/form-data; boundary=----x",
        length=5 * MB,
    )
    assert reads == 0
    assert_413_page(status, html)


def test_a_chunked_body_from_anyone_not_signed_in_is_refused_unread():
    status, _, html, reads = call_wsgi(
        reverse("accounts:login"),
        content_type="application/x-www-form-urlencoded",
        headers={"HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert reads == 0
    assert_413_page(status, html)


def test_a_signed_in_upload_under_the_limit_is_let_through(client, make_user):
    """The limit is not a wall: a signed-in person's 5 MB body reaches the view (which then
    says the request does not exist: there is none with this id)."""
    verified_client(client, make_user(Role.AGENCY_CONTRIBUTOR))
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (5 * MB))
    big.name = "report.pdf"
    response = client.post(
        reverse("requests:document_add", args=[999999]), {"file": big, "title": "x"}
    )
    assert response.status_code == 404


def test_a_huge_form_shows_the_413_page(client):
    response = client.post(reverse("accounts:login"), {"username": "x" * (3 * MB)})
    assert_413_page(response.status_code, response.content.decode())


@pytest.mark.parametrize("debug", [False, True])
def test_djangos_own_too_big_error_is_the_413_page_never_a_technical_one(
    client, make_user, settings, debug
):
    """A multipart body under the upload limit whose form part is over 2 MB: Django raises
    RequestDataTooBig while parsing it. With DEBUG on too, the person sees the 413 page."""
    settings.DEBUG = debug
    verified_client(client, make_user(Role.PDEO))
    small = io.BytesIO(b"%PDF-1.4\n")
    small.name = "small.pdf"
    response = client.post(
        reverse("requests:document_add", args=[1]),
        {"file": small, "title": "x" * (3 * MB)},
    )
    assert_413_page(response.status_code, response.content.decode())


def test_gunicorn_answers_413_before_the_body_is_sent(tmp_path, tmp_path_factory):
    """Over a real socket: the headers announce 60 MB, no byte of the body is sent, and the
    413 page comes back at once. A chunked body that never ends is refused the same way."""
    static = collected_static(tmp_path_factory)
    # The proxy in front says the request came over HTTPS (so no redirect to it).
    with gunicorn(tmp_path, static_root=static, env={"BEHIND_TLS_PROXY": "true"}) as (port, _):
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(
                b"POST /account/sign-in/ HTTP/1.1\r\n"
                b"Host: cases.example.org\r\n"
                b"Content-Type: multipart/form-data; boundary=----x\r\n"
                + f"Content-Length: {60 * MB}\r\n\r\n".encode()
            )
            response = b""
            while chunk := sock.recv(65536):
                response += chunk
        head, _, body = response.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"What you sent is too large" in body

        # A chunked body from someone not signed in: gunicorn hands the header on, and the
        # service refuses after the first chunk without asking for more.
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(
                b"POST /account/sign-in/ HTTP/1.1\r\n"
                b"Host: cases.example.org\r\n"
                b"X-Forwarded-Proto: https\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Transfer-Encoding: chunked\r\n\r\n"
                b"10\r\nusername=someone\r\n"
            )
            response = b""
            while chunk := sock.recv(65536):
                response += chunk
        head, _, body = response.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        assert b"What you sent is too large" in body
