"""The Spark job (scripts/spark/corpuskit_spark.py, issue 13): on `local[2]`, Reuters split into several
tasks of contiguous files gives the finished tables of `corpuskit analyze` on the whole corpus cell for
cell (doubles bit for bit); an earlier partial joins the reduce (incremental use); partials whose options
differ are refused, naming the option.

Needs PySpark (Tests/python/requirements.txt) and Java 17; skips, saying so, only when Java is missing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import BIN, REPO

JOB = REPO / "scripts" / "spark" / "corpuskit_spark.py"
TABLES = ["documents", "terms", "ngrams", "cooc", "trends", "periods"]
# Options every run here uses: pass-through analyze options, and --min-count for the merge.
# (A small window keeps the pairs table, which dominates the Spark reduce, small enough for CI.)
OPTIONS = ["--by", "week", "--window", "2", "--stopwords", "en", "--min-count", "2"]

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark_ready(ck):
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        pytest.skip("Java is not installed (the Spark job needs a Java 17 runtime: scripts/test installs "
                    "openjdk-17-jre-headless on Debian); the Spark tests are skipped")
    if importlib.util.find_spec("pyspark") is None:
        pytest.fail("pyspark is missing from the test venv (Tests/python/requirements.txt pins it)", pytrace=False)
    ck.require("merge")
    return ck


def run_job(*args, timeout: float = 240) -> subprocess.CompletedProcess:
    """The Spark job with this venv's Python, on local[2]."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, SPARK_LOCAL_IP="127.0.0.1")
    t = time.time()
    p = subprocess.run([sys.executable, str(JOB), *map(str, args), "--binary", BIN, "--master", "local[2]"],
                       capture_output=True, timeout=timeout, env=env)
    p.seconds = time.time() - t
    return p


def job_ok(*args) -> str:
    p = run_job(*args)
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        pytest.fail(f"the Spark job exited {p.returncode}:\n{err[-5000:]}", pytrace=False)
    return err


def assert_same_tables(got: Path, want: Path) -> None:
    """Every table of two finished folders equal cell for cell: same columns, types, row order, and values
    (doubles compared by their bits, so NaN equals NaN and -0.0 differs from 0.0)."""
    for name in TABLES:
        g, w = pq.read_table(got / f"{name}.parquet"), pq.read_table(want / f"{name}.parquet")
        assert g.schema.remove_metadata() == w.schema.remove_metadata(), f"{name}: columns differ:\n{g.schema}\nvs\n{w.schema}"
        assert g.num_rows == w.num_rows, f"{name}: {g.num_rows} rows from Spark, {w.num_rows} from analyze"
        for col in w.column_names:
            a, b = g.column(col).combine_chunks(), w.column(col).combine_chunks()
            if pa.types.is_floating(b.type):
                a = a.view(pa.int64()) if b.type == pa.float64() else a.view(pa.int32())
                b = b.view(pa.int64()) if b.type == pa.float64() else b.view(pa.int32())
            if not a.equals(b):
                la, lb = a.to_pylist(), b.to_pylist()
                i = next(i for i in range(len(la)) if la[i] != lb[i])
                pytest.fail(f"{name}.{col}: first difference at row {i}: Spark {la[i]!r}, analyze {lb[i]!r}",
                            pytrace=False)
    mg, mw = json.loads((got / "manifest.json").read_text()), json.loads((want / "manifest.json").read_text())
    assert mg["inputs"] == mw["inputs"], "the manifest's inputs differ"
    assert mg["counts"] == mw["counts"], "the manifest's counts differ"
    # Every option but the worker threads (`jobs`: one per Spark task, the machine's cores for analyze).
    og, ow = ({k: v for k, v in m["options"].items() if k != "jobs"} for m in (mg, mw))
    assert og == ow, "the manifest's options differ"
    for name in TABLES:
        assert mg["tables"][name]["rows"] == mw["tables"][name]["rows"], name


@pytest.fixture(scope="module")
def whole(spark_ready, reuters_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("spark") / "whole"
    spark_ready.run("analyze", reuters_dir, "-o", out, *OPTIONS)
    return out


def test_spark_job_equals_analyze_on_reuters(whole, reuters_dir, tmp_path):
    files = sorted(reuters_dir.glob("*.sgm"))
    assert len(files) == 22
    out = tmp_path / "spark"
    err = job_ok(reuters_dir, "-o", out, "--tasks", 5, *OPTIONS)
    assert "22 files in 5 tasks" in err, err[-2000:]
    assert_same_tables(out, whole)
    assert not list(tmp_path.glob(".spark.spark-reduced-*")), "the reduced partial was not removed"


def test_spark_job_merges_an_earlier_partial_and_reads_uris(spark_ready, reuters_dir, tmp_path):
    """Incremental use: last month's partial (the first file) with this month's files (the rest), given as
    file:// URIs, which the tasks copy as they would s3a:// objects: the documents and the manifest name the
    URIs, and everything else equals analyze."""
    first, rest = [reuters_dir / "reut2-000.sgm"], [reuters_dir / "reut2-001.sgm", reuters_dir / "reut2-002.sgm"]
    spark_ready.run("analyze", *first, *rest, "-o", tmp_path / "whole", *OPTIONS)
    spark_ready.run("analyze", "--partial", *first, "-o", tmp_path / "earlier", *OPTIONS[:-2])
    job_ok(*(f"file://{p}" for p in rest), "-o", tmp_path / "spark", "--with-partial", tmp_path / "earlier",
           "--files-per-task", 1, *OPTIONS)
    docs = pq.read_table(tmp_path / "spark" / "documents.parquet")
    sources = docs.column("source").to_pylist()
    # source is "FILE:LINE": the earlier partial's path as analyze shows it, the new documents' URIs.
    assert sources[0].startswith(f"{first[0]}:") and sources[-1].startswith(f"file://{rest[-1]}:"), \
        (sources[0], sources[-1])
    # The URIs back to the paths analyze shows; then every table is equal.
    unuri = lambda v: v.removeprefix("file://") if isinstance(v, str) else v  # noqa: E731
    cols = {c: pa.array([unuri(v) for v in docs.column(c).to_pylist()], type=docs.schema.field(c).type)
            if pa.types.is_string(docs.schema.field(c).type) else docs.column(c) for c in docs.column_names}
    pq.write_table(pa.table(cols, schema=docs.schema), tmp_path / "spark" / "documents.parquet")
    m = json.loads((tmp_path / "spark" / "manifest.json").read_text())
    m["inputs"] = [{k: unuri(v) for k, v in i.items()} for i in m["inputs"]]
    (tmp_path / "spark" / "manifest.json").write_text(json.dumps(m))
    assert_same_tables(tmp_path / "spark", tmp_path / "whole")


def test_spark_job_refuses_partials_whose_options_differ(spark_ready, reuters_dir, tmp_path):
    spark_ready.run("analyze", "--partial", reuters_dir / "reut2-000.sgm", "-o", tmp_path / "w3", "--window", "3")
    p = run_job(reuters_dir / "reut2-001.sgm", "-o", tmp_path / "out", "--with-partial", tmp_path / "w3")
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 1, f"exit {p.returncode}:\n{err[-3000:]}"
    assert "option 'window' is 3" in err and "but 5" in err, err[-3000:]
    assert not (tmp_path / "out").exists()


def test_tasks_are_contiguous_slices_of_the_file_list():
    """No Spark needed: the job's split keeps the file order, leaves no task empty, and balances bytes."""
    sys.path.insert(0, str(JOB.parent))
    import corpuskit_spark as job

    files = [(f"f{i:02}", size) for i, size in enumerate([5, 1, 1, 1, 10, 2, 2, 2, 2, 30, 1, 1])]
    for kw in ({"tasks": 4}, {"tasks": 12}, {"tasks": 50}, {"files_per_task": 5}, {"tasks": None}):
        slices = job.split_tasks(files, kw.get("tasks"), kw.get("files_per_task"), 1e-6)
        assert [f for s in slices for f in s] == files and all(slices), (kw, slices)
    assert len(job.split_tasks(files, 4, None, 128)) == 4
    assert [len(s) for s in job.split_tasks(files, None, 5, 128)] == [5, 5, 2]
    with pytest.raises(job.JobError, match="option 'window' is 5 in a but 3 in b"):
        job.check_options([("a", {"options": {"window": 5, "by": "month"}}),
                           ("b", {"options": {"window": 3, "by": "month"}})])
