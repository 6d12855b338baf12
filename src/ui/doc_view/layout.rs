//! Laying out one unit, and char ↔ position in it.
//!
//! A unit of left-to-right text that every font can draw is one egui galley, wrapped by
//! egui. Any other unit (right-to-left letters, or chars no font has) is cut into pieces —
//! words, and within right-to-left runs single-script words and the spaces between them —
//! each laid out as its own galley (so egui shapes Arabic joined and in visual order),
//! wrapped by [`lay_out`] in logical order and placed in visual order per line (UAX #9,
//! L2). A grapheme no font draws becomes a piece showing one placeholder.
//!
//! Either way the result is a [`Laid`]: one box per grapheme in logical order, from the
//! clusters of the glyphs ([`super::clusters`]), which answers every char ↔ position query.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use eframe::egui::{
    Color32, FontId, Galley, Pos2, Rect, TextFormat, Vec2,
    epaint::text::{FontsView, LayoutJob},
    pos2, vec2,
};
use unicode_segmentation::UnicodeSegmentation;

use super::bidi;
use super::clusters::{self, GraphemeBox};
use super::fonts;

/// How a unit is laid out.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Style {
    /// The body font.
    pub font: FontId,
    /// Height of one line.
    pub row_h: f32,
    /// Wrap width.
    pub width: f32,
}

/// One galley of a laid-out unit.
pub(super) struct Piece {
    /// The galley (text colour: placeholder, set when painting).
    pub galley: Arc<Galley>,
    /// Its top left, relative to the unit.
    pub offset: Vec2,
}

/// Where a grapheme is drawn, unit-local.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct GBox {
    /// First char.
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Left edge.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Line index.
    pub line: usize,
    /// Drawn right to left: its logical start is on its right.
    pub rtl: bool,
}

/// One line of a laid-out unit.
#[derive(Clone, Debug)]
pub(super) struct Line {
    /// Top.
    pub y0: f32,
    /// Bottom.
    pub y1: f32,
    /// Its graphemes: a contiguous logical range of [`Laid::boxes`].
    pub boxes: Range<usize>,
}

/// A laid-out unit.
pub(super) struct Laid {
    /// Galleys to paint.
    pub pieces: Vec<Piece>,
    /// One per grapheme, in logical order.
    pub boxes: Vec<GBox>,
    /// Lines, top to bottom.
    pub lines: Vec<Line>,
    /// Height of the laid-out text.
    pub height: f32,
    /// Chars no loaded font draws.
    pub missing: Vec<char>,
    /// Whether every galley's glyphs were matched to their chars and the boxes tile the
    /// unit's chars exactly (the per-unit check).
    pub exact: bool,
}

/// Lays out the text of one unit. `has` caches which chars the fonts draw.
pub(super) fn lay_out(
    fonts: &mut FontsView<'_>,
    text: &str,
    style: &Style,
    has: &mut HashMap<char, bool>,
) -> Laid {
    let chars: Vec<char> = text.chars().collect();
    let starts = grapheme_starts(text);
    let missing = fonts::missing_graphemes(fonts, &style.font, text, &starts, &chars, has);
    let mut laid = if missing.is_empty() && !bidi::needs_bidi(text) {
        single_galley(fonts, text, &chars, &starts, style)
    } else {
        None
    }
    .unwrap_or_else(|| in_pieces(fonts, text, &chars, &starts, style, &missing));
    laid.missing = missing.iter().map(|&g| chars[starts[g]]).collect();
    laid.exact &= covers(&laid.boxes, chars.len());
    debug_assert!(laid.exact, "layout boxes do not tile {text:?}");
    laid
}

/// First char of every grapheme.
fn grapheme_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut c = 0;
    for g in text.graphemes(true) {
        starts.push(c);
        c += g.chars().count();
    }
    starts
}

/// Whether boxes tile chars `0..n` in order.
fn covers(boxes: &[GBox], n: usize) -> bool {
    let mut at = 0;
    for b in boxes {
        if b.start != at || b.end <= b.start {
            return false;
        }
        at = b.end;
    }
    at == n
}

fn job(text: String, style: &Style, color: Color32, wrap: f32) -> LayoutJob {
    let mut job = LayoutJob::single_section(
        text,
        TextFormat {
            font_id: style.font.clone(),
            color,
            line_height: Some(style.row_h),
            ..Default::default()
        },
    );
    job.wrap.max_width = wrap;
    job
}

/// Left-to-right text in one galley wrapped by egui; `None` if its glyphs do not parse.
fn single_galley(
    fonts: &mut FontsView<'_>,
    text: &str,
    chars: &[char],
    starts: &[usize],
    style: &Style,
) -> Option<Laid> {
    let galley = fonts.layout_job(job(
        text.to_owned(),
        style,
        Color32::PLACEHOLDER,
        style.width,
    ));
    let glyphs = clusters::glyphs_of(&galley);
    let parsed = clusters::parse(chars, &glyphs, false)?;
    let gboxes = clusters::grapheme_boxes(chars, starts, &glyphs, &parsed, false)?;
    let mut lines: Vec<Line> = galley
        .rows
        .iter()
        .map(|r| Line {
            y0: r.min_y(),
            y1: r.max_y(),
            boxes: 0..0,
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line {
            y0: 0.0,
            y1: style.row_h,
            boxes: 0..0,
        });
    }
    let mut boxes = Vec::with_capacity(gboxes.len());
    for (i, b) in gboxes.iter().enumerate() {
        let line = (b.row as usize).min(lines.len() - 1);
        // Lines hold contiguous box ranges; a box reported on an earlier row than its
        // predecessor (a wrap inside a cluster) stays on the predecessor's line.
        let line = boxes.last().map_or(line, |p: &GBox| line.max(p.line));
        boxes.push(GBox {
            start: b.start,
            end: b.end,
            x0: b.x0,
            x1: b.x1,
            line,
            rtl: false,
        });
        if lines[line].boxes.is_empty() {
            lines[line].boxes = i..i + 1;
        } else {
            lines[line].boxes.end = i + 1;
        }
    }
    let height = galley.size().y.max(style.row_h);
    Some(Laid {
        pieces: vec![Piece {
            galley,
            offset: Vec2::ZERO,
        }],
        boxes,
        lines,
        height,
        missing: Vec::new(),
        exact: true,
    })
}

/// A piece before placement: its chars (unit-local), level, galley and boxes
/// (galley-local, logical order).
struct Item {
    chars: Range<usize>,
    level: u8,
    rtl: bool,
    galley: Arc<Galley>,
    boxes: Vec<GraphemeBox>,
    width: f32,
    /// Its glyphs were matched to its chars (else its boxes are an even split).
    parsed: bool,
    /// Cut from a piece wider than a line: a line may break before it.
    split: bool,
}

/// Graphemes and chars of a piece, its level, and the kinds of its first and last
/// grapheme.
type Group = (Range<usize>, Range<usize>, u8, Kind, Kind);

/// What separates pieces: a grapheme's kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Missing,
    Space,
    Rtl(u8),
    Digit,
    Other,
}

fn in_pieces(
    fonts: &mut FontsView<'_>,
    text: &str,
    chars: &[char],
    starts: &[usize],
    style: &Style,
    missing: &[usize],
) -> Laid {
    let n = chars.len();
    let (levels, para) = if bidi::needs_bidi(text) {
        bidi::levels(text)
    } else {
        (vec![0; n], 0)
    };
    let placeholder = fonts::placeholder(fonts, &style.font);
    // Group graphemes into pieces.
    let mut groups: Vec<Group> = Vec::new();
    let mut mi = 0;
    for (g, &s) in starts.iter().enumerate() {
        let e = starts.get(g + 1).copied().unwrap_or(n);
        let kind = if missing.get(mi) == Some(&g) {
            mi += 1;
            Kind::Missing
        } else if chars[s].is_whitespace() {
            Kind::Space
        } else if let Some(script) = bidi::rtl_script(chars[s]) {
            Kind::Rtl(script)
        } else if bidi::is_arabic_number(chars[s]) {
            // egui shapes Arabic-Indic digits right to left (their script is Arabic),
            // which would reverse a number: each digit is laid out on its own.
            Kind::Digit
        } else {
            Kind::Other
        };
        let level = levels[s];
        if let Some(last) = groups.last_mut() {
            let join = last.2 == level
                && ![kind, last.4].contains(&Kind::Missing)
                && ![kind, last.4].contains(&Kind::Digit)
                && if level % 2 == 1 {
                    // Right to left: pure pieces, so egui shapes each one right to left.
                    last.4 == kind
                } else {
                    // Left to right: a word and the spaces after it.
                    !(last.4 == Kind::Space && kind != Kind::Space)
                };
            if join {
                last.0.end = g + 1;
                last.1.end = e;
                last.4 = kind;
                continue;
            }
        }
        groups.push((g..g + 1, s..e, level, kind, kind));
    }
    // Lay out each piece.
    let mut items: Vec<Item> = Vec::with_capacity(groups.len());
    for (gr, cr, level, kind, _) in groups {
        let rtl = matches!(kind, Kind::Rtl(_));
        let item = if kind == Kind::Missing {
            let galley = fonts.layout_job(job(
                placeholder.to_string(),
                style,
                Color32::GRAY,
                f32::INFINITY,
            ));
            let width = galley.size().x;
            Item {
                chars: cr.clone(),
                level,
                rtl: false,
                galley,
                boxes: vec![GraphemeBox {
                    start: 0,
                    end: cr.len(),
                    x0: 0.0,
                    x1: width,
                    row: 0,
                }],
                width,
                parsed: true,
                split: false,
            }
        } else {
            let local: Vec<usize> = starts[gr].iter().map(|s| s - cr.start).collect();
            piece(
                fonts,
                &chars[cr.clone()],
                &local,
                cr.start,
                level,
                rtl,
                style,
            )
        };
        // A piece wider than a line is cut between graphemes, at the line width.
        if item.width > style.width && item.boxes.len() > 1 && !item.galley.rows.is_empty() {
            split_wide(fonts, chars, item, style, &mut items);
        } else {
            items.push(item);
        }
    }
    // Fill lines in logical order, breaking only after whitespace, around CJK ideographs
    // and inside words wider than a line: a word (or a number) cut into several pieces
    // moves to the next line whole.
    let breaks: Vec<bool> = (0..items.len())
        .map(|i| {
            i == 0 || {
                let (prev, cur) = (&items[i - 1], &items[i]);
                let last = chars[prev.chars.end - 1];
                let first = chars[cur.chars.start];
                last.is_whitespace()
                    || first.is_whitespace()
                    || is_ideograph(last)
                    || is_ideograph(first)
                    || prev.chars.end == cur.chars.start && cur.split
            }
        })
        .collect();
    let mut line_items: Vec<Range<usize>> = Vec::new();
    let mut x = 0.0;
    let mut i = 0;
    while i < items.len() {
        let end = (i + 1..items.len())
            .find(|&j| breaks[j])
            .unwrap_or(items.len());
        let w: f32 = items[i..end].iter().map(|it| it.width).sum();
        let fits = x + w <= style.width + 0.5;
        match line_items.last_mut() {
            Some(l) if fits || x == 0.0 && w <= style.width + 0.5 => {
                l.end = end;
                x += w;
            }
            _ if w <= style.width + 0.5 => {
                line_items.push(i..end);
                x = w;
            }
            _ => {
                // Wider than a line: piece by piece.
                for (j, it) in items.iter().enumerate().take(end).skip(i) {
                    match line_items.last_mut() {
                        Some(l) if x + it.width <= style.width + 0.5 || x == 0.0 => {
                            l.end = j + 1;
                            x += it.width;
                        }
                        _ => {
                            line_items.push(j..j + 1);
                            x = it.width;
                        }
                    }
                }
            }
        }
        i = end;
    }
    if line_items.is_empty() {
        line_items.push(0..0);
    }
    // Place each line's pieces in visual order; right-to-left paragraphs align right.
    let mut pieces = Vec::with_capacity(items.len());
    let mut boxes = Vec::with_capacity(starts.len());
    let mut lines = Vec::with_capacity(line_items.len());
    for (li, range) in line_items.iter().enumerate() {
        let y0 = li as f32 * style.row_h;
        let lv: Vec<u8> = items[range.clone()].iter().map(|it| it.level).collect();
        let order = bidi::visual_order(&lv);
        let line_w: f32 = items[range.clone()].iter().map(|it| it.width).sum();
        let mut x = if para % 2 == 1 {
            (style.width - line_w).max(0.0)
        } else {
            0.0
        };
        let mut xs = vec![0.0; range.len()];
        for &k in &order {
            xs[k] = x;
            x += items[range.start + k].width;
        }
        let first_box = boxes.len();
        for (k, it) in items[range.clone()].iter().enumerate() {
            pieces.push(Piece {
                galley: it.galley.clone(),
                offset: vec2(xs[k], y0),
            });
            boxes.extend(it.boxes.iter().map(|b| GBox {
                start: it.chars.start + b.start,
                end: it.chars.start + b.end,
                x0: xs[k] + b.x0,
                x1: xs[k] + b.x1,
                line: li,
                rtl: it.rtl,
            }));
        }
        lines.push(Line {
            y0,
            y1: y0 + style.row_h,
            boxes: first_box..boxes.len(),
        });
    }
    Laid {
        pieces,
        boxes,
        height: lines.len() as f32 * style.row_h,
        lines,
        missing: Vec::new(),
        exact: items.iter().all(|it| it.parsed),
    }
}

/// Lays out one piece (`chars`, graphemes starting at `local`) as a one-line galley.
fn piece(
    fonts: &mut FontsView<'_>,
    chars: &[char],
    local: &[usize],
    offset: usize,
    level: u8,
    rtl: bool,
    style: &Style,
) -> Item {
    let text: String = chars.iter().collect();
    let galley = fonts.layout_job(job(text, style, Color32::PLACEHOLDER, f32::INFINITY));
    let all = clusters::glyphs_of(&galley);
    let boxes_for = |rtl: bool| {
        let glyphs = if rtl {
            clusters::without_blanks(&all)
        } else {
            all.clone()
        };
        let cl = clusters::parse(chars, &glyphs, rtl)?;
        clusters::grapheme_boxes(chars, local, &glyphs, &cl, rtl)
    };
    // harfrust picks the direction from the script it guesses; should it guess otherwise
    // than the bidi class says, the glyphs parse the other way round.
    let (boxes, rtl, parsed) = match boxes_for(rtl)
        .map(|b| (b, rtl))
        .or_else(|| boxes_for(!rtl).map(|b| (b, !rtl)))
    {
        Some((b, rtl)) => (b, rtl, true),
        None => (
            clusters::even_boxes(chars.len(), local, &all, rtl),
            rtl,
            false,
        ),
    };
    Item {
        chars: offset..offset + chars.len(),
        level,
        rtl,
        width: galley.size().x,
        galley,
        boxes,
        parsed,
        split: false,
    }
}

/// Cuts a piece wider than a line into pieces that fit, between graphemes.
fn split_wide(
    fonts: &mut FontsView<'_>,
    chars: &[char],
    item: Item,
    style: &Style,
    out: &mut Vec<Item>,
) {
    let mut from = 0; // index into item.boxes
    while from < item.boxes.len() {
        let mut w = 0.0;
        let mut to = from;
        while to < item.boxes.len() {
            let bw = item.boxes[to].x1 - item.boxes[to].x0;
            if to > from && w + bw > style.width {
                break;
            }
            w += bw;
            to += 1;
        }
        let a = item.chars.start + item.boxes[from].start;
        let b = item.chars.start + item.boxes[to - 1].end;
        let local: Vec<usize> = item.boxes[from..to]
            .iter()
            .map(|bx| item.chars.start + bx.start - a)
            .collect();
        let mut cut = piece(fonts, &chars[a..b], &local, a, item.level, item.rtl, style);
        cut.split = from > 0;
        out.push(cut);
        from = to;
    }
}

/// Whether a line may break on either side of `c` (CJK ideographs, kana, Hangul
/// syllables, fullwidth forms: text without spaces between words).
fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

impl Laid {
    /// The line at height `y`, clamped to the first and last.
    fn line_at(&self, y: f32) -> usize {
        self.lines
            .partition_point(|l| l.y1 <= y)
            .min(self.lines.len().saturating_sub(1))
    }

    /// The box of the line at `p` whose x-range holds `p.x`, else the nearest.
    fn box_near(&self, p: Pos2) -> Option<&GBox> {
        let line = self.lines.get(self.line_at(p.y))?;
        let on_line = &self.boxes[line.boxes.clone()];
        on_line
            .iter()
            .find(|b| b.x0 <= p.x && p.x < b.x1)
            .or_else(|| {
                on_line.iter().min_by(|a, b| {
                    let d = |b: &GBox| (b.x0 - p.x).max(p.x - b.x1).max(0.0);
                    d(a).total_cmp(&d(b))
                })
            })
    }

    /// The grapheme boundary (unit-local char) nearest to unit-local `p`.
    pub fn boundary_at(&self, p: Pos2) -> usize {
        if self.lines.first().is_some_and(|l| p.y < l.y0) {
            return 0;
        }
        if self.lines.last().is_some_and(|l| p.y >= l.y1) {
            return self.boxes.last().map_or(0, |b| b.end);
        }
        let Some(b) = self.box_near(p) else {
            return 0;
        };
        let left = p.x < (b.x0 + b.x1) / 2.0;
        if left != b.rtl { b.start } else { b.end }
    }

    /// The first char of the grapheme drawn at unit-local `p`, if any.
    pub fn char_at(&self, p: Pos2) -> Option<usize> {
        let line = self.lines.iter().find(|l| l.y0 <= p.y && p.y < l.y1)?;
        self.boxes[line.boxes.clone()]
            .iter()
            .find(|b| b.x0 <= p.x && p.x < b.x1)
            .map(|b| b.start)
    }

    /// The box holding unit-local char `c`.
    pub fn box_of(&self, c: usize) -> Option<&GBox> {
        let i = self.boxes.partition_point(|b| b.end <= c);
        self.boxes.get(i).filter(|b| b.start <= c)
    }

    /// Middle of the grapheme holding unit-local char `c`.
    pub fn char_pos(&self, c: usize) -> Option<Pos2> {
        let b = self.box_of(c)?;
        let l = &self.lines[b.line];
        Some(pos2((b.x0 + b.x1) / 2.0, (l.y0 + l.y1) / 2.0))
    }

    /// Unit-local rects covering the graphemes that hold chars `a..b`: one per visually
    /// contiguous stretch of a line.
    pub fn range_rects(&self, a: usize, b: usize) -> Vec<Rect> {
        let mut rects: Vec<(usize, f32, f32)> = Vec::new();
        let first = self.boxes.partition_point(|bx| bx.end <= a);
        for bx in self.boxes[first..].iter().take_while(|bx| bx.start < b) {
            if bx.x1 <= bx.x0 {
                continue;
            }
            // Glyph edges are snapped to pixels, so neighbours may be a pixel apart.
            match rects.last_mut() {
                Some((line, x0, x1))
                    if *line == bx.line && bx.x0 <= *x1 + 1.0 && bx.x1 >= *x0 - 1.0 =>
                {
                    *x0 = x0.min(bx.x0);
                    *x1 = x1.max(bx.x1);
                }
                _ => rects.push((bx.line, bx.x0, bx.x1)),
            }
        }
        rects
            .into_iter()
            .map(|(line, x0, x1)| {
                let l = &self.lines[line];
                Rect::from_x_y_ranges(x0..=x1, l.y0..=l.y1)
            })
            .collect()
    }

    /// The char a glyph at unit-local `p` was drawn for, read from the galleys (not the
    /// boxes), so tests can check what is drawn where.
    pub fn drawn_char_at(&self, p: Pos2) -> Option<char> {
        self.pieces.iter().find_map(|piece| {
            let local = p - piece.offset;
            let row = piece
                .galley
                .rows
                .iter()
                .find(|r| r.min_y() <= local.y && local.y < r.max_y())?;
            let x = local.x - row.pos.x;
            row.glyphs
                .iter()
                .find(|g| g.pos.x <= x && x < g.max_x())
                .map(|g| g.chr)
        })
    }
}
