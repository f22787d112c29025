"""What a clerk sees when a command is typed wrong or points at the wrong folder: the help and
argparse's errors in Chinese, exit code 1 as for every other error, and a command that only
reads an office never leaving a new folder or database behind."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.cli.chinese_parser import ARGPARSE_IN_CHINESE, columns_of
from desktop.cli.parser import build_parser
from desktop.office import Office
from desktop.paths import DATABASE_FILE_NAME

ENGLISH_OF_ARGPARSE = re.compile(
    r"usage:|options:|positional arguments|optional arguments|show this help|error:|invalid|"
    r"argument|required|expected|unrecognized|not allowed",
)
HAN = re.compile(r"[\u4e00-\u9fff]")


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse ends -h and usage errors by SystemExit
        code = exit.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def command_parsers() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    found = {}

    def visit(words: tuple[str, ...], parser: argparse.ArgumentParser) -> None:
        found[words] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    visit((*words, name), sub)

    visit((), build_parser())
    return found


COMMANDS = command_parsers()


@pytest.fixture
def terminal(monkeypatch):
    """An 80-column terminal, and a default data folder whose name does not depend on HOME."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr("desktop.cli.parser.default_data_dir", lambda: Path("/home/工会/数据"))


# --- help ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("words", list(COMMANDS), ids=lambda words: " ".join(words) or "uniondesk")
def test_every_commands_help_is_chinese_and_fits_the_terminal(terminal, capsys, words):
    code, out, err = run(capsys, *words, "-h")
    assert code == 0 and err == ""
    assert out.startswith(f"用法：uniondesk {' '.join(words)}".rstrip())
    assert "\n选项：\n" in out and "显示帮助并退出" in out
    if any(not action.option_strings for action in COMMANDS[words]._actions):
        assert "\n位置参数：\n" in out
    assert not ENGLISH_OF_ARGPARSE.search(out), out
    # Each argument's and sub-command's own help says what it is for in Chinese.
    for action in COMMANDS[words]._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert HAN.search(choice.help or ""), (words, choice.dest)
        elif action.help is not argparse.SUPPRESS:
            assert HAN.search(action.help or ""), (words, action.option_strings or action.dest)
    assert max(columns_of(line) for line in out.splitlines()) <= 80


def test_help_lines_up_by_columns_where_chinese_takes_two(terminal, capsys):
    # --name 姓名 is 10 characters but 12 columns: the help still starts in the one column.
    _, out, _ = run(capsys, "person", "add", "-h")
    help_columns = {
        columns_of(line) - columns_of(match.group(1))
        for line in out.splitlines()
        if (match := re.match(r"^  -\S.*?\S {2,}(\S.*)$", line))
    }
    assert len(help_columns) == 1, out
    assert "  --name 姓名" in out and "  --id-number 身份证号" in out
    # The usage's further lines start under the first argument, after 用法：uniondesk case list.
    _, out, _ = run(capsys, "case", "list", "-h")
    first, *further = out.split("\n\n")[0].splitlines()
    assert further, "expected the usage to take more than one line at 80 columns"
    start = columns_of("用法：uniondesk case list ")
    assert all(len(line) - len(line.lstrip(" ")) == start for line in further)
    assert first.startswith("用法：uniondesk case list [-h]")


def test_an_example_command_is_never_cut_inside_an_argument(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _ = run(capsys, "init", "-h")
    assert "--office-name 城关镇总工会" in out.replace("\n", " ")
    assert "李红梅:工会专干" in out and "王建国:工会主席" in out
    assert max(columns_of(line) for line in out.splitlines()) <= 60


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("UnionDesk ")
    _, out, _ = run(capsys, "-h")
    assert "--version" in out and "显示版本号并退出" in out


# --- usage errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("init",), "错误：缺少必填参数 --office-name。"),
        (("person", "add", "--name", "张三"), "缺少必填参数 --id-number"),
        (("case", "list", "--status", "过期"), "参数 --status：没有“过期”这一项，可以写："),
        (("cas", "list"), "没有“cas”这一项"),
        (("case",), "缺少必填参数 子命令"),
        (("case", "list", "--limit", "十"), "参数 --limit：“十”不是整数，请写一个数字"),
        (("case", "list", "--limit", "0"), "参数 --limit：“0”太小，至少写 1"),
        (("case", "list", "--limit"), "参数 --limit：后面要写一个值"),
        (("book", "search", "帮扶", "困难"), "无法识别的参数：困难"),
        (("print", "aid_application", "-o", "x.pdf"), "须给出 --case --blank 中的一个"),
        (
            ("print", "aid_application", "--blank", "--case", "BF-2026-0001", "-o", "x.pdf"),
            "参数 --case：不能与参数 --blank 同时使用",
        ),
        (("print", "aid_application", "--blank", "-o", "x.pdf", "--rows", "两"), "“两”不是整数"),
    ],
)
def test_a_command_typed_wrong_is_told_in_chinese_and_exits_1(tmp_path, capsys, args, said):
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "数据"), *args)
    assert code == 1 and out == ""
    assert said in err, err
    assert err.startswith("用法：uniondesk")
    assert "-h 查看各项的说明。" in err
    assert not ENGLISH_OF_ARGPARSE.search(err), err
    assert not (tmp_path / "数据").exists()


def test_full_width_digits_count(tmp_path, capsys):
    # A Chinese keyboard may type ５ for 5.
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "无"), "case", "list", "--limit", "５")
    assert code == 1 and "不存在" in err  # got past the arguments to the folder


def test_a_message_argparse_words_differently_is_shown_in_english_not_lost(monkeypatch, capsys):
    # A later Python may reword one of its messages: that one is shown as argparse wrote it.
    monkeypatch.delitem(ARGPARSE_IN_CHINESE, "expected one argument")
    code, _, err = run(capsys, "case", "list", "--limit")
    assert code == 1 and "错误：参数 --limit：expected one argument" in err


def test_other_parsers_in_the_same_process_keep_their_english(capsys):
    run(capsys, "init")
    run(capsys, "-h")
    other = argparse.ArgumentParser(prog="other")
    other.add_argument("--x", required=True)
    assert "usage: other" in other.format_help()
    assert "show this help message and exit" in other.format_help()


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


def nothing_printed_but_a_check_answer(args: tuple[str, ...], out: str) -> bool:
    """Only `check --json` answers on stdout (ok: false), so a script gets its JSON."""
    if args[:2] == ("check", "--json"):
        return json.loads(out)["ok"] is False
    return out == ""


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
    assert code == 1 and nothing_printed_but_a_check_answer(args, out)
    assert f"错误：数据文件夹 {typo} 不存在。请检查 --data-dir 是否写对。" in err
    assert "uniondesk init" in err  # and how to start one
    assert not typo.exists()
    assert [p.name for p in (tmp_path / "输出").iterdir()] == ["节假日.txt"]


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_an_empty_folder_is_not_an_office_and_stays_empty(tmp_path, capsys, args):
    empty = tmp_path / "新建文件夹"
    empty.mkdir()
    code, out, err = run(capsys, "--data-dir", str(empty), *reading(args, tmp_path))
    assert code == 1 and nothing_printed_but_a_check_answer(args, out)
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
