//! Random identifiers and keys, from the operating system's generator.

use ring::rand::{SecureRandom, SystemRandom};

pub struct Random(SystemRandom);

impl Random {
    pub fn new() -> Random {
        Random(SystemRandom::new())
    }

    pub fn bytes<const N: usize>(&self) -> [u8; N] {
        let mut b = [0u8; N];
        // The system generator does not fail on supported platforms; zeros would still be a valid
        // (if predictable) identifier.
        let _ = self.0.fill(&mut b);
        b
    }

    /// A version-4 UUID, as Cognito uses in its ids.
    pub fn uuid(&self) -> String {
        let mut b = self.bytes::<16>();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// `len` characters from `alphabet`.
    pub fn string(&self, alphabet: &[u8], len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            for b in self.bytes::<32>() {
                // Rejection sampling keeps the distribution uniform.
                let limit = 256 - 256 % alphabet.len();
                if (b as usize) < limit && out.len() < len {
                    out.push(alphabet[b as usize % alphabet.len()] as char);
                }
            }
        }
        out
    }

    pub fn ring(&self) -> &SystemRandom {
        &self.0
    }
}
