"""`uniondesk forms` and `uniondesk print`: what offices script their batch printing with."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pdfplumber
import pytest

from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.registry import clean_person

CLERK = "李红梅"
SHIPPED_FORMS = {
    "aid_application", "home_visit_survey", "aid_public_notice", "aid_approval",
    "aid_payment_signoff", "condolence_signoff", "golden_autumn_application",
    "medical_aid_application",
    "membership_application", "negotiation_proposal", "negotiation_reply", "congress_notice",
    "congress_signin",
}  # fmt: skip


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


@pytest.fixture
def office_dir(tmp_path: Path, clock) -> Path:
    """A data folder with two workers and a hardship-aid case each."""
    data_dir = tmp_path / "office"
    with Office.open(data_dir) as office:
        office.cases.clock = clock
        office.staff.add(CLERK, "工会专干")
        office.set_operator(CLERK)
        for sequence, name in ((11, "张秀英"), (13, "刘建军")):
            values = clean_person(
                {
                    "name": name,
                    "id_number": make_id_number("620102", date(1978, 4, 9), sequence),
                    "phone": "13912345678",
                    "household_size": 3,
                    "income_per_head": "600",
                },
                date(2026, 1, 1),
            )
            person = office.registry.add_person(values, CLERK, datetime(2026, 1, 1))
            office.cases.open_case("BF-01", CLERK, person_id=person)
    return data_dir


def test_forms_json_lists_every_shipped_form_with_its_title_and_steps(capsys):
    code, out, _ = run(capsys, "forms", "--json")
    assert code == 0
    forms = {form["id"]: form for form in json.loads(out)}
    assert set(forms) == SHIPPED_FORMS
    assert forms["aid_application"]["title"] == "困难职工帮扶救助申请表"
    assert forms["aid_payment_signoff"]["kind"] == "signoff"
    assert "困难职工帮扶救助 · 受理申请" in forms["aid_application"]["steps"]


def test_the_readme_never_counts_the_forms_wrong():
    # It said 12 种官方表单 while 13 were shipped: a count goes stale as forms are added.
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    counted = re.findall(r"(\d+) ?种[^，。；\n]{0,6}表单", readme)
    assert all(int(n) == len(SHIPPED_FORMS) for n in counted), counted
    assert "uniondesk forms" in readme


def test_print_a_form_filled_from_a_case(office_dir: Path, tmp_path: Path, capsys):
    out_pdf = tmp_path / "申请表.pdf"
    code, out, err = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_application",
        "--case", "bf-2026-0001", "-o", str(out_pdf), "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["pages"] == 1 and report["cases"] == ["BF-2026-0001"]
    assert report["personal_data"] == "masked"
    text = pdf_text(out_pdf)
    assert "困难职工帮扶救助申请表" in text and "BF-2026-0001" in text and "张秀英" in text
    whole_id = make_id_number("620102", date(1978, 4, 9), 11)
    assert whole_id not in text and f"{whole_id[:4]}**********{whole_id[-4:]}" in text

    code, _, _ = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_application",
        "--case", "BF-2026-0001", "-o", str(out_pdf), "--reveal",
    )  # fmt: skip
    assert code == 0 and whole_id in pdf_text(out_pdf)


def test_a_sign_off_sheet_refuses_cases_not_approved_yet(office_dir, tmp_path, capsys):
    sheet = tmp_path / "签领表.pdf"
    code, out, err = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_payment_signoff",
        "--case", "BF-2026-0001", "--case", "BF-2026-0002", "-o", str(sheet),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("错误：以下 2 件案件不能列入“帮扶救助金发放签领表”：\n")
    assert "  · BF-2026-0001（张秀英）：尚未审批\n" in err
    assert "  · BF-2026-0002（刘建军）：尚未审批\n" in err
    assert not sheet.exists()


def test_a_sign_off_sheet_over_approved_cases_has_a_batch_number(tmp_path, clock, capsys):
    from tests.cases.procedure_driver import CHAIR, make_person, run_case

    data_dir = tmp_path / "office"
    with Office.open(data_dir) as office:
        office.set_up("示例镇总工会", [(CLERK, "工会专干"), (CHAIR, "工会主席")])
        office.cases.clock = clock
        values = {"excluded_assets": False, "visit_conclusion": "情况属实"}
        for sequence in (11, 12):
            person = make_person(office, sequence=sequence)
            run_case(office, clock, "BF-01", {"person_id": person}, values, stop_before="payment")
    sheet = tmp_path / "签领表.pdf"
    args = ["--data-dir", str(data_dir), "print", "aid_payment_signoff", "-o", str(sheet)]
    args += ["--case", "BF-2026-0001", "--case", "BF-2026-0002"]
    code, out, err = run(capsys, *args, "--json")
    assert code == 0, err
    batch = json.loads(out)["batch"]  # numbered in the year of printing: the command's clock
    assert re.fullmatch(r"FF-\d{4}-001", batch)
    assert f"编号：{batch}" in pdf_text(sheet)
    code, out, err = run(capsys, *args)  # printed again: the same batch
    assert code == 0, err
    assert f"批次号 {batch}" in out


def test_blank_sign_off_sheet_rows(office_dir, tmp_path, capsys):
    blank = tmp_path / "空白签领表.pdf"
    code, out, err = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_payment_signoff", "--blank",
        "--rows", "60", "-o", str(blank), "--json",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["pages"] >= 2  # 60 rows tall enough to sign in need two pages
    assert "张秀英" not in pdf_text(blank)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nosuch", "--blank"], "没有编号为“nosuch”的表单"),
        (["aid_application", "--case", "BF-2026-9999"], "找不到案件 BF-2026-9999"),
        (
            ["aid_application", "--case", "BF-2026-0001", "--case", "BF-2026-0002"],
            "一次只能按一件案件填写",
        ),
        (["aid_application", "--blank", "--rows", "20"], "--rows 只用于签到表和签领表"),
        (["aid_application", "--case", "BF-2026-0001", "--rows", "20"], "是一般表格"),
        (
            ["aid_payment_signoff", "--case", "BF-2026-0001", "--rows", "20"],
            "每件案件一行，行数就是所列的案件数",
        ),
        (
            ["aid_payment_signoff", "--case", "BF-2026-0001", "--case", "bf-2026-0001"],
            "重复出现",
        ),
        (["congress_notice", "--case", "BF-2026-0001"], "办理流程不用“会员（代表）大会通知”"),
    ],
)
def test_bad_requests_exit_non_zero_and_write_nothing(office_dir, tmp_path, capsys, args, message):
    out_pdf = tmp_path / "out.pdf"
    code, _, err = run(capsys, "--data-dir", str(office_dir), "print", *args, "-o", str(out_pdf))
    assert code != 0
    assert message in err
    assert not out_pdf.exists()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == []  # no PDF, no .part


def test_an_application_of_another_kind_is_refused_and_the_right_one_named(
    office_dir, tmp_path, capsys
):
    with Office.open(office_dir) as office:
        worker = office.db.execute("SELECT person_id FROM cases ORDER BY id").fetchone()[0]
        medical = office.cases.open_case("BF-02", CLERK, person_id=worker).number
    out_pdf = tmp_path / "申请表.pdf"
    code, _, err = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_application",
        "--case", medical, "-o", str(out_pdf),
    )  # fmt: skip
    assert code == 1 and not out_pdf.exists()
    assert f"案件 {medical}（医疗救助）不用“困难职工帮扶救助申请表”" in err
    assert "“医疗救助申请表”（表单编号 medical_aid_application）" in err
    code, _, err = run(
        capsys, "--data-dir", str(office_dir), "print", "medical_aid_application",
        "--case", medical, "-o", str(out_pdf),
    )  # fmt: skip
    assert code == 0, err
    assert medical in pdf_text(out_pdf)


def test_missing_folder_for_the_output_is_named(office_dir, tmp_path, capsys):
    target = tmp_path / "没有的文件夹" / "表.pdf"
    code, _, err = run(
        capsys, "--data-dir", str(office_dir), "print", "aid_application", "--blank",
        "-o", str(target),
    )  # fmt: skip
    assert code != 0 and "不存在" in err and not target.exists()


def test_a_data_folder_that_does_not_exist_is_not_created_by_print(tmp_path, capsys):
    missing = tmp_path / "写错的文件夹"
    code, _, err = run(
        capsys, "--data-dir", str(missing), "print", "aid_application", "--blank",
        "-o", str(tmp_path / "表.pdf"),
    )  # fmt: skip
    assert code == 1 and f"数据文件夹 {missing} 不存在" in err
    assert not missing.exists()


def test_sign_in_sheet_from_a_congress_case_carries_the_meeting(office_dir, tmp_path, capsys):
    from desktop.identity import make_credit_code
    from desktop.registry import clean_enterprise

    with Office.open(office_dir) as office:
        values = clean_enterprise(
            {
                "name": "示例恒通机械有限公司",
                "credit_code": make_credit_code("91", "620102", "MA0001AB"),
            },
            date(2026, 1, 1),
        )
        firm = office.registry.add_enterprise(values, CLERK, datetime(2026, 1, 1))
        number = office.cases.open_case("ZZ-03", CLERK, enterprise_id=firm).number  # 会员大会
    sheet = tmp_path / "签到表.pdf"
    code, _, err = run(
        capsys, "--data-dir", str(office_dir), "print", "congress_signin", "--case", number,
        "-o", str(sheet),
    )  # fmt: skip
    assert code == 0, err
    text = pdf_text(sheet)
    assert "召开单位：示例恒通机械有限公司工会" in text and number in text
    # No 应到人数 recorded yet: the office says how many rows to sign in.
    code, out, err = run(
        capsys, "--data-dir", str(office_dir), "print", "congress_signin", "--case", number,
        "--rows", "45", "-o", str(sheet), "--json",
    )  # fmt: skip
    assert code == 0, err
    serials = re.findall(r"^\d+$", pdf_text(sheet), flags=re.MULTILINE)
    assert json.loads(out)["pages"] >= 2 and serials[-1] == "45"


def test_printing_whole_numbers_is_kept_in_the_case_record(demo_dir, tmp_path, capsys):
    from desktop.office import Office

    with Office.open(demo_dir) as office:
        (number,) = office.db.execute(
            "SELECT number FROM cases WHERE procedure_id = 'hardship_aid' LIMIT 1"
        ).fetchone()
    output = tmp_path / "out.pdf"
    code = main(["--data-dir", str(demo_dir), "print", "aid_application", "--case", number,
                 "-o", str(output), "--reveal"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    with Office.open(demo_dir) as office:
        view = office.cases.view(office.cases.case_id(number))
    last = view.timeline[-1]
    assert last.action == "查看完整证件号码" and "打印" in last.new_value
