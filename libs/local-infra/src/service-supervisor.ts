import { CONFIG_EXIT_CODE } from '@agentmarket/config';
import type { HeapInfo } from 'node:v8';
import type { ChildRun } from './child-run.ts';
import { probeUntilReady, type ProbeOutcome } from './readiness-probe.ts';
import { DEFAULT_RESTART_POLICY, nextRestartAttempt, restartDelayMs, type RestartPolicy } from './restart-policy.ts';
import type { SupervisionState } from './supervision-state.ts';

/** How a service is supervised, whether it runs as a child process or as a worker thread. */
export interface SupervisionOptions {
  name: string;
  /** Answers 2xx once the service is ready (polled after start). */
  readyUrl?: string;
  readyTimeoutMs?: number;
  /** How to restart the process when it exits without being asked to; `false` leaves it down. Default DEFAULT_RESTART_POLICY. */
  restartPolicy?: RestartPolicy | false;
  /** Asked before every restart: false (the whole stack is stopping) leaves the process down. */
  mayRestart?: () => boolean;
  /** Each change of the supervision state, e.g. to show it in the gateway's /readyz. */
  onSupervisionChange?: (state: SupervisionState) => void;
  /** One line for each unasked exit and each restart. */
  onSupervisorLog?: (line: string) => void;
}

export interface ServiceProcess {
  readonly name: string;
  /** The live child's pid (a thread's: the host's); undefined while none runs. */
  readonly pid: number | undefined;
  readonly supervision: SupervisionState;
  /** SIGTERM (a thread: the same shutdown, asked), then SIGKILL (a thread: terminated) if it has not exited within `graceMs`. It stays down until restart(). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL (a thread: terminated) now: a crash on purpose, for fault tests. It stays down until restart(). */
  kill(): Promise<void>;
  /**
   * Sends `signal` (SIGKILL by default; a thread is terminated whatever the signal) behind the supervisor's back: an unasked
   * exit, which the supervisor restarts after its backoff. Resolves with the
   * killed pid once it has exited (undefined if none was running).
   */
  crash(signal?: NodeJS.Signals): Promise<number | undefined>;
  /** Starts it again with the same settings (stopping the current child first) and waits until ready. */
  restart(): Promise<void>;
  /** Resolves once it is running, including after a supervised restart; rejects if it is stopped or not ready in time. */
  waitUntilReady(): Promise<void>;
  /** The V8 heap of the running service, when it is a thread (its share of the host's memory); undefined otherwise. */
  heapStatistics(): Promise<HeapInfo | undefined>;
}

/** One child of a supervised process, and what the supervisor knows about it. */
interface Run {
  child: ChildRun;
  /** Its exit was asked for (stop, kill, restart): no restart follows. */
  asked: boolean;
  /** An unasked exit is restarted: once a start()/restart() launch is ready, and from the first moment for relaunches. */
  supervised: boolean;
  readyAt: number | undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Supervises one service, each of whose runs `launch` starts (a child process,
 * a worker thread): a run that ends without being asked to (crash, signal,
 * any exit code) is started again after an exponential backoff, until stop()
 * or kill(); one that ends with the configuration-error code is left down.
 */
export class ServiceSupervisor implements ServiceProcess {
  readonly name: string;
  readonly #options: SupervisionOptions;
  readonly #launchRun: () => ChildRun;
  readonly #policy: RestartPolicy | false;
  #run: Run | undefined;
  /** Set by stop() and kill(), cleared by restart(): no restart happens while it is set. */
  #suspended = false;
  #restartTimer: NodeJS.Timeout | undefined;
  #state: SupervisionState = { status: 'starting', pid: undefined, attempt: 0, nextRestartAt: null, lastExit: null, restarts: 0 };
  readonly #stateWatchers = new Set<() => void>();

  constructor(options: SupervisionOptions, launch: () => ChildRun) {
    this.name = options.name;
    this.#launchRun = launch;
    this.#options = options;
    this.#policy = options.restartPolicy ?? DEFAULT_RESTART_POLICY;
  }

  get pid(): number | undefined {
    return this.#run?.child.isAlive() ? this.#run.child.pid : undefined;
  }

  get supervision(): SupervisionState {
    return { ...this.#state };
  }

  async stop(graceMs = 10_000): Promise<void> {
    this.#suspend();
    await this.#run?.child.terminate('SIGTERM', graceMs);
  }

  async kill(): Promise<void> {
    this.#suspend();
    await this.#run?.child.terminate('SIGKILL', 0);
  }

  async crash(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | undefined> {
    const run = this.#run;
    if (!run?.child.isAlive()) return undefined;
    run.child.signal(signal);
    await run.child.exited;
    return run.child.pid;
  }

  async restart(): Promise<void> {
    this.#suspend();
    await this.#run?.child.terminate('SIGTERM', 5000);
    await this.start();
  }

  /** Launches a child and waits until it is ready; an exit before that is reported (thrown), not retried. */
  async start(): Promise<void> {
    this.#suspended = false;
    const run = this.#launch(false);
    this.#setState({ status: 'starting', pid: run.child.pid, attempt: 0, nextRestartAt: null });
    const outcome = await this.#probe(run);
    if (outcome === 'ready') {
      run.readyAt = Date.now();
      run.supervised = true;
      this.#setState({ status: 'running' });
      return;
    }
    if (outcome === 'gone') throw new Error(`${this.name} exited with ${await run.child.exited} while starting`);
    // Not ready in time: a child left running here would be neither usable nor supervised.
    run.asked = true;
    await run.child.terminate('SIGKILL', 0);
    throw new Error(`${this.name} was not ready at ${this.#options.readyUrl} within ${this.#readyTimeoutMs()} ms`);
  }

  async heapStatistics(): Promise<HeapInfo | undefined> {
    const child = this.#run?.child;
    if (!child?.isAlive() || !child.heapStatistics) return undefined;
    // A thread that ends meanwhile has no heap to report.
    return child.heapStatistics().catch(() => undefined);
  }

  waitUntilReady(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => settle(new Error(`${this.name} was not running within ${this.#readyTimeoutMs()} ms`)), this.#readyTimeoutMs());
      const settle = (error?: Error) => {
        clearTimeout(timer);
        this.#stateWatchers.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (this.#state.status === 'running') settle();
        else if (this.#state.status === 'stopped') settle(new Error(`${this.name} is stopped (${this.#state.lastExit ?? 'never started'})`));
      };
      this.#stateWatchers.add(check);
      check();
    });
  }

  #launch(supervised: boolean): Run {
    const run: Run = { child: this.#launchRun(), asked: false, supervised, readyAt: undefined };
    this.#run = run;
    void run.child.exited.then((how) => this.#onExit(run, how));
    return run;
  }

  #onExit(run: Run, how: string): void {
    if (run !== this.#run) return;
    const policy = this.#policy;
    if (policy === false || !run.supervised || run.asked || this.#suspended || !this.#mayRestart()) {
      this.#setState({ status: 'stopped', pid: undefined, nextRestartAt: null, lastExit: how });
      return;
    }
    if (how === `exit code ${CONFIG_EXIT_CODE}`) {
      // Its configuration is wrong (its one line above says what): every restart would fail the same way.
      this.#log(`${this.name} (${run.child.label}) exited with ${how}, a configuration error: not restarting it; fix the setting it names and start again`);
      this.#setState({ status: 'stopped', pid: undefined, nextRestartAt: null, lastExit: how });
      return;
    }
    const now = Date.now();
    const attempt = nextRestartAttempt(policy, this.#state.attempt, run.readyAt === undefined ? undefined : now - run.readyAt);
    const delay = restartDelayMs(policy, attempt);
    this.#log(`${this.name} (${run.child.label}) exited with ${how} without being asked to; restart attempt ${attempt} in ${seconds(delay)}`);
    this.#setState({ status: 'restarting', pid: undefined, attempt, nextRestartAt: now + delay, lastExit: how });
    // Deliberately not unref'd: a launcher whose services are all waiting to restart must not exit.
    this.#restartTimer = setTimeout(() => void this.#relaunch(), delay);
  }

  async #relaunch(): Promise<void> {
    this.#restartTimer = undefined;
    if (this.#suspended || !this.#mayRestart()) {
      this.#setState({ status: 'stopped', nextRestartAt: null });
      return;
    }
    const startedAt = Date.now();
    const run = this.#launch(true);
    const { attempt } = this.#state;
    this.#setState({ status: 'restarting', pid: run.child.pid, nextRestartAt: null, restarts: this.#state.restarts + 1 });
    const outcome = await this.#probe(run);
    if (run !== this.#run || run.asked) return;
    if (outcome === 'ready') {
      run.readyAt = Date.now();
      this.#setState({ status: 'running' });
      this.#log(`${this.name} restarted as ${run.child.label} (attempt ${attempt}), ready after ${seconds(run.readyAt - startedAt)}`);
    } else if (outcome === 'timeout') {
      // A start that hangs is treated as a crash: the exit it causes schedules the next, longer-delayed attempt.
      this.#log(`${this.name} (${run.child.label}) not ready within ${seconds(this.#readyTimeoutMs())} of restart attempt ${attempt}; killing it`);
      run.child.signal('SIGKILL');
    }
    // 'gone': it exited while starting, and #onExit has scheduled the next attempt.
  }

  /** No restart from now on (until restart()), the current child's exit counts as asked for, and a pending restart is dropped. */
  #suspend(): void {
    this.#suspended = true;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    if (this.#run) this.#run.asked = true;
    if (!this.#run?.child.isAlive()) this.#setState({ status: 'stopped', pid: undefined, nextRestartAt: null });
  }

  async #probe(run: Run): Promise<ProbeOutcome> {
    if (!this.#options.readyUrl) return run.child.isAlive() ? 'ready' : 'gone';
    return probeUntilReady(this.#options.readyUrl, this.#readyTimeoutMs(), run.child.gone);
  }

  #mayRestart(): boolean {
    return this.#options.mayRestart?.() ?? true;
  }

  #readyTimeoutMs(): number {
    return this.#options.readyTimeoutMs ?? 30_000;
  }

  #log(line: string): void {
    this.#options.onSupervisorLog?.(line);
  }

  #setState(change: Partial<SupervisionState>): void {
    this.#state = { ...this.#state, ...change };
    this.#options.onSupervisionChange?.({ ...this.#state });
    for (const watcher of [...this.#stateWatchers]) watcher();
  }
}
