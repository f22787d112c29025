"""The worker's dialog keeps the family: 家庭情况 details and household members added, changed
and removed there are saved with the worker, refused with the reason when wrong, and numbers
stay masked until shown on purpose."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from desktop.identity import make_id_number, mask_id_number
from desktop.registry import clean_person
from desktop.ui.record_dialogs import MemberDialog, PersonDialog

WORKER = make_id_number("620102", date(1978, 4, 9), 11)
SPOUSE = make_id_number("620102", date(1980, 2, 3), 12)
ACCOUNT = "6228480012345678901"


def answering(monkeypatch, **typed):
    """Each 添加家庭成员 dialog is filled in with ``typed`` and 确定 is pressed."""
    shown: list[MemberDialog] = []

    def fill(dialog: MemberDialog) -> int:
        shown.append(dialog)
        for field, value in typed.items():
            editor = dialog.editors.get(field)
            if field in ("relation", "health"):
                editor.setCurrentIndex(editor.findData(value))
            elif field == "disability_grade":
                dialog.grade_combo.setCurrentIndex(dialog.grade_combo.findData(value))
            else:
                editor.setText(value)
        dialog.take()
        return int(dialog.member is not None)

    monkeypatch.setattr(MemberDialog, "exec", fill)
    return shown


def test_a_member_added_in_the_dialog_is_saved_with_the_worker(qtbot, case_office, monkeypatch):
    dialog = PersonDialog(case_office)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("张秀英")
    dialog.id_edit.setText(WORKER)
    dialog.tabs.setCurrentIndex(1)
    dialog.address_edit.setText("示例镇兴平路 87 号")
    dialog.choice_combos["hukou_type"].setCurrentIndex(
        dialog.choice_combos["hukou_type"].findData("农村")
    )
    answering(monkeypatch, name="李芳", relation="配偶", id_number=SPOUSE, monthly_income="1200")
    qtbot.mouseClick(dialog.add_member_button, Qt.MouseButton.LeftButton)
    assert dialog.members_table.rowCount() == 1
    assert dialog.members_table.item(0, 0).text() == "李芳"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    person = case_office.registry.person(dialog.saved_id)
    assert person.address == "示例镇兴平路 87 号" and person.hukou_type == "农村"
    [member] = person.household_members
    assert (member.name, member.relation, member.id_number, member.monthly_income) == (
        "李芳",
        "配偶",
        SPOUSE,
        120000,
    )
    changes = case_office.db.execute(
        "SELECT new_value FROM audit_log WHERE entity = 'person' AND field = 'household_members'"
    ).fetchall()
    assert changes == [(f"李芳（配偶，{mask_id_number(SPOUSE)}，月收入 1,200.00 元）",)]


def test_a_wrong_member_is_refused_in_its_own_dialog_with_the_reason(
    qtbot, case_office, monkeypatch
):
    dialog = PersonDialog(case_office)
    qtbot.addWidget(dialog)
    shown = answering(monkeypatch, name="李芳", health="残疾")
    qtbot.mouseClick(dialog.add_member_button, Qt.MouseButton.LeftButton)
    assert dialog.members_table.rowCount() == 0
    assert "请选择家庭成员“李芳”的与申请人关系" in shown[0].error.text()


def test_numbers_of_a_saved_family_show_masked_until_revealed_and_removing_is_saved(
    qtbot, case_office, monkeypatch
):
    values = clean_person(
        {
            "name": "张秀英",
            "id_number": WORKER,
            "bank_name": "中国农业银行示例镇支行",
            "bank_account": ACCOUNT,
            "household_members": [{"name": "李芳", "relation": "配偶", "id_number": SPOUSE}],
        },
        date(2026, 3, 2),
    )
    person_id = case_office.save_person(values)
    dialog = PersonDialog(case_office, case_office.registry.person(person_id))
    qtbot.addWidget(dialog)
    assert dialog.bank_account_edit.text() == "6228 **** **** 8901"
    assert dialog.bank_account_edit.isReadOnly()
    assert dialog.members_table.item(0, 2).text() == mask_id_number(SPOUSE)

    dialog.reveal.setChecked(True)
    assert dialog.bank_account_edit.text() == ACCOUNT
    assert dialog.members_table.item(0, 2).text() == SPOUSE
    (shown,) = case_office.db.execute(
        "SELECT field FROM audit_log WHERE entity = 'person' AND action LIKE '%完整%'"
    ).fetchone()
    assert shown == "身份证号码、银行账号、家庭成员身份证号码"

    dialog.members_table.selectRow(0)
    qtbot.mouseClick(dialog.remove_member_button, Qt.MouseButton.LeftButton)
    dialog.save()
    assert case_office.registry.person(person_id).household_members == ()
    assert case_office.registry.person(person_id).bank_account == ACCOUNT
