//! Which chars each glyph of a galley draws, and so where each grapheme is.
//!
//! egui 0.37 shapes text with harfrust and emits glyphs per shaping cluster: every glyph of
//! a cluster carries the cluster's first char; a cluster with more chars than glyphs gets a
//! blank, zero-width glyph for each extra char, one with more glyphs than chars simply has
//! more glyphs (emilk/egui#8576); a right-to-left run comes out in visual order. Glyph `i`
//! is therefore not char `i`. [`parse`] recovers the clusters from that stream, and
//! [`grapheme_boxes`] turns them into one x-range per grapheme.

use std::collections::HashSet;
use std::ops::Range;

use eframe::egui::Galley;

/// Most chars one shaping cluster may hold (long ZWJ and tag sequences stay well below).
const MAX_CLUSTER: usize = 64;
/// Parser steps per char before giving up (only pathological input backtracks much).
const MAX_STEPS_PER_CHAR: usize = 64;

/// A glyph as the parser needs it, in galley coordinates.
#[derive(Clone, Copy, Debug)]
pub(super) struct GlyphInfo {
    /// The first char of the glyph's cluster (or the extra char it stands for).
    pub chr: char,
    /// Left edge.
    pub x0: f32,
    /// Left edge plus advance.
    pub x1: f32,
    /// Draws nothing and advances nothing: how egui pads a cluster's extra chars.
    pub blank: bool,
    /// Row of the galley.
    pub row: u32,
}

/// The glyphs of a galley, row after row.
pub(super) fn glyphs_of(galley: &Galley) -> Vec<GlyphInfo> {
    let mut out = Vec::new();
    for (r, row) in galley.rows.iter().enumerate() {
        for g in &row.glyphs {
            let x0 = row.pos.x + g.pos.x;
            out.push(GlyphInfo {
                chr: g.chr,
                x0,
                x1: x0 + g.advance_width,
                blank: g.advance_width == 0.0 && g.uv_rect.is_nothing(),
                row: r as u32,
            });
        }
    }
    out
}

/// The glyphs that draw or advance something (for right-to-left streams, see [`parse`]).
pub(super) fn without_blanks(glyphs: &[GlyphInfo]) -> Vec<GlyphInfo> {
    glyphs.iter().filter(|g| !g.blank).copied().collect()
}

/// A shaping cluster: chars (logical, local to the parsed text) and the glyphs drawing them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Cluster {
    /// Chars of the cluster.
    pub chars: Range<usize>,
    /// Its glyphs (indices into the glyph stream).
    pub glyphs: Range<usize>,
}

/// Splits a glyph stream into the clusters that produced it, in logical order, or `None`
/// when the stream cannot come from `chars` (then the caller falls back).
///
/// Left to right, a cluster of chars `a..b` is emitted as `g ≥ 1` glyphs carrying
/// `chars[a]`, followed by blank glyphs for `chars[a + g..b]` when `g < b - a`. Right to
/// left the clusters come in reverse logical order, and egui 0.37 emits the blanks wrongly
/// (all at the end, for every char after the first: it expects cluster offsets to grow),
/// so `rtl` streams must come without blanks ([`without_blanks`]) and a cluster's chars
/// are those up to the next cluster's first char. The search is a depth-first parse that
/// prefers, at each cluster, the fewest glyphs and (left to right) the most blank
/// continuation chars, (right to left) the fewest chars; it backtracks only where a
/// repeated char makes the stream ambiguous.
pub(super) fn parse(chars: &[char], glyphs: &[GlyphInfo], rtl: bool) -> Option<Vec<Cluster>> {
    let (n, m) = (chars.len(), glyphs.len());
    if n == m {
        // The common case: one glyph per char.
        let same = if rtl {
            glyphs.iter().map(|g| g.chr).eq(chars.iter().rev().copied())
        } else {
            glyphs.iter().map(|g| g.chr).eq(chars.iter().copied())
        };
        if same {
            return Some(
                (0..n)
                    .map(|c| {
                        let g = if rtl { n - 1 - c } else { c };
                        Cluster {
                            chars: c..c + 1,
                            glyphs: g..g + 1,
                        }
                    })
                    .collect(),
            );
        }
    }
    struct Frame {
        glyph: usize,
        /// Left to right: the next char to parse; right to left: the end of what is left.
        pos: usize,
        options: Vec<(usize, usize)>,
        next: usize,
    }
    let options = |glyph: usize, pos: usize| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let Some(first) = glyphs.get(glyph) else {
            return out;
        };
        // Glyphs from `glyph` on that carry `c`.
        let run = |c: char| glyphs[glyph..].iter().take_while(|g| g.chr == c).count();
        // Blank glyphs after `glyph + g` standing for chars from `from` on.
        let blanks = |g: usize, from: usize| {
            glyphs[(glyph + g).min(m)..]
                .iter()
                .zip(chars[from.min(n)..].iter())
                .take_while(|(gl, c)| gl.blank && gl.chr == **c)
                .count()
        };
        if rtl {
            // Blanks were dropped (see `parse`): a cluster runs to where the previous
            // one (logically the next) starts.
            for a in (pos.saturating_sub(MAX_CLUSTER)..pos).rev() {
                if chars[a] == first.chr {
                    out.extend((1..=run(chars[a])).map(|g| (g, a)));
                }
            }
        } else if pos < n && chars[pos] == first.chr {
            for g in 1..=run(chars[pos]) {
                let extra = blanks(g, pos + g).min(MAX_CLUSTER);
                for b in (pos + 1..=(pos + g + extra).min(n)).rev() {
                    out.push(((b - pos).max(g), b));
                }
            }
        }
        out
    };
    let goal = if rtl { 0 } else { n };
    let start = if rtl { n } else { 0 };
    let mut failed: HashSet<(usize, usize)> = HashSet::new();
    let mut stack = vec![Frame {
        glyph: 0,
        pos: start,
        options: options(0, start),
        next: 0,
    }];
    let mut steps = 0;
    loop {
        steps += 1;
        if steps > MAX_STEPS_PER_CHAR * (n + 1) {
            return None;
        }
        let top = stack.last_mut()?;
        if top.glyph == m && top.pos == goal {
            break;
        }
        let Some(&(used, pos)) = top.options.get(top.next) else {
            failed.insert((top.glyph, top.pos));
            stack.pop();
            continue;
        };
        top.next += 1;
        let glyph = top.glyph + used;
        if glyph > m || failed.contains(&(glyph, pos)) {
            continue;
        }
        stack.push(Frame {
            glyph,
            pos,
            options: options(glyph, pos),
            next: 0,
        });
    }
    let mut clusters: Vec<Cluster> = stack
        .windows(2)
        .map(|w| {
            let (p, q) = (w[0].pos.min(w[1].pos), w[0].pos.max(w[1].pos));
            Cluster {
                chars: p..q,
                glyphs: w[0].glyph..w[1].glyph,
            }
        })
        .collect();
    if rtl {
        clusters.reverse();
    }
    Some(clusters)
}

/// Where one grapheme is drawn in a galley.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct GraphemeBox {
    /// First char (local to the parsed text).
    pub start: usize,
    /// End char (exclusive).
    pub end: usize,
    /// Left edge in galley coordinates.
    pub x0: f32,
    /// Right edge.
    pub x1: f32,
    /// Galley row.
    pub row: u32,
}

/// Whether `c` is invisible by design (format controls, variation selectors, tags): a
/// grapheme of only such chars takes no share of a ligature's width.
pub(super) fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{E0000}'..='\u{E0FFF}')
}

/// One box per grapheme (`starts`: the first char of each grapheme, in order), in logical
/// order. Chars of one cluster share its glyphs' x-range; a cluster spanning several
/// graphemes (a ligature) splits its width evenly between them, in reading order. `None`
/// when a grapheme's glyphs were wrapped onto two rows (egui may break anywhere in a
/// long word): such a grapheme has no one box.
pub(super) fn grapheme_boxes(
    chars: &[char],
    starts: &[usize],
    glyphs: &[GlyphInfo],
    clusters: &[Cluster],
    rtl: bool,
) -> Option<Vec<GraphemeBox>> {
    let mut split = false;
    let n = chars.len();
    let mut boxes: Vec<Option<GraphemeBox>> = vec![None; starts.len()];
    let grapheme_of = |c: usize| starts.partition_point(|&s| s <= c).saturating_sub(1);
    let end_of = |g: usize| starts.get(g + 1).copied().unwrap_or(n);
    // Adds a glyph range to a grapheme's box; true if it lies on another row.
    let mut add = |g: usize, x0: f32, x1: f32, row: u32| -> bool {
        let b = boxes[g].get_or_insert(GraphemeBox {
            start: starts[g],
            end: end_of(g),
            x0,
            x1,
            row,
        });
        // Zero-width glyphs (marks, blanks) do not stretch a box that has a width.
        if x1 > x0 {
            if b.x1 > b.x0 {
                let other_row = b.row != row;
                b.x0 = b.x0.min(x0);
                b.x1 = b.x1.max(x1);
                return other_row;
            }
            (b.x0, b.x1, b.row) = (x0, x1, row);
        }
        false
    };
    for cl in clusters {
        if cl.chars.is_empty() {
            continue;
        }
        let gs = &glyphs[cl.glyphs.clone()];
        let wide: Vec<&GlyphInfo> = gs.iter().filter(|g| g.x1 > g.x0).collect();
        split |= wide
            .iter()
            .any(|g| wide.first().is_some_and(|f| f.row != g.row));
        let (x0, x1, row) = match wide.first() {
            Some(f) => (
                wide.iter().map(|g| g.x0).fold(f32::INFINITY, f32::min),
                wide.iter().map(|g| g.x1).fold(f32::NEG_INFINITY, f32::max),
                f.row,
            ),
            None => gs.first().map_or((0.0, 0.0, 0), |g| (g.x0, g.x0, g.row)),
        };
        let (first, last) = (grapheme_of(cl.chars.start), grapheme_of(cl.chars.end - 1));
        if first == last {
            split |= add(first, x0, x1, row);
            continue;
        }
        let visible: Vec<usize> = (first..=last)
            .filter(|&g| !chars[starts[g]..end_of(g)].iter().all(|&c| is_ignorable(c)))
            .collect();
        let share = (x1 - x0) / visible.len().max(1) as f32;
        let mut k = 0;
        for g in first..=last {
            if visible.contains(&g) {
                let i = if rtl { visible.len() - 1 - k } else { k } as f32;
                split |= add(g, x0 + i * share, x0 + (i + 1.0) * share, row);
                k += 1;
            } else {
                let at = if rtl {
                    x1 - k as f32 * share
                } else {
                    x0 + k as f32 * share
                };
                split |= add(g, at, at, row);
            }
        }
    }
    // Every char is in a cluster after a successful parse; stay total anyway.
    let mut out = Vec::with_capacity(boxes.len());
    for (g, b) in boxes.into_iter().enumerate() {
        let b = b.unwrap_or_else(|| {
            let at = out
                .last()
                .map_or(0.0, |p: &GraphemeBox| if rtl { p.x0 } else { p.x1 });
            GraphemeBox {
                start: starts[g],
                end: end_of(g),
                x0: at,
                x1: at,
                row: out.last().map_or(0, |p| p.row),
            }
        });
        out.push(b);
    }
    (!split).then_some(out)
}

/// Boxes when the glyphs could not be matched to chars: the drawn width shared evenly in
/// reading order, so offsets stay monotonic and every grapheme stays reachable.
pub(super) fn even_boxes(
    n: usize,
    starts: &[usize],
    glyphs: &[GlyphInfo],
    rtl: bool,
) -> Vec<GraphemeBox> {
    let x0 = glyphs.iter().map(|g| g.x0).fold(f32::INFINITY, f32::min);
    let x1 = glyphs
        .iter()
        .map(|g| g.x1)
        .fold(f32::NEG_INFINITY, f32::max);
    let (x0, x1) = if x0 <= x1 { (x0, x1) } else { (0.0, 0.0) };
    let share = (x1 - x0) / starts.len().max(1) as f32;
    (0..starts.len())
        .map(|g| {
            let i = if rtl { starts.len() - 1 - g } else { g } as f32;
            GraphemeBox {
                start: starts[g],
                end: starts.get(g + 1).copied().unwrap_or(n),
                x0: x0 + i * share,
                x1: x0 + (i + 1.0) * share,
                row: 0,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(chr: char, x0: f32, w: f32) -> GlyphInfo {
        GlyphInfo {
            chr,
            x0,
            x1: x0 + w,
            blank: false,
            row: 0,
        }
    }

    fn blank(chr: char, x: f32) -> GlyphInfo {
        GlyphInfo {
            blank: true,
            ..glyph(chr, x, 0.0)
        }
    }

    fn ranges(cl: &[Cluster]) -> Vec<(Range<usize>, Range<usize>)> {
        cl.iter()
            .map(|c| (c.chars.clone(), c.glyphs.clone()))
            .collect()
    }

    #[test]
    fn ligature_and_reordered_matra() {
        // "fi" as one glyph plus a blank; "कि" as matra + ka (two glyphs, both 'क').
        let chars: Vec<char> = "fiकिक".chars().collect();
        let glyphs = [
            glyph('f', 0.0, 10.0),
            blank('i', 10.0),
            glyph('क', 10.0, 4.0),
            glyph('क', 14.0, 8.0),
            glyph('क', 22.0, 8.0),
        ];
        let cl = parse(&chars, &glyphs, false).unwrap();
        assert_eq!(
            ranges(&cl),
            [(0..2, 0..2), (2..4, 2..4), (4..5, 4..5)],
            "{cl:?}"
        );
        let starts = [0, 1, 2, 4];
        let boxes = grapheme_boxes(&chars, &starts, &glyphs, &cl, false).unwrap();
        let xs: Vec<(f32, f32)> = boxes.iter().map(|b| (b.x0, b.x1)).collect();
        assert_eq!(xs, [(0.0, 5.0), (5.0, 10.0), (10.0, 22.0), (22.0, 30.0)]);
    }

    #[test]
    fn decomposed_repeats_need_backtracking() {
        // "n\u{303}n\u{303}" drawn as base + mark glyphs, all carrying 'n'.
        let chars: Vec<char> = "n\u{303}n\u{303}".chars().collect();
        let glyphs = [
            glyph('n', 0.0, 8.0),
            glyph('n', 8.0, 0.0),
            glyph('n', 8.0, 8.0),
            glyph('n', 16.0, 0.0),
        ];
        let cl = parse(&chars, &glyphs, false).unwrap();
        assert_eq!(ranges(&cl), [(0..2, 0..2), (2..4, 2..4)]);
    }

    #[test]
    fn right_to_left_with_lam_alef() {
        // Logical "بلا": visual order is the lam-alef ligature, then beh.
        let chars: Vec<char> = "بلا".chars().collect();
        // egui appends blanks for every char after the first, at the end.
        let glyphs = without_blanks(&[
            glyph('ل', 0.0, 10.0),
            glyph('ب', 10.0, 6.0),
            blank('ل', 16.0),
            blank('ا', 16.0),
        ]);
        let cl = parse(&chars, &glyphs, true).unwrap();
        assert_eq!(ranges(&cl), [(0..1, 1..2), (1..3, 0..1)]);
        let boxes = grapheme_boxes(&chars, &[0, 1, 2], &glyphs, &cl, true).unwrap();
        let xs: Vec<(f32, f32)> = boxes.iter().map(|b| (b.x0, b.x1)).collect();
        // Lam (logically first of the ligature) gets its right half.
        assert_eq!(xs, [(10.0, 16.0), (5.0, 10.0), (0.0, 5.0)]);
    }

    #[test]
    fn impossible_stream_is_refused() {
        let chars: Vec<char> = "ab".chars().collect();
        assert!(parse(&chars, &[glyph('x', 0.0, 5.0)], false).is_none());
    }
}
