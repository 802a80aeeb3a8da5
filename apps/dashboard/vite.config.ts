import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The gateway serves dist/index.html at `/` and dist/assets/* with immutable caching, on the API's origin.
export default defineConfig({
  root,
  base: '/',
  // Vite 8 transforms with Oxc (its `esbuild` option is deprecated): Preact's automatic JSX runtime, no plugin.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `npm run dev -w @agentmarket/dashboard` against a gateway on :8000 (GATEWAY_URL to change it).
    proxy: { '/api': { target: process.env.GATEWAY_URL ?? 'http://127.0.0.1:8000', changeOrigin: true } },
  },
});
