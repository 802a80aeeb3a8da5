/**
 * Fills Node's module compile cache (NODE_COMPILE_CACHE) with the
 * type-stripped form of every TypeScript file the given entries import
 * statically, without running any of them, so that the services started next
 * find every file there and never load Node's TypeScript stripper.
 *
 *   NODE_COMPILE_CACHE=<dir> node libs/local-infra/src/compile-cache-warmup.ts services/<name>/src/main.ts...
 *
 * Every import that is not one of our .ts files resolves to a module with no
 * exports that throws when evaluated. Node reads and strips every module of
 * the graph before it links any, so the strip results are cached; then
 * linking fails on the first named import, and if a graph had none, its
 * first package or built-in would throw before any code of ours ran.
 */
import { flushCompileCache, getCompileCacheDir, registerHooks } from 'node:module';
import { pathToFileURL } from 'node:url';

const NOT_EVALUATED = `data:text/javascript,${encodeURIComponent('throw new Error("compile-cache warm-up: not evaluated");')}`;

const isOurTypeScript = (url: string) => url.startsWith('file:') && url.endsWith('.ts') && !url.includes('/node_modules/');

if (getCompileCacheDir() === undefined) {
  process.stderr.write('compile-cache warm-up: NODE_COMPILE_CACHE is not set (or not usable); nothing to do\n');
} else {
  const hooks = registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      return isOurTypeScript(resolved.url) ? resolved : { url: NOT_EVALUATED, shortCircuit: true };
    },
  });
  for (const entry of process.argv.slice(2)) {
    try {
      await import(pathToFileURL(entry).href);
      process.stderr.write(`compile-cache warm-up: ${entry} linked without error (it imports nothing by name)\n`);
    } catch {
      // The failure arranged above: the graph has been read and stripped, and nothing ran.
    }
  }
  hooks.deregister();
  flushCompileCache();
}
