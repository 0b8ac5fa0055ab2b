#!/usr/bin/env python3
"""Writes the pyarrow-made Parquet fixtures of Tests/CorpusExportTests (ParquetReaderTests.swift).

Run with a Python that has pyarrow (the project venv): scripts/parquet-fixtures.py
The values are spelled out again in ParquetReaderTests.swift; change both together.
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


if __name__ == "__main__":
    main()
