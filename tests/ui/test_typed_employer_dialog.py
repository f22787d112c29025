"""新增职工 with a 工作单位 the office has not registered: the dialog offers to register it."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from desktop.identity import make_id_number
from desktop.ui import record_dialogs
from desktop.ui.record_dialogs import KEEP_TYPED, REGISTER, PersonDialog

FIRM = "示例恒通机械有限公司"


@pytest.fixture
def asked(monkeypatch):
    """What the clerk answers to “还没有登记，要登记为单位吗？”, and the names asked about."""
    questions: list[str] = []
    answer = {"value": KEEP_TYPED}

    def ask(_parent, name):
        questions.append(name)
        return answer["value"]

    monkeypatch.setattr(record_dialogs, "ask_register_employer", ask)
    return questions, answer


def fill(qtbot, case_office, employer: str, sequence: int = 11) -> PersonDialog:
    dialog = PersonDialog(case_office)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("张秀英")
    dialog.id_edit.setText(make_id_number("620102", date(1978, 4, 9), sequence))
    dialog.enterprise_combo.setEditText(employer)
    return dialog


@pytest.mark.parametrize(
    ("answer", "registered"), [(KEEP_TYPED, False), (REGISTER, True)], ids=["keep", "register"]
)
def test_a_typed_employer_is_kept_or_registered_as_the_clerk_says(
    qtbot, case_office, asked, answer, registered
):
    questions, chosen = asked
    chosen["value"] = answer
    dialog = fill(qtbot, case_office, FIRM)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert questions == [FIRM]
    person = case_office.registry.person(dialog.saved_id)
    assert person.enterprise_name == FIRM
    assert (person.enterprise_id is not None) is registered
    assert case_office.registry.count_enterprises() == int(registered)

    # Opened again, the workplace shows as it was saved and saving asks nothing again.
    again = PersonDialog(case_office, person)
    qtbot.addWidget(again)
    assert again.enterprise_combo.currentText() == FIRM
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert questions == [FIRM]


def test_going_back_to_the_form_saves_nothing(qtbot, case_office, asked):
    questions, chosen = asked
    chosen["value"] = None
    dialog = fill(qtbot, case_office, FIRM)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert questions == [FIRM] and dialog.isVisible()
    assert case_office.registry.count_people() == 0


def test_a_one_character_employer_is_refused_under_its_box(qtbot, case_office, asked):
    dialog = fill(qtbot, case_office, "厂")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    message = dialog.errors["enterprise_id"]
    assert not message.isHidden() and "至少 2 个字" in message.text()
    assert asked[0] == [] and case_office.registry.count_people() == 0
