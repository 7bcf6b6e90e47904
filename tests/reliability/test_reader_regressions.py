"""Inputs the fuzzer found that broke the reader: each is now a file rejected with a reason."""

from __future__ import annotations

import pytest

from jumelage.ingest.reader import UnreadableFile, read_csv


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"\xef\xbb\xbf\x80email", "encodage illisible"),  # UTF-8 BOM, then not UTF-8
        (b'\xff\xfe"', "encodage illisible"),  # UTF-16 BOM, odd number of bytes
        (b"\xfe\xff\x00", "encodage illisible"),
    ],
)
def test_bad_bytes_after_a_bom(data, why):
    with pytest.raises(UnreadableFile, match=why):
        read_csv(data)


def test_old_mac_line_ends_and_quotes_in_the_header():
    """'\\r' line ends with quoted cells: csv's sniffing used to raise csv.Error."""
    header, rows, _, separator = read_csv(b'"email";"role"\r"a@b.c";"mentor"\r')
    assert separator == ";" and header == ["email", "role"] and rows == [["a@b.c", "mentor"]]
    with pytest.raises(UnreadableFile, match="vide"):  # not csv.Error
        read_csv(b'""\r""\r""')


@pytest.mark.parametrize("column", ["management_level", "capacity", "duration_months"])
@pytest.mark.parametrize("value", ["²", "¹", "-³", "½"])
def test_superscript_digits_are_quarantined_not_a_traceback(config, column, value):
    """'²' is a digit to str.isdigit() but not to int(): the range check used to raise."""
    import polars as pl

    from jumelage.validate.registrations import validate_registrations
    from tests.conftest import reg

    row = reg(**{column: value, "role": "mentor", "competencies": "leadership"})
    frame = pl.DataFrame([{"row_number": 1, **row}]).with_columns(
        pl.col("row_number").cast(pl.Int64)
    )
    result = validate_registrations(frame, config)
    assert result.counts == {"accepted": 0, "quarantined": 1, "superseded": 0}
