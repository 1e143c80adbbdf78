//! Credentials and tokens. The system API issues tokens; every role verifies them itself with the
//! shared secret, so no request needs a round trip to the system API.

use std::time::Duration;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::config::Secret;
use crate::domain::user::{Password, UserRole};

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    pub role: UserRole,
    pub name: String,
    pub email: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub access_ttl: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token is invalid or expired")]
    Invalid,
    #[error("token could not be signed: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

impl TokenKeys {
    pub fn new(secret: &Secret, access_ttl: Duration) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            access_ttl,
        }
    }

    pub fn issue(
        &self,
        user_id: &str,
        role: UserRole,
        name: &str,
        email: &str,
    ) -> Result<String, TokenError> {
        let now = Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        let claims = AccessClaims {
            sub: user_id.to_owned(),
            role,
            name: name.to_owned(),
            email: email.to_owned(),
            iat: now,
            exp: now.saturating_add(ttl),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(TokenError::Signing)
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid)
    }
}

/// An opaque refresh token handed to the client; only its digest is stored.
pub fn new_refresh_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub fn refresh_token_digest(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("password worker stopped: {0}")]
    Worker(#[from] tokio::task::JoinError),
}

/// argon2id hash, computed off the async threads (it takes tens of milliseconds by design).
pub async fn hash_password(password: Password) -> Result<String, PasswordError> {
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        Argon2::default()
            .hash_password(password.expose().as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|error| PasswordError::Hashing(error.to_string()))
    })
    .in_current_span()
    .await?
}

/// True when `candidate` matches the stored hash. A malformed stored hash never matches.
pub async fn verify_password(
    candidate: String,
    stored_hash: String,
) -> Result<bool, PasswordError> {
    let span = tracing::Span::current();
    let matches = tokio::task::spawn_blocking(move || {
        let _entered = span.enter();
        Argon2::default()
            .verify_password(candidate.as_bytes(), stored_hash.as_str())
            .is_ok()
    })
    .await?;
    Ok(matches)
}

/// A hash of a random password, checked when the email is unknown so that login takes the same
/// time whether or not the account exists. Made once per process: hashing it on every such
/// login would double their cost and give the timing away.
pub async fn dummy_hash() -> Result<String, PasswordError> {
    static DUMMY_HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY_HASH
        .get_or_try_init(|| async {
            let password = Password::parse(&format!("x{}", uuid::Uuid::new_v4().simple()))
                .map_err(|error| PasswordError::Hashing(error.0))?;
            hash_password(password).await
        })
        .await
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_tampering() {
        let keys = TokenKeys::new(&Secret::new("test-secret"), Duration::from_secs(60));
        let token = keys
            .issue("user-1", UserRole::Agency, "Acme", "acme@example.com")
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.role),
            ("user-1", UserRole::Agency)
        );
        let other = TokenKeys::new(&Secret::new("other-secret"), Duration::from_secs(60));
        assert!(other.verify(&token).is_err());
        assert!(keys.verify("not.a.token").is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = TokenKeys::new(&Secret::new("test-secret"), Duration::from_secs(0));
        let mut claims = keys
            .verify(&keys.issue("u", UserRole::It, "n", "e@x.io").unwrap())
            .unwrap();
        claims.exp = Utc::now().timestamp() - 60;
        let stale =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &keys.encoding).unwrap();
        assert!(keys.verify(&stale).is_err());
    }

    #[tokio::test]
    async fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password(Password::parse("correct horse 1").unwrap())
            .await
            .unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse 1".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse 1".into(), hash).await.unwrap());
        assert!(!verify_password("x".into(), "garbage".into()).await.unwrap());
        assert_ne!(refresh_token_digest("a"), refresh_token_digest("b"));
    }
}
