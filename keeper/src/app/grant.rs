//! `grant`: run with the cold account's config, lets an operator key run this account's keeper
//! (x/authz for the keeper's contract calls, x/feegrant for their fees; see `chain::authz`).
//! With `--print` no key is read: the unsigned transaction goes to stdout for the machine (or
//! hardware wallet) that holds the cold key.

use super::{connect, contracts};
use crate::chain::authz::GrantPlan;
use crate::cli::GrantArgs;
use crate::config::Config;
use anyhow::{anyhow, bail, Result};
use std::time::{SystemTime, UNIX_EPOCH};

pub async fn run(config: &Config, args: GrantArgs) -> Result<()> {
    let contracts = contracts(config)?;
    let expires_at = match args.expires_days {
        0 => None,
        days => {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_err(|e| anyhow!("system clock: {e}"))?
                .as_secs();
            let at = now.saturating_add(u64::from(days).saturating_mul(86_400));
            Some(i64::try_from(at).map_err(|e| anyhow!("expiry {at}: {e}"))?)
        }
    };
    let gas_price = config.chain_config()?.gas_price;
    let mut plan = GrantPlan {
        granter: String::new(),
        operator: args.operator.clone(),
        marketplace: contracts.marketplace,
        escrow: contracts.escrow,
        fee_limit: args.fee_limit.map(|a| (a, gas_price.denom.clone())),
        expires_at,
    };
    if args.print {
        plan.granter = args
            .granter
            .ok_or_else(|| anyhow!("--print needs --granter: the cold account's address"))?;
        let tx = plan.unsigned_tx(args.gas, (gas_price.fee_for(args.gas), &gas_price.denom))?;
        println!("{}", serde_json::to_string_pretty(&tx)?);
        eprintln!(
            "sign it where the cold key is, then send it:\n  wasmd tx sign grant.json --from <cold key> \
             --chain-id {} [--offline -a <account number> -s <sequence>] > signed.json\n  \
             wasmd tx broadcast signed.json --node <rpc>",
            config.chain.chain_id
        );
        return Ok(());
    }
    if config.key.granter.is_some() {
        bail!("this config is an operator's (key.granter is set): run `grant` with the cold account's key");
    }
    let (_, signer) = connect(config).await?;
    plan.granter = signer.address().to_string();
    if args.granter.as_ref().is_some_and(|g| *g != plan.granter) {
        bail!(
            "--granter {:?} is not this config's account {}",
            args.granter.unwrap_or_default(),
            plan.granter
        );
    }
    let outcome = signer
        .submit(plan.messages()?, "gridshare operator grant")
        .await?;
    println!(
        "{} may now run the keeper for {}: tx {} at height {}",
        plan.operator, plan.granter, outcome.hash, outcome.height
    );
    Ok(())
}
