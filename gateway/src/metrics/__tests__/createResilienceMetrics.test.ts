import { createMetricsRegistry } from '../../../../shared/src';
import type { CircuitState } from '../../resilience/CircuitBreaker';
import { createResilienceMetrics } from '../createResilienceMetrics';

describe('createResilienceMetrics', () => {
  it('reports each circuit as of the scrape, one series per state, and counts retries and rejections', async () => {
    const registry = createMetricsRegistry('gateway-test');
    const states: Record<string, CircuitState> = { sichuan: 'closed', chongqing: 'closed' };
    const metrics = createResilienceMetrics(registry, () => states);
    metrics.retried('sichuan');
    metrics.rejected('sichuan');
    metrics.rejected('sichuan');
    states['sichuan'] = 'open';

    const text = await registry.metrics();
    expect(text).toContain('gateway_subgraph_circuit_state{subgraph="sichuan",state="open",service="gateway-test"} 1');
    expect(text).toContain('gateway_subgraph_circuit_state{subgraph="sichuan",state="closed",service="gateway-test"} 0');
    expect(text).toContain('gateway_subgraph_circuit_state{subgraph="chongqing",state="closed",service="gateway-test"} 1');
    expect(text).toContain('gateway_subgraph_fetch_retries_total{subgraph="sichuan",service="gateway-test"} 1');
    expect(text).toContain('gateway_subgraph_circuit_rejections_total{subgraph="sichuan",service="gateway-test"} 2');
  });
});
