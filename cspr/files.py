"""The PDEO's pack for the Case Review Panel before a meeting: the review, its terms of
reference, who is on it, each agency's accepted information and the integrated chronology, as
one PDF made in the background (registered in apps.py)."""

from django.http import Http404
from django.utils import timezone

from safeguarding.accounts.roles import COMMISSION_LOCAL_REVIEW, VIEW_CASE
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


# --- The learning briefing ("7-minute briefing"): one page, for anyone who may read the review,
# shared with practitioners: the pseudonym only, never a child's or family member's details.

LEARNING_BRIEFING = "learning_briefing"


def briefing_review(case):
    """The review of a case with its briefing written, or a 404."""
    review = selectors.review_for(case)
    if selectors.briefing(review) is None:
        raise Http404("The learning briefing is not written yet")
    return review


def _briefing_case(user, params):
    case = case_for(user, params["reference"])
    briefing_review(case)
    return case


def build_briefing(case, params, user, progress):
    progress(5, "Gathering the learning")
    review = briefing_review(case)
    briefing = selectors.briefing(review)
    pdf = render_pdf(
        "cspr/briefing_pdf.html",
        {
            "case": case,
            "review": review,
            "briefing": briefing,
            "recommendations": list(review.recommendations.order_by("number")),
            "themes": selectors.themes_of(review),
            "generated": timezone.now(),
            "title": f"Learning briefing – {case.reference} ({case.pseudonym})",
        },
        progress=progress,
    )
    return Built(
        pdf,
        f"{case.reference}-learning-briefing.pdf",
        "application/pdf",
        f"{case} learning briefing (version {briefing.version})",
    )


BRIEFING = FileKind(
    name=LEARNING_BRIEFING,
    permission=VIEW_CASE,
    subject=_briefing_case,
    build=build_briefing,
    title=lambda case, params: f"Learning briefing – {case.reference}",
    action=AccessLog.Action.PDF,
)
