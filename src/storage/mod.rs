//! Files on disk: atomic writes, and the small preferences file (favourites, recent models,
//! prompt history, last models per endpoint), the history database derived from the sessions.

pub mod blobs;
pub mod export;
pub mod history;
pub mod index;
mod migrate;
pub mod prefs;
pub mod ratings;
pub mod session;
pub mod votes;

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temp file in the same directory, fsync, rename. A
/// crash at any moment leaves either the old file or the new one, never a torn one. New
/// files are created readable by the owner only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_mode(path, bytes, 0o600)
}

/// Runs `f` holding an exclusive lock on `lock_path` (created if missing), so processes that
/// read, merge and write the same file take turns.
pub fn with_file_lock<T>(
    lock_path: &Path,
    f: impl FnOnce() -> std::io::Result<T>,
) -> std::io::Result<T> {
    if let Some(dir) = lock_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)?;
    lock.lock()?;
    let result = f();
    let _ = lock.unlock();
    result
}

/// Writes a file the user asked for (an export) atomically: private (0600) when new, with
/// the permissions it already had when it exists.
pub fn write_user_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map_or(0o600, |m| m.permissions().mode() & 0o7777)
    };
    #[cfg(not(unix))]
    let mode = 0o600;
    write_atomic_mode(path, bytes, mode)
}

fn write_atomic_mode(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    write_atomic_with(path, mode, |w| w.write_all(bytes))
}

/// [`write_atomic`] for a file written in pieces (`fill` writes it, buffered): a large file is
/// streamed to disk rather than built in memory first.
pub fn write_atomic_with(
    path: &Path,
    _mode: u32,
    fill: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".tmp-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(_mode));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    #[cfg(unix)]
    {
        // Exactly this mode, whatever the umask.
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(_mode))?;
    }
    {
        let mut w = std::io::BufWriter::with_capacity(256 * 1024, tmp.as_file_mut());
        fill(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
