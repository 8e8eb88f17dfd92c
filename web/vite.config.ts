import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The config is loaded from the repository root (`vite build --config web/vite.config.ts`),
// so the root is pinned to this folder instead of the working directory.
const webRoot = fileURLToPath(new URL('.', import.meta.url));
const serverRoot = fileURLToPath(new URL('../src', import.meta.url));

/**
 * The pages take the API's types from the server's schemas (`import type … from '@server/…'`,
 * erased before bundling; the alias mirrors web/tsconfig.json). A value import would carry
 * server code and TypeBox into the browser: the build refuses it.
 */
function serverTypesOnly(): Plugin {
  return {
    name: 'mustanswer:server-types-only',
    load(id) {
      if (id.startsWith(serverRoot)) {
        this.error(`${id}: the web app imports only types from the server (use \`import type\`)`);
      }
      return null;
    },
  };
}

export default defineConfig({
  root: webRoot,
  plugins: [react(), serverTypesOnly()],
  resolve: { alias: { '@server': serverRoot } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd alone is larger than Vite's default 500 kB warning; the app is one internal tool,
    // so a single vendor bundle is acceptable.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
    },
  },
});
