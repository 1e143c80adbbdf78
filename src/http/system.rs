//! Routes of the system API: authentication and sessions, accounts, and what IT reads (logs,
//! notifications, sync jobs).

use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use actix::Addr;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use futures_util::future::LocalBoxFuture;
use ipnet::IpNet;
use mongodb::bson::{Document, doc};
use serde::{Deserialize, Serialize};

use crate::actors::audit_log::{AuditLog, Subject};
use crate::actors::supervisor::AddressSlot;
use crate::actors::sync::OutboxRelay;
use crate::actors::sync::outbox_relay::Nudge;
use crate::auth::{self, RevokedSessions, TokenIssuer, TokenSubject};
use crate::domain::login_throttle::LoginThrottle;
use crate::domain::user::{self, AccountStatus, Email, Password, PersonName, UserRole};
use crate::http::auth::{AllowedRoles, Authorized, CurrentUser, only};
use crate::http::client_address::client_address;
use crate::http::error::ApiError;
use crate::http::parse_id;
use crate::http::request_id::current_request_id;
use crate::storage::amqp::events::{LogLevel, LogRecorded};
use crate::storage::mongo::literal_pattern;
use crate::storage::mongo::system::{
    ListFilter, NotificationDocument, NotificationStatus, RefreshTokenDocument, RevocationReason,
    RevokedSessionDocument, SyncJobDocument, SystemStore, UserDocument,
};

const DEFAULT_LIST_LIMIT: i64 = 100;
const MAX_LIST_LIMIT: i64 = 500;

pub struct SystemState {
    pub store: SystemStore,
    pub tokens: TokenIssuer,
    /// This role's own list, which the auth extractors of its routes read.
    pub revoked: RevokedSessions,
    pub refresh_ttl: Duration,
    pub audit: AuditLog,
    pub user_relay: AddressSlot<OutboxRelay>,
    pub session_relay: AddressSlot<OutboxRelay>,
    /// Held only for a map update, never across an `.await`.
    pub login_throttle: Mutex<LoginThrottle>,
    pub trusted_proxies: Vec<IpNet>,
}

/// Something was just written to the relay's outbox: publish it now rather than at its poll.
fn nudge(relay: &AddressSlot<OutboxRelay>) {
    if let Some(relay) = relay.get().filter(Addr::connected) {
        relay.do_send(Nudge);
    }
}

impl SystemState {
    /// Revokes sessions: this role refuses their access tokens at once, every other process as
    /// soon as it hears `session.revoked.v1` (relayed from the stored revocations), and their
    /// refresh tokens stay refused for good.
    async fn revoke_sessions(
        &self,
        session_ids: &[String],
        user_id: &str,
        reason: RevocationReason,
        revoked_by: Option<&str>,
    ) -> Result<(), ApiError> {
        if session_ids.is_empty() {
            return Ok(());
        }
        let now = Utc::now();
        let expires_at = self.tokens.accepted_until(now);
        let request_id = current_request_id();
        let revocations: Vec<RevokedSessionDocument> = session_ids
            .iter()
            .map(|session_id| {
                self.revoked.revoke(session_id, expires_at);
                RevokedSessionDocument {
                    session_id: session_id.clone(),
                    user_id: user_id.to_owned(),
                    reason,
                    revoked_at: now,
                    expires_at,
                    revoked_by: revoked_by.map(str::to_owned),
                    request_id: Some(request_id.clone()),
                    event_id: uuid::Uuid::now_v7().to_string(),
                    outbox_published: false,
                }
            })
            .collect();
        self.store
            .insert_revocations(&revocations)
            .await
            .map_err(ApiError::internal)?;
        nudge(&self.session_relay);
        Ok(())
    }

    /// Nothing in the throttle panics; were a holder to, its counts would still be usable, and
    /// refusing every later sign-in would be worse.
    fn login_throttle(&self) -> std::sync::MutexGuard<'_, LoginThrottle> {
        self.login_throttle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/api/system/auth/register", web::post().to(register))
        .route("/api/system/auth/login", web::post().to(login))
        .route("/api/system/auth/refresh", web::post().to(refresh))
        .route("/api/system/auth/logout", web::post().to(logout))
        .route("/api/system/auth/me", web::get().to(me))
        .route("/api/system/users", web::post().to(create_user))
        .route("/api/system/users", web::get().to(list_users))
        .route(
            "/api/system/users/{id}/disable",
            web::post().to(disable_user),
        )
        .route("/api/system/users/{id}/enable", web::post().to(enable_user))
        .route("/api/system/logs", web::get().to(logs))
        .route("/api/system/notifications", web::get().to(notifications))
        .route("/api/system/sync-jobs", web::get().to(sync_jobs));
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct User {
    id: String,
    email: String,
    name: String,
    role: UserRole,
    status: AccountStatus,
    created_at: DateTime<Utc>,
}

impl From<&UserDocument> for User {
    fn from(user: &UserDocument) -> Self {
        Self {
            id: user.user_id.clone(),
            email: user.email.clone(),
            name: user.name.clone(),
            role: user.role,
            status: user.status,
            created_at: user.created_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Session {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: u64,
    user: User,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    name: String,
    email: String,
    password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    name: String,
    email: String,
    password: String,
    /// agency, financial or it
    role: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    email: String,
    password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    refresh_token: String,
}

async fn store_new_user(
    state: &SystemState,
    name: &str,
    email: &str,
    password: &str,
    role: UserRole,
    created_by: Option<&str>,
) -> Result<UserDocument, ApiError> {
    let name = PersonName::parse(name)?;
    let email = Email::parse(email)?;
    let password = Password::parse_for(password, &email)?;
    let password_hash = auth::hash_password(password)
        .await
        .map_err(ApiError::internal)?;
    let user = UserDocument {
        email: email.as_str().to_owned(),
        user_id: uuid::Uuid::new_v4().to_string(),
        name: name.as_str().to_owned(),
        role,
        status: AccountStatus::Active,
        password_hash,
        created_at: Utc::now(),
        event_id: uuid::Uuid::now_v7().to_string(),
        outbox_published: false,
        created_by: created_by.map(str::to_owned),
        request_id: Some(current_request_id()),
    };
    if !state
        .store
        .insert_user(&user)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::conflict(
            "email_taken",
            "an account with this email already exists",
        ));
    }
    nudge(&state.user_relay);
    Ok(user)
}

fn subject<'a>(
    user_id: Option<&'a str>,
    entity_id: Option<&'a str>,
    request_id: &'a str,
) -> Subject<'a> {
    Subject {
        user_id,
        entity_type: Some("user"),
        entity_id,
        request_id: Some(request_id),
    }
}

/// A signed-in user with one of the roles `R` whose account, as the system DB says now, still
/// exists and is active: a token alone can outlive its account. Taken by the routes that change
/// accounts or start work on the system's behalf.
pub struct ActiveAccount<R>(Authorized<R>);

impl<R> std::ops::Deref for ActiveAccount<R> {
    type Target = CurrentUser;

    fn deref(&self) -> &CurrentUser {
        &self.0
    }
}

impl<R: AllowedRoles + 'static> FromRequest for ActiveAccount<R> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let authorized = Authorized::<R>::from_request(request, payload).into_inner();
        // Any role may take it: each that does registers the system DB it reads accounts from.
        let accounts = request.app_data::<web::Data<SystemStore>>().cloned();
        Box::pin(async move {
            let authorized = authorized?;
            let accounts = accounts.ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("the system DB is not configured"))
            })?;
            let account = accounts
                .user_by_id(authorized.id())
                .await
                .map_err(ApiError::internal)?
                .ok_or(ApiError::Unauthenticated)?;
            if !account.status.may_sign_in() {
                return Err(ApiError::AccountDisabled);
            }
            Ok(Self(authorized))
        })
    }
}

/// A traveller creates their own account.
#[utoipa::path(post, path = "/api/system/auth/register", request_body = Registration,
    responses((status = 201, body = User), (status = 400), (status = 409, description = "email taken")))]
pub async fn register(
    state: web::Data<SystemState>,
    input: web::Json<Registration>,
) -> Result<HttpResponse, ApiError> {
    let user = store_new_user(
        &state,
        &input.name,
        &input.email,
        &input.password,
        UserRole::Traveler,
        None,
    )
    .await?;
    let request_id = current_request_id();
    state.audit.info(
        "user.registered",
        subject(Some(&user.user_id), Some(&user.user_id), &request_id),
        "traveller registered",
        serde_json::json!({"role": "traveler"}),
    );
    Ok(HttpResponse::Created().json(User::from(&user)))
}

/// IT creates agency and employee accounts.
#[utoipa::path(post, path = "/api/system/users", request_body = NewAccount,
    responses((status = 201, body = User), (status = 400), (status = 401), (status = 403), (status = 409)),
    security(("bearer" = [])))]
pub async fn create_user(
    state: web::Data<SystemState>,
    it: ActiveAccount<only::It>,
    input: web::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let role = UserRole::parse(&input.role)?;
    if role == UserRole::Traveler {
        return Err(ApiError::Validation(
            "travellers register themselves; role must be agency, financial or it".to_owned(),
        ));
    }
    let user = store_new_user(
        &state,
        &input.name,
        &input.email,
        &input.password,
        role,
        Some(it.id()),
    )
    .await?;
    let request_id = current_request_id();
    state.audit.info(
        "user.created",
        subject(Some(it.id()), Some(&user.user_id), &request_id),
        format!("{} account created", role.as_str()),
        serde_json::json!({"role": role}),
    );
    Ok(HttpResponse::Created().json(User::from(&user)))
}

/// Accounts, newest first, by role and by text in the name or email.
#[utoipa::path(get, path = "/api/system/users", params(ListParams),
    responses((status = 200, body = Listing<User>), (status = 400), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn list_users(
    state: web::Data<SystemState>,
    _it: Authorized<only::It>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit()?;
    let mut fields = doc! {};
    if let Some(role) = params.role.as_deref() {
        fields.insert("role", UserRole::parse(role)?.as_str());
    }
    // The email is the document's `_id`.
    if let Some(search) = params.text_search(&["name", "_id"]) {
        fields.insert("$or", search);
    }
    let items: Vec<User> = state
        .store
        .users(ListFilter { fields, limit })
        .await
        .map_err(ApiError::internal)?
        .iter()
        .map(User::from)
        .collect();
    Ok(HttpResponse::Ok().json(Listing { items }))
}

/// Disables an account: it can no longer sign in or refresh, and every session it has is
/// revoked on every role.
#[utoipa::path(post, path = "/api/system/users/{id}/disable",
    responses((status = 200, body = User), (status = 400, description = "your own account"), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn disable_user(
    state: web::Data<SystemState>,
    it: ActiveAccount<only::It>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user_id = parse_id(&path, "user")?.to_string();
    user::may_disable(it.id(), &user_id)?;
    let account = set_status(&state, &user_id, AccountStatus::Disabled).await?;
    let sessions = state
        .store
        .session_ids_of(&user_id)
        .await
        .map_err(ApiError::internal)?;
    state
        .revoke_sessions(
            &sessions,
            &user_id,
            RevocationReason::AccountDisabled,
            Some(it.id()),
        )
        .await?;
    state.audit.info(
        "user.disabled",
        subject(Some(it.id()), Some(&user_id), &current_request_id()),
        format!("{} account disabled", account.role.as_str()),
        serde_json::json!({"sessions_revoked": sessions.len()}),
    );
    Ok(HttpResponse::Ok().json(User::from(&account)))
}

/// Enables a disabled account again: it may sign in (its old sessions stay revoked).
#[utoipa::path(post, path = "/api/system/users/{id}/enable",
    responses((status = 200, body = User), (status = 401), (status = 403), (status = 404)),
    security(("bearer" = [])))]
pub async fn enable_user(
    state: web::Data<SystemState>,
    it: ActiveAccount<only::It>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let user_id = parse_id(&path, "user")?.to_string();
    let account = set_status(&state, &user_id, AccountStatus::Active).await?;
    state.audit.info(
        "user.enabled",
        subject(Some(it.id()), Some(&user_id), &current_request_id()),
        format!("{} account enabled", account.role.as_str()),
        serde_json::json!({}),
    );
    Ok(HttpResponse::Ok().json(User::from(&account)))
}

async fn set_status(
    state: &SystemState,
    user_id: &str,
    status: AccountStatus,
) -> Result<UserDocument, ApiError> {
    state
        .store
        .set_user_status(user_id, status, Utc::now())
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound("user"))
}

/// New tokens of a session: its first ones at sign-in, the next ones at each refresh.
async fn session_tokens(
    state: &SystemState,
    user: &UserDocument,
    session_id: &str,
) -> Result<Session, ApiError> {
    let access_token = state
        .tokens
        .issue(&TokenSubject {
            user_id: &user.user_id,
            session_id,
            role: user.role,
            name: &user.name,
            email: &user.email,
        })
        .map_err(ApiError::internal)?;
    let refresh_token = auth::new_refresh_token();
    let now = Utc::now();
    let stored = RefreshTokenDocument {
        digest: auth::refresh_token_digest(&refresh_token),
        session_id: session_id.to_owned(),
        user_id: user.user_id.clone(),
        email: user.email.clone(),
        expires_at: now + chrono::Duration::from_std(state.refresh_ttl).unwrap_or_default(),
        created_at: now,
    };
    state
        .store
        .insert_refresh_token(&stored)
        .await
        .map_err(ApiError::internal)?;
    Ok(Session {
        access_token,
        refresh_token,
        token_type: "Bearer",
        expires_in: state.tokens.access_ttl.as_secs(),
        user: User::from(user),
    })
}

/// A sign-in under way in the throttle. However it ends without `succeeded` (a wrong password,
/// an error on the way, the client going away) it counts as a failure.
struct LoginAttempt<'a> {
    state: &'a SystemState,
    email: Email,
    address: IpAddr,
    succeeded: bool,
}

impl<'a> LoginAttempt<'a> {
    fn begin(state: &'a SystemState, email: &Email, address: IpAddr) -> Result<Self, ApiError> {
        state
            .login_throttle()
            .begin_attempt(email, address, Instant::now())
            .map_err(|wait| ApiError::RateLimited {
                retry_after_secs: wait.whole_seconds(),
            })?;
        Ok(Self {
            state,
            email: email.clone(),
            address,
            succeeded: false,
        })
    }
}

impl Drop for LoginAttempt<'_> {
    fn drop(&mut self) {
        let mut throttle = self.state.login_throttle();
        if self.succeeded {
            throttle.succeeded(&self.email, self.address);
        } else {
            throttle.failed(&self.email, self.address, Instant::now());
        }
    }
}

/// Signs in; the same answer for an unknown email and a wrong password. The right password of a
/// disabled account gets `account_disabled`.
#[utoipa::path(post, path = "/api/system/auth/login", request_body = Credentials,
    responses((status = 200, body = Session), (status = 401, description = "invalid_credentials"),
        (status = 403, description = "account_disabled"), (status = 429)))]
pub async fn login(
    state: web::Data<SystemState>,
    request: HttpRequest,
    input: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let email = Email::parse(&input.email).map_err(|_| ApiError::InvalidCredentials)?;
    let address = client_address(&request, &state.trusted_proxies);
    let mut attempt = LoginAttempt::begin(&state, &email, address)?;
    let user = state
        .store
        .user_by_email(email.as_str())
        .await
        .map_err(ApiError::internal)?;
    // Hash even for an unknown email so that timing does not tell which emails exist.
    let stored_hash = match &user {
        Some(user) => user.password_hash.clone(),
        None => auth::dummy_hash().await.map_err(ApiError::internal)?,
    };
    let matches = auth::verify_password(input.password.clone(), stored_hash)
        .await
        .map_err(ApiError::internal)?;
    let request_id = current_request_id();
    let Some(user) = user.filter(|_| matches) else {
        state.audit.record(
            LogLevel::Warning,
            "auth.login_failed",
            subject(None, None, &request_id),
            "sign-in refused",
            serde_json::json!({"email": email.as_str()}),
        );
        return Err(ApiError::InvalidCredentials);
    };
    // The right password of a disabled account is no guess: it does not count as a failure.
    attempt.succeeded = true;
    if !user.status.may_sign_in() {
        state.audit.record(
            LogLevel::Warning,
            "auth.login_refused",
            subject(Some(&user.user_id), Some(&user.user_id), &request_id),
            "sign-in refused: the account is disabled",
            serde_json::json!({}),
        );
        return Err(ApiError::AccountDisabled);
    }
    let session_id = uuid::Uuid::new_v4().to_string();
    let session = session_tokens(&state, &user, &session_id).await?;
    // A disable stores the status, then lists the sessions; a sign-in stores its session, then
    // reads the status again: whichever comes second sees the other, so no sign-in that raced
    // a disable keeps a session.
    let still_active = state
        .store
        .user_by_id(&user.user_id)
        .await
        .map_err(ApiError::internal)?
        .is_some_and(|account| account.status.may_sign_in());
    if !still_active {
        let session = std::slice::from_ref(&session_id);
        state
            .revoke_sessions(
                session,
                &user.user_id,
                RevocationReason::AccountDisabled,
                None,
            )
            .await?;
        return Err(ApiError::AccountDisabled);
    }
    state.audit.info(
        "auth.login",
        subject(Some(&user.user_id), Some(&user.user_id), &request_id),
        "signed in",
        serde_json::json!({"role": user.role}),
    );
    Ok(HttpResponse::Ok().json(session))
}

/// Exchanges a refresh token for the session's next tokens; the old refresh token is spent, and
/// spending it again revokes the whole session (someone else holds a copy).
#[utoipa::path(post, path = "/api/system/auth/refresh", request_body = RefreshRequest,
    responses((status = 200, body = Session), (status = 401)))]
pub async fn refresh(
    state: web::Data<SystemState>,
    input: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let digest = auth::refresh_token_digest(input.refresh_token.trim());
    let token = state
        .store
        .refresh_token(&digest)
        .await
        .map_err(ApiError::internal)?
        .filter(|token| !token.session_id.is_empty() && token.expires_at > Utc::now())
        .ok_or(ApiError::Unauthenticated)?;
    if state
        .store
        .is_revoked(&token.session_id)
        .await
        .map_err(ApiError::internal)?
    {
        return Err(ApiError::Unauthenticated);
    }
    if !state
        .store
        .mark_rotated(&digest, &token.session_id)
        .await
        .map_err(ApiError::internal)?
    {
        let session = std::slice::from_ref(&token.session_id);
        state
            .revoke_sessions(
                session,
                &token.user_id,
                RevocationReason::RefreshReused,
                None,
            )
            .await?;
        state.audit.record(
            LogLevel::Warning,
            "auth.refresh_reused",
            subject(
                Some(&token.user_id),
                Some(&token.user_id),
                &current_request_id(),
            ),
            "a spent refresh token was used again: its session is revoked",
            serde_json::json!({"session_id": token.session_id}),
        );
        return Err(ApiError::Unauthenticated);
    }
    let user = state
        .store
        .user_by_email(&token.email)
        .await
        .map_err(ApiError::internal)?
        .filter(|user| user.status.may_sign_in())
        .ok_or(ApiError::Unauthenticated)?;
    Ok(HttpResponse::Ok().json(session_tokens(&state, &user, &token.session_id).await?))
}

/// Ends the session the refresh token belongs to: its refresh tokens, and its access tokens on
/// every role.
#[utoipa::path(post, path = "/api/system/auth/logout", request_body = RefreshRequest, responses((status = 204)))]
pub async fn logout(
    state: web::Data<SystemState>,
    input: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let digest = auth::refresh_token_digest(input.refresh_token.trim());
    let token = state
        .store
        .refresh_token(&digest)
        .await
        .map_err(ApiError::internal)?
        .filter(|token| !token.session_id.is_empty());
    if let Some(token) = token {
        let session = std::slice::from_ref(&token.session_id);
        state
            .revoke_sessions(
                session,
                &token.user_id,
                RevocationReason::Logout,
                Some(&token.user_id),
            )
            .await?;
        state.audit.info(
            "auth.logout",
            subject(
                Some(&token.user_id),
                Some(&token.user_id),
                &current_request_id(),
            ),
            "signed out",
            serde_json::json!({"session_id": token.session_id}),
        );
    }
    Ok(HttpResponse::NoContent().finish())
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/system/auth/me", responses((status = 200, body = User), (status = 401)), security(("bearer" = [])))]
pub async fn me(
    state: web::Data<SystemState>,
    user: CurrentUser,
) -> Result<HttpResponse, ApiError> {
    let stored = state
        .store
        .user_by_email(&user.0.email)
        .await
        .map_err(ApiError::internal)?
        .ok_or(ApiError::NotFound("user"))?;
    Ok(HttpResponse::Ok().json(User::from(&stored)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// logs: info, warning or error
    level: Option<String>,
    /// logs: the service that wrote the entry
    service: Option<String>,
    /// users: traveler, agency, financial or it
    role: Option<String>,
    /// logs: text searched in the event and message; users: in the name and email
    q: Option<String>,
    /// notifications and sync jobs: their status
    status: Option<String>,
    limit: Option<i64>,
}

impl ListParams {
    fn limit(&self) -> Result<i64, ApiError> {
        match self.limit {
            None => Ok(DEFAULT_LIST_LIMIT),
            Some(limit) if (1..=MAX_LIST_LIMIT).contains(&limit) => Ok(limit),
            Some(_) => Err(ApiError::Validation(format!(
                "limit must be between 1 and {MAX_LIST_LIMIT}"
            ))),
        }
    }

    /// `q` as a filter matching documents where any of `fields` contains it, in any case.
    fn text_search(&self, fields: &[&str]) -> Option<Vec<Document>> {
        let needle = self.q.as_deref().filter(|needle| !needle.is_empty())?;
        // A case-insensitive regex of the escaped text: the one text search that MongoDB and
        // FerretDB both run, over every document rather than the newest few.
        let contains = doc! {"$regex": literal_pattern(needle), "$options": "i"};
        Some(
            fields
                .iter()
                .map(|field| doc! {*field: contains.clone()})
                .collect(),
        )
    }

    fn status_filter(&self, allowed: &[&str]) -> Result<Document, ApiError> {
        match self.status.as_deref() {
            None => Ok(doc! {}),
            Some(status) if allowed.contains(&status) => Ok(doc! {"status": status}),
            Some(other) => Err(ApiError::Validation(format!(
                "status {other:?} is not one of {}",
                allowed.join(", ")
            ))),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Listing<T: Serialize> {
    items: Vec<T>,
}

/// A log entry as IT reads it: `id` and the entry's fields.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LogEntry {
    id: String,
    #[serde(flatten)]
    #[schema(inline)]
    entry: LogRecorded,
}

/// System log entries, newest first.
#[utoipa::path(get, path = "/api/system/logs", params(ListParams),
    responses((status = 200, body = Listing<LogEntry>), (status = 400), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn logs(
    state: web::Data<SystemState>,
    _it: Authorized<only::It>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let limit = params.limit()?;
    let mut fields = doc! {};
    if let Some(level) = params.level.as_deref() {
        if !["info", "warning", "error"].contains(&level) {
            return Err(ApiError::Validation(format!(
                "level {level:?} is not one of info, warning, error"
            )));
        }
        fields.insert("level", level);
    }
    if let Some(service) = params.service.as_deref() {
        fields.insert("service", service);
    }
    if let Some(search) = params.text_search(&["message", "event"]) {
        fields.insert("$or", search);
    }
    let entries = state
        .store
        .logs(ListFilter { fields, limit })
        .await
        .map_err(ApiError::internal)?;
    let items: Vec<LogEntry> = entries
        .into_iter()
        .map(|document| LogEntry {
            id: document.id,
            entry: document.entry,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Listing { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Notification {
    id: String,
    event: String,
    recipient_email: String,
    recipient_name: String,
    subject: String,
    /// The plain-text part.
    body: String,
    /// The HTML part (null for emails recorded before they had one).
    html_body: Option<String>,
    status: NotificationStatus,
    attempts: u32,
    last_error: Option<String>,
    /// When a pending notification is tried again (by the scheduler's `notification-retries`).
    next_attempt_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<NotificationDocument> for Notification {
    fn from(document: NotificationDocument) -> Self {
        Self {
            id: document.id,
            event: document.event,
            recipient_email: document.recipient_email,
            recipient_name: document.recipient_name,
            subject: document.subject,
            body: document.body,
            html_body: document.html_body,
            status: document.status,
            attempts: document.attempts,
            last_error: document.last_error,
            next_attempt_at: document.next_attempt_at,
            created_at: document.created_at,
            updated_at: document.updated_at,
        }
    }
}

/// Emails sent or being sent, newest first.
#[utoipa::path(get, path = "/api/system/notifications", params(ListParams),
    responses((status = 200, body = Listing<Notification>), (status = 400), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn notifications(
    state: web::Data<SystemState>,
    _it: Authorized<only::It>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let filter = ListFilter {
        fields: params.status_filter(&["pending", "sent", "failed"])?,
        limit: params.limit()?,
    };
    let items: Vec<Notification> = state
        .store
        .notifications(filter)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(Notification::from)
        .collect();
    Ok(HttpResponse::Ok().json(Listing { items }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SyncJob {
    id: String,
    event: String,
    origin_service: String,
    origin_user_id: Option<String>,
    action: String,
    target: String,
    status: crate::storage::amqp::events::SyncJobStatus,
    attempts: u32,
    last_error: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<SyncJobDocument> for SyncJob {
    fn from(job: SyncJobDocument) -> Self {
        Self {
            id: job.id,
            event: job.event,
            origin_service: job.origin_service,
            origin_user_id: job.origin_user_id,
            action: job.action,
            target: job.target,
            status: job.status,
            attempts: job.attempts,
            last_error: job.last_error,
            created_at: job.created_at,
            updated_at: job.updated_at,
        }
    }
}

/// Changes on their way between the stores, newest first.
#[utoipa::path(get, path = "/api/system/sync-jobs", params(ListParams),
    responses((status = 200, body = Listing<SyncJob>), (status = 400), (status = 401), (status = 403)), security(("bearer" = [])))]
pub async fn sync_jobs(
    state: web::Data<SystemState>,
    _it: Authorized<only::It>,
    params: web::Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
    let filter = ListFilter {
        fields: params.status_filter(&["pending", "running", "completed", "failed"])?,
        limit: params.limit()?,
    };
    let items: Vec<SyncJob> = state
        .store
        .sync_jobs(filter)
        .await
        .map_err(ApiError::internal)?
        .into_iter()
        .map(SyncJob::from)
        .collect();
    Ok(HttpResponse::Ok().json(Listing { items }))
}
