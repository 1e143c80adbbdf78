//! Request ids: taken from `X-Request-Id` (nginx sets one) or made here, echoed on the response,
//! present on every log line of the request, and carried into actor messages.

use std::future::{Ready, ready};
use std::rc::Rc;
use std::time::Instant;

use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::{HeaderName, HeaderValue};
use futures_util::future::LocalBoxFuture;
use tracing::Instrument;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being served, or "none" outside a request (actors, startup).
pub fn current_request_id() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .unwrap_or_else(|_| "none".to_owned())
}

fn sanitized(header: Option<&HeaderValue>) -> Option<String> {
    let value = header?.to_str().ok()?.trim();
    let acceptable = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    acceptable.then(|| value.to_owned())
}

pub struct RequestTracing {
    pub service: &'static str,
}

impl<S, B> Transform<S, ServiceRequest> for RequestTracing
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = RequestTracingMiddleware<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestTracingMiddleware {
            service: Rc::new(service),
            service_name: self.service,
        }))
    }
}

pub struct RequestTracingMiddleware<S> {
    service: Rc<S>,
    service_name: &'static str,
}

impl<S, B> Service<ServiceRequest> for RequestTracingMiddleware<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> Self::Future {
        let request_id = sanitized(request.headers().get(REQUEST_ID_HEADER))
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        let span = tracing::info_span!(
            "http_request",
            service = self.service_name,
            request_id = %request_id,
            method = %request.method(),
            path = %request.path(),
        );
        let service = Rc::clone(&self.service);
        let started = Instant::now();
        let scoped_id = request_id.clone();
        Box::pin(
            REQUEST_ID
                .scope(scoped_id, async move {
                    let mut response = service.call(request).await?;
                    if let Ok(value) = HeaderValue::from_str(&request_id) {
                        response
                            .headers_mut()
                            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
                    }
                    tracing::info!(
                        status = response.status().as_u16(),
                        elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
                        "request served"
                    );
                    Ok(response)
                })
                .instrument(span),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_trusted() {
        assert_eq!(
            sanitized(Some(&HeaderValue::from_static("abc-123"))),
            Some("abc-123".into())
        );
        assert_eq!(sanitized(Some(&HeaderValue::from_static("a b"))), None);
        assert_eq!(sanitized(Some(&HeaderValue::from_static(""))), None);
        assert_eq!(sanitized(None), None);
    }
}
