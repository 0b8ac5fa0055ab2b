"""Dates (issue 12 "Right numbers", issue 19): bad dates, zone names, file-name dates, impossible date
ranges and periods as usage errors, --smooth, bursts over periods with documents, --terms warnings."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import oracle
from conftest import close, parse_tsv

EX_USAGE = 64


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r) + "\n")
    return path


def docs_dates(ck, *args) -> dict[str, str]:
    header, rows = parse_tsv(ck.run("docs", *args, "--format", "tsv"))
    return {r[header.index("id")]: r[header.index("date")] for r in rows}


# ---- reading: bad dates, zone names ------------------------------------------------------------------


def test_bad_dates_reported_and_undated(ck, tmp_path):
    ck.require("docs")
    f = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "feb30", "date": "1993-02-30", "text": "alpha"},
        {"id": "apr31", "date": "1993-04-31", "text": "alpha"},
        {"id": "feb29", "date": "1993-02-29", "text": "alpha"},
        {"id": "leap", "date": "1996-02-29", "text": "alpha"},
        {"id": "huge", "date": 1e15, "text": "alpha"},
        {"id": "old", "date": "0999-12-31", "text": "alpha"},
        {"id": "ok", "date": 733622400, "text": "alpha"},
    ])
    p = ck.run_raw("docs", f, "--format", "tsv")
    assert p.returncode == 0, p.stderr.decode()
    _, rows = parse_tsv(p.stdout.decode())
    dates = {r[0]: r[2] for r in rows}
    assert dates == {"feb30": "", "apr31": "", "feb29": "", "leap": "1996-02-29T00:00:00Z", "huge": "",
                     "old": "", "ok": "1993-04-01T00:00:00Z"}
    err = p.stderr.decode()
    for line, what in [(1, '"1993-02-30" names a day that does not exist'),
                       (2, '"1993-04-31" names a day that does not exist'),
                       (3, '"1993-02-29" names a day that does not exist'),
                       (5, "is outside the years 1000–9999"), (6, '"0999-12-31" is outside the years 1000–9999')]:
        assert any(f"d.jsonl:{line}" in ln and what in ln for ln in err.splitlines()), \
            f"no warning for line {line} ({what}) in:\n{err}"
    q = ck.run_raw("docs", f, "--format", "tsv", "--strict")
    assert q.returncode != 0, "--strict must make a bad date fatal"


def test_huge_numeric_date_keeps_trends_small(ck, tmp_path):
    """Issue 19: a numeric date of 1e15 must not spread `trends --by day` over millennia."""
    ck.require("trends")
    f = write_jsonl(tmp_path / "d.jsonl", [
        {"id": "a", "date": "2020-01-01", "text": "alpha"},
        {"id": "b", "date": 1e15, "text": "alpha"},
        {"id": "c", "date": -1e15, "text": "alpha"},
    ])
    p = ck.run_raw("trends", f, "--by", "day", "--terms", "alpha", "--format", "tsv", timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    _, rows = parse_tsv(p.stdout.decode())
    assert rows == [["2020-01-01", "2020-01-01", "alpha", "1", "1", "1000000.0"]]
    assert "2 undated documents" in p.stderr.decode()


@pytest.mark.parametrize("date,utc", [
    ("Mon, 05 Apr 93 23:30:00 IDT", "1993-04-05T23:30:00Z"),   # unlisted zone name = -0000 (UTC)
    ("Mon, 05 Apr 93 23:30:00 NZST", "1993-04-05T23:30:00Z"),
    ("Tue, 06 Apr 1993 09:00:00 CET", "1993-04-06T09:00:00Z"),
    ("Mon, 05 Apr 93 23:30:00 +0300", "1993-04-05T20:30:00Z"),  # numeric offsets unchanged
    ("Mon, 05 Apr 93 23:30:00 EDT", "1993-04-06T03:30:00Z"),    # listed names unchanged
])
def test_zone_names(ck, tmp_path, date, utc):
    ck.require("docs")
    f = write_jsonl(tmp_path / "z.jsonl", [{"id": "x", "date": date, "text": "alpha"}])
    p = ck.run_raw("docs", f, "--format", "tsv")
    assert p.returncode == 0 and "date" not in p.stderr.decode().lower(), p.stderr.decode()
    assert docs_dates(ck, f) == {"x": utc}


@pytest.mark.parametrize("name,date", [
    ("1789-Washington.txt", "1789-01-01T00:00:00Z"),
    ("2022-02-12-uk-defence.txt", "2022-02-12T00:00:00Z"),
    ("1999_report.txt", "1999-01-01T00:00:00Z"),
    ("1993.txt", "1993-01-01T00:00:00Z"),
    ("9141", ""),          # a Usenet post: only digits
    ("1993", ""),
    ("12345.txt", ""),
    ("3000-x.txt", ""),
])
def test_file_name_dates(ck, tmp_path, name, date):
    ck.require("docs")
    f = tmp_path / name
    f.write_text("Some words here.\n", encoding="utf-8")
    header, rows = parse_tsv(ck.run("docs", f, "--input-format", "text", "--format", "tsv"))
    assert [r[header.index("date")] for r in rows] == [date]


# ---- usage errors before any reading -------------------------------------------------------------------


@pytest.mark.parametrize("args,message", [
    (["keyness", "--target-dates", "1993-04-20..1993-04-31", "--reference-dates", "1993-03..1993-03"],
     "--target-dates 1993-04-20..1993-04-31: 1993-04-31 is not a date: April 1993 has 30 days"),
    (["keyness", "--target-dates", "1993-04", "--reference-dates", "1993-02-29..1993-03-31"],
     None),
    (["keyness", "--target-dates", "1993-04..1993-04", "--reference-dates", "1993-02-29..1993-03-31"],
     "--reference-dates 1993-02-29..1993-03-31: 1993-02-29 is not a date: February 1993 has 28 days"),
    (["keyness", "--target-dates", "1993-13..1993-13", "--reference-dates", "1993-03..1993-03"],
     "there is no month 13"),
    (["rising", "--by", "day", "--period", "1987-02-29"], "--period 1987-02-29: no such day: February 1987 has 28 days"),
    (["rising", "--by", "week", "--period", "2021-W53"], "--period 2021-W53: no such week: 2021 has ISO weeks W01–W52"),
    (["rising", "--by", "quarter", "--period", "1987-Q5"], "no such quarter"),
    (["rising", "--by", "month", "--period", "1987-1"], "--period 1987-1: not a month label (e.g. 1987-10)"),
    (["trends", "--by", "month", "--smooth", "2"], "--smooth 2: K must be odd"),
    (["trends", "--by", "month", "--smooth", "4"], "--smooth 4: K must be odd"),
    (["trends", "--by", "month", "--smooth", "0"], "--smooth 0: K must be odd"),
])
def test_usage_errors_before_reading(ck, tmp_path, args, message):
    """Exit 64 with a clear message, before any input is read (the input does not even exist)."""
    ck.require(args[0])
    missing = tmp_path / "no-such-input.jsonl"
    p = ck.run_raw(args[0], missing, *args[1:])
    err = p.stderr.decode()
    assert p.returncode == EX_USAGE, f"exit {p.returncode}: {err}"
    assert "no-such-input" not in err, f"the input was read before the options were checked: {err}"
    if message:
        assert message in err, err
    assert p.stdout == b""


# ---- --smooth -----------------------------------------------------------------------------------------


def smoothing_corpus(tmp_path):
    recs = []
    for m, n in zip(range(1, 8), [1, 4, 0, 2, 7, 3, 5]):
        recs.append({"id": f"m{m}", "date": f"2020-{m:02d}-15", "text": " ".join(["oil"] * n + ["x"] * (10 - n))})
    return write_jsonl(tmp_path / "s.jsonl", recs)


@pytest.mark.parametrize("k", [1, 3, 5])
def test_smooth_odd_windows(ck, tmp_path, k):
    ck.require("trends")
    f = smoothing_corpus(tmp_path)
    header, rows = parse_tsv(ck.run("trends", f, "--by", "month", "--terms", "oil", "--smooth", k, "--format", "tsv"))
    assert header[-1] == "smoothed_per_million"
    pm = [float(r[5]) for r in rows]
    assert pm == [1e5 * n for n in [1, 4, 0, 2, 7, 3, 5]]
    h = (k - 1) // 2
    want = [sum(pm[max(0, i - h):i + h + 1]) / len(pm[max(0, i - h):i + h + 1]) for i in range(len(pm))]
    got = [float(r[6]) for r in rows]
    assert all(close(a, b) for a, b in zip(got, want)), (got, want)
    if k == 1:
        assert got == pm  # K = 1: no smoothing


def test_help_documents_smooth(ck):
    ck.require("trends")
    out = ck.run("trends", "--help")
    assert "K odd; 1 = no smoothing" in " ".join(out.split())


# ---- bursts over periods with documents --------------------------------------------------------------


def test_bursts_skip_periods_without_documents(ck, tmp_path):
    """Days 1-10 and 31-40 of 2022 hold 10 documents each; days 11-30 none. 'flood' is in 1 document a
    day, but in 8 a day on days 33-35. The burst must start and end on days with documents; before, the
    empty days cost nothing in either state and a burst could start in them."""
    ck.require("bursts")
    start = dt.date(2022, 1, 1)
    recs = []
    for day in list(range(0, 10)) + list(range(30, 40)):
        r = 8 if 32 <= day <= 34 else 1
        for j in range(10):
            recs.append({"id": f"{day}-{j}", "date": (start + dt.timedelta(days=day)).isoformat(),
                         "text": "river flood warning" if j < r else "river calm today"})
    f = write_jsonl(tmp_path / "gap.jsonl", recs)
    docs = oracle.tokenize_docs(oracle.read_jsonl(f))
    want = oracle.bursts(docs, "day", ["flood"])
    assert [(w["start"], w["end"]) for w in want] == [("2022-02-02", "2022-02-04")]
    header, rows = parse_tsv(ck.run("bursts", f, "--by", "day", "--terms", "flood", "--format", "tsv"))
    assert header == ["term", "start", "end", "weight"]
    assert [r[:3] for r in rows] == [["flood", "2022-02-02", "2022-02-04"]]
    assert close(float(rows[0][3]), want[0]["weight"])
    with_docs = {(start + dt.timedelta(days=d)).isoformat() for d in list(range(0, 10)) + list(range(30, 40))}
    # and by week: 2022-W02 .. W04 are empty and never a burst's start or end
    header, rows = parse_tsv(ck.run("bursts", f, "--by", "week", "--terms", "flood,river", "--format", "tsv"))
    weeks_with_docs = {oracle.period_of(dt.date.fromisoformat(d), "week") for d in with_docs}
    for r in rows:
        assert r[1] in weeks_with_docs and r[2] in weeks_with_docs, r


# ---- --terms ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cmd", ["trends", "bursts"])
def test_terms_warnings(ck, tmp_path, cmd):
    ck.require(cmd)
    f = write_jsonl(tmp_path / "t.jsonl", [
        {"id": "a", "date": "2020-01-01", "text": "I write C++ and encrypt files."},
        {"id": "b", "date": "2020-02-01", "text": "Oil prices; the stock market."},
    ])
    p = ck.run_raw(cmd, f, "--by", "month", "--terms", "c++,encrypt*,!!!,Oil,stock  market,zzyzx,c", "--format", "tsv")
    assert p.returncode == 0, p.stderr.decode()
    err = p.stderr.decode().splitlines()
    assert "corpuskit: --terms: 'c++' is counted as 'c' (terms are tokenized like the text)" in err, err
    assert "corpuskit: --terms: 'encrypt*' is counted as 'encrypt' (terms are tokenized like the text)" in err, err
    assert any(ln.startswith("corpuskit: --terms: '!!!' has no tokens") for ln in err), err
    assert any(ln.startswith("corpuskit: --terms: 'zzyzx' does not occur in the corpus") for ln in err), err
    assert any("'c' is the same term as 'c++'" in ln for ln in err), err
    # case and spacing are normalization, not a change worth a line
    assert not any("'Oil'" in ln or "'stock  market'" in ln for ln in err), err
    if cmd == "trends":
        _, rows = parse_tsv(p.stdout.decode())
        terms = [r[2] for r in rows]
        assert sorted(set(terms)) == ["c", "encrypt", "oil", "stock market", "zzyzx"]
        assert all(r[3] == "0" for r in rows if r[2] == "zzyzx")  # the absent term's rows stay, zeros
        assert len(rows) == 2 * 5


def test_article_with_impossible_date(ck, tmp_path):
    """An article whose date line names a day that does not exist is still an article: the date is
    reported at file:1 and the document stays undated (its file-name date does not stand in)."""
    ck.require("docs")
    f = tmp_path / "2022-01-05-note.txt"
    f.write_text("1993-04-31\nA title\n\nThe body of the note.\n", encoding="utf-8")
    p = ck.run_raw("docs", f, "--format", "tsv")
    assert p.returncode == 0, p.stderr.decode()
    header, rows = parse_tsv(p.stdout.decode())
    assert [(r[header.index("date")], r[header.index("title")]) for r in rows] == [("", "A title")]
    assert '2022-01-05-note.txt:1: date "1993-04-31" names a day that does not exist' in p.stderr.decode()
