use super::*;

fn code(text: &str, lang: &str) -> Vec<Event> {
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some(lang));
    code_events(text, Some(lang), &mentions, &[], None)
}

fn triple(e: &Event) -> (String, String, String) {
    (e.kind.clone(), e.source.text.clone(), e.target.text.clone())
}

#[test]
fn english_subject_verb_object() {
    let events = code("Ukraine accuses Russia of sending tanks to the separatists.", "en");
    assert_eq!(events.iter().map(triple).collect::<Vec<_>>(), [("ACCUSE".into(), "Ukraine".into(), "Russia".into())]);
    assert_eq!(events[0].mode, EventMode::Asserted);
    assert_eq!(events[0].class, "verbal_conflict");
}
