"""The office's data as a whole: ``init``, ``demo``, ``person add``, ``staff``, ``calendar``,
``check``, ``backup`` and ``restore``."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.cases.calendar import (
    CalendarFileError,
    format_office_days,
    read_office_days_file,
)
from desktop.cli.common import EXIT_ERROR, EXIT_OK, print_json
from desktop.demo import OfficeNotEmptyError, fill_demo_office
from desktop.office import (
    Office,
    StaffEntry,
    check_office_staff,
    clean_office_contact,
    clean_office_name,
)
from desktop.registry import RecordError, clean_person
from desktop.staff import StaffError


def check(office: Office, data_dir: Path, as_json: bool) -> int:
    report = office.check()
    if as_json:
        print_json(
            {
                "data_dir": str(data_dir),
                "ok": report.ok,
                "checks": [
                    {"name": f.name, "title": f.title, "ok": f.ok, "detail": f.detail, **f.data}
                    for f in report.findings
                ],
            }
        )
    else:
        print(f"检查数据文件夹 {data_dir}：")
        for finding in report.findings:
            print(f"  {'✓' if finding.ok else '✗'} {finding.title}：{finding.detail}")
        problems = report.problems()
        verdict = f"发现 {len(problems)} 处问题，请按上面的说明处理。" if problems else "全部通过。"
        print(verdict)
    return EXIT_OK if report.ok else EXIT_ERROR


def _backup_json(info, **more: Any) -> dict[str, Any]:
    return {
        "file": str(info.path),
        "created": info.created.isoformat(timespec="seconds"),
        "office_name": info.office_name,
        "cases": info.cases,
        "people": info.people,
        "attachments": info.attachments,
        "size": info.size,
        **more,
    }


def backup(office: Office, output: Path | None, as_json: bool) -> int:
    from desktop import backups

    now = office.cases.clock()
    if output is None:
        folder = backups.backup_folder(office)
        folder.mkdir(parents=True, exist_ok=True)
        output = folder / backups.backup_name(office.name, now)
    try:
        info = backups.make_backup(office, output, now)
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        print_json(_backup_json(info))
    else:
        print(
            f"已备份到 {info.path}（案件 {info.cases} 件，职工 {info.people} 人，"
            f"附件 {info.attachments} 个，{info.size / 1e6:.1f} MB）。"
        )
    return EXIT_OK


def restore(data_dir: Path, file: Path, as_json: bool) -> int:
    from desktop import backups, presence

    windows = presence.others(data_dir)
    if windows:
        print(
            f"错误：{windows[0].describe()}。请先关闭它再恢复，以免恢复后被它覆盖。",
            file=sys.stderr,
        )
        return EXIT_ERROR
    try:
        restored = backups.restore_backup(file, data_dir, datetime.now().replace(microsecond=0))
    except backups.BackupError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    info = restored.backup
    safety = str(restored.safety_copy) if restored.safety_copy else None
    if as_json:
        print_json(_backup_json(info, data_dir=str(data_dir), safety_copy=safety))
    else:
        print(
            f"已从 {info.path.name}（{info.created:%Y-%m-%d %H:%M} 的备份，{info.office_name}）"
            f"恢复到 {data_dir}。"
        )
        if safety:
            print(f"恢复前的数据已另存为 {safety}。")
    return EXIT_OK


def calendar(office: Office, args: argparse.Namespace) -> int:
    if args.calendar_command == "export":
        print(format_office_days(office.cases.office_days()), end="")
        return EXIT_OK
    try:
        days = read_office_days_file(args.file)
    except CalendarFileError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    office.cases.set_office_days(days, actor=office.actor)
    years = sorted({d.day.year for d in days})
    print(f"已导入节假日表 {len(days)} 天（{'、'.join(map(str, years))} 年）。")
    return EXIT_OK


def person_add(office: Office, args: argparse.Namespace) -> int:
    now = datetime.now().replace(microsecond=0)
    try:
        values = clean_person(
            {"name": args.name, "id_number": args.id_number, "phone": args.phone}, now.date()
        )
        person_id = office.registry.add_person(values, office.actor, now)
    except RecordError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    person = office.registry.person(person_id)
    assert person is not None
    if args.json:
        print_json(
            {
                "id": person.id,
                "name": person.name,
                "id_number": person.masked_id_number,
                "gender": person.gender,
                "birth_date": person.birth_date.isoformat(),
                "phone": person.masked_phone,
            }
        )
    else:
        print(
            f"已登记职工 {person.name}（{person.gender}，{person.birth_date:%Y-%m-%d} 出生，"
            f"身份证 {person.masked_id_number}）。"
        )
    return EXIT_OK


def init(data_dir: Path, args: argparse.Namespace) -> int:
    if not Office.folder_is_new(data_dir) and not args.replace_demo:
        # A fault of the file (0 bytes, another program's database, damage) gets its own word
        # from opening it, before the general "already has data".
        with Office.open(data_dir):
            pass
        print(
            f"错误：{data_dir} 里已经有办公数据，不能再初始化。里面是演示数据时可以加 "
            "--replace-demo（演示数据移到备份子文件夹）；否则请另指定一个新的数据文件夹。",
            file=sys.stderr,
        )
        return EXIT_ERROR
    entries: list[StaffEntry] = []
    try:
        name = clean_office_name(args.office_name)
        phone, address = clean_office_contact(args.office_phone, args.office_address)
        for entry in args.staff:
            parts = entry.replace("：", ":").split(":")
            if len(parts) not in (2, 3):
                raise StaffError(
                    "staff", f"“{entry}”应写成 姓名:岗位 或 姓名:岗位:角色+角色，"
                    "例如 李红梅:工会专干 或 张伟:工会副主席:审核+审批。",
                )  # fmt: skip
            roles = [r for r in parts[2].split("+") if r.strip()] if len(parts) == 3 else None
            entries.append((parts[0], parts[1], roles) if roles is not None else tuple(parts))
        staff = check_office_staff(entries)
    except (StaffError, ValueError) as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    archive = None
    if not Office.folder_is_new(data_dir):
        try:
            office, archive = Office.start_real_office(data_dir, name, staff, datetime.now())
        except ValueError as error:
            print(f"错误：{error}", file=sys.stderr)
            return EXIT_ERROR
    else:
        office = Office.open(data_dir)
        try:
            office.set_up(name, staff)
        except BaseException:
            office.close()
            raise
    with office:
        if phone or address:
            office.set_contact(phone, address)
        registered, operator = office.staff.members(), office.operator
        items = office.book.service_items()
    if args.json:
        print_json(
            {
                "data_dir": str(data_dir),
                "office_name": name,
                "office_phone": phone,
                "office_address": address,
                "staff": [
                    {"id": m.id, "name": m.name, "role": m.post, "roles": m.role_list}
                    for m in registered
                ],
                "operator": operator,
                "demo_archive": str(archive) if archive else None,
                # Service item → its 责任人 as set up by post ("" where nobody holds the post).
                "responsible": {item.id: item.responsible_person for item in items},
            }
        )
    else:
        if archive is not None:
            print(f"原来的演示数据已移到 {archive}。")
        print(f"已在 {data_dir} 建立“{name}”的办公数据（没有演示数据）。")
        listed = "、".join(f"{m.name}（{m.post}；{m.roles_text}）" for m in registered)
        print(f"工作人员：{listed}；当前经办人：{operator}。")
        named = [item for item in items if item.responsible_person]
        by_person: dict[str, int] = {}
        for item in named:
            by_person[item.responsible_person] = by_person.get(item.responsible_person, 0) + 1
        shares = "、".join(f"{person} {count} 项" for person, count in by_person.items())
        print(f"服务清单责任人按岗位填写了 {len(named)} 项（{shares or '无'}）", end="")
        print("；其余请在窗口的“服务清单”中填写。" if len(named) < len(items) else "。")
        print(f"打开程序：uniondesk --data-dir {data_dir}")
    return EXIT_OK


def demo(data_dir: Path, now: datetime | None, as_json: bool) -> int:
    now = now or datetime.now().replace(microsecond=0)
    try:
        with Office.open(data_dir) as office:
            made = fill_demo_office(office, now=now)
            office.cases.clock = lambda: now
            stats = office.book.stats()
            name = office.name
            due = office.cases.dashboard()
    except OfficeNotEmptyError as error:
        print(f"错误：{error}", file=sys.stderr)
        return EXIT_ERROR
    if as_json:
        print_json(
            {
                "data_dir": str(data_dir),
                "office_name": name,
                "work_items": stats.work_items,
                "rules": stats.rules,
                "service_items": stats.service_items,
                **made,
                "now": now.isoformat(timespec="seconds"),
                "open": due["open"],
                "overdue": due["overdue"],
                "due_today": due["due_today"],
                "due_soon": due["due_soon"],
            }
        )
    else:
        print(f"已在 {data_dir} 建立演示办公数据：{name}")
        print(
            f"制度汇编 {stats.work_items} 项 {stats.rules} 条，服务清单 {stats.service_items} 项。"
        )
        print(
            f"职工 {made['people']} 人，单位 {made['enterprises']} 家，"
            f"案件 {made['cases']} 件（近两年，含办理中、已办结、已终止和已超期的）。"
        )
        print(
            f"截至 {now:%Y-%m-%d %H:%M}：办理中 {due['open']} 件，其中已超期 {due['overdue']} 件、"
            f"今日到期 {due['due_today']} 件、3 个工作日内到期 {due['due_soon']} 件。"
        )
    return EXIT_OK


def staff(office: Office, args: argparse.Namespace) -> int:
    if args.staff_command == "list":
        members = office.staff.members()
        # A command has no desk of its own: the window's last operator is the office's current
        # one (who signs in there next).
        operator = office.last_operator
        if args.json:
            print_json(
                [
                    {
                        "id": m.id,
                        "name": m.name,
                        "role": m.post,
                        "roles": m.role_list,
                        "has_password": m.has_password,
                        "operator": m.name == operator,
                    }
                    for m in members
                ]  # fmt: skip
            )
        else:
            for m in members:
                marks = ("，设了密码" if m.has_password else "") + (
                    "，上次的经办人" if m.name == operator else ""
                )
                print(f"{m.name}（{m.post}；{m.roles_text}{marks}）")
        return EXIT_OK
    member = office.staff.by_name(args.name)
    if member is None or not member.active:
        print(f"错误：没有在册的工作人员“{args.name}”。", file=sys.stderr)
        return EXIT_ERROR
    office.staff.clear_password(member.id, by_command_line=True)
    if args.json:
        print_json({"id": member.id, "name": member.name, "has_password": False})
    else:
        print(f"已清除{member.name}的密码（已记入办理记录）。")
    return EXIT_OK
