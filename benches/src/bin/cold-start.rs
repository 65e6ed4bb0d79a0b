//! Cold start: the time from exec of a Lambda function binary to its first
//! `GET /2018-06-01/runtime/invocation/next`, measured against a loopback Lambda Runtime API
//! server of this binary (a fresh listener per start; the function is killed once its first
//! request line has arrived). Targets are measured in interleaved rounds, so drift in the
//! machine's load hits them alike; the first rounds are discarded as warm-up. Prints one JSON
//! object with each target's order statistics in milliseconds.
//!
//! Usage: cold-start [--runs N] [--warmup N] NAME=BINARY[::KEY=VALUE...]...
//! (`::KEY=VALUE` adds an environment variable for that target only, e.g. a variant of a
//! function with `SSL_CERT_FILE` set.)

use policy_guard_bench::{stats_json, Result};
use serde_json::json;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const NEXT: &str = "GET /2018-06-01/runtime/invocation/next";
const TIMEOUT: Duration = Duration::from_secs(15);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cold-start: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the first request line of the first connection to `listener`.
fn first_request_line(listener: TcpListener) -> Result<(Instant, String)> {
    let (mut stream, _) = listener.accept()?;
    let mut buffer = Vec::with_capacity(512);
    let mut chunk = [0u8; 512];
    loop {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err("connection closed before a request line".into());
        }
        buffer.extend_from_slice(chunk.get(..n).unwrap_or_default());
        if let Some(end) = buffer.windows(2).position(|w| w == b"\r\n") {
            let at = Instant::now();
            let line = String::from_utf8_lossy(buffer.get(..end).unwrap_or_default()).into_owned();
            return Ok((at, line));
        }
    }
}

/// One cold start of `binary`, in milliseconds.
fn cold_start(name: &str, binary: &PathBuf, extra: &[(String, String)]) -> Result<f64> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let _ = sender.send(first_request_line(listener));
    });

    let mut command = Command::new(binary);
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", format!("127.0.0.1:{port}"))
        .env("AWS_LAMBDA_FUNCTION_NAME", name)
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", format!("/aws/lambda/{name}"))
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
        .env(
            "POLICY_GUARD_TOPIC_ARN",
            "arn:aws:sns:us-east-1:111122223333:guard",
        )
        .envs(extra.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{}: {e}", binary.display()))?;

    let deadline = started + TIMEOUT;
    let outcome = loop {
        match receiver.recv_timeout(Duration::from_millis(50)) {
            Ok(result) => break result,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break Err("reader thread died".into()),
        }
        if let Some(status) = child.try_wait()? {
            break Err(format!("{name} exited with {status} before its first request").into());
        }
        if Instant::now() > deadline {
            break Err(format!("{name} made no request within {TIMEOUT:?}").into());
        }
    };
    let _ = child.kill();
    let _ = child.wait();
    if outcome.is_err() {
        // Unblock the reader's accept so its thread ends.
        let _ = TcpStream::connect(("127.0.0.1", port));
    }
    let _ = reader.join();
    let (at, line) = outcome?;
    if !line.starts_with(NEXT) {
        return Err(format!("{name}: first request was `{line}`, not `{NEXT}`").into());
    }
    Ok(at.duration_since(started).as_secs_f64() * 1e3)
}

/// A name, a binary, and environment of its own.
type Target = (String, PathBuf, Vec<(String, String)>);

fn run() -> Result<()> {
    let mut runs: usize = 100;
    let mut warmup: usize = 5;
    let mut targets: Vec<Target> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().ok_or("--runs N")?.parse()?,
            "--warmup" => warmup = args.next().ok_or("--warmup N")?.parse()?,
            other => {
                let mut parts = other.split("::");
                let (name, path) = parts
                    .next()
                    .and_then(|first| first.split_once('='))
                    .ok_or_else(|| format!("expected NAME=BINARY, got {other}"))?;
                let mut env = Vec::new();
                for part in parts {
                    let (key, value) = part
                        .split_once('=')
                        .ok_or_else(|| format!("expected ::KEY=VALUE, got ::{part}"))?;
                    env.push((key.to_string(), value.to_string()));
                }
                targets.push((name.to_string(), PathBuf::from(path), env));
            }
        }
    }
    if targets.is_empty() {
        return Err(
            "usage: cold-start [--runs N] [--warmup N] NAME=BINARY[::KEY=VALUE...]...".into(),
        );
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(runs); targets.len()];
    for round in 0..warmup + runs {
        // Rotate the order each round.
        for k in 0..targets.len() {
            let index = (round + k) % targets.len();
            let (Some((name, binary, env)), Some(sample)) =
                (targets.get(index), samples.get_mut(index))
            else {
                continue;
            };
            let ms = cold_start(name, binary, env)?;
            if round >= warmup {
                sample.push(ms);
            }
        }
    }
    let mut out = serde_json::Map::new();
    for ((name, binary, env), sample) in targets.iter().zip(&samples) {
        let env: serde_json::Map<String, serde_json::Value> =
            env.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
        out.insert(
            name.clone(),
            json!({
                "binary": binary.display().to_string(),
                "env": env,
                "ms": stats_json(sample),
            }),
        );
    }
    println!(
        "{}",
        json!({"runs": runs, "warmup": warmup, "targets": out})
    );
    Ok(())
}
