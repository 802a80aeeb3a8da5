import { readFile, writeFile } from 'node:fs/promises';
import { SETTINGS_TABLE_FILE, renderSettingsTable, withTable } from './settings-table.ts';

// npm run docs:settings: rewrites the generated table in docs/operators/configuration.md.
const document = await readFile(SETTINGS_TABLE_FILE, 'utf8');
const updated = withTable(document, await renderSettingsTable());
await writeFile(SETTINGS_TABLE_FILE, updated);
console.log(updated === document ? 'settings table already current' : `settings table rewritten in ${SETTINGS_TABLE_FILE.pathname}`);
