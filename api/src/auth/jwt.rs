//! Access tokens: short-lived HS256 JWTs naming the account and the session. Expiry is
//! checked against the application clock (so tests can move time); the session behind the
//! token is checked on every request, so that revocation takes effect at once.

use chrono::{DateTime, TimeDelta, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

pub const ACCESS_TOKEN_LIFETIME: TimeDelta = TimeDelta::minutes(15);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// The session id.
    pub sid: i64,
    pub iat: i64,
    pub exp: i64,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl JwtKeys {
    /// From the configured secret, or a random one (tokens then die with the process).
    pub fn new(secret: Option<&SecretString>) -> Self {
        let secret = match secret {
            Some(secret) => secret.expose_secret().as_bytes().to_vec(),
            None => {
                tracing::warn!("MADOGUCHI_JWT_SECRET is not set: using a random key for this process");
                crate::secrets::random_token().into_bytes()
            }
        };
        Self {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
        }
    }

    pub fn issue(
        &self,
        account_id: i64,
        session_id: i64,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: account_id.to_string(),
            sid: session_id,
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

    #[test]
    fn tokens_verify_until_they_expire_and_only_with_our_key() {
        let keys = JwtKeys::new(Some(&SecretString::from("a-test-secret-of-enough-length")));
        let now = Utc::now();
        let token = keys.issue(7, 42, now).expect("issued");
        let claims = keys.verify(&token, now).expect("valid");
        assert_eq!((claims.sub.as_str(), claims.sid), ("7", 42));
        assert!(keys.verify(&token, now + ACCESS_TOKEN_LIFETIME).is_none());
        let other = JwtKeys::new(Some(&SecretString::from("another-secret-of-enough-length")));
        assert!(other.verify(&token, now).is_none());
        assert!(keys.verify("not.a.token", now).is_none());
    }
}
