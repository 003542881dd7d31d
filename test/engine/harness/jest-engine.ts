import { engineAvailability, loudWarning } from './prerequisites';

/**
 * `describe` for suites that need the real engine. Missing Debian packages → one failing test whose message says
 * exactly what to install. `SKIP_ENGINE_TESTS=1` → the suite is skipped and a banner says so.
 */
export function describeEngine(name: string, body: () => void): void {
  let availability: ReturnType<typeof engineAvailability> | undefined;
  let problem: Error | undefined;
  try {
    availability = engineAvailability();
  } catch (err) {
    problem = err as Error;
  }
  if (problem) {
    const error = problem;
    describe(name, () => {
      test('real-engine prerequisites are installed', () => {
        throw error;
      });
    });
    return;
  }
  if (availability && !availability.run) {
    loudWarning(availability.reason);
    describe.skip(`${name} [SKIPPED: ${availability.reason}]`, body);
    return;
  }
  describe(name, body);
}
