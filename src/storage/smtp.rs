//! Outgoing email over SMTP.

use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;

#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address: {0}")]
    Address(#[from] lettre::address::AddressError),
    #[error("message could not be built: {0}")]
    Build(#[from] lettre::error::Error),
    #[error("SMTP delivery failed: {0}")]
    Delivery(#[from] lettre::transport::smtp::Error),
}

impl Mailer {
    pub fn new(settings: &Settings) -> Result<Self, MailError> {
        // The local catcher speaks plain SMTP on loopback; a production relay would add TLS here.
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.smtp_host)
                .port(settings.smtp_port)
                .timeout(Some(std::time::Duration::from_secs(10)))
                .build();
        Ok(Self {
            transport,
            from: settings.mail_from.parse()?,
        })
    }

    /// Sends `text` alone, or `text` and `html` as the two parts of a `multipart/alternative`
    /// message (mail clients show the last part they can: the HTML one).
    #[tracing::instrument(skip_all, fields(to = %to_email))]
    pub async fn send(
        &self,
        to_name: &str,
        to_email: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
    ) -> Result<(), MailError> {
        let to = Mailbox::new(Some(to_name.to_owned()), to_email.parse()?);
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        let message = match html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            ))?,
            None => builder.singlepart(SinglePart::plain(text.to_owned()))?,
        };
        self.transport.send(message).await?;
        Ok(())
    }
}
