//! Field descriptions for the types the public API borrows from cw20 and cosmwasm-std, whose
//! sources carry none: an auditor reading only the schema learns their units and meaning here.

use cosmwasm_schema::Api;
use schemars::schema::{RootSchema, Schema, SchemaObject};

type FieldDocs = &'static [(&'static str, &'static str)];

const EXTERNAL: &[(&str, FieldDocs)] = &[
    (
        "Cw20ReceiveMsg",
        &[
            ("sender", "The account that sent the tokens (the cw20 `Send`'s sender): the one the hook acts for."),
            ("amount", "Tokens sent with the hook, in the cw20's base units; the contract holds them from now on."),
            ("msg", "The hook: base64 of a JSON message this contract defines."),
        ],
    ),
    (
        "Coin",
        &[
            ("denom", "The native denom, e.g. `uusdc` or an `ibc/…` hash."),
            ("amount", "In the denom's base units."),
        ],
    ),
    (
        "Cw20Coin",
        &[
            ("address", "The initial holder (bech32 address)."),
            ("amount", "Its initial balance, in base units."),
        ],
    ),
    (
        "InstantiateMarketingInfo",
        &[
            ("project", "A URL or name of the project behind the token."),
            ("description", "A longer description of the token."),
            ("marketing", "The address allowed to update the marketing info; unset: nobody."),
            ("logo", "The token's logo: a URL, or an embedded SVG/PNG of at most 5 KiB."),
        ],
    ),
    (
        "MinterResponse",
        &[
            ("minter", "The only address that may mint."),
            ("cap", "The most the total supply may reach through minting; unset: unlimited."),
        ],
    ),
    (
        "AllowanceInfo",
        &[
            ("spender", "The address allowed to spend."),
            ("allowance", "What it may still spend, in base units."),
            ("expires", "When the allowance lapses."),
        ],
    ),
    (
        "SpenderAllowanceInfo",
        &[
            ("owner", "The address whose tokens may be spent."),
            ("allowance", "What the spender may still spend, in base units."),
            ("expires", "When the allowance lapses."),
        ],
    ),
    (
        "AllowanceResponse",
        &[
            ("allowance", "What the spender may still spend, in base units (0 when none was granted)."),
            ("expires", "When the allowance lapses."),
        ],
    ),
    ("AllAccountsResponse", &[("accounts", "Holder addresses, ascending, one page.")]),
    ("AllAllowancesResponse", &[("allowances", "Allowances the owner granted, by spender, one page.")]),
    (
        "AllSpenderAllowancesResponse",
        &[("allowances", "Allowances granted to the spender, by owner, one page.")],
    ),
    ("BalanceResponse", &[("balance", "The address's balance, in base units.")]),
    (
        "DownloadLogoResponse",
        &[
            ("mime_type", "`image/svg+xml` or `image/png`."),
            ("data", "The embedded logo's bytes (base64)."),
        ],
    ),
    (
        "TokenInfoResponse",
        &[
            ("name", "The token's name."),
            ("symbol", "The ticker, 3 to 12 characters."),
            ("decimals", "Decimal places of one display unit (base units per display unit = 10^decimals)."),
            ("total_supply", "All tokens in existence, in base units."),
        ],
    ),
];

pub fn document(api: &mut Api) {
    let roots = [
        &mut api.instantiate,
        &mut api.execute,
        &mut api.query,
        &mut api.migrate,
        &mut api.sudo,
    ];
    for root in roots.into_iter().flatten() {
        document_root(root);
    }
    for root in api
        .responses
        .iter_mut()
        .flat_map(|responses| responses.values_mut())
    {
        document_root(root);
    }
}

fn document_root(root: &mut RootSchema) {
    let title = root.schema.metadata.as_ref().and_then(|m| m.title.clone());
    for (type_name, fields) in EXTERNAL {
        if title.as_deref() == Some(*type_name) {
            fill(&mut root.schema, fields);
        }
        if let Some(Schema::Object(definition)) = root.definitions.get_mut(*type_name) {
            fill(definition, fields);
        }
    }
}

fn fill(object: &mut SchemaObject, fields: FieldDocs) {
    let Some(validation) = object.object.as_mut() else {
        return;
    };
    for (field, doc) in fields {
        let Some(property) = validation
            .properties
            .get_mut(*field)
            .and_then(crate::describable)
        else {
            continue;
        };
        let metadata = property.metadata();
        if metadata.description.as_deref().unwrap_or("").is_empty() {
            metadata.description = Some((*doc).to_string());
        }
    }
}
