"""Shared fixtures for the end-to-end tests of the `corpuskit` release binary against the Python oracle.

Environment:
  CORPUSKIT_BIN      the binary (default <repo>/.build/release/corpuskit)
  CORPUSKIT_CORPORA  the third-party corpora (default <repo>/../shared/corpora)
  ORACLE_CACHE       where the oracle caches tokenized corpora (default /tmp/corpuskit-oracle-cache)

A test skips, saying why, when the binary or the corpora are absent or when the command it tests does not
exist yet (`corpuskit help <cmd>` fails). Once a command exists, any difference from the oracle fails.
"""

from __future__ import annotations

import csv
import io
import math
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import oracle  # noqa: E402

BIN = Path(os.environ.get("CORPUSKIT_BIN") or REPO / ".build" / "release" / "corpuskit")
CORPORA = Path(os.environ.get("CORPUSKIT_CORPORA") or REPO.parent / "shared" / "corpora")

REL_TOL = 1e-9  # floating-point columns: |a - b| <= REL_TOL * max(|a|, |b|) + ABS_TOL
ABS_TOL = 1e-9  # (absolute part for values that are 0 up to rounding, e.g. a g2 of a perfectly expected pair)

# udhr2 files for the multilingual checks: the scripts the issues name, plus a few more.
UDHR_SAMPLE = ["tha", "jpn", "cmn_hans", "cmn_hant", "kor", "arb", "heb", "hin", "rus", "ell_monotonic",
               "eng", "deu", "vie", "lao", "khm", "mya", "amh", "kat", "tam", "ben"]


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a test that takes long (whole corpora)")


# ---- running the binary -----------------------------------------------------------------------------


class CorpusKit:
    def __init__(self, binary: Path):
        self.bin = binary

    def run(self, *args, check: bool = True, input: bytes | None = None, timeout: float = 300) -> str:
        """Run `corpuskit ARGS`; returns stdout (UTF-8). With check, a non-zero exit fails the test
        showing stderr."""
        p = subprocess.run([str(self.bin), *map(str, args)], input=input, capture_output=True,
                           timeout=timeout)
        if check and p.returncode != 0:
            pytest.fail(f"corpuskit {' '.join(map(str, args))} exited {p.returncode}:\n"
                        f"{p.stderr.decode('utf-8', 'replace')[-3000:]}", pytrace=False)
        return p.stdout.decode("utf-8")

    def run_raw(self, *args, input: bytes | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.bin), *map(str, args)], input=input, capture_output=True,
                              timeout=timeout)

    def tsv(self, *args) -> tuple[list[str], list[list[str]]]:
        return parse_tsv(self.run(*args))

    @lru_cache(maxsize=None)
    def has_command(self, cmd: str) -> bool:
        """`corpuskit help CMD` succeeds and prints CMD's own usage (swift-argument-parser prints the root
        help, exit 0, for an unknown subcommand)."""
        try:
            p = subprocess.run([str(self.bin), "help", cmd], capture_output=True, timeout=60)
        except OSError:
            return False
        out = (p.stdout + p.stderr).decode("utf-8", "replace")
        return p.returncode == 0 and f"corpuskit {cmd}" in out

    @lru_cache(maxsize=None)
    def help_text(self, cmd: str) -> str:
        p = subprocess.run([str(self.bin), cmd, "--help"], capture_output=True, timeout=60)
        return (p.stdout + p.stderr).decode("utf-8", "replace")

    def require(self, cmd: str) -> None:
        if not self.has_command(cmd):
            pytest.fail(f"`corpuskit {cmd}` is missing (`{self.bin} help {cmd}` failed)")


@pytest.fixture(scope="session")
def ck() -> CorpusKit:
    if not BIN.exists():
        pytest.skip(f"corpuskit binary not found at {BIN} (build it with `swift build -c release`, "
                    f"or set CORPUSKIT_BIN)")
    return CorpusKit(BIN)


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not (CORPORA / "README.md").exists():
        pytest.skip(f"the shared corpora are not at {CORPORA} (set CORPUSKIT_CORPORA); "
                    f"tests on whole corpora are skipped")
    return CORPORA


# ---- parsing ----------------------------------------------------------------------------------------


def parse_tsv(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of CorpusKit's TSV (a header line, then one row a line, tab-separated)."""
    lines = text.split("\n")
    assert lines and lines[0], "no TSV header line"
    if lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    rows = [ln.split("\t") for ln in lines[1:]]
    bad = [r for r in rows if len(r) != len(header)]
    assert not bad, f"{len(bad)} rows without {len(header)} fields, e.g. {bad[:3]}"
    return header, rows


def parse_csv(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def close(a: float, b: float, rel: float = REL_TOL, abs_: float = ABS_TOL) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= rel * max(abs(a), abs(b)) + abs_


def compare_float_columns(header, rows, expected_rows, float_cols, key_cols, *, limit=20):
    """Helper for the tests: `expected_rows` are dicts by column name. Returns a list of mismatch strings."""
    bad = []
    idx = {c: header.index(c) for c in header}
    for r, e in zip(rows, expected_rows):
        for c in float_cols:
            got = float(r[idx[c]])
            if not close(got, e[c]):
                bad.append(f"{[r[idx[k]] for k in key_cols]} {c}: got {r[idx[c]]}, oracle {e[c]!r}")
                if len(bad) >= limit:
                    return bad
    return bad


def check_measures(rows: list[list[str]], first_col: int, O, f1, f2, N, key_cols=(0,), what: str = "",
                   names=None) -> None:
    """Columns first_col.. of `rows` hold the SPEC measures (oracle.MEASURES order, or `names`); compare them,
    vectorized, with the oracle's formulas for the given O, f1, f2, N (lists aligned with rows)."""
    import numpy as np

    names = list(names or oracle.MEASURES)
    if not rows:
        return
    exp = oracle.measures_np(O, f1, f2, N)
    bad = []
    for i, name in enumerate(names):
        got = np.array([float(r[first_col + i]) for r in rows])
        e = exp[name]
        ok = np.abs(got - e) <= REL_TOL * np.maximum(np.abs(got), np.abs(e)) + ABS_TOL
        ok |= (got == e) | (np.isnan(got) & np.isnan(e))
        for j in np.nonzero(~ok)[0][:10]:
            bad.append(f"{[rows[j][k] for k in key_cols]} {name}: got {rows[j][first_col + i]}, oracle "
                       f"{float(e[j])!r} (O={O[j]}, f1={f1[j]}, f2={f2[j]}, N={N if np.isscalar(N) else N[j]})")
        if (~ok).sum():
            bad.append(f"... {int((~ok).sum())} differences in {name}")
    assert not bad, f"{what}: measure differences:\n" + "\n".join(bad[:40])
    check_ranges(rows, first_col, O, f1, f2, names, key_cols, what)


def check_ranges(rows, first_col: int, O, f1, f2, names, key_cols=(0,), what: str = "") -> None:
    """SPEC: no measure ever leaves its range, over every row: O <= f1, O <= f2, dice in (0, 1],
    log_dice <= 14, npmi in [-1, 1]."""
    import numpy as np

    O, f1, f2 = (np.asarray(x, dtype=float) for x in (O, f1, f2))
    bad = [f"{[rows[j][k] for k in key_cols]}: O={O[j]} > f1={f1[j]} or f2={f2[j]}"
           for j in np.nonzero((O > f1) | (O > f2))[0][:10]]
    col = {name: np.array([float(r[first_col + i]) for r in rows]) for i, name in enumerate(names)}
    eps = 1e-12
    limits = {"dice": (eps, 1 + eps), "log_dice": (-np.inf, 14 + 1e-9), "npmi": (-1 - 1e-9, 1 + 1e-9)}
    for name, (lo, hi) in limits.items():
        if name not in col:
            continue
        for j in np.nonzero((col[name] < lo) | (col[name] > hi))[0][:10]:
            bad.append(f"{[rows[j][k] for k in key_cols]}: {name} = {col[name][j]!r} out of range")
    assert not bad, f"{what}: values out of range:\n" + "\n".join(bad)


def mismatch_report(got: list, want: list, what: str = "rows", limit: int = 15) -> str:
    """A readable summary of the differences between two lists of rows."""
    out = [f"{what}: corpuskit {len(got)}, oracle {len(want)}"]
    gs, ws = set(map(tuple, got)), set(map(tuple, want))
    only_g = [r for r in got if tuple(r) not in ws][:limit]
    only_w = [r for r in want if tuple(r) not in gs][:limit]
    if only_g:
        out.append(f"only in corpuskit ({len(gs - ws)}): " + "; ".join("\t".join(map(str, r)) for r in only_g))
    if only_w:
        out.append(f"only in oracle ({len(ws - gs)}): " + "; ".join("\t".join(map(str, r)) for r in only_w))
    if not only_g and not only_w:
        for i, (a, b) in enumerate(zip(got, want)):
            if list(a) != list(b):
                out.append(f"same rows, different order; first difference at row {i}: {a} vs {b}")
                break
    return "\n".join(out)


# ---- oracle corpora (session-scoped; tokenization cached on disk) ------------------------------------


@pytest.fixture(scope="session")
def reuters_dir(corpora) -> Path:
    return corpora / "reuters21578"


@pytest.fixture(scope="session")
def reuters_all(reuters_dir):
    return oracle.load_corpus([reuters_dir], "auto")


@pytest.fixture(scope="session")
def reuters_000(reuters_dir):
    return oracle.load_corpus([reuters_dir / "reut2-000.sgm"], "auto")


@pytest.fixture(scope="session")
def state_union(corpora):
    return oracle.load_corpus([corpora / "state_union"], "text")


@pytest.fixture(scope="session")
def inaugural(corpora):
    return oracle.load_corpus([corpora / "inaugural"], "text")


@pytest.fixture(scope="session")
def udhr_files(corpora) -> list[Path]:
    files = [corpora / "udhr2" / f"{name}.txt" for name in UDHR_SAMPLE]
    missing = [str(f) for f in files if not f.exists()]
    assert not missing, f"udhr2 files missing: {missing}"
    return files


@pytest.fixture(scope="session")
def udhr_sample(udhr_files):
    return oracle.load_corpus(udhr_files, "text")


@pytest.fixture(scope="session")
def tmp_session(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("corpuskit")
