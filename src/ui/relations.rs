//! Relations in words (for tooltips, menus, the status bar and questions) and the span
//! panel's list of the selected span's relations: each names the other span ("said by:
//! PERSON “Zabihullah Mujahid”"); a click goes there. Pushes actions only.

use eframe::egui::{self, Button, RichText, Ui};

use super::{Action, doc_view::swatch};
use crate::model::{Document, Project, Relation, RelationSet, Span, text::ellipsize};

/// A span in words: `PERSON “Zabihullah Mujahid”`, its text cut to `max` graphemes.
pub fn span_words(project: &Project, doc: &Document, span: &Span, max: usize) -> String {
    let label = project.label(span.label()).map_or("?", |l| l.name.as_str());
    format!("{label} “{}”", ellipsize(doc.span_text(span), max))
}

/// A relation type's name (`?` for one that went).
pub fn type_name<'a>(project: &'a Project, r: &Relation) -> &'a str {
    project
        .relation_type(r.kind())
        .map_or("?", |t| t.name.as_str())
}

/// A relation in words: `SPEAKER: QUOTE “…” to PERSON “Zabihullah Mujahid”`. (Words,
/// not arrows: egui's own fonts have no arrow glyphs.)
pub fn describe(project: &Project, doc: &Document, r: &Relation) -> String {
    format!(
        "{}: {} to {}",
        type_name(project, r),
        span_words(project, doc, &r.from(), 30),
        span_words(project, doc, &r.to(), 30)
    )
}

/// How the relation reads from span `here`, one of its ends: for SPEAKER, "said by" from
/// the quote and "said" from the speaker; for another type, `TYPE:` and `TYPE of:`.
pub fn role(project: &Project, r: &Relation, here: &Span) -> String {
    let name = type_name(project, r);
    let outgoing = r.from() == *here;
    match (name.eq_ignore_ascii_case("SPEAKER"), outgoing) {
        (true, true) => "said by:".to_string(),
        (true, false) => "said:".to_string(),
        (false, true) => format!("{name}:"),
        (false, false) => format!("{name} of:"),
    }
}

/// The relations (and suggested ones) of the selected span, under its note: one row each,
/// naming the other span; a click selects that span and scrolls to it (nothing else
/// changes), a suggested one has Accept and Reject; right-click a row to delete it.
pub fn span_relations(
    ui: &mut Ui,
    project: &Project,
    doc: &Document,
    selected: Option<Span>,
    (chosen, suggested): (Option<Relation>, &RelationSet),
    actions: &mut Vec<Action>,
) {
    let Some(span) = selected.filter(|s| doc.spans().contains(s)) else {
        return;
    };
    let linked = doc.relations().of(&span);
    let proposed = suggested.of(&span);
    if linked.is_empty() && proposed.is_empty() {
        if !super::doc_view::linking::partner_labels(project, span.label()).is_empty() {
            ui.weak("No relations. Press R to link this span to another.");
            ui.separator();
        }
        return;
    }
    ui.label(RichText::new("Relations").strong());
    for (r, is_suggested) in linked
        .iter()
        .map(|r| (r, false))
        .chain(proposed.iter().map(|r| (r, true)))
    {
        let Some(other) = r.other_end(&span) else {
            continue;
        };
        let c = project
            .relation_type(r.kind())
            .map_or(egui::Color32::GRAY, |t| {
                super::relation_color(t.color, ui.visuals().dark_mode)
            });
        let prefix = if is_suggested { "suggested, " } else { "" };
        let text = format!(
            "{prefix}{} {}",
            role(project, r, &span),
            span_words(project, doc, &other, 40)
        );
        ui.horizontal(|ui| {
            swatch(ui, c);
            let row = ui
                .add(Button::selectable(chosen == Some(*r), text).truncate())
                .on_hover_text(format!(
                    "{}\nClick to go to it; right-click to delete",
                    describe(project, doc, r)
                ));
            if row.clicked() {
                actions.push(Action::SelectSpan {
                    span: other,
                    scroll: true,
                });
            }
            row.context_menu(|ui| {
                if ui.button("Select the arrow").clicked() {
                    actions.push(Action::SelectRelation {
                        relation: *r,
                        scroll: true,
                    });
                    ui.close();
                }
                if !is_suggested && ui.button("Delete").clicked() {
                    actions.push(Action::DeleteRelation(*r));
                    ui.close();
                }
            });
            if is_suggested {
                let select = Action::SelectRelation {
                    relation: *r,
                    scroll: false,
                };
                if ui.small_button("Accept").clicked() {
                    actions.push(select.clone());
                    actions.push(Action::AcceptRelationSuggestion);
                }
                if ui.small_button("Reject").clicked() {
                    actions.push(select);
                    actions.push(Action::RejectRelationSuggestion);
                }
            }
        });
    }
    ui.separator();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelId, RelationTypeId, default_labels};

    #[test]
    fn a_speaker_reads_both_ways() {
        let text = "“Kabul is calm,” said Zabihullah Mujahid.";
        let quote = Span::new(0, 16, LabelId(4)).unwrap();
        let person = Span::new(22, 40, LabelId(0)).unwrap();
        let r = Relation::new(quote, person, RelationTypeId(0)).unwrap();
        let doc = Document::with_spans("d", text, vec![quote, person])
            .unwrap()
            .with_relations([r])
            .unwrap();
        let p = Project::new(default_labels(), vec![doc]).unwrap();
        let doc = &p.documents()[0];
        assert_eq!(role(&p, &r, &quote), "said by:");
        assert_eq!(role(&p, &r, &person), "said:");
        assert_eq!(
            describe(&p, doc, &r),
            "SPEAKER: QUOTE ““Kabul is calm,”” to PERSON “Zabihullah Mujahid”"
        );
    }
}
