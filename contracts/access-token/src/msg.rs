//! The token's messages: every cw20-base message and query with identical JSON, plus premium access.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Binary, Uint128};
use cw20::{Cw20Coin, Cw20ExecuteMsg, Cw20ReceiveMsg, Expiration, Logo, MinterResponse};

pub use cw20_base::msg::InstantiateMarketingInfo;
pub use gridshare_types::access::{AccessResponse, TierBenefits};
pub use gridshare_types::owner::{OwnerAction, OwnershipResponse};

/// A premium tier as the admin defines it.
#[cw_serde]
pub struct Tier {
    /// 1 to 32 bytes of `a-z`, `0-9`, `-` and `_`, e.g. `"pro"`.
    pub id: String,
    /// GRID (base units) burned per period; positive.
    pub price_per_period: Uint128,
    /// Length of one period in seconds; positive.
    pub period_seconds: u64,
    /// Taken off the marketplace's take rate, in basis points of the fee (at most 10000).
    pub fee_discount_bps: u16,
    /// Higher is served first among resting orders; 0 is the standard level.
    pub priority: u8,
    /// How many orders the holder may have open at once.
    pub max_open_orders: u32,
}

impl Tier {
    pub fn benefits(&self) -> TierBenefits {
        TierBenefits {
            tier: self.id.clone(),
            fee_discount_bps: self.fee_discount_bps,
            priority: self.priority,
            max_open_orders: self.max_open_orders,
        }
    }
}

/// cw20-base's instantiate fields, then the premium ones.
#[cw_serde]
pub struct InstantiateMsg {
    /// The token's name, 3 to 50 bytes.
    pub name: String,
    /// The ticker: 3 to 12 characters, ASCII letters and `-` only.
    pub symbol: String,
    /// Decimal places of one display unit, at most 18.
    pub decimals: u8,
    /// Holders and their initial balances (base units); their sum is the initial supply, which
    /// may not exceed the mint cap.
    pub initial_balances: Vec<Cw20Coin>,
    /// The minter and the optional cap on the total supply; `None`: nobody can ever mint.
    pub mint: Option<MinterResponse>,
    /// Project, description, marketing role and logo; `None`: no marketing info or role.
    pub marketing: Option<InstantiateMarketingInfo>,
    /// Manages the tiers; defaults to the instantiator. Hand it to governance with
    /// `UpdateOwnership` (offer, then governance accepts).
    pub admin: Option<String>,
    /// The tiers on sale from the start (ids unique, at most `MAX_TIERS`).
    pub tiers: Vec<Tier>,
}

impl InstantiateMsg {
    /// The cw20-base part of the message.
    pub fn cw20_base(&self) -> cw20_base::msg::InstantiateMsg {
        cw20_base::msg::InstantiateMsg {
            name: self.name.clone(),
            symbol: self.symbol.clone(),
            decimals: self.decimals,
            initial_balances: self.initial_balances.clone(),
            mint: self.mint.clone(),
            marketing: self.marketing.clone(),
        }
    }
}

/// Every `Cw20ExecuteMsg` variant, serialized identically, then the premium messages.
#[cw_serde]
pub enum ExecuteMsg {
    /// Moves `amount` from the sender to `recipient`.
    Transfer {
        /// Who receives the tokens (bech32 address).
        recipient: String,
        /// Tokens to move, in base units.
        amount: Uint128,
    },
    /// Destroys `amount` of the sender's tokens.
    Burn {
        /// Tokens to destroy, in base units; they leave the total supply.
        amount: Uint128,
    },
    /// Moves `amount` to `contract` and calls its `Receive` hook with `msg`.
    Send {
        /// The receiving contract (bech32 address); it must implement the cw20 `Receive` hook.
        contract: String,
        /// Tokens to move, in base units.
        amount: Uint128,
        /// Base64 of the hook message the receiving contract defines, passed on as
        /// `Cw20ReceiveMsg.msg`.
        msg: Binary,
    },
    /// Raises `spender`'s allowance on the sender's tokens; `expires` replaces the expiry.
    IncreaseAllowance {
        /// Who may spend (bech32 address); not the sender itself.
        spender: String,
        /// Added to the allowance, in base units.
        amount: Uint128,
        /// New expiry (a block height or time); must not have passed. Unset: unchanged (never,
        /// for a new allowance).
        expires: Option<Expiration>,
    },
    /// Lowers `spender`'s allowance (removing it at zero); `expires` replaces the expiry.
    DecreaseAllowance {
        /// The spender (bech32 address); not the sender itself.
        spender: String,
        /// Taken off the allowance, in base units; at least the allowance removes it.
        amount: Uint128,
        /// New expiry (a block height or time); must not have passed. Unset: unchanged.
        expires: Option<Expiration>,
    },
    /// Moves `amount` from `owner` to `recipient` within the sender's allowance.
    TransferFrom {
        /// Whose tokens move (bech32 address); it granted the sender the allowance.
        owner: String,
        /// Who receives the tokens (bech32 address).
        recipient: String,
        /// Tokens to move, in base units; deducted from the allowance.
        amount: Uint128,
    },
    /// Moves `amount` from `owner` to `contract` within the sender's allowance and calls its hook.
    SendFrom {
        /// Whose tokens move (bech32 address); it granted the sender the allowance.
        owner: String,
        /// The receiving contract (bech32 address); it must implement the cw20 `Receive` hook.
        contract: String,
        /// Tokens to move, in base units; deducted from the allowance.
        amount: Uint128,
        /// Base64 of the hook message the receiving contract defines; its `Cw20ReceiveMsg.sender`
        /// is the spender (the sender of this message).
        msg: Binary,
    },
    /// Destroys `amount` of `owner`'s tokens within the sender's allowance.
    BurnFrom {
        /// Whose tokens are destroyed (bech32 address); it granted the sender the allowance.
        owner: String,
        /// Tokens to destroy, in base units; deducted from the allowance.
        amount: Uint128,
    },
    /// Minter only. Creates `amount` for `recipient`, never above the cap.
    Mint {
        /// Who receives the new tokens (bech32 address).
        recipient: String,
        /// Tokens to create, in base units; the total supply may not exceed the cap.
        amount: Uint128,
    },
    /// Minter only. Hands the minter role on (`None` removes it forever); the cap stays.
    UpdateMinter {
        /// The new minter (bech32 address); `None` removes the role for good.
        new_minter: Option<String>,
    },
    /// Marketing role only. `Some("")` clears a field, `None` keeps it.
    UpdateMarketing {
        /// A URL or name of the project behind the token.
        project: Option<String>,
        /// A longer description of the token.
        description: Option<String>,
        /// The new marketing role (bech32 address); `Some("")` removes it.
        marketing: Option<String>,
    },
    /// Marketing role only. A URL, SVG or PNG logo (embedded ones at most 5 KiB).
    UploadLogo(Logo),

    /// Burns `price_per_period × periods` of the sender's GRID for `periods` periods of `tier`.
    /// Extends an active subscription of the same tier; refused while another tier is active.
    Subscribe {
        /// The id of a tier on sale.
        tier: String,
        /// Periods to buy, positive; the price is `price_per_period × periods` GRID base units.
        periods: u32,
    },
    /// cw20 entry: only GRID itself (a `Send` to this contract) with a [`ReceiveMsg`] hook.
    Receive(Cw20ReceiveMsg),
    /// Admin only. Creates or replaces a tier.
    SetTier {
        /// The tier; one with the same id is replaced (at most 32 tiers exist).
        tier: Tier,
    },
    /// Admin only. Takes a tier off sale; active subscriptions keep their benefits until expiry.
    RemoveTier {
        /// The id of the tier to remove.
        tier: String,
    },
    /// Two-step hand-over of the tier administration (to governance, after launch): the admin
    /// offers it with `transfer_ownership` (optionally with an expiry, block time in seconds) and
    /// may `cancel_transfer`; nothing changes until the new admin sends `accept_ownership`.
    /// cw20-base's own roles (minter, marketing) keep cw20-base's one-step messages.
    UpdateOwnership(OwnerAction),
}

impl From<Cw20ExecuteMsg> for ExecuteMsg {
    fn from(msg: Cw20ExecuteMsg) -> Self {
        match msg {
            Cw20ExecuteMsg::Transfer { recipient, amount } => {
                ExecuteMsg::Transfer { recipient, amount }
            }
            Cw20ExecuteMsg::Burn { amount } => ExecuteMsg::Burn { amount },
            Cw20ExecuteMsg::Send {
                contract,
                amount,
                msg,
            } => ExecuteMsg::Send {
                contract,
                amount,
                msg,
            },
            Cw20ExecuteMsg::IncreaseAllowance {
                spender,
                amount,
                expires,
            } => ExecuteMsg::IncreaseAllowance {
                spender,
                amount,
                expires,
            },
            Cw20ExecuteMsg::DecreaseAllowance {
                spender,
                amount,
                expires,
            } => ExecuteMsg::DecreaseAllowance {
                spender,
                amount,
                expires,
            },
            Cw20ExecuteMsg::TransferFrom {
                owner,
                recipient,
                amount,
            } => ExecuteMsg::TransferFrom {
                owner,
                recipient,
                amount,
            },
            Cw20ExecuteMsg::SendFrom {
                owner,
                contract,
                amount,
                msg,
            } => ExecuteMsg::SendFrom {
                owner,
                contract,
                amount,
                msg,
            },
            Cw20ExecuteMsg::BurnFrom { owner, amount } => ExecuteMsg::BurnFrom { owner, amount },
            Cw20ExecuteMsg::Mint { recipient, amount } => ExecuteMsg::Mint { recipient, amount },
            Cw20ExecuteMsg::UpdateMinter { new_minter } => ExecuteMsg::UpdateMinter { new_minter },
            Cw20ExecuteMsg::UpdateMarketing {
                project,
                description,
                marketing,
            } => ExecuteMsg::UpdateMarketing {
                project,
                description,
                marketing,
            },
            Cw20ExecuteMsg::UploadLogo(logo) => ExecuteMsg::UploadLogo(logo),
        }
    }
}

/// The hook of a GRID `Send` to this contract.
#[cw_serde]
pub enum ReceiveMsg {
    /// The amount sent must be exactly `price_per_period × periods`; the subscriber is the sender
    /// of the `Send` (for a `SendFrom`, the spender).
    Subscribe {
        /// The id of a tier on sale.
        tier: String,
        /// Periods to buy, positive; the price is `price_per_period × periods` GRID base units.
        periods: u32,
    },
}

/// Every cw20-base query, serialized identically, then the premium ones.
#[cw_serde]
#[derive(QueryResponses)]
pub enum QueryMsg {
    /// The balance of `address`, 0 if unset.
    #[returns(cw20::BalanceResponse)]
    Balance {
        /// The holder's address (bech32).
        address: String,
    },
    /// Name, symbol, decimals and total supply.
    #[returns(cw20::TokenInfoResponse)]
    TokenInfo {},
    /// Who may mint and the cap on the total supply (`null` without a minter).
    #[returns(cw20::MinterResponse)]
    Minter {},
    /// How much `spender` may spend of `owner`'s tokens, 0 if unset.
    #[returns(cw20::AllowanceResponse)]
    Allowance {
        /// The address whose tokens may be spent (bech32).
        owner: String,
        /// The address allowed to spend (bech32).
        spender: String,
    },
    /// Allowances `owner` has granted, by spender (at most 30 per page).
    #[returns(cw20::AllAllowancesResponse)]
    AllAllowances {
        /// The address that granted the allowances (bech32).
        owner: String,
        /// Exclusive cursor: the last spender address of the previous page.
        start_after: Option<String>,
        /// Allowances to return: default 10, at most 30.
        limit: Option<u32>,
    },
    /// Allowances `spender` has been granted, by owner (at most 30 per page).
    #[returns(cw20::AllSpenderAllowancesResponse)]
    AllSpenderAllowances {
        /// The address the allowances were granted to (bech32).
        spender: String,
        /// Exclusive cursor: the last owner address of the previous page.
        start_after: Option<String>,
        /// Allowances to return: default 10, at most 30.
        limit: Option<u32>,
    },
    /// Every address with a balance (at most 30 per page).
    #[returns(cw20::AllAccountsResponse)]
    AllAccounts {
        /// Exclusive cursor: the last address of the previous page.
        start_after: Option<String>,
        /// Addresses to return: default 10, at most 30.
        limit: Option<u32>,
    },
    /// Project, description, marketing role and logo kind.
    #[returns(cw20::MarketingInfoResponse)]
    MarketingInfo {},
    /// The embedded logo; an error when there is none (or it is a URL).
    #[returns(cw20::DownloadLogoResponse)]
    DownloadLogo {},

    /// The tier `address` holds now, if any: what the marketplace asks when it matches.
    #[returns(AccessResponse)]
    Access {
        /// The renter's address (bech32).
        address: String,
    },
    /// `address`'s subscription record, active or expired (`None` if it never subscribed).
    #[returns(SubscriptionResponse)]
    Subscription {
        /// The subscriber's address (bech32).
        address: String,
    },
    /// One tier.
    #[returns(Tier)]
    Tier {
        /// The tier's id; an error if no such tier exists.
        id: String,
    },
    /// Tiers by ascending id.
    #[returns(TiersResponse)]
    Tiers {
        /// Exclusive cursor: the last tier id of the previous page.
        start_after: Option<String>,
        /// Tiers to return: default 10, at most 100.
        limit: Option<u32>,
    },
    /// Who manages the tiers.
    #[returns(AdminResponse)]
    Admin {},
    /// Who manages the tiers, and the pending offer of that role, if any.
    #[returns(OwnershipResponse)]
    Ownership {},
}

#[cw_serde]
pub struct MigrateMsg {}

#[cw_serde]
pub struct TiersResponse {
    /// One page of the tiers on sale, by ascending id.
    pub tiers: Vec<Tier>,
}

#[cw_serde]
pub struct AdminResponse {
    /// Manages the tiers (`SetTier`, `RemoveTier`) and may offer that role to another address.
    pub admin: Addr,
}

#[cw_serde]
pub struct SubscriptionInfo {
    /// The id of the tier bought (it may since have been edited or removed).
    pub tier: String,
    /// What was bought, recorded when it was paid for.
    pub benefits: TierBenefits,
    /// Start of the current unbroken term.
    pub since: u64,
    /// End of the term, in seconds since the Unix epoch; active before it.
    pub expires_at: u64,
    /// GRID burned for the current unbroken term.
    pub paid: Uint128,
    /// `block time < expires_at`.
    pub active: bool,
}

#[cw_serde]
pub struct SubscriptionResponse {
    /// The address asked about.
    pub address: Addr,
    /// Its latest subscription, active or expired; `None` if it never subscribed.
    pub subscription: Option<SubscriptionInfo>,
}
