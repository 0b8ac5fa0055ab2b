"""Issue 16: terminal tables through a pseudo-terminal — one row rule for every command (25 rows and a closing
line saying how many there are), widths fitted to the terminal, numbers grouped alike."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios

import pytest

from conftest import BIN


def run_tty(args, columns: int) -> str:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    p = subprocess.Popen([str(BIN), *map(str, args), "--no-progress"], stdout=slave, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = bytearray()
    while True:
        r, _, _ = select.select([master], [], [], 300)
        if not r:
            p.kill()
            raise TimeoutError(args)
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.wait() == 0
    return out.decode().replace("\r\n", "\n")


def width(s: str) -> int:
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


@pytest.mark.parametrize("columns", [60, 120])
@pytest.mark.parametrize("cmd", [["terms"], ["ngrams", "-n", "2"], ["cooc"], ["collocates", "oil"], ["docs"],
                                 ["trends", "--by", "week"]])
def test_terminal_table(reuters_dir, cmd, columns):
    out = run_tty([*cmd[:1], *cmd[1:], reuters_dir / "reut2-000.sgm"] if cmd[0] != "collocates"
                  else ["collocates", "oil", reuters_dir / "reut2-000.sgm"], columns)
    lines = out.rstrip("\n").split("\n")
    # header, rule, 25 rows, then the closing lines: columns left out (a narrow terminal), rows shown
    table, footer = lines[:27], lines[27:]
    assert 1 <= len(footer) <= 2, out
    last = footer[-1]
    assert last.startswith("showing 25 of ") and last.endswith(" for all"), last
    total = int(last.split(" of ")[1].split(" rows")[0].replace(",", ""))
    assert total > 25
    if len(footer) == 2:
        assert footer[0].startswith("not shown (too narrow a terminal): ")
        assert columns < 100
    for line in table:
        assert width(line) <= columns, (columns, line)


def test_top_zero_prints_every_row(reuters_dir):
    out = run_tty(["terms", reuters_dir / "reut2-000.sgm", "--top", "0"], 120)
    lines = out.rstrip("\n").split("\n")
    assert not lines[-1].startswith("showing") and len(lines) > 1000


def test_numbers_grouped_alike(reuters_dir):
    out = run_tty(["terms", reuters_dir / "reut2-000.sgm", "--top", "40"], 120)
    counts = [l.split()[1] for l in out.split("\n")[2:] if l.strip()]
    assert all("," in c for c in counts if len(c.replace(",", "")) >= 4)
    assert any(len(c.replace(",", "")) == 4 for c in counts)  # 4-digit counts are there, and grouped


def test_progress_through_table_writing_and_clean_warnings(reuters_dir, tmp_path):
    """Progress goes on while analyze writes its tables (per table, rows/s); a warning clears the progress
    line first, so it never lands in the middle of one."""
    p = subprocess.run([str(BIN), "analyze", reuters_dir, "-o", tmp_path / "a", "--progress"], capture_output=True,
                       timeout=900)
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    err = p.stderr.decode()
    assert "writing cooc.parquet:" in err and "rows/s" in err
    for line in err.split("\n"):
        for word in ("warning:", "note:"):
            if word in line:
                before = line[:line.index(word)]
                assert before == "" or before.endswith("\r\x1b[K"), repr(line)
