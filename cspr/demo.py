"""Demo local reviews (fictional; run by seed_demo after the rapid reviews), each told on its own
dates:

- review-in-progress: a local review the partners decided on without a rapid review about ten
  weeks ago, commissioned (an independent Lead Reviewer, the Panel Chair as its Chair, two Case
  Review Panel members), the national Panel told, terms of reference agreed, one progress check;
  both also have a practitioner learning event (who was invited from each agency and who
  came), the family's part (by relationship), and a first draft of the report circulated to the
  Case Review Panel, commented on by the police and health members and answered by the Lead
  Reviewer (comments closed, D14 met);
- review-published: decided about eight months ago and published within the 6 months, after
  the Case Review Panel, the Case Review Group and the Executive approved it.

Found again by the child's name, like every demo case.
"""

from datetime import time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from notifications import services as notifications
from notifications.models import Referral
from safeguarding.actions import services as action_services
from safeguarding.actions.models import Action
from safeguarding.cases.models import Case
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.services import mark_missed
from safeguarding.demo import as_of

from . import services
from .models import Appointment, Approval, LearningTheme, LocalReview

HOSPITALS = "Northbridge Hospitals NHS Foundation Trust"
SCHOOLS = "Northbridge Education Partnership"
R = Appointment.Role

STORIES = {
    "review-in-progress": {
        "child": "Leo Marsh",
        "agency": SCHOOLS,
        "decided_days_ago": 70,
        "outline": "Eleven-year-old admitted with severe malnutrition after months out of school; "
        "several agencies had contact with the family.",
    },
    "review-published": {
        "child": "Ava Whitfield",
        "agency": HOSPITALS,
        "decided_days_ago": 245,
        "outline": "Toddler seriously injured by a dog at home, where neglect had long been "
        "suspected; the partners decided to review how agencies worked together.",
    },
}


def demo_review_case(key):
    return Case.objects.filter(children__name=STORIES[key]["child"]).order_by("pk").first()


def seed(*, agencies, users):
    people = {
        "pdeo": users["pdeo@northbridge.example"],
        "chair": users["chair@northbridge.example"],
        "lead": users["lead.reviewer@northbridge.example"],
        "police_member": users["panel.police@northbridge.example"],
        "health_member": users["panel.health@northbridge.example"],
        "executive": users["executive@northbridge.example"],
        "police_contributor": users["contributor.police@northbridge.example"],
        "health_contributor": users["contributor.health@northbridge.example"],
    }
    made = []
    for key, story in STORIES.items():
        case = demo_review_case(key)
        if case is None:
            review = _tell(key, story, agencies, people)
            case = review.case
        review = LocalReview.objects.get(case=case)
        made.append(
            f"  demo local review: {case.reference} ({review.get_status_display().lower()})"
        )
    mark_missed()
    return made


def _at(hour, minute=0):
    return time(hour, minute)


def _tell(key, story, agencies, people):
    pdeo, chair = people["pdeo"], people["chair"]
    today = timezone.localdate()
    calendar = current_calendar()
    decided = today - timedelta(days=story["decided_days_ago"])
    while not calendar.is_working_day(decided):
        decided -= timedelta(days=1)
    received = calendar.subtract_working_days(decided, 6)

    def day(n):
        return decided + timedelta(days=n)

    with as_of(received, by=pdeo, at=_at(9, 20)):
        referral = notifications.record_referral(
            user=pdeo,
            referring_agency=agencies[story["agency"]],
            referrer_name="Dr Priya Nair",
            referrer_role="Named Doctor",
            received_on=received,
            what_happened=story["outline"],
            why_serious="Serious harm; neglect suspected.",
            nature=Case.Nature.SERIOUS_HARM,
            child_name=story["child"],
            child_age_years=11 if key == "review-in-progress" else 2,
            incident_date=received - timedelta(days=2),
        )
        case = referral.case
    with as_of(calendar.add_working_days(received, 1), by=chair, at=_at(11)):
        notifications.screen_referral(
            referral=referral,
            user=chair,
            decision=Referral.Decision.CONSIDER_REVIEW,
            reason="The CSPR Panel will consider a local review.",
        )
    with as_of(decided, by=pdeo, at=_at(16)):
        review = services.start_local_review(
            case=case,
            user=pdeo,
            decided_on=decided,
            decided_by="The three safeguarding partners, at the Executive Group",
            reasons="Concerns about how agencies shared what they knew about the family.",
            key_lines_of_enquiry="How did agencies share information about the family?\n"
            "Was the child seen and heard?\nHow was neglect recognised and escalated?",
        )
    with as_of(day(2), by=pdeo, at=_at(10)):
        for person, role in (
            (people["lead"], R.LEAD_REVIEWER),
            (chair, R.REVIEW_CHAIR),
            (people["police_member"], R.CRP_MEMBER),
            (people["health_member"], R.CRP_MEMBER),
        ):
            services.appoint(review=review, user=pdeo, person=person, role=role)
    with as_of(day(3), by=pdeo, at=_at(14)):
        services.record_national_panel_told(
            review=review,
            user=pdeo,
            told_on=day(3),
            reviewer_named=people["lead"].full_name,
        )
    with as_of(day(10), by=pdeo, at=_at(11)):
        terms = services.save_terms(
            review=review,
            user=pdeo,
            expected_version=0,
            scope="The agencies' work with the child and family in the two years before.",
            period_from=received - timedelta(days=730),
            period_to=received,
            key_lines_of_enquiry=review.key_lines_of_enquiry,
            method="silp",
            family_involvement="The parents will be invited to meet the Lead Reviewer.",
            timescale="Report to the Executive within five months.",
            governance="The Chair reports to the CSPR Panel at each meeting.",
        )
    with as_of(day(11), by=chair, at=_at(15)):
        services.agree_terms(terms=terms, user=chair, expected_version=terms.version)
    with as_of(day(56), by=pdeo, at=_at(10)):
        services.record_progress_check(
            review=review,
            user=pdeo,
            checked_on=day(56),
            timeliness="On track: agency reports in, learning event booked.",
            quality="Agency reports thorough; the school's needs more on attendance.",
        )
    _gather(review, people, day)
    _themes(review, key, pdeo, day)
    if key != "review-published":
        return review
    with as_of(day(112), by=pdeo, at=_at(10)):
        services.record_progress_check(
            review=review,
            user=pdeo,
            checked_on=day(112),
            timeliness="Draft report with the panel; on track for publication.",
            quality="The draft answers each key line of enquiry.",
        )
    plan = _recommendations(review, people, agencies, day)
    for step, n, who in (
        (Approval.Step.CRP, 130, pdeo),
        (Approval.Step.CRG, 137, pdeo),
        (Approval.Step.EXECUTIVE, 144, people["executive"]),
    ):
        with as_of(day(n), by=who, at=_at(12)):
            review.refresh_from_db()
            services.record_approval(
                review=review,
                user=who,
                step=step,
                approved_on=day(n),
                present="Members as recorded in the meeting's minutes.",
            )
        if step != Approval.Step.CRP:  # the action plan, signed off at the same meetings
            with as_of(day(n), by=who, at=_at(12, 30)):
                services.record_approval(
                    review=review,
                    user=who,
                    step=step,
                    approved_on=day(n),
                    present="Members as recorded in the meeting's minutes.",
                    subject=Approval.Subject.ACTION_PLAN,
                )
    with as_of(day(160), by=people["lead"], at=_at(14)):
        services.save_briefing(
            review=review,
            user=people["lead"],
            expected_version=0,
            **{**BRIEFING, "summary": BRIEFING["summary"].format(pseudonym=review.case.pseudonym)},
        )
    with as_of(day(145), by=pdeo, at=_at(9)):
        services.plan_publication(review=review, user=pdeo, planned_on=day(165))
    with as_of(day(150), by=pdeo, at=_at(9)):
        services.record_report_sent(review=review, user=pdeo, sent_on=day(150))
    with as_of(day(165), by=pdeo, at=_at(9)):
        services.publish(
            review=review,
            user=pdeo,
            published_on=day(165),
            link="https://www.northbridge.example/safeguarding/reviews/child-b",
            media_plan="A press statement on the day; briefings for staff the week before.",
        )
    _plan_progress(plan, people)
    return review


# --- Learning: themes on both reviews; the published one's recommendations, its action plan
# part done (one action closed on evidence, one overdue, one on track) and its briefing ---

THEMES = [
    ("Neglect", "Recognising cumulative neglect and escalating it."),
    ("Information sharing between agencies", "What was known, by whom, and whether it was shared."),
    ("The child's lived experience and voice", "Seeing the child and hearing what they say."),
    ("Professional curiosity", "Asking about who lives at home and what is behind the story."),
    ("Elective home education", "Children out of school and seen by no agency."),
    ("Working with fathers and men in the household", "Including every adult around the child."),
]
REVIEW_THEMES = {
    "review-in-progress": [
        "Neglect",
        "Elective home education",
        "Information sharing between agencies",
    ],
    "review-published": [
        "Neglect",
        "Information sharing between agencies",
        "Professional curiosity",
    ],
}
RECOMMENDATIONS = [
    # (text, [(agency, owner key, set on day n, due in days from today (negative: past), rag,
    #          what, measure of success)])
    (
        "Agencies share concerns about neglect with each other at a multi-agency meeting within "
        "five working days of a second concern.",
        [
            (
                "Northbridge Police",
                "police_contributor",
                -10,
                "red",
                "Add neglect to the public protection unit's daily briefing, so that officers "
                "attending a home with concerns about neglect refer the same day.",
                "A dip sample of 20 attendances shows a referral made in 18.",
            ),
        ],
    ),
    (
        "Health professionals ask who lives at home, and see the child alone, at every contact "
        "about an injury to a child under five.",
        [
            (
                HOSPITALS,
                "health_contributor",
                20,
                "green",
                "Add a prompt to the emergency department's record asking who lives at home and "
                "whether the child was seen alone.",
                "An audit of 30 attendances shows the prompt answered in 27.",
            ),
            (
                HOSPITALS,
                "health_contributor",
                75,
                "amber",
                "Train every health visitor in the team on seeing children alone and recording "
                "what they say.",
                "Training records show 90% of health visitors trained; a case audit shows the "
                "child's words recorded.",
            ),
        ],
    ),
]
BRIEFING = {
    "summary": "{pseudonym}, aged two, was seriously injured by a dog at home, where agencies had "
    "long had concerns about neglect. Police, health and the school each knew part of the "
    "picture; no one brought it together.",
    "key_learning": "Neglect is cumulative: look at the history, not only today's visit\n"
    "Ask who lives at home, and see the child alone\n"
    "A second concern is a reason to meet with the other agencies, not to wait",
    "questions": "When did you last see a child on your caseload alone?\n"
    "Who else knows this family, and have you spoken to them?\n"
    "What would make you call a multi-agency meeting?",
}


def _themes(review, key, pdeo, day):
    for name, description in THEMES:
        LearningTheme.objects.get_or_create(name=name, defaults={"description": description})
    with as_of(day(70), by=pdeo, at=_at(11)):
        services.set_themes(
            review=review,
            user=pdeo,
            themes=list(LearningTheme.objects.filter(name__in=REVIEW_THEMES[key])),
        )


def _recommendations(review, people, agencies, day):
    """The recommendations, from the final report, and their actions (set before the Case
    Review Panel agrees the report): [(action, owner key)]."""
    lead, pdeo = people["lead"], people["pdeo"]
    today = timezone.localdate()
    plan = []
    for n, (text, actions) in enumerate(RECOMMENDATIONS):
        with as_of(day(120 + n), by=lead, at=_at(10)):
            recommendation = services.add_recommendation(review=review, user=lead, text=text)
        for agency, owner, due_in, rag, what, measure in actions:
            with as_of(day(126), by=pdeo, at=_at(11)):
                action = services.set_recommendation_action(
                    recommendation=recommendation,
                    user=pdeo,
                    description=what,
                    owner_agency=agencies[agency],
                    owner=people[owner],
                    due_date=today + timedelta(days=due_in),
                    measure_of_success=measure,
                    rag=rag,
                )
            plan.append((action, owner))
    return plan


def _plan_progress(plan, people):
    """Since publication: the police's action is overdue (an update, red); the emergency
    department's prompt closed on evidence; health visitors' training on track."""
    today = timezone.localdate()
    (police, _), (prompt, _), (training, _) = plan
    officer, nurse, pdeo = (
        people["police_contributor"],
        people["health_contributor"],
        people["pdeo"],
    )
    with as_of(today - timedelta(days=40), by=officer, at=_at(10)):
        action_services.add_update(
            action=police,
            user=officer,
            text="The briefing item is drafted; the unit's inspector has not yet agreed it.",
            rag=Action.Rag.RED,
        )
    with as_of(today - timedelta(days=30), by=nurse, at=_at(15)):
        action_services.add_update(
            action=prompt, user=nurse, text="The prompt is built and in testing.", rag="green"
        )
    with as_of(today - timedelta(days=12), by=nurse, at=_at(9)):
        action_services.propose_closure(
            action=prompt,
            user=nurse,
            evidence="The prompt went live on 1 September; an audit of 30 attendances found it "
            "answered in 28.",
        )
    with as_of(today - timedelta(days=10), by=pdeo, at=_at(14)):
        action_services.accept_closure(action=prompt, user=pdeo, note="Audit seen: accepted.")
    with as_of(today - timedelta(days=5), by=nurse, at=_at(11)):
        action_services.add_update(
            action=training,
            user=nurse,
            text="Two of three sessions held; 60% of health visitors trained.",
            rag=Action.Rag.AMBER,
        )


# A one-page PDF standing in for the Lead Reviewer's draft (the upload check reads its bytes).
_TEXT = b"BT /F1 18 Tf 72 760 Td (Draft report: OFFICIAL-SENSITIVE) Tj ET"
DRAFT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    + f"4 0 obj<</Length {len(_TEXT)}>>stream\n".encode()
    + _TEXT
    + b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _gather(review, people, day):
    """Hearing from practitioners and the family, then the first draft's factual accuracy."""
    pdeo, lead = people["pdeo"], people["lead"]
    police, health = people["police_member"], people["health_member"]
    with as_of(day(30), by=lead, at=_at(15)):
        services.record_family_engagement(
            review=review,
            user=lead,
            relationship="mother",
            how="letter",
            approached_on=day(30),
            response="agreed",
            contributions="Met the Lead Reviewer at home: felt the school and the GP never "
            "compared notes, and that nobody asked her son what he wanted.",
        )
        services.record_family_engagement(
            review=review,
            user=lead,
            relationship="father (lives apart)",
            how="professional",
            approached_on=day(30),
            response="no_response",
        )
    with as_of(day(40), by=pdeo, at=_at(10)):
        event = services.record_learning_event(
            review=review, user=pdeo, kind="learning_event", held_on=day(45)
        )
        for agency, who in (
            (police.agency, "DC Sam Okafor, child protection investigator"),
            (health.agency, "Jo Rees, health visitor"),
            (health.agency, "Dr Amir Khan, GP"),
        ):
            services.invite_practitioner(event=event, user=pdeo, agency=agency, who=who)
    with as_of(day(45), by=lead, at=_at(16)):
        services.record_attendance(
            event=event,
            user=lead,
            attended=list(event.practitioners.exclude(who__startswith="Dr")),
            notes="Practitioners described working in parallel: each saw part of the picture "
            "and assumed another agency held the rest.",
        )
    with as_of(day(60), by=lead, at=_at(9)):
        draft = services.upload_draft(
            review=review,
            user=lead,
            upload=SimpleUploadedFile("draft-report-v1.pdf", DRAFT_PDF, "application/pdf"),
            note="First full draft for factual accuracy.",
        )
        services.circulate_draft(draft=draft, user=lead)
    with as_of(day(62), by=police, at=_at(11)):
        services.add_comment(
            draft=draft,
            user=police,
            agency=police.agency,
            where="Section 3, paragraph 2",
            comment="The strategy discussion was on the Tuesday, not the Thursday.",
        )
        services.finish_comments(draft=draft, user=police, agency=police.agency)
    with as_of(day(64), by=health, at=_at(14)):
        comment = services.add_comment(
            draft=draft,
            user=health,
            agency=health.agency,
            where="Page 7",
            comment="The health visitor made two home visits in March, not one.",
        )
        services.finish_comments(draft=draft, user=health, agency=health.agency)
    with as_of(day(66), by=lead, at=_at(10)):
        for made in draft.comments.all():
            services.respond_to_comment(
                comment=made,
                user=lead,
                outcome="changed",
                response="Corrected in the next version."
                if made != comment
                else "Corrected: both visits are now described.",
            )
