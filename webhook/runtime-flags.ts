/**
 * How the release image starts the webhook process: Node/V8 flags and environment that trade a
 * little throughput for a bounded footprint. `Dockerfile.webhook` spells them out in its
 * ENTRYPOINT and ENV (a test keeps the two in step) and `bench/webhook` starts the server with
 * them, so the benchmark measures what runs in the cluster. They must be given at process start.
 *
 * Measured under load (10 KiB reviews, one core): without them the heap's young generation takes
 * 32 MiB and the old generation grows to about 50 MiB of promoted garbage before V8 collects it,
 * for a peak RSS near 130 MiB; with them the young generation is 16 MiB, the old generation stays
 * within a quarter of its live size (about 20 MiB), and the peak stays near 100 MiB.
 */
export const WEBHOOK_NODE_FLAGS: readonly string[] = [
  // Two 8 MiB semi-spaces instead of 16 MiB ones: smaller still (4 MiB) cost throughput.
  '--max-semi-space-size=8',
  // Collect the old generation when it grew by 25 % over what survived the last full collection,
  // instead of letting it double or more first.
  '--heap-growing-percent=25',
];

export const WEBHOOK_ENV: Readonly<Record<string, string>> = {
  // glibc gives each thread that allocates its own malloc arena; V8's helper threads would
  // otherwise keep several mostly empty ones resident.
  MALLOC_ARENA_MAX: '2',
};
