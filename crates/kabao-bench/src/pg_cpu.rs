//! The CPU time PostgreSQL's server processes spend for kabao: every process
//! whose command line starts with `postgres:` (the titles PostgreSQL gives
//! its processes) and either names kabao's database (the backends serving
//! kabao's connections, autovacuum workers on its tables) or belongs to no
//! database (checkpointer, background writer, WAL writer, launchers: shared
//! by the whole server, kabao's on a quiet machine). Backends of other
//! databases are left out. Read from `/proc/PID/stat` per process, so that
//! backends started during a measured period count from zero; those that
//! exited during it are missing.

use crate::procstat::{parse_cpu_ticks, TicksPerSecond};
use std::collections::HashMap;
use std::time::Duration;

/// CPU ticks of each PostgreSQL process working for one database, at one moment.
#[derive(Debug, Clone, Default)]
pub struct PgCpu {
    ticks: HashMap<u32, u64>,
}

impl PgCpu {
    /// Reads the processes working for `database` now.
    pub fn read(database: &str) -> Self {
        let mut ticks = HashMap::new();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Self { ticks };
        };
        for entry in entries.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|n| n.parse::<u32>().ok())
            else {
                continue;
            };
            // A process may end between the listing and the reads.
            let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
                continue;
            };
            if !works_for(&String::from_utf8_lossy(&cmdline), database) {
                continue;
            }
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
                continue;
            };
            if let Some(used) = parse_cpu_ticks(&stat) {
                ticks.insert(pid, used);
            }
        }
        Self { ticks }
    }

    /// The CPU time used between `earlier` and this reading by the processes
    /// living now (those that started in between count whole).
    pub fn since(&self, earlier: &PgCpu, ticks: TicksPerSecond) -> Duration {
        let used = self
            .ticks
            .iter()
            .map(|(pid, &now)| now.saturating_sub(earlier.ticks.get(pid).copied().unwrap_or(0)))
            .sum();
        ticks.duration(used)
    }

    /// How many processes this reading found.
    pub fn processes(&self) -> usize {
        self.ticks.len()
    }
}

/// Whether a process with command line `cmdline` works for `database`.
pub fn works_for(cmdline: &str, database: &str) -> bool {
    let Some(title) = cmdline.strip_prefix("postgres:") else {
        return false;
    };
    let title = title.replace('\0', " ");
    if title.split_ascii_whitespace().any(|word| word == database) {
        return true;
    }
    // A client backend names its peer, `host(port)` or `[local]`; an
    // autovacuum worker its database: both here for another database.
    !(title.contains('(') || title.contains("[local]") || title.contains("autovacuum worker"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DB: &str = "kabao_bench_1_ab";

    #[test]
    fn backends_of_kabaos_database_and_shared_processes_count() {
        assert!(works_for(
            "postgres: 15/main: postgres kabao_bench_1_ab 127.0.0.1(50412) idle\0",
            DB
        ));
        assert!(works_for("postgres: 15/main: checkpointer   ", DB));
        assert!(works_for("postgres: walwriter", DB));
        assert!(works_for(
            "postgres: 15/main: autovacuum worker kabao_bench_1_ab",
            DB
        ));
    }

    #[test]
    fn other_databases_and_other_programs_do_not() {
        assert!(!works_for(
            "postgres: 15/main: postgres kabao_t_9_x 127.0.0.1(50413) INSERT",
            DB
        ));
        assert!(!works_for("postgres: postgres test [local] idle", DB));
        assert!(!works_for("postgres: 15/main: autovacuum worker test", DB));
        assert!(!works_for(
            "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main",
            DB
        ));
        assert!(!works_for(
            "kabao serve --database-url postgres://x/kabao_bench_1_ab",
            DB
        ));
    }
}
