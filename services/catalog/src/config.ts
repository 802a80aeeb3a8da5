import { busSettings, commonSettings, databaseSettings } from '@agentmarket/config';

export const catalogSettings = { ...commonSettings, ...databaseSettings, ...busSettings };
