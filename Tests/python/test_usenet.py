"""Issue 17, "Done when", end to end: a folder of raw Usenet posts — one RFC 822 message a file, named by
number, no extension — with quoted replies, attribution lines, signatures and cross-posts, reads with dates,
titles and newsgroups; `keyness` of one newsgroup against the rest, quotes and signatures left out, with
`--drop-numbers --min-length 2`, puts topic words at the top, where the raw text (--keep-quotes
--keep-signatures) puts the posters' signatures there; `--dedup exact` drops the cross-posted copies.

No public Usenet archive is reachable from the build machine, so the posts are built here from real text:
the bodies are Reuters-21578 articles (../shared/corpora) of three topics, posted to three newsgroups by a
few posters each, half of them replies quoting an earlier post of any group, every post signed."""

from __future__ import annotations

import email.utils
import html
import random
import re

import pytest

from conftest import parse_tsv

GROUPS = {"crude": "misc.energy.oil", "grain": "misc.agriculture", "money-fx": "misc.finance.fx"}
POSTERS = {
    "misc.energy.oil": [("jake", "bony1.bony.com", "Jake Bony  |  Bony Petroleum Consulting  |  +1 713 555 0142")],
    "misc.agriculture": [("fred", "farmnet.ksu.edu", "Fred Miller, Kansas State Extension, (913) 555-0199")],
    "misc.finance.fx": [("ellen", "fxdesk.citi.com", "Ellen Park -- FX desk -- opinions mine, not Citi's -- x4471")],
}


def reuters_articles(corpora, per_topic=40):
    """(topic, title, date, body) of the first `per_topic` articles of each topic with exactly that one topic."""
    out = {t: [] for t in GROUPS}
    for sgm in sorted((corpora / "reuters21578").glob("reut2-00[0-3].sgm")):
        text = sgm.read_bytes().decode("windows-1252", errors="replace")
        for m in re.finditer(r"<REUTERS.*?</REUTERS>", text, re.S):
            el = m.group(0)
            topics = re.findall(r"<D>(.*?)</D>", (re.search(r"<TOPICS>(.*?)</TOPICS>", el, re.S) or [None, ""])[1] or "")
            body = re.search(r"<BODY>(.*?)</BODY>", el, re.S)
            if len(topics) != 1 or topics[0] not in out or not body or len(out[topics[0]]) >= per_topic:
                continue
            title = re.search(r"<TITLE>(.*?)</TITLE>", el, re.S)
            date = re.search(r"<DATE>\s*(\d+)-(\w+)-(\d{4}) (\d\d):(\d\d):(\d\d)", el)
            out[topics[0]].append((topics[0], html.unescape(title.group(1)).strip() if title else "",
                                   date.groups(), html.unescape(body.group(1)).replace("\x03", "").strip()))
    return out


def rfc5322_date(d):
    day, mon, year, hh, mm, ss = d
    months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
    import datetime as dt
    t = dt.datetime(int(year), months.index(mon.upper()) + 1, int(day), int(hh), int(mm), int(ss), tzinfo=dt.timezone.utc)
    return email.utils.format_datetime(t)


@pytest.fixture(scope="module")
def usenet(tmp_path_factory, corpora):
    if not (corpora / "reuters21578").is_dir():
        pytest.skip("Reuters-21578 is not in ../shared/corpora (the posts' bodies come from it)")
    rng = random.Random(1993)
    folder = tmp_path_factory.mktemp("usenet") / "posts"
    folder.mkdir()
    posts = []  # (number, message id, group, poster, body)
    number = 20000
    articles = reuters_articles(corpora)
    order = [(t, a) for t in GROUPS for a in articles[t]]
    rng.shuffle(order)
    for topic, (_, title, date, body) in order:
        group = GROUPS[topic]
        user, host, sig = POSTERS[group][0]
        number += 1
        mid = f"<{number}@{host}>"
        lines = [f"Path: news.example.org!{host}!{user}", f"From: {user}@{host}", f"Newsgroups: {group}",
                 f"Subject: {title}", f"Date: {rfc5322_date(date)}", f"Message-ID: {mid}",
                 "Organization: Usenet sample", "Lines: 40", ""]
        text = body
        if posts and rng.random() < 0.5:
            q = rng.choice(posts)
            quoted = "\n".join("> " + l for l in q[4].splitlines()[:12])
            text = f"In article {q[1]}, {q[3]} writes:\n{quoted}\n\n{body}"
        lines.append(text)
        lines.append("")
        lines.append("-- ")
        lines.append(sig)
        lines.append(f"{user}@{host}   uucp: ...!uunet!{host.split('.')[0]}!{user}   1993 0d 25")
        (folder / str(number)).write_text("\n".join(lines) + "\n", encoding="utf-8")
        posts.append((number, mid, group, f"{user}@{host}", body))
    # Cross-posts: nine posts reposted verbatim under a new number (the same message, another file).
    copies = []
    for p in rng.sample(posts, 9):
        number += 1
        src = (folder / str(p[0])).read_text(encoding="utf-8")
        (folder / str(number)).write_text(src, encoding="utf-8")
        copies.append(str(number))
    return {"folder": folder, "posts": posts, "copies": 9, "copy_files": copies}


def test_posts_read_with_dates_titles_and_newsgroups(ck, usenet):
    header, rows = ck.tsv("docs", str(usenet["folder"]), "--field", "newsgroups")
    assert header == ["id", "source", "date", "title", "tokens", "newsgroups"]
    assert len(rows) == len(usenet["posts"]) + usenet["copies"]
    assert all(r[2].startswith("1987-") for r in rows)
    assert all(r[3] for r in rows)
    assert {r[5] for r in rows} == set(GROUPS.values())
    assert rows[0][0].startswith("<2000") and rows[0][0].endswith(">")


def keyness(ck, folder, *extra):
    out = ck.run("keyness", str(folder), "--group-by", "newsgroups", "--target-group", "misc.energy.oil",
                 "--stopwords", "en", "--top", "10", "--format", "tsv", *extra)
    return [r[0] for r in parse_tsv(out)[1]]


def test_keyness_of_a_newsgroup_gives_topic_words(ck, usenet):
    clean = keyness(ck, usenet["folder"], "--drop-numbers", "--min-length", "2")
    print("\nkeyness misc.energy.oil vs the rest, quotes and signatures left out:", clean)
    raw = keyness(ck, usenet["folder"], "--keep-quotes", "--keep-signatures")
    print("the same with --keep-quotes --keep-signatures:", raw)
    signature = {"jake", "bony1.bony.com", "bony1", "bony", "petroleum", "consulting", "713", "555", "0142", "uucp", "uunet"}
    assert {"oil", "crude"} <= set(clean[:5]), clean
    assert not signature & set(clean), clean
    assert not any(t.isdigit() or len(t) < 2 for t in clean), clean
    # The raw text ranks the poster's signature among the key words of the group.
    assert len(signature & set(raw)) >= 3, raw


def test_dedup_finds_the_cross_posts(ck, usenet):
    header, rows = ck.tsv("dups", str(usenet["folder"]), "--exact")
    assert header == ["cluster", "doc", "source", "similarity"]
    # Every cross-posted copy is a dropped member of a cluster (Reuters' own repeated wire items add a few).
    first = {}
    dropped = []
    for cluster, doc, source, sim in rows:
        if cluster in first:
            dropped.append(source.rsplit("/", 1)[1].split(":")[0])
        else:
            first[cluster] = source
    assert set(usenet["copy_files"]) <= set(dropped), (usenet["copy_files"], dropped)
    r = ck.run_raw("info", str(usenet["folder"]), "--dedup", "exact")
    assert r.returncode == 0, r.stderr.decode()
    assert f"{len(dropped)} documents dropped as duplicates (--dedup exact)" in r.stderr.decode()
