//! What the speaker rules read: a stretch of text cut into words, punctuation and
//! candidate speakers (spans), and the small English lexicons the rules use (cue verbs,
//! determiners, prepositions, pronouns, words that may sit between a subject and its verb).

use crate::model::{Span, Text};

/// One unit of a context.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok<'t> {
    /// A word: letters and digits, with inner apostrophes and hyphens ("O'Brien",
    /// "non-negotiable"); a possessive "'s" is a word of its own, so "ministry's"
    /// reads "ministry", "'s".
    Word {
        /// First char (document offset).
        start: usize,
        /// The word as written.
        text: &'t str,
    },
    /// A char that is neither a word's nor a space.
    Punct(char),
    /// A candidate speaker: a span whose label the relation type allows at its end.
    Ent(Span),
}

impl Tok<'_> {
    /// The word, if this is one.
    pub(super) fn word(&self) -> Option<&str> {
        match self {
            Tok::Word { text, .. } => Some(text),
            _ => None,
        }
    }

    /// Whether this is the punctuation char `c`.
    pub(super) fn is(&self, c: char) -> bool {
        *self == Tok::Punct(c)
    }
}

/// Cuts chars `lo..hi` of `text` into tokens; each of `ents` (sorted, not overlapping,
/// inside `lo..hi`) becomes one [`Tok::Ent`] in place of its words.
pub(super) fn tokenize<'t>(text: &'t Text, lo: usize, hi: usize, ents: &[Span]) -> Vec<Tok<'t>> {
    let s = text.slice(lo, hi);
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::with_capacity(chars.len() / 4 + 1);
    let mut ents = ents.iter().peekable();
    // The word being read: its first char's index in `chars` and byte offset.
    let mut word: Option<(usize, usize)> = None;
    let flush = |word: &mut Option<(usize, usize)>, out: &mut Vec<Tok<'t>>, byte_end: usize| {
        if let Some((i, b)) = word.take() {
            out.push(Tok::Word {
                start: lo + i,
                text: &s[b..byte_end],
            });
        }
    };
    let alnum_at = |i: usize| chars.get(i).is_some_and(|(_, c)| c.is_alphanumeric());
    let mut i = 0;
    while i < chars.len() {
        let (b, c) = chars[i];
        let pos = lo + i;
        // A span starting inside a word cuts the word there.
        if let Some(e) = ents.next_if(|e| e.start() <= pos) {
            flush(&mut word, &mut out, b);
            out.push(Tok::Ent(*e));
            i = e.end().saturating_sub(lo).max(i + 1);
            continue;
        }
        let apostrophe = matches!(c, '\'' | '\u{2019}');
        if c.is_alphanumeric() {
            if word.is_none() {
                word = Some((i, b));
            }
        } else if apostrophe
            && word.is_some()
            && matches!(chars.get(i + 1), Some((_, 's' | 'S')))
            && !alnum_at(i + 2)
        {
            flush(&mut word, &mut out, b);
            let end = chars.get(i + 2).map_or(s.len(), |(b, _)| *b);
            out.push(Tok::Word {
                start: pos,
                text: &s[b..end],
            });
            i += 2;
            continue;
        } else if (apostrophe || c == '-') && word.is_some() && alnum_at(i + 1) {
            // Inside a word: "O'Brien", "don't", "non-negotiable".
        } else if c == '.' && word.is_some_and(|(_, wb)| is_title(&s[wb..b])) {
            // "Mr." is one word: its period ends no phrase.
            flush(&mut word, &mut out, b + 1);
        } else {
            flush(&mut word, &mut out, b);
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
        }
        i += 1;
    }
    flush(&mut word, &mut out, s.len());
    out
}

/// Titles written with a period ("Mr."), without it.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "col", "capt", "lt", "sgt", "maj",
    "rev", "st",
];

/// Whether `word` is a title that is written with a period ("Mr").
pub(super) fn is_title(word: &str) -> bool {
    one_of(word, TITLES)
}

/// What a cue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CueKind {
    /// A verb of saying. `inverts`: it may come before its subject after a quote
    /// ("…," said Anna Berg), as "said" may and "told" may not; `participle`: an -ing form
    /// ("…, saying"), whose subject is the clause's.
    Verb { inverts: bool, participle: bool },
    /// "according to": the speaker follows it.
    AccordingTo,
}

/// A cue found at some token: its kind and how many tokens it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Cue {
    pub(super) kind: CueKind,
    pub(super) len: usize,
}

/// A word lowercased into `buf` (ASCII only; cue and function words are ASCII), or None
/// when it is too long to be one of them.
fn lower<'b>(word: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// Whether `word` is one of `list` (lowercase), ignoring ASCII case.
fn one_of(word: &str, list: &[&str]) -> bool {
    let mut buf = [0; 16];
    lower(word, &mut buf).is_some_and(|w| list.contains(&w))
}

/// Verbs of saying, every form, with whether the finite forms invert ("said X").
/// "told" and its forms take the hearer as object, so "…," told X never names a speaker.
const VERBS: &[(&[&str], bool)] = &[
    (&["say", "says", "said", "saying"], true),
    (&["tell", "tells", "told", "telling"], false),
    (&["add", "adds", "added", "adding"], true),
    (&["state", "states", "stated", "stating"], true),
    (&["explain", "explains", "explained", "explaining"], true),
    (&["warn", "warns", "warned", "warning"], true),
    (&["insist", "insists", "insisted", "insisting"], true),
    (&["note", "notes", "noted", "noting"], true),
    (&["ask", "asks", "asked", "asking"], true),
    (&["reply", "replies", "replied", "replying"], true),
    (&["urge", "urges", "urged", "urging"], true),
    (&["claim", "claims", "claimed", "claiming"], true),
    (&["declare", "declares", "declared", "declaring"], true),
    (&["announce", "announces", "announced", "announcing"], true),
    (&["argue", "argues", "argued", "arguing"], true),
    (&["write", "writes", "wrote", "writing"], true),
    (&["recall", "recalls", "recalled", "recalling"], true),
    (&["respond", "responds", "responded", "responding"], true),
    (&["answer", "answers", "answered", "answering"], true),
    (&["admit", "admits", "admitted", "admitting"], true),
    (&["acknowledge", "acknowledges", "acknowledged"], true),
    (&["confirm", "confirms", "confirmed", "confirming"], true),
    (&["deny", "denies", "denied", "denying"], true),
    (&["continue", "continues", "continued"], true),
    (&["comment", "comments", "commented", "commenting"], true),
    (&["remark", "remarks", "remarked"], true),
    (&["tweet", "tweets", "tweeted", "tweeting"], true),
    (&["shout", "shouts", "shouted", "shouting"], true),
    (&["cry", "cries", "cried"], true),
    (&["whisper", "whispers", "whispered"], true),
];

/// The cue starting at token `i`, if any.
pub(super) fn cue_at(toks: &[Tok], i: usize) -> Option<Cue> {
    let mut buf = [0; 16];
    let w = lower(toks.get(i)?.word()?, &mut buf)?;
    if w == "according" {
        let to = toks.get(i + 1).and_then(Tok::word);
        return to
            .is_some_and(|t| t.eq_ignore_ascii_case("to"))
            .then_some(Cue {
                kind: CueKind::AccordingTo,
                len: 2,
            });
    }
    let (_, inverts) = VERBS.iter().find(|(forms, _)| forms.contains(&w))?;
    let participle = w.ends_with("ing");
    Some(Cue {
        kind: CueKind::Verb {
            inverts: *inverts && !participle,
            participle,
        },
        len: 1,
    })
}

/// Whether a cue starts at token `i`.
pub(super) fn is_cue(toks: &[Tok], i: usize) -> bool {
    cue_at(toks, i).is_some()
}

/// Subject pronouns that stand for a person ("he said").
pub(super) fn is_pronoun(word: &str) -> bool {
    one_of(word, &["he", "she"])
}

/// Words before a noun that do not change who it is.
pub(super) fn is_determiner(word: &str) -> bool {
    one_of(
        word,
        &[
            "the", "a", "an", "this", "its", "his", "her", "their", "our",
        ],
    )
}

/// Prepositions that attach a phrase to a noun ("Anna Berg of the Red Cross", "a farmer
/// from Mardan"): what follows one is never the head of the subject.
pub(super) fn is_preposition(word: &str) -> bool {
    one_of(
        word,
        &[
            "of", "for", "from", "at", "with", "in", "by", "on", "to", "near", "inside", "outside",
            "within", "among", "behind", "about", "under", "over", "across", "into", "after",
            "before", "during", "since", "without", "like",
        ],
    )
}

/// Words that join two phrases ("Anna Berg and Tariq Khan").
pub(super) fn is_conjunction(word: &str) -> bool {
    one_of(word, &["and", "or", "but", "nor", "as", "than", "&"])
}

/// Words that open a relative clause ("a farmer who met Tariq Khan").
pub(super) fn is_relative(word: &str) -> bool {
    one_of(word, &["who", "whom", "which", "whose"])
}

/// Words that may stand between a subject and its verb, or after a name, without being
/// the subject: auxiliaries, adverbs of time and manner, reflexives.
pub(super) fn is_filler(word: &str) -> bool {
    one_of(
        word,
        &[
            "also",
            "later",
            "then",
            "previously",
            "earlier",
            "again",
            "further",
            "once",
            "has",
            "had",
            "have",
            "was",
            "is",
            "would",
            "will",
            "reportedly",
            "recently",
            "just",
            "only",
            "repeatedly",
            "publicly",
            "privately",
            "separately",
            "simply",
            "himself",
            "herself",
            "itself",
            "themselves",
            "too",
            "yesterday",
            "today",
            "tonight",
            "afterwards",
            "quickly",
            "angrily",
            "quietly",
            "firmly",
            "bluntly",
        ],
    )
}

/// Whether `c` is a double quotation mark.
pub(super) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}' | '\u{ab}' | '\u{bb}'
    )
}

/// Whether a token ends a clause for the rules: any punctuation but a comma (commas open
/// and close appositives, which the rules read on their own) and a hyphen.
pub(super) fn ends_clause(t: &Tok) -> bool {
    matches!(t, Tok::Punct(c) if !matches!(c, ',' | '-'))
}

/// Whether a token ends a sentence (a cue never reaches across one).
pub(super) fn ends_sentence(t: &Tok) -> bool {
    matches!(t, Tok::Punct('.' | '!' | '?' | ';'))
}
