"""Broken and hostile files: each gets a clear message, and none is loaded into memory whole.

Every file is made here from a sound workbook written by openpyxl (no committed blobs).
"""

from __future__ import annotations

import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from timeline_pdf.errors import Finding, TimelinePdfError, WorkbookError
from timeline_pdf.limits import ENVIRONMENT_VARIABLE, Limits, current_limits
from timeline_pdf.validate import load_report
from timeline_pdf.workbook import read_workbook
from xlsx_helpers import add_member, rewrite_member, write_compound_file, write_workbook

ROW = {"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}


def sound(tmp_path: Path, name: str = "events.xlsx") -> Path:
    return write_workbook(tmp_path / name, [ROW])


def refusal(path: Path, **kwargs) -> Finding:
    """The single error finding a file is refused with."""
    with pytest.raises(WorkbookError) as info:
        load_report(path, **kwargs)
    (finding,) = info.value.findings
    assert finding.severity == "error" and finding.hint, str(finding)
    assert finding.file == str(path) and finding.code
    return finding


def test_a_sound_workbook_passes_every_check(tmp_path):
    report, findings = load_report(sound(tmp_path))
    assert len(report.events) == 1
    assert [f.code for f in findings if f.severity != "note"] == ["summary-missing"]


def test_text_file_named_xlsx(tmp_path):
    path = tmp_path / "events.xlsx"
    path.write_text("Date,Category,Description\n", encoding="utf-8")
    finding = refusal(path)
    assert finding.code == "not-a-workbook" and ".csv" in finding.hint


def test_truncated_workbook_says_it_is_incomplete(tmp_path):
    path = sound(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    finding = refusal(path)
    assert finding.code == "truncated"
    assert "incomplete" in finding.message and "again" in finding.hint


def test_corrupt_part_fails_its_checksum(tmp_path):
    path = sound(tmp_path)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    data = bytearray(path.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + 5, start + 15):  # damage the compressed bytes of the sheet
        data[offset] ^= 0xFF
    path.write_bytes(bytes(data))
    finding = refusal(path)
    assert finding.code == "damaged" and "damaged" in finding.message


def test_password_protected_workbook(tmp_path):
    # Excel saves an encrypted workbook as an OLE compound file with these two streams
    path = write_compound_file(tmp_path / "events.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 600})
    finding = refusal(path)
    assert finding.code == "password-protected"
    assert "password" in finding.message and "remove the password" in finding.hint


def test_old_xls_renamed_to_xlsx(tmp_path):
    path = write_compound_file(tmp_path / "events.xlsx", {"Workbook": b"\x09\x08" + b"\x00" * 100})
    finding = refusal(path)
    assert finding.code == "old-xls" and "Excel 97-2003" in finding.message


def test_xlsm_is_read_and_its_macros_are_ignored(tmp_path):
    path = sound(tmp_path, "events.xlsm")
    rewrite_member(path, "[Content_Types].xml", lambda xml: xml.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"))
    add_member(path, "xl/vbaProject.bin", b"Attribute VB_Name = \"Module1\"\nSub Auto_Open()\nShell \"calc.exe\"\nEnd Sub\n")
    report, findings = load_report(path)
    assert [e.description for e in report.events] == ["Rockets strike Camp Taji."]
    note = next(f for f in findings if f.code == "macros-ignored")
    assert note.severity == "note" and "never runs" in note.message


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "[Content_Types].xml"])
def test_xml_entity_expansion_is_refused(tmp_path, member):
    path = sound(tmp_path)

    def inject(xml: bytes) -> bytes:
        body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
        tag_end = body.index(b">")
        return BILLION_LAUGHS + body[: tag_end + 1] + b"&lol9;" + body[tag_end + 1:]

    rewrite_member(path, member, inject)
    started = time.perf_counter()
    finding = refusal(path)
    assert time.perf_counter() - started < 5
    assert finding.code == "xml-entities" and member in finding.message


def test_external_entity_is_refused(tmp_path):
    path = sound(tmp_path)
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: b'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n' + xml.split(b"?>", 1)[-1].lstrip())
    assert refusal(path).code == "xml-entities"


def test_decompression_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    path = sound(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:  # 60 MB of zeros packs to ~60 KB
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as stream:
            chunk = b"\0" * 1_000_000
            for _ in range(60):
                stream.write(chunk)
    assert path.stat().st_size < 200_000
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "50")
    finding = refusal(path)
    assert finding.code == "zip-bomb"
    assert "60 MB" in finding.message and "50 MB" in finding.message
    assert ENVIRONMENT_VARIABLE in finding.hint
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "100")  # the documented setting lets a genuine big file through
    report, _ = load_report(path)
    assert len(report.events) == 1


def test_bomb_that_lies_about_its_size_is_stopped_at_the_declared_size(tmp_path):
    """A part declaring 1 KB but inflating to 20 MB: the zip reader stops at 1 KB and the
    checksum fails, so no more than the declared size is ever unpacked."""
    path = sound(tmp_path)
    payload = b"\0" * 20_000_000
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/image1.bin", payload)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/media/image1.bin")
    real = len(payload).to_bytes(4, "little")
    assert data.count(real) >= 2  # the local header and the central directory
    path.write_bytes(bytes(data).replace(real, (1024).to_bytes(4, "little")))
    finding = refusal(path)
    assert finding.code == "damaged" and info.filename in finding.message


def test_too_many_parts_is_refused(tmp_path):
    path = sound(tmp_path)
    with zipfile.ZipFile(path, "a") as archive:
        for index in range(60):
            archive.writestr(f"xl/extra/{index}.bin", b"")
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, Limits(max_members=50))
    assert info.value.findings[0].code == "zip-bomb"


def test_file_over_the_limit_is_refused_without_reading(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("Date,Category,Description\n" + "2020-01-01,Rocket attack,x\n" * 2000, encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, Limits(max_unpacked_bytes=10_000))
    assert info.value.findings[0].code == "file-too-large"


@pytest.mark.parametrize("setting", ["lots", "-5", "0"])
def test_a_bad_limit_setting_is_a_clear_error(monkeypatch, setting):
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, setting)
    with pytest.raises(TimelinePdfError) as info:
        current_limits()
    assert ENVIRONMENT_VARIABLE in str(info.value) and "megabytes" in str(info.value)


def test_default_limit_is_documented_in_megabytes(monkeypatch):
    monkeypatch.delenv(ENVIRONMENT_VARIABLE, raising=False)
    assert current_limits().max_unpacked_mb == 200
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "12.5")
    assert current_limits().max_unpacked_bytes == 12_500_000


def test_one_stray_cell_far_away_does_not_blow_up(tmp_path):
    def stray(book):
        book["Events"]["XFD1048576"] = "stray"

    path = write_workbook(tmp_path / "events.xlsx", [ROW], edit=stray)
    started = time.perf_counter()
    report, _ = load_report(path)
    assert time.perf_counter() - started < 5
    assert len(report.events) == 1


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_saved_as_utf16_is_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes("Date,Category,Description\n2020-01-01,Rocket attack,x\n".encode("utf-16"))
    finding = refusal(path)
    assert finding.code == "csv-encoding" and "UTF-16" in finding.message and "CSV UTF-8" in finding.hint


def test_undecodable_csv_names_the_line(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"Date,Category,Description\n2020-01-01,Rocket attack,ok\n2020-01-02,Rocket attack,pr\xe8s de Bagdad\n")
    finding = refusal(path)
    assert finding.code == "csv-encoding" and "line 3" in finding.message and "0xE8" in finding.message


def test_csv_with_semicolons_as_european_excel_saves_it(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("Date;Category;Description;US Killed\n2020-03-11;Rocket attack;Rockets hit Taji, killing two;2\n", encoding="utf-8-sig")
    report, findings = load_report(path)
    (taji,) = report.events
    assert taji.description == "Rockets hit Taji, killing two" and taji.casualties_for("US").killed == 2


def test_csv_hxl_tag_row_under_the_headers_is_skipped(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("Date,Category,Description\n#date,#event+type,#description\n2020-03-11,Rocket attack,x\n", encoding="utf-8")
    report, findings = load_report(path)
    assert [e.row for e in report.events] == [3]
    assert [f.code for f in findings if f.severity != "note"] == ["summary-missing"]
