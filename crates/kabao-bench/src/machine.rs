//! Where and on what a run happened: CPU model, cores, memory, kernel, the
//! git commit of the working tree and the kabao binary's version.

use serde::Serialize;
use std::path::Path;
use std::process::Command;

/// The machine a run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    /// `model name` from `/proc/cpuinfo`.
    pub cpu: String,
    /// CPUs this process may use.
    pub cores: usize,
    /// `MemTotal` from `/proc/meminfo`, in kB.
    pub memory_total_kb: u64,
    /// Kernel release (`uname -r`).
    pub kernel: String,
    /// Whether `/proc/cpuinfo` lists the `hypervisor` flag (a virtual machine).
    pub virtual_machine: bool,
}

impl Machine {
    /// Reads `/proc`.
    pub fn detect() -> Self {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let field = |key: &str| {
            cpuinfo.lines().find_map(|line| {
                let (name, value) = line.split_once(':')?;
                (name.trim() == key).then(|| value.trim().to_owned())
            })
        };
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        Self {
            cpu: field("model name").unwrap_or_else(|| "unknown".into()),
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            memory_total_kb: crate::procstat::parse_status_kb(&meminfo, "MemTotal").unwrap_or(0),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|s| s.trim().to_owned())
                .unwrap_or_else(|_| "unknown".into()),
            virtual_machine: field("flags")
                .is_some_and(|f| f.split(' ').any(|x| x == "hypervisor")),
        }
    }
}

/// `git rev-parse --short HEAD`, with `+uncommitted` when tracked files differ from it.
pub fn git_commit() -> Option<String> {
    let commit = output(Command::new("git").args(["rev-parse", "--short", "HEAD"]))?;
    let dirty = output(Command::new("git").args(["status", "--porcelain", "--untracked-files=no"]))
        .is_some_and(|s| !s.is_empty());
    Some(if dirty {
        format!("{commit}+uncommitted")
    } else {
        commit
    })
}

/// `BINARY --version`.
pub fn kabao_version(binary: &Path) -> String {
    output(Command::new(binary).arg("--version")).unwrap_or_else(|| "unknown".into())
}

fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}
