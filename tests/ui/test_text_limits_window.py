"""The window mirrors the limits the domain sets; it never has a limit of its own."""

from __future__ import annotations

import pytest

from desktop.book.procedures import DEFAULT_TEXT_LENGTHS, FieldSpec
from desktop.office import OFFICE_NAME_LIMIT
from desktop.registry import ENTERPRISE_TEXT_LIMITS, PERSON_TEXT_LIMITS
from desktop.ui.field_editor import FieldEditor
from desktop.ui.record_dialogs import EnterpriseDialog, PersonDialog
from desktop.ui.start_office_dialog import StartOfficeDialog
from desktop.validation import MAX_PERSON_NAME_LENGTH


@pytest.mark.parametrize(
    ("spec", "limit"),
    [
        (FieldSpec("place", "会议地点", "text"), DEFAULT_TEXT_LENGTHS["text"]),
        (FieldSpec("notice_no", "录取通知书编号", "text", max_length=30), 30),
        (FieldSpec("visitor", "调查人", "name"), MAX_PERSON_NAME_LENGTH),
    ],
)
def test_a_step_field_editor_holds_what_the_field_allows(qtbot, office, spec, limit):
    editor = FieldEditor(spec, None, office)
    qtbot.addWidget(editor)
    assert editor.input.maxLength() == spec.length_limit == limit


def test_a_value_saved_under_an_earlier_rule_is_not_cut_by_the_editor(qtbot, office):
    spec = FieldSpec("place", "会议地点", "text")
    saved = "地" * (spec.length_limit + 10)
    editor = FieldEditor(spec, saved, office)
    qtbot.addWidget(editor)
    assert editor.raw() == saved


def test_the_record_dialogs_hold_what_the_records_allow(qtbot, office):
    person = PersonDialog(office)
    qtbot.addWidget(person)
    assert person.name_edit.maxLength() == PERSON_TEXT_LIMITS["name"] == MAX_PERSON_NAME_LENGTH
    assert person.union_edit.maxLength() == PERSON_TEXT_LIMITS["union_name"]
    enterprise = EnterpriseDialog(office)
    qtbot.addWidget(enterprise)
    assert enterprise.name_edit.maxLength() == ENTERPRISE_TEXT_LIMITS["name"]
    assert enterprise.address_edit.maxLength() == ENTERPRISE_TEXT_LIMITS["address"]
    assert enterprise.contact_edit.maxLength() == MAX_PERSON_NAME_LENGTH


def test_the_office_name_box_holds_what_prints(qtbot):
    dialog = StartOfficeDialog()
    qtbot.addWidget(dialog)
    assert dialog.name_edit.maxLength() == OFFICE_NAME_LIMIT
