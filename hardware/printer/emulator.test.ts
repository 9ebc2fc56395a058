import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PrinterEmulator } from './emulator.ts';

const emulators: PrinterEmulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((e) => e.stop()));
});

async function started(): Promise<PrinterEmulator> {
  const emulator = new PrinterEmulator();
  emulators.push(emulator);
  await emulator.start(0);
  return emulator;
}

/** Connects, sends each chunk as its own packet, collects replies until the emulator has `replies` bytes. */
async function converse(port: number, chunks: number[][], replies = 0): Promise<number[]> {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const received: number[] = [];
  socket.on('data', (data) => received.push(...data));
  socket.on('error', () => {}); // a refused or dropped connection resets

  await new Promise((resolve) => socket.once('connect', resolve));
  for (const chunk of chunks) {
    await new Promise<void>((resolve) => socket.write(Uint8Array.from(chunk), () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
  }
  while (received.length < replies) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise<void>((resolve) => socket.end(resolve));
  return received;
}

describe('PrinterEmulator', () => {
  it('splits a connection into jobs at each cut, even when commands straddle packets', async () => {
    const emulator = await started();
    await converse(emulator.port, [
      [0x41, 0x0a, 0x1d],
      [0x56, 0x42],
      [0x00, 0x42, 0x0a, 0x1d, 0x56, 0x01, 0x43],
    ]);
    const jobs = await emulator.waitForJobs(3);
    expect(jobs.map((j) => [...j.bytes])).toEqual([
      [0x41, 0x0a, 0x1d, 0x56, 0x42, 0x00],
      [0x42, 0x0a, 0x1d, 0x56, 0x01],
      [0x43],
    ]);
    expect(jobs.map((j) => j.cut)).toEqual([true, true, false]);
    expect(new Set(jobs.map((j) => j.connection)).size).toBe(1);
  });

  it('answers DLE EOT 2 and 4 from its settable state and keeps them out of the jobs', async () => {
    const emulator = await started();
    expect(
      await converse(
        emulator.port,
        [
          [0x10, 0x04, 0x02, 0x10],
          [0x04, 0x04],
        ],
        2,
      ),
    ).toEqual([0x12, 0x12]);
    emulator.set({ coverOpen: true, paperNearEnd: true });
    expect(await converse(emulator.port, [[0x10, 0x04, 0x02, 0x10, 0x04, 0x04]], 2)).toEqual([0x16, 0x1e]);
    emulator.set({ coverOpen: false, paperOut: true });
    expect(await converse(emulator.port, [[0x10, 0x04, 0x02, 0x10, 0x04, 0x04]], 2)).toEqual([0x32, 0x7e]);
    expect(emulator.jobs()).toEqual([]);
    expect(emulator.statusRequestCount()).toBe(6);
  });

  it('refuses connections, drops a job midway, and comes back on the same port after restart', async () => {
    const emulator = await started();
    const port = emulator.port;
    emulator.set({ refuseConnections: true });
    await converse(port, [[0x41, 0x1d, 0x56, 0x01]]);
    expect(emulator.jobs()).toEqual([]);
    emulator.set({ refuseConnections: false, dropAfterBytes: 2 });
    await converse(port, [[0x41, 0x42, 0x43, 0x0a]]).catch(() => []);
    expect(await emulator.waitForJobs(1)).toMatchObject([{ cut: false }]);
    await emulator.restart();
    expect(emulator.port).toBe(port);
    emulator.reset();
    await converse(port, [[0x41, 0x1d, 0x56, 0x01]]);
    expect(await emulator.waitForJobs(1)).toMatchObject([{ cut: true }]);
  });
});
