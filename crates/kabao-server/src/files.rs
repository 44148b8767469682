//! Writing secrets to disk: key files (and store exports, which hold keys)
//! are readable by their owner only, from the moment they exist.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Creates (or truncates) `path` for writing, readable and writable by its
/// owner only (0600 on Unix): a new file is created with that mode, and an
/// existing one has its mode narrowed before anything is written.
pub fn create_owner_only(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Writes `text` to `path`, readable by its owner only ([`create_owner_only`]).
pub fn write_owner_only(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = create_owner_only(path)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()
}
