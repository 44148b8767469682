#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time: fuzz/run.sh [SECONDS] [TARGET...]
# (default 60 s each, all targets). Needs the nightly toolchain and cargo-fuzz
# (`rustup toolchain install nightly --profile minimal`, `cargo install cargo-fuzz --locked`).
# A crash stops the run; its input is saved under fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(auth_header callback_envelope json_bodies multipart event_xml)
fi
cargo +nightly fuzz build -O
for target in "${targets[@]}"; do
  echo "== fuzz $target for ${seconds}s"
  mkdir -p "corpus/$target"
  # seeds/ holds hand-written starting inputs, kept in git; corpus/ grows locally.
  seeds=()
  [ -d "seeds/$target" ] && seeds=("seeds/$target")
  cargo +nightly fuzz run -O "$target" "corpus/$target" "${seeds[@]}" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
done
