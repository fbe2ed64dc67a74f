import * as apolloTelemetry from '@apollo/gateway/dist/utilities/opentelemetry';
import { startOwnGateway } from '../support/ownServices';

describe('the gateway and Apollo', () => {
  it("never makes @apollo/gateway's exporter of usage telemetry to Apollo's endpoint", async () => {
    const exporter = jest.spyOn(apolloTelemetry, 'createDataCollectionExporter');
    // Whatever the environment said before: the gateway turns the reporting off itself.
    delete process.env['APOLLO_TELEMETRY_DISABLED'];
    const gateway = await startOwnGateway('gateway-telemetry', {});
    try {
      expect(exporter).not.toHaveBeenCalled();
    } finally {
      await gateway.close();
      exporter.mockRestore();
    }
  });
});
