"""`corpuskit analyze`: one pass writes tables equal to the separate commands' outputs, a manifest that
says what it claims, and a folder the notebook (scripts/notebooks/keyword-trends.ipynb) runs on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
    for name in ["documents", "terms", "ngrams", "cooc", "trends"]:
        assert (analysis / f"{name}.parquet").exists(), name
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
