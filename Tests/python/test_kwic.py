"""`corpuskit kwic` (issue 14, item 1) on Reuters: hit counts against `terms` and `ngrams`, byte offsets
against the oracle's analyzed texts, determinism for any --jobs and piece size, --sample, every format,
the aligned terminal lines, exit codes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess

import pytest

import oracle
from conftest import BIN, parse_tsv
from test_terminal import run_tty, width

WHITESPACE = " \t\n\r\f\v"
COLUMNS = ["doc", "date", "source", "start", "end", "left", "match", "right"]


@pytest.fixture(scope="module", autouse=True)
def need_kwic(ck):
    ck.require("kwic")


@pytest.fixture(scope="module")
def terms_counts(ck, reuters_dir) -> dict[str, int]:
    _, rows = ck.tsv("terms", reuters_dir, "--format", "tsv", "--top", "0")
    return {r[0]: int(r[1]) for r in rows}


@pytest.fixture(scope="module")
def bigram_counts(ck, reuters_dir) -> dict[str, int]:
    _, rows = ck.tsv("ngrams", reuters_dir, "-n", "2", "--format", "tsv", "--min-count", "20")
    return {r[0]: int(r[1]) for r in rows}


@pytest.fixture(scope="module")
def reuters_texts(reuters_dir) -> dict[str, bytes]:
    """Document id → analyzed text (UTF-8), as the oracle reads Reuters, title and body trimmed as CorpusKit's
    reader does (the oracle keeps their outer whitespace, which no count sees)."""
    out = {}
    for d in oracle.read_inputs([reuters_dir], "reuters"):
        d.title = d.title.strip(WHITESPACE) if d.title else d.title
        d.body = d.body.strip(WHITESPACE)
        out[d.id] = d.analyzed_text().encode("utf-8")
    return out


def kwic_jsonl(ck, *args) -> list[dict]:
    out = ck.run("kwic", *args, "--format", "jsonl")
    return [json.loads(line) for line in out.splitlines() if line]


@pytest.mark.parametrize("term", ["crude", "Iran", "louvre", "opec", "said"])
def test_term_hits_equal_terms_count(ck, reuters_dir, terms_counts, term):
    header, rows = ck.tsv("kwic", term, reuters_dir, "--context", "0", "--format", "tsv")
    assert header == COLUMNS
    assert len(rows) == terms_counts[term.lower()]


@pytest.mark.parametrize("phrase", ["stock market", "crude oil", "oil prices", "the company"])
def test_phrase_hits_equal_ngrams_count(ck, reuters_dir, bigram_counts, phrase):
    _, rows = ck.tsv("kwic", phrase, reuters_dir, "--context", "1", "--format", "tsv")
    assert len(rows) == bigram_counts[phrase]


def test_glob_hits_are_the_sum_of_its_terms(ck, reuters_dir, terms_counts):
    _, rows = ck.tsv("kwic", "encrypt*", reuters_dir, "--context", "0", "--format", "tsv")
    _, rows2 = ck.tsv("kwic", "petrol?um", reuters_dir, "--context", "0", "--format", "tsv")
    assert len(rows) == sum(c for t, c in terms_counts.items() if t.startswith("encrypt"))
    assert len(rows2) == terms_counts["petroleum"]
    _, rows3 = ck.tsv("kwic", "^opec(s)?$", reuters_dir, "--regex", "--context", "0", "--format", "tsv")
    assert len(rows3) == terms_counts["opec"] + terms_counts.get("opecs", 0)


@pytest.mark.parametrize("query,regex,terms", [
    ("crude", False, ["crude"]),
    ("stock market", False, ["stock", "market"]),
    ("petro*", False, None),
    ("crude|petro\\w+", True, None),
])
def test_offsets_slice_the_analyzed_text(ck, reuters_dir, reuters_texts, query, regex, terms):
    hits = kwic_jsonl(ck, query, reuters_dir, *(["--regex"] if regex else []))
    assert hits
    tok = oracle.default_tokenizer()
    for h in hits:
        text = reuters_texts[h["doc"]]
        piece = text[h["start"]:h["end"]].decode("utf-8")
        got = tok.tokens(piece)
        if terms is not None:
            assert got == terms, (h, piece)
        else:
            assert len(got) == 1, (h, piece)
        assert " ".join(piece.split()) == h["match"], (h, piece)
        # the context is the text around the match, whitespace runs as one space
        before = " ".join(text[:h["start"]].decode("utf-8").split())
        after = " ".join(text[h["end"]:].decode("utf-8").split())
        assert before.endswith(h["left"]) and after.startswith(h["right"]), h
        assert len(tok.tokens(h["left"])) <= 5 and len(tok.tokens(h["right"])) <= 5, h


def test_jobs_and_piece_size_do_not_change_the_output(ck, reuters_dir):
    for args in (["oil"], ["oil", "--sort", "left1", "--limit", "200"], ["oil price*", "--sort", "right2"],
                 ["oil", "--sample", "50", "--seed", "9"]):
        one = ck.run("kwic", *args, reuters_dir, "--format", "tsv", "--jobs", "1")
        three = ck.run("kwic", *args, reuters_dir, "--format", "tsv", "--jobs", "3")
        assert one == three, args
    env = dict(os.environ, CORPUSKIT_PIECE_BYTES="64")
    small = subprocess.run([str(BIN), "kwic", "oil", reuters_dir, "--format", "tsv"], capture_output=True, env=env)
    assert small.returncode == 0
    assert small.stdout.decode() == ck.run("kwic", "oil", reuters_dir, "--format", "tsv")


def test_limit_keeps_the_first_by_sort(ck, reuters_dir):
    _, every = ck.tsv("kwic", "oil", reuters_dir, "--sort", "right1", "--format", "tsv")
    _, first = ck.tsv("kwic", "oil", reuters_dir, "--sort", "right1", "--limit", "30", "--format", "tsv")
    assert first == every[:30]
    right1 = [oracle.default_tokenizer().tokens(r[7])[:1] for r in every]
    keys = [w[0].encode() if w else b"" for w in right1]
    assert keys == sorted(keys)


def test_sample_is_reproducible(ck, reuters_dir):
    a = ck.run("kwic", "oil", reuters_dir, "--sample", "40", "--seed", "3", "--format", "tsv")
    b = ck.run("kwic", "oil", reuters_dir, "--sample", "40", "--seed", "3", "--format", "tsv")
    c = ck.run("kwic", "oil", reuters_dir, "--sample", "40", "--seed", "4", "--format", "tsv")
    assert a == b and a != c
    _, rows = parse_tsv(a)
    _, every = ck.tsv("kwic", "oil", reuters_dir, "--format", "tsv")
    assert len(rows) == 40 and all(r in every for r in rows)
    # in document order (the default --sort)
    assert rows == [r for r in every if r in rows]


def test_every_format_is_readable(ck, reuters_dir, tmp_path):
    pa = pytest.importorskip("pyarrow.parquet")
    base = ["kwic", "louvre", reuters_dir, "--limit", "0"]
    _, tsv_rows = ck.tsv(*base, "--format", "tsv")
    assert tsv_rows
    rows = list(csv.reader(io.StringIO(ck.run(*base, "--format", "csv"))))
    assert rows[0] == COLUMNS and rows[1:] == tsv_rows
    js = kwic_jsonl(ck, *base[1:])
    assert [[str(h[c]) for c in COLUMNS] for h in js] == tsv_rows
    out = tmp_path / "louvre.parquet"
    ck.run(*base, "-o", out)
    table = pa.read_table(out).to_pylist()
    assert [[str(r[c]) for c in COLUMNS] for r in table] == tsv_rows


def test_terminal_lines_are_aligned(reuters_dir):
    for columns in (80, 140):
        out = run_tty(["kwic", "crude", reuters_dir / "reut2-000.sgm"], columns)
        lines = out.rstrip("\n").split("\n")
        assert lines[-1].startswith("shown 25 of ") and lines[-1].endswith(" hits — --limit 0 for all"), lines[-1]
        body = lines[2:-1]
        assert len(body) == 25
        assert all(width(ln) <= columns for ln in lines), columns
        # the match starts in the header's "match" column on every line
        col = width(lines[0][:lines[0].index("  match") + 2])
        for ln in body:
            w, k = 0, 0
            while w < col:
                w += width(ln[k])
                k += 1
            assert ln[k:].lower().startswith("crude"), (ln, col)


@pytest.mark.parametrize("args", [["--regex", "["], ["--regex", ""], [""], ["!!"], ["   "]])
def test_bad_queries_exit_64(ck, reuters_dir, args):
    p = ck.run_raw("kwic", *args[-1:], reuters_dir, *args[:-1])
    assert p.returncode == 64, p.stderr
    assert b"error:" in p.stderr


def test_table_on_a_pipe_is_aligned_with_every_hit(ck, reuters_dir, terms_counts):
    out = ck.run("kwic", "louvre", reuters_dir, "--format", "table", "--context", "3")
    lines = out.rstrip("\n").split("\n")
    n = terms_counts["louvre"]
    assert lines[0].split() == ["doc", "left", "match", "right"]
    assert len(lines) == n + 3 and lines[-1] == f"shown {n} of {n} hits", lines[-1]
    col = lines[0].index("  match") + 2
    assert all(ln[col:].lower().startswith("louvre") for ln in lines[2:-1])
