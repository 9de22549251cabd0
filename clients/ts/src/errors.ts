// Typed errors. CosmJS reports every failure as a plain `Error` whose message is whatever the node
// said; dApps need to tell "the contract refused this" (show the contract's reason, nothing was
// spent but gas) from "the node is unreachable" (retry) from "the output does not match" (dispute).

/** Base class: every error this package throws is a `GridShareError`. */
export class GridShareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A contract refused a message or a query; `reason` is the contract's own error text. */
export class ContractError extends GridShareError {
  constructor(
    /** Which GridShare contract (`marketplace`, `governance`, ...), or the address if unknown. */
    readonly contract: string,
    readonly contractAddress: string,
    readonly operation: "execute" | "query",
    /** The contract's `ContractError` message, e.g. `order 7 not found`. */
    readonly reason: string,
    /** For a transaction of several messages: which one failed. */
    readonly messageIndex: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`${contract} ${operation}: ${reason}`, options);
  }
}

/** The account cannot pay: the funds attached to a message, or the fee. */
export class InsufficientFundsError extends GridShareError {
  constructor(
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`insufficient funds: ${detail}`, options);
  }
}

/** The transaction ran out of the gas it was given (raise `gasMultiplier`). */
export class OutOfGasError extends GridShareError {}

/** The chain rejected or failed a transaction for a reason that is not the contract's. */
export class TxError extends GridShareError {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly txHash: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The node could not be reached or answered with something that is not a chain response. */
export class NetworkError extends GridShareError {}

/** A signing operation on a client connected without a signer. */
export class ReadOnlyError extends GridShareError {
  constructor(operation: string) {
    super(`${operation} needs a signer: connect with GridShare.connect(signer, ...)`);
  }
}

/** A request that cannot be sent as given (the budget overflows, a field is out of range). */
export class InvalidRequestError extends GridShareError {}

/** An order did not reach what was waited for in time. */
export class FollowTimeoutError extends GridShareError {
  constructor(
    readonly orderId: number,
    readonly waitedMs: number,
    readonly status: string,
  ) {
    super(`order ${orderId}: nothing final after ${(waitedMs / 1000).toFixed(1)} s (${status})`);
  }
}

/** An order ended without a result that can be fetched. */
export class NoResultError extends GridShareError {
  constructor(
    readonly orderId: number,
    readonly status: string,
  ) {
    super(`order ${orderId} has no accepted result (${status})`);
  }
}

/** A result's output could not be downloaded. */
export class OutputFetchError extends GridShareError {
  constructor(
    readonly url: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`downloading ${url}: ${reason}`, options);
  }
}

/** A downloaded output does not hash to what the provider revealed on chain: grounds to dispute. */
export class OutputHashMismatchError extends GridShareError {
  constructor(
    readonly url: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`the output from ${url} hashes to ${actual}, but the chain commits to ${expected}`);
  }
}

const EXECUTE_FAILED = /message index: (\d+): ([\s\S]*?): execute wasm contract failed/;
// Through a gRPC gateway the reason follows "desc = "; straight from CometBFT's abci_query it follows
// "Query failed with (code): ".
const QUERY_FAILED = [/desc = ([\s\S]*?): query wasm contract failed/, /Query failed with \(\d+\): ([\s\S]*?): query wasm contract failed/];
const INSUFFICIENT = /(spendable balance [\s\S]*?is smaller than [^:\s]+|insufficient funds[^:]*)/i;
const OUT_OF_GAS = /out of gas/i;
const BROADCAST = /Broadcasting transaction failed with code (\d+)/;
const TX_HASH = /\b([0-9A-F]{64})\b/;
const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|fetch failed|socket hang up|Bad status on response|Timed out waiting for tx/i;

/** Which contract an address is, for error messages. */
export type ContractNames = ReadonlyMap<string, string>;

/**
 * Turns whatever CosmJS threw into a typed error. `contractAddresses` lists, in message order, the
 * contracts the transaction (or query) addressed, so a failure names the right one.
 */
export function toGridShareError(
  error: unknown,
  operation: "execute" | "query",
  contractAddresses: readonly string[],
  names: ContractNames,
): GridShareError {
  if (error instanceof GridShareError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const named = (index: number) => {
    const address = contractAddresses[index] ?? contractAddresses[0] ?? "";
    return { address, name: names.get(address) ?? (address || "contract") };
  };
  const executed = EXECUTE_FAILED.exec(message);
  if (executed) {
    const index = Number(executed[1]);
    const { address, name } = named(index);
    return new ContractError(name, address, "execute", clean(executed[2]), index, { cause: error });
  }
  const queried = QUERY_FAILED.map((pattern) => pattern.exec(message)).find((m) => m !== null);
  if (queried) {
    const { address, name } = named(0);
    return new ContractError(name, address, "query", clean(queried[1]), undefined, { cause: error });
  }
  if (OUT_OF_GAS.test(message)) return new OutOfGasError(message, { cause: error });
  const poor = INSUFFICIENT.exec(message);
  if (poor) return new InsufficientFundsError(poor[1], { cause: error });
  const broadcast = BROADCAST.exec(message);
  if (broadcast) {
    return new TxError(message, Number(broadcast[1]), TX_HASH.exec(message)?.[1], { cause: error });
  }
  if (NETWORK.test(message) || NETWORK.test(String((error as { cause?: unknown })?.cause ?? ""))) {
    return new NetworkError(message, { cause: error });
  }
  return new TxError(message, undefined, undefined, { cause: error });
}

// wasmd wraps the contract's text in "Generic error: " (StdError) or the codespace; keep the words a
// person wrote, not the plumbing.
function clean(reason: string): string {
  return reason.replace(/^(Generic error: |Error parsing into type [^:]+: )/, "").trim();
}
