use std::io::Write;

use super::*;

fn collect(path: &Path, options: &SourceOptions) -> Vec<SourceItem> {
    let mut items = Vec::new();
    read_file(path, options, &mut |item| items.push(item));
    items
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn warc_record(kind: &str, uri: &str, block: &[u8]) -> Vec<u8> {
    let mut out =
        format!("WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nContent-Length: {}\r\n\r\n", block.len())
            .into_bytes();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

#[test]
fn formats_come_from_names_through_gz() {
    assert_eq!(format_of(Path::new("a/b.HTML")), FileFormat::Html);
    assert_eq!(format_of(Path::new("b.txt.gz")), FileFormat::Text);
    assert_eq!(format_of(Path::new("c.warc.gz")), FileFormat::Warc);
    assert_eq!(format_of(Path::new("d.jsonl")), FileFormat::Jsonl);
    assert_eq!(format_of(Path::new("e.bin")), FileFormat::Sniff);
}

#[test]
fn gzip_is_detected_by_magic_bytes_and_truncation_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("page.html.gz");
    std::fs::write(&good, gzip(b"<html><body><p>Hello</p></body></html>")).unwrap();
    let items = collect(&good, &SourceOptions::default());
    let doc = items[0].as_ref().unwrap();
    assert_eq!(doc.kind, ContentKind::Html);
    assert!(doc.bytes.starts_with(b"<html>"));

    let compressed = gzip(&"Une phrase assez longue pour compresser. ".repeat(200).into_bytes());
    let cut = dir.path().join("cut.txt.gz");
    std::fs::write(&cut, &compressed[..compressed.len() / 2]).unwrap();
    let items = collect(&cut, &SourceOptions::default());
    let err = items[0].as_ref().unwrap_err();
    assert!(err.reason.contains("truncated gzip"), "{err}");
    assert!(err.source.ends_with("cut.txt.gz"));
}

#[test]
fn oversized_documents_are_refused_without_reading_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::write(&big, vec![b'a'; 4096]).unwrap();
    let items = collect(&big, &SourceOptions { max_document_bytes: 1000 });
    assert!(items[0].as_ref().unwrap_err().reason.contains("larger than"));
}

#[test]
fn warc_yields_html_responses_and_reports_damaged_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = Vec::new();
    data.extend(warc_record("warcinfo", "", b"software: test\r\n"));
    data.extend(warc_record(
        "response",
        "<https://example.org/a>",
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=windows-1252\r\n\r\n<html><body>A</body></html>",
    ));
    data.extend(warc_record(
        "response",
        "https://example.org/img",
        b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
    ));
    data.extend(b"garbage that is not a record\r\n\r\n");
    data.extend(warc_record(
        "response",
        "https://example.org/b",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n<html\r\n1\r\n>\r\n0\r\n\r\n",
    ));
    let mut truncated =
        warc_record("response", "https://example.org/c", b"HTTP/1.1 200 OK\r\n\r\n<html>cut here</html>");
    truncated.truncate(truncated.len() - 12);
    data.extend(truncated);
    let path = dir.path().join("crawl.warc.gz");
    std::fs::write(&path, gzip(&data)).unwrap();

    let items = collect(&path, &SourceOptions::default());
    let docs: Vec<_> = items.iter().filter_map(|i| i.as_ref().ok()).collect();
    let errors: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(docs[0].hints.charset.as_deref(), Some("windows-1252"));
    assert_eq!(docs[1].bytes, b"<html>");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].reason.contains("malformed WARC record"));
    assert!(errors[1].reason.contains("truncated WARC record"));
    assert!(errors[1].source.contains("crawl.warc.gz#"));
}

#[test]
fn jsonl_lines_are_documents_and_bad_lines_are_numbered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let lines = [
        r#"{"id": "a1", "text": "Un texte.", "title": "T", "published": "2021-03-04T10:00:00Z", "lang": "fr"}"#,
        "",
        r#"{"id": 7, "html": "<p>x</p>", "url": "https://example.org/x"}"#,
        r#"{"id": "broken""#,
        r#"{"id": "empty", "text": "  "}"#,
        r#"{"id": "d", "text": "t", "published": "yesterday"}"#,
        r#"{"id": "e", "title": "Un titre", "date": "2020-01-10"}"#,
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    let items = collect(&path, &SourceOptions::default());
    assert_eq!(items.len(), 6);
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.external_id.as_deref(), Some("a1"));
    assert_eq!(first.hints.published.unwrap().to_string(), "2021-03-04");
    let second = items[1].as_ref().unwrap();
    assert_eq!(second.kind, ContentKind::Html);
    assert_eq!(second.external_id.as_deref(), Some("7"));
    assert_eq!(second.source, "https://example.org/x");
    assert!(items[2].as_ref().unwrap_err().source.ends_with("feed.jsonl:4"));
    assert!(items[3].as_ref().unwrap_err().reason.contains("no non-empty"));
    assert!(items[4].as_ref().unwrap_err().reason.contains("not a date"));
    assert_eq!(items[5].as_ref().unwrap().hints.published.unwrap().to_string(), "2020-01-10", "\"date\" is read too");
}

#[test]
fn a_headline_alone_is_a_brief_not_an_error() {
    let line = r#"{"id": "h1", "title": "Les dockers du Havre en grève illimitée"}"#;
    let item = crate::jsonl::parse_line(line.as_bytes(), "f.jsonl");
    let doc = item.unwrap();
    assert_eq!(doc.kind, ContentKind::Text);
    assert_eq!(std::str::from_utf8(&doc.bytes).unwrap(), "Les dockers du Havre en grève illimitée");
}

#[test]
fn folders_are_walked_for_known_extensions_and_missing_paths_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("sub/a.txt"), "x").unwrap();
    std::fs::write(dir.path().join("b.html.gz"), "x").unwrap();
    std::fs::write(dir.path().join("photo.jpg"), "x").unwrap();
    std::fs::write(dir.path().join(".hidden.txt"), "x").unwrap();
    let (files, errors) = expand_inputs(&[dir.path().to_path_buf(), dir.path().join("nope.txt")]);
    let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().to_string()).collect();
    assert_eq!(names, vec!["b.html.gz", "a.txt"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].reason, "no such file or folder");
}

#[test]
fn sniffing_recognises_containers_and_markup() {
    assert_eq!(sniff(b"  WARC/1.1\r\n"), FileFormat::Warc);
    assert_eq!(sniff(b"{\"id\":1}"), FileFormat::Jsonl);
    assert_eq!(sniff(b"<!DOCTYPE html><html>"), FileFormat::Html);
    assert_eq!(sniff(b"Plain words here."), FileFormat::Text);
}

#[test]
fn rss_and_atom_items_are_documents() {
    let dir = tempfile::tempdir().unwrap();
    let rss = dir.path().join("news.rss");
    std::fs::write(
        &rss,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Le Quotidien</title><link>https://example.org/</link><language>fr</language>
<item><title>Grève au port de Brest</title><link>https://example.org/greve</link>
<guid>g1</guid><pubDate>Mon, 03 Jun 2024 08:00:00 +0200</pubDate>
<content:encoded><![CDATA[<p>Les dockers ont cessé le travail lundi matin.</p>]]></content:encoded></item>
<item><title>Conseil municipal de Quimper</title><link>https://example.org/conseil</link>
<description>Le conseil a voté le budget des écoles.</description></item>
<item><title>Flash : le pont de Saint-Nazaire fermé</title></item>
</channel></rss>"#,
    )
    .unwrap();
    let items = collect(&rss, &SourceOptions::default());
    assert_eq!(items.len(), 3);
    let first = items[0].as_ref().unwrap();
    assert_eq!(first.kind, ContentKind::Html);
    assert_eq!(first.external_id.as_deref(), Some("g1"));
    assert_eq!(first.hints.url.as_deref(), Some("https://example.org/greve"));
    assert_eq!(first.hints.published.unwrap().to_string(), "2024-06-03");
    assert!(String::from_utf8_lossy(&first.bytes).contains("Les dockers"));
    let second = items[1].as_ref().unwrap();
    assert_eq!(second.kind, ContentKind::Text);
    assert!(String::from_utf8_lossy(&second.bytes).contains("budget des écoles"));
    let brief = items[2].as_ref().unwrap();
    assert_eq!(String::from_utf8_lossy(&brief.bytes), "Flash : le pont de Saint-Nazaire fermé");

    let atom = dir.path().join("feed.xml");
    std::fs::write(
        &atom,
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour Times</title><id>urn:ht</id><updated>2024-06-03T10:00:00Z</updated>
<entry><title>Dockers strike in Brest</title><id>urn:ht:1</id><updated>2024-06-03T10:00:00Z</updated>
<link href="https://example.com/strike"/><summary>Dock workers walked off the job on Monday.</summary></entry>
</feed>"#,
    )
    .unwrap();
    assert_eq!(crate::format_of(&atom), FileFormat::Sniff);
    let items = collect(&atom, &SourceOptions::default());
    assert_eq!(items.len(), 1, "an explicitly named .xml feed is sniffed");
    assert_eq!(items[0].as_ref().unwrap().hints.title.as_deref(), Some("Dockers strike in Brest"));

    let broken = dir.path().join("broken.rss");
    std::fs::write(&broken, "<rss><channel><item><title>oops").unwrap();
    let items = collect(&broken, &SourceOptions::default());
    assert!(items[0].as_ref().is_err_and(|e| e.reason.contains("feed")), "{items:?}");
}
