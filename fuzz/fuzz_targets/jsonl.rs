//! The JSONL reader: records, headers, lengths, resynchronisation after damage.
#![no_main]
use libfuzzer_sys::fuzz_target;
use storyline_sources::{read_reader, FileFormat, SourceOptions};

fuzz_target!(|data: &[u8]| {
    let options = SourceOptions { max_document_bytes: 1 << 20 };
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    read_reader("fuzz.jsonl", reader, FileFormat::Jsonl, &options, &mut |_item| {});
});
