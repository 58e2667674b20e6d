import type { ServerResponse } from 'node:http';
import type { ClientRegistry } from '@reg/core';
import { sendJson } from '../http-io.js';

/** `GET /v1/models`: the configured clients (leaves and strategies), each usable as `model`. */
export function handleModels(response: ServerResponse, registry: ClientRegistry, created: number): void {
  const data = registry.clientNames().map((name) => ({ id: name, object: 'model', created, owned_by: 'reg' }));
  sendJson(response, 200, { object: 'list', data });
}
