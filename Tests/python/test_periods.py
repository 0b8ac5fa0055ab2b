"""`corpuskit periods`: documents and tokens per period, every period from the first to the last dated one
(empty ones with 0), checked against an independent count with pandas over `corpuskit docs`."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

import oracle
from conftest import parse_tsv


FREQ = {"day": "D", "week": "W-SUN", "month": "M", "quarter": "Q", "year": "Y"}


def expected_periods(docs: pd.DataFrame, by: str) -> pd.DataFrame:
    """From `corpuskit docs` rows: every period between the first and last date, with documents and tokens."""
    dated = docs[docs["date"] != ""].copy()
    days = pd.to_datetime(dated["date"], utc=True).dt.tz_localize(None)
    dated["period"] = [oracle.period_of(d.date(), by) for d in days]
    counts = dated.groupby("period").agg(documents=("id", "size"), tokens=("tokens", "sum"))
    span = pd.period_range(days.min(), days.max(), freq=FREQ[by])
    rows = []
    for p in span:
        start = p.start_time.date()
        lab = oracle.period_of(start, by)
        n = counts.loc[lab] if lab in counts.index else None
        rows.append({"period": lab, "period_start": start.isoformat(),
                     "documents": int(n["documents"]) if n is not None else 0,
                     "tokens": int(n["tokens"]) if n is not None else 0})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def reuters_docs(ck, corpora):
    header, rows = parse_tsv(ck.run("docs", corpora / "reuters21578", "--format", "tsv"))
    df = pd.DataFrame(rows, columns=header)
    df["tokens"] = df["tokens"].astype(int)
    return df


@pytest.mark.parametrize("by", ["day", "week", "month", "quarter", "year"])
def test_periods_equal_an_independent_count(ck, corpora, reuters_docs, by):
    ck.require("periods")
    header, rows = parse_tsv(ck.run("periods", corpora / "reuters21578", "--by", by, "--format", "tsv"))
    assert header == ["period", "period_start", "documents", "tokens"]
    want = expected_periods(reuters_docs, by)
    got = pd.DataFrame(rows, columns=header).astype({"documents": int, "tokens": int})
    assert got.to_dict("records") == want.to_dict("records")
    assert got["documents"].sum() == (reuters_docs["date"] != "").sum()
    if by == "day":
        assert (got["documents"] == 0).any(), "Reuters has days without documents: they must be rows"


def test_periods_parquet_has_a_date_column(ck, corpora, tmp_path):
    ck.require("periods")
    out = tmp_path / "periods.parquet"
    ck.run("periods", corpora / "reuters21578" / "reut2-000.sgm", "--by", "week", "-o", out)
    t = pq.read_table(out)
    assert [str(f.type) for f in t.schema] == ["string", "date32[day]", "int64", "int64"]
    starts = t.column("period_start").to_pylist()
    assert all(s.weekday() == 0 for s in starts)  # ISO weeks start on Monday
    assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_periods_count_undated_on_stderr_and_keep_gaps(ck, tmp_path):
    ck.require("periods")
    docs = [{"id": "a", "date": "2020-01-15", "text": "one two three"},
            {"id": "b", "date": "2020-04-02", "text": "four five"},
            {"id": "c", "text": "undated words here"},
            {"id": "d", "date": "2020-04-30T23:30:00-02:00", "text": "six"}]  # 2020-05-01 UTC
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in docs) + "\n")
    p = ck.run_raw("periods", path, "--by", "month", "--format", "tsv")
    assert p.returncode == 0, p.stderr.decode()
    header, rows = parse_tsv(p.stdout.decode())
    assert rows == [["2020-01", "2020-01-01", "1", "3"], ["2020-02", "2020-02-01", "0", "0"],
                    ["2020-03", "2020-03-01", "0", "0"], ["2020-04", "2020-04-01", "1", "2"],
                    ["2020-05", "2020-05-01", "1", "1"]]
    assert "1 undated document" in p.stderr.decode()
