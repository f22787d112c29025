"""People, enterprises and office staff in the database, every change with its audit rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlite_utils

from desktop.book.search import name_keys, pinyin_keys
from desktop.changes import Changes
from desktop.household import HouseholdMember
from desktop.registry import (
    ACTIVE_HARDSHIP,
    PERSON_NUMBER_COLUMNS,
    Enterprise,
    PeopleFilter,
    Person,
    RecordError,
)
from desktop.store import audit

# The statuses of a hardship file still under care (desktop.registry), as an SQL list.
ACTIVE_HARDSHIP_SQL = "(" + ", ".join(f"'{status}'" for status in ACTIVE_HARDSHIP) + ")"
PERSON_COLUMNS = (
    "name", "id_number", "gender", "birth_date", "phone", "enterprise_id", "union_name",
    "household_size", "income_per_head", "hardship_status", "hardship_review_due",
    "employer_name",
)  # fmt: skip
# Added in version 18 (desktop.store.schema.add_family_details): text, "" when not known.
PERSON_DETAIL_COLUMNS = (
    "address", "ethnicity", "political_status", "marital_status", "health", "disability_grade",
    "hukou_type", "housing", "bank_name", "bank_account",
)  # fmt: skip
PERSON_COLUMNS += PERSON_DETAIL_COLUMNS
MEMBER_COLUMNS = (
    "name", "relation", "id_number", "health", "disability_grade", "work", "monthly_income",
)  # fmt: skip
ENTERPRISE_COLUMNS = (
    "name", "credit_code", "address", "contact", "phone", "headcount", "member_count",
    "union_status", "headcount_25_since", "management_sound", "joint_activities_year",
)  # fmt: skip
PEOPLE_ORDER = {
    "name": "p.name_pinyin, p.id",
    "id_number": "p.id_number",
    # The workplace as shown: a registered firm's name, else the one typed. No blank after the
    # comma inside coalesce(): a descending sort splits these at ", ".
    "enterprise": "coalesce(e.name,p.employer_name), p.id",
    "hardship_status": "p.hardship_status DESC, p.id",
    "review_due": "p.hardship_review_due IS NULL, p.hardship_review_due, p.id",
    "created": "p.id",
}


def _db_value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _person(row: dict, members: tuple[HouseholdMember, ...] = ()) -> Person:
    return Person(
        id=row["id"],
        name=row["name"],
        id_number=row["id_number"],
        gender=row["gender"],
        birth_date=date.fromisoformat(row["birth_date"]),
        phone=row["phone"],
        enterprise_id=row["enterprise_id"],
        enterprise_name=row.get("enterprise_name") or row.get("employer_name") or "",
        employer_name=row.get("employer_name") or "",
        union_name=row["union_name"],
        household_size=row["household_size"],
        income_per_head=row["income_per_head"],
        hardship_status=row["hardship_status"],
        hardship_review_due=_date(row["hardship_review_due"]),
        **{k: row.get(k) or "" for k in PERSON_DETAIL_COLUMNS},
        household_members=members,
    )


def _members_text(members: tuple[HouseholdMember, ...] | list[HouseholdMember]) -> str | None:
    """The family as the trail keeps it, ID numbers masked; None for none."""
    return "；".join(m.summary() for m in members) or None


def _enterprise(row: dict) -> Enterprise:
    return Enterprise(
        id=row["id"],
        name=row["name"],
        credit_code=row["credit_code"] or "",
        address=row["address"],
        contact=row["contact"],
        phone=row["phone"],
        headcount=row["headcount"],
        member_count=row["member_count"],
        union_status=row["union_status"],
        headcount_25_since=_date(row["headcount_25_since"]),
        management_sound=bool(row["management_sound"]),
        joint_activities_year=row["joint_activities_year"],
    )


class RegistryRepository:
    def __init__(self, db: sqlite_utils.Database):
        self.db = db

    def _rows(self, sql: str, params: list[Any] | tuple = ()) -> list[dict]:
        cursor = self.db.execute(sql, list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    # --- people -----------------------------------------------------------------------------

    def add_person(self, values: dict[str, Any], actor: str, now: datetime) -> int:
        with self.db.atomic():
            self._check_unique_id_number(values["id_number"], None)
            row = {k: _db_value(values.get(k)) for k in PERSON_COLUMNS if k in values}
            row["name_initials"], row["name_pinyin"] = name_keys(values["name"])
            row["created_at"] = row["updated_at"] = now.isoformat(timespec="seconds")
            columns = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            cursor = self.db.execute(
                f"INSERT INTO people ({columns}) VALUES ({marks})", list(row.values())
            )
            person_id = cursor.lastrowid
            self.db.report(Changes.of(people=[person_id]))
            audit.record(
                self.db, at=now, actor=actor, entity="person", entity_id=person_id,
                action="新增职工", new=values["name"],
            )  # fmt: skip
            members = values.get("household_members")
            if members:
                self._write_members(person_id, members)
                audit.record(
                    self.db, at=now, actor=actor, entity="person", entity_id=person_id,
                    action="修改", field="household_members", new=_members_text(members),
                )  # fmt: skip
        return person_id

    def _write_members(self, person_id: int, members) -> None:
        self.db.execute("DELETE FROM household_members WHERE person_id = ?", [person_id])
        self.db.conn.executemany(
            f"INSERT INTO household_members (person_id, position, {', '.join(MEMBER_COLUMNS)})"
            f" VALUES (?, ?, {', '.join('?' * len(MEMBER_COLUMNS))})",
            [
                (person_id, position, *(getattr(m, c) for c in MEMBER_COLUMNS))
                for position, m in enumerate(members, start=1)
            ],
        )

    def household_members(self, person_id: int) -> tuple[HouseholdMember, ...]:
        rows = self._rows(
            f"SELECT {', '.join(MEMBER_COLUMNS)} FROM household_members"
            " WHERE person_id = ? ORDER BY position",
            [person_id],
        )
        return tuple(HouseholdMember(**row) for row in rows)

    def update_person(self, person_id: int, values: dict[str, Any], actor: str, now: datetime):
        with self.db.atomic():
            old = self._rows("SELECT * FROM people WHERE id = ?", [person_id])
            if not old:
                raise RecordError("id", f"找不到编号为 {person_id} 的职工。")
            if "id_number" in values:
                self._check_unique_id_number(values["id_number"], person_id)
            new = {k: _db_value(v) for k, v in values.items() if k in PERSON_COLUMNS}
            changed = audit.record_changes(
                self.db, at=now, actor=actor, entity="person", entity_id=person_id,
                old=old[0], new=new,
                personal=PERSON_NUMBER_COLUMNS,
            )  # fmt: skip
            if "household_members" in values:
                before = self.household_members(person_id)
                after = tuple(values["household_members"])
                if before != after:
                    self._write_members(person_id, after)
                    audit.record(
                        self.db, at=now, actor=actor, entity="person", entity_id=person_id,
                        action="修改", field="household_members",
                        old=_members_text(before), new=_members_text(after),
                    )  # fmt: skip
                    changed += 1
            if not changed:
                return
            if "name" in new:
                new["name_initials"], new["name_pinyin"] = name_keys(new["name"])
            new["updated_at"] = now.isoformat(timespec="seconds")
            assignments = ", ".join(f"{k} = ?" for k in new)
            self.db.execute(
                f"UPDATE people SET {assignments} WHERE id = ?", [*new.values(), person_id]
            )
            self.db.report(Changes.of(people=[person_id]))

    def _check_unique_id_number(self, id_number: str, own_id: int | None) -> None:
        row = self.db.execute(
            "SELECT id, name FROM people WHERE id_number = ?", [id_number]
        ).fetchone()
        if row and row[0] != own_id:
            raise RecordError(
                "id_number", f"身份证号码已登记在职工“{row[1]}”名下，同一人不要重复登记。"
            )

    def person(self, person_id: int) -> Person | None:
        rows = self._rows(
            "SELECT p.*, e.name AS enterprise_name FROM people p"
            " LEFT JOIN enterprises e ON e.id = p.enterprise_id WHERE p.id = ?",
            [person_id],
        )
        return _person(rows[0], self.household_members(person_id)) if rows else None

    def person_by_id_number(self, id_number: str) -> Person | None:
        row = self.db.execute("SELECT id FROM people WHERE id_number = ?", [id_number]).fetchone()
        return self.person(row[0]) if row else None

    def _people_where(self, filter: PeopleFilter) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        text = filter.text.strip()
        if text:
            if text.isascii() and text.isalpha():
                # Initials (wjg) or whole syllables (wang, wangjian).
                clauses.append("(p.name_initials LIKE ? OR p.name_pinyin LIKE ?)")
                params += [text.lower() + "%"] * 2
            elif text[:1].isdigit():
                clauses.append("p.id_number LIKE ?")
                params.append(f"%{text.upper()}%")
            else:
                clauses.append("p.name LIKE ?")
                params.append(f"%{text}%")
        if filter.hardship_only:
            clauses.append(f"p.hardship_status IN {ACTIVE_HARDSHIP_SQL}")
        if filter.enterprise_id is not None:
            clauses.append("p.enterprise_id = ?")
            params.append(filter.enterprise_id)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count_people(self, filter: PeopleFilter = PeopleFilter()) -> int:
        where, params = self._people_where(filter)
        return self.db.execute(f"SELECT count(*) FROM people p{where}", params).fetchone()[0]

    def people(
        self,
        filter: PeopleFilter = PeopleFilter(),
        order: str = "name",
        descending: bool = False,
        offset: int = 0,
        limit: int = 200,
    ) -> list[Person]:
        where, params = self._people_where(filter)
        order_sql = PEOPLE_ORDER.get(order, PEOPLE_ORDER["name"])
        if descending:
            order_sql = ", ".join(f"{part} DESC" for part in order_sql.split(", "))
        rows = self._rows(
            "SELECT p.*, e.name AS enterprise_name FROM people p"
            f" LEFT JOIN enterprises e ON e.id = p.enterprise_id{where}"
            f" ORDER BY {order_sql} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_person(r) for r in rows]

    def reviews_due(self, until: date, limit: int = 100) -> list[Person]:
        rows = self._rows(
            "SELECT p.*, e.name AS enterprise_name FROM people p"
            " LEFT JOIN enterprises e ON e.id = p.enterprise_id"
            f" WHERE p.hardship_status IN {ACTIVE_HARDSHIP_SQL} AND p.hardship_review_due <= ?"
            " ORDER BY p.hardship_review_due LIMIT ?",
            [until.isoformat(), limit],
        )
        return [_person(r) for r in rows]

    def count_reviews_due(self, until: date) -> int:
        return self.db.execute(
            f"SELECT count(*) FROM people WHERE hardship_status IN {ACTIVE_HARDSHIP_SQL}"
            " AND hardship_review_due <= ?",
            [until.isoformat()],
        ).fetchone()[0]

    # --- enterprises -------------------------------------------------------------------------

    def add_enterprise(self, values: dict[str, Any], actor: str, now: datetime) -> int:
        with self.db.atomic():
            if values.get("credit_code"):
                self._check_unique_credit_code(values["credit_code"], None)
            row = {k: _db_value(values.get(k)) for k in ENTERPRISE_COLUMNS if k in values}
            row["name_initials"], row["name_pinyin"] = pinyin_keys(values["name"])
            row["created_at"] = row["updated_at"] = now.isoformat(timespec="seconds")
            cursor = self.db.execute(
                f"INSERT INTO enterprises ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                list(row.values()),
            )
            enterprise_id = cursor.lastrowid
            self.db.report(Changes.of(enterprises=[enterprise_id]))
            audit.record(
                self.db, at=now, actor=actor, entity="enterprise", entity_id=enterprise_id,
                action="新增单位", new=values["name"],
            )  # fmt: skip
        return enterprise_id

    def update_enterprise(self, enterprise_id: int, values: dict[str, Any], actor: str, now):
        with self.db.atomic():
            old = self._rows("SELECT * FROM enterprises WHERE id = ?", [enterprise_id])
            if not old:
                raise RecordError("id", f"找不到编号为 {enterprise_id} 的单位。")
            if values.get("credit_code"):
                self._check_unique_credit_code(values["credit_code"], enterprise_id)
            new = {k: _db_value(v) for k, v in values.items() if k in ENTERPRISE_COLUMNS}
            changed = audit.record_changes(
                self.db, at=now, actor=actor, entity="enterprise", entity_id=enterprise_id,
                old=old[0], new=new,
            )  # fmt: skip
            if not changed:
                return
            if "name" in new:
                new["name_initials"], new["name_pinyin"] = pinyin_keys(new["name"])
            new["updated_at"] = now.isoformat(timespec="seconds")
            assignments = ", ".join(f"{k} = ?" for k in new)
            self.db.execute(
                f"UPDATE enterprises SET {assignments} WHERE id = ?", [*new.values(), enterprise_id]
            )
            self.db.report(Changes.of(enterprises=[enterprise_id]))

    def _check_unique_credit_code(self, code: str, own_id: int | None) -> None:
        row = self.db.execute(
            "SELECT id, name FROM enterprises WHERE credit_code = ?", [code]
        ).fetchone()
        if row and row[0] != own_id:
            raise RecordError("credit_code", f"统一社会信用代码已登记为单位“{row[1]}”。")

    def enterprise(self, enterprise_id: int) -> Enterprise | None:
        rows = self._rows("SELECT * FROM enterprises WHERE id = ?", [enterprise_id])
        return _enterprise(rows[0]) if rows else None

    def enterprise_named(self, name: str) -> Enterprise | None:
        """The registered enterprise of exactly this name (the first registered, if two are)."""
        rows = self._rows("SELECT * FROM enterprises WHERE name = ? ORDER BY id LIMIT 1", [name])
        return _enterprise(rows[0]) if rows else None

    def enterprises(self, text: str = "", offset: int = 0, limit: int = 500) -> list[Enterprise]:
        where, params = "", []
        if text.strip():
            # Firm names start with a place or a brand, so pinyin may match anywhere in them.
            where = " WHERE name LIKE ? OR name_initials LIKE ? OR name_pinyin LIKE ?"
            params = [f"%{text.strip()}%", *[f"%{text.strip().lower()}%"] * 2]
        rows = self._rows(
            f"SELECT * FROM enterprises{where} ORDER BY name_pinyin, id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return [_enterprise(r) for r in rows]

    def count_enterprises(self, text: str = "") -> int:
        if text.strip():
            return self.db.execute(
                "SELECT count(*) FROM enterprises"
                " WHERE name LIKE ? OR name_initials LIKE ? OR name_pinyin LIKE ?",
                [f"%{text.strip()}%", *[f"%{text.strip().lower()}%"] * 2],
            ).fetchone()[0]
        return self.db.execute("SELECT count(*) FROM enterprises").fetchone()[0]
