//! The signed-in user, from a bearer token verified locally with the public key and refused when
//! its session was revoked. Role checks are explicit in each handler through `require`.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use crate::auth::{AccessClaims, RevokedSessions, TokenVerifier};
use crate::domain::user::UserRole;
use crate::http::error::ApiError;

#[derive(Debug, Clone)]
pub struct CurrentUser(pub AccessClaims);

impl CurrentUser {
    pub fn id(&self) -> &str {
        &self.0.sub
    }

    pub fn role(&self) -> UserRole {
        self.0.role
    }

    /// Refuses with 403 unless the user has one of `roles`.
    pub fn require(&self, roles: &[UserRole]) -> Result<&Self, ApiError> {
        if roles.contains(&self.0.role) {
            Ok(self)
        } else {
            Err(ApiError::Forbidden)
        }
    }
}

/// What a role checks bearer tokens with: the public key, and the sessions revoked meanwhile.
#[derive(Clone)]
pub struct AccessGuard {
    pub verifier: TokenVerifier,
    pub revoked: RevokedSessions,
}

fn bearer_claims(request: &HttpRequest) -> Result<AccessClaims, ApiError> {
    let guard = request
        .app_data::<web::Data<AccessGuard>>()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("token keys are not configured")))?;
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|text| text.strip_prefix("Bearer "))
        .map(str::trim)
        .ok_or(ApiError::Unauthenticated)?;
    let claims = guard
        .verifier
        .verify(token)
        .map_err(|_| ApiError::Unauthenticated)?;
    // A process that has not read the revocations yet cannot tell a revoked session.
    if !guard.revoked.is_loaded() {
        return Err(ApiError::Unavailable {
            retry_after_secs: 1,
        });
    }
    if guard.revoked.is_revoked(&claims.sid) {
        return Err(ApiError::Unauthenticated);
    }
    Ok(claims)
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer_claims(request).map(CurrentUser))
    }
}

/// The roles an endpoint admits.
pub trait AllowedRoles {
    const ROLES: &'static [UserRole];
}

/// Role sets for `Authorized`, named as the endpoints read: `Authorized<only::Agency>`.
pub mod only {
    use super::AllowedRoles;
    use crate::domain::user::UserRole;

    pub struct Agency;
    pub struct Traveler;
    pub struct It;
    /// Agencies (their own data) and the company's financial and IT employees.
    pub struct AgencyOrStaff;
    pub struct Financial;
    /// Agencies (their own data) and the company's financial employees.
    pub struct AgencyOrFinancial;

    impl AllowedRoles for Agency {
        const ROLES: &'static [UserRole] = &[UserRole::Agency];
    }
    impl AllowedRoles for Traveler {
        const ROLES: &'static [UserRole] = &[UserRole::Traveler];
    }
    impl AllowedRoles for It {
        const ROLES: &'static [UserRole] = &[UserRole::It];
    }
    impl AllowedRoles for AgencyOrStaff {
        const ROLES: &'static [UserRole] = &[UserRole::Agency, UserRole::Financial, UserRole::It];
    }
    impl AllowedRoles for Financial {
        const ROLES: &'static [UserRole] = &[UserRole::Financial];
    }
    impl AllowedRoles for AgencyOrFinancial {
        const ROLES: &'static [UserRole] = &[UserRole::Agency, UserRole::Financial];
    }
}

/// A signed-in user with one of the roles `R` admits. The role is checked while the request is
/// extracted, before its body, so a caller without the role gets 403 whatever it sent.
pub struct Authorized<R> {
    user: CurrentUser,
    roles: std::marker::PhantomData<R>,
}

impl<R> std::ops::Deref for Authorized<R> {
    type Target = CurrentUser;

    fn deref(&self) -> &CurrentUser {
        &self.user
    }
}

impl<R: AllowedRoles> FromRequest for Authorized<R> {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer_claims(request).and_then(|claims| {
            let user = CurrentUser(claims);
            user.require(R::ROLES)?;
            Ok(Self {
                user,
                roles: std::marker::PhantomData,
            })
        }))
    }
}
