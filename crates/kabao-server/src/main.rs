//! The `kabao` binary: a shim over [`kabao_server::cli::run`].

/// Every request allocates and frees many small strings and buffers;
/// mimalloc does that in less CPU than the system allocator (measured with
/// `kabao-bench`, see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    if let Err(e) = kabao_server::cli::run().await {
        eprintln!("kabao: {e:#}");
        std::process::exit(1);
    }
}
