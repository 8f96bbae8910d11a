//! Prints the mentions the recogniser finds in standard input:
//! `cargo run --release -p storyline-ner --example mentions -- en < text`.

use std::io::Read;

fn main() {
    let lang = std::env::args().nth(1);
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("standard input is UTF-8 text");
    for m in storyline_ner::Recognizer::shared().mentions(&text, lang.as_deref()) {
        println!("{:?}\t{}", m.kind, m.text);
    }
}
