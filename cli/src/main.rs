//! The `policy-guard` command line. Subcommands arrive with the CLI issue.

fn main() -> std::process::ExitCode {
    eprintln!("policy-guard: the command line is not built yet");
    std::process::ExitCode::from(2)
}
