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
//! Every wait has a timeout; every child process is killed when the stack is dropped; logs go
//! to `target/e2e/<run>/` (never inside a crate directory, which the watcher would see).

mod http;
pub mod scenarios;

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
    _function: Process,
    _emulator: Process,
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
    _moto: Process,
}

impl Stack {
    /// Starts everything. `config` is the guards' `POLICY_GUARD_CONFIG`, if any.
    pub async fn start(label: &str, config: Option<&str>) -> Result<Stack> {
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

        let mut guards = Vec::new();
        for (function, binary) in binaries {
            guards.push(start_guard(
                function,
                &binary,
                &cargo_lambda,
                &dir,
                &moto_url,
                &topic_arn,
                config,
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
            _moto: moto,
        })
    }

    /// Invokes `function` with `event` through its emulator; the function's JSON response, or
    /// an error carrying the function's error.
    pub fn invoke(&self, function: Function, event: &Value) -> Result<Value> {
        let guard = self
            .guards
            .iter()
            .find(|g| g.function == function)
            .ok_or("no such function")?;
        let response = http::post(
            guard.port,
            "/2015-03-31/functions/_/invocations",
            &event.to_string(),
            Duration::from_secs(90),
        )?;
        let body: Value = serde_json::from_str(&response.body)
            .map_err(|e| format!("invoke response is not JSON ({e}): {}", response.body))?;
        if response.status != 200 || response.header("x-amz-function-error").is_some() {
            return Err(format!(
                "{} failed ({}): {body}",
                function.package(),
                response.status
            )
            .into());
        }
        Ok(body)
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
    moto_url: &str,
    topic_arn: &str,
    config: Option<&str>,
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
        .env("AWS_ENDPOINT_URL", moto_url)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", REGION)
        .env("AWS_DEFAULT_REGION", REGION)
        .env("POLICY_GUARD_TOPIC_ARN", topic_arn)
        .env("RUST_LOG", "info")
        .env("RUST_BACKTRACE", "1");
    if let Some(config) = config {
        command.env("POLICY_GUARD_CONFIG", config);
    }
    let log = dir.join(format!("{}.log", function.package()));
    let process = spawn(command, function.package(), &log)?;
    Ok(Guard {
        function,
        port,
        _function: process,
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
