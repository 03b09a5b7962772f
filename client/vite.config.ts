import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialJsBudget } from './build/initial-js-budget.ts';
import { UI_BASE } from './src/router/routes.ts';

// Where `npm run dev` runs the API; the dev server forwards API paths there so the UI is same-origin.
const API = 'http://localhost:4000';

export default defineConfig({
  root: import.meta.dirname,
  base: UI_BASE,
  plugins: [react(), initialJsBudget({ budgetKb: 300 })],
  // Vite puts this into nonce attributes and a <meta property="csp-nonce">; the server replaces it
  // with a fresh nonce in each copy of index.html (server/http/static-ui.ts), and main.tsx hands
  // the meta's nonce to Mantine for the <style> elements it writes.
  html: { cspNonce: 'CSP_NONCE' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The shell's chunk holds React, Mantine and urql. What matters is the gzipped initial JS,
    // which initialJsBudget checks; Vite's raw-size warning would only repeat it with less precision.
    chunkSizeWarningLimit: 800,
  },
  server: {
    proxy: {
      '/graphql': { target: API, ws: true },
      '/auth': API,
      '/openapi.json': API,
      '/healthz': API,
    },
  },
});
