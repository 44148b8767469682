//! "Where the time goes" in the report: which loads show their profile.

use super::tests::report;
use super::*;
use crate::profile::{record_command, Profile, ProfileMode, REPORT_COMMAND};
use crate::profile_summary::summarise;

fn profile(unavailable: Option<&str>) -> Profile {
    Profile {
        record_command: record_command(499),
        report_command: REPORT_COMMAND.into(),
        seconds: 10.3,
        perf_cpu_secs: Some(0.12),
        summary: unavailable
            .is_none()
            .then(|| summarise(include_str!("../testdata/perf_report_taxi.txt"))),
        unavailable: unavailable.map(str::to_owned),
    }
}

/// A report whose certificates load (8 conn) costs `kabao_cpu_ms` per 1000
/// requests against a 1000 µs floor, both it and the inserts profiled.
fn profiled(kabao_cpu_ms: u64, mode: ProfileMode, unavailable: Option<&str>) -> Report {
    let mut r = report(kabao_cpu_ms, 30_000);
    r.settings.profile = mode;
    r.scenarios[0].profile = Some(profile(unavailable));
    r.inserts[0].profile = Some(profile(unavailable));
    r
}

#[test]
fn a_missed_bar_shows_where_its_time_went_and_how_to_record_it() {
    let md = profiled(1300, ProfileMode::Missed, None).markdown();
    assert!(md.contains("1.30× at 8 conn | MISS |"), "{md}");
    assert!(
        md.contains("### Where the time goes: signed requests"),
        "{md}"
    );
    assert!(
        md.contains("#### `GET /v3/certificates` at 8 conn (MISS)"),
        "{md}"
    );
    assert!(
        md.contains("`perf record -F 499 -p <kabao pid> -o kabao.perf.data`"),
        "{md}"
    );
    assert!(md.contains(REPORT_COMMAND), "{md}");
    assert!(
        md.contains("9K samples (as perf counts them) of `cpu-clock:ppp` over 10.3 s; perf itself used 0.12 s of CPU. `cpu-clock` is perf's timer event"),
        "{md}"
    );
    assert!(md.contains("| RSA/crypto (aws-lc) | 41.6 |"), "{md}");
    assert!(
        md.contains("| kernel (network, scheduling, system calls) | 11.2 |"),
        "{md}"
    );
    assert!(
        md.contains("| `aws_lc_0_47_0_bn_sqr8x_internal` | kabao | RSA/crypto (aws-lc) | 30.00 |"),
        "{md}"
    );
    assert!(
        md.contains("| `cfree@GLIBC_2.2.5` | libc.so.6 | allocator | 1.80 |"),
        "{md}"
    );
    // The inserts met their bar: their profile is not shown.
    assert!(!md.contains("Where the time goes: inserts"), "{md}");
    assert!(md.contains("`--profile missed`"), "{md}");
}

#[test]
fn met_bars_show_their_profile_only_when_all_are_asked_for() {
    let md = profiled(1200, ProfileMode::Missed, None).markdown();
    assert!(!md.contains("### Where the time goes"), "{md}");
    let md = profiled(1200, ProfileMode::All, None).markdown();
    assert!(
        md.contains("#### `GET /v3/certificates` at 8 conn (PASS)"),
        "{md}"
    );
    assert!(
        md.contains("#### `POST /card/invoice/insert` at 64 conn (PASS)"),
        "{md}"
    );
    assert!(md.contains("--profile all --profile-frequency 499"), "{md}");
}

#[test]
fn a_profile_perf_could_not_record_says_why() {
    let md = profiled(1300, ProfileMode::Missed, Some("`perf` is not on PATH")).markdown();
    assert!(
        md.contains(
            "- `GET /v3/certificates` at 8 conn (MISS): profile unavailable: 'perf' is not on PATH"
        ),
        "{md}"
    );
}

#[test]
fn with_profiling_off_the_run_says_so() {
    let mut r = report(1300, 30_000);
    r.settings.profile = ProfileMode::Off;
    let md = r.markdown();
    assert!(md.contains("- Profiles: none (`--profile off`)."), "{md}");
    assert!(!md.contains("### Where the time goes"), "{md}");
}
