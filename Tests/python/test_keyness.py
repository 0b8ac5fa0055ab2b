"""`corpuskit keyness` against the oracle (issue 6)."""

from __future__ import annotations

import math

import pytest

import oracle
from conftest import close, mismatch_report, parse_tsv

HEADER = ["term", "target_count", "reference_count", "target_per_million", "reference_per_million", "g2",
          "log_ratio"]
FLOATS = HEADER[3:]


def check_keyness(out: str, want: dict, what: str) -> list[list[str]]:
    header, rows = parse_tsv(out)
    assert header == HEADER, f"header {header}"
    got = sorted(r[:3] for r in rows)
    exp = sorted([w["term"], str(w["target_count"]), str(w["reference_count"])] for w in want.values())
    if got != exp:
        pytest.fail(f"{what}\n" + mismatch_report(got, exp), pytrace=False)
    bad = []
    for r in rows:
        w = want[r[0]]
        for i, c in enumerate(FLOATS, 3):
            if not close(float(r[i]), w[c]):
                bad.append(f"{r[0]} {c}: {r[i]} vs {w[c]!r}")
    assert not bad, f"{what}: {len(bad)} differences, e.g. {bad[:10]}"
    keys = [(-float(r[5]), r[0].encode()) for r in rows]
    unsorted = [(rows[i][0], rows[i + 1][0]) for i in range(len(rows) - 1) if keys[i] > keys[i + 1]]
    assert not unsorted, f"{what}: not sorted by g2 desc, then term: {unsorted[:5]}"
    return rows


def test_oracle_g2_sign_and_zero_counts():
    g2, lr = oracle.signed_g2_and_log_ratio(10, 0, 1000, 1000)
    assert g2 > 0 and close(lr, math.log2(10 / 0.5))
    g2b, lrb = oracle.signed_g2_and_log_ratio(0, 10, 1000, 1000)
    assert close(g2b, -g2) and close(lrb, -lr)


@pytest.fixture(scope="module")
def oct_vs_march(reuters_all):
    return (oracle.date_range_filter(reuters_all, "1987-10..1987-10"),
            oracle.date_range_filter(reuters_all, "1987-03..1987-03"))


def test_reuters_october_vs_march(ck, reuters_dir, oct_vs_march):
    ck.require("keyness")
    t, r = oct_vs_march
    assert len(t) == 1592 and len(r) == 11544
    out = ck.run("keyness", reuters_dir, "--target-dates", "1987-10..1987-10", "--reference-dates",
                 "1987-03..1987-03", "--format", "tsv", "--top", "0")
    check_keyness(out, oracle.keyness(t, r), "keyness October vs March 1987")


def test_symmetry_swap_flips_g2(ck, reuters_dir):
    ck.require("keyness")
    a = ck.run("keyness", reuters_dir, "--target-dates", "1987-10-01..1987-10-20", "--reference-dates",
               "1987-04..1987-06", "--format", "tsv", "--top", "0")
    b = ck.run("keyness", reuters_dir, "--target-dates", "1987-04..1987-06", "--reference-dates",
               "1987-10-01..1987-10-20", "--format", "tsv", "--top", "0")
    _, ra = parse_tsv(a)
    _, rb = parse_tsv(b)
    mb = {r[0]: r for r in rb}
    assert set(mb) == {r[0] for r in ra}
    bad = []
    for r in ra:
        s = mb[r[0]]
        if (r[1], r[2], r[3], r[4]) != (s[2], s[1], s[4], s[3]):
            bad.append(f"{r[0]}: counts not swapped: {r} / {s}")
        elif float(r[5]) != -float(s[5]) and not close(float(r[5]), -float(s[5])):
            bad.append(f"{r[0]}: g2 {r[5]} vs swapped {s[5]}")
        elif not close(float(r[6]), -float(s[6])):
            bad.append(f"{r[0]}: log_ratio {r[6]} vs swapped {s[6]}")
    assert not bad, f"{len(bad)} asymmetries, e.g. {bad[:10]}"


def test_target_reference_inputs(ck, corpora, inaugural, state_union):
    ck.require("keyness")
    out = ck.run("keyness", "--target", corpora / "inaugural", "--reference", corpora / "state_union",
                 "--input-format", "text", "--format", "tsv", "--top", "0")
    check_keyness(out, oracle.keyness(inaugural, state_union), "keyness inaugural vs state_union")


def test_date_range_by_year(ck, corpora, state_union):
    ck.require("keyness")
    t = oracle.date_range_filter(state_union, "1990..1999")
    r = oracle.date_range_filter(state_union, "1945-01-01..1959-12-31")
    assert t and r
    out = ck.run("keyness", corpora / "state_union", "--input-format", "text", "--target-dates", "1990..1999",
                 "--reference-dates", "1945-01-01..1959-12-31", "--format", "tsv", "--top", "0")
    check_keyness(out, oracle.keyness(t, r), "state_union 1990s vs 1945-1959")
