//! The geometry of relation arrows, without a painter: where a curve runs, its head and
//! tail, and how far a point is from it (hit-testing).
//!
//! An arrow is a cubic Bézier that leaves its start span upwards from the top edge of the
//! span's first line and comes down into its end span from above: between two spans on
//! one line it stays in the gap above the text (its apex is `lift` above the text's top,
//! which the caller keeps inside the gap); between lines it runs under the text, which
//! is painted over it. An end that is off screen is an [`Anchor::Edge`] of the viewport:
//! the curve runs to the edge, and a head there points out of the screen.

use eframe::egui::{Pos2, Vec2, vec2};

/// How far a curve's control point reaches in from an edge of the viewport.
const EDGE_PULL: f32 = 40.0;
/// Length and half width of an arrowhead.
pub(super) const HEAD_LEN: f32 = 7.0;
const HEAD_HALF: f32 = 3.5;

/// Where an arrow's end is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Anchor {
    /// On the top edge of a span drawn on screen.
    Span(Pos2),
    /// At the top (`up`) or bottom edge of the viewport: the span is off screen that way.
    Edge {
        /// The point on the edge.
        at: Pos2,
        /// The span is above the screen.
        up: bool,
    },
}

impl Anchor {
    fn point(self) -> Pos2 {
        match self {
            Anchor::Span(p) | Anchor::Edge { at: p, .. } => p,
        }
    }

    /// The curve's control point next to this end: above a span (the curve meets it
    /// from above), inside the screen from an edge.
    fn control(self, k: f32) -> Pos2 {
        match self {
            Anchor::Span(p) => p - vec2(0.0, k),
            Anchor::Edge { at, up: true } => at + vec2(0.0, EDGE_PULL),
            Anchor::Edge { at, up: false } => at - vec2(0.0, EDGE_PULL),
        }
    }
}

/// A laid-out arrow.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Arrow {
    /// The curve as a polyline, from the start to the base of the head.
    pub points: Vec<Pos2>,
    /// The head: tip, then the two corners of its base.
    pub head: [Pos2; 3],
    /// Where the type name goes: the curve's middle.
    pub middle: Pos2,
}

/// The control points of the curve from `from` to `to` whose apex, between two spans on
/// one line, is `lift` above them.
pub(super) fn curve(from: Anchor, to: Anchor, lift: f32) -> [Pos2; 4] {
    // A cubic with both inner points `k` above its ends peaks at 3/4 of `k`.
    let k = lift / 0.75;
    let (mut a, mut b) = (from.point(), to.point());
    // Two ends at one point (nested spans starting together) would make no curve.
    if (a - b).length() < 4.0 {
        a.x -= 3.0;
        b.x += 3.0;
    }
    [a, from.control(k), to.control(k), b]
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

/// The arrow from `from` to `to` (see [`curve`]): the curve cut into segments of about
/// 10 points, ending at the base of the head.
pub(super) fn arrow(from: Anchor, to: Anchor, lift: f32) -> Arrow {
    let c = curve(from, to, lift);
    let rough = (c[1] - c[0]).length() + (c[2] - c[1]).length() + (c[3] - c[2]).length();
    let n = ((rough / 10.0) as usize).clamp(6, 64);
    let mut points: Vec<Pos2> = (0..=n).map(|i| bezier(&c, i as f32 / n as f32)).collect();
    let tip = c[3];
    // The head points along the curve's last tangent (from the last control point).
    let dir = (tip - c[2]).normalized();
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
        middle: bezier(&c, 0.5),
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

/// How far `p` is from an arrow: its curve or its head.
pub(super) fn arrow_distance(p: Pos2, a: &Arrow) -> f32 {
    let [tip, l, r] = a.head;
    let head = distance(p, &[l, tip, r, l]);
    distance(p, &a.points).min(head)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::egui::pos2;

    fn top(points: &[Pos2]) -> f32 {
        points.iter().map(|p| p.y).fold(f32::INFINITY, f32::min)
    }

    #[test]
    fn an_arrow_on_one_line_stays_in_the_gap_above_it() {
        // Spans on one line, text top at y = 100: the apex is `lift` above, no higher,
        // and nothing goes below the text's top (it never crosses the line's text).
        let a = arrow(
            Anchor::Span(pos2(100.0, 100.0)),
            Anchor::Span(pos2(400.0, 100.0)),
            10.0,
        );
        assert!((top(&a.points) - 90.0).abs() < 0.3, "{}", top(&a.points));
        assert!(a.points.iter().all(|p| p.y <= 100.0 + 1e-3));
        assert_eq!(a.points[0], pos2(100.0, 100.0));
        // The head's tip is on the end span, pointing down into it.
        assert_eq!(a.head[0], pos2(400.0, 100.0));
        assert!((a.head[1].y - (100.0 - HEAD_LEN)).abs() < 1e-3);
        assert!((a.head[1].x - a.head[2].x).abs() > 6.0);
        assert!(a.middle.y < 100.0);
        // Right to left as well.
        let back = arrow(
            Anchor::Span(pos2(400.0, 100.0)),
            Anchor::Span(pos2(100.0, 100.0)),
            10.0,
        );
        assert_eq!(back.head[0], pos2(100.0, 100.0));
        assert!((top(&back.points) - 90.0).abs() < 0.3);
    }

    #[test]
    fn an_arrow_between_lines_meets_both_ends_from_above() {
        let (from, to) = (pos2(300.0, 300.0), pos2(600.0, 100.0));
        let a = arrow(Anchor::Span(from), Anchor::Span(to), 10.0);
        assert_eq!(a.points[0], from);
        // Leaves the lower span upwards, and rises no more than the lift above the
        // upper one.
        assert!(a.points[1].y < from.y);
        assert!(top(&a.points) >= to.y - 10.0 - 0.5);
        assert_eq!(a.head[0], to);
        assert!(a.head[1].y < to.y, "the head comes from above");
    }

    #[test]
    fn an_end_off_screen_is_an_arrow_to_the_edge() {
        // The end (the speaker) is above the screen: the head is at the top edge,
        // pointing up, out of the screen.
        let edge = pos2(124.0, 0.0);
        let a = arrow(
            Anchor::Span(pos2(100.0, 400.0)),
            Anchor::Edge { at: edge, up: true },
            10.0,
        );
        assert_eq!(a.head[0], edge);
        assert!(a.head[1].y > edge.y, "points up");
        // The start is off the bottom: the curve comes from the bottom edge and the head
        // points down into the span.
        let b = arrow(
            Anchor::Edge {
                at: pos2(124.0, 800.0),
                up: false,
            },
            Anchor::Span(pos2(100.0, 400.0)),
            10.0,
        );
        assert_eq!(b.points[0], pos2(124.0, 800.0));
        assert!(b.head[1].y < 400.0);
    }

    #[test]
    fn hit_testing_measures_the_distance_to_the_drawn_curve() {
        let a = arrow(
            Anchor::Span(pos2(100.0, 100.0)),
            Anchor::Span(pos2(400.0, 100.0)),
            10.0,
        );
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
    }

    #[test]
    fn ends_at_one_point_still_make_a_curve() {
        let p = pos2(50.0, 50.0);
        let a = arrow(Anchor::Span(p), Anchor::Span(p), 8.0);
        assert!(a.points.iter().all(|q| q.is_finite()));
        assert!(a.head[0] != a.points[0]);
    }
}
