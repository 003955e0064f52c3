//! A small seeded random generator (SplitMix64), self-contained so the core pulls in nothing
//! platform-specific: `Guid()`, `RandomString()` and generated object ids draw from it.

/// SplitMix64: tiny, fast, and the same sequence on every platform for the same seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    pub fn new(seed: u64) -> Self {
        SeededRng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..bound` (bound > 0), with the small modulo bias that is irrelevant here.
    pub fn below(&mut self, bound: u64) -> u64 {
        debug_assert!(bound > 0);
        self.next_u64() % bound
    }

    /// A version-4 GUID in Entra's lower-case hyphenated form.
    pub fn guid(&mut self) -> String {
        self.guid_text().as_str().to_string()
    }

    /// The same GUID as [`guid`](Self::guid), as text on the stack, for callers that keep it in
    /// an allocation of their own (sync creates one object id per user).
    pub fn guid_text(&mut self) -> GuidText {
        let a = self.next_u64();
        let b = self.next_u64();
        let bytes: [u8; 16] = {
            let mut out = [0u8; 16];
            out[..8].copy_from_slice(&a.to_be_bytes());
            out[8..].copy_from_slice(&b.to_be_bytes());
            out[6] = (out[6] & 0x0F) | 0x40;
            out[8] = (out[8] & 0x3F) | 0x80;
            out
        };
        GuidText::format(&bytes)
    }
}

/// A GUID as text: `8-4-4-4-12` lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuidText([u8; 36]);

impl GuidText {
    /// Written digit by digit: formatting each byte with `format!` was a measurable part of an
    /// initial cycle.
    fn format(b: &[u8; 16]) -> GuidText {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut out = [b'-'; 36];
        let mut at = 0;
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                at += 1;
            }
            out[at] = HEX[usize::from(byte >> 4)];
            out[at + 1] = HEX[usize::from(byte & 0x0F)];
            at += 2;
        }
        GuidText(out)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a GUID is ASCII")
    }
}

/// FNV-1a: a stable 64-bit hash of a string, for deriving per-object seeds (not for security).
pub fn stable_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.as_bytes() {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A GUID derived from the scenario seed and a stable key (e.g. `tenant/contoso/user/adele`), so
/// that ids need not be stored in scenarios and links yet stay the same on every run.
pub fn derived_guid(seed: u64, key: &str) -> String {
    SeededRng::new(seed ^ stable_hash(key)).guid()
}

#[cfg(test)]
mod tests {
    // The same tests run natively and, under wasm-bindgen-test-runner, in wasm32.
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SeededRng::new(42);
        let mut b = SeededRng::new(42);
        let xs: Vec<u64> = (0..5).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(SeededRng::new(1).next_u64(), SeededRng::new(2).next_u64());
    }

    /// The text is the old `format!("{:02x}")` rendering of the same bytes, digit for digit.
    #[test]
    fn guid_text_is_the_hex_of_the_drawn_bytes() {
        let mut rng = SeededRng::new(99);
        let mut reference = rng.clone();
        for _ in 0..100 {
            let mut bytes = [
                reference.next_u64().to_be_bytes(),
                reference.next_u64().to_be_bytes(),
            ]
            .concat();
            bytes[6] = (bytes[6] & 0x0F) | 0x40;
            bytes[8] = (bytes[8] & 0x3F) | 0x80;
            let hex: String = bytes.iter().map(|x| format!("{x:02x}")).collect();
            let expected = format!(
                "{}-{}-{}-{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..32]
            );
            assert_eq!(rng.guid(), expected);
        }
    }

    #[test]
    fn guid_is_version_4_shaped() {
        let g = SeededRng::new(7).guid();
        assert_eq!(g.len(), 36);
        assert_eq!(&g[14..15], "4");
        assert!(matches!(&g[19..20], "8" | "9" | "a" | "b"));
    }
}
