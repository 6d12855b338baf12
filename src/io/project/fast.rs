//! A reader for one document in exactly the layout `write.rs` writes (name, status, an
//! optional split index, text, spans, and nothing else), several times faster than ron
//! on it. It accepts only a strict subset of RON: ASCII whitespace between tokens, the
//! fields in the written order, plain decimal numbers, strings whose escapes are ron's
//! own (`\\ \" \' \n \r \t \0 \u{…}`). Anything else (comments, a struct name, other
//! fields or orders, raw strings, other number forms) returns `None` and the caller
//! parses the document with ron, so what it reads, it reads as ron does (a property test
//! in `tests/` mutates written files to check that).

use super::file::{DocumentIn, SpanIn, StatusFile};

/// `src` (one element of the documents list) read as a document, or `None` when it is
/// not in the written layout.
pub(crate) fn document(src: &str) -> Option<DocumentIn> {
    let mut c = Cursor { s: src, i: 0 };
    c.expect(b'(')?;
    c.field("name")?;
    let name = c.string()?;
    c.expect(b',')?;
    let mut next = c.ident()?;
    let mut status = StatusFile::default();
    if next == "status" {
        c.expect(b':')?;
        status = match c.ident()? {
            "todo" => StatusFile::Todo,
            "in_progress" => StatusFile::InProgress,
            "done" => StatusFile::Done,
            _ => return None,
        };
        c.expect(b',')?;
        next = c.ident()?;
    }
    let mut split_index = None;
    if next == "split_index" {
        c.expect(b':')?;
        match c.ident()? {
            "None" => {}
            // Exactly `Some(`: nothing between the two.
            "Some" if c.bytes().get(c.i) == Some(&b'(') => {
                c.i += 1;
                split_index = Some(c.number()?);
                c.expect(b')')?;
            }
            _ => return None,
        }
        c.expect(b',')?;
        next = c.ident()?;
    }
    if next != "text" {
        return None;
    }
    c.expect(b':')?;
    let text = c.string()?;
    let mut spans = Vec::new();
    if c.comma() && c.peek() == Some(b's') {
        c.field("spans")?;
        c.expect(b'[')?;
        loop {
            if c.peek()? == b']' {
                break;
            }
            spans.push(c.span()?);
            if !c.comma() {
                break;
            }
        }
        c.expect(b']')?;
        c.comma();
    }
    c.expect(b')')?;
    c.ws();
    if c.i != src.len() {
        return None;
    }
    Some(DocumentIn {
        name,
        status,
        split_index,
        text,
        spans,
        relations: Vec::new(),
        rejected: Vec::new(),
        rejected_relations: Vec::new(),
        disagreements: Vec::new(),
    })
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// Past ASCII whitespace (ron's other whitespace, and comments, are not followed).
    fn ws(&mut self) {
        let b = self.bytes();
        while self.i < b.len() && matches!(b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    /// The next byte after whitespace.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.i).copied()
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// An optional `,`; whether there was one.
    fn comma(&mut self) -> bool {
        let there = self.peek() == Some(b',');
        if there {
            self.i += 1;
        }
        there
    }

    /// An ASCII identifier.
    fn ident(&mut self) -> Option<&'a str> {
        self.ws();
        let b = self.bytes();
        let start = self.i;
        if !b.get(start)?.is_ascii_alphabetic() {
            return None;
        }
        let len = b[start..]
            .iter()
            .take_while(|x| x.is_ascii_alphanumeric() || **x == b'_')
            .count();
        self.i += len;
        Some(&self.s[start..self.i])
    }

    /// `name:`.
    fn field(&mut self, name: &str) -> Option<()> {
        (self.ident()? == name).then_some(())?;
        self.expect(b':')
    }

    /// A plain decimal number: no sign, no leading zero, no `_`, no other base.
    fn number(&mut self) -> Option<usize> {
        self.ws();
        let b = self.bytes();
        let start = self.i;
        let len = b[start..].iter().take_while(|x| x.is_ascii_digit()).count();
        if len == 0 || (len > 1 && b[start] == b'0') {
            return None;
        }
        // A number runs into no identifier, `.` or `_`.
        if b.get(start + len)
            .is_some_and(|x| x.is_ascii_alphanumeric() || *x == b'_' || *x == b'.')
        {
            return None;
        }
        self.i += len;
        self.s[start..self.i].parse().ok()
    }

    /// `(start: N, end: N, label: "…"[, note: "…"][,])`.
    fn span(&mut self) -> Option<SpanIn> {
        self.expect(b'(')?;
        self.field("start")?;
        let start = self.number()?;
        self.expect(b',')?;
        self.field("end")?;
        let end = self.number()?;
        self.expect(b',')?;
        self.field("label")?;
        let label = self.string()?;
        let mut note = String::new();
        if self.comma() && self.peek()? == b'n' {
            self.field("note")?;
            note = self.string()?;
            self.comma();
        }
        self.expect(b')')?;
        Some(SpanIn {
            start,
            end,
            label,
            note,
        })
    }

    /// A `"…"` string with ron's escapes; no raw control characters.
    fn string(&mut self) -> Option<String> {
        self.expect(b'"')?;
        let b = self.bytes();
        // Sized to the raw string, which escapes only shorten: the text is kept as read,
        // so a grown buffer's slack would stay for the whole session.
        let mut raw = self.i;
        while raw < b.len() && b[raw] != b'"' {
            raw += if b[raw] == b'\\' { 2 } else { 1 };
        }
        let mut out = String::with_capacity(raw.min(b.len()) - self.i);
        loop {
            // The run up to the next quote, backslash or control character.
            let run = b[self.i..]
                .iter()
                .position(|&x| x == b'"' || x == b'\\' || x < 0x20)?;
            out.push_str(&self.s[self.i..self.i + run]);
            self.i += run;
            match b[self.i] {
                b'"' => {
                    self.i += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *b.get(self.i + 1)?;
                    self.i += 2;
                    out.push(match e {
                        b'\\' => '\\',
                        b'"' => '"',
                        b'\'' => '\'',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'0' => '\0',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => return None,
            }
        }
    }

    /// The `{HEX}` of a `\u{HEX}` escape: 1 to 6 hex digits naming a char.
    fn unicode_escape(&mut self) -> Option<char> {
        let b = self.bytes();
        if b.get(self.i) != Some(&b'{') {
            return None;
        }
        let start = self.i + 1;
        let len = b[start..]
            .iter()
            .take(7)
            .take_while(|x| x.is_ascii_hexdigit())
            .count();
        if !(1..=6).contains(&len) || b.get(start + len) != Some(&b'}') {
            return None;
        }
        let value = u32::from_str_radix(&self.s[start..start + len], 16).ok()?;
        self.i = start + len + 1;
        char::from_u32(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::project::tests::proptests::arb_project;
    use crate::io::project::{ron_options, split::split};
    use crate::io::write_project;
    use crate::model::Project;
    use proptest::prelude::*;

    type Summary = (
        String,
        u8,
        Option<usize>,
        String,
        Vec<(usize, usize, String, String)>,
        usize,
    );

    /// Everything a document read holds (the other lists by count: the fast reader
    /// leaves them empty).
    fn summary(d: &DocumentIn) -> Summary {
        let spans = d.spans.iter();
        (
            d.name.clone(),
            d.status as u8,
            d.split_index,
            d.text.clone(),
            spans
                .map(|s| (s.start, s.end, s.label.clone(), s.note.clone()))
                .collect(),
            d.relations.len()
                + d.rejected.len()
                + d.rejected_relations.len()
                + d.disagreements.len(),
        )
    }

    /// The documents of a project's file, as the parallel parse cuts them.
    fn parts(p: &Project) -> Vec<String> {
        let mut buf = Vec::new();
        write_project(p, &mut buf).unwrap();
        let source = String::from_utf8(buf).unwrap();
        let split = split(&source).expect("a written file splits");
        split.documents.iter().map(|s| s.to_string()).collect()
    }

    fn ron_read(part: &str) -> Option<DocumentIn> {
        ron_options().from_str(part).ok()
    }

    /// Whatever the fast reader reads, ron reads the same; it reads nothing ron refuses.
    fn agrees(part: &str) -> Result<(), TestCaseError> {
        if let Some(fast) = document(part) {
            let ron = ron_read(part);
            prop_assert!(ron.is_some(), "read what ron refuses: {:?}", part);
            prop_assert_eq!(summary(&fast), summary(&ron.unwrap()), "{:?}", part);
        }
        Ok(())
    }

    /// What a mutation inserts: tokens, whitespace ron knows and the fast reader does
    /// not, escapes, comments, number forms.
    const INSERTS: &[&str] = &[
        " ",
        "\n",
        "\t",
        "\r",
        ",",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "\\",
        "\\x41",
        "\\u{1F600}",
        "\\u{110000}",
        "\\u{}",
        "0",
        "1",
        "_",
        "-",
        "+",
        ".5",
        "e",
        "a",
        "//c\n",
        "/*c*/",
        "\u{2028}",
        "\u{85}",
        "Some",
        "None",
        "r#",
        "#",
        "'",
        ":",
        "note: \"n\"",
        "status: done,",
        "in_progress",
        "\u{1}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Every document as written is read by the fast reader (unless it has lists
        /// the reader leaves to ron), exactly as ron reads it.
        #[test]
        fn written_documents_read_as_ron_reads_them(p in arb_project()) {
            for part in parts(&p) {
                let ron = ron_read(&part).expect("ron reads what was written");
                if summary(&ron).5 == 0 {
                    prop_assert!(document(&part).is_some(), "not read: {:?}", part);
                }
                agrees(&part)?;
            }
        }

        /// Mutated layouts: the fast reader either gives up or reads what ron reads.
        #[test]
        fn mutated_layouts_read_as_ron_reads_them(
            p in arb_project(),
            edits in proptest::collection::vec(
                (any::<prop::sample::Index>(), 0..INSERTS.len() + 3), 1..4),
        ) {
            for part in parts(&p) {
                let mut s = part.clone();
                for (at, what) in &edits {
                    let mut i = at.index(s.len() + 1);
                    while !s.is_char_boundary(i) {
                        i -= 1;
                    }
                    match INSERTS.get(*what) {
                        Some(ins) => s.insert_str(i, ins),
                        // Deleting a char.
                        None => {
                            if let Some(c) = s[i..].chars().next() {
                                s.replace_range(i..i + c.len_utf8(), "");
                            }
                        }
                    }
                }
                agrees(&s)?;
            }
        }
    }

    #[test]
    fn what_it_leaves_to_ron() {
        let ok = "(name: \"d\", status: todo, text: \"a\\u{301}\\n\", spans: [(start: 0, end: 1, label: \"X\")])";
        let d = document(ok).expect("the written layout");
        assert_eq!(d.text, "a\u{301}\n");
        for bad in [
            "(name: \"d\", status: todo, text: \"a\" spans: [])",
            "(name: \"d\", status: todo, split_index: Some (1), text: \"a\")",
            "(name: \"d\", status: todo, text: \"a\", spans: [(start: 01, end: 2, label: \"X\")])",
            "(name: \"d\", status: todo, text: \"a\", spans: [(start: 1_0, end: 20, label: \"X\")])",
            "(name: \"d\", status: todo, text: \"\\x41\")",
            "(name: \"d\", status: todo, text: \"a\", relations: [])",
            "(name: \"d\", text: \"a\", status: todo)",
            "Document(name: \"d\", status: todo, text: \"a\")",
            "(name: \"d\", status: todo, text: \"a\") // end",
        ] {
            assert!(document(bad).is_none(), "{bad}");
        }
    }
}
