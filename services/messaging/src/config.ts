import { busSettings, commonSettings, databaseSettings } from '@agentmarket/config';

export const messagingSettings = { ...commonSettings, ...databaseSettings, ...busSettings };
