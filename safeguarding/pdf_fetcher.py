"""What a PDF may load: the service's own static files, nothing else.

WeasyPrint would otherwise fetch any URL a template (or text typed into it) names, file://
included, so a document could carry /etc/passwd or call out to another server. This fetcher
serves `/static/...` (what `{% static %}` gives) from the staticfiles finders or STATIC_ROOT,
and refuses every other URL; WeasyPrint logs the refusal and leaves that resource out.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse


class RefusedURL(ValueError):
    """A URL a PDF may not load."""


def static_file(url):
    """The file behind a `/static/...` URL of this service, or None."""
    parts = urlsplit(url)
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    # Relative to the PDF's file:// base URL, `/static/x` becomes file:///static/x.
    if parts.scheme != "file" or parts.netloc or not parts.path.startswith(prefix):
        return None
    name = unquote(parts.path[len(prefix) :])
    if not name:
        return None
    try:
        found = finders.find(name)
        if found is None:
            # Production: hashed names exist only in STATIC_ROOT, after collectstatic.
            candidate = Path(safe_join(settings.STATIC_ROOT, name))
            found = candidate if candidate.is_file() else None
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None


class StaticFilesFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=("file",), allow_redirects=False)

    def fetch(self, url, headers=None):
        path = static_file(url)
        if path is None:
            raise RefusedURL(f"only the service's own static files may be loaded, not {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
