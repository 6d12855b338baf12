//! brat standoff import: a `.txt` and its `.ann`, `T` lines as spans, `R` lines as
//! relations and `AnnotatorNotes` lines as notes; the folder's `annotation.conf`, if any,
//! for the labels and relation types.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use super::brat_conf::{self, Conf};
use super::{ImportOptions, Imported, invalid, read_utf8, read_utf8_keep_bom, stem};
use crate::io::IoError;
use crate::model::{Document, LabelId, Relation, Span};

pub(super) fn import_brat(
    imp: &mut Imported,
    txt: &Path,
    ann: &Path,
    opts: ImportOptions,
) -> Result<(), IoError> {
    let conf = brat_conf_of(imp, ann, opts)?;
    let raw = read_utf8_keep_bom(txt)?;
    let source = read_utf8(ann)?;
    // brat reads the .txt as plain UTF-8, so a BOM is char 0 and every offset counts it.
    // The document drops the BOM, so those offsets move down by one; a tool that stripped
    // the BOM before counting is recognised by its quoted texts.
    let stripped = raw.strip_prefix('\u{feff}');
    let text = crate::model::Text::new(stripped.unwrap_or(&raw).to_string());
    let mut lines = Vec::new();
    let mut notes = Vec::new();
    let mut relation_lines = Vec::new();
    let mut other = 0;
    for (i, line) in source.lines().enumerate() {
        if line.starts_with('T') {
            lines.push((i + 1, parse_brat_line(line)));
        } else if line.starts_with('R') {
            relation_lines.push((i + 1, parse_brat_relation(line)));
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
    let relations = read_relations(imp, ann, relation_lines, &by_id, opts, &mut other)?;
    if other > 0 {
        imp.notes.push(format!(
            "{}: {other} line(s) other than entities, relations between them and their \
             notes (events, attributes, normalizations) not imported",
            ann.display()
        ));
    }
    if let Some(conf) = conf {
        note_undeclared(imp, ann, &conf, &spans, &relations);
    }
    let doc = Document::with_spans(stem(ann), text.as_str().to_string(), spans)
        .and_then(|d| d.with_notes(span_notes))
        .and_then(|d| d.with_relations(relations))
        .map_err(|e| invalid(ann, e.to_string()))?;
    imp.documents.push(doc);
    Ok(())
}

/// The `annotation.conf` beside `ann`, read once per folder: its entity types become
/// labels and its relation types are declared (see [`Imported::declare_relation_type`]).
/// A bad file is an error naming its line (skipped, and listed, under `skip_bad`).
fn brat_conf_of(
    imp: &mut Imported,
    ann: &Path,
    opts: ImportOptions,
) -> Result<Option<Conf>, IoError> {
    let folder = ann.parent().map_or_else(PathBuf::new, Path::to_path_buf);
    if let Some(conf) = imp.brat_confs.get(&folder) {
        return Ok(conf.clone());
    }
    let path = folder.join("annotation.conf");
    let conf = if path.is_file() {
        match read_conf(imp, &path) {
            Ok(conf) => Some(conf),
            Err(e) if opts.skip_bad => {
                imp.skipped.push(e.to_string());
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    imp.brat_confs.insert(folder, conf.clone());
    Ok(conf)
}

/// Reads and applies one `annotation.conf`.
fn read_conf(imp: &mut Imported, path: &Path) -> Result<Conf, IoError> {
    let at = |line: usize, msg: String| invalid(path, format!("line {line}: {msg}"));
    let conf = brat_conf::parse(&read_utf8(path)?).map_err(|(n, msg)| at(n, msg))?;
    for (n, name) in &conf.entities {
        let id = imp.label(name).map_err(|msg| at(*n, msg))?;
        imp.conf_labels.insert(id);
    }
    for r in &conf.relations {
        let mut ids = |names: &[String]| {
            names
                .iter()
                .map(|name| imp.label(name))
                .collect::<Result<Vec<LabelId>, String>>()
        };
        let (from, to) = (ids(&r.from), ids(&r.to));
        from.and_then(|from| to.map(|to| (from, to)))
            .and_then(|(from, to)| imp.declare_relation_type(&r.name, &from, &to))
            .map_err(|msg| at(r.line, msg))?;
    }
    Ok(conf)
}

/// Notes the labels and relation types the `.ann` used that its `annotation.conf` does
/// not declare (brat would flag them; spanmark adds them).
fn note_undeclared(
    imp: &mut Imported,
    ann: &Path,
    conf: &Conf,
    spans: &[Span],
    relations: &[Relation],
) {
    let labels: BTreeSet<&str> = spans
        .iter()
        .filter_map(|s| imp.labels.get(s.label().0 as usize))
        .map(|l| l.name.as_str())
        .filter(|name| !conf.has_entity(name))
        .collect();
    let types: BTreeSet<&str> = relations
        .iter()
        .filter_map(|r| imp.relation_types.get(r.kind().0 as usize))
        .map(|t| t.name.as_str())
        .filter(|name| !conf.has_relation(name))
        .collect();
    let list = |s: BTreeSet<&str>| s.into_iter().collect::<Vec<_>>().join(", ");
    let mut missing = Vec::new();
    if !labels.is_empty() {
        missing.push(format!("labels {}", list(labels)));
    }
    if !types.is_empty() {
        missing.push(format!("relation types {}", list(types)));
    }
    if !missing.is_empty() {
        imp.notes.push(format!(
            "{}: {} not in annotation.conf (added)",
            ann.display(),
            missing.join(" and ")
        ));
    }
}

/// The relations of the `R` lines, between the spans the `T` ids became (a
/// discontinuous entity's first fragment, with a note). An `R` line that is malformed,
/// names a `T` id no line defines, links an id to itself or does not fit its declared
/// type is an error naming its line (skipped, and listed, under `skip_bad`); one between
/// other annotations (events) is counted in `other`; one given twice is read once, and
/// one between two entities that became the same span is left out, with a note each.
fn read_relations(
    imp: &mut Imported,
    ann: &Path,
    lines: Vec<(usize, Result<BratRelation, String>)>,
    by_id: &HashMap<String, Vec<Span>>,
    opts: ImportOptions,
    other: &mut usize,
) -> Result<Vec<Relation>, IoError> {
    let mut relations = BTreeSet::new();
    let (mut twice, mut fragmented, mut merged) = (0, 0, 0);
    for (n, parsed) in lines {
        let result = parsed.and_then(|r| {
            if ![&r.from, &r.to].iter().all(|id| id.starts_with('T')) {
                return Ok(None);
            }
            if r.from == r.to {
                return Err(format!("{} links {} to itself", r.id, r.from));
            }
            let end = |id: &String| {
                by_id
                    .get(id)
                    .and_then(|spans| Some((*spans.first()?, spans.len() > 1)))
                    .ok_or_else(|| format!("{} refers to {id}, which no T line defines", r.id))
            };
            let ((from, split_from), (to, split_to)) = (end(&r.from)?, end(&r.to)?);
            let kind = imp.relation_type(&r.kind, from.label(), to.label())?;
            // Two entities that became one span (a fragment, or T lines given twice):
            // nothing is left to link.
            let Ok(relation) = Relation::new(from, to, kind) else {
                return Ok(Some(None));
            };
            Ok(Some(Some((relation, split_from || split_to))))
        });
        match result {
            Ok(None) => *other += 1,
            Ok(Some(None)) => merged += 1,
            Ok(Some(Some((relation, split)))) => {
                fragmented += usize::from(split);
                if !relations.insert(relation) {
                    twice += 1;
                }
            }
            Err(msg) => {
                let e = invalid(ann, format!("line {n}: {msg}"));
                if !opts.skip_bad {
                    return Err(e);
                }
                imp.skipped.push(e.to_string());
            }
        }
    }
    if fragmented > 0 {
        imp.notes.push(format!(
            "{}: {fragmented} relation(s) on a discontinuous span linked to its first fragment",
            ann.display()
        ));
    }
    if twice > 0 {
        imp.notes.push(format!(
            "{}: {twice} relation(s) given twice, read once",
            ann.display()
        ));
    }
    if merged > 0 {
        imp.notes.push(format!(
            "{}: {merged} relation(s) between two entities that became one span (a \
             discontinuous span's fragment, or the same span twice) not imported",
            ann.display()
        ));
    }
    Ok(relations.into_iter().collect())
}

/// One brat `R` line: `R1<TAB>TYPE Arg1:T3 Arg2:T1`.
struct BratRelation {
    id: String,
    kind: String,
    /// The id at `Arg1`, where the relation starts.
    from: String,
    /// The id at `Arg2`, where it points.
    to: String,
}

/// Parses an `R` line as brat does (`server/src/annotation.py`): exactly two `ROLE:ID`
/// arguments with different roles, the first being `Arg1` unless the roles are named
/// `Arg1` and `Arg2` the other way round.
fn parse_brat_relation(line: &str) -> Result<BratRelation, String> {
    let usage = "expected `R<n><TAB>TYPE Arg1:T<n> Arg2:T<n>`";
    let mut parts = line.split('\t');
    let (id, data) = (parts.next().unwrap_or_default(), parts.next().ok_or(usage)?);
    let mut words = data.split_whitespace();
    let kind = words.next().ok_or(usage)?;
    let args: Vec<(&str, &str)> = words
        .map(|w| w.split_once(':').ok_or(usage))
        .collect::<Result<_, _>>()?;
    let [(r1, a1), (r2, a2)] = args.as_slice() else {
        return Err(format!("{usage}: a relation has exactly two arguments"));
    };
    if r1 == r2 || a1.is_empty() || a2.is_empty() {
        return Err(format!("{usage}: two different roles, each with an id"));
    }
    let (from, to) = if (*r1, *r2) == ("Arg2", "Arg1") {
        (a2, a1)
    } else {
        (a1, a2)
    };
    Ok(BratRelation {
        id: id.trim().to_string(),
        kind: kind.to_string(),
        from: from.to_string(),
        to: to.to_string(),
    })
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
                "offsets {s} {e} do not fit the text ({})",
                crate::model::count(len + shift, "character")
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
