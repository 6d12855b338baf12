//! The geometry of relation arrows, without a painter: where an arrow runs, its head, and
//! how far a point is from it (hit-testing).
//!
//! An arrow meets each span at an [`End`]: the top or the bottom edge of one of its pieces.
//! Between two spans on one line it is a Bézier arching through the gap above the text
//! (its apex `lift` above the text's top, which the caller keeps inside the gap). Between
//! lines it leaves the lower span from its top and meets the upper one at its bottom (or
//! the other way round), a curve that only moves towards its end, so between adjacent
//! lines it stays in the gap between them, and further apart it runs under the text,
//! which is painted over it. An arrow whose other end is off screen runs through the gap
//! to the view's left margin and along it to the edge ([`via_margin`]): never across text.

use eframe::egui::{Pos2, Vec2, pos2, vec2};

/// Length and half width of an arrowhead.
pub(super) const HEAD_LEN: f32 = 7.0;
const HEAD_HALF: f32 = 3.5;

/// Where an arrow meets a span: a point on the top or the bottom edge of a piece of it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct End {
    /// The point.
    pub at: Pos2,
    /// On the top edge (the arrow meets it from above), else on the bottom edge.
    pub top: bool,
}

impl End {
    /// -1 for a top end (the arrow leaves or arrives upwards), 1 for a bottom end.
    fn outwards(self) -> f32 {
        if self.top { -1.0 } else { 1.0 }
    }
}

/// A laid-out arrow.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Arrow {
    /// The line as a polyline, from its start to the base of the head.
    pub points: Vec<Pos2>,
    /// The head: tip, then the two corners of its base.
    pub head: [Pos2; 3],
    /// Where the type name goes: the middle of the line.
    pub middle: Pos2,
}

/// The control points of the curve from `a` to `b`: both leave their span outwards (up
/// from a top end, down from a bottom end); on one line they rise so the apex is `lift`
/// above the text, between lines each reaches halfway to the other end's height.
pub(super) fn curve(a: End, b: End, lift: f32) -> [Pos2; 4] {
    let dy = (a.at.y - b.at.y).abs();
    let one_line = a.top && b.top && dy < 1.0;
    // A cubic with both inner points `k` above its ends peaks at 3/4 of `k`.
    let k = if one_line {
        lift / 0.75
    } else {
        (dy / 2.0).max(6.0)
    };
    let (mut p, mut q) = (a.at, b.at);
    // Two ends at one point (nested spans starting together) would make no curve.
    if (p - q).length() < 4.0 {
        p.x -= 3.0;
        q.x += 3.0;
    }
    [
        p,
        p + vec2(0.0, a.outwards() * k),
        q + vec2(0.0, b.outwards() * k),
        q,
    ]
}

/// The point at `t` (0..=1) of a cubic Bézier.
pub(super) fn bezier(c: &[Pos2; 4], t: f32) -> Pos2 {
    let u = 1.0 - t;
    let w = [u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t];
    let v = c
        .iter()
        .zip(w)
        .fold(Vec2::ZERO, |acc, (p, w)| acc + p.to_vec2() * w);
    v.to_pos2()
}

/// The arrow from `a` to `b`, both on screen (see [`curve`]): the curve cut into
/// segments of about 16 points (4 to 32 of them: a cubic this flat needs no more, and
/// every point is tessellated each frame), ending at the base of the head.
pub(super) fn between(a: End, b: End, lift: f32) -> Arrow {
    let c = curve(a, b, lift);
    let rough = (c[1] - c[0]).length() + (c[2] - c[1]).length() + (c[3] - c[2]).length();
    let n = ((rough / 16.0) as usize).clamp(4, 32);
    let points: Vec<Pos2> = (0..=n).map(|i| bezier(&c, i as f32 / n as f32)).collect();
    // The head points along the curve's last tangent (from the last control point).
    finish(points, c[3] - c[2], bezier(&c, 0.5))
}

/// The arrow between a span on screen (`visible`) and one off it, above (`edge_y` the
/// view's top) or below: from the span out into the gap by `run`, along the gap to the
/// left margin at `margin_x`, along the margin to the edge. `visible_is_start`: the head
/// is on the edge, pointing out of the view; else it comes from the edge into the span.
pub(super) fn via_margin(
    visible: End,
    margin_x: f32,
    edge_y: f32,
    run: f32,
    visible_is_start: bool,
) -> Arrow {
    let gap_y = visible.at.y + visible.outwards() * run;
    let mut points = vec![
        visible.at,
        pos2(visible.at.x, gap_y),
        pos2(margin_x, gap_y),
        pos2(margin_x, edge_y),
    ];
    if !visible_is_start {
        points.reverse();
    }
    let n = points.len();
    let dir = points[n - 1] - points[n - 2];
    // The name goes on the stretch in the gap: the margin is too narrow for it.
    let middle = pos2((visible.at.x + margin_x) / 2.0, gap_y);
    finish(points, dir, middle)
}

/// The head at the polyline's last point, along `dir`; the line ends at its base.
fn finish(mut points: Vec<Pos2>, dir: Vec2, middle: Pos2) -> Arrow {
    let tip = points.last().copied().unwrap_or(middle);
    let dir = dir.normalized();
    let dir = if dir.is_finite() && dir != Vec2::ZERO {
        dir
    } else {
        vec2(0.0, 1.0)
    };
    let base = tip - dir * HEAD_LEN;
    let side = vec2(-dir.y, dir.x) * HEAD_HALF;
    if let Some(last) = points.last_mut() {
        *last = base;
    }
    Arrow {
        middle,
        points,
        head: [tip, base + side, base - side],
    }
}

/// How far `p` is from the polyline `points` (infinite for none).
pub(super) fn distance(p: Pos2, points: &[Pos2]) -> f32 {
    if let [only] = points {
        return (p - *only).length();
    }
    points
        .windows(2)
        .map(|w| segment_distance(p, w[0], w[1]))
        .fold(f32::INFINITY, f32::min)
}

fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let len2 = ab.length_sq();
    let t = if len2 > 0.0 {
        ((p - a).dot(ab) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (p - (a + ab * t)).length()
}

/// How far `p` is from an arrow: its line or its head.
pub(super) fn arrow_distance(p: Pos2, a: &Arrow) -> f32 {
    let [tip, l, r] = a.head;
    let head = distance(p, &[l, tip, r, l]);
    distance(p, &a.points).min(head)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(p: Pos2) -> End {
        End { at: p, top: true }
    }

    fn bottom(p: Pos2) -> End {
        End { at: p, top: false }
    }

    fn ys(a: &Arrow) -> (f32, f32) {
        a.points
            .iter()
            .chain(&a.head)
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(lo, hi), p| {
                (lo.min(p.y), hi.max(p.y))
            })
    }

    #[test]
    fn an_arrow_on_one_line_stays_in_the_gap_above_it() {
        // Spans on one line, text top at y = 100: the apex is `lift` above, no higher,
        // and nothing goes below the text's top (it never crosses the line's text).
        let a = between(top(pos2(100.0, 100.0)), top(pos2(400.0, 100.0)), 10.0);
        let (lo, hi) = ys(&a);
        assert!((lo - 90.0).abs() < 0.3, "{lo}");
        assert!(hi <= 100.0 + 1e-3);
        assert_eq!(a.points[0], pos2(100.0, 100.0));
        // The head's tip is on the end span, pointing down into it.
        assert_eq!(a.head[0], pos2(400.0, 100.0));
        assert!((a.head[1].y - (100.0 - HEAD_LEN)).abs() < 1e-3);
        assert!((a.head[1].x - a.head[2].x).abs() > 6.0);
        // Right to left as well.
        let back = between(top(pos2(400.0, 100.0)), top(pos2(100.0, 100.0)), 10.0);
        assert_eq!(back.head[0], pos2(100.0, 100.0));
        assert!((ys(&back).0 - 90.0).abs() < 0.3);
    }

    #[test]
    fn an_arrow_to_the_line_above_stays_in_the_gap_between_them() {
        // The quote's text starts at y = 300; the speaker's line above ends (with its
        // underline) at y = 288: the arrow leaves the quote's top and meets the
        // speaker's bottom, all of it between 288 and 300, so no text is crossed.
        let a = between(top(pos2(300.0, 300.0)), bottom(pos2(600.0, 288.0)), 10.0);
        let (lo, hi) = ys(&a);
        assert!(lo >= 288.0 - 1e-3 && hi <= 300.0 + 1e-3, "{lo}..{hi}");
        assert_eq!(a.head[0], pos2(600.0, 288.0));
        assert!(a.head[1].y > 288.0, "the head points up into the speaker");
        // Downwards: from the bottom of the upper span to the top of the lower one.
        let d = between(bottom(pos2(600.0, 288.0)), top(pos2(300.0, 300.0)), 10.0);
        let (lo, hi) = ys(&d);
        assert!(lo >= 288.0 - 1e-3 && hi <= 300.0 + 1e-3, "{lo}..{hi}");
        assert!(d.head[1].y < 300.0, "the head points down into the span");
        // Lines apart: it only moves towards its end (under the text in between).
        let far = between(top(pos2(300.0, 500.0)), bottom(pos2(600.0, 150.0)), 10.0);
        let (lo, hi) = ys(&far);
        assert!(lo >= 150.0 - 1e-3 && hi <= 500.0 + 1e-3);
        assert!(far.points.windows(2).all(|w| w[1].y <= w[0].y + 1e-3));
    }

    #[test]
    fn an_end_off_screen_is_reached_through_the_margin() {
        // The speaker is above the screen: from the quote's top up into the gap, left to
        // the margin at x = 6, up the margin to the top edge, where the head points up.
        let a = via_margin(top(pos2(300.0, 400.0)), 6.0, 0.0, 8.0, true);
        assert_eq!(a.points[0], pos2(300.0, 400.0));
        assert_eq!(a.points[1], pos2(300.0, 392.0));
        assert_eq!(a.points[2], pos2(6.0, 392.0));
        assert_eq!(a.head[0], pos2(6.0, 0.0));
        assert!(a.head[1].y > 0.0, "points up, out of the view");
        // Everything left of the text but the stretch in the gap.
        assert!(a.points[2..].iter().chain(&a.head).all(|p| p.x < 12.0));
        // The quote is below the screen: the arrow comes up the margin and into the
        // speaker's bottom.
        let b = via_margin(bottom(pos2(300.0, 400.0)), 6.0, 800.0, 6.0, false);
        assert_eq!(b.points[0], pos2(6.0, 800.0));
        assert_eq!(b.head[0], pos2(300.0, 400.0));
        assert!(b.head[1].y > 400.0, "comes from below");
    }

    #[test]
    fn hit_testing_measures_the_distance_to_the_drawn_line() {
        let a = between(top(pos2(100.0, 100.0)), top(pos2(400.0, 100.0)), 10.0);
        // On the apex, on the head, near the start: hits. Below the text's top, far
        // above the apex, far to a side: misses.
        let apex = a
            .points
            .iter()
            .copied()
            .min_by(|p, q| p.y.total_cmp(&q.y))
            .unwrap();
        assert!(arrow_distance(apex, &a) < 0.5);
        assert!(arrow_distance(pos2(400.0, 98.0), &a) < 1.0);
        assert!(arrow_distance(pos2(101.0, 99.0), &a) < 1.5);
        assert!(arrow_distance(pos2(250.0, 110.0), &a) > 15.0);
        assert!(arrow_distance(pos2(250.0, 70.0), &a) > 15.0);
        assert!(arrow_distance(pos2(600.0, 100.0), &a) > 150.0);
        // Segments: the nearest point, clamped to the segment's ends.
        let line = [pos2(0.0, 0.0), pos2(10.0, 0.0)];
        assert_eq!(distance(pos2(5.0, 3.0), &line), 3.0);
        assert_eq!(distance(pos2(13.0, 4.0), &line), 5.0);
        assert_eq!(distance(pos2(1.0, 1.0), &[]), f32::INFINITY);
        // The margin's vertical stretch is hit too.
        let m = via_margin(top(pos2(300.0, 400.0)), 6.0, 0.0, 8.0, true);
        assert!(arrow_distance(pos2(7.0, 200.0), &m) < 1.5);
    }

    #[test]
    fn ends_at_one_point_still_make_a_curve() {
        let p = pos2(50.0, 50.0);
        let a = between(top(p), top(p), 8.0);
        assert!(a.points.iter().all(|q| q.is_finite()));
        assert!(a.head[0] != a.points[0]);
    }
}
