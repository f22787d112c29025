"""Personal numbers in the window: every list, detail pane, editor, record and tooltip shows them
masked; 显示完整号码 (the people page, the worker's dialog, a step's saved number) shows them
whole, kept in the audit trail with who, which record, which fields and where."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.identity import make_id_number, mask_id_number, mask_phone
from desktop.office import Office
from desktop.registry import clean_person
from desktop.ui.main_window import MainWindow
from desktop.ui.new_case_dialog import NewCaseDialog
from desktop.ui.record_dialogs import PersonDialog

CLERK = "李红梅"
NOW = datetime(2026, 3, 2, 9, 0)
ID_NUMBER = make_id_number("620102", date(1978, 4, 9), 11)
PHONE = "13912345678"
STEP_PHONE = "13987654321"
WHOLE = (ID_NUMBER, PHONE, STEP_PHONE)


def model_texts(model, parent: QModelIndex = QModelIndex()) -> list[str]:
    texts = []
    # A list model keeps its columnCount to itself: it has the one; lists and tables are flat.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))
    for row in range(min(model.rowCount(parent), 200)):
        for column in range(columns):
            index = model.index(row, column, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = index.data(role)
                if value:
                    texts.append(str(value))
        if not flat:
            texts += model_texts(model, model.index(row, 0, parent))
    return texts


def everything_shown(root: QWidget) -> str:
    """The text of every widget under ``root``, shown or not: titles, labels, editors, buttons,
    tooltips, combo items and every cell of every list and table."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        texts += [widget.windowTitle(), widget.toolTip()]
        if isinstance(widget, (QLabel, QLineEdit, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts += [widget.itemText(i) for i in range(widget.count())]
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            texts += model_texts(widget.model())
    return "".join("".join(str(text).split()) for text in texts if text)


def whole_numbers_in(root: QWidget) -> list[str]:
    shown = everything_shown(root)
    return [number for number in WHOLE if number in shown]


def reveals(office: Office, entity: str, entity_id: int) -> list[tuple[str, str, str]]:
    return office.db.execute(
        "SELECT actor, field, new_value FROM audit_log WHERE action = '查看完整证件号码'"
        " AND entity = ? AND entity_id = ? ORDER BY id",
        [entity, entity_id],
    ).fetchall()


@pytest.fixture
def office(tmp_path: Path, clock):
    """The shipped book; a worker with an ID number and a phone, a hardship-aid case and a
    legal-aid case with a phone saved in its first, current step."""
    with Office.open(tmp_path / "office") as opened:
        opened.cases.clock = clock
        opened.staff.add(CLERK, "工会专干")
        opened.set_operator(CLERK)
        values = clean_person(
            {"name": "张秀英", "id_number": ID_NUMBER, "phone": PHONE, "household_size": 3},
            NOW.date(),
        )
        person = opened.registry.add_person(values, CLERK, NOW)
        opened.cases.open_case("BF-01", CLERK, person_id=person)
        legal = opened.cases.open_case("QY-03", CLERK, person_id=person)
        typed = {"channel": "来访", "contact_date": "2026-03-02", "phone": STEP_PHONE}
        opened.cases.save_step(legal.id, "intake", CLERK, typed)
        opened.test_ids = (person, legal.id)  # type: ignore[attr-defined]
        yield opened


# The whole window with the worker's details and the case being worked open: nothing whole,
# and the masked forms are there (so the walk does see the places they are shown).
def test_nothing_in_the_window_shows_a_whole_number(qtbot, office):
    person, legal = office.test_ids
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    window.show_section("people")
    assert window.people_page.people.current_id == person
    window.open_case(legal)
    phone = window.cases_page.workspace.editors["phone"]
    assert phone.input.isReadOnly() and phone.input.text() == mask_phone(STEP_PHONE)

    shown = everything_shown(window)
    assert mask_id_number(ID_NUMBER) in shown and mask_phone(PHONE) in shown
    assert mask_phone(STEP_PHONE) in shown
    assert whole_numbers_in(window) == []
    assert reveals(office, "case", legal) == [] and reveals(office, "person", person) == []

    # 显示 beside the saved phone: shown whole, open for editing, kept in the case's record.
    qtbot.mouseClick(phone.reveal_button, Qt.MouseButton.LeftButton)
    assert phone.input.text() == STEP_PHONE and not phone.input.isReadOnly()
    assert reveals(office, "case", legal) == [(CLERK, "联系电话", "办理“登记求助”（窗口）")]
    window._skip_exit_backup = True
    window.close()


# Saving a step whose saved phone stays masked keeps the phone as it was.
def test_saving_a_step_leaves_a_masked_number_as_saved(qtbot, office):
    _person, legal = office.test_ids
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.open_case(legal)
    workspace = window.cases_page.workspace
    workspace.editors["matter"].set_value_text("拖欠工资三个月")
    assert workspace.save_current_step()
    view = office.cases.view(legal)
    assert view.state.record("intake").values["phone"] == STEP_PHONE
    assert reveals(office, "case", legal) == []
    window._skip_exit_backup = True
    window.close()


# The worker's dialog opens with the numbers masked and read-only; saving other changes leaves
# them alone; 显示完整号码 is recorded and opens them for correcting.
def test_the_workers_dialog_shows_numbers_whole_only_when_asked(qtbot, office):
    person, _legal = office.test_ids
    dialog = PersonDialog(office, office.registry.person(person))
    qtbot.addWidget(dialog)
    assert dialog.id_edit.text() == mask_id_number(ID_NUMBER) and dialog.id_edit.isReadOnly()
    assert whole_numbers_in(dialog) == []
    dialog.union_edit.setText("城关镇总工会")
    dialog.save()
    assert office.registry.person(person).union_name == "城关镇总工会"
    assert office.registry.person(person).id_number == ID_NUMBER

    dialog = PersonDialog(office, office.registry.person(person))
    qtbot.addWidget(dialog)
    dialog.reveal.setChecked(True)
    assert dialog.id_edit.text() == ID_NUMBER and not dialog.phone_edit.isReadOnly()
    assert reveals(office, "person", person) == [
        (CLERK, "身份证号码、电话", "修改职工信息（窗口）")
    ]
    dialog.phone_edit.setText("13700001111")
    dialog.save()
    assert office.registry.person(person).phone == "13700001111"


# A new case started for a worker finds them by name, not by putting the number on the screen.
def test_a_new_case_for_a_worker_does_not_put_the_number_in_the_search_box(qtbot, office):
    person, _legal = office.test_ids
    dialog = NewCaseDialog(office, person_id=person)
    qtbot.addWidget(dialog)
    assert dialog.search_box.text() == "张秀英"
    assert dialog.chosen_subject().id == person
    assert whole_numbers_in(dialog) == []
