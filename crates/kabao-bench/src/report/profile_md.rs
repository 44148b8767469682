//! "Where the time goes": the perf profiles of the loads judged against a
//! bar, under each section whose bar they missed (or every one with
//! `--profile all`).

use super::*;
use crate::profile::{Profile, ProfileMode};
use crate::profile_summary::ProfileSummary;

/// Longest function name shown whole; Rust's generic names get long.
const SYMBOL_CHARS: usize = 110;

/// One load that may have a profile to show.
pub(super) struct ProfiledLoad<'a> {
    /// How the report names it (`` `GET /v3/certificates` at 8 conn ``).
    pub label: String,
    /// Whether it missed its bar.
    pub missed: bool,
    /// Its profile, if one was recorded.
    pub profile: Option<&'a Profile>,
}

/// Writes the "Where the time goes" subsection of `what` for the loads
/// `mode` shows; nothing when none of them has a profile to show.
pub(super) fn write_profiles(
    md: &mut String,
    mode: ProfileMode,
    what: &str,
    loads: &[ProfiledLoad],
) -> std::fmt::Result {
    let shown: Vec<(&ProfiledLoad, &Profile)> = loads
        .iter()
        .filter(|l| mode.shows(l.missed))
        .filter_map(|l| Some((l, l.profile?)))
        .collect();
    let Some((_, first)) = shown.first() else {
        return Ok(());
    };
    writeln!(md, "### Where the time goes: {what}\n")?;
    writeln!(
        md,
        "kabao was profiled with `{}` during the measured period of each load below \
         (stopped with SIGINT at its end), so the figures above include perf's overhead: \
         its sampling interrupts in kabao's CPU time, and perf's own CPU (given per load) \
         on the machine the load generator shares. Summarised with `{}`: each share is \
         of all of kabao's samples, self time only (a function's callees count for \
         themselves). Shown for the loads that {} (`--profile {}`).\n",
        first.record_command,
        first.report_command,
        if mode == ProfileMode::All {
            "were judged against a bar"
        } else {
            "missed their bar"
        },
        mode.name()
    )?;
    for (load, profile) in shown {
        let verdict = if load.missed { "MISS" } else { "PASS" };
        match (&profile.summary, &profile.unavailable) {
            (Some(summary), _) => write_summary(md, &load.label, verdict, profile, summary)?,
            (None, why) => writeln!(
                md,
                "- {} ({verdict}): profile unavailable: {}\n",
                load.label,
                why.as_deref()
                    .unwrap_or("no reason given")
                    .replace('`', "'")
            )?,
        }
    }
    Ok(())
}

fn write_summary(
    md: &mut String,
    label: &str,
    verdict: &str,
    profile: &Profile,
    summary: &ProfileSummary,
) -> std::fmt::Result {
    writeln!(md, "#### {label} ({verdict})\n")?;
    writeln!(
        md,
        "{} samples (as perf counts them) of `{}` over {:.1} s{}.{}\n",
        summary.samples_text,
        summary.event,
        profile.seconds,
        profile
            .perf_cpu_secs
            .map(|s| format!("; perf itself used {s:.2} s of CPU"))
            .unwrap_or_default(),
        if summary.event.starts_with("cpu-clock") {
            " `cpu-clock` is perf's timer event (the machine gives it no hardware counters): \
             a sample due while the kernel has interrupts off lands where it turns them back \
             on (`finish_task_switch`, `_raw_spin_unlock_irqrestore`), so the kernel's share \
             stands for its context switches and wake-ups as a whole."
        } else {
            ""
        }
    )?;
    writeln!(md, "| kind of work | share of kabao's samples % |")?;
    writeln!(md, "| --- | ---: |")?;
    for c in &summary.categories {
        writeln!(md, "| {} | {:.1} |", c.category.label(), c.percent)?;
    }
    writeln!(
        md,
        "\n| function (top {} by self time) | shared object | kind | self % |",
        summary.top.len()
    )?;
    writeln!(md, "| --- | --- | --- | ---: |")?;
    for f in &summary.top {
        writeln!(
            md,
            "| `{}` | {} | {} | {:.2} |",
            cell(&f.symbol),
            cell(&f.dso),
            f.category.label(),
            f.percent
        )?;
    }
    writeln!(md)
}

/// A function or object name fit for a table cell: shortened, no `|` or backtick.
fn cell(text: &str) -> String {
    let mut out: String = text.chars().take(SYMBOL_CHARS).collect();
    if text.chars().count() > SYMBOL_CHARS {
        out.push('…');
    }
    out.replace('|', "¦").replace('`', "'")
}

impl Report {
    /// The certificates loads' profiles.
    pub(super) fn write_signed_profiles(&self, md: &mut String) -> std::fmt::Result {
        let loads: Vec<ProfiledLoad> = self
            .scenarios
            .iter()
            .filter_map(|s| {
                Some(ProfiledLoad {
                    label: format!("`{}` at {} conn", s.endpoint.label(), s.connections),
                    missed: s.floor_ratio? > CPU_RATIO_BAR,
                    profile: s.profile.as_ref(),
                })
            })
            .collect();
        write_profiles(md, self.settings.profile, "signed requests", &loads)
    }

    /// The insert loads' profiles: the bar is met by the best of them, so
    /// all of them missed it when it is missed.
    pub(super) fn write_insert_profiles(&self, md: &mut String) -> std::fmt::Result {
        let missed = !self.insert_bar_met();
        let loads: Vec<ProfiledLoad> = self
            .inserts
            .iter()
            .map(|s| ProfiledLoad {
                label: format!("`{}` at {} conn", crate::insert::LABEL, s.connections),
                missed,
                profile: s.profile.as_ref(),
            })
            .collect();
        write_profiles(md, self.settings.profile, "inserts", &loads)
    }

    /// The held fapiao loads' profiles.
    pub(super) fn write_fapiao_profiles(
        &self,
        md: &mut String,
        fapiao: &FapiaoResults,
    ) -> std::fmt::Result {
        let loads: Vec<ProfiledLoad> = fapiao
            .held
            .iter()
            .filter_map(|h| {
                Some(ProfiledLoad {
                    label: format!("held applications at {} conn", h.connections),
                    missed: h.floor_ratio? > FAPIAO_CPU_RATIO_BAR,
                    profile: h.profile.as_ref(),
                })
            })
            .collect();
        write_profiles(md, self.settings.profile, "fapiao applications", &loads)
    }

    /// The taxi loads' profiles.
    pub(super) fn write_taxi_profiles(&self, md: &mut String) -> std::fmt::Result {
        let loads: Vec<ProfiledLoad> = self
            .taxi
            .iter()
            .filter_map(|t| {
                Some(ProfiledLoad {
                    label: format!("taxi cards at {} conn", t.connections),
                    missed: t.floor_ratio? > TAXI_CPU_RATIO_BAR || t.errors + t.warmup_errors > 0,
                    profile: t.profile.as_ref(),
                })
            })
            .collect();
        write_profiles(md, self.settings.profile, "taxi cards", &loads)
    }
}

impl Report {
    /// The Run section's line on profiling.
    pub(super) fn write_profiling_note(&self, md: &mut String) -> std::fmt::Result {
        let mode = self.settings.profile;
        if mode == ProfileMode::Off {
            return writeln!(md, "- Profiles: none (`--profile off`).\n");
        }
        writeln!(
            md,
            "- Profiles (`--profile {}`): `{}` on kabao during the measured period of each \
             SQLite load judged against a bar (signed certificates requests, inserts, held \
             fapiao applications, taxi cards), so those loads' figures include perf's \
             overhead; \"Where the time goes\" under a section shows the profiles of its \
             loads that {}. The callback-latency, scaling and memory bars are not profiled; \
             without a working `perf` a profile says it is unavailable and why.\n",
            mode.name(),
            crate::profile::record_command(self.settings.profile_frequency),
            if mode == ProfileMode::All {
                "were judged against a bar"
            } else {
                "missed their bar"
            }
        )
    }
}
