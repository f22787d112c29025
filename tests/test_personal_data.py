"""Personal numbers (ID numbers, phones) leave the database masked: in what every command
prints, in PDF files, in the audit trail and in the log; a whole number is shown only when asked
for, and that is kept in the trail with who, which record, which fields, where and when.

Each test writes the surface out and searches it for the whole numbers."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest

from desktop.cli import main
from desktop.identity import (
    hide_personal_numbers,
    make_id_number,
    mask_id_number,
    mask_personal,
    mask_phone,
)
from desktop.office import SHOWN_BY_COMMAND, SHOWN_IN_PRINT, Office
from desktop.registry import clean_person

CLERK = "李红梅"
NOW = datetime(2026, 3, 2, 9, 0)
ID_NUMBER = make_id_number("620102", date(1978, 4, 9), 11)
PHONE = "13912345678"
STEP_PHONE = "13987654321"  # typed into a legal-aid case's 联系电话
WHOLE = (ID_NUMBER, PHONE, STEP_PHONE)


def squeeze(text: str) -> str:
    return "".join(text.split())


def assert_nothing_whole(text: str) -> None:
    shown = squeeze(text)
    assert [number for number in WHOLE if number in shown] == []


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def reveal_rows(office: Office, case_id: int) -> list[tuple[str, str, str]]:
    return [
        (entry.actor, entry.field, entry.new_value)
        for entry in office.cases.view(case_id).timeline
        if entry.action == "查看完整证件号码"
    ]


@pytest.fixture
def office_dir(tmp_path: Path, clock) -> Path:
    """A worker with an ID number and a phone, a hardship-aid case (whose forms print both)
    and a legal-aid case with a phone typed into its first step."""
    data_dir = tmp_path / "office"
    with Office.open(data_dir) as office:
        office.cases.clock = clock
        office.staff.add(CLERK, "工会专干")
        office.set_operator(CLERK)
        values = clean_person(
            {"name": "张秀英", "id_number": ID_NUMBER, "phone": PHONE, "household_size": 3},
            NOW.date(),
        )
        person = office.registry.add_person(values, CLERK, NOW)
        office.cases.open_case("BF-01", CLERK, person_id=person)
        legal = office.cases.open_case("QY-03", CLERK, person_id=person)
        typed = {"channel": "来访", "contact_date": "2026-03-02", "phone": STEP_PHONE}
        office.cases.save_step(legal.id, "intake", CLERK, typed)
    return data_dir


def run(capsys, data_dir: Path, *args: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --- one masking function per kind -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("id_number", ID_NUMBER, mask_id_number(ID_NUMBER)),
        ("phone", PHONE, "139****5678"),
        ("phone", "0931-8123456", "0931-***3456"),
        ("id_number", mask_id_number(ID_NUMBER), mask_id_number(ID_NUMBER)),  # masked already
        ("text", PHONE, PHONE),  # a number typed into free text is the clerk's business
        ("phone", "", ""),
    ],
)
def test_mask_personal_masks_the_personal_kinds_only(kind, value, shown):
    assert mask_personal(kind, value) == shown


# Log lines and error details have no field types: anything shaped like a number is masked.
def test_numbers_in_free_text_are_hidden():
    text = f"保存失败：{ID_NUMBER}与{PHONE}；案件 BF-2026-0007，流水号 12345678901234567890"
    hidden = hide_personal_numbers(text)
    assert ID_NUMBER not in hidden and PHONE not in hidden
    assert mask_phone(PHONE) in hidden and "BF-2026-0007" in hidden
    assert "12345678901234567890" in hidden  # a longer run of digits is not a number of ours


# --- the command line ---------------------------------------------------------------------------


def test_no_command_prints_a_whole_number(office_dir: Path, tmp_path: Path, capsys):
    outputs = []
    for args in (
        ["case", "list"],
        ["case", "list", "--json"],
        ["case", "show", "BF-2026-0001", "FY-2026-0001", "--now", "2026-03-02T10:00"],
        ["case", "show", "BF-2026-0001", "FY-2026-0001", "--now", "2026-03-02T10:00", "--json"],
        ["check", "--json"],
        # The same worker again: refused, and the message does not repeat the number.
        ["person", "add", "--name", "张秀英", "--id-number", ID_NUMBER, "--phone", PHONE],
    ):
        code, output = run(capsys, office_dir, *args)
        outputs.append(output)
    assert code == 1 and "已登记" in outputs[-1]
    shown = json.loads(outputs[3])
    (phone,) = [f for f in shown[1]["steps"][0]["fields"] if f["id"] == "phone"]
    assert phone["value"] == mask_phone(STEP_PHONE)
    for output in outputs:
        assert_nothing_whole(output)

    added = make_id_number("620102", date(1990, 1, 2), 21)
    code, output = run(
        capsys, office_dir, "person", "add", "--name", "王五", "--id-number", added,
        "--phone", "13700001111", "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(output)["id_number"] == mask_id_number(added)
    assert added not in output and "13700001111" not in output


def test_case_show_reveal_prints_whole_phones_and_keeps_it_in_the_trail(office_dir, capsys):
    code, output = run(capsys, office_dir, "case", "show", "FY-2026-0001", "--json", "--reveal")
    assert code == 0
    (phone,) = [f for f in json.loads(output)["steps"][0]["fields"] if f["id"] == "phone"]
    assert phone["value"] == STEP_PHONE
    with Office.open(office_dir) as office:
        case_id = office.cases.case_id("FY-2026-0001")
        # A command is nobody's desk: recorded as the command line, never as whoever last
        # sat at the window (the clerk here), and with no staff id.
        assert reveal_rows(office, case_id) == [
            ("命令行", "联系电话", f"命令行 uniondesk case show --reveal（{SHOWN_BY_COMMAND}）")
        ]
        (actor_id,) = office.db.execute(
            "SELECT actor_id FROM audit_log WHERE action = '查看完整证件号码'"
        ).fetchone()
        assert actor_id is None
        # A case with no number among its fields shows nothing whole: nothing to record.
        assert main(["--data-dir", str(office_dir), "case", "show", "BF-2026-0001", "--json",
                     "--reveal"]) == 0  # fmt: skip
        assert reveal_rows(office, office.cases.case_id("BF-2026-0001")) == []


def approved_case(data_dir: Path, clock) -> str:
    """A second living-aid case of the worker, approved and waiting at its payment: a payment
    sheet lists only cases that may be paid."""
    from tests.cases.procedure_driver import CHAIR, run_case

    with Office.open(data_dir) as office:
        office.cases.clock = clock
        office.staff.add(CHAIR, "工会主席")
        person = office.cases.view(office.cases.case_id("BF-2026-0001")).person.id
        values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
        return run_case(
            office, clock, "BF-01", {"person_id": person}, values,
            repeat_reason="上次申请尚未办结", stop_before="payment",
        ).number  # fmt: skip


@pytest.mark.parametrize("form", ["aid_application", "aid_approval", "aid_payment_signoff"])
def test_printed_forms_are_masked_unless_revealed(office_dir, tmp_path, capsys, clock, form):
    pdf = tmp_path / f"{form}.pdf"
    number = approved_case(office_dir, clock) if form == "aid_payment_signoff" else "BF-2026-0001"
    code, output = run(capsys, office_dir, "print", form, "--case", number, "-o", str(pdf))
    assert code == 0, output
    assert_nothing_whole(pdf_text(pdf))
    assert mask_id_number(ID_NUMBER) in squeeze(pdf_text(pdf))

    code, output = run(
        capsys, office_dir, "print", form, "--case", number, "-o", str(pdf), "--reveal"
    )
    assert code == 0, output
    assert ID_NUMBER in squeeze(pdf_text(pdf))
    with Office.open(office_dir) as office:
        ((actor, fields, detail),) = reveal_rows(office, office.cases.case_id(number))
    assert actor == "命令行" and "身份证号码" in fields  # printed by a command, not a desk
    assert detail.endswith(f"（{SHOWN_IN_PRINT}）") and str(pdf) in detail


# --- the audit trail ----------------------------------------------------------------------------


def test_correcting_a_workers_numbers_keeps_them_masked_in_the_trail(case_office):
    values = clean_person({"name": "张三", "id_number": ID_NUMBER, "phone": PHONE}, NOW.date())
    person_id = case_office.registry.add_person(values, CLERK, NOW)
    corrected = make_id_number("620102", date(1978, 4, 9), 12)
    changed = clean_person({"id_number": corrected, "phone": STEP_PHONE}, NOW.date())
    case_office.registry.update_person(person_id, changed, CLERK, NOW)

    assert case_office.registry.person(person_id).id_number == corrected  # the record changed
    rows = case_office.db.execute(
        "SELECT field, old_value, new_value FROM audit_log WHERE entity = 'person'"
        " AND entity_id = ? AND action = '修改' ORDER BY field",
        [person_id],
    ).fetchall()
    assert ("id_number", mask_id_number(ID_NUMBER), mask_id_number(corrected)) in rows
    assert ("phone", mask_phone(PHONE), mask_phone(STEP_PHONE)) in rows
    trail = json.dumps(rows, ensure_ascii=False)
    assert corrected not in trail and ID_NUMBER not in trail and PHONE not in trail


def test_a_phone_typed_into_a_step_is_masked_in_the_case_record(office_dir):
    with Office.open(office_dir) as office:
        timeline = office.cases.view(office.cases.case_id("FY-2026-0001")).timeline
    text = "".join(f"{e.field}{e.old_value}{e.new_value}" for e in timeline)
    assert mask_phone(STEP_PHONE) in text
    assert_nothing_whole(text)


def test_a_reveal_names_where_it_happened(case_office):
    with pytest.raises(ValueError):
        case_office.record_reveal("?", person_ids=[1], fields=["电话"], place="网页")


# --- the log ------------------------------------------------------------------------------------


def test_the_log_file_masks_numbers(tmp_path: Path):
    from desktop.ui.app import PersonalNumbersHidden

    handler = logging.FileHandler(tmp_path / "uniondesk.log", encoding="utf-8")
    handler.addFilter(PersonalNumbersHidden())
    logger = logging.getLogger("tests.personal_data")
    logger.addHandler(handler)
    try:
        logger.error("unexpected error\n%s", f"ValueError: {ID_NUMBER} {PHONE}")
    finally:
        logger.removeHandler(handler)
        handler.close()
    text = (tmp_path / "uniondesk.log").read_text(encoding="utf-8")
    assert mask_id_number(ID_NUMBER) in text
    assert_nothing_whole(text)


def test_the_error_details_a_clerk_sends_on_are_masked(tmp_path: Path, monkeypatch):
    from desktop.ui import app

    shown: list[str] = []
    monkeypatch.setattr(app, "show_bug", lambda details, _log_file: shown.append(details))
    try:
        raise ValueError(f"无法读取 {ID_NUMBER}，电话 {PHONE}")
    except ValueError as error:
        app.handle_uncaught(ValueError, error, error.__traceback__, tmp_path / "uniondesk.log")
    (details,) = shown
    assert "ValueError" in details and mask_id_number(ID_NUMBER) in details
    assert_nothing_whole(details)
