import { loadProcessSettings } from '@agentmarket/config';
import { runServiceProcess } from '@agentmarket/messaging';
import { catalogModule } from './catalog.module.ts';
import { catalogSettings } from './config.ts';

await runServiceProcess(catalogModule, loadProcessSettings('catalog', catalogSettings));
