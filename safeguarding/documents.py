"""PDFs from the same data as the pages (WeasyPrint): every page marked OFFICIAL-SENSITIVE,
with the partnership's name and page numbers, tagged for assistive technology."""

from django.conf import settings
from django.template.loader import render_to_string


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
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)
