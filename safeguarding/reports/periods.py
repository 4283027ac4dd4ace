"""The periods figures are counted over. The partnership's reporting year runs from 1 April to
31 March (its yearly report is due by 30 September after it)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def __contains__(self, day):
        return day is not None and self.start <= day <= self.end

    def moments(self):
        """(the first moment of the first day, the first moment after the last day), in the
        service's time zone: a range on a timestamp column an index or a plain comparison can
        use, where `__date` converts every row's time first."""
        return (
            timezone.make_aware(datetime.combine(self.start, time.min)),
            timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min)),
        )

    @property
    def label(self):
        if (
            self.start.month == 4
            and self.start.day == 1
            and self.end == date(self.start.year + 1, 3, 31)
        ):
            return f"Reporting year {self.start.year} to {self.end.year}"
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


def reporting_year(day):
    """The reporting year (April to March) that `day` falls in."""
    first = day.year if day.month >= 4 else day.year - 1
    return Period(date(first, 4, 1), date(first + 1, 3, 31))


def reporting_year_starting(year):
    return Period(date(year, 4, 1), date(year + 1, 3, 31))
