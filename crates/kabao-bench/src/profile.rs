//! Profiles kabao with `perf record` during the measured period of each load
//! judged against a bar, so that a missed bar comes with where the time went
//! ([`crate::profile_summary`]). perf is optional: when it is missing or
//! fails, the profile says why and the bench carries on.

use crate::procstat::{self, TicksPerSecond};
use crate::profile_summary::{self, ProfileSummary};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Which loads' profiles `--profile` keeps in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProfileMode {
    /// No perf at all.
    Off,
    /// Loads that miss their bar.
    #[default]
    Missed,
    /// Every load judged against a bar.
    All,
}

impl ProfileMode {
    /// The name `--profile` takes.
    pub fn name(self) -> &'static str {
        match self {
            ProfileMode::Off => "off",
            ProfileMode::Missed => "missed",
            ProfileMode::All => "all",
        }
    }

    /// Whether the report shows the profile of a load that met (`false`) or missed its bar.
    pub fn shows(self, missed: bool) -> bool {
        match self {
            ProfileMode::Off => false,
            ProfileMode::Missed => missed,
            ProfileMode::All => true,
        }
    }
}

/// How long perf gets to attach before the measured period starts.
const ATTACH: Duration = Duration::from_millis(300);
/// The profile's file name, in the recording's temporary folder and in the
/// commands the report shows.
const DATA_FILE: &str = "kabao.perf.data";
/// How long perf may take to write its file after SIGINT.
const STOP_WAIT: Duration = Duration::from_secs(60);

/// Starts and summarises the profiles of one run.
#[derive(Debug, Clone)]
pub struct Profiler {
    /// `--profile`.
    pub mode: ProfileMode,
    /// Samples per second per CPU (`perf record -F`).
    pub frequency: u32,
    /// perf's path, or why there is none.
    perf: Result<PathBuf, String>,
}

/// The shell command that records a profile like the bench does.
pub fn record_command(frequency: u32) -> String {
    format!("perf record -F {frequency} -p <kabao pid> -o {DATA_FILE}")
}

/// The shell command that summarises it.
pub const REPORT_COMMAND: &str =
    "perf report -i kabao.perf.data --stdio --no-children --sort dso,symbol";

impl Profiler {
    /// A profiler for `mode`, using the `perf` found on `PATH`.
    pub fn new(mode: ProfileMode, frequency: u32) -> Self {
        Self {
            mode,
            frequency,
            perf: find_on_path("perf").ok_or_else(|| "`perf` is not on PATH".to_owned()),
        }
    }

    /// The profiler `--profile` and `--profile-frequency` ask for.
    pub fn from_args(args: &crate::Args) -> Self {
        Self::new(args.profile, args.profile_frequency)
    }

    /// Starts `perf record` on kabao's processes and gives it time to attach;
    /// `None` when profiling is off.
    pub async fn start(&self, pids: &[u32]) -> Option<Recording> {
        if self.mode == ProfileMode::Off {
            return None;
        }
        let recording = Recording::start(self.perf.clone(), self.frequency, pids);
        if recording.running.is_ok() {
            tokio::time::sleep(ATTACH).await;
        }
        Some(recording)
    }
}

/// A `perf record` under way (or why it could not start).
pub struct Recording {
    running: Result<Running, String>,
    frequency: u32,
    started: Instant,
}

struct Running {
    child: Child,
    dir: tempfile::TempDir,
    perf: PathBuf,
}

impl Running {
    fn data(&self) -> PathBuf {
        self.dir.path().join(DATA_FILE)
    }

    fn stderr(&self) -> String {
        let text = std::fs::read_to_string(self.dir.path().join("record.err")).unwrap_or_default();
        last_lines(&text, 3)
    }
}

impl Recording {
    fn start(perf: Result<PathBuf, String>, frequency: u32, pids: &[u32]) -> Self {
        let running = perf.and_then(|perf| {
            let dir = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
            let err = std::fs::File::create(dir.path().join("record.err"))
                .map_err(|e| format!("cannot create perf's log: {e}"))?;
            let pids = pids
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(",");
            let child = Command::new(&perf)
                .args(["record", "-F", &frequency.to_string(), "-p", &pids, "-o"])
                .arg(dir.path().join(DATA_FILE))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(err)
                .spawn()
                .map_err(|e| format!("cannot start {}: {e}", perf.display()))?;
            Ok(Running { child, dir, perf })
        });
        Self {
            running,
            frequency,
            started: Instant::now(),
        }
    }

    /// Stops perf with SIGINT (as Ctrl-C would), waits for its file and summarises it.
    pub fn finish(self, ticks: TicksPerSecond) -> Profile {
        let seconds = self.started.elapsed().as_secs_f64();
        let mut profile = Profile {
            record_command: record_command(self.frequency),
            report_command: REPORT_COMMAND.to_owned(),
            seconds,
            perf_cpu_secs: None,
            summary: None,
            unavailable: None,
        };
        let outcome = self.running.and_then(|mut running| {
            let pid = running.child.id();
            profile.perf_cpu_secs = procstat::process_cpu(pid, ticks)
                .ok()
                .map(|d| d.as_secs_f64());
            stop(&mut running)?;
            summarise(&running)
        });
        match outcome {
            Ok(summary) => profile.summary = Some(summary),
            Err(why) => profile.unavailable = Some(why),
        }
        profile
    }
}

/// Sends SIGINT and waits for perf to write its file.
fn stop(running: &mut Running) -> Result<(), String> {
    if let Ok(Some(status)) = running.child.try_wait() {
        return Err(format!(
            "`perf record` stopped early ({status}): {}",
            running.stderr()
        ));
    }
    let pid = running.child.id().to_string();
    let _ = Command::new("kill").args(["-INT", &pid]).status();
    let deadline = Instant::now() + STOP_WAIT;
    loop {
        match running.child.try_wait() {
            // Debian's `perf` is a wrapper script that itself dies of the SIGINT.
            Ok(Some(status)) if status.success() || stopped_by_sigint(status) => return Ok(()),
            Ok(Some(status)) => {
                return Err(format!(
                    "`perf record` failed ({status}): {}",
                    running.stderr()
                ))
            }
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                let _ = running.child.kill();
                let _ = running.child.wait();
                return Err(format!(
                    "`perf record` did not stop within {} s of SIGINT",
                    STOP_WAIT.as_secs()
                ));
            }
        }
    }
}

/// Whether perf (or the wrapper that runs it) ended on the SIGINT it was sent.
fn stopped_by_sigint(status: std::process::ExitStatus) -> bool {
    use std::os::unix::process::ExitStatusExt as _;
    const SIGINT: i32 = 2;
    status.signal() == Some(SIGINT) || status.code() == Some(128 + SIGINT)
}

/// Runs `perf report` on the file and summarises its text.
fn summarise(running: &Running) -> Result<ProfileSummary, String> {
    let output = Command::new(&running.perf)
        .arg("report")
        .arg("-i")
        .arg(running.data())
        .args([
            "--stdio",
            "--no-children",
            "--sort",
            "dso,symbol",
            "--percent-limit",
            "0",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run `perf report`: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "`perf report` failed ({}): {}",
            output.status,
            last_lines(&String::from_utf8_lossy(&output.stderr), 3)
        ));
    }
    let summary = profile_summary::summarise(&text);
    if summary.top.is_empty() {
        return Err(format!(
            "perf recorded no samples of kabao: {}",
            last_lines(&String::from_utf8_lossy(&output.stderr), 3)
        ));
    }
    Ok(summary)
}

/// A profile of one load: the summary, or why there is none.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    /// How it was recorded (kabao's pid left as a placeholder).
    pub record_command: String,
    /// How it was summarised.
    pub report_command: String,
    /// Wall seconds perf recorded.
    pub seconds: f64,
    /// perf's own CPU seconds while recording.
    pub perf_cpu_secs: Option<f64>,
    /// Where kabao's time went.
    pub summary: Option<ProfileSummary>,
    /// Why there is no summary.
    pub unavailable: Option<String>,
}

/// The last `n` non-empty lines of `text`, joined with ` / `.
fn last_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(n)..].join(" / ");
    if tail.is_empty() {
        "no message".to_owned()
    } else {
        tail
    }
}

/// The first executable `name` in `PATH`.
fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
