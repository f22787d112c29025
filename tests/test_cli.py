"""The uniondesk command line: offices script against its output, so its JSON keys are fixed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from desktop import __version__
from desktop.cli import main
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.paths import DATABASE_FILE_NAME
from desktop.store import SCHEMA_VERSION
from desktop.store.case_repo import CaseFilter
from tests.shared import DEMO_NOW, copy_demo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def office_dir(tmp_path: Path) -> Path:
    """A data folder holding a newly named office, for commands that only read one."""
    folder = tmp_path / "office"
    with Office.open(folder) as office:
        office.set_name("城关镇总工会")
    return folder


def test_book_stats_json(office_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "stats", "--json")
    assert code == 0
    stats = json.loads(out)
    assert stats["work_items"] >= 31 and stats["rules"] >= 172
    assert stats["service_categories"] == 3 and stats["service_items"] >= 12
    assert isinstance(stats["book_version"], str) and stats["book_version"]
    # Every key offices script against is still there, with the rule statuses added.
    assert {
        "title", "book_version", "work_items", "rules", "local_default_rules",
        "service_categories", "service_items", "procedures", "rules_by_status",
    } <= stats.keys()  # fmt: skip
    by_status = stats["rules_by_status"]
    assert list(by_status) == ["国家规定", "地方默认", "待核实"]
    assert sum(by_status.values()) == stats["rules"]
    assert by_status["地方默认"] == stats["local_default_rules"]


def test_book_stats_human_text(office_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "stats")
    assert code == 0
    assert re.search(r"服务清单 3 类 \d+ 项", out)
    assert re.search(r"国家规定 \d+ 条，地方默认 \d+ 条，待核实 \d+ 条", out)


def test_book_search_json_hits(office_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "慰问", "--json")
    assert code == 0
    hits = json.loads(out)
    assert hits
    for hit in hits:
        assert {"rule_id", "work_item", "title", "snippet"} <= hit.keys()
        assert "慰问" in hit["title"] or "【慰问】" in hit["snippet"]


def test_book_search_pinyin_json(office_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "knzg", "--json")
    assert code == 0
    assert json.loads(out)[0]["title"].startswith("困难职工")


def test_book_search_by_rule_number_and_synonym_json(office_dir: Path, capsys):
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "w0601", "--json")
    assert code == 0
    first = json.loads(out)[0]
    assert (first["rule_id"], first["matched_in"], first["synonym"]) == ("W06-01", "number", None)
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "婚丧", "--json")
    hits = json.loads(out)
    assert hits and all(hit["synonym"] == "婚丧" for hit in hits)
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "婚丧")
    assert "按“婚丧”的近义词查到" in out


def test_nothing_found_exits_zero_with_empty_list(office_dir: Path, capsys):
    code, out, _ = run(
        capsys, "--data-dir", str(office_dir), "book", "search", "航天飞机", "--json"
    )
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "--data-dir", str(office_dir), "book", "search", "航天飞机")
    assert code == 0 and "没有找到" in out


CASE_KEYS = {
    "number", "procedure", "service_item", "subject", "status", "current_step", "opened", "due",
    "time_limit", "time_limit_unit", "overdue",
}  # fmt: skip


def test_demo_office_and_its_case_list(demo_template, demo_dir: Path, capsys):
    # The session's demo was built by `uniondesk demo --now 2026-11-20T10:00 --json`.
    demo = demo_template.report
    assert demo["office_name"] == "示例镇总工会" and demo["rules"] >= 172
    assert demo["people"] >= 200 and demo["enterprises"] >= 30 and demo["cases"] >= 500
    assert demo["now"] == DEMO_NOW.isoformat()
    assert demo["open"] >= 5 and demo["overdue"] >= 2
    assert demo["due_today"] + demo["due_soon"] >= 1
    assert (demo_dir / DATABASE_FILE_NAME).exists()

    code, _, err = run(capsys, "--data-dir", str(demo_dir), "demo")
    assert code == 1 and "已经有办公数据" in err

    at = ("--now", DEMO_NOW.isoformat())
    code, out, _ = run(capsys, "--data-dir", str(demo_dir), "case", "list", *at, "--json")
    assert code == 0
    cases = json.loads(out)
    assert len(cases) == demo["cases"]
    assert all(set(case) >= CASE_KEYS for case in cases)
    assert {c["status"] for c in cases} == {"open", "closed", "terminated"}
    assert {c["service_item"] for c in cases} >= {f"BF-0{i}" for i in range(1, 6)}
    # Every service item, new ones included, has demo cases.
    assert len({c["service_item"] for c in cases}) == demo["service_items"]
    assert len({c["procedure"] for c in cases}) == 12
    open_overdue = [c for c in cases if c["overdue"] and c["status"] == "open"]
    assert len(open_overdue) == demo["overdue"]
    first = cases[-1]
    assert re.fullmatch(r"[A-Z]{2}-\d{4}-\d{4}", first["number"])
    assert date.fromisoformat(first["opened"]) <= date.fromisoformat(first["due"])
    assert isinstance(first["time_limit"], int) and first["time_limit_unit"] in ("工作日", "自然日")
    opened = [date.fromisoformat(c["opened"]) for c in cases]
    assert (max(opened) - min(opened)).days > 600  # spread over two years
    assert max(opened) <= DEMO_NOW.date()

    for status, expected in (("overdue", "overdue"), ("due_today", "due_today"),
                             ("due_soon", "due_soon")):  # fmt: skip
        code, out, _ = run(
            capsys, "--data-dir", str(demo_dir), "case", "list", "--status", status, *at, "--json"
        )
        listed = json.loads(out)
        assert len(listed) == demo[status]
        assert all(c["deadline_state"] == expected and c["status"] == "open" for c in listed)

    # Seen a month later, the cases due soon have run out too.
    later = ("--now", "2026-12-21T10:00")
    code, out, _ = run(
        capsys, "--data-dir", str(demo_dir), "case", "list", "--status", "overdue", *later, "--json"
    )
    assert len(json.loads(out)) >= demo["overdue"] + demo["due_today"] + demo["due_soon"]


@pytest.mark.parametrize(
    ("moment", "said"),
    [
        ("2026-13-01", "无法识别"),
        ("明天", "无法识别"),
        ("2026-11-20T25:00", "无法识别"),
        ("2003-06-01", "超出了可用的范围，请写 2010 年至 2099 年之间的时刻"),
        ("9999-12-31T23:00", "超出了可用的范围"),
    ],
)
def test_a_moment_that_cannot_be_used_is_named(tmp_path: Path, capsys, moment, said):
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "demo", "--now", moment)
    assert code == 1 and out == ""
    assert err.startswith(f"错误：时刻“{moment}”") and said in err
    assert "Traceback" not in err
    assert not (tmp_path / "d").exists()


def test_a_moment_with_a_utc_offset_is_read_as_local_time(monkeypatch):
    from desktop.cli import _moment

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    import time

    time.tzset()
    try:
        assert _moment("2026-11-20T02:00Z") == datetime(2026, 11, 20, 10, 0)
        assert _moment("2026-11-20T10:00+08:00") == datetime(2026, 11, 20, 10, 0)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_person_add_checks_the_id_number(tmp_path: Path, capsys):
    number = make_id_number("620102", date(1985, 7, 1), 24)
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    code, out, err = run(
        capsys, "--data-dir", str(tmp_path), "person", "add", "--name", "张三", "--id-number", wrong
    )
    assert code == 1 and out == ""
    assert "校验位" in err and f"最后一位应为 {number[-1]}" in err

    code, out, _ = run(
        capsys, "--data-dir", str(tmp_path), "person", "add", "--name", "张三",
        "--id-number", number, "--phone", "13912345678", "--json",
    )  # fmt: skip
    assert code == 0
    person = json.loads(out)
    assert person["name"] == "张三" and person["birth_date"] == "1985-07-01"
    assert person["gender"] == "女" and person["id_number"] == "6201**********" + number[-4:]

    again = ("person", "add", "--name", "张三", "--id-number", number)
    code, _, err = run(capsys, "--data-dir", str(tmp_path), *again)
    assert code == 1 and "已登记" in err


def test_newer_database_is_refused_with_a_message(tmp_path: Path, capsys):
    import sqlite3

    connection = sqlite3.connect(tmp_path / DATABASE_FILE_NAME)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "book", "stats", "--json")
    assert code == 1 and out == ""
    assert "请先升级 UnionDesk" in err


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"UnionDesk {__version__}"


def test_python_dash_m_runs_the_same_command(office_dir: Path):
    # Checks the real entry point in a fresh process, including UTF-8 output through a pipe.
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--data-dir",
            str(office_dir),
            "book",
            "search",
            "帮扶",
            "--json",
        ],
        capture_output=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr.decode("utf-8", "replace")
    hits = json.loads(completed.stdout.decode("utf-8"))
    assert hits and all("rule_id" in hit for hit in hits)


def test_calendar_import_changes_deadlines_and_reports_bad_lines(
    office_dir: Path, tmp_path: Path, capsys
):
    data = str(office_dir)
    table = tmp_path / "节假日.txt"
    table.write_text("# 本地补录\n2027-01-01 休 元旦\n2027-01-04 班\n", encoding="utf-8")
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "import", str(table))
    assert code == 0 and "2 天" in out
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert "2027-01-01 休 元旦" in out and "2027-01-04 班" in out

    table.write_text("2027-01-01 休\n2027-02-30 休\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", data, "calendar", "import", str(table))
    assert code == 1 and "第 2 行" in err
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert "2027-01-04 班" in out  # the earlier table is kept whole


def test_init_starts_a_real_office_without_demo_data(tmp_path: Path, capsys):
    data_dir = tmp_path / "正式"
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "init", "--office-name", " 城关镇总工会 ",
        "--staff", "李红梅:工会专干", "--staff", "王建国：工会主席", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["office_name"] == "城关镇总工会" and report["operator"] == "李红梅"
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "case", "list", "--json")
    assert code == 0 and json.loads(out) == []

    code, _, err = run(capsys, "--data-dir", str(data_dir), "init", "--office-name", "另一个")
    assert code != 0 and "已经有办公数据" in err

    empty = tmp_path / "没建成"
    code, _, err = run(capsys, "--data-dir", str(empty), "init", "--office-name", "城关镇总工会",
                       "--staff", "李红梅")  # fmt: skip
    assert code != 0 and "应写成 姓名:岗位" in err
    assert not empty.exists()
    # Nobody may approve their own decisions: a real office starts with a chair and a clerk.
    code, _, err = run(capsys, "--data-dir", str(empty), "init", "--office-name", "城关镇总工会",
                       "--staff", "李红梅:工会专干")  # fmt: skip
    assert code != 0 and "登记的李红梅都没有“审批”角色" in err
    # One person cannot be both, whichever characters the name is written in.
    code, _, err = run(capsys, "--data-dir", str(empty), "init", "--office-name", "城关镇总工会",
                       "--staff", "王建国:工会专干", "--staff", "王建國:工会主席")  # fmt: skip
    assert code != 0 and "重名" in err
    assert not empty.exists()


def test_init_takes_roles_the_office_gives(tmp_path: Path, capsys):
    data_dir = tmp_path / "正式"
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "init", "--office-name", "城关镇总工会",
        "--staff", "王建国:工会主席", "--staff", "李红梅:工会专干",
        "--staff", "张伟:工会副主席:审核+审批", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    roles = {entry["name"]: (entry["role"], entry["roles"]) for entry in report["staff"]}
    assert roles == {
        "王建国": ("工会主席", ["审核", "审批"]),
        "李红梅": ("工会专干", ["经办"]),
        "张伟": ("工会副主席", ["审核", "审批"]),
    }
    # The clerk, not the chair listed first, is at the desk: the chair approves.
    assert report["operator"] == "李红梅"


def test_a_demo_folder_becomes_a_real_office_and_keeps_the_demo_aside(demo_template, tmp_path):
    from datetime import datetime

    from desktop.office import Office

    data_dir = copy_demo(demo_template, tmp_path / "办公")
    staff = [("李红梅", "工会专干"), ("王建国", "工会主席")]
    office, archive = Office.start_real_office(
        data_dir, "城关镇总工会", staff, datetime(2026, 11, 23, 9, 30)
    )
    with office:
        assert office.name == "城关镇总工会" and not office.is_demo
        assert office.operator == "李红梅"
        assert office.cases.count_cases(CaseFilter()) == 0
        assert office.registry.count_people() == 0
    assert archive.name == "演示数据备份-20261123-093000"
    with Office.open(archive) as demo:  # nothing of the demo was lost
        assert demo.is_demo and demo.cases.count_cases(CaseFilter()) >= 500

    # A real office is never emptied this way.
    with pytest.raises(ValueError, match="正式办公数据"):
        Office.start_real_office(data_dir, "别的名字", staff, datetime(2026, 11, 23, 10, 0))
    with Office.open(data_dir) as office:
        assert office.name == "城关镇总工会"


def test_importing_one_year_keeps_the_others(office_dir: Path, tmp_path: Path, capsys):
    data = str(office_dir)
    first = tmp_path / "2027.txt"
    first.write_text("2027-01-01 休 元旦\n2027-01-04 班\n", encoding="utf-8")
    second = tmp_path / "2028.txt"
    second.write_text("2028-01-01 休 元旦\n", encoding="utf-8")
    for table in (first, second):
        code, _, err = run(capsys, "--data-dir", data, "calendar", "import", str(table))
        assert code == 0, err
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert "2027-01-01 休 元旦" in out and "2028-01-01 休 元旦" in out

    # A corrected 2027 file replaces 2027 whole, and 2028 stays.
    first.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    run(capsys, "--data-dir", data, "calendar", "import", str(first))
    code, out, _ = run(capsys, "--data-dir", data, "calendar", "export")
    assert "2027-01-04" not in out and "2028-01-01 休 元旦" in out


def test_staff_list_and_a_forgotten_password_cleared_at_the_command_line(tmp_path: Path, capsys):
    from desktop.office import Office

    data_dir = tmp_path / "正式"
    code, _, err = run(
        capsys, "--data-dir", str(data_dir), "init", "--office-name", "城关镇总工会",
        "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席",
    )  # fmt: skip
    assert code == 0, err
    with Office.open(data_dir) as office:
        chair = office.staff.by_name("王建国").id
        office.switch_operator(chair)
        office.staff.set_password(chair, "zhuxi2026")
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "staff", "list", "--json")
    listed = {m["name"]: (m["roles"], m["has_password"], m["operator"]) for m in json.loads(out)}
    assert listed == {"李红梅": (["经办"], False, False), "王建国": (["审核", "审批"], True, True)}

    code, _, err = run(capsys, "--data-dir", str(data_dir), "staff", "clear-password", "张三")
    assert code == 1 and "没有在册的工作人员“张三”" in err
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "staff", "clear-password", "王建国")
    assert code == 0 and "已清除王建国的密码" in out
    with Office.open(data_dir) as office:
        assert not office.staff.by_name("王建国").has_password
        (actor,) = office.db.execute(
            "SELECT actor FROM audit_log WHERE action = '取消密码'"
        ).fetchone()
        assert actor == "命令行"


def test_init_keeps_the_phone_and_address_a_notice_prints_for_objections(tmp_path, capsys):
    data_dir = tmp_path / "正式"
    code, out, err = run(
        capsys, "--data-dir", str(data_dir), "init", "--office-name", "城关镇总工会",
        "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席",
        "--office-phone", "0931 8123456", "--office-address", "城关镇人民路 12 号", "--json",
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["office_phone"] == "0931-8123456"
    assert report["office_address"] == "城关镇人民路 12 号"

    wrong = tmp_path / "没建成"
    code, _, err = run(
        capsys, "--data-dir", str(wrong), "init", "--office-name", "城关镇总工会",
        "--staff", "李红梅:工会专干", "--staff", "王建国:工会主席", "--office-phone", "8123456",
    )  # fmt: skip
    assert code != 0 and "单位联系电话：固定电话请加上区号" in err
    assert not wrong.exists()
