import { fileURLToPath } from 'node:url';

/**
 * The V8 flags every service process runs with, here (npm start, the tests'
 * stacks, the bench) and in the image (the Dockerfile's NODE_OPTIONS, which a
 * spec holds to this list; compose and k8s run that image unchanged).
 *
 * --max-semi-space-size=2: V8 grows each of the young generation's two
 * semi-spaces to 16 MB (32 MB in the gateway) under load and keeps them, so an
 * idle service held 32–64 MB of young generation for the ~2 MB it uses
 * between requests. At 2 MB the young generation stays at 4–6 MB; requests
 * here allocate little that outlives them, so the extra scavenges promote
 * little and the CPU per lifecycle did not move (docs/architecture.md, "Memory").
 *
 * --expose-gc: for libs/observability's collectWhenIdle, one full collection
 * when a process falls quiet after a burst, so that what the burst left behind
 * is given back instead of staying resident until the next burst.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--expose-gc'];

/**
 * The same young-generation bound for a service run as a worker thread, whose
 * isolate takes it from `resourceLimits.maxYoungGenerationSizeMb` rather
 * than from a process flag. V8 sizes the young generation at three times a
 * semi-space (two semi-spaces and the new large-object space): 2 MB
 * semi-spaces are a 6 MB young generation.
 */
export const SERVICE_YOUNG_GENERATION_MB = youngGenerationMbOf(SERVICE_NODE_FLAGS);

export function youngGenerationMbOf(flags: readonly string[]): number | undefined {
  const semiSpace = flags.map((flag) => /^--max-semi-space-size=(\d+)$/.exec(flag)?.[1]).find((value) => value !== undefined);
  return semiSpace === undefined ? undefined : Number(semiSpace) * 3;
}

/**
 * Where the service processes keep Node's module compile cache (NODE_COMPILE_CACHE):
 * the type-stripped source of each .ts file and its V8 code cache. A process
 * whose every file is found there never loads Node's TypeScript stripper
 * (amaro, a WebAssembly module of ~20 MB resident per process). Inside
 * node_modules, which git and the Docker build context ignore; the image warms
 * the same relative path at build time.
 */
export const COMPILE_CACHE_DIR = fileURLToPath(new URL('../../../node_modules/.cache/node-compile-cache', import.meta.url));

/**
 * The environment every service process starts with unless told otherwise.
 * MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (V8's platform
 * workers, libuv's pool) an arena of its own and keeps what it grew; two
 * are enough for a process whose JavaScript runs on one thread.
 * MALLOC_MMAP_THRESHOLD_=131072: a block of 128 KB or more is mapped on its
 * own and unmapped when freed. glibc's default raises that threshold after
 * each such free, so the next large blocks (scrypt's 16 MB per key hash,
 * socket buffers of a crowd of SSE clients) came from the arenas and stayed
 * resident after the burst; a fixed threshold gives them back.
 */
export const SERVICE_ENV_DEFAULTS: Readonly<Record<string, string>> = {
  NODE_COMPILE_CACHE: COMPILE_CACHE_DIR,
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};
