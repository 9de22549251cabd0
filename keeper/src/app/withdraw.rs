//! `withdraw`: takes what escrow holds for this provider (released, not yet withdrawn) across
//! all its leases, in batches of escrow's limit. The daemon does this for leases it settles;
//! this recovers earnings a lost work dir or a failed query left behind.

use super::{connect, contracts};
use crate::config::Config;
use anyhow::Result;
use gridshare_types::escrow::{ExecuteMsg, PaymentsResponse, QueryMsg};

/// Payments read per page, and escrow's withdraw batch limit.
const PAGE: u32 = 30;
const MAX_PAGES: usize = 100;

pub async fn run(config: &Config) -> Result<()> {
    let contracts = contracts(config)?;
    let (client, signer) = connect(config).await?;
    let me = signer.address().to_string();
    let mut due = vec![];
    let mut start_after = None;
    for _ in 0..MAX_PAGES {
        let page: PaymentsResponse = client
            .query(
                &contracts.escrow,
                &QueryMsg::PaymentsByPayee {
                    payee: me.clone(),
                    start_after,
                    limit: Some(PAGE),
                },
            )
            .await?;
        let full = page.payments.len() as u32 == PAGE;
        start_after = page.payments.last().map(|p| p.lease_id);
        due.extend(
            page.payments
                .into_iter()
                .filter(|p| !p.withdrawable.is_zero())
                .map(|p| p.lease_id),
        );
        if !full {
            break;
        }
    }
    if due.is_empty() {
        println!("nothing to withdraw");
        return Ok(());
    }
    for chunk in due.chunks(PAGE as usize) {
        let msg = crate::msgs::execute(
            &me,
            &contracts.escrow,
            &ExecuteMsg::Withdraw {
                lease_ids: chunk.to_vec(),
            },
            vec![],
        )?;
        let outcome = signer.submit(vec![msg], "withdraw").await?;
        println!(
            "withdrew the earnings of leases {chunk:?}: tx {} at height {}",
            outcome.hash, outcome.height
        );
    }
    Ok(())
}
