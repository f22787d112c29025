"""Printing from the window: the 表单打印 section, the preview, printing, saving, and printing
from a case's step and from the case list. Message boxes and system dialogs are replaced."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog, QPushButton

from desktop.cases.service import CaseError
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.printing import blank_context, load_forms
from desktop.printing.jobs import PrintSource, case_source, suggested_file_name
from desktop.printing.office_forms import office_forms
from desktop.registry import clean_person
from desktop.ui import forms_page, print_preview
from desktop.ui.case_list import CaseList
from desktop.ui.case_workspace import CaseWorkspace
from desktop.ui.events import OfficeEvents
from desktop.ui.forms_page import FORM_ID_ROLE, CaseNumberDialog, FormsPage, thumbnail_dir
from desktop.ui.main_window import MainWindow
from desktop.ui.print_preview import FormPreviewDialog
from desktop.ui.settings import WindowSettings

CLERK = "李红梅"
BIRTH = date(1978, 4, 9)


def add_person(office: Office, name: str, sequence: int) -> tuple[int, str]:
    id_number = make_id_number("620102", BIRTH, sequence)
    values = clean_person(
        {"name": name, "id_number": id_number, "phone": "13912345678", "household_size": 3},
        date(2026, 1, 1),
    )
    return office.registry.add_person(values, CLERK, datetime(2026, 1, 1)), id_number


@pytest.fixture
def office(tmp_path: Path, clock):
    """The shipped book in a real data folder, so thumbnails have somewhere to be cached."""
    with Office.open(tmp_path / "office") as opened:
        opened.cases.clock = clock
        opened.staff.add(CLERK, "工会专干")
        opened.set_operator(CLERK)
        yield opened


@pytest.fixture
def aid_case(office):
    """A living-aid case for 张秀英: (case id, case number, whole ID number)."""
    person, id_number = add_person(office, "张秀英", 11)
    case = office.cases.open_case("BF-01", CLERK, person_id=person)
    return case.id, case.number, id_number


@pytest.fixture
def dialogs(monkeypatch, tmp_path: Path):
    """Every message box and system dialog of printing, answered as the test says."""

    class Answers:
        warnings: list[tuple[str, str]] = []
        glyph_questions: list[str] = []
        print_anyway = True
        save_to = tmp_path / "saved" / "表单"
        printer_file = tmp_path / "printed.pdf"
        page_range: tuple[int, int] | None = None
        picks: list[list[str]] = []
        pick = 0

    answers = Answers()
    answers.save_to.parent.mkdir()

    def choose_printer(_parent, printer: QPrinter, _pages: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(answers.printer_file))
        printer.setResolution(150)  # the raster only; keeps the test quick
        if answers.page_range is not None:
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*answers.page_range)
        return True

    def pick_item(_parent, _title, _label, items, _current=0):
        answers.picks.append(list(items))
        return answers.pick

    def ask_print_anyway(_parent, text):
        answers.glyph_questions.append(text)
        return answers.print_anyway

    monkeypatch.setattr(
        print_preview, "warn", lambda _p, title, text: answers.warnings.append((title, text))
    )
    monkeypatch.setattr(print_preview, "inform", lambda _p, title, text: None)
    monkeypatch.setattr(print_preview, "ask_print_anyway", ask_print_anyway)
    monkeypatch.setattr(print_preview, "choose_save_path", lambda _p, _s: str(answers.save_to))
    monkeypatch.setattr(print_preview, "choose_printer", choose_printer)
    monkeypatch.setattr(print_preview, "pick_item", pick_item)
    return answers


def rendered(qtbot, dialog: FormPreviewDialog) -> FormPreviewDialog:
    if not dialog.ready:
        with qtbot.waitSignal(dialog.rendered, timeout=10000):
            pass
    return dialog


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdf_pages(path: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(round(float(p.width)), round(float(p.height))) for p in pdf.pages]


def preview(qtbot, office, form_id: str, source: PrintSource) -> FormPreviewDialog:
    form = office_forms(office).forms[form_id]
    dialog = FormPreviewDialog(office, form, source)
    qtbot.addWidget(dialog)
    return rendered(qtbot, dialog)


# --- 表单打印 ----------------------------------------------------------------------------------


def show_forms_page(qtbot, office) -> FormsPage:
    page = FormsPage(office)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    if not page.thumbnails_done():
        with qtbot.waitSignal(page.maker.finished, timeout=20000):
            pass
    return page


def test_forms_page_lists_every_form_with_thumbnails_cached_for_next_time(qtbot, office):
    first = show_forms_page(qtbot, office)
    titles = {first.list.item(row).text() for row in range(first.list.count())}
    shipped = load_forms()
    assert len(shipped) == 13
    kinds = {
        "aid_public_notice": "名单",
        "aid_payment_signoff": "签领表",
        "condolence_signoff": "签领表",
        "congress_signin": "签到表",
    }
    assert titles == {f"{f.title}\n{kinds.get(f.id, '表格')}" for f in shipped.values()}
    # In the order of the service checklist, each procedure's forms in the order of its steps.
    listed = [first.list.item(row).data(FORM_ID_ROLE) for row in range(first.list.count())]
    assert listed[0] == "membership_application"
    assert listed.index("aid_application") < listed.index("aid_approval")
    assert first.maker.rendered == 13 and set(first.images) == set(shipped)
    assert all(image.width() == 300 for image in first.images.values())
    cached = sorted(p.name for p in thumbnail_dir(office).glob("*.png"))
    assert len(cached) == 13 and cached[0].startswith("aid_application-")

    # The form and the steps that print it.
    first.select_form("condolence_signoff")
    assert first.form_title.text() == "慰问金发放签领表"
    assert "类型：签领表" in first.form_meta.text()
    # Clerks read titles; the id is for whoever maintains the form files.
    assert "condolence_signoff" not in first.form_meta.text()
    assert "condolence_signoff" in first.form_meta.toolTip()
    uses = first.form_uses.text()
    assert "会员慰问 · 发放慰问" in uses and "会员慰问 · 发放丧葬慰问" in uses

    # Opening the section again (the next start) renders nothing.
    second = show_forms_page(qtbot, office)
    assert (second.maker.from_cache, second.maker.rendered) == (13, 0)
    assert set(second.images) == set(shipped)


def test_form_files_with_mistakes_are_listed_instead_of_the_forms(qtbot, small_office):
    # The small test book lacks steps the shipped forms print from.
    page = FormsPage(small_office)
    qtbot.addWidget(page)
    page.show()
    assert page.stack.currentWidget() is page.error_view
    text = page.error_view.toPlainText()
    assert "表单版式文件有错误" in text and "forms/aid_application.toml 第" in text


def test_forms_section_in_the_window_and_the_print_font_setting(qtbot, office, dialogs):
    window = MainWindow(office)
    qtbot.addWidget(window)
    window.show_section("forms")
    assert window.current_section() == "forms"
    assert window.navigation.item(2).text() == "表单打印"

    dialogs.pick = 2  # the third choice: the bundled sans
    window.choose_print_font()
    assert office.print_body_font == "sans"
    assert dialogs.picks[-1][0] == "程序自带宋体（文鼎 PL 细上海宋）"
    window.close()


def test_choosing_simsun_where_there_is_none_says_what_prints_instead(office, monkeypatch):
    notices: list[str] = []
    monkeypatch.setattr(print_preview, "pick_item", lambda *_args: 1)
    monkeypatch.setattr(print_preview, "inform", lambda _p, _t, text: notices.append(text))

    class NoSimSun:
        warnings = ("找不到字体文件 C:\\Windows\\Fonts\\simsun.ttc。 已改用程序自带宋体。",)

    monkeypatch.setattr(print_preview, "typefaces", lambda _font: NoSimSun)
    assert print_preview.choose_print_font(None, office)
    assert office.print_body_font == "simsun"
    assert "改用程序自带宋体" in notices[0]


def test_blank_preview_and_filling_from_a_case_number(qtbot, office, aid_case, monkeypatch):
    case_id, number, _id_number = aid_case
    page = show_forms_page(qtbot, office)
    page.select_form("aid_application")
    blank = rendered(qtbot, page.preview_blank())
    assert blank.windowTitle() == "打印预览 — 困难职工帮扶救助申请表（空白表）"
    assert not blank.reveal_box.isEnabled()  # nothing personal on a blank form
    assert number not in pdf_text(blank.pdf_bytes)
    blank.close()

    asked = []
    row = office.cases.repo.case_by_number(number)
    monkeypatch.setattr(forms_page, "ask_case", lambda *args: asked.append(args) or row)
    filled = rendered(qtbot, page.fill_from_case())
    assert number in pdf_text(filled.pdf_bytes)
    filled.close()


def test_case_number_dialog_checks_the_number(qtbot, office, aid_case):
    _case_id, number, _id_number = aid_case
    form = office_forms(office).forms["aid_application"]
    dialog = CaseNumberDialog(office, form, office_forms(office).used_by(form.id))
    qtbot.addWidget(dialog)
    dialog.number_edit.setText("BF-1999-0001")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "没有编号为“BF-1999-0001”的案件" in dialog.error_label.text()
    dialog.number_edit.setText(number.lower())  # typed in small letters
    assert dialog.found_label.text() == "张秀英 · 困难职工生活救助 · 办理中"
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.case.number == number


def test_case_number_dialog_refuses_a_case_of_another_kind(qtbot, office, aid_case):
    _case_id, number, _id_number = aid_case
    catalogue = office_forms(office)
    form = catalogue.forms["medical_aid_application"]
    dialog = CaseNumberDialog(office, form, catalogue.used_by(form.id))
    qtbot.addWidget(dialog)
    dialog.number_edit.setText(number)  # a 生活救助 case: filled on the general application
    assert not dialog.warning_label.isHidden()
    assert "请改印这张表" in dialog.warning_label.text()
    assert "“困难职工帮扶救助申请表”（表单编号 aid_application）" in dialog.warning_label.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.case is None


# --- the preview -----------------------------------------------------------------------------


def test_preview_of_a_filled_form_saves_a_pdf_with_the_case(qtbot, office, aid_case, dialogs):
    case_id, number, id_number = aid_case
    form = office_forms(office).forms["aid_application"]
    dialog = preview(qtbot, office, "aid_application", case_source(office, form, case_id))
    assert dialog.page_count() == dialog.render_result.pages == 1
    assert dialog.page_label.text() == "第 1 页 / 共 1 页"
    assert dialog.windowTitle() == f"打印预览 — 困难职工帮扶救助申请表（{number}）"
    assert suggested_file_name(form, number) == f"困难职工帮扶救助申请表_{number}.pdf"

    saved = dialog.save_pdf()
    assert saved == dialogs.save_to.with_name("表单.pdf") and saved.exists()
    assert not list(saved.parent.glob("*.part"))
    text = pdf_text(saved.read_bytes())
    assert number in text and "张秀英" in text
    # Masked by default: the start and the end of the number only.
    assert id_number not in text and id_number[:4] + "**********" + id_number[-4:] in text


# Whole numbers shown in the preview, saved and printed: each kept in the case's record with
# the fields and where (窗口, 打印); nothing is kept while they are masked.
def test_reveal_prints_the_whole_id_number(qtbot, office, aid_case, dialogs):
    case_id, _number, id_number = aid_case
    form = office_forms(office).forms["aid_application"]
    dialog = preview(qtbot, office, "aid_application", case_source(office, form, case_id))
    assert id_number not in pdf_text(dialog.pdf_bytes)
    dialog.save_pdf()
    assert reveals(office, case_id) == []
    with qtbot.waitSignal(dialog.rendered, timeout=10000):
        dialog.reveal_box.setChecked(True)
    assert id_number in pdf_text(dialog.pdf_bytes)
    assert "证件号码完整" in dialog.status.text()
    saved = dialog.save_pdf()
    assert dialog.print_document() == 1
    title = "“困难职工帮扶救助申请表”"
    assert reveals(office, case_id) == [
        # The application prints the bank account too, masked like the ID number.
        ("身份证号码、联系电话、银行账号", f"打印预览{title}（窗口）"),
        ("身份证号码、联系电话、银行账号", f"另存为 PDF{title}：{saved}（打印）"),
        ("身份证号码、联系电话、银行账号", f"送往打印机{title}：{dialogs.printer_file}（打印）"),
    ]


def reveals(office: Office, case_id: int) -> list[tuple[str, str]]:
    return [
        (entry.field, entry.new_value)
        for entry in office.cases.view(case_id).timeline
        if entry.action == "查看完整证件号码" and entry.actor == CLERK
    ]


# A form that prints no ID number or phone has nothing to reveal.
def test_a_form_without_personal_numbers_offers_no_reveal(qtbot, office):
    values = {"name": "示例恒通机械有限公司", "headcount": 40, "union_status": "已建会"}
    firm = office.registry.add_enterprise(values, CLERK, datetime(2026, 1, 1))
    case = office.cases.open_case("ZZ-03", CLERK, enterprise_id=firm)
    form = office_forms(office).forms["congress_notice"]
    dialog = preview(qtbot, office, "congress_notice", case_source(office, form, case.id))
    assert not dialog.reveal_box.isEnabled()
    assert "证件号码" not in dialog.status.text()


def test_printing_paints_every_page_at_full_size(qtbot, office, aid_case, dialogs):
    case_id, _number, _id_number = aid_case
    form = office_forms(office).forms["aid_application"]
    dialog = preview(qtbot, office, "aid_application", case_source(office, form, case_id))
    assert dialog.print_document() == 1
    assert pdf_pages(dialogs.printer_file) == [(595, 842)]  # A4 in points, not shrunk


def test_printing_honours_the_page_range(qtbot, office, dialogs):
    form = office_forms(office).forms["aid_payment_signoff"]
    many_rows = PrintSource(lambda _reveal: blank_context(form, rows=60))
    dialog = preview(qtbot, office, "aid_payment_signoff", many_rows)
    total = dialog.page_count()
    assert total >= 3
    assert dialog.print_document() == total
    assert len(pdf_pages(dialogs.printer_file)) == total
    dialogs.page_range = (2, 3)
    assert dialog.print_document() == 2
    assert len(pdf_pages(dialogs.printer_file)) == 2


@pytest.mark.parametrize("print_anyway", [True, False])
def test_a_character_no_font_has_is_named_before_printing(qtbot, office, dialogs, print_anyway):
    person, _id_number = add_person(office, "张𪚥", 12)
    case = office.cases.open_case("BF-01", CLERK, person_id=person)
    form = office_forms(office).forms["aid_application"]
    dialogs.print_anyway = print_anyway
    dialog = FormPreviewDialog(office, form, case_source(office, form, case.id))
    qtbot.addWidget(dialog)
    dialog.open()
    if print_anyway:
        rendered(qtbot, dialog)
        assert "〓" in dialog.notice.text() and dialog.notice.isVisible()
        assert "张〓" in pdf_text(dialog.pdf_bytes)
    else:
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10000)
        assert not dialog.ready
    (question,) = dialogs.glyph_questions
    assert "姓名：“𪚥”（U+2A6A5）" in question and "仍然打印" in question


# --- from a case and from the case list ------------------------------------------------------


def test_case_step_prints_its_forms_filled_from_the_case(qtbot, office, aid_case, dialogs):
    case_id, number, _id_number = aid_case
    workspace = CaseWorkspace(office)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 760)
    workspace.show()
    workspace.show_case(case_id)
    page = workspace.step_stack.currentWidget().widget()
    buttons = {b.objectName(): b.text() for b in page.findChildren(QPushButton)}
    assert buttons["formButton_aid_application"] == "困难职工帮扶救助申请表…"
    # A living-aid case is not offered the medical-aid or Golden Autumn applications.
    assert "formButton_medical_aid_application" not in buttons
    assert "formButton_golden_autumn_application" not in buttons
    page.findChild(QPushButton, "formButton_aid_application").click()
    dialog = rendered(qtbot, workspace.preview_dialog)
    text = pdf_text(dialog.pdf_bytes)
    assert number in text and "张秀英" in text
    dialog.close()

    # The payment step, not reached yet, offers its sign-off sheet, and says why a case not
    # yet approved cannot be listed on it.
    ids = [s.step.id for s in workspace.view.steps]
    workspace.stepper.setCurrentRow(ids.index("payment"))
    page = workspace.step_stack.currentWidget().widget()
    page.findChild(QPushButton, "formButton_aid_payment_signoff").click()
    ((title, text),) = dialogs.warnings
    assert title == "无法打印" and f"  · {number}（张秀英）：尚未审批" in text


@pytest.fixture
def approved_cases(office, clock) -> list[str]:
    """Two living-aid cases approved by the chair and waiting at their payment."""
    from tests.cases.procedure_driver import CHAIR, make_person, run_case

    office.staff.add(CHAIR, "工会主席")
    values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
    return [
        run_case(
            office, clock, "BF-01", {"person_id": make_person(office, sequence=n)}, values,
            stop_before="payment",
        ).number
        for n in (41, 42)
    ]  # fmt: skip


def case_list_with_all_selected(qtbot, office) -> CaseList:
    case_list = CaseList(office, WindowSettings(None), OfficeEvents(office))
    qtbot.addWidget(case_list)
    case_list.show()
    case_list.refresh()
    case_list.table.selectAll()
    return case_list


def test_case_list_prints_one_signoff_sheet_for_the_selected_cases(
    qtbot, office, approved_cases, dialogs
):
    case_list = case_list_with_all_selected(qtbot, office)
    assert case_list.signoff_button.text() == "打印签领表/公示（2 件）…"
    dialogs.pick = 1  # 帮扶救助金发放签领表, after the public notice
    dialog = rendered(qtbot, case_list.print_signoff())
    (offered,) = dialogs.picks
    assert offered == ["困难职工帮扶救助公示", "帮扶救助金发放签领表", "慰问金发放签领表"]
    assert dialog.windowTitle() == "打印预览 — 帮扶救助金发放签领表（FF-2026-001）"
    text = pdf_text(dialog.pdf_bytes)
    assert all(n in text for n in approved_cases) and "编号：FF-2026-001" in text
    assert not dialog.notice.isVisible()  # every row has its amount
    dialog.close()


@pytest.mark.parametrize("print_the_rest", [True, False])
def test_selected_cases_that_may_not_be_paid_are_named_and_the_rest_can_print(
    qtbot, office, approved_cases, dialogs, monkeypatch, print_the_rest
):
    person, _ = add_person(office, "王小红", 43)
    waiting = office.cases.open_case("BF-01", CLERK, person_id=person).number
    case_list = case_list_with_all_selected(qtbot, office)
    asked: list[tuple[str, int]] = []

    def ask(_parent, text, rest, title):
        assert title == "帮扶救助金发放签领表"  # the sheet picked, named in the question
        asked.append((text, rest))
        return print_the_rest

    monkeypatch.setattr(print_preview, "ask_print_the_rest", ask)
    dialogs.pick = 1
    dialog = case_list.print_signoff()
    ((question, rest),) = asked
    assert rest == 2 and f"  · {waiting}（王小红）：尚未审批" in question
    if not print_the_rest:
        assert dialog is None
        return
    text = pdf_text(rendered(qtbot, dialog).pdf_bytes)
    assert all(n in text for n in approved_cases) and waiting not in text
    dialog.close()


def test_a_case_that_cannot_be_read_is_explained_and_no_preview_opens(qtbot, office, dialogs):
    def gone(_reveal):
        raise CaseError("找不到案件 BF-2026-0099，请核对案件编号（如 BF-2026-0007）。")

    form = office_forms(office).forms["aid_application"]
    dialog = print_preview.preview_form(None, office, form, PrintSource(gone, "BF-2026-0099"))
    qtbot.addWidget(dialog)
    assert dialog.failed and not dialog.isVisible()
    assert dialogs.warnings == [
        ("无法填写表单", "找不到案件 BF-2026-0099，请核对案件编号（如 BF-2026-0007）。")
    ]


def test_a_payment_sheet_refuses_cases_whose_procedure_does_not_pay_with_it(qtbot, office, dialogs):
    aid_person, _ = add_person(office, "张秀英", 31)
    other_person, _ = add_person(office, "李建华", 32)
    aid = office.cases.open_case("BF-01", CLERK, person_id=aid_person).number
    legal = office.cases.open_case("QY-03", CLERK, person_id=other_person).number
    case_list = CaseList(office, WindowSettings(None), OfficeEvents(office))
    qtbot.addWidget(case_list)
    case_list.show()
    case_list.refresh()
    case_list.table.selectAll()
    assert {c.number for c in case_list.selected_cases()} == {aid, legal}

    dialogs.pick = 1  # 帮扶救助金发放签领表
    assert case_list.print_signoff() is None
    ((title, text),) = dialogs.warnings
    assert title == "无法打印帮扶救助金发放签领表"
    assert f"案件 {legal}" in text and "的办理流程不用“帮扶救助金发放签领表”" in text


def test_printing_from_a_step_saves_what_was_typed_first(
    qtbot, office, aid_case, dialogs, monkeypatch
):
    from desktop.ui import case_workspace

    case_id, _number, _id_number = aid_case
    workspace = CaseWorkspace(office)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_case(case_id)
    workspace.editors["reason"].set_value_text("丈夫病故，独自抚养两个孩子")
    assert workspace.has_unsaved_changes()
    asked: list[str] = []

    def cancel(_parent, text):
        asked.append(text)
        return False

    monkeypatch.setattr(case_workspace, "ask_save_before_print", cancel)
    page = workspace.step_stack.currentWidget().widget()
    page.findChild(QPushButton, "formButton_aid_application").click()
    assert "还没有保存" in asked[0] and workspace.preview_dialog is None  # nothing printed
    assert office.cases.view(case_id).state.record("application").values.get("reason") is None

    monkeypatch.setattr(case_workspace, "ask_save_before_print", lambda *_args: True)
    page.findChild(QPushButton, "formButton_aid_application").click()
    dialog = rendered(qtbot, workspace.preview_dialog)
    assert "丈夫病故，独自抚养两个孩子" in pdf_text(dialog.pdf_bytes)  # what the clerk sees
    assert not workspace.has_unsaved_changes()
    dialog.close()


def test_printing_while_correcting_says_to_save_the_correction_first(
    qtbot, office, clock, dialogs, monkeypatch
):
    from desktop.ui import case_workspace
    from tests.cases.procedure_driver import make_person, run_case

    person = make_person(office)
    view = run_case(office, clock, "BF-01", {"person_id": person}, stop_before="home_visit",
                    values={"excluded_assets": False})  # fmt: skip
    warned: list[str] = []
    monkeypatch.setattr(case_workspace, "warn", lambda _parent, _title, text: warned.append(text))
    workspace = CaseWorkspace(office)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_case(view.row.id)
    workspace.stepper.setCurrentRow(0)
    workspace.start_correction("application")
    page = workspace.correction_page
    page.editors["amount_requested"].set_value_text("2500")
    page.findChild(QPushButton, "formButton_aid_application").click()
    assert workspace.preview_dialog is None  # the old figures are not printed as current
    assert "请先点“保存更正…”" in warned[0]


def test_a_correction_hides_the_current_steps_buttons_and_is_not_dropped_silently(
    qtbot, office, clock, dialogs, monkeypatch
):
    from desktop.ui import case_workspace
    from tests.cases.procedure_driver import make_person, run_case

    person = make_person(office)
    view = run_case(office, clock, "BF-01", {"person_id": person}, stop_before="home_visit",
                    values={"excluded_assets": False})  # fmt: skip
    workspace = CaseWorkspace(office)
    qtbot.addWidget(workspace)
    workspace.show()
    workspace.show_case(view.row.id)
    workspace.stepper.setCurrentRow(0)
    workspace.start_correction("application")
    assert not workspace.action_bar.isVisible()  # 完成此步 would complete another step
    workspace.correction_page.editors["amount_requested"].set_value_text("2500")
    answers = ["cancel", "discard"]
    asked: list[str] = []
    monkeypatch.setattr(
        case_workspace, "ask_save", lambda _p, text: asked.append(text) or answers.pop(0)
    )
    workspace.stepper.setCurrentRow(1)  # another step: asked, and stays
    assert "“受理申请”的更正还没有保存" in asked[0]
    assert workspace.correction_page is not None and workspace.stepper.currentRow() == 0
    assert workspace.confirm_leave()  # leaving the case: asked again, dropped on request
    assert len(asked) == 2 and workspace.correction_page is None
    saved = office.cases.view(view.row.id).state.record("application").values
    assert saved["amount_requested"] != 250_000  # nothing saved behind the clerk's back
