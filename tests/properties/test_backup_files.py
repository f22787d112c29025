"""Backup files (*.udbak) come back from USB sticks and other computers: any file offered for a
restore gives a BackupError in Chinese or a checked backup, never another exception."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from desktop.backups import MANIFEST, BackupError, make_backup, read_backup, verify_backup
from desktop.office import Office
from tests.properties import examples
from tests.properties.strategies import is_chinese_message

SMALL_BOOK = Path(__file__).parent.parent / "data" / "small_book"
NOW = datetime(2026, 11, 20, 10, 0)


@pytest.fixture(scope="module")
def real_backup() -> Iterator[bytes]:
    """The bytes of a backup of a small office, as the program writes it."""
    with tempfile.TemporaryDirectory(prefix="uniondesk-backup-") as folder:
        with Office.open(Path(folder) / "data", SMALL_BOOK) as office:
            office.set_name("城关镇总工会")
            info = make_backup(office, Path(folder) / "备份.udbak", NOW)
        assert info.office_name == "城关镇总工会" and info.created == NOW  # reads back
        yield info.path.read_bytes()


def offered(content: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "备份.udbak"
        path.write_bytes(content)
        yield path


def zipped(manifest: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, manifest)
    return buffer.getvalue()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)
manifests = st.fixed_dictionaries(
    {"program": st.sampled_from(["UnionDesk", "other"])},
    optional={
        key: json_values | st.sampled_from(["2026-11-20T10:00:00", "0001-01-01T00:00+14:00"])
        for key in ("created", "schema_version", "office_name", "cases", "people", "attachments",
                    "automatic", "app_version")
    },
)  # fmt: skip


def assert_read_or_refused(path: Path) -> None:
    try:
        read_backup(path)
    except BackupError as error:
        assert is_chinese_message(error), error


@examples(200)
@given(
    st.one_of(
        manifests.map(lambda m: json.dumps(m).encode()),
        st.binary(max_size=100),
        st.text(max_size=100).map(str.encode),
    )
)
# Each raised a traceback through the restore dialog: nesting past Python's recursion limit,
# a 5,000-digit number, a count of 1e400 (OverflowError in int()).
@example(b"[" * 100_000 + b"]" * 100_000)
@example(
    b'{"program": "UnionDesk", "created": "2026-01-01", "schema_version": ' + b"1" * 5000 + b"}"
)
@example(b'{"program": "UnionDesk", "created": "2026-01-01", "schema_version": 1, "cases": 1e400}')
def test_any_manifest_gives_a_backup_error_or_what_the_backup_holds(manifest):
    for path in offered(zipped(manifest)):
        assert_read_or_refused(path)


@examples(100)
@given(st.binary(max_size=2000))
def test_any_file_offered_as_a_backup_gives_a_backup_error(content):
    for path in offered(content):
        with pytest.raises(BackupError) as caught:
            read_backup(path)
        assert is_chinese_message(caught.value)


@examples(25)
@given(st.data())
def test_a_damaged_backup_is_refused_by_the_check_before_a_restore(real_backup, data):
    content = bytearray(real_backup)
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(content) - 1))
        content[at] = data.draw(st.integers(0, 255))
    for path in offered(bytes(content)):
        try:
            info = verify_backup(path)
        except BackupError as error:
            assert is_chinese_message(error), error
        else:  # what the damage missed: a byte the zip does not use
            assert info.office_name == "城关镇总工会"
