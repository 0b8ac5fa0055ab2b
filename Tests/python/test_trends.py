"""`corpuskit trends`, `rising` and `bursts` against the oracle (issue 6)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import oracle
from conftest import close, mismatch_report, parse_tsv

HEADER = ["period", "period_start", "term", "count", "docs", "per_million"]
TERMS = ["oil", "crash", "Iran", "stock market", "dollar"]


def check_trends(out: str, want: list[dict], smooth: bool = False, what: str = "") -> None:
    header, rows = parse_tsv(out)
    assert header == HEADER + (["smoothed_per_million"] if smooth else []), f"header {header}"
    got = [r[:5] for r in rows]
    exp = [[w["period"], w["period_start"], w["term"], str(w["count"]), str(w["docs"])] for w in want]
    if got != exp:
        pytest.fail(f"{what}\n" + mismatch_report(got, exp), pytrace=False)
    bad = []

    def same(cell: str, want) -> bool:  # `\N` is null: a period without documents
        return want is None if cell == "\\N" else (want is not None and close(float(cell), want))

    for r, w in zip(rows, want):
        if not same(r[5], w["per_million"]):
            bad.append(f"{r[:3]} per_million {r[5]} vs {w['per_million']!r}")
        if smooth and not same(r[6], w["smoothed_per_million"]):
            bad.append(f"{r[:3]} smoothed_per_million {r[6]} vs {w['smoothed_per_million']!r}")
    assert not bad, f"{what}: {len(bad)} differences, e.g. {bad[:10]}"


# ---- whole corpora -------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", ["day", "week", "month"])  # quarter: the hand-made boundary cases below
def test_reuters_all_terms(ck, reuters_dir, reuters_all, by):
    ck.require("trends")
    out = ck.run("trends", reuters_dir, "--by", by, "--format", "tsv")
    check_trends(out, oracle.trends(reuters_all, by), what=f"reuters21578 by {by}, every nonzero row")


@pytest.mark.parametrize("corpus", ["state_union", "inaugural"])
def test_speeches_by_year(ck, corpora, corpus, request):
    ck.require("trends")
    docs = request.getfixturevalue(corpus)
    out = ck.run("trends", corpora / corpus, "--input-format", "text", "--by", "year", "--format", "tsv")
    check_trends(out, oracle.trends(docs, "year"), what=f"{corpus} by year")


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_reuters_terms_dense(ck, reuters_dir, reuters_all, by):
    """--terms: every period first..last for every term, zeros included; terms normalized like tokens
    ("Iran" finds "iran"), a multi-word term counted as an n-gram."""
    ck.require("trends")
    out = ck.run("trends", reuters_dir, "--by", by, "--terms", ",".join(TERMS), "--format", "tsv")
    want = oracle.trends(reuters_all, by, terms_=TERMS)
    periods = oracle.period_range(dt.date(1987, 2, 26), dt.date(1987, 10, 20), by)
    assert len(want) == len(periods) * len(TERMS)
    if by == "month":
        assert {w["period"] for w in want if w["count"] == 0 and w["term"] == "oil"} == {
            "1987-05", "1987-07", "1987-08", "1987-09"}
    check_trends(out, want, what=f"reuters21578 --terms by {by}")


@pytest.mark.parametrize("k", [3, 5])
def test_smoothing_month(ck, reuters_dir, reuters_all, k):
    """Centred moving average over K periods, truncated at the ends (mean of the available periods)."""
    ck.require("trends")
    out = ck.run("trends", reuters_dir, "--by", "month", "--terms", ",".join(TERMS), "--smooth", k,
                 "--format", "tsv")
    want = oracle.trends(reuters_all, "month", terms_=TERMS, smooth=k)
    oil = [w for w in want if w["term"] == "oil"]
    h = k // 2
    def mean(ws):  # periods without documents (per_million None) are left out of the average
        v = [w["per_million"] for w in ws if w["per_million"] is not None]
        return sum(v) / len(v)

    assert close(oil[0]["smoothed_per_million"], mean(oil[:h + 1]))  # first: truncated window
    assert close(oil[-1]["smoothed_per_million"], mean(oil[-h - 1:]))
    # 1987-05 has no documents: no value, and it is left out of its neighbours' windows
    may = next(w for w in oil if w["period"] == "1987-05")
    assert may["per_million"] is None and may["smoothed_per_million"] is None
    check_trends(out, want, smooth=True, what=f"--smooth {k} by month")


def test_top_k_dense_year(ck, corpora, inaugural):
    ck.require("trends")
    out = ck.run("trends", corpora / "inaugural", "--input-format", "text", "--by", "year", "--top", "3",
                 "--format", "tsv")
    want = oracle.trends(inaugural, "year", top=3)
    assert len(want) == (2021 - 1789 + 1) * 3  # calendar-contiguous years, empty ones included
    check_trends(out, want, what="inaugural --top 3 by year (dense)")


# ---- hand-made: week / quarter boundaries, time zones crossing midnight UTC, undated documents --------


DATED = [
    ("a", "2020-12-31T12:00:00Z", "alpha"),          # Thu: 2020-W53, 2020-Q4
    ("b", "2021-01-03T23:00:00-02:00", "alpha"),     # UTC Mon 2021-01-04 01:00: 2021-W01, not Sunday's W53
    ("c", "2021-01-03", "alpha beta"),               # Sun: 2020-W53
    ("d", "2021-03-31T22:30:00-03:00", "beta"),      # UTC 2021-04-01: 2021-Q2, 2021-04
    ("e", "2021-04-01T01:00:00+03:00", "beta gamma"),  # UTC 2021-03-31 22:00: 2021-Q1, 2021-03
    ("f", "2021-04-05T00:30:00+01:00", "gamma"),     # UTC Sun 2021-04-04 23:30: 2021-W13
]


@pytest.fixture(scope="module")
def dated_jsonl(tmp_path_factory):
    f = tmp_path_factory.mktemp("dated") / "dated.jsonl"
    with open(f, "w", encoding="utf-8") as fh:
        for i, d, t in DATED:
            fh.write(json.dumps({"id": i, "date": d, "title": "", "text": t}) + "\n")
        fh.write(json.dumps({"id": "u", "text": "alpha undated"}) + "\n")
    return f


@pytest.fixture(scope="module")
def dated_docs(dated_jsonl):
    return oracle.tokenize_docs(oracle.read_jsonl(dated_jsonl))


def test_oracle_boundaries(dated_docs):
    periods = {d.id: {by: oracle.period_of(oracle.utc_date(d.date), by) for by in ["day", "week", "quarter"]}
               for d in dated_docs if d.date}
    assert periods["a"] == {"day": "2020-12-31", "week": "2020-W53", "quarter": "2020-Q4"}
    assert periods["b"] == {"day": "2021-01-04", "week": "2021-W01", "quarter": "2021-Q1"}
    assert periods["c"]["week"] == "2020-W53"
    assert periods["d"]["quarter"] == "2021-Q2" and periods["e"]["quarter"] == "2021-Q1"
    assert periods["f"] == {"day": "2021-04-04", "week": "2021-W13", "quarter": "2021-Q2"}


@pytest.mark.parametrize("by", ["day", "week", "month", "quarter", "year"])
def test_boundaries_and_time_zones(ck, dated_jsonl, dated_docs, by):
    ck.require("trends")
    p = ck.run_raw("trends", dated_jsonl, "--input-format", "jsonl", "--by", by, "--format", "tsv")
    assert p.returncode == 0, p.stderr.decode()
    check_trends(p.stdout.decode(), oracle.trends(dated_docs, by), what=f"hand-made dates by {by}")
    assert "undated" in p.stderr.decode().lower(), "the undated document is not reported on stderr"
    out = ck.run("trends", dated_jsonl, "--input-format", "jsonl", "--by", by, "--terms", "alpha,beta gamma",
                 "--format", "tsv")
    check_trends(out, oracle.trends(dated_docs, by, terms_=["alpha", "beta gamma"]),
                 what=f"hand-made dates by {by}, dense")


# ---- rising --------------------------------------------------------------------------------------------

RISING_HEADER = ["term", "count", "baseline_count", "per_million", "baseline_per_million", "log_ratio", "g2"]


def check_rising(out: str, res: dict, what: str):
    header, rows = parse_tsv(out)
    assert header == RISING_HEADER, f"header {header}"
    want = sorted(res["rows"].values(), key=lambda r: (-r["g2"], r["term"].encode()))
    got_keys = sorted([r[0], r[1], r[2]] for r in rows)
    want_keys = sorted([w["term"], str(w["count"]), str(w["baseline_count"])] for w in want)
    if got_keys != want_keys:
        pytest.fail(f"{what} (target {res['target']}, baseline {res['baseline_periods']})\n"
                    + mismatch_report(got_keys, want_keys), pytrace=False)
    bad = []
    for r in rows:
        w = res["rows"][r[0]]
        for i, c in enumerate(RISING_HEADER[3:], 3):
            if not close(float(r[i]), w[c]):
                bad.append(f"{r[0]} {c}: {r[i]} vs {w[c]!r}")
    assert not bad, f"{what}: {len(bad)} differences, e.g. {bad[:10]}"
    keys = [(-float(r[6]), r[0].encode()) for r in rows]
    unsorted = [(rows[i][0], rows[i + 1][0]) for i in range(len(rows) - 1) if keys[i] > keys[i + 1]]
    assert not unsorted, f"{what}: not sorted by g2 desc, term: {unsorted[:5]}"


def test_rising_default_last_month(ck, reuters_dir, reuters_all):
    ck.require("rising")
    res = oracle.rising(reuters_all, "month")
    assert res["target"] == "1987-10" and res["baseline_periods"] == ["1987-02", "1987-03", "1987-04", "1987-06"]
    out = ck.run("rising", reuters_dir, "--by", "month", "--format", "tsv", "--top", "0")
    check_rising(out, res, "rising --by month (October 1987 against the 4 months with documents before)")


def test_rising_period_baseline(ck, reuters_dir, reuters_all):
    ck.require("rising")
    res = oracle.rising(reuters_all, "week", period="1987-W15", baseline=2)
    out = ck.run("rising", reuters_dir, "--by", "week", "--period", "1987-W15", "--baseline", "2",
                 "--format", "tsv", "--top", "0")
    check_rising(out, res, "rising --by week --period 1987-W15 --baseline 2")


# ---- bursts --------------------------------------------------------------------------------------------

BURST_HEADER = ["term", "start", "end", "weight"]


def check_bursts(out: str, want: list[dict], what: str):
    header, rows = parse_tsv(out)
    assert header == BURST_HEADER, f"header {header}"
    got = sorted(r[:3] for r in rows)
    exp = sorted([w["term"], w["start"], w["end"]] for w in want)
    if got != exp:
        pytest.fail(f"{what}\n" + mismatch_report(got, exp), pytrace=False)
    wmap = {(w["term"], w["start"]): w["weight"] for w in want}
    bad = [f"{r[:3]} weight {r[3]} vs {wmap[(r[0], r[1])]!r}" for r in rows
           if not close(float(r[3]), wmap[(r[0], r[1])])]
    assert not bad, f"{what}: {bad[:10]}"


BURST_TERMS = ["oil", "crash", "iran", "stock", "dollar", "yen", "gulf", "tanker"]


@pytest.mark.parametrize("by", ["day", "week", "month"])
def test_bursts_reuters(ck, reuters_dir, reuters_all, by):
    ck.require("bursts")
    out = ck.run("bursts", reuters_dir, "--by", by, "--terms", ",".join(BURST_TERMS), "--format", "tsv")
    check_bursts(out, oracle.bursts(reuters_all, by, BURST_TERMS), f"bursts --by {by}")


def test_known_burst_synthetic(ck, tmp_path):
    """30 days x 10 documents; 'flood' in 1 document a day, but in 8 a day on days 10..14 (1-based)."""
    ck.require("bursts")
    f = tmp_path / "burst.jsonl"
    start = dt.date(2022, 3, 1)
    with open(f, "w", encoding="utf-8") as fh:
        for day in range(30):
            r = 8 if 9 <= day <= 13 else 1
            for j in range(10):
                text = "river flood warning" if j < r else "river calm today"
                fh.write(json.dumps({"id": f"{day}-{j}", "date": (start + dt.timedelta(days=day)).isoformat(),
                                     "text": text}) + "\n")
    docs = oracle.tokenize_docs(oracle.read_jsonl(f))
    want = oracle.bursts(docs, "day", ["flood"])
    assert [(w["start"], w["end"]) for w in want] == [("2022-03-10", "2022-03-14")]
    out = ck.run("bursts", f, "--input-format", "jsonl", "--by", "day", "--terms", "flood", "--format", "tsv")
    check_bursts(out, want, "synthetic burst")
