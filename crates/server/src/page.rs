//! The web page: one HTML file and one script, embedded in the binary, with
//! the interface text of the language the browser prefers (`Accept-Language`,
//! French or English, from `resources/<lang>/ui.tsv`).

use std::sync::Arc;

use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::AppState;

const INDEX: &str = include_str!("../assets/index.html");
const SCRIPT: &str = include_str!("../assets/app.js");

/// The languages the page speaks.
const PAGE_LANGUAGES: &[&str] = &["en", "fr"];

/// The page language for an `Accept-Language` header: the first of the
/// page's languages the browser lists (by weight), else English.
pub fn page_language(accept: Option<&str>) -> &'static str {
    let mut wanted: Vec<(f32, String)> = accept
        .unwrap_or("")
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim().to_ascii_lowercase();
            let weight = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse().ok())).unwrap_or(1.0);
            Some((weight, tag.split('-').next()?.to_string()))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
    wanted.iter().find_map(|(_, tag)| PAGE_LANGUAGES.iter().find(|l| *l == tag).copied()).unwrap_or("en")
}

/// The interface text of a language as a JSON object (English fills gaps).
pub fn ui_text(lang: &str) -> serde_json::Value {
    let mut text = serde_json::Map::new();
    for l in ["en", lang] {
        for row in storyline_resources::rows(l, "ui.tsv") {
            if let (Some(key), Some(value)) = (row.first(), row.get(1)) {
                text.insert(key.clone(), serde_json::Value::String(value.clone()));
            }
        }
    }
    serde_json::Value::Object(text)
}

async fn index(headers: HeaderMap) -> Html<String> {
    let lang = page_language(headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()));
    // Inside <script type="application/json">: "<" escaped so no text can close the element.
    let ui = ui_text(lang).to_string().replace('<', "\\u003c");
    Html(INDEX.replace("__LANG__", lang).replace("__UI__", &ui))
}

async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], SCRIPT).into_response()
}

/// The page's routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/", get(index)).route("/app.js", get(script))
}
