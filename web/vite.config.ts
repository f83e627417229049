// Builds the dashboard (index.html) and the local GraphiQL (graphiql.html)
// into web/dist, which the server serves. Relative asset URLs, so that the
// pages work under any prefix; no CDN, everything is bundled.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export default defineConfig({
  root: here('.'),
  base: './',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      input: { index: here('index.html'), graphiql: here('graphiql.html') },
      // GraphiQL's dependencies mark modules "use client" (React server components): nothing to keep in a static page.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
});
