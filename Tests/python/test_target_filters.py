"""`--min-docs` and `--max-dp` of `rising` and `keyness` (issue 14): the filtered table is exactly the
unfiltered one less the terms found in fewer target documents, or with a larger DP over the target's
documents (Gries 2008, computed here independently from the oracle's tokens)."""

from __future__ import annotations

import pytest

import oracle
from conftest import parse_tsv


@pytest.fixture(scope="module")
def speeches(corpora):
    files = sorted((corpora / "state_union").glob("*.txt"))
    return files, oracle.load_corpus(files)


def dp_over(docs: list[list[str]], term: str) -> float | None:
    sized = [d for d in docs if d]
    N = sum(len(d) for d in sized)
    f = sum(d.count(term) for d in sized)
    if f == 0:
        return None
    return 0.5 * sum(abs(d.count(term) / f - len(d) / N) for d in sized)


def table(ck, *args) -> list[list[str]]:
    return parse_tsv(ck.run(*args, "--format", "tsv", "--top", "0"))[1]


@pytest.mark.parametrize("command", ["keyness", "rising"])
def test_filters_drop_exactly_the_concentrated_terms(ck, speeches, command):
    files, docs = speeches
    if command == "keyness":
        base = ["keyness", *files, "--target-dates", "1990..1999", "--reference-dates", "1950..1959"]
        target = [d.tokens for d in docs if d.date and 1990 <= d.date.year <= 1999]
    else:
        # 1991 has two addresses: a target of several documents.
        base = ["rising", *files, "--by", "year", "--period", "1991", "--baseline", "5"]
        target = [d.tokens for d in docs if d.date and d.date.year == 1991]
    assert target, "the target holds documents"
    full = table(ck, *base)
    ndocs = {t: sum(t in d for d in target) for t in {r[0] for r in full}}
    got = table(ck, *base, "--min-docs", "3")
    assert got == [r for r in full if ndocs[r[0]] >= 3]
    assert len(got) < len(full)
    got = table(ck, *base, "--max-dp", "0.5")
    want = [r for r in full if (dp_over(target, r[0]) is None or dp_over(target, r[0]) <= 0.5)]
    assert [r[0] for r in got] == [r[0] for r in want]
    assert got == want
    assert len(got) < len(full)


def test_keyness_of_two_corpora_min_docs(ck, speeches):
    files, docs = speeches
    target, reference = files[-10:], files[:10]
    full = table(ck, "keyness", "--target", *target, "--reference", *reference)
    got = table(ck, "keyness", "--target", *target, "--reference", *reference, "--min-docs", "2")
    tdocs = [d.tokens for d in oracle.load_corpus(target)]
    assert got == [r for r in full if sum(r[0] in d for d in tdocs) >= 2]


def test_bad_max_dp(ck, speeches):
    files, _ = speeches
    r = ck.run_raw("rising", *files, "--by", "year", "--max-dp", "1.5")
    assert r.returncode == 64
