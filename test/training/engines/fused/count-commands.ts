/**
 * Counts the dispatches and submits a device is asked for, by wrapping its methods in place: createCommandEncoder
 * (so each encoder's compute passes count their dispatchWorkgroups) and queue.submit.
 */
export interface CommandCounts {
  dispatches: number;
  submits: number;
}

export function countCommands(device: GPUDevice): { take(): CommandCounts } {
  let counts: CommandCounts = { dispatches: 0, submits: 0 };
  const createEncoder = device.createCommandEncoder.bind(device);
  device.createCommandEncoder = (descriptor?: GPUCommandEncoderDescriptor) => {
    const encoder = createEncoder(descriptor);
    const beginPass = encoder.beginComputePass.bind(encoder);
    encoder.beginComputePass = (passDescriptor?: GPUComputePassDescriptor) => {
      const pass = beginPass(passDescriptor);
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      pass.dispatchWorkgroups = (x: number, y?: number, z?: number) => {
        counts.dispatches++;
        dispatch(x, y, z);
      };
      return pass;
    };
    return encoder;
  };
  const queue = device.queue;
  const submit = queue.submit.bind(queue);
  queue.submit = (buffers: Iterable<GPUCommandBuffer>) => {
    counts.submits++;
    submit(buffers);
  };
  return {
    take() {
      const taken = counts;
      counts = { dispatches: 0, submits: 0 };
      return taken;
    },
  };
}
