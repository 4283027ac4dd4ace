"""PDFs from the same data as the pages (WeasyPrint): every page marked OFFICIAL-SENSITIVE,
with the partnership's name and page numbers, tagged for assistive technology."""

from django.conf import settings
from django.template.loader import render_to_string

from .pdf_fetcher import StaticFilesFetcher


def render_pdf(template, context):
    from weasyprint import HTML

    html = render_to_string(
        template,
        {
            "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
            "SERVICE_NAME": settings.SERVICE_NAME,
            **context,
        },
    )
    # Only the service's own static files may be loaded (see pdf_fetcher): never file:// or
    # another server.
    return HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=StaticFilesFetcher()
    ).write_pdf(pdf_tags=True)
