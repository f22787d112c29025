"""Loading the book from its files, and the messages a county editor gets when one is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.book.loader import BookError, load_book


def problems_of(book_dir: Path) -> list[str]:
    with pytest.raises(BookError) as caught:
        load_book(book_dir)
    return [str(p) for p in caught.value.problems]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_shipped_book_covers_the_required_ground(shipped_book_dir: Path):
    book = load_book(shipped_book_dir)
    # At least the seed county's 31 work items and 172 rules.
    assert len(book.work_items) >= 31
    assert len(book.rules) >= 172
    # The seed's three categories stay; its twelve items keep their numbers among the rest.
    assert [c.name for c in book.service_categories] == ["组织建设", "权益维护", "困难帮扶"]
    ids = {item.id for item in book.service_items}
    seed = {f"ZZ-0{i}" for i in range(1, 5)} | {f"QY-0{i}" for i in range(1, 4)}
    assert seed | {f"BF-0{i}" for i in range(1, 6)} <= ids
    assert len(book.service_items) >= 12
    titles = " ".join(item.title for item in book.work_items)
    for topic in (
        "组建", "会员", "大会", "集体协商", "调解", "帮扶", "慰问", "预算", "审", "经费拨缴",
        "会费", "对账", "医疗互助", "职工代表大会", "厂务公开", "换届", "决算", "资产", "女职工",
        "职工之家", "竞赛", "劳动模范", "安全生产", "新就业形态", "撤销", "宣传",
    ):  # fmt: skip
        assert topic in titles, f"no work item about {topic}"
    # Every service item is served by a procedure, and the casework the issue named is there.
    served = {item for procedure in book.procedures for item in procedure.serves}
    assert served == ids
    for topic in ("换届", "医疗互助", "对账"):
        assert any(topic in p.title for p in book.procedures), topic


def test_every_rule_has_a_source_a_date_and_a_status(shipped_book_dir: Path):
    book = load_book(shipped_book_dir)
    for rule in book.rules:
        assert rule.title and rule.text and rule.source, rule.id
        assert 1990 <= rule.effective.year <= book.effective.year, rule.id
        assert rule.status in ("国家规定", "地方默认", "待核实"), rule.id
        # A rule that says it is national law names a regulation, not the county.
        if rule.status == "国家规定":
            assert "《" in rule.source and "县总工会" not in rule.source, rule.id
    statuses = {rule.status for rule in book.rules}
    assert statuses == {"国家规定", "地方默认", "待核实"}
    # Local amounts and time limits are marked as the county's defaults, not presented as law.
    assert sum(rule.local_default for rule in book.rules) >= 5


def test_no_two_rules_share_an_id_and_every_linked_rule_exists(shipped_book_dir: Path):
    book = load_book(shipped_book_dir)
    ids = [rule.id for rule in book.rules]
    assert len(ids) == len(set(ids))
    known = set(ids)
    for procedure in book.procedures:
        for step in procedure.steps:
            assert step.rule_ids, f"{procedure.id}.{step.id} cites no rule"
            assert set(step.rule_ids) <= known, f"{procedure.id}.{step.id}"
    for item in book.service_items:
        assert item.rule_ids and set(item.rule_ids) <= known, item.id


def test_missing_field_names_file_and_line(small_book_dir: Path):
    path = small_book_dir / "items" / "01_aid.toml"
    replace_in(
        path,
        'source = "县总工会规定（地方默认）"\neffective = 2026-01-01\ntags = ["帮扶", "认定"]',
        'effective = 2026-01-01\ntags = ["帮扶", "认定"]',
    )
    [message] = problems_of(small_book_dir)
    # The [[rules]] header of the first rule is where the editor should look.
    assert message.startswith(f"items/01_aid.toml 第 {line_of(path, '[[rules]]')} 行")
    assert "缺少“依据”" in message


def test_wrong_time_unit_points_at_its_line(small_book_dir: Path):
    path = small_book_dir / "service_checklist.toml"
    replace_in(path, 'time_limit_unit = "工作日"', 'time_limit_unit = "天"')
    [message] = problems_of(small_book_dir)
    line = line_of(path, 'time_limit_unit = "天"')
    assert message.startswith(f"service_checklist.toml 第 {line} 行")
    assert "工作日、自然日、小时" in message


def test_syntax_error_reports_the_line(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(path, 'title = "会员住院慰问"', 'title = "会员住院慰问')
    [message] = problems_of(small_book_dir)
    assert message.startswith(f"items/02_condolence.toml 第 {line_of(path, '会员住院慰问')} 行")
    assert "格式错误" in message


def test_duplicate_rule_id_names_the_other_file(small_book_dir: Path):
    replace_in(small_book_dir / "items" / "02_condolence.toml", 'id = "W02-01"', 'id = "W01-01"')
    duplicate, dangling = problems_of(small_book_dir)
    assert duplicate.startswith("items/02_condolence.toml")
    assert "W01-01" in duplicate and "items/01_aid.toml" in duplicate and "重复" in duplicate
    # The checklist still points at the old id, which is now gone: that is a second mistake.
    assert "W02-01" in dangling and "不存在" in dangling


def test_misspelled_key_is_not_silently_ignored(small_book_dir: Path):
    path = small_book_dir / "items" / "01_aid.toml"
    replace_in(path, 'tags = ["走访"]', 'tag = ["走访"]')
    [message] = problems_of(small_book_dir)
    assert f"第 {line_of(path, 'tag = ')} 行" in message and "不认识的字段“tag”" in message


def test_bad_date_and_dangling_reference_are_reported_together(small_book_dir: Path):
    replace_in(
        small_book_dir / "items" / "01_aid.toml",
        "effective = 2026-01-01",
        'effective = "2026年2月30日"',
    )
    replace_in(
        small_book_dir / "service_checklist.toml", 'rules = ["W02-01"]', 'rules = ["W09-99"]'
    )
    messages = problems_of(small_book_dir)
    assert len(messages) == 2
    assert any("生效日期" in m and "2026年2月只有 28 天" in m for m in messages)
    assert any("W09-99" in m and "不存在" in m for m in messages)


def test_file_not_in_utf8_is_explained(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    [message] = problems_of(small_book_dir)
    assert "items/02_condolence.toml" in message and "UTF-8" in message


def test_error_text_lists_every_problem_for_the_user(small_book_dir: Path):
    replace_in(small_book_dir / "service_checklist.toml", "time_limit = 15", "time_limit = 0")
    with pytest.raises(BookError) as caught:
        load_book(small_book_dir)
    assert str(caught.value).startswith("制度汇编文件有 1 处错误")
    assert "大于 0 的整数" in str(caught.value)


# --- procedure files -----------------------------------------------------------------------


def test_procedure_condition_with_an_unknown_name_points_at_its_line(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(path, 'when = "medical"', 'when = "medicall"')
    [message] = problems_of(small_book_dir)
    assert f"small_aid.toml 第 {line_of(path, 'medicall')} 行" in message
    assert "不认识的名称：medicall" in message


def test_form_when_names_a_form_of_the_step_and_a_valid_condition(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        'forms = ["aid_application"]',
        'forms = ["aid_application"]\n'
        'form_when = { aid_application = "medical ==", other = "medical" }',
    )
    messages = problems_of(small_book_dir)
    assert len(messages) == 2
    assert any("表单 aid_application" in m and "写错了" in m for m in messages)
    assert any("form_when 提到的表单 other 不在本步的 forms 中" in m for m in messages)
    assert all(f"第 {line_of(path, 'form_when')} 行" in m for m in messages)


def test_form_when_offers_a_form_only_when_its_condition_holds(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        'forms = ["aid_application"]',
        'forms = ["aid_application", "medical_aid_application"]\n'
        'form_when = { medical_aid_application = "medical" }',
    )
    step = load_book(small_book_dir).procedures[0].steps[0]
    assert step.forms_for({"medical": True}) == ("aid_application", "medical_aid_application")
    assert step.forms_for({"medical": False}) == ("aid_application",)
    assert step.forms_for({}) == ("aid_application", "medical_aid_application")  # not known yet


def test_hold_from_must_be_a_date_field_of_the_step(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        'hold = { limit = 3, unit = "工作日" }',
        'hold = { limit = 3, unit = "工作日", from = "income_per_head" }',
    )
    [message] = problems_of(small_book_dir)
    line = line_of(path, 'income_per_head" }')
    assert f"第 {line} 行" in message
    assert "等待期 from = “income_per_head”不对" in message


def test_a_deadline_counts_from_a_step_or_from_a_date_recorded_before_it(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        'deadline = { limit = 3, unit = "工作日" }',
        'deadline = { limit = 3, unit = "工作日", from = "household_size" }',
    )
    [message] = problems_of(small_book_dir)
    line = line_of(path, 'from = "household_size')
    assert f"第 {line} 行" in message
    assert "办理时限 from = “household_size”不对" in message
    assert "本步之前的一个日期登记项的编号" in message


def test_a_warning_is_read_apart_from_the_checks_and_a_check_needs_block_when(
    small_book_dir: Path,
):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        '[[steps]]\nid = "assessment"',
        '[[steps.warnings]]\nwhen = "household_size > 8"\n'
        'message = "家庭人口 {household_size} 人，请核对户口簿。"\n\n'
        '[[steps.checks]]\nmessage = "没写条件。"\n\n[[steps]]\nid = "assessment"',
    )
    [message] = problems_of(small_book_dir)
    assert "第 1 条校验" in message and "block_when" in message
    replace_in(path, '[[steps.checks]]\nmessage = "没写条件。"\n\n', "")
    [step] = [s for s in load_book(small_book_dir).procedures[0].steps if s.id == "application"]
    assert step.checks == () and [c.message for c in step.cautions] == [
        "家庭人口 {household_size} 人，请核对户口簿。"
    ]


def test_only_a_date_can_be_kept_from_the_future(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(path, 'type = "number"\nrequired = true', 'type = "number"\nnot_future = true')
    [message] = problems_of(small_book_dir)
    assert f"第 {line_of(path, 'not_future')} 行" in message
    assert "登记项“家庭人口”不是日期类型（date），不要写 not_future" in message
    # On a date it is read: 告知日期 then refuses a day after today.
    replace_in(path, "not_future = true", "required = true")
    told = 'label = "告知日期"\ntype = "date"'
    replace_in(path, told, told + "\nnot_future = true")
    book = load_book(small_book_dir)
    (procedure,) = book.procedures
    assert procedure.step("refusal").fields[0].not_future


# --- how sure the book is of a rule -------------------------------------------------------------


def test_each_rule_has_a_status_and_local_default_follows_it(small_book_dir: Path):
    book = load_book(small_book_dir)
    status = {rule.id: rule.status for rule in book.rules}
    assert status == {"W01-01": "地方默认", "W01-02": "地方默认", "W02-01": "国家规定",
                      "W02-02": "地方默认"}  # fmt: skip
    assert [r.id for r in book.rules if r.local_default] == ["W01-01", "W01-02", "W02-02"]


def test_missing_status_says_how_to_write_it(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(path, 'tags = ["慰问"]\nstatus = "国家规定"', 'tags = ["慰问"]')
    [message] = problems_of(small_book_dir)
    assert message.startswith(f"items/02_condolence.toml 第 {line_of(path, '[[rules]]')} 行")
    assert "制度 W02-01 缺少“状态”" in message
    assert '"国家规定"、"地方默认"、"待核实"' in message


def test_old_local_default_flag_alone_is_explained(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(
        path, 'tags = ["慰问"]\nstatus = "国家规定"', 'tags = ["慰问"]\nlocal_default = true'
    )
    [message] = problems_of(small_book_dir)
    assert '原来的 local_default = true 请改为 status = "地方默认"' in message


def test_unknown_status_points_at_its_line(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(path, 'status = "国家规定"', 'status = "法定"')
    [message] = problems_of(small_book_dir)
    assert message.startswith(f"items/02_condolence.toml 第 {line_of(path, '法定')} 行")
    assert "状态“法定”不对，只能是 国家规定、地方默认、待核实 之一" in message


def test_local_default_that_contradicts_the_status_is_refused(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(path, 'status = "国家规定"', 'status = "国家规定"\nlocal_default = true')
    [message] = problems_of(small_book_dir)
    assert f"第 {line_of(path, 'local_default = true')} 行" in message
    assert "不一致" in message and "删去 local_default" in message


def test_a_rule_marked_local_in_its_source_cannot_claim_to_be_national(small_book_dir: Path):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(path, 'tags = []\nstatus = "地方默认"', 'tags = []\nstatus = "国家规定"')
    [message] = problems_of(small_book_dir)
    source_line = line_of(path, 'source = "县总工会规定')
    assert message.startswith(f"items/02_condolence.toml 第 {source_line} 行")
    assert "制度 W02-02 的依据中写着“地方默认”，状态却是“国家规定”" in message


def test_a_local_default_that_rests_on_an_unchecked_claim_is_marked_unchecked(
    small_book_dir: Path,
):
    path = small_book_dir / "items" / "02_condolence.toml"
    replace_in(
        path,
        'source = "县总工会规定（地方默认）"',
        'source = "县总工会规定（地方默认）；全国总工会的有关规定（文件待核实）"',
    )
    [message] = problems_of(small_book_dir)
    source_line = line_of(path, "文件待核实")
    assert message.startswith(f"items/02_condolence.toml 第 {source_line} 行")
    assert "制度 W02-02 的依据中写着“待核实”，状态却是“地方默认”" in message
    assert 'status = "待核实"' in message


def test_a_step_check_with_an_unknown_name_or_placeholder_points_at_its_line(small_book_dir: Path):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(
        path,
        '[[steps]]\nid = "assessment"',
        '[[steps.checks]]\nblock_when = "medicall and household_size > 20"\n'
        'message = "家庭人口 {household_sise} 人，请核对。"\n\n[[steps]]\nid = "assessment"',
    )
    unknown_name, unknown_placeholder = problems_of(small_book_dir)
    assert f"small_aid.toml 第 {line_of(path, 'medicall')} 行" in unknown_name
    assert "第 1 条校验" in unknown_name and "不认识的名称：medicall" in unknown_name
    assert f"第 {line_of(path, 'household_sise')} 行" in unknown_placeholder
    assert "{household_sise} 不是字段或参数编号" in unknown_placeholder


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('subject = "person"', "subject = [1, 2]", "办理对象“[1, 2]”只能是"),
        ('type = "bool"', 'type = ["bool"]', "类型“['bool']”不对"),
    ],
)
def test_a_list_where_a_name_belongs_is_explained_not_a_crash(small_book_dir, old, new, message):
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(path, old, new)
    [problem] = problems_of(small_book_dir)
    assert f"第 {line_of(path, new)} 行" in problem and message in problem


@pytest.mark.parametrize(
    ("old", "new", "fragment"),
    [
        # Each stopped the program's start with a traceback.
        ('when = "medical"', 'when = "' + "(" * 400 + "medical" + ")" * 400 + '"', "嵌套太深"),
        ('when = "medical"', 'when = "medical_cost > ' + "1" * 5000 + '"', "条件太长"),
        ("max = 20", "max = " + "1" * 5000, "太长（5000 个字符）"),
        ("max = 20", "max = " + "[" * 400 + "]" * 400, "套了超过 32 层"),
    ],
)
def test_over_deep_or_over_long_procedure_input_names_file_and_line(
    small_book_dir: Path, old, new, fragment
):
    path = small_book_dir / "procedures" / "small_aid.toml"
    line = line_of(path, old)
    replace_in(path, old, new)
    [message] = problems_of(small_book_dir)
    assert f"procedures/small_aid.toml 第 {line} 行" in message
    assert fragment in message and len(message) < 400


def test_a_book_file_past_the_size_cap_is_named(small_book_dir: Path):
    path = small_book_dir / "items" / "01_aid.toml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 1_000_000, encoding="utf-8")
    [message] = problems_of(small_book_dir)
    assert message.startswith("items/01_aid.toml：文件太大")


def test_the_command_line_reports_a_broken_book_instead_of_a_traceback(
    small_book_dir: Path, tmp_path: Path, monkeypatch, capsys
):
    from desktop.cli import main
    from desktop.office import Office

    monkeypatch.setattr("desktop.office.default_book_dir", lambda: small_book_dir)
    with Office.open(tmp_path / "data") as office:
        office.set_name("城关镇总工会")
    # The next version ships a broken book: the office reads it when it is next opened.
    path = small_book_dir / "procedures" / "small_aid.toml"
    replace_in(path, 'when = "medical"', 'when = "' + "(" * 400 + "medical" + ")" * 400 + '"')
    assert main(["--data-dir", str(tmp_path / "data"), "book", "stats"]) == 1
    error = capsys.readouterr().err
    assert "制度汇编文件有 1 处错误" in error and "small_aid.toml 第 " in error
    assert "Traceback" not in error


def test_an_empty_book_file_says_what_it_lacks(small_book_dir: Path):
    # Found by the property tests: 制度汇编文件有 0 处错误, and nothing said what to fix.
    (small_book_dir / "book.toml").write_text("", encoding="utf-8")
    problems = problems_of(small_book_dir)
    assert problems and all(p.startswith("book.toml 第 1 行：本文件缺少") for p in problems)
    assert any("标题" in p for p in problems)


@pytest.mark.parametrize(
    ("file", "old", "new", "fragment"),
    [
        # Counting a deadline walks the calendar day by day: opening a case never ended.
        ("service_checklist.toml", "time_limit = 15", "time_limit = 99999999", "时限最多 3650"),
        (
            "procedures/small_aid.toml",
            'limit = 3, unit = "工作日" }',
            'limit = 99999999, unit = "工作日" }',
            "limit 应为 0 到 3650 之间的整数",
        ),
        # TOML's 1e999 is an infinite float: int() raised OverflowError.
        ("procedures/small_aid.toml", "value = 750", "value = 1e999", "不是金额"),
        ("procedures/small_aid.toml", "max = 5000", "max = 1e20", "过大"),
    ],
)
def test_time_limits_and_amounts_are_bounded(small_book_dir: Path, file, old, new, fragment):
    path = small_book_dir / file
    line = line_of(path, old)
    replace_in(path, old, new)
    message = problems_of(small_book_dir)[0]  # a broken parameter also unknows its uses
    assert f"{file} 第 {line} 行" in message and fragment in message


def test_a_file_wrong_throughout_is_summed_up_not_listed_to_the_last(small_book_dir: Path):
    # 50,000 broken rules made a 16 MB message for the start's error box.
    path = small_book_dir / "items" / "01_aid.toml"
    path.write_text(path.read_text(encoding="utf-8") + '[[rules]]\nid = "x"\n' * 1000)
    with pytest.raises(BookError) as caught:
        load_book(small_book_dir)
    assert len(caught.value.problems) > 1000
    lines = str(caught.value).splitlines()
    assert len(lines) == 32 and lines[-1].endswith("请先改正上面这些")
    assert f"另有 {len(caught.value.problems) - 30} 处" in lines[-1]


# --- the synonym list (synonyms.toml) -------------------------------------------------------

SYNONYMS = """\
# 近义词表
[[words]]
word = "生病"
search_for = ["住院"]

[[words]]
word = "困难户"
search_for = [
    "困难职工",
    "帮扶 资金",
]
"""


def write_synonyms(book_dir: Path, text: str = SYNONYMS) -> Path:
    path = book_dir / "synonyms.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_synonym_list_is_read_with_the_book(small_book_dir: Path):
    write_synonyms(small_book_dir)
    book = load_book(small_book_dir)
    assert [(s.word, s.search_for) for s in book.synonyms] == [
        ("生病", ("住院",)),
        ("困难户", ("困难职工", "帮扶 资金")),
    ]


def test_shipped_synonyms_are_words_the_rules_do_not_use_as_typed(shipped_book_dir: Path):
    book = load_book(shipped_book_dir)
    assert 15 <= len(book.synonyms) <= 30
    words = {s.word for s in book.synonyms}
    assert {"退休慰问", "婚丧", "生病住院"} <= words


def test_a_synonym_that_finds_no_rule_points_at_its_line(small_book_dir: Path):
    # 住院 misspelt: the clerk would find nothing, so the editor hears of it first.
    path = write_synonyms(small_book_dir, SYNONYMS.replace('"帮扶 资金"', '"帮扶 基金"'))
    [message] = problems_of(small_book_dir)
    assert message.startswith(f"synonyms.toml 第 {line_of(path, '帮扶 基金')} 行")
    assert "“困难户”的查找的词“帮扶 基金”查不到任何制度" in message


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('word = "困难户"', 'word = "生病"  # again', "与第 3 行的重复"),
        ('word = "生病"', 'word = "生 病"', "只能是一个词"),
        ('word = "生病"', 'word = "？"', "没有汉字、字母或数字"),
        ('search_for = ["住院"]', 'search_for = "住院"', "文字列表"),
        ('search_for = ["住院"]', 'look_for = ["住院"]', "不认识的字段“look_for”"),
    ],
)
def test_a_wrong_synonym_entry_names_file_and_line(small_book_dir: Path, old, new, expected):
    path = write_synonyms(small_book_dir, SYNONYMS.replace(old, new, 1))
    where = f"synonyms.toml 第 {line_of(path, new)} 行"
    problems = problems_of(small_book_dir)
    assert any(p.startswith(where) and expected in p for p in problems), problems


def test_a_broken_synonym_file_is_reported_like_the_other_book_files(small_book_dir: Path):
    path = write_synonyms(small_book_dir, SYNONYMS.replace('word = "生病"', 'word = "生病'))
    [message] = problems_of(small_book_dir)
    assert message.startswith(f"synonyms.toml 第 {line_of(path, 'word = ')} 行")
    assert "格式错误" in message
