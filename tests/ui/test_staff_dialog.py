"""设置 → 工作人员与当前经办人: a new office registers its staff and picks who is at the desk."""

from __future__ import annotations

import pytest

from desktop.ui import staff_dialog
from desktop.ui.staff_dialog import StaffDialog


@pytest.fixture
def dialog(qtbot, small_office):
    widget = StaffDialog(small_office)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def names(dialog: StaffDialog) -> list[str]:
    return [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]


def test_first_person_added_becomes_the_operator_and_fills_the_approver_list(
    qtbot, dialog, small_office
):
    assert small_office.operator == "" and names(dialog) == []
    assert "尚未选择" in dialog.current_label.text()
    dialog.name_edit.setText("李红梅")
    dialog.role_combo.setCurrentText("工会专干")
    dialog.add_button.click()
    dialog.name_edit.setText("王建国")
    dialog.role_combo.setCurrentText("工会主席")
    dialog.add_button.click()

    assert small_office.operator == "李红梅"
    assert names(dialog) == ["李红梅（当前经办人）", "王建国"]
    assert small_office.registry.staff() == [("李红梅", "工会专干"), ("王建国", "工会主席")]
    assert dialog.name_edit.text() == ""


def test_empty_name_is_refused_with_a_message_and_nothing_saved(dialog, small_office):
    dialog.name_edit.setText("   ")
    dialog.add_button.click()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "请填写工作人员的姓名。"
    dialog.name_edit.setText("赵立新")
    dialog.role_combo.setCurrentText("")
    dialog.add_button.click()
    assert dialog.error_label.text() == "请填写赵立新的岗位，例如 工会主席 或 工会专干。"
    assert small_office.registry.staff() == []


def test_switch_operator_and_retire_someone(dialog, small_office, monkeypatch):
    for name, role in (("李红梅", "工会专干"), ("王建国", "工会主席")):
        dialog.name_edit.setText(name)
        dialog.role_combo.setCurrentText(role)
        dialog.add_button.click()
    dialog.table.selectRow(1)
    dialog.set_current_button.click()
    assert small_office.operator == "王建国"
    assert "王建国" in dialog.current_label.text()

    # The operator cannot be retired while at the desk.
    dialog.table.selectRow(1)
    dialog.remove_button.click()
    assert "当前经办人" in dialog.error_label.text()
    assert len(small_office.registry.staff()) == 2

    monkeypatch.setattr(staff_dialog, "confirm", lambda *_args: True)
    dialog.table.selectRow(0)
    dialog.remove_button.click()
    assert small_office.registry.staff() == [("王建国", "工会主席")]
    assert names(dialog) == ["王建国（当前经办人）"]
