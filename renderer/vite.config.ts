// Builds the renderer (React + xterm.js) into out/renderer with relative asset paths, so the same
// files load from Electron and from browser mode's HTTP server. Vite runs this file in Node and
// fills in import.meta.dirname, so no Node import is needed here.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = import.meta.dirname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  build: {
    outDir: `${here}/../out/renderer`,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // xterm.js alone is ~400 kB; one chunk for a local desktop UI is fine.
    chunkSizeWarningLimit: 1500,
    // No inline scripts and no module-preload polyfill, so the strict CSP holds.
    modulePreload: { polyfill: false },
  },
});
