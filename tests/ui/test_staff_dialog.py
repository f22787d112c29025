"""设置 → 工作人员与当前经办人: a new office registers its staff with their roles, picks who is
at the desk, and keeps roles and passwords in the hands of the people they protect."""

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


def column(dialog: StaffDialog, index: int) -> list[str]:
    return [dialog.table.item(row, index).text() for row in range(dialog.table.rowCount())]


def add(dialog: StaffDialog, name: str, post: str) -> None:
    dialog.name_edit.setText(name)
    dialog.role_choice.post_combo.setCurrentText(post)
    dialog.add_button.click()


def select(dialog: StaffDialog, name: str) -> None:
    rows = [n.split("（")[0] for n in names(dialog)]
    dialog.table.selectRow(rows.index(name))


def test_first_person_added_becomes_the_operator_and_posts_propose_roles(dialog, small_office):
    assert small_office.operator == "" and names(dialog) == []
    assert "尚未选择" in dialog.current_label.text()
    add(dialog, "李红梅", "工会专干")
    dialog.role_choice.post_combo.setCurrentText("工会主席")
    assert dialog.role_choice.roles() == {"审核", "审批"}  # the chair approves
    add(dialog, "王建国", "工会主席")

    assert small_office.operator == "李红梅"
    assert names(dialog) == ["李红梅（当前经办人）", "王建国"]
    assert column(dialog, 2) == ["经办", "审核、审批"]
    staff = small_office.staff.members()
    assert [(m.name, m.post, m.role_list) for m in staff] == [
        ("李红梅", "工会专干", ["经办"]),
        ("王建国", "工会主席", ["审核", "审批"]),
    ]
    assert dialog.name_edit.text() == ""


def test_bad_names_are_refused_with_a_message_and_nothing_saved(dialog, small_office):
    dialog.name_edit.setText("   ")
    dialog.add_button.click()
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text() == "请填写工作人员的姓名。"
    dialog.name_edit.setText("王建\u200b国")  # pasted with a zero-width space
    dialog.add_button.click()
    assert "看不见的字符 U+200B" in dialog.error_label.text()
    dialog.name_edit.setText("赵立新")
    dialog.role_choice.post_combo.setCurrentText("")
    dialog.add_button.click()
    assert dialog.error_label.text() == "请填写赵立新的岗位，例如 工会主席 或 工会专干。"
    assert small_office.staff.members() == []


def test_a_clerk_cannot_make_anyone_an_approver_once_the_office_has_one(dialog, small_office):
    add(dialog, "李红梅", "工会专干")
    add(dialog, "王建国", "工会主席")
    add(dialog, "张伟", "工会副主席")  # review only: allowed? no — review is granted by approvers
    assert "须由有审批角色的人员（王建国）作为当前经办人操作" in dialog.error_label.text()
    dialog.role_choice.set_roles(frozenset({"经办"}))
    dialog.add_button.click()
    assert dialog.error_label.text() == ""
    assert [m.name for m in small_office.staff.members()] == ["李红梅", "王建国", "张伟"]

    # The chair at the desk may give roles.
    select(dialog, "王建国")
    dialog.set_current_button.click()
    assert small_office.operator == "王建国"
    select(dialog, "张伟")

    def answer(dialog_shown):
        choice = dialog_shown.findChild(staff_dialog.RoleChoice)
        choice.set_roles(frozenset({"审核", "审批"}))
        return True

    staff_dialog_run = staff_dialog.run_dialog
    try:
        staff_dialog.run_dialog = answer
        dialog.edit_button.click()
    finally:
        staff_dialog.run_dialog = staff_dialog_run
    assert small_office.staff.by_name("张伟").role_list == ["审核", "审批"]


def test_switching_to_someone_with_a_password_asks_for_it(dialog, small_office, monkeypatch):
    add(dialog, "李红梅", "工会专干")
    add(dialog, "王建国", "工会主席")
    select(dialog, "王建国")
    assert not dialog.password_button.isEnabled()  # only for oneself, at the desk
    dialog.set_current_button.click()
    select(dialog, "王建国")
    assert dialog.password_button.isEnabled()
    typed = iter(["zhuxi2026", "zhuxi2026"])
    monkeypatch.setattr(staff_dialog, "ask_password", lambda *_args: next(typed))
    dialog.password_button.click()
    assert column(dialog, 3) == ["未设置", "已设置"]
    stored = small_office.db.execute(
        "SELECT password_hash FROM office_staff WHERE name = '王建国'"
    ).fetchone()[0]
    assert stored.startswith("scrypt$") and "zhuxi2026" not in stored

    select(dialog, "李红梅")
    dialog.set_current_button.click()  # no password of her own
    assert small_office.operator == "李红梅"
    monkeypatch.setattr(staff_dialog, "ask_password", lambda *_args: "wrong-one")
    select(dialog, "王建国")
    dialog.set_current_button.click()
    assert "王建国的密码不对" in dialog.error_label.text()
    assert small_office.operator == "李红梅"
    monkeypatch.setattr(staff_dialog, "ask_password", lambda *_args: None)  # cancelled
    dialog.set_current_button.click()
    assert small_office.operator == "李红梅"
    monkeypatch.setattr(staff_dialog, "ask_password", lambda *_args: "zhuxi2026")
    dialog.set_current_button.click()
    assert small_office.operator == "王建国"
    switches = small_office.db.execute(
        "SELECT actor, new_value FROM audit_log WHERE action = '成为当前经办人' ORDER BY id"
    ).fetchall()
    assert [tuple(r) for r in switches][-1] == ("王建国", "已验证密码")


def test_switch_operator_and_retire_someone(dialog, small_office, monkeypatch):
    add(dialog, "李红梅", "工会专干")
    add(dialog, "王建国", "工会主席")
    select(dialog, "王建国")
    dialog.set_current_button.click()
    assert small_office.operator == "王建国"
    assert "王建国" in dialog.current_label.text()

    # The operator cannot be retired while at the desk.
    select(dialog, "王建国")
    dialog.remove_button.click()
    assert "当前经办人" in dialog.error_label.text()
    assert len(small_office.staff.members()) == 2

    monkeypatch.setattr(staff_dialog, "confirm", lambda *_args: True)
    select(dialog, "李红梅")
    dialog.remove_button.click()
    assert [m.name for m in small_office.staff.members()] == ["王建国"]
    assert names(dialog) == ["王建国（当前经办人）"]


def test_the_next_start_asks_the_last_operator_for_their_password(qtbot, tmp_path, monkeypatch):
    from datetime import datetime

    from desktop.office import Office
    from desktop.ui.main_window import MainWindow

    data = tmp_path / "data"
    with Office.open(data) as office:
        office.set_up("城关镇总工会", [("李红梅", "工会专干"), ("王建国", "工会主席")],
                      datetime(2026, 3, 2, 9, 0))  # fmt: skip
        chair = office.staff.by_name("王建国").id
        office.switch_operator(chair)
        office.staff.set_password(chair, "zhuxi2026")
    # The program is opened again: nobody is at the desk until the chair signs in.
    with Office.open(data) as reopened:
        assert reopened.operator == "" and reopened.last_operator == "王建国"
        window = MainWindow(reopened)
        qtbot.addWidget(window)
        window.skip_exit_backup()
        asked: list[str] = []

        def answer(_parent, _title, prompt):
            asked.append(prompt)
            return "zhuxi2026"

        monkeypatch.setattr(staff_dialog, "ask_password", answer)
        window.ask_sign_in()
        assert "上次在这台电脑上办事的是王建国" in asked[0]
        assert reopened.operator == "王建国"
        # Another window switching to the clerk does not change who is at this one.
        with Office.open(data) as other:
            other.switch_operator(other.staff.by_name("李红梅").id)
        assert reopened.operator == "王建国"
        window.close()
