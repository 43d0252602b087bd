// A quick check, run in the Python worker, that the page may compile WebAssembly.
//
// A Content-Security-Policy without 'wasm-unsafe-eval' forbids it. Pyodide only logs
// that failure and then waits, so without this check the reader would wait for the
// download's stall timeout and then read a message about the connection.

// The smallest valid WebAssembly module: the magic number "\0asm" and version 1.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/** A Content-Security-Policy forbids compiling WebAssembly here. */
export class WebAssemblyBlockedError extends Error {}

/** Resolves when WebAssembly compiles, and rejects with WebAssemblyBlockedError when it does not. */
export async function checkWebAssemblyAllowed() {
  try {
    await WebAssembly.compile(EMPTY_MODULE);
  } catch (error) {
    throw new WebAssemblyBlockedError(`compiling an empty WebAssembly module failed: ${error.message}`);
  }
}
