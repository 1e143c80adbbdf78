//! One typed `Settings`, read once from the environment. Every value has a documented default in
//! code (see README "Configuration"); secrets are wrapped so they never reach a log line.

use std::fmt;
use std::time::Duration;

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::auth::{self, KeyError};

/// The development key pair (see its README): anyone can sign with it, so only
/// `ASTRO_ENV=development` accepts it.
const DEVELOPMENT_PUBLIC_KEY: &str = include_str!("../scripts/dev-token-keys/public.pem");
const DEVELOPMENT_PRIVATE_KEY: &str = include_str!("../scripts/dev-token-keys/private.pem");
const PUBLIC_KEY_VARIABLE: &str = "ASTRO_TOKEN_PUBLIC_KEY";
const PRIVATE_KEY_VARIABLE: &str = "ASTRO_TOKEN_PRIVATE_KEY";
const HOW_TO_SET_KEYS: &str = "set ASTRO_TOKEN_PUBLIC_KEY (every role) and ASTRO_TOKEN_PRIVATE_KEY \
(the system role only) to an Ed25519 key pair in PEM (`astro-bookings token-keys` prints a new \
one), or ASTRO_ENV=development for local runs and tests";

use ipnet::IpNet;

use crate::domain::invoice::InvoiceTerms;
use crate::domain::login_throttle::ThrottlePolicy;
use crate::http::client_address::parse_trusted_proxies;

/// The processes this binary can be. `ASTRO_ROLES=customer,admin` starts two in one process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Customer,
    Admin,
    System,
    Scheduler,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Customer, Role::Admin, Role::System, Role::Scheduler];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Admin => "admin",
            Role::System => "system",
            Role::Scheduler => "scheduler",
        }
    }

    fn parse(raw: &str) -> Result<Vec<Role>, ConfigError> {
        let mut roles = Vec::new();
        for part in raw
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            match part {
                "all" => roles.extend(Role::ALL),
                "customer" => roles.push(Role::Customer),
                "admin" => roles.push(Role::Admin),
                "system" => roles.push(Role::System),
                "scheduler" => roles.push(Role::Scheduler),
                other => return Err(ConfigError::Invalid("ASTRO_ROLES", other.to_owned())),
            }
        }
        roles.dedup();
        if roles.is_empty() {
            return Err(ConfigError::Invalid("ASTRO_ROLES", raw.to_owned()));
        }
        Ok(roles)
    }
}

/// Where the process runs. Only `development` (set by `scripts/env.sh`, never by the Dockerfile or
/// the deployment files) may sign with the development keys committed in the repository.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

impl Environment {
    fn parse(raw: &str) -> Result<Self, ConfigError> {
        match raw.trim() {
            "development" => Ok(Self::Development),
            "production" => Ok(Self::Production),
            other => Err(ConfigError::Invalid("ASTRO_ENV", other.to_owned())),
        }
    }
}

/// A value that must not be printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("[redacted]")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} has an invalid value {1:?}")]
    Invalid(&'static str, String),
    #[error("{0} is not set: {HOW_TO_SET_KEYS}")]
    MissingTokenKey(&'static str),
    #[error("{0} is unusable ({1}): {HOW_TO_SET_KEYS}")]
    BadTokenKey(&'static str, KeyError),
    #[error(
        "the token keys are the development keys in scripts/dev-token-keys, which anyone can \
         sign with: {HOW_TO_SET_KEYS}"
    )]
    DevelopmentTokenKey,
    #[error(
        "ASTRO_TOKEN_PRIVATE_KEY is not the private key of ASTRO_TOKEN_PUBLIC_KEY: every role \
         would refuse the tokens the system role signs; {HOW_TO_SET_KEYS}"
    )]
    TokenKeysMismatch,
}

/// The access-token keys a process uses: the public key every role verifies with, and the
/// private key only when the process runs the system role, which signs.
pub struct TokenKeys {
    pub public: VerifyingKey,
    pub private: Option<SigningKey>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub roles: Vec<Role>,
    pub bind_host: String,
    pub customer_port: u16,
    pub admin_port: u16,
    pub system_port: u16,
    pub scheduler_port: u16,
    /// HTTP worker threads per role (actix-web default would be one per core per role).
    pub http_workers: usize,
    pub database_url: Secret,
    pub database_max_connections: u32,
    pub customer_mongo_url: Secret,
    pub customer_mongo_db: String,
    pub system_mongo_url: Secret,
    pub system_mongo_db: String,
    pub amqp_url: Secret,
    /// Prefix of every exchange and queue name, so several deployments (or tests) share a broker.
    pub amqp_namespace: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub mail_from: String,
    pub environment: Environment,
    /// PEM of the public key that every role verifies access tokens with; the development key
    /// when unset in development.
    pub token_public_key: Option<String>,
    /// PEM of the private key that signs them: read only when this process runs the system
    /// role, so a process without it never holds the key.
    pub token_private_key: Option<Secret>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// Public base URL of the edge, used for links in emails.
    pub public_base_url: String,
    pub shutdown_timeout: Duration,
    /// How long a caller waits for a launch actor before getting 503.
    pub actor_timeout: Duration,
    /// Messages a launch actor may hold before new ones are refused with 503.
    pub launch_mailbox_capacity: usize,
    /// Peers whose `X-Forwarded-For` names the client (the edge); empty trusts no one.
    pub trusted_proxies: Vec<IpNet>,
    pub login_throttle: ThrottlePolicy,
    pub invoice_terms: InvoiceTerms,
    pub seed_it_email: Option<String>,
    pub seed_it_password: Option<Secret>,
    pub seed_it_name: String,
}

impl Settings {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|key| std::env::var(key).ok())
    }

    /// Reads settings through `lookup`, so tests can build settings without touching the process env.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |key: &str, default: &str| lookup(key).unwrap_or_else(|| default.to_owned());
        let number = |key: &'static str, default: u64| -> Result<u64, ConfigError> {
            match lookup(key) {
                None => Ok(default),
                Some(raw) => raw
                    .trim()
                    .parse()
                    .map_err(|_| ConfigError::Invalid(key, raw)),
            }
        };
        let port = |key: &'static str, default: u16| -> Result<u16, ConfigError> {
            let value = number(key, u64::from(default))?;
            u16::try_from(value).map_err(|_| ConfigError::Invalid(key, value.to_string()))
        };
        let to_usize = |key: &'static str, value: u64| {
            usize::try_from(value).map_err(|_| ConfigError::Invalid(key, value.to_string()))
        };
        let to_u32 = |key: &'static str, value: u64| {
            u32::try_from(value).map_err(|_| ConfigError::Invalid(key, value.to_string()))
        };

        let roles = Role::parse(&text("ASTRO_ROLES", "all"))?;
        let signs_tokens = roles.contains(&Role::System);
        Ok(Self {
            environment: Environment::parse(&text("ASTRO_ENV", "production"))?,
            token_public_key: lookup(PUBLIC_KEY_VARIABLE),
            token_private_key: lookup(PRIVATE_KEY_VARIABLE)
                .filter(|_| signs_tokens)
                .map(Secret::new),
            roles,
            bind_host: text("ASTRO_BIND_HOST", "127.0.0.1"),
            customer_port: port("ASTRO_CUSTOMER_PORT", 8081)?,
            admin_port: port("ASTRO_ADMIN_PORT", 8082)?,
            system_port: port("ASTRO_SYSTEM_PORT", 8083)?,
            scheduler_port: port("ASTRO_SCHEDULER_PORT", 8084)?,
            http_workers: to_usize("ASTRO_HTTP_WORKERS", number("ASTRO_HTTP_WORKERS", 2)?)?,
            database_url: Secret::new(text(
                "ASTRO_DATABASE_URL",
                "postgres://astro:astro@127.0.0.1:5433/astro_ops?sslmode=disable",
            )),
            database_max_connections: to_u32(
                "ASTRO_DATABASE_MAX_CONNECTIONS",
                number("ASTRO_DATABASE_MAX_CONNECTIONS", 10)?,
            )?,
            customer_mongo_url: Secret::new(text(
                "ASTRO_CUSTOMER_MONGO_URL",
                "mongodb://127.0.0.1:27018/",
            )),
            customer_mongo_db: text("ASTRO_CUSTOMER_MONGO_DB", "astro_customer"),
            system_mongo_url: Secret::new(text(
                "ASTRO_SYSTEM_MONGO_URL",
                "mongodb://127.0.0.1:27018/",
            )),
            system_mongo_db: text("ASTRO_SYSTEM_MONGO_DB", "astro_system"),
            amqp_url: Secret::new(text(
                "ASTRO_AMQP_URL",
                "amqp://guest:guest@127.0.0.1:5672/%2f",
            )),
            amqp_namespace: text("ASTRO_AMQP_NAMESPACE", "astro"),
            smtp_host: text("ASTRO_SMTP_HOST", "127.0.0.1"),
            smtp_port: port("ASTRO_SMTP_PORT", 1025)?,
            mail_from: text("ASTRO_MAIL_FROM", "Astro Bookings <no-reply@astro.local>"),
            access_token_ttl: Duration::from_secs(number("ASTRO_ACCESS_TOKEN_TTL_SECS", 900)?),
            refresh_token_ttl: Duration::from_secs(number(
                "ASTRO_REFRESH_TOKEN_TTL_SECS",
                14 * 24 * 3600,
            )?),
            public_base_url: text("ASTRO_PUBLIC_BASE_URL", "http://127.0.0.1:8080"),
            shutdown_timeout: Duration::from_secs(number("ASTRO_SHUTDOWN_TIMEOUT_SECS", 10)?),
            actor_timeout: Duration::from_millis(number("ASTRO_ACTOR_TIMEOUT_MS", 5000)?),
            launch_mailbox_capacity: to_usize(
                "ASTRO_LAUNCH_MAILBOX_CAPACITY",
                number("ASTRO_LAUNCH_MAILBOX_CAPACITY", 1024)?,
            )?,
            trusted_proxies: parse_trusted_proxies(&text("ASTRO_TRUSTED_PROXIES", ""))
                .map_err(|entry| ConfigError::Invalid("ASTRO_TRUSTED_PROXIES", entry))?,
            // domain.md: 5 failed sign-ins in 15 minutes.
            login_throttle: ThrottlePolicy {
                failures_per_account: to_u32(
                    "ASTRO_LOGIN_FAILURES_PER_ACCOUNT",
                    number("ASTRO_LOGIN_FAILURES_PER_ACCOUNT", 5)?,
                )?,
                accounts_per_address: to_u32(
                    "ASTRO_LOGIN_ACCOUNTS_PER_ADDRESS",
                    number("ASTRO_LOGIN_ACCOUNTS_PER_ADDRESS", 10)?,
                )?,
                window: Duration::from_secs(number("ASTRO_LOGIN_WINDOW_SECS", 15 * 60)?),
            },
            invoice_terms: InvoiceTerms {
                payment_term_days: to_u32(
                    "ASTRO_INVOICE_PAYMENT_TERM_DAYS",
                    number("ASTRO_INVOICE_PAYMENT_TERM_DAYS", 30)?,
                )?,
                reminder_every_days: to_u32(
                    "ASTRO_INVOICE_REMINDER_EVERY_DAYS",
                    number("ASTRO_INVOICE_REMINDER_EVERY_DAYS", 7)?,
                )?,
            },
            seed_it_email: lookup("ASTRO_SEED_IT_EMAIL"),
            seed_it_password: lookup("ASTRO_SEED_IT_PASSWORD").map(Secret::new),
            seed_it_name: text("ASTRO_SEED_IT_NAME", "IT Administrator"),
        })
    }

    /// The token keys, checked: refused when missing or the development keys, unless in
    /// development, where a missing key means the development one.
    pub fn token_keys(&self) -> Result<TokenKeys, ConfigError> {
        let development = self.environment == Environment::Development;
        // A key that is not set is the development key, in development only.
        let pem_or_development = |pem: Option<&str>, variable, development_pem| match pem {
            Some(pem) => Ok(pem.to_owned()),
            None if development => Ok(String::from(development_pem)),
            None => Err(ConfigError::MissingTokenKey(variable)),
        };
        let public_pem = pem_or_development(
            self.token_public_key.as_deref(),
            PUBLIC_KEY_VARIABLE,
            DEVELOPMENT_PUBLIC_KEY,
        )?;
        let public = auth::public_key_from_pem(&public_pem)
            .map_err(|error| ConfigError::BadTokenKey(PUBLIC_KEY_VARIABLE, error))?;
        let is_development_key =
            auth::public_key_from_pem(DEVELOPMENT_PUBLIC_KEY).is_ok_and(|key| key == public);
        if is_development_key && !development {
            return Err(ConfigError::DevelopmentTokenKey);
        }
        if !self.roles.contains(&Role::System) {
            return Ok(TokenKeys {
                public,
                private: None,
            });
        }
        let private_pem = pem_or_development(
            self.token_private_key.as_ref().map(Secret::expose),
            PRIVATE_KEY_VARIABLE,
            DEVELOPMENT_PRIVATE_KEY,
        )?;
        let private = auth::private_key_from_pem(&private_pem)
            .map_err(|error| ConfigError::BadTokenKey(PRIVATE_KEY_VARIABLE, error))?;
        if private.verifying_key() != public {
            return Err(ConfigError::TokenKeysMismatch);
        }
        Ok(TokenKeys {
            public,
            private: Some(private),
        })
    }

    pub fn port_of(&self, role: Role) -> u16 {
        match role {
            Role::Customer => self.customer_port,
            Role::Admin => self.admin_port,
            Role::System => self.system_port,
            Role::Scheduler => self.scheduler_port,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(values: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        Settings::from_lookup(|key| {
            values
                .iter()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| (*value).to_owned())
        })
    }

    #[test]
    fn defaults_start_every_role() {
        let settings = settings(&[]).unwrap();
        assert_eq!(settings.roles, Role::ALL.to_vec());
        assert_eq!(settings.customer_port, 8081);
        assert_eq!(settings.environment, Environment::Production);
    }

    #[test]
    fn roles_can_be_chosen_and_bad_values_are_refused() {
        let chosen = settings(&[("ASTRO_ROLES", "admin, system")]).unwrap();
        assert_eq!(chosen.roles, vec![Role::Admin, Role::System]);
        for (key, value) in [
            ("ASTRO_ROLES", "billing"),
            ("ASTRO_ADMIN_PORT", "70000"),
            ("ASTRO_ENV", "staging"),
        ] {
            let error = settings(&[(key, value)]).unwrap_err();
            assert!(error.to_string().contains(key), "{error}");
        }
    }

    #[test]
    fn without_keys_or_with_the_development_keys_only_development_starts() {
        let missing = settings(&[]).unwrap().token_keys().err().unwrap();
        assert!(matches!(
            missing,
            ConfigError::MissingTokenKey(PUBLIC_KEY_VARIABLE)
        ));
        let message = missing.to_string();
        for named in [
            PUBLIC_KEY_VARIABLE,
            PRIVATE_KEY_VARIABLE,
            "ASTRO_ENV=development",
        ] {
            assert!(message.contains(named), "{message} names {named}");
        }
        let development_keys = [
            (PUBLIC_KEY_VARIABLE, DEVELOPMENT_PUBLIC_KEY),
            (PRIVATE_KEY_VARIABLE, DEVELOPMENT_PRIVATE_KEY),
        ];
        let refused = settings(&development_keys).unwrap().token_keys();
        assert!(matches!(refused, Err(ConfigError::DevelopmentTokenKey)));
        let customer_only = settings(&[
            ("ASTRO_ROLES", "customer"),
            (PUBLIC_KEY_VARIABLE, DEVELOPMENT_PUBLIC_KEY),
        ]);
        assert!(matches!(
            customer_only.unwrap().token_keys(),
            Err(ConfigError::DevelopmentTokenKey)
        ));

        let development = settings(&[("ASTRO_ENV", "development")]).unwrap();
        let keys = development.token_keys().unwrap();
        assert_eq!(
            keys.private.map(|private| private.verifying_key()),
            Some(keys.public)
        );
    }

    #[test]
    fn a_key_pair_of_its_own_starts_and_only_the_system_role_holds_the_private_key() {
        let (private, public) = auth::generate_key_pair().unwrap();
        let pair = [
            (PUBLIC_KEY_VARIABLE, public.as_str()),
            (PRIVATE_KEY_VARIABLE, private.expose()),
        ];
        let all = settings(&pair).unwrap();
        assert!(all.token_private_key.is_some());
        assert!(all.token_keys().unwrap().private.is_some());

        let customer = settings(&[pair[0], pair[1], ("ASTRO_ROLES", "customer,admin")]).unwrap();
        assert!(
            customer.token_private_key.is_none(),
            "read only by a process that runs the system role"
        );
        let keys = customer.token_keys().unwrap();
        assert!(keys.private.is_none());
        let without_private = settings(&[pair[0], ("ASTRO_ROLES", "scheduler")]).unwrap();
        assert!(without_private.token_keys().is_ok(), "needs no private key");

        let system_without_private = settings(&[pair[0]]).unwrap().token_keys();
        assert!(matches!(
            system_without_private,
            Err(ConfigError::MissingTokenKey(PRIVATE_KEY_VARIABLE))
        ));
        let (other_private, _) = auth::generate_key_pair().unwrap();
        let mismatch = settings(&[pair[0], (PRIVATE_KEY_VARIABLE, other_private.expose())]);
        assert!(matches!(
            mismatch.unwrap().token_keys(),
            Err(ConfigError::TokenKeysMismatch)
        ));
        let garbage = settings(&[(PUBLIC_KEY_VARIABLE, "not a key")])
            .unwrap()
            .token_keys();
        assert!(matches!(
            garbage,
            Err(ConfigError::BadTokenKey(PUBLIC_KEY_VARIABLE, _))
        ));
    }

    #[test]
    fn trusted_proxies_default_to_no_one_and_bad_entries_are_refused() {
        assert!(
            Settings::from_lookup(|_| None)
                .unwrap()
                .trusted_proxies
                .is_empty()
        );
        let settings = Settings::from_lookup(|key| {
            (key == "ASTRO_TRUSTED_PROXIES").then(|| "127.0.0.1, 10.0.0.0/8".into())
        })
        .unwrap();
        assert_eq!(settings.trusted_proxies.len(), 2);
        let error = Settings::from_lookup(|key| {
            (key == "ASTRO_TRUSTED_PROXIES").then(|| "127.0.0.1,edge".into())
        })
        .unwrap_err();
        assert!(error.to_string().contains("\"edge\""));
    }

    #[test]
    fn secrets_are_not_printed() {
        let (private, public) = auth::generate_key_pair().unwrap();
        let settings = settings(&[
            (PUBLIC_KEY_VARIABLE, public.as_str()),
            (PRIVATE_KEY_VARIABLE, private.expose()),
        ])
        .unwrap();
        let printed = format!("{settings:?}");
        let private_body = private.expose().lines().nth(1).unwrap();
        assert!(!printed.contains(private_body));
        assert!(!printed.contains("astro:astro"));
    }
}
