//! The RSS/Atom reader: any bytes as a feed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline_sources::{read_reader, FileFormat, SourceOptions};

fuzz_target!(|data: &[u8]| {
    let options = SourceOptions { max_document_bytes: 1 << 20 };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    read_reader("fuzz.rss", reader, FileFormat::Feed, &options, &mut |_item| {});
});
