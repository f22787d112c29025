"""The window as a clerk uses it: search the book, read a rule, name who is responsible."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from desktop.office import Office
from desktop.store.case_repo import CaseFilter
from desktop.ui.book_page import HTML_ROLE, RULE_ID_ROLE, SearchResultsModel
from desktop.ui.checklist_page import ChecklistModel
from desktop.ui.main_window import MainWindow


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "office"


@pytest.fixture
def window(qtbot, data_dir: Path):
    office = Office.open(data_dir)
    main_window = MainWindow(office)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    yield main_window
    main_window.close()
    office.close()


def type_text(qtbot, widget, text: str) -> None:
    """Type as a clerk does: Chinese arrives from the input method, one committed word at a time."""
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    for character in text:
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(widget, event)


def type_search(qtbot, window: MainWindow, text: str) -> None:
    page = window.book_page
    page.focus_search()
    type_text(qtbot, page.search_box, text)
    qtbot.waitUntil(
        lambda: page.results_model.rowCount() > 0 or page.left_stack.currentIndex() == 2
    )


def test_type_query_press_enter_and_read_the_rule(qtbot, window: MainWindow):
    page = window.book_page
    type_search(qtbot, window, "慰问")
    first = page.results_model.index(0, 0)
    expected_id = first.data(RULE_ID_ROLE)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert page.current_rule_id == expected_id
    rule = window.office.book.rule(expected_id)
    shown = page.reader.toPlainText()
    assert rule.title in shown and "依据：" in shown and rule.source in shown
    assert "生效日期" in shown


def test_each_rule_shows_how_sure_the_book_is_beside_its_source(window: MainWindow):
    page = window.book_page
    rules = [rule for item in window.office.book.work_items() for rule in item.rules]
    for status in ("国家规定", "地方默认", "待核实"):
        rule = next(r for r in rules if r.status == status)
        assert page.open_rule(rule.id)
        lines = page.reader.toPlainText().splitlines()
        source_line = next(line for line in lines if line.startswith("依据：")).strip()
        assert source_line.endswith(status), source_line
        others = {"国家规定", "地方默认", "待核实"} - {status}
        assert not any(source_line.endswith(o) for o in others)
        # Local and unverified rules say what that means for the clerk.
        if status != "国家规定":
            assert any(line.startswith(f"{status}：") for line in lines)


def test_click_a_result_opens_that_rule(qtbot, window: MainWindow):
    page = window.book_page
    type_search(qtbot, window, "帮扶")
    assert page.results_model.rowCount() >= 2
    second = page.results_model.index(1, 0)
    rect = page.results.visualRect(second)
    qtbot.mouseClick(page.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_rule_id == second.data(RULE_ID_ROLE)
    assert window.office.book.rule(page.current_rule_id).title in page.reader.toPlainText()


def test_arrow_keys_choose_among_results_from_the_search_box(qtbot, window: MainWindow):
    page = window.book_page
    type_search(qtbot, window, "帮扶")
    qtbot.keyClick(page.search_box, Qt.Key.Key_Down)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    assert page.current_rule_id == page.results_model.index(1, 0).data(RULE_ID_ROLE)


def test_pinyin_initials_in_the_window(qtbot, window: MainWindow):
    type_search(qtbot, window, "knzg")
    assert window.book_page.results_model.index(0, 0).data().startswith("困难职工")


def test_no_result_says_what_to_try(qtbot, window: MainWindow):
    page = window.book_page
    type_search(qtbot, window, "航天飞机")
    assert page.left_stack.currentWidget() is page.empty_label
    assert "拼音首字母" in page.empty_label.text()  # the book search: initials only
    page.search_box.clear()
    qtbot.waitUntil(lambda: page.left_stack.currentWidget() is page.tree)


def test_ctrl_f_goes_to_the_search_box_from_any_section(qtbot, window: MainWindow):
    window.show_section("checklist")
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_section() == "book"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.book_page.search_box)


def test_clicking_a_rule_in_the_tree_opens_it(qtbot, window: MainWindow):
    page = window.book_page
    work_item = page.tree_model.index(0, 0)
    rule_index = page.tree_model.index(0, 0, work_item)
    page.tree.scrollTo(rule_index)
    rect = page.tree.visualRect(rule_index)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current_rule_id == rule_index.data(RULE_ID_ROLE)


def test_checklist_shows_every_item_with_its_time_limit(window: MainWindow):
    model = window.checklist_page.model
    items = window.office.book.service_items()
    assert len(items) >= 12 and model.rowCount() == len(items)
    limits = [model.index(row, 3).data() for row in range(model.rowCount())]
    assert all(re.fullmatch(r"\d+ (个工作日|个自然日|小时)", limit) for limit in limits), limits


def test_checklist_rows_fit_their_wrapped_text(qtbot, window: MainWindow):
    # Each row is as tall as its wrapped service standard needs: no huge blank rows.
    window.show_section("checklist")
    table = window.checklist_page.table
    qtbot.waitUntil(lambda: table.rowHeight(0) < table.viewport().height() / 3)
    line_height = table.fontMetrics().height()
    for row in range(window.checklist_page.model.rowCount()):
        assert line_height <= table.rowHeight(row) <= line_height * 8, row


def test_edit_responsible_person_in_the_table_and_it_is_kept(qtbot, window: MainWindow, data_dir):
    page = window.checklist_page
    window.show_section("checklist")
    index = page.model.index(2, ChecklistModel.RESPONSIBLE_COLUMN)
    page.table.setCurrentIndex(index)
    page.table.edit(index)
    editor = page.table.findChild(QLineEdit)
    assert editor is not None
    editor.setText("  张  敏 ")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: index.data() == "张 敏")  # Qt commits the editor on a queued call
    assert "张 敏" in page.detail.toPlainText()
    item_id = page.model.item(2).id
    with Office.open(data_dir) as reopened:
        assert {i.id: i.responsible_person for i in reopened.book.service_items()}[
            item_id
        ] == "张 敏"


def test_bad_name_is_refused_with_a_message_and_nothing_saved(qtbot, window, monkeypatch):
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    page = window.checklist_page
    assert page.set_responsible_person(0, "王建国13800001111") is False
    assert warnings and "数字" in warnings[0]
    assert page.model.item(0).responsible_person == ""


def test_rule_link_in_checklist_opens_the_book(qtbot, window: MainWindow):
    page = window.checklist_page
    window.show_section("checklist")
    rule_id = page.model.item(0).rule_ids[0]
    page.detail.anchorClicked.emit(QUrl(f"rule:{rule_id}"))
    assert window.current_section() == "book"
    assert window.book_page.current_rule_id == rule_id


def test_window_size_splitter_and_section_come_back(qtbot, data_dir: Path):
    office = Office.open(data_dir)
    first = MainWindow(office)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.resize(790, 570)
    first.show_section("book")  # the splitter is dragged where the clerk can see it
    qtbot.wait(20)  # let the layout settle to the new size
    first.book_page.splitter.setSizes([300, 700])
    qtbot.wait(20)
    sizes = first.book_page.splitter.sizes()
    first.show_section("checklist")
    first.close()

    second = MainWindow(office)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    qtbot.wait(20)
    assert (second.width(), second.height()) == (790, 570)
    assert second.current_section() == "checklist"
    second.show_section("book")
    qtbot.wait(20)
    assert second.book_page.splitter.sizes() == sizes
    second.close()
    office.close()


def test_models_follow_qt_rules(qtmodeltester, office):
    results = SearchResultsModel()
    results.set_result(office.book.search("帮扶"))
    qtmodeltester.check(results)
    qtmodeltester.check(ChecklistModel(office))


def test_first_start_fills_the_demo_office_and_exits_cleanly(first_start):
    """The real program in a fresh process: first start on an empty folder, window, exit.

    Guards the exit too: a demo filler that sent queued signals from a QThread made PySide6
    abort during interpreter shutdown (exit code 134) after the window had closed.
    """
    code, _, stderr = first_start.wait()
    assert code == 0, stderr[-2000:]
    assert (first_start.folder / "first.png").stat().st_size > 10_000
    with Office.open(first_start.folder / "office") as office:
        assert office.is_demo
        assert office.cases.count_cases(CaseFilter()) >= 500


def test_qt_own_buttons_and_dialogs_speak_chinese(qapp):
    from PySide6.QtCore import QTranslator
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.ui.app import install_chinese_translation

    assert install_chinese_translation(qapp)
    try:
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        assert sorted(b.text() for b in buttons.buttons()) == sorted(["确定", "取消"])
    finally:
        translator = qapp.findChild(QTranslator)
        qapp.removeTranslator(translator)


def test_a_new_office_opens_on_the_to_do_list(window: MainWindow):
    assert window.current_section() == "cases"
    assert window.cases_page.tabs.currentIndex() == window.cases_page.TODO


def test_start_real_office_swaps_the_demo_for_an_empty_office_in_a_new_window(
    qtbot, demo_dir: Path, monkeypatch
):
    from desktop.ui import main_window
    from desktop.ui.start_office_dialog import StartOfficeDialog

    data_dir = demo_dir
    office = Office.open(data_dir)
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show()
    assert window.start_real_action.isVisible()

    def answer(parent):
        dialog = StartOfficeDialog(parent)
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.name_edit.setText("")
        dialog.accept()  # refused: no name yet
        assert dialog.error_label.text() == "请填写单位名称，例如 城关镇总工会。"
        dialog.name_edit.setText("城关镇总工会")
        clerk, chair = dialog.rows
        clerk.name_edit.setText("李红梅")
        dialog.accept()  # refused: nobody to approve the clerk's decisions
        assert "都没有“审批”角色" in dialog.error_label.text()
        assert dialog.focusWidget() is chair.name_edit
        chair.name_edit.setText("李红梅")
        dialog.accept()  # refused: one person cannot both prepare and approve
        assert "重名" in dialog.error_label.text()
        chair.name_edit.setText("王建国")
        # An office of four: the form takes as many as it has, each with their post's roles.
        for name, post in (("赵丽", "财务人员"), ("陈刚", "工会副主席")):
            qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
            row = dialog.rows[-1]
            row.name_edit.setText(name)
            row.post_combo.setCurrentText(post)
        assert dialog.rows[-1].roles_label.text() == "审核"
        extra = dialog.add_staff_row()
        qtbot.mouseClick(extra.remove_button, Qt.MouseButton.LeftButton)
        assert len(dialog.rows) == 4
        dialog.accept()
        return dialog

    monkeypatch.setattr(main_window, "ask_start_office", answer)
    replacement = window.start_real_office()
    qtbot.addWidget(replacement)
    assert not window.isVisible() and replacement.isVisible()
    assert replacement.windowTitle() == "城关镇总工会 — 基层工会工作台"  # no （演示数据） any more
    assert not replacement.start_real_action.isVisible()
    assert replacement.office.cases.count_cases(CaseFilter()) == 0
    assert replacement.office.operator == "李红梅"
    staff = replacement.office.staff.members()
    assert [(m.name, m.post, m.role_list) for m in staff] == [
        ("李红梅", "工会专干", ["经办"]),
        ("王建国", "工会主席", ["审核", "审批"]),
        ("赵丽", "财务人员", ["经办"]),
        ("陈刚", "工会副主席", ["审核"]),
    ]
    # Each service item answered for by the person of its post.
    items = replacement.office.book.service_items()
    assert {i.responsible_person for i in items if i.responsible_role == "工会专干"} == {"李红梅"}
    assert {i.responsible_person for i in items if i.responsible_role == "工会主席"} == {"王建国"}
    (archive,) = data_dir.glob("演示数据备份-*")
    with Office.open(archive) as demo:
        assert demo.cases.count_cases(CaseFilter()) >= 500
    replacement.close()


def test_the_attachment_size_limit_is_set_in_the_settings_menu(window: MainWindow, monkeypatch):
    from desktop.ui import main_window

    asked = []
    monkeypatch.setattr(
        main_window, "ask_attachment_limit", lambda _parent, now: asked.append(now) or (20, True)
    )
    (action,) = [a for a in window.menuBar().actions() if a.text() == "设置(&S)"]
    (limit,) = [a for a in action.menu().actions() if a.text().startswith("附件大小上限")]
    limit.trigger()
    assert asked == [50]  # the default, from the office
    assert window.office.cases.attachment_limit_mb() == 20


def test_a_rule_number_and_a_synonym_in_the_book_search(qtbot, window: MainWindow):
    page = window.book_page
    type_search(qtbot, window, "W0601")
    assert page.results_model.index(0, 0).data(RULE_ID_ROLE) == "W06-01"
    page.search_box.clear()
    type_text(qtbot, page.search_box, "婚丧")
    page.run_search()  # what the typing timer does after its pause
    first = page.results_model.index(0, 0)
    assert "按“婚丧”的近义词查到" in first.data(HTML_ROLE)
    qtbot.keyClick(page.search_box, Qt.Key.Key_Return)
    # The open rule marks what found it (结婚 or 丧葬), since 婚丧 is not in it.
    html = page.reader.toHtml()
    assert re.search(r"background-color:[^>]*>(结婚|丧葬|去世)<", html), html[:2000]


def test_the_office_phone_and_address_are_kept_only_when_usable(qtbot, window):
    from desktop.ui.office_contact_dialog import OfficeContactDialog

    dialog = OfficeContactDialog(window.office, window)
    qtbot.addWidget(dialog)
    dialog.phone_edit.setText("8123456")
    dialog.address_edit.setText("城关镇人民路 12 号")
    dialog.accept()
    assert "固定电话请加上区号" in dialog.error_label.text()
    assert window.office.phone == "" and window.office.address == ""  # nothing half-saved
    dialog.phone_edit.setText("0931 8123456")
    dialog.accept()
    assert (window.office.phone, window.office.address) == ("0931-8123456", "城关镇人民路 12 号")
    again = OfficeContactDialog(window.office, window)
    qtbot.addWidget(again)
    assert again.phone_edit.text() == "0931-8123456"
