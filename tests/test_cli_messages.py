"""A command that only reads an office, or changes what one has, never leaves a new folder or
database behind: a mistyped --data-dir is named, and the folder is left as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.office import Office
from desktop.paths import DATABASE_FILE_NAME


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- a folder without an office -------------------------------------------------------------------

READING = [
    ("case", "list"),
    ("case", "show", "BF-2026-0001"),
    ("book", "stats"),
    ("book", "search", "帮扶", "--json"),
    ("staff", "list"),
    ("staff", "clear-password", "李红梅"),
    ("calendar", "export"),
    ("calendar", "import", "{holidays}"),
    ("check", "--json"),
    ("backup",),
    ("backup", "-o", "{out}/备份.udbak"),
    ("print", "aid_application", "--blank", "-o", "{out}/表.pdf"),
]


def reading(args: tuple[str, ...], tmp_path: Path) -> list[str]:
    out = tmp_path / "输出"
    out.mkdir(exist_ok=True)
    holidays = out / "节假日.txt"
    holidays.write_text("2027-01-01 休 元旦\n", encoding="utf-8")
    return [a.format(out=out, holidays=holidays) for a in args]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_a_mistyped_folder_is_named_and_not_created(tmp_path, capsys, args):
    typo = tmp_path / "UnionDsek"
    code, out, err = run(capsys, "--data-dir", str(typo), *reading(args, tmp_path))
    assert code == 1 and out == ""
    assert f"错误：数据文件夹 {typo} 不存在。请检查 --data-dir 是否写对。" in err
    assert "uniondesk init" in err  # and how to start one
    assert not typo.exists()
    assert [p.name for p in (tmp_path / "输出").iterdir()] == ["节假日.txt"]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_an_empty_folder_is_not_an_office_and_stays_empty(tmp_path, capsys, args):
    empty = tmp_path / "新建文件夹"
    empty.mkdir()
    code, out, err = run(capsys, "--data-dir", str(empty), *reading(args, tmp_path))
    assert code == 1 and out == ""
    assert f"数据文件夹 {empty} 里没有 UnionDesk 的办公数据" in err
    assert list(empty.iterdir()) == []


def test_a_first_start_cut_short_is_not_an_office_either(tmp_path, capsys):
    folder = tmp_path / "data"
    with Office.open(folder):
        pass  # the schema and the book, nothing of an office's own
    code, _, err = run(capsys, "--data-dir", str(folder), "case", "list")
    assert code == 1 and "里没有 UnionDesk 的办公数据" in err
    assert Office.folder_is_new(folder)  # init can still set it up


def test_a_file_given_as_the_folder_is_named(tmp_path, capsys):
    file = tmp_path / "uniondesk.txt"
    file.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(file), "case", "list")
    assert code == 1 and f"{file} 是一个文件，不是数据文件夹" in err


def test_the_default_folder_not_set_up_yet_says_how_to_start(tmp_path, monkeypatch, capsys):
    default = tmp_path / "UnionDesk"
    monkeypatch.setattr("desktop.cli.default_data_dir", lambda: default)
    code, _, err = run(capsys, "case", "list")
    assert code == 1 and f"数据文件夹 {default} 不存在" in err and "默认的数据文件夹" in err
    assert "是否写对" not in err and "uniondesk init" in err
    assert not default.exists()


def test_a_damaged_file_is_still_told_as_it_is(tmp_path, capsys):
    # A folder that has a data file gets the file's own fault, not "no office here".
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATABASE_FILE_NAME).write_bytes(b"")
    code, _, err = run(capsys, "--data-dir", str(folder), "check")
    assert code == 1 and "0 字节" in err


def test_registering_a_person_still_starts_an_office_in_a_new_folder(tmp_path, capsys):
    from datetime import date

    from desktop.identity import make_id_number

    folder = tmp_path / "新单位"
    number = make_id_number("620102", date(1980, 5, 6), 1)
    code, _, err = run(
        capsys, "--data-dir", str(folder), "person", "add", "--name", "张三", "--id-number", number
    )
    assert code == 0, err
    assert (folder / DATABASE_FILE_NAME).exists()
    code, out, _ = run(capsys, "--data-dir", str(folder), "case", "list")
    assert code == 0 and "没有符合条件的案件" in out
