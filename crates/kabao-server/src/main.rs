//! The `kabao` binary: a shim over [`kabao_server::cli::run`].

#[tokio::main]
async fn main() {
    if let Err(e) = kabao_server::cli::run().await {
        eprintln!("kabao: {e:#}");
        std::process::exit(1);
    }
}
