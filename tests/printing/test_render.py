"""Forms rendered to PDF and read back: text where it belongs, fonts embedded, pages numbered."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest

from desktop.identity import PERSONAL_NUMBER_KINDS
from desktop.printing import (
    MissingGlyphs,
    PrintData,
    blank_context,
    case_context,
    missing_characters,
    read_form,
    render_pdf,
    signoff_context,
)
from desktop.printing.capitals import fen_to_capitals
from tests.printing.family import household_members

BASE_14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def render(form, data, **options):
    out = BytesIO()
    result = render_pdf(form, data, out, **options)
    return result, out.getvalue()


def assert_fonts_embedded(pdf):
    fonts = pdf.fonts()
    assert fonts
    for (page, name), font in fonts.items():
        from pdfminer.pdftypes import resolve1

        base = font["BaseFont"].name
        assert not any(base.startswith(b) for b in BASE_14), (page, name, base)
        descriptor = resolve1(font["FontDescriptor"])
        assert "FontFile2" in descriptor, (page, name, base)  # the TrueType program itself
        assert re.fullmatch(r"[A-Z]{6}\+.+", base), base  # a subset


def assert_cells_hold_their_text(pdf, result):
    """Each printed value is found, whole, inside the box of its cell, on its page."""
    assert result.cells
    for record in result.cells:
        chars = pdf.chars_in(record.page, record.x0, record.top, record.x1, record.bottom)
        inside = squeeze("".join(c["text"] for c in chars))
        assert squeeze(record.text) in inside, record
        for c in chars:  # and no character crosses the cell's border
            assert record.x0 - 0.5 <= c["x0"] and c["x1"] <= record.x1 + 0.5, (record, c["text"])
            assert record.top - 0.5 <= c["top"] and c["bottom"] <= record.bottom + 0.5, record


def test_every_form_prints_blank(forms, read_pdf):
    for form_id, form in forms.items():
        result, content = render(form, blank_context(form))
        pdf = read_pdf(content)
        assert result.pages == len(pdf.pages) == 1, form_id  # a blank form is one sheet
        text = pdf.text(1)
        assert squeeze(form.title) in squeeze(text), form_id
        assert "第 1 页 共 1 页" in text
        assert_fonts_embedded(pdf)


def whole_numbers(view) -> set[str]:
    """The personal numbers a case holds, whole: its worker's and those typed into its steps
    (a phone the case publishes, the contact on a meeting notice, is printed whole)."""
    numbers = {view.person.id_number, view.person.phone} if view.person else set()
    for step in view.steps:
        numbers |= {
            f.value
            for f in step.fields
            if f.spec.type in PERSONAL_NUMBER_KINDS and not f.spec.published
        }
    return {n for n in numbers if n}


def test_every_form_prints_filled_from_a_demo_case(forms, demo_office, printed_cases, read_pdf):
    assert set(printed_cases) == set(forms)
    numbers_printed = 0
    for form_id, number in printed_cases.items():
        data = case_context(demo_office, number)
        result, content = render(forms[form_id], data)
        pdf = read_pdf(content)
        assert_cells_hold_their_text(pdf, result)
        assert_fonts_embedded(pdf)
        whole = whole_numbers(demo_office.cases.view(demo_office.cases.case_id(number)))
        for page in range(1, result.pages + 1):
            text = pdf.text(page)
            assert f"第 {page} 页 共 {result.pages} 页" in text, form_id
            assert number in text, form_id  # the case number on every page
            # Personal numbers print masked (the application forms, the sign-off sheets).
            assert [n for n in whole if n in squeeze(text)] == [], form_id
            # No value printed as the program holds it, no sentence ending twice.
            assert not re.search(r"True|False|None|。。", squeeze(text)), form_id
            numbers_printed += squeeze(text).count("****")
        metadata = pdf.pdf.metadata
        assert metadata["Title"] == f"{forms[form_id].title}（{number}）"
        assert metadata["Author"] == "示例镇总工会"
    assert numbers_printed >= 10  # the masked numbers were there to be checked


def test_a_filled_application_shows_the_case_masked(forms, demo_office, printed_cases, read_pdf):
    number = printed_cases["aid_application"]
    data = case_context(demo_office, number)
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    person = view.person
    result, content = render(forms["aid_application"], data)
    pdf = read_pdf(content)
    # A large family's rows may take the form onto a second page.
    text = squeeze("".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1)))
    assert person.name in text
    assert person.masked_id_number in text and person.id_number not in text
    assert person.masked_phone in text and person.phone not in text
    amount = view.state.record("application").values["amount_requested"]
    assert fen_to_capitals(amount) in text
    opened = view.row.opened_at
    assert f"{opened.year}年{opened.month}月{opened.day}日" in text
    by_name = {r.name: r.text for r in result.cells}
    assert by_name["person.id_number"] == person.masked_id_number


def test_whole_numbers_need_both_the_context_and_the_render_to_ask(
    forms, demo_office, printed_cases, read_pdf
):
    number = printed_cases["aid_application"]
    person = demo_office.cases.view(demo_office.cases.case_id(number)).person
    form = forms["aid_application"]
    revealed = case_context(demo_office, number, reveal_personal=True)
    for data, reveal, whole in [
        (revealed, True, True),
        (revealed, False, False),
        (case_context(demo_office, number), True, False),
    ]:
        _, content = render(form, data, reveal_personal=reveal)
        assert (person.id_number in squeeze(read_pdf(content).text(1))) is whole


def test_long_text_grows_its_row_and_continues_on_the_next_page(forms, read_pdf):
    reason = "因病致困，家庭收入低于当地最低生活保障标准。" * 160
    data = PrintData(
        values={"case.number": "BF-2026-0099", "step.application.reason": reason},
        number="BF-2026-0099",
    )
    result, content = render(forms["aid_application"], data)
    pdf = read_pdf(content)
    assert result.pages >= 3
    parts = [r for r in result.cells if r.name == "step.application.reason"]
    assert [p.page for p in parts] == list(range(1, len(parts) + 1))
    assert squeeze("".join(p.text for p in parts)) == squeeze("　　" + reason)
    assert_cells_hold_their_text(pdf, result)
    assert "申请事由（续）" in pdf.text(2)
    assert "困难职工帮扶救助申请表（续）" in pdf.text(2)
    for page in range(1, result.pages + 1):
        assert "编号：BF-2026-0099" in pdf.text(page)


def test_a_character_no_font_has_is_reported_before_printing(forms, tmp_path, read_pdf):
    form = forms["aid_application"]
    data = PrintData(values={"person.name": "张𠀀", "case.number": "BF-2026-0001"})
    assert missing_characters(form, data) == [("姓名", "𠀀")]
    out = tmp_path / "申请表.pdf"
    with pytest.raises(MissingGlyphs) as caught:
        render_pdf(form, data, out)
    assert "𠀀" in str(caught.value) and "姓名" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # nothing written, not even a partial file
    result = render_pdf(form, data, out, allow_missing_glyphs=True)
    assert result.missing == (("姓名", "𠀀"),)
    assert "张〓" in squeeze(read_pdf(out).text(1))
    assert [p.name for p in tmp_path.iterdir()] == ["申请表.pdf"]


def test_rare_characters_fall_back_to_the_sans_face(forms, read_pdf):
    # 镕 is not in GB 2312, so the Song face lacks it; the bundled sans has it.
    data = PrintData(values={"person.name": "朱镕基", "case.number": "BF-2026-0001"})
    assert missing_characters(forms["aid_application"], data) == []
    _, content = render(forms["aid_application"], data)
    pdf = read_pdf(content)
    name_chars = [c for c in pdf.pages[0].chars if c["text"] in "朱镕基"]
    faces = {c["text"]: c["fontname"] for c in name_chars}
    assert "WenQuanYi" in faces["镕"] and "Bousung" in faces["朱"]


def test_body_font_choices(forms, read_pdf):
    form = forms["aid_approval"]
    _, content = render(form, blank_context(form), body_font="sans")
    assert all("WenQuanYi" in c["fontname"] for c in read_pdf(content).pages[0].chars)
    result, _ = render(form, blank_context(form), body_font="simsun")
    # Without SimSun on this machine the bundled Song is used, and the caller is told.
    import desktop.printing.fonts as fonts

    if not fonts._simsun_path().is_file():
        assert result.warnings and "宋体" in result.warnings[0]
    with pytest.raises(ValueError):
        render(form, blank_context(form), body_font="kaiti")


def rows(count: int) -> list[dict]:
    return [
        {
            "name": f"职工{i}",
            "id_number": "620102199001011234",
            "amount_fen": 50_000 + i * 137,
            "kind": "生活救助",
            "case_number": f"BF-2026-{i:04d}",
        }
        for i in range(1, count + 1)
    ]


def test_a_sign_off_sheet_of_a_thousand_rows(forms, read_pdf):
    form = forms["aid_payment_signoff"]
    lines = rows(1000)
    data = PrintData(values={"office.name": "示例镇总工会"}, rows=lines, number="批次 2026-11")
    result, content = render(form, data)
    pdf = read_pdf(content)
    assert result.pages > 30
    serials = []
    subtotals = []
    for page in range(1, result.pages + 1):
        text = pdf.raw_text(page)
        assert "序号" in text and "领取人签字" in text  # the header on every page
        assert f"第{page}页共{result.pages}页" in squeeze(text)
        serials += [
            int(r.name[4:].split("]")[0])
            for r in result.cells
            if r.page == page and r.name.endswith("].name")
        ]
        [subtotal] = [r for r in result.cells if r.name == f"subtotal[{page}]"]
        subtotals.append(int(subtotal.text.replace(",", "").replace(".", "")))
        assert "本页小计" in text
    assert serials == list(range(1, 1001))  # every row once, in order
    total = sum(r["amount_fen"] for r in lines)
    assert sum(subtotals) == total
    [grand] = [r for r in result.cells if r.name == "total"]
    assert grand.page == result.pages
    assert int(grand.text.replace(",", "").replace(".", "")) == total
    last = squeeze(pdf.raw_text(result.pages))
    assert fen_to_capitals(total) in last and "合计金额（人民币大写）" in last
    assert "6201**********1234" in squeeze(pdf.raw_text(1))  # masked though given whole
    # Rows tall enough to sign in, and a wide signature column.
    table = form.table
    assert table.row_height >= 10
    assert min(c.width for c in table.columns if c.sign) >= 35


def test_blank_sign_off_sheets(forms, read_pdf):
    form = forms["congress_signin"]
    result, content = render(form, blank_context(form))
    assert result.pages == 1
    text = read_pdf(content).text(1)
    assert "17" in text  # a page of numbered empty rows, under a three-row header
    result, content = render(form, blank_context(form, rows=60))
    pdf = read_pdf(content)
    assert result.pages >= 3
    assert all("本人签字" in pdf.text(p) for p in range(1, result.pages + 1))


def test_sign_off_over_several_cases(forms, demo_office, read_pdf):
    paid = demo_office.db.execute(
        "SELECT c.number FROM cases c JOIN case_steps s ON s.case_id = c.id"
        " WHERE c.procedure_id = 'hardship_aid' AND s.step_id = 'payment' AND s.status = 'done'"
        " ORDER BY c.id LIMIT 30"
    ).fetchall()
    numbers = [n for (n,) in paid]
    assert len(numbers) >= 3
    data = signoff_context(demo_office, numbers)
    assert [r["case_number"] for r in data.rows] == numbers
    for row in data.rows:
        assert "*" in row["id_number"] and isinstance(row["amount_fen"], int)
        assert row["kind"] in ("生活救助", "医疗救助", "金秋助学")
    result, content = render(forms["aid_payment_signoff"], data)
    pdf = read_pdf(content)
    assert_cells_hold_their_text(pdf, result)
    total = sum(r["amount_fen"] for r in data.rows)
    assert fen_to_capitals(total) in squeeze(pdf.text(result.pages))
    assert data.number == f"{numbers[0]} 等 {len(numbers)} 件"


def test_a_failed_render_leaves_no_file(forms, tmp_path, monkeypatch):
    form = forms["aid_approval"]
    out = tmp_path / "审批表.pdf"
    out.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("desktop.printing.render.os.replace", broken)
    with pytest.raises(OSError):
        render_pdf(form, blank_context(form), out)
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["审批表.pdf"]


def test_rows_without_amounts_leave_the_totals_to_the_hand(forms, read_pdf):
    # Cases not yet approved have no amount: the sheet must not claim a total of 0.00.
    lines = [{"name": "张三", "id_number": "620102199001011234", "case_number": "BF-2026-0001"}]
    data = PrintData(rows=lines, number="BF-2026-0001")
    result, content = render(forms["aid_payment_signoff"], data)
    text = squeeze(read_pdf(content).text(1))
    assert "张三" in text and "零元整" not in text and "0.00" not in text
    assert not [r for r in result.cells if r.name == "total" or r.name.startswith("subtotal")]


def amounts_of(result, name: str) -> list[tuple[int, int]]:
    """(page, fen) of each printed cell called ``name`` or ``name[page]``."""
    return [
        (r.page, int(r.text.replace(",", "").replace(".", "")))
        for r in result.cells
        if r.name == name or r.name.startswith(name + "[")
    ]


@pytest.mark.parametrize(
    ("unpaid", "listed"),
    [
        # Rows of a refused or not yet approved case, written in by hand later.
        ((25, 30, 31), "BF-2026-0025、BF-2026-0030、BF-2026-0031"),
        (
            (3, 4, 5, 6, 7, 8, 9),
            "BF-2026-0003、BF-2026-0004、BF-2026-0005、BF-2026-0006、BF-2026-0007 等 7 件",
        ),
    ],
)
def test_rows_without_an_amount_leave_their_page_subtotal_and_the_total_to_the_hand(
    forms, read_pdf, unpaid, listed
):
    lines = rows(60)
    for serial in unpaid:
        lines[serial - 1]["amount_fen"] = None
    result, content = render(forms["aid_payment_signoff"], PrintData(rows=lines, number="批次"))
    pdf = read_pdf(content)
    assert result.pages >= 3
    page_of = {
        int(r.name[4:].split("]")[0]): r.page for r in result.cells if r.name.endswith("].name")
    }
    blank_pages = {page_of[s] for s in unpaid}
    subtotals = amounts_of(result, "subtotal")
    assert {page for page, _ in subtotals} == set(range(1, result.pages + 1)) - blank_pages
    for page, fen in subtotals:
        assert fen == sum(r["amount_fen"] for s, r in enumerate(lines, 1) if page_of[s] == page)
    for page in range(1, result.pages + 1):
        assert "本页小计" in pdf.raw_text(page)  # still ruled, to be filled in
    assert amounts_of(result, "total") == []
    last = squeeze(pdf.raw_text(result.pages))
    # The 大写 and the figures are left to write, with their places and unit printed.
    assert "合计金额（人民币大写）：（小写）￥元" in last and "元整" not in last
    message = (
        f"{len(unpaid)} 行没有金额（{listed}；尚未审批、不予救助或已终止），小计和合计留空待手写。"
    )
    assert message in result.warnings


def test_a_sheet_with_every_amount_totals_and_warns_of_nothing(forms):
    result, _ = render(forms["aid_payment_signoff"], PrintData(rows=rows(60), number="批次"))
    assert result.warnings == ()
    assert amounts_of(result, "total") == [(result.pages, sum(r["amount_fen"] for r in rows(60)))]


def test_a_blank_sheet_has_no_warning_about_amounts(forms):
    form = forms["aid_payment_signoff"]
    result, _ = render(form, blank_context(form))
    assert result.pages == 1 and result.warnings == ()
    assert amounts_of(result, "total") == amounts_of(result, "subtotal") == []


NOTE_END = {
    "aid_approval": "一并归档",
    "aid_payment_signoff": "一并作为报销凭证归档",
}


def note_page(pdf, form_id: str, pages: int) -> int:
    [page] = [p for p in range(1, pages + 1) if NOTE_END[form_id] in squeeze(pdf.raw_text(p))]
    return page


@pytest.mark.parametrize("name", ["欧阳娜", "欧阳" + "娜" * 12])
def test_notes_never_make_a_page_of_their_own(forms, read_pdf, name):
    # A long name and a long reason for a second aid the same year push the 说明 down; they
    # stay on the page of the last row (set a little tighter, or with that row carried over).
    form = forms["aid_approval"]
    for extra in range(20, 60, 2):
        data = PrintData(
            values={
                "case.number": "BF-2026-0111",
                "person.name": name,
                "case.repeat_reason": "上半年因病住院已享受医疗救助，" + "补" * extra,
            },
            number="BF-2026-0111",
        )
        result, content = render(form, data)
        pdf = read_pdf(content)
        page = note_page(pdf, "aid_approval", result.pages)
        text = squeeze(pdf.raw_text(page))
        assert "说明：" in text and "工会主席审批意见" in text, (extra, page)
        for number in range(1, result.pages + 1):
            assert pdf.pages[number - 1].rects, (extra, number)  # a table on every page


@pytest.mark.parametrize("count", [14, 15, 16, 17])
def test_a_sign_off_sheet_keeps_its_notes_with_its_last_rows(forms, read_pdf, count):
    result, content = render(
        forms["aid_payment_signoff"], PrintData(rows=rows(count), number="批次")
    )
    pdf = read_pdf(content)
    page = note_page(pdf, "aid_payment_signoff", result.pages)
    text = squeeze(pdf.raw_text(page))
    assert "说明：" in text and "合计金额（人民币大写）" in text and "发放人" in text
    assert [p for p, _ in amounts_of(result, "total")] == [page] == [result.pages]


def test_a_tall_text_row_is_split_where_much_of_the_page_is_left(forms, read_pdf):
    # Moved whole, the long 申请事由 left more than half of page 1 empty.
    reason = "因病致困，家庭收入低于当地最低生活保障标准。" * 100
    data = PrintData(
        values={"case.number": "BF-2026-0099", "step.application.reason": reason},
        number="BF-2026-0099",
    )
    result, content = render(forms["aid_application"], data)
    pdf = read_pdf(content)
    parts = [r for r in result.cells if r.name == "step.application.reason"]
    assert [p.page for p in parts] == [1, 2]
    page_bottom = (297 - forms["aid_application"].page.bottom) * 72 / 25.4
    assert parts[0].bottom == pytest.approx(page_bottom)  # page 1 filled to its foot
    assert squeeze("".join(p.text for p in parts)) == squeeze("　　" + reason)
    assert "申请事由（续）" in squeeze(pdf.text(2))
    assert_cells_hold_their_text(pdf, result)


TALL_ROW_FORM = """
id = "tall_row"
title = "测试表"
columns = [40, 130]

[[rows]]
height = {above}
cells = [{{ label = "上面的行" }}, {{ }}]

[[rows]]
cells = [{{ label = "情况说明", field = "case.repeat_reason", span = 2 }}]
"""


@pytest.mark.parametrize(
    ("above", "lines", "pages"),
    [
        (200, 20, [2]),  # about 40 mm left, less than a quarter of the page: moved whole
        (120, 40, [1, 2]),  # about 120 mm left: split there, the rest 续 on page 2
        (120, 10, [1]),  # fits
    ],
)
def test_a_row_is_split_or_moved_by_the_room_left(tmp_path, above, lines, pages):
    path = tmp_path / "tall_row.toml"
    path.write_text(TALL_ROW_FORM.format(above=above), encoding="utf-8")
    form = read_form(path)
    text = "职工家庭困难情况说明文字。" * (lines * 45 // 13)
    data = PrintData(values={"case.repeat_reason": text}, number="BF-2026-0001")
    result, _ = render(form, data)
    parts = [r for r in result.cells if r.name == "case.repeat_reason"]
    assert [p.page for p in parts] == pages
    assert squeeze("".join(p.text for p in parts)) == squeeze("　　" + text)


ONE_ROW_FORM = """
id = "one_row"
title = "测试表"
columns = [40, 130]
notes = [
  "第一条说明，写得长一些，好占满一行还多一点，看看会不会单独落到下一页上去。",
  "第二条。",
  "第三条。",
]

[[rows]]
cells = [{ label = "情况说明", field = "case.repeat_reason", span = 2 }]
"""


def test_notes_after_a_page_filled_by_one_row_take_its_last_lines_along(tmp_path, read_pdf):
    path = tmp_path / "one_row.toml"
    path.write_text(ONE_ROW_FORM, encoding="utf-8")
    form = read_form(path)
    for repeat in range(136, 154, 2):
        text = "职工家庭困难情况说明文字。" * repeat
        result, content = render(form, PrintData(values={"case.repeat_reason": text}))
        pdf = read_pdf(content)
        parts = [r for r in result.cells if r.name == "case.repeat_reason"]
        assert [p.page for p in parts] == list(range(1, result.pages + 1)), repeat
        assert squeeze("".join(p.text for p in parts)) == squeeze("　　" + text)
        assert "说明：" in squeeze(pdf.raw_text(result.pages)), repeat


def test_a_re_election_notice_and_sign_in_sheet_print_filled(forms, demo_office, read_pdf):
    # The forms name the fields of each procedure that prints them, alternatives joined by "|":
    # a 换届 records the meeting type on its request and the count on its notice.
    rows = demo_office.db.execute(
        "SELECT id, number FROM cases WHERE procedure_id = 're_election' ORDER BY id"
    ).fetchall()
    views = {number: demo_office.cases.view(case_id) for case_id, number in rows}
    held_meetings = [n for n, v in views.items() if v.state.record("election").status == "done"]
    assert held_meetings, "the demo has no re-election that held its meeting"
    number = held_meetings[0]
    state = views[number].state
    request, notice = state.record("request").values, state.record("notice").values
    held = state.record("election").values
    meeting = date.fromisoformat(notice["meeting_date"])
    when = f"{meeting.year}年{meeting.month}月{meeting.day}日"

    _, content = render(forms["congress_notice"], case_context(demo_office, number))
    text = squeeze(read_pdf(content).text(1))
    assert f"定于{when}召开" in text and f"工会换届选举{request['meeting_type']}，" in text
    whom = "全体会员" if request["meeting_type"] == "会员大会" else "会员代表"
    assert f"应到人数：{whom}{notice['expected_count']}人" in text
    assert "________" not in text.split("其他事项")[0]  # nothing left blank before it

    _, content = render(forms["congress_signin"], case_context(demo_office, number))
    text = squeeze(read_pdf(content).text(1))
    assert f"工会换届选举{request['meeting_type']}" in text and when in text
    assert str(notice["expected_count"]) in text and str(held["present_count"]) in text


def _with_family(demo_office, number: str, size: int, reveal: bool = False):
    """The case's data as if its worker's family had ``size`` of the members above."""
    from dataclasses import replace as replaced

    from desktop.printing.context import member_values

    members = household_members(size)
    view = demo_office.cases.view(demo_office.cases.case_id(number))
    data = case_context(demo_office, number, reveal_personal=reveal)
    person = replaced(view.person, household_members=members)
    data.members = member_values(person, date(2026, 11, 30), reveal)
    return data, members


@pytest.mark.parametrize("form_id", ["aid_application", "home_visit_survey"])
def test_a_family_of_six_prints_whole_with_masked_numbers(
    form_id, forms, demo_office, printed_cases, read_pdf
):
    data, members = _with_family(demo_office, printed_cases["aid_application"], 6)
    result, content = render(forms[form_id], data)
    pdf = read_pdf(content)
    text = squeeze("".join(pdf.text(n) for n in range(1, len(pdf.pages) + 1)))
    for member in members:
        assert member.name in text
        assert member.masked_id_number in text and member.id_number not in text
    assert "残疾（二级）" in text and "兰州示例大学" in text and "1,200.00" in text
    ages = [r.text for r in result.cells if r.name == "member.age"]
    assert ages[:6] == ["47", "22", "18", "14", "76", "73"]


def test_family_rows_that_go_on_to_the_next_page_take_their_column_titles(
    forms, demo_office, printed_cases, read_pdf
):
    from dataclasses import replace as replaced

    form = forms["aid_application"]
    # A long reason pushes the family table down to the foot of the first page.
    data, members = _with_family(demo_office, printed_cases["aid_application"], 6)
    data.values["step.application.reason"] = "困" * 250
    many = data.members * 3  # eighteen rows, more than any page leaves
    data = replaced(data, members=many)
    result, content = render(form, data)
    pdf = read_pdf(content)
    assert len(pdf.pages) >= 2
    names = [r for r in result.cells if r.name == "member.name" and r.text]
    assert len(names) == 18
    second = {r.page for r in names if r.page > 1}
    assert second, "some member rows go on to page 2"
    for page in second:  # the column titles are printed there again
        assert "工作单位或就读学校" in squeeze(pdf.text(page))


def test_a_small_family_keeps_a_row_to_write_in_and_the_form_on_one_page(
    forms, demo_office, printed_cases, read_pdf
):
    data, members = _with_family(demo_office, printed_cases["aid_application"], 2)
    result, content = render(forms["aid_application"], data)
    assert result.pages == 1
    rows = [r.text for r in result.cells if r.name == "member.name"]
    assert rows == ["刘桂兰", "王志强"]
    lines = read_pdf(content).pages[0].horizontal_edges
    below = [r for r in result.cells if r.name == "member.name"][-1].bottom
    # The row under the last member is left ruled and empty, to write in.
    assert any(below + 10 < e["top"] < below + 30 for e in lines)


def _row_height_mm(result, name: str) -> float:
    (cell,) = [r for r in result.cells if r.name == name]
    return (cell.bottom - cell.top) / (72 / 25.4)


@pytest.mark.parametrize("size", [4, 5])
def test_a_family_of_four_or_five_keeps_the_application_and_survey_on_one_page(
    size, forms, demo_office, printed_cases, read_pdf
):
    """Only the rows kept tall for handwriting give way, so the last page never holds just the
    受理人 row or the signatures."""
    data, members = _with_family(demo_office, printed_cases["aid_application"], size)
    result, content = render(forms["aid_application"], data)
    assert result.pages == 1
    text = squeeze(read_pdf(content).text(1))
    assert all(m.name in text for m in members) and "受理人" in text
    assert 15.5 < _row_height_mm(result, "step.application.reason") < 32
    survey, _ = render(forms["home_visit_survey"], data)
    assert survey.pages == 1


def test_a_small_family_leaves_the_reason_its_full_room_to_write_in(
    forms, demo_office, printed_cases
):
    data, _ = _with_family(demo_office, printed_cases["aid_application"], 1)
    result, _ = render(forms["aid_application"], data)
    assert result.pages == 1
    assert _row_height_mm(result, "step.application.reason") == pytest.approx(32, abs=0.5)


def test_a_family_too_large_for_one_page_still_prints_every_row_at_full_height(
    forms, demo_office, printed_cases, read_pdf
):
    from dataclasses import replace as replaced

    data, _ = _with_family(demo_office, printed_cases["aid_application"], 6)
    data = replaced(data, members=data.members * 3)
    result, _ = render(forms["aid_application"], data)
    assert result.pages == 2
    # Squeezing would not save the page, so the handwriting room is not given up.
    assert _row_height_mm(result, "step.application.reason") == pytest.approx(32, abs=0.5)


def test_the_application_prints_income_insurance_both_causes_and_the_county_opinion(
    forms, demo_office, printed_cases, read_pdf
):
    data, _ = _with_family(demo_office, printed_cases["aid_application"], 3)
    data.values |= {
        "step.application.own_monthly_income": 185000,
        "step.application.family_annual_income": 3120000,
        "step.application.medical_insurance": "城乡居民基本医疗保险",
        "step.application.hardship_cause": "残疾",
        "step.application.secondary_cause": "子女教育费用负担重",
    }
    result, content = render(forms["aid_application"], data)
    assert result.pages == 1
    text = squeeze(read_pdf(content).text(1))
    assert "本人月收入1,850.00元" in text and "家庭年收入31,200.00元" in text
    assert "■城乡居民基本医疗保险" in text and "□职工基本医疗保险" in text
    assert "主要致困原因□本人或家庭成员患大病■残疾" in text
    assert "次要致困原因□无□本人或家庭成员患大病□残疾■子女教育费用负担重" in text
    assert "单位工会意见" in text and "县级工会意见" in text
    survey, content = render(forms["home_visit_survey"], data)
    text = squeeze(read_pdf(content).text(1))
    assert "主要致困原因残疾" in text and "次要致困原因子女教育费用负担重" in text
    assert "建筑面积" in text and "平方米" in text


def test_a_typed_clause_inside_the_form_text_does_not_end_twice():
    from desktop.printing.fields import FieldInfo, format_value

    info = FieldInfo("step.representatives.rep_list", "协商代表名单", "longtext")
    assert format_value("张三、李四等。", info, "clause") == "张三、李四等"
    assert format_value("张三；\n", info, "clause") == "张三"
    assert format_value("张三", info, "clause") == "张三"
