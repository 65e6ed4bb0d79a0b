//! The guard end to end on emulated AWS, without an account or Docker.
//!
//! [`Stack::start`] starts moto (from the project venv) on a free port, creates the findings
//! topic and an SQS queue subscribed to it (raw delivery off, so the SNS envelope with its
//! subject and message attributes arrives), seeds IAM, builds the two guard functions with
//! `cargo build` (the profile of the running test), and runs each real binary behind its own
//! `cargo lambda watch --only-lambda-apis` runtime emulator with the SDK pointed at moto.
//! [`Stack::invoke`] sends an event through the emulator's invoke API; [`Stack::receive`]
//! reads what arrived on the queue; [`Stack::published`] reads what the guard published
//! (moto's record of each `Publish`, with the email body subscribers of that protocol get).
//!
//! [`Stack::start_with`] can put a [`FaultProxy`] between the functions and moto (faults per
//! service, request counts), and gives the functions extra log directives.
//!
//! Every wait has a timeout; every child process is killed when the stack is dropped; logs go
//! to `target/e2e/<run>/` (never inside a crate directory, which the watcher would see).

pub mod fault_proxy;
mod http;
pub mod scenarios;

pub use fault_proxy::{AwsService, Fault, FaultProxy, Seen};

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_iam::config::Credentials;
use serde_json::Value;
use std::fs::File;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// The account moto creates everything in, and the events' `recipientAccountId`.
pub const ACCOUNT: &str = "123456789012";
pub const REGION: &str = "us-east-1";
const TOPIC_NAME: &str = "policy-guard-findings";
const QUEUE_NAME: &str = "policy-guard-findings-inbox";

/// The two guards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    IamGuard,
    LambdaGuard,
}

impl Function {
    pub const ALL: [Function; 2] = [Function::IamGuard, Function::LambdaGuard];

    pub fn package(self) -> &'static str {
        match self {
            Function::IamGuard => "iam-guard",
            Function::LambdaGuard => "lambda-guard",
        }
    }
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target"),
    }
}

/// The project venv's tools (`scripts/bootstrap`).
fn tool(name: &str) -> Result<PathBuf> {
    let path = workspace_root().join(".venv/tools/bin").join(name);
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "{} is missing: run `make bootstrap` (scripts/bootstrap) first",
            path.display()
        )
        .into())
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

fn wait_for_port(
    port: u16,
    timeout: Duration,
    child: &mut Child,
    what: &str,
    log: &Path,
) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            return Err(format!(
                "{what} exited with {status} before listening; see {}",
                log.display()
            )
            .into());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{what} did not listen on port {port} within {timeout:?}; see {}",
                log.display()
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A child process killed (and reaped) on drop.
struct Process {
    child: Child,
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

fn spawn(mut command: Command, name: &str, log: &Path) -> Result<Process> {
    let out = File::create(log)?;
    let err = out.try_clone()?;
    command.stdin(Stdio::null()).stdout(out).stderr(err);
    let child = command
        .spawn()
        .map_err(|e| format!("could not start {name}: {e}"))?;
    Ok(Process { child })
}

/// A directory for this run's logs: `target/e2e/<label>-<pid>-<millis>/`.
pub fn run_dir(label: &str) -> Result<PathBuf> {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis();
    let dir = target_dir()
        .join("e2e")
        .join(format!("{label}-{}-{millis}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Builds both functions with the profile of the running test (plain `cargo build`), and
/// returns the binaries.
pub fn build_functions(log_dir: &Path) -> Result<Vec<(Function, PathBuf)>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let release = !cfg!(debug_assertions);
    let mut command = Command::new(cargo);
    command
        .current_dir(workspace_root())
        .arg("build")
        .arg("--quiet");
    // `cargo test` / `cargo run` set the package's variables (CARGO_MANIFEST_DIR, CARGO_PKG_*,
    // ...) for this process. Build scripts track some of them, so inheriting them would make
    // the nested build see changed fingerprints and rebuild ring, rustls and everything above.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if is_package_variable(&name) {
            command.env_remove(name.as_ref());
        }
    }
    for function in Function::ALL {
        command.args(["-p", function.package()]);
    }
    if release {
        command.arg("--release");
    }
    let log = log_dir.join("cargo-build.log");
    command
        .stdout(File::create(&log)?)
        .stderr(File::create(log_dir.join("cargo-build.err"))?);
    let status = command.status()?;
    if !status.success() {
        let errors = std::fs::read_to_string(log_dir.join("cargo-build.err")).unwrap_or_default();
        return Err(format!("cargo build of the functions failed ({status}):\n{errors}").into());
    }
    let profile = if release { "release" } else { "debug" };
    Ok(Function::ALL
        .into_iter()
        .map(|f| (f, target_dir().join(profile).join(f.package())))
        .collect())
}

/// Variables cargo sets for a package's own binaries and tests, not cargo's configuration.
fn is_package_variable(name: &str) -> bool {
    const CONFIGURATION: [&str; 9] = [
        "CARGO_HOME",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_NET_",
        "CARGO_PROFILE_",
        "CARGO_TERM_",
        "CARGO_INCREMENTAL",
    ];
    (name.starts_with("CARGO_") && !CONFIGURATION.iter().any(|c| name.starts_with(c)))
        || name == "OUT_DIR"
}

/// An SDK configuration for moto.
pub async fn sdk_config(endpoint: &str) -> SdkConfig {
    let http_client = aws_smithy_http_client::Builder::new()
        .tls_provider(aws_smithy_http_client::tls::Provider::Rustls(
            aws_smithy_http_client::tls::rustls_provider::CryptoMode::Ring,
        ))
        .build_https();
    aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        .endpoint_url(endpoint)
        .region(Region::new(REGION))
        .credentials_provider(Credentials::new("testing", "testing", None, None, "e2e"))
        .load()
        .await
}

/// A running guard: its emulator's invoke port and its processes.
struct Guard {
    function: Function,
    port: u16,
    log: PathBuf,
    process: Process,
    _emulator: Process,
}

/// How to start a [`Stack`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// The guards' `POLICY_GUARD_CONFIG`, if any.
    pub config: Option<&'a str>,
    /// Put a [`FaultProxy`] between the functions and moto: the functions' IAM and SNS
    /// endpoints (`AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_SNS`, and `AWS_ENDPOINT_URL` for
    /// anything else) are the proxy's listeners instead of moto.
    pub fault_proxy: bool,
    /// Directives appended to the functions' `RUST_LOG` (`info,<these>`), e.g.
    /// `aws_smithy_runtime::client::orchestrator=debug` to log every SDK attempt.
    pub log_directives: Option<&'a str>,
}

/// An invocation's answer through the emulator, error or not.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub status: u16,
    /// `X-Amz-Function-Error`, if the emulator sent it (cargo-lambda answers a function error
    /// with HTTP 500 and the error document instead).
    pub function_error: Option<String>,
    /// The response body: the function's JSON response, or its error document
    /// (`errorType`, `errorMessage`).
    pub body: Value,
}

impl Invocation {
    /// Whether the function answered `Ok` (an acknowledged event).
    pub fn is_ok(&self) -> bool {
        self.status == 200 && self.function_error.is_none()
    }
}

/// What the queue received: the SNS notification envelope.
#[derive(Debug, Clone)]
pub struct Notification {
    pub subject: String,
    /// Attribute name -> (type, value).
    pub attributes: Vec<(String, String, String)>,
    /// The `default` body, parsed.
    pub body: Value,
}

impl Notification {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, v)| v.as_str())
    }

    pub fn event_id(&self) -> Option<&str> {
        self.body
            .get("event")
            .and_then(|e| e.get("id"))
            .and_then(Value::as_str)
    }

    pub fn rule_ids(&self) -> Vec<String> {
        self.findings("rule_id")
    }

    pub fn categories(&self) -> Vec<String> {
        self.findings("category")
    }

    fn findings(&self, field: &str) -> Vec<String> {
        let findings = self.body.get("findings").and_then(Value::as_array);
        findings
            .map(|list| {
                list.iter()
                    .filter_map(|f| f.get(field)?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What the guard published, as moto recorded the `Publish` call.
#[derive(Debug, Clone)]
pub struct Published {
    pub subject: String,
    pub default: Value,
    pub email: String,
}

/// moto, the topic and queue, and both guards.
pub struct Stack {
    pub dir: PathBuf,
    pub moto_url: String,
    pub sdk: SdkConfig,
    pub topic_arn: String,
    pub queue_url: String,
    guards: Vec<Guard>,
    /// The fault proxy between the functions and moto ([`Options::fault_proxy`]).
    pub proxy: Option<FaultProxy>,
    _moto: Process,
}

impl Stack {
    /// Starts everything. `config` is the guards' `POLICY_GUARD_CONFIG`, if any.
    pub async fn start(label: &str, config: Option<&str>) -> Result<Stack> {
        let options = Options {
            config,
            ..Options::default()
        };
        Stack::start_with(label, options).await
    }

    /// Starts everything as `options` say.
    pub async fn start_with(label: &str, options: Options<'_>) -> Result<Stack> {
        let dir = run_dir(label)?;
        let moto_server = tool("moto_server")?;
        let cargo_lambda = tool("cargo-lambda")?;

        let phase = Instant::now();
        let binaries = build_functions(&dir)?;
        eprintln!("e2e: functions built in {:.1?}", phase.elapsed());
        let phase = Instant::now();

        let moto_port = free_port()?;
        let mut command = Command::new(moto_server);
        command
            .args(["-H", "127.0.0.1", "-p", &moto_port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
        let moto_log = dir.join("moto.log");
        let mut moto = spawn(command, "moto", &moto_log)?;
        wait_for_port(
            moto_port,
            Duration::from_secs(60),
            &mut moto.child,
            "moto",
            &moto_log,
        )?;
        let moto_url = format!("http://127.0.0.1:{moto_port}");
        let sdk = sdk_config(&moto_url).await;

        let (topic_arn, queue_url) = create_topic_and_queue(&sdk).await?;
        seed_iam(&sdk).await?;
        eprintln!(
            "e2e: moto up, topic, queue and IAM seeded in {:.1?}",
            phase.elapsed()
        );
        let phase = Instant::now();

        let proxy = if options.fault_proxy {
            Some(FaultProxy::start(moto_port)?)
        } else {
            None
        };
        let endpoints: Vec<(String, String)> = match &proxy {
            Some(proxy) => {
                let mut endpoints = vec![(
                    "AWS_ENDPOINT_URL".to_string(),
                    proxy.endpoint(AwsService::Iam),
                )];
                for service in AwsService::PROXIED {
                    endpoints.push((
                        format!("AWS_ENDPOINT_URL_{}", service.env_id()),
                        proxy.endpoint(service),
                    ));
                }
                endpoints
            }
            None => vec![("AWS_ENDPOINT_URL".to_string(), moto_url.clone())],
        };
        let mut guards = Vec::new();
        for (function, binary) in binaries {
            guards.push(start_guard(
                function,
                &binary,
                &cargo_lambda,
                &dir,
                &endpoints,
                &topic_arn,
                options,
            )?);
        }
        eprintln!(
            "e2e: emulators and guards started in {:.1?}",
            phase.elapsed()
        );
        Ok(Stack {
            dir,
            moto_url,
            sdk,
            topic_arn,
            queue_url,
            guards,
            proxy,
            _moto: moto,
        })
    }

    fn guard(&self, function: Function) -> Result<&Guard> {
        Ok(self
            .guards
            .iter()
            .find(|g| g.function == function)
            .ok_or("no such function")?)
    }

    /// Invokes `function` with `event` through its emulator; the function's JSON response, or
    /// an error carrying the function's error.
    pub fn invoke(&self, function: Function, event: &Value) -> Result<Value> {
        let invocation = self.invoke_response(function, event)?;
        if !invocation.is_ok() {
            return Err(format!(
                "{} failed ({}): {}",
                function.package(),
                invocation.status,
                invocation.body
            )
            .into());
        }
        Ok(invocation.body)
    }

    /// Invokes `function` with `event` through its emulator and returns its answer, whether the
    /// function succeeded or failed; an error only if the emulator did not answer.
    pub fn invoke_response(&self, function: Function, event: &Value) -> Result<Invocation> {
        let guard = self.guard(function)?;
        let response = http::post(
            guard.port,
            "/2015-03-31/functions/_/invocations",
            &event.to_string(),
            Duration::from_secs(90),
        )?;
        let body: Value = serde_json::from_str(&response.body)
            .map_err(|e| format!("invoke response is not JSON ({e}): {}", response.body))?;
        Ok(Invocation {
            status: response.status,
            function_error: response.header("x-amz-function-error").map(str::to_string),
            body,
        })
    }

    /// The function's process id (the binary itself runs as a child of this process).
    pub fn function_pid(&self, function: Function) -> Result<u32> {
        Ok(self.guard(function)?.process.child.id())
    }

    /// Whether the function's process is still running.
    pub fn function_running(&self, function: Function) -> Result<bool> {
        let pid = self.function_pid(function)?;
        Ok(Path::new(&format!("/proc/{pid}")).exists())
    }

    /// The function's log file (its stdout and stderr).
    pub fn function_log(&self, function: Function) -> Result<PathBuf> {
        Ok(self.guard(function)?.log.clone())
    }

    /// The function's JSON log lines so far (other lines are skipped).
    pub fn log_lines(&self, function: Function) -> Result<Vec<Value>> {
        let log = self.function_log(function)?;
        let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect())
    }

    /// The queue's `ApproximateNumberOfMessages` and `ApproximateNumberOfMessagesNotVisible`.
    pub async fn queue_depth(&self) -> Result<(u64, u64)> {
        use aws_sdk_sqs::types::QueueAttributeName as Name;
        let sqs = aws_sdk_sqs::Client::new(&self.sdk);
        let attributes = sqs
            .get_queue_attributes()
            .queue_url(&self.queue_url)
            .attribute_names(Name::ApproximateNumberOfMessages)
            .attribute_names(Name::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await?;
        let read = |name: &Name| -> Result<u64> {
            let value = attributes
                .attributes()
                .and_then(|a| a.get(name))
                .ok_or_else(|| format!("GetQueueAttributes returned no {name}"))?;
            Ok(value.parse()?)
        };
        Ok((
            read(&Name::ApproximateNumberOfMessages)?,
            read(&Name::ApproximateNumberOfMessagesNotVisible)?,
        ))
    }

    /// Reads and deletes everything on the queue (batches of 10, `DeleteMessageBatch`) until a
    /// receive comes back empty.
    pub async fn drain(&self) -> Result<Vec<Notification>> {
        drain_queue(&self.sdk, &self.queue_url).await
    }

    /// One `ReceiveMessage` call (long polling up to `wait_seconds`); messages are deleted as
    /// they are read.
    async fn receive_once(&self, wait_seconds: i32) -> Result<Vec<Notification>> {
        let sqs = aws_sdk_sqs::Client::new(&self.sdk);
        let received = sqs
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(wait_seconds)
            .send()
            .await?;
        let mut out = Vec::new();
        for message in received.messages() {
            out.push(notification(message.body().unwrap_or_default())?);
            if let Some(handle) = message.receipt_handle() {
                sqs.delete_message()
                    .queue_url(&self.queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await?;
            }
        }
        Ok(out)
    }

    /// Every message that arrives on the queue until a poll of `quiet` finds nothing more.
    pub async fn receive(&self, quiet: Duration) -> Result<Vec<Notification>> {
        let wait_seconds = i32::try_from(quiet.as_secs().clamp(1, 20)).unwrap_or(1);
        let mut out = Vec::new();
        loop {
            let batch = self.receive_once(wait_seconds).await?;
            if batch.is_empty() {
                return Ok(out);
            }
            out.extend(batch);
        }
    }

    /// Waits up to `wait` for the notification about `event_id`; other notifications read on
    /// the way are kept in `seen`.
    pub async fn notification_for(
        &self,
        event_id: &str,
        wait: Duration,
        seen: &mut Vec<Notification>,
    ) -> Result<Option<Notification>> {
        let deadline = Instant::now() + wait;
        loop {
            if let Some(found) = seen.iter().position(|n| n.event_id() == Some(event_id)) {
                return Ok(Some(seen.remove(found)));
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
            seen.extend(self.receive_once(1).await?);
        }
    }

    /// Every message the guards published so far, as moto recorded them (with the email body).
    pub fn published(&self) -> Result<Vec<Published>> {
        let port: u16 = self
            .moto_url
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .parse()?;
        let response = http::get(port, "/moto-api/data.json", Duration::from_secs(30))?;
        let data: Value = serde_json::from_str(&response.body)?;
        let topics = data
            .pointer("/sns/Topic")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let mut out = Vec::new();
        for topic in topics {
            if topic.get("arn").and_then(Value::as_str) != Some(self.topic_arn.as_str()) {
                continue;
            }
            let sent = topic
                .get("sent_notifications")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for entry in sent {
                // (message_id, message, subject, attributes, group_id)
                let message = entry.get(1).and_then(Value::as_str).unwrap_or_default();
                let subject = entry
                    .get(2)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let structured: Value = serde_json::from_str(message)?;
                let default = structured
                    .get("default")
                    .and_then(Value::as_str)
                    .unwrap_or("null");
                out.push(Published {
                    subject,
                    default: serde_json::from_str(default)?,
                    email: structured
                        .get("email")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_string(),
                });
            }
        }
        Ok(out)
    }
}

/// Reads and deletes everything on `queue_url` (batches of 10, `DeleteMessageBatch`) until a
/// receive comes back empty. moto slows down with the queue's length (with ~5,800 messages
/// waiting, each receive and delete took ~6 s), so long runs drain as they go.
pub async fn drain_queue(sdk: &SdkConfig, queue_url: &str) -> Result<Vec<Notification>> {
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let mut out = Vec::new();
    loop {
        let received = sqs
            .receive_message()
            .queue_url(queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(0)
            .send()
            .await?;
        if received.messages().is_empty() {
            return Ok(out);
        }
        let mut batch = sqs.delete_message_batch().queue_url(queue_url);
        for (index, message) in received.messages().iter().enumerate() {
            out.push(notification(message.body().unwrap_or_default())?);
            if let Some(handle) = message.receipt_handle() {
                batch = batch.entries(
                    aws_sdk_sqs::types::DeleteMessageBatchRequestEntry::builder()
                        .id(index.to_string())
                        .receipt_handle(handle)
                        .build()?,
                );
            }
        }
        let deleted = batch.send().await?;
        if !deleted.failed().is_empty() {
            return Err(format!("DeleteMessageBatch failed: {:?}", deleted.failed()).into());
        }
    }
}

fn notification(body: &str) -> Result<Notification> {
    let envelope: Value = serde_json::from_str(body)?;
    let subject = envelope
        .get("Subject")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let mut attributes = Vec::new();
    if let Some(map) = envelope.get("MessageAttributes").and_then(Value::as_object) {
        for (name, value) in map {
            let kind = value
                .get("Type")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let text = value
                .get("Value")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            attributes.push((name.clone(), kind, text));
        }
    }
    let message = envelope
        .get("Message")
        .and_then(Value::as_str)
        .unwrap_or("null");
    let body = serde_json::from_str(message)
        .map_err(|e| format!("SNS Message is not the default JSON body ({e}): {message}"))?;
    Ok(Notification {
        subject,
        attributes,
        body,
    })
}

async fn create_topic_and_queue(sdk: &SdkConfig) -> Result<(String, String)> {
    let sns = aws_sdk_sns::Client::new(sdk);
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let topic = sns.create_topic().name(TOPIC_NAME).send().await?;
    let topic_arn = topic
        .topic_arn()
        .ok_or("CreateTopic returned no ARN")?
        .to_string();
    let queue = sqs.create_queue().queue_name(QUEUE_NAME).send().await?;
    let queue_url = queue
        .queue_url()
        .ok_or("CreateQueue returned no URL")?
        .to_string();
    let attributes = sqs
        .get_queue_attributes()
        .queue_url(&queue_url)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await?;
    let queue_arn = attributes
        .attributes()
        .and_then(|a| a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn))
        .ok_or("the queue has no ARN")?
        .clone();
    sns.subscribe()
        .topic_arn(&topic_arn)
        .protocol("sqs")
        .endpoint(queue_arn)
        .attributes("RawMessageDelivery", "false")
        .send()
        .await?;
    Ok((topic_arn, queue_url))
}

/// The real document of an AWS managed policy, from the shared corpus.
pub fn managed_policy_document(name: &str) -> Result<String> {
    let path = workspace_root()
        .join("../shared/corpus/aws-managed-policies")
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()).into())
}

/// Roles, users, customer managed policies (in the state each scenario's event leaves them),
/// and the AWS managed policies the scenarios attach, with their real documents.
async fn seed_iam(sdk: &SdkConfig) -> Result<()> {
    let iam = aws_sdk_iam::Client::new(sdk);
    for role in scenarios::SEED_ROLES {
        let trust = scenarios::LAMBDA_TRUST;
        iam.create_role()
            .role_name(*role)
            .assume_role_policy_document(trust)
            .send()
            .await?;
    }
    for user in scenarios::SEED_USERS {
        iam.create_user().user_name(*user).send().await?;
    }
    for name in scenarios::SEED_MANAGED_POLICIES {
        // moto ships AWS managed policies (MOTO_IAM_LOAD_MANAGED_POLICIES) from its own
        // snapshot; a new default version makes the document the corpus's real one.
        let arn = format!("arn:aws:iam::aws:policy/{name}");
        let document = managed_policy_document(name)?;
        iam.create_policy_version()
            .policy_arn(&arn)
            .policy_document(document)
            .set_as_default(true)
            .send()
            .await
            .map_err(|e| {
                format!(
                    "seeding {arn}: {}",
                    aws_sdk_iam::error::DisplayErrorContext(&e)
                )
            })?;
    }
    for (name, versions) in scenarios::seed_customer_policies() {
        let mut documents = versions.iter();
        let first = documents.next().ok_or("a seeded policy needs a version")?;
        let created = iam
            .create_policy()
            .policy_name(name)
            .policy_document(*first)
            .send()
            .await?;
        let arn = created
            .policy()
            .and_then(|p| p.arn())
            .ok_or("CreatePolicy returned no ARN")?
            .to_string();
        for document in documents {
            iam.create_policy_version()
                .policy_arn(&arn)
                .policy_document(*document)
                .set_as_default(true)
                .send()
                .await?;
        }
    }
    Ok(())
}

fn start_guard(
    function: Function,
    binary: &Path,
    cargo_lambda: &Path,
    dir: &Path,
    endpoints: &[(String, String)],
    topic_arn: &str,
    options: Options<'_>,
) -> Result<Guard> {
    let port = free_port()?;
    let mut watch = Command::new(cargo_lambda);
    watch.current_dir(workspace_root()).args([
        "lambda",
        "watch",
        "--only-lambda-apis",
        "-A",
        "127.0.0.1",
        "-P",
        &port.to_string(),
    ]);
    let watch_log = dir.join(format!("{}-emulator.log", function.package()));
    let mut emulator = spawn(watch, "cargo lambda watch", &watch_log)?;
    wait_for_port(
        port,
        Duration::from_secs(60),
        &mut emulator.child,
        "cargo lambda watch",
        &watch_log,
    )?;

    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env(
            "AWS_LAMBDA_RUNTIME_API",
            format!("http://127.0.0.1:{port}/.rt"),
        )
        .env("AWS_LAMBDA_FUNCTION_NAME", "_")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "e2e")
        .env(
            "AWS_LAMBDA_LOG_GROUP_NAME",
            format!("/aws/lambda/{}", function.package()),
        )
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("POLICY_GUARD_TOPIC_ARN", topic_arn)
        .env("RUST_BACKTRACE", "1");
    for (name, url) in endpoints {
        command.env(name, url);
    }
    match options.log_directives {
        Some(directives) => command.env("RUST_LOG", format!("info,{directives}")),
        None => command.env("RUST_LOG", "info"),
    };
    if let Some(config) = options.config {
        command.env("POLICY_GUARD_CONFIG", config);
    }
    let log = dir.join(format!("{}.log", function.package()));
    let process = spawn(command, function.package(), &log)?;
    Ok(Guard {
        function,
        port,
        log,
        process,
        _emulator: emulator,
    })
}

/// Runs a function binary with `env` and no runtime API, for init failures: its exit status
/// and output, or an error if it is still running after `timeout`.
pub fn run_init_only(
    binary: &Path,
    env: &[(&str, &str)],
    timeout: Duration,
) -> Result<(bool, String)> {
    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default());
    for (key, value) in env {
        command.env(key, value);
    }
    let dir = run_dir("init")?;
    let log = dir.join("function.log");
    let mut process = spawn(command, "function", &log)?;
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = process.child.try_wait()? {
            return Ok((status.success(), std::fs::read_to_string(&log)?));
        }
        if Instant::now() > deadline {
            return Err("the function did not exit".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_package_variables_are_dropped_from_the_nested_build() {
        assert!(is_package_variable("CARGO_MANIFEST_DIR"));
        assert!(is_package_variable("CARGO_PKG_NAME"));
        assert!(is_package_variable("OUT_DIR"));
        assert!(!is_package_variable("CARGO_HOME"));
        assert!(!is_package_variable("CARGO_TARGET_DIR"));
        assert!(!is_package_variable("PATH"));
    }
}
