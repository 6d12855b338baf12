//! The external-command suggestion source ("your own model", issue 11 source 4).
//!
//! # Protocol
//!
//! spanmark starts the command and writes one JSON object per line (JSONL) to its stdin,
//! one per document, then closes stdin:
//!
//! ```json
//! {"id": 0, "text": "Kabul is in Afghanistan.", "labels": ["PERSON", "PLACE", "ORG"],
//!  "spans": [{"start": 0, "end": 5, "label": "PLACE"}], "status": "done"}
//! ```
//!
//! - `id` is the document's 0-based position in the project, a JSON integer. Names are
//!   not used: two documents may share a name, an index never.
//! - `labels` are the project's label names, in order (the same list on every line).
//! - `spans` are the document's spans as the annotator has them now (char offsets,
//!   sorted), `status` is `"todo"`, `"in_progress"` or `"done"`: a command can train on
//!   the documents marked done and propose on the rest. Both were added later; a
//!   command that ignores them works as before. (Bare texts run through [`run`] carry
//!   neither.)
//!
//! The command prints one line per document to stdout, in any order:
//!
//! ```json
//! {"id": 0, "spans": [{"start": 0, "end": 5, "label": "PLACE", "score": 0.93}]}
//! ```
//!
//! - `start`/`end` are char offsets (Unicode scalar values, Python's `text[start:end]`),
//!   end exclusive. `score` is optional. Other fields are ignored.
//! - A document with nothing to propose still gets its line: `{"id": 3, "spans": []}`.
//!   Blank lines are ignored; anything else that is not such an object is an error naming
//!   the output line (so log to stderr, never to stdout).
//! - An `id` spanmark did not send, or answered twice, is an error: the answers cannot be
//!   attributed. A span that is empty (`start >= end`) or runs past its document's text is
//!   skipped with a warning ([`CommandOutput::warnings`]): one bad prediction should not
//!   throw away a whole run. Labels are passed through as names; [`Request::adapt`] maps
//!   them through the project's label map and the built-in defaults (GPE, LOC, FAC →
//!   PLACE; PER → PERSON; see `model::suggest::label_map`) and skips (and counts, by
//!   name) those the project still does not have.
//! - The command must exit 0. Anything it prints to stderr is kept (the last few KB) and
//!   shown when it fails. A document it never answers is an error naming the document.
//! - The run is over when stdout closes, or as soon as every document is answered and the
//!   command has exited (a child it left in the background may hold stdout open); its
//!   process group is then killed, so nothing it started outlives the run.
//! - If it prints nothing on stdout or stderr, and reads none of its input, for
//!   [`RunOptions::idle_timeout`], it is killed. Flush stdout after each line (the
//!   environment has `PYTHONUNBUFFERED=1`, so Python scripts do).
//!
//! # Running
//!
//! On Unix the command line is run by `sh -c`, in its own process group: it is typed the
//! way a terminal takes it (quotes, `~`, `$VIRTUAL_ENV`, `cd dir && …`), and stopping it
//! kills the whole group, so a shell or a model's worker processes never outlive a cancel
//! or a timeout. Elsewhere it runs through `cmd /C`.
//!
//! Input is written by its own thread (a command answering while it reads would otherwise
//! deadlock against a full stdout pipe); stdout and stderr are read by threads that are
//! never joined, so no misbehaving command can block the caller. [`run`] itself blocks
//! until the command is done: call it from a background job, with a cancel flag and a
//! progress callback.

mod process;
mod protocol;

pub use process::{DEFAULT_IDLE_TIMEOUT, RunOptions, run};
pub use protocol::{
    Adapted, CommandOutput, CommandSpan, RecommenderError, Request, SentDoc, SentSpan, status_name,
};
