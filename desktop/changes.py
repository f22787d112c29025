"""What a write changed, so every open view can decide for itself whether to refresh.

Each write through the office's services ends in the store, which collects what it touched
(cases, people, enterprises, office settings) while the transaction runs and hands one
``Changes`` to the listeners once it has committed; a rolled-back write reports nothing. The
window turns that into one Qt signal (desktop.ui.events); scripts may listen too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# What Changes.settings names: the office settings by their stored key, and these.
OFFICE_NAME = "office_name"
# Where the public is told to call or come with an objection to a notice (公示).
OFFICE_PHONE = "office_phone"
OFFICE_ADDRESS = "office_address"
OPERATOR = "operator"
PRINT_FONT = "print_body_font"
IS_DEMO = "is_demo"
STAFF = "staff"
RESPONSIBLE = "responsible"  # who is responsible for a service item
CALENDAR = "calendar"  # the office's holiday table: deadlines move
BOOK = "book"


@dataclass(frozen=True)
class Changes:
    cases: frozenset[int] = field(default_factory=frozenset)
    people: frozenset[int] = field(default_factory=frozenset)
    enterprises: frozenset[int] = field(default_factory=frozenset)
    settings: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        cases: Iterable[int] = (),
        people: Iterable[int] = (),
        enterprises: Iterable[int] = (),
        settings: Iterable[str] = (),
    ) -> Changes:
        return cls(frozenset(cases), frozenset(people), frozenset(enterprises), frozenset(settings))

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.cases | other.cases,
            self.people | other.people,
            self.enterprises | other.enterprises,
            self.settings | other.settings,
        )

    def __bool__(self) -> bool:
        return bool(self.cases or self.people or self.enterprises or self.settings)

    @property
    def deadlines(self) -> bool:
        """Whether due dates or overdue counts may have moved."""
        return bool(self.cases) or CALENDAR in self.settings


NO_CHANGES = Changes()

Listener = Callable[[Changes], None]
