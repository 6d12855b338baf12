//! Label mapping: what the labels an external command prints become in the project.
//!
//! A model seldom speaks the project's labels: spaCy's pipelines say GPE, LOC or FAC
//! where the project says PLACE, CoNLL-trained ones PER. A [`LabelMap`] holds the user's
//! choices (a label to a project label, or dropped); where it says nothing, the built-in
//! defaults ([`DEFAULTS`]) apply, but only where the project has the target label and
//! lacks the source label. Plain data: saved in the project as part of its suggestion
//! settings (the command line never is).

use std::collections::BTreeMap;

/// The built-in defaults: spaCy/OntoNotes (PERSON, GPE, LOC, FAC, ORG, DATE) and CoNLL
/// (PER, LOC, ORG). Every other label (NORP, MISC, CARDINAL…) stays unmapped.
/// Identity pairs are listed for completeness; they never apply, as a project lacking
/// the source lacks the target too.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("PERSON", "PERSON"),
    ("PER", "PERSON"),
    ("GPE", "PLACE"),
    ("LOC", "PLACE"),
    ("FAC", "PLACE"),
    ("ORG", "ORG"),
    ("DATE", "DATE"),
];

/// The most entries a map holds: far more than any model's label set, small enough that
/// a hostile `--map` list or project file costs nothing.
pub const MAX_ENTRIES: usize = 1000;

/// The longest label name a map entry takes, in chars.
pub const MAX_NAME: usize = 200;

/// What one of the command's labels becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mapped<'a> {
    /// This project label (the same name when the project has it).
    Label(&'a str),
    /// Dropped on purpose (a `FROM=` entry).
    Dropped,
    /// The project lacks it and nothing maps it: counted, never applied.
    Unmapped,
}

/// Why a map entry was refused. The message names the entry as typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{entry}: {message}")]
pub struct MapError {
    /// The entry, shortened if long.
    pub entry: String,
    /// What is wrong with it.
    pub message: String,
}

/// The user's label choices: a command's label name to a project label name, or `None`
/// to drop it. Sorted by name, so a saved map does not depend on the order it was made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LabelMap {
    entries: BTreeMap<String, Option<String>>,
}

impl LabelMap {
    /// An empty map: only the defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// No user choices.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The user's choices, sorted by the command's label name.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }

    /// The user's choice for `from`, if any (`Some(None)`: dropped).
    pub fn get(&self, from: &str) -> Option<Option<&str>> {
        self.entries.get(from).map(Option::as_deref)
    }

    /// Sets (replacing) the choice for `from`.
    pub fn set(&mut self, from: impl Into<String>, to: Option<String>) {
        self.entries.insert(from.into(), to);
    }

    /// Forgets the choice for `from` (the defaults apply again).
    pub fn unset(&mut self, from: &str) {
        self.entries.remove(from);
    }

    /// What `label` becomes in a project that has the labels `has` says yes to: the
    /// user's choice first (one naming a label the project no longer has is unmapped),
    /// then the label itself if the project has it, then the built-in default if the
    /// project has its target.
    pub fn resolve<'a>(&'a self, label: &'a str, has: impl Fn(&str) -> bool) -> Mapped<'a> {
        match self.entries.get(label) {
            Some(Some(to)) if has(to) => return Mapped::Label(to),
            Some(Some(_)) => return Mapped::Unmapped,
            Some(None) => return Mapped::Dropped,
            None => {}
        }
        if has(label) {
            return Mapped::Label(label);
        }
        match default_target(label) {
            Some(to) if has(to) => Mapped::Label(to),
            _ => Mapped::Unmapped,
        }
    }

    /// Reads `FROM=TO` / `FROM=` entries (as `--map` takes them) against a project that
    /// has the labels `has` says yes to. Refused: no `=`, an empty or over-long name, a
    /// `FROM` given twice, a `TO` the project lacks, more than [`MAX_ENTRIES`] entries.
    pub fn parse_entries<S: AsRef<str>>(
        items: &[S],
        has: impl Fn(&str) -> bool,
    ) -> Result<Self, MapError> {
        let mut map = Self::new();
        if items.len() > MAX_ENTRIES {
            return Err(MapError {
                entry: format!("{} entries", items.len()),
                message: format!("at most {MAX_ENTRIES} labels can be mapped"),
            });
        }
        for item in items {
            let item = item.as_ref();
            let (from, to) = parse_entry(item)?;
            let fail = |message: String| MapError {
                entry: shown(item),
                message,
            };
            if let Some(to) = &to
                && !has(to)
            {
                return Err(fail(format!(
                    "the project has no label {to:?} (map to one of its labels, or drop \
                     the label with {}=)",
                    shown(&from)
                )));
            }
            if map.entries.contains_key(&from) {
                return Err(fail(format!(
                    "{} is mapped twice; give each label once",
                    shown(&from)
                )));
            }
            map.entries.insert(from, to);
        }
        Ok(map)
    }
}

/// The built-in default target of `label`, if it has one.
pub fn default_target(label: &str) -> Option<&'static str> {
    DEFAULTS
        .iter()
        .find(|(from, _)| *from == label)
        .map(|&(_, to)| to)
}

/// One `FROM=TO` or `FROM=` entry, checked for shape only.
fn parse_entry(item: &str) -> Result<(String, Option<String>), MapError> {
    let fail = |message: &str| MapError {
        entry: shown(item),
        message: message.to_string(),
    };
    let Some((from, to)) = item.split_once('=') else {
        return Err(fail(
            "expected FROM=TO (map a label) or FROM= (drop it), e.g. GPE=PLACE",
        ));
    };
    let (from, to) = (from.trim(), to.trim());
    if from.is_empty() {
        return Err(fail("the label before = is missing (expected FROM=TO)"));
    }
    if to.contains('=') {
        return Err(fail("more than one = (expected FROM=TO)"));
    }
    for name in [from, to] {
        if name.chars().count() > MAX_NAME {
            return Err(fail(&format!(
                "a label name is longer than {MAX_NAME} characters"
            )));
        }
        if name.chars().any(char::is_control) {
            return Err(fail("a label name holds a control character"));
        }
    }
    Ok((from.to_string(), (!to.is_empty()).then(|| to.to_string())))
}

/// An entry as an error message shows it: at most 60 chars, quoted.
fn shown(s: &str) -> String {
    let short: String = s.chars().take(60).collect();
    if short.len() < s.len() {
        format!("{short:?}…")
    } else {
        format!("{short:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &[&str] = &["PERSON", "PLACE", "ORG", "DATE", "QUOTE"];

    fn has(name: &str) -> bool {
        PROJECT.contains(&name)
    }

    #[test]
    fn defaults_map_spacy_and_conll_labels_the_project_lacks() {
        let map = LabelMap::new();
        for (from, to) in [
            ("GPE", "PLACE"),
            ("LOC", "PLACE"),
            ("FAC", "PLACE"),
            ("PER", "PERSON"),
            ("PERSON", "PERSON"),
            ("ORG", "ORG"),
            ("DATE", "DATE"),
        ] {
            assert_eq!(map.resolve(from, has), Mapped::Label(to), "{from}");
        }
        for other in ["MISC", "NORP", "CARDINAL", "gpe", ""] {
            assert_eq!(map.resolve(other, has), Mapped::Unmapped, "{other}");
        }
    }

    #[test]
    fn defaults_apply_only_where_the_target_exists_and_the_source_does_not() {
        let map = LabelMap::new();
        // A project with its own GPE label keeps it.
        let with_gpe = |n: &str| n == "GPE" || n == "PLACE";
        assert_eq!(map.resolve("GPE", with_gpe), Mapped::Label("GPE"));
        // A project without PLACE gets nothing for LOC.
        let no_place = |n: &str| n == "PERSON";
        assert_eq!(map.resolve("LOC", no_place), Mapped::Unmapped);
        assert_eq!(map.resolve("PER", no_place), Mapped::Label("PERSON"));
    }

    #[test]
    fn the_users_choices_come_first() {
        let mut map = LabelMap::new();
        map.set("GPE", None);
        map.set("NORP", Some("ORG".into()));
        map.set("PERSON", Some("ORG".into()));
        map.set("MISC", Some("GONE".into()));
        assert_eq!(map.resolve("GPE", has), Mapped::Dropped);
        assert_eq!(map.resolve("NORP", has), Mapped::Label("ORG"));
        assert_eq!(map.resolve("PERSON", has), Mapped::Label("ORG"));
        // A choice naming a label since deleted maps nothing.
        assert_eq!(map.resolve("MISC", has), Mapped::Unmapped);
        // The others still take the defaults.
        assert_eq!(map.resolve("LOC", has), Mapped::Label("PLACE"));
        map.unset("GPE");
        assert_eq!(map.resolve("GPE", has), Mapped::Label("PLACE"));
        let names: Vec<_> = map.entries().map(|(f, _)| f).collect();
        assert_eq!(names, ["MISC", "NORP", "PERSON"]);
    }

    #[test]
    fn entries_parse_and_drop() {
        let map = LabelMap::parse_entries(&["NORP=ORG", " MISC = ", "GPE=PLACE"], has).unwrap();
        assert_eq!(map.get("NORP"), Some(Some("ORG")));
        assert_eq!(map.get("MISC"), Some(None));
        assert_eq!(map.get("GPE"), Some(Some("PLACE")));
        assert_eq!(map.get("LOC"), None);
        assert!(
            LabelMap::parse_entries::<&str>(&[], has)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn hostile_entries_are_refused_with_the_entry_named() {
        let err = |items: &[&str]| LabelMap::parse_entries(items, has).unwrap_err().to_string();
        assert!(err(&["=PLACE"]).contains("\"=PLACE\": the label before = is missing"));
        assert!(err(&["GPE"]).contains("\"GPE\": expected FROM=TO"));
        assert!(err(&["GPE=PLACE=ORG"]).contains("more than one ="));
        assert!(err(&["GPE=PLACE", "GPE="]).contains("\"GPE=\": \"GPE\" is mapped twice"));
        assert!(err(&["GPE=PLACE", "GPE=PLACE"]).contains("mapped twice"));
        assert!(err(&["GPE=CITY"]).contains("the project has no label \"CITY\""));
        assert!(err(&["A\u{7}=PLACE"]).contains("control character"));
        let long = format!("{}=PLACE", "X".repeat(1 << 20));
        let e = err(&[long.as_str()]);
        assert!(e.contains("longer than 200"), "{e}");
        assert!(e.len() < 400, "the message stays short: {} bytes", e.len());
        let many: Vec<String> = (0..=MAX_ENTRIES).map(|i| format!("L{i}=")).collect();
        let e = LabelMap::parse_entries(&many[..], has)
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 1000 labels"), "{e}");
        let most: Vec<String> = (0..MAX_ENTRIES).map(|i| format!("L{i}=")).collect();
        assert_eq!(
            LabelMap::parse_entries(&most[..], has)
                .unwrap()
                .entries()
                .count(),
            MAX_ENTRIES
        );
    }
}
