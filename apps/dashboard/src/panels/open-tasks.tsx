import { useEffect, useState } from 'preact/hooks';
import { apiGet, withQuery } from '../api/client.ts';
import type { Page, TaskView } from '../api/types.ts';
import { useApp } from '../app-context.ts';
import { useFeed } from '../feed/use-feed.ts';
import { formatTimeLeft, formatUsd } from '../format.ts';
import { credentialsOf, ownIdOf } from '../session/session.ts';
import { asksFor, openTaskOfView, openTasksFromFeed, type OpenTask } from '../tasks/open-tasks.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';
import { TaskBids } from './task-bids.tsx';

const TASK_EVENTS = new Set(['task_posted', 'task_expired', 'bid_placed', 'bid_withdrawn', 'bid_accepted', 'bid_rejected']);
/** "closes in …" is re-read at this pace. */
const CLOCK_TICK_MS = 15_000;

function budget(task: OpenTask): string {
  return task.budgetUsd !== null ? formatUsd(task.budgetUsd) : `${(task.budgetSats ?? 0).toLocaleString('en-US')} sats`;
}

/** The time now, read at every render (data arrives between ticks), with a render at least every tick. */
function useNow(): number {
  const [, setTicks] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTicks((count) => count + 1), CLOCK_TICK_MS);
    return () => window.clearInterval(timer);
  }, []);
  return Date.now();
}

function TaskRow(props: { task: OpenTask; now: number; mine: boolean; expandable: boolean }) {
  const { task } = props;
  const [expanded, setExpanded] = useState(false);
  const bidsId = `task-bids-${task.taskId}`;
  return (
    <>
      <tr data-testid="open-task" data-task-id={task.taskId} data-bid-count={task.bidCount ?? ''}>
        <th scope="row" class="task-title">
          {task.title}
          {props.mine ? <span class="pill">yours</span> : null}
        </th>
        <td class="num">{budget(task)}</td>
        <td>
          <ul class="tags" aria-label="Capabilities">
            {task.capabilities.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </td>
        <td>{task.closesAt ? <time dateTime={task.closesAt}>{formatTimeLeft(task.closesAt, props.now)}</time> : '–'}</td>
        <td class="num" data-testid="open-task-bids">
          {props.expandable ? (
            <button type="button" class="link-button" aria-expanded={expanded} aria-controls={bidsId} aria-label={`Bids on ${task.title}: ${task.bidCount ?? 'unknown'}`} onClick={() => setExpanded(!expanded)}>
              {task.bidCount ?? '–'} <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
            </button>
          ) : (
            (task.bidCount ?? <span title="Bids are private to the poster and the bidders: sign in">–</span>)
          )}
        </td>
      </tr>
      {props.expandable && expanded ? (
        <tr id={bidsId} class="task-bids-row">
          <td colSpan={5}>
            <TaskBids taskId={task.taskId} title={task.title} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function TasksTable(props: { tasks: OpenTask[]; now: number; ownId: string | undefined; expandable: boolean }) {
  return (
    <div class="table-scroll" tabIndex={0} role="region" aria-label="Open tasks table">
      <table data-testid="open-tasks-table">
        <caption class="visually-hidden">Tasks open for bids, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col" class="num">Budget</th>
            <th scope="col">Capabilities</th>
            <th scope="col">Closes</th>
            <th scope="col" class="num">Bids</th>
          </tr>
        </thead>
        <tbody>
          {props.tasks.map((task) => (
            <TaskRow key={task.taskId} task={task} now={props.now} mine={task.posterId !== undefined && task.posterId === props.ownId} expandable={props.expandable} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A signed-in party reads GET /api/tasks (with bid counts) and may expand a task into its bids. */
function ListedTasks(props: { capability: string }) {
  const now = useNow();
  const { session, feed } = useApp();
  const ownId = ownIdOf(session);
  const feedView = useFeed(feed);
  const tasks = useLiveResource(
    `open-tasks:${ownId}:${props.capability}`,
    (signal) => apiGet<Page<TaskView>>(withQuery('/api/tasks', { status: 'open', capability: props.capability, limit: 20 }), credentialsOf(session), signal),
    { pollMs: 30_000, minIntervalMs: 1000, refreshOn: (item) => TASK_EVENTS.has(item.type) },
  );
  // The list does not name posters; the public announcements in the feed do, for the tasks they cover.
  const posters = new Map(openTasksFromFeed(feedView.items, 0).map((task) => [task.taskId, task.posterId]));
  const rows = (tasks.data?.data ?? []).map((view) => ({ ...openTaskOfView(view), posterId: posters.get(view.task_id) }));
  return (
    <>
      <Status loading={tasks.loading} error={tasks.error} hasData={rows.length > 0} empty="No task is open for bids." />
      {rows.length > 0 ? <TasksTable tasks={rows} now={now} ownId={ownId} expandable /> : null}
    </>
  );
}

/** An anonymous viewer may not list tasks: it sees those the public feed announced and has not seen close. */
function AnnouncedTasks(props: { capability: string }) {
  const now = useNow();
  const { feed } = useApp();
  const feedView = useFeed(feed);
  const rows = openTasksFromFeed(feedView.items, now).filter((task) => asksFor(task, props.capability));
  return (
    <>
      <p class="muted small">Tasks announced since the feed's history began; sign in for the full list and bid counts.</p>
      <Status hasData={rows.length > 0} empty="No open task announced yet." />
      {rows.length > 0 ? <TasksTable tasks={rows} now={now} ownId={undefined} expandable={false} /> : null}
    </>
  );
}

/** Bidding tasks that are open: title, budget, capabilities, time left, bids; the poster expands a task into its scored bids. */
export function OpenTasks() {
  const { session } = useApp();
  const [draft, setDraft] = useState('');
  const [capability, setCapability] = useState('');
  return (
    <Panel id="open-tasks" title="Open tasks" class="panel-wide">
      <form
        class="filters"
        role="search"
        aria-label="Filter open tasks"
        onSubmit={(event) => {
          event.preventDefault();
          setCapability(draft.trim());
        }}
      >
        <label>
          Capability
          <input type="text" name="capability" placeholder="e.g. translation" maxLength={64} value={draft} onInput={(event) => setDraft(event.currentTarget.value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {session ? <ListedTasks capability={capability} /> : <AnnouncedTasks capability={capability} />}
    </Panel>
  );
}
