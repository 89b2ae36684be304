#!/usr/bin/env node
// The `ecourt` command. Server code is TypeScript run through tsx's loader (no build step),
// so the same sources run in development, in tests and in production.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly: uWS keeps idle keep-alive connections open for a while after close(),
// and everything that must be flushed was flushed by main() before it returned.
process.exit(code);
