"""The rapid review as a PDF, in the order of the headings partnerships use (docs/domain.md).
Children appear by pseudonym only: the PDF goes outside the partnership."""

from django.utils import timezone

from notifications.models import Notification
from safeguarding.accounts.models import Agency
from safeguarding.cases.selectors import ChildView
from safeguarding.documents import render_pdf

from . import selectors
from .models import CriterionAnswer

HEADINGS = [
    "1. Key dates and references",
    "2. The child and family",
    "3. The incident and the current situation",
    "4. Agency involvement",
    "5. Analysis of practice",
    "6. Immediate actions and learning identified",
    "7. The criteria, the decision and its rationale",
    "8. Sign-off by the safeguarding partners",
]


def rapid_review_pdf(review, *, final=False):
    """The review as a PDF: a draft (stamped so on every page) or, made once by "final for
    sending", the version to send (no draft stamp)."""
    case = review.case
    notification = Notification.objects.filter(case=case).first()
    answers = selectors.criteria_answers(review)
    signed = selectors.sign_offs(review)
    context = {
        "title": f"Rapid review – {case.reference} – {case.pseudonym}",
        "review": review,
        "case": case,
        "notification": notification,
        "headings": HEADINGS,
        "children": [ChildView(c, False, case.incident_date) for c in case.children.all()],
        "responses": selectors.accepted_responses(case),
        "criteria": [
            (label, answers.get(code)) for code, label in CriterionAnswer.Criterion.choices
        ],
        "partners": [
            (Agency.Kind(kind).label, signed.get(kind))
            for kind in Agency.SAFEGUARDING_PARTNER_KINDS
        ],
        "kloes": review.kloe_list(),
        "generated": timezone.now(),
        "final": final,
    }
    return render_pdf("rapid_reviews/pdf.html", context)
