"""The office's staff in the database: posts, roles, password hashes, every change audited.

Who may do what is decided in desktop.staff and desktop.office; this module only reads and
writes rows, inside the caller's transaction rules (each write is one transaction).
"""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from desktop.changes import STAFF, Changes
from desktop.staff import ROLES, Staff, StaffError, roles_text
from desktop.store import audit
from desktop.validation import name_key

STAFF_COLUMNS = "id, name, role, roles, active, password_hash IS NOT NULL"


def _staff(row: tuple) -> Staff:
    staff_id, name, post, roles, active, has_password = row
    return Staff(
        id=staff_id,
        name=name,
        post=post,
        roles=frozenset(r for r in roles.split(",") if r in ROLES),
        active=bool(active),
        has_password=bool(has_password),
    )


class StaffRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def staff(self, include_inactive: bool = False) -> list[Staff]:
        """The office's staff in the order they were registered; active ones unless asked."""
        where = "" if include_inactive else " WHERE active = 1"
        rows = self.db.execute(f"SELECT {STAFF_COLUMNS} FROM office_staff{where} ORDER BY id")
        return [_staff(row) for row in rows.fetchall()]

    def member(self, staff_id: int) -> Staff | None:
        row = self.db.execute(
            f"SELECT {STAFF_COLUMNS} FROM office_staff WHERE id = ?", [staff_id]
        ).fetchone()
        return _staff(row) if row else None

    def by_name(self, name: str) -> Staff | None:
        """The staff member a name means, compared as people read names (name_key)."""
        if not name:
            return None
        row = self.db.execute(
            f"SELECT {STAFF_COLUMNS} FROM office_staff WHERE name_key = ?", [name_key(name)]
        ).fetchone()
        return _staff(row) if row else None

    def password_hash(self, staff_id: int) -> str | None:
        row = self.db.execute(
            "SELECT password_hash FROM office_staff WHERE id = ?", [staff_id]
        ).fetchone()
        return row[0] if row else None

    def add(self, name: str, post: str, roles: frozenset[str], actor: str, now: datetime) -> Staff:
        """Register a cleaned name (desktop.staff.clean_staff); a former member of that name
        comes back with the new post and roles."""
        with self.db.atomic():
            existing = self.by_name(name)
            if existing is not None and existing.active:
                raise StaffError(
                    "name",
                    f"已有工作人员“{existing.name}”（{existing.post}）。同名的两个人请在姓名后"
                    "加以区分，例如 张伟（社区），否则签批记录分不清是谁。",
                )
            if existing is not None:
                self.db.execute(
                    "UPDATE office_staff SET name = ?, role = ?, roles = ?, active = 1"
                    " WHERE id = ?",
                    [name, post, ",".join(sorted(roles)), existing.id],
                )
                staff_id = existing.id
            else:
                staff_id = self.db.execute(
                    "INSERT INTO office_staff (name, role, roles, name_key) VALUES (?, ?, ?, ?)",
                    [name, post, ",".join(sorted(roles)), name_key(name)],
                ).lastrowid
            self.db.report(Changes.of(settings=[STAFF]))
            audit.record(
                self.db, at=now, actor=actor or "系统", entity="staff", entity_id=staff_id,
                action="登记工作人员", new=f"{name}（{post}；{roles_text(roles)}）",
            )  # fmt: skip
        member = self.member(staff_id)
        assert member is not None
        return member

    def update(
        self, staff_id: int, post: str, roles: frozenset[str], actor: str, now: datetime
    ) -> None:
        with self.db.atomic():
            old = self.member(staff_id)
            if old is None:
                raise StaffError("name", "没有这位工作人员，可能已被别处删除，请关闭后重新打开。")
            self.db.execute(
                "UPDATE office_staff SET role = ?, roles = ? WHERE id = ?",
                [post, ",".join(sorted(roles)), staff_id],
            )
            self.db.report(Changes.of(settings=[STAFF]))
            audit.record(
                self.db, at=now, actor=actor or "系统", entity="staff", entity_id=staff_id,
                action="修改工作人员岗位和角色", field=old.name,
                old=f"{old.post}；{old.roles_text}", new=f"{post}；{roles_text(roles)}",
            )  # fmt: skip

    def set_password_hash(
        self, staff_id: int, password_hash: str | None, actor: str, now: datetime
    ) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE office_staff SET password_hash = ? WHERE id = ?", [password_hash, staff_id]
            )
            self.db.report(Changes.of(settings=[STAFF]))
            audit.record(
                self.db, at=now, actor=actor or "系统", entity="staff", entity_id=staff_id,
                action="设置密码" if password_hash else "取消密码",
            )  # fmt: skip

    def deactivate(self, staff_id: int, actor: str, now: datetime) -> None:
        """Off the pick lists; their name stays on everything they did."""
        with self.db.atomic():
            member = self.member(staff_id)
            if member is None or not member.active:
                return
            self.db.execute("UPDATE office_staff SET active = 0 WHERE id = ?", [staff_id])
            self.db.report(Changes.of(settings=[STAFF]))
            audit.record(
                self.db, at=now, actor=actor or "系统", entity="staff",
                entity_id=staff_id, action="停用工作人员", old=member.label,
            )  # fmt: skip
