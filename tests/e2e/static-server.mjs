// A plain static file server with no rewrite rules, like a documentation
// host: it serves dist/ under a sub-path to prove the bundle works there.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

export function serveStatic({ root, prefix = '/', port = 0 }) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end('not found');
      return;
    }
    let relative = normalize(path.slice(prefix.length) || '.').replace(/^(\.\.[/\\])+/, '');
    if (relative === '.') relative = 'index.html';
    if (relative.endsWith('/')) relative += 'index.html';
    try {
      const body = await readFile(join(root, relative));
      res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

// `node tests/e2e/static-server.mjs [port] [prefix]` serves dist/ by hand.
if (import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.argv[2] ?? 8080);
  const prefix = process.argv[3] ?? '/';
  await serveStatic({ root: 'dist', prefix, port });
  console.log(`Serving dist/ on http://127.0.0.1:${port}${prefix}`);
}
