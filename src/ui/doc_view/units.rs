//! Layout units: the text cut at line breaks, long lines cut at a bounded size, so that
//! laying out the unit under the pointer never costs a whole giant paragraph.

use unicode_segmentation::GraphemeCursor;

/// Longest layout unit in chars; longer paragraphs are split (at a space when one is near).
pub(super) const MAX_UNIT_CHARS: usize = 2000;
/// Gap below each paragraph.
pub(super) const PARA_GAP: f32 = 8.0;

/// A layout unit: chars `start..end` of the document, never containing a line break.
#[derive(Clone, Copy, Debug)]
pub(super) struct Unit {
    pub start: usize,
    pub end: usize,
    /// The next unit continues the same line (this one was cut for length): no
    /// paragraph gap after it.
    pub cut: bool,
}

impl Unit {
    /// Space below the unit.
    pub fn gap(&self) -> f32 {
        if self.cut { 0.0 } else { PARA_GAP }
    }
}

/// Cuts text into layout units at line breaks, and long lines at bounded size, never
/// inside a grapheme (a selection can only end at grapheme boundaries).
pub(super) fn split_units(s: &str) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut start = 0;
    // Char offset just after the latest whitespace: the preferred place to cut.
    let mut after_space = 0;
    let mut n = 0;
    for (i, (b, c)) in s.char_indices().enumerate() {
        n = i + 1;
        if c == '\n' {
            units.push(Unit {
                start,
                end: i,
                cut: false,
            });
            start = i + 1;
            continue;
        }
        if i - start >= MAX_UNIT_CHARS {
            if after_space > start + MAX_UNIT_CHARS * 3 / 4 {
                units.push(Unit {
                    start,
                    end: after_space,
                    cut: true,
                });
                start = after_space;
            } else if GraphemeCursor::new(b, s.len(), true)
                .is_boundary(s, 0)
                .unwrap_or(true)
            {
                units.push(Unit {
                    start,
                    end: i,
                    cut: true,
                });
                start = i;
            }
        }
        if c.is_whitespace() {
            after_space = i + 1;
        }
    }
    // "\r\n" files keep the '\r' in the unit as an invisible char, so offsets hold.
    units.push(Unit {
        start,
        end: n.max(start),
        cut: false,
    });
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_cover_text() {
        let text = format!("a\n\nbc\r\n{}\n", "word ".repeat(1000));
        let units = split_units(&text);
        let n = text.chars().count();
        assert_eq!(units[0].start, 0);
        assert_eq!(units.last().map(|u| u.end), Some(n));
        for w in units.windows(2) {
            // Consecutive units either touch (split line) or skip exactly one '\n'.
            let gap = w[1].start - w[0].end;
            assert!(gap <= 1);
            // A unit is marked cut exactly when the next one continues its line.
            assert_eq!(w[0].cut, gap == 0);
            assert!(w[1].end - w[1].start <= MAX_UNIT_CHARS);
        }
        assert!(units.len() >= 6);
    }

    #[test]
    fn long_runs_are_not_cut_inside_a_grapheme() {
        // Family emoji (7 chars each) with no spaces: a cut at 2000 chars would fall
        // inside one; it moves to the next grapheme boundary instead.
        let text = "👨\u{200D}👩\u{200D}👧\u{200D}👦".repeat(600);
        let units = split_units(&text);
        assert!(units.len() > 1);
        for u in &units[..units.len() - 1] {
            assert_eq!((u.end - u.start) % 7, 0, "cut inside a grapheme: {u:?}");
        }
    }
}
