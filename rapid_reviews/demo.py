"""A demo rapid review in progress (fictional; run by seed_demo after the notifications demo):
the case notified on time, with agencies asked and answering at different stages."""

from datetime import date

from notifications.models import Referral
from safeguarding.contributions import services as contributions
from safeguarding.contributions.models import InformationRequest

from . import services
from .models import RapidReview

POLICE = "Northbridge Police"
HOSPITALS = "Northbridge Hospitals NHS Foundation Trust"
SCHOOLS = "Northbridge Education Partnership"


def seed(*, agencies, users):
    referral = Referral.objects.filter(why_serious__endswith="[demo:notified-on-time]").first()
    if referral is None:
        return []
    case = referral.case
    pdeo = users["pdeo@northbridge.example"]
    review = RapidReview.objects.filter(case=case).first()
    if review is None:
        review = services.open_rapid_review(case=case, user=pdeo)
        services.save_section(
            review=review,
            user=pdeo,
            section="child-and-family",
            expected_version=review.version,
            completed=True,
            child_and_family="Lived with mother and her new partner; an older sibling lived "
            "with the maternal grandmother.",
        )
        contributions.send_requests(
            case=case,
            user=pdeo,
            agencies=[agencies[POLICE], agencies[HOSPITALS], agencies[SCHOOLS]],
            questions="Your agency's involvement with the child and household over the last "
            "two years, a summary, what went well, what could have been better, immediate "
            "actions, and a chronology.",
        )
        requests = {r.agency.name: r for r in InformationRequest.objects.filter(case=case)}
        hospital = requests[HOSPITALS]
        contributor = users["contributor.health@northbridge.example"]
        contributions.save_response(
            request=hospital,
            user=contributor,
            expected_version=hospital.version,
            summary="Seen twice in the emergency department with minor injuries; "
            "explanations were accepted at the time.",
            went_well="Both visits were shared with the health visitor.",
            could_be_better="No discussion with children's social care after the second visit.",
        )
        for day, text in [
            ((2026, 6, 12), "Attended ED with a bruised arm."),
            ((2026, 9, 2), "Attended ED with a head injury."),
        ]:
            contributions.add_entry(
                request=hospital,
                user=contributor,
                date=date(*day),
                what_happened=text,
                who="ED nurse",
                significance="Explanation accepted",
            )
        contributions.submit_response(request=hospital, user=contributor)
        contributions.accept_response(request=hospital, user=pdeo)
        police = requests[POLICE]
        police_contributor = users["contributor.police@northbridge.example"]
        contributions.save_response(
            request=police,
            user=police_contributor,
            expected_version=police.version,
            summary="One domestic incident call-out in August; no further action.",
        )
        contributions.submit_response(request=police, user=police_contributor)
    return [f"  demo rapid review: {case.reference} ({review.get_status_display().lower()})"]
