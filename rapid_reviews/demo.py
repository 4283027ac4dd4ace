"""Demo rapid reviews (fictional; run by seed_demo after the notifications demo), each told on
its own dates:

- notified-on-time: in progress; the hospital's response accepted, the police's waiting for
  the PDEO, the school's overdue, and Wyre Community Health Services asked though nobody
  there has an account;
- notified-late: a local review decided; the local authority has signed off, the police and
  the ICB have not; the police's response was returned for amendment;
- sent-awaiting-reply: sent to the national Panel on time, the reply awaited.
"""

from datetime import time, timedelta

from notifications.demo import demo_case
from safeguarding.cases import services as cases
from safeguarding.cases.models import CaseTeamMember
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest
from safeguarding.deadlines.calendar import current_calendar
from safeguarding.deadlines.services import mark_missed
from safeguarding.demo import as_of

from . import services
from .models import CriterionAnswer, RapidReview

POLICE = "Northbridge Police"
HOSPITALS = "Northbridge Hospitals NHS Foundation Trust"
SCHOOLS = "Northbridge Education Partnership"
COMMUNITY = "Wyre Community Health Services"

QUESTIONS = (
    "Your agency's involvement with the child and household over the last two years: a "
    "summary, what went well, what could have been better, any immediate actions, and a "
    "chronology of significant events."
)


def seed(*, agencies, users):
    people = {
        "pdeo": users["pdeo@northbridge.example"],
        "la": users["deputy.chair@northbridge.example"],
        "police": users["panel.police@northbridge.example"],
        "icb": users["chair@northbridge.example"],
        "police_member": users["panel.police@northbridge.example"],
        "icb_member": users["panel.health@northbridge.example"],
        "police_contributor": users["contributor.police@northbridge.example"],
        "hospital_contributor": users["contributor.health@northbridge.example"],
    }
    calendar = current_calendar()
    made = []
    for key, story in [
        ("notified-on-time", _in_progress),
        ("notified-late", _decided),
        ("sent-awaiting-reply", _sent),
    ]:
        case = demo_case(key)
        if case is None:
            continue
        review = RapidReview.objects.filter(case=case).first()
        if review is None:
            review = story(case, agencies, people, calendar)
            review.refresh_from_db()
        made.append(
            f"  demo rapid review: {case.reference} ({review.get_status_display().lower()})"
        )
    mark_missed()
    return made


def _day(case, calendar, working_days):
    return calendar.add_working_days(case.notification.la_aware_on, working_days)


def _at(hour, minute=0):
    return time(hour, minute)


def _start(case, people, calendar, day):
    with as_of(_day(case, calendar, day), by=people["pdeo"], at=_at(9, 30)):
        return services.open_rapid_review(case=case, user=people["pdeo"])


def _ask(case, agencies, people, calendar, day, names):
    with as_of(_day(case, calendar, day), by=people["pdeo"], at=_at(10)):
        contributions.send_requests(
            case=case,
            user=people["pdeo"],
            agencies=[agencies[name] for name in names],
            questions=QUESTIONS,
            period_from=case.incident_date - timedelta(days=730),
            period_to=case.incident_date,
        )
    return {r.agency.name: r for r in InformationRequest.objects.filter(case=case)}


def _hospital_answers(case, request, people, calendar, submitted, accepted):
    contributor = people["hospital_contributor"]
    incident = case.incident_date
    with as_of(_day(case, calendar, submitted), by=contributor, at=_at(15, 40)):
        contributions.save_response(
            request=request,
            user=contributor,
            expected_version=request.version,
            involvement_from=incident - timedelta(days=400),
            involvement_to=incident,
            summary="Seen twice in the emergency department with minor injuries; the "
            "explanations given were accepted at the time.",
            went_well="Both attendances were shared with the health visitor the same week.",
            could_be_better="No discussion with children's social care after the second "
            "attendance, when the pattern was already there.",
        )
        contributions.add_entries(
            request=request,
            user=contributor,
            entries=[
                {
                    "date": incident - timedelta(days=150),
                    "time": time(19, 45),
                    "what_happened": "Attended the emergency department with a bruised upper "
                    "arm; mother said he fell from the sofa.",
                    "who": "ED staff nurse",
                    "significance": "Explanation accepted; health visitor told.",
                },
                {
                    "date": incident - timedelta(days=60),
                    "time": time(22, 10),
                    "what_happened": "Attended with a head injury; said to have fallen in the "
                    "bath.",
                    "who": "ED registrar",
                    "significance": "Second injury in five months; no referral made.",
                },
            ],
        )
        contributions.submit_response(request=request, user=contributor)
    with as_of(_day(case, calendar, accepted), by=people["pdeo"], at=_at(9, 15)):
        contributions.accept_response(request=request, user=people["pdeo"])


def _police_answer(case, request, people, calendar, day, summary):
    contributor = people["police_contributor"]
    with as_of(_day(case, calendar, day), by=contributor, at=_at(11, 20)):
        contributions.save_response(
            request=request, user=contributor, expected_version=request.version, summary=summary
        )
        contributions.submit_response(request=request, user=contributor)


def _section(review, people, slug, **fields):
    review.refresh_from_db()
    services.save_section(
        review=review,
        user=people["pdeo"],
        section=slug,
        expected_version=review.version,
        completed=True,
        **fields,
    )


def _decide(case, review, people, calendar, day, decision, **extra):
    with as_of(_day(case, calendar, day), by=people["pdeo"], at=_at(16)):
        review.refresh_from_db()
        services.save_criteria(
            review=review,
            user=people["pdeo"],
            answers={
                code: (
                    "yes" if code in ("improvements", "working_together") else "no",
                    "Discussed at the rapid review meeting; see the analysis of practice.",
                )
                for code in CriterionAnswer.Criterion.values
            },
        )
        services.record_decision(
            review=review,
            user=people["pdeo"],
            decision=decision,
            rationale="Several agencies knew of concerns that were not brought together; a "
            "review can show why and what must change.",
            national_review_view="no",
            decided_on=_day(case, calendar, day),
            decided_at_meeting="Dr Helen Okafor (Chair, ICB), DCI Sarah Lowe (police), Mark "
            "Bennett (local authority), Tom Ellis (PDEO)",
            **extra,
        )


def _sign(case, review, people, calendar, day, partners):
    for partner in partners:
        with as_of(_day(case, calendar, day), by=people[partner], at=_at(12)):
            services.sign_off(review=review, user=people[partner])


def _in_progress(case, agencies, people, calendar):
    review = _start(case, people, calendar, 3)
    with as_of(_day(case, calendar, 5), by=people["pdeo"], at=_at(14)):
        _section(
            review,
            people,
            "child-and-family",
            child_and_family="Lived with his mother and her partner of a year; an older "
            "sister lived with the maternal grandmother.",
        )
    asked = _ask(case, agencies, people, calendar, 3, [POLICE, HOSPITALS, SCHOOLS, COMMUNITY])
    _hospital_answers(case, asked[HOSPITALS], people, calendar, 6, 7)
    _police_answer(
        case,
        asked[POLICE],
        people,
        calendar,
        9,
        "One domestic incident call-out to the address in August; no further action was taken.",
    )
    return review


def _decided(case, agencies, people, calendar):
    review = _start(case, people, calendar, 9)
    asked = _ask(case, agencies, people, calendar, 9, [POLICE, HOSPITALS])
    _hospital_answers(case, asked[HOSPITALS], people, calendar, 10, 11)
    _police_answer(
        case,
        asked[POLICE],
        people,
        calendar,
        11,
        "Known to the exploitation team as a missing child on four occasions.",
    )
    with as_of(_day(case, calendar, 12), by=people["pdeo"], at=_at(10, 30)):
        contributions.return_response(
            request=asked[POLICE],
            user=people["pdeo"],
            reason="Please add the dates of each missing episode and what was done after each "
            "return home interview.",
        )
    with as_of(_day(case, calendar, 13), by=people["pdeo"], at=_at(15)):
        _section(
            review,
            people,
            "key-lines-of-enquiry",
            key_lines_of_enquiry="How did agencies share what they knew about her exploitation?\n"
            "Was her voice heard in decisions about her safety?",
        )
    _decide(case, review, people, calendar, 14, RapidReview.Decision.LCSPR)
    # The police's and the ICB's Panel members read the case and sign off only while on its
    # team: the PDEO puts them on it for the decision (until Panel meetings do it).
    with as_of(_day(case, calendar, 14), by=people["pdeo"], at=_at(16, 30)):
        for member in ("police_member", "icb_member"):
            cases.add_team_member(
                case=case,
                user=people[member],
                role=CaseTeamMember.Role.PANEL_MEMBER,
                added_by=people["pdeo"],
            )
    _sign(case, review, people, calendar, 15, ["la"])
    return review


def _sent(case, agencies, people, calendar):
    review = _start(case, people, calendar, 4)
    asked = _ask(case, agencies, people, calendar, 4, [POLICE, HOSPITALS])
    _hospital_answers(case, asked[HOSPITALS], people, calendar, 8, 9)
    _police_answer(
        case,
        asked[POLICE],
        people,
        calendar,
        9,
        "No previous contact with the family; the father was arrested on the day.",
    )
    with as_of(_day(case, calendar, 10), by=people["pdeo"], at=_at(9, 30)):
        contributions.accept_response(request=asked[POLICE], user=people["pdeo"])
        review.refresh_from_db()
        services.save_section(
            review=review,
            user=people["pdeo"],
            section="key-dates",
            expected_version=review.version,
            completed=True,
            meeting_date=_day(case, calendar, 10),
        )
    _decide(
        case,
        review,
        people,
        calendar,
        12,
        RapidReview.Decision.OTHER_LEARNING,
        other_learning_activity=RapidReview.LearningActivity.MULTI_AGENCY,
    )
    _sign(case, review, people, calendar, 13, ["la", "police", "icb"])
    sent = _day(case, calendar, 14)
    with as_of(sent, by=people["pdeo"], at=_at(11)):
        review.refresh_from_db()
        services.make_final(review=review, user=people["pdeo"])
    with as_of(sent, by=people["pdeo"], at=_at(15, 30)):
        review.refresh_from_db()
        services.send_to_national_panel(review=review, user=people["pdeo"], sent_on=sent)
    return review
