//! Relations in the document view: arrows between the spans on screen, in their type's
//! colour (suggested ones dashed), under the text so they never hide it ([`arrows`] has
//! the geometry); an arrow whose other end is off screen runs to the edge. Only the
//! relations of visible spans are looked at: the spans over the placed units come from
//! the interval index, their relations from the per-span index, so a frame costs what
//! is on screen. Clicking an arrow selects it, hovering names it, and in link mode
//! (after `R`) the allowed targets are outlined and a click on one links.

use std::collections::HashSet;

use eframe::egui::{
    self, Color32, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Ui, layers::ShapeIdx, pos2, vec2,
};

use super::arrows::{self, Anchor, Arrow};
use super::{DocView, swatch};
use crate::model::{Document, Project, Relation, RelationSet, Rgb, Span};
use crate::ui::relations::{describe, span_words, type_name};
use crate::ui::{Action, color};

/// An arrow's width; selected or under the pointer.
const WIDTH: f32 = 1.5;
const WIDTH_STRONG: f32 = 2.5;
/// How near an arrow the pointer takes it.
const HIT: f32 = 4.0;
/// An end off screen is drawn on the edge this far right of the visible end.
const EDGE_DX: f32 = 28.0;
/// Dash and gap of a suggested relation.
const DASH: f32 = 5.0;
const GAP: f32 = 3.0;

/// An arrow drawn in the last frame.
pub(super) struct Drawn {
    /// Its relation.
    pub relation: Relation,
    /// Suggested (dashed), not one of the document's.
    pub suggested: bool,
    /// Where it runs.
    pub arrow: Arrow,
    /// Its end that is off screen, if one is, and whether it is above.
    pub off_screen: Option<(Span, bool)>,
}

/// A type's colour as drawn: lightened on a dark background, where a dark arrow would
/// vanish.
fn arrow_color(rgb: Rgb, dark: bool) -> Color32 {
    let c = color(rgb);
    if dark {
        c.lerp_to_gamma(Color32::WHITE, 0.35)
    } else {
        c
    }
}

impl DocView {
    /// The text band of a line rect: the font's height, centred (as for span fills).
    fn text_band(&self, r: Rect) -> Rect {
        let pad = ((r.height() - self.font_height) / 2.0).max(0.0);
        Rect::from_x_y_ranges(r.x_range(), (r.top() + pad)..=(r.bottom() - pad))
    }

    /// How high an arrow between two spans on one line rises: inside the gap above the
    /// text, clear of the line above's underlines.
    fn lift(&self) -> f32 {
        (self.row_height - self.font_height - 4.5).clamp(3.0, 24.0)
    }

    /// Where an arrow meets `span`, if it is drawn inside `clip`: on the top of its first
    /// piece, near its start. Else whether it is above (`Err(true)`) or below the screen.
    fn anchor_of(&self, span: &Span, clip: Rect) -> Result<Pos2, bool> {
        let Some(r) = self
            .range_screen_rects(span.start(), span.end())
            .first()
            .copied()
        else {
            let first = self.first_visible().unwrap_or(0);
            return Err(span.start() < first);
        };
        let band = self.text_band(r);
        let p = pos2(r.left() + (r.width() / 2.0).min(10.0), band.top());
        if p.y < clip.top() {
            Err(true)
        } else if p.y > clip.bottom() {
            Err(false)
        } else {
            Ok(p)
        }
    }

    /// Whether `pos` is on a line's text (where clicks and hovers belong to the spans).
    fn in_text_band(&self, pos: Pos2) -> bool {
        self.placed.iter().any(|p| {
            let y = pos.y - p.origin.y;
            p.laid.lines.iter().any(|l| {
                let pad = ((l.y1 - l.y0 - self.font_height) / 2.0).max(0.0);
                l.y0 + pad <= y && y <= l.y1 - pad
            })
        })
    }

    /// The arrow drawn nearest `pos` within reach, off the text.
    fn arrow_at(&self, pos: Pos2) -> Option<usize> {
        if self.in_text_band(pos) {
            return None;
        }
        self.arrows
            .iter()
            .enumerate()
            .map(|(i, d)| (i, arrows::arrow_distance(pos, &d.arrow)))
            .filter(|(_, dist)| *dist <= HIT)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// The relations drawn in the last frame (tests: what a user sees).
    pub fn drawn_relations(&self) -> Vec<Relation> {
        self.arrows.iter().map(|d| d.relation).collect()
    }

    /// Where the arrow of `r` was drawn in the last frame: a point on its curve, off the
    /// text (tests and tools point there as a user would).
    pub fn relation_screen_pos(&self, r: &Relation) -> Option<Pos2> {
        let d = self.arrows.iter().find(|d| d.relation == *r)?;
        d.arrow
            .points
            .iter()
            .copied()
            .chain([d.arrow.middle])
            .find(|p| !self.in_text_band(*p) && self.arrow_at(*p).is_some())
    }

    /// The tip of the arrowhead of `r` as drawn in the last frame: on its end span, or on
    /// the edge of the view when that end is off screen.
    pub fn relation_head(&self, r: &Relation) -> Option<Pos2> {
        let d = self.arrows.iter().find(|d| d.relation == *r)?;
        Some(d.arrow.head[0])
    }

    /// Drops a selected relation or a link that no longer exists (an undo, a delete).
    pub(super) fn settle_relations(&mut self, doc: &Document, suggested: &RelationSet) {
        if let Some(r) = self.selected_relation
            && !doc.relations().contains(&r)
            && !suggested.contains(&r)
        {
            self.selected_relation = None;
        }
        if self
            .linking
            .as_ref()
            .is_some_and(|l| !doc.spans().contains(&l.from))
        {
            self.linking = None;
        }
    }

    /// Paints the arrows of the relations (and suggested relations) of the spans on
    /// screen into `slot`, a place taken before the text, so the text lies over them;
    /// the selected and hovered ones get their type's name drawn at their middle.
    pub(super) fn paint_relations(
        &mut self,
        ui: &Ui,
        project: &Project,
        doc: &Document,
        suggested: &RelationSet,
        slot: ShapeIdx,
    ) {
        self.arrows.clear();
        let clip = ui.clip_rect();
        let dark = ui.visuals().dark_mode;
        let mut seen: HashSet<Relation> = HashSet::new();
        let mut found: Vec<(Relation, bool)> = Vec::new();
        for p in &self.placed {
            let u = self.units[p.unit];
            for s in doc.spans().overlapping(u.start, u.end) {
                for r in doc.relations().of(s) {
                    if seen.insert(*r) {
                        found.push((*r, false));
                    }
                }
                for r in suggested.of(s) {
                    if seen.insert(*r) {
                        found.push((*r, true));
                    }
                }
            }
        }
        let lift = self.lift();
        let mut shapes: Vec<Shape> = Vec::new();
        for (i, (r, is_suggested)) in found.into_iter().enumerate() {
            let (from, to) = (
                self.anchor_of(&r.from(), clip),
                self.anchor_of(&r.to(), clip),
            );
            let edge = |visible: Pos2, up: bool| Anchor::Edge {
                at: pos2(
                    (visible.x + EDGE_DX).min(clip.right() - 4.0),
                    if up { clip.top() } else { clip.bottom() },
                ),
                up,
            };
            let (a, b, off_screen) = match (from, to) {
                (Ok(a), Ok(b)) => (Anchor::Span(a), Anchor::Span(b), None),
                (Ok(a), Err(up)) => (Anchor::Span(a), edge(a, up), Some((r.to(), up))),
                (Err(up), Ok(b)) => (edge(b, up), Anchor::Span(b), Some((r.from(), up))),
                // Both ends off screen: nothing of it would show.
                (Err(_), Err(_)) => continue,
            };
            // Arrows over one stretch of a line rise to a few heights, so they part.
            let arrow = arrows::arrow(a, b, lift * (1.0 - 0.22 * (i % 3) as f32));
            let strong = self.selected_relation == Some(r) || self.hovered_relation == Some(r);
            let c = project
                .relation_type(r.kind())
                .map_or(Color32::GRAY, |t| arrow_color(t.color, dark));
            let c = if is_suggested {
                c.gamma_multiply(0.8)
            } else {
                c
            };
            let stroke = Stroke::new(if strong { WIDTH_STRONG } else { WIDTH }, c);
            if is_suggested {
                Shape::dashed_line_many(&arrow.points, stroke, DASH, GAP, &mut shapes);
            } else {
                shapes.push(Shape::line(arrow.points.clone(), stroke));
            }
            shapes.push(Shape::convex_polygon(arrow.head.to_vec(), c, Stroke::NONE));
            if let Anchor::Span(p) = a {
                shapes.push(Shape::circle_filled(p, 2.0, c));
            }
            if strong {
                self.type_label(ui, type_name(project, &r), arrow.middle, c);
            }
            self.arrows.push(Drawn {
                relation: r,
                suggested: is_suggested,
                arrow,
                off_screen,
            });
        }
        self.link_preview(ui, doc, clip, &mut shapes);
        ui.painter().set(slot, Shape::Vec(shapes));
    }

    /// The type's name in a small box at an arrow's middle (over the text: only for the
    /// selected arrow and the one under the pointer).
    fn type_label(&self, ui: &Ui, name: &str, at: Pos2, c: Color32) {
        let painter = ui.painter();
        let galley = painter.layout_no_wrap(name.to_string(), FontId::proportional(11.0), c);
        let rect = Rect::from_center_size(at - vec2(0.0, 7.0), galley.size() + vec2(6.0, 2.0));
        painter.rect(
            rect,
            3.0,
            ui.visuals().extreme_bg_color,
            Stroke::new(1.0, c),
            StrokeKind::Outside,
        );
        painter.galley(rect.min + vec2(3.0, 1.0), galley, c);
    }

    /// In link mode: the allowed targets on screen outlined, the one Tab reached (or the
    /// pointer is on) more strongly, and a dashed arrow from the first span to it, or to
    /// the pointer.
    fn link_preview(&self, ui: &Ui, doc: &Document, clip: Rect, shapes: &mut Vec<Shape>) {
        let Some(linking) = &self.linking else {
            return;
        };
        let c = arrow_color(linking.color, ui.visuals().dark_mode);
        let pointer = ui
            .input(|i| i.pointer.hover_pos())
            .filter(|p| clip.contains(*p));
        let hovered = pointer
            .and_then(|p| self.char_at(p))
            .and_then(|ch| doc.spans().at(ch).into_iter().find(|s| linking.allows(s)));
        let target = hovered.or(linking.target());
        for p in &self.placed {
            let u = self.units[p.unit];
            for s in doc.spans().overlapping(u.start, u.end) {
                let is_target = target == Some(*s);
                if !linking.allows(s) && *s != linking.from {
                    continue;
                }
                let width = if is_target || *s == linking.from {
                    2.0
                } else {
                    1.0
                };
                for r in self.range_rects(p, s.start(), s.end()) {
                    ui.painter().rect_stroke(
                        self.text_band(r).expand(3.0),
                        3.0,
                        Stroke::new(width, c),
                        StrokeKind::Outside,
                    );
                }
            }
        }
        let Ok(from) = self.anchor_of(&linking.from, clip) else {
            return;
        };
        let end = match target.map(|t| self.anchor_of(&t, clip)) {
            Some(Ok(p)) => Anchor::Span(p),
            Some(Err(up)) => Anchor::Edge {
                at: pos2(
                    from.x + EDGE_DX,
                    if up { clip.top() } else { clip.bottom() },
                ),
                up,
            },
            None => match pointer {
                Some(p) => Anchor::Span(p),
                None => return,
            },
        };
        let arrow = arrows::arrow(Anchor::Span(from), end, self.lift());
        Shape::dashed_line_many(
            &arrow.points,
            Stroke::new(WIDTH_STRONG, c),
            DASH,
            GAP,
            shapes,
        );
        shapes.push(Shape::convex_polygon(arrow.head.to_vec(), c, Stroke::NONE));
    }

    /// Clicks and hovers on arrows and, in link mode, on targets. Returns whether the
    /// click was taken (then it selects no text and no span).
    pub(super) fn relation_pointer(
        &mut self,
        ui: &Ui,
        response: &egui::Response,
        (project, doc): (&Project, &Document),
        actions: &mut Vec<Action>,
    ) -> bool {
        let hit = response
            .hover_pos()
            .filter(|_| !self.dragging)
            .and_then(|p| self.arrow_at(p));
        self.hovered_relation = hit.map(|i| self.arrows[i].relation);
        if let Some(i) = hit {
            let d = &self.arrows[i];
            response
                .clone()
                .on_hover_ui_at_pointer(|ui| relation_tooltip(ui, (project, doc), d));
        }
        let shift = ui.input(|i| i.modifiers.shift);
        if !response.clicked() || shift {
            return false;
        }
        let pos = response.interact_pointer_pos();
        if let Some(linking) = &self.linking {
            let here = pos
                .and_then(|p| self.char_at(p))
                .map(|c| doc.spans().at(c))
                .unwrap_or_default();
            let pick = here
                .iter()
                .find(|s| linking.allows(s))
                .or_else(|| here.iter().find(|s| **s != linking.from));
            if let Some(target) = pick {
                actions.push(Action::LinkTo(*target));
                return true;
            }
            if here.is_empty() {
                // A click on no span ends link mode, and is a click as usual.
                actions.push(Action::CancelLink);
                return false;
            }
            return true;
        }
        let Some(i) = pos.and_then(|p| self.arrow_at(p)) else {
            return false;
        };
        self.selection = None;
        self.selected_span = None;
        self.selected_suggestion = None;
        self.selected_relation = Some(self.arrows[i].relation);
        actions.push(Action::SelectRelation {
            relation: self.arrows[i].relation,
            scroll: false,
        });
        true
    }

    /// The arrow under the pointer when the right-click menu opens, if any.
    pub(super) fn relation_for_menu(&self, pos: Option<Pos2>) -> Option<(Relation, bool)> {
        let i = pos.and_then(|p| self.arrow_at(p))?;
        Some((self.arrows[i].relation, self.arrows[i].suggested))
    }
}

/// What hovering an arrow shows: its type, its ends, where an end off screen is, and
/// what a click does.
fn relation_tooltip(ui: &mut Ui, (project, doc): (&Project, &Document), d: &Drawn) {
    let r = &d.relation;
    let c = project
        .relation_type(r.kind())
        .map_or(Color32::GRAY, |t| color(t.color));
    ui.horizontal(|ui| {
        swatch(ui, c);
        let name = type_name(project, r);
        if d.suggested {
            ui.strong(format!("Suggested {name}"));
        } else {
            ui.strong(name);
        }
    });
    ui.label(format!(
        "{} to {}",
        span_words(project, doc, &r.from(), 60),
        span_words(project, doc, &r.to(), 60)
    ));
    if let Some((other, up)) = d.off_screen {
        ui.label(format!(
            "{} is {} (off screen)",
            span_words(project, doc, &other, 60),
            if up { "further up" } else { "further down" }
        ));
    }
    ui.weak(if d.suggested {
        "Click it, then Enter accepts, X rejects (or right-click)"
    } else {
        "Click to select (Delete removes it); right-click to delete or change its type"
    });
}

/// The right-click menu on an arrow: its description; a suggested one's Accept and
/// Reject; a relation's Delete and Change type (the types that allow its labels); going
/// to either end.
pub(super) fn relation_menu(
    ui: &mut Ui,
    (project, doc): (&Project, &Document),
    (r, suggested): (Relation, bool),
    actions: &mut Vec<Action>,
) {
    ui.label(egui::RichText::new(describe(project, doc, &r)).strong());
    ui.separator();
    let select = Action::SelectRelation {
        relation: r,
        scroll: false,
    };
    if suggested {
        if ui.button("Accept").clicked() {
            actions.push(select.clone());
            actions.push(Action::AcceptRelationSuggestion);
            ui.close();
        }
        if ui.button("Reject").clicked() {
            actions.push(select);
            actions.push(Action::RejectRelationSuggestion);
            ui.close();
        }
    } else {
        if ui.button("Select").clicked() {
            actions.push(select);
            ui.close();
        }
        if ui.button("Delete").clicked() {
            actions.push(Action::DeleteRelation(r));
            ui.close();
        }
        let others: Vec<_> = project
            .types_linking(&r.from(), &r.to())
            .into_iter()
            .filter(|k| *k != r.kind())
            .collect();
        ui.add_enabled_ui(!others.is_empty(), |ui| {
            ui.menu_button("Change type", |ui| {
                for kind in others {
                    let Some(t) = project.relation_type(kind) else {
                        continue;
                    };
                    let clicked = ui
                        .horizontal(|ui| {
                            swatch(ui, color(t.color));
                            ui.button(&t.name).clicked()
                        })
                        .inner;
                    if clicked {
                        actions.push(Action::ChangeRelationType { relation: r, kind });
                        ui.close();
                    }
                }
            })
            .response
            .on_disabled_hover_text("No other relation type links these labels");
        });
    }
    ui.separator();
    for (what, span) in [("Go to", r.from()), ("Go to", r.to())] {
        if ui
            .button(format!("{what} {}", span_words(project, doc, &span, 30)))
            .clicked()
        {
            actions.push(Action::SelectSpan { span, scroll: true });
            ui.close();
        }
    }
}
