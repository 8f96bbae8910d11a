use super::*;

fn quotes(text: &str, lang: &str) -> Vec<Quote> {
    let mentions = storyline_ner::Recognizer::shared().mentions(text, Some(lang));
    find_quotes(text, Some(lang), &mentions, NaiveDate::from_ymd_opt(2024, 3, 6))
}

fn speaker_name(text: &str, q: &Quote) -> Option<String> {
    q.speaker_mention.map(|[a, b]| text.chars().skip(a).take(b - a).collect())
}

#[test]
fn french_direct_quote_with_speaker_after_and_apposition() {
    let text = "« Nous ne céderons rien sur ce dossier », a affirmé Jean Martin, cité par l'agence officielle.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    let q = &found[0];
    assert_eq!(q.kind, QuoteKind::Direct);
    assert_eq!(q.text, "Nous ne céderons rien sur ce dossier");
    assert_eq!(q.cue, "a affirmé");
    assert_eq!(speaker_name(text, q).as_deref(), Some("Jean Martin"));
    assert!(q.denial, "a negative content is a denial");
}

#[test]
fn french_speaker_before_with_role_apposition_and_indirect_speech() {
    let text = "Le ministre belge des Finances, Paul Dubois, a déclaré mardi que le budget serait voté en avril.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    let q = &found[0];
    assert_eq!(q.kind, QuoteKind::Indirect);
    assert_eq!(q.text, "le budget serait voté en avril");
    assert_eq!(q.speaker_text.as_deref(), Some("Le ministre belge des Finances, Paul Dubois"));
    assert_eq!(speaker_name(text, q).as_deref(), Some("Paul Dubois"));
    assert_eq!(q.date, NaiveDate::from_ymd_opt(2024, 3, 5), "mardi before a Wednesday publication");
}

#[test]
fn inverted_pronoun_resolves_to_the_person_last_named() {
    let text = "Paul Dubois est arrivé à Lyon. « C'est une étape décisive pour la région », a-t-il ajouté.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("il"));
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Paul Dubois"));
    assert!(!found[0].denial);
}

#[test]
fn selon_marker_and_mixed_quotes() {
    let text = "Selon Marie Leroy, la réforme « ne changera rien pour les salariés ».";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
    assert_eq!(found[0].cue, "Selon");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Marie Leroy"));
    let text = "Marie Leroy a estimé que la réforme « ne changera rien pour les salariés ».";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
    assert_eq!(found[0].cue_class, "think");
}

#[test]
fn denial_verbs_and_negated_cues_are_flagged() {
    let found = quotes("Le gouvernement a démenti toute négociation secrète avec les rebelles.", "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].denial);
    let found = quotes("Paul Dubois n'a pas dit que l'usine fermerait.", "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].negated);
}

#[test]
fn a_quote_over_two_paragraphs_and_a_continuation() {
    let text = "Marie Leroy a déclaré : « Le premier point est réglé depuis hier.\n\n» Le second le sera bientôt », \
                a-t-elle poursuivi.\n\n« Nous attendons maintenant la signature des deux parties. »";
    let found = quotes(text, "fr");
    // The uncued quote of the next paragraph is the rest of the statement.
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].text.contains("Le second le sera bientôt"));
    assert!(found[0].text.ends_with("la signature des deux parties."), "{}", found[0].text);
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Marie Leroy"));
}

#[test]
fn scare_quotes_without_a_cue_are_not_statements() {
    assert!(quotes("Le projet dit « vert » a été abandonné par la mairie.", "fr").is_empty());
}

#[test]
fn english_quotes_before_after_and_according_to() {
    let text = "“We will not back down,” said John Smith, the union leader.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Direct);
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("John Smith"));
    let text = "The plant will close next year, the company said on Monday.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "The plant will close next year");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the company"));
    let text = "According to Sarah Jones, the talks collapsed after midnight.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the talks collapsed after midnight");
    let text = "Sarah Jones said Tuesday the talks had collapsed.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the talks had collapsed");
}

#[test]
fn role_nouns_resolve_to_the_person_named_with_that_role() {
    let text = "Le président brésilien Carlos Souza est arrivé lundi. Le président brésilien a assuré que l'accord serait signé.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Carlos Souza"));
}

#[test]
fn unknown_languages_give_nothing() {
    assert!(find_quotes("« Hola », dijo Juan.", Some("xx"), &[], None).is_empty());
    assert!(find_quotes("« Hola », dijo Juan.", None, &[], None).is_empty());
}

#[test]
fn english_statements_share_a_subject_and_split_around_their_clause() {
    // A coordinated cue and a participle take the sentence's subject.
    let text = "Maria Lopez visited the plant on Monday and said the jobs would stay.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Maria Lopez"));
    assert_eq!(found[0].text, "the jobs would stay");
    // A denial, then a participle that goes on with the same speaker: two statements.
    let text = "Maria Lopez rejected the offer, saying it came too late.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].text, "it came too late");
    assert!(found.iter().all(|q| speaker_name(text, q).as_deref() == Some("Maria Lopez")), "{found:?}");
    // The clause inside the statement: both parts are one content.
    let text = "The bigger risk, analysts said, is a strike at the port.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "The bigger risk is a strike at the port");
    assert_eq!(found[0].speaker_text.as_deref(), Some("analysts"));
    let text = "“After that,” she said, “we will talk about wages.”";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "After that we will talk about wages.");
}

#[test]
fn english_speakers_keep_their_apposition_and_modifiers() {
    let text = "“The line will reopen in May,” said Tom Becker, a spokesman for the rail operator.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Tom Becker, a spokesman for the rail operator"));
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Tom Becker"));
    let text = "The station will close in June, campaign officials said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("campaign officials"));
    let text = "Exit polls taken in Ohio found that most voters wanted change.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Exit polls taken in Ohio"));
}

#[test]
fn a_statement_reported_inside_another_is_part_of_it() {
    // Words inside a quote are the quoted speaker's.
    let text = "“I think the deal is done,” said Paul Grant.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Paul Grant"));
    // A cue inside an indirect content belongs to that content.
    let text = "Paul Grant said that the unions believe the deal is done.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the unions believe the deal is done");
}

#[test]
fn a_name_and_a_colon_open_a_transcript_line() {
    let text = "HARRIS: We have never run a negative ad in this campaign.\n\nBROOKS: Then why run one now?";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("HARRIS"));
    assert_eq!(found[0].cue, ":");
    assert_eq!(found[1].text, "Then why run one now");
    // An interview's "Q:" and "A:" name no speaker.
    let text = "Q: Will the plant stay open next year?\n\nA: Nobody has told us anything yet.";
    let found = quotes(text, "en");
    assert!(
        found.iter().all(|q| q.speaker_text.as_deref() != Some("Q") && q.speaker_text.as_deref() != Some("A")),
        "{found:?}"
    );
}

#[test]
fn english_speakers_with_brackets_long_appositions_and_shares() {
    // Invented sentences in the style of US wire copy.
    let text = "Sen. Maria Lopez (D-Nev.) said she would vote against the bill. \
        Tom Reed, a farmer from Eldon, Mo., who backs the plan, said prices would fall. \
        In the survey, 47 percent said they would stay home. About half said so.";
    let found = quotes(text, "en");
    let by_text = |t: &str| found.iter().find(|q| q.text == t).unwrap_or_else(|| panic!("{t:?} in {found:?}"));
    assert_eq!(by_text("she would vote against the bill").speaker_text.as_deref(), Some("Sen. Maria Lopez (D-Nev.)"));
    assert_eq!(
        by_text("prices would fall").speaker_text.as_deref(),
        Some("Tom Reed, a farmer from Eldon, Mo., who backs the plan")
    );
    // The survey reports what the 47 percent said: one statement, the survey's.
    assert_eq!(by_text("47 percent said they would stay home").speaker_text.as_deref(), Some("the survey"));
    assert_eq!(by_text("so").speaker_text.as_deref(), Some("half"));
}

#[test]
fn according_to_takes_any_source_phrase_and_leaves_a_cued_statement_its_own() {
    let text =
        "Turnout was higher than in 2012, according to early results of exit polls conducted by a research firm. \
        According to the school's post, Ana Ruiz said she was leaving.";
    let found = quotes(text, "en");
    let marker = found.iter().find(|q| q.cue_class == "marker" && q.text.starts_with("Turnout")).expect("first marker");
    assert_eq!(marker.speaker_text.as_deref(), Some("early results of exit polls conducted by a research firm"));
    // "According to X, Y said ...": the statement is Y's, found by its cue.
    assert!(!found.iter().any(|q| q.cue_class == "marker" && q.text.contains("Ana Ruiz said")), "{found:?}");
    assert!(found.iter().any(|q| q.cue == "said" && q.text == "she was leaving"), "{found:?}");
}

#[test]
fn a_quote_with_its_own_speaker_ends_the_statement_before_it() {
    let text = "In her speech, Ruth Ames declared the need for strong will, ambition and drive: “Change the world, and then change it again,” she said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].text, "the need for strong will, ambition and drive");
    assert_eq!(found[1].kind, QuoteKind::Direct);
    assert_eq!(found[1].text, "Change the world, and then change it again");
    assert_eq!(found[1].speaker_text.as_deref(), Some("she"));
}

#[test]
fn two_statements_each_inside_the_other_keep_the_one_reporting_more() {
    let text = "Some groups are spending money on mailings that oppose both candidates, according to FEC filings.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue, "according to");
    assert_eq!(found[0].text, "Some groups are spending money on mailings that oppose both candidates");
}

#[test]
fn a_source_in_the_middle_of_a_sentence_ends_at_its_comma() {
    let text = "Among the bills still waiting, according to Ms. Larkin, are four on housing and two on transport. \
                Most of the stations were closed, according to a city official, who was not allowed to speak publicly.";
    let found = quotes(text, "en");
    let larkin = found.iter().find(|q| q.text.starts_with("Among")).expect("the first statement");
    assert_eq!(larkin.speaker_text.as_deref(), Some("Ms. Larkin"), "the clause after the source is not its apposition");
    let official = found.iter().find(|q| q.text.starts_with("Most")).expect("the second statement");
    assert_eq!(
        official.speaker_text.as_deref(),
        Some("a city official, who was not allowed to speak publicly"),
        "a relative clause stays the source's"
    );
}

#[test]
fn organisation_noun_speaks_for_the_organisation_named_before() {
    let text = "Le transporteur Valmaris a suspendu ses liaisons vers la Corse. \
                « Les navires resteront à quai jusqu'à lundi », a indiqué la compagnie dans un communiqué.";
    let found = quotes(text, "fr");
    let q = found.iter().find(|q| q.kind == QuoteKind::Direct).expect("the direct quote");
    assert_eq!(speaker_name(text, q).as_deref(), Some("Valmaris"), "{found:?}");
}

#[test]
fn person_in_apposition_after_selon_is_the_speaker() {
    let text = "Selon un porte-parole de la société Hexalis, Marc Duval, les ventes ont reculé de 4 %.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "les ventes ont reculé de 4 %");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Marc Duval"));
    // A source's phrase has no apposition: the name opens the content.
    let text = "Selon le sondage, Marc Duval arriverait en tête.";
    let found = quotes(text, "fr");
    assert!(found.iter().all(|q| q.text.starts_with("Marc Duval")), "{found:?}");
}

#[test]
fn pronoun_continues_the_previous_speaker() {
    // "France Info" is named last, but the minister goes on speaking.
    let text =
        "La ministre Anne Roche a défendu le texte sur France Info. Elle a ajouté que le vote aurait lieu mardi.";
    let found = quotes(text, "fr");
    let q = found.iter().find(|q| q.text.contains("vote")).expect("the second statement");
    assert_eq!(speaker_name(text, q).as_deref(), Some("Anne Roche"), "{found:?}");
}

#[test]
fn french_stance_link_naming_someone_reads_as_selon() {
    let text = "Pour l'économiste Julie Perrin, la baisse des taux arrivera trop tard.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "la baisse des taux arrivera trop tard");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Julie Perrin"));
    assert!(quotes("Pour la première fois, la baisse des taux arrivera trop tard.", "fr").is_empty());
}

#[test]
fn day_after_the_cue_before_a_bare_clause() {
    let text = "The carrier said on Tuesday it would close two depots.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "it would close two depots");
}

#[test]
fn french_incise_inside_a_quote_splits_it() {
    let text =
        "« Nous avons signé pour dix ans, s'est félicité le directeur, Paul Girard. Les embauches commencent en mai. »";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Direct);
    assert_eq!(found[0].text, "Nous avons signé pour dix ans Les embauches commencent en mai.");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Paul Girard"));
}

#[test]
fn a_day_between_the_speaker_and_the_cue() {
    let text = "Senator Maria Lopez on Tuesday said that the bill would pass.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the bill would pass");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Maria Lopez"));
}

#[test]
fn an_apposition_between_dashes() {
    let text = "Jason Reed — a teacher from Dover — says he voted for the mayor.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "he voted for the mayor");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Jason Reed"));
}

#[test]
fn a_name_a_colon_and_a_quote() {
    let text = "Les ventes ont repris en mars. Son président, Gilles Morand : « Les clients reviennent, mais ils comparent davantage. »";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "Les clients reviennent, mais ils comparent davantage.");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Gilles Morand"));
}

#[test]
fn two_apostrophes_as_quote_marks_are_not_part_of_the_text() {
    let text = "''The harbour will reopen next week,'' Mr. Okafor said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "The harbour will reopen next week");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Okafor"));
}

#[test]
fn the_cue_nearest_a_quote_takes_it_over_an_earlier_clause() {
    let text = "A driver asked for a receipt and Maria Lindqvist said, “only after the audit.”";
    let found = quotes(text, "en");
    let direct: Vec<&Quote> = found.iter().filter(|q| q.kind == QuoteKind::Direct).collect();
    assert_eq!(direct.len(), 1, "{found:?}");
    assert_eq!(direct[0].cue, "said");
    assert_eq!(speaker_name(text, direct[0]).as_deref(), Some("Maria Lindqvist"));
}

#[test]
fn a_statement_whose_cue_follows_it_then_a_participle_continuing_it() {
    let text = "The port did not object to the new tariff, a customs official said, adding that the rules \
                would change in June.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].cue, "said");
    assert_eq!(found[0].text, "The port did not object to the new tariff");
    assert_eq!(found[1].cue, "adding");
    assert_eq!(found[1].speaker_text.as_deref(), Some("a customs official"));
    let text = "One senior official said the talks had failed.";
    assert_eq!(quotes(text, "en")[0].speaker_text.as_deref(), Some("One senior official"));
}

#[test]
fn a_title_naming_its_speaker_by_surname_before_a_colon() {
    let text = "Okafor: No delay for the harbour works.\n\nPort director Samuel Okafor said on Monday that the works \
                would start in May.";
    let found = quotes(text, "en");
    assert_eq!(found[0].cue, ":", "{found:?}");
    assert_eq!(found[0].text, "No delay for the harbour works");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Okafor"));
    let poll = quotes("Poll: Voters in the north favour the new bridge.\n\nThe survey was taken in May.", "en");
    assert_eq!(poll[0].speaker_text.as_deref(), Some("Poll"), "{poll:?}");
}

#[test]
fn a_whole_clause_before_the_cue_as_speaker() {
    let text = "People briefed on the talks with the harbour workers say that a deal is near.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("People briefed on the talks with the harbour workers"));
    assert_eq!(found[0].text, "a deal is near");
}

#[test]
fn an_organisation_named_after_its_country_speaks_not_the_country() {
    let text = "The US State Department said on Monday that the talks would resume.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("US State Department"));
}

#[test]
fn an_as_clause_lends_its_source_and_a_source_inside_a_reported_clause_stays_in_it() {
    let text = "As the Daily Courier reported, even if the mayor split the vote, she would still trail. \
        The agency reported that, according to an analysis of the ledgers, 85 of the 154 donors had given twice.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the Daily Courier"));
    assert_eq!(found[0].text, "even if the mayor split the vote, she would still trail");
    assert_eq!(found[1].speaker_text.as_deref(), Some("The agency"));
    assert_eq!(found[1].text, "according to an analysis of the ledgers, 85 of the 154 donors had given twice");
}

#[test]
fn a_participle_of_several_words_takes_no_subject_after_it() {
    let found = quotes("“We will win this state,” the senator said, referring to the Ohio primary.", "en");
    let referring = found.iter().find(|q| q.cue == "referring to").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(referring.text, "the Ohio primary");
    assert_eq!(referring.speaker_text.as_deref(), Some("the senator"));
}

#[test]
fn a_quantifier_opens_the_speaker_s_phrase() {
    let text = "Most of the candidates said they support the right of parents to boycott the tests.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Most of the candidates"));
    assert_eq!(found[0].text, "they support the right of parents to boycott the tests");
}

#[test]
fn a_day_that_owns_a_noun_opens_the_reported_clause() {
    let text = "The senators said Monday's ruling would make the choice starker.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "Monday's ruling would make the choice starker");
}

#[test]
fn a_title_case_headline_capitalises_its_verb_of_speech() {
    let text = "Mayor Says New Bridge Will Open In Spring.\n\nThe city council met on Monday to vote on the budget.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue, "Says");
    assert_eq!(found[0].text, "New Bridge Will Open In Spring");
    // In running text a capitalised word is a name, not a verb.
    assert!(quotes("The firm Tells Inc. opened a shop in the city centre on Monday.", "en").is_empty());
}

#[test]
fn a_closing_quote_after_the_stop_leaves_the_next_sentence_its_own_attribution() {
    let text = "Jay Ross, the club's president, suggested that the troubles came from a focus on \
                ''selling houses.'' But he operates on a different principle, he said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[1].text, "But he operates on a different principle");
}

#[test]
fn a_short_attribution_after_a_closed_quote_takes_it_but_narration_does_not() {
    // The splitter ends the sentence after '.”'; the attribution in the next
    // one is the quote's, not the statement of the paragraph before.
    let text = "Then, in March, Ms. Varga said that 300 berths would be added.\n\n\
                “We will not wait for the ministry. The berths are ours.” Mr. Okafor said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].text, "300 berths would be added");
    assert_eq!(found[1].kind, QuoteKind::Direct);
    assert_eq!(speaker_name(text, &found[1]).as_deref(), Some("Okafor"));
    // A sentence of narration after a quote is not its attribution.
    let text = "“The berths are ours,” Mr. Okafor said of the harbour plan, which the council rejected. \
                “We will not wait.”\n\nThe council's vote was reported by the local paper on Friday.";
    let found = quotes(text, "en");
    assert!(found.iter().all(|q| !q.text.contains("council's vote")), "{found:?}");
}

#[test]
fn a_speaker_noun_phrase_keeps_its_statement_about_a_named_person() {
    let text = "Military analysts say Mr. Okafor would recognize the folly of a long war.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Military analysts"));
    assert_eq!(found[0].cue, "say");
}

#[test]
fn an_aside_between_dashes_after_the_cue_is_skipped() {
    let text = "Maria Lindqvist said — on the radio, as it happens — that the harbour would reopen in May.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the harbour would reopen in May");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Maria Lindqvist"));
}

#[test]
fn a_relative_clause_after_a_speaker_noun_and_a_quoted_fragment_inside_the_clause() {
    let text =
        "The spokesman, who has worked for the council for many years, said that the council would meet again in May.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the council would meet again in May");
    assert!(found[0].speaker_text.as_deref().is_some_and(|s| s.starts_with("The spokesman")), "{found:?}");
    let text = "Mayor Ana Lopes said every tenant \"deserves a warm home\" of their own before the winter.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
    assert!(found[0].text.ends_with("of their own before the winter"), "{found:?}");
}

#[test]
fn an_infinitive_after_a_cue_is_its_content_and_a_raising_verb_names_no_speaker() {
    let text = "The mayor pledged to rebuild the harbour wall. The new bridge is expected to open in May. \
        The council seemed to favour the plan.";
    let found = quotes(text, "en");
    let pledged = found.iter().find(|q| q.cue == "pledged").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(pledged.text, "to rebuild the harbour wall");
    assert_eq!(pledged.speaker_text.as_deref(), Some("The mayor"));
    let expected = found.iter().find(|q| q.cue == "is expected").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(expected.text, "to open in May");
    assert_eq!(expected.speaker_text, None, "a passive's subject is not its speaker");
    let seemed = found.iter().find(|q| q.cue == "seemed").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(seemed.text, "The council seemed to favour the plan", "the subject opens what is reported");
    assert_eq!(seemed.speaker_text, None);
}

#[test]
fn a_one_word_answer_after_the_cue_and_a_longer_attribution_after_a_quote() {
    let text = "Asked whether the ferry would run on Sunday, the harbour master said, \"Probably.\"\n\n\
        \"Do you think we can wait?\" Ms. Okafor asked reporters during a visit on Monday.";
    let found = quotes(text, "en");
    let said = found.iter().find(|q| q.cue == "said").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(said.text, "Probably.");
    let asked = found.iter().find(|q| q.cue == "asked").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(asked.text, "Do you think we can wait?");
    assert_eq!(asked.speaker_text.as_deref(), Some("Ms. Okafor"));
}

#[test]
fn a_participle_clause_after_a_plain_noun_is_no_speaker_and_a_fronted_quote_no_content() {
    let text = "That would delay the vote until the autumn, forcing the board to meet again, said Lena Varga, \
        a council spokeswoman.\n\nSpeaking on the radio show “Morning Desk,” Varga admitted that the figures were wrong.";
    let found = quotes(text, "en");
    let said = found.iter().find(|q| q.cue == "said").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(said.speaker_text.as_deref(), Some("Lena Varga, a council spokeswoman"));
    let admitted = found.iter().find(|q| q.cue == "admitted").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(admitted.text, "the figures were wrong");
}

#[test]
fn a_role_written_in_lowercase_before_the_name_after_a_quote() {
    let text = "“The count will take a week,” election officer Mara Lind said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "The count will take a week");
    assert_eq!(found[0].speaker_text.as_deref(), Some("election officer Mara Lind"));
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Mara Lind"));
}

#[test]
fn a_cue_opening_the_sentence_then_its_speaker_and_the_quote() {
    let text = "Said Tomas Berg, who grew up on the island, “We were all so proud of the crew.”\n\n\
        “Everything you have said,” the judge exclaimed, “has already been heard.”";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].text, "We were all so proud of the crew.");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Tomas Berg, who grew up on the island"));
    assert_eq!(found[1].cue, "exclaimed");
    assert_eq!(found[1].speaker_text.as_deref(), Some("the judge"));
}

#[test]
fn a_quote_after_a_speaker_who_said_something_continues_the_speaker() {
    let text = "“The vote will be close,” said Anna Berg, a county organiser who said she planned to march. \
                “We have knocked on every door in town.”";
    let found = quotes(text, "en");
    // The remark inside the speaker's relative clause does not take the
    // next quote; it is a statement of its own.
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].text.ends_with("every door in town."), "{}", found[0].text);
    assert_eq!(found[1].text, "she planned to march");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Anna Berg"));
}

#[test]
fn a_subject_and_a_colon_before_a_quoted_sentence_attribute_it() {
    let text = "Maria Lopez later apologised for the delay: “We should have warned the families much earlier.”";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "We should have warned the families much earlier.");
    assert_eq!(found[0].cue, "later apologised for the delay:");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Maria Lopez"));
    // A lowercase fragment after the colon is not a quoted statement.
    let text = "Maria Lopez painted three words on the wall: “delay”, “cost” and “risk”.";
    assert!(quotes(text, "en").is_empty(), "{:?}", quotes(text, "en"));
}

#[test]
fn a_marker_after_a_short_opener_leads_its_sentence() {
    let text = "In addition, according to the labour office, nearly two thousand more workers will get the bonus.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "nearly two thousand more workers will get the bonus");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the labour office"));
    let text = "Par ailleurs, selon le ministère, deux mille salariés recevront la prime.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("le ministère"));
    assert!(found[0].text.starts_with("deux mille"), "{}", found[0].text);
}

#[test]
fn a_naming_verb_keeps_its_object_in_the_content() {
    let text = "Ms. Varga called the mayor a ''coward in a suit.''";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
    assert!(found[0].text.starts_with("the mayor a"), "{}", found[0].text);
    // After a colon the quote alone is the content.
    let text = "Ms. Varga told reporters: “The mayor is a coward in a suit.”";
    let found = quotes(text, "en");
    assert_eq!(found[0].text, "The mayor is a coward in a suit.");
}

#[test]
fn a_long_addressee_before_that_is_skipped() {
    let text = "On Tuesday, campaign chairman Paul Rinaldi told a Chamber of Commerce breakfast group that the plan remains firm.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the plan remains firm");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Paul Rinaldi"));
}

#[test]
fn the_part_after_an_incise_is_the_statement_even_with_a_cue_or_a_quoted_word() {
    let text = "Recently, he said, he has realized that the valley is not as welcoming.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "Recently he has realized that the valley is not as welcoming");
    let text = "And so, she said, while her neighbours are ''shocked'' by the plan, they admire the builders.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].text.ends_with("they admire the builders"), "{}", found[0].text);
    // A coordinated clause after the incise is no object before "that".
    let text = "The point of the fine is to stop the dumping, Ms. Orlova said, and that is not the case here.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].text.starts_with("The point of the fine"), "{}", found[0].text);
}

#[test]
fn a_comma_inside_a_number_cuts_nothing() {
    let text = "Mr. Hale wrote a $500,000 check to a committee backing Ms. Orlova.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "a $500,000 check to a committee backing Ms. Orlova");
}

#[test]
fn a_participle_or_adverbial_incise_is_the_verb_s_and_a_list_the_speaker_s() {
    let text = "Lena Ortiz, speaking at a rally in Toledo, said the plant would stay open. \
        Mark Dalton, at a later briefing, said the talks had failed. \
        Several farm groups, including the Grain Council, said prices would rise.";
    let found = quotes(text, "en");
    let by_text = |t: &str| found.iter().find(|q| q.text == t).unwrap_or_else(|| panic!("{t:?} in {found:?}"));
    assert_eq!(by_text("the plant would stay open").speaker_text.as_deref(), Some("Lena Ortiz"));
    assert_eq!(by_text("the talks had failed").speaker_text.as_deref(), Some("Mark Dalton"));
    assert_eq!(
        by_text("prices would rise").speaker_text.as_deref(),
        Some("Several farm groups, including the Grain Council")
    );
}

#[test]
fn a_quoted_fragment_ending_on_a_stop_ends_its_sentence() {
    let text = "The mayor dismissed the report as “careless.” The council members seemed calm.";
    let found = quotes(text, "en");
    let mayor = found.iter().find(|q| q.cue == "dismissed").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(mayor.text, "the report as “careless.”");
    // A quote opening its sentence still takes the attribution after it.
    let found = quotes("“Is the deal done?” Paul Grant said.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Paul Grant"));
}

#[test]
fn a_quote_split_by_its_attribution_is_one_statement_however_short_its_second_part() {
    let text = "“What we want — and what the town wants,” Ana Ruiz told the council, “is a school.”";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "What we want — and what the town wants is a school.");
    let found = quotes("“They wait,” she said. “Nobody moves, ever.”", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "They wait Nobody moves, ever.");
}

#[test]
fn words_running_into_a_quote_are_part_of_the_content() {
    let found = quotes("The mayor described the new budget as a “work in progress.”", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the new budget as a “work in progress.”");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
    // A colon between the words and the quote keeps them apart.
    let found = quotes("The mayor told the council: “The budget is done.”", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "The budget is done.");
}

#[test]
fn a_statement_in_a_fronted_subordinate_clause_ends_with_the_clause() {
    let found = quotes("While the minister said the bridge was safe, engineers closed it on Monday.", "en");
    let q = found.iter().find(|q| q.cue == "said").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.text, "the bridge was safe");
    // Without the subordinator the sentence is the statement's.
    let found = quotes("The minister said the bridge was safe, even in a storm.", "en");
    let q = found.iter().find(|q| q.cue == "said").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.text, "the bridge was safe, even in a storm");
}

#[test]
fn an_asked_question_ends_at_a_comma_inside_its_closing_mark() {
    let text = "Asked if the mayor is “ready to lead the city,” 64 percent of residents said yes.";
    let found = quotes(text, "en");
    let asked = found.iter().find(|q| q.cue == "Asked").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(asked.text, "if the mayor is “ready to lead the city,”");
}

#[test]
fn a_plural_agent_noun_names_speakers_even_unlisted() {
    let found = quotes("But flood forecasters say the river will crest on Friday.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("flood forecasters"));
    assert_eq!(found[0].text, "the river will crest on Friday");
}

#[test]
fn an_aside_between_commas_before_that_is_skipped() {
    let found = quotes("The inspector said, after a long review of the site, that the dam was sound.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "the dam was sound");
}

#[test]
fn a_text_reads_what_it_says() {
    let found = quotes("“Vote early and bring a friend,” the campaign email read.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the campaign email"));
    assert_eq!(found[0].cue, "read");
}

#[test]
fn a_participle_after_a_comma_inside_a_closing_mark_reports_what_follows() {
    let text = "Ana Ruiz praised the “courage of the river crews,” saying the town owed them a debt.";
    let found = quotes(text, "en");
    let q = found.iter().find(|q| q.cue == "saying").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.text, "the town owed them a debt");
    assert_eq!(q.speaker_text.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn a_quote_after_an_attribution_with_a_reported_clause_continues_the_quote() {
    let text = "“The water is rising,” Ana Ruiz said, adding that the dike would hold. “We are ready for it.”";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].text, "The water is rising We are ready for it.");
    assert_eq!(found[1].text, "the dike would hold");
}

#[test]
fn two_named_subjects_joined_by_and_are_one_speaker() {
    let found = quotes("Governor Ana Ruiz and Mayor Tom Becker said the bridge would reopen in May.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Governor Ana Ruiz and Mayor Tom Becker"));
}

#[test]
fn a_role_noun_after_an_opening_adjective_stays_in_the_speaker() {
    let text =
        "Mayoral candidate Ana Ruiz’s campaign says a dozen of the council members in the old town are backing her.";
    let found = quotes(text, "en");
    let q = found.iter().find(|q| q.cue == "says").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.speaker_text.as_deref(), Some("Mayoral candidate Ana Ruiz’s campaign"));
}

#[test]
fn a_connective_between_the_subject_and_its_verb_is_not_the_speaker() {
    let found = quotes("Ana Ruiz, meanwhile, said the bridge would reopen in May.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Ana Ruiz"));
    let found = quotes("Tom Becker, when reached by phone, said the dam was sound.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Tom Becker"));
}

#[test]
fn a_participle_after_a_comma_takes_the_subject_after_a_fronted_phrase() {
    let text = "Hours later, Ana Ruiz returned the compliment to Tom Becker, telling reporters, “He is a good man.”";
    let found = quotes(text, "en");
    let q = found.iter().find(|q| q.cue == "telling").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.speaker_text.as_deref(), Some("Ana Ruiz"));
    let text = "Facing criticism from the council, Ana Ruiz released a statement, describing the plan as a mistake.";
    let found = quotes(text, "en");
    let q = found.iter().find(|q| q.cue == "describing").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.speaker_text.as_deref(), Some("Ana Ruiz"));
}

#[test]
fn a_passive_cue_has_its_agent_as_speaker_or_none() {
    let found = quotes("Ana Ruiz was told by the council that the bridge would reopen in May.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the council"));
    assert_eq!(found[0].text, "the bridge would reopen in May");
    let found = quotes("It was announced on Monday that the dam had cracked.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text, None);
    // An unlisted verb in the passive before "that" is a state of mind: its subject holds it.
    let found = quotes("Tom Becker is convinced that the dam will hold.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Tom Becker"));
}

#[test]
fn the_subject_of_a_raising_verb_is_not_a_speaker() {
    for text in ["Ana Ruiz seemed pleased with the new bridge.", "It appears that the dam will hold."] {
        let found = quotes(text, "en");
        assert!(!found.is_empty() && found.iter().all(|q| q.speaker_text.is_none()), "{text}: {found:?}");
    }
    let found = quotes("It appears that the dam will hold.", "en");
    assert_eq!(found[0].text, "the dam will hold", "an expletive subject stays out of the statement");
}

#[test]
fn a_clause_after_the_person_addressed_is_the_content() {
    let found = quotes("Ana Ruiz told The River Gazette she had finished the survey.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "she had finished the survey");
    let found = quotes("The mayor told reporters it was done without his knowledge.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "it was done without his knowledge");
}

#[test]
fn a_said_incise_inside_a_sentence_ending_on_according_to_is_its_own_statement() {
    let text = "About 1,200 workers stopped work at dawn, the CGT ports and docks union said, and around forty container ships were waiting offshore by the evening, according to the harbour master's office.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].cue, "said");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the CGT ports and docks union"));
    assert_eq!(found[0].text, "About 1,200 workers stopped work at dawn");
    assert_eq!(found[1].cue, "according to");
    assert_eq!(found[1].speaker_text.as_deref(), Some("the harbour master's office"));
    assert_eq!(found[1].text, "around forty container ships were waiting offshore by the evening");
}

#[test]
fn a_quote_opening_a_mixed_content_keeps_both_marks() {
    let text = "Marc Aubert a dénoncé « un texte qui n'a pas changé d'une virgule » depuis la grève d'octobre.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "« un texte qui n'a pas changé d'une virgule » depuis la grève d'octobre");
}

#[test]
fn an_apposed_speaker_is_its_head_and_a_lone_surname_its_person() {
    let text = "Northwind Robotics, the warehouse automation company based in Rotterdam, said on Tuesday it would cut about 1,500 jobs. Chief executive Ingrid Vos said the company would close plants.\n\n\"We grew too fast during the boom in online shopping and now have to adjust,\" Vos told analysts on a conference call.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 3, "{found:?}");
    assert_eq!(speaker_name(text, &found[0]).as_deref(), Some("Northwind Robotics"));
    assert_eq!(speaker_name(text, &found[1]).as_deref(), Some("Ingrid Vos"));
    assert_eq!(found[2].speaker_text.as_deref(), Some("Vos"));
    assert_eq!(speaker_name(text, &found[2]).as_deref(), Some("Ingrid Vos"));
}

#[test]
fn a_cue_after_a_comma_closing_the_sentence_has_its_speaker_after_it() {
    let text = "Le Portugal a enregistré samedi une température de 46,8 °C à Mora, dans l'Alentejo, un record national pour un mois de juillet, a annoncé l'Institut portugais de la mer et de l'atmosphère.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("l'Institut portugais de la mer et de l'atmosphère"));
    assert!(found[0].text.starts_with("Le Portugal a enregistré samedi"), "{:?}", found[0].text);
    // No clause before the comma: the phrase after the cue is its object.
    let text = "Le groupe, en grande difficulté depuis deux ans, a annoncé la fermeture de son usine.";
    let found = quotes(text, "fr");
    assert!(found.iter().all(|q| q.speaker_text.as_deref() != Some("la fermeture de son usine")), "{found:?}");
}

#[test]
fn a_clause_only_cue_takes_no_object() {
    let found = quotes("Le texte relève progressivement l'âge de départ des marins de 55 à 57 ans.", "fr");
    assert!(found.is_empty(), "{found:?}");
    let text = "La ministre relève que l'âge de départ des marins passera de 55 à 57 ans.";
    let found = quotes(text, "fr");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "l'âge de départ des marins passera de 55 à 57 ans");
}

#[test]
fn a_clause_is_no_speaker_and_a_plural_before_be_is_no_cue() {
    // "references" could be a verb, but its "subject" holds an auxiliary: a clause.
    let text = "Since the audit, the council has not been publishing meeting references, two officials said.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue, "said");
    assert_eq!(found[0].speaker_text.as_deref(), Some("two officials"));
    // "plans" before "are" is the subject's noun; the statement is the tail's.
    let text = "The new harbour plans are ''far too costly,'' said Ruth Okafor, a port engineer.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue, "said");
    assert!(found[0].speaker_text.as_deref().is_some_and(|s| s.starts_with("Ruth Okafor")), "{found:?}");
    // A relative clause inside the speaker's phrase is still a noun phrase.
    let text = "The company, which has long supplied the school, said it would close.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("The company, which has long supplied the school"));
}

#[test]
fn compound_objects_in_a_speaker_and_a_mistyped_closing_mark() {
    let text = "Some advocates for river basin management said the dam plan ignored the floods.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("Some advocates for river basin management"));
    let text = "“We were never consulted,“ said Tom Ellery, a farmer near the dam. “Nobody asked.”";
    let found = quotes(text, "en");
    assert!(
        found.iter().any(|q| q.text.starts_with("We were never consulted") && !q.text.contains('“') && q.cue == "said"),
        "an opening mark typed as the closing one still closes: {found:?}"
    );
}

#[test]
fn a_trailing_according_to_after_a_closing_mark_takes_the_clause() {
    let text = "The mayor said the works were meant to “calm the neighbours,” according to the minutes.";
    let found = quotes(text, "en");
    assert!(
        found.iter().any(|q| q.cue == "according to" && q.speaker_text.as_deref() == Some("the minutes")),
        "{found:?}"
    );
    assert!(found.iter().all(|q| !q.text.contains("according to")), "no content runs over the marker: {found:?}");
}

#[test]
fn an_as_clause_after_a_coordinator_and_a_subject_named_by_a_noun() {
    let text = "But as the mayor noted, the river rose faster than in any year on record.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the mayor"));
    assert_eq!(found[0].text, "the river rose faster than in any year on record");
    // "X did Y and announced ...": the cue shares the subject, here a noun, not a name.
    let text = "The union held a rally in Lyon on Monday and announced it would strike again in May.";
    let found = quotes(text, "en");
    assert!(found.iter().any(|q| q.cue == "announced" && q.speaker_text.as_deref() == Some("The union")), "{found:?}");
}

#[test]
fn a_quote_after_a_colon_with_its_own_tail_is_the_tail_statement() {
    let text = "The minister seemed tired: “We have done all we can,” she told reporters.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cue, "told");
    assert_eq!(found[0].text, "We have done all we can");
}

#[test]
fn a_cue_in_a_relative_clause_leaves_the_main_cue_its_speaker() {
    let text = "Farmers and others who oppose the dam said the flood plan would fail.";
    let found = quotes(text, "en");
    let main = found.iter().find(|q| q.cue == "said").expect("the main clause's statement");
    assert_eq!(main.speaker_text.as_deref(), Some("Farmers and others who oppose the dam"));
    assert_eq!(main.text, "the flood plan would fail");
    // A quoted word inside a relative incise keeps the incise in the speaker's phrase.
    let text = "The mayor, who called the plan “reckless,” said it would fail.";
    let found = quotes(text, "en");
    let main = found.iter().find(|q| q.cue == "said").expect("the main clause's statement");
    assert_eq!(main.text, "it would fail");
    assert!(main.speaker_text.as_deref().is_some_and(|s| s.starts_with("The mayor, who called")), "{found:?}");
}

#[test]
fn a_cue_that_takes_an_object_reports_it_up_to_a_comma() {
    let found = quotes("The dockers' union endorsed Marta Quintal in the spring, then launched a strike fund.", "en");
    let endorsed = found.iter().find(|q| q.cue == "endorsed").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(endorsed.text, "Marta Quintal in the spring");
    // A clause after the same cue is not cut at its comma.
    let found = quotes("The union backed that the port, once rebuilt, would reopen.", "en");
    let backed = found.iter().find(|q| q.cue == "backed").unwrap_or_else(|| panic!("{found:?}"));
    assert!(backed.text.ends_with("would reopen"), "{found:?}");
}

#[test]
fn quoted_words_inside_the_narration_before_a_tail_are_part_of_the_content() {
    let text = "Ports should publish their figures and not hide behind words like “soon” and “later”, the minister told reporters.";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].text.starts_with("Ports should publish"), "{found:?}");
    assert_eq!(found[0].kind, QuoteKind::Mixed);
}

#[test]
fn a_speaker_phrase_starting_inside_a_name_takes_the_whole_name() {
    let text = "The Council for Harbour Safety and Maritime Research says the port will close.";
    let name = "Council for Harbour Safety and Maritime Research";
    let mentions = vec![Mention {
        start: 4,
        end: 4 + name.chars().count(),
        text: name.into(),
        kind: EntityType::Org,
        role: None,
        role_country: None,
    }];
    let found = find_quotes(text, Some("en"), &mentions, None);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("The Council for Harbour Safety and Maritime Research"));
}

#[test]
fn a_quote_after_a_reported_question_is_not_the_askers() {
    let text = "On the radio, callers asked how much the harbour master was paid. “I earn what the board decides.”";
    let found = quotes(text, "en");
    let asked = found.iter().find(|q| q.cue == "asked").unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(asked.text, "how much the harbour master was paid", "{found:?}");
    // A statement goes on with the quote after it, as before.
    let found = quotes("The mayor explained why the bridge was closed. “It was unsafe. We had no choice.”", "en");
    assert!(found[0].text.ends_with("We had no choice."), "{found:?}");
}

#[test]
fn as_reported_by_leads_a_sentence_as_according_to_does() {
    let found = quotes("As first reported by the Harbour Gazette, the port authority cancelled the tender.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("the Harbour Gazette"));
    assert_eq!(found[0].text, "the port authority cancelled the tender");
}

#[test]
fn reportedly_reports_its_clause_with_no_speaker() {
    let found = quotes("The port authority is reportedly preparing a new tender, leaving the unions uneasy.", "en");
    let q = found.iter().find(|q| q.cue.ends_with("reportedly")).unwrap_or_else(|| panic!("{found:?}"));
    assert_eq!(q.text, "The port authority is reportedly preparing a new tender");
    assert_eq!(q.speaker_text, None);
}

#[test]
fn a_quote_opening_a_parenthesis_is_the_statement_alone() {
    let text = "The merger drew anger from members (“We were never asked,” wrote Ana Ruiz, a crane driver).";
    let found = quotes(text, "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].text, "We were never asked");
    assert_eq!(found[0].kind, QuoteKind::Direct);
}

#[test]
fn a_capitalised_auxiliary_inside_a_sentence_is_a_name() {
    let found = quotes("The columnist George Will wrote that the harbour plan was lost.", "en");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].speaker_text.as_deref(), Some("The columnist George Will"));
    assert_eq!(found[0].cue, "wrote");
    // "Having said that" opens a clause, it names no one.
    let found = quotes("Having said that, the port will reopen in May.", "en");
    assert!(found.iter().all(|q| q.speaker_text.as_deref() != Some("Having")), "{found:?}");
}
