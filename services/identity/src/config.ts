import { busSettings, commonSettings, databaseSettings } from '@agentmarket/config';

export const identitySettings = { ...commonSettings, ...databaseSettings, ...busSettings };
