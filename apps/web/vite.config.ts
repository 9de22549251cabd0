import { defineConfig } from "vite";

// The app reads its chain, contracts and (on local chains only) development keys from
// `config.json` at run time, so one build serves any deployment.
export default defineConfig({
  build: { target: "es2022", chunkSizeWarningLimit: 2048 },
  preview: { host: "127.0.0.1" },
});
