//! The `switchboard` binary: parses the command line and runs the playground or a subcommand.

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind as ClapErrorKind;

use switchboard::cli::{Cli, Command, GlobalArgs};
use switchboard::config::{self, UsageError};
use switchboard::headless::{self, RunContext};
use switchboard::provider::{Endpoint, StreamOptions, http_client};
use switchboard::simulator::{SimConfig, Simulator};
use switchboard::{app, commands, paths, sessions_cmd};

fn usage_exit(e: &UsageError) -> i32 {
    eprintln!("error: {e}");
    2
}

/// The endpoint to talk to: the in-process simulator with `--demo`, else `--base-url` or
/// OpenRouter. The simulator must outlive every request, so it is returned too.
async fn endpoint(
    global: &GlobalArgs,
    require_key: bool,
) -> Result<(Endpoint, Option<Simulator>), UsageError> {
    if global.demo {
        let config = SimConfig {
            delay_scale: global.sim_delay_scale.unwrap_or(1.0),
            ..SimConfig::default()
        };
        let sim = Simulator::start(config, 0)
            .await
            .map_err(|e| UsageError::Invalid(format!("cannot start the demo simulator: {e}")))?;
        return Ok((Endpoint::new(&sim.base_url(), None), Some(sim)));
    }
    Ok((
        config::endpoint_for(global.base_url.as_deref(), require_key)?,
        None,
    ))
}

async fn dispatch(cli: Cli) -> Result<i32, UsageError> {
    let client_opts = config::client_options(&cli.global)?;
    match &cli.command {
        Some(Command::Run(args)) => {
            config::check_round(&args.round)?;
            let prompt = headless::read_prompt(args.prompt.as_deref())?;
            let (endpoint, _sim) = endpoint(&cli.global, true).await?;
            let ctx = RunContext {
                client: http_client(client_opts),
                endpoint,
                cache_dir: paths::cache_dir(),
                stream_options: StreamOptions::default(),
            };
            Ok(headless::run(args, &prompt, ctx).await)
        }
        Some(Command::Models(args)) => {
            let (endpoint, _sim) = endpoint(&cli.global, false).await?;
            let client = http_client(client_opts);
            match commands::load_catalog(&client, &endpoint, &paths::cache_dir(), args.refresh)
                .await
            {
                Ok(catalog) => Ok(commands::print_models(&catalog, args)),
                Err(e) => {
                    eprintln!("error: {e}");
                    Ok(1)
                }
            }
        }
        Some(Command::Simulate(args)) => commands::simulate(args).await,
        Some(Command::Sessions(cmd)) => Ok(sessions_cmd::sessions(cmd, &paths::data_dir())),
        Some(Command::Stats(args)) => Ok(sessions_cmd::stats(args, &paths::data_dir())),
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
    ExitCode::from(code.clamp(0, 255) as u8)
}
