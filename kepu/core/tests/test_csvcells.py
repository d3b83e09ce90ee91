"""CSV cells never start a formula (security #7), and every CSV goes through them."""

import io
import pathlib
import re

from kepu.core import csvcells


def test_text_with_a_formula_prefix_is_quoted_numbers_are_not():
    assert csvcells.safe_cell("=1+1") == "'=1+1"
    assert csvcells.safe_cell("+8613800000000") == "'+8613800000000"
    assert csvcells.safe_cell("-1") == "'-1"  # text that looks like a number is still text
    assert csvcells.safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csvcells.safe_cell("\t=1") == "'\t=1"
    assert csvcells.safe_cell("\r=1") == "'\r=1"
    assert csvcells.safe_cell("科普 = 科学普及") == "科普 = 科学普及"
    assert csvcells.safe_cell("") == ""
    assert csvcells.safe_cell(-3.5) == -3.5
    assert csvcells.safe_cell(-2) == -2
    assert csvcells.safe_cell(None) is None


def test_writer_escapes_every_cell_of_a_row():
    buffer = io.StringIO()
    csvcells.writer(buffer).writerows([["a", "=cmd|' /C calc'!A0", -1], ["@x", "b", 2.5]])
    assert buffer.getvalue().splitlines() == ["a,'=cmd|' /C calc'!A0,-1", "'@x,b,2.5"]


def test_no_csv_is_written_around_the_escaping_writer():
    """A new CSV download must use `core.csvcells.writer`, not `csv.writer` directly."""
    root = pathlib.Path(csvcells.__file__).resolve().parents[1]
    direct = re.compile(r"\bcsv\.(writer|DictWriter)\(")
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "csvcells.py"
        and direct.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"CSV written without core.csvcells.writer: {offenders}"
