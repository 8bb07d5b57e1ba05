"""load(): typed tables, and clear messages for every kind of damaged data file."""

from __future__ import annotations

import re
import warnings

import pandas as pd
import pytest

from defection_course import DataError, UnknownTableError, load, table_names
from defection_course.loading import ModifiedDataWarning

RESTORE = "git checkout -- data/arrivals_annual.csv"


def _edit(course, name: str, old: str, new: str, count: int = 1) -> None:
    path = course / "data" / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {name}.csv"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_every_table_loads_with_the_declared_types():
    for name in table_names():
        df = load(name)
        assert len(df) > 0, name
    annual = load("arrivals_annual")
    assert annual["year"].dtype == "Int64" and annual["total"].dtype == "Int64"
    assert pd.api.types.is_string_dtype(annual["source_id"])
    assert load("cumulative_checkpoints")["mou_series"].dtype == "boolean"


def test_unknown_table_lists_the_available_names():
    with pytest.raises(UnknownTableError) as err:
        load("no-such-table")
    msg = str(err.value)
    assert "no-such-table" in msg and "arrivals_annual" in msg and "purges" in msg


def test_table_name_of_the_wrong_type_is_explained():
    with pytest.raises(UnknownTableError, match="table name as text"):
        load(2016)


def test_csv_suffix_is_forgiven():
    assert len(load("arrivals_annual.csv")) == len(load("arrivals_annual"))


def test_missing_file(course_copy):
    (course_copy / "data" / "arrivals_annual.csv").unlink()
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    assert "data/arrivals_annual.csv is missing" in str(err.value)
    assert RESTORE in str(err.value)


def test_file_cut_off_in_the_middle_of_a_row(course_copy):
    path = course_copy / "data" / "arrivals_annual.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("2009,662") + 8], encoding="utf-8")
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    msg = str(err.value)
    assert "data/arrivals_annual.csv, line 16" in msg and "truncated" in msg and RESTORE in msg


def test_file_cut_off_at_a_row_boundary_is_caught_by_the_row_count(course_copy):
    path = course_copy / "data" / "arrivals_annual.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:20]), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    assert "19 data rows but the course ships 31" in str(err.value)


def test_renamed_column(course_copy):
    _edit(course_copy, "arrivals_annual", "year,male,female,total", "year,male,female,totl")
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    msg = str(err.value)
    assert "line 1 (header)" in msg and "'totl'" in msg and "missing column(s) ['total']" in msg


def test_non_numeric_count_names_line_and_column(course_copy):
    _edit(course_copy, "arrivals_annual", "2009,662,2252,2914", "2009,662,2252,about 2900")
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    msg = str(err.value)
    assert "line 16, column 'total'" in msg and "'about 2900' is not a whole number" in msg
    assert RESTORE in msg


def test_duplicate_year(course_copy):
    _edit(course_copy, "arrivals_annual", "2010,591", "2009,591")
    with pytest.raises(DataError) as err:
        load("arrivals_annual")
    assert "line 17: duplicate year=2009 (already on line 16)" in str(err.value)


def test_duplicate_compound_key(course_copy):
    _edit(course_copy, "origins_age", "github_c2024,10-19", "github_c2024,0-9")
    with pytest.raises(DataError, match=r"duplicate snapshot=github_c2024, age_band=0-9"):
        load("origins_age")


def test_value_outside_the_allowed_list(course_copy):
    _edit(course_copy, "arrivals_annual", ",mou_official,sourced,", ",mou_official,unverified,")
    with pytest.raises(DataError, match=r"line \d+, column 'status': 'unverified' is not one of"):
        load("arrivals_annual")


def test_negative_count(course_copy):
    _edit(course_copy, "arrivals_annual", "2015,251", "2015,-251")
    with pytest.raises(DataError, match="below the minimum"):
        load("arrivals_annual")


def test_required_value_left_empty(course_copy):
    _edit(course_copy, "arrivals_annual", "2015,251,1024,1275", "2015,251,1024,")
    with pytest.raises(DataError, match=r"line 22, column 'total': a value is required"):
        load("arrivals_annual")


def test_empty_file(course_copy):
    (course_copy / "data" / "purges.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"data/purges.csv is empty"):
        load("purges")


def test_binary_garbage(course_copy):
    (course_copy / "data" / "purges.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match="not UTF-8"):
        load("purges")


def test_valid_but_edited_file_loads_with_a_warning(course_copy):
    _edit(course_copy, "arrivals_annual", "first year above 100", "first year over 100")
    with pytest.warns(ModifiedDataWarning, match="differs from the copy shipped"):
        df = load("arrivals_annual")
    assert len(df) == 31


def test_shipped_files_load_without_any_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in table_names():
            load(name)


def test_broken_descriptor(course_copy):
    (course_copy / "data" / "datapackage.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(DataError, match=r"datapackage\.json is not valid JSON"):
        load("arrivals_annual")


def test_in_jupyter_a_data_error_shows_only_its_message_once_the_style_is_on(capsys, monkeypatch):
    from IPython.core.interactiveshell import InteractiveShell

    # an activated virtualenv other than this Python's (a maintainer's shell) makes IPython warn
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    shell = InteractiveShell.instance()  # get_ipython() now returns this shell
    try:
        shell.run_cell("import defection_course\ndefection_course.load('no-such-table')")
        out = capsys.readouterr().out
        assert "Traceback" in out, "importing the package must not change IPython's error display"
        shell.run_cell("defection_course.use_course_style()\ndefection_course.load('no-such-table')")
        out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # drop terminal colours
        assert "UnknownTableError: There is no table called 'no-such-table'" in out
        assert "Traceback" not in out and "loading.py" not in out
    finally:
        InteractiveShell.clear_instance()
