"""Attachments: scans and documents only, judged by their first bytes, up to the office's size
limit, copied a chunk at a time, and named without characters that disguise a name."""

from __future__ import annotations

import os
import threading
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from desktop.attachments import DEFAULT_SIZE_LIMIT_MB, MB
from desktop.cases.records import Attachment
from desktop.cases.service import CaseError
from tests.cases.test_casework import CLERK, add_person

PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"


@pytest.fixture
def case_id(case_office):
    person = add_person(case_office)
    return case_office.cases.open_case("BF-01", CLERK, person_id=person).id


def attach(office, case_id, path):
    return office.cases.attach_file(case_id, "application", path, CLERK)


def leftovers(office) -> list[str]:
    folder = office.data_dir / "attachments"
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def sparse(path: Path, head: bytes, size: int) -> Path:
    """A file of ``size`` bytes that takes no room on disk beyond its first bytes."""
    with open(path, "wb") as out:
        out.write(head)
        out.truncate(size)
    return path


def zip_package(path: Path, *members: str) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        for member in members:
            package.writestr(member, "<xml/>")
    return path


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("扫描件.pdf", PDF_HEAD + b"1 0 obj"),
        ("照片.JPG", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("签字页.png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("传真.tif", b"II*\x00\x08\x00\x00\x00"),
        ("旧表.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
        ("名册.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
    ],
)
def test_scans_and_documents_are_taken(case_office, case_id, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    attach(case_office, case_id, path)
    (listed,) = case_office.cases.view(case_id).attachments
    assert listed.file_name == name and listed.size == len(content)


@pytest.mark.parametrize(
    ("name", "members"),
    [
        ("电子发票.ofd", ["OFD.xml", "Doc_0/Document.xml"]),
        ("会议记录.docx", ["[Content_Types].xml", "word/document.xml"]),
        ("名单.xlsx", ["[Content_Types].xml", "xl/workbook.xml"]),
    ],
)
def test_ofd_and_office_packages_are_taken(case_office, case_id, tmp_path, name, members):
    attach(case_office, case_id, zip_package(tmp_path / name, *members))
    assert [a.file_name for a in case_office.cases.view(case_id).attachments] == [name]


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        # A program renamed to look like a scan.
        ("扫描件.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(100), "内容不是 PDF"),
        ("照片.jpg", b"#!/bin/sh\nrm -rf ~\n", "内容不是 JPEG"),
        ("setup.exe", b"MZ\x90\x00", "不能作为附件"),
        ("说明.html", b"<html>", "不能作为附件"),
        ("无扩展名", PDF_HEAD, "不能作为附件"),
    ],
)
def test_anything_else_is_refused_saying_what_is_taken(
    case_office, case_id, tmp_path, name, content, said
):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CaseError) as refused:
        attach(case_office, case_id, path)
    assert said in str(refused.value)
    if "不能作为附件" in said:
        allowed = "PDF、JPEG、PNG、TIFF、OFD、Word（.doc .docx）、Excel（.xls .xlsx）"
        assert allowed in str(refused.value)
    assert case_office.cases.view(case_id).attachments == ()
    assert leftovers(case_office) == []


def test_a_zip_renamed_docx_is_refused(case_office, case_id, tmp_path):
    path = zip_package(tmp_path / "会议记录.docx", "payload/run.jar")
    with pytest.raises(CaseError, match="里面没有 Word 的内容"):
        attach(case_office, case_id, path)
    assert leftovers(case_office) == []


def test_a_broken_package_is_refused(case_office, case_id, tmp_path):
    path = tmp_path / "电子发票.ofd"
    path.write_bytes(b"PK\x03\x04" + bytes(200))  # the start of a zip, and nothing after
    with pytest.raises(CaseError, match="不是完整的 OFD 文件"):
        attach(case_office, case_id, path)
    assert leftovers(case_office) == []


def test_a_200_mb_scan_is_refused_by_its_size_without_being_read(case_office, case_id, tmp_path):
    path = sparse(tmp_path / "整本档案.pdf", PDF_HEAD, 200 * MB)
    tracemalloc.start()
    try:
        with pytest.raises(CaseError) as refused:
            attach(case_office, case_id, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refused.value) == (
        f"“整本档案.pdf”有 200.0 MB，附件最大 {DEFAULT_SIZE_LIMIT_MB} MB（设置 → 附件大小上限），"
        "没有添加。请用较低的分辨率（如 200 dpi）或黑白、灰度重新扫描，或把文件分成几份分别添加。"
    )
    assert peak < 2 * MB
    assert leftovers(case_office) == []


def test_a_large_scan_under_the_limit_is_copied_a_chunk_at_a_time(case_office, case_id, tmp_path):
    path = sparse(tmp_path / "档案.pdf", PDF_HEAD, 30 * MB)
    tracemalloc.start()
    try:
        attach(case_office, case_id, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * MB  # a 30 MB file: never read whole
    (listed,) = case_office.cases.view(case_id).attachments
    assert listed.size == 30 * MB
    assert not [name for name in leftovers(case_office) if name.endswith(".part")]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a Unix thing")
def test_a_file_whose_size_is_not_known_stops_at_the_limit(case_office, case_id, tmp_path):
    # A pipe says nothing of its size: the copy itself must stop once past the limit.
    case_office.cases.set_attachment_limit_mb(2, actor=CLERK)
    pipe = tmp_path / "扫描仪输出.pdf"
    os.mkfifo(pipe)

    def feed() -> None:
        try:
            with open(pipe, "wb") as out:
                out.write(PDF_HEAD)
                for _ in range(40):  # 40 MB offered
                    out.write(bytes(MB))
        except BrokenPipeError:
            pass  # the reader stopped, as it should

    feeder = threading.Thread(target=feed)
    feeder.start()
    tracemalloc.start()
    try:
        with pytest.raises(CaseError, match="大于附件大小上限 2 MB"):
            attach(case_office, case_id, pipe)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        feeder.join(timeout=10)
    assert peak < 4 * MB
    assert leftovers(case_office) == []  # the partial copy is gone


def test_the_size_limit_is_an_office_setting(case_office, case_id, tmp_path):
    assert case_office.cases.attachment_limit_mb() == DEFAULT_SIZE_LIMIT_MB
    case_office.cases.set_attachment_limit_mb(1, actor=CLERK)
    path = sparse(tmp_path / "扫描件.pdf", PDF_HEAD, MB + 1)
    with pytest.raises(CaseError, match="有 1.0 MB，附件最大 1 MB"):
        attach(case_office, case_id, path)
    with pytest.raises(ValueError, match="附件大小上限应在 1 到 1000 MB 之间"):
        case_office.cases.set_attachment_limit_mb(0)
    rows = case_office.db.execute(
        "SELECT action, old_value, new_value FROM audit_log WHERE action = '修改附件大小上限'"
    ).fetchall()
    assert [tuple(r) for r in rows] == [("修改附件大小上限", "50 MB", "1 MB")]


def test_a_name_disguised_by_a_direction_override_is_shown_without_it(
    case_office, case_id, tmp_path
):
    # Shown as it is stored, "签字页\u202egnp.pdf" reads "签字页fdp.png" on screen.
    path = tmp_path / "签字页\u202egnp.pdf"
    path.write_bytes(PDF_HEAD)
    attach(case_office, case_id, path)
    view = case_office.cases.view(case_id)
    assert [a.file_name for a in view.attachments] == ["签字页gnp.pdf"]
    assert view.attachments[0].stored_name.endswith(".pdf")
    added = [e.new_value for e in view.timeline if e.action == "添加附件"]
    assert added[0].startswith("签字页gnp.pdf（SHA-256 ")


def test_a_name_listed_before_names_were_cleaned_is_shown_clean():
    added = datetime(2026, 3, 2, 9, 0)
    old = Attachment(1, "x", "报告\u202excod.exe\x1b[2J", "ab/abc.exe", "ab", 1, "", added, "")
    assert old.file_name == "报告xcod.exe [2J"


def test_an_unreadable_file_is_explained(case_office, case_id, tmp_path):
    with pytest.raises(CaseError, match="无法读取文件"):
        attach(case_office, case_id, tmp_path / "不存在.pdf")
    assert leftovers(case_office) == []


def test_nothing_reads_an_attachment_whole_when_checking_the_office(case_office, case_id, tmp_path):
    attach(case_office, case_id, sparse(tmp_path / "档案.pdf", PDF_HEAD, 20 * MB))
    tracemalloc.start()
    try:
        report = case_office.check()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok
    assert peak < 4 * MB


def test_a_full_disk_is_said_in_chinese_and_leaves_no_partial_copy(
    case_office, case_id, tmp_path, monkeypatch
):
    import errno

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    path = tmp_path / "扫描件.pdf"
    path.write_bytes(PDF_HEAD + bytes(1000))
    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(CaseError, match="磁盘空间已满") as refused:
        attach(case_office, case_id, path)
    assert "No space" not in str(refused.value)
    assert leftovers(case_office) == []
    assert not case_office.cases.view(case_id).attachments  # nothing listed either


def test_check_names_files_no_case_lists(case_office, case_id, tmp_path):
    # What a demo build or an add cut short leaves: a scan in the folder that no case lists.
    attach(case_office, case_id, _scan(tmp_path))
    stray = case_office.data_dir / "attachments" / "0f" / "0f00.pdf"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(PDF_HEAD)
    (finding,) = [f for f in case_office.check().findings if f.name == "attachments"]
    assert finding.ok  # nothing of a case is missing, but the file is named:
    assert "另有 1 个文件没有登记在任何案件里（0f/0f00.pdf）" in finding.detail
    assert finding.data["unlisted"] == ["0f/0f00.pdf"]
    assert stray.exists()  # left for the clerk to decide


def _scan(folder: Path) -> Path:
    path = folder / "签字页.pdf"
    path.write_bytes(PDF_HEAD + b"signed")
    return path
