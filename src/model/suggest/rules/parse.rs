//! Reading a rule set's text: patterns files (JSON lines: a phrase, a list of token
//! specs, or a regex, each with a label) and dictionaries (`text<TAB>label` lines, or
//! a label for the whole file), into rules whose labels are still names. A bad line is
//! an error naming the file and the line; the limits on regexes and token specs are
//! checked here, before anything is compiled.

use serde_json::Value;

use super::token_patterns::{BoolAttr, Cond, Op, StrAttr, TokenSpec};
use super::{Rule, RuleError};
use crate::model::suggest::{RuleKind, RuleSet};

/// The most distinct regexes one rule set may hold: each is compiled (about 0.2–1 ms
/// and 20–250 KB with Unicode classes), so a file of thousands would stall and take
/// gigabytes. Phrases have no such limit (one automaton holds them all).
pub const MAX_REGEXES: usize = 1000;

/// The most token specs one token pattern may have.
pub const MAX_TOKEN_SPECS: usize = 64;

/// Parses a rule set's text into (line, label name, rule).
pub(super) fn parse(set: &RuleSet) -> Result<Vec<(usize, String, Rule)>, RuleError> {
    let err = |line: usize, message: String| RuleError {
        name: set.name.clone(),
        line,
        message,
    };
    let mut out = Vec::new();
    // Distinct regexes so far: each is checked once, and there may be MAX_REGEXES.
    let mut regexes: std::collections::HashSet<String> = std::collections::HashSet::new();
    let source = set.source.strip_prefix('\u{feff}').unwrap_or(&set.source);
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        match set.kind {
            RuleKind::Dictionary => {
                if l.trim().is_empty() || l.trim_start().starts_with('#') {
                    continue;
                }
                let (text, label) = match l.split_once('\t') {
                    Some((t, lab)) => (t, lab.trim().to_string()),
                    None => match &set.default_label {
                        Some(lab) => (l, lab.clone()),
                        None => {
                            return Err(err(
                                line,
                                "no label: write `text<TAB>label`, or choose a label for \
                                 the whole dictionary"
                                    .into(),
                            ));
                        }
                    },
                };
                let text = text.trim();
                if text.is_empty() || label.is_empty() {
                    return Err(err(line, "empty text or label".into()));
                }
                out.push((line, label, Rule::Phrase(text.to_string())));
            }
            RuleKind::Patterns => {
                if l.trim().is_empty() {
                    continue;
                }
                let v: Value = serde_json::from_str(l)
                    .map_err(|e| err(line, format!("not a JSON object: {e}")))?;
                let (label, rule) = pattern_line(&v).map_err(|m| err(line, m))?;
                if let Rule::Regex(r) = &rule
                    && !regexes.contains(r.as_str())
                {
                    if regexes.len() == MAX_REGEXES {
                        return Err(err(
                            line,
                            format!(
                                "more than {MAX_REGEXES} different regexes in one file; use \
                                 phrase patterns or a dictionary for lists of names"
                            ),
                        ));
                    }
                    check_regex_syntax(r).map_err(|m| err(line, m))?;
                    regexes.insert(r.clone());
                }
                out.push((line, label, rule));
            }
        }
    }
    Ok(out)
}

/// Checks a regex's syntax (LineRegex compiles it, once per distinct regex, for the
/// rules whose label the project has).
fn check_regex_syntax(r: &str) -> Result<(), String> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(r)
        .map(|_| ())
        .map_err(|e| format!("bad regex: {e}"))
}

/// One patterns-file line: its label and rule, or what is wrong with it.
fn pattern_line(v: &Value) -> Result<(String, Rule), String> {
    let obj = v.as_object().ok_or("not a JSON object")?;
    let label = obj
        .get("label")
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())
        .ok_or("no \"label\" (a string)")?
        .to_string();
    match (obj.get("pattern"), obj.get("regex")) {
        (Some(_), Some(_)) => Err("both \"pattern\" and \"regex\": give one".into()),
        (None, None) => Err("no \"pattern\" or \"regex\"".into()),
        (None, Some(r)) => {
            let r = r.as_str().ok_or("\"regex\" must be a string")?;
            // Its syntax is checked by `parse`, once per distinct regex.
            Ok((label, Rule::Regex(r.to_string())))
        }
        (Some(Value::String(p)), None) => {
            if p.trim().is_empty() {
                return Err("empty \"pattern\"".into());
            }
            Ok((label, Rule::Phrase(p.clone())))
        }
        (Some(Value::Array(specs)), None) => {
            if specs.is_empty() {
                return Err("empty \"pattern\" list".into());
            }
            if specs.len() > MAX_TOKEN_SPECS {
                return Err(format!(
                    "{} tokens in one pattern: at most {MAX_TOKEN_SPECS}",
                    specs.len()
                ));
            }
            let specs = specs
                .iter()
                .enumerate()
                .map(|(k, s)| token_spec(s).map_err(|m| format!("token {}: {m}", k + 1)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((label, Rule::Tokens(specs)))
        }
        (Some(_), None) => Err("\"pattern\" must be a string or a list of tokens".into()),
    }
}

fn token_spec(v: &Value) -> Result<TokenSpec, String> {
    let obj = v.as_object().ok_or("a token must be a JSON object")?;
    let mut spec = TokenSpec {
        conds: Vec::new(),
        op: Op::One,
    };
    for (key, value) in obj {
        let str_attr = match key.as_str() {
            "ORTH" | "TEXT" => Some(StrAttr::Orth),
            "LOWER" => Some(StrAttr::Lower),
            "SHAPE" => Some(StrAttr::Shape),
            _ => None,
        };
        let bool_attr = match key.as_str() {
            "IS_DIGIT" => Some(BoolAttr::Digit),
            "IS_ALPHA" => Some(BoolAttr::Alpha),
            "IS_TITLE" => Some(BoolAttr::Title),
            "IS_UPPER" => Some(BoolAttr::Upper),
            "IS_LOWER" => Some(BoolAttr::Lower),
            "IS_PUNCT" => Some(BoolAttr::Punct),
            _ => None,
        };
        if let Some(a) = str_attr {
            spec.conds
                .push(str_cond(a, value).map_err(|m| format!("{key}: {m}"))?);
        } else if let Some(a) = bool_attr {
            let b = value
                .as_bool()
                .ok_or_else(|| format!("{key} must be true or false"))?;
            spec.conds.push(Cond::Is(a, b));
        } else if key == "LENGTH" {
            spec.conds.push(length_cond(value)?);
        } else if key == "OP" {
            spec.op = match value.as_str() {
                Some("?") => Op::Optional,
                Some("*") => Op::Any,
                Some("+") => Op::Plus,
                Some("!") => Op::Not,
                Some("1") => Op::One,
                _ => return Err(format!("OP {value} is not one of ? * + ! 1")),
            };
        } else {
            return Err(format!(
                "attribute {key:?} is not supported (ORTH, TEXT, LOWER, SHAPE, LENGTH, \
                 IS_DIGIT, IS_ALPHA, IS_TITLE, IS_UPPER, IS_LOWER, IS_PUNCT, OP)"
            ));
        }
    }
    Ok(spec)
}

/// `"x"`, `{"IN": [..]}` or `{"NOT_IN": [..]}`.
fn str_cond(a: StrAttr, v: &Value) -> Result<Cond, String> {
    let list = |v: &Value| -> Result<Vec<String>, String> {
        v.as_array()
            .ok_or("IN / NOT_IN takes a list of strings")?
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| "IN / NOT_IN takes a list of strings".to_string())
            })
            .collect()
    };
    match v {
        Value::String(s) => Ok(Cond::In(a, vec![s.clone()])),
        Value::Object(o) if o.len() == 1 => {
            if let Some(l) = o.get("IN") {
                Ok(Cond::In(a, list(l)?))
            } else if let Some(l) = o.get("NOT_IN") {
                Ok(Cond::NotIn(a, list(l)?))
            } else {
                Err("only IN and NOT_IN are supported".into())
            }
        }
        _ => Err("a string, {\"IN\": [...]} or {\"NOT_IN\": [...]}".into()),
    }
}

/// `LENGTH`: a number, or one comparison `{"==" | ">=" | "<=" | ">" | "<" | "!=": n}`.
fn length_cond(v: &Value) -> Result<Cond, String> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let num = |v: &Value| {
        v.as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| "LENGTH takes a whole number".to_string())
    };
    if let Some(o) = v.as_object()
        && o.len() == 1
        && let Some((op, n)) = o.iter().next()
    {
        let n = num(n)?;
        return match op.as_str() {
            "==" => Ok(Cond::Length(Equal, false, n)),
            ">=" => Ok(Cond::Length(Greater, true, n)),
            "<=" => Ok(Cond::Length(Less, true, n)),
            ">" => Ok(Cond::Length(Greater, false, n)),
            "<" => Ok(Cond::Length(Less, false, n)),
            _ => Err(format!("LENGTH comparison {op:?} is not supported")),
        };
    }
    Ok(Cond::Length(Equal, false, num(v)?))
}

#[cfg(test)]
mod tests {
    use crate::model::Project;
    use crate::model::suggest::RuleKind;
    use crate::model::suggest::rules::RuleSetRules;
    use crate::model::suggest::rules::testing::{found, set};

    #[test]
    fn dictionaries_with_and_without_labels() {
        let src = "# places\n\nKabul\tPLACE\nDoha Agreement\tORG\r\n";
        let got = found(RuleKind::Dictionary, src, "Kabul and the Doha Agreement");
        assert_eq!(
            got,
            [
                ("Kabul".into(), "PLACE", 3),
                ("Doha Agreement".into(), "ORG", 4)
            ]
        );
        let p = Project::default();
        let mut s = set(RuleKind::Dictionary, "Kabul\nBagram\n");
        let e = RuleSetRules::compile(&s, &p).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("rules.jsonl:1: no label"), "{e}");
        s.default_label = Some("PLACE".into());
        assert_eq!(RuleSetRules::compile(&s, &p).unwrap().0.len(), 2);
    }

    #[test]
    fn bad_lines_name_file_and_line_unknown_labels_warn() {
        let p = Project::default();
        let bad = |src: &str| {
            RuleSetRules::compile(&set(RuleKind::Patterns, src), &p)
                .unwrap_err()
                .to_string()
        };
        let ok = "{\"label\": \"ORG\", \"pattern\": \"x\"}\n\n";
        let e = bad(&format!("{ok}{{\"label\": \"ORG\", \"regex\": \"(\"}}"));
        assert!(e.starts_with("rules.jsonl:3: bad regex"), "{e}");
        let e = bad(&format!("{ok}not json"));
        assert!(e.starts_with("rules.jsonl:3: not a JSON object"), "{e}");
        let e = bad("{\"pattern\": \"x\"}");
        assert!(e.contains(":1: no \"label\""), "{e}");
        let e = bad("{\"label\": \"ORG\", \"pattern\": [{\"POS\": \"NOUN\"}]}");
        assert!(
            e.contains(":1: token 1: attribute \"POS\" is not supported"),
            "{e}"
        );
        let e = bad("{\"label\": \"ORG\", \"pattern\": [{\"OP\": \"{2}\"}]}");
        assert!(e.contains("OP"), "{e}");
        let (rules, warnings) = RuleSetRules::compile(
            &set(
                RuleKind::Patterns,
                &format!("{ok}{{\"label\": \"GPE\", \"pattern\": \"a\"}}\n{{\"label\": \"GPE\", \"pattern\": \"b\"}}"),
            ),
            &p,
        )
        .unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(
            warnings,
            ["rules.jsonl:3: label \"GPE\" is not in the project: 2 rules skipped"]
        );
    }
}
