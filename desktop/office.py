"""An office's data folder, opened: the database, kept up to date with the shipped book.

The CLI and the window both work through an Office; neither touches SQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from desktop.book.loader import book_fingerprint, load_book
from desktop.cases.service import ATTACHMENTS_DIR, CaseService
from desktop.changes import (
    IS_DEMO,
    OFFICE_ADDRESS,
    OFFICE_NAME,
    OFFICE_PHONE,
    OPERATOR,
    Listener,
)
from desktop.changes import PRINT_FONT as PRINT_BODY_FONT
from desktop.errors import DamagedStore, NoOfficeHere, StoreError
from desktop.identity import IdentityError, parse_phone
from desktop.paths import DATABASE_FILE_NAME, default_book_dir
from desktop.registry import RecordError, clean_enterprise
from desktop.staff import (
    APPROVE,
    HANDLE,
    Staff,
    StaffError,
    StaffService,
    clean_staff,
    responsible_for,
)
from desktop.store import audit, integrity, open_database
from desktop.store.batch_repo import SignoffBatch, SignoffBatchRepository
from desktop.store.book_repo import BookRepository
from desktop.store.integrity import Finding
from desktop.store.office_repo import OfficeSettingsRepository
from desktop.store.registry_repo import RegistryRepository
from desktop.store.schema import holds_office_data
from desktop.store.staff_repo import StaffRepository
from desktop.validation import clean_person_name, clean_text, name_key

# Where whole personal numbers were shown (Office.record_reveal): on the screen, in what a
# command printed, or on paper and in PDF files.
SHOWN_IN_WINDOW = "窗口"
SHOWN_BY_COMMAND = "命令行"
SHOWN_IN_PRINT = "打印"
REVEAL_PLACES = (SHOWN_IN_WINDOW, SHOWN_BY_COMMAND, SHOWN_IN_PRINT)
REVEAL_ACTION = "查看完整证件号码"
BATCH_ACTION = "列入签领表批次"
# A public notice (公示) lists cases too, but pays nothing: its record line says what it is.
NOTICE_BATCH_ACTION = "列入公示批次"

DEFAULT_PRINT_BODY_FONT = "bundled_song"
BACKUP_DIR = "backup_dir"
BACKUP_KEEP = "backup_keep"
DEFAULT_BACKUP_KEEP = 7  # desktop.printing.fonts.BUNDLED_SONG


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return all(finding.ok for finding in self.findings)

    def problems(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# The office's name is printed at the left of every page's footer, on the line of the centred
# 第 X 页 共 Y 页, and in the heading beside the form's number: 20 characters fit both on A4
# in every body font (tests/printing/test_text_limits.py measures it).
OFFICE_NAME_LIMIT = 20


def clean_office_name(name: str) -> str:
    """The name as typed, tidied; ValueError (desktop.validation.TextError) saying why not."""
    cleaned = clean_text(name, what="单位名称", limit=OFFICE_NAME_LIMIT)
    if not cleaned:
        raise ValueError("请填写单位名称，例如 城关镇总工会。")
    return cleaned


# The office's address is printed in one sentence of a notice (where to object): a street
# address with the room number fits in 40 characters.
OFFICE_ADDRESS_LIMIT = 40


def clean_office_contact(phone: str, address: str) -> tuple[str, str]:
    """The office's phone and address as typed, tidied; either may be left empty. ValueError
    saying which is wrong and how to write it."""
    phone = str(phone or "").strip()
    if phone:
        try:
            phone = parse_phone(phone)
        except IdentityError as error:
            raise ValueError(f"单位联系电话：{error}") from error
    return phone, clean_text(address, what="单位地址", limit=OFFICE_ADDRESS_LIMIT)


# A staff member as set-up takes them: (name, post) with the post's default roles, or
# (name, post, roles).
StaffEntry = tuple[str, str] | tuple[str, str, Iterable[str]]


def check_office_staff(staff: Sequence[StaffEntry]) -> list[tuple[str, str, frozenset[str]]]:
    """The staff a real office starts with, cleaned: the chair (or another approver) as well
    as the clerk, two different people, since nobody may approve their own decisions."""
    cleaned = [clean_staff(*entry) for entry in staff]
    keys = [name_key(name) for name, _post, _roles in cleaned]
    if len(set(keys)) != len(keys):
        raise StaffError("name", "工作人员中有重名，请检查；同名的两个人请在姓名后加以区分。")
    approvers = [name for name, _post, roles in cleaned if APPROVE in roles]
    handlers = [name for name, _post, roles in cleaned if APPROVE not in roles]
    rule = "经办人作出的认定要由另一人审批，一个人不能既办理又审批。"
    if not cleaned:
        raise StaffError(
            "staff",
            "开始正式使用须登记至少两位工作人员：审批的工会主席和办事的经办人（如工会专干）。"
            + rule,
        )
    if not approvers:
        raise StaffError(
            "staff",
            f"登记的{'、'.join(name for name, _p, _r in cleaned)}都没有“审批”角色。"
            "请登记工会主席（岗位写“工会主席”即有审批角色），或给一位负责人加上“审批”角色。" + rule,
        )
    if not handlers:
        raise StaffError(
            "staff",
            f"登记的{'、'.join(approvers)}都有“审批”角色，还须有一位办事的经办人"
            "（如工会专干，只有“经办”角色）。" + rule,
        )
    return cleaned


def _no_office_data(data_dir: Path) -> str:
    return f"数据文件夹 {data_dir} 里没有 UnionDesk 的办公数据。"


def _require_database(data_dir: Path) -> None:
    """NoOfficeHere unless ``data_dir`` is a folder holding a database file. Whether the file
    is whole and UnionDesk's is for opening it to say (a 0-byte file, a newer version's)."""
    if data_dir.is_file():
        raise NoOfficeHere(f"{data_dir} 是一个文件，不是数据文件夹。")
    if not data_dir.is_dir():
        raise NoOfficeHere(f"数据文件夹 {data_dir} 不存在。")
    if not (data_dir / DATABASE_FILE_NAME).exists():
        raise NoOfficeHere(_no_office_data(data_dir))


def _completed(name: str, title: str, check: Callable[[], Finding]) -> Finding:
    """A check's finding; one that could not finish (a damaged page in its way) fails."""
    try:
        return check()
    except DamagedStore:
        return Finding(name, title, False, "没能检查完：数据文件有损坏，这部分读不出来。")
    except StoreError as error:
        return Finding(name, title, False, f"没能检查完：{error}")


class Office:
    def __init__(self, data_dir: Path | None, db):
        self.data_dir = data_dir
        self.db = db
        self.book = BookRepository(db)
        self.settings = OfficeSettingsRepository(db)
        self.registry = RegistryRepository(db)
        self.staff = StaffService(
            StaffRepository(db), lambda: self.operator, self.assign_missing_responsibles
        )
        self.cases = CaseService(db, data_dir)
        self.batches = SignoffBatchRepository(db)
        # Who is at this desk belongs to this window or command, not to the data folder: another
        # window switching to the chair does not make this one the chair. The folder remembers
        # the last operator to start with, unless they protect themselves with a password.
        try:
            last = self.last_operator
            member = self.staff.repo.by_name(last)
        except StoreError:  # a damaged file: nobody is at the desk of a file that is only read
            last, member = "", None
        self._operator = "" if member is not None and member.has_password else last
        self._unattended_actor = "系统"

    @classmethod
    def open(
        cls,
        data_dir: Path | str | None,
        book_dir: Path | str | None = None,
        *,
        create: bool = True,
    ) -> Office:
        """Open the office in ``data_dir`` (None: in memory), importing the book if it changed.

        ``create=False`` opens only an office that is already there: a folder that does not
        exist, or holds no office data, raises NoOfficeHere and is left exactly as it was."""
        data_dir = Path(data_dir) if data_dir is not None else None
        if data_dir is not None and not create:
            _require_database(data_dir)
        db = open_database(data_dir / DATABASE_FILE_NAME if data_dir is not None else None)
        if data_dir is not None and not create and Office.folder_is_new(data_dir):
            # Only a first start that was cut short left this file: the schema and the book.
            db.close()
            raise NoOfficeHere(_no_office_data(data_dir))
        office = cls(data_dir, db)
        try:
            office.sync_book(Path(book_dir) if book_dir is not None else default_book_dir())
        except BaseException:
            db.close()
            raise
        office.cases.remove_abandoned_copies()
        return office

    @staticmethod
    def folder_is_new(data_dir: Path | str) -> bool:
        """No office data yet: no database, or only what a first start that was interrupted
        left (the schema and the book), so the folder can be set up again."""
        return not holds_office_data(Path(data_dir) / DATABASE_FILE_NAME)

    @classmethod
    def start_real_office(
        cls, data_dir: Path, name: str, staff: Sequence[StaffEntry], now: datetime
    ) -> tuple[Office, Path]:
        """Put the demo data aside and open an empty office in the same folder.

        Only a folder holding demo data can be started this way; nothing is deleted: the demo
        database moves into a dated sub-folder. Returns the new office and that folder.
        """
        name = clean_office_name(name)
        check_office_staff(staff)
        with cls.open(data_dir) as current:
            if not current.is_demo:
                raise ValueError("这个数据文件夹里是正式办公数据，不能清空重来。")
            # Fold the write-ahead log into the file, so one file holds all of the demo.
            current.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        archive = data_dir / f"演示数据备份-{now:%Y%m%d-%H%M%S}"
        archive.mkdir()
        for path in [*data_dir.glob(DATABASE_FILE_NAME + "*"), data_dir / ATTACHMENTS_DIR]:
            if path.exists():
                path.rename(archive / path.name)
        office = cls.open(data_dir)
        try:
            office.set_up(name, staff, now)
        except BaseException:
            office.close()
            raise
        return office, archive

    def set_up(self, name: str, staff: Sequence[StaffEntry], now: datetime | None = None) -> None:
        """A new office's name and staff (desktop.office.check_office_staff: the chair and the
        clerk at least); the first who handles cases is at this desk, and each service item
        gets the registered person of its responsible post as its 责任人."""
        cleaned = check_office_staff(staff)
        now = now or datetime.now()
        with self.db.atomic():
            self.set_name(name)
            for staff_name, post, roles in cleaned:
                self.staff.repo.add(staff_name, post, roles, "系统", now)
            handlers = [entry for entry in cleaned if HANDLE in entry[2]] or cleaned
            self.set_operator(handlers[0][0])
            self.assign_missing_responsibles(now)

    def sync_book(self, book_dir: Path) -> bool:
        """Import the book in ``book_dir`` unless the same files were imported already."""
        if self.book.imported_fingerprint() == book_fingerprint(book_dir):
            return False
        self.book.replace_book(load_book(book_dir))
        return True

    @property
    def name(self) -> str:
        return self.settings.get(OFFICE_NAME)

    def set_name(self, name: str) -> str:
        """The office's name as printed on every form (受理单位、发放单位); returns it cleaned."""
        cleaned = clean_office_name(name)
        old = self.name
        with self.db.atomic():
            self.settings.set_many({OFFICE_NAME: cleaned})
            if old != cleaned:
                audit.record(
                    self.db, at=datetime.now(), actor=self.actor, entity="office",
                    entity_id=0, action="修改单位名称", old=old or None, new=cleaned,
                )  # fmt: skip
        return cleaned

    @property
    def phone(self) -> str:
        return self.settings.get(OFFICE_PHONE)

    @property
    def address(self) -> str:
        return self.settings.get(OFFICE_ADDRESS)

    def set_contact(self, phone: str, address: str) -> tuple[str, str]:
        """The phone and address printed on a public notice for objections (公示 异议); returns
        them cleaned (clean_office_contact), ValueError saying why when either is not usable."""
        cleaned = clean_office_contact(phone, address)
        old = (self.phone, self.address)
        with self.db.atomic():
            self.settings.set_many({OFFICE_PHONE: cleaned[0], OFFICE_ADDRESS: cleaned[1]})
            if old != cleaned:
                audit.record(
                    self.db, at=datetime.now(), actor=self.actor, entity="office", entity_id=0,
                    action="修改单位联系电话和地址", old="；".join(old).strip("；") or None,
                    new="；".join(cleaned).strip("；") or None,
                )  # fmt: skip
        return cleaned

    def set_responsible_person(
        self, service_item_id: str, name: str, now: datetime | None = None
    ) -> str:
        """Who answers for a service item (服务清单 责任人); "" clears it. Returns the name as
        kept; TextError (a ValueError) with the reason when it is not a usable name."""
        cleaned = clean_person_name(name, what="责任人")
        item = next((i for i in self.book.service_items() if i.id == service_item_id), None)
        if item is None:
            raise KeyError(service_item_id)
        if cleaned == item.responsible_person:
            return cleaned
        now = now or self.cases.clock()
        with self.db.atomic():
            self.book.set_responsible_person(service_item_id, cleaned, now)
            audit.record(
                self.db, at=now, actor=self.operator or "系统", entity="office", entity_id=0,
                action="修改服务项目责任人", field=f"{item.id} {item.name}",
                old=item.responsible_person or None, new=cleaned or "（未指定）",
            )  # fmt: skip
        return cleaned

    def assign_missing_responsibles(self, now: datetime | None = None) -> dict[str, str]:
        """Give each service item nobody answers for the registered person of its responsible
        post (desktop.staff.responsible_for); an item with a 责任人 keeps them, whoever chose
        them. Returns service item id → the name given, each given one in the audit trail."""
        now = now or self.cases.clock()
        members = self.staff.members()
        given: dict[str, str] = {}
        with self.db.atomic():
            for item in self.book.service_items():
                member = responsible_for(item.responsible_role, members)
                if item.responsible_person or member is None:
                    continue
                self.book.set_responsible_person(item.id, member.name, now)
                given[item.id] = member.name
                audit.record(
                    self.db, at=now, actor=self.operator or "系统", entity="office",
                    entity_id=0, action="按岗位填写服务项目责任人",
                    field=f"{item.id} {item.name}", new=f"{member.name}（{member.post}）",
                )  # fmt: skip
        return given

    def save_person(
        self,
        values: Mapping[str, Any],
        person_id: int | None = None,
        *,
        register_employer: bool = False,
        actor: str = "",
        now: datetime | None = None,
    ) -> int:
        """Add (``person_id`` None) or change a worker from desktop.registry.clean_person values,
        in one transaction; returns their id.

        A 工作单位 typed as text (``employer_name``) that is a registered enterprise's name is
        linked to it. One that is not is registered first when ``register_employer`` (by its
        name only: the credit code and the rest are filled in when known) and linked; otherwise
        the name is kept as typed, and shown and printed as the person's 工作单位."""
        now = now or self.cases.clock()
        actor = actor or self.operator or "系统"
        values = dict(values)
        with self.db.atomic():
            typed = values.get("employer_name") or ""
            if typed:
                enterprise = self.registry.enterprise_named(typed)
                enterprise_id = enterprise.id if enterprise is not None else None
                if enterprise_id is None and register_employer:
                    try:
                        firm = clean_enterprise({"name": typed}, now.date())
                    except RecordError as error:
                        raise RecordError("employer_name", str(error)) from error
                    enterprise_id = self.registry.add_enterprise(firm, actor, now)
                if enterprise_id is not None:
                    values.update(enterprise_id=enterprise_id, employer_name="")
            if person_id is None:
                return self.registry.add_person(values, actor, now)
            self.registry.update_person(person_id, values, actor, now)
            return person_id

    def has_office_data(self) -> bool:
        """Whether anything of the office's own has been saved (beyond the imported book)."""
        return self.settings.has_office_data()

    @property
    def is_damaged(self) -> bool:
        """PRAGMA quick_check found damage when the file was opened: read, never written."""
        return bool(self.db.damaged)

    @property
    def is_demo(self) -> bool:
        return self.settings.get(IS_DEMO) == "1"

    @property
    def operator(self) -> str:
        """The staff member working at this desk, recorded on everything they do."""
        return self._operator

    @property
    def actor(self) -> str:
        """Who a change is recorded as: the operator, or what did it when nobody is at a desk
        ("命令行" for a command, "系统" otherwise); never the window's last operator."""
        return self.operator or self._unattended_actor

    def work_from_command_line(self) -> None:
        """A command is nobody's desk: what it does is recorded as 命令行, not as whoever last
        sat at the window."""
        self._operator = ""
        self._unattended_actor = SHOWN_BY_COMMAND

    @property
    def last_operator(self) -> str:
        """Who was last at a desk on this data folder (remembered for the next start)."""
        return self.settings.get(OPERATOR)

    def set_operator(self, name: str) -> None:
        """This session's operator, remembered as the folder's last one. Callers that let a
        person choose go through switch_operator, which asks a password when one is set."""
        self._operator = name
        self.settings.set_many({OPERATOR: name})

    @property
    def operator_staff(self) -> Staff | None:
        """The operator as a registered, active staff member (None for a name not on the list)."""
        return self.staff.operator()

    def switch_operator(self, staff_id: int, password: str = "") -> Staff:
        """Make a staff member the operator at this desk, asking their password if they set
        one; the switch is in the audit trail. Raises StaffError with the reason."""
        member = self.staff.check_may_operate(staff_id, password)
        with self.db.atomic():
            self.set_operator(member.name)
            audit.record(
                self.db, at=self.cases.clock(), actor=member.name, entity="staff",
                entity_id=member.id, action="成为当前经办人",
                new="已验证密码" if member.has_password else None,
            )  # fmt: skip
        return member

    @property
    def backup_dir(self) -> str:
        """The folder for automatic backups the office chose (a USB stick); "" for the data
        folder's own 备份 sub-folder."""
        return self.settings.get(BACKUP_DIR)

    @property
    def backup_keep(self) -> int:
        """How many of the last days, weeks and months keep an automatic backup each."""
        text = self.settings.get(BACKUP_KEEP)
        return int(text) if text.isdigit() and int(text) > 0 else DEFAULT_BACKUP_KEEP

    def set_backups(self, folder: str, keep: int) -> None:
        if not 1 <= keep <= 99:
            raise ValueError("保留份数应在 1 到 99 之间。")
        with self.db.atomic():
            self.settings.set_many({BACKUP_DIR: folder.strip(), BACKUP_KEEP: str(keep)})
            audit.record(
                self.db, at=datetime.now(), actor=self.actor, entity="office",
                entity_id=0, action="修改备份设置",
                new=f"{folder.strip() or '数据文件夹中的“备份”'}，保留 {keep} 份",
            )  # fmt: skip

    def record_restore(self, backup_name: str, made: datetime) -> None:
        audit.record(
            self.db, at=datetime.now(), actor=self.actor, entity="office",
            entity_id=0, action="从备份恢复", new=f"{backup_name}（{made:%Y-%m-%d %H:%M} 的备份）",
        )  # fmt: skip

    @property
    def print_body_font(self) -> str:
        """The body face of printed forms: bundled_song, simsun (Windows) or sans."""
        return self.settings.get(PRINT_BODY_FONT, DEFAULT_PRINT_BODY_FONT)

    def set_print_body_font(self, choice: str) -> None:
        self.settings.set_many({PRINT_BODY_FONT: choice})

    def check(self, quick: bool = False) -> CheckReport:
        """Whether the data is whole: the database file, the links between records, the audit
        trail's hash chain and its protection, and (in full) every attachment's file against
        its recorded SHA-256. ``quick`` is the part the window runs at every start."""
        db = self.db
        findings = [
            integrity.sqlite_check(db, quick),
            _completed("foreign_keys", "记录之间的关联", lambda: integrity.foreign_key_check(db)),
            integrity.trigger_check(db),
            _completed("audit_chain", "办理记录链", lambda: integrity.audit_chain_check(db, quick)),
            _completed(
                "audit_complete", "办理记录是否完整", lambda: integrity.trail_covers_data(db)
            ),
        ]
        if not quick:
            findings.append(_completed("attachments", "附件", self._attachment_check))
        return CheckReport(tuple(findings))

    def _attachment_check(self) -> Finding:
        rows = integrity.attachment_rows(self.db)
        bad: list[str] = []
        for _attachment_id, number, stored_name, recorded in rows:
            path = self.cases.attachment_path(stored_name) if self.data_dir else None
            if path is None or not path.is_file():
                bad.append(f"{number} 的附件 {stored_name} 不见了")
            elif sha256_of(path) != recorded:
                bad.append(f"{number} 的附件 {stored_name} 的内容与登记时不同")
        unlisted = self.cases.unlisted_attachment_files({row[2] for row in rows})
        if not bad:
            detail = f"{len(rows)} 个附件都在，内容与登记时一致。"
            if unlisted:
                # Left by an operation that was cut short (a demo build, a crash while adding):
                # not case data, but possibly someone's scan, so named and left for the clerk.
                detail += (
                    f"附件文件夹里另有 {len(unlisted)} 个文件没有登记在任何案件里"
                    f"（{'、'.join(unlisted[:3])}{' 等' if len(unlisted) > 3 else ''}），"
                    "多半是中断的操作留下的；确认没有用后可以删除。"
                )
            return Finding(
                "attachments", "附件", True, detail,
                {"attachments": len(rows), "unlisted": unlisted[:50]},
            )  # fmt: skip
        shown = "；".join(bad[:5]) + (f"；另有 {len(bad) - 5} 处" if len(bad) > 5 else "")
        return Finding(
            "attachments", "附件", False,
            f"{shown}。请从备份恢复附件文件夹，或重新扫描添加。",
            {"problems": bad[:50]},
        )  # fmt: skip

    def record_reveal(
        self,
        purpose: str,
        case_ids: Iterable[int] = (),
        person_ids: Iterable[int] = (),
        *,
        fields: Iterable[str],
        place: str,
    ) -> None:
        """Whole ID numbers and phones shown on the screen, by a command or on paper: the trail
        keeps who (the operator), when, for which case or person (a row each), which fields
        (their labels, e.g. 身份证号码、电话), where (SHOWN_IN_WINDOW, SHOWN_BY_COMMAND or
        SHOWN_IN_PRINT) and what for. Every place that shows a whole number calls this."""
        if place not in REVEAL_PLACES:
            raise ValueError(f"unknown place {place!r}")
        now = self.cases.clock()
        actor = self.actor
        shown = "、".join(fields)
        detail = f"{purpose}（{place}）"
        with self.db.atomic():
            for case_id in case_ids:
                audit.record(
                    self.db, at=now, actor=actor, entity="case", entity_id=case_id,
                    case_id=case_id, action=REVEAL_ACTION, field=shown, new=detail,
                )  # fmt: skip
            for person_id in person_ids:
                audit.record(
                    self.db, at=now, actor=actor, entity="person", entity_id=person_id,
                    action=REVEAL_ACTION, field=shown, new=detail,
                )  # fmt: skip

    def signoff_batch(
        self,
        form_id: str,
        title: str,
        prefix: str,
        case_ids: Sequence[int],
        action: str = BATCH_ACTION,
    ) -> tuple[SignoffBatch, bool]:
        """The batch of the sign-off sheet ``form_id`` (titled ``title``) over these cases, and
        whether it is new; ``action`` names the line on each case's record (BATCH_ACTION, or
        NOTICE_BATCH_ACTION for a public notice).

        A sheet printed again over the same cases (in any order) keeps the batch it had: a
        reprint, a spoiled copy, a preview opened twice. Any other set of cases is a new batch,
        numbered next after the last of its prefix in this year (FF-2026-003); each of its cases
        gets a line on its record saying which batch and sheet it was listed on."""
        found = self.batches.find(form_id, case_ids)  # a reprint writes nothing
        if found is not None:
            return found, False
        now = self.cases.clock()
        actor = self.actor
        with self.db.atomic():
            found = self.batches.find(form_id, case_ids)  # another window was quicker
            if found is not None:
                return found, False
            batch = self.batches.create(form_id, prefix, now.year, case_ids, now, actor)
            for case_id in case_ids:
                audit.record(
                    self.db, at=now, actor=actor, entity="case", entity_id=case_id,
                    case_id=case_id, action=action, field=title,
                    new=f"{batch.number}（共 {len(case_ids)} 件）",
                )  # fmt: skip
        return batch, True

    def case_batches(self, case_id: int) -> list[SignoffBatch]:
        """The batches of sign-off sheets and public notices the case was listed on (FF-, WF-,
        GS-…), the first printed first."""
        return self.batches.of_case(case_id)

    def earlier_batches(self, form_id: str, case_ids: Sequence[int]) -> dict[int, list[str]]:
        """The batch numbers of the sheet ``form_id`` each of these cases was listed on."""
        return self.batches.earlier_batches(form_id, case_ids)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(changes)`` after every committed write (desktop.changes)."""
        self.db.subscribe(listener)

    def unsubscribe(self, listener: Listener) -> None:
        self.db.unsubscribe(listener)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
