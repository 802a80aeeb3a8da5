import { apiGet } from '../api/client.ts';
import type { SystemView } from '../api/types.ts';
import { Panel, Status } from '../ui/panel.tsx';
import { useLiveResource } from '../ui/use-live-resource.ts';

function Check(props: { name: string; ok: boolean; detail: string; testId: string }) {
  return (
    <li class={`check ${props.ok ? 'check-ok' : 'check-bad'}`} data-testid={props.testId} data-ok={String(props.ok)}>
      <span class="check-mark" aria-hidden="true">
        {props.ok ? '●' : '▲'}
      </span>
      <span class="check-name">{props.name}</span>
      <span class="check-detail">{props.detail}</span>
    </li>
  );
}

function executorLine(system: SystemView): { ok: boolean; detail: string } {
  const executor = system.executor;
  if (!executor) return { ok: false, detail: 'no answer' };
  if (!executor.model_configured) return { ok: false, detail: 'no model configured: hosted services cannot be hired' };
  const circuit = executor.circuit === 'closed' ? 'model ready' : `circuit ${executor.circuit.replace('_', '-')}`;
  return { ok: executor.circuit === 'closed', detail: executor.base_url ? `${circuit} · ${executor.base_url}` : circuit };
}

/** Why a service is not ready, in the states /api/system reports (it never carries error texts). */
function serviceTrouble(service: SystemView['services'][string]): string {
  if (service.state === 'restarting') return 'restarting';
  if (service.state === 'down') return 'not answering';
  return `database ${service.database ?? 'unknown'}`;
}

/** GET /api/system: each service's readiness and database, the bus, the executor's model. */
export function HealthPanel() {
  const system = useLiveResource('system', (signal) => apiGet<SystemView>('/api/system', undefined, signal), { pollMs: 10_000 });
  const data = system.data;
  const executor = data ? executorLine(data) : undefined;
  return (
    <Panel
      id="health"
      title="System health"
      actions={data ? <span class={`pill ${data.status === 'ready' ? 'pill-ok' : 'pill-bad'}`} data-testid="system-status">{data.status === 'ready' ? 'All ready' : 'Not ready'}</span> : null}
    >
      <Status loading={system.loading} error={system.error} hasData={!!data} />
      {data ? (
        <ul class="checks">
          <Check name="bus (NATS)" ok={data.bus === 'ok'} detail={data.bus} testId="health-bus" />
          {Object.entries(data.services).map(([name, service]) => (
            <Check
              key={name}
              name={name}
              ok={service.ready}
              detail={service.ready ? (service.database ? `ready · database ${service.database}` : 'ready') : serviceTrouble(service)}
              testId={`health-${name}`}
            />
          ))}
          {executor ? <Check name="executor model" ok={executor.ok} detail={executor.detail} testId="health-model" /> : null}
        </ul>
      ) : null}
    </Panel>
  );
}
