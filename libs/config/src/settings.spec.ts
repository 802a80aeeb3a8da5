import { describe, expect, it } from 'vitest';
import { ConfigError, int, loadSettings, oneOf, str, url } from './settings.ts';

const spec = {
  PORT: int('port', 8000, { min: 1, max: 65535 }),
  MODE: oneOf('mode', ['a', 'b'], 'a'),
  NAME: str('required name'),
  BUS: url('bus', 'nats://127.0.0.1:4222'),
};

describe('loadSettings', () => {
  it('applies defaults and parses values', () => {
    expect(loadSettings(spec, { NAME: 'x', PORT: '9000', BUS: 'nats://a:1,nats://b:2' })).toEqual({
      PORT: 9000,
      MODE: 'a',
      NAME: 'x',
      BUS: 'nats://a:1,nats://b:2',
    });
  });

  it('names every bad or missing variable at once', () => {
    try {
      loadSettings(spec, { PORT: '70000', MODE: 'c', BUS: 'not a url' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'MODE', 'NAME', 'BUS']) expect(problems).toContain(name);
    }
  });
});
