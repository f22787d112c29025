"""Workers' and firms' records, the office's name and the checklist's responsible person take
text with the same limits and the same refusals, whoever types it."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.registry import RecordError, clean_enterprise, clean_person
from desktop.validation import TextError

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("clean", "raw", "field", "said"),
    [
        (
            clean_person,
            {"union_name": "工" * 41},
            "union_name",
            "所在工会太长（41 个字），最多 40 个字",
        ),
        (clean_person, {"name": "张\u200b三"}, "name", "第 2 个字符是看不见的字符 U+200B"),
        (
            clean_enterprise,
            {"name": "厂" * 10**6},
            "name",
            "单位名称太长（1000000 个字），最多 60 个字",
        ),
        (
            clean_enterprise,
            {"address": "示例镇\x1b[31m1号"},
            "address",
            "第 4 个字符是看不见的控制字符",
        ),
        (
            clean_enterprise,
            {"contact": "王经理13800001111"},
            "contact",
            "联系人“王经理13800001111”里有数字",
        ),
    ],
)
def test_record_text_is_refused_naming_the_field(clean, raw, field, said):
    with pytest.raises(RecordError) as refused:
        clean(raw, TODAY)
    assert refused.value.field == field and said in str(refused.value)


def test_record_text_is_tidied():
    assert clean_enterprise(
        {
            "name": "示例\u200b机械厂",
            "address": "  示例镇  解放路 1 号 ",
            "contact": "阿依古丽・买买提",
        },
        TODAY,
    ) == {"name": "示例机械厂", "address": "示例镇 解放路 1 号", "contact": "阿依古丽·买买提"}


def test_the_responsible_person_is_a_name(office):
    name = "阿卜杜热合曼·阿卜杜热西提·艾合买提江·吐尔逊托合提·买买提依明·阿卜杜克里木江"
    assert office.set_responsible_person("BF-01", name) == name
    with pytest.raises(TextError, match="责任人的第 3 个字符是看不见的字符"):
        office.set_responsible_person("BF-01", "李红\u200b梅")
    (item,) = [i for i in office.book.service_items() if i.id == "BF-01"]
    assert item.responsible_person == name


def test_the_office_name_fits_the_forms(office):
    with pytest.raises(ValueError, match="单位名称太长（22 个字），最多 20 个字"):
        office.set_name("新疆维吾尔自治区阿克苏地区库车市齐满镇总工会")
    assert office.set_name("  库车市齐满镇\u200b总工会 ") == "库车市齐满镇总工会"
