import { reactRouter } from '@react-router/dev/vite';
import { defineConfig } from 'vite';

// The Shopify CLI tunnels to this port in dev; elsewhere react-router-serve uses PORT.
const port = Number(process.env.PORT ?? 3000);

export default defineConfig({
  server: {
    host: '127.0.0.1',
    port,
    // App Bridge loads the app inside the admin iframe from the tunnel's host.
    allowedHosts: process.env.SHOPIFY_APP_URL ? [new URL(process.env.SHOPIFY_APP_URL).hostname] : [],
  },
  plugins: [reactRouter()],
  build: { assetsInlineLimit: 0 },
});
