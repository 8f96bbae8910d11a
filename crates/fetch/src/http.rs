//! One careful HTTP client: private, loopback and link-local addresses are
//! refused (unless allowed), redirects are followed by hand so each hop is
//! checked, robots.txt is read once per host and honoured, requests to one
//! host are spaced, transient failures are retried with back-off, and every
//! response is capped in size and time.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, ToSocketAddrs};
use std::time::{Duration, Instant};

use url::Url;

use crate::robots::Robots;

/// The user agent sent, and the one robots.txt rules are matched against.
pub const USER_AGENT: &str = concat!("storyline/", env!("CARGO_PKG_VERSION"));

/// How a [`Fetcher`] behaves.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Fetch from private, loopback and link-local addresses too.
    pub allow_private: bool,
    /// Largest body read, in bytes.
    pub max_bytes: u64,
    /// Time one request may take, connection to last byte.
    pub timeout: Duration,
    /// Least time between two requests to one host.
    pub per_host_interval: Duration,
    /// Attempts for a request that fails for a transient reason.
    pub attempts: u32,
    /// First wait before a retry (doubled at each one).
    pub backoff: Duration,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            allow_private: false,
            max_bytes: 16 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            per_host_interval: Duration::from_secs(1),
            attempts: 3,
            backoff: Duration::from_secs(1),
        }
    }
}

/// Validators of a conditional request, as the last response gave them.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    /// The `ETag` last returned.
    pub etag: Option<String>,
    /// The `Last-Modified` last returned.
    pub last_modified: Option<String>,
}

/// A response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// 200: the body, where it ended up after redirects, and its validators.
    Body {
        /// The bytes (at most `max_bytes`).
        bytes: Vec<u8>,
        /// The URL after redirects.
        url: String,
        /// `Content-Type`, if any.
        content_type: Option<String>,
        /// Validators for the next request.
        validators: Validators,
    },
    /// 304: unchanged since the validators sent.
    NotModified,
}

/// Fetches URLs one at a time, remembering robots.txt and the last request
/// to each host.
pub struct Fetcher {
    agent: ureq::Agent,
    options: FetchOptions,
    robots: HashMap<String, Option<Robots>>,
    last_request: HashMap<String, Instant>,
}

/// Whether an address is one a fetch from the open web must not reach.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space 100.64.0.0/10
                || o[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (first & 0xffc0) == 0xfe80 // link-local fe80::/10
        }
    }
}

fn host_key(url: &Url) -> String {
    format!("{}://{}:{}", url.scheme(), url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

impl Fetcher {
    /// A fetcher with these options.
    pub fn new(options: FetchOptions) -> Fetcher {
        let agent = ureq::AgentBuilder::new().timeout(options.timeout).redirects(0).user_agent(USER_AGENT).build();
        Fetcher { agent, options, robots: HashMap::new(), last_request: HashMap::new() }
    }

    /// Checks a URL before any byte is sent: scheme, host, and (unless
    /// allowed) that no address it resolves to is private.
    pub fn check(&self, url: &Url) -> Result<(), String> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!("{url}: only http and https are fetched"));
        }
        let host = url.host_str().ok_or_else(|| format!("{url}: no host"))?;
        if self.options.allow_private {
            return Ok(());
        }
        let port = url.port_or_known_default().unwrap_or(80);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        let addrs: Vec<IpAddr> = match host.parse::<IpAddr>() {
            Ok(ip) => vec![ip],
            Err(_) => (host, port)
                .to_socket_addrs()
                .map_err(|e| format!("{url}: cannot resolve {host}: {e}"))?
                .map(|a| a.ip())
                .collect(),
        };
        if let Some(ip) = addrs.iter().find(|ip| is_private(**ip)) {
            return Err(format!(
                "{url}: {host} is a private, loopback or link-local address ({ip}); refused (--allow-private fetches it)"
            ));
        }
        Ok(())
    }

    /// Waits until this host may be asked again.
    fn pace(&mut self, key: &str) {
        if let Some(last) = self.last_request.get(key) {
            let since = last.elapsed();
            if since < self.options.per_host_interval {
                std::thread::sleep(self.options.per_host_interval - since);
            }
        }
        self.last_request.insert(key.to_string(), Instant::now());
    }

    /// Whether robots.txt lets us fetch this URL (read once per host; a
    /// missing robots.txt allows everything, an unreachable one nothing).
    fn allowed(&mut self, url: &Url) -> Result<bool, String> {
        let key = host_key(url);
        if !self.robots.contains_key(&key) {
            let mut robots_url = url.clone();
            robots_url.set_path("/robots.txt");
            robots_url.set_query(None);
            robots_url.set_fragment(None);
            let rules = match self.request(&robots_url, &Validators::default()) {
                Ok(Fetched::Body { bytes, .. }) => Some(Robots::parse(&String::from_utf8_lossy(&bytes), "storyline")),
                Ok(Fetched::NotModified) => Some(Robots::default()),
                Err(reason) if reason.contains("HTTP 4") => Some(Robots::default()),
                Err(_) => None,
            };
            self.robots.insert(key.clone(), rules);
        }
        match &self.robots[&key] {
            Some(rules) => Ok(rules.allows(url.path())),
            None => {
                Err(format!("{url}: robots.txt of {} could not be read; not fetched", url.host_str().unwrap_or("")))
            }
        }
    }

    /// GETs a URL (conditionally when validators are given), honouring
    /// robots.txt, the host's pace and the address rule at every redirect.
    pub fn get(&mut self, url: &str, validators: &Validators) -> Result<Fetched, String> {
        let url = Url::parse(url).map_err(|e| format!("{url}: not a URL ({e})"))?;
        self.check(&url)?;
        if !self.allowed(&url)? {
            return Err(format!("{url}: disallowed by robots.txt"));
        }
        self.request(&url, validators)
    }

    /// One request with its redirects and retries (no robots.txt check).
    fn request(&mut self, url: &Url, validators: &Validators) -> Result<Fetched, String> {
        let mut current = url.clone();
        for _hop in 0..6 {
            self.check(&current)?;
            let key = host_key(&current);
            let mut attempt = 0;
            let response = loop {
                attempt += 1;
                self.pace(&key);
                let mut request = self.agent.get(current.as_str());
                if let Some(etag) = &validators.etag {
                    request = request.set("If-None-Match", etag);
                }
                if let Some(modified) = &validators.last_modified {
                    request = request.set("If-Modified-Since", modified);
                }
                let transient = match request.call() {
                    Ok(r) => break r,
                    Err(ureq::Error::Status(code, r)) if code == 429 || code >= 500 => {
                        format!("{current}: HTTP {code} {}", r.status_text())
                    }
                    Err(ureq::Error::Status(code, r)) => {
                        return Err(format!("{current}: HTTP {code} {}", r.status_text()));
                    }
                    Err(ureq::Error::Transport(t)) => format!("{current}: {t}"),
                };
                if attempt >= self.options.attempts {
                    return Err(format!("{transient} (after {attempt} attempts)"));
                }
                std::thread::sleep(self.options.backoff * 2u32.pow(attempt - 1));
            };
            match response.status() {
                304 => return Ok(Fetched::NotModified),
                301 | 302 | 303 | 307 | 308 => {
                    let location =
                        response.header("location").ok_or_else(|| format!("{current}: redirect without a Location"))?;
                    current = current.join(location).map_err(|e| format!("{current}: bad redirect ({e})"))?;
                    continue;
                }
                200..=299 => {
                    let content_type = response.header("content-type").map(str::to_string);
                    let validators = Validators {
                        etag: response.header("etag").map(str::to_string),
                        last_modified: response.header("last-modified").map(str::to_string),
                    };
                    let mut bytes = Vec::new();
                    response
                        .into_reader()
                        .take(self.options.max_bytes + 1)
                        .read_to_end(&mut bytes)
                        .map_err(|e| format!("{current}: reading the body: {e}"))?;
                    if bytes.len() as u64 > self.options.max_bytes {
                        return Err(format!("{current}: larger than {} bytes; not read", self.options.max_bytes));
                    }
                    return Ok(Fetched::Body { bytes, url: current.to_string(), content_type, validators });
                }
                other => return Err(format!("{current}: HTTP {other}")),
            }
        }
        Err(format!("{url}: too many redirects"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_addresses_are_told_apart() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.20.0.1",
            "169.254.1.1",
            "100.64.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "::ffff:10.0.0.1",
            "0.0.0.0",
        ] {
            assert!(is_private(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1", "8.8.8.8"] {
            assert!(!is_private(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_http_is_fetched_and_loopback_needs_the_flag() {
        let f = Fetcher::new(FetchOptions::default());
        assert!(f.check(&Url::parse("file:///etc/passwd").unwrap()).unwrap_err().contains("only http"));
        let refused = f.check(&Url::parse("http://127.0.0.1:9/x").unwrap()).unwrap_err();
        assert!(refused.contains("--allow-private"), "{refused}");
        let allowed = Fetcher::new(FetchOptions { allow_private: true, ..FetchOptions::default() });
        assert!(allowed.check(&Url::parse("http://127.0.0.1:9/x").unwrap()).is_ok());
    }
}
