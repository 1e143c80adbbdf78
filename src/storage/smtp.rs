//! Outgoing email over SMTP.

use base64::Engine;
use base64::prelude::BASE64_STANDARD;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;
use crate::storage::mongo::system::NotificationAttachment;

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
    #[error("attachment is not base64: {0}")]
    Attachment(base64::DecodeError),
    #[error("attachment content type {0:?} is not one")]
    ContentType(String),
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
    /// message (mail clients show the last part they can: the HTML one); with an attachment,
    /// that body and the file are the parts of a `multipart/mixed` message.
    #[tracing::instrument(skip_all, fields(to = %to_email))]
    pub async fn send(
        &self,
        to_name: &str,
        to_email: &str,
        subject: &str,
        text: &str,
        html: Option<&str>,
        attachment: Option<&NotificationAttachment>,
    ) -> Result<(), MailError> {
        let to = Mailbox::new(Some(to_name.to_owned()), to_email.parse()?);
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject);
        let message = match (html, attachment) {
            (Some(html), None) => builder.multipart(MultiPart::alternative_plain_html(
                text.to_owned(),
                html.to_owned(),
            ))?,
            (None, None) => builder.singlepart(SinglePart::plain(text.to_owned()))?,
            (html, Some(attachment)) => {
                let body = match html {
                    Some(html) => {
                        MultiPart::alternative_plain_html(text.to_owned(), html.to_owned())
                    }
                    None => MultiPart::mixed().singlepart(SinglePart::plain(text.to_owned())),
                };
                let bytes = BASE64_STANDARD
                    .decode(&attachment.content_base64)
                    .map_err(MailError::Attachment)?;
                let content_type = ContentType::parse(&attachment.content_type)
                    .map_err(|_| MailError::ContentType(attachment.content_type.clone()))?;
                builder.multipart(MultiPart::mixed().multipart(body).singlepart(
                    LettreAttachment::new(attachment.filename.clone()).body(bytes, content_type),
                ))?
            }
        };
        self.transport.send(message).await?;
        Ok(())
    }
}
