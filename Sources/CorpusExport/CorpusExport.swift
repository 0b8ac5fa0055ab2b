// CorpusExport — the sinks every table command writes through.
//
// Entry point: `makeTableWriter(format:columns:path:options:)` returns a `TableWriter`; write rows of
// `Cell`s, then `finish()` (or `abandon()`).
//
// Formats (exactly what readers get):
// - tsv:    a header line of column names, then one row a line, cells separated by a tab, lines ending in
//           LF. Inside a cell, tab → `\t`, LF → `\n`, CR → `\r`, backslash → `\\`; a null cell is `\N`
//           (so the empty string — an empty cell — and null differ). Integers in decimal; doubles in
//           shortest round-trip form (`0.5`, `5.0`, `1e-05`, `inf`, `nan`); dates `YYYY-MM-DD`.
// - csv:    RFC 4180 with LF line ends: a cell is quoted when it holds a comma, a double quote, CR or LF,
//           or is the empty string (`""`); quotes inside are doubled. A null is an empty unquoted cell.
//           Numbers and dates as in TSV. (Tell pandas `keep_default_na=False`, or it reads the terms
//           `NA`, `null`, `nan`, `None` as missing.)
// - jsonl:  one JSON object a line, keys in column order; strings with `"`, `\` and control characters
//           escaped (everything else raw UTF-8); doubles shortest round-trip, non-finite doubles and
//           nulls as `null`; dates as `"YYYY-MM-DD"`. An empty table is an empty file.
// - table:  an aligned terminal table (two spaces between columns, numbers right-aligned, thousands
//           separators for integers, doubles with 4 decimals or 4 significant digits, East Asian wide
//           characters counted as two columns, long cells cut with `…`, control characters escaped).
// - parquet: see `ParquetWriter` — UTF-8 strings (dictionary-encoded), INT64, DOUBLE, DATE; none, gzip or
//           zstd page compression; row groups of bounded size; key-value metadata in the footer.
//
// Files are written to `.NAME.tmp-PID-N` in the destination directory and renamed at `finish()`; the
// temporary file is removed by `abandon()`, when the writer is dropped unfinished, at exit, and on
// SIGINT/SIGTERM/SIGHUP (the handler then lets the signal take its previous course). An interrupted run
// never leaves a partial file.
//
// Stdout is written through a 1 MiB buffer; on a closed pipe (`| head`) the process exits quietly with
// status 0 (`BrokenPipePolicy.exitQuietly`, the default) or `write` throws `ExportError.brokenPipe`.
// Creating a stdout sink sets SIGPIPE to ignored so that the closed pipe is seen as EPIPE.
