"""Limits below the window: whatever types, pastes or scripts text into a case meets the same
length limits and the same refusal of characters nobody can see."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import pytest

from desktop.book.loader import BookError, load_book
from desktop.cases.fields import NOTE_LIMIT
from desktop.cases.records import CaseFilter
from desktop.cases.service import CaseError, FieldErrors
from desktop.identity import make_id_number
from desktop.office import Office
from desktop.paths import default_book_dir
from desktop.registry import clean_person

NOW = datetime(2026, 3, 2, 9, 0)
CLERK = "李红梅"
# A real Uyghur name in Chinese, 40 characters with its middle dots (given name, father's
# name and grandfather's name, each written out).
UYGHUR_NAME = "阿卜杜热合曼·阿卜杜热西提·艾合买提江·吐尔逊托合提·买买提依明·阿卜杜克里木江"
assert len(UYGHUR_NAME) == 40


@pytest.fixture
def aid_office(tmp_path):
    """The shipped book in a data folder, with one worker and an open hardship-aid case."""
    with Office.open(tmp_path / "data") as office:
        office.cases.clock = lambda: NOW
        office.staff.add(CLERK, "工会专干")
        values = clean_person(
            {"name": "张秀英", "id_number": make_id_number("620102", date(1980, 5, 6), 1)},
            NOW.date(),
        )
        person = office.registry.add_person(values, CLERK, NOW)
        office.case = office.cases.open_case("BF-01", CLERK, person_id=person)
        yield office


def saved(office, step_id="application"):
    return office.cases.view(office.case.id).state.record(step_id)


def test_a_million_character_reason_is_refused_with_its_length_and_nothing_is_saved(aid_office):
    with pytest.raises(FieldErrors) as refused:
        aid_office.cases.save_step(
            aid_office.case.id, "application", CLERK, {"reason": "困" * 10**6}
        )
    message = refused.value.errors["reason"]
    assert message.startswith("申请事由太长（1000000 个字），最多 250 个字")
    assert "reason" not in saved(aid_office).values


def test_a_reason_at_the_limit_is_kept_whole(aid_office):
    reason = "家庭主要劳动力患病，" * 25
    assert len(reason) == 250
    aid_office.cases.save_step(aid_office.case.id, "application", CLERK, {"reason": reason})
    assert saved(aid_office).values["reason"] == reason


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        # A zero-width space and a direction override pasted from a chat program go quietly.
        ("因病\u200b致困\u202e", "因病致困"),
        # Windows line ends become one kind; blank lines at the ends go.
        ("第一行\r\n第二行\r\n\r\n", "第一行\n第二行"),
    ],
)
def test_invisible_characters_leave_free_text(aid_office, typed, kept):
    aid_office.cases.save_step(aid_office.case.id, "application", CLERK, {"reason": typed})
    assert saved(aid_office).values["reason"] == kept


def test_a_control_character_is_refused_naming_where_it_is(aid_office):
    with pytest.raises(FieldErrors) as refused:
        aid_office.cases.save_step(
            aid_office.case.id,
            "application",
            CLERK,
            {"reason": "因病\x1b[31m致困"},
            note="备\x07注",
        )
    assert "申请事由的第 3 个字符是看不见的控制字符 U+001B" in refused.value.errors["reason"]
    assert "备注的第 2 个字符是看不见的控制字符 U+0007" in refused.value.errors["note"]


def test_the_note_log_and_termination_reason_have_limits(aid_office):
    case_id = aid_office.case.id
    with pytest.raises(FieldErrors) as refused:
        aid_office.cases.save_step(case_id, "application", CLERK, note="注" * (NOTE_LIMIT + 1))
    assert f"最多 {NOTE_LIMIT} 个字" in refused.value.errors["note"]
    with pytest.raises(CaseError, match="终止办理的原因太长"):
        aid_office.cases.terminate(case_id, "撤" * 10**6, CLERK)
    assert aid_office.cases.view(case_id).row.status == "open"


def test_a_name_field_keeps_a_long_minority_name_and_refuses_a_hidden_character(aid_office):
    case = aid_office.cases.open_case("BF-03", CLERK, person_id=aid_office.case.person_id)
    aid_office.cases.save_step(
        case.id, "application", CLERK, {"student_name": UYGHUR_NAME.replace("·", "•")}
    )
    record = aid_office.cases.view(case.id).state.record("application")
    assert record.values["student_name"] == UYGHUR_NAME  # the dot in one form
    with pytest.raises(FieldErrors) as refused:
        aid_office.cases.save_step(case.id, "application", CLERK, {"student_name": "古丽\u200b娜"})
    assert "学生姓名的第 3 个字符是看不见的字符 U+200B" in refused.value.errors["student_name"]


def test_a_value_saved_under_an_earlier_rule_is_kept_when_saved_again_unchanged(aid_office):
    case_id = aid_office.case.id
    long_ago = "旧" * 300  # longer than the 250 the form now allows
    aid_office.cases.repo.db.execute(
        "UPDATE case_steps SET field_values = json_set(field_values, '$.reason', ?)"
        " WHERE case_id = ? AND step_id = 'application'",
        [long_ago, case_id],
    )
    aid_office.cases.save_step(
        case_id, "application", CLERK, {"reason": long_ago, "household_size": "3"}
    )
    values = saved(aid_office).values
    assert values["reason"] == long_ago and values["household_size"] == 3
    with pytest.raises(FieldErrors):
        aid_office.cases.save_step(case_id, "application", CLERK, {"reason": long_ago + "新"})


def test_the_repeat_reason_is_cleaned_before_anything_is_written(aid_office):
    with pytest.raises(CaseError, match="同年再次办理的理由太长"):
        aid_office.cases.open_case(
            "BF-01", CLERK, person_id=aid_office.case.person_id, repeat_reason="理" * 51
        )
    assert aid_office.cases.count_cases(CaseFilter()) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("max_length = 1000000", "max_length 应在 1 到 2000 之间"),
        ("max_length = 0", "max_length 应在 1 到 2000 之间"),
    ],
)
def test_a_procedure_cannot_declare_a_box_larger_than_the_ceiling(tmp_path, line, message):
    book = tmp_path / "book"
    shutil.copytree(default_book_dir(), book)
    path = book / "procedures" / "hardship_aid.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("max_length = 250", line), encoding="utf-8"
    )
    with pytest.raises(BookError) as refused:
        load_book(book)
    assert message in str(refused.value)
    assert "hardship_aid.toml" in str(refused.value)


@pytest.mark.parametrize(
    ("field_type", "typed"), [("money", "10\u200b00"), ("date", "2026-03\u200b-01")]
)
def test_a_hidden_character_in_a_sum_or_a_date_is_named(field_type, typed):
    # Around the value it is only tidied away; inside, it is named.
    from desktop.book.procedures import FieldSpec
    from desktop.cases.fields import FieldError, clean_field_value

    with pytest.raises(FieldError) as refused:
        clean_field_value(FieldSpec("x", "核定金额", field_type), typed)
    assert str(refused.value).startswith("核定金额里有看不见的字符 U+200B（ZERO WIDTH SPACE）")
