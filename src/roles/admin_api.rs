use std::net::TcpListener;

use crate::roles::{RoleContext, RunningRole};

pub async fn start(context: &RoleContext, listener: TcpListener) -> anyhow::Result<RunningRole> {
    super::scheduler::start(context, listener).await
}
