import { busSettings, commonSettings, consumerSettings, databaseSettings } from '@agentmarket/config';

export const catalogSettings = { ...commonSettings, ...databaseSettings, ...busSettings, ...consumerSettings };
