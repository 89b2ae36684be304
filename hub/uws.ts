// Loads the NATIVE uWebSockets.js binary for this platform and Node ABI, or fails the start.
// The npm package quietly falls back to a slow ws-based shim when its binary fails to load; we never want that.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as UwsModule from 'uWebSockets.js';

export type Uws = typeof UwsModule;

export class NativeUwsUnavailableError extends Error {
  constructor(binary: string, options?: { cause?: unknown }) {
    super(
      `uWebSockets.js native binary could not be loaded (${binary}). ` +
        `This build needs Node 20 (ABI 115) on linux/darwin x64/arm64; refusing to run on the slow JavaScript fallback.`,
      options,
    );
    this.name = 'NativeUwsUnavailableError';
  }
}

let loaded: Uws | undefined;

export function loadNativeUws(): Uws {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('uWebSockets.js/package.json'));
  const binary = join(
    packageDir,
    'binaries',
    `uws_${process.platform}_${process.arch}_${process.versions.modules}.node`,
  );
  let native: Uws;
  try {
    native = require(binary) as Uws;
  } catch (error) {
    throw new NativeUwsUnavailableError(binary, { cause: error });
  }
  // Only the native addon has getParts (the JS shim exports App and the socket helpers alone).
  if (typeof native.App !== 'function' || typeof native.getParts !== 'function') {
    throw new NativeUwsUnavailableError(binary);
  }
  loaded = native;
  return native;
}
