import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The built UI ships inside the Python package; the webserver serves index.html for every
// UI route, so asset URLs are relative to the <base href> the server writes into it.
export default defineConfig({
  plugins: [react()],
  base: "./",
  build: {
    outDir: "../src/headwater/webserver/static",
    emptyOutDir: true,
    assetsDir: "_hw",
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: "es" },
  server: {
    proxy: { "/graphql": { target: "http://127.0.0.1:3000", ws: true } },
  },
});
