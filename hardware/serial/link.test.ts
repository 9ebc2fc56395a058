import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceError } from './device-error.ts';
import { lineFramer } from './framer.ts';
import { type LinkHealth, SerialLink, type SerialLocation } from './link.ts';
import { MockCable } from './mock-cable.ts';

const open: SerialLink<string>[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((link) => link.close()));
});

function link(
  cable: MockCable,
  location: SerialLocation,
  options: { writeWaitMs?: number; backoff?: { initialMs: number; maxMs: number } } = {},
) {
  const logger = { warn: vi.fn() };
  const started = new SerialLink({
    name: 'test',
    binding: cable.binding,
    location,
    baudRate: 9600,
    framer: lineFramer(32),
    logger,
    backoff: { initialMs: 20, maxMs: 200 },
    ...options,
  }).start();
  open.push(started);
  const frames: string[] = [];
  started.onFrame((frame) => frames.push(frame));
  return { link: started, frames, logger };
}

const isOpen = (l: SerialLink<string>) => expect(l.health().state).toBe('open');

describe('SerialLink', () => {
  it('carries lines both ways once both ends are open', async () => {
    const cable = new MockCable();
    const host = link(cable, { path: cable.hostPath });
    const device = link(cable, { path: cable.devicePath });
    await vi.waitFor(() => [host.link, device.link].forEach(isOpen));
    await device.link.write(Buffer.from('1 NEXT\r\n'));
    await host.link.write(Buffer.from('1 ACK\r\n'));
    await vi.waitFor(() => expect(host.frames).toEqual(['1 NEXT']));
    await vi.waitFor(() => expect(device.frames).toEqual(['1 ACK']));
  });

  it('opens by USB vendor and product id, however the ids are written', async () => {
    const cable = new MockCable('usb', { vendorId: '1a86', productId: '7523' });
    const host = link(cable, { vendorId: '0x1A86', productId: '7523' });
    await vi.waitFor(() => isOpen(host.link));
    expect(host.link.health().detail).toBe(cable.hostPath);
  });

  it('keeps retrying while no such USB device is present, reporting why', async () => {
    const cable = new MockCable();
    const host = link(cable, { vendorId: '0403', productId: '6001' });
    await vi.waitFor(() =>
      expect(host.link.health()).toEqual({ state: 'down', detail: expect.stringMatching(/0403:6001/) }),
    );
    expect(host.logger.warn).toHaveBeenCalledTimes(1); // once on going down, not once per attempt
  });

  it('resumes by itself after an unplug, and a write made meanwhile arrives after the replug', async () => {
    const cable = new MockCable();
    // Like a real device, the far end listens again before the host retries: bytes sent into a closed
    // end are lost on this cable as on a pty (the line protocol's retries cover that case).
    const host = link(cable, { path: cable.hostPath }, { backoff: { initialMs: 100, maxMs: 100 } });
    const device = link(cable, { path: cable.devicePath }, { backoff: { initialMs: 5, maxMs: 5 } });
    await vi.waitFor(() => [host.link, device.link].forEach(isOpen));
    const seen: LinkHealth[] = [];
    host.link.onHealth((health) => seen.push(health));
    await cable.unplug();
    await vi.waitFor(() => expect(seen[0]).toEqual({ state: 'down', detail: 'unplugged' }));
    const written = host.link.write(Buffer.from('7 SHOW A001\r\n'));
    await cable.replug();
    await written;
    await vi.waitFor(() => expect(device.frames).toEqual(['7 SHOW A001']), { timeout: 2000 });
    expect(seen.at(-1)?.state).toBe('open');
  });

  it('fails a write with disconnected when the device does not come back in time', async () => {
    const cable = new MockCable();
    const host = link(cable, { path: cable.hostPath }, { writeWaitMs: 150 });
    await vi.waitFor(() => isOpen(host.link));
    await cable.unplug();
    const failure = await host.link.write(Buffer.from('x\n')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DeviceError);
    expect(failure).toMatchObject({ disconnected: true });
  });

  it('drops an oversized line with a warning and stays open for the next one', async () => {
    const cable = new MockCable();
    const host = link(cable, { path: cable.hostPath });
    const device = link(cable, { path: cable.devicePath });
    await vi.waitFor(() => [host.link, device.link].forEach(isOpen));
    await device.link.write(Buffer.from(`1 SHOW ${'x'.repeat(100)}\r\n2 NEXT\r\n`));
    await vi.waitFor(() => expect(host.frames).toEqual(['2 NEXT']));
    expect(host.logger.warn).toHaveBeenCalledWith(
      'serial bytes discarded',
      expect.objectContaining({ reason: 'line longer than 32 bytes' }),
    );
    isOpen(host.link);
  });

  it('refuses writes after close', async () => {
    const cable = new MockCable();
    const host = link(cable, { path: cable.hostPath });
    await vi.waitFor(() => isOpen(host.link));
    await host.link.close();
    await expect(host.link.write(Buffer.from('x\n'))).rejects.toMatchObject({ disconnected: true });
    expect(host.link.health().state).toBe('closed');
  });
});
