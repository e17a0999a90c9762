import DeskFaceKit
import Testing

@Suite("PHP strip_tags")
struct PHPStripTagsTests {
    /// Each text with what PHP 8.2 `strip_tags` made of it.
    static let cases: [(String, String)] = [
        ("Free disk space < 10% on db01", "Free disk space < 10% on db01"),
        ("< 5 GB free", "< 5 GB free"),
        ("<b>bold</b> text", "bold text"),
        ("a<b", "a"),
        ("a <b> c", "a  c"),
        ("x<", "x"),
        ("<a title=\"a>b\">link</a>", "link"),
        ("1 > 0", "1 > 0"),
        ("<!-- note --> kept", " kept"),
        ("<!DOCTYPE html>body", "body"),
        ("<?php echo 1; ?>after", "after"),
        ("<<b>>nested", "nested"),
        ("it's <i>fine</i>", "it's fine"),
        ("quote\" <b title='x'>y</b>", "quote\" y"),
        ("a<\tb", "a<\tb"),
        ("<p>para\nline</p>", "para\nline"),
        ("tail <open", "tail "),
        ("<b\nclass='x'>z</b>", "z"),
        ("<!>x", "x"),
        ("<a href=\"x\" onclick='y(\">\")'>q</a>", "q"),
        ("5<6 and 7>3", "53"),
        ("<3 you", ""),
        ("<?xml version=\"1.0\"?>doc", "doc"),
        ("a>b<c>d", "a>bd"),
        ("<!-- a > b -->c", "c"),
        ("<p>x</p><br/>y", "xy"),
        ("ünïcödé <em>ok</em>", "ünïcödé ok"),
        ("<\0b>x", "x"),
        ("a\0b", "ab"),
    ]

    @Test("tags, comments and processing instructions go; a < before white space stays", arguments: cases)
    func strip(text: String, expected: String) {
        #expect(PHPStripTags.strip(text) == expected)
    }
}
