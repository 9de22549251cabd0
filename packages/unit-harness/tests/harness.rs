//! The harness on a toy contract that stores strings: storage diffs, the "a refused message
//! changes nothing" rule on every entry point, the bench forms, the block, response lookups and
//! message builders.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{
    to_json_binary, Addr, Binary, Coin, Deps, DepsMut, Env, Event, MessageInfo, Reply, Response,
    StdResult, Storage, SubMsg, WasmMsg,
};
use gridshare_types::Denom;
use gridshare_unit_harness::{
    attr, attrs, bank_send, cw20_receive, cw20_transfer, error_reply, event, event_attr, events,
    readable, snapshot, storage_diff, Bench, Chain, Change, Contract, ExecuteFn, InstantiateFn,
    Ledger, MigrateFn, QueryFn, ReplyFn, SnapshotStorage, Transfer,
};

#[derive(Clone, Debug)]
enum ExecuteMsg {
    Set {
        key: String,
        value: String,
    },
    Remove {
        key: String,
    },
    /// Refused before anything is written.
    Refuse,
    /// Writes, then refuses: the bug the harness exists to catch.
    WriteThenRefuse,
}

#[derive(Debug, PartialEq)]
enum Error {
    Refused,
}

fn instantiate(deps: DepsMut, _: Env, _: MessageInfo, msg: String) -> Result<Response, Error> {
    if msg.is_empty() {
        return Err(Error::Refused);
    }
    deps.storage.set(b"name", msg.as_bytes());
    Ok(Response::new())
}

fn execute(deps: DepsMut, _: Env, _: MessageInfo, msg: ExecuteMsg) -> Result<Response, Error> {
    match msg {
        ExecuteMsg::Set { key, value } => {
            deps.storage.set(key.as_bytes(), value.as_bytes());
            Ok(Response::new()
                .add_attribute("action", "set")
                .add_attribute("key", key)
                .add_event(Event::new("stored").add_attribute("value", value)))
        }
        ExecuteMsg::Remove { key } => {
            deps.storage.remove(key.as_bytes());
            Ok(Response::new().add_attribute("action", "remove"))
        }
        ExecuteMsg::Refuse => Err(Error::Refused),
        ExecuteMsg::WriteThenRefuse => {
            deps.storage.set(b"half", b"done");
            Err(Error::Refused)
        }
    }
}

fn query(deps: Deps, _: Env, key: String) -> StdResult<Binary> {
    let value = deps
        .storage
        .get(key.as_bytes())
        .map(|v| String::from_utf8(v).unwrap());
    to_json_binary(&value)
}

/// Fails after writing when the reply is to sub-message 13, succeeds otherwise.
fn reply(deps: DepsMut, _: Env, reply: Reply) -> Result<Response, Error> {
    deps.storage.set(b"replied", b"yes");
    if reply.id == 13 {
        return Err(Error::Refused);
    }
    Ok(Response::new())
}

/// Refuses to migrate from anything but a stored name, after writing.
fn migrate(deps: DepsMut, _: Env, to: String) -> Result<Response, Error> {
    let from = deps.storage.get(b"name");
    deps.storage.set(b"name", to.as_bytes());
    match from {
        Some(_) => Ok(Response::new()),
        None => Err(Error::Refused),
    }
}

struct Toy;

impl Contract for Toy {
    type InstantiateMsg = String;
    type ExecuteMsg = ExecuteMsg;
    type QueryMsg = String;
    type MigrateMsg = String;
    type Error = Error;
    const INSTANTIATE: InstantiateFn<Self> = instantiate;
    const EXECUTE: ExecuteFn<Self> = execute;
    const QUERY: QueryFn<Self> = query;
    const MIGRATE: MigrateFn<Self> = migrate;
    const REPLY: Option<ReplyFn<Self>> = Some(reply);
}

fn set(key: &str, value: &str) -> ExecuteMsg {
    ExecuteMsg::Set {
        key: key.into(),
        value: value.into(),
    }
}

fn chain() -> Chain<Toy> {
    let mut chain = Chain::at(1_000);
    let admin = chain.addr("admin");
    chain.instantiate(&admin, "toy".into(), &[]).unwrap();
    chain
}

#[test]
fn storage_diff_finds_added_changed_and_removed_keys() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    chain.exec(&alice, set("kept", "1"), &[]).unwrap();
    chain.exec(&alice, set("changed", "old"), &[]).unwrap();
    chain.exec(&alice, set("removed", "gone"), &[]).unwrap();
    let before = chain.snapshot();

    chain.exec(&alice, set("added", "new"), &[]).unwrap();
    chain.exec(&alice, set("changed", "new"), &[]).unwrap();
    chain
        .exec(
            &alice,
            ExecuteMsg::Remove {
                key: "removed".into(),
            },
            &[],
        )
        .unwrap();
    let diff = chain.storage_diff(&before);

    assert_eq!(
        diff.changes,
        vec![
            Change::Added {
                key: b"added".to_vec(),
                value: b"new".to_vec()
            },
            Change::Changed {
                key: b"changed".to_vec(),
                before: b"old".to_vec(),
                after: b"new".to_vec()
            },
            Change::Removed {
                key: b"removed".to_vec(),
                value: b"gone".to_vec()
            },
        ]
    );
    assert_eq!(
        diff.to_string(),
        "+ added: new\n~ changed: old -> new\n- removed: gone"
    );
    assert!(diff.at(b"kept").is_none());
    assert!(storage_diff(&before, &before).is_empty());
    assert_eq!(storage_diff(&before, &before).to_string(), "no change");
}

#[test]
fn a_clean_refusal_passes_and_returns_the_error() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let before = chain.snapshot();
    assert_eq!(
        chain.assert_unchanged_on_error(&alice, ExecuteMsg::Refuse, &[]),
        Error::Refused
    );
    chain.assert_unchanged(&before, "a refusal");
}

#[test]
#[should_panic(
    expected = "WriteThenRefuse failed with Refused but changed the storage:\n+ half: done"
)]
fn assert_unchanged_on_error_fails_when_the_failing_message_wrote() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    chain.assert_unchanged_on_error(&alice, ExecuteMsg::WriteThenRefuse, &[]);
}

#[test]
#[should_panic(expected = "should have failed")]
fn assert_unchanged_on_error_fails_when_the_message_succeeds() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    chain.assert_unchanged_on_error(&alice, set("a", "b"), &[]);
}

#[test]
#[should_panic(expected = "changed the storage")]
fn exec_holds_every_error_to_the_rule() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let _ = chain.exec(&alice, ExecuteMsg::WriteThenRefuse, &[]);
}

#[test]
fn exec_unchecked_lets_the_caller_revert() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let before = chain.snapshot();
    assert!(chain
        .exec_unchecked(&alice, ExecuteMsg::WriteThenRefuse, &[])
        .is_err());
    assert_eq!(chain.storage_diff(&before).len(), 1);
    chain.restore(&before);
    assert_eq!(chain.snapshot(), before);
}

#[test]
#[should_panic(expected = "reply 13 failed with Refused but changed the storage")]
fn a_failed_reply_is_held_to_the_rule() {
    let mut chain = chain();
    let sub = SubMsg::reply_on_error(
        WasmMsg::ClearAdmin {
            contract_addr: "x".into(),
        },
        13,
    );
    let _ = chain.reply(error_reply(&sub, "out of gas"));
}

#[test]
fn a_reply_carries_the_sub_messages_id_and_payload() {
    let sub = SubMsg::reply_on_error(
        WasmMsg::ClearAdmin {
            contract_addr: "x".into(),
        },
        7,
    )
    .with_payload(b"fee".to_vec());
    let reply = error_reply(&sub, "refused");
    assert_eq!((reply.id, reply.payload.as_slice()), (7, &b"fee"[..]));
    let mut chain = chain();
    chain.reply(reply).unwrap();
}

#[test]
fn a_refused_instantiate_stores_nothing() {
    let mut chain: Chain<Toy> = Chain::at(0);
    let admin = chain.addr("admin");
    assert_eq!(
        chain.instantiate(&admin, String::new(), &[]).unwrap_err(),
        Error::Refused
    );
    assert!(snapshot(&chain.deps.storage).is_empty());
}

#[test]
fn queries_decode_the_answer() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    chain.exec(&alice, set("k", "v"), &[]).unwrap();
    assert_eq!(
        chain.query::<Option<String>>("k".into()).unwrap(),
        Some("v".into())
    );
    assert_eq!(chain.query::<Option<String>>("x".into()).unwrap(), None);
}

#[test]
fn the_block_moves_forward() {
    let mut chain = chain();
    let (time, height) = (chain.now(), chain.height());
    chain.advance(60);
    assert_eq!(
        (chain.now(), chain.height()),
        (time.plus_seconds(60), height + 1)
    );
    chain.advance_blocks(50, 10);
    assert_eq!(
        (chain.now(), chain.height()),
        (time.plus_seconds(110), height + 11)
    );
}

#[test]
fn restore_puts_back_exactly_the_snapshot() {
    let mut storage = MockStorage::new();
    storage.set(b"a", b"1");
    let before = storage.snapshot();
    storage.set(b"a", b"2");
    storage.set(b"b", b"3");
    storage.restore(&before);
    assert_eq!(storage.snapshot(), before);
    assert_eq!(before.len(), 1);
}

#[test]
fn keys_and_values_print_readably() {
    assert_eq!(readable(b"{\"a\":1}"), "{\"a\":1}");
    assert_eq!(
        readable(b"\x00\x05offer\x00\x01"),
        "\\x00\\x05offer\\x00\\x01"
    );
    let mut storage = MockStorage::new();
    storage.set(b"\x00\x01k", b"\"v\"");
    assert_eq!(format!("{:?}", storage.snapshot()), "{\\x00\\x01k: \"v\"}");
}

#[test]
fn lookups_find_attributes_and_events() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let res = chain.exec(&alice, set("k", "v"), &[]).unwrap();
    assert_eq!(attr(&res, "key"), "k");
    assert_eq!(res.attributes, attrs(&[("action", "set"), ("key", "k")]));
    assert_eq!(event_attr(event(&res, "stored"), "value"), "v");
    assert_eq!(events(&res, "stored").len(), 1);
    assert!(events(&res, "missing").is_empty());
}

#[test]
#[should_panic(expected = "no attribute \"value\" in the response; it has [action=set, key=k]")]
fn a_missing_attribute_lists_what_was_there() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let res = chain.exec(&alice, set("k", "v"), &[]).unwrap();
    attr(&res, "value");
}

#[test]
#[should_panic(
    expected = "expected one \"gone\" event, found 0; the response has [stored{value=v}]"
)]
fn a_missing_event_lists_what_was_there() {
    let mut chain = chain();
    let alice = chain.addr("alice");
    let res = chain.exec(&alice, set("k", "v"), &[]).unwrap();
    event(&res, "gone");
}

/// A bench that counts the messages that went through, as contracts' benches audit theirs.
struct Counting {
    chain: Chain<Toy>,
    ok: usize,
}

impl Bench for Counting {
    type ExecuteMsg = ExecuteMsg;
    type Error = Error;

    fn try_exec(
        &mut self,
        sender: &Addr,
        funds: &[Coin],
        msg: ExecuteMsg,
    ) -> Result<Response, Error> {
        let result = self.chain.exec(sender, msg, funds);
        self.ok += usize::from(result.is_ok());
        result
    }
}

#[test]
fn a_bench_derives_exec_and_exec_err_from_its_try_exec() {
    let mut bench = Counting {
        chain: chain(),
        ok: 0,
    };
    let alice = bench.chain.addr("alice");
    bench.exec(&alice, &[], set("k", "v"));
    assert_eq!(
        bench.exec_err(&alice, &[], ExecuteMsg::Refuse),
        Error::Refused
    );
    assert_eq!(bench.ok, 1);
}

#[test]
#[should_panic(expected = "Refuse failed: Refused")]
fn a_bench_exec_names_the_message_that_failed() {
    let mut bench = Counting {
        chain: chain(),
        ok: 0,
    };
    let alice = bench.chain.addr("alice");
    bench.exec(&alice, &[], ExecuteMsg::Refuse);
}

#[test]
fn bank_and_cw20_messages_are_built_as_the_chain_expects() {
    let (token, bob) = (chain().addr("token"), chain().addr("bob"));
    let send = bank_send(&bob, 5, "ugrid");
    assert_eq!(
        send.msg,
        cosmwasm_std::BankMsg::Send {
            to_address: bob.to_string(),
            amount: vec![Coin::new(5u128, "ugrid")],
        }
        .into()
    );
    let transfer = cw20_transfer(&token, &bob, 7);
    let cosmwasm_std::CosmosMsg::Wasm(WasmMsg::Execute {
        contract_addr, msg, ..
    }) = transfer.msg
    else {
        panic!("a cw20 transfer is a wasm execute");
    };
    assert_eq!(contract_addr, token.to_string());
    assert_eq!(
        msg.as_slice(),
        format!(r#"{{"transfer":{{"recipient":"{bob}","amount":"7"}}}}"#).as_bytes()
    );
    let received = cw20_receive(&bob, 9, &"hook");
    assert_eq!(
        (
            received.sender,
            received.amount.u128(),
            received.msg.as_slice()
        ),
        (bob.to_string(), 9, &b"\"hook\""[..])
    );
}

#[test]
fn a_migration_runs_on_the_stored_contract() {
    let mut chain = chain();
    chain.migrate("toy v2".into()).unwrap();
    assert_eq!(chain.snapshot().get(b"name"), Some(&b"toy v2"[..]));
}

#[test]
#[should_panic(
    expected = "migrate \"v2\" failed with Refused but changed the storage:\n+ name: v2"
)]
fn a_refused_migration_is_held_to_the_rule() {
    let mut chain: Chain<Toy> = Chain::at(0);
    let _ = chain.migrate("v2".into());
}

#[test]
fn a_ledger_counts_coins_in_and_out() {
    let (alice, token) = (chain().addr("alice"), chain().addr("token"));
    let grid = Denom::Native("ugrid".into());
    let cw20 = Denom::Cw20(token);
    let mut ledger = Ledger::default();
    ledger.receive_funds(&[Coin::new(100u128, "ugrid")]);
    ledger.receive(cw20.clone(), 7);
    let out = |denom: &Denom, amount| Transfer {
        to: alice.to_string(),
        denom: denom.clone(),
        amount,
    };
    ledger.pay(out(&grid, 30), &"withdraw");
    ledger.pay(out(&grid, 20), &"withdraw");
    assert_eq!((ledger.held(&grid), ledger.held(&cw20)), (50, 7));
    assert_eq!(ledger.sent_to(&alice, &grid), 50);
    assert_eq!(ledger.sent_to(&alice, &cw20), 0);
}

#[test]
#[should_panic(expected = "\"withdraw\" sends Transfer")]
fn a_ledger_refuses_to_pay_more_than_is_held() {
    let mut ledger = Ledger::default();
    ledger.receive_funds(&[Coin::new(1u128, "ugrid")]);
    ledger.pay(
        Transfer {
            to: "anyone".into(),
            denom: Denom::Native("ugrid".into()),
            amount: 2,
        },
        &"withdraw",
    );
}
