//! Parsing a project file on all cores.
//!
//! Parsing RON is most of the time it takes to open a project, and a project is mostly
//! its `documents` list. A small scan finds that list and the byte range of each document
//! in it, minding strings (with escapes), raw strings, char literals and comments; ron
//! then parses the rest of the file (version and labels) and each document on its own,
//! documents spread over the cores. The scan gives up, and the caller parses the file
//! as a whole, whenever it meets anything it does not follow exactly: block comments,
//! `#![enable(...)]` extensions, identifiers outside ASCII, unbalanced brackets, a second
//! `documents` field, an empty list element. Any error in a part also sends the file to
//! the whole-file parse, so errors (and their line:column) are exactly that parse's.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{DocumentIn, FileIn, check_document, check_header, ron_options};
use crate::model::{Document, Project};

/// Files smaller than this are parsed whole: threads would cost more than they save.
pub(crate) const PARALLEL_FROM: usize = 256 * 1024;

/// Deepest nesting the scan accepts (a project file needs 5: file, list, document, span
/// list, span; 9 with disagreements: list, disagreement, versions, version, spans,
/// span). Far below ron's recursion limit, so a part nests too deep exactly when the
/// whole file would.
const MAX_DEPTH: usize = 10;

/// A project file cut at its document boundaries.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The file with the `documents` list emptied: version and labels.
    pub(crate) skeleton: String,
    /// Each document's source text, in order.
    pub(crate) documents: Vec<&'a str>,
}

/// Where the scan is relative to the `documents` field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    /// Not seen yet.
    Before,
    /// Seen the name; a `:` comes next.
    Name,
    /// Seen `documents:`; a `[` comes next.
    Colon,
    /// Inside the list.
    Inside,
    /// Past the list.
    After,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Index just past the string starting at the `"` at `i`, or `None` if it never ends.
fn skip_string(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < b.len() {
        match b[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// Index just past the raw string `r#*"…"#*` whose `#`s or `"` start at `i`.
fn skip_raw_string(b: &[u8], i: usize) -> Option<usize> {
    let hashes = b[i..].iter().take_while(|&&c| c == b'#').count();
    let open = i + hashes;
    if b.get(open) != Some(&b'"') {
        return None;
    }
    let mut j = open + 1;
    while j < b.len() {
        if b[j] == b'"'
            && b.len() - (j + 1) >= hashes
            && b[j + 1..j + 1 + hashes].iter().all(|&c| c == b'#')
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    None
}

/// Index just past the char literal starting at the `'` at `i`.
fn skip_char(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let j = if b.get(i + 1) == Some(&b'\\') {
        // `'\''`, `'\\'`, `'\u{…}'`: the escape runs to the next quote after its first char.
        i + 3 + b.get(i + 3..)?.iter().position(|&c| c == b'\'')?
    } else {
        let c = s.get(i + 1..)?.chars().next()?;
        i + 1 + c.len_utf8()
    };
    (b.get(j) == Some(&b'\'')).then_some(j + 1)
}

/// Cuts `source` at the documents of its top-level `documents: [...]` list; `None` when
/// the file is not laid out in a way the scan follows exactly.
pub(crate) fn split(source: &str) -> Option<Split<'_>> {
    let b = source.as_bytes();
    let mut stack: Vec<u8> = Vec::with_capacity(16);
    let mut field = Field::Before;
    let (mut list_open, mut list_close) = (0, 0);
    let mut documents = Vec::new();
    // Start of the current list element, and whether it holds anything but blanks.
    let (mut elem_start, mut elem_used) = (0, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let in_list = field == Field::Inside && stack.len() == 2;
        let at_list_level = field == Field::Inside && stack.len() >= 2;
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |n| i + n);
                continue;
            }
            _ => {}
        }
        // Anything else is a token: the field's name, `:` and `[` must come in order.
        match field {
            Field::Name if c != b':' => return None,
            Field::Colon if c != b'[' => return None,
            _ => {}
        }
        if at_list_level && !(in_list && (c == b',' || c == b']')) {
            elem_used = true;
        }
        match c {
            b'"' => i = skip_string(b, i)?,
            b'\'' => i = skip_char(source, i)?,
            b'(' | b'[' | b'{' => {
                if stack.len() == MAX_DEPTH {
                    return None;
                }
                stack.push(c);
                if field == Field::Colon {
                    field = Field::Inside;
                    list_open = i;
                    (elem_start, elem_used) = (i + 1, false);
                }
                i += 1;
            }
            b')' | b']' | b'}' => {
                let open = stack.pop()?;
                if !matches!((open, c), (b'(', b')') | (b'[', b']') | (b'{', b'}')) {
                    return None;
                }
                if field == Field::Inside && stack.len() == 1 {
                    // The list closes: its last element, unless blank (a trailing comma).
                    if elem_used {
                        documents.push(&source[elem_start..i]);
                    }
                    field = Field::After;
                    list_close = i;
                }
                i += 1;
            }
            b',' if in_list => {
                if !elem_used {
                    return None;
                }
                documents.push(&source[elem_start..i]);
                (elem_start, elem_used) = (i + 1, false);
                i += 1;
            }
            b':' if field == Field::Name => {
                field = Field::Colon;
                i += 1;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let end = i + b[i..].iter().take_while(|&&x| is_ident_byte(x)).count();
                let ident = &source[i..end];
                match (ident, b.get(end)) {
                    ("r" | "br", Some(b'"' | b'#')) => {
                        // A raw string, or (`r#name`) a raw identifier.
                        if b.get(end) == Some(&b'#')
                            && b.get(end + 1).is_some_and(|&x| is_ident_byte(x))
                        {
                            i = end + 1;
                        } else {
                            i = skip_raw_string(b, end)?;
                        }
                    }
                    ("documents", _) if stack.len() == 1 => {
                        if field != Field::Before || stack[0] != b'(' {
                            return None;
                        }
                        field = Field::Name;
                        i = end;
                    }
                    _ => i = end,
                }
            }
            // Digits, signs, dots, `:`, `,` at other levels: plain tokens.
            c if c.is_ascii() && c != b'#' && c != b'/' => i += 1,
            // Extensions, block comments, non-ASCII identifiers: not ours to guess.
            _ => return None,
        }
    }
    if !stack.is_empty() || field != Field::After {
        return None;
    }
    let mut skeleton = String::with_capacity(source.len() - (list_close - list_open));
    skeleton.push_str(&source[..=list_open]);
    skeleton.push_str(&source[list_close..]);
    Some(Split {
        skeleton,
        documents,
    })
}

/// Parses `source` with documents spread over `threads` threads. `None` means "parse it
/// whole": the scan was unsure, or some part has an error, which the whole-file parse
/// then reports exactly.
pub(crate) fn parse_parallel(source: &str, path: &Path, threads: usize) -> Option<Project> {
    let split = split(source)?;
    let file: FileIn = ron_options().from_str(&split.skeleton).ok()?;
    if !file.documents.is_empty() {
        return None;
    }
    let lookup = check_header(file.version, file.labels, file.relation_types, path).ok()?;
    let settings = super::settings_of(file.suggest).ok()?;
    let parts = &split.documents;
    // Chunks of about equal bytes, several per thread so that one huge document does not
    // leave the other threads idle; threads take the next chunk as they finish.
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let target = total / (threads * 4).max(1) + 1;
    let mut chunks: Vec<std::ops::Range<usize>> = Vec::new();
    let (mut from, mut bytes) = (0, 0);
    for (k, p) in parts.iter().enumerate() {
        bytes += p.len();
        if bytes >= target {
            chunks.push(from..k + 1);
            (from, bytes) = (k + 1, 0);
        }
    }
    if from < parts.len() {
        chunks.push(from..parts.len());
    }
    let next = AtomicUsize::new(0);
    let parse_chunk = |range: std::ops::Range<usize>| -> Option<Vec<Document>> {
        range
            .map(|di| {
                // The written layout is read directly; anything else by ron.
                let d: DocumentIn = match super::fast::document(parts[di]) {
                    Some(d) => d,
                    None => ron_options().from_str(parts[di]).ok()?,
                };
                check_document(di, d, &lookup, path).ok()
            })
            .collect()
    };
    let mut done: Vec<(usize, Vec<Document>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.min(chunks.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(range) = chunks.get(k) else {
                            return Some(out);
                        };
                        out.push((k, parse_chunk(range.clone())?));
                    }
                })
            })
            .collect();
        let mut all = Vec::with_capacity(chunks.len());
        for w in workers {
            all.extend(w.join().ok()??);
        }
        Some(all)
    })?;
    done.sort_unstable_by_key(|(k, _)| *k);
    let documents: Vec<Document> = done.into_iter().flat_map(|(_, docs)| docs).collect();
    lookup
        .with_same_labels(documents)
        .ok()
        .map(|p| p.with_suggest_settings(settings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::project::{parse_project_sequential, tests::proptests::arb_project};
    use crate::io::write_project;
    use proptest::prelude::*;

    fn ron(p: &Project) -> String {
        let mut buf = Vec::new();
        write_project(p, &mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    /// Parallel equals sequential, and the parallel path was really taken.
    fn same(source: &str, expected_docs: usize) {
        let path = Path::new("t.ron");
        let split = split(source).expect("the scan follows this file");
        assert_eq!(
            split.documents.len(),
            expected_docs,
            "{:?}",
            split.documents
        );
        for threads in [1, 2, 3, 8] {
            let par = parse_parallel(source, path, threads).expect("parallel parse");
            assert_eq!(par, parse_project_sequential(source, path).unwrap());
        }
    }

    const LABELS: &str = r##"version: 1,
  labels: [
    (name: "A\")", color: "#e69f00", key: Some('"')),
    (name: r#"B"],("#, color: "#56b4e9", key: Some('\'')),
    (name: "C", color: "#009e73", key: Some('(')),
    (name: "D", color: "#f0e442", key: Some('\\')),
  ],"##;

    #[test]
    fn tricky_strings_comments_and_layout() {
        let src = format!(
            r##"// a comment with "quotes" and ), [
(
  {LABELS}
  documents: [ // ( unbalanced in a comment
    (name: "one", text: "a \"), (\" b \\", spans: [(start: 0, end: 1, label: "A\")")]),
    (
      name: r#"two "), ( "#,
      text: r"raw \ text ]",
      spans: [(start: 1, end: 3, label: r#"B"],("#)],
    ), // "
    (name: "three", status: done, text: "東京 'x' // not a comment", spans: []),
    DocumentIn(name: "four", text: "", ),
  ],
)
"##
        );
        same(&src, 4);
    }

    #[test]
    fn documents_before_labels_and_empty_list() {
        let src = format!("(documents: [(name: \"x\", text: \"y\")], {LABELS})");
        same(&src, 1);
        let src = format!("({LABELS} documents: [])");
        same(&src, 0);
        let src = format!("({LABELS} documents: [ (name: \"x\", text: \"y\") , ] )");
        same(&src, 1);
    }

    /// What the scan does not follow exactly, it leaves to the whole-file parse.
    #[test]
    fn unsure_layouts_fall_back() {
        for src in [
            format!("({LABELS} documents: [/* c */ (name: \"x\", text: \"y\")])"),
            format!("#![enable(implicit_some)]\n({LABELS} documents: [])"),
            format!("({LABELS} documents: [], documents: [])"),
            format!("({LABELS} documents: [(name: \"x\", text: \"y\"),, ])"),
            format!("({LABELS} documents: [(name: \"x\", text: \"unterminated)])"),
            format!("({LABELS} documents: Some([]))"),
            format!("({LABELS} documents: [(name: x, text: \"y\")]"),
            format!("({LABELS} nöt: 1, documents: [])"),
            format!("({LABELS} documents: [(name: \"x\", text: \"y\", z: [[[[[[[[]]]]]]]])])"),
        ] {
            assert!(split(&src).is_none(), "{src}");
        }
        // A part that does not parse sends the file to the whole parse, whose error has
        // the file's own line and column.
        let src = format!("({LABELS}\n documents: [\n(name: \"x\", text: \"y\"),\n(name: 7)])");
        assert!(split(&src).is_some());
        assert!(parse_parallel(&src, Path::new("t.ron"), 2).is_none());
        let e = crate::io::parse_project(&src, Path::new("t.ron"))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("t.ron:10:"), "{e}");
    }

    #[test]
    fn synthetic_projects() {
        for seed in 0..3 {
            let p = crate::synth::project(200_000, 10_000, seed);
            let src = ron(&p);
            same(&src, p.documents().len());
            assert_eq!(parse_parallel(&src, Path::new("t.ron"), 2).unwrap(), p);
        }
    }

    /// A change to a file's layout (or to its bytes).
    #[derive(Clone, Debug)]
    enum Mutation {
        /// At the start of line `k` (the writer puts raw newlines only between tokens):
        /// blanks, a line comment with brackets and quotes in it, or a trailing comma.
        AtLine(usize, &'static str),
        /// A block comment at the start of line `k`: valid, but not followed by the scan.
        Block(usize),
        /// Document `k`'s name as a raw string.
        RawName(usize),
        /// Document `k` twice (a duplicate name: no project).
        Twice(usize),
        /// A char inserted at char `k` anywhere, a string's inside included.
        Insert(usize, char),
        /// Chars `k..k + n` removed.
        Cut(usize, usize),
    }

    fn arb_mutation() -> impl Strategy<Value = Mutation> {
        let at_line = prop_oneof![
            Just("  \t"),
            Just("// a ), ( \"quoted\" ] [ comment\n"),
            Just("\r\n"),
            Just("// documents: [\n"),
        ];
        prop_oneof![
            6 => (any::<usize>(), at_line).prop_map(|(k, s)| Mutation::AtLine(k, s)),
            1 => any::<usize>().prop_map(Mutation::Block),
            2 => any::<usize>().prop_map(Mutation::RawName),
            1 => any::<usize>().prop_map(Mutation::Twice),
            2 => (any::<usize>(), prop::sample::select(vec!['(', ')', '[', ']', ',', '"', '\'', '/', '*', '#', '\\', 'r', ':', '\n', 'é']))
                .prop_map(|(k, c)| Mutation::Insert(k, c)),
            1 => (any::<usize>(), 1usize..6).prop_map(|(k, n)| Mutation::Cut(k, n)),
        ]
    }

    /// `src` changed by `m`; whether the result must still be the same project.
    fn mutate(src: &str, project: &Project, m: &Mutation) -> (String, bool) {
        let lines: Vec<usize> = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .filter(|&i| i < src.len())
            .collect();
        let line = |k: usize| lines[k % lines.len()];
        let chars: Vec<usize> = src
            .char_indices()
            .map(|(i, _)| i)
            .chain([src.len()])
            .collect();
        let splice = |at: usize, what: &str| format!("{}{what}{}", &src[..at], &src[at..]);
        match *m {
            Mutation::AtLine(k, what) => (splice(line(k), what), !what.starts_with(',')),
            Mutation::Block(k) => (splice(line(k), "/* ] ( */ "), true),
            Mutation::RawName(k) => {
                let docs = project.documents();
                if docs.is_empty() {
                    return (src.to_string(), true);
                }
                let d = &docs[k % docs.len()];
                let quoted = format!("name: {:?},", d.name);
                match src.find(&quoted) {
                    // A name with `"#` in it cannot be `r#"…"#`; one with escapes reads
                    // differently raw: left alone.
                    Some(at)
                        if !d.name.contains('"')
                            && !d.name.contains('\\')
                            && !quoted.contains("\\") =>
                    {
                        let raw = format!("name: r#\"{}\"#,", d.name);
                        (
                            format!("{}{raw}{}", &src[..at], &src[at + quoted.len()..]),
                            true,
                        )
                    }
                    _ => (src.to_string(), true),
                }
            }
            Mutation::Twice(k) => {
                // Each document starts on a line that opens with 4 spaces and `(`.
                let starts: Vec<usize> =
                    src.match_indices("\n    (\n").map(|(i, _)| i + 1).collect();
                if starts.is_empty() {
                    return (src.to_string(), true);
                }
                let i = k % starts.len();
                let end = starts.get(i + 1).copied().unwrap_or_else(|| {
                    src[starts[i]..]
                        .find("\n  ]")
                        .map_or(src.len(), |e| starts[i] + e + 1)
                });
                let doc = &src[starts[i]..end];
                (format!("{}{doc}{}", &src[..end], &src[end..]), false)
            }
            Mutation::Insert(k, c) => {
                let at = chars[k % chars.len()];
                (splice(at, &c.to_string()), false)
            }
            Mutation::Cut(k, n) => {
                let from = k % chars.len();
                let to = (from + n).min(chars.len() - 1);
                (
                    format!("{}{}", &src[..chars[from]], &src[chars[to]..]),
                    false,
                )
            }
        }
    }

    proptest! {
        #[test]
        fn parallel_equals_sequential(project in arb_project(), threads in 1usize..5) {
            let src = ron(&project);
            let got = parse_parallel(&src, Path::new("p.ron"), threads);
            prop_assert_eq!(got.as_ref(), Some(&project));
        }

        /// Files laid out otherwise than the writer does, or broken: the parallel parse
        /// gives exactly what the whole-file parse gives, or leaves the file to it; it
        /// never accepts a file the whole parse refuses. Layout changes that keep the
        /// project keep it, parsed in parallel where the scan follows them.
        #[test]
        fn mutated_layouts_parse_as_the_whole_file_does(
            project in arb_project(),
            mutations in proptest::collection::vec(arb_mutation(), 1..4),
            threads in 1usize..4,
        ) {
            let mut src = ron(&project);
            let mut same_project = true;
            let mut followed = true;
            for m in &mutations {
                let (next, keeps) = mutate(&src, &project, m);
                src = next;
                same_project &= keeps;
                followed &= !matches!(m, Mutation::Block(_));
            }
            let path = Path::new("p.ron");
            let whole = parse_project_sequential(&src, path);
            let par = parse_parallel(&src, path, threads);
            match (&par, &whole) {
                (Some(p), Ok(w)) => prop_assert_eq!(p, w),
                (Some(_), Err(e)) => prop_assert!(false, "parallel accepted what the whole parse refuses: {}", e),
                (None, _) => {}
            }
            if same_project {
                prop_assert_eq!(whole.as_ref().ok(), Some(&project), "{}", src);
                if followed {
                    prop_assert_eq!(par.as_ref(), Some(&project), "the scan gave up on {}", src);
                }
            }
        }
    }
}
