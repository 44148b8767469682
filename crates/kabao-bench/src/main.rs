//! The `kabao-bench` binary: a shim over [`kabao_bench::run`].

use clap::Parser as _;

fn main() -> anyhow::Result<()> {
    kabao_bench::run(kabao_bench::Args::parse())
}
