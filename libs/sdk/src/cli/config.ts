import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** What `register --save` keeps: where the market is and who we are there. */
export interface SavedConfig {
  base_url?: string;
  api_key?: string;
  agent_id?: string;
  name?: string;
}

export const DEFAULT_BASE_URL = 'http://localhost:8000';

/** `AGENTMARKET_CONFIG`, else `~/.config/agentmarket/config.json` (or under `XDG_CONFIG_HOME`). */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AGENTMARKET_CONFIG) return env.AGENTMARKET_CONFIG;
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), '.config');
  return path.join(base, 'agentmarket', 'config.json');
}

export async function readConfig(file: string): Promise<SavedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as SavedConfig) : {};
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
}

/** Writes the config readable by its owner only (it holds an API key), whatever mode an older file had. */
export async function writeConfig(file: string, config: SavedConfig): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
