"""The ``uniondesk`` command's arguments and their help, in Chinese."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop import APP_TITLE, __version__
from desktop.cli.chinese_parser import ChineseArgumentParser
from desktop.paths import default_data_dir


def _how_many(text: str) -> int:
    """A count typed after --limit: a whole number, at least 1."""
    count = _whole_number(text)
    if count < 1:
        raise argparse.ArgumentTypeError(f"“{text}”太小，至少写 1。")
    return count


def _whole_number(text: str) -> int:
    try:
        return int(text)  # also takes full-width digits (５０) as a Chinese keyboard types them
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数，请写一个数字，例如 50。") from None


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="uniondesk",
        description=f"{APP_TITLE}（UnionDesk）。不带子命令时打开程序窗口。",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"UnionDesk {__version__}",
        help="显示版本号并退出",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"数据文件夹（默认：{default_data_dir()}）",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="窗口显示后保存一张截图到 PNG 文件并退出（用于检查界面）",
    )
    parser.add_argument(
        "--search",
        metavar="TEXT",
        help="打开窗口后在制度汇编中搜索 TEXT 并打开第一条结果",
    )
    parser.add_argument(
        "--section",
        choices=["cases", "people", "forms", "book", "checklist"],
        help="打开窗口时显示的栏目：cases 事项办理，people 人员/单位，forms 表单打印，"
        "book 制度汇编，checklist 服务清单",
    )
    parser.add_argument(
        "--open-case",
        metavar="NUMBER",
        help="打开窗口后在事项办理中打开编号为 NUMBER 的案件，例如 BF-2026-0007",
    )
    # For benchmarks: print when the window is shown, then quit.
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)

    commands = parser.add_subparsers(dest="command", metavar="命令")

    book = commands.add_parser("book", help="制度汇编：统计与搜索")
    book_commands = book.add_subparsers(dest="book_command", metavar="子命令", required=True)
    stats = book_commands.add_parser("stats", help="制度汇编的统计数字")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    search = book_commands.add_parser("search", help="搜索制度条款（汉字、词语或拼音首字母）")
    search.add_argument("text", metavar="TEXT", help="要找的字词，例如 帮扶 或 knzg")
    search.add_argument(
        "--limit", type=_how_many, default=50, metavar="N", help="最多显示几条（默认 50）"
    )
    search.add_argument("--json", action="store_true", help="以 JSON 输出")

    init = commands.add_parser(
        "init",
        help="建立正式使用的空白办公数据（不放演示数据），并写上单位名称",
        description="例：uniondesk init --office-name 城关镇总工会 --staff 李红梅:工会专干 "
        "--staff 王建国:工会主席",
    )
    init.add_argument("--office-name", required=True, metavar="名称", help="单位名称，打印在表单上")
    init.add_argument(
        "--office-phone", default="", metavar="电话",
        help="本工会的联系电话，印在公示上供反映异议，如 0931-8123456；以后可在“设置”中修改",
    )  # fmt: skip
    init.add_argument(
        "--office-address", default="", metavar="地址",
        help="本工会的地址，印在公示上供反映异议；以后可在“设置”中修改",
    )  # fmt: skip
    init.add_argument(
        "--staff",
        action="append",
        default=[],
        metavar="姓名:岗位[:角色+角色]",
        help="登记工作人员，可给多个，须有工会主席和经办人两人以上；角色为 经办、审核、审批，"
        "不写时按岗位（工会主席：审批+审核，其他：经办）；第一个经办人设为当前经办人",
    )
    init.add_argument(
        "--replace-demo",
        action="store_true",
        help="文件夹里是演示数据时，把它移到“演示数据备份-日期”子文件夹，再建立正式数据",
    )
    init.add_argument("--json", action="store_true", help="以 JSON 输出")

    demo = commands.add_parser("demo", help="在空的数据文件夹中建立演示用的办公数据")
    demo.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻建立演示数据（如 2026-11-20T10:00；默认是现在），"
        "便于在任何日期得到同样形态的演示数据",
    )
    demo.add_argument("--json", action="store_true", help="以 JSON 输出")

    case = commands.add_parser("case", help="事项办理：案件")
    case_commands = case.add_subparsers(dest="case_command", metavar="子命令", required=True)
    case_list = case_commands.add_parser("list", help="列出案件（默认全部，按受理时间倒序）")
    case_list.add_argument(
        "--status",
        choices=["open", "closed", "terminated", "overdue", "due_today", "due_soon"],
        metavar="STATUS",
        help="只列出某种状态：open 办理中、closed 已办结、terminated 已终止、overdue 已超期、"
        "due_today 今日到期、due_soon 3 个工作日内到期",
    )
    case_list.add_argument("--service-item", metavar="ID", help="只列出某个服务项目，如 BF-01")
    case_list.add_argument(
        "--search",
        dest="text",
        metavar="TEXT",
        help="按案件编号（连字符可省，如 bf20260013）、办理对象姓名中的字或拼音"
        "（如 dh、dinghua）查找，与窗口中案件列表的搜索框相同",
    )
    case_list.add_argument("--limit", type=_how_many, metavar="N", help="最多列出几件")
    case_list.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻计算是否超期、到期（如 2026-11-20T10:00；默认是现在）",
    )
    case_list.add_argument("--json", action="store_true", help="以 JSON 输出")
    case_show = case_commands.add_parser(
        "show",
        help="显示一件或几件案件的办理情况：状态、时限、每一步的进度、表单和登记内容",
        description="给一个编号时输出一个 JSON 对象，给多个编号时输出一个数组。"
        "证件号码和电话打码。\n例：uniondesk case show BF-2026-0007 --json",
    )
    case_show.add_argument("numbers", nargs="+", metavar="NUMBER", help="案件编号")
    case_show.add_argument(
        "--reveal",
        action="store_true",
        help="与 --json 一起用：登记内容中的身份证号码和电话完整输出（默认打码）；"
        "每次都记入案件的办理记录",
    )
    case_show.add_argument(
        "--now",
        metavar="TIME",
        help="按这一时刻计算是否超期、到期（如 2026-11-20T10:00；默认是现在）",
    )
    case_show.add_argument("--json", action="store_true", help="以 JSON 输出")

    check = commands.add_parser(
        "check",
        help="检查数据是否完整：数据库文件、记录之间的关联、办理记录链（有没有被改动）和附件",
        description="发现问题时退出码为 1，并指出第一条有问题的办理记录。",
    )
    check.add_argument("--json", action="store_true", help="以 JSON 输出")

    backup = commands.add_parser(
        "backup",
        help="把办公数据（含附件）备份成一个文件；程序运行时也可以备份",
        description="不给 -o 时备份到数据文件夹的“备份”子文件夹（或在窗口中设定的备份文件夹）。",
    )
    backup.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="备份文件，如 E:/备份.udbak"
    )
    backup.add_argument("--json", action="store_true", help="以 JSON 输出")
    restore = commands.add_parser(
        "restore",
        help="从备份文件恢复办公数据：先检查备份，原有数据另存为“恢复前的安全副本”",
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件（*.udbak）")
    restore.add_argument("--json", action="store_true", help="以 JSON 输出")

    calendar = commands.add_parser("calendar", help="节假日表：国家日历未收录的年份或本地调整")
    calendar_commands = calendar.add_subparsers(
        dest="calendar_command", metavar="子命令", required=True
    )
    calendar_import = calendar_commands.add_parser(
        "import",
        help="从文本文件导入节假日表（每行：2027-01-01 休 元旦）；"
        "文件中出现的年份整年替换，其他年份保留",
    )
    calendar_import.add_argument("file", type=Path, metavar="FILE", help="节假日表的文本文件")
    calendar_commands.add_parser("export", help="把节假日表按同样的格式打印出来")

    forms = commands.add_parser("forms", help="列出可以打印的表单（编号和名称）")
    forms.add_argument("--json", action="store_true", help="以 JSON 输出")

    print_form = commands.add_parser(
        "print",
        help="把表单打印成 PDF：按案件填好（--case），或空白表（--blank）",
        description="例：uniondesk print aid_application --case BF-2026-0007 -o 申请表.pdf",
    )
    print_form.add_argument("form", metavar="FORM_ID", help="表单编号，见 uniondesk forms")
    source = print_form.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--case",
        action="append",
        metavar="NUMBER",
        help="案件编号，如 BF-2026-0007；签领表可以给多个 --case，每件一行",
    )
    source.add_argument("--blank", action="store_true", help="打印空白表，供手写填写")
    print_form.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.pdf", help="保存的 PDF 文件"
    )
    print_form.add_argument(
        "--rows",
        type=_whole_number,
        metavar="N",
        help="签到表、空白签领表的行数（空白表默认排满一页；按案件打印的签到表默认每位应到的人一行，"
        "末页排满，不能少于应到人数）",
    )
    print_form.add_argument(
        "--reveal",
        action="store_true",
        help="完整打印身份证号码和电话（默认只打印前后几位，中间以 * 代替）",
    )
    print_form.add_argument(
        "--body-font",
        choices=["bundled_song", "simsun", "sans"],
        help="正文字体：bundled_song 程序自带宋体，simsun Windows 宋体，sans 程序自带黑体"
        "（默认按程序设置）",
    )
    print_form.add_argument(
        "--allow-missing-glyphs",
        action="store_true",
        help="有字体里没有的字也照样打印（这些字印成 〓，打印后手写补上）",
    )
    print_form.add_argument("--json", action="store_true", help="以 JSON 输出")

    person = commands.add_parser("person", help="职工档案")
    person_commands = person.add_subparsers(dest="person_command", metavar="子命令", required=True)
    person_add = person_commands.add_parser("add", help="登记一名职工（身份证号码会校验）")
    person_add.add_argument("--name", required=True, metavar="姓名", help="姓名")
    person_add.add_argument(
        "--id-number", required=True, metavar="身份证号", help="18 位居民身份证号码"
    )
    person_add.add_argument("--phone", default="", metavar="电话", help="手机或固定电话")
    person_add.add_argument("--json", action="store_true", help="以 JSON 输出")

    staff = commands.add_parser("staff", help="工作人员：名单，清除忘记的密码")
    staff_commands = staff.add_subparsers(dest="staff_command", metavar="子命令", required=True)
    staff_list = staff_commands.add_parser("list", help="在册工作人员的岗位、角色和是否设了密码")
    staff_list.add_argument("--json", action="store_true", help="以 JSON 输出")
    clear = staff_commands.add_parser(
        "clear-password", help="清除某位工作人员忘记的密码（记入办理记录）"
    )
    clear.add_argument("name", metavar="NAME", help="工作人员姓名")
    clear.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser
