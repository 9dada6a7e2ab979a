//! A reader that counts what comes out of a member and stops past its declared size.

use std::io::{self, Read};
use std::sync::Arc;

use crate::error::MemberError;

/// A member's reader that fails with a read error once more bytes come out than the
/// member declared: declared sizes are not trusted, the bytes are counted.
pub(crate) struct Bounded<R> {
    inner: R,
    /// The bytes still allowed.
    left: u64,
    /// The declared size.
    limit: u64,
    /// Set once the member has passed its size: every later read fails too.
    exceeded: bool,
    label: Arc<str>,
}

impl<R> Bounded<R> {
    pub(crate) fn new(inner: R, limit: u64, label: Arc<str>) -> Bounded<R> {
        Bounded {
            inner,
            left: limit,
            limit,
            exceeded: false,
            label,
        }
    }

    /// The bytes that came out so far.
    pub(crate) fn read_bytes(&self) -> u64 {
        self.limit - self.left
    }

    fn overflow(&self) -> io::Error {
        MemberError::Overflow {
            name: self.label.to_string(),
            declared: self.limit,
        }
        .into()
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.exceeded {
            return Err(self.overflow());
        }
        // Ask for at most one byte past the allowance: enough to see an overflow
        // without decompressing further.
        let want =
            usize::try_from(self.left.saturating_add(1)).map_or(buf.len(), |w| w.min(buf.len()));
        let Some(window) = buf.get_mut(..want) else {
            return Ok(0);
        };
        // The decompressor's own errors (a bad checksum, damaged data) name the member.
        let read = self.inner.read(window).map_err(|source| {
            io::Error::from(MemberError::Read {
                name: self.label.to_string(),
                source,
            })
        })?;
        let counted = u64::try_from(read).unwrap_or(u64::MAX);
        if counted > self.left {
            self.exceeded = true;
            self.left = 0;
            return Err(self.overflow());
        }
        self.left -= counted;
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_stops_past_its_declared_size() {
        let label: Arc<str> = "big.csv".into();
        let mut exact = Bounded::new(&[7u8; 100][..], 100, label.clone());
        let mut all = Vec::new();
        assert!(exact.read_to_end(&mut all).is_ok());
        assert_eq!(all.len(), 100);
        assert_eq!(exact.read_bytes(), 100);

        let mut over = Bounded::new(io::repeat(0), 1000, label);
        let mut some = Vec::new();
        let err = over
            .read_to_end(&mut some)
            .expect_err("more than declared must fail");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(
            err.to_string().contains("more than the 1000 bytes"),
            "{err}"
        );
        assert!(some.len() <= 1000);
        assert!(over.read(&mut [0u8; 8]).is_err());
        assert!(over.read_bytes() <= 1000);
    }

    #[test]
    fn a_decompressor_error_names_the_member_and_keeps_its_kind() {
        struct Broken;
        impl Read for Broken {
            fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::InvalidData, "bad checksum"))
            }
        }
        let mut reader = Bounded::new(Broken, 10, "x.csv".into());
        let err = reader.read(&mut [0u8; 4]).expect_err("a broken member");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(err.to_string(), "member x.csv cannot be read: bad checksum");
    }
}
