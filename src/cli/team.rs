//! The team commands of the command line: `merge`, `split`, `merge-driver` and
//! `git-setup` (their arguments are [`super::TeamCommand`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{Exit, PolicyArg, TeamCommand};
use crate::io::project::looks_like_project;
use crate::model::merge::{self, Policy};
use crate::model::{Project, count};

/// The line `git-setup` puts in .gitattributes.
const GITATTRIBUTES_LINE: &str = "*.ron merge=spanmark";

/// Runs one of the team commands.
pub(super) fn run(
    command: TeamCommand,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        TeamCommand::Merge {
            projects,
            output,
            policy,
        } => merge_files(&projects, &output, policy, err),
        TeamCommand::Split {
            project,
            annotators,
            overlap,
            output,
        } => split_file(&project, annotators, overlap, &output, out),
        TeamCommand::MergeDriver {
            base,
            ours,
            theirs,
            path,
        } => merge_driver(&base, &ours, &theirs, path.as_deref(), err),
        TeamCommand::GitSetup { dir } => git_setup(dir.as_deref().unwrap_or(Path::new(".")), out),
    }
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
    let names = crate::model::team::annotator_names(paths);
    let annotators: Vec<(String, &Project)> = names.into_iter().zip(&projects).collect();
    let policy = match policy {
        PolicyArg::Agreed => Policy::Agreed,
        PolicyArg::Union => Policy::Union,
        PolicyArg::Majority => Policy::Majority,
    };
    let merged = merge::merge_listing(&annotators, policy).context("merging")?;
    let gold = &merged.project;
    crate::io::save_project(gold, output)?;
    let spans: usize = gold.documents().iter().map(|d| d.spans().len()).sum();
    let open: usize = gold
        .documents()
        .iter()
        .map(|d| d.disagreements().len())
        .sum();
    write!(
        err,
        "{}: {}, {}, {} to adjudicate",
        output.display(),
        count(gold.documents().len(), "document"),
        count(spans, "span"),
        count(open, "disagreement")
    )?;
    // Said only when there are relations, so output without them is as before.
    let links: usize = gold.documents().iter().map(|d| d.relations().len()).sum();
    // A link between two disputed spans is in both regions: counted once.
    let pending: usize = gold
        .documents()
        .iter()
        .map(|d| {
            let distinct: std::collections::HashSet<_> = d
                .disagreements()
                .iter()
                .flat_map(|x| x.all_relations())
                .collect();
            distinct.len()
        })
        .sum();
    if links + pending > 0 {
        write!(err, "; {}", count(links, "relation"))?;
        if pending > 0 {
            write!(err, " ({pending} more in the disagreements' versions)")?;
        }
    }
    writeln!(err)?;
    // What the policy left out is listed, so no link disappears unseen.
    if !merged.left_out.is_empty() {
        writeln!(
            err,
            "{} left out (fewer than half the document's annotators have them):",
            count(merged.left_out.len(), "relation")
        )?;
        const SHOWN: usize = 20;
        for line in merged.left_out.iter().take(SHOWN) {
            writeln!(err, "  {line}")?;
        }
        if merged.left_out.len() > SHOWN {
            writeln!(err, "  … and {} more", merged.left_out.len() - SHOWN)?;
        }
    }
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
        // Over an earlier split: its files are kept as .bak, like every save over a project.
        crate::io::save_project(p, &file)?;
        writeln!(
            out,
            "{}: {}",
            file.display(),
            count(p.documents().len(), "document")
        )?;
    }
    writeln!(
        out,
        "shared by every annotator ({} of {}):",
        split.shared.len(),
        count(project.documents().len(), "document")
    )?;
    for &i in &split.shared {
        if let Some(d) = project.documents().get(i) {
            writeln!(out, "  {}", d.name)?;
        }
    }
    Ok(())
}

/// git's contract: the result goes into `ours`; exit 0 clean, 1 with conflicts, more if
/// a file cannot be read (then `ours` is left as it was). `path` is the file's place in
/// the repository (%P), which every message names; git's files are temporary copies.
///
/// A file both branches added comes with an empty base: it merges from an empty
/// project. A RON file that is not a spanmark project (see
/// [`crate::io::project::looks_like_project`]) is merged as git merges text, by
/// `git merge-file`.
fn merge_driver(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: Option<&Path>,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let shown = path.unwrap_or(ours);
    let exit = |code: i32, message: String| Exit { code, message };
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| {
            exit(
                2,
                format!(
                    "merge-driver: error: {}: reading git's copy {}: {e}",
                    shown.display(),
                    p.display()
                ),
            )
        })
    };
    let (b, o, t) = (read(base)?, read(ours)?, read(theirs)?);
    let text = |bytes: &[u8]| std::str::from_utf8(bytes).ok().map(str::to_owned);
    let is_project = |bytes: &[u8]| text(bytes).is_some_and(|s| looks_like_project(&s));
    let empty = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_whitespace);
    // No side is a project: some other RON file, merged as git merges text. Some side
    // is and another is not: a broken project, left for a person.
    let sides = [
        ("base", base, &b),
        ("ours", ours, &o),
        ("theirs", theirs, &t),
    ];
    if !sides.iter().any(|(.., x)| is_project(x)) {
        return merge_as_text(base, ours, theirs, shown, err);
    }
    if let Some((side, file, _)) = sides
        .iter()
        .find(|(side, _, x)| !(is_project(x) || empty(x) && *side == "base"))
    {
        return Err(exit(
            2,
            format!(
                "merge-driver: error: {} ({side}): not a spanmark project, though the other \
                 sides are\n(the file is left as it was on this branch; merge it by hand)",
                path.unwrap_or(file).display()
            ),
        )
        .into());
    }
    let load = |bytes: &[u8], file: &Path, side: &str| {
        if empty(bytes) {
            // Both branches added the file: nothing in common to start from.
            return Ok(Project::new(Vec::new(), Vec::new()).unwrap_or_default());
        }
        let source = text(bytes).unwrap_or_default();
        let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
        // Named by its path in the repository when git gives it, else by git's copy.
        crate::io::parse_project(source, path.unwrap_or(file)).map_err(|e| {
            exit(
                2,
                format!(
                    "merge-driver: error: {e} ({side})\n(the file is left as it was on this branch; merge it by hand)"
                ),
            )
        })
    };
    let (b, o, t) = (
        load(&b, base, "base")?,
        load(&o, ours, "ours")?,
        load(&t, theirs, "theirs")?,
    );
    let merged = merge::three_way(&b, &o, &t)
        .map_err(|e| exit(2, format!("merge-driver: error: {}: {e}", shown.display())))?;
    for w in &merged.warnings {
        writeln!(err, "spanmark merge-driver: {}: {w}", shown.display())?;
    }
    // No .bak: git owns this file and its history.
    crate::io::save_project_plain(&merged.project, ours).map_err(|e| {
        exit(
            2,
            format!(
                "merge-driver: error: {}: writing the result: {e}",
                shown.display()
            ),
        )
    })?;
    if merged.conflicts > 0 {
        return Err(exit(
            1,
            format!(
                "merge-driver: {}: {} kept as disagreements (\"ours\" and \"theirs\"); open the file in spanmark to adjudicate them",
                shown.display(),
                count(merged.conflicts, "conflicting span change")
            ),
        )
        .into());
    }
    Ok(())
}

/// git's own three-way text merge of a file that is not a spanmark project, into
/// `ours`, with conflict markers where both sides changed the same lines.
fn merge_as_text(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    shown: &Path,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let name = shown.display().to_string();
    let status = std::process::Command::new("git")
        .arg("merge-file")
        .args(["-L", &format!("{name} (ours)")])
        .args(["-L", &format!("{name} (base)")])
        .args(["-L", &format!("{name} (theirs)")])
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .status()
        .map_err(|e| Exit {
            code: 2,
            message: format!("merge-driver: error: {name}: running git merge-file: {e}"),
        })?;
    match status.code() {
        Some(0) => {
            writeln!(
                err,
                "spanmark merge-driver: {name}: not a spanmark project; merged as text"
            )?;
            Ok(())
        }
        // The number of conflicts (git merge-file's exit code).
        Some(n) if n > 0 => Err(Exit {
            code: 1,
            message: format!(
                "merge-driver: {name}: not a spanmark project; merged as text, with {} marked",
                count(usize::try_from(n).unwrap_or(1), "conflict")
            ),
        }
        .into()),
        _ => Err(Exit {
            code: 2,
            message: format!("merge-driver: error: {name}: git merge-file failed ({status})"),
        }
        .into()),
    }
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
    let driver = format!("{program} merge-driver %O %A %B %P");
    git(&["config", "merge.spanmark.name", "spanmark span-level merge"])?;
    git(&["config", "merge.spanmark.driver", &driver])?;
    writeln!(out, "git config merge.spanmark.driver \"{driver}\"")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quoting_survives_quotes_and_spaces() {
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }
}
