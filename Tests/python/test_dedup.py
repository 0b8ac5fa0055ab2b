"""Issue 17 (4): duplicates. `--dedup exact|near` on every analysis command and `corpuskit dups`, on a built
corpus with known duplicates: exact copies, case/white-space variants, edited copies at shingle Jaccard 0.95
(found by near at 0.9) and 0.8 (not found). Recall and precision of near duplicates are printed (pytest -s)."""

from __future__ import annotations

import json
import random
import re
import subprocess

import pytest

from conftest import BIN, parse_tsv

NEAR_PAIRS = 8  # edited copies at Jaccard 0.95 (must be found)
FAR_PAIRS = 8  # edited copies at Jaccard 0.8 (must not be)


def words(rng: random.Random, n: int) -> list[str]:
    """n distinct random lower-case words (no word repeats, so every 5-shingle of a text is distinct)."""
    out: set[str] = set()
    while len(out) < n:
        out.add("".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9))))
    return sorted(out, key=lambda _: rng.random())


def edited(rng: random.Random, n: int, edits: int) -> tuple[str, str]:
    """A text of n words and a copy with `edits` words replaced, 10 apart: (S − 5e) / (S + 5e) for S shingles."""
    w = words(rng, n + edits)
    copy = w[:n]
    for e in range(edits):
        copy[10 + 10 * e] = w[n + e]
    return " ".join(w[:n]), " ".join(copy)


def shingles(text: str) -> set[tuple[str, ...]]:
    """The oracle's word 5-shingles (the built texts are lower-case ASCII words: tokens are the words)."""
    t = text.lower().split()
    k = min(5, len(t))
    return {tuple(t[i:i + k]) for i in range(len(t) - k + 1)} if t else set()


def jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Two JSONL files (one folder); returns (folder, documents in input order, true duplicate pairs by kind)."""
    rng = random.Random(17)
    docs: list[tuple[str, str]] = []  # (id, text) in input order
    truth: dict[str, set[tuple[str, str]]] = {"exact": set(), "variant": set(), "near": set(), "far": set()}
    later: list[tuple[str, str, str, str]] = []  # (kind, original id, copy id, text): appended after the originals
    for i in range(3):
        t = " ".join(words(rng, 120))
        docs.append((f"orig-exact-{i}", t))
        later.append(("exact", f"orig-exact-{i}", f"copy-exact-{i}", t))
    for i in range(3):
        t = " ".join(words(rng, 80))
        docs.append((f"orig-variant-{i}", t))
        variant = "  " + "\n\t".join(w.upper() if j % 2 else w.capitalize() for j, w in enumerate(t.split())) + " \n"
        later.append(("variant", f"orig-variant-{i}", f"copy-variant-{i}", variant))
    for i in range(NEAR_PAIRS):
        a, b = edited(rng, 394, 2)
        assert abs(jaccard(a, b) - 0.95) < 1e-9
        docs.append((f"orig-near-{i}", a))
        later.append(("near", f"orig-near-{i}", f"copy-near-{i}", b))
    for i in range(FAR_PAIRS):
        a, b = edited(rng, 454, 10)
        assert abs(jaccard(a, b) - 0.8) < 1e-9
        docs.append((f"orig-far-{i}", a))
        later.append(("far", f"orig-far-{i}", f"copy-far-{i}", b))
    for i in range(20):
        docs.append((f"other-{i}", " ".join(words(rng, rng.randint(30, 300)))))
    rng.shuffle(docs)
    rng.shuffle(later)
    for kind, orig, copy, text in later:
        truth[kind].add((orig, copy))
        docs.append((copy, text))
    folder = tmp_path_factory.mktemp("dedup") / "corpus"
    folder.mkdir()
    half = len(docs) // 2
    for name, part in (("a.jsonl", docs[:half]), ("b.jsonl", docs[half:])):
        (folder / name).write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in part))
    return folder, docs, truth


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *map(str, args)], capture_output=True, timeout=300)


def ok(*args) -> subprocess.CompletedProcess:
    p = run(*args)
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    return p


def clusters(tsv: str) -> list[list[tuple[str, float]]]:
    header, rows = parse_tsv(tsv)
    assert header == ["cluster", "doc", "source", "similarity"]
    out: dict[int, list[tuple[str, float]]] = {}
    for c, doc, _source, sim in rows:
        out.setdefault(int(c), []).append((doc, float(sim)))
    assert sorted(out) == list(range(1, len(out) + 1))
    return [out[k] for k in sorted(out)]


def pairs(cl: list[list[tuple[str, float]]]) -> set[tuple[str, str]]:
    return {(c[0][0], d) for c in cl for d, _ in c[1:]}


def test_near_finds_exact_variants_and_095_not_08(corpus):
    folder, docs, truth = corpus
    found = pairs(clusters(ok("dups", folder, "--format", "tsv").stdout.decode()))
    relevant = truth["exact"] | truth["variant"] | truth["near"]
    tp = len(found & relevant)
    recall, precision = tp / len(relevant), tp / len(found) if found else 0.0
    near_tp = len(found & truth["near"])
    print(f"\nnear-dup at 0.9 on the built corpus: {len(found)} pairs found, {len(relevant)} true "
          f"({len(truth['exact'])} exact, {len(truth['variant'])} case/space variants, {len(truth['near'])} at "
          f"Jaccard 0.95; {len(truth['far'])} at 0.8 must not be found): recall {recall:.3f}, precision "
          f"{precision:.3f}; at Jaccard 0.95 {near_tp}/{len(truth['near'])}, at 0.8 "
          f"{len(found & truth['far'])}/{len(truth['far'])} found")
    assert recall == 1 and precision == 1, sorted(found ^ relevant)


def test_similarity_column(corpus):
    folder, docs, truth = corpus
    for c in clusters(ok("dups", folder, "--format", "tsv").stdout.decode()):
        assert c[0][1] == 1.0
        for doc, sim in c[1:]:
            if doc.startswith("copy-near"):
                assert 0.9 <= sim < 1 and abs(sim - 0.95) < 0.1, (doc, sim)
            else:
                assert sim == 1.0, (doc, sim)


def test_exact_finds_copies_and_variants_only(corpus):
    folder, docs, truth = corpus
    found = pairs(clusters(ok("dups", folder, "--exact", "--format", "tsv").stdout.decode()))
    assert found == truth["exact"] | truth["variant"]


def test_dups_rows_in_cluster_then_input_order(corpus):
    folder, docs, truth = corpus
    header, rows = parse_tsv(ok("dups", folder, "--format", "tsv").stdout.decode())
    position = {d: i for i, (d, _) in enumerate(docs)}
    keys = [(int(r[0]), position[r[1]]) for r in rows]
    assert keys == sorted(keys)
    firsts = [position[r[1]] for i, r in enumerate(rows) if i == 0 or rows[i - 1][0] != r[0]]
    assert firsts == sorted(firsts)
    # source is file:line of the document.
    for r in rows:
        f, line = r[2].rsplit(":", 1)
        assert f.endswith((".jsonl")) and int(line) >= 1


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_dups_columns_in_other_formats(corpus, fmt):
    folder, _, _ = corpus
    out = ok("dups", folder, "--exact", "--format", fmt).stdout.decode()
    if fmt == "csv":
        assert out.splitlines()[0] == "cluster,doc,source,similarity"
    else:
        assert list(json.loads(out.splitlines()[0])) == ["cluster", "doc", "source", "similarity"]


@pytest.mark.parametrize("mode", ["exact", "near"])
def test_dropped_documents_count_nowhere(corpus, tmp_path, mode):
    """terms --dedup MODE equals terms over the corpus without the duplicates (written out by the oracle)."""
    folder, docs, truth = corpus
    kinds = ["exact", "variant"] + (["near"] if mode == "near" else [])
    dropped = {copy for k in kinds for _, copy in truth[k]}
    kept = tmp_path / "kept.jsonl"
    kept.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in docs if i not in dropped))
    p = ok("terms", folder, "--dedup", mode, "--format", "tsv")
    assert p.stdout == ok("terms", kept, "--format", "tsv").stdout
    info = json.loads(ok("info", folder, "--dedup", mode, "--format", "json").stdout)
    assert info["documents"] == len(docs) - len(dropped)
    line = [ln for ln in p.stderr.decode().splitlines() if "dropped as duplicates" in ln]
    n_exact = len(truth["exact"]) + len(truth["variant"])
    if mode == "exact":
        assert line == [f"corpuskit: {len(dropped)} documents dropped as duplicates (--dedup exact)"]
    else:
        assert line == [f"corpuskit: {len(dropped)} documents dropped as duplicates (--dedup near, threshold 0.9: "
                        f"{n_exact} exact copies, {len(dropped) - n_exact} near)"]


def test_same_output_for_any_jobs(corpus):
    folder, _, _ = corpus
    for args in (["terms", folder, "--dedup", "near"], ["ngrams", folder, "--dedup", "exact"],
                 ["dups", folder], ["dups", folder, "--exact"], ["dups", folder, "--dedup-threshold", "0.75"]):
        outs = {ok(*args, "--format", "tsv", "--jobs", j).stdout for j in ("1", "2", "4")}
        assert len(outs) == 1, args


def test_lower_threshold_finds_08(corpus):
    folder, _, truth = corpus
    found = pairs(clusters(ok("dups", folder, "--dedup-threshold", "0.7", "--format", "tsv").stdout.decode()))
    assert truth["far"] <= found and truth["near"] <= found


def test_first_in_input_order_is_kept(tmp_path):
    """Whichever of two copies comes first is kept, also across files."""
    (tmp_path / "1.jsonl").write_text(json.dumps({"id": "late-name", "text": "Oil rose. Wheat fell."}) + "\n")
    (tmp_path / "2.jsonl").write_text(json.dumps({"id": "a-first", "text": "oil   ROSE.\nWheat fell."}) + "\n")
    rows = parse_tsv(ok("dups", tmp_path, "--format", "tsv").stdout.decode())[1]
    assert [(r[0], r[1], r[3]) for r in rows] == [("1", "late-name", "1.0"), ("1", "a-first", "1.0")]
    docs = parse_tsv(ok("docs", tmp_path, "--dedup", "exact", "--format", "tsv").stdout.decode())[1]
    assert [r[0] for r in docs] == ["late-name"]


def test_punctuation_and_title_matter_for_exact(tmp_path):
    f = tmp_path / "c.jsonl"
    rows = [{"id": "a", "title": "T", "text": "oil rose"}, {"id": "b", "title": "U", "text": "oil rose"},
            {"id": "c", "text": "oil rose."}, {"id": "d", "text": "oil rose"}, {"id": "e", "title": "t", "text": "OIL ROSE"}]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    got = parse_tsv(ok("dups", f, "--exact", "--format", "tsv").stdout.decode())[1]
    assert [(r[0], r[1]) for r in got] == [("1", "a"), ("1", "e")]


@pytest.mark.parametrize("args, message", [
    (["terms", "--dedup", "foo"], "'foo' is invalid for '--dedup"),
    (["terms", "--dedup", "near", "--dedup-threshold", "0"], "--dedup-threshold must be more than 0 and at most 1"),
    (["terms", "--dedup", "near", "--dedup-threshold", "1.5"], "--dedup-threshold must be more than 0 and at most 1"),
    (["terms", "--dedup", "near", "--dedup-threshold=-0.2"], "--dedup-threshold must be more than 0 and at most 1"),
    (["terms", "--dedup", "near", "--dedup-threshold", "nan"], "--dedup-threshold must be more than 0 and at most 1"),
    (["terms", "--dedup", "exact", "--dedup-threshold", "0.8"], "--dedup-threshold applies to --dedup near"),
    (["terms", "--dedup-threshold", "0.8"], "--dedup-threshold applies to --dedup near"),
    (["dups", "--dedup-threshold", "2"], "--dedup-threshold must be more than 0 and at most 1"),
    (["dups", "--dedup", "near"], "dups lists duplicates itself"),
    (["dups", "--exact", "--dedup-threshold", "0.8"], "--dedup-threshold applies to near duplicates"),
])
def test_bad_usage_exits_64(corpus, args, message):
    folder, _, _ = corpus
    p = run(args[0], folder, *args[1:])
    assert p.returncode == 64 and message in p.stderr.decode(), p.stderr.decode()
    assert p.stdout == b""


def test_standard_input_is_refused_with_dedup():
    p = run("terms", "-", "--dedup", "exact", "--input-format", "text")
    assert p.returncode == 64 and "standard input" in p.stderr.decode()


def test_threshold_one_is_exact_shingle_sets(tmp_path):
    """At 1, a copy differing in punctuation only (same tokens, same shingles) is found by near, not by exact."""
    f = tmp_path / "c.jsonl"
    text = " ".join(f"w{i}" for i in range(40))
    f.write_text(json.dumps({"id": "a", "text": text}) + "\n" + json.dumps({"id": "b", "text": text.replace(" ", ", ")}) + "\n")
    assert len(parse_tsv(ok("dups", f, "--dedup-threshold", "1", "--format", "tsv").stdout.decode())[1]) == 2
    assert parse_tsv(ok("dups", f, "--exact", "--format", "tsv").stdout.decode())[1] == []
    assert re.search(r"0 duplicate clusters", run("dups", f, "--exact", "--format", "tsv").stderr.decode())


def test_reuters_near_against_exact_jaccard(ck, reuters_dir, reuters_all, tmp_path):
    """On Reuters-21578, the documents `dups` (near, 0.9) drops against the oracle's exact shingle Jaccard: a
    document is truly a near duplicate when an earlier one has Jaccard ≥ 0.9 (candidates from an inverted
    index of shingles). MinHash estimates, so pairs close to 0.9 can fall either side: printed, and bounded."""
    import collections

    out = tmp_path / "near.tsv"
    ok("dups", reuters_dir, "-o", out)
    cl = clusters(out.read_text())
    docs = reuters_all
    sets = [shingles(" ".join(d.tokens)) if d.tokens else set() for d in docs]
    index = collections.defaultdict(list)
    for i, s in enumerate(sets):
        for x in s:
            index[x].append(i)
    truth = set()
    for i, s in enumerate(sets):
        shared = collections.Counter(j for x in s if len(index[x]) <= 200 for j in index[x] if j < i)
        if any(c >= 0.7 * len(s) and len(s & sets[j]) / len(s | sets[j]) >= 0.9 for j, c in shared.items()):
            truth.add(i)
    position = {d.id: i for i, d in enumerate(docs)}
    dropped, similarities = set(), []
    for c in cl:
        kept = position[c[0][0]]
        for doc, _ in c[1:]:
            dropped.add(position[doc])
            a, b = sets[kept], sets[position[doc]]
            similarities.append(len(a & b) / len(a | b) if a | b else 1.0)
    precision, recall = len(dropped & truth) / len(dropped), len(dropped & truth) / len(truth)
    print(f"\nReuters-21578 near-dup at 0.9: {len(dropped)} dropped, {len(truth)} with an earlier document at exact "
          f"Jaccard ≥ 0.9; precision {precision:.3f}, recall {recall:.3f}; lowest exact Jaccard of a dropped "
          f"document to its kept one {min(similarities):.3f}")
    assert precision >= 0.95 and recall >= 0.95 and min(similarities) >= 0.8


def test_dups_reads_standard_input():
    """dups reads its inputs once: standard input works there."""
    lines = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in [("a", "Oil rose."), ("b", "OIL  rose."), ("c", "x")])
    p = subprocess.run([str(BIN), "dups", "-", "--input-format", "jsonl", "--exact", "--format", "tsv"],
                       input=lines.encode(), capture_output=True, timeout=60)
    assert p.returncode == 0, p.stderr.decode()
    assert [r[:2] for r in parse_tsv(p.stdout.decode())[1]] == [["1", "a"], ["1", "b"]]
