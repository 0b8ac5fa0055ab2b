"""Outputs and limits (issue 19): an old output survives a run that read nothing, a replaced file keeps its
mode, TSV's leading quote reads back with the README's recipe, --csv-safe, the --jobs cap, the dense-series
limit of `trends`, inherited ignored signals, and control characters of file names escaped in messages.

Runs against the release binary (CORPUSKIT_BIN).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")


# ---- helpers ----------------------------------------------------------------------------------------


def run(ck, *args, input: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(ck.bin), *map(str, args)], input=input, capture_output=True, timeout=timeout)


def err(p: subprocess.CompletedProcess) -> str:
    return p.stderr.decode("utf-8", "replace")


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".tmp-" in p.name)


@pytest.fixture()
def small(tmp_path) -> Path:
    return write_jsonl(tmp_path / "small.jsonl", [
        {"id": "a", "date": "1987-02-26", "title": "one", "text": "Oil prices rose. The market rose on oil news."},
        {"id": "b", "date": "1987-03-02", "title": "two", "text": "Oil fell and the stock market fell."},
    ])


# ---- 1. an old output is never replaced by a run that read nothing -----------------------------------

MISSING = "no-such-input.jsonl"

COMMANDS = {
    "terms": ["terms", MISSING],
    "ngrams": ["ngrams", MISSING],
    "cooc": ["cooc", MISSING],
    "collocates": ["collocates", "oil", MISSING],
    "docs": ["docs", MISSING],
    "trends": ["trends", MISSING, "--by", "month", "--terms", "oil"],
    "rising": ["rising", MISSING, "--by", "month"],
    "bursts": ["bursts", MISSING, "--by", "month", "--terms", "oil"],
    "keyness": ["keyness", "--target", MISSING, "--reference", "also-missing.jsonl"],
    "convert": ["convert", "no-such-table.tsv"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_exit_66_keeps_the_old_output_and_its_mode(ck, tmp_path, name):
    out = tmp_path / "old.tsv"
    out.write_bytes(b"OLD CONTENT\n")
    out.chmod(0o600)
    before = out.stat()
    p = subprocess.run([str(ck.bin), *COMMANDS[name], "-o", str(out)], cwd=tmp_path, capture_output=True, timeout=60)
    assert p.returncode == 66, err(p)
    assert "no-such" in err(p) or "no input" in err(p)
    assert out.read_bytes() == b"OLD CONTENT\n"
    after = out.stat()
    assert (after.st_ino, after.st_mtime_ns, stat.S_IMODE(after.st_mode)) == (before.st_ino, before.st_mtime_ns, 0o600)
    assert leftovers(tmp_path) == []


def test_exit_66_keeps_an_earlier_analyze_folder(ck, tmp_path, small):
    out = tmp_path / "an"
    p = run(ck, "analyze", small, "-o", out)
    assert p.returncode == 0, err(p)
    snapshot = {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in out.iterdir()}
    assert "manifest.json" in snapshot
    p = run(ck, "analyze", tmp_path / MISSING, "-o", out)
    assert p.returncode == 66, err(p)
    assert {f.name: (f.read_bytes(), f.stat().st_mtime_ns) for f in out.iterdir()} == snapshot


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "parquet"])
def test_replaced_output_keeps_its_mode(ck, tmp_path, small, mode, fmt):
    out = tmp_path / f"terms.{fmt}"
    out.write_bytes(b"old")
    out.chmod(mode)
    p = run(ck, "terms", small, "-o", out)
    assert p.returncode == 0, err(p)
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert out.read_bytes() != b"old"
    assert leftovers(tmp_path) == []


def test_new_output_follows_the_umask(ck, tmp_path, small):
    out = tmp_path / "new.tsv"
    p = subprocess.run([str(ck.bin), "terms", str(small), "-o", str(out)], capture_output=True, timeout=60,
                       preexec_fn=lambda: os.umask(0o077))
    assert p.returncode == 0, err(p)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# ---- 2. TSV's leading quote; --csv-safe ----------------------------------------------------------------

TITLES = ['"Quoted" at the start', '"', '""', 'say "hi"', '"tab\tinside', "back\\slash", "\\N", '"\\N', "plain",
          '"unclosed and then\nnew line', "=SUM(A1:A9)", "-1.5", "+1", "@cmd", "-"]


@pytest.fixture()
def titled(tmp_path) -> Path:
    return write_jsonl(tmp_path / "titled.jsonl", [
        {"id": f'"id{i}', "title": t, "text": f"word{i} text"} for i, t in enumerate(TITLES)
    ])


# The README's recipe ("Output formats"), verbatim.
ESC = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\", '"': '"'}


def unescape(s):
    return re.sub(r'\\([tnr\\"])', lambda m: ESC[m[1]], s)


def test_readme_recipe_is_the_one_tested():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert """unescape = lambda s: re.sub(r'\\\\([tnr\\\\"])', lambda m: ESC[m[1]], s)""" in readme
    assert 'quoting=csv.QUOTE_NONE, keep_default_na=False, na_values=["\\\\N"]' in readme
    assert 'quote_char=None, null_values="\\\\N", empty_string_is_null=False' in readme


def docs_truth(ck, path) -> tuple[list[str], list[str]]:
    """ids and titles as `docs --format jsonl` gives them (the reader may tidy a title's white space)."""
    p = run(ck, "docs", path, "--format", "jsonl")
    assert p.returncode == 0, err(p)
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    return [r["id"] for r in rows], [r["title"] for r in rows]


def test_tsv_leading_quote_round_trips_in_pandas_and_polars(ck, tmp_path, titled):
    ids, titles = docs_truth(ck, titled)
    assert sum(t.startswith('"') for t in titles) >= 5 and all(i.startswith('"') for i in ids)
    out = tmp_path / "docs.tsv"
    p = run(ck, "docs", titled, "-o", out)
    assert p.returncode == 0, err(p)
    raw = out.read_text(encoding="utf-8").split("\n")
    assert len(raw) == len(TITLES) + 2  # header, rows, the final empty string
    assert '\t\\"Quoted" at the start\t' in raw[1]
    # pandas, the README's recipe
    df = pd.read_csv(out, sep="\t", quoting=csv.QUOTE_NONE, keep_default_na=False, na_values=["\\N"],
                     dtype={"id": str, "title": str})
    assert [unescape(t) for t in df["title"]] == titles
    assert [unescape(t) for t in df["id"]] == ids
    # polars, the README's recipe
    pf = pl.read_csv(out, separator="\t", quote_char=None, null_values="\\N", empty_string_is_null=False,
                     schema_overrides={"id": pl.String, "title": pl.String})
    pf = pf.with_columns(pl.col("title").map_elements(unescape, return_dtype=pl.String))
    assert pf["title"].to_list() == titles
    # Even a reader that was not told (pandas' defaults) keeps one row per document: no quote swallows a tab.
    naive = pd.read_csv(out, sep="\t")
    assert len(naive) == len(TITLES) and list(naive.columns) == list(df.columns)


def test_tsv_leading_quote_survives_convert(ck, tmp_path, titled):
    src = tmp_path / "docs.tsv"
    assert run(ck, "docs", titled, "-o", src).returncode == 0
    again = tmp_path / "again.tsv"
    p = run(ck, "convert", src, "-o", again)
    assert p.returncode == 0, err(p)
    assert again.read_bytes() == src.read_bytes()
    pq = tmp_path / "docs.parquet"
    assert run(ck, "convert", src, "-o", pq).returncode == 0
    assert pd.read_parquet(pq)["title"].tolist() == docs_truth(ck, titled)[1]


def test_csv_safe_prefixes_formula_cells_only(ck, tmp_path, titled):
    plain, safe = tmp_path / "plain.csv", tmp_path / "safe.csv"
    assert run(ck, "docs", titled, "-o", plain).returncode == 0
    p = run(ck, "docs", titled, "-o", safe, "--csv-safe")
    assert p.returncode == 0, err(p)
    plain_rows = list(csv.DictReader(io.StringIO(plain.read_text(encoding="utf-8"), newline="")))
    safe_rows = list(csv.DictReader(io.StringIO(safe.read_text(encoding="utf-8"), newline="")))
    titles = docs_truth(ck, titled)[1]
    assert [r["title"] for r in plain_rows] == titles
    expected = ["'" + t if t[:1] in ("=", "+", "-", "@", "\t", "\r") else t for t in titles]
    assert [r["title"] for r in safe_rows] == expected
    assert [r["tokens"] for r in safe_rows] == [r["tokens"] for r in plain_rows]
    assert "'=SUM(A1:A9)" in safe.read_text(encoding="utf-8")


def test_csv_safe_keeps_negative_numbers_numbers(ck, tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [{"text": "oil oil oil oil gas market"}])
    b = write_jsonl(tmp_path / "b.jsonl", [{"text": "gas gas gas gas gas market oil"}])
    out = tmp_path / "k.csv"
    p = run(ck, "keyness", "--target", a, "--reference", b, "-o", out, "--csv-safe")
    assert p.returncode == 0, err(p)
    text = out.read_text(encoding="utf-8")
    assert "'-" not in text
    df = pd.read_csv(out, keep_default_na=False)
    assert df["log_ratio"].dtype.kind == "f" and (df["log_ratio"] < 0).any()


def test_csv_safe_is_in_help(ck):
    assert "--csv-safe" in ck.help_text("terms")


# ---- 3. limits -------------------------------------------------------------------------------------------


def test_jobs_above_the_cap_is_lowered_with_a_note(ck, tmp_path):
    two = tmp_path / "two.txt"
    two.write_text("one line\nanother line\n", encoding="utf-8")
    ref = run(ck, "terms", two, "--jobs", "1", "--format", "tsv")
    assert ref.returncode == 0, err(ref)
    t0 = time.monotonic()
    p = run(ck, "terms", two, "--jobs", "100000", "--format", "tsv", timeout=60)
    assert p.returncode == 0, err(p)
    assert time.monotonic() - t0 < 30
    assert p.stdout == ref.stdout
    cores = os.cpu_count() or 1
    cap = min(256, 4 * cores)
    assert re.search(rf"--jobs 100000 is more than the cap of {cap} \(4 × \d+ active cores?, at most 256\): using {cap}", err(p)), err(p)
    assert err(p).count("cap of") == 1


def test_jobs_within_the_cap_says_nothing(ck, tmp_path, small):
    p = run(ck, "terms", small, "--jobs", "2", "--format", "tsv")
    assert p.returncode == 0 and "cap" not in err(p)


def test_jobs_cap_is_in_help(ck):
    assert "256" in ck.help_text("terms")


@pytest.fixture()
def far_dated(tmp_path) -> Path:
    return write_jsonl(tmp_path / "far.jsonl", [
        {"date": "1987-02-26", "text": "x marks the spot"},
        {"date": "9999-12-31", "text": "x again far away"},
    ])


@pytest.mark.parametrize("extra", [["--terms", "x"], ["--top", "3"], ["--smooth", "3"]])
def test_dense_series_over_too_many_periods_is_exit_65(ck, tmp_path, far_dated, extra):
    out = tmp_path / "trends.tsv"
    out.write_bytes(b"OLD\n")
    t0 = time.monotonic()
    p = run(ck, "trends", far_dated, "--by", "day", *extra, "-o", out, timeout=60)
    assert p.returncode == 65, err(p)
    assert time.monotonic() - t0 < 30
    e = err(p)
    assert "1987-02-26" in e and "9999-12-31" in e and "100,000" in e
    assert "--by" in e and "--top" in e
    assert out.read_bytes() == b"OLD\n"
    assert leftovers(tmp_path) == []


def test_dense_series_within_the_limit_is_written(ck, tmp_path, far_dated):
    p = run(ck, "trends", far_dated, "--by", "year", "--terms", "x", "--format", "tsv")
    assert p.returncode == 0, err(p)
    assert len(p.stdout.decode().splitlines()) == 1 + (9999 - 1987 + 1)


def test_sparse_trends_are_not_limited(ck, far_dated):
    p = run(ck, "trends", far_dated, "--by", "day", "--format", "tsv")
    assert p.returncode == 0, err(p)
    assert len(p.stdout.decode().splitlines()) == 1 + 4 + 4  # header, four words on each day


def test_dense_limit_is_in_help(ck):
    assert "100,000" in ck.help_text("trends")


# ---- 4. inherited ignored signals ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_types(tmp_path_factory) -> Path:
    """A corpus with 400,000 distinct words: its table takes a while to write."""
    path = tmp_path_factory.mktemp("sig") / "many.txt"
    with open(path, "w", encoding="utf-8") as f:
        for i in range(40_000):
            f.write(" ".join(f"w{i * 10 + j:x}q" for j in range(10)) + "\n")
    return path


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_inherited_as_ignored_is_respected(ck, tmp_path, many_types, sig):
    out = tmp_path / "terms.tsv"
    proc = subprocess.Popen([str(ck.bin), "terms", str(many_types), "-o", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(sig, signal.SIG_IGN))
    sent = 0
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        proc.send_signal(sig)  # again and again: through reading, counting and writing
        sent += 1
        time.sleep(0.002)
    _, stderr = proc.communicate(timeout=30)
    assert sent > 10
    assert proc.returncode == 0, stderr.decode("utf-8", "replace")
    assert sum(1 for _ in open(out, encoding="utf-8")) == 1 + 400_000
    assert leftovers(tmp_path) == []


def test_sigint_still_interrupts_and_cleans_up(ck, tmp_path, many_types):
    out = tmp_path / "terms.tsv"
    out.write_bytes(b"OLD\n")
    proc = subprocess.Popen([str(ck.bin), "terms", str(many_types), "-o", str(out), "--jobs", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Interrupt while the table is being written (its temp file exists): a fixed sleep raced the run on an
    # idle machine, where reading and counting take less than the sleep.
    deadline = time.monotonic() + 60
    while proc.poll() is None and not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.001)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.fail("the run finished before the signal: make the corpus larger")
    assert proc.returncode == -signal.SIGINT
    assert out.read_bytes() == b"OLD\n"
    assert leftovers(tmp_path) == []


# ---- 5. control characters of file names in messages ------------------------------------------------


@pytest.mark.parametrize("name,shown", [
    ("missing\nfolder/out.tsv", "missing\\nfolder"),
    ("esc\x1b[31mred/out.tsv", "esc\\u{1b}[31mred"),
    ("tab\there/out.tsv", "tab\\there"),
])
def test_output_paths_in_messages_are_escaped(ck, tmp_path, small, name, shown):
    p = subprocess.run([str(ck.bin), "terms", str(small), "-o", name], cwd=tmp_path, capture_output=True, timeout=60)
    assert p.returncode == 73, err(p)
    e = err(p)
    assert shown in e
    assert "\x1b" not in e and "\t" not in e
    assert e.count("\n") == 1  # one line


def test_output_folder_with_newline_is_escaped(ck, tmp_path, small):
    d = tmp_path / "a\nb"
    d.mkdir()
    p = subprocess.run([str(ck.bin), "terms", str(small), "-o", "a\nb"], cwd=tmp_path, capture_output=True, timeout=60)
    assert p.returncode == 73, err(p)
    assert "cannot create a\\nb: it is a folder" in err(p)
    assert err(p).count("\n") == 1


def test_unknown_extension_with_control_characters_is_escaped(ck, tmp_path, small):
    p = subprocess.run([str(ck.bin), "terms", str(small), "-o", "x\r\x07.xlsx"], cwd=tmp_path, capture_output=True, timeout=60)
    assert p.returncode == 64, err(p)
    assert "x\\r\\u{7}.xlsx" in err(p)
    assert "\r" not in err(p) and "\x07" not in err(p)


def test_output_written_through_a_name_with_a_newline(ck, tmp_path, small):
    out = tmp_path / "new\nline.tsv"
    p = run(ck, "terms", small, "-o", out)
    assert p.returncode == 0, err(p)
    assert out.exists() and leftovers(tmp_path) == []
