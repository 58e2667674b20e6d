import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../src/metrics.js';

describe('metric labels', () => {
  it('writes plain label values as they are and escapes backslashes, quotes and newlines', () => {
    const metrics = new GatewayMetrics();
    metrics.requests.inc({ client: 'Mini', status: '200' });
    metrics.requests.inc({ client: 'Mini', status: '200' });
    metrics.errors.inc({ client: 'a\\b"c\nd', code: 'server' });
    metrics.duration.observe({ client: 'Mini' }, 0.02);
    const text = metrics.render();
    expect(text).toContain('reg_requests_total{client="Mini",status="200"} 2\n');
    expect(text).toContain('reg_errors_total{client="a\\\\b\\"c\\nd",code="server"} 1\n');
    expect(text).toContain('reg_request_duration_seconds_bucket{client="Mini",le="0.025"} 1\n');
    expect(text).toContain('reg_request_duration_seconds_bucket{client="Mini",le="0.01"} 0\n');
    expect(text).toContain('reg_request_duration_seconds_count{client="Mini"} 1\n');
  });
});
