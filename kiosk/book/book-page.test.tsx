// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromPromise } from 'xstate';
import type { AppointmentAnswer } from '../../server/contract/kiosk.ts';
import { hall } from '../flows/fixtures.ts';
import { refusal, settle } from '../flows/testing.ts';
import { bookMachine } from './book.machine.ts';
import { BookPage } from './book-page.tsx';

afterEach(cleanup);

function page(book: () => Promise<AppointmentAnswer>) {
  const actor = createActor(
    bookMachine.provide({
      actors: {
        loadHall: fromPromise(() => Promise.resolve(hall)),
        loadSlots: fromPromise(() =>
          Promise.resolve({
            serviceId: 'general',
            day: '2026-11-25',
            days: ['2026-11-25', '2026-11-26', '2026-11-27'],
            slotMinutes: 15,
            slots: [{ slot: '2026-11-25T03:00:00.000Z', time: '11:00', remaining: 2 }],
          }),
        ),
        book: fromPromise(book),
      },
    }),
    { input: { lang: 'zh' } },
  );
  actor.start();
  render(<BookPage actor={actor} />);
  return actor;
}

describe('booking page', () => {
  it('walks service → slot → phone, checks the number, and explains a refusal', async () => {
    page(() => Promise.reject(refusal(409, 'too-many-appointments')));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: '业务办理' }));
    await settle();
    expect(screen.getByRole('button', { name: '今天' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '明天' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /^11:00/ }));
    expect(screen.getByText('业务办理，今天 11:00')).toBeTruthy();
    const input = screen.getByLabelText(/手机号码/) as HTMLInputElement;
    fireEvent.input(input, { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: '确认预约' }));
    expect(screen.getByRole('alert').textContent).toContain('11 位手机号码');
    fireEvent.input(input, { target: { value: '138 0000 0001' } });
    fireEvent.click(screen.getByRole('button', { name: '确认预约' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toContain('已有 3 个未到期的预约');
  });
});
