"""A comparison in the PAN plagiarism-detection output format.

PAN (the text-reuse detection shared tasks at CLEF) expects one XML file per suspicious document::

    <document reference="suspicious-document00042.txt">
      <feature name="detected-plagiarism" this_offset="10" this_length="200"
               source_reference="source-document00007.txt" source_offset="55" source_length="190"/>
    </document>

Which side is suspicious: the side that was *not* found to be the source. When the direction
says ``a`` is the source, ``b`` is the suspicious document and ``a`` the source; when it says
``b`` (or cannot tell: shared or unknown), ``a`` is the suspicious document and ``b`` the source.

Offsets and lengths are character offsets (Unicode code points) into each article's decoded
original text, as everywhere in retold. References are the basename of the file each article
was read from (with ``#record`` appended for a record inside a multi-record file), else its id.

Example:
    >>> from retold.model import (Article, Comparison, Direction, Passage, Relation,
    ...     RewriteKind, Source, Span, Verdict)
    >>> a = Article.from_text("abcdef", id="s1")
    >>> b = Article.from_text("xxabcd", id="t1")
    >>> p = Passage(Span(0, 4), Span(2, 6), RewriteKind.VERBATIM, 1.0)
    >>> c = Comparison(a, b, Verdict(Relation.WHOLLY_DERIVED, RewriteKind.VERBATIM, 0.9),
    ...                (p,), (), Direction(Source.A, 0.9))
    >>> print(render_pan_xml(c).splitlines()[1])
    <document reference="t1">
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET

from retold.model import Article, Comparison, Passage, Source, Span

__all__ = ["pan_reference", "render_pan_xml", "suspicious_side"]

# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def pan_reference(article: Article) -> str:
    """The name an article goes by in PAN output.

    Args:
        article: The article.

    Returns:
        The basename of its origin path (plus ``#record`` when it is one record of a file),
        else its id, with characters XML cannot hold replaced by U+FFFD.
    """
    if article.origin is not None:
        name = posixpath.basename(article.origin.path.replace("\\", "/")) or article.origin.path
        if article.origin.record is not None:
            name = f"{name}#{article.origin.record}"
    else:
        name = article.id
    return _NOT_XML.sub("\ufffd", name)


def suspicious_side(c: Comparison) -> str:
    """Which side of ``c`` is the suspicious document: ``"b"`` if a is the source, else ``"a"``."""
    return "b" if c.direction.source is Source.A else "a"


def _feature(this: Span, src: Span, source_ref: str) -> ET.Element:
    return ET.Element(
        "feature",
        {
            "name": "detected-plagiarism",
            "this_offset": str(this.start),
            "this_length": str(len(this)),
            "source_reference": source_ref,
            "source_offset": str(src.start),
            "source_length": str(len(src)),
        },
    )


def _sides(p: Passage, suspicious: str) -> tuple[Span, Span]:
    return (p.a, p.b) if suspicious == "a" else (p.b, p.a)


def render_pan_xml(c: Comparison) -> str:
    """Render the aligned passages of ``c`` as one PAN ``<document>``.

    Args:
        c: The comparison.

    Returns:
        An XML document (with declaration) holding one ``detected-plagiarism`` feature per
        passage, in order of position in the suspicious document.
    """
    suspicious = suspicious_side(c)
    this_art, src_art = (c.a, c.b) if suspicious == "a" else (c.b, c.a)
    source_ref = pan_reference(src_art)
    root = ET.Element("document", {"reference": pan_reference(this_art)})
    pairs = sorted(_sides(p, suspicious) for p in c.passages)
    for this, src in pairs:
        root.append(_feature(this, src, source_ref))
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
