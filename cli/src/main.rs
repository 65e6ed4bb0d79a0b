//! The `policy-guard` command line: the guard's engine before deploy, in CI, and over old
//! CloudTrail logs. One engine, one configuration file, so runtime and shift-left agree.
//!
//! Exit codes: 0 no finding at or above the minimum severity, 1 findings, 2 a usage or input
//! error (an input error wins over findings: a file that was not checked must fail CI).

mod check;
mod cloudtrail;
mod diff;
mod input;
mod judge;
mod locate;
mod model;
mod output;
mod progress;
mod resolve;
mod simulate;
mod terraform;

use clap::{Parser, Subcommand, ValueEnum};
use judge::Checker;
use model::{FileResult, InputKind, Run};
use output::Style;
use policy_guard::rules::{rule_by_id, RULES};
use policy_guard::text::sanitize;
use policy_guard::{Config, Severity};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc rather than the system allocator: checking a tree of policies is dominated by
/// small allocations (the parsed documents, action sets, findings), which glibc's malloc made
/// a fifth of the run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "policy-guard",
    version,
    about = "Check IAM policies, Lambda permissions, CloudTrail events and Terraform plans with \
             the policy-guard engine",
    after_help = "Exit codes: 0 no findings at or above the minimum severity, 1 findings (or, \
                  under `check --on-unresolved fail`, the default, a reference that could not \
                  be resolved), 2 usage or input errors (wins over 1)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files, directories (recursive: *.json, *.json.gz) or `-` (standard input)
    Check(CheckArgs),
    /// Show the access NEW grants that OLD did not, and the findings NEW adds
    Diff(DiffArgs),
    /// List every rule: id, category, severity, summary
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Decide scenario files (a request and every policy that applies) with IAM's logic
    Simulate {
        /// Scenario files (JSON) or `-`
        #[arg(required = true, value_name = "FILE")]
        files: Vec<String>,
        /// Output format
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Print a rule's full documentation
    Explain {
        /// The rule id, e.g. admin-access
        rule: String,
    },
}

#[derive(clap::Args)]
struct Common {
    /// Force the kind of every input instead of detecting it
    #[arg(long, value_enum)]
    kind: Option<InputKind>,
    /// The account the documents live in: decides which accounts are foreign (default: the
    /// event's own account, the plan's, or the function's)
    #[arg(long, value_name = "ID")]
    account: Option<String>,
    /// The configuration file the guard functions use (JSON or TOML): severity overrides,
    /// suppressions, trusted accounts, min_severity
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Report findings at or above this severity [default: the configuration's min_severity,
    /// itself medium by default — the same threshold as the guard]
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    min_severity: Option<Severity>,
    /// Colour the text output
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files, directories or `-`
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Resolve policy ARNs (Attach*Policy events, plan attachments) from <DIR>/<PolicyName>.json
    #[arg(long, value_name = "DIR")]
    policies: Option<PathBuf>,
    /// A reference that cannot be resolved (a policy attached by ARN without --policies, a
    /// document Terraform knows only after apply): `fail` makes it an `unresolved-reference`
    /// result (high; exit 1), `note` a note that leaves the exit code alone
    #[arg(long, value_enum, value_name = "WHAT", default_value_t = judge::OnUnresolved::Fail)]
    on_unresolved: judge::OnUnresolved,
    /// No progress bar, even on a terminal
    #[arg(long)]
    no_progress: bool,
    /// Files checked in parallel [default: twice the number of CPUs, at most 64]
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    #[command(flatten)]
    common: Common,
}

#[derive(clap::Args)]
struct DiffArgs {
    /// The policy before
    old: String,
    /// The policy after
    new: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    #[command(flatten)]
    common: Common,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_severity(text: &str) -> Result<Severity, String> {
    text.parse::<Severity>().map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match cli.command {
        Command::Check(args) => run_check(args),
        Command::Diff(args) => run_diff(args),
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Simulate { files, format } => run_simulate(&files, format),
    };
    ExitCode::from(code)
}

fn usage_error(message: &str) -> u8 {
    eprintln!("error: {}", sanitize(message, 2000));
    2
}

fn style(choice: ColorChoice) -> Style {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
    };
    Style { color }
}

/// The configuration with `--min-severity` applied; `--account` validated.
fn checker(common: &Common) -> Result<Checker, String> {
    let mut config = match &common.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                format!(
                    "--config {}: {}",
                    input::display_path(path),
                    input::io_message(&e)
                )
            })?;
            Config::parse(&text)
                .map_err(|e| format!("--config {}: {e}", input::display_path(path)))?
        }
        None => Config::default(),
    };
    if let Some(min) = common.min_severity {
        config.min_severity = min;
    }
    if let Some(account) = &common.account {
        if !policy_guard::matching::is_account_id(account) {
            return Err(format!(
                "--account {}: not a 12-digit account id",
                sanitize(account, 40)
            ));
        }
    }
    Ok(Checker {
        kind: common.kind,
        account: common.account.clone(),
        config,
        policies: Some(resolve::PolicyDir::embedded()),
        on_unresolved: judge::OnUnresolved::Note,
        read_buffer: Vec::new(),
    })
}

/// Twice the CPUs: a thread waiting on a file read leaves its CPU to another. Over the 1,388
/// managed policies on 2 CPUs, 4 threads finished 1.14-1.21x sooner than 2 with the files out of
/// the page cache and 1.05-1.13x with them cached (`make bench` measures both: BENCHMARKS.md,
/// section 1).
fn default_jobs() -> usize {
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cpus.saturating_mul(2).min(64)
}

fn run_check(args: CheckArgs) -> u8 {
    let mut checker = match checker(&args.common) {
        Ok(checker) => checker,
        Err(error) => return usage_error(&error),
    };
    checker.on_unresolved = args.on_unresolved;
    if let Some(dir) = &args.policies {
        match resolve::PolicyDir::new(dir) {
            Ok(dir) => checker.policies = Some(dir),
            Err(error) => return usage_error(&error),
        }
    }
    let (sources, errors) = input::collect(&args.paths);
    let mut files: Vec<FileResult> = errors
        .into_iter()
        .map(|(path, error)| FileResult::failed(&path, error))
        .collect();
    let mut progress = progress::Progress::new(sources.len(), !args.no_progress);
    let jobs = args.jobs.map_or_else(default_jobs, usize::from);
    // Text is rendered file by file on the checking threads; JSON and SARIF need the whole run.
    let text_style = (args.format == Format::Text).then(|| style(args.common.color));
    let mut checked = checker.check_sources(
        &sources,
        jobs,
        |file| {
            let text = text_style.map(|style| {
                let mut text = String::new();
                output::text::render_file(&mut text, &file, style);
                text
            });
            (file, text)
        },
        |source| progress.step(|| sanitize(&source.display(), 200)),
    );
    progress.finish();
    // A policy file another input of the run uses as a permissions boundary is judged as one.
    rejudge_boundaries(&checker, &sources, &mut checked, text_style);
    // The text of the failed inputs (rendered here), then of each checked file, in input order.
    let mut texts: Vec<String> = Vec::new();
    if let Some(style) = text_style {
        for file in &files {
            let mut text = String::new();
            output::text::render_file(&mut text, file, style);
            texts.push(text);
        }
    }
    for (file, rendered) in checked {
        texts.extend(rendered);
        files.push(file);
    }
    let run = Run {
        files,
        min_severity: checker.config.min_severity,
    };
    for file in &run.files {
        if let Some(error) = &file.error {
            eprintln!(
                "error: {}: {}",
                sanitize(&file.path, 500),
                sanitize(error, 2000)
            );
        }
    }
    match args.format {
        Format::Text => texts.push(output::text::summary(&run, style(args.common.color))),
        Format::Json => texts.push(output::json::render(&run) + "\n"),
        Format::Sarif => texts.push(output::sarif::render(&run) + "\n"),
    }
    // Written piece by piece through one buffer: no megabyte-sized concatenation.
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let written = texts
        .iter()
        .try_for_each(|text| stdout.write_all(text.as_bytes()))
        .and_then(|()| stdout.flush());
    let code = if written.is_err() {
        // A closed pipe (`| head`): nothing more to say.
        run.exit_code().max(1)
    } else {
        if args.format != Format::Text {
            eprintln!("{}", run.summary_line());
        }
        run.exit_code()
    };
    // The process ends here: freeing every finding one by one would only delay the exit.
    std::mem::forget((run, texts));
    code
}

/// Re-judges as a permissions boundary every identity policy file (kind detected, not forced)
/// whose name is the policy name of a boundary another input of the run refers to (a plan's
/// `permissions_boundary` ARN, an event's `permissionsBoundary`), with a note saying which
/// input made it one.
fn rejudge_boundaries(
    checker: &Checker,
    sources: &[input::Source],
    checked: &mut [(FileResult, Option<String>)],
    text_style: Option<Style>,
) {
    if checker.kind.is_some() {
        return;
    }
    let referenced: Vec<(String, String)> = checked
        .iter()
        .flat_map(|(file, _)| file.boundary_refs.iter().cloned())
        .collect();
    if referenced.is_empty() {
        return;
    }
    let mut boundary_checker = checker.clone();
    boundary_checker.kind = Some(InputKind::Boundary);
    for ((file, text), source) in checked.iter_mut().zip(sources) {
        // Standard input cannot be read twice, and has no name.
        if file.kind != Some(InputKind::Identity) || *source == input::Source::Stdin {
            continue;
        }
        let name = file.path.rsplit('/').next().unwrap_or(&file.path);
        let stem = name
            .strip_suffix(".json.gz")
            .or_else(|| name.strip_suffix(".json"))
            .unwrap_or(name);
        let Some((_, by)) = referenced.iter().find(|(policy, _)| policy == stem) else {
            continue;
        };
        let mut again = boundary_checker.check_source(source);
        again.notes.push(model::Note {
            message: format!(
                "Judged as a permissions boundary: {by} uses a policy of this name as one."
            ),
            origin: model::Origin {
                line: 1,
                ..model::Origin::default()
            },
        });
        if let (Some(style), Some(text)) = (text_style, text.as_mut()) {
            text.clear();
            output::text::render_file(text, &again, style);
        }
        *file = again;
    }
}

fn run_diff(args: DiffArgs) -> u8 {
    let checker = match checker(&args.common) {
        Ok(checker) => checker,
        Err(error) => return usage_error(&error),
    };
    let outcome = diff::run(
        &checker,
        &args.old,
        &args.new,
        args.format == ListFormat::Json,
        style(args.common.color),
    );
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(outcome.output.as_bytes());
    let _ = stdout.flush();
    outcome.exit
}

fn run_simulate(files: &[String], format: ListFormat) -> u8 {
    let outcomes = simulate::run(files);
    for outcome in &outcomes {
        if let Err(error) = &outcome.result {
            eprintln!(
                "error: {}: {}",
                sanitize(&outcome.file, 500),
                sanitize(error, 2000)
            );
        }
    }
    let out = match format {
        ListFormat::Json => simulate::render_json(&outcomes),
        ListFormat::Text => simulate::render_text(&outcomes),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
    simulate::exit_code(&outcomes)
}

fn list_rules(format: ListFormat) -> u8 {
    let out = match format {
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "id": m.id,
                        "category": m.category.as_str(),
                        "severity": m.severity.as_str(),
                        "kinds": m.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
                        "summary": m.summary,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rules).unwrap_or_default() + "\n"
        }
        ListFormat::Text => rules_table(),
    };
    print!("{out}");
    0
}

fn rules_table() -> String {
    let rows: Vec<[String; 4]> = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            [
                m.id.to_string(),
                m.category.as_str().to_string(),
                m.severity.as_str().to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    let header = [
        "ID".to_string(),
        "CATEGORY".to_string(),
        "SEVERITY".to_string(),
        "SUMMARY".to_string(),
    ];
    let width = |i: usize| {
        std::iter::once(&header)
            .chain(rows.iter())
            .map(|row| row.get(i).map_or(0, |c| c.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    let mut out = String::new();
    for row in std::iter::once(&header).chain(rows.iter()) {
        let [id, category, severity, summary] = row;
        let [w0, w1, w2] = widths;
        out.push_str(&format!(
            "{id:<w0$}  {category:<w1$}  {severity:<w2$}  {summary}\n"
        ));
    }
    out.push_str(&format!(
        "\n{} rules. `policy-guard explain RULE` prints a rule's documentation.\n",
        RULES.len()
    ));
    out
}

fn explain(id: &str) -> u8 {
    if id == model::UNRESOLVED_REFERENCE {
        println!("# {id}");
        println!();
        println!("{}", model::UNRESOLVED_SUMMARY);
        println!();
        println!(
            "Not a rule of the engine: the verdict of `check --on-unresolved fail` (the default) \
             on its own run. Severity: {}.",
            model::UNRESOLVED_SEVERITY
        );
        println!();
        print!("{}", model::UNRESOLVED_DOCS);
        return 0;
    }
    let Some(rule) = rule_by_id(id) else {
        let known: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        return usage_error(&format!(
            "unknown rule {}: one of {}",
            policy_guard::text::quoted(id),
            known.join(", ")
        ));
    };
    let m = rule.meta();
    let kinds: Vec<&str> = m.kinds.iter().map(|k| k.as_str()).collect();
    println!("# {}", m.id);
    println!();
    println!("{}", m.summary);
    println!();
    println!(
        "Category: {}. Default severity: {}. Judges: {}.",
        m.category,
        m.severity,
        if kinds.is_empty() {
            "events (not documents)".to_string()
        } else {
            kinds.join(", ")
        }
    );
    println!();
    print!("{}", output::rule_docs(m));
    0
}
