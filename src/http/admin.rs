//! Routes of the admin API.

use actix_web::web;

pub fn routes(_config: &mut web::ServiceConfig) {}
