"""Every output format read back exactly by pyarrow, pandas, polars and DuckDB (issue 7).

The vehicle is `corpuskit convert TABLE.tsv --format F`: a TSV table (the "TSV twin", written here in
CorpusKit's escaping) is converted to each format, and each format is read back with each reader and
compared with the table's true values cell for cell — doubles bit for bit, the terms `NA`, `null`,
`nan`, `None`, `NULL`, `#N/A` and the empty string as strings, nulls as nulls.

How each reader must be told to read CorpusKit's text formats exactly (also in the report / README):
  CSV   pandas: read_csv(p, dtype={str cols: str}, keep_default_na=False, na_values={nullable cols: [""]})
                (pandas < 3: also float_precision="round_trip")
        polars: read_csv(p, schema_overrides={str cols: pl.String})
        DuckDB: read_csv(p, header=true, allow_quoted_nulls=false, types={str cols: 'VARCHAR'})
        pyarrow: csv.read_csv(p, convert_options=ConvertOptions(column_types=..., strings_can_be_null=False,
                         quoted_strings_can_be_null=False))
  TSV   cells escape tab/LF/CR/backslash as \\t \\n \\r \\\\ and write null as \\N: read without quoting,
        with \\N as the null marker (polars: also empty_string_is_null=False), then unescape the
        string columns.
  JSONL any reader (pandas: engine="pyarrow"; its default parser rejects subnormal doubles); an empty
        table is an empty file (polars and pyarrow then need the schema).
  Parquet any reader, nothing to say.

Environment: CORPUSKIT_BIN (default <repo>/.build/release/corpuskit). CORPUSKIT_SKIP_SLOW=1 skips the
ten-million-row test (marked `slow`; about a minute in release).
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")
pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
import pyarrow.csv as pacsv  # noqa: E402
import pyarrow.json as pajson  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

# ---- the tricky table ------------------------------------------------------------------------------

COLUMNS = [("term", "string"), ("count", "int64"), ("docs", "int64"), ("per_million", "double"),
           ("period_start", "date"), ("score", "double?")]
STRING_COLS = [n for n, t in COLUMNS if t == "string"]
NULLABLE = [n for n, t in COLUMNS if t.endswith("?")]

TRICKY_TERMS = [
    "NA", "null", "nan", "None", "NULL", "#N/A", "", "N/A", "NaN", "-nan", "n/a", "na", "inf", "-inf",
    "true", "FALSE", "1987", "3.14", "1e5", "0", "-", "\\N", "\\", "back\\slash", "a\tb", "line\nbreak",
    "cr\rhere", 'say "hi"', "comma,term", " spaced ", "'quoted'", "東京", "晴れ", "한국어", "مرحبا",
    "שלום", "Ελλάδα", "ไทย", "😀", "👩‍👩‍👧", "e\u0301", "ﬁ", "\u200b", "x" * 10_000,
    "長" * 3_400, "a" * 300,
]

DOUBLES = [0.5, 1e-05, 5.0, 1 / 3, 1e16, 2.5e-300, 123456789.0, 0.1 + 0.2, -1.75, 1e300, 0.0001,
           7.0e-7, 6.02214076e23, 2 ** -1074, 1.7976931348623157e308, 42.0]


def tricky_rows() -> list[tuple]:
    rows = []
    n = len(TRICKY_TERMS)
    for i, term in enumerate(TRICKY_TERMS):
        date = dt.date(1969, 12, 31) + dt.timedelta(days=i * 397)
        score = None if i % 3 == 0 else DOUBLES[(i * 5) % len(DOUBLES)] * (-1 if i % 4 == 1 else 1)
        rows.append((term, 10 ** 12 - i * 7919 if i else 2 ** 63 - 1, n - i, DOUBLES[i % len(DOUBLES)], date, score))
    rows.append(("min", -(2 ** 63), 0, -0.0, dt.date(2000, 2, 29), 0.0))
    return rows


def tsv_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def tsv_unescape(s: str) -> str:
    return re.sub(r"\\([tnr\\])", lambda m: _UNESCAPE[m.group(1)], s)


def tsv_cell(v, t: str) -> str:
    if v is None:
        return "\\N"
    if t == "string":
        return tsv_escape(v)
    if t.startswith("double"):
        return repr(float(v))
    if t == "date":
        return v.isoformat()
    return str(v)


def write_tsv(path: Path, columns, rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\t".join(n for n, _ in columns) + "\n")
        for r in rows:
            f.write("\t".join(tsv_cell(v, t) for v, (_, t) in zip(r, columns)) + "\n")


def norm(v):
    """One reader's cell as a plain Python value: dates as ISO strings, NaN (pandas' null) as None."""
    if v is None:
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, (pd.Timestamp, dt.datetime)):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    return v


def expected_cells(rows):
    return [tuple(norm(v) for v in r) for r in rows]


def same(got_rows, want_rows, what: str) -> None:
    got = [tuple(norm(v) for v in r) for r in got_rows]
    assert len(got) == len(want_rows), f"{what}: {len(got)} rows, want {len(want_rows)}"
    for i, (g, w) in enumerate(zip(got, want_rows)):
        for c, ((name, _), a, b) in enumerate(zip(COLUMNS, g, w)):
            if isinstance(b, float) and isinstance(a, float):
                ok = a == b and math.copysign(1, a) == math.copysign(1, b)
            else:
                ok = a == b and type(a) is type(b)
            assert ok, f"{what}: row {i} column {name}: got {a!r} ({type(a).__name__}), want {b!r}"


def duck(sql: str, params=None) -> list[tuple]:
    """Run one DuckDB query on a fresh in-memory connection; all rows."""
    con = duckdb.connect()
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def duck_columns(sql: str) -> list[str]:
    con = duckdb.connect()
    try:
        return [d[0] for d in con.execute(sql).description]
    finally:
        con.close()


# ---- readers ----------------------------------------------------------------------------------------


def pandas_frame_rows(df) -> list[tuple]:
    return [tuple(r) for r in df.astype(object).itertuples(index=False, name=None)]


# pandas < 3 parses CSV floats with a fast parser that can be off by one unit in the last place unless
# asked for round-trip parsing; pandas 3 parses exactly by default and deprecates the option.
PANDAS_EXACT = {"float_precision": "round_trip"} if int(pd.__version__.split(".")[0]) < 3 else {}


def read_parquet_all(path: Path) -> dict[str, list[tuple]]:
    return {
        "pyarrow": [tuple(d.values()) for d in pq.read_table(path).to_pylist()],
        "pandas": pandas_frame_rows(pd.read_parquet(path)),
        "polars": pl.read_parquet(path).rows(),
        "duckdb": duck(f"select * from read_parquet('{path}')"),
    }


def read_csv_all(path: Path) -> dict[str, list[tuple]]:
    str_cols = {c: str for c in STRING_COLS}
    return {
        "pyarrow": [tuple(d.values()) for d in pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={"term": pa.string(), "period_start": pa.date32()},
            strings_can_be_null=False, quoted_strings_can_be_null=False)).to_pylist()],
        "pandas": pandas_frame_rows(pd.read_csv(path, dtype=str_cols, keep_default_na=False,
                                                na_values={c: [""] for c in NULLABLE},
                                                **PANDAS_EXACT)),
        "polars": pl.read_csv(path, schema_overrides={c: pl.String for c in STRING_COLS}).rows(),
        "duckdb": duck(f"select * from read_csv('{path}', header=true, allow_quoted_nulls=false, "
                             f"types={{'term': 'VARCHAR', 'period_start': 'DATE'}})"),
    }


def read_jsonl_all(path: Path) -> dict[str, list[tuple]]:
    return {
        "pyarrow": [tuple(d.values()) for d in pajson.read_json(path).to_pylist()],
        # pandas' default JSON parser (ujson) rejects subnormal doubles such as 5e-324 ("Range error"):
        # its pyarrow engine reads JSON lines exactly.
        "pandas": pandas_frame_rows(pd.read_json(path, lines=True, engine="pyarrow")),
        "polars": pl.read_ndjson(path).rows(),
        "duckdb": duck(f"select * from read_json('{path}', columns={{term: 'VARCHAR', count: 'BIGINT', "
                             f"docs: 'BIGINT', per_million: 'DOUBLE', period_start: 'DATE', score: 'DOUBLE'}})"),
    }


def unescape_rows(rows, cols=(0,)):
    return [tuple(tsv_unescape(v) if i in cols and isinstance(v, str) else v for i, v in enumerate(r)) for r in rows]


def read_tsv_all(path: Path) -> dict[str, list[tuple]]:
    str_cols = {c: str for c in STRING_COLS}
    return {
        "pyarrow": unescape_rows([tuple(d.values()) for d in pacsv.read_csv(
            path, parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
            convert_options=pacsv.ConvertOptions(column_types={"term": pa.string(), "period_start": pa.date32()},
                                                 null_values=["\\N"], strings_can_be_null=False)).to_pylist()]),
        "pandas": unescape_rows(pandas_frame_rows(pd.read_csv(
            path, sep="\t", quoting=3, dtype=str_cols, keep_default_na=False, na_values={c: ["\\N"] for c in NULLABLE},
            **PANDAS_EXACT))),
        "polars": unescape_rows(pl.read_csv(path, separator="\t", quote_char=None, null_values="\\N",
                                            empty_string_is_null=False,
                                            schema_overrides={c: pl.String for c in STRING_COLS}).rows()),
        "duckdb": unescape_rows(duck(
            f"select * from read_csv('{path}', header=true, sep='\t', quote='', escape='', nullstr='\\N', "
            f"types={{'term': 'VARCHAR', 'period_start': 'DATE'}})")),
    }


READERS = {"parquet": read_parquet_all, "csv": read_csv_all, "jsonl": read_jsonl_all, "tsv": read_tsv_all}


# ---- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def conv(ck):
    ck.require("convert")
    return ck


@pytest.fixture(scope="module")
def tricky(tmp_path_factory) -> tuple[Path, list[tuple]]:
    d = tmp_path_factory.mktemp("export")
    rows = tricky_rows()
    path = d / "tricky.tsv"
    write_tsv(path, COLUMNS, rows)
    return path, rows


# ---- tests ------------------------------------------------------------------------------------------


def test_tsv_twin_round_trips_byte_for_byte(conv, tricky, tmp_path):
    src, _ = tricky
    out = tmp_path / "again.tsv"
    conv.run("convert", src, "--format", "tsv", "-o", out)
    assert out.read_bytes() == src.read_bytes()
    # stdout gives the same bytes
    assert conv.run_raw("convert", src, "--format", "tsv").stdout == src.read_bytes()


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "tsv"])
def test_every_reader_reads_every_format_exactly(conv, tricky, tmp_path, fmt):
    src, rows = tricky
    out = tmp_path / f"t.{fmt}"
    conv.run("convert", src, "-o", out)  # format from the extension
    want = expected_cells(rows)
    for reader, got in READERS[fmt](out).items():
        same(got, want, f"{fmt} via {reader}")


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
@pytest.mark.parametrize("row_group_rows", [1_000_000, 7])
def test_parquet_compressions_row_groups_schema_and_metadata(conv, tricky, tmp_path, compression, row_group_rows):
    src, rows = tricky
    out = tmp_path / "t.parquet"
    conv.run("convert", src, "--format", "parquet", "--compression", compression,
             "--row-group-rows", row_group_rows, "-o", out)
    want = expected_cells(rows)
    for reader, got in read_parquet_all(out).items():
        same(got, want, f"parquet/{compression}/{row_group_rows} via {reader}")
    meta = pq.read_metadata(out)
    assert meta.num_rows == len(rows)
    assert meta.num_row_groups == math.ceil(len(rows) / row_group_rows)
    codec = {"none": "UNCOMPRESSED", "gzip": "GZIP", "zstd": "ZSTD"}[compression]
    assert meta.row_group(0).column(0).compression == codec
    schema = pq.read_schema(out)
    assert [(f.name, str(f.type), f.nullable) for f in schema] == [
        ("term", "string", False), ("count", "int64", False), ("docs", "int64", False),
        ("per_million", "double", False), ("period_start", "date32[day]", False), ("score", "double", True)]
    kv = {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()}
    assert kv.get("corpuskit.command") == "convert"
    # Statistics must be right, or readers that prune row groups with them return wrong answers.
    for term in ["NA", "", "東京", "x" * 10_000, "zzz-absent"]:
        n = duck(f"select count(*) from read_parquet('{out}') where term = ?", [term])[0][0]
        assert n == sum(1 for r in rows if r[0] == term), term
    lo, hi = "N", "n"
    n = duck(f"select count(*) from read_parquet('{out}') where term >= ? and term < ?", [lo, hi])[0][0]
    assert n == sum(1 for r in rows if lo.encode() <= r[0].encode() < hi.encode())
    n = pl.scan_parquet(out).filter(pl.col("count") > 10 ** 12 - 100_000).collect().height
    assert n == sum(1 for r in rows if r[1] > 10 ** 12 - 100_000)


def test_dictionary_and_plain_strings_and_nulls(conv, tmp_path):
    """A column that repeats (dictionary) beside one that never does (dictionary fallback to PLAIN),
    nullable string columns of both kinds, nulls spread over many pages and row groups."""
    cols = [("term1", "string"), ("term2", "string"), ("count", "int64"), ("pmi", "double?"),
            ("label", "string?"), ("note", "string?")]
    rows = [(f"t{i % 50}", f"unique-{i}-{'x' * (i % 40 + 80)}", i, None if i % 7 == 0 else i / 7,
             None if i % 5 == 0 else ["", "NA", "b"][i % 3], None if i % 2 else f"n{i}-{'y' * (i % 60 + 200)}")
            for i in range(120_000)]
    src = tmp_path / "pairs.tsv"
    write_tsv(src, cols, rows)
    out = tmp_path / "pairs.parquet"
    conv.run("convert", src, "-o", out, "--row-group-rows", 50_000)
    meta = pq.read_metadata(out)
    assert meta.num_row_groups == 3
    rg = meta.row_group(0)
    assert rg.column(0).has_dictionary_page and not rg.column(1).has_dictionary_page
    assert rg.column(4).has_dictionary_page and not rg.column(5).has_dictionary_page
    assert rg.column(4).statistics.null_count == 10_000 and rg.column(5).statistics.null_count == 25_000
    assert [(f.name, f.nullable) for f in pq.read_schema(out)] == [
        ("term1", False), ("term2", False), ("count", False), ("pmi", True), ("label", True), ("note", True)]
    want = [tuple(norm(v) for v in r) for r in rows]
    assert [tuple(norm(v) for v in r) for r in pl.read_parquet(out).rows()] == want
    assert [tuple(norm(v) for v in r) for r in duck(f"select * from '{out}'")] == want
    assert [tuple(norm(v) for v in d.values()) for d in pq.read_table(out).to_pylist()] == want
    pdf = pd.read_parquet(out)
    assert [tuple(None if v is None or v is pd.NA else norm(v) for v in r) for r in pandas_frame_rows(pdf)] == want
    assert duck(f"select count(*) from '{out}' where label = ''")[0][0] == sum(1 for r in rows if r[4] == "")


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "tsv", "table"])
def test_empty_table(conv, tmp_path, fmt):
    src = tmp_path / "empty.tsv"
    write_tsv(src, [("term", "string"), ("count", "int64"), ("per_million", "double")], [])
    out = tmp_path / f"empty.{fmt if fmt != 'table' else 'txt'}"
    conv.run("convert", src, "--format", fmt, "-o", out)
    assert out.exists()
    names = ["term", "count", "per_million"]
    if fmt == "parquet":
        assert pq.read_table(out).num_rows == 0 and pq.read_table(out).column_names == names
        assert [str(t) for t in pq.read_schema(out).types] == ["string", "int64", "double"]
        assert pd.read_parquet(out).columns.tolist() == names and len(pd.read_parquet(out)) == 0
        assert pl.read_parquet(out).schema == {"term": pl.String, "count": pl.Int64, "per_million": pl.Float64}
        assert duck(f"select * from '{out}'") == []
        assert duck_columns(f"select * from '{out}'") == names
    elif fmt in ("csv", "tsv"):
        sep = "," if fmt == "csv" else "\t"
        assert out.read_text() == sep.join(names) + "\n"
        assert pd.read_csv(out, sep=sep).columns.tolist() == names
        assert pl.read_csv(out, separator=sep).columns == names
        assert duck(f"select * from read_csv('{out}', header=true, sep='{sep}')") == []
    elif fmt == "jsonl":
        assert out.read_bytes() == b""
        schema = {"term": pl.String, "count": pl.Int64, "per_million": pl.Float64}
        assert pl.read_ndjson(out, schema=schema).height == 0
        assert len(pd.read_json(out, lines=True)) == 0
        assert duck(f"select * from read_json('{out}', columns={{term: 'VARCHAR'}})") == []
    else:
        assert out.read_text().splitlines()[1].split() == names


def test_terminal_table_is_aligned_and_width_aware(conv, tmp_path):
    src = tmp_path / "t.tsv"
    write_tsv(src, [("term", "string"), ("count", "int64"), ("per_million", "double")],
              [("東京", 1234567, 3.14159265), ("ab", 2, 1e-05), ("a\tb", 3, 0.5)])
    text = conv.run("convert", src, "--format", "table")
    lines = text.splitlines()
    body = [ln for ln in lines if ln.startswith(("東京", "ab", "a\\tb"))]
    assert body == ["東京  1,234,567       3.1416", "ab            2    1.000e-05", "a\\tb          3       0.5000"]


def test_numeric_looking_terms_stay_strings(conv, tmp_path):
    src = tmp_path / "nums.tsv"
    write_tsv(src, [("term", "string"), ("label", "string"), ("count", "int64")], [("1987", "12", 3), ("3.14", "7", 2)])
    out = tmp_path / "nums.parquet"
    conv.run("convert", src, "-o", out, "--string-column", "label")
    assert pq.read_table(out).to_pylist() == [{"term": "1987", "label": "12", "count": 3}, {"term": "3.14", "label": "7", "count": 2}]


def test_ragged_input_is_a_clear_error_and_leaves_no_file(conv, tmp_path):
    src = tmp_path / "bad.tsv"
    src.write_text("term\tcount\nok\t1\nbroken\n")
    out = tmp_path / "bad.parquet"
    p = conv.run_raw("convert", src, "-o", out)
    assert p.returncode != 0
    assert f"{src}:3:" in p.stderr.decode()
    assert list(tmp_path.iterdir()) == [src]


def test_closed_stdout_pipe_is_quiet(conv, tricky, big_table):
    path, _ = big_table(300_000)
    p = subprocess.Popen([str(conv.bin), "convert", str(path), "--format", "tsv"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    first = p.stdout.readline()
    p.stdout.close()
    err = p.stderr.read()
    rc = p.wait(timeout=120)
    assert first == b"term1\tterm2\tcount\tpmi\n"
    assert rc == 0 and err == b"", (rc, err)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_write_leaves_no_file(conv, big_table, tmp_path, sig):
    path, _ = big_table(2_000_000)
    out = tmp_path / "out.parquet"
    p = subprocess.Popen([str(conv.bin), "convert", str(path), "-o", str(out)], stderr=subprocess.PIPE)
    # Wait until the temporary file exists (the type-inference pass is over), then interrupt.
    deadline = time.time() + 120
    while time.time() < deadline and not any(f.name.startswith(".out.parquet.tmp") for f in tmp_path.iterdir()):
        time.sleep(0.01)
    assert p.poll() is None, "finished before it could be interrupted"
    time.sleep(0.2)
    p.send_signal(sig)
    rc = p.wait(timeout=60)
    assert rc == -sig, rc
    assert list(tmp_path.iterdir()) == [], list(tmp_path.iterdir())


# ---- large tables -----------------------------------------------------------------------------------

BIG_COLUMNS = [("term1", "string"), ("term2", "string"), ("count", "int64"), ("pmi", "double")]


@pytest.fixture(scope="session")
def big_table(tmp_path_factory):
    """big_table(n) -> (path of an n-row TSV in BIG_COLUMNS, n); generated once per size."""
    d = tmp_path_factory.mktemp("big")
    cache: dict[int, Path] = {}
    words = [f"w{i}" for i in range(200_000)]

    def make(n: int):
        if n not in cache:
            path = d / f"big-{n}.tsv"
            with open(path, "w", encoding="utf-8") as f:
                f.write("term1\tterm2\tcount\tpmi\n")
                step = 100_000
                for s in range(0, n, step):
                    f.write("".join(f"{words[i % 200_000]}\t{words[(i * 7) % 200_000]}\t{n - i}\t{i / 3!r}\n"
                                    for i in range(s, min(n, s + step))))
            cache[n] = path
        return cache[n], n

    return make


def run_measured(args) -> tuple[int, float, float]:
    """(exit status, wall seconds, peak RSS in MB) of one run. The peak is the kernel's high-water mark
    VmHWM in /proc/PID/status, polled every 20 ms until the process ends (wait4's ru_maxrss would count
    the memory of the forked Python parent before exec)."""
    t = time.time()
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_kb = 0
    status = Path(f"/proc/{p.pid}/status")
    while p.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kb = max(peak_kb, int(line.split()[1]))
        except (OSError, ValueError):
            pass
        time.sleep(0.02)
    return p.returncode, time.time() - t, peak_kb / 1024


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("CORPUSKIT_SKIP_SLOW") == "1", reason="CORPUSKIT_SKIP_SLOW=1")
def test_ten_million_rows_exact_and_memory_flat(conv, big_table, tmp_path):
    """SLOW (about a minute in release): 10,000,000 rows to Parquet (zstd) with flat memory, read back
    exactly by all four readers, against the same table at 1,000,000 rows."""
    small, n_small = big_table(1_000_000)
    big, n_big = big_table(10_000_000)
    out_small, out_big = tmp_path / "small.parquet", tmp_path / "big.parquet"
    rc1, t1, rss1 = run_measured([str(conv.bin), "convert", str(small), "--compression", "zstd", "-o", str(out_small)])
    rc2, t2, rss2 = run_measured([str(conv.bin), "convert", str(big), "--compression", "zstd", "-o", str(out_big)])
    assert rc1 == 0 and rc2 == 0
    print(f"\nconvert to parquet (zstd): {n_small:,} rows {t1:.1f} s peak RSS {rss1:.0f} MB; "
          f"{n_big:,} rows {t2:.1f} s peak RSS {rss2:.0f} MB")
    assert rss2 < 1.25 * rss1 + 16, f"peak RSS grew with the table: {rss1:.0f} MB -> {rss2:.0f} MB"
    assert rss2 < 300

    # TSV output of 10M rows: same bytes as the twin, flat memory.
    out_tsv = tmp_path / "big.tsv"
    rc3, t3, rss3 = run_measured([str(conv.bin), "convert", str(big), "--format", "tsv", "-o", str(out_tsv)])
    print(f"convert to tsv: {n_big:,} rows {t3:.1f} s peak RSS {rss3:.0f} MB")
    assert rc3 == 0 and rss3 < 100
    assert out_tsv.stat().st_size == big.stat().st_size
    with open(out_tsv, "rb") as a, open(big, "rb") as b:
        while True:
            x, y = a.read(1 << 24), b.read(1 << 24)
            assert x == y
            if not x:
                break
    out_tsv.unlink()

    meta = pq.read_metadata(out_big)
    assert meta.num_rows == n_big and meta.num_row_groups == 10

    # Cell for cell against the TSV twin.
    twin = f"read_csv('{big}', header=true, sep='\t', quote='', escape='', types={{'term1': 'VARCHAR', 'term2': 'VARCHAR', 'count': 'BIGINT', 'pmi': 'DOUBLE'}})"
    par = f"read_parquet('{out_big}')"
    for a, b in [(par, twin), (twin, par)]:
        assert duck(f"select count(*) from (select * from {a} except all select * from {b})")[0][0] == 0
    twin_pl = pl.read_csv(big, separator="\t", quote_char=None, schema_overrides={"term1": pl.String, "term2": pl.String})
    assert pl.read_parquet(out_big).equals(twin_pl)
    arrow = pq.read_table(out_big)
    assert arrow.column("count").to_pylist()[::99_991] == twin_pl["count"].to_list()[::99_991]
    assert arrow.select(["term1", "term2", "count", "pmi"]).equals(twin_pl.to_arrow().cast(arrow.schema))
    del arrow
    pdf = pd.read_parquet(out_big)
    assert pdf["pmi"].equals(twin_pl["pmi"].to_pandas()) and pdf["count"].equals(twin_pl["count"].to_pandas())
    assert (pdf["term1"] == twin_pl["term1"].to_pandas()).all() and (pdf["term2"] == twin_pl["term2"].to_pandas()).all()
