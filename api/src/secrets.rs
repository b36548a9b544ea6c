//! Random secrets (link tokens, refresh tokens, API tokens, one-time passwords) and the
//! hashes we store instead of them: the database never holds a usable secret.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// 32 random bytes, URL-safe base64 (43 characters).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    fill(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A 6-digit one-time password, uniformly distributed (rejection sampling).
pub fn random_otp() -> String {
    const RANGE: u32 = 1_000_000;
    // The largest multiple of RANGE that fits in u32: values above it would bias low codes.
    const LIMIT: u32 = u32::MAX - (u32::MAX % RANGE);
    loop {
        let mut bytes = [0u8; 4];
        fill(&mut bytes);
        let value = u32::from_le_bytes(bytes);
        if value < LIMIT {
            return format!("{:06}", value % RANGE);
        }
    }
}

/// `length` random upper-case letters and digits (the CX サポート ID), uniformly chosen.
pub fn random_alphanumeric(length: usize) -> String {
    const ALPHABET: &[u8; 36] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    // 252 = 7 × 36: bytes above it would favour the first letters.
    let mut out = String::with_capacity(length);
    while out.len() < length {
        let mut byte = [0u8; 1];
        fill(&mut byte);
        if byte[0] < 252 {
            out.push(char::from(ALPHABET[usize::from(byte[0] % 36)]));
        }
    }
    out
}

/// `length` random digits, uniformly chosen (a generated customer number).
pub fn random_digits(length: usize) -> String {
    let mut out = String::with_capacity(length);
    while out.len() < length {
        let mut byte = [0u8; 1];
        fill(&mut byte);
        // 250 = 25 × 10: bytes above it would favour the low digits.
        if byte[0] < 250 {
            out.push(char::from(b'0' + byte[0] % 10));
        }
    }
    out
}

/// SHA-256, URL-safe base64. Tokens are long and random, so a fast hash suffices; the
/// 6-digit codes are also guarded by expiry and the 5-try limit.
pub fn hash(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes in constant time.
pub fn hashes_match(a: &str, b: &str) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

fn fill(bytes: &mut [u8]) {
    // The operating system's generator failing is not recoverable.
    #[allow(clippy::expect_used)]
    getrandom::fill(bytes).expect("the OS random number generator is available");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hash_stably() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert!(hashes_match(&hash(&a), &hash(&a)));
        assert!(!hashes_match(&hash(&a), &hash(&b)));
    }

    #[test]
    fn otps_are_six_digits() {
        for _ in 0..200 {
            let code = random_otp();
            assert_eq!(code.len(), 6);
            assert!(code.bytes().all(|b| b.is_ascii_digit()));
        }
    }
}
