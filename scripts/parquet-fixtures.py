#!/usr/bin/env python3
"""Writes the pyarrow-made Parquet fixtures of Tests/CorpusExportTests (ParquetReaderTests.swift).

Run with a Python that has pyarrow (the project venv): scripts/parquet-fixtures.py
The values are spelled out again in ParquetReaderTests.swift; change both together.

`scripts/parquet-fixtures.py --spark` (a Python with pyspark and a Java runtime, e.g. a throwaway venv:
`python3 -m venv /tmp/sv && /tmp/sv/bin/pip install pyspark`) also writes Fixtures/spark/*.parquet with
Apache Spark (parquet-mr): 2,000 rows, row i holding values computed from i (see `spark_rows`), in
snappy, zstd, gzip and uncompressed (writer v1: PLAIN/PLAIN_DICTIONARY, data pages v1), snappy with
`parquet.writer.version=v2` (DELTA encodings, data pages v2), v2 without dictionaries (zstd;
DELTA_BYTE_ARRAY strings), an aggregated table and an empty one.
"""
import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

OUT = Path(__file__).resolve().parent.parent / "Tests" / "CorpusExportTests" / "Fixtures"

D = datetime.date
TABLE = pa.table({
    "i32": pa.array([1, None, -3, 2147483647, -2147483648, 0, 42], pa.int32()),
    "i64": pa.array([2**40, 5, None, -2**63, 2**63 - 1, 0, -1], pa.int64()),
    "f32": pa.array([0.1, None, 2.5, -0.0, float("inf"), 1e-45, 3.4e38], pa.float32()),
    "f64": pa.array([0.1, float("nan"), -0.0, 1e300, None, 5e-324, -1.5], pa.float64()),
    "s": pa.array(["héllo", None, "", "東京", "x" * 300, "tab\t", "héllo"], pa.string()),
    "d": pa.array([D(2020, 1, 2), None, D(1969, 12, 31), D(1970, 1, 1), D(1, 1, 1), D(9999, 12, 31), D(2000, 2, 29)], pa.date32()),
    "b": pa.array([True, None, False, True, True, False, None], pa.bool_()),
})


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    pq.write_table(TABLE, OUT / "pyarrow-snappy-v1-dict.parquet", compression="snappy", row_group_size=3,
                   data_page_version="1.0", use_dictionary=True)
    pq.write_table(TABLE, OUT / "pyarrow-zstd-v2-delta.parquet", compression="zstd", data_page_version="2.0",
                   use_dictionary=False, column_encoding={"i32": "DELTA_BINARY_PACKED", "i64": "DELTA_BINARY_PACKED",
                                                          "s": "DELTA_BYTE_ARRAY", "f64": "BYTE_STREAM_SPLIT",
                                                          "b": "RLE"})
    pq.write_table(TABLE, OUT / "pyarrow-gzip-v2-plain.parquet", compression="gzip", data_page_version="2.0",
                   use_dictionary=False, row_group_size=4)
    nested = pa.table({"a": [1, 2], "tags": pa.array([["x"], ["y", "z"]], pa.list_(pa.string()))})
    pq.write_table(nested, OUT / "pyarrow-nested.parquet")


def spark_rows(n=2000):
    words = ["oil", "Ölpreis", "東京", "", "tab\there", "x" * 300, None]
    for i in range(n):
        yield (
            i if i % 7 else None,                                     # i32
            (i * 1000003 - 2**40) if i % 11 else None,                # i64
            (i / 3.0) if i % 13 else None,                            # f64
            (i / 7.0) if i % 5 else None,                             # f32 (rounded to float)
            words[i % 7] if i % 3 else f"w{i % 50}",                  # s
            datetime.date(2000, 1, 1) + datetime.timedelta(days=i % 4000) if i % 17 else None,  # d
            (i % 2 == 0) if i % 19 else None,                         # b
            i,                                                        # n (REQUIRED)
        )


def spark_main():
    import shutil
    import tempfile

    from pyspark.sql import SparkSession, types as T
    spark = (SparkSession.builder.master("local[1]").appName("fixtures").config("spark.ui.enabled", "false")
             .getOrCreate())
    schema = T.StructType([
        T.StructField("i32", T.IntegerType(), True), T.StructField("i64", T.LongType(), True),
        T.StructField("f64", T.DoubleType(), True), T.StructField("f32", T.FloatType(), True),
        T.StructField("s", T.StringType(), True), T.StructField("d", T.DateType(), True),
        T.StructField("b", T.BooleanType(), True), T.StructField("n", T.LongType(), False),
    ])
    df = spark.createDataFrame(list(spark_rows()), schema).coalesce(1)
    dest = OUT / "spark"
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        def save(frame, name, **options):
            w = frame.write.mode("overwrite")
            for k, v in options.items():
                w = w.option(k, v)
            w.parquet(f"{tmp}/{name}")
            (part,) = [p for p in Path(tmp, name).iterdir() if p.name.endswith(".parquet")]
            shutil.copy(part, dest / f"{name}.parquet")
        for codec in ["snappy", "zstd", "gzip", "uncompressed"]:
            save(df, f"spark-{codec}", compression=codec, **{"parquet.block.size": "16384"})
        save(df, "spark-v2-snappy", compression="snappy", **{"parquet.writer.version": "v2"})
        save(df, "spark-v2-nodict", compression="zstd",
             **{"parquet.writer.version": "v2", "parquet.enable.dictionary": "false"})
        save(df.groupBy("s").count().orderBy("s").coalesce(1), "spark-agg")
        save(spark.createDataFrame([], schema).coalesce(1), "spark-empty")
    print("spark", spark.version)
    spark.stop()


if __name__ == "__main__":
    import sys
    if "--spark" in sys.argv:
        spark_main()
    else:
        main()
