"""The PDEO's pack for the Case Review Panel before a meeting: the review, its terms of
reference, who is on it, each agency's accepted information and the integrated chronology, as
one PDF made in the background (registered in apps.py)."""

from django.utils import timezone

from safeguarding.accounts.roles import COMMISSION_LOCAL_REVIEW
from safeguarding.audit.models import AccessLog
from safeguarding.cases.selectors import case_for
from safeguarding.contributions import selectors as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.documents import render_pdf
from safeguarding.files.kinds import Built, FileKind

from . import selectors

PANEL_PACK = "local_review_pack"


def _case(user, params):
    case = case_for(user, params["reference"])
    selectors.review_for(case)  # a 404 without a local review
    return case


def build_pack(case, params, user, progress):
    progress(5, "Collating the information")
    review = selectors.review_for(case)
    entries = list(contributions.integrated_chronology(case))
    responses = list(
        InformationRequest.objects.filter(case=case, status=InformationRequest.Status.ACCEPTED)
        .select_related("agency")
        .order_by("agency__name")
    )
    terms = getattr(review, "terms", None)
    pdf = render_pdf(
        "cspr/pack_pdf.html",
        {
            "case": case,
            "review": review,
            "terms": terms,
            "team": list(selectors.appointments(review)),
            "responses": responses,
            "days": contributions.by_day(entries),
            "generated": timezone.now(),
            "title": f"Case Review Panel pack – {case.reference}",
        },
        progress=progress,
    )
    return Built(
        pdf,
        f"{case.reference}-panel-pack.pdf",
        "application/pdf",
        f"{case} local review pack for the Case Review Panel, {len(entries)} entries",
    )


PACK = FileKind(
    name=PANEL_PACK,
    permission=COMMISSION_LOCAL_REVIEW,
    subject=_case,
    build=build_pack,
    title=lambda case, params: f"Case Review Panel pack – {case.reference}",
    action=AccessLog.Action.PDF,
)
