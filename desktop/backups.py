"""Backups a clerk never has to think about, and a restore that cannot make things worse.

A backup is one file (a zip, ``*.udbak``) holding a consistent copy of the database taken while
the program runs (SQLite's online backup API), every attachment, and a manifest saying what it
is. The window makes one on exit and once a day while open, into the data folder's 备份
sub-folder or a folder the office chooses (a USB stick), and keeps the newest of the last N
days, weeks and months. Restoring checks the backup the way `uniondesk check` checks an office,
keeps a safety copy of what it replaces, and refuses a file that is not a UnionDesk backup.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from desktop import __version__
from desktop.cases.records import CaseFilter
from desktop.cases.service import ATTACHMENTS_DIR
from desktop.errors import StoreError, os_error_text
from desktop.office import Office, sha256_of
from desktop.paths import DATABASE_FILE_NAME
from desktop.store import SCHEMA_VERSION
from desktop.store.snapshot import copy_database

SUFFIX = ".udbak"
MANIFEST = "uniondesk-backup.json"
FORMAT = 1
AUTOMATIC = "自动备份"
SAFETY = "恢复前的安全副本"
DEFAULT_FOLDER = "备份"
DEFAULT_KEEP = 7

Progress = Callable[[int, int], None]


class BackupError(Exception):
    """A backup cannot be made, read or restored; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    office_name: str
    schema_version: int
    app_version: str
    cases: int
    people: int
    attachments: int
    automatic: bool

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def backup_name(office_name: str, now: datetime, kind: str = "备份") -> str:
    safe = "".join(ch for ch in office_name if ch not in '\\/:*?"<>|').strip() or "办公数据"
    return f"{kind}-{safe}-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def backup_folder(office: Office) -> Path:
    """Where automatic backups go: the folder the office chose, else 备份 in its data folder."""
    chosen = office.backup_dir
    if chosen:
        return Path(chosen)
    assert office.data_dir is not None
    return office.data_dir / DEFAULT_FOLDER


# --- making one ---------------------------------------------------------------------------------


def make_backup(
    office: Office,
    target: Path,
    now: datetime,
    progress: Progress | None = None,
    automatic: bool = False,
) -> BackupInfo:
    """Write a backup of ``office`` to the file ``target``; a failure leaves no file behind."""
    if office.data_dir is None:
        raise BackupError("这个办公数据不在数据文件夹里，不能备份。")
    if office.is_damaged:
        # A copy of a damaged file cannot be restored, and an automatic one would rotate the
        # last good backup of the day out of the folder.
        raise BackupError(
            "数据文件已损坏，备份出来的也不能用，所以没有备份，原有的备份都保留着。请用"
            "“文件 → 备份与恢复”从损坏之前的备份恢复；需要时把整个数据文件夹复制一份交给维护人员。"
        )
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"文件夹 {target.parent} 不存在，请先建好它或换一个保存位置（如 U 盘）。")
    attachments = _attachment_files(office)
    steps = len(attachments) + 2
    report = progress or (lambda _done, _total: None)
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix="uniondesk-backup-") as scratch:
        copy = Path(scratch) / DATABASE_FILE_NAME
        try:
            copy_database(
                office.data_dir / DATABASE_FILE_NAME, copy, lambda done, total: report(0, steps)
            )
        except StoreError as error:
            raise BackupError(f"没有能备份：{error}") from error
        report(1, steps)
        manifest = {
            "format": FORMAT,
            "program": "UnionDesk",
            "app_version": __version__,
            "schema_version": SCHEMA_VERSION,
            "created": now.isoformat(timespec="seconds"),
            "office_name": office.name,
            "automatic": automatic,
            "cases": office.cases.count_cases(CaseFilter()),
            "people": office.registry.count_people(),
            "attachments": len(attachments),
            "database_sha256": sha256_of(copy),
        }
        try:
            with zipfile.ZipFile(partial, "w") as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
                archive.write(copy, DATABASE_FILE_NAME, compress_type=zipfile.ZIP_DEFLATED)
                for done, (stored_name, path) in enumerate(attachments, start=2):
                    # Scans are compressed already.
                    archive.write(path, f"{ATTACHMENTS_DIR}/{stored_name}", zipfile.ZIP_STORED)
                    report(done, steps)
            with open(partial, "rb+") as written:
                os.fsync(written.fileno())
            partial.replace(target)
        except OSError as error:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise BackupError(
                f"备份没有写完：{os_error_text(error)}（{target}）。"
                "请检查磁盘空间或 U 盘是否还连着，然后再试。"
            ) from error
    report(steps, steps)
    return read_backup(target)


def _attachment_files(office: Office) -> list[tuple[str, Path]]:
    assert office.data_dir is not None
    files = []
    for stored_name in office.cases.attachment_names():
        path = office.cases.attachment_path(stored_name)
        if path.is_file():
            files.append((stored_name, path))
    return files


# --- reading and checking one -------------------------------------------------------------------


def read_backup(path: Path) -> BackupInfo:
    """What the backup file says it holds; BackupError if it is not a UnionDesk backup."""
    path = Path(path)
    not_ours = (
        f"{path.name} 不是 UnionDesk 的备份文件（备份文件由本程序生成，文件名以 {SUFFIX} 结尾）。"
    )
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
    except FileNotFoundError as error:
        raise BackupError(f"找不到备份文件 {path}。") from error
    except _NOT_A_BACKUP as error:
        raise BackupError(not_ours) from error
    except OSError as error:
        raise BackupError(f"无法读取备份文件 {path}：{os_error_text(error)}") from error
    if not isinstance(manifest, dict) or manifest.get("program") != "UnionDesk":
        raise BackupError(not_ours)
    try:
        return BackupInfo(
            path=path,
            created=datetime.fromisoformat(manifest["created"]),
            office_name=str(manifest.get("office_name", "")),
            schema_version=int(manifest["schema_version"]),
            app_version=str(manifest.get("app_version", "")),
            cases=int(manifest.get("cases", 0)),
            people=int(manifest.get("people", 0)),
            attachments=int(manifest.get("attachments", 0)),
            automatic=bool(manifest.get("automatic", False)),
        )
    except (KeyError, TypeError, ValueError, OverflowError) as error:  # int(1e400) overflows
        raise BackupError(f"{path.name} 的说明部分已损坏，不能用来恢复。") from error


# The manifest has a few hundred bytes; anything this big is not one of ours.
MAX_MANIFEST_BYTES = 1_000_000

# What reading a file that is not a sound zip of ours raises, besides OSError: zipfile's own
# errors, a member compressed or encrypted in a way zipfile cannot read (NotImplementedError,
# RuntimeError), damaged compressed data (zlib.error, EOFError), and from the manifest a missing
# member (KeyError), bytes that are not UTF-8, JSON that is not JSON or nests past Python's
# recursion limit, or a number past int()'s 4,300 digits (ValueError, RecursionError).
_NOT_A_BACKUP = (
    zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, zlib.error,
    EOFError, KeyError, UnicodeDecodeError, ValueError, RecursionError,
)  # fmt: skip


def _read_manifest(archive: zipfile.ZipFile) -> object:
    if archive.getinfo(MANIFEST).file_size > MAX_MANIFEST_BYTES:
        raise ValueError("manifest too large")
    with archive.open(MANIFEST) as stream:  # read no more than the cap, whatever the header says
        data = stream.read(MAX_MANIFEST_BYTES + 1)
    if len(data) > MAX_MANIFEST_BYTES:
        raise ValueError("manifest too large")
    return json.loads(data.decode("utf-8"))


def _extract_and_check(path: Path, into: Path) -> BackupInfo:
    """Unpack the backup into ``into`` and check it as `uniondesk check` checks an office."""
    info = read_backup(path)
    if info.schema_version > SCHEMA_VERSION:
        raise BackupError(
            f"{path.name} 由更新版本的 UnionDesk 生成（数据版本 {info.schema_version}），"
            "请先升级本程序再恢复。"
        )
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = _read_manifest(archive)
            for member in archive.namelist():
                if member == MANIFEST:
                    continue
                if not _safe_member(member):
                    raise BackupError(f"{path.name} 中有不安全的文件路径 {member}，不能恢复。")
                archive.extract(member, into)
    except (*_NOT_A_BACKUP, OSError) as error:
        raise BackupError(f"{path.name} 已损坏，不能完整读出：{error}") from error
    if not isinstance(manifest, dict):  # read_backup saw a dict; the file changed since
        raise BackupError(f"{path.name} 的说明部分已损坏，不能用来恢复。")
    database = into / DATABASE_FILE_NAME
    if not database.is_file() or sha256_of(database) != manifest.get("database_sha256"):
        raise BackupError(f"{path.name} 中的数据库与备份时不同（已损坏），不能用来恢复。")
    try:
        with Office.open(into) as office:
            report = office.check()
    except StoreError as error:
        raise BackupError(f"{path.name} 中的数据不能打开：{error}") from error
    if not report.ok:
        problems = "；".join(f"{f.title}：{f.detail}" for f in report.problems())
        raise BackupError(f"{path.name} 没有通过检查，不能用来恢复：{problems}")
    return info


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts


def verify_backup(path: Path) -> BackupInfo:
    """Check a backup without restoring it."""
    with tempfile.TemporaryDirectory(prefix="uniondesk-verify-") as scratch:
        return _extract_and_check(Path(path), Path(scratch))


# --- restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    backup: BackupInfo
    safety_copy: Path | None  # what the folder held before, as a backup of its own


def restore_backup(path: Path, data_dir: Path, now: datetime) -> Restored:
    """Put the backup in ``path`` into ``data_dir``, checked first; what the folder held is kept
    as a backup in its backup folder. The folder's own window must be closed."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="uniondesk-restore-", dir=data_dir) as scratch:
        unpacked = Path(scratch) / "backup"
        unpacked.mkdir()
        info = _extract_and_check(Path(path), unpacked)
        safety = None
        if not Office.folder_is_new(data_dir):
            try:
                with Office.open(data_dir) as current:
                    folder = backup_folder(current)
                    folder.mkdir(parents=True, exist_ok=True)
                    safety = make_backup(
                        current, folder / backup_name(current.name, now, SAFETY), now
                    ).path
            except StoreError:
                # The data being replaced cannot even be opened: keep its files as they are.
                safety = data_dir / f"{SAFETY}-原文件-{now:%Y%m%d-%H%M%S}"
                safety.mkdir()
                for stale in data_dir.glob(DATABASE_FILE_NAME + "*"):
                    shutil.copy2(stale, safety / stale.name)
        old = Path(scratch) / "replaced"
        old.mkdir()
        for stale in [*data_dir.glob(DATABASE_FILE_NAME + "*"), data_dir / ATTACHMENTS_DIR]:
            if stale.exists():
                stale.rename(old / stale.name)
        try:
            for fresh in [unpacked / DATABASE_FILE_NAME, unpacked / ATTACHMENTS_DIR]:
                if fresh.exists():
                    fresh.rename(data_dir / fresh.name)
        except OSError:
            for put_back in old.iterdir():  # leave the folder as it was
                with contextlib.suppress(OSError):
                    put_back.rename(data_dir / put_back.name)
            raise
    with Office.open(data_dir) as office:
        office.record_restore(info.path.name, info.created)
    return Restored(info, safety)


# --- the automatic ones ---------------------------------------------------------------------------


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first; files that are not backups are passed over."""
    found = []
    for path in Path(folder).glob(f"*{SUFFIX}"):
        with contextlib.suppress(BackupError):
            found.append(read_backup(path))
    return sorted(found, key=lambda info: info.created, reverse=True)


def automatic_backup_due(folder: Path, now: datetime) -> bool:
    """No automatic backup has been made today."""
    return not any(
        info.automatic and info.created.date() == now.date() for info in list_backups(folder)
    )


def rotate(folder: Path, keep: int, now: datetime) -> list[Path]:
    """Delete the automatic backups no longer needed: the newest of each of the last ``keep``
    days, weeks and months stays. Backups made by hand are never deleted. Returns the deleted."""
    automatic = [info for info in list_backups(folder) if info.automatic]
    kept: set[Path] = set()
    for period in (
        lambda d: d.date(),
        lambda d: d.isocalendar()[:2],
        lambda d: (d.year, d.month),
    ):
        seen: list[object] = []
        for info in automatic:  # newest first
            key = period(info.created)
            if key not in seen:
                seen.append(key)
                if len(seen) <= keep:
                    kept.add(info.path)
    deleted = []
    for info in automatic:
        if info.path not in kept and info.created <= now:
            with contextlib.suppress(OSError):
                info.path.unlink()
                deleted.append(info.path)
    return deleted


def automatic_backup(office: Office, now: datetime, progress: Progress | None = None) -> BackupInfo:
    """One automatic backup into the office's backup folder, then the old ones rotated out."""
    folder = backup_folder(office)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(
            f"备份文件夹 {folder} 不能使用（{os_error_text(error)}）。"
            "请在“文件 → 备份与恢复”中换一个文件夹，或插好 U 盘。"
        ) from error
    info = make_backup(
        office, folder / backup_name(office.name, now, AUTOMATIC), now, progress, automatic=True
    )
    rotate(folder, office.backup_keep, now)
    return info
