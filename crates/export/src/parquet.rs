//! Parquet export: one file per table (articles, stories, entities,
//! mentions, times, quotes, events, facts, figures) in a folder, written with the `parquet` crate's
//! column writer (Snappy), in row groups of [`ROW_GROUP`] rows, so a store of
//! any size is written in bounded memory. Each file is written beside its
//! final name and renamed at the end: a killed export leaves whole files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use storyline_store::StoreRead;

/// Rows per row group.
pub const ROW_GROUP: usize = 10_000;

/// A column's type: UTF-8 text or a 64-bit integer, each nullable.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Int,
}

/// One cell of a row.
pub enum Cell {
    /// Text or null.
    Text(Option<String>),
    /// An integer or null.
    Int(Option<i64>),
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(Some(s))
    }
}
impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(Some(s.to_string()))
    }
}
impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Cell {
        Cell::Text(s)
    }
}
impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(Some(n as i64))
    }
}
impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Int(Some(b as i64))
    }
}

/// A table being written.
struct Table {
    path: PathBuf,
    partial: PathBuf,
    kinds: Vec<Kind>,
    writer: SerializedFileWriter<std::fs::File>,
    columns: Vec<Vec<Cell>>,
    rows: usize,
}

impl Table {
    fn create(dir: &Path, name: &str, columns: &[(&str, Kind)]) -> Result<Table> {
        let fields: Vec<String> = columns
            .iter()
            .map(|(n, k)| match k {
                Kind::Text => format!("OPTIONAL BYTE_ARRAY {n} (UTF8);"),
                Kind::Int => format!("OPTIONAL INT64 {n};"),
            })
            .collect();
        let schema = Arc::new(parse_message_type(&format!("message {name} {{ {} }}", fields.join(" ")))?);
        let props = Arc::new(WriterProperties::builder().set_compression(Compression::SNAPPY).build());
        let path = dir.join(format!("{name}.parquet"));
        let partial = dir.join(format!(".{name}.parquet.partial"));
        let file = std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
        Ok(Table {
            path,
            partial,
            kinds: columns.iter().map(|(_, k)| *k).collect(),
            writer: SerializedFileWriter::new(file, schema, props)?,
            columns: columns.iter().map(|_| Vec::new()).collect(),
            rows: 0,
        })
    }

    fn push(&mut self, row: Vec<Cell>) -> Result<()> {
        for (column, cell) in self.columns.iter_mut().zip(row) {
            column.push(cell);
        }
        self.rows += 1;
        if self.rows >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group()?;
        let mut index = 0;
        while let Some(mut column) = group.next_column()? {
            let cells = std::mem::take(&mut self.columns[index]);
            let levels: Vec<i16> = cells
                .iter()
                .map(|c| match c {
                    Cell::Text(v) => v.is_some() as i16,
                    Cell::Int(v) => v.is_some() as i16,
                })
                .collect();
            match self.kinds[index] {
                Kind::Text => {
                    let values: Vec<ByteArray> = cells
                        .into_iter()
                        .filter_map(|c| match c {
                            Cell::Text(Some(s)) => Some(ByteArray::from(s.into_bytes())),
                            _ => None,
                        })
                        .collect();
                    column.typed::<ByteArrayType>().write_batch(&values, Some(&levels), None)?;
                }
                Kind::Int => {
                    let values: Vec<i64> = cells
                        .into_iter()
                        .filter_map(|c| match c {
                            Cell::Int(v) => v,
                            Cell::Text(_) => None,
                        })
                        .collect();
                    column.typed::<Int64Type>().write_batch(&values, Some(&levels), None)?;
                }
            }
            column.close()?;
            index += 1;
        }
        group.close()?;
        self.rows = 0;
        Ok(())
    }

    fn finish(mut self) -> Result<PathBuf> {
        self.flush()?;
        self.writer.close()?;
        std::fs::rename(&self.partial, &self.path).with_context(|| format!("cannot write {}", self.path.display()))?;
        Ok(self.path)
    }
}

fn date(d: Option<chrono::NaiveDate>) -> Cell {
    Cell::Text(d.map(|d| d.to_string()))
}

/// Writes every table of the store into `dir` (created if needed); returns
/// the files written.
pub fn export_parquet(store: &dyn StoreRead, dir: &Path) -> Result<Vec<PathBuf>> {
    use Kind::{Int, Text};
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut files = Vec::new();

    let mut articles = Table::create(
        dir,
        "articles",
        &[
            ("id", Text),
            ("source", Text),
            ("external_id", Text),
            ("title", Text),
            ("lang", Text),
            ("published", Text),
            ("published_source", Text),
            ("author", Text),
            ("url", Text),
            ("text", Text),
            ("story", Text),
            ("duplicate_of", Text),
        ],
    )?;
    let mut times = Table::create(
        dir,
        "times",
        &[("article", Text), ("start", Int), ("end", Int), ("text", Text), ("value", Text)],
    )?;
    let mut failure: Option<anyhow::Error> = None;
    store.for_each_article(&mut |a| {
        if failure.is_some() {
            return;
        }
        let expressions = crate::times_of(&a);
        let row = vec![
            a.id.clone().into(),
            a.source.into(),
            a.external_id.into(),
            a.title.into(),
            a.lang.into(),
            date(a.published),
            Cell::Text(a.published_source.map(|s| s.as_str().to_string())),
            a.author.into(),
            a.url.into(),
            a.text.into(),
            a.story.into(),
            a.duplicate_of.into(),
        ];
        let mut result = articles.push(row);
        for t in expressions {
            if result.is_ok() {
                result = times.push(vec![
                    a.id.clone().into(),
                    t.start.into(),
                    t.end.into(),
                    t.text.into(),
                    Cell::Text(Some(t.value.to_string())),
                ]);
            }
        }
        if let Err(e) = result {
            failure = Some(e);
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    files.push(articles.finish()?);
    files.push(times.finish()?);

    let mut stories = Table::create(
        dir,
        "stories",
        &[("id", Text), ("title", Text), ("start", Text), ("end", Text), ("articles", Int)],
    )?;
    for s in store.stories()? {
        stories.push(vec![s.id.into(), s.title.into(), date(s.start), date(s.end), s.articles.len().into()])?;
    }
    files.push(stories.finish()?);

    let mut entities = Table::create(
        dir,
        "entities",
        &[("id", Text), ("name", Text), ("type", Text), ("aliases", Text), ("roles", Text)],
    )?;
    for (e, _, _) in store.entities()? {
        entities.push(vec![
            e.id.into(),
            e.name.into(),
            e.kind.as_str().into(),
            serde_json::to_string(&e.aliases)?.into(),
            serde_json::to_string(&e.roles)?.into(),
        ])?;
    }
    files.push(entities.finish()?);

    let mut mentions = Table::create(
        dir,
        "mentions",
        &[("article", Text), ("start", Int), ("end", Int), ("text", Text), ("type", Text), ("entity", Text)],
    )?;
    for (article, list) in store.mentions()? {
        for (m, entity) in list {
            mentions.push(vec![
                article.as_str().into(),
                m.start.into(),
                m.end.into(),
                m.text.into(),
                m.kind.as_str().into(),
                entity.into(),
            ])?;
        }
    }
    files.push(mentions.finish()?);

    let mut quotes = Table::create(
        dir,
        "quotes",
        &[
            ("article", Text),
            ("speaker", Text),
            ("speaker_text", Text),
            ("cue", Text),
            ("kind", Text),
            ("text", Text),
            ("start", Int),
            ("end", Int),
            ("negated", Int),
            ("denial", Int),
            ("date", Text),
        ],
    )?;
    for q in store.quotes(None)? {
        let quote = q.quote;
        quotes.push(vec![
            q.article.into(),
            q.speaker.into(),
            quote.speaker_text.into(),
            quote.cue.into(),
            quote.kind.as_str().into(),
            quote.text.into(),
            quote.start.into(),
            quote.end.into(),
            quote.negated.into(),
            quote.denial.into(),
            date(quote.date),
        ])?;
    }
    files.push(quotes.finish()?);

    let tables = crate::event_tables(store)?;
    let text = |v: &serde_json::Value, k: &str| -> Cell { Cell::Text(v[k].as_str().map(str::to_string)) };
    let int = |v: &serde_json::Value, k: &str| -> Cell { Cell::Int(v[k].as_i64()) };
    let list = |v: &serde_json::Value, k: &str| -> Cell {
        let items: Vec<String> = v[k]
            .as_array()
            .into_iter()
            .flatten()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect();
        Cell::Text(Some(items.join(" ")))
    };
    let mut events = Table::create(
        dir,
        "events",
        &[
            ("article", Text),
            ("type", Text),
            ("source", Text),
            ("target", Text),
            ("source_text", Text),
            ("target_text", Text),
            ("mode", Text),
            ("date", Text),
            ("location", Text),
            ("start", Int),
            ("end", Int),
            ("fact", Text),
        ],
    )?;
    for e in &tables.events {
        events.push(vec![
            text(e, "article"),
            text(e, "type"),
            text(e, "source"),
            text(e, "target"),
            text(e, "source_text"),
            text(e, "target_text"),
            text(e, "mode"),
            text(e, "date"),
            text(e, "location"),
            int(e, "start"),
            int(e, "end"),
            text(e, "fact"),
        ])?;
    }
    files.push(events.finish()?);
    let mut facts = Table::create(
        dir,
        "facts",
        &[
            ("id", Text),
            ("story", Text),
            ("type", Text),
            ("source", Text),
            ("target", Text),
            ("source_name", Text),
            ("target_name", Text),
            ("stance", Text),
            ("date", Text),
            ("articles", Text),
            ("independent_sources", Int),
        ],
    )?;
    for f in &tables.facts {
        facts.push(vec![
            text(f, "id"),
            text(f, "story"),
            text(f, "type"),
            text(f, "source"),
            text(f, "target"),
            text(f, "source_name"),
            text(f, "target_name"),
            text(f, "stance"),
            text(f, "date"),
            list(f, "articles"),
            int(f, "independent_sources"),
        ])?;
    }
    files.push(facts.finish()?);
    let mut figures = Table::create(
        dir,
        "figures",
        &[
            ("story", Text),
            ("quantity", Text),
            ("period", Text),
            ("value", Int),
            ("articles", Text),
            ("conflicts_with", Text),
        ],
    )?;
    for g in &tables.figures {
        figures.push(vec![
            text(g, "story"),
            text(g, "quantity"),
            text(g, "period"),
            int(g, "value"),
            list(g, "articles"),
            list(g, "conflicts_with"),
        ])?;
    }
    files.push(figures.finish()?);
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};

    #[test]
    fn every_table_is_written_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = storyline_store::Store::open(&dir.path().join("s.db")).unwrap();
        let extraction = storyline_model::Extraction {
            title: Some("Conseil de Brest".into()),
            text:
                "Le conseil municipal de Brest a voté lundi le budget. « Nous tenons parole », a déclaré Anne Kerbrat."
                    .into(),
            lang: Some("fr".into()),
            published: chrono::NaiveDate::from_ymd_opt(2024, 5, 6),
            ..Default::default()
        };
        store
            .insert_batch(&[storyline_store::NewArticle { source: "a.txt".into(), external_id: None, extraction }])
            .unwrap();
        let out = dir.path().join("out");
        let files = export_parquet(&store, &out).unwrap();
        assert_eq!(files.len(), 9);
        assert!(
            out.join("events.parquet").exists()
                && out.join("facts.parquet").exists()
                && out.join("figures.parquet").exists()
        );
        let reader = SerializedFileReader::new(std::fs::File::open(out.join("articles.parquet")).unwrap()).unwrap();
        assert_eq!(reader.metadata().file_metadata().num_rows(), 1);
        let row = reader.get_row_iter(None).unwrap().next().unwrap().unwrap();
        assert!(row.to_string().contains("Conseil de Brest"), "{row}");
        let times = SerializedFileReader::new(std::fs::File::open(out.join("times.parquet")).unwrap()).unwrap();
        assert_eq!(times.metadata().file_metadata().num_rows(), 1, "lundi resolves against the date");
        assert!(!out.join(".articles.parquet.partial").exists());
    }
}
