"""Reading inbox files in the dialects spreadsheet tools produce."""

import pytest

from jumelage.demo.files import write_csv, write_xlsx
from jumelage.ingest.inbox import file_kind
from jumelage.ingest.reader import UnreadableFile, read_table
from jumelage.vocabulary import QuarantineCode

from ..conftest import EN_HEADER, FR_HEADER, as_french, reg


def test_windows_1252_semicolon_crlf_with_accented_french_headers(tmp_path):
    rows = as_french([reg(first_name="Éloïse", organization="Ministère de l'Éducation")])
    path = write_csv(
        tmp_path / "inscriptions.csv", rows, encoding="cp1252", separator=";", newline="\r\n"
    )
    assert b"\xc9lo\xefse" in path.read_bytes()  # really cp1252 on disk
    table = read_table(path, "registrations")
    assert table.encoding == "cp1252"
    assert table.separator == ";"
    assert table.frame["first_name"].to_list() == ["Éloïse"]
    assert table.frame["organization"].to_list() == ["Ministère de l'Éducation"]
    assert table.frame["row_number"].to_list() == [1]


def test_utf8_bom_comma_and_quoted_separators(tmp_path):
    rows = [reg(organization="Santé, Services sociaux; Québec", goals="leadership;strategie")]
    path = write_csv(tmp_path / "registrations.csv", rows, bom=True, header=EN_HEADER)
    table = read_table(path, "registrations")
    assert table.encoding == "utf-8-sig"
    assert table.separator == ","
    assert table.frame["organization"].to_list() == ["Santé, Services sociaux; Québec"]
    assert table.frame["submitted_at"].to_list() == ["2026-01-05"]  # BOM not in the header


def test_multiline_quoted_cell_keeps_row_numbers(tmp_path):
    rows = [reg(unit="Direction\ndes finances"), reg(email="b@x.ca")]
    path = write_csv(tmp_path / "registrations.csv", rows, newline="\r\n")
    table = read_table(path, "registrations")
    assert table.frame["row_number"].to_list() == [1, 2]
    assert table.frame["unit"].to_list()[0] == "Direction\ndes finances"


def test_xlsx(tmp_path):
    rows = as_french([reg(), reg(email="b@x.ca", management_level="2")])
    path = write_xlsx(tmp_path / "inscriptions.xlsx", rows, header=FR_HEADER)
    table = read_table(path, "registrations")
    assert table.encoding == "xlsx"
    assert table.frame["email"].to_list() == ["jean.cote@msss.gouv.qc.ca", "b@x.ca"]
    assert table.frame["management_level"].to_list() == ["1", "2"]


def test_missing_required_column_rejects_the_file(tmp_path):
    rows = [{k: v for k, v in reg().items() if k != "email"}]
    path = write_csv(tmp_path / "registrations.csv", rows)
    with pytest.raises(UnreadableFile, match="courriel"):
        read_table(path, "registrations")


def test_duplicated_header_rejects_the_file(tmp_path):
    path = tmp_path / "registrations.csv"
    header = ",".join([*EN_HEADER, "Courriel"])
    path.write_text(header + "\n" + ",".join(["x"] * (len(EN_HEADER) + 1)) + "\n")
    with pytest.raises(UnreadableFile, match="colonne en double"):
        read_table(path, "registrations")


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\x00\x01\x02PK\x03\x04" * 50])
def test_empty_or_binary_files_are_unreadable(tmp_path, content):
    path = tmp_path / "registrations.csv"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        read_table(path, "registrations")


def test_broken_xlsx_is_unreadable(tmp_path):
    path = tmp_path / "registrations.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(UnreadableFile, match="XLSX"):
        read_table(path, "registrations")


def test_extra_cells_are_a_row_problem(tmp_path):
    path = tmp_path / "registrations.csv"
    values = list(reg().values())
    path.write_text(
        ",".join(EN_HEADER) + "\n" + ",".join(values) + "\n" + ",".join([*values, "surplus"]) + "\n"
    )
    table = read_table(path, "registrations")
    assert list(table.row_problems) == [2]
    (problem,) = table.row_problems[2]
    assert problem.code == QuarantineCode.TOO_MANY_CELLS
    assert problem.text("fr") == (
        "ligne: 22 cellules pour 21 colonnes (séparateur dans une cellule ?)"
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("registrations-2026.csv", "registrations"),
        ("Inscriptions janvier.XLSX", "registrations"),
        ("events.csv", "events"),
        ("événements-semaine.csv", "events"),
        ("evenements.xlsx", "events"),
        ("notes.csv", None),
        ("registrations.txt", None),
        ("~$inscriptions.xlsx", None),
    ],
)
def test_file_kind_from_its_name(name, kind):
    assert file_kind(name) == kind
