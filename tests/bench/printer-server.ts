/**
 * A network ESC/POS printer for the benchmarks, in a process of its own so that its work is not the
 * benchmark client's: HallQ's TCP-9100 emulator (it answers status requests and records each job up to
 * its cut). On SIGTERM it writes how many jobs it received, then exits.
 *
 *   node --import tsx tests/bench/printer-server.ts
 */
import { PrinterEmulator } from '../../hardware/index.ts';

const emulator = new PrinterEmulator();
await emulator.start(0);
process.stdout.write(`${JSON.stringify({ msg: 'printer listening', url: emulator.uri })}\n`);
process.on('SIGTERM', () => {
  const jobs = emulator.jobs();
  process.stdout.write(
    `${JSON.stringify({ msg: 'printer stopped', jobs: jobs.length, cut: jobs.filter((j) => j.cut).length })}\n`,
  );
  void emulator.stop().then(() => process.exit(0));
});
