/**
 * Some integration tests change the whole host: they create a system user and set
 * kernel.perf_event_paranoid. They run in CI (CI=true, which .ci/run sets) or on a
 * workstation that opts in with VNF_LENS_TEST_HOST_CHANGES=1; elsewhere they skip
 * with this message.
 */
export function hostChangesAllowed(): boolean {
  return process.env['CI'] === 'true' || process.env['VNF_LENS_TEST_HOST_CHANGES'] === '1';
}

export const HOST_CHANGES_SKIP = 'changes the whole host (creates a system user, sets kernel.perf_event_paranoid): runs in CI (CI=true) or with VNF_LENS_TEST_HOST_CHANGES=1';
