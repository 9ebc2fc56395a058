/**
 * The HQ benchmark's busy hall: the demo hall's eight services with four times its counters (24), and a
 * day of about 1,400 customers shaped like the demo weekday — a big city hall on a busy day.
 */
import { DEMO_HALL, type HallConfig } from '../../server/config.ts';
import { parseClockTime as at } from '../../server/domain/hall-time.ts';
import { DEMO_WEEKDAY, type SimProfile } from '../../server/domain/sim/profiles.ts';

const COPIES = 4;

export const busyHall: HallConfig = {
  ...DEMO_HALL,
  hours: { open: '09:00', close: '18:00' },
  devices: [],
  counters: Array.from({ length: COPIES }, (_, copy) =>
    DEMO_HALL.counters.map((c) => ({
      ...c,
      id: String(copy * DEMO_HALL.counters.length + Number(c.id)),
      name: `${c.name}·${copy + 1}`,
    })),
  ).flat(),
  staff: [
    ...DEMO_HALL.staff.filter((s) => s.role === 'manager'),
    ...Array.from({ length: COPIES * DEMO_HALL.counters.length }, (_, i) => ({
      id: `staff${i + 1}`,
      username: `staff${i + 1}`,
      name: `营业员${i + 1}`,
      role: 'staff' as const,
    })),
  ],
};

/** About 1,400 tickets a day, counters on staggered lunches. */
export function busyProfile(): SimProfile {
  const total = Object.values(DEMO_WEEKDAY.ticketsPerDay).reduce((a, b) => a + b, 0);
  const scale = 1400 / total;
  return {
    ...DEMO_WEEKDAY,
    ticketsPerDay: Object.fromEntries(
      Object.entries(DEMO_WEEKDAY.ticketsPerDay).map(([id, n]) => [id, Math.round(n * scale)]),
    ),
    staff: Object.fromEntries(
      busyHall.counters.map((c, i) => {
        const lunch = at('11:30') + (i % 6) * 15;
        return [
          c.id,
          {
            speed: 0.9 + (i % 5) * 0.05,
            shifts: [
              [at('09:00'), lunch],
              [lunch + 40, at('18:00')],
            ] as const,
          },
        ];
      }),
    ),
  };
}
