//! What a file looked like on disk when spanmark last read or wrote it, to notice changes
//! made by other programs (an editor, a `git pull`) before overwriting them.
//!
//! Modification time and length alone miss a same-length edit within the timestamp's
//! resolution, so the stamp also holds a hash of the content. The hash is taken from the
//! bytes already in memory when the file is read or written; checking reads the file
//! again only when its length still matches.

use std::path::Path;
use std::time::SystemTime;

use super::IoError;

/// A file's length, modification time and content hash, as spanmark last saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    /// Length in bytes.
    pub len: u64,
    /// Modification time, where the platform reports one (shown to the user, not compared:
    /// the content decides).
    pub modified: Option<SystemTime>,
    /// [`content_hash`] of the bytes.
    pub hash: u64,
}

/// How a file on disk compares with a [`DiskStamp`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiskState {
    /// Same content as when stamped.
    Unchanged,
    /// Another content (another program wrote it).
    Changed,
    /// The file is gone.
    Deleted,
}

impl DiskStamp {
    /// The stamp of `bytes`, just read from or written to a file whose metadata is `meta`.
    pub fn of_bytes(bytes: &[u8], meta: Option<&std::fs::Metadata>) -> Self {
        Self {
            len: bytes.len() as u64,
            modified: meta.and_then(|m| m.modified().ok()),
            hash: content_hash(bytes),
        }
    }

    /// Reads the file at `path` and stamps it; `Ok(None)` if there is no such file.
    pub fn read(path: &Path) -> Result<Option<Self>, IoError> {
        let os = |error| IoError::Os {
            path: path.to_path_buf(),
            error,
        };
        match read_with_meta(path) {
            Ok((bytes, meta)) => Ok(Some(Self::of_bytes(&bytes, Some(&meta)))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(os(e)),
        }
    }

    /// Compares the file at `path` with this stamp: a different length is a change without
    /// reading it; the same length reads and hashes it, so a same-length edit made in the
    /// same second is still seen.
    pub fn check(&self, path: &Path) -> Result<DiskState, IoError> {
        let os = |error| IoError::Os {
            path: path.to_path_buf(),
            error,
        };
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(DiskState::Deleted),
            Err(e) => return Err(os(e)),
            Ok(m) if m.len() != self.len => return Ok(DiskState::Changed),
            Ok(_) => {}
        }
        Ok(match Self::read(path)? {
            None => DiskState::Deleted,
            Some(now) if now.len == self.len && now.hash == self.hash => DiskState::Unchanged,
            Some(_) => DiskState::Changed,
        })
    }
}

/// Reads a whole file and its metadata from the same open handle, so the two agree.
pub(crate) fn read_with_meta(path: &Path) -> std::io::Result<(Vec<u8>, std::fs::Metadata)> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.read_to_end(&mut bytes)?;
    Ok((bytes, meta))
}

/// A 64-bit hash of file content, the same on every platform and Rust version (std's
/// `DefaultHasher` promises neither). Eight bytes per step: each step is a bijection of
/// the state for a fixed input word and of the word for a fixed state, so an edit
/// confined to one word always changes the result; other edits collide with chance
/// about 2^-64. Not for adversaries: for noticing edits.
pub fn content_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15; // odd, so multiplying by it is invertible
    let mut h = 0x243f_6a88_85a3_08d3 ^ (bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let mut lanes = [0u8; 8];
        lanes.copy_from_slice(w);
        h = (h ^ u64::from_le_bytes(lanes))
            .wrapping_mul(K)
            .rotate_left(29);
    }
    let mut last = [0u8; 8];
    let rest = words.remainder();
    last[..rest.len()].copy_from_slice(rest);
    h = (h ^ u64::from_le_bytes(last))
        .wrapping_mul(K)
        .rotate_left(29);
    // Final mix so every input bit reaches every output bit.
    h ^= h >> 32;
    h = h.wrapping_mul(K);
    h ^ (h >> 29)
}

/// FNV-1a, 64 bits: small, stable, for short keys such as file names.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unchanged_changed_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("p.ron");
        std::fs::write(&f, b"(version: 1)").unwrap();
        let stamp = DiskStamp::read(&f).unwrap().unwrap();
        assert_eq!(stamp.check(&f).unwrap(), DiskState::Unchanged);
        // Same length, same second (mtime put back): still a change.
        let mtime = std::fs::metadata(&f).unwrap().modified().unwrap();
        std::fs::write(&f, b"(version: 2)").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(std::fs::metadata(&f).unwrap().modified().unwrap(), mtime);
        assert_eq!(stamp.check(&f).unwrap(), DiskState::Changed);
        std::fs::write(&f, b"(version: 1, labels: [])").unwrap();
        assert_eq!(stamp.check(&f).unwrap(), DiskState::Changed);
        std::fs::remove_file(&f).unwrap();
        assert_eq!(stamp.check(&f).unwrap(), DiskState::Deleted);
        assert_eq!(DiskStamp::read(&f).unwrap(), None);
    }

    #[test]
    fn hash_is_stable() {
        // Fixed values: names on disk and stamps must not change between builds.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(content_hash(b"spanmark"), content_hash(b"spanmark"));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
    }

    proptest! {
        /// Any one-byte change, anywhere, and any length change alter the hash.
        #[test]
        fn one_byte_edits_change_the_hash(
            bytes in proptest::collection::vec(any::<u8>(), 0..100),
            at in any::<prop::sample::Index>(),
            delta in 1u8..=255,
        ) {
            let h = content_hash(&bytes);
            if !bytes.is_empty() {
                let mut edited = bytes.clone();
                let i = at.index(bytes.len());
                edited[i] = edited[i].wrapping_add(delta);
                prop_assert_ne!(content_hash(&edited), h);
            }
            let mut longer = bytes.clone();
            longer.push(0);
            prop_assert_ne!(content_hash(&longer), h);
        }
    }
}
