//! brat standoff import: a `.txt` and its `.ann`, `T` lines as spans and `AnnotatorNotes`
//! lines as their notes.

use std::collections::HashMap;
use std::path::Path;

use super::{ImportOptions, Imported, invalid, read_utf8, read_utf8_keep_bom, stem};
use crate::io::IoError;
use crate::model::{Document, Span};

pub(super) fn import_brat(
    imp: &mut Imported,
    txt: &Path,
    ann: &Path,
    opts: ImportOptions,
) -> Result<(), IoError> {
    let raw = read_utf8_keep_bom(txt)?;
    let source = read_utf8(ann)?;
    // brat reads the .txt as plain UTF-8, so a BOM is char 0 and every offset counts it.
    // The document drops the BOM, so those offsets move down by one; a tool that stripped
    // the BOM before counting is recognised by its quoted texts.
    let stripped = raw.strip_prefix('\u{feff}');
    let text = crate::model::Text::new(stripped.unwrap_or(&raw).to_string());
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    let mut other = 0;
    for (i, line) in source.lines().enumerate() {
        if line.starts_with('T') {
            lines.push((i + 1, parse_brat_line(line)));
        } else if let Some(note) = parse_brat_note(line) {
            notes.push((i + 1, note));
        } else if !line.trim().is_empty() {
            other += 1;
        }
    }
    let shift = match stripped {
        None => 0,
        Some(_) => {
            let with_bom = crate::model::Text::new(raw.clone());
            let quoted_match = |t: &crate::model::Text, shift: usize| {
                lines.iter().all(|(_, l)| {
                    l.as_ref().map_or(true, |t_line| {
                        t_line.quoted.is_none() || check_brat_text(t, t_line, shift).is_ok()
                    })
                })
            };
            let any_quoted = lines
                .iter()
                .any(|(_, l)| l.as_ref().is_ok_and(|t| t.quoted.is_some()));
            if any_quoted && !quoted_match(&with_bom, 0) && quoted_match(&text, 0) {
                0
            } else {
                1
            }
        }
    };
    let mut spans = Vec::new();
    // The spans each T id became, for the notes that refer to it.
    let mut by_id: HashMap<String, Vec<Span>> = HashMap::new();
    for (n, parsed) in lines {
        let result = parsed.and_then(|t_line| {
            let shifted = check_brat_text(&text, &t_line, shift)?;
            let id = imp.label(&t_line.label)?;
            let spans = shifted
                .iter()
                .map(|&(s, e)| Span::new(s, e, id).map_err(|err| err.to_string()))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((t_line.id, spans))
        });
        match result {
            Ok((t_id, mut s)) => {
                if s.len() > 1 {
                    imp.notes.push(format!(
                        "{}:{n}: discontinuous span split into {} spans",
                        ann.display(),
                        s.len()
                    ));
                }
                by_id.entry(t_id).or_default().extend(&s);
                spans.append(&mut s);
            }
            Err(msg) => {
                let e = invalid(ann, format!("line {n}: {msg}"));
                if opts.skip_bad {
                    imp.skipped.push(e.to_string());
                } else {
                    return Err(e);
                }
            }
        }
    }
    // A note goes to every span its T id became (all fragments of a discontinuous one);
    // several notes on one id are kept, one after the other.
    let mut span_notes: Vec<(Span, String)> = Vec::new();
    for (n, note) in notes {
        if !note.target.starts_with('T') {
            other += 1;
            continue;
        }
        let Some(targets) = by_id.get(&note.target) else {
            let e = invalid(
                ann,
                format!("line {n}: note on {}, which no T line defines", note.target),
            );
            if opts.skip_bad {
                imp.skipped.push(e.to_string());
                continue;
            }
            return Err(e);
        };
        for span in targets {
            match span_notes.iter_mut().find(|(s, _)| s == span) {
                Some((_, text)) => {
                    text.push('\n');
                    text.push_str(&note.text);
                }
                None => span_notes.push((*span, note.text.clone())),
            }
        }
    }
    if other > 0 {
        imp.notes.push(format!(
            "{}: {other} line(s) other than entities and their notes (relations, events, \
             attributes) not imported",
            ann.display()
        ));
    }
    let doc = Document::with_spans(stem(ann), text.as_str().to_string(), spans)
        .and_then(|d| d.with_notes(span_notes))
        .map_err(|e| invalid(ann, e.to_string()))?;
    imp.documents.push(doc);
    Ok(())
}

/// A brat note line: `#N<TAB>AnnotatorNotes TARGET<TAB>note` (the note unescaped as
/// spanmark's export escapes it).
struct BratNote {
    target: String,
    text: String,
}

fn parse_brat_note(line: &str) -> Option<BratNote> {
    let rest = line.strip_prefix('#')?;
    let mut parts = rest.splitn(3, '\t');
    let (_id, middle, text) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
    let target = middle.strip_prefix("AnnotatorNotes ")?.trim();
    Some(BratNote {
        target: target.to_string(),
        text: crate::io::export::brat::unescape_note(text),
    })
}

/// One brat `T` line: id, label, fragments as written, and the quoted text if present.
struct BratEntity {
    id: String,
    label: String,
    frags: Vec<(usize, usize)>,
    quoted: Option<String>,
}

/// Parses `T1<TAB>LABEL s e[;s e...]<TAB>text`.
fn parse_brat_line(line: &str) -> Result<BratEntity, String> {
    let mut parts = line.splitn(3, '\t');
    let (id, middle, quoted) = (parts.next(), parts.next(), parts.next());
    let middle = middle.ok_or("expected `T<n><TAB>LABEL start end<TAB>text`")?;
    let (label, offsets) = middle
        .split_once(' ')
        .ok_or("expected `LABEL start end` after the id")?;
    let mut frags = Vec::new();
    for frag in offsets.split(';') {
        let mut nums = frag.split_whitespace().map(str::parse::<usize>);
        match (nums.next(), nums.next(), nums.next()) {
            (Some(Ok(s)), Some(Ok(e)), None) => frags.push((s, e)),
            _ => return Err(format!("bad offsets {frag:?}")),
        }
    }
    Ok(BratEntity {
        id: id.unwrap_or_default().trim().to_string(),
        label: label.to_string(),
        frags,
        quoted: quoted.map(str::to_string),
    })
}

/// Moves the fragments down by `shift` (the BOM brat counted) and checks them, and the
/// quoted text if any, against `text`. Returns the fragments in `text`'s offsets.
fn check_brat_text(
    text: &crate::model::Text,
    entity: &BratEntity,
    shift: usize,
) -> Result<Vec<(usize, usize)>, String> {
    let len = text.char_len();
    let mut out = Vec::with_capacity(entity.frags.len());
    for &(s, e) in &entity.frags {
        // Offset 0 is the BOM itself; a fragment starting there starts at the text.
        let (ss, es) = (s.saturating_sub(shift), e.saturating_sub(shift));
        if e > len + shift || s >= e || ss >= es {
            return Err(format!(
                "offsets {s} {e} do not fit the text ({} characters)",
                len + shift
            ));
        }
        out.push((ss, es));
    }
    if let Some(quoted) = &entity.quoted {
        let actual: Vec<&str> = out.iter().map(|&(s, e)| text.slice(s, e)).collect();
        let actual = actual.join(" ");
        // A fragment starting on the BOM quotes it; compare without it.
        if actual != quoted.trim_start_matches('\u{feff}') {
            return Err(format!(
                "text {quoted:?} does not match the .txt at those offsets ({actual:?})"
            ));
        }
    }
    Ok(out)
}
