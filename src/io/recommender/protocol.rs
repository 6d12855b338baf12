//! The protocol of the suggestion command (see the [module docs](super)): the JSONL lines
//! sent and answered, parsing an answer line, checking its spans against the documents
//! sent, the errors a run ends with, and [`Request`] / [`Request::adapt`], which turn a
//! project into a run's input and its answers back into the project's spans. Nothing
//! here starts a process; that is `process.rs`, which uses these.

use std::collections::{BTreeMap, HashMap};
use std::process::ExitStatus;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::model::suggest::{LabelMap, Mapped};
use crate::model::{DocId, Project, Span, Status};

/// At most this many warnings are kept; [`CommandOutput::skipped`] counts them all.
const MAX_WARNINGS: usize = 20;

/// One span proposed by the command, checked against its document's length.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandSpan {
    /// The document (its `id` in the protocol: the index given to [`run`](super::run)).
    pub doc: usize,
    /// First char.
    pub start: usize,
    /// One past the last char (`start < end <= text length`).
    pub end: usize,
    /// The label name as the command printed it (maybe not a label of the project).
    pub label: String,
    /// The command's confidence, if it gave one.
    pub score: Option<f32>,
}

/// A finished run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CommandOutput {
    /// Every span proposed, sorted by (doc, start, end, label); exact repeats removed.
    pub spans: Vec<CommandSpan>,
    /// Spans skipped because they were empty or past their text (the first few, each
    /// naming its output line).
    pub warnings: Vec<String>,
    /// How many spans were skipped in all.
    pub skipped: usize,
}

/// Why a run produced no suggestions. Every message names the command.
#[derive(Debug, thiserror::Error)]
pub enum RecommenderError {
    /// The command could not be started at all (no shell, bad working directory).
    #[error("could not start `{command}`: {source}")]
    Spawn {
        /// The command line.
        command: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The shell found no such program (exit status 127).
    #[error("`{command}`: command not found{}", tail(stderr))]
    NotFound {
        /// The command line.
        command: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// The command exited with an error or was killed by a signal.
    #[error("`{command}` failed ({status}){}", tail(stderr))]
    Failed {
        /// The command line.
        command: String,
        /// How it ended.
        status: ExitStatus,
        /// The end of its stderr.
        stderr: String,
    },
    /// A line of its output is not an answer in the protocol.
    #[error("`{command}`, output line {line}: {message}{}", tail(stderr))]
    BadOutput {
        /// The command line.
        command: String,
        /// 1-based line number in its stdout.
        line: usize,
        /// What is wrong, with the start of the line.
        message: String,
        /// The end of its stderr.
        stderr: String,
    },
    /// It exited 0 without answering every document.
    #[error(
        "`{command}` answered {answered} of {}; no answer for {}: it must \
         print one line per document ({{\"id\": {}, \"spans\": []}} when it has none){}",
        crate::model::count(*total, "document"),
        ids(missing),
        missing.first().copied().unwrap_or_default(),
        tail(stderr)
    )]
    Incomplete {
        /// The command line.
        command: String,
        /// Documents answered.
        answered: usize,
        /// Documents sent.
        total: usize,
        /// The ids of the documents not answered, in rising order.
        missing: Vec<usize>,
        /// The end of its stderr.
        stderr: String,
    },
    /// It printed and read nothing for the idle timeout, and was killed.
    #[error(
        "`{command}` printed nothing for {} s and was stopped (a slow model can be given \
         longer){}",
        idle.as_secs_f32(),
        tail(stderr)
    )]
    Timeout {
        /// The command line.
        command: String,
        /// The timeout that ran out.
        idle: Duration,
        /// The end of its stderr.
        stderr: String,
    },
    /// The cancel flag was set; the command was killed.
    #[error("`{command}` was cancelled")]
    Cancelled {
        /// The command line.
        command: String,
    },
    /// Reading its output failed.
    #[error("`{command}`: reading its output failed: {source}")]
    Io {
        /// The command line.
        command: String,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Document ids for a message: `document 3`, `documents 0, 2, 5`, the first few of many.
fn ids(list: &[usize]) -> String {
    const SHOWN: usize = 10;
    let shown: Vec<String> = list.iter().take(SHOWN).map(usize::to_string).collect();
    let more = match list.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let noun = if list.len() == 1 {
        "document"
    } else {
        "documents"
    };
    format!("{noun} {}{more}", shown.join(", "))
}

/// The stderr tail as the end of an error message: nothing, or a colon and the text.
fn tail(stderr: &str) -> String {
    if stderr.is_empty() {
        String::new()
    } else {
        format!(":\n{stderr}")
    }
}

/// One input line of the protocol. `spans` and `status` are left out when running bare
/// texts ([`run`](super::run)); a [`Request`] always sends them.
#[derive(Serialize)]
pub(super) struct InLine<'a> {
    pub(super) id: usize,
    pub(super) text: &'a str,
    pub(super) labels: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) spans: Option<&'a [SentSpan]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) status: Option<&'a str>,
}

/// A span of a document as sent: char offsets and the label's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SentSpan {
    /// First char.
    pub start: usize,
    /// One past the last char.
    pub end: usize,
    /// The label's name.
    pub label: String,
}

/// One document of a [`Request`]: what is sent for it, and which document it was.
#[derive(Clone, Debug)]
pub struct SentDoc {
    /// The protocol id: the document's place in the project when it was sent.
    pub id: usize,
    /// The document, to map answers back onto it (and only onto it).
    pub doc: DocId,
    /// Its text.
    pub text: String,
    /// Its spans as they were (what the annotator has so far), sorted.
    pub spans: Vec<SentSpan>,
    /// Its status: `"todo"`, `"in_progress"` or `"done"` (a command may train on the
    /// done ones and propose on the rest).
    pub status: &'static str,
}

/// One output line of the protocol.
#[derive(Deserialize)]
struct OutLine {
    id: Id,
    spans: Vec<OutSpan>,
}

/// An id as printed: the integer sent, or (leniently) that integer as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Id {
    Number(u64),
    Text(String),
}

/// A span as printed. Signed, so a negative offset is a skipped span, not garbage.
#[derive(Debug, Deserialize)]
pub(super) struct OutSpan {
    start: i64,
    end: i64,
    label: String,
    #[serde(default)]
    score: Option<f32>,
}

/// Parses one output line and marks its document answered; the error is the message.
pub(super) fn parse_line(
    bytes: &[u8],
    sent: &mut HashMap<usize, (usize, bool)>,
) -> Result<(usize, Vec<OutSpan>), String> {
    let shown = || {
        let s = String::from_utf8_lossy(bytes);
        let s = s.trim();
        let short: String = s.chars().take(80).collect();
        if short.len() < s.len() {
            format!("{short}…")
        } else {
            short
        }
    };
    let line = std::str::from_utf8(bytes).map_err(|_| format!("not UTF-8: {}", shown()))?;
    let expected = |why: &dyn std::fmt::Display| {
        format!(
            "expected {{\"id\": …, \"spans\": [{{\"start\", \"end\", \"label\"}}, …]}} \
             ({why}): {}",
            shown()
        )
    };
    // serde would also read a struct from a list (`[0, []]`): only an object is one.
    if !line.trim_start().starts_with('{') {
        return Err(expected(&"not a JSON object"));
    }
    let parsed: OutLine = serde_json::from_str(line).map_err(|e| expected(&e))?;
    let id = match &parsed.id {
        Id::Number(n) => usize::try_from(*n).ok(),
        Id::Text(s) => s.trim().parse::<usize>().ok(),
    };
    let Some((id, (_, seen))) = id.and_then(|id| sent.get_mut(&id).map(|e| (id, e))) else {
        let id = match parsed.id {
            Id::Number(n) => n.to_string(),
            Id::Text(s) => format!("{s:?}"),
        };
        return Err(format!("id {id} is not a document that was sent"));
    };
    if *seen {
        return Err(format!("document {id} was answered twice"));
    }
    *seen = true;
    Ok((id, parsed.spans))
}

/// Keeps an answer's valid spans; the others become warnings.
pub(super) fn take_spans(
    (doc, spans): (usize, Vec<OutSpan>),
    line_no: usize,
    sent: &HashMap<usize, (usize, bool)>,
    out: &mut CommandOutput,
) {
    let len = sent.get(&doc).map_or(0, |&(len, _)| len);
    for s in spans {
        let problem = if s.start >= s.end {
            Some("is empty (start must be before end)".to_string())
        } else if s.start < 0 || s.end as u64 > len as u64 {
            Some(format!(
                "lies outside the text ({})",
                crate::model::count(len, "character")
            ))
        } else {
            None
        };
        if let Some(problem) = problem {
            out.skipped += 1;
            if out.warnings.len() < MAX_WARNINGS {
                out.warnings.push(format!(
                    "output line {line_no}: document {doc}: span {}..{} {problem}; skipped",
                    s.start, s.end
                ));
            }
            continue;
        }
        // Both are in 0..=len here, so they fit a usize.
        out.spans.push(CommandSpan {
            doc,
            start: s.start as usize,
            end: s.end as usize,
            label: s.label,
            score: s.score,
        });
    }
}

/// What a project sends to a command: owned copies of its texts, so a background job
/// can take it to its thread, and each document's id, so results are only applied to the
/// documents they were computed for.
#[derive(Clone, Debug)]
pub struct Request {
    /// Each document sent, with its spans and status.
    pub docs: Vec<SentDoc>,
    /// The project's label names, in order.
    pub labels: Vec<String>,
}

/// A run's spans in the project's terms, ready for the suggestion engine's
/// `set_command_results`. Every span the command gave is in `results` or counted in one
/// of the other fields: none is dropped unseen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Adapted {
    /// `(document, span, score)`.
    pub results: Vec<(DocId, Span, Option<f32>)>,
    /// Spans skipped because the project has no label of that name and nothing maps it.
    pub unknown_label: usize,
    /// Those spans by label name, with their counts.
    pub unmapped: BTreeMap<String, usize>,
    /// Spans dropped by the label map (`FROM=`), by label name.
    pub dropped: BTreeMap<String, usize>,
    /// Spans whose label was mapped to another, by `(from, to)`, with their counts.
    pub mapped: BTreeMap<(String, String), usize>,
    /// Every label the command gave that the project lacks, with its count (mapped,
    /// dropped or not): what the Run command dialog offers to map.
    pub foreign: BTreeMap<String, usize>,
    /// Spans skipped because their document was removed or replaced meanwhile.
    pub stale: usize,
}

impl Adapted {
    /// One line (no newline) saying what became of the labels the project lacks:
    /// "mapped GPE=PLACE 12, PER=PERSON 3; dropped CARDINAL 4; 7 spans not applied, with
    /// labels the project lacks: MISC 5, NORP 2". Empty when there is nothing to say.
    pub fn label_summary(&self) -> String {
        let list = |items: Vec<String>| {
            const SHOWN: usize = 12;
            let more = items.len().saturating_sub(SHOWN);
            let mut shown: Vec<String> = items.into_iter().take(SHOWN).collect();
            if more > 0 {
                shown.push(format!("{more} more"));
            }
            shown.join(", ")
        };
        let mut parts = Vec::new();
        if !self.mapped.is_empty() {
            let items = self
                .mapped
                .iter()
                .map(|((f, t), n)| format!("{f}={t} {n}"))
                .collect();
            parts.push(format!("mapped {}", list(items)));
        }
        if !self.dropped.is_empty() {
            let items = self
                .dropped
                .iter()
                .map(|(f, n)| format!("{f} {n}"))
                .collect();
            parts.push(format!("dropped {}", list(items)));
        }
        if self.unknown_label > 0 {
            let items = self
                .unmapped
                .iter()
                .map(|(f, n)| format!("{f} {n}"))
                .collect();
            let spans = if self.unknown_label == 1 {
                "1 span".to_string()
            } else {
                format!("{} spans", self.unknown_label)
            };
            parts.push(format!(
                "{spans} not applied, with labels the project lacks: {}",
                list(items)
            ));
        }
        parts.join("; ")
    }
}

impl Request {
    /// Every document of `project`, with its label names.
    pub fn from_project(project: &Project) -> Self {
        Self::for_documents(project, 0..project.documents().len())
    }

    /// The given documents of `project` (indices past the end are left out), each with
    /// its spans and status.
    pub fn for_documents(project: &Project, docs: impl IntoIterator<Item = usize>) -> Self {
        let name = |l| project.label(l).map_or(String::new(), |l| l.name.clone());
        let docs = docs
            .into_iter()
            .filter_map(|i| {
                let d = project.documents().get(i)?;
                Some(SentDoc {
                    id: i,
                    doc: d.id(),
                    text: d.text().as_str().to_string(),
                    spans: d
                        .spans()
                        .iter()
                        .map(|s| SentSpan {
                            start: s.start(),
                            end: s.end(),
                            label: name(s.label()),
                        })
                        .collect(),
                    status: status_name(d.status),
                })
            })
            .collect();
        let labels = project.labels().iter().map(|l| l.name.clone()).collect();
        Self { docs, labels }
    }

    /// Turns a run's spans into spans of `project` through the label map the project
    /// saved (and the built-in defaults): see [`Self::adapt_with`].
    pub fn adapt(&self, project: &Project, spans: &[CommandSpan]) -> Adapted {
        self.adapt_with(project, spans, &project.suggest_settings().label_map)
    }

    /// Turns a run's spans into spans of `project`, labels by name through `map` (see
    /// [`LabelMap::resolve`]). Spans with a label the project lacks and nothing maps, one
    /// the map drops, or on a document no longer in it, are skipped and counted.
    pub fn adapt_with(&self, project: &Project, spans: &[CommandSpan], map: &LabelMap) -> Adapted {
        let sent: HashMap<usize, DocId> = self.docs.iter().map(|d| (d.id, d.doc)).collect();
        let has = |name: &str| project.label_id(name).is_some();
        let mut out = Adapted::default();
        for s in spans {
            let id = sent.get(&s.doc).copied();
            let doc = id.and_then(|id| Some((id, project.document(id)?)));
            let Some((id, doc)) = doc else {
                out.stale += 1;
                continue;
            };
            if !has(&s.label) {
                bump(&mut out.foreign, &s.label);
            }
            let name = match map.resolve(&s.label, has) {
                Mapped::Label(name) => name,
                Mapped::Dropped => {
                    bump(&mut out.dropped, &s.label);
                    continue;
                }
                Mapped::Unmapped => {
                    out.unknown_label += 1;
                    bump(&mut out.unmapped, &s.label);
                    continue;
                }
            };
            if name != s.label {
                *out.mapped
                    .entry((s.label.clone(), name.to_string()))
                    .or_default() += 1;
            }
            let Some(label) = project.label_id(name) else {
                out.stale += 1;
                continue;
            };
            match Span::new(s.start, s.end, label) {
                Ok(span) if s.end <= doc.text().char_len() => {
                    out.results.push((id, span, s.score));
                }
                // run() checked both against the same text; kept safe for hand-made input.
                _ => out.stale += 1,
            }
        }
        out
    }
}

/// Counts one more of `name` (cloned only the first time).
fn bump(counts: &mut BTreeMap<String, usize>, name: &str) {
    match counts.get_mut(name) {
        Some(n) => *n += 1,
        None => {
            counts.insert(name.to_string(), 1);
        }
    }
}

/// A status as the protocol names it.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Todo => "todo",
        Status::InProgress => "in_progress",
        Status::Done => "done",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_spans_are_skipped_with_a_warning() {
        let mut sent = HashMap::from([(4, (5, false))]);
        let mut out = CommandOutput::default();
        let line = br#"{"id": 4, "spans": [{"start": 0, "end": 5, "label": "A"},
            {"start": 3, "end": 3, "label": "A"}, {"start": -1, "end": 2, "label": "A"},
            {"start": 2, "end": 6, "label": "A", "score": 0.5}]}"#;
        let answer = parse_line(line, &mut sent).unwrap();
        take_spans(answer, 7, &sent, &mut out);
        assert_eq!(out.spans.len(), 1);
        assert_eq!(out.skipped, 3);
        assert!(out.warnings[0].starts_with("output line 7: document 4: span 3..3 is empty"));
        assert!(out.warnings[2].contains("2..6 lies outside the text (5 characters)"));
        // The same id again is an error, as is one never sent.
        assert!(
            parse_line(br#"{"id": 4, "spans": []}"#, &mut sent)
                .unwrap_err()
                .contains("answered twice")
        );
        assert!(
            parse_line(br#"{"id": "9", "spans": []}"#, &mut sent)
                .unwrap_err()
                .contains("id \"9\" is not a document that was sent")
        );
    }
}
