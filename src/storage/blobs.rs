//! Attached files, stored once each by the SHA-256 of their bytes in a `blobs/` folder beside
//! the sessions, so a session file names its attachments without holding them, and the same
//! file attached in ten rounds takes its room once.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::chat::Message;
use crate::chat::attach::{AttachError, Attachment, check_size, sha256_hex};

pub fn blobs_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("blobs")
}

fn path_of(dir: &Path, sha256: &str) -> Option<PathBuf> {
    // A name from a session file is checked before it becomes a path.
    let hex = sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| dir.join(sha256.to_ascii_lowercase()))
}

/// Reads the file at `path` as an attachment named `name`, refusing folders, files over
/// their kind's limit (before reading them), binary files and what cannot be read.
pub fn read_file(path: &Path, name: &str) -> Result<Attachment, AttachError> {
    let unreadable = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => AttachError::Missing(name.to_string()),
        _ => AttachError::Unreadable {
            name: name.to_string(),
            reason: e.to_string(),
        },
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(AttachError::Folder(name.to_string()));
    }
    // A device or a pipe (`@/dev/tty`, a FIFO) would read keystrokes or wait for ever.
    if !meta.is_file() {
        return Err(AttachError::Unreadable {
            name: name.to_string(),
            reason: "not a regular file".into(),
        });
    }
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut head = [0u8; 16];
    let n = read_up_to(&mut file, &mut head).map_err(unreadable)?;
    check_size(name, &head[..n], meta.len())?;
    let mut bytes = head[..n].to_vec();
    // One byte past the limit is enough to know a growing file is over it.
    file.take(crate::chat::attach::MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Attachment::from_bytes(name, bytes)
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// Keeps the attachment's bytes in `dir`, once: a blob already there is not written again.
pub fn put(dir: &Path, a: &Attachment) -> std::io::Result<()> {
    let (Some(path), Some(data)) = (path_of(dir, &a.sha256), a.data.as_ref()) else {
        return Err(std::io::Error::other(format!(
            "{}: nothing to store",
            a.name
        )));
    };
    // Kept already, and intact: a blob damaged on disk is written again.
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == a.bytes) && get(dir, &a.sha256).is_ok() {
        return Ok(());
    }
    super::write_atomic(&path, data)
}

/// Reads a file and keeps it in `dir`: what attaching does.
pub fn attach(dir: &Path, path: &Path, name: &str) -> Result<Attachment, AttachError> {
    let a = read_file(path, name)?;
    put(dir, &a).map_err(|e| AttachError::Unreadable {
        name: name.to_string(),
        reason: format!("could not store it in {}: {e}", dir.display()),
    })?;
    Ok(a)
}

/// The bytes of blob `sha256`, checked against their hash.
pub fn get(dir: &Path, sha256: &str) -> Result<Vec<u8>, String> {
    let path = path_of(dir, sha256).ok_or_else(|| format!("{sha256:?} is not a blob name"))?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if sha256_hex(&bytes) != sha256.to_ascii_lowercase() {
        return Err(format!(
            "{} does not hold what it was saved with",
            path.display()
        ));
    }
    Ok(bytes)
}

/// Fills in the bytes of every attachment in `messages` from `dir`, or says which one is
/// missing (a request without it would not be the one asked for).
///
/// An earlier round's file that is gone is left out, and its message says so: the
/// conversation can go on. The prompt being sent must have all of its files.
pub fn resolve(dir: &Path, messages: &mut [Message]) -> Result<(), String> {
    let last = messages.len().saturating_sub(1);
    for (i, m) in messages.iter_mut().enumerate() {
        let mut gone = Vec::new();
        for a in m.attachments.iter_mut().filter(|a| a.data.is_none()) {
            match get(dir, &a.sha256) {
                Ok(bytes) => a.data = Some(bytes.into()),
                Err(e) if i == last => {
                    return Err(format!("attachment {} cannot be read back: {e}", a.name));
                }
                Err(_) => gone.push(a.name.clone()),
            }
        }
        if !gone.is_empty() {
            m.attachments.retain(|a| a.data.is_some());
            for name in gone {
                m.content.push_str(&format!(
                    "\n\n[attached file {name} is no longer available]"
                ));
            }
        }
    }
    Ok(())
}

/// Reads the bytes of every attachment of `session` from `dir`, for an export. An attachment
/// whose blob cannot be read keeps no bytes, and the export says so.
pub fn load_into(dir: &Path, session: &mut super::session::Session) {
    for a in session
        .rounds
        .iter_mut()
        .flat_map(|r| r.attachments.iter_mut())
    {
        if a.data.is_none() {
            a.data = get(dir, &a.sha256).ok().map(Into::into);
            a.recheck();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_blob_is_stored_once_and_read_back_checked() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = blobs_dir(tmp.path());
        let file = tmp.path().join("notes.md");
        std::fs::write(&file, "# hello\n").unwrap();
        let a = attach(&dir, &file, "notes.md").unwrap();
        let stored = dir.join(&a.sha256);
        assert_eq!(std::fs::read(&stored).unwrap(), b"# hello\n");
        let before = std::fs::metadata(&stored).unwrap().modified().unwrap();
        attach(&dir, &file, "again.md").unwrap();
        assert_eq!(
            std::fs::metadata(&stored).unwrap().modified().unwrap(),
            before
        );

        let mut messages = vec![
            Message::new(crate::chat::Role::User, "see").with_attachments(vec![Attachment {
                data: None,
                ..a.clone()
            }]),
        ];
        resolve(&dir, &mut messages).unwrap();
        assert_eq!(messages[0].attachments[0].text(), Some("# hello\n"));

        std::fs::write(&stored, "tampered").unwrap();
        messages[0].attachments[0].data = None;
        let err = resolve(&dir, &mut messages).unwrap_err();
        assert!(err.contains("notes.md cannot be read back"), "{err}");
        assert!(get(&dir, "../../etc/passwd").is_err());

        // In an earlier round it is left out, said so, and the conversation goes on.
        messages[0].attachments[0].data = None;
        messages.push(Message::new(crate::chat::Role::User, "and now?"));
        resolve(&dir, &mut messages).unwrap();
        assert!(messages[0].attachments.is_empty());
        assert!(
            messages[0]
                .content
                .ends_with("[attached file notes.md is no longer available]")
        );
        // Attached again, the damaged blob is written afresh.
        attach(&dir, &file, "notes.md").unwrap();
        assert_eq!(std::fs::read(&stored).unwrap(), b"# hello\n");
    }

    #[test]
    fn folders_and_missing_files_are_refused_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        assert_eq!(
            read_file(tmp.path(), "src").unwrap_err(),
            AttachError::Folder("src".into())
        );
        let err = read_file(Path::new("/dev/null"), "/dev/null").unwrap_err();
        assert!(err.to_string().contains("not a regular file"), "{err}");
        let err = read_file(&tmp.path().join("nope.txt"), "nope.txt").unwrap_err();
        assert_eq!(err.to_string(), "nope.txt: no such file");
    }
}
