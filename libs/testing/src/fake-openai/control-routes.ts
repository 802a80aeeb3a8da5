import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseBehaviour, type BehaviourQueue } from './behaviours.ts';
import { invalidRequest, invalidUrl, unparsableJson } from './errors.ts';
import { readBody, sendError, sendJson } from './respond.ts';
import type { FakeBehaviour } from './types.ts';

export const CONTROL_PREFIX = '/_fake/';

/** What the control routes need from the running fake. */
export interface ControlTarget {
  behaviours: BehaviourQueue;
  stats(): FakeStats;
  reset(): void;
}

/** The figures GET /_fake/stats reports. */
export interface FakeStats {
  requests: number;
  max_concurrent: number;
  queue: number;
  in_flight: number;
}

type Parsed<T> = { value: T } | { problem: string; param: string };

function parseControlBody(body: unknown): Parsed<{ queue: FakeBehaviour[]; default?: FakeBehaviour }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { problem: 'expected {queue?: FakeBehaviour[], default?: FakeBehaviour}', param: 'body' };
  const fields = body as Record<string, unknown>;
  const queueInput = fields['queue'] ?? [];
  if (!Array.isArray(queueInput)) return { problem: 'queue must be an array of behaviours', param: 'queue' };
  const queue: FakeBehaviour[] = [];
  for (const [index, item] of queueInput.entries()) {
    const parsed = parseBehaviour(item);
    if ('problem' in parsed) return { problem: parsed.problem, param: `queue[${index}]` };
    queue.push(parsed.behaviour);
  }
  if (fields['default'] === undefined) return { value: { queue } };
  const parsedDefault = parseBehaviour(fields['default']);
  if ('problem' in parsedDefault) return { problem: parsedDefault.problem, param: 'default' };
  return { value: { queue, default: parsedDefault.behaviour } };
}

async function setBehaviours(req: IncomingMessage, res: ServerResponse, target: ControlTarget): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch {
    sendError(res, unparsableJson());
    return;
  }
  const parsed = parseControlBody(body);
  if ('problem' in parsed) {
    sendError(res, invalidRequest(parsed.problem, parsed.param));
    return;
  }
  // The queue is appended to, like enqueue(); POST /_fake/reset empties it.
  target.behaviours.enqueue(parsed.value.queue);
  if (parsed.value.default) target.behaviours.setDefault(parsed.value.default);
  sendJson(res, 200, { queue: target.behaviours.length, default: target.behaviours.default });
}

/** Serves POST /_fake/behaviours, GET /_fake/stats and POST /_fake/reset, so a demo can steer the fake with curl. */
export async function handleControl(req: IncomingMessage, res: ServerResponse, path: string, target: ControlTarget): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path}`;
  if (route === `POST ${CONTROL_PREFIX}behaviours`) return setBehaviours(req, res, target);
  if (route === `GET ${CONTROL_PREFIX}stats`) return sendJson(res, 200, target.stats());
  if (route === `POST ${CONTROL_PREFIX}reset`) {
    target.reset();
    return sendJson(res, 200, target.stats());
  }
  sendError(res, invalidUrl(req.method ?? 'GET', path));
}
