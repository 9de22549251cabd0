// Reading what a contract said in a transaction: the `wasm` event attributes it added.

import type { ExecuteResult } from "@cosmjs/cosmwasm-stargate";
import { TxError } from "./errors.js";

/** Values of a `wasm` attribute `key` in the result, optionally only those `contract` emitted. */
export function wasmAttributes(result: Pick<ExecuteResult, "events">, key: string, contract?: string): string[] {
  const values: string[] = [];
  for (const event of result.events) {
    if (event.type !== "wasm") continue;
    const emitter = event.attributes.find((a) => a.key === "_contract_address")?.value;
    if (contract !== undefined && emitter !== contract) continue;
    for (const attribute of event.attributes) {
      if (attribute.key === key) values.push(attribute.value);
    }
  }
  return values;
}

/** The first `wasm` attribute `key` as an integer id; a transaction without it is an error. */
export function wasmId(result: ExecuteResult, key: string, contract?: string): number {
  const value = wasmAttributes(result, key, contract)[0];
  const id = value === undefined ? NaN : Number(value);
  if (!Number.isSafeInteger(id)) {
    throw new TxError(`transaction ${result.transactionHash} carried no wasm.${key}`, undefined, result.transactionHash);
  }
  return id;
}
