"""Issue 12 ("right numbers"): hand-made cases for the definitions that changed — hard wraps in n-grams and
windows, apostrophes in terms, the title analyzed once."""

from __future__ import annotations

import json

from conftest import parse_tsv


def test_ngrams_span_a_hard_wrap_not_a_blank_line(ck, tmp_path):
    f = tmp_path / "wrapped.txt"
    # LF, CR LF and CR wraps inside one sentence; a blank line holding spaces between two paragraphs.
    f.write_bytes(b"The stock\nmarket fell\r\nsharply on\rMonday\n  \nHard times")
    _, rows = parse_tsv(ck.run("ngrams", f, "--input-format", "text", "--format", "tsv", "--top", "0"))
    got = {r[0] for r in rows}
    assert {"stock market", "fell sharply", "on monday"} <= got
    assert "monday hard" not in got
    _, rows = parse_tsv(ck.run("ngrams", f, "--input-format", "text", "--sentence-breaks", "plain",
                               "--format", "tsv", "--top", "0"))
    assert not {r[0] for r in rows} & {"stock market", "fell sharply", "on monday"}


def test_window_spans_a_hard_wrap(ck, tmp_path):
    f = tmp_path / "wrapped.txt"
    f.write_text("crude oil\nprices rose", encoding="utf-8")
    _, rows = parse_tsv(ck.run("cooc", f, "--input-format", "text", "--window", "2", "--format", "tsv", "--top", "0"))
    assert ("oil", "prices") in {(r[0], r[1]) for r in rows}


def test_curly_and_straight_apostrophes_are_one_term(ck, tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("We’ll see. We'll go. Don't. Don’t. It‘s itʼs it's", encoding="utf-8")
    _, rows = parse_tsv(ck.run("terms", f, "--input-format", "text", "--format", "tsv", "--top", "0"))
    counts = {r[0]: int(r[1]) for r in rows}
    assert counts["we'll"] == 2 and counts["don't"] == 2 and counts["it's"] == 3
    assert not any("’" in t or "‘" in t or "ʼ" in t for t in counts)


def test_title_analyzed_once(ck, tmp_path):
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"title": "hello world", "text": "body words"}) + "\n", encoding="utf-8")
    _, rows = parse_tsv(ck.run("terms", f, "--text-field", "title", "--format", "tsv", "--top", "0"))
    assert {r[0]: int(r[1]) for r in rows} == {"hello": 1, "world": 1}
    _, rows = parse_tsv(ck.run("terms", f, "--format", "tsv", "--top", "0"))
    assert {r[0]: int(r[1]) for r in rows} == {"hello": 1, "world": 1, "body": 1, "words": 1}
