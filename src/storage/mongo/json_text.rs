//! Serde adapter that stores a value as one JSON string field. FerretDB's cost per document
//! grows with its fields (each is translated on the way in and out), while a string of any
//! length is one opaque value: a booking stored this way costs it a fraction of the same
//! booking stored field by field. Only what is filtered on stays a field of its own.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<T: Serialize, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
    let text = serde_json::to_string(value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

pub fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let text = String::deserialize(deserializer)?;
    serde_json::from_str(&text).map_err(D::Error::custom)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        name: String,
        seats: Vec<u32>,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        id: String,
        #[serde(with = "super")]
        inner: Inner,
    }

    #[test]
    fn the_value_travels_as_one_string_and_comes_back_whole() {
        let outer = Outer {
            id: "a".into(),
            inner: Inner {
                name: "Ada \"the first\"".into(),
                seats: vec![3, 4],
            },
        };
        let stored = mongodb::bson::to_document(&outer).unwrap();
        assert!(
            stored.get_str("inner").is_ok(),
            "stored as a string: {stored}"
        );
        assert_eq!(
            mongodb::bson::from_document::<Outer>(stored).unwrap(),
            outer
        );
    }

    #[test]
    fn a_string_that_is_not_the_value_is_an_error() {
        let stored = mongodb::bson::doc! {"id": "a", "inner": "{\"name\": 1}"};
        assert!(mongodb::bson::from_document::<Outer>(stored).is_err());
    }
}
