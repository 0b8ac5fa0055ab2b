"""Issue 13: `analyze --partial` and `corpuskit merge`. The finished tables of a merge of partials of any
split of Reuters' files equal `analyze` on the whole corpus cell for cell (doubles bit for bit); merge
refuses partials whose options differ, naming the option; merging is incremental."""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

TABLES = ["documents", "terms", "ngrams", "cooc", "trends", "periods"]
PARTIAL_TABLES = ["documents", "terms", "ngrams", "pairs", "periods", "period_totals", "totals"]


def reuters_files(corpora: Path) -> list[Path]:
    files = sorted((corpora / "reuters21578").glob("*.sgm"))
    assert len(files) == 22, f"expected the 22 Reuters .sgm files, found {len(files)}"
    return files


@pytest.fixture(scope="module")
def whole(ck, corpora, tmp_path_factory):
    """`analyze` over all of Reuters (with stopwords, so the plan-level filter is exercised too)."""
    ck.require("merge")
    out = tmp_path_factory.mktemp("whole") / "reuters"
    ck.run("analyze", *reuters_files(corpora), "-o", out, "--stopwords", "en", "--min-count", "2")
    return out


def cells(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def same_cells(a: list[dict], b: list[dict]) -> str | None:
    """None when equal cell for cell (floats bit for bit, NaN equal to NaN); else the first difference."""
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)}"
    for i, (x, y) in enumerate(zip(a, b)):
        if x.keys() != y.keys():
            return f"row {i}: columns {list(x)} vs {list(y)}"
        for k in x:
            u, v = x[k], y[k]
            if isinstance(u, float) and isinstance(v, float):
                if (math.isnan(u) and math.isnan(v)) or u.hex() == v.hex():
                    continue
                return f"row {i} column {k}: {u!r} vs {v!r}"
            if u != v:
                return f"row {i} column {k}: {u!r} vs {v!r}"
    return None


def assert_same_folder(got: Path, want: Path, *, documents_in_order: bool = True):
    for t in TABLES:
        a, b = cells(got / f"{t}.parquet"), cells(want / f"{t}.parquet")
        if t == "documents" and not documents_in_order:
            key = lambda r: (r["source"], r["id"])  # noqa: E731
            a, b = sorted(a, key=key), sorted(b, key=key)
        diff = same_cells(a, b)
        assert diff is None, f"{t}: {diff}"
    mg, mw = json.loads((got / "manifest.json").read_text()), json.loads((want / "manifest.json").read_text())
    assert mg["counts"] == mw["counts"]
    for t in TABLES:
        assert mg["tables"][t]["rows"] == mw["tables"][t]["rows"], t
    assert sorted(i["path"] for i in mg["inputs"]) == sorted(i["path"] for i in mw["inputs"])
    for k in ("by", "window", "min_count", "normalize", "stopwords"):
        assert mg["options"][k] == mw["options"][k], k


def partials_of(ck, groups: list[list[Path]], base: Path, *extra) -> list[Path]:
    out = []
    for i, g in enumerate(groups):
        p = base / f"part-{i}"
        ck.run("analyze", *g, "--partial", "-o", p, "--stopwords", "en", *extra)
        out.append(p)
    return out


@pytest.mark.parametrize("k", [1, 2, 7])
def test_merge_of_random_splits_equals_analyze(ck, corpora, whole, tmp_path, k):
    files = reuters_files(corpora)
    rng = random.Random(1987 + k)
    shuffled = files[:]
    rng.shuffle(shuffled)
    groups = [shuffled[i::k] for i in range(k)]
    parts = partials_of(ck, groups, tmp_path)
    for p in parts:
        m = json.loads((p / "manifest.json").read_text())
        assert m["kind"] == "corpuskit-partial"
        assert sorted(x.name for x in p.iterdir()) == sorted([f"{t}.parquet" for t in PARTIAL_TABLES] + ["manifest.json"])
    out = tmp_path / "merged"
    ck.run("merge", *parts, "-o", out, "--min-count", "2")
    assert_same_folder(out, whole, documents_in_order=False)  # shuffled files: same rows, another order


def test_contiguous_split_keeps_document_order(ck, corpora, whole, tmp_path):
    files = reuters_files(corpora)
    parts = partials_of(ck, [files[:5], files[5:13], files[13:]], tmp_path)
    out = tmp_path / "merged"
    ck.run("merge", *parts, "-o", out, "--min-count", "2")
    assert_same_folder(out, whole, documents_in_order=True)


def test_merge_of_merged_partials_incremental(ck, corpora, whole, tmp_path):
    """Last month's partial merged with this month's: a merged partial merges again to the same tables."""
    files = reuters_files(corpora)
    a, b, c = partials_of(ck, [files[:8], files[8:15], files[15:]], tmp_path)
    ab = tmp_path / "ab"
    ck.run("merge", a, b, "--partial", "-o", ab)
    assert json.loads((ab / "manifest.json").read_text())["kind"] == "corpuskit-partial"
    out = tmp_path / "merged"
    ck.run("merge", ab, c, "-o", out, "--min-count", "2")
    assert_same_folder(out, whole, documents_in_order=True)
    # The merged partial's counts are the sums of its parts'.
    ta = pq.read_table(a / "totals.parquet").to_pylist()[0]
    tb = pq.read_table(b / "totals.parquet").to_pylist()[0]
    tab = pq.read_table(ab / "totals.parquet").to_pylist()[0]
    for k in ("documents", "tokens", "text_bytes", "ordered_pairs", "input_bytes"):
        assert tab[k] == ta[k] + tb[k], k
    assert tab["first_date"] == min(ta["first_date"], tb["first_date"])
    assert tab["last_date"] == max(ta["last_date"], tb["last_date"])


def test_partial_holds_nothing_derived(ck, corpora, tmp_path):
    p = partials_of(ck, [reuters_files(corpora)[:1]], tmp_path)[0]
    for t in PARTIAL_TABLES:
        names = pq.read_schema(p / f"{t}.parquet").names
        for derived in ("per_million", "pmi", "npmi", "log_dice", "dice", "t_score", "g2"):
            assert derived not in names, (t, derived)
    terms = cells(p / "terms.parquet")
    assert min(r["count"] for r in terms) == 1, "a partial keeps every count (no --min-count)"
    r = ck.run_raw("analyze", reuters_files(corpora)[0], "--partial", "--min-count", "5", "-o", tmp_path / "x")
    assert r.returncode == 64 and b"merge" in r.stderr
    r = ck.run_raw("analyze", reuters_files(corpora)[0], "--partial", "--format", "tsv", "-o", tmp_path / "y")
    assert r.returncode == 64 and b"Parquet" in r.stderr


@pytest.mark.parametrize("option,values,named", [
    ("--window", ("5", "3"), "window"),
    ("--by", ("month", "week"), "by"),
    ("--normalize", ("nfkc-casefold", "nfc"), "normalize"),
])
def test_merge_refuses_mismatched_options(ck, corpora, tmp_path, option, values, named):
    f = reuters_files(corpora)
    a, b = tmp_path / "a", tmp_path / "b"
    ck.run("analyze", f[0], "--partial", "-o", a, option, values[0])
    ck.run("analyze", f[1], "--partial", "-o", b, option, values[1])
    r = ck.run_raw("merge", a, b, "-o", tmp_path / "out")
    assert r.returncode == 65, r.stderr
    assert f"option '{named}' differs".encode() in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()


def test_merge_refuses_other_stopword_lists(ck, corpora, tmp_path):
    f = reuters_files(corpora)
    words = tmp_path / "stop.txt"
    words.write_text("the\nof\n")
    a, b = tmp_path / "a", tmp_path / "b"
    ck.run("analyze", f[0], "--partial", "-o", a, "--stopwords", "en")
    ck.run("analyze", f[1], "--partial", "-o", b, "--stopwords", words)
    r = ck.run_raw("merge", a, b, "-o", tmp_path / "out")
    assert r.returncode == 65 and b"stopword_terms" in r.stderr, r.stderr


def test_merge_rejects_what_is_not_a_partial(ck, corpora, tmp_path):
    f = reuters_files(corpora)
    finished = tmp_path / "finished"
    ck.run("analyze", f[0], "-o", finished)
    r = ck.run_raw("merge", finished, "-o", tmp_path / "out")
    assert r.returncode == 65 and b"finished analyze folder" in r.stderr, r.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    r = ck.run_raw("merge", empty, "-o", tmp_path / "out")
    assert r.returncode == 65 and b"no manifest.json" in r.stderr, r.stderr
    r = ck.run_raw("merge", tmp_path / "missing", "-o", tmp_path / "out")
    assert r.returncode == 66, r.stderr
    # A partial with a table removed or damaged: exit 65 naming the file, nothing written.
    p = tmp_path / "p"
    ck.run("analyze", f[0], "--partial", "-o", p)
    broken = tmp_path / "broken"
    shutil.copytree(p, broken)
    (broken / "pairs.parquet").unlink()
    r = ck.run_raw("merge", broken, "-o", tmp_path / "out")
    assert r.returncode == 65 and b"pairs.parquet is missing" in r.stderr, r.stderr
    data = (p / "terms.parquet").read_bytes()
    (broken / "pairs.parquet").write_bytes(b"")
    (broken / "terms.parquet").write_bytes(data[: len(data) // 2])
    r = ck.run_raw("merge", broken, "-o", tmp_path / "out")
    assert r.returncode == 65 and b"terms.parquet" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists()
    # -o naming a partial being merged is a usage error.
    r = ck.run_raw("merge", p, "-o", p)
    assert r.returncode == 64, r.stderr


def test_merge_reads_spark_style_part_folders(ck, corpora, whole, tmp_path):
    """A table may be a folder of part files (Spark's layout), written here by pyarrow with snappy and
    dictionary pages, nullable columns, several row groups: the merge reads it like one file."""
    files = reuters_files(corpora)
    parts = partials_of(ck, [files], tmp_path)
    p = parts[0]
    for t in PARTIAL_TABLES:
        if t == "documents":
            continue
        table = pq.read_table(p / f"{t}.parquet")
        # Nullable fields, as Spark writes them.
        table = table.cast(pa.schema([pa.field(f.name, f.type, nullable=True) for f in table.schema]))
        (p / f"{t}.parquet").unlink()
        d = p / f"{t}.parquet"
        d.mkdir()
        n = table.num_rows
        step = max(1, n // 3 + 1)
        for i, start in enumerate(range(0, n, step)):
            pq.write_table(table.slice(start, step), d / f"part-{i:05d}-x.snappy.parquet", compression="snappy",
                           row_group_size=50_000)
        (d / "_SUCCESS").write_bytes(b"")
    out = tmp_path / "merged"
    ck.run("merge", p, "-o", out, "--min-count", "2")
    assert_same_folder(out, whole)
