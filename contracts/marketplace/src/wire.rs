//! What the marketplace sends to and reads from the other contracts, in the smallest serde
//! shapes: only the variants it sends and the fields it reads. The canonical types stay in
//! `gridshare-types` (one definition); the tests below check every shape here serializes exactly
//! as the canonical one, or reads the canonical response. Instantiating the canonical enums'
//! serializers would bring in every variant the marketplace never sends (tens of KiB of wasm).

use cosmwasm_std::Uint128;
use gridshare_types::escrow::Rate;
use gridshare_types::staking::{DenomAmount, SlashRule};
use gridshare_types::Denom;
use serde::{Deserialize, Serialize};

/// `gridshare_types::escrow::ExecuteMsg`, the variants the marketplace sends.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscrowCall<'a> {
    OpenAccount {
        account_id: u64,
        depositor: &'a str,
    },
    TopUp {
        account_id: u64,
    },
    OpenPayment {
        account_id: u64,
        lease_id: u64,
        payee: &'a str,
        rate: Rate,
        start: Option<u64>,
        cap: Uint128,
        fee_bps: u16,
    },
    ClosePayment {
        lease_id: u64,
        until: Option<u64>,
    },
    Refund {
        account_id: u64,
        amount: Uint128,
    },
    CloseAccount {
        account_id: u64,
        until: Option<u64>,
    },
    Forfeit {
        account_id: u64,
        amount: Uint128,
        to: &'a str,
    },
}

/// `gridshare_types::escrow::QueryMsg`, the queries the marketplace asks.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscrowAsk<'a> {
    Config {},
    AccountsByDepositor {
        depositor: &'a str,
        start_after: Option<u64>,
        limit: Option<u32>,
    },
}

/// Of escrow's `ConfigResponse`: its accepted denoms.
#[derive(Deserialize)]
pub struct EscrowDenoms {
    pub accepted_denoms: Vec<Denom>,
}

/// Of escrow's `AccountsResponse`: the account ids.
#[derive(Deserialize)]
pub struct AccountIds {
    pub accounts: Vec<AccountId>,
}

#[derive(Deserialize)]
pub struct AccountId {
    pub account_id: u64,
}

/// `gridshare_types::staking::ExecuteMsg`, the variants the marketplace sends.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StakingCall<'a> {
    SetLocked {
        provider: &'a str,
        amount: Uint128,
    },
    Slash {
        provider: &'a str,
        rule: SlashRule,
        reason: &'a str,
        lease_id: Option<u64>,
        compensation: Option<&'a str>,
    },
    ReportWork {
        provider: &'a str,
        gpu_seconds: u64,
        fee_paid: Option<DenomAmount>,
    },
}

/// `gridshare_types::staking::QueryMsg`, the query the marketplace asks.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StakingAsk<'a> {
    Collateral { address: &'a str, gpus: u32 },
}

/// `gridshare_types::access::AccessQueryMsg`.
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessAsk<'a> {
    Access { address: &'a str },
}

/// Of the access token's `AccessResponse`: what the tier grants an order.
#[derive(Deserialize)]
pub struct AccessView {
    pub tier: Option<TierView>,
}

#[derive(Deserialize)]
pub struct TierView {
    pub fee_discount_bps: u16,
    pub priority: u8,
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, to_json_binary, Addr};
    use gridshare_types::access::{AccessQueryMsg, AccessResponse, TierBenefits};
    use gridshare_types::escrow::{
        AccountResponse, AccountsResponse, ConfigResponse, ExecuteMsg as Escrow,
        QueryMsg as EscrowQ,
    };
    use gridshare_types::staking::{ExecuteMsg as Staking, QueryMsg as StakingQ};

    fn same(ours: impl Serialize, canonical: impl Serialize) {
        assert_eq!(
            to_json_binary(&ours).unwrap(),
            to_json_binary(&canonical).unwrap()
        );
    }

    #[test]
    fn escrow_calls_serialize_as_escrows_messages() {
        let t = Some(9);
        let n = Uint128::new(5);
        same(
            EscrowCall::OpenAccount {
                account_id: 1,
                depositor: "d",
            },
            Escrow::OpenAccount {
                account_id: 1,
                depositor: "d".into(),
            },
        );
        same(
            EscrowCall::TopUp { account_id: 2 },
            Escrow::TopUp { account_id: 2 },
        );
        same(
            EscrowCall::OpenPayment {
                account_id: 1,
                lease_id: 16,
                payee: "p",
                rate: Rate::per_hour(n),
                start: None,
                cap: n,
                fee_bps: 250,
            },
            Escrow::OpenPayment {
                account_id: 1,
                lease_id: 16,
                payee: "p".into(),
                rate: Rate::per_hour(n),
                start: None,
                cap: n,
                fee_bps: 250,
            },
        );
        same(
            EscrowCall::ClosePayment {
                lease_id: 16,
                until: t,
            },
            Escrow::ClosePayment {
                lease_id: 16,
                until: t,
            },
        );
        same(
            EscrowCall::Refund {
                account_id: 1,
                amount: n,
            },
            Escrow::Refund {
                account_id: 1,
                amount: n,
            },
        );
        same(
            EscrowCall::CloseAccount {
                account_id: 1,
                until: None,
            },
            Escrow::CloseAccount {
                account_id: 1,
                until: None,
            },
        );
        same(
            EscrowCall::Forfeit {
                account_id: 1,
                amount: n,
                to: "p",
            },
            Escrow::Forfeit {
                account_id: 1,
                amount: n,
                to: "p".into(),
            },
        );
        same(EscrowAsk::Config {}, EscrowQ::Config {});
        same(
            EscrowAsk::AccountsByDepositor {
                depositor: "d",
                start_after: Some(3),
                limit: Some(4),
            },
            EscrowQ::AccountsByDepositor {
                depositor: "d".into(),
                start_after: Some(3),
                limit: Some(4),
            },
        );
    }

    #[test]
    fn staking_and_access_calls_serialize_as_theirs() {
        let n = Uint128::new(5);
        same(
            StakingCall::SetLocked {
                provider: "p",
                amount: n,
            },
            Staking::SetLocked {
                provider: "p".into(),
                amount: n,
            },
        );
        same(
            StakingCall::Slash {
                provider: "p",
                rule: SlashRule::BondBps { bps: 3 },
                reason: "Silent",
                lease_id: Some(16),
                compensation: None,
            },
            Staking::Slash {
                provider: "p".into(),
                rule: SlashRule::BondBps { bps: 3 },
                reason: "Silent".into(),
                lease_id: Some(16),
                compensation: None,
            },
        );
        let fee = Some(DenomAmount {
            denom: Denom::Native("u".into()),
            amount: n,
        });
        same(
            StakingCall::ReportWork {
                provider: "p",
                gpu_seconds: 9,
                fee_paid: fee.clone(),
            },
            Staking::ReportWork {
                provider: "p".into(),
                gpu_seconds: 9,
                fee_paid: fee,
            },
        );
        same(
            StakingAsk::Collateral {
                address: "a",
                gpus: 2,
            },
            StakingQ::Collateral {
                address: "a".into(),
                gpus: 2,
            },
        );
        same(
            AccessAsk::Access { address: "a" },
            AccessQueryMsg::Access {
                address: "a".into(),
            },
        );
    }

    #[test]
    fn views_read_the_canonical_responses() {
        let config = ConfigResponse {
            owner: Addr::unchecked("o"),
            marketplace: Addr::unchecked("m"),
            fee_collector: Addr::unchecked("f"),
            accepted_denoms: vec![Denom::Native("uusdc".into())],
        };
        let view: EscrowDenoms = from_json(to_json_binary(&config).unwrap()).unwrap();
        assert_eq!(view.accepted_denoms, config.accepted_denoms);
        let accounts = AccountsResponse {
            accounts: vec![AccountResponse {
                account_id: 7,
                depositor: Addr::unchecked("d"),
                denom: Denom::Native("uusdc".into()),
                balance: Uint128::new(1),
                reserved: Uint128::zero(),
                available: Uint128::new(1),
                open_payments: 0,
                closed: false,
            }],
        };
        let view: AccountIds = from_json(to_json_binary(&accounts).unwrap()).unwrap();
        assert_eq!(view.accounts[0].account_id, 7);
        let access = AccessResponse {
            address: Addr::unchecked("a"),
            tier: Some(TierBenefits {
                tier: "pro".into(),
                fee_discount_bps: 5_000,
                priority: 2,
                max_open_orders: 3,
            }),
            expires_at: None,
        };
        let view: AccessView = from_json(to_json_binary(&access).unwrap()).unwrap();
        let tier = view.tier.unwrap();
        assert_eq!((tier.fee_discount_bps, tier.priority), (5_000, 2));
    }
}
