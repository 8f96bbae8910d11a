//! Prints the attributions found in a text read from standard input:
//! `cargo run --release -p storyline-quotes --example find_quotes -- en < text.txt`
//! (with `MENTIONS=1`, the recognised mentions first).

use std::io::Read;

fn main() {
    let lang = std::env::args().nth(1).unwrap_or_else(|| "en".into());
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("reading standard input");
    let mentions = storyline_ner::Recognizer::shared().mentions(&text, Some(&lang));
    if std::env::var_os("MENTIONS").is_some() {
        // The recognised mentions too, to tell a speaker missed by the finder from one the tagger missed.
        for m in &mentions {
            let said: String = text.chars().skip(m.start).take(m.end - m.start).collect();
            println!("mention {:?} {said:?} role {:?}", m.kind, m.role);
        }
    }
    for q in storyline_quotes::find_quotes(&text, Some(&lang), &mentions, None) {
        let mention: Option<String> = q.speaker_mention.map(|[a, b]| text.chars().skip(a).take(b - a).collect());
        println!("{:?} [{}] {:?} <- {:?} = {:?}", q.kind, q.cue, q.text, q.speaker_text, mention);
    }
}
