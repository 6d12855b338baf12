//! JSONL import: doccano (`label`, or `entities` with `relations` in its relation
//! extraction layout) and spaCy-offset records, with spanmark's `notes`.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde_json::Value;

use super::{ImportOptions, Imported, invalid, read_utf8, stem};
use crate::io::IoError;
use crate::model::{Document, LabelId, Relation, Span};

/// Reads `[start, end, label]` triples or `{start(_offset), end(_offset), label}` objects.
fn parse_spans(value: &Value) -> Result<Vec<(u64, u64, String)>, String> {
    let Some(items) = value.as_array() else {
        return Err("spans must be a list".to_string());
    };
    items
        .iter()
        .map(|item| {
            let triple = match item {
                Value::Array(a) if a.len() == 3 => (
                    a[0].as_u64(),
                    a[1].as_u64(),
                    a[2].as_str().map(str::to_string),
                ),
                Value::Object(o) => (
                    o.get("start_offset")
                        .or(o.get("start"))
                        .and_then(Value::as_u64),
                    o.get("end_offset").or(o.get("end")).and_then(Value::as_u64),
                    o.get("label").and_then(Value::as_str).map(str::to_string),
                ),
                _ => (None, None, None),
            };
            match triple {
                (Some(s), Some(e), Some(l)) => Ok((s, e, l)),
                _ => Err(format!("bad span {item}: expected [start, end, \"LABEL\"]")),
            }
        })
        .collect()
}

/// Imports a JSONL file: one document per non-empty line.
pub(super) fn import_jsonl(
    imp: &mut Imported,
    path: &Path,
    opts: ImportOptions,
) -> Result<(), IoError> {
    let source = read_utf8(path)?;
    let base = stem(path);
    for (i, line) in source.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| invalid(path, format!("line {}: {msg}", i + 1));
        match jsonl_record(imp, line, &base, i + 1) {
            Ok((doc, twice)) => {
                if twice > 0 {
                    imp.notes.push(format!(
                        "{}: line {}: {twice} relation(s) given twice, read once",
                        path.display(),
                        i + 1
                    ));
                }
                imp.documents.push(doc);
            }
            Err(msg) if opts.skip_bad => imp.skipped.push(at(msg).to_string()),
            Err(msg) => return Err(at(msg)),
        }
    }
    Ok(())
}

/// One record as a document, with how many of its relations repeated another.
fn jsonl_record(
    imp: &mut Imported,
    line: &str,
    base: &str,
    n: usize,
) -> Result<(Document, usize), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let text = value
        .get("text")
        .and_then(Value::as_str)
        .ok_or("no \"text\" string")?;
    let name = match value.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(x)) => x.to_string(),
        _ => format!("{base}-{n}"),
    };
    let raw = match (value.get("label"), value.get("entities")) {
        // Both: taken when they agree (or one is empty); otherwise which one is meant
        // cannot be told, and keeping one would drop the other's spans unseen.
        (Some(l), Some(e)) => {
            let (mut l, mut e) = (parse_spans(l)?, parse_spans(e)?);
            l.sort();
            e.sort();
            if !l.is_empty() && !e.is_empty() && l != e {
                return Err(
                    "has both \"label\" and \"entities\", with different spans: give one"
                        .to_string(),
                );
            }
            if l.is_empty() { e } else { l }
        }
        (Some(v), None) | (None, Some(v)) => parse_spans(v)?,
        (None, None) => Vec::new(),
    };
    let len = text.chars().count() as u64;
    let mut spans = Vec::with_capacity(raw.len());
    for (s, e, label) in raw {
        if e > len {
            return Err(format!(
                "span [{s}, {e}, {label:?}] ends past the text ({})",
                crate::model::count(usize::try_from(len).unwrap_or(usize::MAX), "character")
            ));
        }
        let id = imp.label(&label)?;
        let span = Span::new(s as usize, e as usize, id)
            .map_err(|err| format!("span [{s}, {e}, {label:?}]: {err}"))?;
        spans.push(span);
    }
    let doc = Document::with_spans(name, text, spans).map_err(|e| e.to_string())?;
    let notes = match value.get("notes") {
        Some(v) => parse_notes(imp, v, &doc)?,
        None => Vec::new(),
    };
    let doc = doc.with_notes(notes).map_err(|e| e.to_string())?;
    match value.get("relations") {
        Some(v) => {
            let (relations, twice) = parse_relations(imp, v, &value, &doc)?;
            let doc = doc.with_relations(relations).map_err(|e| e.to_string())?;
            Ok((doc, twice))
        }
        None => Ok((doc, 0)),
    }
}

/// Reads `"notes": [[start, end, label, note]]`: each must name a span of the record.
/// Two notes on one span are kept, one after the other.
fn parse_notes(
    imp: &mut Imported,
    value: &Value,
    doc: &Document,
) -> Result<Vec<(Span, String)>, String> {
    let Some(items) = value.as_array() else {
        return Err("\"notes\" must be a list".to_string());
    };
    let mut notes: Vec<(Span, String)> = Vec::with_capacity(items.len());
    for item in items {
        let bad = || format!("bad note {item}: expected [start, end, \"LABEL\", \"note\"]");
        let Some([s, e, label, note]) = item.as_array().map(Vec::as_slice) else {
            return Err(bad());
        };
        let (Some(s), Some(e), Some(label), Some(note)) =
            (s.as_u64(), e.as_u64(), label.as_str(), note.as_str())
        else {
            return Err(bad());
        };
        // Only a label the spans use can match, so this adds no label of its own.
        let span = imp
            .labels
            .iter()
            .position(|l| l.name == label)
            .and_then(|i| LabelId::from_index(i).ok())
            .and_then(|id| Span::new(s as usize, e as usize, id).ok())
            .filter(|span| doc.spans().contains(span))
            .ok_or_else(|| format!("note on [{s}, {e}, {label:?}], which is not in \"label\""))?;
        match notes.iter_mut().find(|(sp, _)| *sp == span) {
            Some((_, text)) => {
                text.push('\n');
                text.push_str(note);
            }
            None => notes.push((span, note.to_string())),
        }
    }
    Ok(notes)
}

/// An entity or relation id as a key: an integer or a string (doccano writes integers).
fn id_key(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) if n.is_u64() || n.is_i64() => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The record's entities by id (`{"id", "start_offset", "end_offset", "label"}`), each
/// one of the document's spans; an id given twice is an error.
fn entities_by_id(
    imp: &Imported,
    record: &Value,
    doc: &Document,
) -> Result<HashMap<String, Span>, String> {
    let mut by_id = HashMap::new();
    let items = record.get("entities").and_then(Value::as_array);
    for item in items.into_iter().flatten() {
        let Some(id) = item.get("id") else {
            continue;
        };
        let key = id_key(id)
            .ok_or_else(|| format!("entity id {id} is neither an integer nor a string"))?;
        // The entity was read as a span already; find that span again.
        let span = match parse_spans(&Value::Array(vec![item.clone()]))?.as_slice() {
            [(s, e, label)] => imp
                .labels
                .iter()
                .position(|l| l.name == *label)
                .and_then(|i| LabelId::from_index(i).ok())
                .and_then(|l| Span::new(*s as usize, *e as usize, l).ok())
                .filter(|span| doc.spans().contains(span)),
            _ => None,
        }
        .ok_or_else(|| format!("entity {item} is not one of the record's spans"))?;
        if by_id.insert(key, span).is_some() {
            return Err(format!("entity id {id} is given twice"));
        }
    }
    Ok(by_id)
}

/// Reads `"relations": [{"id", "from_id", "to_id", "type"}]` (doccano's relation
/// extraction layout): both ends by the ids of the record's `entities`, the type by
/// name (a new one allows the labels its relations link). Returns the relations, each
/// once, and how many repeated another.
fn parse_relations(
    imp: &mut Imported,
    value: &Value,
    record: &Value,
    doc: &Document,
) -> Result<(Vec<Relation>, usize), String> {
    let Some(items) = value.as_array() else {
        return Err("\"relations\" must be a list".to_string());
    };
    if items.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let by_id = entities_by_id(imp, record, doc)?;
    let mut relations = BTreeSet::new();
    let mut twice = 0;
    for item in items {
        let bad = || {
            format!(
                "bad relation {item}: expected {{\"from_id\": ENTITY_ID, \"to_id\": ENTITY_ID, \
                 \"type\": \"TYPE\"}}"
            )
        };
        let (Some(from), Some(to), Some(kind)) = (
            item.get("from_id"),
            item.get("to_id"),
            item.get("type").and_then(Value::as_str),
        ) else {
            return Err(bad());
        };
        let end = |id: &Value| {
            id_key(id)
                .and_then(|k| by_id.get(&k).copied())
                .ok_or_else(|| {
                    format!("relation {item}: {id} is not the id of one of the record's entities")
                })
        };
        let (from, to) = (end(from)?, end(to)?);
        let kind = imp
            .relation_type(kind, from.label(), to.label())
            .map_err(|e| format!("relation {item}: {e}"))?;
        let relation =
            Relation::new(from, to, kind).map_err(|e| format!("relation {item}: {e}"))?;
        if !relations.insert(relation) {
            twice += 1;
        }
    }
    Ok((relations.into_iter().collect(), twice))
}
