"""`corpuskit dispersion` (issue 14): every column against an independent Python oracle written from the
definitions (Juilland 1964, Carroll 1970, Gries 2008, Lijffijt & Gries 2012, Savický & Hlaváčová 2002),
and Gries (2008)'s worked example."""

from __future__ import annotations

import math

import pytest

import oracle
from conftest import parse_tsv

COLUMNS = ["term", "count", "docs", "range", "juilland_d", "carroll_d2", "gries_dp", "dp_norm", "arf"]


def dispersion_oracle(docs: list[list[str]], term: str, parts: int | None) -> dict:
    """docs: token lists in input order. parts None = documents (empty ones are not parts), else n slices."""
    stream = [t for d in docs for t in d]
    N = len(stream)
    if parts is None:
        sizes = [len(d) for d in docs if d]
        counts = [d.count(term) for d in docs if d]
    else:
        # Part i holds positions p with i*N <= p*n < (i+1)*N.
        sizes = [0] * parts
        counts = [0] * parts
        for p, t in enumerate(stream):
            i = p * parts // N
            sizes[i] += 1
            counts[i] += t == term
        counts = [c for c, s in zip(counts, sizes) if s]
        sizes = [s for s in sizes if s]
    n = len(sizes)
    f = sum(counts)
    out = {"count": f, "docs": sum(1 for d in docs if term in d), "range": sum(1 for c in counts if c) / n}
    if f == 0:
        return out | {"juilland_d": None, "carroll_d2": None, "gries_dp": None, "dp_norm": None, "arf": None}
    s = [x / N for x in sizes]
    v = [c / f for c in counts]
    dp = 0.5 * sum(abs(a - b) for a, b in zip(v, s))
    out["gries_dp"] = dp
    out["dp_norm"] = dp / (1 - min(s))
    x = [c / z for c, z in zip(counts, sizes)]
    mean = sum(x) / n
    sd = math.sqrt(sum((a - mean) ** 2 for a in x) / n)
    out["juilland_d"] = 1 - (sd / mean) / math.sqrt(n - 1) if n > 1 else None
    tot = sum(x)
    h = -sum((a / tot) * math.log2(a / tot) for a in x if a > 0)
    out["carroll_d2"] = h / math.log2(n) if n > 1 else None
    pos = [p for p, t in enumerate(stream) if t == term]
    vv = N / f
    dist = [pos[k + 1] - pos[k] for k in range(len(pos) - 1)] + [pos[0] + N - pos[-1]]
    out["arf"] = sum(min(d, vv) for d in dist) / vv
    return out


def check(rows: list[list[str]], docs: list[list[str]], parts: int | None, rel: float = 1e-9):
    for r in rows:
        want = dispersion_oracle(docs, r[0], parts)
        assert int(r[1]) == want["count"] and int(r[2]) == want["docs"], r
        for k, name in enumerate(COLUMNS[3:], start=3):
            w = want[name]
            if w is None:
                assert r[k] in ("", "\\N"), (r[0], name, r[k])
            else:
                assert math.isclose(float(r[k]), w, rel_tol=rel, abs_tol=1e-12), (r[0], name, r[k], w)


def test_gries_2008_worked_example(ck, tmp_path):
    """Five parts of 9, 10, 10, 10 and 11 words; 'a' occurs 1, 2, 3, 4 and 5 times: DP = 0.18 (Gries 2008),
    DPnorm = 0.18 / (1 − 0.18) ≈ 0.2195 (Lijffijt & Gries 2012)."""
    sizes, counts = [9, 10, 10, 10, 11], [1, 2, 3, 4, 5]
    for i, (z, c) in enumerate(zip(sizes, counts)):
        (tmp_path / f"part{i}.txt").write_text(" ".join(["a"] * c + ["x"] * (z - c)) + "\n")
    _, rows = parse_tsv(ck.run("dispersion", tmp_path, "--terms", "a", "--format", "tsv"))
    assert rows[0][:3] == ["a", "15", "5"]
    assert round(float(rows[0][6]), 2) == 0.18
    assert round(float(rows[0][7]), 4) == 0.2195
    check(rows, [["a"] * c + ["x"] * (z - c) for z, c in zip(sizes, counts)], None)


@pytest.mark.parametrize("parts", [None, 7])
def test_speeches_against_oracle(ck, corpora, parts):
    folder = sorted((corpora / "inaugural").glob("*.txt"))  # the speeches (not the folder's README)
    docs = [d.tokens for d in oracle.load_corpus(folder)]
    terms = "freedom,government,america,the,war,liberty,constitution,god,economy,peace"
    extra = [] if parts is None else ["--parts", str(parts)]
    header, rows = parse_tsv(ck.run("dispersion", *folder, "--terms", terms, "--format", "tsv", *extra))
    assert header == COLUMNS
    assert [r[0] for r in rows] == terms.split(",")
    check(rows, docs, parts)


def test_top_terms_and_one_document_term(ck, corpora, tmp_path):
    folder = sorted((corpora / "inaugural").glob("*.txt"))  # the speeches (not the folder's README)
    docs = [d.tokens for d in oracle.load_corpus(folder)]
    _, rows = parse_tsv(ck.run("dispersion", *folder, "--top", "5", "--format", "tsv"))
    _, top = parse_tsv(ck.run("terms", *folder, "--top", "5", "--format", "tsv"))
    assert [r[0] for r in rows] == [r[0] for r in top]
    check(rows, docs, None)
    # A term in one document of many sits near DP 1 and range 1/n.
    single = next(t for t in sorted({t for d in docs for t in d}) if sum(t in d for d in docs) == 1 and len(t) > 6)
    _, rows = parse_tsv(ck.run("dispersion", *folder, "--terms", single, "--format", "tsv"))
    assert float(rows[0][6]) > 0.95 and int(rows[0][2]) == 1


def test_usage_errors(ck, corpora):
    folder = sorted((corpora / "inaugural").glob("*.txt"))
    r = ck.run_raw("dispersion", *folder, "--terms", "stock market")
    assert r.returncode == 64 and b"single terms" in r.stderr
    r = ck.run_raw("dispersion", "-", "--top", "3", input=b"a b c")
    assert r.returncode == 64 and b"twice" in r.stderr
    r = ck.run_raw("dispersion", *folder, "--parts", "1")
    assert r.returncode == 64
    r = ck.run_raw("dispersion", *folder, "--terms", "zzzqqq", "--format", "tsv")
    assert r.returncode == 0 and b"does not occur" in r.stderr
