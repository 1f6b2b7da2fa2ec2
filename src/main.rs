//! The `switchboard` binary: parses the command line and runs the playground or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapErrorKind;

use switchboard::cli::{Cli, Command};
use switchboard::config::{self, UsageError};
use switchboard::headless::{self, RunContext};
use switchboard::provider::{StreamOptions, http_client};
use switchboard::{app, commands, doctor, paths, sessions_cmd, setup};

fn usage_exit(e: &UsageError) -> i32 {
    // Messages can quote a file (a session, the config): no escape sequence gets through.
    eprintln!(
        "error: {}",
        switchboard::sanitize::single_line(&e.to_string())
    );
    2
}

/// Every model that goes to OpenRouter needs its key: refused before anything is sent.
fn check_keys<'a>(
    registry: &switchboard::config::providers::Registry,
    models: impl IntoIterator<Item = &'a String>,
) -> Result<(), UsageError> {
    for model in models {
        let (p, _) = registry.resolve(model);
        if p.endpoint.is_openrouter() && p.endpoint.api_key.is_none() {
            return Err(UsageError::MissingKey);
        }
    }
    Ok(())
}

async fn dispatch(cli: Cli) -> Result<i32, UsageError> {
    let client_opts = config::client_options(&cli.global)?;
    match &cli.command {
        Some(Command::Run(args)) if args.batch.prompts.is_some() => {
            if !args.round.files.is_empty() {
                return Err(UsageError::Invalid(
                    "-f attaches files to one prompt; a batch (--prompts) does not take them yet"
                        .into(),
                ));
            }
            config::check_round(&args.round)?;
            config::check_models(&args.models)?;
            let file = setup::load_config()?;
            let (registry, _sim) = setup::registry(&cli.global, &file).await?;
            check_keys(&registry, &args.models)?;
            let ctx = RunContext {
                client: http_client(client_opts),
                registry,
                cache_dir: paths::cache_dir(),
                stream_options: StreamOptions::remembering(&paths::cache_dir()),
                judge: None,
            };
            Ok(headless::batch::run(args, ctx, &paths::data_dir()).await)
        }
        Some(Command::Run(args)) => {
            config::check_round(&args.round)?;
            config::check_models(&args.models)?;
            let prompt = headless::read_prompt(args.prompt.as_deref())?;
            let attachments = headless::read_files(&args.round.files, None)?;
            let file = setup::load_config()?;
            let (registry, _sim) = setup::registry(&cli.global, &file).await?;
            let judge = switchboard::app::judge_config(args.judge.as_deref(), &file)?
                .filter(|_| args.judge.is_some());
            if judge.is_some() && args.models.len() < 2 {
                return Err(UsageError::Invalid(
                    "--judge compares answers: give at least two -m".into(),
                ));
            }
            check_keys(
                &registry,
                args.models.iter().chain(judge.as_ref().map(|j| &j.model)),
            )?;
            let ctx = RunContext {
                client: http_client(client_opts),
                registry,
                cache_dir: paths::cache_dir(),
                stream_options: StreamOptions::remembering(&paths::cache_dir()),
                judge,
            };
            Ok(headless::run(args, &prompt, &attachments, ctx).await)
        }
        Some(Command::Models(args)) => {
            let file = setup::load_config()?;
            let (registry, _sim) = setup::registry(&cli.global, &file).await?;
            let client = http_client(client_opts);
            Ok(commands::models(&client, &registry, &paths::cache_dir(), args).await)
        }
        Some(Command::Simulate(args)) => commands::simulate(args).await,
        Some(Command::Sessions(cmd)) => Ok(sessions_cmd::sessions(cmd, &paths::data_dir())),
        Some(Command::Stats(args)) => Ok(sessions_cmd::stats(args, &paths::data_dir())),
        Some(Command::Account) => {
            let file = setup::load_config()?;
            let (registry, _sim) = setup::registry(&cli.global, &file).await?;
            Ok(commands::account(&http_client(client_opts), &registry).await)
        }
        Some(Command::Doctor) => {
            let path = config::file::default_path();
            let (file, config_status) = match config::file::load(&path) {
                Ok(f) => (f, Ok(path)),
                Err(e) => (Default::default(), Err(e.to_string())),
            };
            let (registry, _sim) = setup::registry(&cli.global, &file).await?;
            let depth = app::colour_depth(&cli, &file)?;
            let report =
                doctor::run(config_status, &registry, &http_client(client_opts), depth).await;
            print!("{}", report.text());
            Ok(i32::from(report.failed()))
        }
        None => app::playground(&cli).await,
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if matches!(
                e.kind(),
                ClapErrorKind::DisplayHelp | ClapErrorKind::DisplayVersion
            ) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // One line, no usage dump: the message and where to look.
            let text = e.to_string();
            let first: Vec<&str> = text
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect();
            eprintln!("{} (see switchboard --help)", first.join(" "));
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let code = match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(e) => usage_exit(&e),
    };
    switchboard::log::flush();
    ExitCode::from(code.clamp(0, 255) as u8)
}
