//! A hot operator key acting for a cold provider account through x/authz and x/feegrant.
//!
//! The cold account holds the stake and receives every payment; it grants the operator key
//! wasmd's `ContractExecutionAuthorization` for exactly the messages a running keeper sends
//! (on the marketplace, and `withdraw` on escrow, which can only pay the cold account itself)
//! and a fee allowance usable only for `MsgExec`. The operator key holds no coins of its own.
//! The contracts see the cold account as the sender of every call, so nothing on chain changes.
//!
//! Funds can never move through the grant: its limit is a funds limit of one unit of a denom
//! that does not exist, so any call carrying coins is refused, while calls without funds pass
//! and leave the limit untouched (wasmd's `MaxFundsLimit`). A call-count limit would run out
//! after a few months of heartbeats and rewrite the grant on every call.

use super::{Any, ChainError};
use cosmrs::proto::cosmos::authz::v1beta1::{Grant, MsgExec, MsgGrant};
use cosmrs::proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use cosmrs::proto::cosmos::feegrant::v1beta1::{
    AllowedMsgAllowance, BasicAllowance, MsgGrantAllowance,
};
use cosmrs::proto::cosmwasm::wasm::v1::{
    AcceptedMessageKeysFilter, ContractExecutionAuthorization, ContractGrant, MaxFundsLimit,
};
use cosmrs::proto::traits::Message;
use cosmrs::proto::Timestamp;
use serde_json::{json, Value};

pub const MSG_EXEC: &str = "/cosmos.authz.v1beta1.MsgExec";
const MSG_GRANT: &str = "/cosmos.authz.v1beta1.MsgGrant";
const MSG_GRANT_ALLOWANCE: &str = "/cosmos.feegrant.v1beta1.MsgGrantAllowance";
const CONTRACT_EXECUTION: &str = "/cosmwasm.wasm.v1.ContractExecutionAuthorization";
const MAX_FUNDS_LIMIT: &str = "/cosmwasm.wasm.v1.MaxFundsLimit";
const MESSAGE_KEYS_FILTER: &str = "/cosmwasm.wasm.v1.AcceptedMessageKeysFilter";
const ALLOWED_MSG_ALLOWANCE: &str = "/cosmos.feegrant.v1beta1.AllowedMsgAllowance";
const BASIC_ALLOWANCE: &str = "/cosmos.feegrant.v1beta1.BasicAllowance";

/// The funds limit's denom: valid in form, held by nobody, so no call may carry coins.
pub const NO_FUNDS_DENOM: &str = "gridshare/operator-sends-no-funds";

/// The marketplace messages a running keeper sends (checked against the message types by a
/// test, so a renamed variant cannot silently fall out of the grant). Not in it: deactivating,
/// and everything on staking (bonding, unbonding, claims) and on the GRID token.
pub const MARKETPLACE_KEYS: &[&str] = &[
    "register_provider",
    "update_provider",
    "heartbeat",
    "post_offer",
    "update_offer",
    "withdraw_offer",
    "commit_result",
    "reveal_result",
    "close_lease",
    "finalize",
];

/// Escrow's `withdraw` pays the payee, which is the cold account: the keeper collects earnings
/// for leases it settles without being able to redirect them.
pub const ESCROW_KEYS: &[&str] = &["withdraw"];

/// What the cold account grants its operator.
#[derive(Clone, Debug)]
pub struct GrantPlan {
    pub granter: String,
    pub operator: String,
    pub marketplace: String,
    pub escrow: String,
    /// The most the operator may spend on fees in total; `None`: no cap (until revoked).
    pub fee_limit: Option<(u128, String)>,
    /// Seconds since the epoch when both grants lapse; `None`: until revoked.
    pub expires_at: Option<i64>,
}

fn build(reason: String) -> ChainError {
    ChainError::Build { reason }
}

fn any<M: Message>(type_url: &str, msg: &M) -> Any {
    Any {
        type_url: type_url.to_string(),
        value: msg.encode_to_vec(),
    }
}

/// `msgs` (each with the granter as its sender) executed by `grantee` under its grants.
pub fn exec(grantee: &str, msgs: Vec<Any>) -> Any {
    any(
        MSG_EXEC,
        &MsgExec {
            grantee: grantee.to_string(),
            msgs,
        },
    )
}

impl GrantPlan {
    fn contract_grants(&self) -> [(&str, &[&str]); 2] {
        [
            (&self.marketplace, MARKETPLACE_KEYS),
            (&self.escrow, ESCROW_KEYS),
        ]
    }

    fn expiration(&self) -> Option<Timestamp> {
        self.expires_at
            .map(|seconds| Timestamp { seconds, nanos: 0 })
    }

    fn spend_limit(&self) -> Vec<ProtoCoin> {
        self.fee_limit
            .iter()
            .map(|(amount, denom)| ProtoCoin {
                denom: denom.clone(),
                amount: amount.to_string(),
            })
            .collect()
    }

    /// The two messages the cold account signs: the contract-execution grant and the fee
    /// allowance (which also creates the operator's account on chain if it has none).
    pub fn messages(&self) -> Result<Vec<Any>, ChainError> {
        if self.granter == self.operator {
            return Err(build(format!(
                "the operator {} is the granter itself: use a separate key",
                self.operator
            )));
        }
        let grants = self
            .contract_grants()
            .into_iter()
            .map(|(contract, keys)| ContractGrant {
                contract: contract.to_string(),
                limit: Some(any(
                    MAX_FUNDS_LIMIT,
                    &MaxFundsLimit {
                        amounts: vec![ProtoCoin {
                            denom: NO_FUNDS_DENOM.into(),
                            amount: "1".into(),
                        }],
                    },
                )),
                filter: Some(any(
                    MESSAGE_KEYS_FILTER,
                    &AcceptedMessageKeysFilter {
                        keys: keys.iter().map(|k| k.to_string()).collect(),
                    },
                )),
            })
            .collect();
        let grant = MsgGrant {
            granter: self.granter.clone(),
            grantee: self.operator.clone(),
            grant: Some(Grant {
                authorization: Some(any(
                    CONTRACT_EXECUTION,
                    &ContractExecutionAuthorization { grants },
                )),
                expiration: self.expiration(),
            }),
        };
        let allowance = MsgGrantAllowance {
            granter: self.granter.clone(),
            grantee: self.operator.clone(),
            allowance: Some(any(
                ALLOWED_MSG_ALLOWANCE,
                &AllowedMsgAllowance {
                    allowance: Some(any(
                        BASIC_ALLOWANCE,
                        &BasicAllowance {
                            spend_limit: self.spend_limit(),
                            expiration: self.expiration(),
                        },
                    )),
                    allowed_messages: vec![MSG_EXEC.to_string()],
                },
            )),
        };
        Ok(vec![
            any(MSG_GRANT, &grant),
            any(MSG_GRANT_ALLOWANCE, &allowance),
        ])
    }

    /// The same two messages as an unsigned transaction in the SDK's JSON form (what
    /// `wasmd tx … --generate-only` prints), for `wasmd tx sign --offline` on the machine
    /// that holds the cold key, then `wasmd tx broadcast`.
    pub fn unsigned_tx(&self, gas_limit: u64, fee: (u128, &str)) -> Result<Value, ChainError> {
        self.messages()?;
        let expiration = self.expires_at.map(rfc3339).transpose()?;
        let coins = |list: Vec<ProtoCoin>| -> Value {
            list.into_iter()
                .map(|c| json!({"denom": c.denom, "amount": c.amount}))
                .collect()
        };
        let grants: Vec<Value> = self
            .contract_grants()
            .into_iter()
            .map(|(contract, keys)| {
                json!({
                    "contract": contract,
                    "limit": {"@type": MAX_FUNDS_LIMIT, "amounts": [{"denom": NO_FUNDS_DENOM, "amount": "1"}]},
                    "filter": {"@type": MESSAGE_KEYS_FILTER, "keys": keys},
                })
            })
            .collect();
        Ok(json!({
            "body": {
                "messages": [
                    {
                        "@type": MSG_GRANT,
                        "granter": self.granter,
                        "grantee": self.operator,
                        "grant": {
                            "authorization": {"@type": CONTRACT_EXECUTION, "grants": grants},
                            "expiration": expiration,
                        },
                    },
                    {
                        "@type": MSG_GRANT_ALLOWANCE,
                        "granter": self.granter,
                        "grantee": self.operator,
                        "allowance": {
                            "@type": ALLOWED_MSG_ALLOWANCE,
                            "allowance": {
                                "@type": BASIC_ALLOWANCE,
                                "spend_limit": coins(self.spend_limit()),
                                "expiration": expiration,
                            },
                            "allowed_messages": [MSG_EXEC],
                        },
                    },
                ],
                "memo": "gridshare operator grant",
                "timeout_height": "0",
                "extension_options": [],
                "non_critical_extension_options": [],
            },
            "auth_info": {
                "signer_infos": [],
                "fee": {
                    "amount": [{"denom": fee.1, "amount": fee.0.to_string()}],
                    "gas_limit": gas_limit.to_string(),
                    "payer": "",
                    "granter": "",
                },
            },
            "signatures": [],
        }))
    }
}

/// Why an operator key may not run a keeper yet, checked against what the chain holds before
/// the keeper starts (rather than failing at its first transaction).
pub fn check_grants(
    grants: &[Grant],
    has_allowance: bool,
    marketplace: &str,
    now_seconds: i64,
) -> Result<(), String> {
    let live = |g: &&Grant| {
        g.expiration
            .as_ref()
            .is_none_or(|t| t.seconds > now_seconds)
    };
    let mut granted: Vec<String> = vec![];
    for grant in grants.iter().filter(live) {
        let Some(auth) = &grant.authorization else {
            continue;
        };
        if auth.type_url != CONTRACT_EXECUTION {
            continue;
        }
        let Ok(auth) = ContractExecutionAuthorization::decode(auth.value.as_slice()) else {
            continue;
        };
        for g in auth.grants.iter().filter(|g| g.contract == marketplace) {
            match &g.filter {
                Some(f) if f.type_url == MESSAGE_KEYS_FILTER => {
                    if let Ok(f) = AcceptedMessageKeysFilter::decode(f.value.as_slice()) {
                        granted.extend(f.keys);
                    }
                }
                Some(f) if f.type_url == "/cosmwasm.wasm.v1.AllowAllMessagesFilter" => {
                    granted.extend(MARKETPLACE_KEYS.iter().map(|k| k.to_string()));
                }
                _ => {}
            }
        }
    }
    let missing: Vec<&str> = MARKETPLACE_KEYS
        .iter()
        .copied()
        .filter(|k| !granted.iter().any(|g| g == k))
        .collect();
    if missing.len() == MARKETPLACE_KEYS.len() {
        return Err(format!("no live grant for the marketplace {marketplace}"));
    }
    if !missing.is_empty() {
        return Err(format!("the grant lacks {}", missing.join(", ")));
    }
    if !has_allowance {
        return Err("no fee allowance".into());
    }
    Ok(())
}

/// `seconds` since the epoch as RFC 3339 (UTC), the JSON form of a protobuf `Timestamp`.
fn rfc3339(seconds: i64) -> Result<String, ChainError> {
    let t = cosmrs::tendermint::Time::from_unix_timestamp(seconds, 0)
        .map_err(|e| build(format!("expiration {seconds}: {e}")))?;
    Ok(t.to_rfc3339())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmrs::proto::traits::Message;
    use gridshare_types::escrow::ExecuteMsg as EscrowMsg;
    use gridshare_types::marketplace::ExecuteMsg;

    fn plan() -> GrantPlan {
        GrantPlan {
            granter: "wasm1cold".into(),
            operator: "wasm1hot".into(),
            marketplace: "wasm1market".into(),
            escrow: "wasm1escrow".into(),
            fee_limit: Some((5_000_000, "ugrid".into())),
            expires_at: Some(1_800_000_000),
        }
    }

    /// The top-level key of a message as the contract reads it.
    fn key(msg: &impl serde::Serialize) -> String {
        let v = serde_json::to_value(msg).unwrap_or_default();
        v.as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap_or_default()
    }

    #[test]
    fn the_grant_names_exactly_the_marketplace_messages_a_keeper_sends() {
        let sent = [
            ExecuteMsg::RegisterProvider {
                name: String::new(),
                region: String::new(),
                endpoint: String::new(),
                public_key: String::new(),
            },
            ExecuteMsg::Heartbeat { telemetry: None },
            ExecuteMsg::WithdrawOffer { offer_id: 0 },
            ExecuteMsg::Finalize { lease_id: 0 },
        ];
        for msg in &sent {
            let k = key(msg);
            assert!(MARKETPLACE_KEYS.contains(&k.as_str()), "{k} is not granted");
        }
        // Every granted key names a message the contract has: a renamed variant fails here.
        for k in MARKETPLACE_KEYS {
            let e = serde_json::from_str::<ExecuteMsg>(&format!("{{\"{k}\": {{}}}}"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(!e.contains("unknown variant"), "{k}: {e}");
        }
        for k in ESCROW_KEYS {
            let e = serde_json::from_str::<EscrowMsg>(&format!("{{\"{k}\": {{}}}}"))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(!e.contains("unknown variant"), "{k}: {e}");
        }
        let e = serde_json::from_str::<ExecuteMsg>("{\"no_such_message\": {}}")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("unknown variant"), "{e}");
        for forbidden in ["deactivate_provider", "update_params", "update_ownership"] {
            assert!(!MARKETPLACE_KEYS.contains(&forbidden));
        }
    }

    #[test]
    fn no_call_through_the_grant_can_carry_funds() {
        let msgs = plan().messages().unwrap_or_default();
        assert_eq!(msgs.len(), 2);
        let grant = MsgGrant::decode(msgs[0].value.as_slice()).unwrap_or_default();
        assert_eq!(msgs[0].type_url, MSG_GRANT);
        let auth = grant
            .grant
            .and_then(|g| g.authorization)
            .unwrap_or_default();
        let auth =
            ContractExecutionAuthorization::decode(auth.value.as_slice()).unwrap_or_default();
        assert_eq!(auth.grants.len(), 2);
        for g in &auth.grants {
            let limit = g.limit.clone().unwrap_or_default();
            assert_eq!(limit.type_url, MAX_FUNDS_LIMIT);
            let limit = MaxFundsLimit::decode(limit.value.as_slice()).unwrap_or_default();
            assert_eq!(limit.amounts.len(), 1);
            assert_eq!(limit.amounts[0].denom, NO_FUNDS_DENOM);
            assert_eq!(limit.amounts[0].amount, "1");
        }
        assert_eq!(msgs[1].type_url, MSG_GRANT_ALLOWANCE);
        let allowance = MsgGrantAllowance::decode(msgs[1].value.as_slice()).unwrap_or_default();
        let allowed =
            AllowedMsgAllowance::decode(allowance.allowance.unwrap_or_default().value.as_slice())
                .unwrap_or_default();
        assert_eq!(allowed.allowed_messages, vec![MSG_EXEC.to_string()]);
    }

    fn granted(plan: &GrantPlan) -> Vec<Grant> {
        plan.messages()
            .unwrap_or_default()
            .first()
            .and_then(|m| MsgGrant::decode(m.value.as_slice()).ok())
            .and_then(|g| g.grant)
            .into_iter()
            .collect()
    }

    #[test]
    fn a_keeper_starts_only_on_a_live_complete_grant_with_an_allowance() {
        let p = plan();
        let grants = granted(&p);
        let now = 1_700_000_000;
        assert_eq!(check_grants(&grants, true, "wasm1market", now), Ok(()));
        let err = |r: Result<(), String>| r.err().unwrap_or_default();
        assert!(err(check_grants(&grants, false, "wasm1market", now)).contains("no fee allowance"));
        assert!(err(check_grants(&[], true, "wasm1market", now)).contains("no live grant"));
        assert!(err(check_grants(&grants, true, "wasm1other", now)).contains("no live grant"));
        // Lapsed.
        assert!(
            err(check_grants(&grants, true, "wasm1market", 1_800_000_000))
                .contains("no live grant")
        );
        // A grant made for fewer messages than the keeper sends.
        let mut partial = grants.clone();
        if let Some(auth) = partial[0].authorization.as_mut() {
            let mut a =
                ContractExecutionAuthorization::decode(auth.value.as_slice()).unwrap_or_default();
            a.grants[0].filter = Some(any(
                MESSAGE_KEYS_FILTER,
                &AcceptedMessageKeysFilter {
                    keys: vec!["heartbeat".into()],
                },
            ));
            auth.value = a.encode_to_vec();
        }
        let e = err(check_grants(&partial, true, "wasm1market", now));
        assert!(
            e.contains("lacks") && e.contains("commit_result") && !e.contains("heartbeat"),
            "{e}"
        );
    }

    #[test]
    fn a_key_cannot_be_its_own_operator() {
        let mut p = plan();
        p.operator = p.granter.clone();
        assert!(p.messages().is_err());
    }

    #[test]
    fn the_unsigned_transaction_matches_the_signed_messages() {
        let tx = plan()
            .unsigned_tx(300_000, (7500, "ugrid"))
            .unwrap_or_default();
        let msgs = &tx["body"]["messages"];
        assert_eq!(msgs[0]["@type"], MSG_GRANT);
        assert_eq!(msgs[0]["grant"]["expiration"], "2027-01-15T08:00:00Z");
        let grants = &msgs[0]["grant"]["authorization"]["grants"];
        assert_eq!(grants[0]["contract"], "wasm1market");
        assert_eq!(
            grants[0]["filter"]["keys"].as_array().map(Vec::len),
            Some(MARKETPLACE_KEYS.len())
        );
        assert_eq!(grants[1]["filter"]["keys"][0], "withdraw");
        assert_eq!(
            msgs[1]["allowance"]["allowance"]["spend_limit"][0]["amount"],
            "5000000"
        );
        assert_eq!(tx["auth_info"]["fee"]["gas_limit"], "300000");
    }
}
