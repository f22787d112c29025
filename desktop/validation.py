"""Checks on what people type, with messages that say what is wrong and how to fix it."""

from __future__ import annotations

MAX_PERSON_NAME_LENGTH = 20


def clean_person_name(text: str) -> str:
    """A person's name as typed, tidied; raise ValueError with a Chinese message if unusable.

    An empty result is allowed: it means "nobody named yet".
    """
    name = " ".join(str(text or "").split())
    if len(name) > MAX_PERSON_NAME_LENGTH:
        raise ValueError(
            f"姓名太长（{len(name)} 个字），最多 {MAX_PERSON_NAME_LENGTH} 个字。"
            "请只填写负责人的姓名。"
        )
    if any(ch.isdigit() for ch in name):
        raise ValueError(f"姓名“{name}”里有数字，请只填写姓名；电话等信息请记在别处。")
    return name
