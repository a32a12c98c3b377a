/**
 * libtensorflow's start-up chatter (and Dawn's one warning that a reason says better), kept off the user's terminal. TensorFlow logs through absl before anything can
 * configure it, so TF_CPP_MIN_LOG_LEVEL does not reach every line: libtensorflow 2.21 prints, on each start,
 *   WARNING: All log messages before absl::InitializeLog() is called are written to STDERR
 *   I0000 00:00:1796248846.457767   12165 port.cc:153] oneDNN custom operations are on. ...
 * Info lines (absl's `I` + MMDD prefix) and that one WARNING go; everything else, TensorFlow's warnings and errors
 * (W, E, F) among it, passes unchanged.
 */
/**
 * Dawn's warning when the Vulkan loader is missing, with its C++ source location ("    at operator() (...cpp:368)")
 * and a blank line: the worker reports the same as a reason (vulkan-loader-missing), so the terminal gets that alone.
 */
const DAWN_NO_VULKAN = /^Warning: Couldn't load Vulkan: /;
const ABSL_INFO = /^I\d{4} \d\d:\d\d:\d+\.\d+\s+\d+ [^\s\]]+:\d+\] /;
const ABSL_PREINIT = /^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR$/;

/** Whether one stderr line (without its newline) is TensorFlow's informational chatter. */
export function isTensorFlowInfo(line: string): boolean {
  return ABSL_INFO.test(line) || ABSL_PREINIT.test(line);
}

/**
 * A line filter over a child's stderr: `push` takes chunks as they come, `end` flushes a last unterminated line.
 * Lines after an info line that do not start a new log line are its continuation ("To enable the following
 * instructions: ..."), and go with it.
 */
export function createTfLogFilter(write: (text: string) => void) {
  let pending = '';
  let inInfo = false;
  let inDawnWarning = false;
  const line = (text: string, newline: string) => {
    if (DAWN_NO_VULKAN.test(text) || (inDawnWarning && /^(\s+at .*)?$/.test(text))) {
      inDawnWarning = true;
      return;
    }
    inDawnWarning = false;
    const startsEntry = /^[IWEF]\d{4} /.test(text) || ABSL_PREINIT.test(text);
    if (isTensorFlowInfo(text)) inInfo = true;
    else if (startsEntry || !inInfo) {
      inInfo = false;
      write(text + newline);
    } else if (!/^To enable the following instructions:/.test(text)) {
      inInfo = false;
      write(text + newline);
    }
  };
  return {
    push(chunk: string) {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        line(pending.slice(0, nl), '\n');
        pending = pending.slice(nl + 1);
      }
    },
    end() {
      if (pending) line(pending, '');
      pending = '';
    },
  };
}
