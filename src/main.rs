//! `astro-bookings [serve|migrate|seed|token-keys]`: runs the roles in `ASTRO_ROLES`, applies the
//! operations DB migrations, creates the first IT employee from `ASTRO_SEED_IT_*`, or prints a new
//! key pair for `ASTRO_TOKEN_PRIVATE_KEY` and `ASTRO_TOKEN_PUBLIC_KEY`.

/// glibc's allocator took a fifth of a booking's in-process CPU under load; mimalloc took 7–17 %
/// off that process's CPU in `cargo bench --bench booking`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::Write;

use astro_bookings::app::Application;
use astro_bookings::config::Settings;
use astro_bookings::{auth, roles, storage, telemetry};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let command = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "serve".to_owned());
    if command == "token-keys" {
        // Needs no configuration: it is how a deployment gets its keys.
        let (private, public) = auth::generate_key_pair()?;
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}{}", private.expose(), public)?;
        return Ok(());
    }
    telemetry::init("info");
    let settings = Settings::from_env()?;
    match command.as_str() {
        "serve" => {
            let application = Application::start(settings).await?;
            tracing::info!("ready for requests");
            application.run_until_signalled().await
        }
        "migrate" => {
            let pool = storage::postgres::connect(&settings).await?;
            storage::postgres::migrate(&pool).await?;
            tracing::info!("operations DB migrated");
            Ok(())
        }
        "seed" => roles::system_api::seed_it_employee(&settings).await,
        other => {
            anyhow::bail!("unknown command {other:?}; expected serve, migrate, seed or token-keys")
        }
    }
}
