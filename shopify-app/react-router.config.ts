import type { Config } from '@react-router/dev/config';

export default {
  appDirectory: 'app',
  ssr: true,
  // A test may build into its own folder (test/support/shopify-install.ts) while another serves build/.
  buildDirectory: process.env.EXPEDIO_APP_BUILD_DIR ?? 'build',
} satisfies Config;
