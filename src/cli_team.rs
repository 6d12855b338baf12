//! The team commands of the command line: `merge`, `split`, `merge-driver` and
//! `git-setup` (their arguments are in [`crate::cli::Command`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::cli::{Command, Exit, PolicyArg};
use crate::model::Project;
use crate::model::merge::{self, Policy};

/// The line `git-setup` puts in .gitattributes.
pub const GITATTRIBUTES_LINE: &str = "*.ron merge=spanmark";

/// Runs one of the team commands.
pub fn run(command: Command, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<()> {
    match command {
        Command::Merge {
            projects,
            output,
            policy,
        } => merge_files(&projects, &output, policy, err),
        Command::Split {
            project,
            annotators,
            overlap,
            output,
        } => split_file(&project, annotators, overlap, &output, out),
        Command::MergeDriver { base, ours, theirs } => merge_driver(&base, &ours, &theirs, err),
        Command::GitSetup { dir } => git_setup(dir.as_deref().unwrap_or(Path::new(".")), out),
        _ => bail!("not a team command"),
    }
}

/// Each file's annotator name: its stem, or its whole path where two stems are equal.
fn annotator_names(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        p.file_stem().map_or_else(
            || p.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        )
    };
    let stems: Vec<String> = paths.iter().map(stem).collect();
    paths
        .iter()
        .zip(&stems)
        .map(|(p, s)| {
            if stems.iter().filter(|t| *t == s).count() > 1 {
                p.display().to_string()
            } else {
                s.clone()
            }
        })
        .collect()
}

fn merge_files(
    paths: &[PathBuf],
    output: &Path,
    policy: PolicyArg,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let projects = paths
        .iter()
        .map(|p| crate::io::load_project(p))
        .collect::<Result<Vec<Project>, _>>()?;
    let names = annotator_names(paths);
    let annotators: Vec<(String, &Project)> = names.into_iter().zip(&projects).collect();
    let policy = match policy {
        PolicyArg::Agreed => Policy::Agreed,
        PolicyArg::Union => Policy::Union,
        PolicyArg::Majority => Policy::Majority,
    };
    let gold = merge::merge(&annotators, policy).context("merging")?;
    crate::io::save_project(&gold, output)?;
    let spans: usize = gold.documents().iter().map(|d| d.spans().len()).sum();
    let open: usize = gold
        .documents()
        .iter()
        .map(|d| d.disagreements().len())
        .sum();
    writeln!(
        err,
        "{}: {} documents, {spans} spans, {open} disagreements to adjudicate",
        output.display(),
        gold.documents().len()
    )?;
    Ok(())
}

fn split_file(
    path: &Path,
    annotators: u32,
    overlap: f64,
    dir: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !(0.0..=100.0).contains(&overlap) {
        bail!("--overlap {overlap}: a percentage from 0 to 100");
    }
    let project = crate::io::load_project(path)?;
    let split = merge::split(&project, annotators as usize, overlap);
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    for (i, p) in split.projects.iter().enumerate() {
        let file = dir.join(format!("annotator-{}.ron", i + 1));
        crate::io::save_project_plain(p, &file)?;
        writeln!(out, "{}: {} documents", file.display(), p.documents().len())?;
    }
    writeln!(
        out,
        "shared by every annotator ({} of {} documents):",
        split.shared.len(),
        project.documents().len()
    )?;
    for &i in &split.shared {
        if let Some(d) = project.document(i) {
            writeln!(out, "  {}", d.name)?;
        }
    }
    Ok(())
}

/// git's contract: the result goes into `ours`; exit 0 clean, 1 with conflicts, more if
/// a file cannot be read (then `ours` is left as it was).
fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let load = |p: &Path| {
        crate::io::load_project(p).map_err(|e| Exit {
            code: 2,
            message: format!(
                "merge-driver: error: {e}\n(the file is left as it was on this branch; merge it by hand)"
            ),
        })
    };
    let (b, o, t) = (load(base)?, load(ours)?, load(theirs)?);
    let merged = merge::three_way(&b, &o, &t).map_err(|e| Exit {
        code: 2,
        message: format!("merge-driver: error: {}: {e}", ours.display()),
    })?;
    for w in &merged.warnings {
        writeln!(err, "spanmark merge-driver: {}: {w}", ours.display())?;
    }
    // No .bak: git owns this file and its history.
    crate::io::save_project_plain(&merged.project, ours).map_err(|e| Exit {
        code: 2,
        message: format!("merge-driver: error: {e}"),
    })?;
    if merged.conflicts > 0 {
        return Err(Exit {
            code: 1,
            message: format!(
                "merge-driver: {} conflicting span change(s) kept as disagreements (\"ours\" and \"theirs\"); open the file in spanmark to adjudicate them",
                merged.conflicts
            ),
        }
        .into());
    }
    Ok(())
}

/// Whether a program of this name is on PATH.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// A word for `sh -c`: in single quotes, with any single quote closed and escaped.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn git_setup(dir: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let git = |args: &[&str]| -> anyhow::Result<String> {
        let o = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .output()
            .context("running git (is it installed?)")?;
        if !o.status.success() {
            bail!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&o.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let top = PathBuf::from(git(&["rev-parse", "--show-toplevel"])?);
    let attributes = top.join(".gitattributes");
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("reading {}", attributes.display())),
    };
    if existing.lines().any(|l| l.trim() == GITATTRIBUTES_LINE) {
        writeln!(
            out,
            "{}: already has {GITATTRIBUTES_LINE}",
            attributes.display()
        )?;
    } else {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(GITATTRIBUTES_LINE);
        text.push('\n');
        std::fs::write(&attributes, text)
            .with_context(|| format!("writing {}", attributes.display()))?;
        writeln!(out, "{}: added {GITATTRIBUTES_LINE}", attributes.display())?;
    }
    let program = if on_path("spanmark") {
        "spanmark".to_string()
    } else {
        let exe = std::env::current_exe().context("finding the spanmark program")?;
        let exe = exe.canonicalize().unwrap_or(exe);
        writeln!(
            out,
            "spanmark is not on PATH: the driver runs {} (run git-setup again if it moves)",
            exe.display()
        )?;
        shell_quote(&exe.to_string_lossy())
    };
    let driver = format!("{program} merge-driver %O %A %B");
    git(&["config", "merge.spanmark.name", "spanmark span-level merge"])?;
    git(&["config", "merge.spanmark.driver", &driver])?;
    writeln!(out, "git config merge.spanmark.driver \"{driver}\"")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_stems_unless_two_are_equal() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            annotator_names(&[p("a/alice.ron"), p("b/bob.ron")]),
            ["alice", "bob"]
        );
        assert_eq!(
            annotator_names(&[p("a/x.ron"), p("b/x.ron"), p("c/y.ron")]),
            ["a/x.ron", "b/x.ron", "y"]
        );
    }

    #[test]
    fn shell_quoting_survives_quotes_and_spaces() {
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }
}
