from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.config import ReadOptions
from retold.errors import EmptyInputError, FormatError, InputError, MissingExtra, TooLargeError
from retold.ingest.feed import html_to_text, read_feed
from retold.model import Article

pytest.importorskip("feedparser")

RSS2 = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbour Gazette</title>
  <link>https://gazette.example/</link>
  <description>Local news</description>
  <item>
    <title>Storm closes pier</title>
    <link>https://gazette.example/storm</link>
    <pubDate>Tue, 05 Mar 2024 10:20:00 +0200</pubDate>
    <description>Short summary of the storm.</description>
    <content:encoded><![CDATA[<p>The harbour authority closed the pier on Tuesday.</p>
      <script>track("storm")</script>
      <p>Winds reached 120&nbsp;km/h, officials said.<br/>More rain is expected.</p>]]>
    </content:encoded>
  </item>
  <item>
    <title>Ferry strike &amp; talks</title>
    <link>https://gazette.example/ferry</link>
    <pubDate>Wed, 06 Mar 2024 08:00:00 GMT</pubDate>
    <description>&lt;p&gt;Ferry workers called off a strike &amp;amp;
      resumed talks.&lt;/p&gt;</description>
  </item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Wire Service</title>
  <id>urn:uuid:wire</id>
  <updated>2024-03-07T12:00:00Z</updated>
  <entry>
    <title>Museum reopens</title>
    <id>urn:uuid:1</id>
    <link href="https://wire.example/museum"/>
    <published>2024-03-07T09:15:00+01:00</published>
    <updated>2024-03-07T11:00:00Z</updated>
    <content type="html">&lt;p&gt;The museum reopened on Saturday.&lt;/p&gt;
      &lt;p&gt;Visitors queued.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Bridge vote</title>
    <id>urn:uuid:2</id>
    <link href="https://wire.example/bridge"/>
    <updated>2024-03-06T18:45:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>The council voted for a bridge.</p><ul><li>Cost: 4 million</li></ul></div></content>
  </entry>
  <entry>
    <title>Summary only</title>
    <id>urn:uuid:3</id>
    <updated>2024-03-05T07:00:00Z</updated>
    <summary type="text">Plain text summary with 3 &lt; 4 kept as is.</summary>
  </entry>
</feed>
"""

RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://old.example/">
    <title>Old Times</title>
    <link>https://old.example/</link>
    <description>An RDF feed</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://old.example/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="https://old.example/a">
    <title>Library opens</title>
    <link>https://old.example/a</link>
    <description>The new library opened its doors in the old market hall.</description>
    <dc:date>2024-02-28T16:30:00-05:00</dc:date>
  </item>
</rdf:RDF>
"""


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def articles(items: list[Article | InputError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def test_rss2_items(tmp_path: Path) -> None:
    path = write(tmp_path, "rss2.xml", RSS2)
    items = list(read_feed(path, ReadOptions()))
    assert all(isinstance(item, Article) for item in items)
    storm, ferry = articles(items)
    assert storm.title == "Storm closes pier"
    assert storm.url == "https://gazette.example/storm"
    assert storm.outlet == "Harbour Gazette"
    assert storm.date == "2024-03-05T08:20:00+00:00"
    # content:encoded wins over the description; tags and scripts gone, paragraphs on lines.
    assert storm.text.split("\n") == [
        "The harbour authority closed the pier on Tuesday.",
        "Winds reached 120 km/h, officials said.",  # no-break space made plain
        "More rain is expected.",
    ]
    assert ferry.title == "Ferry strike & talks"
    assert ferry.text == "Ferry workers called off a strike & resumed talks."
    assert ferry.date == "2024-03-06T08:00:00+00:00"
    assert storm.origin is not None
    assert ferry.origin is not None
    assert (storm.origin.record, ferry.origin.record) == (1, 2)
    assert storm.origin.path == str(path)


def test_atom_entries(tmp_path: Path) -> None:
    items = list(read_feed(write(tmp_path, "atom.xml", ATOM), ReadOptions()))
    museum, bridge, summary = articles(items)
    assert len(items) == 3
    assert museum.date == "2024-03-07T08:15:00+00:00"  # published, not updated
    assert museum.text == "The museum reopened on Saturday.\nVisitors queued."
    assert museum.url == "https://wire.example/museum"
    assert museum.outlet == "Wire Service"
    assert bridge.date == "2024-03-06T18:45:00+00:00"  # no published: updated
    assert bridge.text == "The council voted for a bridge.\nCost: 4 million"
    assert summary.text == "Plain text summary with 3 < 4 kept as is."
    assert summary.url is None  # its id (urn:uuid:3) is not where it was published


def test_rss1_rdf_items(tmp_path: Path) -> None:
    [item] = list(read_feed(write(tmp_path, "rss1.rdf", RSS1), ReadOptions()))
    assert isinstance(item, Article)
    assert item.title == "Library opens"
    assert item.date == "2024-02-28T21:30:00+00:00"
    assert item.text == "The new library opened its doors in the old market hall."
    assert item.outlet == "Old Times"


def test_declared_single_byte_encoding(tmp_path: Path) -> None:
    feed = RSS2.replace('encoding="utf-8"', 'encoding="windows-1251"').replace(
        "Storm closes pier", "Шторм закрыл причал"
    )
    items = list(read_feed(write(tmp_path, "ru.xml", feed, "windows-1251"), ReadOptions()))
    assert articles(items)[0].title == "Шторм закрыл причал"


def test_broken_feed_keeps_good_items_and_reports(tmp_path: Path) -> None:
    good = RSS2.split("</channel>")[0]
    broken = good + "<item><title>Third <b>story</title><description><p>unclosed <i>tags &&& <<"
    path = write(tmp_path, "broken.xml", broken)
    items = list(read_feed(path, ReadOptions()))
    arts = articles(items)
    assert [a.title for a in arts[:2]] == ["Storm closes pier", "Ferry strike & talks"]
    assert arts[0].text.startswith("The harbour authority closed the pier")
    last = items[-1]
    assert isinstance(last, FormatError)
    assert last.source == str(path)
    assert "malformed feed" in last.reason
    # The third item is cut off and has no text: it is reported, and not counted as read.
    assert f"{len(arts)} of its items could still be read" in last.reason
    assert sum(isinstance(item, FormatError) and item.record is None for item in items) == 1


def test_item_without_text_is_an_error_with_its_number(tmp_path: Path) -> None:
    feed = RSS2.replace(
        "<item>",
        "<item><title>Empty one</title><link>https://gazette.example/e</link></item><item>",
        1,
    )
    items = list(read_feed(write(tmp_path, "gap.xml", feed), ReadOptions()))
    assert len(items) == 3
    error = items[0]
    assert isinstance(error, FormatError)
    assert error.record == 1
    assert [a.origin.record for a in articles(items) if a.origin] == [2, 3]


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a9c")
    targets = [secret.as_uri()]
    hostname = Path("/etc/hostname")
    host = hostname.read_text().strip() if hostname.is_file() else ""
    if host:
        targets.append(hostname.as_uri())
    for n, target in enumerate(targets):
        feed = (
            '<?xml version="1.0"?>\n'
            f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{target}">]>\n'
            '<rss version="2.0"><channel><title>Feed &xxe;</title>'
            "<item><title>Item &xxe;</title><description>Body text &xxe; here.</description>"
            "</item></channel></rss>"
        )
        items = list(read_feed(write(tmp_path, f"xxe{n}.xml", feed), ReadOptions()))
        seen = " ".join(
            f"{a.text} {a.title} {a.outlet}" if isinstance(a, Article) else str(a) for a in items
        )
        assert "TOPSECRET-7f3a9c" not in seen
        if host:
            assert f" {host} " not in f" {seen} "
        assert any(isinstance(a, Article) and "Body text" in a.text for a in items)


def test_entity_expansion_bomb_is_not_expanded(tmp_path: Path) -> None:
    levels = ['<!ENTITY a0 "lollollollollollollollollollol">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 9)
    ]
    feed = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [{"".join(levels)}]>\n'
        '<rss version="2.0"><channel><title>Bomb</title>'
        "<item><title>x</title><description>Body &a8; end.</description></item>"
        "</channel></rss>"
    )
    start = time.perf_counter()
    items = list(read_feed(write(tmp_path, "bomb.xml", feed), ReadOptions()))
    assert time.perf_counter() - start < 5
    assert all(len(a.text) < 1000 for a in articles(items))


def test_files_that_give_no_items(tmp_path: Path) -> None:
    [missing] = list(read_feed(tmp_path / "nope.xml", ReadOptions()))
    assert type(missing) is InputError
    [empty] = list(read_feed(write(tmp_path, "empty.xml", "\n"), ReadOptions()))
    assert isinstance(empty, EmptyInputError)
    no_items = RSS2.split("<item>")[0] + "</channel></rss>"
    [none] = list(read_feed(write(tmp_path, "none.xml", no_items), ReadOptions()))
    assert isinstance(none, EmptyInputError)
    [not_feed] = list(read_feed(write(tmp_path, "page.xml", "just some words"), ReadOptions()))
    assert isinstance(not_feed, FormatError)


def test_size_bounds(tmp_path: Path) -> None:
    path = write(tmp_path, "rss2.xml", RSS2)
    items = list(read_feed(path, ReadOptions(max_bytes=60)))
    assert len(items) == 1
    assert isinstance(items[0], TooLargeError)  # the file is over 16 x 60 bytes
    items = list(read_feed(path, ReadOptions(max_bytes=100)))
    assert isinstance(items[0], TooLargeError)  # the storm item's text is over 100 bytes
    assert items[0].record == 1
    assert isinstance(items[1], Article)


@given(
    st.lists(
        st.text(
            st.characters(
                blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="<&>"
            ),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=6,
    )
)
@settings(max_examples=150, deadline=None)
def test_html_to_text_one_paragraph_per_line(words: list[str]) -> None:
    fragment = "".join(f"<p>{w} <b>{w}</b></p>" for w in words)
    assert html_to_text(fragment).split("\n") == [f"{w} {w}" for w in words]


@given(st.text(max_size=300))
@settings(max_examples=150, deadline=None)
def test_html_to_text_total(fragment: str) -> None:
    out = html_to_text(fragment)
    assert out == out.strip()
    assert "\n\n" not in out


def test_missing_feedparser_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "feedparser", None)
    with pytest.raises(MissingExtra) as info:
        list(read_feed(write(tmp_path, "rss2.xml", RSS2), ReadOptions()))
    assert info.value.extra == "rss"
