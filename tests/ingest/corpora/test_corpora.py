from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from retold.errors import EmptyInputError, FormatError, InputError
from retold.ingest import iter_articles
from retold.ingest.corpora import (
    iter_meter,
    load_clough,
    load_msrp,
    read_bbc,
    read_reuters,
)
from retold.ingest.corpora.meter import MeterCorpus
from retold.model import Article


@pytest.fixture(scope="module")
def meter(meter_corpus: MeterCorpus) -> MeterCorpus:
    return meter_corpus


def test_meter_labels_resolve(meter: MeterCorpus) -> None:
    assert meter.unresolved == ()
    assert meter.errors == ()
    labels = Counter(item.label for item in meter.newspapers)
    assert labels == {"wholly": 262, "partially": 342, "non": 166}


def test_meter_items_are_consistent(meter: MeterCorpus, shared: Path) -> None:
    papers = {"express", "guardian", "independent", "mail", "mirror", "star", "sun",
              "telegraph", "times", "ft", "morningstar"}  # fmt: skip
    for item in meter.newspapers:
        assert item.paper in papers
        assert item.article.outlet == item.paper
        assert item.article.date == item.date
        origin = item.article.origin
        assert origin is not None
        assert Path(origin.path).parent.name == item.catchline
        assert Path(origin.path).name.endswith(f"_{item.paper}.txt")
    with_sources = [item for item in meter.newspapers if meter.sources(item)]
    assert len(with_sources) >= 0.99 * len(meter.newspapers)


def test_meter_pa_headers(meter: MeterCorpus) -> None:
    pa = [art for arts in meter.pa.values() for art in arts]
    assert len(pa) > 600
    assert all(a.outlet == "PA" for a in pa)
    titled = [a for a in pa if a.title is not None]
    assert len(titled) >= 0.98 * len(pa)
    for art in titled:
        assert art.body is not None
        # The headline sits before the body, never inside it, and the body starts on text.
        assert art.text.find(art.title or "", 0, art.body.start) >= 0
        assert not art.body.slice(art.text)[0].isspace()
        assert not art.title.endswith("<")  # type: ignore[union-attr]


def test_iter_meter_counts(meter: MeterCorpus, shared: Path) -> None:
    items = list(iter_meter(shared / "data" / "meter"))
    pa = sum(len(v) for v in meter.pa.values())
    assert len(items) == pa + len(meter.newspapers)
    assert all(isinstance(x, Article) for x in items)


def test_meter_missing_root(tmp_path: Path) -> None:
    (err,) = list(iter_meter(tmp_path))
    assert isinstance(err, InputError)


def test_clough_tasks_abc(shared: Path) -> None:
    root = shared / "data" / "clough-stevenson"
    with (root / "file_information.csv").open(newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["Task"] in "abc" and r["Category"] != "orig"]
    items = load_clough(root)
    assert len(items) == len(rows) == 57
    assert Counter(i.task for i in items) == Counter(r["Task"] for r in rows)
    assert Counter(i.category for i in items) == Counter(r["Category"] for r in rows)
    for item in items:
        assert item.source.origin is not None
        assert Path(item.source.origin.path).name == f"orig_task{item.task}.txt"
        assert item.answer.text.strip()
    only_a = load_clough(root, tasks="a")
    assert {i.task for i in only_a} == {"a"}
    assert len(only_a) == 19


def test_msrp_pairs(shared: Path) -> None:
    pairs = load_msrp(shared / "data" / "msrp" / "msr_paraphrase_train.txt")
    assert len(pairs) == 4076
    assert 0.6 < sum(p.label for p in pairs) / len(pairs) < 0.75
    assert all(p.s1 and p.s2 and p.id1.isdigit() and p.id2.isdigit() for p in pairs)
    assert not pairs[0].id1.startswith("\ufeff")
    assert any('"' in p.s1 for p in pairs)  # quotes inside fields survive


def test_msrp_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    path.write_text("Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n1\t1\t2\ta\tb\n2\tx\n")
    with pytest.raises(FormatError) as info:
        load_msrp(path)
    assert info.value.record == 3


def test_reuters_all_files(shared: Path) -> None:
    files = sorted((shared / "data" / "reuters21578").glob("reut2-*.sgm"))
    items = list(iter_articles(files))
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, InputError)]
    assert len(items) == 21578
    # Headline-only BRIEF records are the only sizeable class of errors: records with no text
    # to read, not faults of the file.
    assert len(errs) < 0.1 * len(items)
    assert all(isinstance(e, EmptyInputError) for e in errs)
    assert len({a.origin for a in arts}) == len(arts)
    assert all(a.outlet == "Reuters" and a.date and a.date.startswith("1987-") for a in arts)
    assert sum(a.title is not None for a in arts) > 0.95 * len(arts)
    for art in arts:
        assert art.body is not None
        assert art.body.end == len(art.text)
        assert "&lt;" not in art.text
        assert "\x03" not in art.text
    # The README: 279 groups of byte-identical bodies exist; our texts keep them identical.
    groups = Counter(a.id for a in arts)
    assert sum(1 for n in groups.values() if n > 1) >= 200


def test_reuters_record_without_body(tmp_path: Path) -> None:
    path = tmp_path / "x.sgm"
    path.write_bytes(
        b'<REUTERS NEWID="5">\n<DATE>26-FEB-1987 15:01:01.79</DATE>\n<TEXT TYPE="BRIEF">'
        b"<TITLE>ONLY A HEADLINE</TITLE>\n&#3;</TEXT>\n</REUTERS>\n"
        b'<REUTERS NEWID="6"><DATE>27-FEB-1987 01:02:03.00</DATE><TEXT><TITLE>T &amp; Co</TITLE>'
        b"<BODY>Caf\xe9 &lt;ABC&gt; rose.\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n"
    )
    err, art = list(read_reuters(path))
    assert isinstance(err, EmptyInputError) and "headline only" in err.reason
    assert err.record == 5
    assert isinstance(art, Article)
    assert art.text == "Café <ABC> rose.\n Reuter"
    assert (art.title, art.date) == ("T & Co", "1987-02-27T01:02:03")
    assert art.origin is not None
    assert art.origin.record == 6


def test_bbc_corpus(shared: Path) -> None:
    root = shared / "data" / "bbc-news"
    items = list(iter_articles([root], format="bbc"))
    arts = [x for x in items if isinstance(x, Article)]
    assert len(arts) == len(items) == 2225
    for art in arts:
        assert art.title
        assert art.outlet == "BBC"
        assert art.body is not None
        first_line = art.text.split("\n", 1)[0].strip()
        assert art.title == first_line
        assert art.body.start > len(first_line)
        assert not art.body.slice(art.text)[0].isspace()
    assert len(list(read_bbc(root))) == 2225


def test_bbc_wrong_folder(tmp_path: Path) -> None:
    (err,) = list(read_bbc(tmp_path))
    assert isinstance(err, InputError)
