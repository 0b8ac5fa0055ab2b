"""`corpuskit analyze`: one pass writes tables equal to the separate commands' outputs, a manifest that
says what it claims, and a folder the notebook (scripts/notebooks/keyword-trends.ipynb) runs on."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from conftest import REPO, parse_tsv

NOTEBOOK = REPO / "scripts" / "notebooks" / "keyword-trends.ipynb"


@pytest.fixture(scope="module")
def analysis(ck, corpora, tmp_path_factory):
    ck.require("analyze")
    out = tmp_path_factory.mktemp("analysis") / "reuters"
    ck.run("analyze", corpora / "reuters21578", "-o", out, "--by", "month")
    return out


def tsv_unescape(s: str) -> str:
    """CorpusKit's TSV escaping: \\t, \\n, \\r and \\\\ inside values."""
    out, i = [], 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out.append({"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}.get(s[i + 1], s[i + 1]))
            i += 2
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def table(path: Path) -> tuple[list[str], list[list[str]]]:
    """A Parquet table as TSV-like strings (integers decimal, doubles repr, dates ISO)."""
    t = pq.read_table(path)
    cols = t.column_names
    data = [t.column(c).to_pylist() for c in cols]
    rows = []
    for i in range(t.num_rows):
        row = []
        for c in data:
            v = c[i]
            row.append(v.isoformat() if hasattr(v, "isoformat") else (repr(v) if isinstance(v, float) else str(v)))
        rows.append(row)
    return cols, rows


def test_analyze_writes_every_table_and_manifest(analysis):
    for name in ["documents", "terms", "ngrams", "cooc", "trends", "periods"]:
        assert (analysis / f"{name}.parquet").exists(), name
    assert sorted(p.name for p in analysis.iterdir()) == sorted(
        [f"{n}.parquet" for n in ["documents", "terms", "ngrams", "cooc", "trends", "periods"]] + ["manifest.json"])
    m = json.loads((analysis / "manifest.json").read_text())
    assert m["counts"]["documents"] == 21578
    assert m["counts"]["first_date"] == "1987-02-26" and m["counts"]["last_date"] == "1987-10-20"
    assert m["icu_version"].startswith("72") and m["unicode_version"].startswith("15")
    assert len(m["inputs"]) == 22 and all(len(i["crc32"]) == 8 and i["bytes"] > 0 for i in m["inputs"])
    for name, info in m["tables"].items():
        assert pq.read_metadata(analysis / info["file"]).num_rows == info["rows"], name
    assert m["throughput_mb_per_s"] > 0


@pytest.mark.parametrize("name,cmd", [
    ("terms", ["terms"]),
    ("ngrams", ["ngrams", "-n", "2"]),
    ("cooc", ["cooc", "--window", "5"]),
    ("documents", ["docs"]),
])
def test_analyze_equals_separate_commands(ck, corpora, analysis, name, cmd):
    want_header, want = parse_tsv(ck.run(*cmd, corpora / "reuters21578", "--format", "tsv", "--top", "0"))
    got_header, got = table(analysis / f"{name}.parquet")
    assert got_header == want_header
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for a, b, col in zip(g, w, got_header):
            b = tsv_unescape(b)
            if a != b:
                # doubles: TSV prints shortest round-trip, so float(b) must be the same double.
                assert float(a) == float(b), (col, g, w)


def test_analyze_trends_equal_trends_command(ck, corpora, analysis):
    header, want = parse_tsv(ck.run("trends", corpora / "reuters21578", "--by", "month", "--format", "tsv"))
    got_header, got = table(analysis / "trends.parquet")
    assert got_header == header
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g[:5] == w[:5], (g, w)
        assert float(g[5]) == float(w[5])


# ---- every option applies to every table -----------------------------------------------------------

OPTIONS = ["--stopwords", "en", "--min-count", "3"]


@pytest.fixture(scope="module")
def analysis_with_options(ck, corpora, tmp_path_factory):
    ck.require("analyze")
    out = tmp_path_factory.mktemp("analysis-options") / "reut2-000"
    summary = ck.run("analyze", corpora / "reuters21578" / "reut2-000.sgm", "-o", out, "--by", "month", "--format", "tsv", *OPTIONS)
    return out, summary


@pytest.mark.parametrize("name,cmd,options", [
    ("terms", ["terms"], OPTIONS),
    ("ngrams", ["ngrams", "-n", "2"], OPTIONS),
    ("cooc", ["cooc", "--window", "5"], OPTIONS),
    ("trends", ["trends", "--by", "month"], OPTIONS),
    ("periods", ["periods", "--by", "month"], []),
    ("documents", ["docs"], []),
])
def test_analyze_with_options_equals_separate_commands(ck, corpora, analysis_with_options, name, cmd, options):
    out, _ = analysis_with_options
    want = ck.run(*cmd, corpora / "reuters21578" / "reut2-000.sgm", *options, "--format", "tsv", "--top", "0") \
        if name not in ("trends", "periods") else \
        ck.run(*cmd, corpora / "reuters21578" / "reut2-000.sgm", *options, "--format", "tsv")
    got = (out / f"{name}.tsv").read_text()
    assert got.count("\n") == want.count("\n"), name
    assert got == want, name
    if name in ("terms", "trends"):
        header, rows = parse_tsv(got)
        col = header.index("term")
        assert not {"the", "of", "don't", "it's"} & {r[col] for r in rows}
        assert all(int(r[header.index("count")]) >= 3 for r in rows)


def test_analyze_summary_top_terms_without_stopwords(analysis_with_options):
    _, summary = analysis_with_options
    line = next(ln for ln in summary.splitlines() if ln.startswith("top terms"))
    assert "the (" not in line and " said (" in line, line


# ---- the output folder: complete or untouched --------------------------------------------------------

SMALL = REPO / "Corpus"


def listing(d: Path) -> list[str]:
    return sorted(p.name for p in d.iterdir())


def siblings(d: Path) -> list[str]:
    return sorted(p.name for p in d.parent.iterdir() if p.name != d.name)


def test_rerun_with_another_format_leaves_no_stale_tables(ck, tmp_path):
    ck.require("analyze")
    out = tmp_path / "out"
    ck.run("analyze", SMALL, "-o", out)
    assert "terms.parquet" in listing(out)
    ck.run("analyze", SMALL, "-o", out, "--format", "csv")
    assert listing(out) == sorted([f"{n}.csv" for n in ["documents", "terms", "ngrams", "cooc", "trends", "periods"]]
                                  + ["manifest.json"])
    assert json.loads((out / "manifest.json").read_text())["options"]["format"] == "csv"
    assert siblings(out) == []  # no partial or old folder left beside it


def test_missing_parent_folders_are_created(ck, tmp_path):
    ck.require("analyze")
    out = tmp_path / "a" / "b" / "sample"
    ck.run("analyze", SMALL, "-o", out)
    assert (out / "manifest.json").exists() and siblings(out) == []


def test_refuses_a_foreign_non_empty_folder(ck, tmp_path):
    ck.require("analyze")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    p = ck.run_raw("analyze", SMALL, "-o", out)
    assert p.returncode == 64, p.stderr.decode()
    assert "refusing" in p.stderr.decode()
    assert listing(out) == ["notes.txt"] and (out / "notes.txt").read_text() == "keep me"
    assert siblings(out) == []
    # A manifest.json that corpuskit did not write does not make it an analyze folder.
    (out / "manifest.json").write_text('{"tables": {}}\n')
    assert ck.run_raw("analyze", SMALL, "-o", out).returncode == 64
    # A file where the folder should be: refused too.
    f = tmp_path / "file"
    f.write_text("x")
    assert ck.run_raw("analyze", SMALL, "-o", f).returncode == 64
    assert f.read_text() == "x"


@pytest.mark.parametrize("name", ["x.parquet", "x.csv", "x.tsv", "x.jsonl"])
def test_output_naming_a_table_file_is_a_usage_error(ck, tmp_path, name):
    ck.require("analyze")
    p = ck.run_raw("analyze", SMALL, "-o", tmp_path / name)
    assert p.returncode == 64, p.stderr.decode()
    assert "folder" in p.stderr.decode()
    assert list(tmp_path.iterdir()) == []


def test_empty_folder_is_used(ck, tmp_path):
    ck.require("analyze")
    out = tmp_path / "empty"
    out.mkdir()
    ck.run("analyze", SMALL, "-o", out)
    assert "manifest.json" in listing(out)


def test_output_folder_is_never_read_as_input(ck, tmp_path):
    ck.require("analyze")
    corpus = tmp_path / "corpus"
    shutil.copytree(SMALL, corpus)
    out = corpus / "out"
    first = ck.run_raw("analyze", corpus, "-o", out, "--format", "csv")
    assert first.returncode == 0, first.stderr.decode()
    docs1 = json.loads((out / "manifest.json").read_text())["counts"]["documents"]
    # Again: out/ (CSV tables, manifest.json) now exists inside the input folder, and is named as an input.
    again = ck.run_raw("analyze", corpus, out, "-o", out, "--format", "csv")
    assert again.returncode == 0, again.stderr.decode()
    m = json.loads((out / "manifest.json").read_text())
    assert m["counts"]["documents"] == docs1
    assert not any("/out/" in i["path"] for i in m["inputs"])
    err = again.stderr.decode()
    assert "not reading" in err and str(out) in err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_interrupted_run_leaves_the_old_folder(ck, corpora, tmp_path, sig):
    """Kill analyze while it writes a large folder: DIR keeps the earlier complete analysis."""
    ck.require("analyze")
    out = tmp_path / "out"
    ck.run("analyze", SMALL, "-o", out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.Popen([str(ck.bin), "analyze", corpora / "reuters21578", "-o", out, "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 600
    partial = None
    while time.time() < deadline and proc.poll() is None:
        found = [p for p in tmp_path.iterdir() if p.name.startswith(".out.partial-")]
        if found and any(found[0].iterdir()):
            partial = found[0]
            break
        time.sleep(0.05)
    assert partial is not None, "analyze never started writing its partial folder"
    proc.send_signal(sig)
    proc.wait(timeout=120)
    assert proc.returncode != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # The next run removes the dead run's partial folder and swaps in a complete one.
    ck.run("analyze", SMALL, "-o", out, "--format", "tsv")
    assert siblings(out) == []
    assert "terms.tsv" in listing(out) and "terms.parquet" not in listing(out)


def test_notebook_runs_headless_and_writes_figures(analysis, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    figures = tmp_path / "figures"
    figures.mkdir()
    env = {"ANALYSIS_DIR": str(analysis), "FIGURES_DIR": str(figures), "KEYWORDS": "oil,trade,stock,dollar", "NODE": "oil"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                resources={"metadata": {"path": str(tmp_path)}}).execute()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for png in ["keyword-trends.png", "collocates-oil.png"]:
        p = figures / png
        assert p.exists() and p.stat().st_size > 5000, png
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
