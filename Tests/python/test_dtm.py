"""`corpuskit dtm` (issue 14): the matrix against scikit-learn's CountVectorizer fed our tokens and
TfidfTransformer() (1e-12); Matrix Market loaded by scipy.io.mmread; filters as min_df/max_df/max_features."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest
import scipy.io
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

import oracle


@pytest.fixture(scope="module")
def speeches(corpora):
    folder = sorted((corpora / "inaugural").glob("*.txt"))  # the speeches (not the folder's README)
    return folder, [d.tokens for d in oracle.load_corpus(folder)]


def load_parquet(path):
    cells = pq.read_table(path).to_pandas()
    terms = pq.read_table(str(path).replace(".parquet", ".terms.parquet")).to_pandas()
    docs = pq.read_table(str(path).replace(".parquet", ".docs.parquet")).to_pandas()
    m = sp.csr_matrix((cells["weight"], (cells["row"], cells["col"])), shape=(len(docs), len(terms)))
    c = sp.csr_matrix((cells["count"], (cells["row"], cells["col"])), shape=(len(docs), len(terms)))
    return m, c, list(terms["term"]), docs, cells


def vectorizer(**kw):
    return CountVectorizer(analyzer=lambda toks: toks, **kw)


def test_counts_and_tfidf_equal_scikit_learn(ck, speeches, tmp_path):
    folder, docs = speeches
    out = tmp_path / "m.parquet"
    ck.run("dtm", *folder, "-o", out, "--weight", "tfidf")
    m, counts, terms, drows, cells = load_parquet(out)
    assert terms == sorted(terms, key=lambda t: t.encode())
    assert len(drows) == len(docs) and list(drows["row"]) == list(range(len(docs)))
    cv = vectorizer()
    X = cv.fit_transform(docs)
    assert list(cv.get_feature_names_out()) == terms
    assert (X != counts).nnz == 0
    T = TfidfTransformer().fit_transform(X)
    assert np.max(np.abs((T - m).toarray())) < 1e-12
    # idf column as scikit-learn's.
    idf = pq.read_table(str(out).replace(".parquet", ".terms.parquet")).column("idf").to_pylist()
    assert np.max(np.abs(np.array(idf) - TfidfTransformer().fit(X).idf_)) < 1e-12
    # Long form: doc ids and terms agree with the row and column lists.
    assert (cells["term"] == [terms[j] for j in cells["col"]]).all()
    assert (cells["doc"] == [drows["id"][i] for i in cells["row"]]).all()


def test_filters_as_countvectorizer(ck, speeches, tmp_path):
    folder, docs = speeches
    out = tmp_path / "f.parquet"
    ck.run("dtm", *folder, "-o", out, "--min-docs", "5", "--max-docs-ratio", "0.8")
    _, counts, terms, _, _ = load_parquet(out)
    cv = vectorizer(min_df=5, max_df=0.8)
    X = cv.fit_transform(docs)
    assert list(cv.get_feature_names_out()) == terms
    assert (X != counts).nnz == 0
    # --max-features: the K most frequent (ties by bytes) — the same set as scikit-learn's when no tie
    # straddles the cut.
    totals = np.asarray(vectorizer().fit_transform(docs).sum(axis=0)).ravel()
    names = vectorizer().fit(docs).get_feature_names_out()
    k = 200
    order = sorted(range(len(names)), key=lambda j: (-totals[j], names[j].encode()))
    ck.run("dtm", *folder, "-o", tmp_path / "k.parquet", "--max-features", str(k))
    _, _, kterms, _, _ = load_parquet(tmp_path / "k.parquet")
    assert sorted(kterms) == sorted(names[j] for j in order[:k])
    if totals[order[k - 1]] != totals[order[k]]:
        assert sorted(kterms) == sorted(vectorizer(max_features=k).fit(docs).get_feature_names_out())


@pytest.mark.parametrize("weight", ["count", "tfidf"])
def test_matrix_market_loads_with_scipy(ck, speeches, tmp_path, weight):
    folder, docs = speeches
    ck.run("dtm", *folder, "-o", tmp_path / "m.mtx", "--weight", weight, "--stopwords", "en")
    ck.run("dtm", *folder, "-o", tmp_path / "m.parquet", "--weight", weight, "--stopwords", "en")
    mm = scipy.io.mmread(str(tmp_path / "m.mtx")).tocsr()
    m, _, terms, _, _ = load_parquet(tmp_path / "m.parquet")
    assert mm.shape == m.shape
    assert np.max(np.abs((mm - m).toarray())) == 0
    tsv_terms = (tmp_path / "m.terms.tsv").read_text().splitlines()[1:]
    assert [l.split("\t")[1] for l in tsv_terms] == terms
    assert "the" not in terms
    assert len((tmp_path / "m.docs.tsv").read_text().splitlines()) == len(docs) + 1


def test_jobs_do_not_change_the_matrix(ck, corpora, tmp_path):
    f = corpora / "reuters21578" / "reut2-000.sgm"
    for jobs in ("1", "3"):
        (tmp_path / jobs).mkdir()
        ck.run("dtm", f, "-o", tmp_path / jobs / "m.mtx", "--weight", "tfidf", "--jobs", jobs)
    for name in ("m.mtx", "m.docs.tsv", "m.terms.tsv"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "3" / name).read_bytes()


def test_usage_errors(ck, speeches, tmp_path):
    folder, _ = speeches
    r = ck.run_raw("dtm", *folder, "-o", tmp_path / "m.xlsx")
    assert r.returncode == 64
    r = ck.run_raw("dtm", *folder, "-o", tmp_path / "m.parquet", "--max-docs-ratio", "0")
    assert r.returncode == 64
    assert not (tmp_path / "m.parquet").exists()
