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

/// The command name (field 2, in parentheses) of a `/proc/…/stat` line.
pub fn parse_comm(stat_line: &str) -> Option<&str> {
    let open = stat_line.find('(')?;
    let close = stat_line.rfind(')')?;
    (open < close).then(|| &stat_line[open + 1..close])
}

/// The time the threads of one name spent on a CPU and waiting for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadTimes {
    /// The thread name (`comm`, as `top -H` shows it; at most 15 bytes).
    pub name: String,
    /// Living threads of that name.
    pub threads: u32,
    /// Time on a CPU.
    pub cpu: Duration,
    /// Time runnable but waiting for a CPU (`/proc/…/schedstat`; zero where
    /// the kernel does not offer it).
    pub runqueue: Duration,
}

/// The first two fields of a `schedstat` line: on-CPU and run-queue nanoseconds.
pub fn parse_schedstat(line: &str) -> Option<(Duration, Duration)> {
    let mut fields = line.split_ascii_whitespace();
    let cpu: u64 = fields.next()?.parse().ok()?;
    let wait: u64 = fields.next()?.parse().ok()?;
    Some((Duration::from_nanos(cpu), Duration::from_nanos(wait)))
}

/// The times of each living thread of process `pid`, added up by thread
/// name, sorted by name. On-CPU time comes from `schedstat` (nanoseconds)
/// where it exists, else from `stat` (clock ticks).
pub fn threads_cpu(pid: u32, ticks: TicksPerSecond) -> anyhow::Result<Vec<ThreadTimes>> {
    let dir = format!("/proc/{pid}/task");
    let mut by_name: std::collections::BTreeMap<String, ThreadTimes> = Default::default();
    for entry in std::fs::read_dir(&dir).with_context(|| format!("cannot read {dir}"))? {
        let task = entry?.path();
        // A thread may end between the listing and the reads.
        let Ok(line) = std::fs::read_to_string(task.join("stat")) else {
            continue;
        };
        let (Some(name), Some(used)) = (parse_comm(&line), parse_cpu_ticks(&line)) else {
            continue;
        };
        let (cpu, runqueue) = std::fs::read_to_string(task.join("schedstat"))
            .ok()
            .and_then(|l| parse_schedstat(&l))
            .unwrap_or((ticks.duration(used), Duration::ZERO));
        let times = by_name
            .entry(name.to_owned())
            .or_insert_with(|| ThreadTimes {
                name: name.to_owned(),
                threads: 0,
                cpu: Duration::ZERO,
                runqueue: Duration::ZERO,
            });
        times.threads += 1;
        times.cpu += cpu;
        times.runqueue += runqueue;
    }
    Ok(by_name.into_values().collect())
}

/// What the threads of each name used between two [`threads_cpu`] readings
/// (threads that ended in between are missing from `after`, and so here).
pub fn threads_cpu_since(before: &[ThreadTimes], after: &[ThreadTimes]) -> Vec<ThreadTimes> {
    after
        .iter()
        .map(|now| {
            let earlier = before.iter().find(|b| b.name == now.name);
            let since = |pick: fn(&ThreadTimes) -> Duration| {
                pick(now).saturating_sub(earlier.map_or(Duration::ZERO, pick))
            };
            ThreadTimes {
                name: now.name.clone(),
                threads: now.threads,
                cpu: since(|t| t.cpu),
                runqueue: since(|t| t.runqueue),
            }
        })
        .collect()
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
    /// idle + iowait: time no CPU had anything to run.
    pub idle: u64,
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

    /// Idle (with iowait) as a percentage of all CPU time between `earlier` and `self`.
    pub fn idle_percent_since(self, earlier: SystemTicks) -> f64 {
        let total = self.total.saturating_sub(earlier.total);
        let idle = self.idle.saturating_sub(earlier.idle);
        if total == 0 {
            0.0
        } else {
            idle as f64 * 100.0 / total as f64
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
        idle: values.get(3).unwrap_or(&0) + values.get(4).unwrap_or(&0),
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
    fn the_command_name_may_hold_spaces_and_parentheses() {
        assert_eq!(parse_comm("7 (tokio (x) y) R 1"), Some("tokio (x) y"));
        assert_eq!(
            parse_comm("9 (kabao-card-writ) S 1"),
            Some("kabao-card-writ")
        );
        assert_eq!(parse_comm("no name"), None);
    }

    #[test]
    fn thread_cpu_differences_by_name() {
        let ms = Duration::from_millis;
        let t = |name: &str, threads, cpu, runqueue| ThreadTimes {
            name: name.into(),
            threads,
            cpu: ms(cpu),
            runqueue: ms(runqueue),
        };
        let before = vec![t("a", 2, 10, 1), t("b", 1, 5, 0)];
        let after = vec![t("a", 2, 30, 4), t("c", 1, 7, 2)];
        assert_eq!(
            threads_cpu_since(&before, &after),
            vec![t("a", 2, 20, 3), t("c", 1, 7, 2)]
        );
    }

    #[test]
    fn schedstat_is_cpu_then_runqueue_nanoseconds() {
        assert_eq!(
            parse_schedstat("1500000 250000 42\n"),
            Some((Duration::from_micros(1500), Duration::from_micros(250)))
        );
        assert_eq!(parse_schedstat("12"), None);
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
                steal: 32,
                idle: 810,
            }
        );
        let later = SystemTicks {
            total: 1200,
            steal: 42,
            idle: 830,
        };
        assert_eq!(later.steal_percent_since(t), 5.0);
        assert_eq!(later.idle_percent_since(t), 10.0);
    }

    #[test]
    fn ticks_convert_to_time() {
        assert_eq!(
            TicksPerSecond(100).duration(250),
            Duration::from_millis(2500)
        );
    }
}
