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

use super::arrows::{self, Arrow, End};
use super::{DocView, MARGIN, swatch};
use crate::model::{Document, Project, Relation, RelationSet, Span};
use crate::ui::relations::{describe, span_words, type_name};
use crate::ui::{Action, relation_color};

/// An arrow's width; selected or under the pointer.
const WIDTH: f32 = 1.5;
const WIDTH_STRONG: f32 = 2.5;
/// How near an arrow the pointer takes it.
const HIT: f32 = 5.0;
/// How far below a span's text an arrow meets its bottom: under its underline.
const UNDER: f32 = 4.0;
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

    /// Where `span` is drawn: the text bands of its first and last pieces, or whether it
    /// is off screen above (`Err(true)`) or below.
    fn place(&self, span: &Span, clip: Rect) -> Result<(Rect, Rect), bool> {
        // Only the placed units the span reaches (they are in text order).
        let lo = self
            .placed
            .partition_point(|p| self.units[p.unit].end <= span.start());
        let hi = self
            .placed
            .partition_point(|p| self.units[p.unit].start < span.end());
        let rects = self.placed[lo..hi.max(lo)]
            .iter()
            .flat_map(|p| self.range_rects(p, span.start(), span.end()));
        let (mut first, mut last): (Option<Rect>, Option<Rect>) = (None, None);
        for r in rects {
            let key = |r: &Rect| (r.top(), -r.left());
            if first.is_none_or(|f| (r.top(), r.left()) < (f.top(), f.left())) {
                first = Some(r);
            }
            if last.is_none_or(|l| key(&r) > key(&l)) {
                last = Some(r);
            }
        }
        let (Some(first), Some(last)) = (first, last) else {
            return Err(span.start() < self.first_visible().unwrap_or(0));
        };
        let (first, last) = (self.text_band(first), self.text_band(last));
        if last.bottom() < clip.top() {
            Err(true)
        } else if first.top() > clip.bottom() {
            Err(false)
        } else {
            Ok((first, last))
        }
    }

    /// Where an arrow leaves or meets a piece's text band: near its start, on its top or
    /// (under the underline) its bottom.
    fn end_on(band: Rect, top: bool) -> End {
        let x = band.left() + (band.width() / 2.0).min(10.0);
        let y = if top {
            band.top()
        } else {
            band.bottom() + UNDER
        };
        End {
            at: pos2(x, y),
            top,
        }
    }

    /// The ends of an arrow between two spans on screen (each its first and last
    /// pieces): the tops of two spans on one line; between lines, the top of the lower
    /// and the bottom of the upper (its last piece), so the arrow crosses the fewest
    /// lines.
    fn ends_between(a: (Rect, Rect), b: (Rect, Rect)) -> (End, End) {
        let ((a_first, a_last), (b_first, b_last)) = (a, b);
        if b_last.bottom() <= a_first.top() + 1.0 {
            (Self::end_on(a_first, true), Self::end_on(b_last, false))
        } else if b_first.top() >= a_last.bottom() - 1.0 {
            (Self::end_on(a_last, false), Self::end_on(b_first, true))
        } else {
            (Self::end_on(a_first, true), Self::end_on(b_first, true))
        }
    }

    /// The arrow between `a` and `b` (each where [`Self::place`] put it), or `None` when
    /// neither is on screen; with where the end off screen is (above: `true`), if one is.
    fn route(
        &self,
        a: Result<(Rect, Rect), bool>,
        b: Result<(Rect, Rect), bool>,
        clip: Rect,
        lift: f32,
    ) -> Option<(Arrow, Option<bool>)> {
        let margin_x = self.placed.first()?.origin.x - MARGIN / 2.0;
        let edge = |up: bool| {
            if up {
                clip.top() + 1.0
            } else {
                clip.bottom() - 1.0
            }
        };
        // Towards an end above, an arrow leaves the top of a span's first piece; towards
        // one below, the bottom of its last.
        let facing = |(first, last): (Rect, Rect), up: bool| {
            if up {
                Self::end_on(first, true)
            } else {
                Self::end_on(last, false)
            }
        };
        let run = lift * 0.5;
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let (p, q) = Self::ends_between(a, b);
                Some((arrows::between(p, q, lift), None))
            }
            (Ok(a), Err(up)) => Some((
                arrows::via_margin(facing(a, up), margin_x, edge(up), run, true),
                Some(up),
            )),
            (Err(up), Ok(b)) => Some((
                arrows::via_margin(facing(b, up), margin_x, edge(up), run, false),
                Some(up),
            )),
            (Err(_), Err(_)) => None,
        }
    }

    /// Whether `pos` is on a line's text (where clicks and hovers belong to the spans).
    fn in_text_band(&self, pos: Pos2) -> bool {
        self.placed.iter().any(|p| {
            // The margin left of the text is never text.
            if pos.x < p.origin.x {
                return false;
            }
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
            let (from, to) = (self.place(&r.from(), clip), self.place(&r.to(), clip));
            // Arrows over one stretch of a line rise to a few heights, so they part.
            let lift_i = lift * (1.0 - 0.22 * (i % 3) as f32);
            // Both ends off screen: nothing of it would show.
            let Some((arrow, up)) = self.route(from, to, clip, lift_i) else {
                continue;
            };
            let off_screen = up.map(|up| {
                let other = if from.is_err() { r.from() } else { r.to() };
                (other, up)
            });
            let strong = self.selected_relation == Some(r) || self.hovered_relation == Some(r);
            let c = project
                .relation_type(r.kind())
                .map_or(Color32::GRAY, |t| relation_color(t.color, dark));
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
            // A dot where it starts, when that is on a span.
            if from.is_ok() {
                shapes.push(Shape::circle_filled(arrow.points[0], 2.0, c));
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
        let rect = Rect::from_center_size(at, galley.size() + vec2(6.0, 2.0));
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
        let c = relation_color(linking.color, ui.visuals().dark_mode);
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
        let from = self.place(&linking.from, clip);
        if from.is_err() {
            return;
        }
        let to = match (target, pointer) {
            (Some(t), _) => self.place(&t, clip),
            (None, Some(p)) => {
                let dot = Rect::from_center_size(p, vec2(1.0, 1.0));
                Ok((dot, dot))
            }
            (None, None) => return,
        };
        let Some((arrow, _)) = self.route(from, to, clip, self.lift()) else {
            return;
        };
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
    let dark = ui.visuals().dark_mode;
    let c = project
        .relation_type(r.kind())
        .map_or(Color32::GRAY, |t| relation_color(t.color, dark));
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
                            swatch(ui, relation_color(t.color, ui.visuals().dark_mode));
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
