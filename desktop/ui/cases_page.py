"""事项办理: the to-do dashboard, the case list and the case being worked on, as tabs.

The dashboard (desktop.ui.dashboard), the list (desktop.ui.case_list) and the workspace
(desktop.ui.case_workspace, created the first time a case is opened) each refresh themselves
from the office's change reports; this page only arranges them and passes a chosen case along.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.cases.service import CaseError
from desktop.office import Office
from desktop.ui.case_list import CaseList
from desktop.ui.dashboard import Dashboard
from desktop.ui.events import OfficeEvents
from desktop.ui.new_case_dialog import NewCaseDialog
from desktop.ui.settings import CASES_TAB, WindowSettings
from desktop.ui.theme import CASES_STYLE_SHEET


def _load_workspace_class() -> type[QWidget] | None:
    """The case workspace, imported when first needed; None while it is not installed."""
    try:
        from desktop.ui.case_workspace import CaseWorkspace
    except ModuleNotFoundError as error:
        if error.name != "desktop.ui.case_workspace":
            raise
        return None
    return CaseWorkspace


class CasesPage(QWidget):
    """The 事项办理 section: 待办, 案件列表 and the open case, with 新建案件 (Ctrl+N)."""

    rule_link_activated = Signal(str)

    TODO, LIST, CASE = 0, 1, 2

    def __init__(
        self,
        office: Office,
        settings: WindowSettings,
        parent: QWidget | None = None,
        events: OfficeEvents | None = None,
    ):
        super().__init__(parent)
        self.office = office
        self.settings = settings
        self.events = events or OfficeEvents(office, self)
        self.setStyleSheet(CASES_STYLE_SHEET)
        self.workspace: QWidget | None = None
        self.current_case: int | None = None
        self.new_case_dialog: NewCaseDialog | None = None

        self.dashboard = Dashboard(office, settings, self.events)
        self.dashboard.cases_requested.connect(self._show_requested_cases)
        self.case_list = CaseList(office, settings, self.events)
        self.case_list.case_activated.connect(self.open_case)

        self.workspace_page = QWidget()
        self.workspace_layout = QVBoxLayout(self.workspace_page)
        self.workspace_layout.setContentsMargins(0, 0, 0, 0)
        self.workspace_layout.setSpacing(0)
        # Beside 新建案件 in the tab row, shown only with a case, so the case keeps every line.
        self.back_button = QPushButton("← 返回列表")
        self.back_button.setToolTip("回到案件列表（Alt+←）")
        self.back_button.setShortcut(QKeySequence("Alt+Left"))
        self.back_button.clicked.connect(self.show_list)
        self.back_button.hide()

        self.new_button = QPushButton("＋ 新建案件")
        self.new_button.setObjectName("newCaseButton")
        self.new_button.setToolTip("受理一件新的服务事项（Ctrl+N）")
        self.new_button.clicked.connect(self.new_case)
        corner = QWidget()
        corner_layout = QHBoxLayout(corner)
        corner_layout.setContentsMargins(0, 2, 4, 2)
        corner_layout.setSpacing(8)
        corner_layout.addWidget(self.back_button)
        corner_layout.addWidget(self.new_button)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dashboard, "待办")
        self.tabs.addTab(self.case_list, "案件列表")
        self.tabs.addTab(self.workspace_page, "办理")
        self.tabs.setTabVisible(self.CASE, False)
        self.tabs.setCornerWidget(corner, Qt.Corner.TopRightCorner)
        self.tabs.currentChanged.connect(self._tab_changed)

        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.New), self)
        shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
        shortcut.activated.connect(self.new_case)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.setContext(Qt.ShortcutContext.WindowShortcut)
        refresh.activated.connect(self.refresh)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)

        start = self.LIST if settings.value(CASES_TAB) == "list" else self.TODO
        self.tabs.setCurrentIndex(start)
        self._tab_changed(start)

    # --- public API --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the dashboard and the list (F5; keeping the open case selected if listed)."""
        self.dashboard.refresh()
        self.case_list.refresh(keep_case=self.current_case)

    def open_case(self, case_id: int) -> None:
        """Show the case in the workspace tab."""
        try:
            row = self.office.cases.view(case_id).row
        except CaseError as error:
            QMessageBox.warning(self, "无法打开案件", str(error))
            return
        workspace = self._ensure_workspace()
        if workspace is not None and not self.confirm_leave():
            return
        self.current_case = case_id
        self.tabs.setTabText(self.CASE, f"办理 {row.number}")
        self.tabs.setTabVisible(self.CASE, True)
        self.tabs.setCurrentIndex(self.CASE)
        if workspace is not None:
            workspace.show_case(case_id)  # type: ignore[attr-defined]

    def confirm_leave(self) -> bool:
        """Offer to save a step the clerk was typing in; False when they chose to stay."""
        confirm = getattr(self.workspace, "confirm_leave", None)
        if confirm is None or confirm():
            return True
        self.tabs.setCurrentIndex(self.CASE)
        return False

    def show_list(self) -> None:
        self.tabs.setCurrentIndex(self.LIST)
        if self.current_case is not None:
            self.case_list.select_case(self.current_case)
        self.case_list.table.setFocus()

    def show_dashboard(self) -> None:
        self.tabs.setCurrentIndex(self.TODO)

    def new_case(self) -> NewCaseDialog:
        """Open the 新建案件 dialog (window-modal); a case it opens is shown at once."""
        dialog = NewCaseDialog(self.office, self)
        dialog.accepted.connect(lambda: self._case_created(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.new_case_dialog = dialog
        dialog.open()
        return dialog

    def save_state(self) -> None:
        self.dashboard.save_state()
        self.case_list.save_state()
        self.settings.set_value(
            CASES_TAB, "list" if self.tabs.currentIndex() != self.TODO else "todo"
        )
        saver = getattr(self.workspace, "save_state", None)
        if callable(saver):
            saver()

    # --- internals ---------------------------------------------------------------------------

    def _ensure_workspace(self) -> QWidget | None:
        if self.workspace is not None:
            return self.workspace
        workspace_class = _load_workspace_class()
        if workspace_class is None:
            placeholder = QLabel("案件办理界面尚未安装。")
            placeholder.setObjectName("emptyHint")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.workspace_layout.addWidget(placeholder, 1)
            return None
        workspace = workspace_class(self.office, self.workspace_page, events=self.events)
        restore = getattr(workspace, "restore_state", None)
        if callable(restore):
            restore(self.settings)
        workspace.rule_link_activated.connect(self.rule_link_activated)  # type: ignore[attr-defined]
        self.workspace_layout.addWidget(workspace, 1)
        self.workspace = workspace
        return workspace

    def _case_created(self, dialog: NewCaseDialog) -> None:
        if dialog.created is None:
            return
        # Newest first, so the new case is the top row when the clerk goes back to the list.
        self.case_list.show_cases(sort_key="opened", descending=True)
        self.open_case(dialog.created.id)

    def _show_requested_cases(self, status: str, responsible: str, hint: str) -> None:
        self.case_list.show_cases(status=status, responsible=responsible, hint=hint)
        self.tabs.setCurrentIndex(self.LIST)
        self.case_list.table.setFocus()

    def _tab_changed(self, index: int) -> None:
        self.back_button.setVisible(index == self.CASE)
        if index == self.LIST and self.current_case is not None:
            self.case_list.select_case(self.current_case)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # The clock moves while the window stays open: overdue counts change by themselves.
        if self.tabs.currentIndex() == self.TODO:
            self.dashboard.refresh()
