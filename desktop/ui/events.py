"""The office's change reports as one Qt signal every view listens to.

Writes report what they changed once they commit (desktop.changes); ``OfficeEvents`` re-emits
each report as ``changed(Changes)``, and each open view decides for itself whether that
concerns it, as Anki's views do with ``operation_did_execute``. Views never call each other to
refresh.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.changes import Changes
from desktop.office import Office


class OfficeEvents(QObject):
    changed = Signal(object)  # Changes

    def __init__(self, office: Office, parent: QObject | None = None):
        super().__init__(parent)
        self.office = office
        office.subscribe(self._report)

    def _report(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def detach(self) -> None:
        """Stop listening (the office closes, or the window that owns this goes away)."""
        self.office.unsubscribe(self._report)


class RefreshesOnChange:
    """Mixin for a view (before QWidget in the bases): when a change concerns it, refresh at
    once if it is on screen, else the next time it is shown."""

    _stale = False

    def listen(self, events: OfficeEvents) -> None:
        events.changed.connect(self._changed)

    def concerns(self, changes: Changes) -> bool:
        return bool(changes)

    def refresh(self) -> None:
        raise NotImplementedError

    def _changed(self, changes: Changes) -> None:
        if not self.concerns(changes):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self._stale = False
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self._stale = False
            self.refresh()
