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

fn coded(text: &str, lang: &str) -> Vec<(String, String, String, EventMode)> {
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some(lang));
    let quotes = storyline_quotes::find_quotes(text, Some(lang), &mentions, None);
    code_events(text, Some(lang), &mentions, &quotes, None)
        .into_iter()
        .map(|e| (e.kind, e.source.text, e.target.text, e.mode))
        .collect()
}

fn one(kind: &str, source: &str, target: &str, mode: EventMode) -> Vec<(String, String, String, EventMode)> {
    vec![(kind.into(), source.into(), target.into(), mode)]
}

// Invented sentences, one construction each.
#[test]
fn the_passive_takes_its_source_after_by() {
    assert_eq!(
        coded("Three soldiers were attacked by rebels near the border.", "en"),
        one("ASSAULT", "rebels", "Three soldiers", EventMode::Asserted)
    );
    assert_eq!(
        coded("Le journaliste a été arrêté par la police mardi.", "fr"),
        one("COERCE", "la police", "Le journaliste", EventMode::Asserted)
    );
}

#[test]
fn a_governed_infinitive_gives_the_target_and_no_second_event() {
    assert_eq!(
        coded("Le Kremlin a menacé de frapper la Pologne.", "fr"),
        one("THREATEN", "Le Kremlin", "la Pologne", EventMode::Asserted)
    );
    assert_eq!(
        coded("The army threatened to shell the rebels.", "en"),
        one("THREATEN", "The army", "the rebels", EventMode::Asserted)
    );
}

#[test]
fn an_intention_to_cooperate_is_agree_and_negations_are_kept_apart() {
    assert_eq!(
        coded("L'Espagne va livrer des chars à l'Ukraine.", "fr"),
        one("AGREE", "L'Espagne", "l'Ukraine", EventMode::Intended)
    );
    assert_eq!(
        coded("Moldova did not attack the separatists.", "en"),
        one("ASSAULT", "Moldova", "the separatists", EventMode::Negated)
    );
    assert_eq!(
        coded("Le gouvernement a démenti avoir arrêté le journaliste.", "fr"),
        one("COERCE", "Le gouvernement", "le journaliste", EventMode::Denied)
    );
}

#[test]
fn coordinated_subjects_of_a_symmetric_act_are_source_and_target() {
    assert_eq!(
        coded("Le Chili et l'Argentine ont signé un accord.", "fr"),
        one("SUPPORT", "Le Chili", "l'Argentine", EventMode::Asserted)
    );
}

#[test]
fn the_recipient_is_the_target_of_a_gift() {
    assert_eq!(
        coded("Norway returned stolen paintings to Poland.", "en"),
        one("YIELD", "Norway", "Poland", EventMode::Asserted)
    );
}

#[test]
fn nouns_after_light_verbs_and_nothing_without_an_actor() {
    assert_eq!(
        coded("The United States imposed sanctions on Venezuela.", "en"),
        one("COERCE", "The United States", "Venezuela", EventMode::Asserted)
    );
    // No actor as target: nothing is coded.
    assert!(coded("The storm hit the coast overnight.", "en").is_empty());
    // A language without resources codes nothing.
    assert!(code_events("Rusia atacó Ucrania.", Some("es"), &[], &[], None).is_empty());
}

#[test]
fn actors_carry_their_country_and_sector() {
    let text = "Le ministre turc des Affaires étrangères a condamné la Grèce.";
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some("fr"));
    let events = code_events(text, Some("fr"), &mentions, &[], None);
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].source.country.as_deref(), Some("TR"));
    assert_eq!(events[0].source.sector.as_deref(), Some("GOV"));
    assert_eq!(events[0].target.country.as_deref(), Some("GR"));
}

#[test]
fn a_speaker_named_by_role_acts_as_the_person_the_role_stands_for() {
    let text = "La réforme a été présentée par le ministre des Transports, Hugo Ferrand. Le ministre a proposé de recevoir les syndicats lundi.";
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some("fr"));
    let quotes = storyline_quotes::find_quotes(text, Some("fr"), &mentions, None);
    let events = code_events(text, Some("fr"), &mentions, &quotes, None);
    let source = events.iter().find(|e| e.source.text == "Le ministre").expect("an event of the minister");
    let [a, b] = source.source.mention.expect("the role resolves to a person");
    assert_eq!(text.chars().skip(a).take(b - a).collect::<String>(), "Hugo Ferrand");
}

#[test]
fn a_preposition_past_an_infinitive_belongs_to_the_infinitive() {
    // "proposer à X": the "à" after "de recevoir ..." is where, not to whom.
    assert_eq!(
        coded("La ministre a proposé de recevoir les syndicats mardi à Lyon.", "fr"),
        one("AGREE", "La ministre", "les syndicats", EventMode::Asserted)
    );
    assert_eq!(
        coded("La ministre a proposé à l'Espagne de signer un accord.", "fr"),
        one("AGREE", "La ministre", "l'Espagne", EventMode::Asserted)
    );
}
