//! Speaker suggestions: for each QUOTE of a document that has no SPEAKER, the PERSON or
//! ORG span that said it, found by rules (cue verbs, the sentence around the quote).
//!
//! Contract (the view and the CLI rely on it): every suggestion is a relation of the
//! project's relation type named `SPEAKER`, from a span of the document whose label the
//! type allows at its start to one it allows at its end; never a relation the document
//! has, never a rejected one, never for a quote that already has a speaker; sorted.
//!
//! The quotes are the spans with a label the type allows at its start; the candidate
//! speakers the spans with a label it allows at its end. For each quote, in this order,
//! the first rule that finds a cue decides (at most one suggestion per quote):
//!
//! 1. **Between the halves, inside the span**: a quote span that holds its own
//!    interjection ("“We are worried,” Anna Berg added, “because…”") is read there.
//! 2. **After the quote**, in its sentence, up to the next quote: the first cue verb
//!    (said, told, added, stated, explained, warned, insisted, noted, asked, replied,
//!    urged… in every form) with its subject before it ("…," the ministry said) or, right
//!    after the quote, after it ("…," said Amina Yousafzai); or "according to" and the
//!    name after it. A sentence that ends with the quote's "?" or "!" goes on when a
//!    lowercase word follows ("…?" asked Tariq Khan), as does one cut after "Mr.".
//! 3. **Before the quote**, in its sentence, from the previous quote: the nearest cue
//!    ("Anna Berg said: “…”", "The World Health Organization said in a statement that it
//!    had sent “…”", "According to Hassan Raza, who…, “…”"); an -ing cue ("…, saying
//!    “…”") takes its clause's subject.
//! 4. **A continued quote**: a quote with no cue in its sentence, in the same paragraph
//!    as the quote before it with no other candidate between them, takes that quote's
//!    speaker (its relation, or its suggestion).
//!
//! Without a cue (and not continuing a quote) a quote gets no suggestion: a guess from
//! the nearest name is wrong too often to be worth a rejection.
//!
//! The speaker is the head of the cue's subject, never merely the nearest candidate (see
//! `rules`): in "Anna Berg, a spokeswoman for the Red Cross, said" it is Anna Berg, in
//! "Omar Farouk of the Red Crescent said" Omar Farouk, in "Taliban spokesman Zabihullah
//! Mujahid said" Zabihullah Mujahid. When the head is no span ("a farmer from Mardan
//! told the Associated Press", "a spokeswoman for the Red Cross said", "the ministry's
//! spokeswoman said") there is no suggestion: the hearer or an affiliation is not the
//! speaker. "he" / "she" stand for the last PERSON span before them that is not inside a
//! quote (within 1,500 chars), if the type allows PERSON.
//!
//! A rule's speaker that was rejected (or whose relation is there) makes way for the
//! next rule's, if any. Each quote costs a window of a few hundred chars around it
//! (UAX #29 sentences, as [`crate::model::motion::sentence_at`] finds them, segmented
//! in that window only; spans through [`crate::model::SpanSet::overlapping`]).

mod rules;
#[cfg(test)]
mod tests;
mod words;

use unicode_segmentation::UnicodeSegmentation;

use super::super::{Document, LabelId, Project, Relation, RelationTypeId, Span, Text};
use rules::{Outcome, Who};
use words::Tok;

/// The relation type the suggestions are of.
pub const SPEAKER: &str = "SPEAKER";

/// How far (chars) a quote's context reaches on each side at most.
const MAX_CONTEXT: usize = 300;

/// How far past a quote's start (and before its end) its sentence is segmented: enough
/// for UAX #29 to decide the boundary there.
const LOOK: usize = 32;

/// How far back (chars) "he" or "she" looks for its PERSON.
const PRONOUN_REACH: usize = 1500;

/// A suggested speaker and the rule that found it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeakerSuggestion {
    /// From the quote to its speaker, of the SPEAKER type.
    pub relation: Relation,
    /// The rule, for people: "cue 'said' after the quote", "cue 'said' after the quote,
    /// 'he' taken as the last PERSON before it", "no cue; continues the quote before it".
    pub why: String,
}

/// The speaker suggestions of `doc` (see the module doc), sorted.
pub fn suggest_speakers(project: &Project, doc: &Document) -> Vec<Relation> {
    explain_speakers(project, doc)
        .into_iter()
        .map(|s| s.relation)
        .collect()
}

/// [`suggest_speakers`] with the rule behind each suggestion, sorted by relation.
pub fn explain_speakers(project: &Project, doc: &Document) -> Vec<SpeakerSuggestion> {
    let Some(kind) = project.relation_type_id(SPEAKER) else {
        return Vec::new();
    };
    let Some(ty) = project.relation_type(kind) else {
        return Vec::new();
    };
    let person = project.label_id("PERSON").filter(|l| ty.to.contains(l));
    let ctx = Context {
        doc,
        text: doc.text(),
        kind,
        from: &ty.from,
        to: &ty.to,
        person,
    };
    let mut out = Vec::new();
    // The quote before, and its speaker (a relation's or a suggestion's), for rule 4.
    let mut prev: Option<(Span, Option<Span>)> = None;
    for q in doc.spans().iter().filter(|s| ty.from.contains(&s.label())) {
        let speaker = match ctx.speaker_of(q) {
            Some(s) => Some(s),
            None => {
                let found = ctx.suggest(*q, prev);
                if let Some((to, why)) = &found
                    && let Ok(relation) = Relation::new(*q, *to, kind)
                {
                    out.push(SpeakerSuggestion {
                        relation,
                        why: why.clone(),
                    });
                }
                found.map(|(s, _)| s)
            }
        };
        prev = Some((*q, speaker));
    }
    out.sort_by_key(|s| s.relation);
    out
}

/// What the rules need of the document and the type.
struct Context<'a> {
    doc: &'a Document,
    text: &'a Text,
    kind: RelationTypeId,
    /// Labels of quotes.
    from: &'a [LabelId],
    /// Labels of speakers.
    to: &'a [LabelId],
    /// The PERSON label, when the type allows it: what a pronoun stands for.
    person: Option<LabelId>,
}

/// What a rule's speaker comes to.
enum Take {
    Took(Span, String),
    /// Rejected, or already there: the next rule may try.
    Rejected,
    /// A pronoun with no PERSON before it: the speaker is nobody we can name.
    Unresolved,
}

impl Context<'_> {
    /// The speaker quote `q` has already (the first, if several).
    fn speaker_of(&self, q: &Span) -> Option<Span> {
        let rs = self.doc.relations().of(q);
        rs.iter()
            .find(|r| r.from() == *q && r.kind() == self.kind)
            .map(Relation::to)
    }

    /// The speaker of quote `q`, which has none yet, and why; `prev` is the quote before
    /// it with its speaker.
    fn suggest(&self, q: Span, prev: Option<(Span, Option<Span>)>) -> Option<(Span, String)> {
        // `Some(result)` decides; `None` lets the next rule try.
        let decide = |outcome: Outcome, place: &str| match outcome {
            Outcome::NoCue => None,
            Outcome::NotASpan => Some(None),
            Outcome::Speaker { who, cue } => {
                match self.take(q, who, format!("cue '{cue}' {place}")) {
                    Take::Took(s, why) => Some(Some((s, why))),
                    Take::Unresolved => Some(None),
                    Take::Rejected => None,
                }
            }
        };
        let inside = rules::interjections(self.text.slice(q.start(), q.end()), q.start());
        for (a, b) in inside {
            if b - a <= MAX_CONTEXT {
                let toks = self.tokens(a, b, q);
                if let Some(r) = decide(rules::after(&toks), "between the quote's halves") {
                    return r;
                }
            }
        }
        let split = "between the halves of a split quote";
        let (hi, hi_quote) = self.right_bound(q);
        let toks = self.tokens(q.end(), hi, q);
        let place = if hi_quote { split } else { "after the quote" };
        if let Some(r) = decide(rules::after(&toks), place) {
            return r;
        }
        // Only now: most quotes are answered after them, and sentences cost the most.
        let (lo, lo_quote) = self.left_bound(q);
        let toks = self.tokens(lo, q.start(), q);
        let place = if lo_quote { split } else { "before the quote" };
        if let Some(r) = decide(rules::before(&toks), place) {
            return r;
        }
        let s = self.continues(q, prev)?;
        match self.take(q, Who::Span(s), String::new()) {
            Take::Took(s, _) => Some((s, "no cue; continues the quote before it".into())),
            _ => None,
        }
    }

    /// The span a rule's [`Who`] stands for, checked against the contract.
    fn take(&self, q: Span, who: Who, why: String) -> Take {
        let (target, why) = match who {
            Who::Span(s) => (s, why),
            Who::Pronoun { at, word } => match self.last_person(at) {
                Some(p) => (
                    p,
                    format!(
                        "{why}, '{}' taken as the last PERSON before it",
                        word.to_lowercase()
                    ),
                ),
                None => return Take::Unresolved,
            },
        };
        let Ok(r) = Relation::new(q, target, self.kind) else {
            return Take::Unresolved;
        };
        if !self.to.contains(&target.label()) || !self.doc.spans().contains(&target) {
            return Take::Unresolved;
        }
        if self.doc.rejected_relations().contains(&r) || self.doc.relations().contains(&r) {
            return Take::Rejected;
        }
        Take::Took(target, why)
    }

    /// Whether `s` lies inside a quote span other than itself.
    fn inside_quote(&self, s: &Span) -> bool {
        self.doc.spans().overlapping(s.start(), s.end()).any(|o| {
            o != s && self.from.contains(&o.label()) && o.start() <= s.start() && o.end() >= s.end()
        })
    }

    /// The last PERSON span ending by `at`, not inside a quote, within [`PRONOUN_REACH`].
    fn last_person(&self, at: usize) -> Option<Span> {
        let person = self.person?;
        let lo = at.saturating_sub(PRONOUN_REACH);
        let mut found: Vec<Span> = self
            .doc
            .spans()
            .overlapping(lo, at)
            .filter(|s| s.label() == person && s.start() >= lo && s.end() <= at)
            .copied()
            .collect();
        found.sort_by_key(|s| std::cmp::Reverse((s.end(), s.start())));
        found.into_iter().find(|s| !self.inside_quote(s))
    }

    /// The start of quote `q`'s context before it, and whether that is a quote's end:
    /// its sentence's start, cut at the quote before it and at [`MAX_CONTEXT`].
    fn left_bound(&self, q: Span) -> (usize, bool) {
        let n = self.text.char_len();
        let from = q.start().saturating_sub(MAX_CONTEXT);
        let (s0, _) = sentence_within(self.text, from, (q.start() + LOOK).min(n), q.start());
        let mut lo = s0.min(q.start());
        let mut by_quote = false;
        for s in self.doc.spans().overlapping(lo, q.start()) {
            if s.end() <= q.start() && s.end() > lo && self.from.contains(&s.label()) {
                lo = s.end();
                by_quote = true;
            }
        }
        (lo, by_quote)
    }

    /// The end of quote `q`'s context after it, and whether that is a quote's start: its
    /// sentence's end (see [`Self::extend_right`]), cut at the quote after it and at
    /// [`MAX_CONTEXT`].
    fn right_bound(&self, q: Span) -> (usize, bool) {
        let n = self.text.char_len();
        let last = q.end() - 1;
        let from = last.saturating_sub(LOOK).max(q.start());
        let (_, s1) = sentence_within(self.text, from, (q.end() + MAX_CONTEXT).min(n), last);
        let hi = self
            .extend_right(q.end(), s1.max(q.end()))
            .min(q.end() + MAX_CONTEXT)
            .min(n);
        // Spans come in start order: the first quote starting after `q` is the nearest.
        let next = self
            .doc
            .spans()
            .overlapping(q.end(), hi)
            .find(|s| s.start() >= q.end() && **s != q && self.from.contains(&s.label()));
        match next {
            Some(s) => (s.start(), true),
            None => (hi, false),
        }
    }

    /// Where the sentence after a quote ends, from the end `hi` UAX #29 gives: a quote
    /// ending in "?" or "!" ends its sentence even when "asked Tariq Khan" follows, and
    /// "said Mr. Khan" breaks after "Mr.".
    fn extend_right(&self, q_end: usize, mut hi: usize) -> usize {
        let n = self.text.char_len();
        for _ in 0..2 {
            let after = self.text.slice(hi, (hi + 8).min(n));
            let skip = after
                .chars()
                .take_while(|c| matches!(c, ' ' | '\t'))
                .count();
            let Some(next) = after.chars().nth(skip) else {
                break;
            };
            let no_words = !self
                .text
                .slice(q_end, hi)
                .chars()
                .any(char::is_alphanumeric);
            let tail = self.text.slice(hi.saturating_sub(7).max(q_end), hi);
            let goes_on =
                (no_words && next.is_lowercase()) || (ends_in_title(tail) && next.is_uppercase());
            if !goes_on {
                break;
            }
            let at = hi + skip;
            let (_, e) = sentence_within(self.text, at, (at + MAX_CONTEXT).min(n), at);
            if e <= hi {
                break;
            }
            hi = e;
        }
        hi
    }

    /// Rule 4: the speaker of the quote before `q`, when `q` continues it: same
    /// paragraph, near, no other candidate between them.
    fn continues(&self, q: Span, prev: Option<(Span, Option<Span>)>) -> Option<Span> {
        let (p, speaker) = prev?;
        let speaker = speaker?;
        if p.end() > q.start() || q.start() - p.end() > MAX_CONTEXT {
            return None;
        }
        if self.text.slice(p.end(), q.start()).contains('\n') {
            return None;
        }
        let other = self.doc.spans().overlapping(p.end(), q.start()).any(|s| {
            *s != speaker
                && self.to.contains(&s.label())
                && s.start() >= p.end()
                && s.end() <= q.start()
        });
        (!other).then_some(speaker)
    }

    /// The tokens of chars `lo..hi`, the candidate speakers there (other than `q`) as
    /// [`Tok::Ent`]; of nested candidates the outer one.
    fn tokens(&self, lo: usize, hi: usize, q: Span) -> Vec<Tok<'_>> {
        let mut ents = Vec::new();
        let mut reach = lo;
        // Spans come in start order, outer before inner.
        for s in self.doc.spans().overlapping(lo, hi) {
            if *s != q && self.to.contains(&s.label()) && s.start() >= reach && s.end() <= hi {
                reach = s.end();
                ents.push(*s);
            }
        }
        words::tokenize(self.text, lo, hi, &ents)
    }
}

/// The UAX #29 sentence holding char `pos`, as [`crate::model::motion::sentence_at`]
/// finds it, but segmenting only chars `lo..hi` (a quote's context) cut to `pos`'s line:
/// this runs for every quote, and the segmentation is most of the cost. A line break
/// always ends a sentence, so cutting there changes nothing; a sentence cut by `lo`
/// starts there.
fn sentence_within(text: &Text, lo: usize, hi: usize, pos: usize) -> (usize, usize) {
    let before = text.slice(lo, pos);
    let lo = before
        .rfind('\n')
        .map_or(lo, |b| lo + before[..b].chars().count() + 1);
    let after = text.slice(pos, hi);
    let hi = after
        .find('\n')
        .map_or(hi, |b| pos + after[..b].chars().count() + 1);
    let mut start = lo;
    for sentence in text.slice(lo, hi).split_sentence_bounds() {
        let end = start + sentence.chars().count();
        if pos < end {
            return (start, end);
        }
        start = end;
    }
    (pos, pos)
}

/// Whether `s` ends in a title abbreviation ("Mr.") after which a name goes on.
fn ends_in_title(s: &str) -> bool {
    let Some(head) = s.trim_end().strip_suffix('.') else {
        return false;
    };
    let word = head
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or_default();
    words::is_title(word)
}
