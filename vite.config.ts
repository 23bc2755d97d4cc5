import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * renderer/index.html carries the strict production CSP. The dev server needs an inline
 * React-refresh preamble, injected <style> tags and the HMR socket, so only `vite serve`
 * relaxes it. The build output is checked to need none of that.
 */
function devCsp(): Plugin {
  return {
    name: 'relais-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(
        /<meta http-equiv="Content-Security-Policy"[^>]*>/,
        `<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' relais-media: blob: data: http://127.0.0.1:*; media-src 'self' relais-media: blob: http://127.0.0.1:*; connect-src 'self' ws: http://127.0.0.1:* http://localhost:*; frame-src 'self' relais-media: http://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'">`,
      );
    },
  };
}

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs: the same build loads over file://, a custom protocol (Electron) and
  // http://127.0.0.1 (web host).
  base: './',
  plugins: [react(), devCsp()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    // Never inline assets as data: URIs in scripts; keep everything a file under 'self'.
    assetsInlineLimit: 0,
  },
  server: {
    host: '127.0.0.1',
  },
});
