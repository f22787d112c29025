"""Form files: the shipped ones load, and a mistake is reported with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.book.loader import load_book
from desktop.paths import default_book_dir
from desktop.printing import SIGNOFF, FormError, load_forms, missing_forms, read_form

SHIPPED = {
    "aid_application": "困难职工帮扶救助申请表",
    "home_visit_survey": "困难职工家庭入户调查表",
    "aid_approval": "帮扶救助审批表",
    "aid_public_notice": "困难职工帮扶救助公示",
    "aid_payment_signoff": "帮扶救助金发放签领表",
    "condolence_signoff": "慰问金发放签领表",
    "golden_autumn_application": "金秋助学申请表",
    "medical_aid_application": "医疗救助申请表",
    "membership_application": "入会申请书",
    "negotiation_proposal": "集体协商要约书",
    "negotiation_reply": "集体协商要约回应书",
    "congress_notice": "会员（代表）大会通知",
    "congress_signin": "会员（代表）大会签到表",
}
SIGNOFF_SHEETS = {
    "aid_public_notice", "aid_payment_signoff", "condolence_signoff", "congress_signin",
}  # fmt: skip


@pytest.fixture(scope="module")
def procedures():
    return load_book(default_book_dir()).procedures


def test_the_thirteen_shipped_forms_load(forms):
    assert {form_id: form.title for form_id, form in forms.items()} == SHIPPED
    assert {f for f, form in forms.items() if form.kind == SIGNOFF} == SIGNOFF_SHEETS
    for form in forms.values():
        assert form.path.name == f"{form.id}.toml"


def test_every_form_a_procedure_prints_exists(forms, procedures):
    assert missing_forms(forms, procedures) == []


def test_forms_bind_to_fields_of_the_steps_that_print_them(forms, procedures):
    # A step field on a form belongs to a step of a procedure that prints the form, so the
    # binding is to the real field of that step, not just to any step of the same id.
    printing_steps: dict[str, set[str]] = {}
    for procedure in procedures:
        for step in procedure.steps:
            for form_id in step.form_ids:
                printing_steps.setdefault(form_id, set()).add(procedure.id)
    by_id = {p.id: p for p in procedures}
    for form_id, form in forms.items():
        for name in form.field_names():
            if not name.startswith("step."):
                continue
            _, step_id, field_id = name.split(".")
            owners = [
                pid
                for pid in printing_steps[form_id]
                if any(s.id == step_id for s in by_id[pid].steps)
            ]
            assert owners, f"{form_id}: {name} is not a step of a procedure printing it"


VALID = """
id = "test_form"
title = "测试表"
columns = [30, 60, 30, 50]

[[rows]]
cells = [
  { label = "姓名" }, { field = "person.name" },
  { label = "日期" }, { field = "case.opened" },
]

[[rows]]
height = 20
cells = [{ label = "意见" }, { sign = "负责人签字", seal = true, span = 3 }]
"""


def write(folder: Path, text: str, form_id: str = "test_form") -> Path:
    path = folder / f"{form_id}.toml"
    path.write_text(text.replace('id = "test_form"', f'id = "{form_id}"'), encoding="utf-8")
    return path


def problems_of(path: Path, procedures=None) -> list[str]:
    with pytest.raises(FormError) as caught:
        read_form(path, procedures)
    return [str(p) for p in caught.value.problems]


def test_a_valid_form_reads(tmp_path, procedures):
    form = read_form(write(tmp_path, VALID), procedures)
    assert form.kind == "sheet" and [len(r.cells) for r in form.rows] == [4, 2]
    assert sum(form.rows[0].columns) == pytest.approx(170)  # scaled to the A4 content width


def test_unknown_field_names_file_line_and_key(tmp_path, procedures):
    path = write(tmp_path, VALID.replace("person.name", "person.nmae"))
    [problem] = problems_of(path, procedures)
    line = next(
        i for i, text in enumerate(path.read_text("utf-8").splitlines(), 1) if "nmae" in text
    )
    assert problem.startswith(f"{path} 第 {line} 行，rows[1].cells[2].field：")
    assert "person.nmae" in problem and "name" in problem


def test_unknown_step_and_step_field_are_caught_against_the_procedures(tmp_path, procedures):
    text = VALID.replace("case.opened", "step.no_such_step.reason").replace(
        "person.name", "step.application.no_such_field"
    )
    found = problems_of(write(tmp_path, text), procedures)
    assert len(found) == 2
    assert "rows[1].cells[2].field" in found[0] and "no_such_field" in found[0]
    assert "“application”没有登记项" in found[0] and "reason" in found[0]  # lists what exists
    assert "rows[1].cells[4].field" in found[1] and "no_such_step" in found[1]


def test_every_problem_in_a_file_is_listed_at_once(tmp_path):
    text = (
        VALID.replace('title = "测试表"', "title = 3")
        .replace("span = 3", "span = 2")
        .replace("case.opened", "case.openned")
        + '\n[page]\nsize = "A6"\n'
    )
    found = problems_of(write(tmp_path, text))
    joined = "\n".join(found)
    assert "title" in joined and "应为文字" in joined
    assert "rows[2].cells" in joined and "合计 3" in joined
    assert "case.openned" in joined
    assert "page.size" in joined and "A6" in joined
    assert len(found) == 4


def test_a_syntax_error_gives_its_line(tmp_path):
    text = VALID.replace('{ label = "日期" }', '{ label = "日期 }')
    [problem] = problems_of(write(tmp_path, text))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if '"日期 }' in t)
    assert f"第 {line} 行" in problem and "格式错误" in problem


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("[" * 400 + "]" * 400, "套了超过 32 层"),  # RecursionError from tomllib
        ("1" * 5000, "太长（5000 个字符）"),  # ValueError from int()
    ],
)
def test_over_deep_or_over_long_input_gives_file_and_line(tmp_path, value, fragment):
    text = VALID.replace('{ label = "日期" }', f'{{ label = "日期", size = {value} }}')
    [problem] = problems_of(write(tmp_path, text))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "size = " in t)
    assert f"test_form.toml 第 {line} 行：" in problem and fragment in problem


def test_id_must_match_the_file_name(tmp_path):
    path = tmp_path / "test_form.toml"
    path.write_text(VALID.replace('id = "test_form"', 'id = "other"'), encoding="utf-8")
    [problem] = problems_of(path)
    assert "第 2 行，id" in problem and "test_form" in problem


def test_unknown_keys_and_formats_are_named(tmp_path):
    text = VALID.replace(
        '{ field = "case.opened" }', '{ field = "case.opened", format = "capitals", colour = 1 }'
    )
    found = "\n".join(problems_of(write(tmp_path, text)))
    assert "rows[1].cells[4].colour" in found and "不认识的设置" in found
    assert "rows[1].cells[4].format" in found and "只能用于金额字段" in found


def test_a_list_where_a_choice_belongs_is_explained_not_a_crash(tmp_path):
    text = VALID.replace('{ label = "意见" }', '{ label = "意见", align = ["left"] }')
    [problem] = problems_of(write(tmp_path, text))
    assert "rows[2].cells[1].align" in problem and "“['left']”不对" in problem


def test_placeholders_in_text_are_checked(tmp_path):
    text = VALID.replace('{ label = "意见" }', '{ text = "致{enterprise.nam}：" }')
    [problem] = problems_of(write(tmp_path, text))
    assert "rows[2].cells[1].text" in problem and "enterprise.nam" in problem


SIGNOFF_TEXT = """
id = "sheet"
title = "签领表"
kind = "signoff"

[table]
row_height = {row_height}
columns = [
  {{ title = "序号", width = 10, value = "row.serial" }},
  {{ title = "姓名", width = 30, value = "row.name", sum = {sum_name} }},
  {{ title = "金额", width = 30, value = "row.amount_fen", sum = true }},
  {{ title = "签字", width = {sign_width}, sign = true }},
]
"""


def signoff(**overrides) -> str:
    values = {"row_height": 10, "sum_name": "false", "sign_width": 100} | overrides
    return SIGNOFF_TEXT.format(**values)


def test_a_signoff_sheet_reads(tmp_path):
    form = read_form(write(tmp_path, signoff(), "sheet"))
    assert form.table is not None and form.table.sum_column == 2
    assert [c.width for c in form.table.columns] == pytest.approx([10, 30, 30, 100])


def test_signoff_rules_sign_width_row_height_and_one_money_sum(tmp_path):
    text = signoff(row_height=8, sum_name="true", sign_width=40)
    found = "\n".join(problems_of(write(tmp_path, text, "sheet")))
    # 40 of 110 mm scaled to the 170 mm content width is 61.8 mm: wide enough.
    assert "table.row_height" in found and "至少 10 毫米" in found
    assert "table.columns[2].sum" in found and "金额列" in found
    narrow = signoff(sign_width=10)  # 10 of 80 mm is 21.3 mm on the page
    found = "\n".join(problems_of(write(tmp_path, narrow, "sheet")))
    assert "table.columns[4].width" in found and "35 毫米" in found


def test_min_rows_is_a_head_count_of_a_sheet_signed_by_hand(tmp_path, procedures):
    signin = """
id = "sheet"
title = "签到表"
kind = "signoff"

[table]
rows = "handwritten"
min_rows = {min_rows}
columns = [
  {{ title = "序号", width = 10, value = "row.serial" }},
  {{ title = "签字", width = 100, sign = true }},
]
"""
    good = signin.format(min_rows='["step.notice.expected_count", "step.delegates.expected_count"]')
    form = read_form(write(tmp_path, good, "sheet"), procedures)
    assert form.table is not None
    assert form.table.expected_rows({"step.delegates.expected_count": 196}) == 196
    assert form.table.expected_rows({}) is None
    wrong = signin.format(min_rows='"step.notice.meeting_place"')
    found = "\n".join(problems_of(write(tmp_path, wrong, "sheet"), procedures))
    assert "table.min_rows" in found and "“会议地点”不是整数" in found
    per_case = signoff().replace("[table]", '[table]\nmin_rows = "step.notice.expected_count"')
    found = "\n".join(problems_of(write(tmp_path, per_case, "sheet"), procedures))
    assert "min_rows 只用于手写签到的表" in found


def test_load_forms_lists_problems_of_every_file(tmp_path, procedures):
    write(tmp_path, VALID, "good")
    write(tmp_path, VALID.replace("person.name", "person.x"), "bad_one")
    write(tmp_path, VALID.replace("case.opened", "office.y"), "bad_two")
    with pytest.raises(FormError) as caught:
        load_forms(tmp_path, procedures)
    files = sorted({Path(p.file).name for p in caught.value.problems})
    assert files == ["bad_one.toml", "bad_two.toml"]
    assert "2 处错误" in str(caught.value)


def test_step_fields_come_from_the_procedures_that_print_the_form(forms, tmp_path, procedures):
    # Most procedures have an "application" step; the membership form's apply_channel is
    # member_admission's (网上申请), not dispute_mediation's field of the same name.
    cells = [c for row in forms["membership_application"].rows for c in row.cells]
    [channel] = [c for c in cells if c.fields and c.fields[0].name.endswith("apply_channel")]
    assert channel.fields[0].choices == ("书面申请", "口头申请", "网上申请")
    # A field of another procedure's step is refused on a form hardship_aid prints.
    text = VALID.replace("case.opened", "step.register.condolence_type")
    [problem] = problems_of(write(tmp_path, text, "aid_application"), procedures)
    assert "hardship_aid" in problem and "“register”" in problem


CONDITIONAL = (
    VALID.replace(
        '{ field = "person.name" }',
        '{ field = "step.approval.approved_amount", unless = "approval.approved == false" }',
    )
    + """
[[texts.opinion]]
when = "eligible"
text = "属{step.eligibility.level}，建议给予救助。"

[[texts.opinion]]
when = "eligible == false"
text = "建议不予救助。"

[[rows]]
cells = [{ label = "意见" }, { text = "经核实，{texts.opinion}", span = 3 }]
"""
)


def test_conditions_on_cells_and_text_blocks_read(tmp_path, procedures):
    form = read_form(write(tmp_path, CONDITIONAL, "aid_approval"), procedures)
    amount = form.rows[0].cells[1]
    assert amount.condition.unless is not None and amount.condition.when is None
    assert [c.condition.when.source for c in form.texts["opinion"]] == [
        "eligible",
        "eligible == false",
    ]
    assert "step.eligibility.level" in form.field_names()  # fields inside a text block count


@pytest.mark.parametrize(
    ("change", "key", "fragment", "on_line"),
    [
        # A name no procedure printing the form has: a typo, or another procedure's field.
        (
            ("approval.approved ==", "approval.aproved =="),
            "rows[1].cells[2].unless",
            "没有的名称：approval.aproved",
            "aproved",
        ),
        (
            ('when = "eligible"\n', 'when = "condolence_type == 1"\n'),
            "texts.opinion[1].when",
            "condolence_type",
            "condolence_type",
        ),
        (
            ('when = "eligible"\n', 'when = "eligible and"\n'),
            "texts.opinion[1].when",
            "写错了",
            "eligible and",
        ),
        (
            ("{texts.opinion}", "{texts.opinoin}"),
            "rows[3].cells[2].text",
            "没有名为“opinoin”的文字块，有：opinion",
            "opinoin",
        ),
        (
            ("建议不予救助。", "{texts.opinion}"),
            "texts.opinion[2].text",
            "不能再引用文字块",
            'text = "{texts.opinion}"',
        ),
        (
            ('{ label = "日期" }', '{ label = "日期", when = 3 }'),
            "rows[1].cells[3].when",
            "应写成文字",
            "when = 3",
        ),
        (
            ('{ label = "日期" }', '{ when = "eligible" }'),
            "rows[1].cells[3]",
            "空格子没有可印的内容",
            '{ when = "eligible" }',
        ),
    ],
)
def test_a_wrong_condition_or_text_block_names_its_line(
    tmp_path, procedures, change, key, fragment, on_line
):
    text = CONDITIONAL.replace(*change)
    [problem] = problems_of(write(tmp_path, text, "aid_approval"), procedures)
    assert f"，{key}：" in problem and fragment in problem
    line = int(problem.split(" 第 ")[1].split(" 行")[0])
    assert on_line in text.splitlines()[line - 1]


def test_a_text_block_without_text_is_named(tmp_path, procedures):
    text = CONDITIONAL.replace('text = "建议不予救助。"', 'txt = "建议不予救助。"')
    found = problems_of(write(tmp_path, text, "aid_approval"), procedures)
    assert any("texts.opinion[2]：缺少 text" in p for p in found)
    assert any("texts.opinion[2].txt：不认识的设置" in p for p in found)


def test_conditions_are_checked_against_the_procedures_that_print_the_form(tmp_path, procedures):
    # condolence_signoff is printed by 会员慰问 only: its names, not hardship_aid's.
    text = signoff().replace('id = "sheet"', 'id = "condolence_signoff"')
    text = text.replace('kind = "signoff"', 'kind = "signoff"\nfooter = "{texts.note}"') + (
        '\n[[texts.note]]\nwhen = "condolence_type == \'会员本人去世\'"\ntext = "由近亲属签领"\n'
    )
    form = read_form(write(tmp_path, text, "condolence_signoff"), procedures)
    assert form.texts["note"][0].condition.when.names() == {"condolence_type"}
    wrong = text.replace("condolence_type", "hardship_cause")
    [problem] = problems_of(write(tmp_path, wrong, "condolence_signoff"), procedures)
    assert "texts.note[1].when" in problem
    assert "（condolence）中没有的名称：hardship_cause" in problem


def test_a_sheet_column_may_be_a_text_filled_from_each_row(tmp_path):
    text = (
        signoff().replace(
            '{ title = "姓名", width = 30, value = "row.name", sum = false }',
            '{ title = "受领人", width = 30, text = "{texts.receiver}" }',
        )
        + '\n[[texts.receiver]]\ntext = "{row.name}"\n'
    )
    form = read_form(write(tmp_path, text, "sheet"))
    assert form.table.columns[1].text.text_refs == ["receiver"]
    both = text.replace(
        'text = "{texts.receiver}"', 'text = "{texts.receiver}", value = "row.name"'
    )
    [problem] = problems_of(write(tmp_path, both, "sheet"))
    assert "table.columns[2].text" in problem and "只能写 value 或 text 中的一个" in problem


def test_row_fields_belong_to_sign_off_sheets_only(tmp_path):
    text = VALID + '\n[[texts.who]]\ntext = "{row.name}"\n'
    [problem] = problems_of(write(tmp_path, text))
    assert "texts.who[1].text" in problem and "只能用在签领表的表格列" in problem


@pytest.mark.parametrize(
    ("prefix", "fragment"), [("ff", "2 到 3 个大写英文字母"), ("FFFF", "2 到 3 个大写英文字母")]
)
def test_a_batch_prefix_is_two_or_three_capitals(tmp_path, prefix, fragment):
    text = signoff().replace('kind = "signoff"', f'kind = "signoff"\nbatch_prefix = "{prefix}"')
    [problem] = problems_of(write(tmp_path, text, "sheet"))
    assert "batch_prefix" in problem and fragment in problem
    [problem] = problems_of(
        write(tmp_path, VALID.replace('title = "测试表"', 'title = "测试表"\nbatch_prefix = "FF"'))
    )
    assert "只有每件案件一行的签领表" in problem


def test_a_row_cannot_shrink_to_more_than_its_height(tmp_path, procedures):
    text = VALID.replace("height = 20", "height = 20\nshrink_to = 25")
    [problem] = problems_of(write(tmp_path, text), procedures)
    assert "rows[2].shrink_to" in problem and "比行高 20 毫米还大" in problem
    form = read_form(write(tmp_path, VALID.replace("height = 20", "height = 20\nshrink_to = 12")))
    assert form.rows[1].shrink_to == 12
