//! `spanmark suggest --command`: running the external command over a project, its
//! labels through the label map (the project's saved one, `--map` entries over it, the
//! built-in defaults), and one line on stderr saying what became of the labels the
//! project lacks.

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::io::recommender::{Request, RunOptions};
use crate::model::Project;
use crate::model::suggest::{CommandResult, LabelMap};

/// Runs `command` over every document of `project` (read from `path`) and returns its
/// spans in the project's labels. `map` holds the `--map` entries, checked before the
/// command starts.
pub(super) fn command_results(
    project: &Project,
    path: &Path,
    command: &str,
    map: &[String],
    err: &mut dyn Write,
) -> anyhow::Result<Vec<CommandResult>> {
    let given = match LabelMap::parse_entries(map, |n| project.label_id(n).is_some()) {
        Ok(given) => given,
        Err(e) => {
            let labels: Vec<&str> = project.labels().iter().map(|l| l.name.as_str()).collect();
            bail!(
                "--map {e}\n{}: its labels are {}",
                path.display(),
                labels.join(", ")
            );
        }
    };
    let mut label_map = project.suggest_settings().label_map.clone();
    for (from, to) in given.entries() {
        label_map.set(from, to.map(str::to_string));
    }
    let request = Request::from_project(project);
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let output = request
        .run(command, &RunOptions::default(), &cancel, &mut |_, _| {})
        .with_context(|| format!("--command {command:?}"))?;
    for w in &output.warnings {
        writeln!(err, "spanmark: warning: --command: {w}")?;
    }
    let adapted = request.adapt_with(project, &output.spans, &label_map);
    let summary = adapted.label_summary();
    if adapted.unknown_label > 0 {
        // One line, whatever the number of labels (the summary lists the first few).
        writeln!(
            err,
            "spanmark: warning: --command: {summary} (give --map LABEL=TO, or --map LABEL= \
             to drop them)"
        )?;
    } else if !summary.is_empty() {
        writeln!(err, "spanmark: note: --command: {summary}")?;
    }
    Ok(adapted.results)
}
