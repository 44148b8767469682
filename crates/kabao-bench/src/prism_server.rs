//! Stoplight Prism (`@stoplight/prism-cli`), the generic OpenAPI mock the
//! `prism` scenario compares kabao with: installed with npm into a throwaway
//! folder, started as `prism mock` on 127.0.0.1, watched through `/proc`
//! (CPU and memory of its whole process tree) and stopped.
//!
//! The reference YAML is a Swagger 2.0 path item (one operation, its
//! `Wechatpay-Serial` parameter a `$ref` into `definitions/Parameters.yaml`),
//! not a whole document, which `prism mock` refuses ("Unsupported document
//! format"); so the bench hands Prism a minimal Swagger 2.0 document whose
//! only path is a `$ref` to that file, unchanged.

use crate::procstat::{self, Memory, TicksPerSecond};
use anyhow::{bail, Context as _};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The npm package.
pub const PACKAGE: &str = "@stoplight/prism-cli";
/// The version installed unless `--prism-version` says otherwise; pinned so
/// that runs compare with the same mock.
pub const VERSION: &str = "5.16.0";
/// Prism's `--verboseLevel`: warnings and errors only, so that Prism does not
/// spend CPU writing a log line per request (its default, `info`, writes two).
pub const LOG_LEVEL: &str = "warn";
/// Where the path item is mounted: the path kabao serves.
const MOUNT: &str = crate::fapiao_world::APPLICATIONS_PATH;

/// Prism installed in a temporary folder (removed when this is dropped).
pub struct PrismInstall {
    dir: tempfile::TempDir,
    /// `@stoplight/prism-cli@VERSION` as installed.
    pub package: String,
    /// `node --version`.
    pub node_version: String,
    /// Wall seconds `npm install` took.
    pub install_secs: f64,
}

/// A running `prism mock`.
pub struct Prism {
    child: Child,
    /// Where it listens.
    pub addr: SocketAddr,
    log: PathBuf,
}

/// The document Prism mocks: Swagger 2.0 with one path, a `$ref` to `spec`
/// (absolute, so that the path item's own relative `$ref`s resolve beside it).
pub fn wrapper_document(spec: &Path) -> String {
    let quoted = spec.display().to_string().replace('\'', "''");
    format!(
        "swagger: '2.0'\n\
         info:\n  title: WeChat Pay fapiao-applications (kabao-bench)\n  version: '1'\n\
         consumes:\n  - application/json\n\
         produces:\n  - application/json\n\
         paths:\n  {MOUNT}:\n    $ref: '{quoted}'\n"
    )
}

/// Installs `PACKAGE@version` with npm into a new temporary folder.
pub fn install(version: &str) -> anyhow::Result<PrismInstall> {
    let npm = Command::new("npm").arg("--version").output();
    match npm {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "the prism scenario installs {PACKAGE}@{version} with npm, and npm is not on PATH: \
             install Node.js (with npm), or leave prism out of --scenarios"
        ),
        Err(e) => bail!("cannot run npm --version: {e}"),
        Ok(o) if !o.status.success() => bail!("npm --version failed ({})", o.status),
        Ok(_) => {}
    }
    let node_version = command_output("node", &["--version"])
        .context("the prism scenario needs node beside npm")?;
    let dir = tempfile::Builder::new()
        .prefix("kabao-bench-prism-")
        .tempdir()?;
    let spec = format!("{PACKAGE}@{version}");
    eprintln!(
        "prism: npm install --prefix {} {spec}",
        dir.path().display()
    );
    let started = Instant::now();
    let out = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(dir.path())
        .args(["--no-audit", "--no-fund", "--loglevel=error", &spec])
        .stdin(Stdio::null())
        .output()
        .context("cannot run npm install")?;
    if !out.status.success() {
        bail!(
            "npm install {spec} failed ({}):\n{}",
            out.status,
            tail(&String::from_utf8_lossy(&out.stderr), 20)
        );
    }
    let install_secs = started.elapsed().as_secs_f64();
    let manifest = dir
        .path()
        .join("node_modules")
        .join(PACKAGE)
        .join("package.json");
    let installed: serde_json::Value = serde_json::from_slice(
        &std::fs::read(&manifest)
            .with_context(|| format!("npm installed no {}", manifest.display()))?,
    )?;
    let installed = installed["version"].as_str().unwrap_or(version).to_owned();
    eprintln!(
        "prism: {PACKAGE}@{installed} installed in {install_secs:.1} s (node {node_version})"
    );
    Ok(PrismInstall {
        dir,
        package: format!("{PACKAGE}@{installed}"),
        node_version,
        install_secs,
    })
}

impl PrismInstall {
    /// Starts `prism mock` on a free port of 127.0.0.1, mocking `spec`
    /// through [`wrapper_document`]. It is not yet answering; see [`Prism::wait_listening`].
    pub fn start(&self, spec: &Path) -> anyhow::Result<Prism> {
        let spec = spec.canonicalize().with_context(|| {
            format!(
                "cannot read the OpenAPI file for Prism, {} (set --prism-spec or KABAO_PRISM_SPEC)",
                spec.display()
            )
        })?;
        let document = self.dir.path().join("fapiao-applications.swagger.yaml");
        std::fs::write(&document, wrapper_document(&spec))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log = self.dir.path().join("prism.log");
        let log_file = std::fs::File::create(&log)?;
        let bin = self.dir.path().join("node_modules/.bin/prism");
        let child = Command::new(&bin)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .args(["--verboseLevel", LOG_LEVEL])
            .arg(&document)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .with_context(|| format!("cannot start {}", bin.display()))?;
        Ok(Prism { child, addr, log })
    }
}

impl Prism {
    /// The process id of `prism mock` (node).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until Prism accepts connections; fails when it exits first or after `limit`.
    pub async fn wait_listening(&mut self, limit: Duration) -> anyhow::Result<Duration> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("prism mock exited ({status}):\n{}", self.log_tail(20));
            }
            if tokio::net::TcpStream::connect(self.addr).await.is_ok() {
                return Ok(started.elapsed());
            }
            if started.elapsed() > limit {
                bail!(
                    "prism mock did not listen on {} within {limit:?}:\n{}",
                    self.addr,
                    self.log_tail(20)
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// CPU time of Prism's process and every process under it.
    pub fn cpu(&self, ticks: TicksPerSecond) -> anyhow::Result<Duration> {
        let mut total = Duration::ZERO;
        for pid in process_tree(self.pid()) {
            // A process may end between the listing and the read.
            if let Ok(cpu) = procstat::process_cpu(pid, ticks) {
                total += cpu;
            }
        }
        Ok(total)
    }

    /// Memory of Prism's process and every process under it, added up.
    pub fn memory(&self) -> anyhow::Result<Memory> {
        let mut total = procstat::memory(self.pid())?;
        for pid in process_tree(self.pid()).into_iter().skip(1) {
            if let Ok(m) = procstat::memory(pid) {
                total.rss_kb += m.rss_kb;
                total.peak_rss_kb += m.peak_rss_kb;
                total.threads += m.threads;
            }
        }
        Ok(total)
    }

    /// The last `lines` lines Prism logged.
    pub fn log_tail(&self, lines: usize) -> String {
        tail(
            &std::fs::read_to_string(&self.log).unwrap_or_default(),
            lines,
        )
    }

    /// Stops Prism and every process it started.
    pub fn stop(mut self) -> anyhow::Result<()> {
        // Prism without `--multiprocess` is one node process; any process it
        // did start is ended by its id first, while it is still Prism's.
        for pid in process_tree(self.pid()).into_iter().skip(1).rev() {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The parent pid (field 4) of a `/proc/PID/stat` line.
pub fn parse_ppid(stat_line: &str) -> Option<u32> {
    let after_comm = &stat_line[stat_line.rfind(')')? + 1..];
    after_comm.split_ascii_whitespace().nth(1)?.parse().ok()
}

/// `root` and its descendants, `root` first, from `(pid, ppid)` pairs.
pub fn descendants(root: u32, parents: &[(u32, u32)]) -> Vec<u32> {
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(
            parents
                .iter()
                .filter(|&&(pid, ppid)| ppid == parent && pid != parent)
                .map(|&(pid, _)| pid),
        );
        i += 1;
    }
    tree
}

/// `root` and the processes under it, from `/proc`.
fn process_tree(root: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
                .filter_map(|pid| {
                    let line = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    Some((pid, parse_ppid(&line)?))
                })
                .collect()
        })
        .unwrap_or_default();
    descendants(root, &parents)
}

fn command_output(program: &str, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {program}"))?;
    if !out.status.success() {
        bail!("{program} {} failed ({})", args.join(" "), out.status);
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wrapper_mounts_the_path_item_unchanged_at_kabaos_path() {
        let doc = wrapper_document(Path::new("/ref/v3/it's/fapiao-applications.yaml"));
        assert!(doc.starts_with("swagger: '2.0'\n"));
        assert!(doc.contains("\n  /v3/new-tax-control-fapiao/fapiao-applications:\n"));
        // YAML single quotes double a quote inside.
        assert!(doc.ends_with("    $ref: '/ref/v3/it''s/fapiao-applications.yaml'\n"));
    }

    #[test]
    fn the_parent_pid_is_read_after_the_command_name() {
        assert_eq!(
            parse_ppid("4242 (node (x) y) S 4200 4242 4200 0"),
            Some(4200)
        );
        assert_eq!(parse_ppid("4242 (node)"), None);
    }

    #[test]
    fn a_process_tree_is_its_root_then_every_descendant() {
        let parents = [
            (1, 0),
            (10, 1),
            (11, 10),
            (12, 10),
            (13, 11),
            (20, 1),
            (30, 99),
        ];
        assert_eq!(descendants(10, &parents), vec![10, 11, 12, 13]);
        assert_eq!(descendants(30, &parents), vec![30]);
    }
}
