"""The demo office: a made-up township union to explore UnionDesk with, never a real one."""

from __future__ import annotations

from desktop.office import IS_DEMO, OFFICE_NAME, Office

DEMO_OFFICE_NAME = "示例镇总工会"

# Made-up staff, one per role the checklist names; the office replaces them with its own.
DEMO_STAFF_BY_ROLE = {
    "工会主席": "王建国",
    "工会专干": "李红梅",
    "经审委员": "赵立新",
    "女职工委员": "孙秀兰",
    "财务人员": "周静",
    "法律援助律师": "陈志远",
}
DEMO_STAFF_FALLBACK = "李红梅"


class OfficeNotEmptyError(Exception):
    pass


def fill_demo_office(office: Office) -> None:
    """Give an empty office the demo name and staff; refuse one that holds real data."""
    if office.settings.has_office_data():
        raise OfficeNotEmptyError(
            "这个数据文件夹里已经有办公数据，演示数据只能放进空的数据文件夹。"
            "请用 --data-dir 指定一个新的文件夹。"
        )
    with office.db.atomic():
        office.settings.set_many({OFFICE_NAME: DEMO_OFFICE_NAME, IS_DEMO: "1"})
        for item in office.book.service_items():
            person = DEMO_STAFF_BY_ROLE.get(item.responsible_role, DEMO_STAFF_FALLBACK)
            office.book.set_responsible_person(item.id, person)
