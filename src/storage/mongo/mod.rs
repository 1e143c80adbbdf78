//! The two MongoDB databases: the customer DB (customer API) and the system DB (system API).
//! Only what both MongoDB and FerretDB do is used: no transactions, no change streams, and no
//! reliance on a filtered update being atomic; uniqueness comes from `_id`.

pub mod customer;
pub mod json_text;
pub mod system;

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::ClientOptions;
use mongodb::{Client, Database};

use crate::config::Secret;
use crate::storage::ReadinessCheck;

pub async fn connect(
    url: &Secret,
    database: &str,
    app_name: &str,
) -> Result<Database, mongodb::error::Error> {
    let mut options = ClientOptions::parse(url.expose()).await?;
    options.app_name = Some(app_name.to_owned());
    // The driver's default waits 30 s for a server; fail fast and let readiness say so.
    options.server_selection_timeout = Some(Duration::from_secs(3));
    options.connect_timeout = Some(Duration::from_secs(3));
    options.max_pool_size = Some(50);
    Ok(Client::with_options(options)?.database(database))
}

/// Creates plain (non-unique) indexes, one per key document.
pub async fn create_indexes<T: Send + Sync>(
    collection: &mongodb::Collection<T>,
    keys: impl IntoIterator<Item = mongodb::bson::Document>,
) -> Result<(), mongodb::error::Error> {
    for key in keys {
        collection
            .create_index(mongodb::IndexModel::builder().keys(key).build())
            .await?;
    }
    Ok(())
}

/// Inserts a document whose `_id` makes it unique; `Ok(false)` when it was already there (a
/// redelivery, a replay, a taken email).
pub async fn insert_once<T: serde::Serialize + Send + Sync>(
    collection: &mongodb::Collection<T>,
    document: &T,
) -> Result<bool, mongodb::error::Error> {
    match collection.insert_one(document).await {
        Ok(_) => Ok(true),
        Err(error) if is_duplicate_key(&error) => Ok(false),
        Err(error) => Err(error),
    }
}

/// Inserts every document whose `_id` is not stored yet; those already there (a redelivery)
/// are skipped, not an error.
pub async fn insert_each_once<T: serde::Serialize + Send + Sync>(
    collection: &mongodb::Collection<T>,
    documents: &[T],
) -> Result<(), mongodb::error::Error> {
    if documents.is_empty() {
        return Ok(());
    }
    let unordered = mongodb::options::InsertManyOptions::builder()
        .ordered(false)
        .build();
    match collection
        .insert_many(documents)
        .with_options(unordered)
        .await
    {
        Ok(_) => Ok(()),
        Err(error) if is_duplicate_key(&error) => Ok(()),
        Err(error) => Err(error),
    }
}

/// Documents matching `filter`, newest first by `time_field`, at most `limit`.
pub async fn newest_first<T: serde::de::DeserializeOwned + Send + Sync>(
    collection: &mongodb::Collection<T>,
    filter: mongodb::bson::Document,
    time_field: &str,
    limit: i64,
) -> Result<Vec<T>, mongodb::error::Error> {
    use futures_util::TryStreamExt;
    collection
        .find(filter)
        .sort(doc! {time_field: -1})
        .limit(limit)
        .await?
        .try_collect()
        .await
}

/// Documents whose outbox marker says their event is not published yet, at most `limit`.
pub async fn unpublished<T: serde::de::DeserializeOwned + Send + Sync>(
    collection: &mongodb::Collection<T>,
    limit: i64,
) -> Result<Vec<T>, mongodb::error::Error> {
    use futures_util::TryStreamExt;
    collection
        .find(doc! {"outbox_published": false})
        .limit(limit)
        .await?
        .try_collect()
        .await
}

/// Sets the outbox marker of the document `_id`: its event was published.
pub async fn mark_published<T: Send + Sync>(
    collection: &mongodb::Collection<T>,
    id: &str,
) -> Result<(), mongodb::error::Error> {
    collection
        .update_one(doc! {"_id": id}, doc! {"$set": {"outbox_published": true}})
        .await?;
    Ok(())
}

/// True when an insert failed only because the `_id` (or a unique key) already exists.
pub fn is_duplicate_key(error: &mongodb::error::Error) -> bool {
    use mongodb::error::{ErrorKind, WriteFailure};
    match error.kind.as_ref() {
        ErrorKind::Write(WriteFailure::WriteError(write_error)) => write_error.code == 11000,
        ErrorKind::InsertMany(failure) => failure.write_errors.as_ref().is_some_and(|errors| {
            !errors.is_empty() && errors.iter().all(|error| error.code == 11000)
        }),
        ErrorKind::Command(command_error) => command_error.code == 11000,
        _ => false,
    }
}

/// True when the operation never reached a server (none could be selected), so it cannot
/// have taken effect.
pub fn never_sent(error: &mongodb::error::Error) -> bool {
    matches!(
        error.kind.as_ref(),
        mongodb::error::ErrorKind::ServerSelection { .. }
    )
}

pub struct MongoReadiness {
    pub name: &'static str,
    pub database: Database,
}

#[async_trait::async_trait]
impl ReadinessCheck for MongoReadiness {
    fn name(&self) -> &'static str {
        self.name
    }

    async fn check(&self) -> Result<(), String> {
        self.database
            .run_command(doc! {"ping": 1})
            .await
            .map(|_| ())
            .map_err(|error| error.to_string())
    }
}

/// A regex that matches `text` literally (its metacharacters escaped), for `$regex` filters.
pub fn literal_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len());
    for character in text.chars() {
        if r"\^$.|?*+()[]{}".contains(character) {
            pattern.push('\\');
        }
        pattern.push(character);
    }
    pattern
}

#[cfg(test)]
mod tests {
    use super::literal_pattern;

    #[test]
    fn a_literal_pattern_escapes_every_regex_metacharacter() {
        assert_eq!(literal_pattern("booked"), "booked");
        assert_eq!(
            literal_pattern(r"2 seats (x3) at $1.50? [a|b] {c} ^d* + \e"),
            r"2 seats \(x3\) at \$1\.50\? \[a\|b\] \{c\} \^d\* \+ \\e"
        );
    }
}
