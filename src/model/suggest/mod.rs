//! Suggestions: spans the project proposes and the annotator accepts or rejects.
//!
//! Sources, in precedence order (a (range, label) two sources propose is kept once, from
//! the first): the learned source (every labeled string, where it recurs unlabeled), the
//! rule sets of [`SuggestSettings::rule_sets`] (patterns files and dictionaries), and the
//! results of an external command. A suggestion is never a span of its document and never
//! a rejected one. [`SuggestEngine`] caches everything per text (texts never change) and
//! per document stamp, so calling it every frame costs nothing when nothing changed.

pub mod label_map;
mod learned;
mod line_regex;
pub mod rules;
mod settings;
pub mod speakers;

use std::collections::HashMap;

use super::{DocId, Edit, LabelId, Project, Span};
pub use label_map::{LabelMap, MapError, Mapped, default_target};
use learned::Learned;
pub use learned::naive_learned;
pub use rules::{RuleError, RuleSetRules};
pub use settings::{RuleKind, RuleSet, SuggestSettings};

/// Which source proposed a suggestion (index into SuggestEngine's sources).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceId(pub u16);

impl SourceId {
    /// The learned-from-the-project source.
    pub const LEARNED: SourceId = SourceId(0);
    /// The external command's results (last in precedence).
    pub const COMMAND: SourceId = SourceId(u16::MAX);

    /// The source of rule set `i` of [`SuggestSettings::rule_sets`].
    pub fn rule_set(i: usize) -> SourceId {
        SourceId(
            u16::try_from(i + 1)
                .unwrap_or(u16::MAX - 1)
                .min(u16::MAX - 1),
        )
    }

    /// The rule set index of this source, if it is one.
    pub fn rule_set_index(self) -> Option<usize> {
        (self != Self::LEARNED && self != Self::COMMAND).then(|| usize::from(self.0) - 1)
    }
}

/// A proposed span: never a span until accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Suggestion {
    /// Range and label.
    pub span: Span,
    /// Who proposed it.
    pub source: SourceId,
}

/// One span an external command proposed: (document, span, score).
pub type CommandResult = (DocId, Span, Option<f32>);

/// One external command's results.
#[derive(Clone, Debug, Default)]
struct CommandResults {
    command: String,
    /// Per document, sorted by span, each with its score. A document removed since has
    /// none (ids are never reused); a label deleted since is filtered when merging.
    per_doc: HashMap<DocId, Vec<(Span, Option<f32>)>>,
}

/// A compiled rule set and its matches per document (a document's text never changes).
struct RuleSlot {
    rules: RuleSetRules,
    /// Matches (span, line) per document, sorted by span.
    matches: HashMap<DocId, Vec<(Span, u32)>>,
}

/// Derived state: computes and caches suggestions for a project. Cheap to call every frame.
pub struct SuggestEngine {
    /// Fresh whenever the suggestions may have changed (unique across engines, so an
    /// engine built elsewhere and swapped in has one of its own): views key on it.
    generation: u64,
    /// Project stamp last seen: nothing to do when it did not change.
    seen: Option<u64>,
    settings: Option<SuggestSettings>,
    /// The label names by id, sorted by id: rules are compiled against them (a reorder
    /// changes nothing, a rename does).
    labels: Vec<(LabelId, String)>,
    learned: Learned,
    rules: Vec<RuleSlot>,
    warnings: Vec<String>,
    command: Option<CommandResults>,
    /// Results given to `set_command_results`, checked at the next update.
    pending_command: Option<(String, Vec<CommandResult>)>,
    /// Command results with a score below this are hidden (those without a score never).
    min_score: f32,
    /// The threshold changed: every document's list is merged again at the next update.
    rescore: bool,
    /// Per document, in the project's order: its stamp and merged suggestions.
    docs: Vec<DocOut>,
    /// Each document's place in `docs`.
    at: HashMap<DocId, usize>,
    total: usize,
}

struct DocOut {
    doc: DocId,
    stamp: u64,
    learned_gen: u64,
    /// The document's spans and rejections as of `stamp`, to tell what changed (the
    /// spans only while the learned source is off: it tells them otherwise).
    spans: Vec<Span>,
    rejected: std::collections::BTreeSet<Span>,
    /// The list before `list`, kept as a buffer for the next patch.
    spare: Vec<Suggestion>,
    list: Vec<Suggestion>,
}

impl Default for SuggestEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl SuggestEngine {
    /// An engine with nothing computed yet.
    pub fn new() -> Self {
        Self::with_learned_limit(learned::MAX_CANDIDATES)
    }

    /// An engine whose learned source stops past `limit` candidates (tests use a small
    /// one; the window and the CLI, [`Self::new`]).
    pub(crate) fn with_learned_limit(limit: usize) -> Self {
        Self {
            generation: super::Stamp::fresh().get(),
            seen: None,
            settings: None,
            labels: Vec::new(),
            learned: Learned::with_limit(limit),
            rules: Vec::new(),
            warnings: Vec::new(),
            command: None,
            pending_command: None,
            min_score: 0.0,
            rescore: false,
            docs: Vec::new(),
            at: HashMap::new(),
            total: 0,
        }
    }

    /// Brings suggestions up to date with `project`: nothing to do when the project did not
    /// change; after a new span only the learned source's new string is looked up (no
    /// corpus rescan); rule sets are recompiled only when settings change.
    pub fn update(&mut self, project: &Project) {
        if self.seen == Some(project.stamp()) && self.pending_command.is_none() && !self.rescore {
            return;
        }
        self.seen = Some(project.stamp());
        self.generation = super::Stamp::fresh().get();
        let settings = project.suggest_settings();
        let labels = label_names(project);
        let mut reset = false;
        if self.settings.as_ref() != Some(settings) || self.labels != labels {
            self.labels = labels;
            self.settings = Some(settings.clone());
            self.compile(project);
            self.learned = Learned::with_limit(self.learned.limit());
            reset = true;
        }
        if settings.learned {
            let was_stopped = self.learned.stopped().is_some();
            self.learned.update(project, settings.ignore_case);
            // Stopped now: its suggestions, in every document's list, are gone.
            reset |= !was_stopped && self.learned.stopped().is_some();
        } else {
            self.learned = Learned::with_limit(self.learned.limit());
        }
        for slot in &mut self.rules {
            if !slot.rules.enabled {
                continue;
            }
            slot.matches.retain(|id, _| project.position(*id).is_some());
            for d in project.documents() {
                slot.matches
                    .entry(d.id())
                    .or_insert_with(|| slot.rules.find(d.text()));
            }
        }
        if let Some((command, results)) = self.pending_command.take() {
            self.command = Some(check_command_results(project, command, results));
            reset = true;
        }
        reset |= std::mem::take(&mut self.rescore);
        let n = project.documents().len();
        let mut old: HashMap<DocId, DocOut> = self.docs.drain(..).map(|d| (d.doc, d)).collect();
        let mut docs = Vec::with_capacity(n);
        for (i, d) in project.documents().iter().enumerate() {
            let learned_gen = self.learned.generation(i);
            let out = match old.remove(&d.id()).filter(|_| !reset) {
                Some(o) if o.stamp == d.stamp() && o.learned_gen == learned_gen => o,
                // Only what changed: the learned source's recomputed windows, and where
                // a span or a rejection came or went.
                Some(mut o) => {
                    let mut windows: Vec<(usize, usize)> = self.learned.touched(i).to_vec();
                    if o.stamp != d.stamp() {
                        if settings.learned {
                            // The learned source diffed the spans already.
                            let changes = self.learned.span_changes(i);
                            windows.extend(changes.iter().map(|&(s, _)| (s, s + 1)));
                        } else {
                            let now = d.spans().as_slice();
                            let (added, removed) = learned::diff(&o.spans, now);
                            windows.extend(
                                added
                                    .iter()
                                    .chain(&removed)
                                    .map(|s| (s.start(), s.start() + 1)),
                            );
                            o.spans.clear();
                            o.spans.extend_from_slice(now);
                        }
                        windows.extend(
                            o.rejected
                                .symmetric_difference(d.rejected())
                                .map(|s| (s.start(), s.start() + 1)),
                        );
                        o.rejected = d.rejected().clone();
                        o.stamp = d.stamp();
                    }
                    o.learned_gen = learned_gen;
                    let spare = std::mem::take(&mut o.spare);
                    let (list, spare) =
                        self.patch(project, i, std::mem::take(&mut o.list), spare, windows);
                    (o.list, o.spare) = (list, spare);
                    o
                }
                None => DocOut {
                    doc: d.id(),
                    stamp: d.stamp(),
                    learned_gen,
                    spans: if settings.learned {
                        Vec::new()
                    } else {
                        d.spans().as_slice().to_vec()
                    },
                    rejected: d.rejected().clone(),
                    spare: Vec::new(),
                    list: self.merge(project, i, 0, usize::MAX),
                },
            };
            docs.push(out);
        }
        self.docs = docs;
        self.at = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.doc, i))
            .collect();
        self.total = self.docs.iter().map(|d| d.list.len()).sum();
    }

    /// How many chars the next [`Self::update`] goes through from scratch: every
    /// document's when the settings or labels changed (or nothing was built yet), else
    /// those of the documents it has not seen; 0 when the update is incremental (cheap).
    /// Lets the app build in the background when that is large.
    pub fn full_build_chars(&self, project: &Project) -> usize {
        // Settings and labels live in the project: they did not change with its stamp.
        if self.seen == Some(project.stamp()) {
            return 0;
        }
        let docs = project.documents();
        if self.settings.as_ref() != Some(project.suggest_settings())
            || self.labels != label_names(project)
        {
            return docs.iter().map(|d| d.text().char_len()).sum();
        }
        docs.iter()
            .filter(|d| !self.at.contains_key(&d.id()))
            .map(|d| d.text().char_len())
            .sum()
    }

    /// Whether the next [`Self::update`] compiles rule sets (the settings or the label
    /// names changed, and some rule set is on): work a window does off its UI thread,
    /// as a large patterns file takes a while to compile.
    pub fn compiles_rules(&self, project: &Project) -> bool {
        let settings = project.suggest_settings();
        self.seen != Some(project.stamp())
            && settings.rule_sets.iter().any(|r| r.enabled)
            && (self.settings.as_ref() != Some(settings) || self.labels != label_names(project))
    }

    /// Takes over the command results given to `other` and not yet applied: an engine
    /// that stood in while this one was built elsewhere.
    pub fn take_pending_from(&mut self, other: &mut SuggestEngine) {
        if let Some(pending) = other.pending_command.take() {
            self.pending_command = Some(pending);
        }
    }

    /// `list` (document `doc`'s suggestions before) with the suggestions starting in
    /// `windows` recomputed, in one pass into `out`; returns the new list and the old one
    /// (the next call's `out`).
    fn patch(
        &self,
        project: &Project,
        doc: usize,
        list: Vec<Suggestion>,
        mut out: Vec<Suggestion>,
        mut windows: Vec<(usize, usize)>,
    ) -> (Vec<Suggestion>, Vec<Suggestion>) {
        if windows.is_empty() {
            return (list, out);
        }
        windows.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(windows.len());
        for (a, b) in windows {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        // Into the spare buffer (the list before last): a fresh one would be paged in.
        out.clear();
        let mut at = 0;
        for (a, b) in merged {
            let from = at + list[at..].partition_point(|s| s.span.start() < a);
            let to = from + list[from..].partition_point(|s| s.span.start() < b);
            out.extend_from_slice(&list[at..from]);
            out.extend(self.merge(project, doc, a, b));
            at = to;
        }
        out.extend_from_slice(&list[at..]);
        (out, list)
    }

    /// Compiles the enabled rule sets against the project's labels.
    fn compile(&mut self, project: &Project) {
        self.rules.clear();
        self.warnings.clear();
        let Some(settings) = &self.settings else {
            return;
        };
        for set in &settings.rule_sets {
            let rules = match RuleSetRules::compile(set, project) {
                Ok((rules, warnings)) => {
                    self.warnings.extend(warnings);
                    rules
                }
                Err(e) => {
                    self.warnings.push(e.to_string());
                    RuleSetRules::empty(set)
                }
            };
            self.rules.push(RuleSlot {
                rules,
                matches: HashMap::new(),
            });
        }
    }

    /// Document `doc`'s suggestions from every source that start in `a..b`, merged:
    /// sorted, without spans of the document, rejections, or a (range, label) twice.
    fn merge(&self, project: &Project, doc: usize, a: usize, b: usize) -> Vec<Suggestion> {
        // `doc` is a place in the project's list as of this update (the learned source is
        // kept in the same order).
        let Some(d) = project.documents().get(doc) else {
            return Vec::new();
        };
        /// The items of a list sorted by start whose start is in `a..b`.
        fn window<T>(list: &[T], start: impl Fn(&T) -> usize, a: usize, b: usize) -> &[T] {
            let from = list.partition_point(|x| start(x) < a);
            let to = from + list[from..].partition_point(|x| start(x) < b);
            &list[from..to]
        }
        let mut all: Vec<Suggestion> = Vec::new();
        let learned = window(self.learned.for_doc(doc), Span::start, a, b);
        all.extend(learned.iter().map(|&span| Suggestion {
            span,
            source: SourceId::LEARNED,
        }));
        let mut sorted = true;
        for (i, slot) in self.rules.iter().enumerate() {
            if let Some(m) = slot.matches.get(&d.id()) {
                let m = window(m, |x| x.0.start(), a, b);
                sorted &= m.is_empty();
                all.extend(m.iter().map(|&(span, _)| Suggestion {
                    span,
                    source: SourceId::rule_set(i),
                }));
            }
        }
        if let Some(c) = &self.command
            && let Some(results) = c.per_doc.get(&d.id())
        {
            let r = window(results, |x| x.0.start(), a, b);
            sorted &= r.is_empty();
            let min = self.min_score;
            all.extend(
                r.iter()
                    .filter(|(_, score)| score.is_none_or(|x| x >= min))
                    .map(|&(span, _)| Suggestion {
                        span,
                        source: SourceId::COMMAND,
                    }),
            );
        }
        // The learned list alone is sorted and free of duplicates already.
        if !sorted {
            all.sort_unstable();
            // Sorted by (span, source): the first of equal spans has the first source.
            all.dedup_by_key(|s| s.span);
        }
        // A label deleted since the command ran (or since rules were compiled) is gone.
        all.retain(|s| {
            !d.spans().contains(&s.span)
                && !d.rejected().contains(&s.span)
                && project.label(s.span.label()).is_some()
        });
        all
    }

    /// The document's pending suggestions, sorted by (start, end, label); none equals a
    /// span of the document (same range and label) and none was rejected.
    pub fn for_doc(&self, doc: DocId) -> &[Suggestion] {
        self.at
            .get(&doc)
            .map_or(&[], |&i| self.docs[i].list.as_slice())
    }

    /// Changes whenever the suggestions may have changed, unique across engines.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Total pending suggestions in the project.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Why the learned source stopped (it would find more than 4,000,000 candidates), if
    /// it did: it proposes nothing until it is turned
    /// off and on again, or the project is opened again.
    pub fn learned_stopped(&self) -> Option<&str> {
        self.learned.stopped()
    }

    /// Problems met compiling the rule sets (a bad line, a label the project lacks: those
    /// rules are skipped), each naming the file and line.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// What to show on hover: "learned from 3 spans", "patterns: orgs.jsonl line 4",
    /// "dictionary: places.tsv", "command: python recommender.py (score 0.93)".
    pub fn describe(&self, doc: DocId, s: &Suggestion) -> String {
        if s.source == SourceId::LEARNED {
            let n = self
                .at
                .get(&doc)
                .map_or(0, |&i| self.learned.count(i, &s.span));
            return format!("learned from {n} span{}", if n == 1 { "" } else { "s" });
        }
        if s.source == SourceId::COMMAND {
            let Some(c) = &self.command else {
                return "command".to_string();
            };
            let score = c
                .per_doc
                .get(&doc)
                .and_then(|r| r.iter().find(|(sp, _)| *sp == s.span))
                .and_then(|(_, score)| *score);
            return match score {
                Some(x) => format!("command: {} (score {x:.2})", c.command),
                None => format!("command: {}", c.command),
            };
        }
        let Some(slot) = s.source.rule_set_index().and_then(|i| self.rules.get(i)) else {
            return "unknown source".to_string();
        };
        let name = &slot.rules.name;
        match slot.rules.kind {
            RuleKind::Dictionary => format!("dictionary: {name}"),
            RuleKind::Patterns => {
                let line = slot.matches.get(&doc).and_then(|m| {
                    m.binary_search_by(|(sp, _)| sp.cmp(&s.span))
                        .ok()
                        .map(|k| m[k].1)
                });
                match line {
                    Some(line) => format!("patterns: {name} line {line}"),
                    None => format!("patterns: {name}"),
                }
            }
        }
    }

    /// Hides the command's suggestions scored below `min` (from the next
    /// [`Self::update`]); suggestions without a score, and other sources', stay. 0 shows
    /// all.
    pub fn set_min_score(&mut self, min: f32) {
        let min = if min.is_finite() { min } else { 0.0 };
        if min != self.min_score {
            self.min_score = min;
            self.rescore = true;
        }
    }

    /// The threshold of [`Self::set_min_score`].
    pub fn min_score(&self) -> f32 {
        self.min_score
    }

    /// The score the command gave a suggestion of document `doc`, if it gave one.
    pub fn score(&self, doc: DocId, s: &Suggestion) -> Option<f32> {
        if s.source != SourceId::COMMAND {
            return None;
        }
        let r = self.command.as_ref()?.per_doc.get(&doc)?;
        let k = r.binary_search_by(|(sp, _)| sp.cmp(&s.span)).ok()?;
        r[k].1
    }

    /// Results of an external command run (issue's source 4), replacing that source's
    /// previous results. Spans are checked against the documents: one past its text, on a
    /// missing document or with an unknown label is dropped. Applied at the next
    /// [`Self::update`].
    pub fn set_command_results(&mut self, command: &str, results: Vec<CommandResult>) {
        self.pending_command = Some((command.to_string(), results));
    }
}

/// The command's results that fit the project: on a document it has, inside the text,
/// with a label it has; sorted per document.
fn check_command_results(
    project: &Project,
    command: String,
    results: Vec<CommandResult>,
) -> CommandResults {
    let mut per_doc: HashMap<DocId, Vec<(Span, Option<f32>)>> = HashMap::new();
    for (doc, span, score) in results {
        let fits = project
            .document(doc)
            .is_some_and(|d| span.end() <= d.text().char_len())
            && project.label(span.label()).is_some();
        if fits {
            per_doc.entry(doc).or_default().push((span, score));
        }
    }
    for list in per_doc.values_mut() {
        list.sort_by_key(|(s, _)| *s);
        list.dedup_by_key(|(s, _)| *s);
    }
    CommandResults { command, per_doc }
}

/// The project's label names by id, sorted by id.
fn label_names(project: &Project) -> Vec<(LabelId, String)> {
    let mut names: Vec<(LabelId, String)> = project
        .label_entries()
        .map(|(id, l)| (id, l.name.clone()))
        .collect();
    names.sort_unstable();
    names
}

/// The edits that accept suggestions: one `SetSpans` per document (so "accept all" is one
/// undo step), the document's spans plus the accepted ones. Spans already there are not
/// added twice. Accepting a single suggestion is better an `Edit::AddSpan`.
pub fn accept_edits(project: &Project, accepted: &[(DocId, Vec<Span>)]) -> Vec<Edit> {
    accepted
        .iter()
        .filter(|(_, spans)| !spans.is_empty())
        .filter_map(|(doc, new)| {
            let d = project.document(*doc)?;
            let mut spans: Vec<Span> = d.spans().iter().copied().collect();
            spans.extend(new.iter().copied());
            Some(Edit::SetSpans {
                doc: *doc,
                spans,
                notes: None,
                relations: None,
            })
        })
        .collect()
}

/// Labels by name, for rules that name labels.
pub(crate) fn label_lookup(project: &Project) -> HashMap<&str, LabelId> {
    project
        .label_entries()
        .map(|(id, l)| (l.name.as_str(), id))
        .collect()
}

#[cfg(test)]
mod tests;
