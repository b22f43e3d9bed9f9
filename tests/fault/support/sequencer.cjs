/* The fault specs run in file-name order (1-…, 2-…): later ones build on the state earlier ones leave. */
const Sequencer = require('@jest/test-sequencer').default;

class ByName extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => a.path.localeCompare(b.path));
  }
}
module.exports = ByName;
