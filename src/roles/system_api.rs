use std::net::TcpListener;

use crate::config::Settings;
use crate::roles::{RoleContext, RunningRole};

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    super::scheduler::start(context, listener).await
}

pub async fn seed_it_employee(_settings: &Settings) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
