"""The case workspace as a clerk uses it: fill a step, hear what is missing, approve, finish."""

from __future__ import annotations

import re
from datetime import date, datetime
from html import unescape

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from desktop.book.procedures import FieldSpec
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person
from desktop.ui import case_workspace
from desktop.ui.case_workspace import CaseWorkspace, FieldEditor

CLERK, CHAIR = "李红梅", "王建国"


def add_person(office, name="张三", income="600", sequence=1):
    values = clean_person(
        {
            "name": name,
            "id_number": make_id_number("620102", date(1980, 5, 6), sequence),
            "household_size": 3,
            "income_per_head": income,
        },
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1))


@pytest.fixture
def messages(monkeypatch):
    """Message boxes the workspace would show, as (title, text), instead of blocking."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        case_workspace, "warn", lambda _parent, title, text: shown.append((title, text))
    )
    return shown


@pytest.fixture
def workspace(qtbot, case_office, messages):
    case_office.set_operator(CLERK)
    widget = CaseWorkspace(case_office)
    qtbot.addWidget(widget)
    widget.resize(1200, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def case_id(case_office):
    person = add_person(case_office)
    return case_office.cases.open_case("BF-01", CLERK, person_id=person).id


def plain(label: QLabel) -> str:
    """The label as read: no markup, no invisible word joiners, plain spaces."""
    text = unescape(re.sub(r"<[^>]+>", "", label.text().replace("<br>", "\n")))
    return text.replace("\u2060", "").replace("\u00a0", " ")


def page_text(workspace: CaseWorkspace) -> str:
    """Every label the clerk can see on the step page in the middle."""
    page = workspace.step_stack.currentWidget().widget()
    return "\n".join(plain(label) for label in page.findChildren(QLabel) if label.isVisibleTo(page))


def stepper(workspace: CaseWorkspace) -> list[str]:
    return [workspace.stepper.item(i).text() for i in range(workspace.stepper.count())]


def click(qtbot, workspace: CaseWorkspace, button: QWidget) -> None:
    workspace.active_scroll.ensureWidgetVisible(button)
    # A check box or radio button only reacts on its box and words, not its whole width.
    small = isinstance(button, (QCheckBox, QRadioButton))
    where = QPoint(10, button.height() // 2) if small else button.rect().center()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=where)


def type_into(workspace: CaseWorkspace, field_id: str, text: str) -> None:
    editor = workspace.editors[field_id].input
    if isinstance(editor, QLineEdit):
        editor.setText(text)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
    else:
        editor.setCurrentIndex(editor.findText(text))


def fill_application(qtbot, workspace: CaseWorkspace, medical: str = "否") -> None:
    type_into(workspace, "income_per_head", "600")
    type_into(workspace, "medical", medical)
    click(qtbot, workspace, workspace.material_boxes["id_copy"])


def test_header_stepper_and_current_step_show_the_case(workspace, case_id):
    workspace.show_case(case_id)

    assert workspace.title_label.text() == "XA-2026-0001　困难职工生活救助"
    subject = plain(workspace.subject_label)
    assert "张三（身份证 6201" in subject and "**********" in subject
    meta = plain(workspace.meta_label)
    assert "状态：办理中" in meta
    assert "受理：2026年3月2日（李红梅）" in meta
    # The service is on track; the step in hand is the one close to its deadline.
    assert "状态：办理中 即将到期（本步“受理申请”2026年3月4日前）" in meta
    assert "服务时限：15 个工作日，2026年3月23日前" in meta
    assert "小型救助（版本 1）" in plain(workspace.procedure_label)
    assert stepper(workspace) == [
        "1. 受理申请 — 办理中",
        "2. 资格认定 — 未开始",
        "3. 张榜公示 — 未开始",
        "4. 主席审批 — 未开始",
        "5. 发放 — 未开始",
        "6. 告知不予救助 — 未开始",
    ]
    text = page_text(workspace)
    assert "由谁办理：工会专干" in text
    # Monday 2 March + 2 working days, counted from the start of the case.
    assert "办理时限：2 个工作日（自受理起算），2026年3月4日前　即将到期" in text
    assert "收下申请书，登记家庭情况。" in text
    assert "W01-01 困难职工认定条件" in text
    assert "本步表单：aid_application" in text
    # Materials: required ones marked, the medical bills only once illness is the reason.
    boxes = workspace.material_boxes
    assert boxes["id_copy"].text() == "身份证复印件（必交）"
    assert boxes["photo"].text() == "生活照片（可选）"
    assert not boxes["bills"].isVisible()
    # Prefilled from the registry.
    assert workspace.editors["household_size"].input.text() == "3"
    assert workspace.editors["income_per_head"].input.text() == "600"
    assert not workspace.editors["medical_cost"].isVisible()


def test_choosing_illness_shows_its_field_and_material(workspace, case_id):
    workspace.show_case(case_id)
    type_into(workspace, "medical", "是")
    assert workspace.editors["medical_cost"].isVisible()
    assert workspace.material_boxes["bills"].isVisible()
    type_into(workspace, "medical", "否")
    assert not workspace.editors["medical_cost"].isVisible()


def test_rule_link_asks_the_window_to_open_the_rule(qtbot, workspace, case_id):
    workspace.show_case(case_id)
    links = workspace.findChild(QLabel, "ruleLinks")
    with qtbot.waitSignal(workspace.rule_link_activated) as signal:
        links.linkActivated.emit("rule:W01-01")
    assert signal.args == ["W01-01"]


def test_completing_with_something_missing_lists_exactly_what(
    qtbot, workspace, case_id, messages, case_office
):
    workspace.show_case(case_id)
    fill_application(qtbot, workspace, medical="是")
    with qtbot.waitSignal(workspace.events.changed) as changed:
        click(qtbot, workspace, workspace.complete_button)
    assert case_id in changed.args[0].cases  # what was entered was saved first

    assert len(messages) == 1
    title, text = messages[0]
    assert title == "还不能完成此步"
    listed = [line.removeprefix("· ") for line in text.splitlines() if line.startswith("· ")]
    assert listed == ["材料未收齐：医疗费用票据", "未填写：自付医疗费用"]
    # What was entered is kept, and the case did not move on.
    assert stepper(workspace)[0] == "1. 受理申请 — 办理中"
    record = case_office.cases.view(case_id).state.record("application")
    assert record.values["medical"] is True and record.materials == {"id_copy"}


def test_wrong_values_are_shown_in_red_under_their_fields(qtbot, workspace, case_id, messages):
    workspace.show_case(case_id)
    type_into(workspace, "household_size", "0")
    type_into(workspace, "income_per_head", "12.345")
    click(qtbot, workspace, workspace.save_button)

    assert messages == []
    household = workspace.editors["household_size"].error_label
    income = workspace.editors["income_per_head"].error_label
    assert household.isVisible() and "小于下限 1" in household.text()
    assert income.isVisible() and "最多保留两位小数" in income.text()
    assert workspace.form_message.text() == "有 2 项填写有误，请按红字提示修改。"
    # Correcting the value clears its message.
    type_into(workspace, "household_size", "4")
    assert not household.isVisible()


def test_nothing_is_saved_without_a_current_operator(
    qtbot, workspace, case_id, messages, case_office
):
    case_office.set_operator("")
    workspace.show_case(case_id)
    type_into(workspace, "household_size", "5")
    click(qtbot, workspace, workspace.save_button)
    assert messages[0][0] == "请先选择经办人"
    assert "当前经办人" in messages[0][1]
    assert case_office.cases.view(case_id).state.record("application").values["household_size"] == 3


def test_a_case_runs_through_approval_and_payment(
    qtbot, workspace, case_id, messages, case_office, clock
):
    workspace.show_case(case_id)
    fill_application(qtbot, workspace)
    click(qtbot, workspace, workspace.complete_button)
    assert messages == []
    assert stepper(workspace)[:2] == ["1. 受理申请 — 已完成 ✓", "2. 资格认定 — 办理中"]
    assert workspace.notice.text() == "已完成“受理申请”，转入“资格认定”。"
    assert plain(workspace.eligibility_label) == (
        "符合（深度困难）\n家庭月人均收入 600.00 元，低于救助线 750.00 元。"
    )

    clock.advance(hours=2)
    click(qtbot, workspace, workspace.complete_button)
    assert stepper(workspace)[2] == "3. 张榜公示 — 办理中"
    assert "等待期：3 个工作日，2026年3月6日起可完成本步" in page_text(workspace)
    workspace.log_edit.setPlainText("村民反映其家中有车，经核实为借用。")
    click(qtbot, workspace, workspace.log_button)
    assert workspace.log_list.item(0).text().endswith("李红梅：村民反映其家中有车，经核实为借用。")
    click(qtbot, workspace, workspace.complete_button)
    assert messages[-1][0] == "还不能完成此步"
    assert "等待期 3 个工作日未满" in messages[-1][1]

    clock.now = datetime(2026, 3, 6, 9, 0)
    workspace.show_case(case_id)
    click(qtbot, workspace, workspace.complete_button)
    assert stepper(workspace)[3] == "4. 主席审批 — 办理中"

    approval = workspace.approval_widgets
    # The clerk at the desk holds no approval role: the card offers the paper sign-off, with the
    # staff who may sign, and says why it cannot be given at the desk.
    assert approval["paper"].isChecked()
    assert approval["approver"].currentText() == f"{CHAIR}（工会主席）"
    click(qtbot, workspace, approval["at_desk"])
    assert not approval["button"].isEnabled()
    assert "李红梅没有“审批”角色" in approval["desk_note"].text()
    click(qtbot, workspace, approval["paper"])
    click(qtbot, workspace, approval["agree"])
    click(qtbot, workspace, approval["button"])
    assert messages[-1][0] == "无法记录审批"
    assert "须附上王建国签字页的扫描件" in messages[-1][1]

    # The chair at the desk approves as the operator.
    case_office.set_operator(CHAIR)
    workspace.show_case(case_id)
    approval = workspace.approval_widgets
    assert approval["at_desk"].isChecked() and approval["button"].isEnabled()
    assert "审批人：王建国（工会主席），当前经办人" in approval["desk_note"].text()
    type_into(workspace, "amount", "2000")
    click(qtbot, workspace, approval["agree"])
    approval["opinion"].setPlainText("同意")
    click(qtbot, workspace, approval["button"])
    assert "已记录：王建国（工会主席）同意，意见：同意" in page_text(workspace)
    click(qtbot, workspace, workspace.complete_button)
    assert stepper(workspace)[4] == "5. 发放 — 办理中"

    case_office.set_operator(CLERK)
    workspace.show_case(case_id)
    type_into(workspace, "paid_on", "2026年3月9日")  # as a clerk writes it on paper
    with qtbot.waitSignal(workspace.events.changed) as changed:
        click(qtbot, workspace, workspace.complete_button)
    assert changed.args[0].cases == {case_id}
    assert case_office.cases.view(case_id).state.record("payment").values["paid_on"] == "2026-03-09"

    assert stepper(workspace) == [
        "1. 受理申请 — 已完成 ✓",
        "2. 资格认定 — 已完成 ✓",
        "3. 张榜公示 — 已完成 ✓",
        "4. 主席审批 — 已完成 ✓",
        "5. 发放 — 已完成 ✓",
        "6. 告知不予救助 — 不适用",
    ]
    assert "状态：已办结" in plain(workspace.meta_label)
    assert workspace.notice.text() == "已完成“发放”，案件已办结。"
    assert not workspace.action_bar.isVisible()
    assert not workspace.terminate_button.isVisible()
    timeline = workspace.timeline.toPlainText()
    for seen in (
        "受理申请：登记\n是否因病致困：否",
        "受理申请：收到材料\n身份证复印件",
        "公示异议记录\n村民反映其家中有车，经核实为借用。",
        "主席审批：审批\n王建国（工会主席）：同意",  # the opinion only said 同意
        "主席审批：登记\n核定金额：2,000.00 元",
        "李红梅\n完成：发放",
        "办结",
    ):
        assert seen in timeline
    assert [m for m in messages if m[0] != "还不能完成此步" and m[0] != "无法记录审批"] == []


def test_a_done_step_shows_what_was_recorded_and_keeps_the_open_form(qtbot, workspace, case_id):
    workspace.show_case(case_id)
    fill_application(qtbot, workspace)
    workspace.note_edit.setPlainText("申请人行动不便，由女儿代交材料。")
    click(qtbot, workspace, workspace.complete_button)
    workspace.note_edit.setPlainText("尚未保存的备注")

    workspace.stepper.setCurrentRow(0)
    text = page_text(workspace)
    assert "已完成：李红梅，2026年3月2日 09:00" in text
    assert "身份证复印件　✓ 已收" in text
    assert "家庭月人均收入：\n600.00 元" in text
    assert "申请人行动不便，由女儿代交材料。" in text
    page = workspace.step_stack.currentWidget().widget()
    assert page.findChildren(QLineEdit) == [] and page.findChildren(QPlainTextEdit) == []
    assert not workspace.action_bar.isVisible()

    workspace.stepper.setCurrentRow(1)
    assert workspace.action_bar.isVisible()
    assert workspace.note_edit.toPlainText() == "尚未保存的备注"


def run_to_approval(office, clock, case_id):
    cases = office.cases
    cases.save_step(case_id, "application", CLERK, {"medical": "否"}, ["id_copy"])
    cases.complete_step(case_id, "application", CLERK)
    cases.complete_step(case_id, "assessment", CLERK)
    clock.now = datetime(2026, 3, 6, 9, 0)
    cases.complete_step(case_id, "notice", CLERK)


def test_paper_approval_needs_the_signed_page_attached(
    qtbot, workspace, case_id, messages, case_office, clock, tmp_path, monkeypatch
):
    run_to_approval(case_office, clock, case_id)
    workspace.show_case(case_id)
    approval = workspace.approval_widgets
    click(qtbot, workspace, approval["agree"])
    click(qtbot, workspace, approval["paper"])
    click(qtbot, workspace, approval["button"])
    assert messages[-1] == ("无法记录审批", "纸质签批须附上王建国签字页的扫描件，请先添加附件")

    scan = tmp_path / "签字页.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n signed page")
    monkeypatch.setattr(case_workspace, "choose_file", lambda _parent: str(scan))
    click(qtbot, workspace, approval["add_scan"])
    assert approval["scan"].currentText().startswith("签字页.png")
    entry = workspace.attachments.item(0).text()
    assert entry.startswith("签字页.png\n李红梅 · 2026-03-06 09:00 · 纸质签批 · ")
    assert workspace.side_tabs.tabText(1) == "附件（1）"

    click(qtbot, workspace, approval["button"])
    assert "纸质签批，签字页：签字页.png" in page_text(workspace)

    opened = []
    monkeypatch.setattr(case_workspace, "open_file", lambda path: opened.append(path) or True)
    workspace.attachments.setCurrentRow(0)
    click(qtbot, workspace, workspace.open_attachment_button)
    assert opened[0].read_bytes() == b"\x89PNG\r\n\x1a\n signed page"


def test_only_scans_and_documents_are_handed_to_the_system_to_open(
    qtbot, workspace, case_id, messages, case_office, tmp_path, monkeypatch
):
    # Listed before attachments were limited to scans and documents: a program.
    folder = case_office.data_dir / "attachments" / "ab"
    folder.mkdir(parents=True)
    (folder / "abc.exe").write_bytes(b"MZ")
    case_office.cases.repo.add_attachment(
        case_id,
        {
            "step_id": "application", "file_name": "照片\u202egpj.exe", "stored_name": "ab/abc.exe",
            "sha256": "ab" * 32, "size": 2, "purpose": "", "added_at": datetime(2026, 3, 2, 9, 0),
            "added_by": CLERK,
        },
    )  # fmt: skip
    workspace.show_case(case_id)
    assert workspace.attachments.item(0).text().startswith("照片gpj.exe\n")
    opened = []
    monkeypatch.setattr(case_workspace, "open_file", lambda path: opened.append(path) or True)
    workspace.attachments.setCurrentRow(0)
    click(qtbot, workspace, workspace.open_attachment_button)
    assert opened == []
    title, text = messages[-1]
    assert title == "不能打开附件" and "不是扫描件或文档" in text


def test_terminating_asks_the_reason_and_leaves_the_case_read_only(
    qtbot, workspace, case_id, case_office, monkeypatch
):
    workspace.show_case(case_id)
    monkeypatch.setattr(case_workspace, "ask_text", lambda *_args: ("申请人撤回申请", True))
    with qtbot.waitSignal(workspace.events.changed) as changed:
        click(qtbot, workspace, workspace.terminate_button)
    assert changed.args[0].cases == {case_id}
    assert "状态：已终止" in plain(workspace.meta_label)
    assert stepper(workspace)[0] == "1. 受理申请 — 已终止"
    assert not workspace.action_bar.isVisible()
    assert not workspace.add_attachment_button.isEnabled()
    page = workspace.step_stack.currentWidget().widget()
    assert page.findChildren(QLineEdit) == []
    assert "终止办理\n申请人撤回申请" in workspace.timeline.toPlainText()


def test_overdue_step_is_marked_in_red(workspace, case_id, clock):
    clock.now = datetime(2026, 3, 5, 10, 0)
    workspace.show_case(case_id)
    deadline = workspace.findChild(QLabel, "deadline")
    assert plain(deadline).endswith("2026年3月4日前　已超期")
    assert case_workspace.RED in deadline.text()


def test_person_field_picks_someone_from_the_registry(qtbot, case_office):
    person = add_person(case_office, name="李四", sequence=7)
    spec = FieldSpec("contact", "帮扶联系人", "person")
    editor = FieldEditor(spec, None, case_office)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.input, "ls")  # pinyin initials
    choices = editor.input.completer().model().stringList()
    assert len(choices) == 1 and choices[0].startswith("李四　6201")
    editor.input.setText(choices[0])
    assert editor.raw() == person
    editor.input.setText("王")
    assert not str(editor.raw()).isdigit()  # typed but not chosen: refused when saved


def test_a_year_without_a_holiday_table_is_pointed_out(workspace, case_office, clock):
    clock.now = datetime(2099, 3, 2, 9, 0)
    person = add_person(case_office)
    case = case_office.cases.open_case("BF-01", CLERK, person_id=person)
    workspace.show_case(case.id)
    assert "2099 年的法定节假日安排尚未收录" in page_text(workspace)


def test_a_save_over_someone_elses_change_is_refused_and_what_was_typed_stays(
    qtbot, workspace, case_id, messages, case_office, small_book_dir
):
    workspace.show_case(case_id)
    type_into(workspace, "household_size", "6")
    # Meanwhile another window on the same data folder records the same step.
    with Office.open(case_office.data_dir, small_book_dir) as other:
        other.cases.clock = case_office.cases.clock
        other.cases.save_step(case_id, "application", CHAIR, {"income_per_head": "700"})

    click(qtbot, workspace, workspace.save_button)
    title, text = messages[-1]
    assert title == "无法保存" and "已被 王建国" in text and "您填写的内容仍在原处" in text
    # The other window's entry is shown, and what this clerk typed is still in the form.
    assert workspace.editors["income_per_head"].input.text() == "700"
    assert workspace.editors["household_size"].input.text() == "6"
    record = case_office.cases.view(case_id).state.record("application")
    assert record.values["household_size"] == 3 and record.values["income_per_head"] == 70000

    click(qtbot, workspace, workspace.save_button)  # saved now, over the version it has seen
    record = case_office.cases.view(case_id).state.record("application")
    assert record.values["household_size"] == 6 and record.values["income_per_head"] == 70000
