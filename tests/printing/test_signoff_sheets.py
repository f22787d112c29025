"""Sign-off sheets read well at any length: the last page carries rows with its totals, columns
hold their longest values whole, blank amounts show their unit, every signature has room, and
the condolence sheet names the person who receives the money."""

from __future__ import annotations

import re
from io import BytesIO

import pytest

from desktop.printing import PrintData, blank_context, render_pdf
from desktop.printing.boxes import MM, PAD_X
from desktop.printing.context import ROW_CONDITIONS
from desktop.printing.fonts import BUNDLED_SONG, typefaces
from desktop.printing.jobs import case_job
from desktop.printing.layout import SIGN_GAP_MIN, Layout
from desktop.printing.signoff import SignoffLayout

SHEETS = ("aid_payment_signoff", "condolence_signoff")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def rows(count: int, **extra) -> list[dict]:
    return [
        {
            "name": f"职工{i}",
            "id_number": "620102199001011234",
            "amount_fen": 50_000 + i * 137,
            "kind": "生活救助",
            "case_number": f"BF-2026-{i:04d}",
            **extra,
        }
        for i in range(1, count + 1)
    ]


def rows_per_page(result) -> list[int]:
    pages: dict[int, int] = {}
    for record in result.cells:
        if re.fullmatch(r"row\[\d+\]\.name", record.name):
            pages[record.page] = pages.get(record.page, 0) + 1
    return [pages.get(page, 0) for page in range(1, result.pages + 1)]


# Rows per page of both sheets (row height 11 mm, A4): the last page keeps three rows with the
# 合计, the 大写 line, the signatures and the 说明, taken from the page before when they fit.
PAGES = {
    "aid_payment_signoff": {
        1: [1],
        19: [16, 3],
        20: [17, 3],
        21: [18, 3],
        60: [20, 20, 17, 3],
    },
    "condolence_signoff": {
        1: [1],
        19: [16, 3],
        20: [17, 3],
        21: [18, 3],
        60: [19, 20, 18, 3],
    },
}


@pytest.mark.parametrize("form_id", SHEETS)
@pytest.mark.parametrize("count", [1, 19, 20, 21, 60])
def test_the_last_page_carries_at_least_three_rows_with_its_totals(forms, read_pdf, form_id, count):
    form = forms[form_id]
    out = BytesIO()
    result = render_pdf(form, PrintData(rows=rows(count), number="FF-2026-001"), out)
    counts = rows_per_page(result)
    assert counts == PAGES[form_id][count]
    assert sum(counts) == count and counts[-1] >= min(3, count)
    assert all(c >= 3 for c in counts) or count < 3
    # The total, the 大写 line and the signatures are on the last page only, under its rows.
    [total] = [r for r in result.cells if r.name == "total"]
    assert total.page == result.pages
    pdf = read_pdf(out.getvalue())
    signer = form.rows_after[0].cells[0].sign
    for page in range(1, result.pages + 1):
        text = squeeze(pdf.raw_text(page))
        last = page == result.pages
        assert "本页小计" in text
        assert ("合计金额（人民币大写）" in text) == last and (f"{signer}：" in text) == last


def test_a_tall_row_with_a_remark_still_leaves_rows_on_the_last_page(forms):
    # A payment that differs from the approval says why in 备注 (16 characters): the row grows.
    lines = rows(21)
    for line in lines[-4:]:
        line["step.payment.pay_difference_reason"] = "分两次发放，本次为第一次发放金额"
    result = render_pdf(forms["aid_payment_signoff"], PrintData(rows=lines), BytesIO())
    counts = rows_per_page(result)
    assert sum(counts) == 21 and counts[-1] >= 3


def layout_of(form, data) -> SignoffLayout:
    return SignoffLayout(form, data, typefaces(BUNDLED_SONG), False)


def longest_values(demo_office, form_id, procedures_by_id) -> dict[str, list[str]]:
    """Each column's longest values: the demo's, the book's choices, the widest forms."""
    names = [n for (n,) in demo_office.db.execute("SELECT name FROM people").fetchall()]
    longest_name = max(names, key=len)
    masked = "6201**********1234"
    condolence = procedures_by_id["condolence"]
    if form_id == "aid_payment_signoff":
        return {
            "序号": ["60"],
            "案件编号": ["BF-2026-0114"],
            "姓名": [longest_name, "欧阳娜娜"],
            "身份证号码": [masked],
            # The kinds that are paid (training and job help is referred, never paid).
            "救助类别": ["生活救助", "医疗救助", "金秋助学"],
            "金额（元）": ["100,000.00"],
        }
    # Who signed, as recorded at either payment step: a relative of the deceased, or a proxy.
    relations = {
        choice
        for step_id in ("pay_funeral", "pay_general")
        for f in condolence.step(step_id).fields
        if f.id in ("recipient_relation", "receiver_relation", "funeral_receiver_relation")
        for choice in f.choices
    }
    [kinds] = [f.choices for f in condolence.step("register").fields if f.id == "condolence_type"]
    return {
        "序号": ["60"],
        "会员姓名": [longest_name],
        "慰问类别": list(kinds),
        "受领人": [longest_name],
        "关系": [*relations, "本人"],
        "受领人身份证号码": [masked],
        "金额（元）": ["100,000.00"],
    }


@pytest.mark.parametrize("form_id", SHEETS)
def test_columns_hold_their_longest_values_whole(demo_office, forms, form_id):
    from desktop.book.loader import load_book
    from desktop.paths import default_book_dir

    procedures = {p.id: p for p in load_book(default_book_dir()).procedures}
    form = forms[form_id]
    fonts = typefaces(BUNDLED_SONG).body
    columns = {c.title: c for c in form.table.columns}
    for title, values in longest_values(demo_office, form_id, procedures).items():
        room = columns[title].width * MM - 2 * PAD_X
        for value in values:
            # On one line and at full size: not broken (会员本人去/世) nor set smaller.
            assert fonts.width(value, form.page.font_size) <= room, (form_id, title, value)


def test_blank_amounts_show_their_unit_and_the_capitals_line(forms, read_pdf):
    form = forms["aid_payment_signoff"]
    out = BytesIO()
    render_pdf(form, blank_context(form), out)
    text = squeeze(read_pdf(out.getvalue()).text(1))
    assert "本页小计元" in text and "合计元" in text
    assert "合计金额（人民币大写）：（小写）￥元" in text
    data = layout_of(form, blank_context(form))
    data.paginate()
    money = [c.title for c in form.table.columns].index("金额（元）")
    first = data.table_row(1, None).cells[money].body
    assert first.lines == ["元"] and first.align == "right"


def sign_cells(form):
    layout = (SignoffLayout if form.kind == "signoff" else Layout)(
        form, blank_context(form), typefaces(BUNDLED_SONG), False
    )
    for row in (*form.rows, *form.rows_after):
        for placed in layout.grid_row(row):
            for cell in placed.cells:
                if cell.sign:
                    yield layout, cell


def test_every_signature_has_room_to_sign_by_hand(forms):
    fonts = typefaces(BUNDLED_SONG).body
    checked = 0
    for form in forms.values():
        for layout, cell in sign_cells(form):
            width = cell.x1 - cell.x0 - 2 * PAD_X
            size = layout.size
            for text, how in cell.sign:
                if how == "sign":  # label and date on one line, the signature between them
                    label, date = text.split("\t")
                    gap = width - fonts.width(label, size) - fonts.width(date, size)
                    assert gap >= SIGN_GAP_MIN - 0.01, (form.id, text)
                elif how == "left":  # the label alone: the signature after it
                    assert width - fonts.width(text, size) >= SIGN_GAP_MIN, (form.id, text)
            checked += 1
    assert checked >= 10


# --- the condolence sheet names who receives the money ------------------------------------------


def condolence_case(demo_office, kind: str) -> str:
    [number] = demo_office.db.execute(
        "SELECT c.number FROM cases c JOIN case_steps s ON s.case_id = c.id"
        " WHERE s.step_id = 'register' AND c.status = 'closed' AND c.outcome = 'done'"
        " AND json_extract(s.field_values, '$.condolence_type') = ? ORDER BY c.id LIMIT 1",
        [kind],
    ).fetchone()
    return number


def test_a_members_death_prints_the_relative_who_receives_the_money(demo_dir, read_pdf):
    from desktop.office import Office
    from desktop.printing.office_forms import office_forms
    from tests.shared import DEMO_NOW

    with Office.open(demo_dir) as office:
        office.cases.clock = lambda: DEMO_NOW
        death = condolence_case(office, "会员本人去世")
        wedding = condolence_case(office, "结婚")
        form = office_forms(office).forms["condolence_signoff"]
        state = office.cases.view(office.cases.case_id(death)).state
        member = office.cases.view(office.cases.case_id(death)).person
        recipient = state.record("register").values["recipient"]
        paid = state.record("pay_funeral").values
        bride = office.cases.view(office.cases.case_id(wedding)).person
        out = BytesIO()
        result = render_pdf(form, case_job(office, form, [death, wedding]).build(False), out)
    cells = {r.name: r.text for r in result.cells}
    whole = paid["recipient_id_number"]
    assert cells["row[1].name"] == member.name  # the member the condolence is for
    assert cells["row[1].受领人"] == recipient != member.name
    assert cells["row[1].关系"] == paid["recipient_relation"]
    assert cells["row[1].受领人身份证号码"] == f"{whole[:4]}**********{whole[-4:]}"
    text = squeeze(read_pdf(out.getvalue()).text(1))
    assert member.masked_id_number not in text  # never the deceased's number
    assert cells["row[2].受领人"] == bride.name and cells["row[2].关系"] == "本人"
    assert cells["row[2].受领人身份证号码"] == bride.masked_id_number


def test_a_death_recorded_without_the_relatives_number_leaves_it_to_the_hand(forms):
    # Cases run by the book before 2026.3 have the recipient's name but not the number.
    row = rows(1)[0] | {
        "step.register.condolence_type": "会员本人去世",
        "step.register.recipient": "赵宏",
        ROW_CONDITIONS: {"condolence_type": "会员本人去世"},
    }
    result = render_pdf(forms["condolence_signoff"], PrintData(rows=[row]), BytesIO())
    cells = {r.name: r.text for r in result.cells}
    assert cells["row[1].受领人"] == "赵宏"
    assert "row[1].受领人身份证号码" not in cells  # empty, not the member's 6201…1234
    assert "row[1].关系" not in cells


def condolence_row(condolence_type: str, **recorded) -> dict:
    """One condolence case as a sheet's row, with what its payment step recorded (by field id)."""
    step = "pay_funeral" if condolence_type.endswith("去世") else "pay_general"
    return rows(1)[0] | {
        "step.register.condolence_type": condolence_type,
        **{f"step.{step}.{field}": value for field, value in recorded.items()},
        ROW_CONDITIONS: {"condolence_type": condolence_type, **recorded},
    }


@pytest.mark.parametrize(
    ("condolence_type", "recorded", "receiver", "relation", "id_printed"),
    [
        # Printed before the payment is recorded, to be signed: the member.
        ("生病住院", {}, "职工1", "本人", True),
        ("生病住院", {"receiver": "职工1", "receiver_relation": "本人"}, "职工1", "本人", True),
        # A proxy signed: their name and relation, and room for their own number.
        ("结婚", {"receiver": "丁怡宏", "receiver_relation": "配偶"}, "丁怡宏", "配偶", False),
        ("直系亲属去世", {"funeral_receiver": "丁怡宏", "funeral_receiver_relation": "子女"},
         "丁怡宏", "子女", False),
        ("直系亲属去世", {"funeral_receiver": "职工1", "funeral_receiver_relation": "本人"},
         "职工1", "本人", True),
        # Recorded under the book before 2026.5, without the relation: left to the hand.
        ("退休离岗", {"receiver": "丁怡宏"}, "丁怡宏", "", False),
    ],
)  # fmt: skip
def test_the_condolence_sheet_prints_who_signed_for_the_money(
    forms, condolence_type, recorded, receiver, relation, id_printed
):
    row = condolence_row(condolence_type, **recorded)
    result = render_pdf(forms["condolence_signoff"], PrintData(rows=[row]), BytesIO())
    cells = {r.name: r.text for r in result.cells}
    assert cells["row[1].name"] == "职工1"  # the member the condolence is for
    assert cells["row[1].受领人"] == receiver
    assert cells.get("row[1].关系", "") == relation
    assert ("row[1].受领人身份证号码" in cells) is id_printed
    if id_printed:
        assert cells["row[1].受领人身份证号码"] == "6201**********1234"
