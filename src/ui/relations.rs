//! Relations in words, for tooltips, menus, the span panel, the status bar and questions
//! ("said by: PERSON “Zabihullah Mujahid”"). Uses nothing else of the UI, so every view
//! can use it.

use crate::model::{Document, Project, Relation, Span, text::ellipsize};

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
