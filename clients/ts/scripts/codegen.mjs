// Generates the typed contract clients in <out> (default src/generated) from the repository's
// schema/ directory. `make ts-codegen` runs it; `make ts-codegen-check` proves the checked-in copy
// is what the schemas give.
import codegenModule from "@cosmwasm/ts-codegen";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const codegen = codegenModule.default ?? codegenModule;
const here = dirname(fileURLToPath(import.meta.url));
const schemaDir = resolve(here, "../../../schema");
const outPath = resolve(here, "..", process.argv[2] ?? "src/generated");

// PascalCase names: `access-token` becomes `AccessToken.client.ts`, `AccessToken.types.ts`.
const pascal = (name) => name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
const contracts = readdirSync(schemaDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .map((name) => ({ name: pascal(name), dir: join(schemaDir, name) }));

// A contract that is gone must not leave its client behind.
rmSync(outPath, { recursive: true, force: true });
await codegen({
  contracts,
  outPath,
  options: {
    bundle: { enabled: true, bundleFile: "index.ts", scope: "contracts" },
    types: { enabled: true },
    // Governance has both an execute and a query named `vote`: the signing client cannot extend
    // the query client, so the two stay apart.
    client: { enabled: true, execExtendsQuery: false },
    messageComposer: { enabled: true },
    reactQuery: { enabled: false },
    recoil: { enabled: false },
  },
});
// The package is ESM: Node resolves relative imports only with their extension.
for (const file of readdirSync(outPath).filter((f) => f.endsWith(".ts"))) {
  const path = join(outPath, file);
  const text = readFileSync(path, "utf8");
  writeFileSync(path, text.replace(/from "(\.\/[^"]+?)(?<!\.js)"/g, 'from "$1.js"'));
}
console.log(`generated ${contracts.length} contract clients in ${outPath}`);
