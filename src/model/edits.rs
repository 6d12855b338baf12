//! Composite edits: the lists of [`Edit`]s that make one user action (one undo step),
//! built from the project as it is.

use super::disagreement::Choice;
use super::{
    Disagreement, DocId, Document, Edit, Label, LabelId, ModelError, Project, Relation,
    RelationType, RelationTypeId, Span,
};

impl Project {
    /// The edit that appends documents at the end of the list.
    pub fn append_documents_edit(&self, docs: Vec<Document>) -> Edit {
        let at = self.documents.len();
        Edit::InsertDocuments {
            docs: (at..).zip(docs).collect(),
        }
    }

    /// The edits that delete label `id` and every span and rejection that carries it, as
    /// one undoable action: the spans, rejections and disagreement spans go, then the
    /// label.
    pub fn delete_label_edits(&self, id: LabelId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = self
            .documents
            .iter()
            .filter(|d| d.spans().iter().any(|s| s.label() == id))
            .map(|d| Edit::SetSpans {
                doc: d.id(),
                spans: d
                    .spans()
                    .iter()
                    .filter(|s| s.label() != id)
                    .copied()
                    .collect(),
                // The other spans keep their notes and relations; undo brings back the
                // dropped ones.
                notes: None,
                relations: None,
            })
            .collect();
        // Rejections of the label go too (undo brings them back).
        for d in self.documents.iter() {
            edits.extend(
                d.rejected()
                    .iter()
                    .filter(|s| s.label() == id)
                    .map(|&span| Edit::Unreject { doc: d.id(), span }),
            );
        }
        // Disagreement versions lose the label's spans too (team merge).
        edits.extend(self.drop_label_from_disagreements(id));
        // Rejected relations with an end of the label go (undo brings them back).
        for d in self.documents.iter() {
            let ends = |r: &&crate::model::Relation| r.from().label() == id || r.to().label() == id;
            edits.extend(d.rejected_relations().iter().filter(ends).map(|&relation| {
                Edit::UnrejectRelation {
                    doc: d.id(),
                    relation,
                }
            }));
        }
        // Relation types stop allowing it (their relations on its spans went above).
        for (tid, t) in self.relation_type_entries() {
            if t.from.contains(&id) || t.to.contains(&id) {
                let mut kind = t.clone();
                kind.from.retain(|l| *l != id);
                kind.to.retain(|l| *l != id);
                edits.push(Edit::SetRelationType { id: tid, kind });
            }
        }
        edits.push(Edit::RemoveLabels { ids: vec![id] });
        edits
    }

    /// The edits that delete relation type `id` and every relation of it, as one
    /// undoable action.
    pub fn delete_relation_type_edits(&self, id: RelationTypeId) -> Vec<Edit> {
        let mut edits: Vec<Edit> = self
            .documents
            .iter()
            .filter(|d| d.relations().iter().any(|r| r.kind() == id))
            .map(|d| Edit::SetSpans {
                doc: d.id(),
                spans: d.spans().as_slice().to_vec(),
                notes: None,
                relations: Some(
                    d.relations()
                        .iter()
                        .filter(|r| r.kind() != id)
                        .copied()
                        .collect(),
                ),
            })
            .collect();
        for d in self.documents.iter() {
            edits.extend(
                d.rejected_relations()
                    .iter()
                    .filter(|r| r.kind() == id)
                    .map(|&relation| Edit::UnrejectRelation {
                        doc: d.id(),
                        relation,
                    }),
            );
        }
        // Disagreements' links of the type go too (team merge).
        edits.extend(self.drop_from_disagreement_links(|r| r.kind() == id));
        edits.push(Edit::RemoveRelationTypes { ids: vec![id] });
        edits
    }

    /// The edit that appends relation types (names must be new), and the ids they get.
    pub fn add_relation_types_edit(&self, types: Vec<RelationType>) -> (Edit, Vec<RelationTypeId>) {
        let ids = self.fresh_relation_type_ids(types.len());
        let at = self.relation_types().len();
        let types = types
            .into_iter()
            .zip(&ids)
            .enumerate()
            .map(|(k, (t, id))| (at + k, *id, t))
            .collect();
        (Edit::InsertRelationTypes { types }, ids)
    }

    /// The edit that adds the labels of `incoming` whose names are new here; a newcomer
    /// whose key or colour a label here already has gets a free key and a distinct colour.
    /// `None` if every name is known.
    pub fn import_labels_edit(&self, incoming: &[Label]) -> Option<Edit> {
        let mut all = self.labels().to_vec();
        let known = all.len();
        for label in incoming {
            if all.iter().any(|l| l.name == label.name) {
                continue;
            }
            let fresh = super::label::new_label_named(&all, label.name.clone());
            let key_taken = |k: char| {
                all.iter().any(|l| l.hotkey == Some(k)) || super::label::check_hotkey(k).is_err()
            };
            let hotkey = match label.hotkey {
                Some(k) if !key_taken(k) => Some(k),
                _ => fresh.hotkey,
            };
            let color = if all.iter().any(|l| l.color == label.color) {
                fresh.color
            } else {
                label.color
            };
            all.push(Label {
                name: label.name.clone(),
                color,
                hotkey,
            });
        }
        let added = all.split_off(known);
        (!added.is_empty()).then(|| self.add_labels_edit(added).0)
    }

    /// The edit that appends `labels` (names must be new), and the ids they get.
    pub fn add_labels_edit(&self, labels: Vec<Label>) -> (Edit, Vec<LabelId>) {
        let ids = self.fresh_label_ids(labels.len());
        let at = self.labels.len();
        let labels = labels
            .into_iter()
            .zip(&ids)
            .enumerate()
            .map(|(k, (label, id))| (at + k, *id, label))
            .collect();
        (Edit::InsertLabels { labels }, ids)
    }

    /// The edits that bring documents from elsewhere into this project as one undoable
    /// action: `labels` are the labels their spans refer to (`LabelId(i)` is
    /// `labels[i]`), matched here by name; names this project lacks are added (with a
    /// free key and a distinct colour where theirs are taken), and documents whose name
    /// is taken are renamed ("d (2)"). The documents go at the end.
    ///
    /// `types` are the relation types their relations refer to (`RelationTypeId(i)` is
    /// `types[i]`, its labels ids into `labels`), matched by name too: a type this project
    /// lacks is added; one it has keeps its id and colour, and allows from then on every
    /// label the incoming one allows as well (so every incoming relation fits).
    pub fn adopt_edits(
        &self,
        labels: &[Label],
        types: &[RelationType],
        documents: Vec<Document>,
    ) -> Result<Vec<Edit>, ModelError> {
        let mut edits = Vec::new();
        let mut map: Vec<LabelId> = Vec::with_capacity(labels.len());
        let new: Vec<Label> = labels
            .iter()
            .filter(|l| self.label_id(&l.name).is_none())
            .cloned()
            .collect();
        let mut fresh = Vec::new();
        if let Some(Edit::InsertLabels { labels: added }) = self.import_labels_edit(&new) {
            fresh = added
                .iter()
                .map(|(_, id, l)| (l.name.clone(), *id))
                .collect();
            edits.push(Edit::InsertLabels { labels: added });
        }
        for label in labels {
            let id = self
                .label_id(&label.name)
                .or_else(|| {
                    fresh
                        .iter()
                        .find(|(n, _)| *n == label.name)
                        .map(|(_, id)| *id)
                })
                .ok_or_else(|| ModelError::DuplicateLabel(label.name.clone()))?;
            map.push(id);
        }
        let relabel = |l: LabelId| map.get(l.0 as usize).copied().unwrap_or(LabelId(u32::MAX));
        let type_map = self.adopt_types_edits(types, &relabel, &mut edits)?;
        let retype = |t: RelationTypeId| {
            type_map
                .get(t.0 as usize)
                .copied()
                .unwrap_or(RelationTypeId(u32::MAX))
        };
        let docs: Vec<Document> = documents
            .into_iter()
            .map(|d| d.relabelled(&relabel, &retype))
            .collect::<Result<_, _>>()?;
        let docs = self.with_unique_names(docs);
        if !docs.is_empty() {
            edits.push(self.append_documents_edit(docs));
        }
        Ok(edits)
    }

    /// For [`Self::adopt_edits`]: the edits that widen the relation types this project
    /// has by name and add the others (pushed onto `edits`, after the labels they may
    /// name), and the id here of each incoming type, in order.
    fn adopt_types_edits(
        &self,
        types: &[RelationType],
        relabel: &impl Fn(LabelId) -> LabelId,
        edits: &mut Vec<Edit>,
    ) -> Result<Vec<RelationTypeId>, ModelError> {
        let mut added: Vec<RelationType> = Vec::new();
        // Per incoming type: its id here, or its place among the added ones.
        let mut places: Vec<Result<RelationTypeId, usize>> = Vec::with_capacity(types.len());
        for (i, t) in types.iter().enumerate() {
            if types[..i].iter().any(|o| o.name == t.name) {
                return Err(ModelError::DuplicateRelationType(t.name.clone()));
            }
            let from: Vec<LabelId> = t.from.iter().map(|l| relabel(*l)).collect();
            let to: Vec<LabelId> = t.to.iter().map(|l| relabel(*l)).collect();
            let Some(id) = self.relation_type_id(&t.name) else {
                places.push(Err(added.len()));
                added.push(RelationType {
                    from,
                    to,
                    ..t.clone()
                });
                continue;
            };
            places.push(Ok(id));
            let Some(mine) = self.relation_type(id) else {
                continue;
            };
            let mut wider = mine.clone();
            for (have, want) in [(&mut wider.from, from), (&mut wider.to, to)] {
                for l in want {
                    if !have.contains(&l) {
                        have.push(l);
                    }
                }
            }
            if wider != *mine {
                edits.push(Edit::SetRelationType { id, kind: wider });
            }
        }
        let mut ids = Vec::new();
        if !added.is_empty() {
            let (edit, new_ids) = self.add_relation_types_edit(added);
            edits.push(edit);
            ids = new_ids;
        }
        Ok(places
            .into_iter()
            .map(|p| p.unwrap_or_else(|k| ids[k]))
            .collect())
    }

    /// The edits that give span `old` of document `doc` the label `label`, keeping its
    /// note on the relabelled span, as one undoable action.
    ///
    /// Its relations move to the relabelled span where their type allows the new label;
    /// the others are returned, as they go (the window asks first).
    pub fn relabel_edits(
        &self,
        doc: DocId,
        old: Span,
        label: LabelId,
    ) -> (Vec<Edit>, Vec<Relation>) {
        let new = old.with_label(label);
        let mut edits = vec![
            Edit::RemoveSpan { doc, span: old },
            Edit::AddSpan { doc, span: new },
        ];
        let Some(d) = self.document(doc) else {
            return (edits, Vec::new());
        };
        if let Some(note) = d.note(&old) {
            edits.push(Edit::SetNote {
                doc,
                span: new,
                note: Some(note.to_string()),
            });
        }
        let mut dropped = Vec::new();
        for r in d.relations().of(&old) {
            let moved = r.with_end(&old, new);
            let fits = self.check_relation(&moved).is_ok() && moved.from() != moved.to();
            // A relation that the move would make twice (it is there already) goes.
            if fits && !d.relations().contains(&moved) {
                edits.push(Edit::AddRelation {
                    doc,
                    relation: moved,
                });
            } else {
                dropped.push(*r);
            }
        }
        (edits, dropped)
    }

    /// The edits that drop label `id`'s spans from every disagreement version, and the
    /// links with an end of it (a label delete, with [`Project::delete_label_edits`]);
    /// versions left without spans stay, as "said nothing here".
    pub(crate) fn drop_label_from_disagreements(&self, id: LabelId) -> Vec<Edit> {
        let ends = |r: &Relation| r.from().label() == id || r.to().label() == id;
        self.documents()
            .iter()
            .filter(|d| {
                d.disagreements().iter().any(|dis| {
                    dis.spans().any(|s| s.label() == id) || dis.all_relations().any(ends)
                })
            })
            .map(|d| Edit::SetDisagreements {
                doc: d.id(),
                disagreements: d
                    .disagreements()
                    .iter()
                    .map(|dis| {
                        let versions = dis
                            .versions
                            .iter()
                            .map(|(name, spans)| {
                                let kept = spans.iter().filter(|s| s.label() != id).copied();
                                (name.clone(), kept.collect())
                            })
                            .collect();
                        let links = dis
                            .relations
                            .iter()
                            .map(|l| l.iter().filter(|r| !ends(r)).copied().collect())
                            .collect();
                        Disagreement {
                            versions,
                            ..dis.clone()
                        }
                        .with_relations(links)
                    })
                    .collect(),
            })
            .collect()
    }

    /// The edits that drop the disagreements' links that `gone` picks (their type is
    /// being deleted).
    fn drop_from_disagreement_links(&self, gone: impl Fn(&Relation) -> bool) -> Vec<Edit> {
        self.documents()
            .iter()
            .filter(|d| {
                d.disagreements()
                    .iter()
                    .any(|dis| dis.all_relations().any(&gone))
            })
            .map(|d| Edit::SetDisagreements {
                doc: d.id(),
                disagreements: d
                    .disagreements()
                    .iter()
                    .map(|dis| {
                        let links = dis
                            .relations
                            .iter()
                            .map(|l| l.iter().filter(|r| !gone(r)).copied().collect())
                            .collect();
                        dis.clone().with_relations(links)
                    })
                    .collect(),
            })
            .collect()
    }

    /// The edits that resolve disagreement `index` of document `doc` with `choice`, as
    /// one undoable action: [`Edit::Resolve`] with the chosen spans, then an
    /// [`Edit::AddRelation`] for each chosen link whose ends are both spans once those
    /// are added (and that fits its type and is not there yet). A link with an end in
    /// another open region waits there: it is added when that one is resolved with a
    /// version that has it. `None` when there is no such disagreement or version.
    pub fn resolve_edits(&self, doc: DocId, index: usize, choice: Choice) -> Option<Vec<Edit>> {
        let d = self.document(doc)?;
        let dis = d.disagreements().get(index)?;
        let spans = choice.spans(dis)?;
        let relations = choice.relations(dis)?;
        // `spans` is sorted by (start, end, label), as `Choice::spans` gives it.
        let key = |s: &Span| (s.start(), s.end(), s.label());
        let have =
            |s: &Span| d.spans().contains(s) || spans.binary_search_by_key(&key(s), key).is_ok();
        let links: Vec<Edit> = relations
            .into_iter()
            .filter(|r| have(&r.from()) && have(&r.to()))
            .filter(|r| !d.relations().contains(r) && self.check_relation(r).is_ok())
            .map(|relation| Edit::AddRelation { doc, relation })
            .collect();
        let mut edits = vec![Edit::Resolve { doc, index, spans }];
        edits.extend(links);
        Some(edits)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{
        Document, Label, LabelId, PALETTE, Project, Relation, RelationType, RelationTypeId, Span,
        Workspace, default_labels,
    };

    fn label(name: &str) -> Label {
        Label {
            name: name.into(),
            color: PALETTE[0],
            hotkey: None,
        }
    }

    fn kind(name: &str, from: &[u32], to: &[u32]) -> RelationType {
        RelationType {
            name: name.into(),
            color: PALETTE[1],
            hotkey: None,
            from: from.iter().map(|&l| LabelId(l)).collect(),
            to: to.iter().map(|&l| LabelId(l)).collect(),
        }
    }

    /// Relation types come in by name: one the project has keeps its id and grows to
    /// allow what the incoming one allows; a new one is added; the documents' relations
    /// point at the right types and labels; undo gives back the project as it was.
    #[test]
    fn adopting_maps_types_by_name_and_adds_the_missing() {
        let labels = default_labels();
        // This project's SPEAKER links a QUOTE to a PERSON only.
        let types = vec![kind("SPEAKER", &[4], &[0])];
        let mine = Document::new("mine", "x");
        let project = Project::with_types(labels, types, vec![mine]).unwrap();
        let speaker = project.relation_type_id("SPEAKER").unwrap();
        let mut w = Workspace::new(project.clone());

        // The incoming list: QUOTE, ORG and a new label, in its own order.
        let labels = vec![label("QUOTE"), label("ORG"), label("CLAIM")];
        let types = vec![kind("CAUSE", &[2], &[1]), kind("SPEAKER", &[0], &[1])];
        let sp = |s, e, l| Span::new(s, e, LabelId(l)).unwrap();
        let (quote, org, claim) = (sp(0, 4, 0), sp(5, 8, 1), sp(9, 13, 2));
        let doc = Document::with_spans("mine", "“No” UNO says", vec![quote, org, claim])
            .unwrap()
            .with_relations([
                Relation::new(quote, org, RelationTypeId(1)).unwrap(),
                Relation::new(claim, org, RelationTypeId(0)).unwrap(),
            ])
            .unwrap();
        let edits = w.project().adopt_edits(&labels, &types, vec![doc]).unwrap();
        w.apply("import", edits).unwrap();

        let p = w.project();
        assert_eq!(p.relation_type_id("SPEAKER"), Some(speaker), "same id");
        let id = |name| p.label_id(name).unwrap();
        let speaker_type = p.relation_type(speaker).unwrap();
        assert_eq!(speaker_type.from, [id("QUOTE")]);
        assert_eq!(
            speaker_type.to,
            [id("PERSON"), id("ORG")],
            "widened, PERSON kept"
        );
        let cause = p.relation_type_id("CAUSE").unwrap();
        assert_eq!(p.relation_type(cause).unwrap().from, [id("CLAIM")]);
        let doc = p.document_named("mine (2)").unwrap();
        let got: Vec<(RelationTypeId, &str, &str)> = doc
            .relations()
            .iter()
            .map(|r| (r.kind(), doc.span_text(&r.from()), doc.span_text(&r.to())))
            .collect();
        assert_eq!(got, [(speaker, "“No”", "UNO"), (cause, "says", "UNO")]);

        w.undo().unwrap();
        assert_eq!(w.project(), &project);
    }

    /// Label ids that shift by one (0 → 1 → 2) once took both ends of a relation
    /// between two spans of one range to the same span: a self-link.
    #[test]
    fn adopting_maps_both_ends_of_a_relation_at_once() {
        let labels = default_labels();
        let types = vec![kind("SAME", &[0, 1, 2], &[0, 1, 2])];
        let project = Project::with_types(labels, types, vec![]).unwrap();
        // Incoming labels PLACE, ORG (ids 0, 1) are 1 and 2 here.
        let incoming = vec![label("PLACE"), label("ORG")];
        let types = vec![kind("SAME", &[0, 1], &[0, 1])];
        let (a, b) = (
            Span::new(0, 5, LabelId(0)).unwrap(),
            Span::new(0, 5, LabelId(1)).unwrap(),
        );
        let doc = Document::with_spans("d", "Kabul", vec![a, b])
            .unwrap()
            .with_relations([Relation::new(a, b, RelationTypeId(0)).unwrap()])
            .unwrap();
        let mut w = Workspace::new(project);
        let edits = w
            .project()
            .adopt_edits(&incoming, &types, vec![doc])
            .unwrap();
        w.apply("import", edits).unwrap();
        let d = &w.project().documents()[0];
        let r = d.relations().iter().next().unwrap();
        assert_eq!((r.from().label(), r.to().label()), (LabelId(1), LabelId(2)));
    }
}
