import { describe, expect, it } from 'vitest';
import { AppError } from '@agentmarket/contracts';
import { checkA2aUrl } from './a2a-endpoint.ts';

const production = { allowPrivateNetworks: false };
const development = { allowPrivateNetworks: true };
const resolvesTo = (address: string) => async () => [{ address, family: address.includes(':') ? 6 : 4 }];

describe('checkA2aUrl', () => {
  it.each(['https://127.0.0.1/a2a', 'https://10.1.2.3/a2a', 'https://[::1]/a2a', 'https://169.254.169.254/', 'http://93.184.216.34/a2a'])(
    'refuses %s in production with validation_failed naming a2a_url',
    async (url) => {
      const refusal = await checkA2aUrl(url, production).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(AppError);
      expect(refusal).toMatchObject({ code: 'validation_failed', details: { a2a_url: expect.any(String) } });
      expect((refusal as AppError).message).toMatch(/^a2a_url /);
    },
  );

  it('refuses a name that resolves to a private address', async () => {
    await expect(checkA2aUrl('https://seller.example/a2a', production, resolvesTo('192.168.1.5'))).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('accepts a public https endpoint, and loopback over http in development', async () => {
    expect(await checkA2aUrl('https://seller.example/a2a', production, resolvesTo('93.184.216.34'))).toBe('https://seller.example/a2a');
    expect(await checkA2aUrl('http://127.0.0.1:4100/', development)).toBe('http://127.0.0.1:4100/');
  });

  it('passes null (clearing the endpoint) without a lookup', async () => {
    expect(await checkA2aUrl(null, production)).toBeNull();
  });
});
