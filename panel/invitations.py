"""Calendar invitations (.ics, RFC 5545) for Panel meetings, built with `icalendar`.

One event per meeting, with a UID that never changes: Outlook and other calendars update the
event in place when a later invitation carries the same UID and a higher SEQUENCE, and remove
it on METHOD:CANCEL. Times are Europe/London (with its VTIMEZONE), so a meeting at 10:00 stays
at 10:00 on either side of a clock change. The invitation holds the meeting's name, time and
place only: never anything about a case on its agenda.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

LONDON = ZoneInfo("Europe/London")
CONTENT_TYPE = "text/calendar"


def starts_at(meeting):
    return datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)


def ends_at(meeting):
    return datetime.combine(meeting.date, meeting.end_time, tzinfo=LONDON)


def content_type(method):
    return f'{CONTENT_TYPE}; method={method}; charset="utf-8"'


def filename(meeting):
    return f"cspr-panel-{meeting.date:%Y-%m-%d}.ics"


def build_ics(meeting, *, method="REQUEST", attendees=()):
    """The meeting as a calendar object: METHOD:REQUEST (new or moved) or METHOD:CANCEL."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.PARTNERSHIP_NAME}//Case reviews//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at(meeting))
    event.add("dtend", ends_at(meeting))
    event.add("summary", meeting.title)
    if meeting.where:
        event.add("location", meeting.where)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.SUPPORT_EMAIL}")
    organizer.params["cn"] = vText(settings.PARTNERSHIP_NAME)
    event.add("organizer", organizer)
    for person in attendees:
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.full_name or person.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode()
