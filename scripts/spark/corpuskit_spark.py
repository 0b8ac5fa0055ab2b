#!/usr/bin/env python3
"""CorpusKit on Apache Spark: `corpuskit analyze` over many machines.

    python3 scripts/spark/corpuskit_spark.py INPUTS... -o OUT --binary .build/release/corpuskit [analyze options]
    spark-submit --files corpuskit scripts/spark/corpuskit_spark.py s3a://bucket/news/ -o OUT --binary corpuskit ...

1. Lists the input files on the driver (folders walked with `corpuskit analyze`'s own rules: hidden files,
   README*/LICENSE*/COPYING*/CHANGELOG* and files without a document extension skipped, a folder holding
   .sgm files read as a Reuters distribution; files in path byte order) and cuts the list into tasks of
   contiguous slices (a document never spans two tasks: the job shards by file).
2. Each Spark task runs the shipped binary, `corpuskit analyze --partial -o <task-local temp> FILES
   [options]`, reads the partial's Parquet tables back with pyarrow and hands them to Spark as Arrow
   record batches (kept by Spark's block manager: no shared file system is needed between the tasks and the
   driver). Object-storage inputs (s3a://, s3://, gs://, hdfs://) are copied to the task's temp folder with
   pyarrow.fs first, and their local names replaced by the URIs in the documents table and the manifest.
3. The JVM reduces the partials: per table `groupBy(keys).agg(sum(...))` (first_date min, last_date max),
   documents concatenated in task order then row order; every task's manifest "options" must agree.
4. The reduced partial (tables as folders of Spark part files, and a manifest.json of kind
   corpuskit-partial listing every input in order) is written to --reduced (or to --output with
   --partial-only), and `corpuskit merge REDUCED -o OUT` on the driver finishes the same folder
   `corpuskit analyze` writes. With --min-count N, rows below N leave pairs, ngrams and periods before the
   merge (same finished tables, less for merge to hold) unless the reduced partial is kept.

Earlier partial folders (`corpuskit analyze --partial`, or this job's --partial-only output) join the
reduce with --with-partial DIR, before the new inputs: last month's partial plus this month's files.

Needs PySpark (Tests/python/requirements.txt pins it), Java 17 and pyarrow on the driver and the
executors. Built with `swift build -c release --static-swift-stdlib`, the `corpuskit` binary needs no Swift
on the executors, only ICU 72, zlib, zstd and libstdc++ (Debian 12: `apt-get install libicu72 zlib1g
libzstd1 libstdc++6`); a plain release build loads the Swift runtime from the toolchain (the job warns).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

# ---- the partial format (docs: /work/notes/partial-format.md, README "Beyond one machine: Spark") ----------

# Keyed tables: key columns; every other column is an additive count (summed).
KEYED_TABLES = {
    "terms": ["term"],
    "ngrams": ["ngram"],
    "pairs": ["term1", "term2"],
    "periods": ["period", "period_start", "term"],
    "period_totals": ["period", "period_start"],
}
# One-row table: summed, except these.
TOTALS_TABLE = "totals"
TOTALS_SPECIAL = {"first_date": "min", "last_date": "max"}
# Not summed: rows concatenated in input order.
ORDERED_TABLES = {"documents"}
KNOWN_TABLES = set(KEYED_TABLES) | {TOTALS_TABLE} | ORDERED_TABLES

TASK_COL, ROW_COL = "__task", "__row"
META_MANIFEST, META_SCHEMA, META_LOG = "__manifest__", "__schema__", "__log__"

# Analyze's folder rules (Sources/CorpusReaders/InputListing.swift).
DOC_EXTENSIONS = {"txt", "text", "jsonl", "ndjson", "json", "csv", "tsv", "sgm", "sgml"}
DOC_PREFIXES = ("readme", "license", "licence", "copying", "changelog")

# Options of `corpuskit merge` (the finishing step); every other option goes to `analyze --partial`.
MERGE_OPTIONS = {"--min-count", "--format", "--compression"}

BATCH_ROWS = 65536
RAW_LIMIT = 256 << 20   # a partial's Parquet file up to this size goes to Spark as it is


class JobError(Exception):
    """A failure the job reports in one line (exit 1)."""


# ---- paths and listing ----------------------------------------------------------------------------------


def is_uri(path: str) -> bool:
    """A URI (scheme://…) is listed by Spark's Hadoop file system and copied into the task by pyarrow; a
    file:// URI too (the documents then show the URI), a plain path is read in place."""
    head = path.split("/", 1)[0]
    return head.endswith(":") and len(head) > 2 and path[len(head):].startswith("//")


def strip_file_scheme(path: str) -> str:
    return path[len("file://"):] if path.startswith("file://") else path


def doc_extension(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    if base.lower().endswith(".gz"):
        base = base[:-3]
    dot = base.rfind(".")
    return base[dot + 1:].lower() if dot > 0 else ""


def is_reuters_name(name: str) -> bool:
    return doc_extension(name) in ("sgm", "sgml")


def filter_folder(names: list[str], all_extensions: bool) -> tuple[list[str], list[str]]:
    """Of one folder's regular files (names, not hidden), those analyze reads, and those it skips for
    their extension."""
    files, unknown = [], []
    for n in names:
        if n.lower().startswith(DOC_PREFIXES):
            continue
        (files if doc_extension(n) in DOC_EXTENSIONS else unknown).append(n)
    if any(is_reuters_name(n) for n in files):
        return [n for n in files if is_reuters_name(n)], []
    if all_extensions:
        return files + unknown, []
    return files, unknown


def bkey(s: str) -> bytes:
    return os.fsencode(s)


def list_local(paths: list[str], all_extensions: bool) -> list[tuple[str, int]]:
    """(path as analyze shows it, size) for local paths, in analyze's order; each file once."""
    out: list[tuple[str, int]] = []
    seen: set[tuple[int, int]] = set()
    for p in paths:
        p = strip_file_scheme(p)
        try:
            st = os.stat(p)
        except OSError as e:
            raise JobError(f"cannot read {p}: {e.strerror}")
        if not stat.S_ISDIR(st.st_mode):
            if (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                out.append((p, st.st_size))
            continue
        base = p.rstrip("/") if len(p) > 1 else p
        found: list[tuple[str, os.stat_result]] = []
        skipped: list[str] = []
        seen_dirs: set[tuple[int, int]] = {(st.st_dev, st.st_ino)}

        def walk(d: str, depth: int) -> None:
            if depth >= 64:
                return
            names = sorted((n for n in os.listdir(d) if not n.startswith(".")), key=bkey)
            regular, subdirs = [], []
            for n in names:
                full = ("/" + n) if d == "/" else f"{d}/{n}"
                try:
                    s = os.stat(full)
                except OSError:
                    continue
                if stat.S_ISDIR(s.st_mode):
                    subdirs.append((full, s))
                elif stat.S_ISREG(s.st_mode):
                    regular.append((n, full, s))
            keep, unknown = filter_folder([n for n, _, _ in regular], all_extensions)
            keep = set(keep)
            found.extend((full, s) for n, full, s in regular if n in keep)
            skipped.extend(full for n, full, s in regular if n in unknown)
            for full, s in subdirs:
                if (s.st_dev, s.st_ino) in seen_dirs:
                    continue
                seen_dirs.add((s.st_dev, s.st_ino))
                walk(full, depth + 1)

        walk(base, 0)
        if skipped:
            print(f"corpuskit-spark: note: {p}: {len(skipped)} files without a document extension skipped "
                  f"(as analyze does)", file=sys.stderr)
        for full, s in sorted(found, key=lambda e: bkey(e[0])):
            if (s.st_dev, s.st_ino) not in seen:
                seen.add((s.st_dev, s.st_ino))
                out.append((full, s.st_size))
    return out


def hadoop_fs(spark, uri: str):
    jvm = spark._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark._jsc.hadoopConfiguration()), path


def list_uri(spark, uri: str, all_extensions: bool) -> list[tuple[str, int]]:
    """Files under an object-storage / HDFS URI, listed by the JVM's Hadoop FileSystem (s3a:// with
    hadoop-aws, gs:// with the GCS connector, hdfs://), with analyze's folder rules."""
    fs, path = hadoop_fs(spark, uri)
    if not fs.exists(path):
        raise JobError(f"no such file or directory: {uri}")
    st = fs.getFileStatus(path)
    if not st.isDirectory():
        return [(uri, st.getLen())]
    found: list[tuple[str, int]] = []

    def walk(dir_uri: str, depth: int) -> None:
        if depth >= 64:
            return
        fs_, p_ = hadoop_fs(spark, dir_uri)
        entries = [(s.getPath().getName(), s) for s in fs_.listStatus(p_)]
        entries = sorted((e for e in entries if not e[0].startswith(".") and not e[0].startswith("_")),
                         key=lambda e: bkey(e[0]))
        files = [(n, s) for n, s in entries if s.isFile()]
        keep, _ = filter_folder([n for n, _ in files], all_extensions)
        keep = set(keep)
        found.extend((f"{dir_uri}/{n}", s.getLen()) for n, s in files if n in keep)
        for n, s in entries:
            if s.isDirectory():
                walk(f"{dir_uri}/{n}", depth + 1)

    walk(uri.rstrip("/"), 0)
    return sorted(found, key=lambda e: bkey(e[0]))


def read_input_list(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]


def split_tasks(files: list[tuple[str, int]], tasks: int | None, files_per_task: int | None,
                mb_per_task: float) -> list[list[tuple[str, int]]]:
    """Contiguous slices of the file list: N slices of about equal bytes (--tasks), K files each
    (--files-per-task), or about M MB each (--mb-per-task)."""
    if not files:
        return []
    if files_per_task:
        return [files[i:i + files_per_task] for i in range(0, len(files), files_per_task)]
    total = sum(max(s, 1) for _, s in files)
    n = tasks if tasks else max(1, round(total / (mb_per_task * 1e6)))
    n = max(1, min(n, len(files)))
    out: list[list[tuple[str, int]]] = []
    acc, start = 0, 0
    for i, (_, s) in enumerate(files):
        acc += max(s, 1)
        left_files, left_tasks = len(files) - i - 1, n - len(out) - 1
        # Cut when this slice reached its share, or when every remaining task needs one file.
        if left_tasks > 0 and (acc >= total * (len(out) + 1) / n or left_files == left_tasks):
            out.append(files[start:i + 1])
            start = i + 1
    out.append(files[start:])
    return [t for t in out if t]


# ---- the task (runs on executors) ----------------------------------------------------------------------


def _table_parts(table_path: str, fs) -> list[str]:
    """The Parquet files of a partial table: NAME.parquet itself, or its part files (Spark's layout) in byte
    order of their names."""
    import pyarrow.fs as pafs

    if fs.get_file_info(table_path).type != pafs.FileType.Directory:
        return [table_path]
    return sorted((i.path for i in fs.get_file_info(pafs.FileSelector(table_path))
                   if i.base_name.endswith(".parquet") and not i.base_name.startswith((".", "_"))),
                  key=lambda p: bkey(p.rsplit("/", 1)[-1]))


def _ipc(batches, schema) -> bytes:
    import pyarrow as pa

    sink = io.BytesIO()
    with pa.ipc.new_stream(sink, schema) as w:
        for b in batches:
            w.write_batch(b)
    return sink.getvalue()


def _remap(value, mapping: dict[str, str]):
    """A string that names a task-local copy of an object-storage input gets the URI back."""
    if isinstance(value, str):
        for local, uri in mapping.items():
            if value == local or value.startswith(local + ":"):
                return uri + value[len(local):]
        return value
    if isinstance(value, list):
        return [_remap(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _remap(v, mapping) for k, v in value.items()}
    return value


def partial_blobs(folder: str, task: int, mapping: dict[str, str] | None = None, fs=None):
    """(task, table, seq, bytes) rows for one partial folder: its manifest, each table's schema (with the
    __task and __row columns the reduce adds), and its data: each Parquet part file as it is when under
    RAW_LIMIT bytes (compressed, small), else Arrow IPC streams (zstd) of BATCH_ROWS-row batches; the
    documents of object-storage inputs as IPC with their URIs put back."""
    import pyarrow as pa
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    fs = fs or pafs.LocalFileSystem()
    with fs.open_input_stream(f"{folder}/manifest.json") as fh:
        manifest = json.loads(fh.read().decode("utf-8"))
    if manifest.get("kind") != "corpuskit-partial":
        raise RuntimeError(f"{folder}: not a corpuskit partial folder (manifest kind {manifest.get('kind')!r})")
    if mapping and "inputs" in manifest:
        manifest["inputs"] = _remap(manifest["inputs"], mapping)
    yield (task, META_MANIFEST, 0, json.dumps(manifest).encode("utf-8"))
    ipc_options = pa.ipc.IpcWriteOptions(compression="zstd")
    entries = sorted(fs.get_file_info(pafs.FileSelector(folder)), key=lambda i: bkey(i.base_name))
    for info in entries:
        name = info.base_name
        if not name.endswith(".parquet"):
            continue
        table = name[: -len(".parquet")]
        parts = _table_parts(info.path, fs)
        if not parts:
            continue
        seq = 0
        for k, part in enumerate(parts):
            size = fs.get_file_info(part).size
            remap = bool(mapping) and table in ORDERED_TABLES
            with fs.open_input_file(part) as fh:
                if k == 0:
                    schema = pq.ParquetFile(fh).schema_arrow
                    schema = pa.schema(list(schema) + [pa.field(TASK_COL, pa.int32(), False),
                                                       pa.field(ROW_COL, pa.int64(), False)])
                    yield (task, META_SCHEMA, 0,
                           json.dumps({"table": table}).encode() + b"\n" + schema.serialize().to_pybytes())
                    fh.seek(0)
                if size <= RAW_LIMIT and not remap:
                    yield (task, table, seq, fh.read())
                    seq += 1
                    continue
                for b in pq.ParquetFile(fh).iter_batches(batch_size=BATCH_ROWS):
                    if remap:
                        b = pa.RecordBatch.from_arrays(
                            [pa.array([_remap(v, mapping) for v in c.to_pylist()], type=c.type)
                             if pa.types.is_string(c.type) or pa.types.is_large_string(c.type) else c
                             for c in b.columns], schema=b.schema)
                    sink = io.BytesIO()
                    with pa.ipc.new_stream(sink, b.schema, options=ipc_options) as w:
                        w.write_batch(b)
                    yield (task, table, seq, sink.getvalue())
                    seq += 1


def run_task(item, binary_name: str, analyze_args: list[str], driver_cwd: str, jobs: int):
    """One Spark task: ("files", [paths]) runs `corpuskit analyze --partial` on them; ("partial", dir)
    reads an existing partial folder. Yields partial_blobs rows, and a log row with analyze's stderr."""
    task, (kind, payload) = item
    if kind == "partial":
        if is_uri(payload):
            fs, path = pafs_split(payload)
            yield from partial_blobs(path, task, fs=fs)
        else:
            yield from partial_blobs(os.path.join(driver_cwd, strip_file_scheme(payload)), task)
        return

    from pyspark import SparkFiles

    binary = SparkFiles.get(binary_name)
    roots = [d for d in os.environ.get("SPARK_LOCAL_DIRS", "").split(",") if d and os.path.isdir(d)]
    tmp = tempfile.mkdtemp(prefix=f"corpuskit-task{task}-", dir=roots[0] if roots else None)
    try:
        if not os.access(binary, os.X_OK):
            local_bin = os.path.join(tmp, "corpuskit")
            shutil.copy(binary, local_bin)
            os.chmod(local_bin, 0o755)
            binary = local_bin
        mapping: dict[str, str] = {}
        args: list[str] = []
        for k, p in enumerate(payload):
            if is_uri(p):
                fs, path = pafs_split(p)
                d = os.path.join(tmp, "in", str(k))
                os.makedirs(d)
                local = os.path.join(d, p.rstrip("/").rsplit("/", 1)[-1])
                with fs.open_input_stream(path) as src, open(local, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 22)
                mapping[local] = p
                args.append(local)
            else:
                args.append(strip_file_scheme(p))
        cwd = driver_cwd if os.path.isdir(driver_cwd) else None
        if cwd is None and any(not os.path.isabs(a) for a in args):
            raise RuntimeError(f"task {task}: relative input paths need the driver's working folder "
                               f"{driver_cwd} on the executor; use absolute paths on a shared file system "
                               f"or object-storage URIs")
        out = os.path.join(tmp, "partial")
        cmd = [binary, "analyze", "--partial", "-o", out, "--jobs", str(jobs), *analyze_args, "--", *args]
        t = time.time()
        p = subprocess.run(cmd, cwd=cwd, capture_output=True)
        log = p.stderr.decode("utf-8", "replace") + f"analyze --partial on {len(args)} files: {time.time() - t:.1f} s\n"
        if p.returncode != 0:
            raise RuntimeError(f"task {task}: corpuskit analyze --partial exited {p.returncode} on "
                               f"{len(args)} files ({payload[0]} …):\n{log[-4000:]}")
        yield (task, META_LOG, 0, log.encode("utf-8"))
        yield from partial_blobs(out, task, mapping)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def pafs_split(uri: str):
    """(pyarrow filesystem, path inside it) of an object-storage URI (s3a:// and s3n:// read as s3://)."""
    import pyarrow.fs as pafs

    for a, b in (("s3a://", "s3://"), ("s3n://", "s3://")):
        if uri.startswith(a):
            uri = b + uri[len(a):]
    return pafs.FileSystem.from_uri(uri)


def decode_blobs(batches):
    """mapInArrow: the (task, seq, data) rows of one table → its record batches, with __task = task and
    __row = seq << 32 | row in the blob, so that sorting by (__task, __row) gives input order."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    for rb in batches:
        for task, seq, data in zip(*(rb.column(c).to_pylist() for c in ("task", "seq", "data"))):
            if data[:4] == b"PAR1":
                parts = pq.ParquetFile(pa.BufferReader(data)).iter_batches(batch_size=BATCH_ROWS)
            else:
                parts = pa.ipc.open_stream(data)
            row = seq << 32
            for b in parts:
                n = b.num_rows
                yield pa.RecordBatch.from_arrays(
                    list(b.columns) + [pa.array([task] * n, type=pa.int32()),
                                       pa.array(range(row, row + n), type=pa.int64())],
                    names=b.schema.names + [TASK_COL, ROW_COL])
                row += n


# ---- the driver ----------------------------------------------------------------------------------------


def swift_runtime_libs(binary: str) -> list[str]:
    """The Swift runtime libraries the binary loads from a Swift toolchain (none when it was built with
    `swift build -c release --static-swift-stdlib`, as executors without Swift need)."""
    try:
        out = subprocess.run(["ldd", binary], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []
    names = ("libswift", "libFoundation", "libdispatch", "libBlocksRuntime", "lib_Foundation")
    return [ln.split()[0] for ln in out.splitlines()
            if ln.split() and (ln.split()[0].startswith(names) or "/lib/swift/" in ln)]


def check_options(manifests: list[tuple[str, dict]]) -> dict:
    """The options every partial agrees on; a JobError naming the first differing option otherwise."""
    if not manifests:
        raise JobError("no partials to reduce")
    first_name, first = manifests[0]
    opts = first.get("options", {})
    for name, m in manifests[1:]:
        other = m.get("options", {})
        for key in list(opts) + [k for k in other if k not in opts]:
            if opts.get(key, "<absent>") != other.get(key, "<absent>"):
                raise JobError(
                    f"partials do not merge: option '{key}' is {json.dumps(opts.get(key, '<absent>'))} in "
                    f"{first_name} but {json.dumps(other.get(key, '<absent>'))} in {name}")
        if m.get("partial_format") != first.get("partial_format"):
            raise JobError(f"partials do not merge: partial_format {first.get('partial_format')} in {first_name} "
                           f"but {m.get('partial_format')} in {name}")
    return opts


# Tables whose rows below the finished tables' --min-count can be dropped after the reduce without changing a
# finished cell (their measures take f1, f2 from `terms` and N from `totals`, never from their own margins):
# docs/scaling.md. `terms` must stay whole (it holds the margins).
PREFILTER_TABLES = {"pairs", "ngrams", "periods"}


def reduce_table(spark, df, table: str, min_count: int = 1):
    from pyspark.sql import functions as F

    cols = [c for c in df.columns if c not in (TASK_COL, ROW_COL)]
    if table in KEYED_TABLES:
        keys = KEYED_TABLES[table]
        missing = [k for k in keys if k not in cols]
        if missing:
            raise JobError(f"partial table {table} lacks its key columns {missing}")
        aggs = [F.sum(c).cast("long").alias(c) for c in cols if c not in keys]
        out = df.groupBy(*keys).agg(*aggs).select(*cols)
        if min_count > 1 and table in PREFILTER_TABLES:
            out = out.filter(F.col("count") >= min_count)
        return out
    if table == TOTALS_TABLE:
        aggs = []
        for c in cols:
            how = TOTALS_SPECIAL.get(c, "sum")
            e = {"min": F.min, "max": F.max, "sum": F.sum}[how](c)
            aggs.append((e if how != "sum" else e.cast("long")).alias(c))
        return df.agg(*aggs).coalesce(1)
    if table in ORDERED_TABLES:
        return df.orderBy(TASK_COL, ROW_COL).select(*cols)
    raise JobError(f"unknown partial table '{table}' (the job knows {', '.join(sorted(KNOWN_TABLES))}): "
                   f"update KEYED_TABLES in {__file__}")


def count_rows(spark, table_dir: str) -> int:
    """Rows of a written table: from the part files' footers (local), or counted by Spark (URI)."""
    if is_uri(table_dir):
        return spark.read.parquet(table_dir).count()
    import pyarrow.fs as pafs
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in _table_parts(table_dir, pafs.LocalFileSystem()))


def write_text(spark, uri: str, text: str) -> None:
    if is_uri(uri):
        fs, path = hadoop_fs(spark, uri)
        out = fs.create(path, True)
        out.write(bytearray(text.encode("utf-8")))
        out.close()
    else:
        with open(strip_file_scheme(uri), "w", encoding="utf-8") as f:
            f.write(text)


def task_failure(e: Exception) -> str:
    text = str(e)
    for marker in ("RuntimeError: ", "JobError: "):
        if marker in text:
            msg = text[text.rindex(marker) + len(marker):]
            return "a Spark task failed: " + msg.split("\n\tat ")[0].strip()
    return f"the Spark job failed: {text.strip()[:4000]}"


def parse_args(argv: list[str]):
    ap = argparse.ArgumentParser(
        prog="corpuskit_spark.py",
        description="Run `corpuskit analyze` on Apache Spark: one `analyze --partial` per task of "
                    "contiguous files, partials reduced in the JVM, finished by `corpuskit merge`. "
                    "Options not listed here are `corpuskit analyze` options (--by, --window, --stopwords, "
                    "--normalize, --locale, --input-format …) passed to every task; --min-count, --format "
                    "and --compression go to the final merge.",
        epilog="Example: python3 scripts/spark/corpuskit_spark.py corpora/reuters21578 -o out/reuters "
               "--binary .build/release/corpuskit --tasks 8 --by month")
    ap.add_argument("inputs", nargs="*", help="files, folders or object-storage URIs (s3a://, gs://, hdfs://)")
    ap.add_argument("--input-list", metavar="FILE", help="a file of inputs, one path or URI a line (# comments)")
    ap.add_argument("-o", "--output", required=True,
                    help="the finished analyze folder (a local path on the driver); with --partial-only, "
                         "the reduced partial folder (a path or URI)")
    ap.add_argument("--binary", required=True, help="the corpuskit binary (Linux x86-64 release build), "
                    "shipped to the executors with SparkContext.addFile")
    ap.add_argument("--master", help="Spark master (default: spark-submit's, else local[*])")
    ap.add_argument("--tasks", type=int, help="number of tasks (contiguous slices of about equal bytes)")
    ap.add_argument("--files-per-task", type=int, help="files per task")
    ap.add_argument("--mb-per-task", type=float, default=128.0,
                    help="target input MB per task when neither --tasks nor --files-per-task is given "
                         "(default 128)")
    ap.add_argument("--task-jobs", type=int, default=None,
                    help="`analyze --jobs` in each task (default: spark.task.cpus, 1 unless set)")
    ap.add_argument("--with-partial", action="append", default=[], metavar="DIR",
                    help="an earlier partial folder to merge in, before the inputs (repeatable)")
    ap.add_argument("--partial-only", action="store_true",
                    help="write the reduced partial to --output and stop (no merge)")
    ap.add_argument("--reduced", metavar="DIR",
                    help="where the reduced partial is written before the merge (default: a temporary "
                         "folder beside --output, removed after the merge); must be visible to every "
                         "executor and the driver (shared file system or URI)")
    ap.add_argument("--keep-reduced", action="store_true", help="keep the reduced partial after the merge")
    args, rest = ap.parse_known_args(argv)
    analyze_args, merge_args = [], []
    i = 0
    while i < len(rest):
        a = rest[i]
        name, has_eq, _ = a.partition("=")
        target = merge_args if name in MERGE_OPTIONS else analyze_args
        if not a.startswith("--"):
            raise JobError(f"unexpected argument {a!r} (inputs go before the options, or use --input-list)")
        target.append(a)
        # An option's value follows it unless given with '=' or the option is a flag.
        if not has_eq and i + 1 < len(rest) and not rest[i + 1].startswith("--"):
            target.append(rest[i + 1])
            i += 1
        i += 1
    if "--partial" in analyze_args:
        analyze_args.remove("--partial")
    for a in analyze_args:
        if a.partition("=")[0] in ("--jobs", "--output"):
            raise JobError(f"{a} is set by the job (use --task-jobs for analyze's --jobs)")
    inputs = list(args.inputs)
    if args.input_list:
        inputs += read_input_list(args.input_list)
    if not inputs and not args.with_partial:
        raise JobError("no inputs (name files, folders or URIs, or --input-list FILE)")
    if args.tasks is not None and args.tasks < 1 or args.files_per_task is not None and args.files_per_task < 1:
        raise JobError("--tasks and --files-per-task must be at least 1")
    if args.tasks and args.files_per_task:
        raise JobError("give --tasks or --files-per-task, not both")
    return args, inputs, analyze_args, merge_args


def main(argv: list[str]) -> int:
    t0 = time.time()
    args, inputs, analyze_args, merge_args = parse_args(argv)
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        raise JobError(f"the corpuskit binary {args.binary} is missing or not executable")
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise JobError("Java is not installed (Spark needs a Java 17 runtime: apt-get install "
                       "openjdk-17-jre-headless, or set JAVA_HOME)")
    if args.partial_only and (merge_args or args.reduced):
        raise JobError("--partial-only writes the partial to --output: --min-count, --format, "
                       "--compression and --reduced apply to the merge")
    out_is_uri = is_uri(args.output)
    if out_is_uri and not args.partial_only:
        raise JobError("the finished folder is written by `corpuskit merge` on the driver: --output must be a "
                       "local path (or use --partial-only to write the reduced partial to a URI)")

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    import warnings

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from pyspark import SparkConf, StorageLevel
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema
    import pyarrow as pa

    from pyspark import SparkContext

    SparkContext._ensure_initialized()   # the JVM, so that SparkConf sees spark-submit's settings
    builder = SparkSession.builder.appName("corpuskit")
    conf = SparkConf()
    master = args.master or (None if conf.contains("spark.master") else "local[*]")
    if master:
        builder = builder.master(master)
    if (master or conf.get("spark.master", "")).startswith("local") and not conf.contains("spark.driver.host"):
        # One machine: Spark's driver listens on the loopback interface only.
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        if not conf.contains("spark.sql.shuffle.partitions"):
            # One machine: two reduce partitions per core, not Spark's 200 (measured: the pairs reduce of
            # Reuters in 10 s instead of 16 on local[2]). A cluster keeps its own setting.
            cores = (master or conf.get("spark.master", "")).partition("[")[2].partition("]")[0].split(",")[0]
            cores = int(cores) if cores.isdigit() else (os.cpu_count() or 2)
            builder = builder.config("spark.sql.shuffle.partitions", str(2 * cores))
    builder = builder.config("spark.sql.parquet.compression.codec", "zstd")
    if not sys.stderr.isatty():   # no progress bars in logs
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    print(f"corpuskit-spark: Spark {spark.version} started ({time.time() - t0:.1f} s)", file=sys.stderr)
    try:
        # A forced --input-format reads every file of a folder, whatever its extension (as analyze does).
        fmt = "auto"
        for k, a in enumerate(analyze_args):
            if a == "--input-format" and k + 1 < len(analyze_args):
                fmt = analyze_args[k + 1]
            elif a.startswith("--input-format="):
                fmt = a.split("=", 1)[1]
        all_ext = fmt != "auto"
        files: list[tuple[str, int]] = []
        local = [p for p in inputs if not is_uri(p)]
        for p in inputs:
            files += list_uri(spark, p, all_ext) if is_uri(p) else list_local([p], all_ext)
        # A file reached twice (two inputs naming it) is read once, as analyze does.
        if local:
            seen, uniq = set(), []
            for f, s in files:
                k = f if is_uri(f) else os.path.realpath(f)
                if k not in seen:
                    seen.add(k)
                    uniq.append((f, s))
            files = uniq
        slices = split_tasks(files, args.tasks, args.files_per_task, args.mb_per_task)
        items = [(i, ("partial", p)) for i, p in enumerate(args.with_partial)]
        items += [(len(items) + i, ("files", [f for f, _ in s])) for i, s in enumerate(slices)]
        if not items:
            raise JobError("the inputs hold no document files")
        print(f"corpuskit-spark: {len(files)} files in {len(slices)} tasks"
              + (f", {len(args.with_partial)} earlier partials" if args.with_partial else "")
              + f" on {sc.master}", file=sys.stderr)

        binary_name = os.path.basename(binary)
        swift_libs = swift_runtime_libs(binary)
        if swift_libs and not sc.master.startswith("local"):
            print(f"corpuskit-spark: warning: {binary} loads the Swift runtime ({', '.join(swift_libs[:3])} …) "
                  f"from this machine's toolchain: executors without Swift cannot run it; build it with "
                  f"`swift build -c release --static-swift-stdlib`", file=sys.stderr)
        # spark-submit --files may ship it already (under the same name): Spark refuses a second path.
        shipped = [f.rsplit("/", 1)[-1].split("#")[0] for f in sc.getConf().get("spark.files", "").split(",") if f]
        if binary_name not in shipped:
            sc.addFile(binary)
        jobs = args.task_jobs or int(sc.getConf().get("spark.task.cpus", "1"))
        cwd = os.getcwd()
        analyze = (binary_name, analyze_args, cwd, jobs)

        def tasks_fn(batches, items=items, analyze=analyze):
            import pyarrow as pa

            schema = pa.schema([("task", pa.int32()), ("tbl", pa.string()), ("seq", pa.int32()),
                                ("data", pa.binary())])
            for rb in batches:
                for i in rb.column("id").to_pylist():
                    for t, tbl, seq, data in run_task(items[i], *analyze):
                        yield pa.RecordBatch.from_pydict({"task": [t], "tbl": [tbl], "seq": [seq], "data": [data]},
                                                         schema=schema)

        # One Spark partition per task (spark.range puts one id in each).
        blobs = spark.range(0, len(items), 1, len(items)) \
            .mapInArrow(tasks_fn, "task int, tbl string, seq int, data binary") \
            .persist(StorageLevel.MEMORY_AND_DISK)
        try:
            meta = blobs.filter(F.col("tbl").startswith("__")).collect()   # runs every task
        except Exception as e:  # a task failed: its own message, not the JVM's stack
            raise JobError(task_failure(e)) from None
        t_tasks = time.time()

        names = {i: (f"partial {p}" if k == "partial" else f"task {i} ({p[0]} …)") for i, (k, p) in items}
        manifests = sorted((r.task, json.loads(r.data)) for r in meta if r.tbl == META_MANIFEST)
        for r in sorted((r for r in meta if r.tbl == META_LOG), key=lambda r: r.task):
            for line in r.data.decode("utf-8").splitlines():
                print(f"task {r.task}: {line}", file=sys.stderr)
        options = check_options([(names[t], m) for t, m in manifests])
        schemas: dict[str, pa.Schema] = {}
        for r in meta:
            if r.tbl == META_SCHEMA:
                head, _, body = r.data.partition(b"\n")
                table = json.loads(head)["table"]
                s = pa.ipc.read_schema(pa.py_buffer(body))
                if table in schemas and not schemas[table].equals(s):
                    raise JobError(f"partial table {table} has different columns in task {r.task}: {s} vs "
                                   f"{schemas[table]}")
                schemas[table] = s
        unknown = sorted(set(schemas) - KNOWN_TABLES)
        if unknown:
            raise JobError(f"unknown partial tables {unknown} (the job knows {sorted(KNOWN_TABLES)})")

        reduced = args.output if args.partial_only else (
            args.reduced or os.path.join(os.path.dirname(os.path.abspath(args.output)),
                                         f".{os.path.basename(os.path.abspath(args.output))}.spark-reduced-{os.getpid()}"))
        if not is_uri(reduced):
            reduced = os.path.abspath(strip_file_scheme(reduced))
            if os.path.isdir(reduced) and os.listdir(reduced) and not os.path.exists(os.path.join(reduced, "manifest.json")):
                raise JobError(f"{reduced} is not empty and holds no partial: refusing to replace it")
            shutil.rmtree(reduced, ignore_errors=True)
            os.makedirs(reduced)
        else:
            # The manifest goes last: while the tables are rewritten the folder is not a partial.
            fs, path = hadoop_fs(spark, reduced)
            fs.delete(spark._jvm.org.apache.hadoop.fs.Path(path, "manifest.json"), False)
        # --min-count N for the merge: rows below N leave pairs, ngrams and periods already in Spark (less to
        # write, copy and hold in merge), but only in a reduced partial that the run removes: a kept one must
        # stay additive, for later merges.
        prefilter = 1
        if not (args.partial_only or args.reduced or args.keep_reduced):
            for k, a in enumerate(merge_args):
                v = merge_args[k + 1] if a == "--min-count" and k + 1 < len(merge_args) else (
                    a.split("=", 1)[1] if a.startswith("--min-count=") else None)
                if v is not None and v.isdigit():
                    prefilter = int(v)
        tables = {}
        for table, schema in sorted(schemas.items()):
            df = blobs.filter(F.col("tbl") == table).select("task", "seq", "data").mapInArrow(decode_blobs, from_arrow_schema(schema))
            reduce_table(spark, df, table, prefilter).write.mode("overwrite").parquet(f"{reduced}/{table}.parquet")
            tables[table] = {"file": f"{table}.parquet", "rows": count_rows(spark, f"{reduced}/{table}.parquet")}
            print(f"corpuskit-spark: {table}: {tables[table]['rows']} rows ({time.time() - t_tasks:.1f} s)",
                  file=sys.stderr)
        blobs.unpersist()
        t_reduce = time.time()

        first = manifests[0][1]
        manifest = dict(first)
        manifest.update({
            "kind": "corpuskit-partial",
            "partial_format": first.get("partial_format", 1),
            "options": options,
            "inputs": [x for _, m in manifests for x in m.get("inputs", [])],
            "tables": tables,
            "command": " ".join([os.path.basename(sys.argv[0]), *sys.argv[1:]]),
            "spark": {"tasks": len(items), "master": sc.master, "spark_version": spark.version,
                      "rows_below_min_count_dropped": prefilter,
                      "parts": [names[t] for t, _ in manifests]},
        })
        write_text(spark, f"{reduced}/manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
        print(f"corpuskit-spark: {len(items)} tasks in {t_tasks - t0:.1f} s, reduced in {t_reduce - t_tasks:.1f} s"
              f" → {reduced}", file=sys.stderr)
        merge_from = reduced
        if is_uri(reduced) and not args.partial_only:
            # `corpuskit merge` reads local files: copy the reduced partial down beside --output.
            merge_from = local_copy = os.path.join(
                os.path.dirname(os.path.abspath(args.output)),
                f".{os.path.basename(os.path.abspath(args.output))}.spark-reduced-{os.getpid()}")
            shutil.rmtree(local_copy, ignore_errors=True)
            fs, path = hadoop_fs(spark, reduced)
            fs.copyToLocalFile(False, path, spark._jvm.org.apache.hadoop.fs.Path(local_copy), True)
    finally:
        spark.stop()

    if args.partial_only:
        return 0
    try:
        cmd = [binary, "merge", merge_from, "-o", args.output, *merge_args]
        p = subprocess.run(cmd)
        if p.returncode != 0:
            raise JobError(f"corpuskit merge exited {p.returncode} (reduced partial kept in {merge_from})")
        print(f"corpuskit-spark: done in {time.time() - t0:.1f} s → {args.output}", file=sys.stderr)
    finally:
        done = os.path.exists(os.path.join(args.output, "manifest.json"))
        if merge_from != reduced and done:
            shutil.rmtree(merge_from, ignore_errors=True)   # the local copy of a URI
        elif not args.keep_reduced and not args.reduced and done:
            shutil.rmtree(reduced, ignore_errors=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except JobError as e:
        print(f"corpuskit-spark: error: {e}", file=sys.stderr)
        sys.exit(1)
