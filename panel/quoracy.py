"""Quoracy: the rule, on its own, so it can be tested on every combination.

An item is quorate when the local authority, the police and the ICB are each represented by
someone in the room (a member, or the named deputy of a member who sent apologies) who has
declared no interest in that item (a conflict of interest on the item's case counts as one).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from .models import QUORACY_PARTNERS, Partner


@dataclass(frozen=True)
class Quoracy:
    quorate: bool
    # The partners not represented by anyone free to decide, in the domain's words.
    missing: tuple[str, ...]

    def __bool__(self):
        return self.quorate

    def explain(self):
        if self.quorate:
            return "Quorate: the local authority, the police and the ICB are represented"
        return "Not quorate: no one free to decide for " + " or ".join(self.missing)


def quoracy(in_the_room: Iterable[tuple[str, int]], interested: Iterable[int]) -> Quoracy:
    """`in_the_room`: (partner, person id) for each member present or deputy representing one;
    `interested`: the ids of people who declared an interest in the item."""
    interested = set(interested)
    represented = {partner for partner, person in in_the_room if person not in interested}
    missing = tuple(Partner(p).label for p in QUORACY_PARTNERS if p not in represented)
    return Quoracy(quorate=not missing, missing=missing)
