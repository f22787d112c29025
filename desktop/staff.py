"""The office's staff: who works here, in which post, and what each may sign.

A post (岗位) is what a person is: 工会主席, 工会专干. A role (角色) is what the office lets them
act as on a case: 经办 (prepare and record), 审核 (review) and 审批 (approve). The office decides
who holds which; the chair approves. An approval step names the role it needs, and only a
registered staff member holding it may give the approval, never the person who prepared the
decision under review. Approvals by the county union (上级工会) come from outside the office:
they are recorded as external, with the official's name and unit and the scanned signed page.

Passwords are optional, per person. When a person has one, becoming the operator at this desk
asks for it; it is kept only as a memory-hard hash (scrypt), never as the password itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desktop.validation import TextError, clean_person_name, clean_text, name_key

if TYPE_CHECKING:
    from desktop.store.staff_repo import StaffRepository

HANDLE, REVIEW, APPROVE = "经办", "审核", "审批"
ROLES = (HANDLE, REVIEW, APPROVE)
ROLE_MEANINGS = {
    HANDLE: "受理、办理、登记各步骤",
    REVIEW: "审核（如经费审查委员的审查）",
    APPROVE: "审批（一般是工会主席）",
}
CHAIR = "工会主席"
POSTS = (CHAIR, "工会副主席", "工会专干", "经费审查委员", "女职工委员", "财务人员")
# What a new staff member of a post may do until the office decides otherwise.
DEFAULT_ROLES = {
    CHAIR: (APPROVE, REVIEW),
    "工会副主席": (REVIEW,),
    "经费审查委员": (REVIEW,),
}
# The approvals a step asks of the higher union come from outside the office.
HIGHER_UNION = "上级工会"
MAX_POST_LENGTH = 20
MAX_UNIT_LENGTH = 40
MIN_PASSWORD_LENGTH = 6
MAX_PASSWORD_LENGTH = 128

# scrypt at 2^14 × 8 uses 16 MB and about 50 ms per check: slow for a guesser with a stolen
# file, unnoticeable for a person switching the operator.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class StaffError(ValueError):
    """A staff entry or an act by staff is not allowed; the message says why and what to do."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    post: str
    roles: frozenset[str]
    active: bool = True
    has_password: bool = False

    def holds(self, role: str) -> bool:
        return role in self.roles

    @property
    def label(self) -> str:
        return f"{self.name}（{self.post}）"

    @property
    def role_list(self) -> list[str]:
        """The roles held, in the order 经办, 审核, 审批."""
        return [role for role in ROLES if role in self.roles]

    @property
    def roles_text(self) -> str:
        return roles_text(self.roles)


@dataclass(frozen=True)
class ExternalApprover:
    """An official of the higher union whose signed decision the office records."""

    name: str
    unit: str


def roles_text(roles: Iterable[str]) -> str:
    chosen = [role for role in ROLES if role in set(roles)]
    return "、".join(chosen) if chosen else "（无）"


def default_roles(post: str) -> frozenset[str]:
    return frozenset(DEFAULT_ROLES.get(post, (HANDLE,)))


def clean_staff(
    name: object, post: object, roles: Iterable[str] | None = None
) -> tuple[str, str, frozenset[str]]:
    """A staff member's name, post and roles, as recorded on every step and approval they sign.

    ``roles`` None takes the post's defaults."""
    try:
        cleaned = clean_person_name(name, what="工作人员姓名")
    except TextError as error:
        raise StaffError("name", str(error)) from error
    if not cleaned:
        raise StaffError("name", "请填写工作人员的姓名。")
    try:
        post_text = clean_text(post, what="岗位名称", limit=MAX_POST_LENGTH)
    except TextError as error:
        raise StaffError("post", f"{error}例如 工会专干。") from error
    if not post_text:
        raise StaffError("post", f"请填写{cleaned}的岗位，例如 工会主席 或 工会专干。")
    if post_text == HIGHER_UNION:
        raise StaffError(
            "post", "上级工会的同志不是本单位工作人员：上级工会的审批在审批时作为外部审批登记。"
        )
    chosen = default_roles(post_text) if roles is None else frozenset(roles)
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        raise StaffError("roles", f"角色“{'、'.join(unknown)}”不对，只能是 {'、'.join(ROLES)}。")
    return cleaned, post_text, chosen


def clean_external_approver(name: object, unit: object) -> ExternalApprover:
    try:
        cleaned = clean_person_name(name, what="上级工会审批人姓名")
        unit_text = clean_text(unit, what="审批单位", limit=MAX_UNIT_LENGTH)
    except TextError as error:
        raise StaffError("external", str(error)) from error
    if not cleaned:
        raise StaffError("external", "请填写上级工会审批人的姓名（签字页上的签名）。")
    if not unit_text:
        raise StaffError("external", "请填写审批单位，例如 某某县总工会。")
    return ExternalApprover(cleaned, unit_text)


def responsible_for(post: str, members: Iterable[Staff]) -> Staff | None:
    """Who answers for a service item whose book names ``post`` as its responsible post (服务清单
    责任岗位): the first active staff member registered in that post. The chair's items, in an
    office whose chair is registered under another post title, go to the first who approves.
    None when nobody fits: the item waits for the clerk to name someone."""
    active = [member for member in members if member.active]
    for member in active:
        if member.post == post:
            return member
    if post == CHAIR:
        return next((member for member in active if member.holds(APPROVE)), None)
    return None


def same_person(a: str, b: str) -> bool:
    """Whether two recorded names name the same person: compared after Unicode normalisation,
    without blanks and invisible characters, so 王建国 and 王建国\u200b are one person."""
    return bool(a and b) and name_key(a) == name_key(b)


# --- passwords ---------------------------------------------------------------------------------


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError("password", f"密码至少 {MIN_PASSWORD_LENGTH} 位，请换一个长一些的。")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StaffError("password", f"密码最多 {MAX_PASSWORD_LENGTH} 位。")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A self-describing scrypt hash: scrypt$n$r$p$salt$digest (hex)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        computed = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


# --- the office's rules for its staff ----------------------------------------------------------


class StaffService:
    """Registering staff and giving them roles and passwords, by the office's rules.

    Once somebody at the office may approve, only an approver may give anyone the review or
    approval role, change a person's roles or take a person off the list: otherwise a clerk
    could make themselves an approver. The office always keeps at least one approver.
    """

    def __init__(
        self,
        repo: StaffRepository,
        operator_name: Callable[[], str],
        after_post_change: Callable[[datetime], object] | None = None,
    ):
        self.repo = repo
        self._operator_name = operator_name
        # Run in the same transaction after someone is registered in a post or moved to another
        # (the office gives them the service items of their post that nobody answers for).
        self._after_post_change = after_post_change or (lambda _now: None)

    # --- reading ---------------------------------------------------------------------------

    def members(self, include_inactive: bool = False) -> list[Staff]:
        return self.repo.staff(include_inactive)

    def member(self, staff_id: int) -> Staff | None:
        return self.repo.member(staff_id)

    def by_name(self, name: str) -> Staff | None:
        return self.repo.by_name(name)

    def holding(self, role: str) -> list[Staff]:
        """Active staff who may act in ``role``: the approvers a step may ask."""
        return [member for member in self.members() if member.holds(role)]

    def operator(self) -> Staff | None:
        """The staff member at this desk, if the operator is a registered, active one."""
        member = self.by_name(self._operator_name())
        return member if member is not None and member.active else None

    # --- changing --------------------------------------------------------------------------

    def add(
        self, name: object, post: object, roles: Iterable[str] | None = None,
        now: datetime | None = None,
    ) -> Staff:  # fmt: skip
        name, post, chosen = clean_staff(name, post, roles)
        if chosen - {HANDLE}:
            self._check_may_grant(f"给{name}{roles_text(chosen - {HANDLE})}的角色")
        now = now or datetime.now()
        with self.repo.db.atomic():
            member = self.repo.add(name, post, chosen, self._actor(), now)
            self._after_post_change(now)
        return member

    def update(
        self, staff_id: int, post: object, roles: Iterable[str], now: datetime | None = None
    ) -> None:
        member = self._existing(staff_id)
        _name, post, chosen = clean_staff(member.name, post, roles)
        if chosen == member.roles and post == member.post:
            return
        self._check_may_grant(f"修改{member.name}的岗位和角色")
        if member.holds(APPROVE) and APPROVE not in chosen:
            self._check_keeps_an_approver(member, f"取消{member.name}的审批角色")
        now = now or datetime.now()
        with self.repo.db.atomic():
            self.repo.update(staff_id, post, chosen, self._actor(), now)
            if post != member.post:
                self._after_post_change(now)

    def deactivate(self, staff_id: int, now: datetime | None = None) -> None:
        self.check_may_deactivate(staff_id)
        self.repo.deactivate(staff_id, self._actor(), now or datetime.now())

    def check_may_deactivate(self, staff_id: int) -> None:
        """Raise StaffError saying why this person cannot be taken off the list now."""
        member = self._existing(staff_id)
        operator = self.operator()
        if operator is not None and operator.id == staff_id:
            raise StaffError(
                "name", f"{member.name}是当前经办人，请先把别人设为当前经办人，再停用。"
            )
        self._check_may_grant(f"停用{member.name}")
        if member.holds(APPROVE):
            self._check_keeps_an_approver(member, f"停用{member.name}")

    def set_password(
        self, staff_id: int, new: str, old: str = "", now: datetime | None = None
    ) -> None:
        """Set, change or (``new`` empty) remove a person's password; only they may, at the
        desk as the operator, and a password already set must be given first."""
        member = self._existing(staff_id)
        operator = self.operator()
        if operator is None or operator.id != staff_id:
            raise StaffError(
                "password", f"只有{member.name}本人可以设置自己的密码：请先把{member.name}"
                "设为当前经办人。",
            )  # fmt: skip
        if member.has_password and not self.password_matches(staff_id, old):
            raise StaffError("password", "原密码不对，请重新输入。")
        if new:
            check_new_password(new)
        stored = hash_password(new) if new else None
        self.repo.set_password_hash(staff_id, stored, self._actor(), now or datetime.now())

    def clear_password(
        self, staff_id: int, by_command_line: bool = False, now: datetime | None = None
    ) -> None:
        """Remove a forgotten password: an approver at the desk may, or anyone with the data
        folder at the command line (who could change the file anyway); both are audited."""
        member = self._existing(staff_id)
        if not by_command_line:
            operator = self.operator()
            if operator is None or (operator.id != staff_id and not operator.holds(APPROVE)):
                raise StaffError(
                    "password", f"清除{member.name}的密码，须由本人或有审批角色的人员操作。"
                )
        actor = self._actor() if not by_command_line else "命令行"
        self.repo.set_password_hash(staff_id, None, actor, now or datetime.now())

    def password_matches(self, staff_id: int, password: str) -> bool:
        stored = self.repo.password_hash(staff_id)
        return stored is not None and password_matches(password, stored)

    def check_may_operate(self, staff_id: int, password: str = "") -> Staff:
        """Whether this person may become the operator at this desk (their password, if they
        have one); returns them, or raises StaffError saying why not."""
        member = self._existing(staff_id)
        if not member.active:
            raise StaffError("name", f"{member.name}已停用，不能作为当前经办人。")
        if member.has_password and not self.password_matches(staff_id, password):
            raise StaffError(
                "password",
                f"{member.name}的密码不对，请重新输入。忘记密码时，请有审批角色的同事在"
                "“工作人员”里清除密码，或在命令行运行 uniondesk staff clear-password "
                f"{member.name}（都记入办理记录）。",
            )
        return member

    # --- rules -----------------------------------------------------------------------------

    def _actor(self) -> str:
        return self._operator_name() or "系统"

    def _existing(self, staff_id: int) -> Staff:
        member = self.member(staff_id)
        if member is None:
            raise StaffError("name", "没有这位工作人员，可能已被别处删除，请关闭后重新打开。")
        return member

    def _check_may_grant(self, what: str) -> None:
        approvers = self.holding(APPROVE)
        operator = self.operator()
        if approvers and (operator is None or not operator.holds(APPROVE)):
            names = "、".join(member.name for member in approvers)
            raise StaffError(
                "roles",
                f"{what}，须由有审批角色的人员（{names}）作为当前经办人操作。",
            )

    def _check_keeps_an_approver(self, member: Staff, what: str) -> None:
        if not [other for other in self.holding(APPROVE) if other.id != member.id]:
            raise StaffError(
                "roles",
                f"不能{what}：本单位至少要有一位有审批角色的工作人员（一般是工会主席）。"
                "请先给另一位人员审批角色。",
            )
