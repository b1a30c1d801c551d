//! Deterministic randomness for the mock world: SHA-256 over a seed and a
//! counter. A fixed seed makes every code, token and key reproducible, so
//! documentation can show identical output; the UI seeds it from the
//! browser's CSPRNG instead.

use sha2::{Digest, Sha256};

pub struct SeededRandom {
    seed: [u8; 32],
    counter: u64,
}

impl SeededRandom {
    pub fn new(seed: &[u8]) -> SeededRandom {
        SeededRandom {
            seed: Sha256::digest(seed).into(),
            counter: 0,
        }
    }

    pub fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(32) {
            let block = Sha256::new()
                .chain_update(self.seed)
                .chain_update(self.counter.to_be_bytes())
                .finalize();
            self.counter += 1;
            chunk.copy_from_slice(&block[..chunk.len()]);
        }
    }

    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.fill(&mut out);
        out
    }

    /// A URL-safe random string from `octets` random bytes.
    pub fn token(&mut self, octets: usize) -> String {
        use base64::Engine;
        let mut bytes = vec![0u8; octets];
        self.fill(&mut bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_values() {
        let mut a = SeededRandom::new(b"docs");
        let mut b = SeededRandom::new(b"docs");
        assert_eq!(a.token(32), b.token(32));
        assert_ne!(a.token(32), SeededRandom::new(b"other").token(32));
    }
}
