import { describe, expect, it } from 'vitest';
import { ConfigError } from '@reg/core';
import { OptionReader } from '@reg/core/options';

const context = { client: 'Fast', path: 'clients[2].options' };

function problems(read: (options: OptionReader) => void, raw: Record<string, unknown>): string[] {
  const options = new OptionReader(raw, context);
  read(options);
  return options.issues.map((issue) => `${issue.path}: ${issue.message}`);
}

describe('OptionReader', () => {
  it('reads each kind of value, and names every problem with its path and what was expected', () => {
    expect(
      problems(
        (options) => {
          options.string('model', { required: true });
          options.string('base_url', { url: true });
          options.string('api_key', { secret: true });
          options.number('temperature', { min: 0, max: 2 });
          options.number('max_tokens', { integer: true, min: 1 });
          options.number('cooldown_ms', { min: 0, exclusiveMin: true });
          options.boolean('stream');
          options.oneOf('detail', ['low', 'high']);
          options.strings('stop', { orOne: true });
          options.strings('stop_sequences');
          options.stringMap('headers', 'header names');
          options.record('thinking', "{ type: 'enabled' }");
          options.list('safety_settings');
          options.callable('token_provider', 'a function returning a token');
        },
        {
          base_url: 'ftp://example.com',
          api_key: 42,
          temperature: 3,
          max_tokens: 1.5,
          cooldown_ms: 0,
          stream: 'yes',
          detail: 'medium',
          stop: 7,
          stop_sequences: 'END',
          headers: { 'x-a': { nested: true } },
          thinking: 'on',
          safety_settings: {},
          token_provider: 'abc',
        },
      ),
    ).toEqual([
      'clients[2].options.model: is required',
      'clients[2].options.base_url: must be an http(s) URL, not "ftp://example.com"',
      'clients[2].options.api_key: must be a non-empty string',
      'clients[2].options.temperature: must be at most 2, not 3',
      'clients[2].options.max_tokens: must be a whole number, not 1.5',
      'clients[2].options.cooldown_ms: must be greater than 0, not 0',
      'clients[2].options.stream: must be true or false, not "yes"',
      "clients[2].options.detail: must be one of 'low', 'high', not \"medium\"",
      'clients[2].options.stop: must be a string or a list of strings, not 7',
      'clients[2].options.stop_sequences: must be a list of strings, not "END"',
      'clients[2].options.headers.x-a: must be a string, not {"nested":true}',
      "clients[2].options.thinking: must be an object such as { type: 'enabled' }, not \"on\"",
      'clients[2].options.safety_settings: must be a list, not {}',
      'clients[2].options.token_provider: must be a function returning a token, not "abc"',
    ]);
  });

  it('takes the first spelling present, and reports under the spelling used', () => {
    const options = new OptionReader({ generation_config: 'x' }, context);
    expect(options.record(['generationConfig', 'generation_config'])).toBeUndefined();
    expect(options.issues).toEqual([{ path: 'clients[2].options.generation_config', message: 'must be an object, not "x"' }]);
  });

  it('hands on what nobody read (pass-through), or refuses it', () => {
    const options = new OptionReader({ model: 'm', frequency_penalty: 0.5, user: 'u-1', nothing: undefined }, context);
    options.string('model');
    expect(options.rest()).toEqual({ frequency_penalty: 0.5, user: 'u-1' });
    options.rejectUnknown(['model', 'temperature']);
    expect(options.issues.map((issue) => issue.path)).toEqual(['clients[2].options.frequency_penalty', 'clients[2].options.user']);
    expect(options.issues[0]!.message).toBe('is not a known option (known: model, temperature)');
  });

  it('throws one ConfigError that names the client', () => {
    const options = new OptionReader({ temperature: 'hot' }, context);
    options.number('temperature');
    expect(() => options.done()).toThrow(ConfigError);
    expect(() => options.done()).toThrow("Invalid reg configuration of client 'Fast':\n  - clients[2].options.temperature: must be a number, not \"hot\"");
    expect(() => new OptionReader({ temperature: 1 }, context).done()).not.toThrow();
  });
});
