"""ID numbers, credit codes, phones, money and typed text: junk gets the module's own error with a
Chinese message and nothing else; every valid value, however a clerk writes it, is accepted and
reads back the same."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from desktop.identity import (
    CREDIT_CODE_ALPHABET,
    PROVINCE_CODES,
    REGISTRATION_DEPARTMENTS,
    IdentityError,
    make_credit_code,
    make_id_number,
    mask_id_number,
    mask_phone,
    parse_credit_code,
    parse_id_number,
    parse_phone,
)
from desktop.money import MAX_FEN, MoneyError, format_fen, parse_yuan
from desktop.validation import TextError, clean_person_name, clean_text, name_key
from tests.properties import examples
from tests.properties.strategies import TODAY, full_width, is_chinese_message, junk, spaced

# --- resident ID numbers -------------------------------------------------------------------------


@st.composite
def id_numbers(draw) -> tuple[str, date, int]:
    """A valid number, with the birth date and sequence it was made from."""
    region = f"{draw(st.sampled_from(sorted(PROVINCE_CODES)))}{draw(st.integers(0, 9999)):04d}"
    birth = draw(st.dates(date(1900, 1, 1), TODAY))
    sequence = draw(st.integers(0, 999))
    return make_id_number(region, birth, sequence), birth, sequence


@examples(300)
@given(junk)
def test_any_text_as_an_id_number_gets_an_identity_error_or_a_valid_number(text):
    try:
        parsed = parse_id_number(text, today=TODAY)
    except IdentityError as error:
        assert is_chinese_message(error), error
    else:
        assert len(parsed.number) == 18 and parsed.birth_date <= TODAY
    mask_id_number(text)  # never raises


@examples(200)
@given(id_numbers(), st.data())
def test_a_valid_id_number_is_accepted_however_it_is_typed(made, data):
    number, birth, sequence = made
    typed = data.draw(spaced(number))
    if data.draw(st.booleans()):
        typed = full_width(typed)
    typed = typed.lower() if data.draw(st.booleans()) else typed
    parsed = parse_id_number(f" {typed} ", today=TODAY)
    assert parsed.number == number
    assert parsed.birth_date == birth
    assert parsed.gender == ("男" if sequence % 2 else "女")
    assert parse_id_number(parsed.number, today=TODAY) == parsed
    assert mask_id_number(number) == number[:4] + "*" * 10 + number[-4:]


@examples(200)
@given(id_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_one_wrong_character_of_an_id_number_is_refused(made, position, char):
    number = made[0]
    assume(number[position] != char)
    wrong = number[:position] + char + number[position + 1 :]
    with pytest.raises(IdentityError) as caught:
        parse_id_number(wrong, today=TODAY)
    assert is_chinese_message(caught.value)


# --- unified social credit codes -----------------------------------------------------------------


@st.composite
def credit_codes(draw) -> str:
    registration = draw(st.sampled_from(sorted(REGISTRATION_DEPARTMENTS)))
    category = draw(st.sampled_from("123456789"))
    region = f"{draw(st.integers(0, 999_999)):06d}"
    body = "".join(draw(st.lists(st.sampled_from(CREDIT_CODE_ALPHABET), min_size=8, max_size=8)))
    return make_credit_code(registration + category, region, body)


@examples(300)
@given(junk)
def test_any_text_as_a_credit_code_gets_an_identity_error_or_a_valid_code(text):
    try:
        parsed = parse_credit_code(text)
    except IdentityError as error:
        assert is_chinese_message(error), error
    else:
        assert len(parsed.code) == 18 and set(parsed.code) <= set(CREDIT_CODE_ALPHABET)


@examples(200)
@given(credit_codes(), st.data())
def test_a_valid_credit_code_is_accepted_however_it_is_typed(code, data):
    typed = data.draw(spaced(code, " -"))
    if data.draw(st.booleans()):
        typed = full_width(typed)
    typed = typed.lower() if data.draw(st.booleans()) else typed
    assert parse_credit_code(typed).code == code
    assert parse_credit_code(code).code == code


@examples(200)
@given(credit_codes(), st.integers(0, 17), st.sampled_from(CREDIT_CODE_ALPHABET))
def test_one_wrong_character_of_a_credit_code_is_refused(code, position, char):
    assume(code[position] != char)
    with pytest.raises(IdentityError):
        parse_credit_code(code[:position] + char + code[position + 1 :])


# --- phone numbers -------------------------------------------------------------------------------

mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)


@st.composite
def landlines(draw) -> tuple[str, str]:
    """(area code, local number) of a valid fixed-line number."""
    if draw(st.booleans()):
        area = draw(st.sampled_from(["010", *(f"02{d}" for d in range(10))]))
    else:
        area = "0" + draw(st.from_regex(r"[3-9][0-9]{2}", fullmatch=True))
    local = draw(st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True))
    return area, local


@examples(300)
@given(junk)
def test_any_text_as_a_phone_gets_an_identity_error_or_a_normal_number(text):
    try:
        phone = parse_phone(text)
    except IdentityError as error:
        assert is_chinese_message(error), error
    else:
        assert parse_phone(phone) == phone  # the normal form reads back as itself
    mask_phone(text)  # never raises


@examples(150)
@given(mobiles, st.sampled_from(["", "+86 ", "+86", "0086 ", "86"]), st.data())
def test_a_mobile_number_is_accepted_with_or_without_country_code(number, prefix, data):
    typed = prefix + data.draw(spaced(number, " -"))
    assert parse_phone(typed) == number
    assert mask_phone(typed) == number[:3] + "****" + number[-4:]


@examples(150)
@given(landlines(), st.sampled_from(["{a}-{n}", "{a}{n}", "({a}){n}", "{a} {n}", "+86 {a0} {n}"]))
# Beijing written from abroad: "10 …" was taken for a mobile number of the wrong length.
@example(("010", "62345678"), "+86 {a0} {n}")
def test_a_landline_is_accepted_however_it_is_written(parts, pattern):
    area, local = parts
    typed = pattern.format(a=area, n=local, a0=area[1:])
    assert parse_phone(typed) == f"{area}-{local}"


# --- money ---------------------------------------------------------------------------------------


@examples(300)
@given(junk)
def test_any_text_as_money_gets_a_money_error_or_an_amount_in_range(text):
    try:
        fen = parse_yuan(text)
    except MoneyError as error:
        assert is_chinese_message(error), error
    else:
        assert 0 <= fen < MAX_FEN


@examples(300)
@given(st.integers(0, MAX_FEN - 1), st.sampled_from(["{}", "{}元", "￥{}", "¥ {} 元"]))
def test_every_amount_in_fen_reads_back_from_how_it_is_written(fen, decoration):
    written = format_fen(fen)
    assert parse_yuan(decoration.format(written)) == fen
    assert parse_yuan(written.replace(",", "")) == fen
    assert format_fen(parse_yuan(written)) == written  # stable


@examples(100)
@given(st.integers(MAX_FEN, 10**40))
def test_an_amount_past_the_cap_is_refused_not_stored(fen):
    with pytest.raises(MoneyError, match="过大"):
        parse_yuan(format_fen(fen))


# --- typed text and names ------------------------------------------------------------------------


@examples(300)
@given(junk, st.integers(1, 300), st.booleans())
def test_typed_text_is_refused_or_comes_back_clean_and_stays_so(text, limit, multiline):
    try:
        cleaned = clean_text(text, what="备注", limit=limit, multiline=multiline)
    except TextError as error:
        assert is_chinese_message(error), error
        return
    assert len(cleaned) <= limit
    for char in cleaned:
        assert unicodedata.category(char) not in ("Cf", "Cs", "Co", "Cn"), repr(char)
        assert unicodedata.category(char) != "Cc" or (multiline and char == "\n"), repr(char)
    assert clean_text(cleaned, what="备注", limit=limit, multiline=multiline) == cleaned


@examples(300)
@given(junk)
def test_a_name_is_refused_or_clean_and_compares_by_its_key(text):
    try:
        name = clean_person_name(text)
    except TextError as error:
        assert is_chinese_message(error), error
        return
    assert clean_person_name(name) == name
    assert name_key(name) == name_key(f" {name} ") == name_key(full_width(name))
