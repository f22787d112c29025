"""A worker's 工作单位 typed for a firm the office has not registered: kept, shown and printed."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from desktop.identity import make_id_number
from desktop.office import Office
from desktop.printing.jobs import case_source
from desktop.printing.office_forms import office_forms
from desktop.printing.render import render_to_bytes
from desktop.registry import RecordError, clean_person

CLERK = "李红梅"
NOW = datetime(2026, 3, 2, 9, 0)
FIRM = "示例恒通机械有限公司"


@pytest.fixture
def office():
    with Office.open(None) as office:
        office.cases.clock = lambda: NOW
        office.set_up("城关镇总工会", [(CLERK, "工会专干"), ("王建国", "工会主席")], NOW)
        yield office


def typed(employer: str, sequence: int = 11) -> dict:
    return clean_person(
        {
            "name": "张秀英",
            "id_number": make_id_number("620102", date(1978, 4, 9), sequence),
            "enterprise_id": None,
            "employer_name": employer,
        },
        NOW.date(),
    )


# Kept as typed (the clerk chose not to register it), the 工作单位 prints on the aid application.
def test_an_unregistered_employer_is_kept_and_printed_on_the_aid_application(office, read_pdf):
    person_id = office.save_person(typed(f" {FIRM}\u200b "))
    person = office.registry.person(person_id)
    assert (person.enterprise_id, person.enterprise_name) == (None, FIRM)
    assert office.registry.count_enterprises() == 0
    number = office.cases.open_case("BF-01", CLERK, person_id=person_id).number
    form = office_forms(office).forms["aid_application"]
    source = case_source(office, form, office.cases.case_id(number))
    content, _ = render_to_bytes(form, source.build(False), "bundled_song")
    text = re.sub(r"\s+", "", read_pdf(content).text(1))
    assert f"工作单位{FIRM}" in text


# Registered on the way (name only: the credit code is filled in when known), it is linked.
def test_registering_the_typed_employer_links_the_new_enterprise(office):
    person_id = office.save_person(typed(FIRM), register_employer=True)
    (firm,) = office.registry.enterprises()
    assert (firm.name, firm.credit_code) == (FIRM, "")
    person = office.registry.person(person_id)
    assert (person.enterprise_id, person.employer_name, person.enterprise_name) == (
        firm.id, "", FIRM
    )  # fmt: skip
    # Typed again for another worker, the registered name links without asking to register.
    other = office.registry.person(office.save_person(typed(FIRM, 13)))
    assert other.enterprise_id == firm.id and office.registry.count_enterprises() == 1


# Choosing a registered enterprise later replaces the typed name: one workplace, not two.
def test_a_workplace_is_either_a_registered_enterprise_or_a_typed_name(office):
    person_id = office.save_person(typed("老厂"))
    firm_id = office.save_person(typed(FIRM, 13), register_employer=True)
    firm = office.registry.person(firm_id).enterprise_id
    office.save_person(clean_person({"enterprise_id": firm, "employer_name": ""}, NOW.date()),
                       person_id)  # fmt: skip
    person = office.registry.person(person_id)
    assert (person.enterprise_id, person.employer_name, person.enterprise_name) == (firm, "", FIRM)
    with pytest.raises(RecordError, match="至少 2 个字") as caught:
        clean_person({"employer_name": "厂"}, NOW.date())
    assert caught.value.field == "employer_name"
