//! The JSON API. Every handler runs its store work on a blocking thread;
//! errors are JSON `{"error": message}` with the matching status.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use storyline_backend::AnyStore;
use storyline_model::{ContentKind, RawDocument, SourceHints};
use storyline_store::{Lookup, StoreRead, StoryFilter, StoryRow};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::{AppState, MAX_PAGE, MAX_QUERY};

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

/// The body of every error.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    error: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into() }
    }
    fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
    fn missing(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, message)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, format!("{err:#}"))
    }
}

impl From<storyline_store::StoreError> for ApiError {
    fn from(err: storyline_store::StoreError) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, err.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.message })).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs store work on a blocking thread with a reader connection.
async fn read<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&AnyStore) -> ApiResult<T> + Send + 'static,
) -> ApiResult<T> {
    let _slot = state
        .read_slots
        .acquire()
        .await
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let mut out = None;
        let opened = state.read(|store| {
            out = Some(f(store));
            Ok(())
        });
        match (opened, out) {
            (_, Some(result)) => result,
            (Err(err), None) => Err(err.into()),
            (Ok(()), None) => Err(ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "no result")),
        }
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
}

/// Refuses long query strings before any handler runs.
pub async fn bound_query(request: Request, next: Next) -> Response {
    if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        return ApiError::new(StatusCode::URI_TOO_LONG, format!("query string longer than {MAX_QUERY} bytes"))
            .into_response();
    }
    next.run(request).await
}

fn page(limit: Option<usize>, offset: Option<usize>) -> ApiResult<(usize, usize)> {
    let limit = limit.unwrap_or(50);
    if limit == 0 || limit > MAX_PAGE {
        return Err(ApiError::bad(format!("limit must be between 1 and {MAX_PAGE}")));
    }
    Ok((limit, offset.unwrap_or(0).min(1_000_000)))
}

fn date(text: &Option<String>, name: &str) -> ApiResult<Option<NaiveDate>> {
    text.as_deref()
        .filter(|t| !t.is_empty())
        .map(|t| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| ApiError::bad(format!("{name} must be YYYY-MM-DD")))
        })
        .transpose()
}

/// A story in a list.
#[derive(Serialize, ToSchema)]
pub struct StoryItem {
    id: String,
    title: Option<String>,
    start: Option<String>,
    end: Option<String>,
    sources: usize,
    langs: Vec<String>,
}

impl From<StoryRow> for StoryItem {
    fn from(r: StoryRow) -> StoryItem {
        StoryItem {
            id: r.id,
            title: r.title,
            start: r.start.map(|d| d.to_string()),
            end: r.end.map(|d| d.to_string()),
            sources: r.sources,
            langs: r.langs,
        }
    }
}

/// A page of stories.
#[derive(Serialize, ToSchema)]
pub struct StoryPage {
    stories: Vec<StoryItem>,
    limit: usize,
    offset: usize,
    /// The offset of the next page, when there is one.
    next_offset: Option<usize>,
}

/// Filters and paging of the story list.
#[derive(Deserialize, IntoParams)]
pub struct StoryQuery {
    /// Words the stories' articles contain.
    q: Option<String>,
    /// An entity (id, id prefix or name) the stories mention.
    entity: Option<String>,
    /// Stories ending on or after this day (YYYY-MM-DD).
    from: Option<String>,
    /// Stories starting on or before this day (YYYY-MM-DD).
    to: Option<String>,
    /// Stories with an article in this language.
    lang: Option<String>,
    /// Page size (1 to 200, default 50).
    limit: Option<usize>,
    /// Stories to skip.
    offset: Option<usize>,
}

/// The entity a parameter names: an id, a unique id prefix, or a name.
fn entity_id(store: &AnyStore, text: &str) -> ApiResult<Option<String>> {
    if let Lookup::Found(e) = store.entity_by_prefix(text)? {
        return Ok(Some(e.id));
    }
    let named = storyline_pipeline::query::entities_named(store, text)?;
    Ok(named.into_iter().next().map(|e| e.id))
}

#[utoipa::path(get, path = "/api/stories", params(StoryQuery),
    responses((status = 200, body = StoryPage), (status = 400, body = ErrorBody)))]
async fn stories(State(state): State<Arc<AppState>>, Query(query): Query<StoryQuery>) -> ApiResult<Json<StoryPage>> {
    let (limit, offset) = page(query.limit, query.offset)?;
    let (from, to) = (date(&query.from, "from")?, date(&query.to, "to")?);
    read(&state, move |store| {
        let entity = match query.entity.as_deref().filter(|e| !e.is_empty()) {
            Some(text) => match entity_id(store, text)? {
                Some(id) => Some(id),
                None => return Err(ApiError::missing(format!("no entity named {text:?}"))),
            },
            None => None,
        };
        let filter = StoryFilter {
            q: query.q.filter(|q| !q.trim().is_empty()),
            entity,
            from,
            to,
            lang: query.lang.filter(|l| !l.is_empty()),
        };
        let mut rows = store.story_page(&filter, limit + 1, offset)?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        Ok(Json(StoryPage {
            stories: rows.into_iter().map(StoryItem::from).collect(),
            limit,
            offset,
            next_offset: more.then_some(offset + limit),
        }))
    })
    .await
}

/// One source of a story.
#[derive(Serialize, ToSchema)]
pub struct SourceItem {
    id: String,
    title: Option<String>,
    /// The outlet: the site's name, else the URL's host, else the file.
    outlet: String,
    published: Option<String>,
    published_source: Option<String>,
    lang: Option<String>,
    url: Option<String>,
    duplicate_of: Option<String>,
}

/// Dated facts of one day.
#[derive(Serialize, ToSchema)]
pub struct TimelineDay {
    date: String,
    count: usize,
    items: Vec<TimelineItem>,
}

/// One dated fact: the sentence that gives the day.
#[derive(Serialize, ToSchema)]
pub struct TimelineItem {
    article: String,
    text: String,
}

/// An entity of a story, with its mentions there.
#[derive(Serialize, ToSchema)]
pub struct StoryEntity {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    mentions: usize,
}

/// A statement of a story.
#[derive(Serialize, ToSchema)]
pub struct StatementItem {
    speaker: Option<String>,
    speaker_name: Option<String>,
    text: String,
    kind: String,
    cue: String,
    denial: bool,
    reports: usize,
    independent_sources: usize,
    articles: Vec<String>,
}

/// A fact of a story: one act and the sources that report it.
#[derive(Serialize, ToSchema)]
pub struct FactItem {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    source: Option<String>,
    target: Option<String>,
    source_name: String,
    target_name: String,
    stance: String,
    date: Option<String>,
    articles: Vec<String>,
    independent_sources: usize,
    /// The sentence of its first report.
    evidence: String,
}

/// A value given for a quantity in a story.
#[derive(Serialize, ToSchema)]
pub struct FigureItem {
    quantity: String,
    period: Option<String>,
    value: u64,
    articles: Vec<String>,
    /// As written in each article ("plus de 1 250 morts").
    texts: Vec<String>,
    /// Indices (in `figures`) of other values for the same quantity and period.
    conflicts_with: Vec<usize>,
}

/// A passage two articles share (wire copy).
#[derive(Serialize, ToSchema)]
pub struct SharedPassage {
    article: String,
    other: String,
    text: String,
}

/// One story in full.
#[derive(Serialize, ToSchema)]
pub struct StoryDetail {
    id: String,
    title: Option<String>,
    start: Option<String>,
    end: Option<String>,
    sources: Vec<SourceItem>,
    timeline: Vec<TimelineDay>,
    entities: Vec<StoryEntity>,
    statements: Vec<StatementItem>,
    /// Facts in date order (events confirmed across sources).
    facts: Vec<FactItem>,
    /// Figures (counts of the dead, the wounded, ...), conflicts side by side.
    figures: Vec<FigureItem>,
    shared_passages: Vec<SharedPassage>,
    /// Why the articles are together: the names most of them share.
    why: Vec<String>,
}

fn outlet(a: &storyline_model::Article) -> String {
    if let Some(site) = a.site_name.as_ref().filter(|s| !s.is_empty()) {
        return site.clone();
    }
    if let Some(url) = &a.url {
        if let Some(host) = url.split("://").nth(1).and_then(|r| r.split('/').next()) {
            return host.trim_start_matches("www.").to_string();
        }
    }
    std::path::Path::new(&a.source).file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or(a.source.clone())
}

#[utoipa::path(get, path = "/api/stories/{id}", params(("id" = String, Path, description = "story id or unique prefix")),
    responses((status = 200, body = StoryDetail), (status = 308, description = "merged into another story"),
               (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn story(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Response> {
    read(&state, move |store| {
        let story = match store.story_by_prefix(&id)? {
            Lookup::Found(s) => s,
            Lookup::Ambiguous(n) => {
                return Err(ApiError::bad(format!("{id:?} matches {n} stories; give more of the id")))
            }
            Lookup::Missing => {
                return match store.story_redirect(&id)? {
                    Some(successor) => Ok(Redirect::permanent(&format!("/api/stories/{successor}")).into_response()),
                    None => Err(ApiError::missing(format!("no story with id {id:?}"))),
                }
            }
        };
        let mut sources = Vec::new();
        let mut days: BTreeMap<NaiveDate, Vec<TimelineItem>> = BTreeMap::new();
        let mut counts: BTreeMap<String, (usize, std::collections::BTreeSet<String>)> = BTreeMap::new();
        let mut passages = Vec::new();
        for article_id in story.articles.iter().take(500) {
            let Some(a) = store.article(article_id)? else { continue };
            let chars: Vec<char> = a.text.chars().collect();
            for (day, text) in storyline_pipeline::query::dated_sentences(&a.text, a.published) {
                days.entry(day).or_default().push(TimelineItem { article: a.id.clone(), text });
            }
            for (_, entity) in store.mentions_of_article(&a.id)? {
                if let Some(e) = entity {
                    let entry = counts.entry(e).or_default();
                    entry.0 += 1;
                    entry.1.insert(a.id.clone());
                }
            }
            for (other, start, end) in store.shared_passages_of(&a.id)? {
                if a.id < other {
                    passages.push(SharedPassage {
                        article: a.id.clone(),
                        other,
                        text: chars[start.min(chars.len())..end.min(chars.len())].iter().collect(),
                    });
                }
            }
            sources.push(SourceItem {
                outlet: outlet(&a),
                id: a.id,
                title: a.title,
                published: a.published.map(|d| d.to_string()),
                published_source: a.published_source.map(|s| s.as_str().to_string()),
                lang: a.lang,
                url: a.url,
                duplicate_of: a.duplicate_of,
            });
        }
        let ids: Vec<String> = counts.keys().cloned().collect();
        let mut entities: Vec<StoryEntity> = store
            .entity_names(&ids)?
            .into_iter()
            .map(|(id, name, kind)| StoryEntity { mentions: counts[&id].0, id, name, kind })
            .collect();
        entities.sort_by(|a, b| b.mentions.cmp(&a.mentions).then(a.name.cmp(&b.name)));
        let members = story.articles.len().max(1);
        let why: Vec<String> = entities
            .iter()
            .filter(|e| counts[&e.id].1.len() * 2 > members || members == 1)
            .take(8)
            .map(|e| e.name.clone())
            .collect();
        entities.truncate(60);
        let statements = storyline_pipeline::query::statements(store, &story.articles)?
            .into_iter()
            .take(100)
            .map(|view| {
                let first = &view.quotes[0].quote;
                StatementItem {
                    speaker: view.statement.speaker.clone().filter(|s| !s.starts_with("text:")),
                    speaker_name: view.speaker_name.clone(),
                    text: view.statement.text.clone(),
                    kind: first.kind.as_str().to_string(),
                    cue: first.cue.clone(),
                    denial: first.denial,
                    reports: view.statement.sources.len(),
                    independent_sources: view.statement.independent_sources,
                    articles: view.statement.sources.iter().map(|s| s.article.clone()).collect(),
                }
            })
            .collect();
        let mut texts: std::collections::HashMap<String, Vec<char>> = std::collections::HashMap::new();
        let mut facts = Vec::new();
        for f in storyline_pipeline::facts::story_facts(store, &story)?.into_iter().take(200) {
            let first = &f.fact.reports[0];
            if !texts.contains_key(&first.article) {
                let text = store.article(&first.article)?.map(|a| a.text.chars().collect()).unwrap_or_default();
                texts.insert(first.article.clone(), text);
            }
            let chars = &texts[&first.article];
            let (a, b) = (first.event.start.min(chars.len()), first.event.end.min(chars.len()));
            facts.push(FactItem {
                id: f.id,
                kind: f.fact.kind.clone(),
                source: f.source_entity,
                target: f.target_entity,
                source_name: f.source_name,
                target_name: f.target_name,
                stance: f.fact.stance.clone(),
                date: f.fact.date.map(|d| d.to_string()),
                articles: f.fact.articles.clone(),
                independent_sources: f.fact.independent_sources,
                evidence: chars[a..b].iter().collect(),
            });
        }
        let figures = storyline_pipeline::facts::story_figures(store, &story)?
            .into_iter()
            .map(|g| FigureItem {
                texts: g.reports.iter().map(|r| r.figure.text.clone()).collect(),
                quantity: g.quantity,
                period: g.period,
                value: g.value,
                articles: g.articles,
                conflicts_with: g.conflicts_with,
            })
            .collect();
        let timeline = days
            .into_iter()
            .map(|(date, mut items)| {
                items.dedup_by(|a, b| a.text == b.text);
                TimelineDay { date: date.to_string(), count: items.len(), items }
            })
            .collect();
        Ok(Json(StoryDetail {
            id: story.id,
            title: story.title,
            start: story.start.map(|d| d.to_string()),
            end: story.end.map(|d| d.to_string()),
            sources,
            timeline,
            entities,
            statements,
            facts,
            figures,
            shared_passages: passages,
            why,
        })
        .into_response())
    })
    .await
}

/// An entity in a list.
#[derive(Serialize, ToSchema)]
pub struct EntityItem {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    aliases: Vec<String>,
    mentions: usize,
}

/// A page of entities.
#[derive(Serialize, ToSchema)]
pub struct EntityPage {
    entities: Vec<EntityItem>,
    limit: usize,
    offset: usize,
    next_offset: Option<usize>,
}

/// Filters and paging of the entity list.
#[derive(Deserialize, IntoParams)]
pub struct EntityQuery {
    /// The start of the name or of an alias.
    q: Option<String>,
    /// PER, LOC, ORG or MISC.
    #[serde(rename = "type")]
    kind: Option<String>,
    /// Page size (1 to 200, default 50).
    limit: Option<usize>,
    /// Entities to skip.
    offset: Option<usize>,
}

#[utoipa::path(get, path = "/api/entities", params(EntityQuery),
    responses((status = 200, body = EntityPage), (status = 400, body = ErrorBody)))]
async fn entities(State(state): State<Arc<AppState>>, Query(query): Query<EntityQuery>) -> ApiResult<Json<EntityPage>> {
    let (limit, offset) = page(query.limit, query.offset)?;
    if let Some(kind) = query.kind.as_deref().filter(|k| !k.is_empty()) {
        if storyline_model::EntityType::parse(kind).is_none() {
            return Err(ApiError::bad("type must be PER, LOC, ORG or MISC"));
        }
    }
    read(&state, move |store| {
        let q = query.q.as_deref().filter(|q| !q.is_empty());
        let kind = query.kind.as_deref().filter(|k| !k.is_empty());
        let mut rows = store.entity_page(q, kind, limit + 1, offset)?;
        let more = rows.len() > limit;
        rows.truncate(limit);
        Ok(Json(EntityPage {
            entities: rows
                .into_iter()
                .map(|r| EntityItem {
                    id: r.entity.id,
                    name: r.entity.name,
                    kind: r.entity.kind.as_str().to_string(),
                    aliases: r.entity.aliases,
                    mentions: r.mentions,
                })
                .collect(),
            limit,
            offset,
            next_offset: more.then_some(offset + limit),
        }))
    })
    .await
}

/// An entity that appears in the same articles.
#[derive(Serialize, ToSchema)]
pub struct Companion {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    /// Articles they share.
    count: usize,
}

/// One entity in full.
#[derive(Serialize, ToSchema)]
pub struct EntityDetail {
    id: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    aliases: Vec<String>,
    roles: Vec<String>,
    /// Its most recent stories (at most 50), newest first.
    stories: Vec<StoryItem>,
    /// How many of its stories start in each month, for the chart.
    story_months: Vec<MonthCount>,
    cooccurring: Vec<Companion>,
    /// Its facts (as source or target) over its 20 most recent stories, in date order.
    facts: Vec<EntityFact>,
}

/// A fact an entity takes part in.
#[derive(Serialize, ToSchema)]
pub struct EntityFact {
    id: String,
    story: String,
    #[serde(rename = "type")]
    kind: String,
    source_name: String,
    target_name: String,
    stance: String,
    date: Option<String>,
    independent_sources: usize,
}

/// Stories of one month.
#[derive(Serialize, ToSchema)]
pub struct MonthCount {
    /// YYYY-MM.
    month: String,
    count: usize,
}

#[utoipa::path(get, path = "/api/entities/{id}", params(("id" = String, Path, description = "entity id or unique prefix")),
    responses((status = 200, body = EntityDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn entity(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<EntityDetail>> {
    read(&state, move |store| {
        let e = match store.entity_by_prefix(&id)? {
            Lookup::Found(e) => e,
            Lookup::Ambiguous(n) => {
                return Err(ApiError::bad(format!("{id:?} matches {n} entities; give more of the id")))
            }
            Lookup::Missing => return Err(ApiError::missing(format!("no entity with id {id:?}"))),
        };
        let stories: Vec<StoryItem> = store.entity_stories(&e.id, 50)?.into_iter().map(StoryItem::from).collect();
        // The facts of its 20 most recent stories, from the list just read.
        let recent: Vec<String> = stories.iter().take(20).map(|s| s.id.clone()).collect();
        let story_months =
            store.entity_story_months(&e.id)?.into_iter().map(|(month, count)| MonthCount { month, count }).collect();
        let cooccurring = store
            .cooccurring(&e.id, 30)?
            .into_iter()
            .map(|(o, count)| Companion { id: o.id, name: o.name, kind: o.kind.as_str().to_string(), count })
            .collect();
        let facts = storyline_pipeline::facts::entity_facts_in(store, &e.id, &recent)?
            .into_iter()
            .take(200)
            .map(|f| EntityFact {
                id: f.id,
                story: f.story,
                kind: f.fact.kind,
                source_name: f.source_name,
                target_name: f.target_name,
                stance: f.fact.stance,
                date: f.fact.date.map(|d| d.to_string()),
                independent_sources: f.fact.independent_sources,
            })
            .collect();
        Ok(Json(EntityDetail {
            facts,
            kind: e.kind.as_str().to_string(),
            id: e.id,
            name: e.name,
            aliases: e.aliases,
            roles: e.roles,
            stories,
            story_months,
            cooccurring,
        }))
    })
    .await
}

/// A mention in an article.
#[derive(Serialize, ToSchema)]
pub struct MentionItem {
    start: usize,
    end: usize,
    text: String,
    #[serde(rename = "type")]
    kind: String,
    entity: Option<String>,
}

/// One article in full.
#[derive(Serialize, ToSchema)]
pub struct ArticleDetail {
    id: String,
    source: String,
    title: Option<String>,
    lang: Option<String>,
    published: Option<String>,
    published_source: Option<String>,
    author: Option<String>,
    url: Option<String>,
    text: String,
    story: Option<String>,
    duplicate_of: Option<String>,
    mentions: Vec<MentionItem>,
    /// Attributions: the stored quote records (docs/json-schema.md) with the speaker's entity.
    #[schema(value_type = Vec<Object>)]
    quotes: Vec<serde_json::Value>,
}

#[utoipa::path(get, path = "/api/articles/{id}", params(("id" = String, Path, description = "article id or unique prefix")),
    responses((status = 200, body = ArticleDetail), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn article(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> ApiResult<Json<ArticleDetail>> {
    read(&state, move |store| {
        let a = match store.article_by_prefix(&id)? {
            Lookup::Found(a) => a,
            Lookup::Ambiguous(n) => {
                return Err(ApiError::bad(format!("{id:?} matches {n} articles; give more of the id")))
            }
            Lookup::Missing => return Err(ApiError::missing(format!("no article with id {id:?}"))),
        };
        let mentions = store
            .mentions_of_article(&a.id)?
            .into_iter()
            .map(|(m, entity)| MentionItem {
                start: m.start,
                end: m.end,
                text: m.text,
                kind: m.kind.as_str().into(),
                entity,
            })
            .collect();
        let quotes = store
            .quotes(Some(std::slice::from_ref(&a.id)))?
            .into_iter()
            .map(|q| {
                let mut value = serde_json::to_value(&q.quote).unwrap_or_default();
                value["speaker"] = serde_json::json!(q.speaker);
                value
            })
            .collect();
        Ok(Json(ArticleDetail {
            id: a.id,
            source: a.source,
            title: a.title,
            lang: a.lang,
            published: a.published.map(|d| d.to_string()),
            published_source: a.published_source.map(|s| s.as_str().to_string()),
            author: a.author,
            url: a.url,
            text: a.text,
            story: a.story,
            duplicate_of: a.duplicate_of,
            mentions,
            quotes,
        }))
    })
    .await
}

/// An article found by search.
#[derive(Serialize, ToSchema)]
pub struct SearchItem {
    article: String,
    story: Option<String>,
    title: Option<String>,
    /// Text around the match; matched words between `[` and `]`.
    snippet: String,
}

/// Search results: matching articles and their stories.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    articles: Vec<SearchItem>,
    stories: Vec<StoryItem>,
}

/// A search.
#[derive(Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words to find (all must match).
    q: String,
    /// Most articles (1 to 200, default 50).
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/search", params(SearchQuery),
    responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody)))]
async fn search(
    State(state): State<Arc<AppState>>,
    Query(query): Query<SearchQuery>,
) -> ApiResult<Json<SearchResults>> {
    let (limit, _) = page(query.limit, None)?;
    if query.q.trim().is_empty() {
        return Err(ApiError::bad("q must not be empty"));
    }
    read(&state, move |store| {
        let hits = store.search_snippets(&query.q, limit)?;
        // The stories of the articles found, in the order of their best article.
        let mut stories: Vec<StoryItem> = Vec::new();
        for story in hits.iter().filter_map(|h| h.story.as_deref()) {
            if stories.len() < 20 && !stories.iter().any(|s| s.id == story) {
                if let Lookup::Found(s) = store.story_by_prefix(story)? {
                    stories.push(StoryItem {
                        id: s.id,
                        title: s.title,
                        start: s.start.map(|d| d.to_string()),
                        end: s.end.map(|d| d.to_string()),
                        sources: s.articles.len(),
                        langs: Vec::new(),
                    });
                }
            }
        }
        Ok(Json(SearchResults {
            articles: hits
                .into_iter()
                .map(|h| SearchItem { article: h.article, story: h.story, title: h.title, snippet: h.snippet })
                .collect(),
            stories,
        }))
    })
    .await
}

/// What an ingest did.
#[derive(Serialize, ToSchema)]
pub struct IngestSummary {
    documents: usize,
    stored: usize,
    duplicates: usize,
    failed: Vec<IngestFailure>,
    stories_changed: usize,
}

/// A document that could not be stored.
#[derive(Serialize, ToSchema)]
pub struct IngestFailure {
    source: String,
    reason: String,
}

/// Where an ingest's documents come from.
#[derive(Deserialize, IntoParams)]
pub struct IngestQuery {
    /// A name for the document(s), shown in errors and kept as the source.
    source: Option<String>,
}

#[utoipa::path(post, path = "/api/ingest", params(IngestQuery),
    request_body(content = String, description = "JSON Lines (application/x-ndjson), one HTML page (text/html) or one text (text/plain)"),
    responses((status = 200, body = IngestSummary), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody),
               (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
async fn ingest(
    State(state): State<Arc<AppState>>,
    Query(query): Query<IngestQuery>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<IngestSummary>> {
    let body = body.map_err(|r| ApiError::new(r.status(), r.body_text()))?;
    if let Some(token) = &state.token {
        let given =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if given != Some(token.as_str()) {
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, "this endpoint needs Authorization: Bearer TOKEN"));
        }
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let source = query.source.unwrap_or_else(|| "api".to_string());
    let mut docs = Vec::new();
    let mut failed = Vec::new();
    match mime.as_str() {
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" | "application/json" => {
            let reader = Box::new(std::io::Cursor::new(body.to_vec()));
            let options = storyline_sources::SourceOptions::default();
            storyline_sources::read_reader(
                &source,
                reader,
                storyline_sources::FileFormat::Jsonl,
                &options,
                &mut |item| match item {
                    Ok(doc) => docs.push(doc),
                    Err(e) => failed.push(IngestFailure { source: e.source, reason: e.reason }),
                },
            );
        }
        "text/html" | "application/xhtml+xml" | "text/plain" => {
            let kind = if mime == "text/plain" { ContentKind::Text } else { ContentKind::Html };
            docs.push(RawDocument {
                source: source.clone(),
                external_id: None,
                kind,
                bytes: body.to_vec(),
                hints: SourceHints::default(),
            });
        }
        _ => {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/x-ndjson, text/html or text/plain",
            ))
        }
    }
    let documents = docs.len() + failed.len();
    let state2 = Arc::clone(&state);
    // In the pipeline's batches: each one transaction, memory bounded by the batch.
    let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<storyline_pipeline::Summary> {
        let mut store = state2.writer.lock().unwrap_or_else(|e| e.into_inner());
        let mut total = storyline_pipeline::Summary::default();
        let mut docs = docs;
        while !docs.is_empty() {
            let rest = docs.split_off(docs.len().min(storyline_pipeline::BATCH));
            let done = state2.pipeline.ingest_batch(&mut *store, std::mem::replace(&mut docs, rest))?;
            total.stored += done.stored;
            total.duplicates += done.duplicates;
            total.stories_changed += done.stories_changed;
            total.failed.extend(done.failed);
        }
        Ok(total)
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))??;
    failed.extend(summary.failed.into_iter().map(|e| IngestFailure { source: e.source, reason: e.reason }));
    if summary.stored + summary.duplicates == 0 {
        let reasons: Vec<String> = failed.iter().map(|f| format!("{}: {}", f.source, f.reason)).collect();
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("nothing could be stored: {}", reasons.join("; ")),
        ));
    }
    Ok(Json(IngestSummary {
        documents,
        stored: summary.stored,
        duplicates: summary.duplicates,
        failed,
        stories_changed: summary.stories_changed,
    }))
}

/// What to export.
#[derive(Deserialize, IntoParams)]
pub struct ExportQuery {
    /// json (default), jsonl, csv or parquet.
    format: Option<String>,
    /// For parquet, the table: articles, stories, entities, mentions, times or quotes.
    table: Option<String>,
}

/// Sends what an export writes to the response as it is written.
struct ChannelWriter(tokio::sync::mpsc::Sender<Result<axum::body::Bytes, std::io::Error>>);

impl std::io::Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .blocking_send(Ok(axum::body::Bytes::copy_from_slice(buf)))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[utoipa::path(get, path = "/api/export", params(ExportQuery),
    responses((status = 200, description = "the export, streamed"), (status = 400, body = ErrorBody)))]
async fn export(State(state): State<Arc<AppState>>, Query(query): Query<ExportQuery>) -> ApiResult<Response> {
    let format = query.format.as_deref().unwrap_or("json");
    let (format, content_type) = match format {
        "json" => (storyline_export::Format::Json, "application/json"),
        "jsonl" => (storyline_export::Format::Jsonl, "application/x-ndjson"),
        "csv" => (storyline_export::Format::Csv, "text/csv; charset=utf-8"),
        "parquet" => {
            const TABLES: &[&str] = &["articles", "stories", "entities", "mentions", "times", "quotes"];
            let table = query.table.unwrap_or_default();
            if !TABLES.contains(&table.as_str()) {
                return Err(ApiError::bad(format!("parquet needs table= one of {}", TABLES.join(", "))));
            }
            let bytes = read(&state, move |store| {
                let dir = tempfile::tempdir().map_err(|e| ApiError::from(anyhow::Error::from(e)))?;
                storyline_export::parquet::export_parquet(store, dir.path())?;
                std::fs::read(dir.path().join(format!("{table}.parquet"))).map_err(|e| anyhow::Error::from(e).into())
            })
            .await?;
            return Ok(([(header::CONTENT_TYPE, "application/vnd.apache.parquet")], bytes).into_response());
        }
        other => return Err(ApiError::bad(format!("unknown format {other:?}: json, jsonl, csv or parquet"))),
    };
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || {
        let error_tx = tx.clone();
        let result = AnyStore::open(&db).map_err(anyhow::Error::from).and_then(|store| {
            storyline_export::export(&store, format, std::io::BufWriter::with_capacity(1 << 16, ChannelWriter(tx)))
        });
        if let Err(err) = result {
            let _ = error_tx.blocking_send(Err(std::io::Error::other(err.to_string())));
        }
    });
    let body = axum::body::Body::from_stream(tokio_stream::wrappers::ReceiverStream::new(rx));
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}

/// The server's state.
#[derive(Serialize, ToSchema)]
pub struct Health {
    status: String,
    articles: u64,
    stories: u64,
}

#[utoipa::path(get, path = "/healthz", responses((status = 200, body = Health)))]
async fn healthz(State(state): State<Arc<AppState>>) -> ApiResult<Json<Health>> {
    read(&state, |store| {
        Ok(Json(Health { status: "ok".into(), articles: store.article_count()?, stories: store.story_count()? }))
    })
    .await
}

/// The API's description, generated from the handlers and their types.
#[derive(OpenApi)]
#[openapi(
    info(title = "storyline", description = "Stories, entities, quotes and search over a storyline store."),
    paths(stories, story, entities, entity, article, search, ingest, export, healthz),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::missing("no such endpoint")
}

/// The API's routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/stories", get(stories))
        .route("/api/stories/{id}", get(story))
        .route("/api/entities", get(entities))
        .route("/api/entities/{id}", get(entity))
        .route("/api/articles/{id}", get(article))
        .route("/api/search", get(search))
        .route("/api/ingest", post(ingest))
        .route("/api/export", get(export))
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
}
