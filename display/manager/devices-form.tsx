import { useState } from 'preact/hooks';
import {
  COUNTER_DEVICE_KINDS,
  type DeviceConfig,
  SERIAL_DEVICE_KINDS,
  type SerialDeviceKind,
} from '../../server/contract/devices.ts';
import { DEVICE_KIND_TEXT } from '../../server/contract/labels.ts';
import type { ConfigView } from '../../server/contract/manager.ts';
import { Bi } from '../common/text.tsx';
import { IdCell, ListActions, RemoveCell, useRows } from './list-form.tsx';
import { Th } from './parts.tsx';

const USB = /^usb\s+([0-9a-f]{4}):([0-9a-f]{4})$/i;

/** A device's connection as one field: its path, or `usb 1a86:7523` for USB ids. */
export function formatConnection(device: DeviceConfig): string {
  return device.path ?? (device.vendorId ? `usb ${device.vendorId}:${device.productId}` : '');
}

/** The field back into `path` or USB ids; anything that is not `usb vvvv:pppp` is a path. */
export function parseConnection(text: string): Pick<DeviceConfig, 'path' | 'vendorId' | 'productId'> {
  const usb = USB.exec(text.trim());
  if (usb) return { vendorId: usb[1]!.toLowerCase(), productId: usb[2]!.toLowerCase() };
  return { path: text.trim() };
}

type Row = {
  id: string;
  kind: SerialDeviceKind;
  connection: string;
  baudRate: string;
  /** The counter or kiosk id it serves, or '' for none yet (a spare). */
  serves: string;
};

const rowOf = (d: DeviceConfig): Row => ({
  id: d.id,
  kind: d.kind,
  connection: formatConnection(d),
  baudRate: d.baudRate === undefined ? '' : String(d.baudRate),
  serves: d.counterId ?? d.kioskId ?? '',
});

const servesCounter = (kind: SerialDeviceKind) => COUNTER_DEVICE_KINDS.includes(kind);

/** The row as the server takes it; a half-filled row is sent as typed and refused by name. */
function deviceOf(row: Row): DeviceConfig {
  const where = servesCounter(row.kind) ? 'counterId' : 'kioskId';
  return {
    id: row.id.trim(),
    kind: row.kind,
    ...parseConnection(row.connection),
    ...(row.baudRate === '' ? {} : { baudRate: Number(row.baudRate) }),
    ...(row.serves === '' ? {} : { [where]: row.serves }),
  };
}

/**
 * The hall's serial devices: kind, connection and the counter or kiosk each serves. Saved as a whole
 * list; the server re-wires them at once (unchanged connections stay open).
 */
export function DevicesForm({
  config,
  onSave,
}: {
  config: ConfigView;
  onSave: (list: DeviceConfig[]) => void;
}) {
  const { rows, isNew, keyOf, edit, add, remove } = useRows(config.devices.map(rowOf), config.devices);
  const submit = (e: Event) => {
    e.preventDefault();
    onSave(rows.map(deviceOf));
  };
  // A kiosk named only by a device (paired, not in the file) is still offered.
  const kiosks = [...new Set([...config.kiosks, ...config.devices.flatMap((d) => d.kioskId ?? [])])];
  return (
    <form onSubmit={submit} aria-label="devices">
      <h2>
        <Bi text={{ zh: '串口设备', en: 'Serial devices' }} />
      </h2>
      <p class="hint">
        <Bi
          text={{
            zh: '连接：串口路径（建议 /dev/serial/by-id/…），或 usb 厂商号:产品号（如 usb 1a86:7523）；模拟设备填 sim。保存后立即生效。',
            en: 'Connection: a serial path (prefer /dev/serial/by-id/…), or usb vendor:product (e.g. usb 1a86:7523); sim for a simulator. Applied as soon as it is saved.',
          }}
        />
      </p>
      <table class="config-table">
        <thead>
          <tr>
            <Th text={{ zh: '编号', en: 'Id' }} />
            <Th text={{ zh: '类型', en: 'Kind' }} />
            <Th text={{ zh: '连接', en: 'Connection' }} />
            <Th text={{ zh: '波特率', en: 'Baud rate' }} />
            <Th text={{ zh: '所属', en: 'Serves' }} />
            <Th text={{ zh: '操作', en: 'Actions' }} />
          </tr>
        </thead>
        <tbody>
          {rows.map((d, i) => {
            const name = d.id || String(i + 1);
            return (
              <tr key={keyOf(d, i)}>
                <IdCell
                  id={d.id}
                  isNew={isNew(d)}
                  label={`device id ${i + 1}`}
                  onInput={(id) => edit(i, { id })}
                />
                <td>
                  <select
                    aria-label={`kind ${name}`}
                    value={d.kind}
                    onChange={(e) => {
                      const kind = e.currentTarget.value as SerialDeviceKind;
                      // A kiosk cannot be a keypad's counter: the assignment starts over across that line.
                      const serves = servesCounter(kind) === servesCounter(d.kind) ? d.serves : '';
                      edit(i, { kind, serves });
                    }}
                  >
                    {SERIAL_DEVICE_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {DEVICE_KIND_TEXT[k].zh} / {DEVICE_KIND_TEXT[k].en}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`connection ${name}`}
                    class="path"
                    required
                    placeholder="/dev/serial/by-id/…"
                    value={d.connection}
                    onInput={(e) => edit(i, { connection: e.currentTarget.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`baud rate ${name}`}
                    class="short"
                    type="number"
                    min={1}
                    placeholder="9600"
                    value={d.baudRate}
                    onInput={(e) => edit(i, { baudRate: e.currentTarget.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`serves ${name}`}
                    value={d.serves}
                    onChange={(e) => edit(i, { serves: e.currentTarget.value })}
                  >
                    <option value="">— 未分配 / none —</option>
                    {servesCounter(d.kind)
                      ? config.counters.map((c) => (
                          <option key={c.id} value={c.id}>
                            {c.name} / counter {c.id}
                          </option>
                        ))
                      : kiosks.map((k) => (
                          <option key={k} value={k}>
                            自助机 {k} / kiosk {k}
                          </option>
                        ))}
                  </select>
                </td>
                <RemoveCell onRemove={() => remove(i)} />
              </tr>
            );
          })}
        </tbody>
      </table>
      <ListActions
        add={{ zh: '添加设备', en: 'Add a device' }}
        save={{ zh: '保存设备', en: 'Save devices' }}
        onAdd={() => add({ id: '', kind: 'keypad', connection: '', baudRate: '', serves: '' })}
      />
    </form>
  );
}

/** The ticket printer's connection: one field, saved on its own and connected at once. */
export function PrinterForm({
  config,
  onSave,
}: {
  config: ConfigView;
  onSave: (connection: string) => void;
}) {
  const [connection, setConnection] = useState(config.printer ?? '');
  const submit = (e: Event) => {
    e.preventDefault();
    onSave(connection.trim());
  };
  return (
    <form onSubmit={submit} aria-label="printer">
      <h2>
        <Bi text={DEVICE_KIND_TEXT.printer} />
      </h2>
      <p class="hint">
        <Bi
          text={{
            zh: '网口打印机 tcp://地址:9100，串口 serial:/dev/ttyUSB0?baud=19200，USB 设备文件 /dev/usb/lp0；模拟打印机填 sim。保存后立即连接，未打印的票号在自助机上显示。',
            en: 'A network printer tcp://address:9100, a serial one serial:/dev/ttyUSB0?baud=19200, a USB device file /dev/usb/lp0; sim for the simulator. Connected as soon as it is saved; tickets not yet printed show their number on the kiosk.',
          }}
        />
      </p>
      <p class="actions">
        <input
          aria-label="printer connection"
          class="wide"
          required
          placeholder="tcp://192.168.1.50:9100"
          value={connection}
          onInput={(e) => setConnection(e.currentTarget.value)}
        />
        <button type="submit">
          <Bi text={{ zh: '保存打印机', en: 'Save printer' }} />
        </button>
      </p>
    </form>
  );
}
