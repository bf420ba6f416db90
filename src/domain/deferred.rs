//! A server function's answer that the browser decodes where it is shown.
//!
//! An admin page's `data()` lives in the main module every shopper downloads; its view is a
//! lazy chunk. A `Deferred<T>` is read in `data()` as raw JSON and decoded into `T` by the
//! view, so each admin type's decoder comes with the admin's chunk. On the wire it is exactly
//! `T`'s JSON.

use crate::domain::error::AppError;
use crate::domain::msg::Msg;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;
use std::marker::PhantomData;

pub struct Deferred<T> {
    raw: Box<RawValue>,
    ty: PhantomData<fn() -> T>,
}

impl<T: Serialize> Deferred<T> {
    /// Encodes the answer a server function computed (its error passes through as it is).
    pub fn encode(answer: Result<T, AppError>) -> Result<Self, AppError> {
        let raw = serde_json::value::to_raw_value(&answer?).map_err(|_| AppError::Internal)?;
        Ok(Deferred { raw, ty: PhantomData })
    }
}

impl<T: DeserializeOwned> Deferred<T> {
    /// The typed answer. It was encoded from a `T` by the same code, so this fails only
    /// when the server and the browser run different builds.
    pub fn decode(&self) -> Result<T, AppError> {
        serde_json::from_str(self.raw.get()).map_err(|_| AppError::invalid(Msg::PageOutOfDate))
    }
}

impl<T> Clone for Deferred<T> {
    fn clone(&self) -> Self {
        Deferred { raw: self.raw.clone(), ty: PhantomData }
    }
}

impl<T> std::fmt::Debug for Deferred<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Deferred").field(&self.raw.get()).finish()
    }
}

impl<T> Serialize for Deferred<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

impl<'de, T> Deserialize<'de> for Deferred<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Deferred { raw: Box::<RawValue>::deserialize(d)?, ty: PhantomData })
    }
}

#[cfg(test)]
mod tests {
    use super::Deferred;
    use crate::domain::error::AppError;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Page {
        rows: Vec<i64>,
        next: Option<String>,
    }

    #[test]
    fn travels_as_the_values_own_json_and_decodes_back() {
        let page = Page { rows: vec![3, 2, 1], next: Some("i1.1".into()) };
        let sent = Deferred::encode(Ok(Page { rows: vec![3, 2, 1], next: Some("i1.1".into()) })).unwrap();
        let wire = serde_json::to_string(&sent).unwrap();
        assert_eq!(wire, serde_json::to_string(&page).unwrap(), "the wire format is the value's");
        let received: Deferred<Page> = serde_json::from_str(&wire).unwrap();
        assert_eq!(received.decode().unwrap(), page);
        let in_a_result: Result<Deferred<Page>, AppError> =
            serde_json::from_str(&format!("{{\"Ok\":{wire}}}")).unwrap();
        assert_eq!(in_a_result.unwrap().decode().unwrap(), page);
    }

    #[test]
    fn an_error_passes_through_and_a_foreign_shape_is_refused() {
        let refused = Deferred::<Page>::encode(Err(AppError::not_found(crate::domain::msg::Msg::PageNotFound)));
        assert!(matches!(refused, Err(AppError::NotFound(_))));
        let other: Deferred<Page> = serde_json::from_str("{\"rows\":\"not a list\"}").unwrap();
        assert_eq!(other.decode().unwrap_err().status(), 400);
    }
}
