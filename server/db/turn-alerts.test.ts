import { describe, expect, it } from 'vitest';
import { HALL_MORNING, ok, testHall } from '../../tests/helpers/test-hall.ts';
import { createTurnAlertRepository } from './turn-alerts.ts';

describe('the turn alert rows', () => {
  function setup() {
    const h = testHall();
    const ticket = () => ok(h.hall.issueTicket({ serviceId: 'general' })).id;
    return { rows: createTurnAlertRepository(h.db), ticket };
  }

  it('asking again re-arms the request with the new number, counts it, and forgets the last send', () => {
    const { rows, ticket } = setup();
    const id = ticket();
    rows.arm({ ticket_id: id, phone_masked: '139****5678', requested_at: HALL_MORNING });
    expect(rows.get(id)).toMatchObject({ state: 'armed', requests: 1, sent_at: null });
    rows.settle({ ticket_id: id, state: 'sent', sent_at: HALL_MORNING + 1 });
    expect(rows.get(id)).toMatchObject({ state: 'sent', sent_at: HALL_MORNING + 1 });
    rows.arm({ ticket_id: id, phone_masked: '137****0000', requested_at: HALL_MORNING + 2 });
    expect(rows.get(id)).toEqual({
      ticket_id: id,
      phone_masked: '137****0000',
      state: 'armed',
      requests: 2,
      requested_at: HALL_MORNING + 2,
      sent_at: null,
    });
    rows.remove(id);
    expect(rows.get(id)).toBeUndefined();
  });

  it('after a restart only the armed requests are lost; how the others ended stays', () => {
    const { rows, ticket } = setup();
    const [armed, sent] = [ticket(), ticket()];
    rows.arm({ ticket_id: armed, phone_masked: '139****5678', requested_at: HALL_MORNING });
    rows.arm({ ticket_id: sent, phone_masked: '139****5678', requested_at: HALL_MORNING });
    rows.settle({ ticket_id: sent, state: 'sent', sent_at: HALL_MORNING + 1 });
    rows.loseArmed();
    expect(rows.get(armed)?.state).toBe('lost');
    expect(rows.get(sent)?.state).toBe('sent');
  });
});
