/**
 * The browser specs share one demo database (globalSetup resets it once). Most only add rows the others do not
 * count; the specs named here change the demo's shape itself — exit.e2e-spec hands a 中牟县 market to a new
 * operator, so the county has one more operator and the province one more market than the analytics and
 * reports specs count — and run last, in the default order among themselves.
 */
const Sequencer = require('@jest/test-sequencer').default;

// assessment.e2e-spec registers an unassigned 中牟县 market for its contract (issue 15 §1): one more market than they count.
const LAST = ['assessment.e2e-spec.ts', 'exit.e2e-spec.ts'];

class BrowserSequencer extends Sequencer {
  async sort(tests) {
    const sorted = await super.sort(tests);
    const last = (t) => LAST.some((name) => t.path.endsWith(`/${name}`));
    return [...sorted.filter((t) => !last(t)), ...sorted.filter(last)];
  }
}

module.exports = BrowserSequencer;
