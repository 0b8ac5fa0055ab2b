"""`corpuskit ngrams` against the oracle (issue 5), and the oracle's measures against NLTK."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

import oracle
from conftest import check_measures, close, mismatch_report, parse_tsv

MEASURES = list(oracle.MEASURES)


def expected_rows(tab: oracle.Table, keys=None):
    keys = tab.rows() if keys is None else keys
    return [[k, str(tab.count[k]), str(tab.docs[k])] for k in keys]


def check_ngrams(out: str, tab: oracle.Table, uni, n: int, keys=None, what: str = "", ordered=True):
    header, rows = parse_tsv(out)
    assert header == ["ngram", "count", "docs"] + (MEASURES if n == 2 else []), f"header {header}"
    got = [r[:3] for r in rows]
    want = expected_rows(tab, keys)
    if (got if ordered else sorted(got)) != (want if ordered else sorted(want)):
        pytest.fail(f"{what}\n" + mismatch_report(got, want), pytrace=False)
    if n == 2:
        pairs = [r[0].split(" ") for r in rows]
        check_measures(rows, 3, [int(r[1]) for r in rows], [uni[p[0]] for p in pairs], [uni[p[1]] for p in pairs],
                       tab.N, what=what)
    return rows


# ---- the oracle's measures against NLTK ----------------------------------------------------------------


def nltk_association():
    """NLTK's nltk/metrics/association.py, loaded on its own (importing the nltk package takes seconds)."""
    import importlib.util

    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("nltk is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "metrics" / "association.py"
    mspec = importlib.util.spec_from_file_location("_nltk_association", path)
    mod = importlib.util.module_from_spec(mspec)
    mspec.loader.exec_module(mod)
    return mod


def nltk_measures(O, f1, f2, N, _cache={}):
    if "B" not in _cache:
        _cache["B"] = nltk_association().BigramAssocMeasures
    B = _cache["B"]

    args = (O, (f1, f2), N)
    return {"pmi": B.pmi(*args), "g2": B.likelihood_ratio(*args), "chi2": B.chi_sq(*args),
            "t_score": B.student_t(*args), "dice": B.dice(*args)}


def test_measures_equal_nltk_on_state_union_bigrams(state_union):
    tab = oracle.ngrams(state_union, 2)
    uni = oracle.terms(state_union).count
    keys = tab.rows()
    rnd = random.Random(7)
    sample = keys[:300] + rnd.sample(keys, 3000) + [k for k in keys if tab.count[k] == 1][:300]
    bad = []
    for k in sample:
        w1, w2 = k.split(" ")
        O, f1, f2, N = tab.count[k], uni[w1], uni[w2], tab.N
        mine = oracle.measures(O, f1, f2, N)
        ref = nltk_measures(O, f1, f2, N)
        for name, v in ref.items():
            if not close(mine[name], v):
                bad.append(f"{k!r} {name}: oracle {mine[name]!r} NLTK {v!r}")
        # the two SPEC measures NLTK lacks, from the ones it has
        assert close(mine["log_dice"], 14 + math.log2(ref["dice"]))
        assert close(mine["npmi"], ref["pmi"] / -math.log2(O / N))
    assert not bad, f"{len(bad)} differences from NLTK, e.g. {bad[:10]}"


def test_vectorized_measures_equal_scalar(state_union):
    tab = oracle.ngrams(state_union, 2)
    uni = oracle.terms(state_union).count
    keys = tab.rows()[:2000] + tab.rows()[-2000:]
    O = [tab.count[k] for k in keys]
    f1 = [uni[k.split(" ")[0]] for k in keys]
    f2 = [uni[k.split(" ")[1]] for k in keys]
    vec = oracle.measures_np(O, f1, f2, tab.N)
    for i in range(len(keys)):
        m = oracle.measures(O[i], f1[i], f2[i], tab.N)
        assert all(close(m[x], float(vec[x][i])) for x in MEASURES), keys[i]


def test_measures_hand_computed():
    # a pair that occurs once, in a corpus of two tokens: O = (1, 0, 0, 1), every E = 0.5
    m = oracle.measures(1, 1, 1, 2)
    assert m["pmi"] == 1.0 and m["npmi"] == 1.0 and m["dice"] == 1.0 and m["log_dice"] == 14.0
    assert close(m["g2"], 4 * math.log(2)) and close(m["chi2"], 2.0) and close(m["t_score"], 0.5)


# ---- whole corpora --------------------------------------------------------------------------------------


def test_bigrams_state_union(ck, corpora, state_union):
    ck.require("ngrams")
    out = ck.run("ngrams", corpora / "state_union", "--input-format", "text", "-n", "2", "--format", "tsv",
                 "--top", "0")
    check_ngrams(out, oracle.ngrams(state_union, 2), oracle.terms(state_union).count, 2,
                 what="state_union bigrams")


def test_bigrams_reuters_000(ck, reuters_dir, reuters_000):
    ck.require("ngrams")
    out = ck.run("ngrams", reuters_dir / "reut2-000.sgm", "-n", "2", "--format", "tsv", "--top", "0")
    check_ngrams(out, oracle.ngrams(reuters_000, 2), oracle.terms(reuters_000).count, 2,
                 what="reut2-000 bigrams")


def test_trigrams_state_union(ck, corpora, state_union):
    ck.require("ngrams")
    out = ck.run("ngrams", corpora / "state_union", "--input-format", "text", "-n", "3", "--format", "tsv",
                 "--top", "0")
    check_ngrams(out, oracle.ngrams(state_union, 3), None, 3, what="state_union trigrams")


@pytest.mark.parametrize("n", [4, 5])
def test_longer_ngrams_reuters_000(ck, reuters_dir, reuters_000, n):
    ck.require("ngrams")
    out = ck.run("ngrams", reuters_dir / "reut2-000.sgm", "-n", n, "--format", "tsv", "--top", "0")
    check_ngrams(out, oracle.ngrams(reuters_000, n), None, n, what=f"reut2-000 {n}-grams")


def test_skip1_bigrams_reuters_000(ck, reuters_dir, reuters_000):
    ck.require("ngrams")
    out = ck.run("ngrams", reuters_dir / "reut2-000.sgm", "-n", "2", "--skip", "1", "--format", "tsv",
                 "--top", "0")
    header, rows = parse_tsv(out)
    tab = oracle.ngrams(reuters_000, 2, skip=1)
    assert [r[:3] for r in rows] == expected_rows(tab)
    # measures on the skip-bigram sample: f1 = pairs the first term starts, f2 = pairs the second ends
    first, second, n = oracle.skip_bigram_margins(reuters_000, 1)
    pairs = [r[0].split(" ") for r in rows]
    check_measures(rows, 3, [int(r[1]) for r in rows], [first[p[0]] for p in pairs], [second[p[1]] for p in pairs],
                   n, what="reut2-000 skip-1 bigrams")


def test_skip2_trigrams_reuters_000(ck, reuters_dir, reuters_000):
    ck.require("ngrams")
    out = ck.run("ngrams", reuters_dir / "reut2-000.sgm", "-n", "3", "--skip", "2", "--format", "tsv",
                 "--top", "0", "--min-count", "2")
    tab = oracle.ngrams(reuters_000, 3, skip=2)
    check_ngrams(out, tab, None, 3, keys=[k for k in tab.rows() if tab.count[k] >= 2],
                 what="reut2-000 skip-2 trigrams, --min-count 2")


def test_stopwords_bigrams_state_union(ck, corpora, state_union, tmp_path):
    ck.require("ngrams")
    sw = tmp_path / "stop.txt"
    sw.write_text("the\nof\nand\nto\na\nin\n", encoding="utf-8")
    out = ck.run("ngrams", corpora / "state_union", "--input-format", "text", "-n", "2", "--format", "tsv",
                 "--top", "0", "--stopwords", sw)
    tab = oracle.ngrams(state_union, 2, stopwords=oracle.load_stopwords(sw))
    assert tab.N == oracle.terms(state_union).N
    check_ngrams(out, tab, oracle.terms(state_union).count, 2, what="state_union bigrams, stopwords")


def test_min_docs_and_top(ck, corpora, state_union):
    ck.require("ngrams")
    tab = oracle.ngrams(state_union, 2)
    uni = oracle.terms(state_union).count
    base = ["ngrams", corpora / "state_union", "--input-format", "text", "-n", "2", "--format", "tsv"]
    check_ngrams(ck.run(*base, "--top", "0", "--min-docs", "30"), tab, uni, 2,
                 keys=[k for k in tab.rows() if tab.docs[k] >= 30], what="--min-docs 30")
    check_ngrams(ck.run(*base, "--top", "25"), tab, uni, 2, keys=tab.rows()[:25], what="--top 25")


@pytest.mark.parametrize("measure", MEASURES)
def test_sort_by_measure(ck, reuters_dir, reuters_000, measure):
    """--sort M: the same rows, ordered by M desc, then count desc, then ngram bytes."""
    ck.require("ngrams")
    out = ck.run("ngrams", reuters_dir / "reut2-000.sgm", "-n", "2", "--format", "tsv", "--top", "0",
                 "--min-count", "3", "--sort", measure)
    tab = oracle.ngrams(reuters_000, 2)
    keys = [k for k in tab.rows() if tab.count[k] >= 3]
    rows = check_ngrams(out, tab, oracle.terms(reuters_000).count, 2, keys=keys, ordered=False,
                        what=f"--sort {measure}")
    mi = 3 + MEASURES.index(measure)
    sort_keys = [(-float(r[mi]), -int(r[1]), r[0].encode()) for r in rows]
    bad = [(rows[i][0], rows[i + 1][0]) for i in range(len(rows) - 1) if sort_keys[i] > sort_keys[i + 1]]
    assert not bad, f"rows not sorted by {measure} desc, count desc, ngram: {bad[:5]}"


# ---- hand-made cases ----------------------------------------------------------------------------------


def ngram_rows(ck, files, *opts):
    _, rows = parse_tsv(ck.run("ngrams", *files, "--input-format", "text", "--format", "tsv", "--top", "0",
                               *opts))
    return rows


def test_ngrams_never_cross_sentences_or_documents(ck, tmp_path):
    ck.require("ngrams")
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Alpha beta gamma. Delta epsilon!\n\nZeta eta", encoding="utf-8")
    b.write_text("Theta iota", encoding="utf-8")
    got = {r[0] for r in ngram_rows(ck, [a, b], "-n", "2")}
    assert got == {"alpha beta", "beta gamma", "delta epsilon", "zeta eta", "theta iota"}
    got3 = {r[0] for r in ngram_rows(ck, [a, b], "-n", "3")}
    assert got3 == {"alpha beta gamma"}


def test_skipgrams_hand_made(ck, tmp_path):
    ck.require("ngrams")
    f = tmp_path / "s.txt"
    f.write_text("a b c d", encoding="utf-8")
    assert {r[0] for r in ngram_rows(ck, [f], "-n", "2", "--skip", "1")} == {
        "a b", "a c", "b c", "b d", "c d"}
    assert {r[0] for r in ngram_rows(ck, [f], "-n", "3", "--skip", "1")} == {
        "a b c", "a b d", "a c d", "b c d"}
    assert {r[0] for r in ngram_rows(ck, [f], "-n", "2", "--skip", "3")} == {
        "a b", "a c", "a d", "b c", "b d", "c d"}


def test_stopword_positions_kept(ck, tmp_path):
    ck.require("ngrams")
    f = tmp_path / "s.txt"
    f.write_text("red the fox jumps of the moon", encoding="utf-8")
    sw = tmp_path / "stop.txt"
    sw.write_text("the\nof\n", encoding="utf-8")
    rows = ngram_rows(ck, [f], "-n", "2", "--stopwords", sw)
    assert {r[0] for r in rows} == {"fox jumps"}  # no false "red fox", "jumps moon"
    # the measures still use all tokens: N = 7
    r = rows[0]
    m = oracle.measures(1, 1, 1, 7)
    assert all(close(float(r[3 + i]), m[name]) for i, name in enumerate(MEASURES)), r


def test_single_pair_zero_cells(ck, tmp_path):
    """N = 2: O12 = O21 = 0 — the measures are still finite and exact."""
    ck.require("ngrams")
    f = tmp_path / "p.txt"
    f.write_text("hapax legomenon", encoding="utf-8")
    rows = ngram_rows(ck, [f], "-n", "2")
    assert [r[:3] for r in rows] == [["hapax legomenon", "1", "1"]]
    m = oracle.measures(1, 1, 1, 2)
    for i, name in enumerate(MEASURES):
        assert close(float(rows[0][3 + i]), m[name]), (name, rows[0][3 + i], m[name])
