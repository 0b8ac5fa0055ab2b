"""Token filters (issue 17): --min-length, --drop-numbers, --drop, --keep, --max-docs-ratio on terms, ngrams,
cooc and trends, each against an independent oracle built here on oracle.py's PyICU tokenizer.

The oracle decides --drop-numbers per token (the rule status of the token's own segment in its text) while
corpuskit decides it per term (the term segmented alone): equal rows prove the two agree on these texts.
--min-length counts extended grapheme clusters (PyICU's character break iterator); --drop/--keep use PyICU's
RegexPattern with matches() (the whole term). A filtered token keeps its position: an n-gram or pair holding
one is not counted and none is formed across it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import icu
import pytest

import oracle
from conftest import check_measures, mismatch_report, parse_tsv

DOCS = [
    # Each line holds a trap: a wrong implementation (tokens removed before counting) would join the words
    # around the removed token into a bigram/pair that never occurs in the text.
    ("1987-01-05", "Oil 1987 prices", "Crude 1987 barrels rose 3.5 percent. Heavy x oil fell 1,000 barrels."),
    ("1987-01-20", None, "The market 中国 share grew. 中国 oil demand rose by １２ percent."),
    ("1987-02-03", None, "Oil price talks: ภาษาไทย ส่งออก ข้าว and مرحبا بالعالم oil near ٣٤ ships."),
    ("1987-02-14", None, "Price of oil; a b c d oil price 42 oil. Sugar cane 7 sugar."),
    ("1987-03-02", None, "Wheat and corn. Wheat prices, corn 2,500 tonnes; g7 talks on wheat on the 12th."),
]

CASES = {
    "min-length": ["--min-length", "2"],
    "drop-numbers": ["--drop-numbers"],
    "drop": ["--drop", r"\p{Han}+", "--drop", "oil"],
    "keep": ["--keep", r"\p{Latin}+"],
    "ratio": ["--max-docs-ratio", "0.5"],
    "combined": ["--min-length", "2", "--drop-numbers", "--drop", "the|and", "--keep", r"[\p{L}\p{N}]+",
                 "--max-docs-ratio", "0.7"],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("filters") / "filters.jsonl"
    with open(f, "w", encoding="utf-8") as out:
        for i, (date, title, text) in enumerate(DOCS):
            o = {"id": f"d{i}", "date": date, "text": text}
            if title:
                o["title"] = title
            out.write(json.dumps(o, ensure_ascii=False) + "\n")
    return f


# ---- the oracle --------------------------------------------------------------------------------------


class Tok:
    """Tokens with their segment's rule status: documents as sentences of (term, status)."""

    def __init__(self):
        self.t = oracle.Tokenizer()

    def sentences(self, text: str) -> list[list[tuple[str, int]]]:
        import bisect

        starts = self.t.sentence_starts(text)
        sents: dict[int, list[tuple[str, int]]] = {}
        for a, b, st in self.t.segments(text):
            if st >= 100:
                term = self.t.norm(text[a:b])
                if term:
                    sents.setdefault(bisect.bisect_right(starts, a) - 1, []).append((term, st))
        return [sents[k] for k in sorted(sents)]


_CHARS = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())


def graphemes(s: str) -> int:
    _CHARS.setText(s)
    return sum(1 for _ in _CHARS)


def whole_match(pattern: str, s: str) -> bool:
    return bool(icu.RegexPattern.compile(pattern).matcher(s).matches())


def parse_filters(args: list[str]) -> dict:
    f = {"min": 0, "numbers": False, "drop": [], "keep": [], "ratio": None}
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--drop-numbers":
            f["numbers"] = True
            i += 1
            continue
        v = args[i + 1]
        if a == "--min-length":
            f["min"] = int(v)
        elif a == "--drop":
            f["drop"].append(v)
        elif a == "--keep":
            f["keep"].append(v)
        elif a == "--max-docs-ratio":
            f["ratio"] = float(v)
        i += 2
    return f


def filtered_docs(path: Path, args: list[str]):
    """(docs as oracle.Doc, the set of filtered tokens' positions as a per-sentence keep mask)."""
    f = parse_filters(args)
    tok = Tok()
    raw = oracle.read_jsonl(path)
    tagged = [tok.sentences(r.analyzed_text()) for r in raw]
    df = Counter()
    for d in tagged:
        df.update({t for s in d for t, _ in s})
    over = {t for t, n in df.items() if f["ratio"] is not None and n > f["ratio"] * len(raw)}

    def keep(term: str, status: int) -> bool:
        if term in over or graphemes(term) < f["min"]:
            return False
        if f["numbers"] and 100 <= status < 200:
            return False
        if any(whole_match(p, term) for p in f["drop"]):
            return False
        return not f["keep"] or any(whole_match(p, term) for p in f["keep"])

    docs = [oracle.Doc(r.id, r.date, [[t for t, _ in s] for s in d]) for r, d in zip(raw, tagged)]
    masks = [[[keep(t, st) for t, st in s] for s in d] for d in tagged]
    return docs, masks


def excluded_terms(docs, masks) -> set[str]:
    out = set()
    for d, m in zip(docs, masks):
        for s, ms in zip(d.sentences, m):
            out.update(t for t, k in zip(s, ms) if not k)
    return out


def run_tsv(ck, corpus, cmd: str, *args) -> tuple[list[str], list[list[str]]]:
    return parse_tsv(ck.run(cmd, corpus, "--input-format", "jsonl", "--format", "tsv", *args))


# ---- each filter alone and combined ------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_terms(ck, corpus, case):
    docs, masks = filtered_docs(corpus, CASES[case])
    out = excluded_terms(docs, masks)
    tab = oracle.terms(docs)
    want = [[k, str(tab.count[k]), str(tab.docs[k])] for k in tab.rows() if k not in out]
    header, rows = run_tsv(ck, corpus, "terms", *CASES[case])
    got = [r[:3] for r in rows]
    assert got == want, f"{case}\n" + mismatch_report(got, want)
    assert len(got) < len(tab.rows()), "the filter left nothing out: the case proves nothing"
    # per_million keeps every token in the total, as with stopwords.
    N = sum(d.n_tokens for d in docs)
    for r in rows:
        assert abs(float(r[3]) - int(r[1]) / N * 1e6) <= 1e-9 * float(r[3])


def oracle_bigrams(docs, masks):
    count, dcount = Counter(), Counter()
    for d, m in zip(docs, masks):
        seen = set()
        for s, ms in zip(d.sentences, m):
            for i in range(len(s) - 1):
                if ms[i] and ms[i + 1]:
                    g = f"{s[i]} {s[i + 1]}"
                    count[g] += 1
                    seen.add(g)
        dcount.update(seen)
    return count, dcount


TRAPS = {  # the bigram a wrong implementation would invent, per case
    "min-length": "heavy oil",        # Heavy x oil
    "drop-numbers": "crude barrels",  # Crude 1987 barrels
    "drop": "market share",           # market 中国 share
    "keep": "market share",
    "combined": "crude barrels",
}


@pytest.mark.parametrize("case", list(CASES))
def test_bigrams_never_join_across_a_removed_token(ck, corpus, case):
    docs, masks = filtered_docs(corpus, CASES[case])
    count, dcount = oracle_bigrams(docs, masks)
    header, rows = run_tsv(ck, corpus, "ngrams", "-n", "2", "--sort", "count", *CASES[case])
    got = sorted(r[:3] for r in rows)
    want = sorted([g, str(count[g]), str(dcount[g])] for g in count)
    assert got == want, f"{case}\n" + mismatch_report(got, want)
    if case in TRAPS:
        assert TRAPS[case] not in {r[0] for r in rows}
    # Measures: the margins are every token's (f1, f2 = unigram counts, N = all tokens), as with stopwords.
    uni = Counter(t for d in docs for t in d.tokens)
    N = sum(d.n_tokens for d in docs)
    pairs = [r[0].split(" ") for r in rows]
    check_measures(rows, 3, [int(r[1]) for r in rows], [uni[p[0]] for p in pairs], [uni[p[1]] for p in pairs], N,
                   what=case)


@pytest.mark.parametrize("case", ["drop-numbers", "drop", "combined"])
def test_cooc_window(ck, corpus, case):
    docs, masks = filtered_docs(corpus, CASES[case])
    out = excluded_terms(docs, masks)
    tab = oracle.cooc(docs, window=2)
    header, rows = run_tsv(ck, corpus, "cooc", "--window", "2", "--sort", "count", *CASES[case])
    got = sorted(r[:4] for r in rows)
    want = sorted([a, b, str(c), str(tab.docs[(a, b)])] for (a, b), c in tab.count.items() if a not in out and b not in out)
    assert got == want, f"{case}\n" + mismatch_report(got, want)
    check_measures(rows, 4, [int(r[2]) for r in rows], [tab.freq[r[0]] for r in rows], [tab.freq[r[1]] for r in rows],
                   tab.N, key_cols=(0, 1), what=case)


@pytest.mark.parametrize("case", ["min-length", "combined"])
def test_trends_sparse(ck, corpus, case):
    docs, masks = filtered_docs(corpus, CASES[case])
    out = excluded_terms(docs, masks)
    want = [[r["period"], r["term"], str(r["count"]), str(r["docs"])] for r in oracle.trends(docs, "month", stopwords=out)]
    header, rows = run_tsv(ck, corpus, "trends", "--by", "month", *CASES[case])
    col = {h: i for i, h in enumerate(header)}
    got = [[r[col["period"]], r[col["term"]], r[col["count"]], r[col["docs"]]] for r in rows]
    assert got == want, f"{case}\n" + mismatch_report(got, want)


def test_full_width_and_grouped_numbers_are_numbers(ck, corpus):
    _, rows = run_tsv(ck, corpus, "terms")
    every = {r[0] for r in rows}
    assert {"12", "1,000", "3.5", "٣٤", "2,500", "1987", "g7"} <= every
    _, rows = run_tsv(ck, corpus, "terms", "--drop-numbers")
    kept = {r[0] for r in rows}
    assert not kept & {"12", "1,000", "3.5", "٣٤", "2,500", "1987", "42", "7"}
    # Letters and digits: ICU's status is its rules' tag for the segment's end (g7 a number, 12th a word).
    assert "g7" not in kept and "12th" in kept


def test_jobs_give_identical_bytes(ck, tmp_path):
    # Enough documents for two workers to share them.
    f = tmp_path / "many.jsonl"
    with open(f, "w", encoding="utf-8") as out:
        for k in range(300):
            date, _, text = DOCS[k % len(DOCS)]
            out.write(json.dumps({"id": f"d{k}", "date": date, "text": f"{text} w{k % 17} {k}"}, ensure_ascii=False) + "\n")
    args = CASES["combined"]
    for cmd in (["ngrams", "-n", "2"], ["cooc", "--window", "3"], ["terms"], ["trends", "--by", "month"]):
        one = ck.run(*cmd, f, "--input-format", "jsonl", "--format", "tsv", "--jobs", "1", *args)
        two = ck.run(*cmd, f, "--input-format", "jsonl", "--format", "tsv", "--jobs", "2", *args)
        assert one == two, cmd
        assert one.count("\n") > 5, cmd


# ---- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--drop", "--keep"])
def test_bad_regex_exits_64_with_icu_error(ck, corpus, flag):
    p = ck.run_raw("terms", corpus, "--input-format", "jsonl", flag, "[a-")
    assert p.returncode == 64
    err = p.stderr.decode()
    assert "U_REGEX_" in err and "[a-" in err and flag in err


@pytest.mark.parametrize("r", ["0", "-0.5", "1.5", "nan"])
def test_ratio_outside_unit_interval_exits_64(ck, corpus, r):
    p = ck.run_raw("ngrams", corpus, "--input-format", "jsonl", "--max-docs-ratio", r)
    assert p.returncode == 64, p.stderr.decode()
    assert "--max-docs-ratio" in p.stderr.decode()


def test_min_length_below_one_exits_64(ck, corpus):
    p = ck.run_raw("terms", corpus, "--input-format", "jsonl", "--min-length", "0")
    assert p.returncode == 64


def test_ratio_refuses_standard_input(ck, corpus):
    p = ck.run_raw("terms", "-", "--input-format", "jsonl", "--max-docs-ratio", "0.5", input=corpus.read_bytes())
    assert p.returncode == 64
    assert "standard input" in p.stderr.decode()


# ---- analyze: manifest, partials ---------------------------------------------------------------------


def test_analyze_records_filters_and_partials_refuse_to_merge(ck, corpus, tmp_path):
    out = tmp_path / "a"
    ck.run("analyze", corpus, "--input-format", "jsonl", "-o", out, "--format", "tsv", *CASES["combined"])
    m = json.loads((out / "manifest.json").read_text())
    tf = m["options"]["token_filters"]
    assert tf["min_length"] == 2 and tf["drop_numbers"] is True and tf["drop"] == ["the|and"]
    assert tf["keep"] == [r"[\p{L}\p{N}]+"] and tf["max_docs_ratio"] == 0.7
    # The analyze tables equal the separate commands.
    terms = (out / "terms.tsv").read_text().splitlines()
    cmd = ck.run("terms", corpus, "--input-format", "jsonl", "--format", "tsv", *CASES["combined"]).splitlines()
    assert terms == cmd

    a, b = tmp_path / "p1", tmp_path / "p2"
    ck.run("analyze", corpus, "--input-format", "jsonl", "-o", a, "--partial", "--min-length", "2")
    ck.run("analyze", corpus, "--input-format", "jsonl", "-o", b, "--partial", "--min-length", "3")
    p = ck.run_raw("merge", a, b, "-o", tmp_path / "m")
    assert p.returncode != 0
    assert "token_filters" in p.stderr.decode()
    # Same filters merge, and keep them: the merged terms equal a direct run's.
    c = tmp_path / "p3"
    ck.run("analyze", corpus, "--input-format", "jsonl", "-o", c, "--partial", "--min-length", "2")
    ck.run("merge", a, c, "-o", tmp_path / "m2", "--format", "tsv")
    merged = {r.split("\t")[0] for r in (tmp_path / "m2" / "terms.tsv").read_text().splitlines()[1:]}
    assert merged and all(oracle_len_ok(t, 2) for t in merged)
    # A partial without token filters records none (it still merges with partials of earlier versions).
    d = tmp_path / "p4"
    ck.run("analyze", corpus, "--input-format", "jsonl", "-o", d, "--partial")
    assert "token_filters" not in json.loads((d / "manifest.json").read_text())["options"]


def oracle_len_ok(term: str, n: int) -> bool:
    return graphemes(term) >= n


def test_partial_refuses_max_docs_ratio(ck, corpus, tmp_path):
    p = ck.run_raw("analyze", corpus, "--input-format", "jsonl", "-o", tmp_path / "p", "--partial", "--max-docs-ratio", "0.5")
    assert p.returncode == 64
    assert "--max-docs-ratio" in p.stderr.decode()


# ---- real data ---------------------------------------------------------------------------------------


def test_reuters_drop_numbers_min_length(ck, reuters_dir):
    if not reuters_dir.exists():
        pytest.skip(f"{reuters_dir} is missing")
    f = reuters_dir / "reut2-000.sgm"
    _, rows = parse_tsv(ck.run("terms", f, "--format", "tsv", "--drop-numbers", "--min-length", "2"))
    docs = oracle.load_corpus([f], "auto")
    tab = oracle.terms(docs)
    tok = oracle.Tokenizer()

    def number(t: str) -> bool:
        segs = list(tok.segments(t))
        return len(segs) == 1 and 100 <= segs[0][2] < 200

    want = [[k, str(tab.count[k]), str(tab.docs[k])] for k in tab.rows() if graphemes(k) >= 2 and not number(k)]
    got = [r[:3] for r in rows]
    assert got == want, mismatch_report(got, want)
