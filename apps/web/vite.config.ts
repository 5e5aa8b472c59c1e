// `pnpm dev:web`: Vite with hot reload on :3000, handing the API's paths to the server on :8000
// (`pnpm dev`), so the app calls its own origin as it does when the server serves the build.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const server = process.env.TASKS_SERVER_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  server: { port: 3000, strictPort: true, proxy: { '/trpc': server, '/auth': server } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
});
