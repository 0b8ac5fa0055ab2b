"""`corpuskit cooc` and `corpuskit collocates` against the oracle (issue 5)."""

from __future__ import annotations

import re

import pytest

import oracle
from conftest import check_measures, mismatch_report, parse_tsv

MEASURES = list(oracle.MEASURES)
HEADER = ["term1", "term2", "count", "docs"] + MEASURES
COLLOC_HEADER = ["term", "count", "left", "right", "docs"] + MEASURES


def check_cooc(out: str, ct: oracle.CoocTable, min_count: int = 1, what: str = "") -> None:
    header, rows = parse_tsv(out)
    assert header == HEADER, f"header {header}"
    keys = [k for k in oracle.sort_rows(ct.count) if ct.count[k] >= min_count]
    got = [r[:4] for r in rows]
    want = [[k[0], k[1], str(ct.count[k]), str(ct.docs[k])] for k in keys]
    if got != want:
        pytest.fail(f"{what}\n" + mismatch_report(got, want), pytrace=False)
    check_measures(rows, 4, [int(r[2]) for r in rows], [ct.freq[r[0]] for r in rows], [ct.freq[r[1]] for r in rows],
                   ct.N, key_cols=(0, 1), what=what)


@pytest.fixture(scope="module")
def reuters_small(reuters_dir, tmp_path_factory):
    """The first 60 articles of reut2-000.sgm, as an .sgm file (for document scope: all pairs of a
    document's types make large tables)."""
    text = (reuters_dir / "reut2-000.sgm").read_bytes().decode("cp1252")
    arts = re.findall(r"<REUTERS\b.*?</REUTERS>\n?", text, re.S)[:60]
    f = tmp_path_factory.mktemp("reuters") / "reut2-sample.sgm"
    f.write_bytes(("".join(arts)).encode("cp1252"))
    return f, oracle.load_corpus([f], "auto", cache=False)


def test_window5_reuters_000(ck, reuters_dir, reuters_000):
    ck.require("cooc")
    out = ck.run("cooc", reuters_dir / "reut2-000.sgm", "--format", "tsv", "--top", "0")
    check_cooc(out, oracle.cooc(reuters_000, 5), what="reut2-000 window 5 (default)")


def test_window5_state_union(ck, corpora, state_union):
    ck.require("cooc")
    out = ck.run("cooc", corpora / "state_union", "--input-format", "text", "--window", "5", "--format", "tsv",
                 "--top", "0", "--min-count", "2")
    check_cooc(out, oracle.cooc(state_union, 5), min_count=2, what="state_union window 5, --min-count 2")


def test_window2_state_union(ck, corpora, state_union):
    ck.require("cooc")
    out = ck.run("cooc", corpora / "state_union", "--input-format", "text", "--window", "2", "--format", "tsv",
                 "--top", "0", "--min-count", "3")
    check_cooc(out, oracle.cooc(state_union, 2), min_count=3, what="state_union window 2, --min-count 3")


def test_sentence_scope_reuters_000(ck, reuters_dir, reuters_000):
    ck.require("cooc")
    out = ck.run("cooc", reuters_dir / "reut2-000.sgm", "--scope", "sentence", "--format", "tsv", "--top", "0")
    check_cooc(out, oracle.cooc(reuters_000, scope="sentence"),
               what="reut2-000 sentence scope (N = sentences holding a token)")


def test_document_scope_reuters_sample(ck, reuters_small):
    ck.require("cooc")
    f, docs = reuters_small
    out = ck.run("cooc", f, "--scope", "document", "--format", "tsv", "--top", "0")
    check_cooc(out, oracle.cooc(docs, scope="document"), what="60 Reuters articles, document scope")


def test_window_hand_made(ck, tmp_path):
    """Pairs within 2 positions, terms differ, keyed in byte order, counted per position pair; never across
    a sentence."""
    ck.require("cooc")
    f = tmp_path / "c.txt"
    f.write_text("b a b c. Zed b", encoding="utf-8")
    _, rows = parse_tsv(ck.run("cooc", f, "--input-format", "text", "--window", "2", "--format", "tsv",
                               "--top", "0"))
    got = {(r[0], r[1]): int(r[2]) for r in rows}
    # positions b0 a1 b2 c3 | zed b: (b0,a1) (b0,b2)= same term (a1,b2) (a1,c3) (b2,c3); (zed, b)
    assert got == {("a", "b"): 2, ("a", "c"): 1, ("b", "c"): 1, ("b", "zed"): 1}


# ---- collocates ----------------------------------------------------------------------------------------


def check_collocates(out: str, docs, node: str, window: int = 5, what: str = ""):
    header, rows = parse_tsv(out)
    assert header == COLLOC_HEADER, f"header {header}"
    exp, f1, uni, N = oracle.collocates(docs, node, window)
    got = sorted(r[:5] for r in rows)
    want = sorted([t, str(e.count), str(e.left), str(e.right), str(e.docs)] for t, e in exp.items())
    if got != want:
        pytest.fail(f"{what}\n" + mismatch_report(got, want), pytrace=False)
    check_measures(rows, 5, [int(r[1]) for r in rows], [f1] * len(rows), [uni[r[0]] for r in rows], N, what=what)
    return rows


def assert_sorted_by(rows, col: int, what: str):
    keys = [(-float(r[col]), -int(r[1]), r[0].encode()) for r in rows]
    bad = [(rows[i][0], rows[i + 1][0]) for i in range(len(rows) - 1) if keys[i] > keys[i + 1]]
    assert not bad, f"{what}: not sorted: {bad[:5]}"


def test_collocates_oil_reuters(ck, reuters_dir, reuters_all):
    ck.require("collocates")
    out = ck.run("collocates", "oil", reuters_dir, "--format", "tsv", "--top", "0")
    rows = check_collocates(out, reuters_all, "oil", what="collocates of 'oil' in reuters21578/")
    assert_sorted_by(rows, COLLOC_HEADER.index("log_dice"), "default sort log_dice")


def test_collocates_rows_like_every_command(ck, reuters_dir):
    """One row rule for every command (issue 16): --top N rows, else all (a terminal shows 25 of them)."""
    ck.require("collocates")
    _, every = parse_tsv(ck.run("collocates", "oil", reuters_dir / "reut2-000.sgm", "--format", "tsv"))
    _, top = parse_tsv(ck.run("collocates", "oil", reuters_dir / "reut2-000.sgm", "--format", "tsv", "--top", "50"))
    assert len(every) > 50 and top == every[:50]


def test_collocates_window_sort_state_union(ck, corpora, state_union):
    ck.require("collocates")
    out = ck.run("collocates", "Freedom", corpora / "state_union", "--input-format", "text", "--window", "3",
                 "--sort", "pmi", "--format", "tsv", "--top", "0")
    rows = check_collocates(out, state_union, "Freedom", 3, what="collocates of 'Freedom' (normalized), w 3")
    assert_sorted_by(rows, COLLOC_HEADER.index("pmi"), "--sort pmi")


def test_collocates_multiword_node(ck, reuters_dir, reuters_000):
    ck.require("collocates")
    out = ck.run("collocates", "money market", reuters_dir / "reut2-000.sgm", "--format", "tsv", "--top", "0")
    check_collocates(out, reuters_000, "money market", what="collocates of the bigram 'money market'")


def test_collocates_hand_made(ck, tmp_path):
    ck.require("collocates")
    f = tmp_path / "c.txt"
    f.write_text("x y node z node w. Node q", encoding="utf-8")
    _, rows = parse_tsv(ck.run("collocates", "node", f, "--input-format", "text", "--window", "2",
                               "--format", "tsv", "--top", "0"))
    got = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}
    # node@2: left x y, right z (node@4 excluded); node@4: left z (node@2 excluded), right w;
    # node@0 of sentence 2: right q
    assert got == {"x": (1, 1, 0), "y": (1, 1, 0), "z": (2, 1, 1), "w": (1, 0, 1), "q": (1, 0, 1)}


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl"])
def test_pair_tables_same_bytes_at_any_jobs(ck, reuters_dir, tmp_path, fmt):
    """cooc and ngrams tables of more than one block of rows (8,192) are built and encoded on --jobs
    threads and written in order: the bytes, to stdout or to a file, must not depend on --jobs."""
    ck.require("cooc")
    sgm = reuters_dir / "reut2-000.sgm"
    for cmd in (["cooc", "--window", "3"], ["ngrams", "-n", "2", "--sort", "npmi"]):
        outs = {}
        for jobs in ("1", "2", "3"):
            outs[jobs] = ck.run(*cmd, sgm, "--format", fmt, "--top", "0", "--jobs", jobs)
            f = tmp_path / f"{cmd[0]}-{jobs}.{fmt}"
            ck.run(*cmd, sgm, "-o", f, "--top", "0", "--jobs", jobs)
            assert f.read_text(encoding="utf-8") == outs[jobs], (cmd, jobs, "file differs from stdout")
        lines = outs["1"].count("\n")
        assert lines > 3 * 8192, f"{cmd}: only {lines} lines, fewer than the blocks this test is for"
        assert outs["2"] == outs["1"] and outs["3"] == outs["1"], f"{cmd} {fmt}: bytes depend on --jobs"
