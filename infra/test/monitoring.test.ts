import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { createMetrics } from '@agentmarket/observability';
import { registerHttpMetrics } from '@agentmarket/gateway/http-metrics';
import { PROCESSES } from '../src/service-registry.ts';

// infra/monitoring/ is pasted by operators as it is: Prometheus must accept it (promtool, Debian's
// `prometheus` package, installed by .ci/run), and it must match the code and the deployment files.

const root = new URL('../../', import.meta.url);
const monitoring = fileURLToPath(new URL('infra/monitoring/', root));
const read = (relative: string) => readFileSync(new URL(relative, root), 'utf8');

/** Runs promtool in infra/monitoring/ (rule_files are relative to it); its output when it fails. */
function promtool(...args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: monitoring, encoding: 'utf8' });
  if (result.error) throw new Error(`promtool could not run (${result.error.message}): install Debian's prometheus package, as .ci/run does`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('promtool', () => {
  it('check rules: alerts.yml is valid', () => {
    const result = promtool('check', 'rules', 'alerts.yml');
    expect(result.status, result.output).toBe(0);
  });

  it('check config: prometheus.yml (with its rule files) is valid', () => {
    const result = promtool('check', 'config', 'prometheus.yml');
    expect(result.status, result.output).toBe(0);
  });

  it('test rules: each alert fires on the series it is meant for (alerts.tests.yml)', () => {
    const result = promtool('test', 'rules', 'alerts.tests.yml');
    expect(result.status, result.output).toBe(0);
  });

  it('is the promtool of a Prometheus 2.x, as the rule files are written for', () => {
    expect(execFileSync('promtool', ['--version'], { encoding: 'utf8' })).toMatch(/version 2\./);
  });
});

/** Every metric name a process of ours exports: the shared ones, and the gateway's HTTP and SSE ones. */
async function exportedNames(): Promise<Set<string>> {
  const metrics = createMetrics('names');
  const app = Fastify();
  registerHttpMetrics(app, { registry: metrics.registry, openStreams: () => 0 });
  await app.close();
  const names = new Set<string>(['up']);
  for (const metric of await metrics.registry.getMetricsAsJSON()) {
    names.add(metric.name);
    if (String(metric.type) === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

/** The metric names an expression reads (ours, process_* and up); functions and labels are not names of ours. */
function namesIn(expression: string): string[] {
  return [...expression.matchAll(/\b((?:agentmarket|process|nodejs)_\w+|up)\s*[{[)]/g)].map((match) => match[1] ?? '');
}

interface AlertRule {
  alert: string;
  expr: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; runbook?: string };
}

describe('alerts and dashboard', () => {
  const rules = (parse(read('infra/monitoring/alerts.yml')) as { groups: { rules: AlertRule[] }[] }).groups.flatMap((group) => group.rules);
  const dashboard = JSON.parse(read('infra/monitoring/grafana-dashboard.json')) as {
    __inputs: { name: string }[];
    panels: { id: number; title: string; targets: { expr: string; datasource: { uid: string } }[] }[];
  };

  it('read only metrics the processes export', async () => {
    const names = await exportedNames();
    const expressions = [...rules.map((rule) => rule.expr), ...dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr))];
    const unknown = expressions.flatMap(namesIn).filter((name) => !names.has(name));
    expect(unknown).toEqual([]);
    // The deliverables of the issue are all watched: HTTP, latency, lag, dead letters, outbox, SSE.
    const used = new Set(expressions.flatMap(namesIn));
    for (const name of [
      'agentmarket_http_requests_total',
      'agentmarket_http_request_seconds_bucket',
      'agentmarket_consumer_pending_messages',
      'agentmarket_dead_letter_messages',
      'agentmarket_outbox_backlog',
      'agentmarket_sse_connections',
    ]) {
      expect(used, name).toContain(name);
    }
  });

  it('every alert has a severity, a summary and a runbook section that exists in docs/operators/monitoring.md', () => {
    const guide = read('docs/operators/monitoring.md');
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.runbook, rule.alert).toBe(`docs/operators/monitoring.md#${rule.alert.toLowerCase()}`);
      expect(guide, `a "### ${rule.alert}" section`).toContain(`### ${rule.alert}\n`);
    }
  });

  it('the dashboard is importable: one datasource input, unique panel ids, a query in every panel', () => {
    expect(dashboard.__inputs.map((input) => input.name)).toEqual(['DS_PROMETHEUS']);
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) expect(target.datasource.uid, panel.title).toBe('${DS_PROMETHEUS}');
    }
  });

  it('every metric the guide lists is one the processes export, and every agentmarket_ metric is listed', async () => {
    const names = await exportedNames();
    const listed = new Set([...read('docs/operators/monitoring.md').matchAll(/`(agentmarket_\w+)`/g)].map((match) => match[1] ?? ''));
    expect([...listed].filter((name) => !names.has(name))).toEqual([]);
    const ours = [...names].filter((name) => name.startsWith('agentmarket_') && !/_(bucket|sum|count)$/.test(name));
    expect(ours.filter((name) => !listed.has(name))).toEqual([]);
  });
});

interface ComposeService {
  environment?: Record<string, unknown>;
  volumes?: string[];
  command?: string[];
}
interface ScrapeConfig {
  job_name: string;
  dns_sd_configs?: { names: string[]; port: number }[];
}

describe('scrape targets', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
  const prometheus = parse(read('infra/monitoring/prometheus.yml')) as { scrape_configs: ScrapeConfig[] };

  it('prometheus.yml scrapes every process on the OPS_PORT compose gives it', () => {
    const scraped = new Map<string, number>();
    for (const job of prometheus.scrape_configs) {
      for (const sd of job.dns_sd_configs ?? []) for (const name of sd.names) scraped.set(name, sd.port);
    }
    for (const definition of PROCESSES) {
      const opsPort = Number(compose.services[definition.name]?.environment?.OPS_PORT);
      expect(opsPort, `${definition.name}: OPS_PORT in compose`).toBeGreaterThan(0);
      expect(scraped.get(definition.name), `${definition.name}: scraped on its ops port`).toBe(opsPort);
    }
  });

  it('compose runs Prometheus with these files', () => {
    const service = Object.values(compose.services).find((candidate) => (candidate as { image?: string }).image?.startsWith('prom/prometheus'));
    expect(service, 'a prom/prometheus service').toBeDefined();
    expect(service?.volumes?.some((volume) => volume.startsWith('./infra/monitoring:'))).toBe(true);
  });

  it('the PodMonitor selects every Deployment of infra/k8s and a port each of their containers names', () => {
    const podMonitor = parse(read('infra/monitoring/k8s-podmonitor.yaml')) as {
      spec: { selector: { matchLabels: Record<string, string> }; podMetricsEndpoints: { port: string }[] };
    };
    const port = podMonitor.spec.podMetricsEndpoints[0]?.port;
    const k8s = new URL('infra/k8s/', root);
    const deployments = readdirSync(k8s)
      .filter((file) => /\.ya?ml$/.test(file))
      .flatMap((file) => parseAllDocuments(readFileSync(new URL(file, k8s), 'utf8')).map((document) => document.toJS()))
      .filter((object) => object?.kind === 'Deployment');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual(PROCESSES.map((definition) => definition.name).sort());
    for (const deployment of deployments) {
      const labels = deployment.spec.template.metadata.labels as Record<string, string>;
      for (const [key, value] of Object.entries(podMonitor.spec.selector.matchLabels)) expect(labels[key], deployment.metadata.name).toBe(value);
      const ports = (deployment.spec.template.spec.containers as { ports?: { name: string; containerPort: number }[] }[]).flatMap((c) => c.ports ?? []);
      const ops = ports.find((candidate) => candidate.name === port);
      expect(ops, `${deployment.metadata.name}: a container port named ${port}`).toBeDefined();
      const opsEnv = (deployment.spec.template.spec.containers[0].env as { name: string; value?: string }[]).find((variable) => variable.name === 'OPS_PORT');
      expect(String(ops?.containerPort), `${deployment.metadata.name}: the ops port is OPS_PORT`).toBe(opsEnv?.value);
    }
  });
});
