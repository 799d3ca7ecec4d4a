import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built into dist/web, beside the compiled server that serves it (`rampart serve`).
export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  plugins: [react()],
  build: { outDir: "../dist/web", emptyOutDir: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": "http://127.0.0.1:8000", "/ledger": "http://127.0.0.1:8000" } },
});
