//! Running the suggestion command (see the [module docs](super)): spawning it through
//! `sh -c` in its own process group, the writer thread, the never-joined reader threads,
//! the waiting loop with its idle timeout, cancel and progress, killing the group and
//! waiting for the exit. What the lines mean is `protocol.rs`'s concern; this module
//! uses it and it never uses this one.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::protocol::{CommandOutput, InLine, RecommenderError, Request, parse_line, take_spans};

/// How long a command may stay silent before it is killed, unless [`RunOptions`] says
/// otherwise. Loading a large model can take tens of seconds before its first answer.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How much of the command's stderr is kept for error messages (the end of it).
const STDERR_TAIL: usize = 4096;

/// The longest output line accepted; past it the output is garbage, not an answer.
const MAX_LINE: u64 = 64 << 20;

/// How often the waiting loop looks at the cancel flag and the clock.
const POLL: Duration = Duration::from_millis(25);

/// Input is written in pieces of this size, each one counting as a sign of life.
const WRITE_CHUNK: usize = 64 << 10;

/// How to run the command.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// Kill the command when it has printed nothing (stdout or stderr) and read nothing
    /// for this long.
    pub idle_timeout: Duration,
    /// Working directory of the command (the UI passes the project's folder, so relative
    /// script paths work); `None` keeps spanmark's own.
    pub dir: Option<PathBuf>,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            dir: None,
        }
    }
}

/// How long output is still read after the command exited with every document answered.
const EXIT_GRACE: Duration = Duration::from_millis(200);

/// What the waiting loop gets: a message of the threads, or the command's exit (only
/// looked for once every document is answered).
enum Event {
    Msg(Msg),
    Exited(ExitStatus),
}

/// What the reader threads tell the waiting loop.
enum Msg {
    /// A stdout line (without its newline).
    Line(Vec<u8>),
    /// stdout ended: cleanly, or with a read error.
    StdoutDone(Result<(), std::io::Error>),
    /// stderr output arrived or input was consumed: the command is alive.
    Alive,
    /// stderr ended.
    StderrDone,
}

/// Runs `command` over `docs` (`(document index, text)`; the index is the protocol's
/// `id` and [`CommandSpan::doc`](super::CommandSpan::doc)) and collects its spans.
///
/// Blocks until the command has answered and exited, failed, stayed silent past
/// [`RunOptions::idle_timeout`] or `cancel` was set (checked every few milliseconds; the
/// command is then killed and [`RecommenderError::Cancelled`] returned). `progress` gets
/// (documents answered, documents sent) as answers arrive, starting with `(0, total)`.
/// With no documents the command is not started; an index given twice is sent once.
///
/// The lines sent carry no `spans` or `status`: these are bare texts. A [`Request`]
/// (a project's documents) sends both.
pub fn run(
    command: &str,
    docs: &[(usize, &str)],
    labels: &[String],
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<CommandOutput, RecommenderError> {
    let lines: Vec<InLine<'_>> = docs
        .iter()
        .map(|&(id, text)| InLine {
            id,
            text,
            labels,
            spans: None,
            status: None,
        })
        .collect();
    run_lines(command, &lines, opts, cancel, progress)
}

/// [`run`] over input lines as they are to be sent.
fn run_lines(
    command: &str,
    docs: &[InLine<'_>],
    opts: &RunOptions,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<CommandOutput, RecommenderError> {
    // Char lengths to check spans against, and whether each id was answered yet.
    let mut sent: HashMap<usize, (usize, bool)> = HashMap::with_capacity(docs.len());
    // Serialized up front so the writer thread owns its input and never has to be joined.
    let mut input = Vec::new();
    for line in docs {
        if sent
            .insert(line.id, (line.text.chars().count(), false))
            .is_some()
        {
            continue; // an id given twice is sent once
        }
        // Writing JSON of strings into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut input, line);
        input.push(b'\n');
    }
    let total = sent.len();
    progress(0, total);
    if total == 0 {
        return Ok(CommandOutput::default());
    }

    let mut child = spawn(command, opts).map_err(|source| RecommenderError::Spawn {
        command: command.to_string(),
        source,
    })?;
    let (tx, rx) = mpsc::channel();
    let stderr = Arc::new(Mutex::new(Vec::new()));
    start_threads(&mut child, input, &tx, &stderr);
    drop(tx);
    let mut run = Running {
        command,
        child,
        rx,
        stderr,
        cancel,
        idle: opts.idle_timeout,
        reaped: false,
    };

    let mut out = CommandOutput::default();
    let mut answered = 0;
    let mut line_no = 0;
    let mut last = Instant::now();
    let mut exited = None;
    // Answers, until stdout ends, or until every document is answered and the command
    // has exited (a child it left in the background may hold stdout open for ever).
    loop {
        let msg = match run.next(&mut last, answered == total)? {
            Event::Msg(msg) => msg,
            Event::Exited(status) => {
                exited = Some(status);
                // What it printed just before exiting may still be on its way: a short
                // grace to read it (not longer: the background child may go on writing).
                match run.drain(Instant::now() + EXIT_GRACE) {
                    Some(msg) => msg,
                    None => break,
                }
            }
        };
        match msg {
            Msg::Line(bytes) => {
                line_no += 1;
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let answer = parse_line(&bytes, &mut sent)
                    .map_err(|message| run.fail_bad_output(line_no, message))?;
                take_spans(answer, line_no, &sent, &mut out);
                answered += 1;
                progress(answered, total);
            }
            Msg::StdoutDone(Ok(())) => break,
            Msg::StdoutDone(Err(source)) => {
                run.kill();
                return Err(RecommenderError::Io {
                    command: command.to_string(),
                    source,
                });
            }
            Msg::Alive | Msg::StderrDone => {}
        }
    }
    let status = match exited {
        Some(status) => status,
        None => run.wait_exit(&mut last)?,
    };
    let stderr = run.stderr_text();
    let command = command.to_string();
    if status.code() == Some(127) {
        return Err(RecommenderError::NotFound { command, stderr });
    }
    if !status.success() {
        return Err(RecommenderError::Failed {
            command,
            status,
            stderr,
        });
    }
    if answered < total {
        let mut missing: Vec<usize> = sent
            .iter()
            .filter(|(_, (_, seen))| !seen)
            .map(|(&id, _)| id)
            .collect();
        missing.sort_unstable();
        return Err(RecommenderError::Incomplete {
            command,
            answered,
            total,
            missing,
            stderr,
        });
    }
    out.spans
        .sort_by(|a, b| (a.doc, a.start, a.end, &a.label).cmp(&(b.doc, b.start, b.end, &b.label)));
    out.spans
        .dedup_by(|a, b| (a.doc, a.start, a.end, &a.label) == (b.doc, b.start, b.end, &b.label));
    Ok(out)
}

/// Starts the command with piped stdio, in its own process group on Unix.
fn spawn(command: &str, opts: &RunOptions) -> std::io::Result<Child> {
    #[cfg(unix)]
    let mut cmd = {
        use std::os::unix::process::CommandExt;
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(command).process_group(0);
        cmd
    };
    #[cfg(not(unix))]
    let mut cmd = {
        let mut cmd = Command::new("cmd");
        cmd.arg("/C").arg(command);
        cmd
    };
    if let Some(dir) = &opts.dir {
        cmd.current_dir(dir);
    }
    cmd.env("PYTHONUNBUFFERED", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Starts the writer (stdin) and the two readers (stdout, stderr). None is joined: each
/// ends when its pipe closes, which killing the command's process group ensures.
fn start_threads(
    child: &mut Child,
    input: Vec<u8>,
    tx: &Sender<Msg>,
    stderr_tail: &Arc<Mutex<Vec<u8>>>,
) {
    if let Some(mut stdin) = child.stdin.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for chunk in input.chunks(WRITE_CHUNK) {
                // A command may stop reading (it failed, or needs no more): its exit
                // status and output tell what happened, not the broken pipe.
                if stdin.write_all(chunk).is_err() || tx.send(Msg::Alive).is_err() {
                    return;
                }
            }
            // Dropping stdin closes it: the command sees the end of its input.
        });
    }
    if let Some(stdout) = child.stdout.take() {
        let tx = tx.clone();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                match (&mut reader)
                    .take(MAX_LINE + 1)
                    .read_until(b'\n', &mut line)
                {
                    Ok(0) => {
                        let _ = tx.send(Msg::StdoutDone(Ok(())));
                        return;
                    }
                    Ok(_) => {
                        if line.last() == Some(&b'\n') {
                            line.pop();
                        } else if line.len() as u64 > MAX_LINE {
                            let error = std::io::Error::other(format!(
                                "an output line is longer than {} MB",
                                MAX_LINE >> 20
                            ));
                            let _ = tx.send(Msg::StdoutDone(Err(error)));
                            return;
                        }
                        if tx.send(Msg::Line(line)).is_err() {
                            return;
                        }
                    }
                    Err(e) => {
                        let _ = tx.send(Msg::StdoutDone(Err(e)));
                        return;
                    }
                }
            }
        });
    }
    if let Some(mut stderr) = child.stderr.take() {
        let tx = tx.clone();
        let keep = Arc::clone(stderr_tail);
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buf) {
                {
                    let mut kept = keep.lock().unwrap_or_else(|e| e.into_inner());
                    kept.extend_from_slice(&buf[..n]);
                    if kept.len() > 2 * STDERR_TAIL {
                        let cut = kept.len() - STDERR_TAIL;
                        kept.drain(..cut);
                    }
                }
                let _ = tx.send(Msg::Alive);
            }
            let _ = tx.send(Msg::StderrDone);
        });
    }
}

/// The last few KB of stderr as text: starting at a line when cut, trimmed.
fn stderr_text(kept: &Mutex<Vec<u8>>) -> String {
    let kept = kept.lock().unwrap_or_else(|e| e.into_inner());
    let cut = kept.len().saturating_sub(STDERR_TAIL);
    let mut bytes = &kept[cut..];
    if cut > 0 {
        // Drop the partial first line (or, failing that, keep the cut as it is).
        if let Some(nl) = bytes.iter().position(|&b| b == b'\n') {
            bytes = &bytes[nl + 1..];
        }
    }
    let text = String::from_utf8_lossy(bytes).trim().to_string();
    if cut > 0 {
        format!("…\n{text}")
    } else {
        text
    }
}

/// A started command, what it says and what stops it.
struct Running<'a> {
    command: &'a str,
    child: Child,
    /// Messages of the reader and writer threads.
    rx: Receiver<Msg>,
    /// The end of its stderr so far.
    stderr: Arc<Mutex<Vec<u8>>>,
    cancel: &'a AtomicBool,
    idle: Duration,
    /// The command exited and was reaped, its group killed: nothing is left to kill.
    reaped: bool,
}

impl Running<'_> {
    /// The next message from the threads, or with `watch_exit` the command's exit,
    /// unless cancel or the idle timeout come first (the command is then killed).
    fn next(&mut self, last: &mut Instant, watch_exit: bool) -> Result<Event, RecommenderError> {
        loop {
            self.check(*last)?;
            if watch_exit && let Some(status) = self.exited()? {
                return Ok(Event::Exited(status));
            }
            match self.rx.recv_timeout(POLL) {
                Ok(msg) => {
                    *last = Instant::now();
                    return Ok(Event::Msg(msg));
                }
                Err(RecvTimeoutError::Timeout) => {}
                // Every thread ended without telling stdout's end: cannot happen, but
                // waiting for nothing must not hang.
                Err(RecvTimeoutError::Disconnected) => {
                    return Ok(Event::Msg(Msg::StdoutDone(Ok(()))));
                }
            }
        }
    }

    /// A stdout message that arrives before `until`, or `None` (nothing more came, or
    /// stdout ended).
    fn drain(&mut self, until: Instant) -> Option<Msg> {
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(msg @ Msg::Line(_)) => return Some(msg),
                Ok(Msg::StdoutDone(_)) | Err(_) => return None,
                Ok(Msg::Alive | Msg::StderrDone) => {}
            }
        }
        None
    }

    /// Once the command has exited: its process group killed (a background child it
    /// left must not outlive the run, nor hold its output open), then its status.
    /// `None` while it runs.
    ///
    /// On Linux the exit is seen without reaping the command (`waitid` with `WNOWAIT`),
    /// so its pid, the group's id, stays reserved until the group is killed.
    #[cfg(target_os = "linux")]
    fn exited(&mut self) -> Result<Option<ExitStatus>, RecommenderError> {
        // id_t is the u32 that `id` gives.
        let pid: libc::id_t = self.child.id();
        // SAFETY: an all-zero siginfo_t is a valid value of this plain C struct.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: waitid(2) writes only into `info`, which outlives the call. WNOWAIT
        // leaves the child waitable, so std's `wait` below still reaps it.
        let r = unsafe {
            libc::waitid(
                libc::P_PID,
                pid,
                &raw mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        if r != 0 {
            let source = std::io::Error::last_os_error();
            self.kill();
            return Err(self.io_error(source));
        }
        // SAFETY: waitid filled `info`, or left it zeroed (still running: si_pid 0).
        if unsafe { info.si_pid() } == 0 {
            return Ok(None);
        }
        self.kill_group();
        self.reaped = true;
        self.child
            .wait()
            .map(Some)
            .map_err(|source| self.io_error(source))
    }

    /// [`Self::exited`] where the exit cannot be seen without reaping: the group is
    /// killed just after (its id is only freed once its last member is gone, so this
    /// reaches the command's own children or no one).
    #[cfg(not(target_os = "linux"))]
    fn exited(&mut self) -> Result<Option<ExitStatus>, RecommenderError> {
        match self.child.try_wait() {
            Ok(Some(status)) => {
                self.kill_group();
                self.reaped = true;
                Ok(Some(status))
            }
            Ok(None) => Ok(None),
            Err(source) => {
                self.kill();
                Err(self.io_error(source))
            }
        }
    }

    fn io_error(&self, source: std::io::Error) -> RecommenderError {
        RecommenderError::Io {
            command: self.command.to_string(),
            source,
        }
    }

    /// Waits for the command to exit after its stdout ended, still honouring cancel and
    /// the idle timeout (stderr output counts as life).
    fn wait_exit(&mut self, last: &mut Instant) -> Result<ExitStatus, RecommenderError> {
        loop {
            self.check(*last)?;
            if let Some(status) = self.exited()? {
                return Ok(status);
            }
            match self.rx.recv_timeout(POLL) {
                Ok(Msg::Alive) => *last = Instant::now(),
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => std::thread::sleep(POLL),
            }
        }
    }

    /// Stops on cancel or silence.
    fn check(&mut self, last: Instant) -> Result<(), RecommenderError> {
        if self.cancel.load(Ordering::Relaxed) {
            self.kill();
            return Err(RecommenderError::Cancelled {
                command: self.command.to_string(),
            });
        }
        if last.elapsed() >= self.idle {
            self.kill();
            return Err(RecommenderError::Timeout {
                command: self.command.to_string(),
                idle: self.idle,
                stderr: self.stderr_text(),
            });
        }
        Ok(())
    }

    /// Kills the command (its whole process group on Unix) and reaps it.
    fn kill(&mut self) {
        if self.reaped {
            return;
        }
        self.kill_group();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Kills the command's process group (Unix; elsewhere there is none).
    fn kill_group(&mut self) {
        #[cfg(unix)]
        if let Ok(pid) = i32::try_from(self.child.id()) {
            // SAFETY: kill(2) takes plain integers and touches no memory of ours. The
            // group id is the child's pid (process_group(0)); the child is not reaped
            // yet (`reaped`; elsewhere than Linux `exited` reaps first, and the id stays
            // the group's while any member lives), so it names no other process group.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
        }
    }

    /// Kills the command and builds the garbage-output error, with its stderr: a script
    /// that printed something odd often says why there (a traceback).
    fn fail_bad_output(&mut self, line: usize, message: String) -> RecommenderError {
        self.kill();
        RecommenderError::BadOutput {
            command: self.command.to_string(),
            line,
            message,
            stderr: self.stderr_text(),
        }
    }

    /// The end of its stderr, once the command has exited or been killed: its stderr
    /// closes then, unless something it started holds it open, so wait only briefly.
    fn stderr_text(&mut self) -> String {
        let grace = Instant::now() + Duration::from_millis(500);
        while let Some(left) = grace.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(Msg::StderrDone) | Err(_) => break,
                Ok(_) => {}
            }
        }
        stderr_text(&self.stderr)
    }
}

// Here rather than beside `Request` in protocol.rs: running is this module's concern, and
// the protocol knows nothing of processes.
impl Request {
    /// Runs `command` over this request's documents (see [`run`]).
    pub fn run(
        &self,
        command: &str,
        opts: &RunOptions,
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<CommandOutput, RecommenderError> {
        let lines: Vec<InLine<'_>> = self
            .docs
            .iter()
            .map(|d| InLine {
                id: d.id,
                text: &d.text,
                labels: &self.labels,
                spans: Some(&d.spans),
                status: Some(d.status),
            })
            .collect();
        run_lines(command, &lines, opts, cancel, progress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stderr_tail_starts_at_a_line() {
        let mut bytes = Vec::new();
        for i in 0..1000 {
            bytes.extend_from_slice(format!("line {i}\n").as_bytes());
        }
        let text = stderr_text(&Mutex::new(bytes));
        assert!(text.starts_with("…\nline "), "{text}");
        assert!(text.ends_with("line 999"));
        assert!(text.len() <= STDERR_TAIL + 4);
    }
}
