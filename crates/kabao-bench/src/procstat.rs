//! What the kernel says about a process: its CPU time (`/proc/PID/stat`,
//! user + system, all threads), its memory (`/proc/PID/status`), and the exact
//! CPU time of the calling thread (`/proc/thread-self/schedstat`).

use anyhow::Context as _;
use serde::Serialize;
use std::time::Duration;

/// Clock ticks per second (`getconf CLK_TCK`), the unit of `/proc/PID/stat` times.
#[derive(Debug, Clone, Copy)]
pub struct TicksPerSecond(pub u64);

impl TicksPerSecond {
    /// Asks `getconf CLK_TCK` once; Linux has used 100 everywhere for decades, so that is the fallback.
    pub fn detect() -> Self {
        let asked = std::process::Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8(o.stdout).ok())
            .and_then(|s| s.trim().parse::<u64>().ok())
            .filter(|&t| t > 0);
        Self(asked.unwrap_or(100))
    }

    /// `ticks` as a duration.
    pub fn duration(self, ticks: u64) -> Duration {
        Duration::from_nanos(ticks.saturating_mul(1_000_000_000) / self.0)
    }
}

/// `utime + stime` in clock ticks from one line of `/proc/PID/stat`.
///
/// The command name (field 2) is in parentheses and may itself contain spaces
/// and parentheses, so fields are counted from the last `)`: the token after it
/// is field 3 (state), which puts utime (field 14) and stime (field 15) at
/// offsets 11 and 12.
pub fn parse_cpu_ticks(stat_line: &str) -> Option<u64> {
    let after_comm = &stat_line[stat_line.rfind(')')? + 1..];
    let mut fields = after_comm.split_ascii_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// CPU time (user + system, every thread, living or exited) of process `pid`.
pub fn process_cpu(pid: u32, ticks: TicksPerSecond) -> anyhow::Result<Duration> {
    let path = format!("/proc/{pid}/stat");
    let line = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let used = parse_cpu_ticks(&line).with_context(|| format!("unexpected {path}: {line}"))?;
    Ok(ticks.duration(used))
}

/// The value in kB of a `Key:   123 kB` line of `/proc/PID/status`.
pub fn parse_status_kb(status: &str, key: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.split_ascii_whitespace().next()?.parse().ok()
    })
}

/// Memory of a process, from `/proc/PID/status`.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Memory {
    /// Resident set size now (`VmRSS`), in kB.
    pub rss_kb: u64,
    /// Highest resident set size since start (`VmHWM`), in kB.
    pub peak_rss_kb: u64,
    /// Threads now.
    pub threads: u64,
}

/// Reads the memory of process `pid`.
pub fn memory(pid: u32) -> anyhow::Result<Memory> {
    let path = format!("/proc/{pid}/status");
    let status = std::fs::read_to_string(&path).with_context(|| format!("cannot read {path}"))?;
    let field = |key| parse_status_kb(&status, key).with_context(|| format!("no {key} in {path}"));
    Ok(Memory {
        rss_kb: field("VmRSS")?,
        peak_rss_kb: field("VmHWM")?,
        threads: field("Threads")?,
    })
}

/// On-CPU time of the calling thread, in nanoseconds, from the first field of
/// `/proc/thread-self/schedstat`; `None` where the kernel does not offer it.
///
/// The kernel brings a running thread's figure up to date only at a timer tick
/// or a scheduling event, so this first yields the CPU (`sched_yield` updates
/// it) to read an exact value rather than one up to a tick (4 ms) old.
pub fn thread_cpu() -> Option<Duration> {
    std::thread::yield_now();
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_ascii_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// CPU time of the whole machine, in clock ticks, from the `cpu` line of `/proc/stat`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SystemTicks {
    /// user + nice + system + idle + iowait + irq + softirq + steal.
    pub total: u64,
    /// Time the hypervisor ran something else while a virtual CPU wanted to run.
    pub steal: u64,
}

impl SystemTicks {
    /// Steal as a percentage of all CPU time between `earlier` and `self`.
    pub fn steal_percent_since(self, earlier: SystemTicks) -> f64 {
        let total = self.total.saturating_sub(earlier.total);
        let steal = self.steal.saturating_sub(earlier.steal);
        if total == 0 {
            0.0
        } else {
            steal as f64 * 100.0 / total as f64
        }
    }
}

/// Parses the first (`cpu `) line of `/proc/stat`.
pub fn parse_system_ticks(stat: &str) -> Option<SystemTicks> {
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let values: Vec<u64> = line
        .split_ascii_whitespace()
        .skip(1)
        .take(8)
        .map(|v| v.parse().ok())
        .collect::<Option<_>>()?;
    Some(SystemTicks {
        total: values.iter().sum(),
        steal: *values.get(7).unwrap_or(&0),
    })
}

/// Reads `/proc/stat`; zeros where it cannot be read.
pub fn system_ticks() -> SystemTicks {
    std::fs::read_to_string("/proc/stat")
        .ok()
        .and_then(|s| parse_system_ticks(&s))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_ticks_are_utime_plus_stime() {
        // A real line of a kabao process; utime 1234, stime 56.
        let line = "4242 (kabao) S 4200 4242 4200 34816 4242 4194560 1520 0 0 0 1234 56 0 0 20 0 3 0 987654 123456789 3000 18446744073709551615 1 1 0 0 0 0 0 4096 17610 0 0 0 17 1 0 0 0 0 0";
        assert_eq!(parse_cpu_ticks(line), Some(1290));
    }

    #[test]
    fn a_command_name_with_spaces_and_parentheses_does_not_shift_fields() {
        let line = "7 (tokio (x) y) R 1 7 1 0 -1 4194560 10 0 0 0 30 12 0 0 20 0 1 0 5 0 0";
        assert_eq!(parse_cpu_ticks(line), Some(42));
    }

    #[test]
    fn a_short_line_is_rejected() {
        assert_eq!(parse_cpu_ticks("1 (x) S 0 1"), None);
    }

    #[test]
    fn status_fields_are_read_in_kb() {
        let status = "Name:\tkabao\nVmHWM:\t   20480 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(parse_status_kb(status, "VmRSS"), Some(12345));
        assert_eq!(parse_status_kb(status, "VmHWM"), Some(20480));
        assert_eq!(parse_status_kb(status, "Threads"), Some(3));
        assert_eq!(parse_status_kb(status, "VmSwap"), None);
    }

    #[test]
    fn machine_ticks_and_steal() {
        let stat = "cpu  100 5 50 800 10 1 2 32 0 0\ncpu0 50 2 25 400 5 0 1 16 0 0\n";
        let t = parse_system_ticks(stat).unwrap();
        assert_eq!(
            t,
            SystemTicks {
                total: 1000,
                steal: 32
            }
        );
        let later = SystemTicks {
            total: 1200,
            steal: 42,
        };
        assert_eq!(later.steal_percent_since(t), 5.0);
    }

    #[test]
    fn ticks_convert_to_time() {
        assert_eq!(
            TicksPerSecond(100).duration(250),
            Duration::from_millis(2500)
        );
    }
}
