"""Metadata fields and `--group-by` (issue 17, item 2): `--field` keeps JSONL/CSV/Reuters metadata, `docs`
shows it; a grouped table is, group by group, exactly the ungrouped table of that group's documents
(checked against runs over the same documents split into files); per-group counts sum to the ungrouped
ones; a document with several values counts in each; keyness of a group equals keyness between the same
documents split into two inputs, byte for byte; output is the same for any --jobs."""

from __future__ import annotations

import json
import random
from collections import Counter

import pytest

from conftest import parse_tsv

WORDS = ("oil price crude opec barrel bank rate loan dollar yen wheat corn grain harvest shares stock "
         "market index merger bid offer court judge ruling appeal storm rain flood").split()


def build_docs(n: int = 120, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        desk = ["energy", "money", "farm", None][i % 4]
        bias = {"energy": WORDS[:5], "money": WORDS[5:10], "farm": WORDS[10:14], None: WORDS[14:]}[desk]
        words = [rng.choice(bias if rng.random() < 0.6 else WORDS) for _ in range(rng.randint(8, 40))]
        d = {"id": f"d{i}", "date": f"1987-{1 + i % 5:02d}-{1 + i % 27:02d}", "text": " ".join(words) + "."}
        if desk is not None:
            d["desk"] = desk
        d["tags"] = [["x"], ["x", "y"], ["y"], []][i % 4]
        docs.append(d)
    return docs


def write_jsonl(path, docs):
    path.write_text("".join(json.dumps(d) + "\n" for d in docs))
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("groups")
    docs = build_docs()
    all_path = write_jsonl(d / "all.jsonl", docs)
    split = {}
    for value in ["energy", "money", "farm", ""]:
        split[value] = write_jsonl(d / f"desk-{value or 'none'}.jsonl", [x for x in docs if x.get("desk", "") == value])
    rest = write_jsonl(d / "not-energy.jsonl", [x for x in docs if x.get("desk") != "energy"])
    return {"dir": d, "docs": docs, "all": all_path, "split": split, "rest": rest}


def group_rows(rows, group):
    return [r[1:] for r in rows if r[0] == group]


def test_docs_shows_fields(ck, corpus):
    header, rows = ck.tsv("docs", str(corpus["all"]), "--field", "desk", "--field", "tags", "--top", "4")
    assert header == ["id", "source", "date", "title", "tokens", "desk", "tags"]
    assert [r[5] for r in rows] == ["energy", "money", "farm", ""]
    assert [r[6] for r in rows] == ["x", "x; y", "y", ""]


def test_csv_and_nested_fields(ck, tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("text,desk\nhello world,A\nbye,\n")
    header, rows = ck.tsv("docs", str(p), "--field", "desk")
    assert [r[5] for r in rows] == ["A", ""]
    q = tmp_path / "b.jsonl"
    q.write_text('{"text":"a b","meta":{"src":"AP"},"n":3}\n{"text":"c","meta":{}}\n')
    header, rows = ck.tsv("docs", str(q), "--field", "meta.src", "--field", "n")
    assert header[5:] == ["meta.src", "n"]
    assert [r[5:] for r in rows] == [["AP", "3"], ["", ""]]


@pytest.mark.parametrize("command", [
    ["terms"],
    ["terms", "--top", "5", "--min-count", "2"],
    ["periods", "--by", "month"],
    ["trends", "--by", "month"],
    ["trends", "--by", "month", "--terms", "oil,bank rate", "--smooth", "3"],
    ["trends", "--by", "week", "--top", "3"],
    ["dispersion", "--terms", "oil,bank,wheat"],
])
def test_grouped_table_is_each_groups_own_table(ck, corpus, command):
    header, rows = ck.tsv(*command, str(corpus["all"]), "--group-by", "desk")
    assert header[0] == "group"
    groups = sorted({r[0] for r in rows})
    assert groups == ["", "energy", "farm", "money"]
    # Groups come in the order of their names (UTF-8 bytes), each group's rows together.
    seen = [r[0] for r in rows]
    assert seen == sorted(seen, key=lambda g: g.encode())
    for value, path in corpus["split"].items():
        h, alone = ck.tsv(*command, str(path))
        assert h == header[1:]
        assert group_rows(rows, value) == alone, (command, value)


def test_group_counts_sum_to_ungrouped(ck, corpus):
    _, grouped = ck.tsv("terms", str(corpus["all"]), "--group-by", "desk")
    _, plain = ck.tsv("terms", str(corpus["all"]))
    total = Counter()
    docs = Counter()
    for g, term, count, d, _ in grouped:
        total[term] += int(count)
        docs[term] += int(d)
    assert {r[0]: int(r[1]) for r in plain} == dict(total)
    assert {r[0]: int(r[2]) for r in plain} == dict(docs)


def test_several_values_count_in_each_group(ck, corpus):
    _, rows = ck.tsv("terms", str(corpus["all"]), "--group-by", "tags")
    expected = {"x": Counter(), "y": Counter(), "": Counter()}
    for d in corpus["docs"]:
        toks = d["text"].rstrip(".").split()
        for g in (d["tags"] or [""]):
            expected[g].update(toks)
    got = {"x": Counter(), "y": Counter(), "": Counter()}
    for g, term, count, _, _ in rows:
        got[g][term] = int(count)
    assert got == expected


def test_keyness_of_a_group_equals_keyness_of_split_inputs(ck, corpus):
    common = ["--min-count", "1", "--format", "tsv"]
    by_group = ck.run("keyness", str(corpus["all"]), "--group-by", "desk", "--target-group", "energy", *common)
    by_files = ck.run("keyness", "--target", str(corpus["split"]["energy"]), "--reference", str(corpus["rest"]), *common)
    assert by_group == by_files
    by_group = ck.run("keyness", str(corpus["all"]), "--group-by", "desk", "--target-group", "energy", "--reference-group", "farm", *common)
    by_files = ck.run("keyness", "--target", str(corpus["split"]["energy"]), "--reference", str(corpus["split"]["farm"]), *common)
    assert by_group == by_files
    header, rows = parse_tsv(by_group)
    assert rows and header[0] == "term"


def test_grouped_output_same_for_any_jobs(ck, corpus):
    for command in (["terms"], ["trends", "--by", "month"], ["dispersion", "--terms", "oil,bank"]):
        outs = {ck.run(*command, str(corpus["all"]), "--group-by", "tags", "--jobs", str(j), "--format", "tsv") for j in (1, 2, 4)}
        assert len(outs) == 1, command


def test_keyness_group_errors(ck, corpus):
    r = ck.run_raw("keyness", str(corpus["all"]), "--group-by", "desk", "--target-group", "sports")
    assert r.returncode == 65
    assert 'no document has desk = "sports"' in r.stderr.decode()
    r = ck.run_raw("keyness", str(corpus["all"]), "--target-group", "energy")
    assert r.returncode == 64
    assert "--group-by" in r.stderr.decode()
    r = ck.run_raw("keyness", str(corpus["all"]), "--group-by", "desk", "--target-group", "energy", "--max-dp", "0.5")
    assert r.returncode == 64


def test_reuters_topic_keyness(ck, corpora):
    reuters = corpora / "reuters21578"
    if not reuters.is_dir():
        pytest.skip("Reuters-21578 is not in ../shared/corpora")
    header, rows = ck.tsv("keyness", str(reuters), "--group-by", "topics", "--target-group", "crude", "--stopwords", "en", "--top", "10")
    top = [r[0] for r in rows]
    assert top[:2] == ["oil", "opec"], top
    assert {"crude", "bpd", "barrels"} <= set(top)
