"""`corpuskit bench` (issue 8) on a small corpus the test writes: every stage at every job count, the JSON
report parsed, and the counts it reports checked against the oracle (tokens of the analyzed texts, text
bytes, documents). Speed is never asserted here — only that the figures are measured and consistent."""

from __future__ import annotations

import json
import statistics

import pytest

import oracle

STAGES = ["read", "segment", "normalize", "sentences", "terms", "ngrams", "cooc", "parquet"]

DOCS = [
    {"id": "a", "date": "2024-01-02", "title": "Oil prices rise", "text": "Crude oil rose 3% to $81.20 a barrel on Tuesday.\nTraders said supply was tight."},
    {"id": "b", "date": "2024-01-03", "title": "", "text": "Die Ölpreise stiegen. Les prix du pétrole ont augmenté — “fortement”."},
    {"id": "c", "date": None, "title": "東京株式市場", "text": "日経平均株価は上昇した。ภาษาไทยเป็นภาษาที่สวยงาม"},
    {"id": "d", "date": "2024-01-05", "title": "U.S. rates", "text": "The Fed's decision (25bp) surprised no one; yields fell 0.1 pct."},
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("bench")
    path = d / "small.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for rep in range(30):  # 120 documents: several batches of 64 for the workers to share
            for doc in DOCS:
                f.write(json.dumps({**doc, "id": f"{rep}-{doc['id']}"}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def expected(small_corpus):
    raw = oracle.read_jsonl(small_corpus)
    tok = oracle.default_tokenizer()
    texts = [r.analyzed_text() for r in raw]
    segments = sum(1 for t in texts for (_, _, st) in tok.segments(t) if st >= 100)
    table = oracle.terms(oracle.tokenize_docs(raw))
    sentences = sum(len(tok.sentence_starts(t)) for t in texts if t)
    return {
        "sentences": sentences,
        "documents": len(raw),
        "text_bytes": sum(len(t.encode("utf-8")) for t in texts),
        "input_bytes": small_corpus.stat().st_size,
        "segments": segments,
        "tokens": table.N,
        "rows": len(table.count),
    }


@pytest.fixture(scope="module")
def report(ck, small_corpus):
    ck.require("bench")
    out = ck.run("bench", small_corpus, "--jobs", "1,2", "--repeat", "3", "--format", "json")
    return json.loads(out)


def results(report, stage):
    return [r for r in report["results"] if r["stage"] == stage]


def test_every_stage_at_every_job_count(report):
    assert [r["stage"] for r in report["results"]] == [s for s in STAGES for _ in ([1] if s == "parquet" else [1, 2])]
    for s in STAGES:
        jobs = [r["jobs"] for r in results(report, s)]
        assert jobs == ([1] if s == "parquet" else [1, 2]), (s, jobs)


def test_figures_are_medians_and_consistent(report):
    assert report["repeats"] == 3
    for r in report["results"]:
        runs = r["runs_seconds"]
        assert len(runs) == 3 and all(x > 0 for x in runs), r
        assert r["wall_seconds"] == pytest.approx(statistics.median(runs)), r
        assert r["mb_per_s"] == pytest.approx(r["bytes"] / 1e6 / r["wall_seconds"], rel=1e-9), r
        assert r["items_per_s"] == pytest.approx(r["items"] / r["wall_seconds"], rel=1e-9), r
        assert r["peak_rss_mb"] > 0, r
        assert r["cpu_seconds"] >= 0, r
        if r["item_unit"] == "tokens":
            assert r["tokens_per_s"] == pytest.approx(r["items_per_s"]), r
        else:
            assert r["tokens_per_s"] is None, r
        if r["stage"] == "parquet":
            assert r["speedup"] is None
        elif r["jobs"] == 1:
            assert r["speedup"] == pytest.approx(1.0)
        else:
            one = next(x for x in results(report, r["stage"]) if x["jobs"] == 1 and x["segmenter"] == r["segmenter"])
            assert r["speedup"] == pytest.approx(one["wall_seconds"] / r["wall_seconds"]), r


def test_runs_are_taken_in_interleaved_rounds(report):
    # Every (stage, segmenter, jobs) runs once a round, in pipeline order, before the next round starts:
    # the figures compared were measured side by side in time, not one stage's runs after another's.
    starts = [r["runs_started_seconds"] for r in report["results"]]
    assert all(len(s) == 3 for s in starts)
    assert min(s[0] for s in starts) == 0
    for k in range(2):
        assert max(s[k] for s in starts) < min(s[k + 1] for s in starts), starts
    for k in range(3):
        assert [s[k] for s in starts] == sorted(s[k] for s in starts), starts


def test_counts_match_the_oracle(report, expected):
    c = report["corpus"]
    assert c["documents"] == expected["documents"]
    assert c["text_bytes"] == expected["text_bytes"]
    assert c["input_bytes"] == expected["input_bytes"]
    for r in results(report, "read"):
        assert (r["items"], r["item_unit"], r["bytes"]) == (expected["documents"], "documents", expected["input_bytes"])
    for r in results(report, "segment"):
        assert (r["items"], r["bytes"]) == (expected["segments"], expected["text_bytes"]), r
    for r in results(report, "sentences"):
        # Sentence boundaries of the analyzed texts, hard wraps undone (SPEC "Sentences"), as PyICU finds them.
        assert (r["items"], r["item_unit"], r["bytes"]) == (expected["sentences"], "sentences", expected["text_bytes"]), r
    for stage in ("normalize", "terms", "ngrams", "cooc"):
        for r in results(report, stage):
            assert (r["items"], r["bytes"]) == (expected["tokens"], expected["text_bytes"]), r
    (p,) = results(report, "parquet")
    assert p["item_unit"] == "rows" and p["items"] == expected["rows"]
    assert p["bytes"] > 0


def test_table_format_and_stage_choice(ck, small_corpus):
    ck.require("bench")
    out = ck.run("bench", small_corpus, "--jobs", "1", "--repeat", "1", "--stages", "terms,segment", "--format", "table")
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("stage"))
    for col in ("MB/s", "Mtokens/s", "wall s", "cpu s", "peak MB", "speed-up"):
        assert col in header
    rows = [line.split()[0] for line in lines if line.split() and line.split()[0] in STAGES]
    assert rows == ["segment", "terms"]  # pipeline order, whatever order was asked


def test_segmenters_side_by_side(ck, small_corpus, expected):
    ck.require("bench")
    rep = json.loads(ck.run("bench", small_corpus, "--jobs", "1", "--repeat", "1", "--stages", "segment,terms",
                            "--segmenter", "auto,icu", "--format", "json"))
    got = [(r["stage"], r["segmenter"], r["items"]) for r in rep["results"]]
    assert got == [("segment", "auto", expected["segments"]), ("segment", "icu", expected["segments"]),
                   ("terms", "auto", expected["tokens"]), ("terms", "icu", expected["tokens"])]


@pytest.mark.parametrize("args, message", [
    (["--stages", "terms,bogus"], "unknown stage 'bogus'"),
    (["--jobs", "0"], "not a job count"),
    (["--jobs", "1,x"], "not a job count"),
    (["--repeat", "0"], "--repeat must be at least 1"),
    (["--segmenter", "fast"], "not a segmenter"),
])
def test_bad_options(ck, small_corpus, args, message):
    ck.require("bench")
    p = ck.run_raw("bench", small_corpus, *args)
    assert p.returncode != 0
    assert message in p.stderr.decode("utf-8", "replace")


def test_no_inputs(ck):
    ck.require("bench")
    p = ck.run_raw("bench")
    assert p.returncode != 0
    assert "INPUTS" in p.stderr.decode("utf-8", "replace")
