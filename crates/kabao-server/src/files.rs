//! Writing secrets to disk: key files are readable by their owner only.

use std::path::Path;

/// Writes `text` to `path` and restricts it to the owner (0600 on Unix).
pub fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
