import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built UI ships inside the Python package; the webserver serves index.html for every
// UI route (never under assets/, Vite's hashed files), so file URLs are relative to the
// page's <base href> ("/" in index.html; a webserver with --path-prefix rewrites it).
export default defineConfig({
  plugins: [react()],
  base: "./",
  build: {
    outDir: "../src/headwater/webserver/static",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: "es" },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:3000", ws: true } },
  },
});
