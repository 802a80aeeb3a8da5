import { busSettings, commonSettings, consumerSettings, databaseSettings } from '@agentmarket/config';

export const messagingSettings = { ...commonSettings, ...databaseSettings, ...busSettings, ...consumerSettings };
