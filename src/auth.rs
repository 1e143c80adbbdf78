//! Credentials and tokens. Access tokens are signed with Ed25519 (`EdDSA`): only the system role
//! holds the private key and issues them; every role verifies them with the public key, so no
//! request needs a round trip to the system API and no other role can mint one. Each token names
//! its session (`sid`), so a revoked session's tokens are refused everywhere (`RevokedSessions`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use chrono::{DateTime, Utc};
use dashmap::DashMap;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, KeypairBytes,
};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tracing::Instrument;

use crate::config::Secret;
use crate::domain::user::{Password, UserRole};

/// Clock skew tolerated on `exp`: a token is accepted up to this long after it expired.
pub const TOKEN_LEEWAY: Duration = Duration::from_secs(5);

/// What an access token says about its bearer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: String,
    /// The session (one sign-in and its refreshes) the token belongs to.
    pub sid: String,
    pub role: UserRole,
    pub name: String,
    pub email: String,
    pub iat: i64,
    pub exp: i64,
}

/// Whom a token is issued to.
pub struct TokenSubject<'a> {
    pub user_id: &'a str,
    pub session_id: &'a str,
    pub role: UserRole,
    pub name: &'a str,
    pub email: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("token is invalid or expired")]
    Invalid,
    #[error("token could not be signed: {0}")]
    Signing(#[source] jsonwebtoken::errors::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not an Ed25519 private key in PKCS#8 PEM (BEGIN PRIVATE KEY): {0}")]
    Private(String),
    #[error("not an Ed25519 public key in PEM (BEGIN PUBLIC KEY): {0}")]
    Public(String),
}

pub fn private_key_from_pem(pem: &str) -> Result<SigningKey, KeyError> {
    SigningKey::from_pkcs8_pem(pem.trim()).map_err(|error| KeyError::Private(error.to_string()))
}

pub fn public_key_from_pem(pem: &str) -> Result<VerifyingKey, KeyError> {
    VerifyingKey::from_public_key_pem(pem.trim())
        .map_err(|error| KeyError::Public(error.to_string()))
}

pub fn public_key_pem(key: &VerifyingKey) -> Result<String, KeyError> {
    key.to_public_key_pem(LineEnding::LF)
        .map_err(|error| KeyError::Public(error.to_string()))
}

/// A new key pair in PEM, private key first (`astro-bookings token-keys`, and tests that need
/// keys of their own).
pub fn generate_key_pair() -> Result<(Secret, String), KeyError> {
    let private = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    // PKCS#8 v1, without the public key inside, as `openssl genpkey` writes it: OpenSSL 3.0
    // refuses the v2 form that `SigningKey::to_pkcs8_pem` writes.
    let private_pem = KeypairBytes {
        secret_key: private.to_bytes(),
        public_key: None,
    }
    .to_pkcs8_pem(LineEnding::LF)
    .map_err(|error| KeyError::Private(error.to_string()))?;
    let public_pem = public_key_pem(&private.verifying_key())?;
    Ok((Secret::new(private_pem.as_str()), public_pem))
}

/// Checks access tokens; every role has one.
#[derive(Clone)]
pub struct TokenVerifier {
    decoding: DecodingKey,
    validation: Validation,
}

impl TokenVerifier {
    pub fn new(public_key: &VerifyingKey) -> Self {
        // Only EdDSA: a token signed any other way (HS256 with a guessed secret, `none`) is refused.
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.leeway = TOKEN_LEEWAY.as_secs();
        Self {
            decoding: DecodingKey::from_ed_der(public_key.as_bytes()),
            validation,
        }
    }

    pub fn verify(&self, token: &str) -> Result<AccessClaims, TokenError> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|_| TokenError::Invalid)
    }
}

/// Signs access tokens; only the system role has one.
#[derive(Clone)]
pub struct TokenIssuer {
    encoding: EncodingKey,
    pub access_ttl: Duration,
}

impl TokenIssuer {
    pub fn new(private_key: &SigningKey, access_ttl: Duration) -> Result<Self, KeyError> {
        let der = private_key
            .to_pkcs8_der()
            .map_err(|error| KeyError::Private(error.to_string()))?;
        Ok(Self {
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            access_ttl,
        })
    }

    pub fn issue(&self, subject: &TokenSubject<'_>) -> Result<String, TokenError> {
        let now = Utc::now().timestamp();
        let ttl = i64::try_from(self.access_ttl.as_secs()).unwrap_or(i64::MAX);
        self.sign(&AccessClaims {
            sub: subject.user_id.to_owned(),
            sid: subject.session_id.to_owned(),
            role: subject.role,
            name: subject.name.to_owned(),
            email: subject.email.to_owned(),
            iat: now,
            exp: now.saturating_add(ttl),
        })
    }

    pub fn sign(&self, claims: &AccessClaims) -> Result<String, TokenError> {
        jsonwebtoken::encode(&Header::new(Algorithm::EdDSA), claims, &self.encoding)
            .map_err(TokenError::Signing)
    }

    /// Until when an access token issued now may still be accepted: how long every role must
    /// remember a session revoked now.
    pub fn accepted_until(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        now + chrono::Duration::from_std(self.access_ttl + TOKEN_LEEWAY)
            .unwrap_or(chrono::Duration::MAX)
    }
}

/// Sessions revoked while their access tokens may still be accepted, each until then. Every role
/// of a process keeps its own, filled from the system DB on start and by `session.revoked.v1`.
#[derive(Clone, Default)]
pub struct RevokedSessions {
    until: Arc<DashMap<String, DateTime<Utc>>>,
    /// Set once the revocations in force were read: until then no token can be trusted.
    loaded: Arc<AtomicBool>,
}

impl RevokedSessions {
    pub fn mark_loaded(&self) {
        self.loaded.store(true, Ordering::Release);
    }

    pub fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    pub fn revoke(&self, session_id: &str, until: DateTime<Utc>) {
        self.until.insert(session_id.to_owned(), until);
    }

    pub fn is_revoked(&self, session_id: &str) -> bool {
        self.until.contains_key(session_id)
    }

    /// Drops sessions whose tokens have all expired (an expired token is refused anyway).
    pub fn forget_expired(&self, now: DateTime<Utc>) {
        self.until.retain(|_, until| *until > now);
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

    fn keys(ttl: Duration) -> (TokenIssuer, TokenVerifier) {
        let (private, public) = generate_key_pair().unwrap();
        let issuer =
            TokenIssuer::new(&private_key_from_pem(private.expose()).unwrap(), ttl).unwrap();
        let verifier = TokenVerifier::new(&public_key_from_pem(&public).unwrap());
        (issuer, verifier)
    }

    fn subject() -> TokenSubject<'static> {
        TokenSubject {
            user_id: "user-1",
            session_id: "session-1",
            role: UserRole::Agency,
            name: "Acme",
            email: "acme@example.com",
        }
    }

    #[test]
    fn tokens_round_trip_and_reject_another_key_and_tampering() {
        let (issuer, verifier) = keys(Duration::from_secs(60));
        let token = issuer.issue(&subject()).unwrap();
        let claims = verifier.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.sid.as_str(), claims.role),
            ("user-1", "session-1", UserRole::Agency)
        );
        let (_, other_verifier) = keys(Duration::from_secs(60));
        assert!(other_verifier.verify(&token).is_err());
        assert!(verifier.verify("not.a.token").is_err());
    }

    #[test]
    fn a_token_signed_with_a_shared_secret_is_refused() {
        let (issuer, verifier) = keys(Duration::from_secs(60));
        let claims = verifier.verify(&issuer.issue(&subject()).unwrap()).unwrap();
        let hs256 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"dev-only-secret-change-me"),
        )
        .unwrap();
        assert!(verifier.verify(&hs256).is_err());
    }

    #[test]
    fn expired_tokens_are_refused() {
        let (issuer, verifier) = keys(Duration::from_secs(0));
        let mut claims = verifier.verify(&issuer.issue(&subject()).unwrap()).unwrap();
        claims.exp = Utc::now().timestamp() - 60;
        assert!(verifier.verify(&issuer.sign(&claims).unwrap()).is_err());
    }

    #[test]
    fn keys_are_read_from_openssl_pem_and_bad_pem_is_refused() {
        let private =
            private_key_from_pem(include_str!("../scripts/dev-token-keys/private.pem")).unwrap();
        let public =
            public_key_from_pem(include_str!("../scripts/dev-token-keys/public.pem")).unwrap();
        assert_eq!(private.verifying_key(), public);
        // What this crate generates has openssl's shape (PKCS#8 v1: one line of 48 bytes).
        let (generated, _) = generate_key_pair().unwrap();
        let openssl_shape = include_str!("../scripts/dev-token-keys/private.pem");
        assert_eq!(
            generated.expose().lines().map(str::len).collect::<Vec<_>>(),
            openssl_shape.lines().map(str::len).collect::<Vec<_>>()
        );
        assert!(matches!(
            private_key_from_pem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"),
            Err(KeyError::Private(_))
        ));
        assert!(matches!(
            public_key_from_pem("secret"),
            Err(KeyError::Public(_))
        ));
    }

    #[test]
    fn revoked_sessions_are_remembered_until_their_tokens_expire() {
        let revoked = RevokedSessions::default();
        assert!(!revoked.is_loaded());
        revoked.mark_loaded();
        assert!(revoked.is_loaded());
        let now = Utc::now();
        revoked.revoke("old", now - chrono::Duration::seconds(1));
        revoked.revoke("recent", now + chrono::Duration::seconds(60));
        assert!(revoked.is_revoked("old") && revoked.is_revoked("recent"));
        assert!(!revoked.is_revoked("other"));
        revoked.forget_expired(now);
        assert!(!revoked.is_revoked("old") && revoked.is_revoked("recent"));
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
