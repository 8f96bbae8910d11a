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

#[test]
fn a_negated_intention_reported_by_its_speaker_is_a_denial() {
    let text = "Le président azerbaïdjanais a déclaré dimanche n'avoir pas l'intention d'attaquer militairement l'Arménie, en conflit avec Bakou.";
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some("fr"));
    let quotes = storyline_quotes::find_quotes(text, Some("fr"), &mentions, None);
    let events = code_events(text, Some("fr"), &mentions, &quotes, None);
    assert_eq!(
        events.iter().map(triple).collect::<Vec<_>>(),
        [("ASSAULT".into(), "Le président azerbaïdjanais".into(), "l'Arménie".into())]
    );
    assert_eq!(events[0].mode, EventMode::Denied);
}
