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
        // Version 4 (the high nibble of byte 6) and the RFC 4122 variant (byte 8).
        let a = (a & !0x0000_0000_0000_F000) | 0x0000_0000_0000_4000;
        let b = (b & !0xC000_0000_0000_0000) | 0x8000_0000_0000_0000;
        GuidText::format(a, b)
    }
}

/// A GUID as text: `8-4-4-4-12` lower-case hex digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GuidText([u8; 36]);

impl GuidText {
    /// The 16 bytes `a` then `b` (big-endian), eight hex digits at a time: formatting each byte
    /// with `format!` was a measurable part of an initial cycle, and even a digit-by-digit loop
    /// was the larger part of creating an object id.
    fn format(a: u64, b: u64) -> GuidText {
        let digits = [
            hex8((a >> 32) as u32),
            hex8(a as u32),
            hex8((b >> 32) as u32),
            hex8(b as u32),
        ];
        let mut out = [b'-'; 36];
        out[0..8].copy_from_slice(&digits[0]);
        out[9..13].copy_from_slice(&digits[1][..4]);
        out[14..18].copy_from_slice(&digits[1][4..]);
        out[19..23].copy_from_slice(&digits[2][..4]);
        out[24..28].copy_from_slice(&digits[2][4..]);
        out[28..36].copy_from_slice(&digits[3]);
        GuidText(out)
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("a GUID is ASCII")
    }
}

/// The eight lower-case hex digits of `x`, most significant first: each nibble spread into a
/// byte of its own, then turned into `0`–`9` or `a`–`f` all at once.
fn hex8(x: u32) -> [u8; 8] {
    let x = u64::from(x);
    // Nibble k (from the least significant) ends in byte k.
    let x = (x | (x << 16)) & 0x0000_FFFF_0000_FFFF;
    let x = (x | (x << 8)) & 0x00FF_00FF_00FF_00FF;
    let x = (x | (x << 4)) & 0x0F0F_0F0F_0F0F_0F0F;
    // 1 in each byte whose nibble is 10 or more.
    let letters = ((x + 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101;
    (x + 0x3030_3030_3030_3030 + letters * u64::from(b'a' - b'0' - 10)).to_be_bytes()
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
    fn hex8_writes_every_digit() {
        for x in [
            0,
            9,
            10,
            15,
            0x0123_4567,
            0x89ab_cdef,
            0xffff_ffff,
            0xa0b0_c0d0,
        ] {
            assert_eq!(hex8(x).as_slice(), format!("{x:08x}").as_bytes());
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
