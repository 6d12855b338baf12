//! The rules that read a quote's context: find the cue, then the subject it names.
//!
//! The speaker is the **head** of the cue's subject, never merely the nearest name: the
//! subject phrase is cut at its first preposition or relative word ("Anna Berg of the
//! Red Cross", "a farmer who met Tariq Khan"), an aside between commas is stepped over
//! ("Anna Berg, a spokeswoman for the Red Cross, said"), and of the names left the last
//! is the head ("Taliban spokesman Zabihullah Mujahid"). A head that is no span ("a
//! farmer", "the ministry's spokeswoman") means the speaker has no span: no suggestion.

use super::words::{
    Cue, CueKind, Tok, cue_at, ends_clause, ends_sentence, is_conjunction, is_cue, is_determiner,
    is_filler, is_preposition, is_pronoun, is_quote_mark, is_relative,
};
use crate::model::Span;

/// How many tokens may separate a quote from its cue.
const MAX_GAP: usize = 15;

/// How many words may come before the name in a phrase read forwards ("said Provincial
/// health minister Tariq Khan").
const MAX_LEAD: usize = 4;

/// Who a cue names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Who<'t> {
    /// A candidate span.
    Span(Span),
    /// A personal pronoun at char `at`, standing for the last PERSON before it.
    Pronoun { at: usize, word: &'t str },
}

/// What a rule made of a context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Outcome<'t> {
    /// A cue (as written, lowercased) and the speaker it names.
    Speaker { who: Who<'t>, cue: String },
    /// A cue whose speaker is no span ("a farmer from Mardan told…"): the quote has a
    /// speaker, so the other rules must not guess one.
    NotASpan,
    /// No cue: the next rule may try.
    NoCue,
}

/// A subject phrase's head.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject<'t> {
    Found(Who<'t>),
    /// The head is a word, not a span.
    NotASpan,
    /// No subject at all.
    Empty,
}

/// The context after a quote (or between a split quote's halves): the first cue within
/// [`MAX_GAP`] tokens, and its subject, before it ("…," Anna Berg said) or, for a cue
/// right after the quote, after it ("…," said Anna Berg; "…," according to the ministry).
pub(super) fn after<'t>(toks: &[Tok<'t>]) -> Outcome<'t> {
    // Closing marks, commas and dashes between the quote and what follows.
    let Some(first) = toks.iter().position(|t| !matches!(t, Tok::Punct(_))) else {
        return Outcome::NoCue;
    };
    let toks = &toks[first..];
    for i in 0..toks.len().min(MAX_GAP + 1) {
        if ends_clause(&toks[i]) {
            break;
        }
        let Some(cue) = cue_at(toks, i) else {
            continue;
        };
        let subject = match cue.kind {
            CueKind::AccordingTo => forward(toks, i + cue.len),
            CueKind::Verb { inverts, .. } if i == 0 => {
                if !inverts {
                    return Outcome::NoCue;
                }
                forward(toks, i + cue.len)
            }
            CueKind::Verb { .. } => backward(toks, i),
        };
        return outcome(subject, toks, i, cue);
    }
    Outcome::NoCue
}

/// The context before a quote: the nearest cue within [`MAX_GAP`] tokens ("Anna Berg
/// said: “…”", "The ministry said in a statement that it had sent “…”", "According to
/// Hassan Raza, “…”") and its subject.
pub(super) fn before<'t>(toks: &[Tok<'t>]) -> Outcome<'t> {
    let n = toks.len();
    for i in (n.saturating_sub(MAX_GAP + 2)..n).rev() {
        if ends_sentence(&toks[i]) {
            break;
        }
        let Some(cue) = cue_at(toks, i) else {
            continue;
        };
        let subject = match cue.kind {
            CueKind::AccordingTo => forward(toks, i + cue.len),
            CueKind::Verb {
                participle: true, ..
            } => clause_subject(toks, i),
            CueKind::Verb { .. } => backward(toks, i),
        };
        return outcome(subject, toks, i, cue);
    }
    Outcome::NoCue
}

/// The outcome of a cue at `i` whose subject is `subject`.
fn outcome<'t>(subject: Subject<'t>, toks: &[Tok<'t>], i: usize, cue: Cue) -> Outcome<'t> {
    match subject {
        Subject::Found(who) => Outcome::Speaker {
            who,
            cue: cue_text(&toks[i..i + cue.len]),
        },
        Subject::NotASpan => Outcome::NotASpan,
        Subject::Empty => Outcome::NoCue,
    }
}

/// A cue's words, lowercased, as the explanation shows them.
fn cue_text(toks: &[Tok]) -> String {
    let words: Vec<String> = toks
        .iter()
        .filter_map(Tok::word)
        .map(str::to_lowercase)
        .collect();
    words.join(" ")
}

/// Whether a token is a name or a pronoun: what can head a subject.
fn names(t: &Tok) -> bool {
    matches!(t, Tok::Ent(_)) || t.word().is_some_and(is_pronoun)
}

/// The [`Who`] of a token that [`names`].
fn who<'t>(t: &Tok<'t>) -> Option<Who<'t>> {
    match *t {
        Tok::Ent(span) => Some(Who::Span(span)),
        Tok::Word { start, text } if is_pronoun(text) => Some(Who::Pronoun {
            at: start,
            word: text,
        }),
        _ => None,
    }
}

/// Whether a token is a possessive "'s".
fn possessive(t: &Tok) -> bool {
    t.word().is_some_and(|w| {
        let mut c = w.chars();
        matches!(c.next(), Some('\'' | '\u{2019}')) && matches!(c.next(), Some('s' | 'S'))
    })
}

/// Whether a token ends a subject phrase's head part: a preposition, a relative word or
/// a cue.
fn cuts_head(toks: &[Tok], i: usize) -> bool {
    toks[i]
        .word()
        .is_some_and(|w| is_preposition(w) || is_relative(w))
        || is_cue(toks, i)
}

/// Whether a phrase holds a word that could be its head (not a determiner or filler).
fn has_head_word(phrase: &[Tok]) -> bool {
    phrase
        .iter()
        .any(|t| t.word().is_some_and(|w| !is_determiner(w) && !is_filler(w)))
}

/// The subject of a verb cue at `cue`, read backwards from it.
fn backward<'t>(toks: &[Tok<'t>], cue: usize) -> Subject<'t> {
    let mut i = cue;
    // Auxiliaries and adverbs: "Tariq Khan has also said".
    while i > 0 && cue - i < 3 && toks[i - 1].word().is_some_and(is_filler) {
        i -= 1;
    }
    if i == 0 {
        return Subject::Empty;
    }
    if !toks[i - 1].is(',') {
        return phrase_head(toks, i, true);
    }
    // A comma closing an aside: the subject stands before the comma that opens it, the
    // nearest one first, as an aside may hold commas ("…, in Geneva, Switzerland, said").
    let close = i - 1;
    let (mut first_open, mut tried) = (None, 0);
    let mut j = close;
    while j > 0 && tried < 3 {
        j -= 1;
        if ends_clause(&toks[j]) || is_cue(toks, j) {
            break;
        }
        if toks[j].is(',') {
            first_open.get_or_insert(j);
            tried += 1;
            if let Subject::Found(w) = phrase_head(toks, j, false) {
                return Subject::Found(w);
            }
        }
    }
    // "The ministry's spokeswoman, Anna Berg, said": the aside is the name.
    if let Some(open) = first_open {
        let aside: Vec<&Tok> = toks[open + 1..close]
            .iter()
            .filter(|t| !t.word().is_some_and(is_determiner))
            .collect();
        if let [t] = aside[..]
            && let Some(w) = who(t)
        {
            return Subject::Found(w);
        }
    }
    if has_head_word(&toks[..close]) {
        Subject::NotASpan
    } else {
        Subject::Empty
    }
}

/// The head of the subject phrase that ends at token `end`: the phrase starts after the
/// last punctuation or cue; its head part ends at its first preposition or relative
/// word; the head is that part's last name, unless a possessive follows it. With
/// `fronted`, a phrase that opens with a preposition ("On Tuesday the ministry said")
/// may still end in its subject.
fn phrase_head<'t>(toks: &[Tok<'t>], end: usize, fronted: bool) -> Subject<'t> {
    let start = (0..end)
        .rev()
        .find(|&k| matches!(toks[k], Tok::Punct(_)) || is_cue(toks, k))
        .map_or(0, |k| k + 1);
    let phrase = &toks[start..end];
    let cut = (0..phrase.len())
        .find(|&k| cuts_head(phrase, k))
        .unwrap_or(phrase.len());
    if cut == 0 && !phrase.is_empty() {
        return match phrase.last().and_then(who) {
            Some(w) if fronted => Subject::Found(w),
            _ => Subject::NotASpan,
        };
    }
    let head = &phrase[..cut];
    match head.iter().rposition(names) {
        Some(k) if head.get(k + 1).is_some_and(possessive) => Subject::NotASpan,
        Some(k) => who(&head[k]).map_or(Subject::NotASpan, Subject::Found),
        None if has_head_word(head) => Subject::NotASpan,
        None => Subject::Empty,
    }
}

/// The subject phrase starting at token `from`, read forwards ("said Anna Berg, …",
/// "according to Hassan Raza, who…"): up to the first punctuation; the first name within
/// [`MAX_LEAD`] words, moved on to a name it qualifies ("Red Cross spokeswoman Anna
/// Berg"); none before a preposition ("a spokeswoman for the Red Cross").
fn forward<'t>(toks: &[Tok<'t>], from: usize) -> Subject<'t> {
    let rest = toks.get(from..).unwrap_or(&[]);
    let end = rest
        .iter()
        .position(|t| matches!(t, Tok::Punct(_)))
        .unwrap_or(rest.len());
    let phrase = &rest[..end];
    let cut = (0..phrase.len())
        .find(|&k| cuts_head(phrase, k))
        .unwrap_or(phrase.len());
    let head = &phrase[..cut];
    let Some(mut k) = head.iter().position(names) else {
        return if has_head_word(head) {
            Subject::NotASpan
        } else {
            Subject::Empty
        };
    };
    if k > MAX_LEAD {
        return Subject::NotASpan;
    }
    // A name followed by at most two words and another name qualifies that one; "and"
    // joins two speakers instead, of whom the first is kept.
    while let Some(next) = (k + 1..head.len().min(k + 4)).find(|&j| names(&head[j])) {
        let joined = head[k + 1..next]
            .iter()
            .any(|t| t.word().is_none_or(|w| is_conjunction(w) || is_pronoun(w)));
        if joined || !matches!(head[next], Tok::Ent(_)) {
            break;
        }
        k = next;
    }
    if head.get(k + 1).is_some_and(possessive) {
        return Subject::NotASpan;
    }
    who(&head[k]).map_or(Subject::NotASpan, Subject::Found)
}

/// The subject of a participle cue ("Tariq Khan spoke to reporters, saying “…”"): the
/// subject of its clause, read forwards from the clause's start (after an opening phrase
/// such as "In Kabul," when the clause starts with a preposition).
fn clause_subject<'t>(toks: &[Tok<'t>], cue: usize) -> Subject<'t> {
    let mut start = (0..cue)
        .rev()
        .find(|&k| ends_clause(&toks[k]) || is_cue(toks, k))
        .map_or(0, |k| k + 1);
    if toks
        .get(start)
        .and_then(Tok::word)
        .is_some_and(is_preposition)
        && let Some(comma) = (start..cue).find(|&k| toks[k].is(','))
    {
        start = comma + 1;
    }
    forward(&toks[..cue], start)
}

/// The stretches of a quote span's text that lie outside its quotation marks: between a
/// closing mark and the next opening one ("“We are worried,” he said, “because…”"). A
/// straight mark closes when a space or the end follows it, and opens otherwise. Gives
/// char ranges (document offsets) of the span `start..`, given its text.
pub(super) fn interjections(text: &str, start: usize) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut closed_at = None;
    for (i, &c) in chars.iter().enumerate() {
        if !is_quote_mark(c) {
            continue;
        }
        let opens = match c {
            '\u{201c}' | '\u{201e}' | '\u{ab}' => true,
            '\u{201d}' | '\u{bb}' => false,
            _ => {
                chars
                    .get(i + 1)
                    .is_some_and(|n| !n.is_whitespace() && !n.is_ascii_punctuation())
                    && (i == 0 || !chars[i - 1].is_alphanumeric())
            }
        };
        match (opens, closed_at) {
            (true, Some(from)) => {
                if chars[from..i].iter().any(|c| c.is_alphanumeric()) {
                    out.push((start + from, start + i));
                }
                closed_at = None;
            }
            (false, _) => closed_at = Some(i + 1),
            (true, None) => {}
        }
    }
    out
}
