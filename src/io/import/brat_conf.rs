//! brat's `annotation.conf`: the entity types (spanmark's labels) and the relation types
//! with the entity types allowed at each end, read as brat's own parser
//! (`server/src/projectconfig.py`) reads them. Events and attributes are not spanmark's
//! and are passed over.

/// A relation type as declared: `NAME Arg1:A|B, Arg2:C`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ConfRelation {
    /// 1-based line in the file.
    pub line: usize,
    /// The type's name.
    pub name: String,
    /// The entity types allowed at `Arg1` (where the relation starts).
    pub from: Vec<String>,
    /// The entity types allowed at `Arg2` (where it points).
    pub to: Vec<String>,
}

/// What spanmark takes from an `annotation.conf`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Conf {
    /// Entity types in order, each with its 1-based line (abstract `!` types left out:
    /// nothing can be annotated with them).
    pub entities: Vec<(usize, String)>,
    /// Relation types in order (brat's `<OVERLAP>` rules left out).
    pub relations: Vec<ConfRelation>,
}

impl Conf {
    /// Whether the file declares entity type `name`.
    pub fn has_entity(&self, name: &str) -> bool {
        self.entities.iter().any(|(_, e)| e == name)
    }

    /// Whether the file declares relation type `name`.
    pub fn has_relation(&self, name: &str) -> bool {
        self.relations.iter().any(|r| r.name == name)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Entities,
    Relations,
    Other,
}

/// Parses an `annotation.conf`; an error is the 1-based line and what is wrong there.
pub(super) fn parse(source: &str) -> Result<Conf, (usize, String)> {
    let mut conf = Conf::default();
    let mut section = Section::Other;
    // Macros (`<NAME>=value`) hold within their section, as in brat.
    let mut macros: Vec<(String, String)> = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let n = i + 1;
        let trimmed = raw.trim();
        if let Some(name) = trimmed.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
            section = match name.trim() {
                "entities" | "spans" => Section::Entities,
                "relations" => Section::Relations,
                _ => Section::Other,
            };
            macros.clear();
            continue;
        }
        // Blank lines, comments and separator lines (only hyphens) mean nothing here.
        if section == Section::Other
            || trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.chars().all(|c| c == '-')
        {
            continue;
        }
        if let Some((name, value)) = macro_definition(trimmed) {
            macros.push((name, value));
            continue;
        }
        let mut line = trimmed.to_string();
        for (name, value) in &macros {
            line = line.replace(name.as_str(), value);
        }
        let (terms, args) = match line.split_once(char::is_whitespace) {
            Some((t, a)) => (t, a.trim()),
            None => (line.as_str(), ""),
        };
        // `NAME | Display name | Short`: the first term is the one stored in .ann files.
        let Some(name) = terms.split('|').map(str::trim).find(|t| !t.is_empty()) else {
            return Err((n, format!("no type name in {raw:?}")));
        };
        match section {
            Section::Entities => {
                if !name.starts_with('!') {
                    conf.entities.push((n, name.to_string()));
                }
            }
            Section::Relations => {
                if name.starts_with('<') || name == "ENTITY-NESTING" {
                    continue;
                }
                let (from, to) = relation_args(name, args).map_err(|e| (n, e))?;
                conf.relations.push(ConfRelation {
                    line: n,
                    name: name.to_string(),
                    from,
                    to,
                });
            }
            Section::Other => {}
        }
    }
    // `<ENTITY>` and `<ANY>` stand for every entity type, wherever they are declared.
    let all: Vec<String> = conf.entities.iter().map(|(_, e)| e.clone()).collect();
    for r in &mut conf.relations {
        for types in [&mut r.from, &mut r.to] {
            if types.iter().any(|t| t == "<ENTITY>" || t == "<ANY>") {
                types.retain(|t| !t.starts_with('<'));
                for e in &all {
                    if !types.contains(e) {
                        types.push(e.clone());
                    }
                }
            }
            types.retain(|t| !t.starts_with('<'));
        }
    }
    Ok(conf)
}

/// `<NAME>=value` as (`<NAME>`, value).
fn macro_definition(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix('<')?;
    let (name, value) = rest.split_once(">=")?;
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    ok.then(|| (format!("<{name}>"), value.trim().to_string()))
}

/// The entity types of `Arg1` and `Arg2` in `Arg1:A|B, Arg2:C[, <REL-TYPE>:...]`. Roles
/// other than `Arg1` and `Arg2` stand in order for them, as brat reads relations
/// positionally; repetition marks (`Arg1?`) are dropped.
fn relation_args(name: &str, args: &str) -> Result<(Vec<String>, Vec<String>), String> {
    let mut roles: Vec<(String, Vec<String>)> = Vec::new();
    for arg in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        // As brat's `^(\S*?):(\S*)$`: one ROLE:TYPES word.
        let parts = arg
            .split_once(':')
            .filter(|_| !arg.contains(char::is_whitespace));
        let Some((role, types)) = parts else {
            return Err(format!(
                "relation type {name}: argument {arg:?} is not ROLE:TYPE"
            ));
        };
        if role.starts_with('<') {
            continue; // <REL-TYPE>, <OVL-TYPE>, <NORM>: not spanmark's
        }
        let role = role.trim_end_matches(['?', '*', '+']);
        let role = role.split('{').next().unwrap_or(role);
        let types: Vec<String> = types
            .split('|')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if types.is_empty() {
            return Err(format!(
                "relation type {name}: argument {role} allows no entity type"
            ));
        }
        roles.push((role.to_string(), types));
    }
    let take = |role: &str, fallback: usize| {
        roles
            .iter()
            .find(|(r, _)| r == role)
            .or_else(|| roles.get(fallback))
            .map(|(_, t)| t.clone())
    };
    match (take("Arg1", 0), take("Arg2", 1)) {
        (Some(from), Some(to)) if roles.len() == 2 => Ok((from, to)),
        _ => Err(format!(
            "relation type {name}: expected two arguments, `Arg1:TYPE, Arg2:TYPE`"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brats_syntax() {
        let conf = parse(
            "# comment\n[entities]\nPERSON\nORG | Organisation\n!Abstract\n  QUOTE\n----\n\
             [relations]\n<PEOPLE>=PERSON|ORG\nSPEAKER Arg1:QUOTE, Arg2:<PEOPLE>\n\
             Any\tArg1:<ENTITY>, Arg2:QUOTE, <REL-TYPE>:symmetric-transitive\n\
             <OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\
             [events]\nSay Agent:PERSON\n[attributes]\nNeg Arg:<EVENT>\n",
        )
        .unwrap();
        let names: Vec<&str> = conf.entities.iter().map(|(_, e)| e.as_str()).collect();
        assert_eq!(names, ["PERSON", "ORG", "QUOTE"]);
        assert_eq!(conf.entities[2].0, 6);
        assert_eq!(
            conf.relations,
            [
                ConfRelation {
                    line: 10,
                    name: "SPEAKER".into(),
                    from: vec!["QUOTE".into()],
                    to: vec!["PERSON".into(), "ORG".into()],
                },
                ConfRelation {
                    line: 11,
                    name: "Any".into(),
                    from: vec!["PERSON".into(), "ORG".into(), "QUOTE".into()],
                    to: vec!["QUOTE".into()],
                },
            ]
        );
        // Roles named otherwise stand in order; a missing argument is an error.
        let c = parse("[relations]\nR From:A, To+:B\n").unwrap();
        assert_eq!(
            (c.relations[0].from.clone(), c.relations[0].to.clone()),
            (vec!["A".into()], vec!["B".into()])
        );
        for bad in [
            "R Arg1:A",
            "R",
            "R Arg1:A, Arg2:",
            "R Arg1 A, Arg2:B",
            "R Arg1:A, Arg2:B, Arg3:C",
        ] {
            let e = parse(&format!("[entities]\nA\n[relations]\n{bad}\n")).unwrap_err();
            assert_eq!(e.0, 4, "{bad}: {e:?}");
        }
    }
}
