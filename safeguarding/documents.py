"""PDFs from the same data as the pages (WeasyPrint): every page marked OFFICIAL-SENSITIVE,
with the partnership's name and page numbers, tagged for assistive technology."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from .pdf_fetcher import StaticFilesFetcher


def _no_progress(per_cent, note=""):
    pass


def render_pdf(template, context, *, progress=_no_progress):
    """The PDF's bytes. `progress(per_cent, note)` hears how far it has got (for files built
    in the background)."""
    html = render_to_string(
        template,
        {
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "SERVICE_NAME": settings.SERVICE_NAME,
            **context,
        },
    )
    progress(30, "Laying out the pages")
    # Only the service's own static files may be loaded (see pdf_fetcher): never file:// or
    # another server.
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=StaticFilesFetcher()
    ).render(pdf_tags=True)
    progress(80, f"Writing {len(document.pages)} pages")
    return document.write_pdf(pdf_tags=True)
