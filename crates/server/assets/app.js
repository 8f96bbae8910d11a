// The storyline page: hash routes (#/, #/story/ID, #/entity/ID, #/entities, #/search?q=), every list
// paged and filtered by the server. Data is shown with textContent only: article text is never HTML.
"use strict";
const T = JSON.parse(document.getElementById("ui-text").textContent);
const main = document.getElementById("main");

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k === "href") node.setAttribute("href", v); else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

function params() {
  const hash = location.hash.slice(1) || "/";
  const [path, query] = hash.split("?");
  return { path, query: new URLSearchParams(query || "") };
}

function show(...nodes) { main.replaceChildren(...nodes); window.scrollTo(0, 0); }
function fail(err) { show(el("p", { class: "error" }, T.error + " " + err.message)); }

function storyLine(s) {
  const dates = [s.start, s.end].filter(Boolean);
  const span = dates.length ? (dates[0] === dates[dates.length - 1] ? dates[0] : dates[0] + " – " + dates[dates.length - 1]) : "";
  return el("li", { "data-sources": s.sources }, el("a", { href: "#/story/" + encodeURIComponent(s.id) }, s.title || s.id),
    el("div", { class: "meta" }, [span, s.sources + " " + (s.sources === 1 ? T.source : T.sources.toLowerCase()), (s.langs || []).join(", ")].filter(Boolean).join(" · ")));
}

// A bar chart of counts per label (days or months), as SVG.
function barChart(points, label) {
  const svgNS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(svgNS, "svg");
  svg.setAttribute("class", "chart");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const width = 600, height = 120, max = Math.max(1, ...points.map(p => p.count));
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  const w = width / Math.max(points.length, 1);
  points.forEach((p, i) => {
    const r = document.createElementNS(svgNS, "rect");
    const h = Math.max(2, (p.count / max) * (height - 10));
    r.setAttribute("x", i * w + w * 0.1);
    r.setAttribute("width", Math.max(1, w * 0.8));
    r.setAttribute("y", height - h);
    r.setAttribute("height", h);
    const title = document.createElementNS(svgNS, "title");
    title.textContent = p.label + ": " + p.count;
    r.append(title);
    svg.append(r);
  });
  return svg;
}

async function storyList(query) {
  const filters = el("form", { class: "filters", id: "filters" },
    el("label", {}, T.from, el("input", { type: "date", name: "from", value: query.get("from") || "" })),
    el("label", {}, T.to, el("input", { type: "date", name: "to", value: query.get("to") || "" })),
    el("label", {}, T.language, (() => {
      const s = el("select", { name: "lang" }, el("option", { value: "" }, T.any));
      for (const l of ["fr", "en", "de", "es", "it", "nl", "pt", "ru"]) {
        const o = el("option", { value: l }, l);
        if (query.get("lang") === l) o.selected = true;
        s.append(o);
      }
      return s;
    })()),
    el("button", { type: "submit" }, T.apply));
  filters.addEventListener("submit", e => {
    e.preventDefault();
    const q = new URLSearchParams(new FormData(filters));
    for (const [k, v] of [...q.entries()]) if (!v) q.delete(k);
    if (query.get("entity")) q.set("entity", query.get("entity"));
    location.hash = "#/?" + q.toString();
  });
  const list = el("ul", { class: "list", id: "stories" });
  show(el("h1", {}, T.stories), filters, list);
  const load = async offset => {
    const q = new URLSearchParams(query);
    q.set("offset", offset);
    const page = await api("/api/stories?" + q.toString());
    if (!page.stories.length && offset === 0) list.append(el("li", {}, T.no_results));
    page.stories.forEach(s => list.append(storyLine(s)));
    if (page.next_offset !== null && page.next_offset !== undefined) {
      const more = el("button", { type: "button", id: "more" }, T.more);
      more.addEventListener("click", () => { more.remove(); load(page.next_offset).catch(fail); });
      main.append(more);
    }
  };
  await load(0);
}

async function storyView(id) {
  const s = await api("/api/stories/" + encodeURIComponent(id));
  const sources = el("ul", { class: "list", id: "sources" });
  for (const a of s.sources) {
    const date = a.published ? a.published + (a.published_source === "estimated" ? " (" + T.estimated + ")" : "") : "";
    sources.append(el("li", {}, a.url ? el("a", { href: a.url, rel: "noopener noreferrer" }, a.title || a.id) : (a.title || a.id),
      el("div", { class: "meta" }, [a.outlet, date, a.lang].filter(Boolean).join(" · "))));
  }
  const timeline = el("div", { id: "timeline" });
  if (s.timeline.length) {
    timeline.append(barChart(s.timeline.map(d => ({ label: d.date, count: d.count })), T.timeline),
      el("div", { class: "meta" }, T.dated_facts));
    const items = el("ul", { class: "list" });
    for (const d of s.timeline) for (const item of d.items.slice(0, 3)) items.append(el("li", {}, el("strong", {}, d.date + " "), item.text));
    timeline.append(items);
  }
  const entities = el("div", { class: "chips", id: "entities" });
  for (const e of s.entities) entities.append(el("a", { href: "#/entity/" + encodeURIComponent(e.id) }, e.name + " (" + e.mentions + ")"));
  const statements = el("div", { id: "statements" });
  for (const st of s.statements) {
    const who = st.speaker ? el("a", { href: "#/entity/" + encodeURIComponent(st.speaker) }, st.speaker_name || st.speaker) : (st.speaker_name || "—");
    statements.append(el("div", {}, el("strong", {}, who), " ", el("span", { class: "meta" },
      [st.cue, st.kind, st.independent_sources + " " + T.independent + " / " + st.reports + " " + T.reports, st.denial ? T.denial : ""].filter(Boolean).join(" · ")),
      el("blockquote", {}, st.text)));
  }
  const facts = el("ul", { class: "list", id: "facts" });
  for (const f of s.facts) {
    const actor = (id, name) => id ? el("a", { href: "#/entity/" + encodeURIComponent(id) }, name) : name;
    facts.append(el("li", {}, el("strong", {}, (f.date || "—") + " "), el("span", { class: "meta" }, f.type + " "),
      actor(f.source, f.source_name), " → ", actor(f.target, f.target_name),
      el("div", { class: "meta" }, [f.stance === "asserted" ? "" : T["mode_" + f.stance] || f.stance,
        f.independent_sources + " " + T.independent + " / " + f.articles.length + " " + T.reports].filter(Boolean).join(" · ")),
      el("div", { class: "snippet" }, f.evidence)));
  }
  const figures = el("ul", { class: "list", id: "figures" });
  s.figures.forEach((g, i) => {
    const others = g.conflicts_with.map(j => s.figures[j].value).join(", ");
    figures.append(el("li", {}, el("strong", {}, g.value + " "), T["quantity_" + g.quantity] || g.quantity,
      g.period ? " (" + g.period + ")" : "",
      el("div", { class: "meta" }, [g.articles.length + " " + T.reports, g.texts.slice(0, 3).join(" / "),
        others ? T.other_sources_give + " " + others : ""].filter(Boolean).join(" · "))));
  });
  const passages = el("ul", { class: "list", id: "passages" });
  for (const p of s.shared_passages.slice(0, 20)) passages.append(el("li", { class: "snippet" }, p.text));
  show(el("a", { href: "#/" }, "← " + T.back), el("h1", {}, s.title || s.id),
    el("div", { class: "meta" }, [s.start, s.end].filter(Boolean).join(" – ")),
    el("h2", {}, T.timeline), timeline,
    el("h2", {}, T.sources), sources,
    el("h2", {}, T.entities), entities,
    s.statements.length ? el("h2", {}, T.statements) : null, statements,
    s.facts.length ? el("h2", {}, T.facts) : null, facts,
    s.figures.length ? el("h2", {}, T.figures) : null, figures,
    s.shared_passages.length ? el("h2", {}, T.shared_passages) : null, passages,
    el("h2", {}, T.why_together), el("p", { id: "why" }, T.why_text + " " + s.why.join(", ")));
}

async function entityView(id) {
  const e = await api("/api/entities/" + encodeURIComponent(id));
  const points = e.story_months.map(m => ({ label: m.month, count: m.count }));
  const stories = el("ul", { class: "list", id: "entity-stories" });
  e.stories.forEach(s => stories.append(storyLine(s)));
  const companions = el("div", { class: "chips", id: "companions" });
  for (const c of e.cooccurring) companions.append(el("a", { href: "#/entity/" + encodeURIComponent(c.id) }, c.name + " (" + c.count + ")"));
  const facts = el("ul", { class: "list", id: "entity-facts" });
  for (const f of e.facts) facts.append(el("li", {}, el("strong", {}, (f.date || "—") + " "), el("span", { class: "meta" }, f.type + " "),
    f.source_name + " → " + f.target_name, " ", el("a", { href: "#/story/" + encodeURIComponent(f.story) }, "↗"),
    el("div", { class: "meta" }, [f.stance === "asserted" ? "" : T["mode_" + f.stance] || f.stance, f.independent_sources + " " + T.independent].filter(Boolean).join(" · "))));
  show(el("h1", {}, e.name), el("div", { class: "meta" }, e.type),
    e.aliases.length ? el("p", {}, el("strong", {}, T.aliases + ": "), e.aliases.join(", ")) : null,
    e.roles.length ? el("p", {}, el("strong", {}, T.roles + ": "), e.roles.join(", ")) : null,
    el("h2", {}, T.stories_over_time), points.length ? barChart(points, T.stories_over_time) : el("p", {}, T.no_results),
    el("h2", {}, T.stories), stories,
    e.facts.length ? el("h2", {}, T.facts) : null, facts,
    el("h2", {}, T.appears_with), companions);
}

async function entityList(query) {
  const list = el("ul", { class: "list", id: "entity-list" });
  show(el("h1", {}, T.entities), list);
  const page = await api("/api/entities?" + query.toString());
  for (const e of page.entities) list.append(el("li", {}, el("a", { href: "#/entity/" + encodeURIComponent(e.id) }, e.name),
    el("div", { class: "meta" }, e.type + " · " + e.mentions + " " + T.mentions)));
}

// A search snippet with its matched words (between [ and ]) marked, built as text nodes.
function snippet(text) {
  const node = el("div", { class: "snippet meta" });
  for (const [i, part] of text.split(/[\[\]]/).entries()) node.append(i % 2 ? el("mark", {}, part) : document.createTextNode(part));
  return node;
}

async function searchView(query) {
  const q = query.get("q") || "";
  document.getElementById("search-input").value = q;
  const results = await api("/api/search?q=" + encodeURIComponent(q));
  const stories = el("ul", { class: "list", id: "search-stories" });
  results.stories.forEach(s => stories.append(storyLine(s)));
  const articles = el("ul", { class: "list", id: "search-articles" });
  for (const a of results.articles) {
    const title = a.story ? el("a", { href: "#/story/" + encodeURIComponent(a.story) }, a.title || a.article) : (a.title || a.article);
    articles.append(el("li", {}, title, snippet(a.snippet)));
  }
  show(el("h1", {}, T.search + ": " + q), el("h2", {}, T.stories), results.stories.length ? stories : el("p", {}, T.no_results),
    el("h2", {}, T.articles), articles);
}

async function route() {
  const { path, query } = params();
  show(el("p", { class: "meta" }, T.loading));
  try {
    if (path.startsWith("/story/")) await storyView(decodeURIComponent(path.slice(7)));
    else if (path.startsWith("/entity/")) await entityView(decodeURIComponent(path.slice(8)));
    else if (path === "/entities") await entityList(query);
    else if (path === "/search") await searchView(query);
    else await storyList(query);
  } catch (err) { fail(err); }
}

document.getElementById("brand").textContent = T.title;
document.getElementById("nav-stories").textContent = T.stories;
document.getElementById("nav-entities").textContent = T.entities;
document.getElementById("search-button").textContent = T.search;
document.getElementById("search-input").placeholder = T.search_placeholder;
document.getElementById("search-form").addEventListener("submit", e => {
  e.preventDefault();
  location.hash = "#/search?q=" + encodeURIComponent(document.getElementById("search-input").value);
});
window.addEventListener("hashchange", route);
route();
