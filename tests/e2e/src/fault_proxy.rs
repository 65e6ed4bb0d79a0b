//! A loopback fault proxy between a guard function and moto.
//!
//! The proxy listens on one loopback port per AWS service the guards call (IAM, SNS); the
//! function reaches them through `AWS_ENDPOINT_URL_IAM` / `AWS_ENDPOINT_URL_SNS` (honoured by
//! aws-config), so one service can refuse connections while the other still answers. Every
//! request is read whole (request line, headers, `Content-Length` body), told apart by the
//! credential scope of its `Authorization` header (`/us-east-1/iam/aws4_request`,
//! `/sns/`), or by the form body's `Action=` when unsigned, counted, and then handled as the
//! [`Fault`] currently set for its service says. Every answer carries `Connection: close`, so
//! the SDK opens one connection per attempt and never reuses one across a fault switch.
//!
//! The proxy runs on its own thread with its own tokio runtime: the tests' invocations are
//! blocking calls and must not starve it.

use crate::Result;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Largest request or response head the proxy reads.
const HEAD_MAX: usize = 64 * 1024;
/// Largest body the proxy reads (an SNS message is at most 256 KiB; moto's answers are small).
const BODY_MAX: usize = 16 * 1024 * 1024;
/// How long the proxy waits for moto.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(60);

/// The services the guards call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AwsService {
    Iam,
    Sns,
    /// A request the proxy could not attribute (it is forwarded untouched).
    Other,
}

impl AwsService {
    /// The services with their own listener.
    pub const PROXIED: [AwsService; 2] = [AwsService::Iam, AwsService::Sns];

    /// The signing name in a SigV4 credential scope.
    pub fn signing_name(self) -> &'static str {
        match self {
            AwsService::Iam => "iam",
            AwsService::Sns => "sns",
            AwsService::Other => "other",
        }
    }

    /// The service id in `AWS_ENDPOINT_URL_<ID>`.
    pub fn env_id(self) -> &'static str {
        match self {
            AwsService::Iam => "IAM",
            AwsService::Sns => "SNS",
            AwsService::Other => "OTHER",
        }
    }
}

/// What the proxy does with a service's requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Forward to moto and relay its answer.
    Pass,
    /// HTTP 400 with the AWS Query error `Throttling` ("Rate exceeded").
    Throttle,
    /// HTTP 500 with the AWS Query error `InternalFailure`.
    InternalError,
    /// Read the request, then close the connection without answering.
    Drop,
    /// Stop listening on the service's port: connections are refused (the proxy sees nothing).
    Refuse,
    /// Hold the request this long, then forward it only if the client is still waiting (a
    /// client that gave up is not answered and nothing reaches moto).
    Slow(Duration),
}

/// One request the proxy read, and what it did with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The service the request was for.
    pub service: AwsService,
    /// The listener it arrived on.
    pub endpoint: AwsService,
    /// The form body's `Action` (`GetPolicy`, `Publish`, ...).
    pub action: String,
    /// The fault applied.
    pub fault: Fault,
    /// `forwarded <status>`, `throttled`, `internal-error`, `dropped`, `abandoned by the
    /// client after <ms> ms`, `upstream failed: ...`, or `pending`.
    pub outcome: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Faults {
    iam: Fault,
    sns: Fault,
    shutdown: bool,
}

impl Faults {
    fn of(&self, service: AwsService) -> Fault {
        match service {
            AwsService::Iam => self.iam,
            AwsService::Sns => self.sns,
            AwsService::Other => Fault::Pass,
        }
    }
}

#[derive(Debug, Default)]
struct Shared {
    seen: Vec<Seen>,
    /// Whether each proxied service's listener is bound right now.
    listening: [bool; 2],
    /// Requests the proxy could not read (no complete head, chunked body, ...).
    unreadable: usize,
}

fn listener_slot(service: AwsService) -> usize {
    match service {
        AwsService::Sns => 1,
        AwsService::Iam | AwsService::Other => 0,
    }
}

fn lock(shared: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A running proxy. Dropping it stops it.
pub struct FaultProxy {
    ports: [u16; 2],
    faults: watch::Sender<Faults>,
    shared: Arc<Mutex<Shared>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    /// Starts the proxy in front of `upstream_port` on 127.0.0.1 (moto), every service passing.
    pub fn start(upstream_port: u16) -> Result<FaultProxy> {
        let mut listeners = Vec::new();
        let mut ports = [0u16; 2];
        for (slot, service) in AwsService::PROXIED.into_iter().enumerate() {
            let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
            listener.set_nonblocking(true)?;
            if let Some(port) = ports.get_mut(slot) {
                *port = listener.local_addr()?.port();
            }
            listeners.push((service, listener));
        }
        let (faults, receiver) = watch::channel(Faults {
            iam: Fault::Pass,
            sns: Fault::Pass,
            shutdown: false,
        });
        let shared = Arc::new(Mutex::new(Shared {
            listening: [true, true],
            ..Shared::default()
        }));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("fault-proxy".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let mut tasks = Vec::new();
                    for (service, listener) in listeners {
                        let task = serve(
                            service,
                            listener,
                            upstream_port,
                            receiver.clone(),
                            Arc::clone(&thread_shared),
                        );
                        tasks.push(tokio::spawn(task));
                    }
                    for task in tasks {
                        let _ = task.await;
                    }
                });
            })?;
        Ok(FaultProxy {
            ports,
            faults,
            shared,
            thread: Some(thread),
        })
    }

    /// The URL of `service`'s listener.
    pub fn endpoint(&self, service: AwsService) -> String {
        let port = self
            .ports
            .get(listener_slot(service))
            .copied()
            .unwrap_or_default();
        format!("http://127.0.0.1:{port}")
    }

    /// Sets `service`'s fault. Returns once the listener is in the state the fault asks for
    /// (unbound for [`Fault::Refuse`], bound otherwise).
    pub fn set(&self, service: AwsService, fault: Fault) -> Result<()> {
        self.faults.send_modify(|faults| match service {
            AwsService::Iam => faults.iam = fault,
            AwsService::Sns => faults.sns = fault,
            AwsService::Other => {}
        });
        if service == AwsService::Other {
            return Ok(());
        }
        let want = fault != Fault::Refuse;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let listening = lock(&self.shared)
                .listening
                .get(listener_slot(service))
                .copied();
            if listening == Some(want) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "the {} listener did not switch to {fault:?}",
                    service.signing_name()
                )
                .into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Every service passes again.
    pub fn clear(&self) -> Result<()> {
        for service in AwsService::PROXIED {
            self.set(service, Fault::Pass)?;
        }
        Ok(())
    }

    /// How many requests the proxy has read so far: a mark for [`FaultProxy::seen_since`].
    pub fn mark(&self) -> usize {
        lock(&self.shared).seen.len()
    }

    /// The requests read since `mark`.
    pub fn seen_since(&self, mark: usize) -> Vec<Seen> {
        lock(&self.shared)
            .seen
            .get(mark..)
            .map(<[Seen]>::to_vec)
            .unwrap_or_default()
    }

    /// Every request read so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen_since(0)
    }

    /// Requests the proxy could not read.
    pub fn unreadable(&self) -> usize {
        lock(&self.shared).unreadable
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.faults.send_modify(|faults| faults.shutdown = true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections on `service`'s port while its fault is not [`Fault::Refuse`]; unbinds
/// while it is, and binds the same port again when it changes.
async fn serve(
    service: AwsService,
    listener: std::net::TcpListener,
    upstream_port: u16,
    mut faults: watch::Receiver<Faults>,
    shared: Arc<Mutex<Shared>>,
) {
    let Ok(port) = listener.local_addr().map(|a| a.port()) else {
        return;
    };
    let mut initial = TcpListener::from_std(listener).ok();
    loop {
        // Unbound while refused.
        loop {
            let current = *faults.borrow_and_update();
            if current.shutdown {
                return;
            }
            if current.of(service) != Fault::Refuse {
                break;
            }
            set_listening(&shared, service, false);
            initial = None;
            if faults.changed().await.is_err() {
                return;
            }
        }
        let listener = match initial.take() {
            Some(listener) => listener,
            None => match TcpListener::bind(("127.0.0.1", port)).await {
                Ok(listener) => listener,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        set_listening(&shared, service, true);
        loop {
            tokio::select! {
                accepted = listener.accept() => {
                    if let Ok((stream, _)) = accepted {
                        let task = handle(
                            stream,
                            service,
                            upstream_port,
                            faults.clone(),
                            Arc::clone(&shared),
                        );
                        tokio::spawn(task);
                    }
                }
                changed = faults.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let current = *faults.borrow_and_update();
                    if current.shutdown {
                        return;
                    }
                    if current.of(service) == Fault::Refuse {
                        break;
                    }
                }
            }
        }
        drop(listener);
        set_listening(&shared, service, false);
    }
}

fn set_listening(shared: &Mutex<Shared>, service: AwsService, listening: bool) {
    if let Some(slot) = lock(shared).listening.get_mut(listener_slot(service)) {
        *slot = listening;
    }
}

/// One connection: one request, one answer (or none), then close.
async fn handle(
    mut client: TcpStream,
    endpoint: AwsService,
    upstream_port: u16,
    faults: watch::Receiver<Faults>,
    shared: Arc<Mutex<Shared>>,
) {
    let request = match read_message(&mut client, true).await {
        Ok(Some(request)) => request,
        Ok(None) => return,
        Err(_) => {
            lock(&shared).unreadable += 1;
            return;
        }
    };
    let service = request.service();
    let fault = match faults.borrow().of(service) {
        // A request that reached the proxy although its service refuses connections (it
        // arrived on another service's listener): not answered either.
        Fault::Refuse => Fault::Drop,
        fault => fault,
    };
    let index = {
        let mut shared = lock(&shared);
        shared.seen.push(Seen {
            service,
            endpoint,
            action: request.action().unwrap_or_default(),
            fault,
            outcome: "pending".into(),
        });
        shared.seen.len() - 1
    };
    let outcome = match fault {
        Fault::Pass => forward(&mut client, &request, upstream_port).await,
        Fault::Throttle => {
            let body = query_error("Sender", "Throttling", "Rate exceeded", index);
            answer(&mut client, 400, "Bad Request", &body, "throttled").await
        }
        Fault::InternalError => {
            let body = query_error(
                "Receiver",
                "InternalFailure",
                "We encountered an internal error. Please try again.",
                index,
            );
            answer(
                &mut client,
                500,
                "Internal Server Error",
                &body,
                "internal-error",
            )
            .await
        }
        Fault::Drop | Fault::Refuse => "dropped".to_string(),
        Fault::Slow(delay) => {
            let started = Instant::now();
            let abandoned = tokio::select! {
                () = tokio::time::sleep(delay) => false,
                () = gone(&mut client) => true,
            };
            if abandoned {
                format!(
                    "abandoned by the client after {} ms",
                    started.elapsed().as_millis()
                )
            } else {
                forward(&mut client, &request, upstream_port).await
            }
        }
    };
    if let Some(seen) = lock(&shared).seen.get_mut(index) {
        seen.outcome = outcome;
    }
    let _ = client.shutdown().await;
}

/// Resolves when the client closes its side of the connection (or it breaks).
async fn gone(client: &mut TcpStream) {
    let mut buffer = [0u8; 1024];
    loop {
        match client.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}

/// The AWS Query protocol's error document (IAM and SNS both speak it).
fn query_error(kind: &str, code: &str, message: &str, index: usize) -> String {
    format!(
        "<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{message}</Message>\
         </Error><RequestId>fault-proxy-{index:08}</RequestId></ErrorResponse>"
    )
}

async fn answer(
    client: &mut TcpStream,
    status: u16,
    reason: &str,
    body: &str,
    outcome: &str,
) -> String {
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    match client.write_all(&bytes).await {
        Ok(()) => outcome.to_string(),
        Err(e) => format!("{outcome}, but the answer could not be written: {e}"),
    }
}

/// Sends `request` to moto and relays the answer with `Connection: close`.
async fn forward(client: &mut TcpStream, request: &Message, upstream_port: u16) -> String {
    let exchange = async {
        let mut upstream = TcpStream::connect(("127.0.0.1", upstream_port)).await?;
        upstream.write_all(&request.encode()).await?;
        let response = read_message(&mut upstream, false)
            .await?
            .ok_or("moto closed the connection without answering")?;
        Ok::<Message, crate::Error>(response)
    };
    let response = match tokio::time::timeout(UPSTREAM_TIMEOUT, exchange).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => return format!("upstream failed: {e}"),
        Err(_) => return "upstream failed: no answer in time".to_string(),
    };
    let status = response.status().unwrap_or_default();
    match client.write_all(&response.encode()).await {
        Ok(()) => format!("forwarded {status}"),
        Err(e) => format!("forwarded {status}, but the client was gone: {e}"),
    }
}

/// An HTTP/1.1 request or response: its first line, headers and body.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Message {
    start: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A response's status code.
    fn status(&self) -> Option<u16> {
        self.start.split(' ').nth(1)?.parse().ok()
    }

    /// The form body's `Action`.
    fn action(&self) -> Option<String> {
        let body = std::str::from_utf8(&self.body).ok()?;
        body.split('&')
            .find_map(|pair| pair.strip_prefix("Action="))
            .map(str::to_string)
    }

    /// The credential scope's service, else the action's.
    fn service(&self) -> AwsService {
        if let Some(scope) = self
            .header("authorization")
            .and_then(|auth| auth.split("Credential=").nth(1))
        {
            // <key>/<date>/<region>/<service>/aws4_request
            let scope = scope.split([',', ' ']).next().unwrap_or_default();
            let mut parts = scope.split('/');
            let service = parts.nth(3);
            let terminator = parts.next();
            if terminator == Some("aws4_request") {
                for candidate in AwsService::PROXIED {
                    if service == Some(candidate.signing_name()) {
                        return candidate;
                    }
                }
                return AwsService::Other;
            }
        }
        match self.action().as_deref() {
            Some("Publish" | "PublishBatch") => AwsService::Sns,
            Some("GetPolicy" | "GetPolicyVersion" | "ListPolicyVersions") => AwsService::Iam,
            _ => AwsService::Other,
        }
    }

    /// The message as sent on: the same first line, headers and body, with `Connection:
    /// close` instead of any keep-alive.
    fn encode(&self) -> Vec<u8> {
        let mut head = format!("{}\r\n", self.start);
        for (name, value) in &self.headers {
            if name.eq_ignore_ascii_case("connection") || name.eq_ignore_ascii_case("keep-alive") {
                continue;
            }
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("Connection: close\r\n\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

/// Reads one message: `Ok(None)` if the peer closed before sending anything. A request's body
/// is its `Content-Length` (none without one; chunked bodies are refused); a response's body
/// without `Content-Length` runs to the end of the connection.
async fn read_message<R: AsyncRead + Unpin>(
    stream: &mut R,
    is_request: bool,
) -> Result<Option<Message>> {
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if raw.len() > HEAD_MAX {
            return Err("HTTP head too large".into());
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            if raw.is_empty() {
                return Ok(None);
            }
            return Err("connection closed inside the HTTP head".into());
        }
        raw.extend_from_slice(buffer.get(..read).unwrap_or_default());
    };
    let head = String::from_utf8_lossy(raw.get(..head_end).unwrap_or_default()).to_string();
    let mut body = raw.get(head_end + 4..).unwrap_or_default().to_vec();
    let mut lines = head.split("\r\n");
    let start = lines.next().unwrap_or_default().to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let message = Message {
        start,
        headers,
        body: Vec::new(),
    };
    if message
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
        && is_request
    {
        return Err("chunked request bodies are not supported".into());
    }
    match message.header("content-length") {
        Some(length) => {
            let length: usize = length.parse()?;
            if length > BODY_MAX {
                return Err("HTTP body too large".into());
            }
            while body.len() < length {
                let read = stream.read(&mut buffer).await?;
                if read == 0 {
                    return Err("connection closed inside the HTTP body".into());
                }
                body.extend_from_slice(buffer.get(..read).unwrap_or_default());
            }
            body.truncate(length);
        }
        None if is_request => body.clear(),
        None => loop {
            let read = stream.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            body.extend_from_slice(buffer.get(..read).unwrap_or_default());
            if body.len() > BODY_MAX {
                return Err("HTTP body too large".into());
            }
        },
    }
    Ok(Some(Message { body, ..message }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(raw: &[u8], is_request: bool) -> Option<Message> {
        let mut input = raw;
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(read_message(&mut input, is_request))
            .unwrap()
    }

    #[test]
    fn requests_are_told_apart_by_credential_scope_then_action() {
        let iam = read(
            b"POST / HTTP/1.1\r\nHost: x\r\nAuthorization: AWS4-HMAC-SHA256 \
              Credential=testing/20261123/us-east-1/iam/aws4_request, SignedHeaders=host, \
              Signature=00\r\nContent-Length: 22\r\n\r\nAction=GetPolicy&x=1&y",
            true,
        )
        .unwrap();
        assert_eq!(iam.service(), AwsService::Iam);
        assert_eq!(iam.action().as_deref(), Some("GetPolicy"));
        assert_eq!(iam.body.len(), 22);
        let sns = read(
            b"POST / HTTP/1.1\r\nauthorization: AWS4-HMAC-SHA256 \
              Credential=testing/20261123/us-east-1/sns/aws4_request,SignedHeaders=host\r\n\
              Content-Length: 14\r\n\r\nAction=Publish",
            true,
        )
        .unwrap();
        assert_eq!(sns.service(), AwsService::Sns);
        let unsigned = read(
            b"POST / HTTP/1.1\r\nContent-Length: 14\r\n\r\nAction=Publish",
            true,
        )
        .unwrap();
        assert_eq!(unsigned.service(), AwsService::Sns);
        let other = read(b"GET /moto-api/ HTTP/1.1\r\n\r\n", true).unwrap();
        assert_eq!(other.service(), AwsService::Other);
        assert!(read(b"", true).is_none());
    }

    #[test]
    fn forwarded_messages_close_the_connection() {
        let response = read(
            b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\nbody",
            false,
        )
        .unwrap();
        assert_eq!(response.status(), Some(200));
        assert_eq!(response.body, b"body");
        let encoded = String::from_utf8(response.encode()).unwrap();
        assert_eq!(encoded, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nbody");
    }

    #[test]
    fn query_errors_carry_type_code_and_request_id() {
        let xml = query_error("Sender", "Throttling", "Rate exceeded", 7);
        assert!(xml.contains("<Code>Throttling</Code><Message>Rate exceeded</Message>"));
        assert!(xml.contains("<RequestId>fault-proxy-00000007</RequestId>"));
    }
}
