"""`corpuskit terms` against the oracle on whole corpora (issue 4)."""

from __future__ import annotations

import json

import pytest

import oracle
from conftest import close, mismatch_report, parse_csv, parse_tsv

HEADER = ["term", "count", "docs", "per_million"]


def check_terms(out: str, tab: oracle.Table, keys: list[str] | None = None, what: str = "") -> None:
    header, rows = parse_tsv(out)
    assert header == HEADER, f"header {header}"
    keys = tab.rows() if keys is None else keys
    got = [r[:3] for r in rows]
    want = [[k, str(tab.count[k]), str(tab.docs[k])] for k in keys]
    if got != want:
        pytest.fail(f"{what}\n" + mismatch_report(got, want), pytrace=False)
    bad = []
    for r in rows:
        exp = tab.count[r[0]] / tab.N * 1e6
        if not close(float(r[3]), exp):
            bad.append(f"{r[0]}: per_million {r[3]} vs {exp!r}")
    assert not bad, f"{what} per_million: {len(bad)} differences, e.g. {bad[:10]}"


@pytest.fixture(scope="module")
def reuters_terms_tsv(ck, reuters_dir):
    ck.require("terms")
    return ck.run("terms", reuters_dir, "--format", "tsv", "--top", "0")


def test_inaugural(ck, corpora, inaugural):
    ck.require("terms")
    out = ck.run("terms", corpora / "inaugural", "--input-format", "text", "--format", "tsv", "--top", "0")
    check_terms(out, oracle.terms(inaugural), what="inaugural")


def test_state_union(ck, corpora, state_union):
    ck.require("terms")
    out = ck.run("terms", corpora / "state_union", "--input-format", "text", "--format", "tsv", "--top", "0")
    check_terms(out, oracle.terms(state_union), what="state_union")


def test_udhr_sample(ck, udhr_files, udhr_sample):
    ck.require("terms")
    out = ck.run("terms", *udhr_files, "--input-format", "text", "--format", "tsv", "--top", "0")
    check_terms(out, oracle.terms(udhr_sample), what="udhr2 sample")


def test_reuters_whole_folder(reuters_terms_tsv, reuters_all):
    tab = oracle.terms(reuters_all)
    assert len(reuters_all) == 21578
    check_terms(reuters_terms_tsv, tab, what="reuters21578/")


def test_reuters_jobs_byte_identical(ck, reuters_dir, reuters_terms_tsv):
    one = ck.run("terms", reuters_dir, "--format", "tsv", "--top", "0", "--jobs", "1")
    four = ck.run("terms", reuters_dir, "--format", "tsv", "--top", "0", "--jobs", "4")
    assert one == four, "--jobs 1 and --jobs 4 differ"
    assert one == reuters_terms_tsv, "--jobs 1 differs from the default --jobs"


def test_top(ck, corpora, state_union):
    ck.require("terms")
    tab = oracle.terms(state_union)
    out = ck.run("terms", corpora / "state_union", "--input-format", "text", "--format", "tsv", "--top", "10")
    check_terms(out, tab, tab.rows()[:10], what="--top 10")


def test_min_count_and_min_docs(ck, corpora, state_union):
    ck.require("terms")
    tab = oracle.terms(state_union)
    base = [corpora / "state_union", "--input-format", "text", "--format", "tsv", "--top", "0"]
    out = ck.run("terms", *base, "--min-count", "7")
    check_terms(out, tab, [k for k in tab.rows() if tab.count[k] >= 7], what="--min-count 7")
    out = ck.run("terms", *base, "--min-docs", "20")
    check_terms(out, tab, [k for k in tab.rows() if tab.docs[k] >= 20], what="--min-docs 20")
    out = ck.run("terms", *base, "--min-count", "50", "--min-docs", "40")
    check_terms(out, tab, [k for k in tab.rows() if tab.count[k] >= 50 and tab.docs[k] >= 40],
                what="--min-count 50 --min-docs 40")


def test_stopwords_file(ck, corpora, state_union, tmp_path):
    ck.require("terms")
    sw = tmp_path / "stop.txt"
    sw.write_text("the\nof\nand\nto\nAmerica\n", encoding="utf-8")
    tab = oracle.terms(state_union, oracle.load_stopwords(sw))
    assert "the" not in tab.count and "america" not in tab.count
    out = ck.run("terms", corpora / "state_union", "--input-format", "text", "--format", "tsv", "--top", "0",
                 "--stopwords", sw)
    check_terms(out, tab, what="--stopwords FILE (N keeps the stopwords)")


def test_stopwords_en(ck, corpora, state_union):
    """The shipped English list: rows are the full table less some stopwords, unchanged otherwise."""
    ck.require("terms")
    base = [corpora / "state_union", "--input-format", "text", "--format", "tsv", "--top", "0"]
    _, full = parse_tsv(ck.run("terms", *base))
    _, sw = parse_tsv(ck.run("terms", *base, "--stopwords", "en"))
    removed = {r[0] for r in full} - {r[0] for r in sw}
    assert {"the", "of", "and", "to", "a", "in"} <= removed
    assert "government" not in removed and "america" not in removed
    assert sw == [r for r in full if r[0] not in removed]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "table", "parquet"])
def test_every_format(ck, corpora, inaugural, fmt, tmp_path):
    ck.require("terms")
    tab = oracle.terms(inaugural)
    base = ["terms", corpora / "inaugural", "--input-format", "text", "--top", "0"]
    want = [[k, tab.count[k], tab.docs[k]] for k in tab.rows()]
    if fmt == "csv":
        header, rows = parse_csv(ck.run(*base, "--format", "csv"))
        assert header == HEADER
        got = [[r[0], int(r[1]), int(r[2])] for r in rows]
        pms = [float(r[3]) for r in rows]
    elif fmt == "jsonl":
        objs = [json.loads(ln) for ln in ck.run(*base, "--format", "jsonl").splitlines() if ln.strip()]
        assert list(objs[0]) == HEADER
        got = [[o["term"], o["count"], o["docs"]] for o in objs]
        pms = [o["per_million"] for o in objs]
    elif fmt == "table":
        out = ck.run(*base, "--format", "table", "--top", "5")
        plain = out.replace(",", "")  # a readable table may group thousands
        for k in tab.rows()[:5]:
            assert k in out and str(tab.count[k]) in plain, f"{k} missing from the table:\n{out}"
        return
    else:
        pa = pytest.importorskip("pyarrow.parquet")
        f = tmp_path / "t.parquet"
        ck.run(*base, "--format", "parquet", "-o", f)
        t = pa.read_table(f)
        assert t.column_names == HEADER
        d = t.to_pydict()
        got = [list(x) for x in zip(d["term"], d["count"], d["docs"])]
        pms = d["per_million"]
    if got != want:
        pytest.fail(mismatch_report(got, want), pytrace=False)
    assert all(close(p, tab.count[k] / tab.N * 1e6) for p, (k, _, _) in zip(pms, want))


def test_output_file_equals_stdout(ck, corpora, tmp_path):
    ck.require("terms")
    base = ["terms", corpora / "inaugural", "--input-format", "text", "--top", "0", "--format", "tsv"]
    f = tmp_path / "out.tsv"
    ck.run(*base, "-o", f)
    assert f.read_text(encoding="utf-8") == ck.run(*base)
    assert not [p for p in tmp_path.iterdir() if p != f], "temporary files left behind"


def sig_digits(s: str) -> int:
    mant = s.lower().split("e")[0].lstrip("+-").replace(".", "").lstrip("0").rstrip("0")
    return max(len(mant), 1)


def test_per_million_round_trip(reuters_terms_tsv):
    """Doubles are printed shortest round-trip: no more significant digits than Python's repr (which is
    the shortest form that reads back to the same double)."""
    _, rows = parse_tsv(reuters_terms_tsv)
    bad = [r[3] for r in rows if sig_digits(r[3]) > sig_digits(repr(float(r[3])))]
    assert not bad, f"{len(bad)} values not shortest round-trip, e.g. {bad[:10]}"


def test_interrupted_write_leaves_no_file(ck, tmp_path):
    """SIGINT / SIGTERM while reading (standard input still open): no output file, no temporary file."""
    import signal
    import subprocess
    import time

    ck.require("terms")
    for sig in (signal.SIGINT, signal.SIGTERM):
        d = tmp_path / sig.name
        d.mkdir()
        out = d / "terms.tsv"
        p = subprocess.Popen([str(ck.bin), "terms", "-", "--input-format", "text", "--format", "tsv", "-o", str(out)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdin.write(b"some words to count " * 10000)
        p.stdin.flush()
        time.sleep(0.5)
        assert p.poll() is None, "corpuskit ended before its input did"
        p.send_signal(sig)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            pytest.fail(f"corpuskit did not stop on {sig.name}")
        finally:
            try:
                p.stdin.close()
            except BrokenPipeError:
                pass
        assert p.returncode != 0, f"exit status 0 after {sig.name}"
        assert list(d.iterdir()) == [], f"left behind after {sig.name}: {list(d.iterdir())}"
