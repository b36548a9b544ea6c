//! Where a request came from. Behind a load balancer every request arrives from the
//! balancer's address; only peers listed as trusted proxies may say who the client is
//! (`X-Forwarded-For`, `Forwarded`). Rate limits and the audit log use the result.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::{GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError};
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::http::header::{HeaderMap, USER_AGENT};
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

use crate::app::AppState;

/// The networks whose forwarding headers we believe.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// From addresses (`10.0.0.5`) and networks (`10.0.0.0/8`); an error names the bad entry.
    pub fn parse(entries: &[String]) -> Result<Self, String> {
        entries
            .iter()
            .map(|entry| {
                let entry = entry.trim();
                entry
                    .parse::<IpNet>()
                    .or_else(|_| entry.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("not an IP address or network: {entry:?}"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the nearest
    /// address in its forwarding header that is not itself a trusted proxy.
    pub fn client_ip(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        let peer = peer?;
        if !self.trusts(peer) {
            return Some(peer);
        }
        let forwarded = forwarded_chain(headers);
        // Nearest hop last: walk back past our own proxies.
        let client = forwarded
            .iter()
            .rev()
            .find(|address| !self.trusts(**address))
            .or(forwarded.first())
            .copied();
        Some(client.unwrap_or(peer))
    }
}

/// The addresses of `X-Forwarded-For` (or, without it, the `for=` of `Forwarded`), client
/// first. Entries that are not addresses (`unknown`, obfuscated names) are skipped.
fn forwarded_chain(headers: &HeaderMap) -> Vec<IpAddr> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|item| item.trim().to_owned())
            .collect()
    };
    let from_x_forwarded: Vec<IpAddr> = values("x-forwarded-for")
        .iter()
        .filter_map(|item| parse_address(item))
        .collect();
    if !from_x_forwarded.is_empty() {
        return from_x_forwarded;
    }
    values("forwarded")
        .iter()
        .flat_map(|element| element.split(';'))
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("for")
                .then(|| parse_address(value))?
        })
        .collect()
}

/// `203.0.113.7`, `"[2001:db8::1]:4711"`, `203.0.113.7:80`.
fn parse_address(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim().trim_matches('"');
    if let Ok(address) = raw.parse() {
        return Some(address);
    }
    if let Some(rest) = raw.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    raw.rsplit_once(':')?.0.parse().ok()
}

/// Where a request came from, for sessions and the audit log.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl FromRequest for ClientInfo {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|state| Arc::clone(&state.trusted_proxies))
            .unwrap_or_default();
        let ip = trusted.client_ip(req.peer_addr().map(|address| address.ip()), req.headers());
        std::future::ready(Ok(Self {
            ip: ip.map(|ip| ip.to_string()),
            user_agent: req
                .headers()
                .get(USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .map(|agent| agent.chars().take(300).collect()),
        }))
    }
}

/// Rate limits per client address (after the trusted-proxy rule).
#[derive(Clone)]
pub struct ClientIpKey(pub Arc<TrustedProxies>);

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<IpAddr, Self::KeyExtractionError> {
        self.0
            .client_ip(req.peer_addr().map(|address| address.ip()), req.headers())
            .ok_or_else(|| SimpleKeyExtractionError::new("no client address"))
    }
}

/// A limiter shared by every worker thread, keyed by client address.
pub type RateLimit = GovernorConfig<ClientIpKey, NoOpMiddleware>;

/// `per_minute` requests a minute after a burst of `burst`; over it, 429 with `Retry-After`.
pub fn rate_limit(trusted: &Arc<TrustedProxies>, per_minute: u64, burst: u32) -> RateLimit {
    let per_minute = per_minute.max(1);
    GovernorConfigBuilder::default()
        .key_extractor(ClientIpKey(Arc::clone(trusted)))
        .period(Duration::from_nanos(60_000_000_000 / per_minute))
        .burst_size(burst.max(1))
        .finish()
        .unwrap_or_else(|| {
            // Only reachable with a zero period or burst, which the clamps above rule out.
            GovernorConfigBuilder::default()
                .key_extractor(ClientIpKey(Arc::clone(trusted)))
                .finish()
                .unwrap_or_else(|| unreachable!("the default governor configuration is valid"))
        })
}

/// The limiters of the routes that check secrets or send mail.
#[derive(Clone)]
pub struct RateLimits {
    /// Sign-in, one-time passwords, recovery, registration (unauthenticated).
    pub auth: RateLimit,
    /// Signed-in steps that check the current password, and crash reports.
    pub sensitive: RateLimit,
}

/// A limit per target value (an address, a login ID) rather than per client: spreading
/// guesses over many client addresses does not get around it. Kept in memory, per instance.
pub struct TargetLimit {
    limiter: actix_governor::governor::DefaultKeyedRateLimiter<String>,
}

impl TargetLimit {
    /// `per_hour` tries per target and hour, after a burst of `burst`.
    pub fn per_hour(per_hour: u32, burst: u32) -> Self {
        use actix_governor::governor::{Quota, RateLimiter};
        let per_hour = std::num::NonZeroU32::new(per_hour.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
        let burst = std::num::NonZeroU32::new(burst.max(1)).unwrap_or(std::num::NonZeroU32::MIN);
        Self {
            limiter: RateLimiter::keyed(Quota::per_hour(per_hour).allow_burst(burst)),
        }
    }

    /// `Ok` if `target` may be tried now, else the seconds to wait.
    pub fn check(&self, target: &str) -> Result<(), crate::error::ApiError> {
        use actix_governor::governor::clock::{Clock, DefaultClock};
        self.limiter.check_key(&target.to_owned()).map_err(|not_until| {
            crate::error::ApiError::TooManyRequests {
                retry_after_secs: not_until
                    .wait_time_from(DefaultClock::default().now())
                    .as_secs()
                    .max(1),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderName, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        map
    }

    fn ip(raw: &str) -> IpAddr {
        raw.parse().expect("address")
    }

    #[test]
    fn only_trusted_proxies_may_name_the_client() {
        let trusted = TrustedProxies::parse(&["10.0.0.0/8".into(), "192.0.2.1".into()]).expect("valid");
        let forwarded = headers(&[("x-forwarded-for", "203.0.113.7, 10.1.2.3")]);
        // A stranger's header is ignored.
        assert_eq!(
            trusted.client_ip(Some(ip("198.51.100.9")), &forwarded),
            Some(ip("198.51.100.9"))
        );
        // Through two of our proxies: the address before them.
        assert_eq!(
            trusted.client_ip(Some(ip("10.0.0.5")), &forwarded),
            Some(ip("203.0.113.7"))
        );
        // A client that forges a first hop does not get past the real one.
        let forged = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.7")]);
        assert_eq!(
            trusted.client_ip(Some(ip("192.0.2.1")), &forged),
            Some(ip("203.0.113.7"))
        );
        // RFC 7239 form.
        let standard = headers(&[("forwarded", "for=\"[2001:db8::1]:4711\";proto=https")]);
        assert_eq!(
            trusted.client_ip(Some(ip("10.0.0.5")), &standard),
            Some(ip("2001:db8::1"))
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client_ip(Some(ip("10.0.0.5")), &HeaderMap::new()),
            Some(ip("10.0.0.5"))
        );
        // Nothing trusted by default.
        assert_eq!(
            TrustedProxies::default().client_ip(Some(ip("10.0.0.5")), &forwarded),
            Some(ip("10.0.0.5"))
        );
        assert!(TrustedProxies::parse(&["proxy.example".into()]).is_err());
    }
}
