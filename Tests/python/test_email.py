"""Issue 17, item 1: the `email` input format end to end — Usenet posts in a folder of numbered files, an
mbox, auto-detection, `--field` on headers, quotes and signatures left out, jobs 1 vs 2 identical — and the
reader over CPython's own e-mail test messages (Debian's libpython3.11-testsuite, PSF license; installed by
scripts/test), checked against Python's `email` package parsing the same files (an independent oracle)."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import json
from pathlib import Path

import pytest

import oracle
from conftest import parse_tsv

CPYTHON_MAILS = Path("/usr/lib/python3.11/test/test_email/data")


POSTS = {
    "15190": """Path: news.example.org!news
From: alice@crypto.example.org (Alice)
Newsgroups: sci.crypt,alt.privacy
Subject: Clipper chip escrow
Date: Mon, 5 Apr 1993 18:01:16 GMT
Message-ID: <1993Apr5.1@crypto.example.org>
Organization: Example University

The clipper chip escrow scheme worries me.
Key escrow means encryption with a back door.

--
Alice  alice@crypto.example.org  PGP key on request
""",
    "15191": """Path: news.example.org!news
From: bob@chip.example.com (Bob)
Newsgroups: sci.crypt
Subject: Re: Clipper chip escrow
Date: Tue, 20 Apr 1993 12:34:56 -0400
Message-ID: <1993Apr20.2@chip.example.com>

In article <1993Apr5.1@crypto.example.org> alice@crypto.example.org (Alice) writes:
>The clipper chip escrow scheme worries me.
>>Key escrow means encryption with a back door.

Escrow agents are trustworthy, says the government.

-- 
Bob  bob@chip.example.com  signature signature signature
""",
    "15192": """From: carol@example.net
Newsgroups: alt.privacy
Subject: =?ISO-8859-1?Q?Caf=E9?= privacy
Message-ID: <3@example.net>

carol wrote:
> only quotes here
""",
}


def write_posts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in POSTS.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def docs_jsonl(ck, *args) -> list[dict]:
    out = ck.run("docs", *args, "--format", "jsonl")
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def terms_of(ck, *args) -> dict[str, int]:
    _, rows = parse_tsv(ck.run("terms", *args, "--format", "tsv", "--top", "0"))
    return {r[0]: int(r[1]) for r in rows}


def test_folder_of_numbered_posts_reads_with_dates_titles_and_newsgroups(ck, tmp_path):
    d = write_posts(tmp_path / "sci.crypt")
    (d / "Makefile").write_text("all:\n\tcc x.c\n")
    p = ck.run_raw("docs", d, "--field", "newsgroups", "--field", "Organization", "--format", "jsonl")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [r["source"] for r in rows] == [f"{d}/15190:1", f"{d}/15191:1", f"{d}/15192:1"]
    assert [r["id"] for r in rows] == ["<1993Apr5.1@crypto.example.org>", "<1993Apr20.2@chip.example.com>", "<3@example.net>"]
    assert [r["title"] for r in rows] == ["Clipper chip escrow", "Re: Clipper chip escrow", "Café privacy"]
    assert [r["date"] for r in rows] == ["1993-04-05T18:01:16Z", "1993-04-20T16:34:56Z", ""]
    # several values of one field are shown joined by "; "
    assert [r["newsgroups"] for r in rows] == ["sci.crypt; alt.privacy", "sci.crypt", "alt.privacy"]
    assert [r["Organization"] for r in rows] == ["Example University", "", ""]
    # the Makefile is still skipped (and said), the posts are not
    err = p.stderr.decode()
    assert "1 file without a document extension skipped (Makefile)" in err
    info = ck.run("info", d)
    assert "documents        3" in info


def test_quotes_and_signatures_are_left_out_by_default(ck, tmp_path):
    d = write_posts(tmp_path / "posts")
    counts = terms_of(ck, d)
    # the reply's quote would count "worries" a second time; the signatures would add "pgp" and "signature"
    assert counts["worries"] == 1 and counts["escrow"] == 5  # 2 titles + 2 (post 1) + 1 (post 2)
    assert "pgp" not in counts and "signature" not in counts and "writes" not in counts
    assert "only" not in counts and "carol" not in counts  # post 3 is only quotes: empty body
    kept = terms_of(ck, d, "--keep-quotes", "--keep-signatures")
    assert kept["worries"] == 2 and kept["pgp"] == 1 and kept["signature"] == 3 and kept["writes"] == 1
    assert kept["only"] == 1 and kept["wrote"] == 1
    just_quotes = terms_of(ck, d, "--keep-quotes")
    assert just_quotes["worries"] == 2 and "pgp" not in just_quotes


def test_mbox_and_auto_detection(ck, tmp_path):
    mbox = "".join(
        f"From {name}@example.org Tue Apr 20 12:00:00 1993\n" + text.replace("\nFrom ", "\n>From ") + "\n"
        for name, text in POSTS.items())
    mbox += "From dave@example.org Wed Apr 21 09:00:00 1993\nFrom: dave@example.org\nSubject: escaped\n\n" \
            ">From the archive, a line that started with From.\n"
    (tmp_path / "list.mbox").write_text(mbox)
    (tmp_path / "noext").write_text(mbox)  # detected by content (mbox From_ line + header)
    (tmp_path / "post.txt").write_text(POSTS["15190"])  # .txt with a header block: email too
    for path in ["list.mbox", "noext"]:
        rows = docs_jsonl(ck, tmp_path / path, "--field", "from")
        assert [r["title"] for r in rows] == ["Clipper chip escrow", "Re: Clipper chip escrow", "Café privacy", "escaped"]
        # line numbers of each message's first (From_) line
        starts = [i + 1 for i, line in enumerate(mbox.split("\n")) if line.startswith("From ") and "@example.org Tue" in line or line.startswith("From dave")]
        assert [r["source"] for r in rows] == [f"{tmp_path / path}:{n}" for n in starts]
        assert rows[3]["from"] == "dave@example.org"
    counts = terms_of(ck, tmp_path / "list.mbox")
    assert counts["archive"] == 1 and counts["from"] == 2  # ">From " unescaped, then read as text
    txt = docs_jsonl(ck, tmp_path / "post.txt")
    assert txt[0]["title"] == "Clipper chip escrow" and txt[0]["date"] == "1993-04-05T18:01:16Z"
    forced = docs_jsonl(ck, tmp_path / "post.txt", "--input-format", "email")
    assert forced == txt


def test_jobs_1_and_2_give_identical_output(ck, tmp_path):
    d = tmp_path / "many"
    d.mkdir()
    for k in range(200):
        name, text = list(POSTS.items())[k % 3]
        (d / f"{k:05d}").write_text(text.replace("Message-ID: <", f"Message-ID: <{k}."))
    big = "".join(f"From x Tue Apr 20 12:00:00 1993\n{POSTS['15191']}\n" for _ in range(3000))
    (d / "all.mbox").write_text(big)
    outs = []
    for jobs in ["1", "2"]:
        outs.append((ck.run("terms", d, "--jobs", jobs, "--format", "tsv", "--top", "0"),
                     ck.run("docs", d, "--jobs", jobs, "--format", "tsv", "--field", "newsgroups")))
    assert outs[0] == outs[1]
    assert len(outs[0][1].splitlines()) == 1 + 200 + 3000


def test_bad_mime_warns_with_file_and_line_and_keeps_what_decodes(ck, tmp_path):
    f = tmp_path / "broken.eml"
    f.write_text("From: a@b\nSubject: broken\nContent-Type: multipart/mixed; boundary=B\n\n"
                 "--B\nContent-Type: text/plain\nContent-Transfer-Encoding: base64\n\nSGVsbG8g!!d29ybGQ=\n")
    p = ck.run_raw("terms", f, "--format", "tsv")
    assert p.returncode == 0
    err = p.stderr.decode()
    assert f"{f}:1: multipart body without its closing boundary --B--" in err
    assert f"{f}:6: 2 bytes outside the base64 alphabet skipped" in err
    _, rows = parse_tsv(p.stdout.decode())
    assert {r[0] for r in rows} == {"broken", "hello", "world"}


# ---- CPython's e-mail test messages ------------------------------------------------------------------

def cpython_messages() -> list[Path]:
    if not CPYTHON_MAILS.is_dir():
        pytest.skip(f"{CPYTHON_MAILS} is absent: install Debian's libpython3.11-testsuite (scripts/test does)")
    files = sorted(CPYTHON_MAILS.glob("msg_*.txt"))
    assert len(files) >= 40
    return files


def python_view(path: Path):
    """Python's own reading of a message: subject, date (UTC), and the text of its only text/plain part
    (None when it has not exactly one, or Python cannot decode it)."""
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    subject = msg["subject"]
    date = None
    if msg["date"] is not None:
        parsed = email.utils.parsedate_tz(str(msg["date"]))
        if parsed:
            date = dt.datetime.fromtimestamp(email.utils.mktime_tz(parsed), dt.timezone.utc)
    texts = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() != "text/plain":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        texts.append(part)
    body = None
    if len(texts) == 1 and msg.get_content_type() in ("text/plain", "multipart/mixed", "multipart/alternative"):
        try:
            body = texts[0].get_content()
        except (LookupError, UnicodeError, KeyError):
            body = None
    return subject, date, body


def test_cpython_messages_all_read_and_agree_with_pythons_email_package(ck, tmp_path):
    files = cpython_messages()
    p = ck.run_raw("docs", *files, "--input-format", "email", "--format", "jsonl", "--keep-quotes", "--keep-signatures")
    assert p.returncode == 0, p.stderr.decode()[-2000:]
    rows = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert [r["source"] for r in rows] == [f"{f}:1" for f in files]  # every message gives one document
    detected = docs_jsonl(ck, *files)
    assert len(detected) == len(files)
    tok = oracle.default_tokenizer()
    checked = {"title": 0, "date": 0, "body": 0}
    for f, row in zip(files, rows):
        subject, date, body = python_view(f)
        if subject is not None and str(subject).strip():
            assert row["title"] == " ".join(str(subject).split()) or row["title"] == str(subject).strip(), f.name
            checked["title"] += 1
        if date is not None:
            assert row["date"] == date.strftime("%Y-%m-%dT%H:%M:%SZ"), f.name
            checked["date"] += 1
        if body is not None:
            raw = oracle.RawDoc(id=f.name, date=None, title=row["title"] or None, body=body.strip())
            expected = sum(len(s) for s in tok.sentences(raw.analyzed_text()))
            assert row["tokens"] == expected, f.name
            checked["body"] += 1
    print(f"\nCPython e-mail messages: {len(files)} read; checked against Python's email package: {checked}")
    assert checked["title"] >= 30 and checked["date"] >= 25 and checked["body"] >= 15
