import { createServer, connect, type AddressInfo } from 'node:net';
import { RegError, TimeoutError } from '@reg/core';
import { ConnectDeadlineExceeded, errorChain } from '@reg/provider-utils';
import { startBlackhole } from '@reg/testkit';
import { buildModel, callOptions, collect, failure, useEmulator, user } from '@reg/testkit/vitest';
import { describe, expect, test } from 'vitest';
import { awsBedrock } from '../src/index.js';
import { emulatorOptions, uniqueModel } from './bedrock-emulator.js';

const emulator = useEmulator();
const hello = user('Hello');

describe('the HTTP/2 handler', () => {
  test('generate and stream calls share one kept-alive connection', async () => {
    const model = uniqueModel('stream-session');
    // Counts TCP connections on their way to the emulator.
    let connections = 0;
    const proxy = createServer((socket) => {
      connections++;
      const upstream = connect(emulator.current.port, '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const chat = buildModel(awsBedrock, emulatorOptions(emulator.current, model, { endpoint_url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }));
      await chat.doGenerate(hello, callOptions());
      await collect(chat.doStream(hello, callOptions()));
      await collect(chat.doStream(hello, callOptions()));
      await chat.doGenerate(hello, callOptions());
      expect(emulator.current.requests({ model }).map((request) => request.httpVersion)).toEqual(['2.0', '2.0', '2.0', '2.0']);
      expect(connections).toBe(1);
    } finally {
      proxy.close();
    }
  });

  test("connect_timeout_ms (from createModel) destroys a late socket with the toolkit's ConnectDeadlineExceeded", async () => {
    const blackhole = await startBlackhole();
    try {
      const started = performance.now();
      const chat = buildModel(awsBedrock, emulatorOptions(emulator.current, uniqueModel('connect'), { endpoint_url: blackhole.url }), { http: { connectTimeoutMs: 200 } });
      const error = (await failure(chat.doGenerate(hello, callOptions()))) as RegError;
      expect(TimeoutError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'timeout', timeout: 'connect_timeout_ms', retryable: true });
      expect(errorChain(error).some((item) => item instanceof ConnectDeadlineExceeded)).toBe(true);
      expect(error.message).toContain('Check endpoint_url and the network.');
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await blackhole.close();
    }
  });
});
