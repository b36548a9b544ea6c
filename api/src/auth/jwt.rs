//! Access tokens: short-lived HS256 JWTs naming the account and the session (by its random
//! public id, never its sequential key). Expiry is checked against the application clock
//! (so tests can move time); the session behind the token is checked on every request, so
//! that revocation takes effect at once on every instance.

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub const ACCESS_TOKEN_LIFETIME: TimeDelta = TimeDelta::minutes(15);
/// HS256 is as strong as its key: shorter secrets are refused at start-up.
pub const MIN_SECRET_BYTES: usize = 32;

/// Values people copy from examples instead of generating a secret.
const PLACEHOLDERS: [&str; 6] = [
    "change-me",
    "changeme",
    "change_me",
    "replace-me",
    "your-secret",
    "example",
];

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// The session's public id (random).
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error(
        "MADOGUCHI_JWT_SECRET is set but empty: set a long random value (e.g. `openssl rand -base64 48`), or unset it for a random per-process key"
    )]
    Empty,
    #[error(
        "MADOGUCHI_JWT_SECRET is {0} bytes long: it must be at least {MIN_SECRET_BYTES} random bytes (e.g. `openssl rand -base64 48`)"
    )]
    TooShort(usize),
    #[error(
        "MADOGUCHI_JWT_SECRET is an example placeholder: replace it with a long random value (e.g. `openssl rand -base64 48`)"
    )]
    Placeholder,
}

/// Refuses secrets an attacker could guess.
pub fn check_secret(secret: &str) -> Result<(), SecretError> {
    if secret.trim().is_empty() {
        return Err(SecretError::Empty);
    }
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDERS.iter().any(|placeholder| lower.contains(placeholder)) {
        return Err(SecretError::Placeholder);
    }
    if secret.len() < MIN_SECRET_BYTES {
        return Err(SecretError::TooShort(secret.len()));
    }
    Ok(())
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    /// From the configured secret (checked with [`check_secret`]), or a random one when none
    /// is configured (tokens then die with the process).
    pub fn new(secret: Option<&SecretString>) -> Result<Self, SecretError> {
        let secret = match secret {
            Some(secret) => {
                check_secret(secret.expose_secret())?;
                secret.expose_secret().as_bytes().to_vec()
            }
            None => {
                tracing::warn!("MADOGUCHI_JWT_SECRET is not set: using a random key for this process");
                crate::secrets::random_token().into_bytes()
            }
        };
        Ok(Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
        })
    }

    pub fn issue(
        &self,
        account_id: i64,
        session_public_id: &str,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: account_id.to_string(),
            sid: session_public_id.to_owned(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TOKEN_LIFETIME).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a token signed by us that has not expired at `now`.
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked below against the application clock.
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation)
            .ok()?
            .claims;
        (claims.exp > now.timestamp()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(Some(&SecretString::from(secret))).expect("accepted")
    }

    #[test]
    fn tokens_verify_until_they_expire_and_only_with_our_key() {
        let keys = keys("a-test-secret-of-enough-length-0123456789");
        let now = Utc::now();
        let token = keys.issue(7, "s3ss10n", now).expect("issued");
        let claims = keys.verify(&token, now).expect("valid");
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("7", "s3ss10n"));
        assert!(keys.verify(&token, now + ACCESS_TOKEN_LIFETIME).is_none());
        let other = super::tests::keys("another-secret-of-enough-length-987654321");
        assert!(other.verify(&token, now).is_none());
        assert!(keys.verify("not.a.token", now).is_none());
    }

    #[test]
    fn weak_secrets_are_refused() {
        assert_eq!(check_secret(""), Err(SecretError::Empty));
        assert_eq!(check_secret("   "), Err(SecretError::Empty));
        assert_eq!(
            check_secret("short-but-random-X9"),
            Err(SecretError::TooShort(19))
        );
        assert_eq!(
            check_secret("change-me-to-a-long-random-secret"),
            Err(SecretError::Placeholder)
        );
        assert!(check_secret("q4Jm0Yk1x7vZc2Nn8LrT5wPa9Hs3Ud6Ef0Gb").is_ok());
        assert!(JwtKeys::new(Some(&SecretString::from(""))).is_err());
        assert!(JwtKeys::new(None).is_ok());
    }
}
