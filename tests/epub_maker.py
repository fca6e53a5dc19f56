"""Build small EPUB 2 and EPUB 3 books in tests, with zipfile: no binary fixtures."""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import Optional


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid RGB PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xc0\x30\x30" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


COVER = png()
XHTML = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
         '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
         '<head><title>{title}</title></head><body{body}>{content}</body></html>')

CHAPTER_ONE = ('<section epub:type="chapter"><h1>Chapter One</h1>'
               '<p>\u201cIs it raining?\u201d asked Tom.<a epub:type="noteref" href="#fn1" id="r1">1</a></p>'
               '<p>\u201cNot yet,\u201d said Mary.</p>'
               '<span epub:type="pagebreak" id="page12" title="12">12</span>'
               '<hr class="transition"/>'
               '<p>Later the rain came down&nbsp;hard.</p>'
               '<aside epub:type="footnote" id="fn1"><p>FOOTNOTE-BODY-ONE about rain.</p></aside>'
               '</section>')
CHAPTER_TWO_A = ('<h2 class="chapter">CHAPTER TWO</h2>'
                 '<p>The road ran north.<sup><a href="notes.xhtml#n2" id="r2">2</a></sup></p>')
CHAPTER_TWO_B = "<p>It ran on for miles, past the mill.</p>"
CHAPTER_THREE = ('<h1>Chapter Three</h1>'
                 "<p>'Lord keep us,' she whispered, 'the bridge is down.'</p>"
                 '<p>And that was the end of it.</p>')
NOTES = '<h1>Notes</h1><p id="n2"><a href="ch2a.xhtml#r2">2</a> ENDNOTE-BODY-TWO about roads.</p>'


def documents(version: int) -> list[tuple[str, str, str, str]]:
    """(file name, title, body attributes, content) of every spine document, in order.
    Front matter is marked by EPUB semantics only in EPUB 3 (file names are neutral there)."""
    typed = version == 3
    def body(kind):
        return f' epub:type="{kind}"' if typed else ""
    return [
        ("p000.xhtml" if typed else "cover.xhtml", "Cover", body("cover"),
         '<div><img src="images/cover.png" alt="Cover"/></div>'),
        ("p001.xhtml" if typed else "titlepage.xhtml", "Title", body("titlepage"),
         "<h1>THE RAIN BOOK</h1><p>by Ann Author</p>"),
        ("p002.xhtml" if typed else "copyright.xhtml", "Copyright", body("frontmatter copyright-page"),
         "<p>Copyright \u00a9 2021 Ann Author. All rights reserved. No part of this book may be copied.</p>"),
        ("p003.xhtml" if typed else "dedication.xhtml", "Dedication", body("dedication"),
         "<p>For my mother, who liked the rain.</p>"),
        ("ch1.xhtml", "One", "", CHAPTER_ONE),
        ("ch2a.xhtml", "Two", "", CHAPTER_TWO_A),
        ("ch2b.xhtml", "Two, continued", "", CHAPTER_TWO_B),
        ("ch3.xhtml", "Three", "", CHAPTER_THREE),
        ("notes.xhtml", "Notes", body("backmatter endnotes"), NOTES),
    ]


TOC = [("Cover", 0), ("Title Page", 1), ("Copyright", 2), ("Chapter One: The Rain", 4),
       ("Chapter Two: The Road", 5), ("Chapter Three: The Bridge", 7), ("Notes", 8)]


def make_epub(path: Path, version: int = 3, encrypted: Optional[str] = None,
              toc: Optional[list] = None, docs: Optional[list] = None, title: str = "The Rain Book") -> Path:
    """Write an EPUB `version` 2 (NCX only, guide, calibre series) or 3 (nav document with
    landmarks, epub:type, belongs-to-collection) at `path`."""
    docs = documents(version) if docs is None else docs
    toc = TOC if toc is None else toc
    manifest = [f'<item id="d{i}" href="text/{name}" media-type="application/xhtml+xml"/>'
                for i, (name, *_rest) in enumerate(docs)]
    spine = [f'<itemref idref="d{i}"/>' for i in range(len(docs))]
    if version == 3:
        manifest.append('<item id="cover-img" href="images/cover.png" media-type="image/png" '
                        'properties="cover-image"/>')
        manifest.append('<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>')
        metadata = (f'<dc:title id="t1">{title}</dc:title><meta refines="#t1" property="title-type">main</meta>'
                    '<dc:creator id="c1">Ann Author</dc:creator><meta refines="#c1" property="role">aut</meta>'
                    '<dc:creator id="c2">Ed Itor</dc:creator><meta refines="#c2" property="role">edt</meta>'
                    '<dc:language>en-GB</dc:language><dc:date>2021-05-04</dc:date>'
                    '<dc:identifier id="uid">urn:uuid:1234</dc:identifier>'
                    '<dc:description>&lt;p&gt;A &lt;b&gt;wet&lt;/b&gt; story.&lt;/p&gt;</dc:description>'
                    '<meta property="belongs-to-collection" id="s1">Weather</meta>'
                    '<meta refines="#s1" property="collection-type">series</meta>'
                    '<meta refines="#s1" property="group-position">2</meta>')
        guide = ""
        spine_attr = ""
    else:
        manifest.append('<item id="coverimage" href="images/cover.png" media-type="image/png"/>')
        manifest.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
        metadata = (f'<dc:title>{title}</dc:title><dc:creator opf:role="aut">Ann Author</dc:creator>'
                    '<dc:language>en</dc:language><dc:date opf:event="publication">2019</dc:date>'
                    '<dc:identifier id="uid">urn:uuid:1234</dc:identifier>'
                    '<dc:description>A wet story.</dc:description>'
                    '<meta name="cover" content="coverimage"/>'
                    '<meta name="calibre:series" content="Weather"/>'
                    '<meta name="calibre:series_index" content="2.0"/>')
        guide = ('<guide><reference type="cover" href="text/cover.xhtml" title="Cover"/>'
                 '<reference type="text" href="text/ch1.xhtml" title="Start"/></guide>')
        spine_attr = ' toc="ncx"'
    opf = ('<?xml version="1.0" encoding="utf-8"?>'
           f'<package xmlns="http://www.idpf.org/2007/opf" version="{version}.0" unique-identifier="uid">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
           f'{metadata}</metadata><manifest>{"".join(manifest)}</manifest>'
           f'<spine{spine_attr}>{"".join(spine)}</spine>{guide}</package>')
    with zipfile.ZipFile(path, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        book.writestr("META-INF/container.xml",
                      '<?xml version="1.0"?><container version="1.0" '
                      'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                      '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
                      '</rootfiles></container>')
        if encrypted:
            book.writestr("META-INF/encryption.xml",
                          '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
                          'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
                          '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
                          f'<enc:CipherData><enc:CipherReference URI="{encrypted}"/></enc:CipherData>'
                          '</enc:EncryptedData></encryption>')
        book.writestr("OEBPS/content.opf", opf)
        book.writestr("OEBPS/images/cover.png", COVER)
        for name, doc_title, body_attrs, content in docs:
            book.writestr(f"OEBPS/text/{name}", XHTML.format(title=doc_title, body=body_attrs, content=content))
        entries = [(label, docs[i][0]) for label, i in toc]
        if version == 3:
            items = "".join(f'<li><a href="text/{name}">{label}</a></li>' for label, name in entries)
            landmarks = ('<nav epub:type="landmarks" hidden=""><ol>'
                         '<li><a epub:type="bodymatter" href="text/ch1.xhtml">Start</a></li></ol></nav>')
            book.writestr("OEBPS/nav.xhtml", XHTML.format(
                title="Contents", body="", content=f'<nav epub:type="toc"><h1>Contents</h1><ol>{items}</ol></nav>'
                                                   + landmarks))
        else:
            points = "".join(f'<navPoint id="n{i}" playOrder="{i + 1}"><navLabel><text>{label}</text></navLabel>'
                             f'<content src="text/{name}"/></navPoint>' for i, (label, name) in enumerate(entries))
            book.writestr("OEBPS/toc.ncx", '<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" '
                                           f'version="2005-1"><head/><docTitle><text>{title}</text></docTitle>'
                                           f'<navMap>{points}</navMap></ncx>')
    return path
