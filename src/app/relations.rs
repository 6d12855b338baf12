//! Relations in the app: link mode (`R`, a click or Tab + Enter, the type picker when
//! several types fit, Esc), selecting, deleting and retyping a relation, the speaker
//! suggestions of the shown document (computed once per project revision, never per
//! frame, off the UI thread for a long document) with accept and reject, the relabel that asks before relations go, and the
//! relation type list. Every change is one undo step through [`SpanmarkApp::edit`].

use std::sync::mpsc::{Receiver, TryRecvError};

use eframe::egui;

use super::SpanmarkApp;
use super::jobs::off_thread;
use super::modal::Modal;
use crate::model::suggest::speakers::suggest_speakers;
use crate::model::{
    DocId, Document, Edit, LabelId, Project, Relation, RelationSet, RelationType, RelationTypeId,
    Span, label,
};
use crate::ui::relations::{describe, span_words, type_name};
use crate::ui::{Action, Linking, count, doc_view::linking};

/// Where suggested relations come from: the speaker rules by default
/// ([`suggest_speakers`]); see [`SpanmarkApp::with_relation_source`].
pub type RelationSource = fn(&Project, &Document) -> Vec<Relation>;

/// Above this many chars the shown document's suggested relations are found off the UI
/// thread (the speaker rules took 32–101 ms on a 1M-char document full of quotes: a
/// stalled frame per edit); below, at once.
const BACKGROUND_CHARS: usize = 100_000;

/// The suggested relations of the shown document, derived from the project: computed
/// when the document or the project's revision changes (off the UI thread for a long
/// document), and kept only where they keep the source's contract (both ends spans of
/// the document, a type that fits, not a relation it has, not a rejected one), whatever
/// the source returns.
pub(super) struct RelationSuggestions {
    source: RelationSource,
    key: Option<Key>,
    /// Pending, by span.
    pub set: RelationSet,
    /// The source running off the UI thread for the key it was started for.
    running: Option<(Option<Key>, Receiver<Vec<Relation>>)>,
}

/// What the suggestions were found for: a document at a project revision.
type Key = (DocId, u64);

impl Default for RelationSuggestions {
    fn default() -> Self {
        Self {
            source: suggest_speakers,
            key: None,
            set: RelationSet::default(),
            running: None,
        }
    }
}

impl RelationSuggestions {
    /// Uses another source from now on.
    pub fn set_source(&mut self, source: RelationSource) {
        self.source = source;
        self.key = None;
        self.running = None;
    }

    /// Brings the set up to date for `doc` of `project` at `revision` (nothing to do when
    /// neither changed). A long document's are found on a thread when `threaded` (the
    /// window), else inline (headless); either way they land at a later call, and until
    /// then the document keeps those of its last revision that still fit.
    pub fn update(
        &mut self,
        project: &Project,
        doc: Option<&Document>,
        revision: u64,
        threaded: bool,
        ctx: &egui::Context,
    ) {
        let key = doc.map(|d| (d.id(), revision));
        let mut inline = false;
        if let Some((for_key, rx)) = &self.running {
            if *for_key == key {
                match rx.try_recv() {
                    Ok(found) => {
                        self.running = None;
                        self.key = key;
                        self.set =
                            doc.map_or_else(RelationSet::default, |d| fitting(project, d, found));
                        return;
                    }
                    Err(TryRecvError::Empty) => return,
                    // The thread died: found here instead (not again on a thread).
                    Err(TryRecvError::Disconnected) => inline = true,
                }
            }
            // Started for another document or revision: its answer is of no use.
            self.running = None;
        }
        if key == self.key {
            return;
        }
        let Some(doc) = doc else {
            self.key = key;
            self.set = RelationSet::default();
            return;
        };
        if inline || doc.text().char_len() <= BACKGROUND_CHARS {
            self.key = key;
            self.set = fitting(project, doc, (self.source)(project, doc));
            return;
        }
        // Meanwhile: this document's suggestions that still fit (never another's).
        if self.key.map(|(d, _)| d) == Some(doc.id()) {
            let kept = self.set.iter().copied().collect();
            self.set = fitting(project, doc, kept);
        } else {
            self.set = RelationSet::default();
        }
        // A copy of the project shares its documents: it costs a pointer.
        let (project, id, source) = (project.clone(), doc.id(), self.source);
        let rx = off_thread(threaded, ctx, move || {
            project
                .document(id)
                .map_or_else(Vec::new, |d| source(&project, d))
        });
        self.running = Some((key, rx));
    }
}

/// The relations of `found` that keep the source's contract for `doc`.
fn fitting(project: &Project, doc: &Document, found: Vec<Relation>) -> RelationSet {
    let mut set = RelationSet::default();
    for r in found {
        let fits = doc.spans().contains(&r.from())
            && doc.spans().contains(&r.to())
            && project.check_relation(&r).is_ok()
            && !doc.relations().contains(&r)
            && !doc.rejected_relations().contains(&r);
        if fits {
            set.insert(r);
        }
    }
    set
}

impl SpanmarkApp {
    /// Takes suggested relations from `source` instead of the speaker rules (tools, and
    /// tests that need a suggestion the rules would make).
    pub fn with_relation_source(mut self, source: RelationSource) -> Self {
        self.relation_suggestions.set_source(source);
        self
    }

    /// The suggested relations of the shown document, as of the last frame.
    pub fn relation_suggestions(&self) -> &RelationSet {
        &self.relation_suggestions.set
    }

    /// Brings the shown document's suggested relations up to date (a frame's start).
    pub(super) fn update_relation_suggestions(&mut self, ctx: &egui::Context) {
        let doc = self.current.and_then(|d| self.ws.project().document(d));
        let threaded = self.jobs.is_threaded();
        self.relation_suggestions
            .update(self.ws.project(), doc, self.ws.revision(), threaded, ctx);
    }

    /// Carries out the relation actions.
    pub(super) fn perform_relation(&mut self, action: Action) {
        match action {
            Action::StartLink => self.start_link(),
            Action::StepLinkTarget { forward } => self.step_link_target(forward),
            Action::LinkTo(target) => self.link_to(target),
            Action::LinkToTarget => match self.view.linking.as_ref().and_then(Linking::target) {
                Some(target) => self.link_to(target),
                None => self.status = "Tab to a span first, or click one.".to_string(),
            },
            Action::CancelLink if self.view.linking.take().is_some() => {
                self.status = "Not linked.".to_string();
            }
            Action::Link(relation) => self.link(relation),
            Action::SelectRelation { relation, scroll } => self.select_relation(relation, scroll),
            Action::DeleteRelation(relation) => self.delete_relation(relation),
            Action::ChangeRelationType { relation, kind } => self.change_type(relation, kind),
            Action::AcceptRelationSuggestion => self.decide_relation(true),
            Action::RejectRelationSuggestion => self.decide_relation(false),
            Action::RelabelConfirmed { doc, span, label } => self.relabel(doc, span, label, true),
            Action::AddRelationType(kind) => {
                let name = kind.name.clone();
                let (edit, _) = self.ws.project().add_relation_types_edit(vec![kind]);
                if self
                    .edit(format!("add relation type {name}"), vec![edit])
                    .is_ok()
                {
                    self.status = format!("Added relation type {name}: tick the labels it links.");
                }
            }
            Action::SetRelationType { id, kind } => self.set_relation_type(id, kind),
            Action::MoveRelationType { id, to } => {
                let _ = self.edit(
                    "reorder relation types".to_string(),
                    vec![Edit::MoveRelationType { id, to }],
                );
            }
            Action::DeleteRelationType(id) => {
                if let Some(t) = self.ws.project().relation_type(id) {
                    self.modals.push(Modal::DeleteRelationType {
                        id,
                        name: t.name.clone(),
                        relations: self.ws.project().relation_type_use(id),
                    });
                }
            }
            Action::DeleteRelationTypeConfirmed(id) => {
                let Some(name) = self.ws.project().relation_type(id).map(|t| t.name.clone()) else {
                    return;
                };
                let edits = self.ws.project().delete_relation_type_edits(id);
                if self
                    .edit(format!("delete relation type {name}"), edits)
                    .is_ok()
                {
                    self.status = format!("Deleted relation type {name} (Ctrl+Z brings it back).");
                }
            }
            _ => {}
        }
    }

    /// `R`: link mode from the selected span, or why not.
    fn start_link(&mut self) {
        let Some(from) = self.view.selected_span else {
            self.status =
                "Select a span first (click it, or Tab to it), then press R to link it.".into();
            return;
        };
        let Some(doc) = self.current_doc() else {
            return;
        };
        let project = self.ws.project();
        let here = span_words(project, doc, &from, 40);
        let partners = linking::partner_labels(project, from.label());
        if partners.is_empty() {
            self.status = format!(
                "No relation type links {} spans: add one in Edit › Labels… (Relation types).",
                self.label_name(&from)
            );
            return;
        }
        let names: Vec<&str> = partners
            .iter()
            .filter_map(|l| project.label(*l).map(|l| l.name.as_str()))
            .collect();
        let names = names.join(" or ");
        match Linking::start(project, doc, from, &self.relation_suggestions.set) {
            Some(l) => {
                self.status = format!(
                    "Link from {here}: click a {names} span (or Tab to one, Enter); Esc cancels."
                );
                self.view.linking = Some(l);
            }
            None => {
                self.status = format!("No {names} span here is left to link to {here}.");
            }
        }
    }

    fn step_link_target(&mut self, forward: bool) {
        let Some(target) = self.view.linking.as_mut().and_then(|l| l.step(forward)) else {
            return;
        };
        self.view.reveal(target.start(), target.end());
        if let Some(doc) = self.current_doc() {
            self.status = format!(
                "Link to {}? Enter links, Tab goes on, Esc cancels.",
                span_words(self.ws.project(), doc, &target, 40)
            );
        }
    }

    /// Links the span link mode started from to `target`: at once when one relation
    /// fits, through the type picker when several do; says why when none does.
    fn link_to(&mut self, target: Span) {
        let (Some(from), Some(doc)) = (
            self.view.linking.as_ref().map(|l| l.from),
            self.current_doc(),
        ) else {
            return;
        };
        let project = self.ws.project();
        let choices = linking::link_choices(project, doc, from, target);
        match choices.as_slice() {
            [] => {
                let (a, b) = (
                    span_words(project, doc, &from, 30),
                    span_words(project, doc, &target, 30),
                );
                let any = !project.types_linking(&from, &target).is_empty()
                    || !project.types_linking(&target, &from).is_empty();
                self.status = if any {
                    format!("{a} and {b} are linked already.")
                } else {
                    format!(
                        "No relation type links {} and {}: pick another span, or Esc.",
                        self.label_name(&from),
                        self.label_name(&target)
                    )
                };
            }
            [only] => {
                let only = *only;
                self.view.linking = None;
                self.link(only);
            }
            _ => {
                self.view.linking = None;
                self.status =
                    "Which kind of link? Choose one (its key, or Up/Down and Enter).".into();
                self.modals.push(Modal::LinkType {
                    choices,
                    highlighted: 0,
                });
            }
        }
    }

    /// Adds `relation` to the shown document, one undo step; the span link mode started
    /// from stays selected.
    fn link(&mut self, relation: Relation) {
        let Some(doc) = self.current else {
            return;
        };
        let what = format!("link {}", type_name(self.ws.project(), &relation));
        if self
            .edit(what, vec![Edit::AddRelation { doc, relation }])
            .is_ok()
        {
            self.status = format!("Linked {} (Ctrl+Z takes it back).", self.words(&relation));
        }
    }

    /// A relation in words, on the shown document.
    fn words(&self, r: &Relation) -> String {
        self.current_doc()
            .map(|d| describe(self.ws.project(), d, r))
            .unwrap_or_default()
    }

    fn select_relation(&mut self, relation: Relation, scroll: bool) {
        self.view.selection = None;
        self.view.selected_span = None;
        self.view.selected_suggestion = None;
        self.view.linking = None;
        self.view.selected_relation = Some(relation);
        if scroll && self.view.relation_screen_pos(&relation).is_none() {
            self.view.scroll_to(relation.from().start());
        }
        let suggested = self.relation_suggestions.set.contains(&relation);
        self.status = if suggested {
            format!(
                "Suggested {}: Enter accepts, X rejects.",
                self.words(&relation)
            )
        } else {
            format!(
                "{}: Delete removes it; right-click to change its type.",
                self.words(&relation)
            )
        };
    }

    fn delete_relation(&mut self, relation: Relation) {
        let Some(doc) = self.current else {
            return;
        };
        let what = format!("delete {}", type_name(self.ws.project(), &relation));
        let words = self.words(&relation);
        if self
            .edit(what, vec![Edit::RemoveRelation { doc, relation }])
            .is_ok()
        {
            self.view.selected_relation = None;
            self.status = format!("Deleted {words} (Ctrl+Z brings it back).");
        }
    }

    fn change_type(&mut self, relation: Relation, kind: RelationTypeId) {
        let Some(doc) = self.current else {
            return;
        };
        let new = relation.with_kind(kind);
        let project = self.ws.project();
        let what = format!(
            "change {} to {}",
            type_name(project, &relation),
            type_name(project, &new)
        );
        let edits = vec![
            Edit::RemoveRelation { doc, relation },
            Edit::AddRelation { doc, relation: new },
        ];
        if self.edit(what.clone(), edits).is_ok() {
            self.view.selected_relation = Some(new);
            self.status = format!("Did: {what} (Ctrl+Z takes it back).");
        }
    }

    /// Accepts (`AddRelation`) or rejects (`RejectRelation`) the selected suggested
    /// relation, one undo step, then selects the next suggested one.
    fn decide_relation(&mut self, accept: bool) {
        let Some(r) = self
            .view
            .selected_relation
            .filter(|r| self.relation_suggestions.set.contains(r))
        else {
            self.status = "Select a suggested relation first (click its dashed arrow).".into();
            return;
        };
        let Some(doc) = self.current else {
            return;
        };
        let words = self.words(&r);
        let next = self
            .relation_suggestions
            .set
            .iter()
            .find(|x| **x > r)
            .or_else(|| self.relation_suggestions.set.iter().find(|x| **x != r))
            .copied();
        let name = type_name(self.ws.project(), &r).to_string();
        let (what, edit) = if accept {
            ("accept", Edit::AddRelation { doc, relation: r })
        } else {
            ("reject", Edit::RejectRelation { doc, relation: r })
        };
        if self.edit(format!("{what} {name}"), vec![edit]).is_ok() {
            self.view.selected_relation = None;
            if let Some(next) = next {
                self.select_relation(next, true);
            }
            self.status = if accept {
                format!("Accepted {words} (Ctrl+Z takes it back).")
            } else {
                format!("Rejected {words}: it is not proposed again (Ctrl+Z takes that back).")
            };
        }
    }

    /// Relabels span `old` as `label`, its note and fitting relations moving with it, as
    /// one undo step. Relations the new label does not fit go with the old span: unless
    /// `confirmed`, that asks first, naming how many and of which types.
    pub(super) fn relabel(&mut self, doc: DocId, old: Span, label: LabelId, confirmed: bool) {
        let project = self.ws.project();
        let Some(name) = project.label(label).map(|l| l.name.clone()) else {
            return;
        };
        let (edits, dropped) = project.relabel_edits(doc, old, label);
        if !dropped.is_empty() && !confirmed {
            let mut kinds: Vec<&str> = dropped.iter().map(|r| type_name(project, r)).collect();
            kinds.sort_unstable();
            kinds.dedup();
            let kinds = kinds.join(", ");
            let text = match dropped.len() {
                1 => format!(
                    "Its 1 relation ({kinds}) no longer fits and goes. Ctrl+Z brings it back."
                ),
                n => format!(
                    "Its {n} relations ({kinds}) no longer fit and go. Ctrl+Z brings them back."
                ),
            };
            self.modals.push(Modal::Relabel {
                doc,
                span: old,
                label,
                heading: format!("Relabel as {name}?"),
                text,
            });
            return;
        }
        let gone = dropped.len();
        if self.edit(format!("relabel as {name}"), edits).is_ok() {
            if self.current == Some(doc) {
                self.view.selected_span = Some(old.with_label(label));
            }
            self.status = if gone == 0 {
                format!("Relabelled as {name}.")
            } else {
                format!(
                    "Relabelled as {name}; {} went (Ctrl+Z brings it all back).",
                    count(gone, "relation")
                )
            };
        }
    }

    fn set_relation_type(&mut self, id: RelationTypeId, kind: RelationType) {
        let Some(old) = self.ws.project().relation_type(id).cloned() else {
            return;
        };
        if let Some(key) = kind.hotkey
            && let Err(e) = label::check_hotkey(key)
        {
            self.status = format!("Not changed: {e}.");
            return;
        }
        let what = if old.name != kind.name.trim() {
            format!("rename {} to {}", old.name, kind.name.trim())
        } else if old.from != kind.from || old.to != kind.to {
            format!("change the labels {} links", old.name)
        } else if old.hotkey != kind.hotkey {
            format!("set the key of {}", old.name)
        } else {
            format!("recolour {}", old.name)
        };
        match self
            .ws
            .apply(what.clone(), vec![Edit::SetRelationType { id, kind }])
        {
            Ok(()) => self.status = format!("Did: {what}."),
            Err(crate::model::ModelError::RelationTypeInUse(n)) => {
                self.status = format!(
                    "Not changed: {} of {} would no longer fit.",
                    count(n, "relation"),
                    old.name
                );
            }
            Err(e) => self.status = format!("Not changed: {e}."),
        }
    }
}
