"""`corpuskit convert FILE.parquet`: the Parquet reader against files written by pyarrow, polars, DuckDB and
corpuskit itself.

Every file is read back with `convert FILE --format tsv` and compared with what pyarrow reads from the same
file: integers and strings exactly, doubles bit for bit (float.hex; any NaN equals any NaN), dates as
YYYY-MM-DD, booleans as 0/1, nulls as \\N. Damaged files must stop with exit 65 and a message naming the file,
never a crash.
"""

from __future__ import annotations

import datetime
import math
import random
import subprocess
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

# ---- reading corpuskit's TSV back --------------------------------------------------------------------

_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def unescape(cell: str):
    if cell == "\\N":
        return None
    if "\\" not in cell:
        return cell
    out, i = [], 0
    while i < len(cell):
        c = cell[i]
        if c == "\\" and i + 1 < len(cell) and cell[i + 1] in _UNESCAPE:
            out.append(_UNESCAPE[cell[i + 1]])
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def read_tsv(text: str) -> tuple[list[str], list[list]]:
    lines = text.split("\n")
    assert lines[-1] == ""
    lines.pop()
    header = lines[0].split("\t")
    rows = [[unescape(c) for c in ln.split("\t")] for ln in lines[1:]]
    assert all(len(r) == len(header) for r in rows)
    return header, rows


def expected_text(value, typ) -> str | None:
    """How a value pyarrow read is expected to come out of `convert --format tsv` (before escaping)."""
    if value is None:
        return None
    if pa.types.is_boolean(typ):
        return "1" if value else "0"
    if pa.types.is_integer(typ):
        return str(value)
    if pa.types.is_floating(typ):
        return value  # compared as floats
    if pa.types.is_date32(typ):
        return value.isoformat()
    if pa.types.is_string(typ) or pa.types.is_large_string(typ):
        return value
    if pa.types.is_binary(typ):
        return value.decode("utf-8", "replace")
    raise AssertionError(f"no expectation for {typ}")


def same_float(got: str | None, want) -> bool:
    if want is None or got is None:
        return got is None and want is None
    g = float(got)
    if math.isnan(want):
        return math.isnan(g)
    return g.hex() == float(want).hex()


def check_file(ck, path, *, expect_rows: int | None = None):
    """`convert path --format tsv` equals pyarrow's reading of `path`."""
    table = pq.read_table(path)
    header, rows = read_tsv(ck.run("convert", path, "--format", "tsv", timeout=600))
    assert header == table.column_names
    assert len(rows) == table.num_rows
    if expect_rows is not None:
        assert len(rows) == expect_rows
    for j, name in enumerate(table.column_names):
        typ = table.schema.field(name).type
        want = table.column(name).to_pylist()
        got = [r[j] for r in rows]
        if pa.types.is_floating(typ):
            bad = [i for i, (g, w) in enumerate(zip(got, want)) if not same_float(g, w)]
        else:
            exp = [expected_text(v, typ) for v in want]
            bad = [i for i, (g, w) in enumerate(zip(got, exp)) if g != w]
        assert not bad, f"{path.name} column {name}: {len(bad)} differences, first at row {bad[0]}: " \
                        f"got {got[bad[0]]!r}, want {want[bad[0]]!r}"


def run(ck, *args, input: bytes | None = None):
    return subprocess.run([str(ck.bin), *map(str, args)], capture_output=True, timeout=120, input=input)


# ---- tables -------------------------------------------------------------------------------------------

WORDS = ["oil", "Ölpreis", "naïve", "東京", "ไทย", "", "NA", "null", "tab\there", "new\nline", "back\\slash",
         "emoji 🛢️", "x" * 300]


def mixed_table(n: int, seed: int = 1, nullable: bool = True) -> "pa.Table":
    rng = random.Random(seed)

    def maybe(v):
        return None if nullable and rng.random() < 0.2 else v

    doubles = [0.1, -0.0, 1e-300, 5e-324, 1.7976931348623157e308, float("inf"), float("-inf"), float("nan"), 1 / 3]
    cols = {
        "i32": pa.array([maybe(rng.randint(-2**31, 2**31 - 1)) for _ in range(n)], pa.int32()),
        "i64": pa.array([maybe(rng.choice([rng.randint(-2**63, 2**63 - 1), rng.randint(0, 9)])) for _ in range(n)], pa.int64()),
        "f64": pa.array([maybe(rng.choice(doubles + [rng.uniform(-1e6, 1e6)])) for _ in range(n)], pa.float64()),
        "f32": pa.array([maybe(rng.choice([0.1, -2.5, 3.4e38, 1e-45, rng.uniform(-1, 1)])) for _ in range(n)], pa.float32()),
        "s": pa.array([maybe(rng.choice(WORDS + [f"w{rng.randint(0, n)}"])) for _ in range(n)], pa.string()),
        "d": pa.array([maybe(datetime.date(1970, 1, 1) + datetime.timedelta(days=rng.randint(-40000, 40000)))
                       for _ in range(n)], pa.date32()),
        "b": pa.array([maybe(rng.random() < 0.5) for _ in range(n)], pa.bool_()),
    }
    t = pa.table(cols)
    if not nullable:
        t = t.cast(pa.schema([pa.field(f.name, f.type, nullable=False) for f in t.schema]))
    return t


@pytest.mark.parametrize("compression", ["none", "snappy", "gzip", "zstd"])
@pytest.mark.parametrize("dictionary", [True, False])
@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
def test_pyarrow_files(ck, tmp_path, compression, dictionary, page_version):
    t = mixed_table(500, seed=hash((compression, dictionary, page_version)) & 0xFFFF)
    path = tmp_path / "t.parquet"
    pq.write_table(t, path, compression=compression, use_dictionary=dictionary, data_page_version=page_version,
                   row_group_size=137, data_page_size=512)
    assert pq.ParquetFile(path).metadata.num_row_groups == 4
    check_file(ck, path, expect_rows=500)


@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
@pytest.mark.parametrize("compression", ["snappy", "zstd"])
def test_required_columns(ck, tmp_path, page_version, compression):
    t = mixed_table(300, seed=7, nullable=False)
    path = tmp_path / "req.parquet"
    pq.write_table(t, path, compression=compression, data_page_version=page_version, row_group_size=100)
    assert not pq.ParquetFile(path).schema_arrow.field("s").nullable
    check_file(ck, path, expect_rows=300)


@pytest.mark.parametrize("compression", ["none", "snappy", "gzip", "zstd"])
@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_nullable_column_without_nulls_and_all_null_column(ck, tmp_path, compression, page_version, dictionary):
    t = pa.table({"a": pa.array([1, 2, 3], pa.int64()), "n": pa.array([None, None, None], pa.string()),
                  "m": pa.array([None, None, None], pa.float64()), "b": pa.array([None, None, None], pa.bool_())})
    path = tmp_path / "nulls.parquet"
    pq.write_table(t, path, compression=compression, data_page_version=page_version, use_dictionary=dictionary)
    check_file(ck, path, expect_rows=3)


@pytest.mark.parametrize("encodings", [
    {"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED", "s": "DELTA_LENGTH_BYTE_ARRAY"},
    {"s": "DELTA_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT", "f32": "BYTE_STREAM_SPLIT"},
    {"b": "RLE", "i32": "BYTE_STREAM_SPLIT", "i64": "BYTE_STREAM_SPLIT"},
], ids=["delta-binary+delta-length", "delta-byte-array+byte-stream-split", "rle-bool+bss-ints"])
@pytest.mark.parametrize("page_version", ["1.0", "2.0"])
def test_pyarrow_other_encodings(ck, tmp_path, encodings, page_version):
    t = mixed_table(2000, seed=3)
    path = tmp_path / "enc.parquet"
    pq.write_table(t, path, use_dictionary=False, column_encoding=encodings, data_page_version=page_version,
                   compression="snappy", row_group_size=900)
    meta = pq.ParquetFile(path).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    for col, enc in encodings.items():
        assert enc in meta.row_group(0).column(names.index(col)).encodings
    check_file(ck, path, expect_rows=2000)


def test_delta_sorted_strings_share_prefixes(ck, tmp_path):
    words = sorted(f"prefix/{i:06d}/{'ä' * (i % 5)}" for i in range(5000))
    t = pa.table({"s": pa.array(words), "n": pa.array(range(5000), pa.int64())})
    path = tmp_path / "dba.parquet"
    pq.write_table(t, path, use_dictionary=False, column_encoding={"s": "DELTA_BYTE_ARRAY", "n": "DELTA_BINARY_PACKED"})
    check_file(ck, path, expect_rows=5000)


def test_empty_table(ck, tmp_path):
    t = mixed_table(0)
    path = tmp_path / "empty.parquet"
    pq.write_table(t, path)
    header, rows = read_tsv(ck.run("convert", path, "--format", "tsv"))
    assert header == t.column_names and rows == []


def test_unsigned_and_small_integers(ck, tmp_path):
    t = pa.table({"u8": pa.array([0, 255, None], pa.uint8()), "u32": pa.array([0, 2**32 - 1, 7], pa.uint32()),
                  "i16": pa.array([-32768, 32767, None], pa.int16()), "u64": pa.array([0, 2**62, 3], pa.uint64())})
    path = tmp_path / "ints.parquet"
    pq.write_table(t, path)
    check_file(ck, path, expect_rows=3)


def test_large_table(ck, tmp_path):
    n = 200_000
    rng = random.Random(5)
    t = pa.table({
        "term": pa.array([f"term-{rng.randint(0, 50_000)}-ü" for _ in range(n)]),
        "count": pa.array([rng.randint(0, 10**12) for _ in range(n)], pa.int64()),
        "score": pa.array([rng.random() * 10 ** rng.randint(-30, 30) for _ in range(n)]),
        "day": pa.array([None if i % 97 == 0 else datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 9000)
                         for i in range(n)], pa.date32()),
    })
    path = tmp_path / "big.parquet"
    pq.write_table(t, path, compression="snappy", row_group_size=64_000)
    check_file(ck, path, expect_rows=n)


def test_file_name_without_extension_is_sniffed(ck, tmp_path):
    path = tmp_path / "part-00000"
    pq.write_table(mixed_table(20), path)
    header, rows = read_tsv(ck.run("convert", path, "--format", "tsv"))
    assert len(rows) == 20 and header[0] == "i32"


def test_standard_input(ck, tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(mixed_table(50), path)
    via_file = ck.run("convert", path, "--format", "tsv")
    p = run(ck, "convert", "-", "--format", "tsv", input=path.read_bytes())
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode() == via_file


def test_parquet_to_parquet_keeps_types(ck, tmp_path):
    src = tmp_path / "src.parquet"
    pq.write_table(mixed_table(300).drop_columns(["b", "i32", "f32"]), src, compression="snappy")
    out = tmp_path / "out.parquet"
    ck.run("convert", src, "-o", out, "--compression", "zstd")
    a, b = pq.read_table(src), pq.read_table(out)
    assert b.schema.field("d").type == pa.date32() and b.schema.field("s").type == pa.string()
    assert b.schema.field("f64").type == pa.float64() and b.schema.field("i64").type == pa.int64()
    for name in a.column_names:
        wa, wb = a.column(name).to_pylist(), b.column(name).to_pylist()
        if name == "f64":
            assert all(same_float(None if y is None else repr(y), x) for x, y in zip(wa, wb))
        else:
            assert wa == wb


# ---- other writers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("codec", ["snappy", "zstd", "gzip", "uncompressed"])
def test_duckdb_files(ck, tmp_path, codec):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / f"duck_{codec}.parquet"
    con = duckdb.connect()
    con.execute(f"""
        COPY (SELECT i::INTEGER AS i32, (i * 1000003)::BIGINT AS i64,
                     CASE WHEN i % 7 = 0 THEN NULL ELSE i / 3.0 END::DOUBLE AS f64,
                     CASE WHEN i % 5 = 0 THEN NULL ELSE 'wört-' || (i % 113)::VARCHAR END AS s,
                     DATE '2001-01-01' + (i % 400)::INTEGER AS d,
                     i % 3 = 0 AS b
              FROM range(30000) t(i))
        TO '{path}' (FORMAT parquet, COMPRESSION {codec}, ROW_GROUP_SIZE 10000)""")
    check_file(ck, path, expect_rows=30000)


@pytest.mark.parametrize("codec", ["zstd", "snappy", "gzip", "uncompressed"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_polars_files(ck, tmp_path, codec, dictionary):
    pl = pytest.importorskip("polars")
    rng = random.Random(11)
    n = 20_000
    df = pl.DataFrame({
        "i64": [None if i % 11 == 0 else rng.randint(-10**15, 10**15) for i in range(n)],
        "i32": pl.Series([rng.randint(-1000, 1000) for _ in range(n)], dtype=pl.Int32),
        "f64": [None if i % 13 == 0 else rng.gauss(0, 1e5) for i in range(n)],
        "s": [None if i % 17 == 0 else rng.choice(WORDS) for i in range(n)],
        "d": pl.Series([datetime.date(1990, 1, 1) + datetime.timedelta(days=i % 5000) for i in range(n)]),
        "b": [None if i % 19 == 0 else i % 2 == 0 for i in range(n)],
    })
    path = tmp_path / "polars.parquet"
    if dictionary:
        df.write_parquet(path, compression=codec, row_group_size=6000)
    else:
        # polars' own writer chooses dictionaries itself; use pyarrow through polars for the plain case.
        df.write_parquet(path, compression=codec, row_group_size=6000, use_pyarrow=True,
                         pyarrow_options={"use_dictionary": False})
    check_file(ck, path, expect_rows=n)


SPARK_FIXTURES = Path(__file__).resolve().parent.parent / "CorpusExportTests" / "Fixtures" / "spark"


@pytest.mark.parametrize("name", sorted(p.name for p in SPARK_FIXTURES.glob("*.parquet")))
def test_spark_files(ck, name):
    """Files Apache Spark 4.3 (parquet-mr 1.17) wrote: scripts/parquet-fixtures.py --spark."""
    check_file(ck, SPARK_FIXTURES / name)


def test_spark_fixtures_are_there():
    assert len(list(SPARK_FIXTURES.glob("*.parquet"))) >= 8


# ---- corpuskit's own writer, round trip -----------------------------------------------------------------

def _tsv_source(n: int, seed: int = 2) -> str:
    rng = random.Random(seed)
    lines = ["term\tcount\tscore\tperiod_start\tnote"]
    for i in range(n):
        term = rng.choice(["oil", "Ölpreis", "東京", "a\\tb", "a\\\\b", "NA", "", "x" * 40]) + str(i % 50)
        count = str(rng.randint(-10**17, 10**17))
        score = repr(rng.choice([0.1, -0.0, 1e-05, 1.5e300, rng.random(), rng.uniform(-1e9, 1e9)]))
        day = "\\N" if i % 9 == 0 else (datetime.date(1999, 1, 1) + datetime.timedelta(days=i % 3000)).isoformat()
        note = "\\N" if i % 4 == 0 else f"note {i}"
        lines.append("\t".join([term, count, score, day, note]))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
def test_round_trip_through_corpuskit_writer(ck, tmp_path, compression):
    src = tmp_path / "src.tsv"
    src.write_text(_tsv_source(3000))
    pqf = tmp_path / "a.parquet"
    ck.run("convert", src, "-o", pqf, "--compression", compression, "--row-group-rows", 1000)
    assert ck.run("convert", pqf, "--format", "tsv") == src.read_text()


def test_round_trip_plain_strings_after_dictionary_fallback(ck, tmp_path):
    # 250k distinct ~30-byte terms: the writer's dictionary passes its 4 MiB limit and falls back to PLAIN.
    lines = ["term\tcount"] + [f"distinct-term-{i:08d}-xxxxxxx\t{i}" for i in range(250_000)]
    src = tmp_path / "big.tsv"
    src.write_text("\n".join(lines) + "\n")
    pqf = tmp_path / "big.parquet"
    ck.run("convert", src, "-o", pqf, "--compression", "zstd")
    meta = pq.ParquetFile(pqf).metadata
    assert "PLAIN" in meta.row_group(0).column(0).encodings
    assert ck.run("convert", pqf, "--format", "tsv") == src.read_text()


# ---- damaged and unsupported files ----------------------------------------------------------------------

def _valid_bytes(tmp_path) -> bytes:
    p = tmp_path / "valid.parquet"
    pq.write_table(mixed_table(200, seed=9), p, compression="snappy", row_group_size=80)
    return p.read_bytes()


def _expect_65(ck, path):
    p = run(ck, "convert", path, "--format", "tsv")
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode == 65, f"exit {p.returncode}: {err}"
    assert path.name in err, err
    assert "Fatal error" not in err and "Trace" not in err
    return err


def test_zero_length_file(ck, tmp_path):
    path = tmp_path / "zero.parquet"
    path.write_bytes(b"")
    assert "empty file" in _expect_65(ck, path)


def test_wrong_magic(ck, tmp_path):
    data = bytearray(_valid_bytes(tmp_path))
    data[0:4] = b"PAR0"
    path = tmp_path / "magic.parquet"
    path.write_bytes(data)
    assert "not a Parquet file" in _expect_65(ck, path)


def test_not_parquet_at_all(ck, tmp_path):
    path = tmp_path / "text.parquet"
    path.write_text("term\tcount\noil\t3\n")
    _expect_65(ck, path)


@pytest.mark.parametrize("cut", [4, 11, 100, 0.5, -1, -5, -9])
def test_truncated_file(ck, tmp_path, cut):
    data = _valid_bytes(tmp_path)
    n = int(len(data) * cut) if isinstance(cut, float) else (cut if cut > 0 else len(data) + cut)
    path = tmp_path / "cut.parquet"
    path.write_bytes(data[:n])
    _expect_65(ck, path)


def test_garbage_footer(ck, tmp_path):
    data = bytearray(_valid_bytes(tmp_path))
    flen = int.from_bytes(data[-8:-4], "little")
    rng = random.Random(4)
    for k in range(len(data) - 8 - flen, len(data) - 8):
        data[k] = rng.randrange(256)
    path = tmp_path / "garbage.parquet"
    path.write_bytes(data)
    _expect_65(ck, path)


def test_footer_length_too_large(ck, tmp_path):
    data = bytearray(_valid_bytes(tmp_path))
    data[-8:-4] = (2**32 - 1).to_bytes(4, "little")
    path = tmp_path / "flen.parquet"
    path.write_bytes(data)
    assert "footer" in _expect_65(ck, path)


def test_random_corruption_never_crashes(ck, tmp_path):
    """Flip bytes anywhere (pages, headers, footer): the reader either reads something or exits 65."""
    data = _valid_bytes(tmp_path)
    rng = random.Random(1234)
    path = tmp_path / "fuzz.parquet"
    outcomes = {0: 0, 65: 0}
    for trial in range(150):
        d = bytearray(data)
        for _ in range(rng.choice([1, 1, 2, 8])):
            d[rng.randrange(len(d))] = rng.randrange(256)
        path.write_bytes(d)
        p = run(ck, "convert", path, "--format", "tsv")
        assert p.returncode in (0, 65), f"trial {trial}: exit {p.returncode}: {p.stderr.decode('utf-8', 'replace')[-500:]}"
        outcomes[p.returncode] += 1
    assert outcomes[65] > 0


def test_nested_column_is_refused(ck, tmp_path):
    t = pa.table({"a": [1, 2], "tags": pa.array([["x"], ["y", "z"]], pa.list_(pa.string()))})
    path = tmp_path / "nested.parquet"
    pq.write_table(t, path)
    assert "nested column 'tags' is not supported" in _expect_65(ck, path)


@pytest.mark.parametrize("codec", ["brotli", "lz4"])
def test_unsupported_codec_is_named(ck, tmp_path, codec):
    path = tmp_path / f"{codec}.parquet"
    pq.write_table(mixed_table(10), path, compression=codec)
    err = _expect_65(ck, path)
    assert ("BROTLI" if codec == "brotli" else "LZ4") in err


def test_other_physical_types_in_convert(ck, tmp_path):
    """FIXED_LEN_BYTE_ARRAY comes out as lowercase hex, BYTE_ARRAY without a string type as (repaired) text,
    timestamps as their stored integers."""
    t = pa.table({
        "fixed": pa.array([b"\x00\xff\x10", None, b"abc"], pa.binary(3)),
        "bin": pa.array([b"plain", b"\xff\xfe", None], pa.binary()),
        "ts": pa.array([0, 1_700_000_000_123_456, None], pa.timestamp("us")),
    })
    path = tmp_path / "other.parquet"
    pq.write_table(t, path)
    header, rows = read_tsv(ck.run("convert", path, "--format", "tsv"))
    assert header == ["fixed", "bin", "ts"]
    assert rows == [["00ff10", "plain", "0"], [None, "\ufffd\ufffd", "1700000000123456"], ["616263", None, None]]


def test_spark_output_folder_is_explained(ck, tmp_path):
    folder = tmp_path / "out.parquet"
    folder.mkdir()
    pq.write_table(mixed_table(5), folder / "part-00000.parquet")
    p = run(ck, "convert", folder, "--format", "tsv")
    assert p.returncode == 65
    assert "is a folder" in p.stderr.decode() and "out.parquet" in p.stderr.decode()
