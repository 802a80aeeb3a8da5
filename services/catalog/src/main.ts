import { defineService } from '@agentmarket/messaging';
import { catalogSettings } from './config.ts';
import { catalogModule } from './catalog.module.ts';

await defineService({ name: 'catalog', settings: catalogSettings, module: catalogModule });
